"""Printing Giấy khen from the dialog: book numbers given at the first print, a reprint only with
a reason, offsets per printer and blank type, the calibration page, read-only for viewers, the
certificate book, revoked awards left out; "printing" goes to a PDF file read back here."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool, Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app import certificates as certificate_module
from app.documents.certificate_layouts import BLANK_LAYOUTS
from app.errors import DomainError
from app.roles import Role
from app.services import Services
from tests.app.pdf_reading import read_pdf
from tests.conftest import demo_clock
from ui import certificate_dialog
from ui.certificate_dialog import CertificateDialog
from ui.certificate_printing import set_up_sheet
from ui.certificate_tables import CertificateColumn, CertificateTableModel, LogColumn, PrintLogTableModel

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

HP, CANON = "HP LaserJet P1102", "Canon LBP2900"
DECISION = 3  # the small demo's 03/QĐ-UBND of 17/12/2025: six Giấy khen
BOOK_YEAR = 2025


@pytest.fixture
def officer(demo_services: Services) -> Services:
    return demo_services


@pytest.fixture
def viewer(demo_services: Services) -> Services:
    return Services.create(demo_services.sessions, replace(demo_services.actor, role=Role.VIEWER), demo_clock)


@dataclass
class Printers:
    """Two printers installed, HP the default; each job goes to its own PDF file."""

    folder: Path
    jobs: list[tuple[str, Path]]
    fail: bool = False

    def open(self, name: str, title: str) -> QPrinter:
        printer = set_up_sheet(QPrinter(QPrinter.PrinterMode.ScreenResolution), title)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        folder = self.folder / "missing" if self.fail else self.folder
        path = folder / f"job-{len(self.jobs)}.pdf"
        printer.setOutputFileName(str(path))
        self.jobs.append((name, path))
        return printer


@pytest.fixture
def printers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Printers:
    installed = Printers(tmp_path, [])
    monkeypatch.setattr(certificate_dialog, "installed_printers", lambda: ([CANON, HP], HP))
    monkeypatch.setattr(certificate_dialog, "open_printer", installed.open)
    return installed


def open_dialog(qtbot: QtBot, services: Services, pool: QThreadPool, decision_id: int = DECISION) -> CertificateDialog:
    dialog = CertificateDialog(services, pool, decision_id)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_offsets(qtbot, dialog)
    return dialog


def wait_for_offsets(qtbot: QtBot, dialog: CertificateDialog) -> None:
    """The printer's shift is read and saved in the background."""
    qtbot.waitUntil(lambda: not dialog.offsets.busy, timeout=30_000)


def click_and_wait(qtbot: QtBot, dialog: CertificateDialog, button: QPushButton) -> None:
    """Click, then wait for every step the click starts in the background (the reprint check,
    the shift saved, the job) to end."""
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy() and not dialog.offsets.busy, timeout=60_000)


def when_asked(answer: Callable[[], None]) -> None:
    """Call `answer` once a modal question is on screen."""
    def poll() -> None:
        if QApplication.activeModalWidget() is None:
            QTimer.singleShot(20, poll)
        else:
            answer()
    QTimer.singleShot(0, poll)


def choose(dialog: CertificateDialog, *names: str) -> None:
    dialog.certificates.choose_all(False)
    model = dialog.certificates
    for position, row in enumerate(model.rows()):
        if row.subject_name in names:
            assert model.setData(model.index(position, CertificateColumn.SUBJECT), Qt.CheckState.Checked.value,
                                 Qt.ItemDataRole.CheckStateRole)


def text(dialog: CertificateDialog, row: int, column: CertificateColumn) -> str:
    return dialog.certificates.index(row, column).data()


def test_printing_enters_the_certificates_in_the_book(qtbot: QtBot, officer: Services, printers: Printers,
                                                      write_pool: QThreadPool) -> None:
    dialog = open_dialog(qtbot, officer, write_pool)
    assert dialog.settings.printer.currentText() == HP  # the default printer
    assert dialog.certificates.rowCount() == 6
    assert len(dialog.certificates.chosen()) == 6  # none printed yet: all ticked
    assert {text(dialog, row, CertificateColumn.BOOK) for row in range(6)} == {"chưa vào sổ"}
    click_and_wait(qtbot, dialog, dialog.print_button)
    assert "Đã vào sổ và gửi 6 Giấy khen (6 trang) tới máy in «HP LaserJet P1102»" in dialog.status.text()
    assert [text(dialog, row, CertificateColumn.BOOK) for row in range(6)] == [f"{n}/2025" for n in range(1, 7)]
    assert [text(dialog, row, CertificateColumn.PRINTS) for row in range(6)] == ["1"] * 6
    (name, path), = printers.jobs
    printed = read_pdf(path)
    assert name == HP and len(printed.pages) == 6
    assert (round(printed.pages[0].width_mm), round(printed.pages[0].height_mm)) == (297, 210)
    log = officer.certificates.log(BOOK_YEAR)
    assert [(row.book_number, row.mode, row.printer, row.reason) for row in log] == \
        [(n, "full", HP, "") for n in range(1, 7)]
    assert "6 Giấy khen đã chọn từng in" in dialog.count.text()


