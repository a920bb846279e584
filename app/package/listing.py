"""danh-sach.xlsx: the package's records as one readable, printable list for the province.

A regular (not write-only) openpyxl workbook: a few hundred rows at most, and the title is
merged across the columns. Its bytes are deterministic: zip_writer.fixed_zip re-packs the
.xlsx with the package's time as every entry's time and as the workbook's created and
modified times, so the same package content gives the same file.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from app.commune import province_title
from app.excel_layout import print_as_table
from app.package.records import RecordSource
from app.package.zip_writer import fixed_zip

SHEET_TITLE = "Danh sách"
# (header, width in characters)
COLUMNS = (
    ("STT", 6),
    ("Họ và tên / tên tập thể", 30),
    ("Loại đối tượng", 14),
    ("Danh hiệu / hình thức đề nghị", 32),
    ("Năm thành tích", 10),
    ("Thủ tục", 22),
    ("Kết quả kiểm tra điều kiện", 18),
    ("Biểu quyết của Hội đồng", 30),
    ("Phiên bản", 12),
    ("Mã hồ sơ", 38),
)
HEADER_ROW = 5
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center")


@dataclass(frozen=True)
class ListingRow:
    subject_name: str
    subject_kind: str
    award: str
    year: int
    procedure: str
    verdict: str
    vote: str
    version: str
    record_uuid: str


def listing_rows(sources: Sequence[RecordSource]) -> list[ListingRow]:
    """One row per record, from what the record itself says."""
    rows = []
    for source in sources:
        body = source.body
        nomination: Mapping = body["nomination"]  # type: ignore[assignment]
        subject: Mapping = body["subject"]  # type: ignore[assignment]
        checks: Sequence[Mapping] = body["checks"]  # type: ignore[assignment]
        header = source.header
        version = str(header.version) if header.supersedes is None else f"{header.version} (thay bản trước)"
        rows.append(ListingRow(
            str(subject["name"]), str(subject["kind_label"]), str(nomination["award_label"]),
            int(nomination["year"]), str(nomination["procedure_label"]),
            str(checks[0]["verdict_label"]) if checks else "Chưa kiểm tra",
            vote_text(body["council"]), version, header.uuid))  # type: ignore[arg-type]
    return rows


def vote_text(council: Mapping[str, object] | None) -> str:
    if council is None:
        return "Không qua Hội đồng (thủ tục đơn giản)"
    held = datetime.strptime(str(council["held_on"]), "%Y-%m-%d")
    result = f" – {council['result']}" if council["result"] else ""
    return (f"{council['votes_for']}/{council['present']} thành viên có mặt đồng ý{result}; "
            f"phiên họp ngày {held:%d/%m/%Y}")


def listing_bytes(commune: Mapping[str, object], sequence: int, created_at: str,
                  rows: Sequence[ListingRow]) -> bytes:
    """The workbook as bytes, the same for the same rows, commune, sequence and time."""
    moment = datetime.fromisoformat(created_at)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    _title(sheet, commune, sequence, moment, len(rows))
    for column, (header, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, column, header)
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), _HEADER_FILL, _BORDER, _CENTRE
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, row in enumerate(rows, start=1):
        values = (number, row.subject_name, row.subject_kind, row.award, row.year, row.procedure,
                  row.verdict, row.vote, row.version, row.record_uuid)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(HEADER_ROW + number, column, value)
            cell.border = _BORDER
            cell.alignment = _CENTRE if column in (1, 5, 9) else _WRAP
    print_as_table(sheet, HEADER_ROW, landscape=True)
    properties = workbook.properties
    properties.creator = "TĐKT Xã"
    properties.title = "Danh sách hồ sơ đề nghị khen thưởng gửi tỉnh"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return fixed_zip(buffer.getvalue(), created_at)  # created and modified become the package's time


def _title(sheet: object, commune: Mapping[str, object], sequence: int, moment: datetime, count: int) -> None:
    last = get_column_letter(len(COLUMNS))
    province = province_title(str(commune["province_name"]))
    lines = (
        ("DANH SÁCH HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG GỬI UBND " + province.upper(), 14),
        (f"{commune['name']} (mã {commune['code']}), {province}", 12),
        (f"Gói hồ sơ số {sequence} ngày {moment:%d/%m/%Y}: {count} hồ sơ", 12),
    )
    for row, (text, size) in enumerate(lines, start=1):
        sheet.merge_cells(f"A{row}:{last}{row}")  # type: ignore[attr-defined]
        cell = sheet.cell(row, 1, text)  # type: ignore[attr-defined]
        cell.font = Font(bold=row == 1, size=size)
        cell.alignment = Alignment(horizontal="center", vertical="center")

