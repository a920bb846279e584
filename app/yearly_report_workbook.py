"""The yearly report's tables as a formatted Excel workbook, for officers who pass the figures
on in a spreadsheet: one sheet per table, titled, with bold bordered headers, the share as a
percentage number format, frozen header rows and A4 print setup.

Drawn from a stored report's content only. The bytes are deterministic: zip_writer.fixed_zip
re-packs the .xlsx with the report's creation time as every entry's time and as the
workbook's created and modified times, so the same stored report gives the same file.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.excel_layout import print_as_table
from app.package.zip_writer import fixed_zip
from app.statistics import Figure
from app.yearly_report_content import ReportContent

HEADER_ROW = 4
PERCENT = "0.0%"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center")
_COUNT_HEADERS = (("STT", 6), ("Nội dung", 48), ("Số lượng", 12), ("Không rõ", 12))
_PRIORITY_HEADERS = (("STT", 6), ("Nhóm ưu tiên", 48), ("Số lượt khen thưởng", 14),
                     ("Trên tổng số", 14), ("Tỷ lệ", 10), ("Không rõ", 12))
# (sheet title, table title, attribute of Figures)
COUNT_SHEETS = (("Theo danh hiệu", "Theo danh hiệu thi đua, hình thức khen thưởng", "by_award"),
                ("Theo cấp", "Theo cấp quyết định khen thưởng", "by_level"),
                ("Theo đối tượng", "Theo đối tượng được khen thưởng", "by_subject_kind"))
PRIORITY_SHEET = "Nhóm ưu tiên"
SUMMARY_SHEET = "Tổng hợp"


def workbook_bytes(content: ReportContent, created_at: str, figures_sha256: str) -> bytes:
    """The workbook as bytes; `created_at` ("2026-11-24T17:42:21+07:00") fixes its times."""
    workbook = Workbook()
    _summary(workbook.active, content, figures_sha256)
    figures = content.figures
    for sheet_title, title, attribute in COUNT_SHEETS:
        _count_sheet(workbook.create_sheet(sheet_title), content, title, getattr(figures, attribute))
    _priority_sheet(workbook.create_sheet(PRIORITY_SHEET), content, figures.priority)
    properties = workbook.properties
    properties.creator = "TĐKT Xã"
    properties.title = f"Báo cáo kết quả công tác thi đua, khen thưởng {content.period}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return fixed_zip(buffer.getvalue(), created_at)


def _summary(sheet: Worksheet, content: ReportContent, figures_sha256: str) -> None:
    sheet.title = SUMMARY_SHEET
    figures = content.figures
    _titles(sheet, content, "Tổng hợp", 2)
    rows: list[tuple[str, object]] = [
        ("Tổng số danh hiệu, hình thức khen thưởng đã trao (không tính đã thu hồi)", figures.total),
        *((figure.label, figure.count) for figure in figures.movements),
        ("Số sáng kiến được công nhận", figures.initiatives),
    ]
    _header(sheet, (("Nội dung", 70), ("Số lượng", 14)))
    row = HEADER_ROW
    for row, (label, value) in enumerate(rows, start=HEADER_ROW + 1):
        _cell(sheet, row, 1, label, _WRAP)
        _cell(sheet, row, 2, value, _CENTRE)
    row += 2
    for note in (*figures.notes, f"Mã kiểm tra số liệu (SHA-256): {figures_sha256}"):
        sheet.cell(row, 1, note).alignment = _WRAP
        row += 1
    print_as_table(sheet, HEADER_ROW)


def _count_sheet(sheet: Worksheet, content: ReportContent, title: str,
                 items: Sequence[Figure]) -> None:
    _titles(sheet, content, title, len(_COUNT_HEADERS))
    _header(sheet, _COUNT_HEADERS)
    row = HEADER_ROW + 1
    if not items:
        sheet.cell(row, 2, "Không có số liệu.")
    for serial, figure in enumerate(items, start=1):
        for column, value in enumerate((serial, figure.label, figure.count, figure.unknown or None), start=1):
            _cell(sheet, row, column, value, _WRAP if column == 2 else _CENTRE)
        row += 1
    if items:
        total = sum(figure.count for figure in items)  # a value, not a formula: readers see it uncalculated
        for column, value in enumerate((None, "Tổng cộng", total, None), start=1):
            _cell(sheet, row, column, value, _WRAP if column == 2 else _CENTRE).font = Font(bold=True)
    print_as_table(sheet, HEADER_ROW)


def _priority_sheet(sheet: Worksheet, content: ReportContent, items: Sequence[Figure]) -> None:
    _titles(sheet, content, "Các nhóm đối tượng ưu tiên theo Chỉ thị số 41-CT/TW", len(_PRIORITY_HEADERS))
    _header(sheet, _PRIORITY_HEADERS)
    row = HEADER_ROW + 1
    if not items:
        sheet.cell(row, 2, "Không có số liệu.")
    for serial, figure in enumerate(items, start=1):
        values = (serial, figure.label, figure.count, figure.denominator, figure.share,
                  figure.unknown or None)
        for column, value in enumerate(values, start=1):
            cell = _cell(sheet, row, column, value, _WRAP if column == 2 else _CENTRE)
            if column == 5:
                cell.number_format = PERCENT
                if value is None:
                    cell.value = "–"
        row += 1
    sheet.cell(row + 1, 2, "Tỷ lệ = số lượt khen thưởng của nhóm chia cho tổng số ở cột «Trên tổng "
               "số»; «–» khi không có tổng số để chia.").alignment = _WRAP
    print_as_table(sheet, HEADER_ROW)


def _titles(sheet: Worksheet, content: ReportContent, title: str, width: int) -> None:
    last = get_column_letter(width)
    lines = ((f"KẾT QUẢ CÔNG TÁC THI ĐUA, KHEN THƯỞNG {content.period.upper()}", 14, True),
             (f"Ủy ban nhân dân {content.page.commune} — {title}", 12, False))
    for row, (text, size, bold) in enumerate(lines, start=1):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = sheet.cell(row, 1, text)
        cell.font = Font(bold=bold, size=size)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 36


def _header(sheet: Worksheet, headers: Sequence[tuple[str, int]]) -> None:
    for column, (text, width) in enumerate(headers, start=1):
        cell = sheet.cell(HEADER_ROW, column, text)
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), _HEADER_FILL, _BORDER, _CENTRE
        sheet.column_dimensions[get_column_letter(column)].width = width


def _cell(sheet: Worksheet, row: int, column: int, value: object, alignment: Alignment):  # noqa: ANN202
    cell = sheet.cell(row, column, value)
    cell.border, cell.alignment = _BORDER, alignment
    return cell