def test_a_reprint_needs_a_reason_and_logs_it(qtbot: QtBot, officer: Services, printers: Printers,
                                              write_pool: QThreadPool, monkeypatch: pytest.MonkeyPatch) -> None:
    certificates = officer.certificates
    rows = certificates.rows(DECISION)
    certificates.record_print(DECISION, [rows[0].item_id], "full", HP)
    dialog = open_dialog(qtbot, officer, write_pool)
    assert rows[0].item_id not in dialog.certificates.chosen()  # printed already: not ticked
    choose(dialog, rows[0].subject_name)

    answers = iter([None, "   "])
    monkeypatch.setattr(certificate_dialog, "ask_reason", lambda *_args: next(answers))
    click_and_wait(qtbot, dialog, dialog.print_button)  # cancelled
    assert not dialog.status.text()
    click_and_wait(qtbot, dialog, dialog.print_button)  # blank reason
    assert dialog.status.text() == "Chưa in: in lại Giấy khen phải ghi lý do."
    assert len(certificates.log(BOOK_YEAR)) == 1 and len(printers.jobs) == 0

    # The real question: «In lại» stays disabled until a reason is typed.
    monkeypatch.undo()
    monkeypatch.setattr(certificate_dialog, "installed_printers", lambda: ([CANON, HP], HP))
    monkeypatch.setattr(certificate_dialog, "open_printer", printers.open)
    seen: list[bool] = []

    def answer() -> None:
        question = QApplication.activeModalWidget()
        assert question is not None and "đã in trước đây" in question.findChildren(type(dialog.status))[0].text()
        reprint = next(b for b in question.findChildren(QPushButton) if b.text() == "In lại")
        reason = question.findChild(QLineEdit)
        reason.setText("  ")
        seen.append(reprint.isEnabled())
        reason.setText("In hỏng, kẹt giấy")
        seen.append(reprint.isEnabled())
        reprint.click()

    when_asked(answer)  # the question comes once the book has been read in the background
    click_and_wait(qtbot, dialog, dialog.print_button)
    assert seen == [False, True]
    log = certificates.log(BOOK_YEAR)
    assert [(row.book_number, row.reason) for row in log] == [(1, ""), (1, "In hỏng, kẹt giấy")]
    assert text(dialog, 0, CertificateColumn.PRINTS) == "2"


