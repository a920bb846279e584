from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QDialog, QProgressDialog, QPushButton, QWizard
from pytestqt.qtbot import QtBot

from app.commune import CommuneSetup, OfficialData
from app.document_style import format_date_line
from app.errors import DomainError, ValidationError
from app.services import Services
from app.subject_data import VillageData
from tests.ui.keyboard import focused, type_text
from ui.division_picker import DivisionCombo
from ui.setup_wizard import PageId, SetupWizard

# The offscreen platform cannot raise or grab for the completer and progress pop-ups.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

Builder = Callable[..., object]


@pytest.fixture
def wizard(
    qtbot: QtBot, services: Services, write_pool: QThreadPool, monkeypatch: pytest.MonkeyPatch
) -> SetupWizard:
    # Closing at teardown must not block on the "discard what was typed?" question.
    monkeypatch.setattr("ui.setup_wizard.confirm", lambda *_args: True)
    shown = SetupWizard(services, write_pool)
    qtbot.addWidget(shown)
    shown.show()
    shown.activateWindow()
    qtbot.waitActive(shown)
    return shown


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes the wizard showed, as (title, text), instead of blocking the test."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr("ui.setup_wizard.show_info", lambda _parent, title, text: shown.append((title, text)))
    monkeypatch.setattr("ui.setup_wizard.show_error", lambda _parent, title, text: shown.append((title, text)))
    return shown


@pytest.fixture
def demo_builder(monkeypatch: pytest.MonkeyPatch) -> Callable[[Builder], None]:
    """Replace app.demo.build_demo, whose real work is tested with the demo itself."""

    def install(builder: Builder) -> None:
        monkeypatch.setattr("app.demo.build_demo", builder)

    return install


def _click(qtbot: QtBot, wizard: SetupWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def _next(qtbot: QtBot, wizard: SetupWizard) -> None:
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)


