"""The printers the certificate dialog offers and the jobs it runs in the background.

A print job first enters the certificates in the book through the certificate service (which
returns the PDF with their numbers), then sends that PDF to the printer. Once the book is
written the job no longer fails as a whole: a printer that fails or is stopped is reported in
the `Printed` outcome, because the certificates keep their numbers and printing them again is
a reprint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QFileDialog, QWidget

from app.certificates import CertificateRow, CertificateService
from ui.certificate_tables import book_text
from ui.pdf_printing import print_pdf

Report = Callable[[int, int], None]
PDF_FILTER = "Tệp PDF (*.pdf)"


def installed_printers() -> tuple[list[str], str]:
    """The printers installed on this computer and the default one ("" if none)."""
    return [info.printerName() for info in QPrinterInfo.availablePrinters()], QPrinterInfo.defaultPrinterName()


def open_printer(name: str, title: str) -> QPrinter:
    """A QPrinter on the installed printer `name`, set up for the certificates' sheets."""
    return set_up_sheet(QPrinter(QPrinterInfo.printerInfo(name), QPrinter.PrinterMode.HighResolution), title)


def set_up_sheet(printer: QPrinter, title: str) -> QPrinter:
    """A4 landscape, as every Giấy khen and the calibration page are laid out, so a blank goes
    into the tray the same way for the calibration page and for the certificates."""
    printer.setDocName(title)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    return printer


def ask_pdf_path(parent: QWidget, caption: str, suggested: str) -> Path | None:
    """The PDF file to write, ending in .pdf; None when the officer cancels."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    start = str(Path(folder) / suggested) if folder else suggested
    chosen, _filter = QFileDialog.getSaveFileName(parent, caption, start, PDF_FILTER)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def reprint_question(printed: Sequence[CertificateRow]) -> str:
    """What the officer is asked before printing again the certificates `printed` before."""
    names = "; ".join(f"{row.subject_name} (số vào sổ {book_text(row.book_year, row.book_number)}, "
                      f"đã in {row.prints} lần)" for row in printed[:5])
    more = f"; và {len(printed) - 5} Giấy khen khác" if len(printed) > 5 else ""
    return (f"Giấy khen sau đã in trước đây: {names}{more}. In lại vẫn giữ số vào sổ cũ và được ghi vào "
            "sổ Giấy khen cùng lý do (ví dụ: in hỏng, làm mất, sai thông tin).")


@dataclass(frozen=True)
class Printed:
    """What a print job did: certificates entered and logged, pages sent, and the printer's
    error when it failed after the book was written."""

    count: int
    pages: int
    error: Exception | None = None


@dataclass(frozen=True)
class PrintJob:
    """The certificates to print and how; `run` is the background work (it touches no widget)."""

    certificates: CertificateService
    decision_id: int
    item_ids: Sequence[int]
    mode: str
    printer_name: str
    reason: str
    blank_type: str

    def run(self, printer: QPrinter, report: Report) -> Printed:
        data = self.certificates.record_print(self.decision_id, self.item_ids, self.mode, self.printer_name,
                                              self.reason, self.blank_type, _half(report, False))
        try:
            pages = print_pdf(data, printer, _half(report, True))
        except Exception as error:  # the book is written: the outcome says what the printer did
            return Printed(len(self.item_ids), 0, error)
        return Printed(len(self.item_ids), pages)


def _half(report: Report, second: bool) -> Report:
    """Progress of one half of a job on a 0–100 bar (the book, then the printer)."""
    return lambda done, total: report((50 if second else 0) + 50 * done // max(total, 1), 100)
