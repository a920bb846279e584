"""Blank templates and exports of the register, as .xlsx files with the same columns.

Written with an openpyxl write-only workbook through `app.safe_files.atomic_path`, so a
failed or cancelled export never leaves a half-written file under the chosen name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from app.excel_cells import cell_value
from app.excel_columns import CONTENT_VOCABULARIES, RECORD_TYPES, CellType, Column, SheetKind, sheet_kind
from app.excel_register import sheet_values
from app.safe_files import atomic_path, ensure_free_space
from app.services import Services

log = logging.getLogger(__name__)

Report = Callable[[int, int], None]
REPORT_EVERY = 500
DATE_FORMAT = "DD/MM/YYYY"
TEXT_FORMAT = "@"
LISTS_TITLE = "Danh mục"
HELP_TITLE = "Hướng dẫn"
LAST_ROW = 1_048_576
# A saved workbook takes about 5 bytes a cell (measured on 10,000 people); three times that,
# plus the hint and lists sheets, is the estimate the free-space check uses.
BYTES_PER_CELL = 16
FIXED_BYTES = 1024 * 1024
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
_REQUIRED_FONT = Font(bold=True, color="C00000")
_HEADER_FONT = Font(bold=True)


def write_template(path: Path, kind_code: str) -> Path:
    """A blank sheet of one kind, with the hint sheet and drop-down lists."""
    return write_sheet(path, sheet_kind(kind_code), ())


def export_register(services: Services, kind_code: str, path: Path,
                    report: Report | None = None) -> int:
    """Write the register's rows of one kind in the template's layout; returns the row count."""
    rows = sheet_values(services.sessions, kind_code)
    write_sheet(path, sheet_kind(kind_code), rows, report)
    log.info("exported %d %s to %s", len(rows), kind_code, path)
    return len(rows)


def write_sheet(path: Path, kind: SheetKind, rows: Sequence[Mapping[str, object]],
                report: Report | None = None) -> Path:
    """The data sheet (header, rows), the hint sheet and the lists sheet, written atomically."""
    path = Path(path)
    ensure_free_space(path.parent, _estimated_size(kind, len(rows)))
    workbook = Workbook(write_only=True)
    try:
        lists = _list_ranges(kind)
        _write_data(workbook, kind, rows, lists, report)
        _write_help(workbook, kind)
        _write_lists(workbook, kind)
        with atomic_path(path, opened_in="Excel") as partial:
            workbook.save(partial)
    except BaseException:
        # Finish the half-written sheets so their streams close now, not in the collector.
        for sheet in workbook.worksheets:
            if not sheet.closed:
                sheet.close()
        raise
    return path


def _estimated_size(kind: SheetKind, row_count: int) -> int:
    """Bytes the saved workbook may take, on the generous side, for the free-space check."""
    return FIXED_BYTES + BYTES_PER_CELL * len(kind.columns) * (row_count + 1)


def _write_data(workbook: Workbook, kind: SheetKind, rows: Sequence[Mapping[str, object]],
                lists: Mapping[str, str], report: Report | None) -> None:
    sheet = workbook.create_sheet(kind.label)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        if column.type is CellType.DATE:
            dimension.number_format = DATE_FORMAT
        elif column.type is CellType.CITIZEN_ID:
            dimension.number_format = TEXT_FORMAT
        if column.field in lists:
            validation = DataValidation(
                type="list", formula1=lists[column.field], allow_blank=True,
                showErrorMessage=True, errorStyle="warning",
                errorTitle="Giá trị không có trong danh sách",
                error=f"Cột «{column.header}»: hãy chọn một giá trị trong danh sách.",
            )
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.data_validations.append(validation)
    sheet.append([_header_cell(sheet, column) for column in kind.columns])
    total = len(rows)
    for done, values in enumerate(rows, start=1):
        sheet.append([_data_cell(sheet, column, values.get(column.field)) for column in kind.columns])
        if report is not None and done % REPORT_EVERY == 0:
            report(done, total)
    if report is not None:
        report(total, total)


def _header_cell(sheet: object, column: Column) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, column.header)
    cell.font = _REQUIRED_FONT if column.required else _HEADER_FONT
    cell.fill = _HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


def _data_cell(sheet: object, column: Column, value: object) -> object:
    written = cell_value(column, value)
    if isinstance(written, date):
        cell = WriteOnlyCell(sheet, written)
        cell.number_format = DATE_FORMAT
        return cell
    if written == "":
        return None
    return written


def _vocabularies(kind: SheetKind) -> list[tuple[str, str, Iterable[str]]]:
    """(field, title, labels) of every list the sheet offers, drop-down or reference."""
    found = [(c.field, c.header, list(c.vocabulary.values())) for c in kind.columns if c.vocabulary]
    if kind.subject_kind is None:
        found += [(f"content:{code}", f"Nội dung: {RECORD_TYPES[code].lower()}",
                   list(vocabulary.values())) for code, vocabulary in CONTENT_VOCABULARIES.items()]
    return found


def _list_ranges(kind: SheetKind) -> dict[str, str]:
    """Each coded column's drop-down source: its column on the lists sheet."""
    ranges = {}
    for index, (field, _title, labels) in enumerate(_vocabularies(kind), start=1):
        letter = get_column_letter(index)
        ranges[field] = f"{quote_sheetname(LISTS_TITLE)}!${letter}$2:${letter}${len(list(labels)) + 1}"
    return ranges


def _write_lists(workbook: Workbook, kind: SheetKind) -> None:
    sheet = workbook.create_sheet(LISTS_TITLE)
    vocabularies = _vocabularies(kind)
    for index in range(1, len(vocabularies) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 34
    columns = [list(labels) for _field, _title, labels in vocabularies]
    sheet.append([_bold(sheet, title) for _field, title, _labels in vocabularies])
    for position in range(max(map(len, columns), default=0)):
        sheet.append([labels[position] if position < len(labels) else None for labels in columns])


def _write_help(workbook: Workbook, kind: SheetKind) -> None:
    sheet = workbook.create_sheet(HELP_TITLE)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 90
    lines = [
        f"Mẫu nhập danh sách: {kind.label}",
        "",
        f"Ghi mỗi mục một dòng trên trang «{kind.label}», bắt đầu từ dòng 2; "
        "không đổi tên, không xóa dòng tiêu đề (dòng 1).",
        "Cột tiêu đề màu đỏ là cột bắt buộc. Các cột khác để trống nếu chưa có thông tin.",
        "Ngày ghi theo dạng dd/mm/yyyy (ví dụ 05/09/1985) hoặc dùng ô ngày của Excel.",
        "Cột có danh sách chọn: có thể gõ không dấu, không phân biệt chữ hoa chữ thường. "
        f"Các danh sách có ở trang «{LISTS_TITLE}».",
        "Không gộp ô (merge). Dòng trống được bỏ qua.",
        "Khi nhập, chương trình kiểm tra toàn bộ tệp trước; nếu có lỗi thì không ghi gì.",
    ]
    if kind.note:
        lines.append(kind.note)
    for line in lines:
        sheet.append([_bold(sheet, line) if line == lines[0] else line])
    sheet.append([])
    sheet.append([_bold(sheet, "Cột"), _bold(sheet, "Bắt buộc"), _bold(sheet, "Cách ghi")])
    for column in kind.columns:
        sheet.append([column.header, "Có" if column.required else "", column.hint])


def _bold(sheet: object, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, text)
    cell.font = _HEADER_FONT
    return cell
