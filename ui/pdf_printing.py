"""Sending a PDF made by the app to a printer, and choosing the printer.

The pages are drawn by QtPdf (the same engine the preview shows), each rendered as an image
at the printer's resolution and painted on the sheet at its true size, so NĐ30's margins
come out on paper as they were laid out. A page is rendered in horizontal bands: one A4 page
at 1200 dpi is half a gigabyte as a single image. A landscape page (a wide attached list)
goes onto portrait paper turned a quarter, as PDF viewers print it.

`print_pdf` touches no widget and may run in a background Task; `choose_printer` runs on the
UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QRectF, QSize
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from app.documents.model import DocumentError
from ui.dialogs import BUTTON_TEXTS, show_error

log = logging.getLogger(__name__)

Report = Callable[[int, int], None]

MAX_DPI = 600  # finer gains nothing for text and costs time and memory
BAND_ROWS = 512  # rows of pixels rendered at once
POINTS_PER_INCH = 72

NO_PRINTER_TITLE = "Chưa có máy in"
NO_PRINTER = ("Máy tính này chưa cài máy in nào, nên chưa in được. Hãy cài máy in trong Windows "
              "(Cài đặt ▸ Thiết bị ▸ Máy in và máy quét) rồi bấm «In…» lại; hoặc bấm «Lưu PDF…» "
              "để lưu văn bản ra tệp và in từ máy khác.")
PRINT_BUTTON = "In"


def choose_printer(parent: QWidget | None, title: str, pages: int = 0) -> QPrinter | None:
    """Ask which printer, which pages and how many copies; None when the officer cancels or
    when no printer is installed (said in a message)."""
    if not QPrinterInfo.availablePrinters():
        show_error(parent, NO_PRINTER_TITLE, NO_PRINTER)
        return None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"In: {title}")
    option = QAbstractPrintDialog.PrintDialogOption
    dialog.setOption(option.PrintSelection, False)
    dialog.setOption(option.PrintCurrentPage, False)
    dialog.setOption(option.PrintPageRange, True)
    dialog.setOption(option.PrintCollateCopies, True)
    if pages:
        dialog.setMinMax(1, pages)
    _vietnamese_buttons(dialog)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def _vietnamese_buttons(dialog: QPrintDialog) -> None:
    """Qt's own print dialog (not the Windows one) reads in English: name its buttons."""
    for box in dialog.findChildren(QDialogButtonBox):
        for standard, text in BUTTON_TEXTS.items():
            button = box.button(standard)
            if button is not None:
                button.setText(PRINT_BUTTON if standard == QDialogButtonBox.StandardButton.Ok else text)


def print_pdf(data: bytes, printer: QPrinter, report: Report | None = None) -> int:
    """Print the PDF's pages the printer was set up for (range, copies, collation); returns
    the number of pages sent. `report(done, total)` may raise to stop: the job is aborted."""
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        raise DocumentError("Không đọc được văn bản để in: tệp PDF không hợp lệ.")
    order = page_order(printer, document.pageCount())
    printer.setFullPage(True)  # the PDF carries its own margins
    painter = QPainter()
    if not painter.begin(printer):
        raise DocumentError(f"Không mở được máy in «{printer.printerName() or printer.outputFileName()}». "
                            "Hãy kiểm tra máy in đã bật, có giấy và đang nối với máy tính, rồi in lại.")
    try:
        for done, page in enumerate(order):
            if report:
                report(done, len(order))
            if done and not printer.newPage():
                raise DocumentError("Máy in dừng giữa chừng. Hãy kiểm tra máy in rồi in lại.")
            _draw_page(painter, printer, document, page)
        if report:
            report(len(order), len(order))
    except BaseException:
        printer.abort()
        raise
    finally:
        painter.end()
    return len(order)


def page_order(printer: QPrinter, count: int) -> list[int]:
    """The 0-based pages to send, in order, with the copies the print system does not make."""
    ranges = printer.pageRanges()
    if printer.printRange() == QPrinter.PrintRange.PageRange and not ranges.isEmpty():
        pages = [page for page in range(count) if ranges.contains(page + 1)]
    else:
        pages = list(range(count))
    if not pages:
        raise DocumentError(f"Trong các trang đã chọn không có trang nào của văn bản (văn bản có {count} trang).")
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    if printer.collateCopies():
        return [page for _copy in range(copies) for page in pages]
    return [page for page in pages for _copy in range(copies)]


def _draw_page(painter: QPainter, printer: QPrinter, document: QPdfDocument, page: int) -> None:
    """One PDF page at its true size (shrunk only if the paper is smaller), centred."""
    points = document.pagePointSize(page)
    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
    resolution = printer.resolution()
    turn = (points.width() > points.height()) != (paper.width() > paper.height())
    width, height = points.width() * resolution / POINTS_PER_INCH, points.height() * resolution / POINTS_PER_INCH
    across, down = (height, width) if turn else (width, height)
    scale = min(1.0, paper.width() / across, paper.height() / down)
    dpi = min(resolution * scale, MAX_DPI)
    pixels = QSize(round(points.width() * dpi / POINTS_PER_INCH), round(points.height() * dpi / POINTS_PER_INCH))
    to_device = resolution * scale / dpi  # device pixels per rendered pixel
    painter.save()
    painter.translate((paper.width() - across * scale) / 2, (paper.height() - down * scale) / 2)
    if turn:
        painter.translate(across * scale, 0)
        painter.rotate(90)
    options = QPdfDocumentRenderOptions()
    options.setScaledSize(pixels)
    for top in range(0, pixels.height(), BAND_ROWS):
        rows = min(BAND_ROWS, pixels.height() - top)
        options.setScaledClipRect(QRect(0, top, pixels.width(), rows))
        band = document.render(page, QSize(pixels.width(), rows), options)
        painter.drawImage(QRectF(0, top * to_device, pixels.width() * to_device, rows * to_device), band)
    painter.restore()