def test_saving_a_pdf_counts_as_a_print_to_a_file(qtbot: QtBot, officer: Services, printers: Printers,
                                                  write_pool: QThreadPool, monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    target = tmp_path / "giay-khen.pdf"
    monkeypatch.setattr(certificate_dialog, "ask_pdf_path", lambda *_args: target)
    dialog = open_dialog(qtbot, officer, write_pool)
    first = dialog.certificates.row(0)
    choose(dialog, first.subject_name)
    click_and_wait(qtbot, dialog, dialog.save_button)
    assert f"Đã vào sổ và lưu 1 Giấy khen vào tệp {target}" in dialog.status.text()
    page = read_pdf(target).pages[0]
    assert page.line("GIẤY KHEN") and page.line("Số vào sổ: 1")
    row, = officer.certificates.log(BOOK_YEAR)
    assert (row.subject_name, row.printer, row.mode) == (first.subject_name, "", "full")

    monkeypatch.setattr(certificate_dialog, "ask_reason", lambda *_args: "Bản lưu cho hồ sơ")
    click_and_wait(qtbot, dialog, dialog.save_button)  # saved again: a reprint with its reason
    assert [row.reason for row in officer.certificates.log(BOOK_YEAR)] == ["", "Bản lưu cho hồ sơ"]


def test_offsets_are_kept_per_printer_and_blank_type(qtbot: QtBot, officer: Services, printers: Printers,
                                                     write_pool: QThreadPool, monkeypatch: pytest.MonkeyPatch) -> None:
    portrait = replace(BLANK_LAYOUTS["gk-a4-ngang"], code="gk-a4-doc", label="Phôi thử A4 dọc")
    monkeypatch.setitem(BLANK_LAYOUTS, "gk-a4-doc", portrait)
    monkeypatch.setitem(certificate_module.BLANK_TYPES, "gk-a4-doc", portrait.label)
    dialog = open_dialog(qtbot, officer, write_pool)
    offsets = dialog.offsets
    assert not offsets.isVisible() and not dialog.settings.blank_type.isEnabled()
    dialog.settings.blank_mode.setChecked(True)
    assert offsets.isVisible() and dialog.settings.blank_type.isEnabled()
    assert offsets.values() == (0.0, 0.0)
    offsets.x_mm.setValue(1.5)
    offsets.y_mm.setValue(-2.0)
    assert "chưa lưu" in offsets.state.text()
    click_and_wait(qtbot, dialog, offsets.save_button)
    assert offsets.state.text() == "Đã lưu cho máy in và loại phôi này."

    dialog.settings.printer.setCurrentText(CANON)
    wait_for_offsets(qtbot, dialog)
    assert offsets.values() == (0.0, 0.0)
    offsets.x_mm.setValue(-0.5)
    click_and_wait(qtbot, dialog, offsets.save_button)
    dialog.settings.blank_type.setCurrentIndex(dialog.settings.blank_type.findData("gk-a4-doc"))
    wait_for_offsets(qtbot, dialog)
    assert offsets.values() == (0.0, 0.0)
    dialog.settings.blank_type.setCurrentIndex(dialog.settings.blank_type.findData("gk-a4-ngang"))
    wait_for_offsets(qtbot, dialog)
    assert offsets.values() == (-0.5, 0.0)
    dialog.settings.printer.setCurrentText(HP)
    wait_for_offsets(qtbot, dialog)
    assert offsets.values() == (1.5, -2.0)
    assert officer.certificates.offsets(HP, "gk-a4-ngang") == (1.5, -2.0)
    assert officer.certificates.offsets(HP, "gk-a4-doc") == (0.0, 0.0)

    # Measured on the calibration page: the cross 31.5 mm from the left, 28 mm from the top.
    offsets.measured_x.setValue(31.5)
    offsets.measured_y.setValue(28.0)
    qtbot.mouseClick(offsets.compute_button, Qt.MouseButton.LeftButton)
    assert offsets.values() == (0.0, 0.0)

    # Offsets typed but not saved are saved before printing on blanks.
    offsets.x_mm.setValue(2.0)
    click_and_wait(qtbot, dialog, dialog.print_button)
    assert officer.certificates.offsets(HP, "gk-a4-ngang") == (2.0, 0.0)
    assert {row.mode for row in officer.certificates.log(BOOK_YEAR)} == {"blank"}


def test_the_calibration_page_goes_to_the_chosen_printer(qtbot: QtBot, officer: Services, printers: Printers,
                                                         write_pool: QThreadPool) -> None:
    dialog = open_dialog(qtbot, officer, write_pool)
    dialog.settings.blank_mode.setChecked(True)
    dialog.settings.printer.setCurrentText(CANON)
    wait_for_offsets(qtbot, dialog)
    click_and_wait(qtbot, dialog, dialog.offsets.calibrate_button)
    (name, path), = printers.jobs
    assert name == CANON and len(read_pdf(path).pages) == 1
    assert "Đã gửi trang căn chỉnh tới máy in «Canon LBP2900»" in dialog.status.text()
    assert officer.certificates.log(BOOK_YEAR) == []  # nothing entered in the book


@pytest.mark.qt_log_ignore("This plugin does not support", "QPainter::begin")
def test_a_printer_failure_says_the_book_was_written(qtbot: QtBot, officer: Services, printers: Printers,
                                                     write_pool: QThreadPool) -> None:
    printers.fail = True  # the output folder does not exist: the printer does not open
    dialog = open_dialog(qtbot, officer, write_pool)
    choose(dialog, dialog.certificates.row(0).subject_name)
    click_and_wait(qtbot, dialog, dialog.print_button)
    assert dialog.status.text().startswith("Không in được: Không mở được máy in")
    assert "1 Giấy khen đã vào sổ và được ghi là đã in" in dialog.status.text()
    assert text(dialog, 0, CertificateColumn.BOOK) == "1/2025"


def test_without_printers_only_saving_a_pdf_is_offered(qtbot: QtBot, officer: Services, write_pool: QThreadPool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(certificate_dialog, "installed_printers", lambda: ([], ""))
    dialog = open_dialog(qtbot, officer, write_pool)
    assert dialog.settings.no_printer.isVisible() and "chưa cài máy in" in dialog.settings.no_printer.text()
    assert not dialog.print_button.isEnabled()
    assert dialog.save_button.isEnabled() and dialog.preview_button.isEnabled()
    dialog.settings.blank_mode.setChecked(True)
    assert not dialog.offsets.calibrate_button.isEnabled() and not dialog.offsets.save_button.isEnabled()


def test_a_viewer_may_preview_but_not_print(qtbot: QtBot, viewer: Services, printers: Printers,
                                            write_pool: QThreadPool) -> None:
    dialog = open_dialog(qtbot, viewer, write_pool)
    dialog.settings.blank_mode.setChecked(True)
    assert not any(button.isEnabled() for button in (
        dialog.print_button, dialog.save_button, dialog.wording_button, dialog.offsets.save_button,
        dialog.offsets.calibrate_button))
    assert not dialog.offsets.x_mm.isEnabled()
    click_and_wait(qtbot, dialog, dialog.preview_button)
    preview = dialog.preview_dialog
    assert preview is not None and preview.isVisible() and preview.page_count() == 6
    assert not preview.print_button.isVisible() and not preview.save_pdf_button.isVisible()
    assert viewer.certificates.log(BOOK_YEAR) == []


def test_a_revoked_award_cannot_be_chosen(qtbot: QtBot, officer: Services, printers: Printers,
                                          write_pool: QThreadPool) -> None:
    revoked = officer.certificates.rows(DECISION)[1]
    officer.decisions.revoke_item(revoked.item_id, "Kê khai không đúng", date(2026, 1, 5))
    dialog = open_dialog(qtbot, officer, write_pool)
    model = dialog.certificates
    assert model.flags(model.index(1, CertificateColumn.SUBJECT)) == Qt.ItemFlag.NoItemFlags
    assert text(dialog, 1, CertificateColumn.SUBJECT).endswith("(đã thu hồi)")
    assert revoked.item_id not in model.chosen()
    assert not model.setData(model.index(1, CertificateColumn.SUBJECT), Qt.CheckState.Checked.value,
                             Qt.ItemDataRole.CheckStateRole)
    qtbot.mouseClick(dialog.choose_none_button, Qt.MouseButton.LeftButton)
    assert model.chosen() == [] and not dialog.print_button.isEnabled()
    qtbot.mouseClick(dialog.choose_all_button, Qt.MouseButton.LeftButton)
    assert len(model.chosen()) == 5 and revoked.item_id not in model.chosen()
    assert "Đã chọn 5/5 Giấy khen" in dialog.count.text()


def test_the_certificate_book_lists_every_printing(qtbot: QtBot, officer: Services, printers: Printers,
                                                   write_pool: QThreadPool) -> None:
    certificates = officer.certificates
    rows = certificates.rows(DECISION)
    certificates.record_print(DECISION, [r.item_id for r in rows[:2]], "full", HP)
    certificates.record_print(DECISION, [rows[1].item_id], "blank", CANON, reason="Làm mất")
    dialog = open_dialog(qtbot, officer, write_pool)
    qtbot.mouseClick(dialog.log_button, Qt.MouseButton.LeftButton)
    book = dialog.log_dialog
    assert book is not None and book.isVisible() and book.year.value() == BOOK_YEAR
    assert book.log.rowCount() == 3
    assert "2 Giấy khen đã vào sổ (số 1 đến 2), 3 lần in, trong đó 1 lần in lại" in book.summary.text()
    last = [book.log.index(2, column).data() for column in LogColumn]
    assert last == ["2", "2025", rows[1].subject_name, "Giấy khen của Chủ tịch UBND xã", "03/QĐ-UBND",
                    "Phôi in sẵn", CANON, "Làm mất", "20/11/2026 10:00", "Nguyễn Thị Cán"]
    book.table.sortByColumn(LogColumn.BOOK, Qt.SortOrder.DescendingOrder)
    assert book.table.model().index(0, LogColumn.BOOK).data() == "2"
    book.year.setValue(2024)
    assert book.log.rowCount() == 0 and "Năm 2024 chưa có Giấy khen nào" in book.summary.text()


def test_models_pass_the_model_tester(qtmodeltester: ModelTester, officer: Services) -> None:
    certificates = officer.certificates
    rows = certificates.rows(DECISION)
    certificates.record_print(DECISION, [rows[0].item_id], "full", HP)
    table = CertificateTableModel()
    table.set_rows(certificates.rows(DECISION))
    qtmodeltester.check(table)
    log = PrintLogTableModel()
    log.set_rows(certificates.log(BOOK_YEAR))
    qtmodeltester.check(log)


def test_the_wording_is_edited_for_the_decision(qtbot: QtBot, officer: Services, printers: Printers,
                                                write_pool: QThreadPool) -> None:
    dialog = open_dialog(qtbot, officer, write_pool)
    click_and_wait(qtbot, dialog, dialog.wording_button)  # the wording is read in the background
    wording = dialog.text_dialog
    assert wording is not None and wording.isVisible()
    assert wording.editor("signer_name").text() == "Đào Quang Hòa"
    wording.editor("signer_name").set_text("Nguyễn Văn Ký")
    with qtbot.waitSignal(wording.saved, timeout=60_000):
        wording.save()
    assert {f.field.key: f.value for f in officer.certificates.fields(DECISION)}["signer_name"] == "Nguyễn Văn Ký"
    qtbot.waitUntil(lambda: not wording.isVisible())

    # A wording that would stop the certificates printing is said in the editor, kept as typed.
    click_and_wait(qtbot, dialog, dialog.wording_button)  # the wording is read in the background
    wording = dialog.text_dialog
    wording.editor("day").set_text("31/02/2025")
    with qtbot.waitSignal(wording.task_finished, timeout=60_000):
        wording.save()
    assert wording.isVisible() and "Đã lưu, nhưng văn bản chưa in được" in wording.message.text()


def test_the_book_and_the_shift_are_read_and_saved_off_the_ui_thread(
        qtbot: QtBot, officer: Services, printers: Printers, write_pool: QThreadPool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    certificates = officer.certificates
    threads: dict[str, threading.Thread] = {}
    release = threading.Event()

    def spy(name: str, method: Callable[..., object], wait: bool = False) -> Callable[..., object]:
        def call(*args: object) -> object:
            threads[name] = threading.current_thread()
            if wait:
                assert release.wait(10)
            return method(*args)
        return call

    monkeypatch.setattr(certificates, "offsets", spy("offsets", certificates.offsets))
    monkeypatch.setattr(certificates, "save_offsets", spy("save_offsets", certificates.save_offsets, wait=True))
    monkeypatch.setattr(certificates, "needs_reason", spy("needs_reason", certificates.needs_reason))
    monkeypatch.setattr(certificates, "fields", spy("fields", certificates.fields))
    dialog = open_dialog(qtbot, officer, write_pool)
    dialog.settings.blank_mode.setChecked(True)
    offsets = dialog.offsets
    offsets.x_mm.setValue(1.5)
    qtbot.mouseClick(offsets.save_button, Qt.MouseButton.LeftButton)
    # While the shift is being saved nothing that depends on it can start; the typing stays.
    assert offsets.busy and offsets.state.text() == "Đang lưu độ lệch…"
    assert not any(button.isEnabled() for button in (
        offsets.save_button, offsets.calibrate_button, offsets.x_mm, dialog.print_button, dialog.save_button))
    assert offsets.values() == (1.5, 0.0)
    release.set()
    wait_for_offsets(qtbot, dialog)
    assert offsets.state.text() == "Đã lưu cho máy in và loại phôi này."
    assert dialog.print_button.isEnabled()
    click_and_wait(qtbot, dialog, dialog.print_button)
    click_and_wait(qtbot, dialog, dialog.wording_button)
    assert dialog.text_dialog is not None
    dialog.text_dialog.reject()
    assert set(threads) == {"offsets", "save_offsets", "needs_reason", "fields"}
    assert all(thread is not threading.main_thread() for thread in threads.values())


def test_a_refused_shift_keeps_what_was_typed(qtbot: QtBot, officer: Services, printers: Printers,
                                              write_pool: QThreadPool, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise DomainError("Cơ sở dữ liệu đang bận.")

    monkeypatch.setattr(officer.certificates, "save_offsets", refuse)
    dialog = open_dialog(qtbot, officer, write_pool)
    dialog.settings.blank_mode.setChecked(True)
    offsets = dialog.offsets
    offsets.x_mm.setValue(2.5)
    offsets.y_mm.setValue(-1.0)
    click_and_wait(qtbot, dialog, dialog.print_button)  # the shift is saved first: refused, nothing printed
    assert offsets.state.text() == "Chưa lưu độ lệch: Cơ sở dữ liệu đang bận."
    assert offsets.values() == (2.5, -1.0) and offsets.is_dirty()
    assert printers.jobs == [] and officer.certificates.log(BOOK_YEAR) == []
    # Switching to full mode and back keeps the typing too.
    dialog.settings.full_mode.setChecked(True)
    dialog.settings.blank_mode.setChecked(True)
    wait_for_offsets(qtbot, dialog)
    assert offsets.values() == (2.5, -1.0)