def _pick(qtbot: QtBot, combo: DivisionCombo, typed: str) -> None:
    """Type part of a name and choose the first suggestion, as the officer would."""
    qtbot.mouseClick(combo.lineEdit(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(combo.lineEdit(), typed)
    popup = combo.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)


def _fill_through_documents(wizard: SetupWizard, qtbot: QtBot) -> None:
    """Welcome, then Phường Phước Tân of Đồng Nai with default place name and symbols."""
    _next(qtbot, wizard)
    wizard.form.division.select(75, 26377)
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    assert wizard.currentId() == PageId.PEOPLE


def _fill_everything(wizard: SetupWizard, qtbot: QtBot) -> None:
    _fill_through_documents(wizard, qtbot)
    wizard.form.people.chairman.name.setText("Nguyễn Văn An")
    _next(qtbot, wizard)
    assert wizard.currentId() == PageId.SUMMARY


def test_walking_through_every_page_stores_the_setup(qtbot: QtBot, wizard: SetupWizard, services: Services) -> None:
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "Tiếp theo >"
    assert wizard.button(QWizard.WizardButton.CancelButton).text() == "Hủy"
    _next(qtbot, wizard)

    division = wizard.form.division
    _pick(qtbot, division.province, "dong nai")
    assert division.province.currentText() == "Đồng Nai"
    assert division.province_code_label.text() == "Mã đơn vị hành chính: 75 (tỉnh)"
    _pick(qtbot, division.commune, "phuoc tan")
    assert division.commune.currentText() == "Phường Phước Tân"
    assert division.commune_code() == 26377
    assert division.commune_code_label.text() == "Mã đơn vị hành chính: 26377 (phường)"
    _next(qtbot, wizard)

    document = wizard.form.document
    assert wizard.currentId() == PageId.DOCUMENT
    assert document.place_name.text() == "Phước Tân"
    assert document.issuer_preview.text().endswith("Số: 05/TTr-UBND")
    assert document.council_preview.text().endswith("Số: 03/BB-HĐTĐKT")
    qtbot.mouseClick(document.place_name, Qt.MouseButton.LeftButton)
    qtbot.keyClick(document.place_name, Qt.Key.Key_End)
    type_text(document.place_name, " Đông")
    assert document.date_preview.text() == format_date_line("Phước Tân Đông", date.today())
    _next(qtbot, wizard)

    people = wizard.form.people
    assert wizard.currentId() == PageId.PEOPLE
    qtbot.mouseClick(people.chairman.name, Qt.MouseButton.LeftButton)
    type_text(people.chairman.name, "Nguyễn Văn An")
    qtbot.mouseClick(people.vice_chairmen.add_button, Qt.MouseButton.LeftButton)
    type_text(focused(), "Trần Thị Bình")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_text(focused(), "Phó Chủ tịch Hội đồng")
    for name, title in (("Lê Văn Cường", "Chủ tịch Ủy ban MTTQ xã"), ("Võ Thị Em", "Bí thư Đoàn xã")):
        qtbot.mouseClick(people.council_members.add_button, Qt.MouseButton.LeftButton)
        type_text(focused(), name)
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        type_text(focused(), title)
    qtbot.mouseClick(people.officer.name, Qt.MouseButton.LeftButton)
    type_text(people.officer.name, "Phạm Thị Dung")
    _next(qtbot, wizard)

    assert wizard.currentId() == PageId.SUMMARY
    summary = wizard.currentPage().text.text()  # type: ignore[attr-defined]
    assert "Võ Thị Em" in summary and "Bí thư Đoàn xã" in summary
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)

    assert wizard.result() == QDialog.DialogCode.Accepted
    assert services.commune.get() == CommuneSetup(
        province_code=75,
        commune_code=26377,
        place_name="Phước Tân Đông",
        officials=(
            OfficialData("chairman", "Nguyễn Văn An"),
            OfficialData("vice_chairman", "Trần Thị Bình", "Phó Chủ tịch Hội đồng"),
            OfficialData("council_member", "Lê Văn Cường", "Chủ tịch Ủy ban MTTQ xã"),
            OfficialData("council_member", "Võ Thị Em", "Bí thư Đoàn xã"),
            OfficialData("officer", "Phạm Thị Dung"),
        ),
        province_name="Đồng Nai",
        commune_name="Phường Phước Tân",
        commune_kind="phường",
    )
    assert services.subjects.count() == 0


def test_next_is_refused_until_a_commune_is_chosen(qtbot: QtBot, wizard: SetupWizard) -> None:
    _next(qtbot, wizard)
    _pick(qtbot, wizard.form.division.province, "ha noi")
    qtbot.keyClicks(wizard.form.division.commune.lineEdit(), "khong co xa nay")

    _next(qtbot, wizard)

    assert wizard.currentId() == PageId.DIVISION
    assert wizard.form.division.error.text() == "Hãy chọn xã, phường thuộc tỉnh đã chọn."
    assert wizard.form.division.commune.currentText() == "khong co xa nay"


def test_missing_chairman_keeps_the_people_page_with_a_message(
    qtbot: QtBot, wizard: SetupWizard, services: Services
) -> None:
    _fill_through_documents(wizard, qtbot)
    wizard.form.people.officer.name.setText("Phạm Thị Dung")

    _next(qtbot, wizard)

    assert wizard.currentId() == PageId.PEOPLE
    assert wizard.form.people.error.isVisibleTo(wizard)
    assert wizard.form.people.error.text() == "Hãy nhập đúng một Chủ tịch UBND."
    assert wizard.form.people.officer.name.text() == "Phạm Thị Dung"
    assert services.commune.get() is None


def test_bad_symbol_is_refused_with_the_message(qtbot: QtBot, wizard: SetupWizard) -> None:
    _next(qtbot, wizard)
    wizard.form.division.select(75, 26377)
    _next(qtbot, wizard)
    document = wizard.form.document
    document.issuer_symbol.selectAll()
    type_text(document.issuer_symbol, "ubnd xã")

    _next(qtbot, wizard)

    assert wizard.currentId() == PageId.DOCUMENT
    assert "“UBND XÃ” không đúng" in document.error.text()
    assert "chưa đúng" in document.issuer_preview.text()
    assert document.issuer_symbol.text() == "ubnd xã"


