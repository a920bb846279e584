"""Year-end ratings (xếp loại) of one year from an Excel sheet.

The sheet is a year sheet of app/excel_year_sheets.py: the subject columns («Họ và tên / Tên
đối tượng», «Ngày sinh», «Số CCCD», «Loại đối tượng», «Mã đối tượng»), which find each row's
subject in the register, and «Xếp loại»: the rating's label or code, e.g. «Hoàn thành xuất
sắc nhiệm vụ», «HTXSNV» or htxs. Every row is checked first; if any row is wrong nothing is
written and every error is reported with its row. The ratings are then written with
`ReviewService.set_ratings`, so the history's rules and audit entries apply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from app import catalogue
from app.review_proposal import RATED_KINDS
from app.excel_columns import RATING_ALIASES, CellType, Column
from app.excel_export import write_sheet
from app.excel_preview import MAX_ERRORS_SHOWN, RowError
from app.excel_year_sheets import read_year_sheet, reading_lines, year_sheet
from app.services import Services

Report = Callable[[int, int], None]

RATINGS_SHEET = year_sheet(
    "ratings", "Xếp loại cuối năm",
    (
        Column("Xếp loại", "rating", CellType.CODE, required=True, vocabulary=catalogue.RATINGS,
               aliases=RATING_ALIASES, width=34,
               hint="Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm vụ, Hoàn thành nhiệm vụ hoặc "
                    "Không hoàn thành nhiệm vụ (hoặc mã htxs, tot, ht, kht)."),
        Column("Ghi chú", "note", width=30),
    ),
    note="Mỗi dòng là xếp loại cuối năm của một cá nhân hoặc tập thể có sẵn trong sổ; năm xếp loại "
         "chọn khi nhập.",
    aliases={"rating": ("Xếp loại chất lượng", "Mức xếp loại")},
)
_RATING_HEADER = RATINGS_SHEET.kind.column("rating").header


@dataclass(frozen=True)
class RatingImport:
    """What an import found, and wrote: `written` is 0 on errors and on a dry run."""

    year: int
    rows: tuple[tuple[int, str, int, str], ...]  # (row, subject described, subject id, rating code)
    errors: tuple[RowError, ...]
    rows_read: int
    written: int = 0

    def lines(self, limit: int = MAX_ERRORS_SHOWN) -> list[str]:
        """The result as Vietnamese lines (the CLI prints them; the dialog shows them)."""
        lines = reading_lines(self.rows_read, f"{len(self.rows)} xếp loại năm {self.year} hợp lệ",
                              self.errors, limit)
        if not self.errors and self.rows:
            lines.append(f"Đã ghi {self.written} xếp loại thay đổi (các dòng còn lại giống xếp loại đã có)."
                         if self.written else "Không có xếp loại nào thay đổi.")
        return lines


def read_ratings(services: Services, path: Path, year: int, report: Report | None = None) -> RatingImport:
    """Every row checked; nothing written."""
    reading = read_year_sheet(services.sessions, RATINGS_SHEET, path, report)
    errors = list(reading.errors)
    rows: list[tuple[int, str, int, str]] = []
    first_row: dict[int, int] = {}
    for row in reading.rows:
        subject = row.subject
        if subject.kind not in RATED_KINDS:
            errors.append(RowError(row.row, None, f"{catalogue.SUBJECT_KINDS[subject.kind]} «{subject.name}» "
                                   "không có xếp loại cuối năm (chỉ cá nhân và tập thể)."))
            continue
        if subject.id in first_row:
            errors.append(RowError(row.row, None, f"{subject.describe()} đã có xếp loại ở dòng "
                                   f"{first_row[subject.id]}; mỗi đối tượng chỉ một dòng."))
            continue
        first_row[subject.id] = row.row
        rows.append((row.row, subject.describe(), subject.id, str(row.cells["rating"])))
    errors.sort(key=lambda e: e.row)
    return RatingImport(year, tuple(rows), tuple(errors), reading.rows_read)


def import_ratings(services: Services, path: Path, year: int, report: Report | None = None,
                   dry_run: bool = False) -> RatingImport:
    """Read and check every row; unless `dry_run` or any row is wrong, write them all in one
    transaction (ratings already as in the file are left as they are)."""
    found = read_ratings(services, path, year, report)
    if found.errors or dry_run or not found.rows:
        return found
    written = services.review.set_ratings(year, [(subject_id, code) for _row, _name, subject_id, code in found.rows])
    return replace(found, written=written)


def write_template(path: Path, year: int) -> Path:
    """A blank ratings sheet with hints and drop-down lists, written atomically. The year is
    chosen when importing; `year` only names it in the file's hint."""
    kind = replace(RATINGS_SHEET.kind, note=f"{RATINGS_SHEET.kind.note} (Tệp mẫu cho năm {year}.)")
    return write_sheet(path, kind, ())
