"""What an import found before anything is written: rows, errors, likely duplicates.

Plain frozen data shared by the importer, the CLI and the import dialog, and the wording
of a rule a row breaks only when it is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from app.errors import NotFoundError, ValidationError

MAX_ERRORS_SHOWN = 200


class Resolution(StrEnum):
    """What to do with a row that looks like a subject or record already known."""

    SKIP = "skip"
    MERGE = "merge"  # update the existing one with the row's non-empty cells


RESOLUTION_LABELS = {Resolution.SKIP: "Bỏ qua", Resolution.MERGE: "Gộp vào"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.row}, cột «{self.column}»" if self.column else f"Dòng {self.row}"
        return f"{where}: {self.message}"


class RowProblems(Exception):
    """A row that cannot be imported; carries one RowError per problem found."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


@dataclass(frozen=True)
class FileRow:
    """A reference to the subject an earlier row of the same file creates."""

    row: int


@dataclass(frozen=True)
class ParsedRow:
    """A row that passed every check: its filled cells as typed values, references resolved."""

    row: int
    name: str
    values: Mapping[str, object]


@dataclass(frozen=True)
class Duplicate:
    """A row that matches something in the register or an earlier row of the file."""

    row: int
    name: str
    reason: str  # e.g. "cùng số CCCD 001085012345"
    match: str  # what it matches, in words
    existing_kind: str = ""  # subject kind or record type of the existing one
    existing_id: int | None = None
    earlier_row: int | None = None

    def __str__(self) -> str:
        return f"Dòng {self.row}: {self.name} trùng với {self.match} ({self.reason})."

    @property
    def target(self) -> tuple[str, int] | None:
        return None if self.existing_id is None else (self.existing_kind, self.existing_id)


@dataclass(frozen=True)
class ImportPreview:
    kind: str  # excel_columns.SHEET_KINDS code
    path: Path
    rows: tuple[ParsedRow, ...]
    errors: tuple[RowError, ...]
    duplicates: tuple[Duplicate, ...]
    rows_read: int

    @property
    def can_commit(self) -> bool:
        return not self.errors and bool(self.rows)

    def summary(self) -> str:
        new = len(self.rows) - len(self.duplicates)
        parts = [f"Đã đọc {self.rows_read} dòng: {new} dòng mới"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} dòng có thể trùng")
        if self.errors:
            rows = len({e.row for e in self.errors})
            parts.append(f"{len(self.errors)} lỗi ở {rows} dòng")
        text = ", ".join(parts) + "."
        if self.errors:
            text += " Hãy sửa các lỗi trong tệp Excel rồi kiểm tra lại; chưa có gì được ghi."
        return text

    def resolutions(self, merge: bool = False) -> dict[int, Resolution]:
        choice = Resolution.MERGE if merge else Resolution.SKIP
        return {d.row: choice for d in self.duplicates}


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    skipped: int

    def __str__(self) -> str:
        text = f"Đã nhập {self.created} mục mới"
        if self.updated:
            text += f", cập nhật {self.updated} mục đã có"
        if self.skipped:
            text += f", bỏ qua {self.skipped} dòng trùng"
        return text + "."


def report_lines(preview: ImportPreview, limit: int = MAX_ERRORS_SHOWN) -> list[str]:
    """The preview as lines of Vietnamese text (the CLI prints these)."""
    lines = [preview.summary()]
    if preview.errors:
        lines.append("Lỗi:")
        lines += [f"  {e}" for e in preview.errors[:limit]]
        if len(preview.errors) > limit:
            lines.append(f"  … và {len(preview.errors) - limit} lỗi khác.")
    if preview.duplicates:
        lines.append("Có thể trùng:")
        lines += [f"  {d}" for d in preview.duplicates[:limit]]
        if len(preview.duplicates) > limit:
            lines.append(f"  … và {len(preview.duplicates) - limit} dòng khác.")
    return lines


@contextmanager
def at_row(row: int) -> Iterator[None]:
    """Name the row in a rule broken at write time (the transaction then rolls back)."""
    try:
        yield
    except (ValidationError, NotFoundError) as error:
        raise ValidationError(f"Dòng {row}: {error} Chưa có dữ liệu nào được ghi.") from error


def resolutions_or_skip(preview: ImportPreview,
                        chosen: Mapping[int, Resolution] | None) -> dict[int, Resolution]:
    resolved = preview.resolutions()
    resolved.update({row: r for row, r in (chosen or {}).items() if row in resolved})
    return resolved
