"""The preview of a printed document: its pages, zoom, printing to a printer (a PDF printer
here), saving as PDF and Word, and what a viewer may do."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QPageRanges, QPageSize
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.documents.kinds import Kind, Owner
from app.documents.model import DocumentError
from app.roles import Role
from app.services import Services
from db.models import Decision, Nomination
from tests.app.pdf_reading import read_pdf
from tests.conftest import demo_clock
from ui import document_preview, pdf_printing
from ui.document_preview import PreviewDialog, file_name
from ui.pdf_printing import page_order, print_pdf

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def pool(qapp: object) -> Iterator[QThreadPool]:
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    yield pool
    pool.waitForDone()


def printable_nominations(services: Services, count: int) -> list[Owner]:
    """Nominations whose achievement report prints as prepared (some lack a signer's name)."""
    found: list[Owner] = []
    with services.sessions() as session:
        ids = session.scalars(select(Nomination.id).order_by(Nomination.id)).all()
    for nomination_id in ids:
        owner = Owner("nomination", nomination_id)
        try:
            services.printing.documents(Kind.REPORT, [owner])
        except DocumentError:
            continue
        found.append(owner)
        if len(found) == count:
            return found
    raise AssertionError(f"the demo has fewer than {count} printable reports")


def open_preview(qtbot: QtBot, services: Services, pool: QThreadPool, kind: Kind = Kind.REPORT,
                 owners: list[Owner] | None = None) -> PreviewDialog:
    owners = owners or printable_nominations(services, 1)
    dialog = PreviewDialog(services, kind, owners, services.printing.pdf(kind, owners), pool, pool,
                           "Báo cáo thành tích — thử")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)  # enough to count pages, quick to render
    return printer


def test_the_preview_shows_every_page_of_the_pdf(qtbot: QtBot, demo_services: Services, pool: QThreadPool) -> None:
    dialog = open_preview(qtbot, demo_services, pool)
    pages = len(read_pdf(dialog.data).pages)
    assert dialog.page_count() == pages >= 1
    assert dialog.page_label.text() == f"Trang 1/{pages}"
    assert dialog.view.pageMode() == QPdfView.PageMode.MultiPage
    assert dialog.windowTitle() == "Xem trước: Báo cáo thành tích — thử"


def test_zoom_in_and_out_then_fit_the_width_again(qtbot: QtBot, demo_services: Services, pool: QThreadPool) -> None:
    dialog = open_preview(qtbot, demo_services, pool)
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    dialog.zoom_in_button.click()
    larger = dialog.view.zoomFactor()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.Custom
    dialog.zoom_out_button.click()
    dialog.zoom_out_button.click()
    assert dialog.view.zoomFactor() < larger
    dialog.fit_button.click()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth


def test_printing_sends_every_page_to_the_printer(qtbot: QtBot, demo_services: Services, pool: QThreadPool,
                                                  tmp_path: Path) -> None:
    dialog = open_preview(qtbot, demo_services, pool)
    out = tmp_path / "printed.pdf"
    with qtbot.waitSignal(dialog.task_finished, timeout=30_000):
        dialog.print_to(pdf_printer(out))
    printed = read_pdf(out)
    assert len(printed.pages) == dialog.page_count()
    assert [(round(p.width_mm), round(p.height_mm)) for p in printed.pages][0] == (210, 297)
    assert f"Đã gửi {dialog.page_count()} trang tới máy in" in dialog.status.text()