def test_error_on_finish_goes_back_to_the_page_of_the_field(
    qtbot: QtBot, wizard: SetupWizard, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill_everything(wizard, qtbot)

    def refuse(_setup: CommuneSetup) -> CommuneSetup:
        raise ValidationError("Ký hiệu Hội đồng đã có người dùng.", "council_symbol")

    monkeypatch.setattr(services.commune, "save", refuse)
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)

    assert wizard.isVisible()
    assert wizard.currentId() == PageId.DOCUMENT
    assert wizard.form.document.error.text() == "Ký hiệu Hội đồng đã có người dùng."
    assert wizard.form.people.chairman.name.text() == "Nguyễn Văn An"


def test_cancel_saves_nothing(
    qtbot: QtBot, wizard: SetupWizard, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr("ui.setup_wizard.confirm", lambda _parent, _title, text, _action: asked.append(text) or True)
    _fill_everything(wizard, qtbot)

    _click(qtbot, wizard, QWizard.WizardButton.CancelButton)

    assert len(asked) == 1
    assert wizard.result() == QDialog.DialogCode.Rejected
    assert services.commune.get() is None


def test_cancel_asks_first_and_keeps_what_was_typed(
    qtbot: QtBot, wizard: SetupWizard, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ui.setup_wizard.confirm", lambda *_args: False)
    _fill_through_documents(wizard, qtbot)
    wizard.form.people.chairman.name.setText("Nguyễn Văn An")

    _click(qtbot, wizard, QWizard.WizardButton.CancelButton)

    assert wizard.isVisible()
    assert wizard.form.people.chairman.name.text() == "Nguyễn Văn An"


def test_cancel_before_typing_anything_does_not_ask(
    qtbot: QtBot, wizard: SetupWizard, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: object) -> bool:
        raise AssertionError("nothing typed, nothing to confirm")

    monkeypatch.setattr("ui.setup_wizard.confirm", fail)

    _click(qtbot, wizard, QWizard.WizardButton.CancelButton)

    assert wizard.result() == QDialog.DialogCode.Rejected


def test_demo_choice_builds_the_demo_in_the_background_after_saving(
    qtbot: QtBot,
    wizard: SetupWizard,
    services: Services,
    demo_builder: Callable[[Builder], None],
    messages: list[tuple[str, str]],
) -> None:
    calls: list[tuple[bool, bool]] = []

    def build(given: Services, _sizes: object, report: Callable[[int, int], None]) -> str:
        on_main_thread = threading.current_thread() is threading.main_thread()
        calls.append((on_main_thread, given.commune.get() is not None))
        for done in range(3):
            report(done, 3)
        given.subjects.create(VillageData("Thôn Mẫu"))
        report(3, 3)
        return "summary"

    demo_builder(build)
    wizard.welcome.demo.setChecked(True)
    _fill_everything(wizard, qtbot)

    with qtbot.waitSignal(wizard.accepted, timeout=5000):
        _click(qtbot, wizard, QWizard.WizardButton.FinishButton)

    assert calls == [(False, True)]  # off the UI thread, with the setup already stored
    assert services.subjects.count() == 1
    assert services.commune.get() is not None
    assert messages == []
    assert not any(progress.isVisible() for progress in wizard.findChildren(QProgressDialog))


def test_cancelling_the_demo_leaves_an_empty_register_and_says_so(
    qtbot: QtBot,
    wizard: SetupWizard,
    services: Services,
    demo_builder: Callable[[Builder], None],
    messages: list[tuple[str, str]],
) -> None:
    started = threading.Event()
    release = threading.Event()

    def build(given: Services, _sizes: object, report: Callable[[int, int], None]) -> str:
        report(0, 10)
        started.set()
        release.wait(10)
        report(1, 10)  # raises CancelledError once the officer has cancelled
        given.subjects.create(VillageData("Thôn không được ghi"))
        return "summary"

    demo_builder(build)
    wizard.welcome.demo.setChecked(True)
    _fill_everything(wizard, qtbot)
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(started.is_set)
    progress = wizard.findChild(QProgressDialog)
    assert progress is not None
    qtbot.waitUntil(progress.isVisible, timeout=3000)  # shown after ~500 ms
    assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    cancel = next(b for b in progress.findChildren(QPushButton) if b.text() == "Hủy")

    with qtbot.waitSignal(wizard.accepted, timeout=5000):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        release.set()

    assert services.subjects.count() == 0
    assert services.commune.get() is not None
    assert [title for title, _text in messages] == ["Đã hủy tạo dữ liệu mẫu"]
    assert "Sổ đang trống" in messages[0][1]


def test_cancel_that_comes_after_the_last_step_reports_the_demo_as_built(
    qtbot: QtBot,
    wizard: SetupWizard,
    services: Services,
    demo_builder: Callable[[Builder], None],
    messages: list[tuple[str, str]],
) -> None:
    started = threading.Event()
    release = threading.Event()

    def build(given: Services, _sizes: object, report: Callable[[int, int], None]) -> str:
        report(0, 1)
        started.set()
        release.wait(10)
        given.subjects.create(VillageData("Thôn Mẫu"))  # no report left to notice the cancel
        return "summary"

    demo_builder(build)
    wizard.welcome.demo.setChecked(True)
    _fill_everything(wizard, qtbot)
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(started.is_set)
    progress = wizard.findChild(QProgressDialog)
    assert progress is not None
    qtbot.waitUntil(progress.isVisible, timeout=3000)

    with qtbot.waitSignal(wizard.accepted, timeout=5000):
        progress.canceled.emit()
        release.set()

    assert services.subjects.count() == 1
    assert [title for title, _text in messages] == ["Dữ liệu mẫu đã được tạo"]


@pytest.mark.parametrize(
    ("error", "said"),
    [(DomainError("Ổ đĩa đã đầy."), "Ổ đĩa đã đầy."), (RuntimeError("bug"), "lỗi không mong muốn")],
)
def test_failed_demo_still_finishes_with_the_setup_and_says_why(
    qtbot: QtBot,
    wizard: SetupWizard,
    services: Services,
    demo_builder: Callable[[Builder], None],
    messages: list[tuple[str, str]],
    error: Exception,
    said: str,
) -> None:
    def build(_services: Services, _sizes: object, _report: Callable[[int, int], None]) -> str:
        raise error

    demo_builder(build)
    wizard.welcome.demo.setChecked(True)
    _fill_everything(wizard, qtbot)

    with qtbot.waitSignal(wizard.accepted, timeout=5000):
        _click(qtbot, wizard, QWizard.WizardButton.FinishButton)

    assert services.commune.get() is not None
    assert [title for title, _text in messages] == ["Không tạo được dữ liệu mẫu"]
    assert said in messages[0][1]
    assert "Sổ đang trống" in messages[0][1]


def test_empty_choice_does_not_build_the_demo(
    qtbot: QtBot, wizard: SetupWizard, services: Services, demo_builder: Callable[[Builder], None]
) -> None:
    def build(*_args: object) -> None:
        raise AssertionError("the officer chose an empty register")

    demo_builder(build)
    _fill_everything(wizard, qtbot)

    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)

    assert wizard.result() == QDialog.DialogCode.Accepted
    assert services.commune.get() is not None


def test_real_demo_builder_keeps_the_setup_and_fills_the_register(
    qtbot: QtBot, wizard: SetupWizard, services: Services, messages: list[tuple[str, str]]
) -> None:
    wizard.welcome.demo.setChecked(True)
    _fill_everything(wizard, qtbot)

    with qtbot.waitSignal(wizard.accepted, timeout=60_000):
        _click(qtbot, wizard, QWizard.WizardButton.FinishButton)

    assert messages == []
    assert services.subjects.count() > 0
    stored = services.commune.get()
    assert stored is not None
    assert (stored.commune_name, stored.people("chairman")) == (
        "Phường Phước Tân",
        [OfficialData("chairman", "Nguyễn Văn An")],
    )
