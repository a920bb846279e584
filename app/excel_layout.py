"""How the workbooks the app writes for people print: one place for the page setup."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet


def print_as_table(sheet: Worksheet, header_row: int, landscape: bool = False) -> None:
    """Freeze and repeat the header row, and print on A4 as wide as the page, centred."""
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