def test_the_page_range_and_the_copies_chosen_are_honoured(qtbot: QtBot, demo_services: Services,
                                                           tmp_path: Path) -> None:
    owners = printable_nominations(demo_services, 2)
    data = demo_services.printing.pdf(Kind.REPORT, owners)
    count = len(read_pdf(data).pages)
    assert count >= 3
    printer = pdf_printer(tmp_path / "range.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    ranges = QPageRanges()
    ranges.addRange(2, 3)
    printer.setPageRanges(ranges)
    printer.setCopyCount(2)
    printer.setCollateCopies(True)
    assert page_order(printer, count) == [1, 2, 1, 2]
    steps: list[tuple[int, int]] = []
    assert print_pdf(data, printer, lambda done, total: steps.append((done, total))) == 4
    assert len(read_pdf(tmp_path / "range.pdf").pages) == 4
    assert steps[0] == (0, 4) and steps[-1] == (4, 4)
    printer.setCollateCopies(False)
    assert page_order(printer, count) == [1, 1, 2, 2]


def test_a_range_outside_the_document_is_refused(demo_services: Services, tmp_path: Path) -> None:
    printer = pdf_printer(tmp_path / "none.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    ranges = QPageRanges()
    ranges.addRange(40, 41)
    printer.setPageRanges(ranges)
    with pytest.raises(DocumentError, match="không có trang nào"):
        page_order(printer, 3)


def test_without_a_printer_installed_the_officer_is_told(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(pdf_printing.QPrinterInfo, "availablePrinters", staticmethod(lambda: []))
    monkeypatch.setattr(pdf_printing, "show_error", lambda _parent, title, text: shown.append((title, text)))
    assert pdf_printing.choose_printer(None, "Biên bản") is None
    assert shown == [(pdf_printing.NO_PRINTER_TITLE, pdf_printing.NO_PRINTER)]
    assert "chưa cài máy in" in shown[0][1] and "«Lưu PDF…»" in shown[0][1]


def test_save_pdf_writes_the_file_chosen(qtbot: QtBot, demo_services: Services, pool: QThreadPool,
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_preview(qtbot, demo_services, pool)
    asked: list[str] = []

    def choose(_parent: object, caption: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(tmp_path / "bao-cao"), ""  # typed without the suffix

    monkeypatch.setattr(document_preview.QFileDialog, "getSaveFileName", staticmethod(choose))
    with qtbot.waitSignal(dialog.task_finished, timeout=30_000):
        dialog.save_pdf_button.click()
    saved = tmp_path / "bao-cao.pdf"
    assert read_pdf(saved).text == read_pdf(dialog.data).text
    assert asked[0].endswith("Báo cáo thành tích — thử.pdf")
    assert str(saved) in dialog.status.text()
    assert not list(tmp_path.glob("*.part"))


def test_a_file_that_cannot_be_written_is_said_in_vietnamese(qtbot: QtBot, demo_services: Services,
                                                             pool: QThreadPool, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_preview(qtbot, demo_services, pool)
    shown: list[str] = []
    monkeypatch.setattr(document_preview, "show_error", lambda _parent, _title, text: shown.append(text))
    with qtbot.waitSignal(dialog.task_finished, timeout=30_000):
        dialog.save_pdf(tmp_path / "no-such-folder" / "x.pdf")
    assert len(shown) == 1 and shown[0].startswith("Không ghi được tệp x.pdf")
    assert dialog.save_pdf_button.isEnabled()


def test_word_is_offered_for_reports_and_proposals_only(qtbot: QtBot, demo_services: Services,
                                                        pool: QThreadPool) -> None:
    report = open_preview(qtbot, demo_services, pool)
    assert report.save_word_button.isVisibleTo(report) and report.save_word_button.isEnabled()
    with demo_services.sessions() as session:
        decision_id = session.scalars(select(Decision.id).order_by(Decision.id)).first()
    summary = open_preview(qtbot, demo_services, pool, Kind.SUMMARY, [Owner("decision", decision_id)])
    assert not summary.save_word_button.isVisibleTo(summary)


def test_save_word_writes_a_docx(qtbot: QtBot, demo_services: Services, pool: QThreadPool, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_preview(qtbot, demo_services, pool)
    monkeypatch.setattr(document_preview.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_args: (str(tmp_path / "bao-cao.docx"), "")))
    with qtbot.waitSignal(dialog.task_finished, timeout=30_000):
        dialog.save_word_button.click()
    assert (tmp_path / "bao-cao.docx").read_bytes()[:2] == b"PK"
    assert "Đã lưu bản Word" in dialog.status.text()


def test_a_batch_is_printed_and_saved_but_edited_one_by_one(qtbot: QtBot, demo_services: Services,
                                                            pool: QThreadPool) -> None:
    dialog = open_preview(qtbot, demo_services, pool, owners=printable_nominations(demo_services, 2))
    assert dialog.print_button.isEnabled() and dialog.save_pdf_button.isEnabled()
    assert not dialog.edit_button.isEnabled() and not dialog.save_word_button.isEnabled()
    assert "từng hồ sơ" in dialog.edit_button.toolTip()


def test_a_viewer_may_print_but_not_edit(qtbot: QtBot, demo_services: Services, pool: QThreadPool) -> None:
    viewer = Services.create(demo_services.sessions, replace(demo_services.actor, role=Role.VIEWER), demo_clock)
    dialog = open_preview(qtbot, viewer, pool)
    assert dialog.print_button.isEnabled() and dialog.save_pdf_button.isEnabled()
    assert not dialog.edit_button.isEnabled()
    assert "chỉ được xem và in" in dialog.edit_button.toolTip()


def test_file_names_drop_the_characters_windows_refuses() -> None:
    assert file_name("Quyết định số 05/QĐ-UBND", ".pdf") == "Quyết định số 05 QĐ-UBND.pdf"
    assert file_name(' :*? ', ".docx") == "van-ban.docx"


@pytest.mark.parametrize("accepted", [True, False])
def test_the_print_dialog_chooses_the_printer_or_cancels(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
                                                         accepted: bool) -> None:
    monkeypatch.setattr(pdf_printing.QPrinterInfo, "availablePrinters", staticmethod(lambda: ["máy in"]))
    seen: list[QPrintDialog] = []

    def run(dialog: QPrintDialog) -> int:
        seen.append(dialog)
        return (QDialog.DialogCode.Accepted if accepted else QDialog.DialogCode.Rejected).value

    monkeypatch.setattr(pdf_printing.QPrintDialog, "exec", run)
    printer = pdf_printing.choose_printer(None, "Biên bản", pages=3)
    assert seen[0].windowTitle() == "In: Biên bản"
    assert seen[0].minPage() == 1 and seen[0].maxPage() == 3
    if sys.platform.startswith("linux"):  # Qt's own dialog; Windows shows its native one
        texts = [button.text() for box in seen[0].findChildren(QDialogButtonBox) for button in box.buttons()]
        assert "In" in texts and "Hủy" in texts
    if accepted:
        assert printer is not None and printer.docName() == "Biên bản"
        assert printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.A4
    else:
        assert printer is None
