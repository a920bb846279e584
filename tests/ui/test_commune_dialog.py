from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.commune import CommuneSetup, OfficialData
from app.services import Services
from tests.ui.keyboard import focused, type_text
from ui.commune_dialog import CommuneDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

STORED = CommuneSetup(
    province_code=75,
    commune_code=26377,
    place_name="Phước Tân",
    issuer_symbol="UBND",
    council_symbol="HĐTĐKT",
    officials=(
        OfficialData("chairman", "Nguyễn Văn An", "Chủ tịch UBND phường"),
        OfficialData("vice_chairman", "Trần Thị Bình"),
        OfficialData("council_member", "Lê Văn Cường", "Chủ tịch Ủy ban MTTQ phường"),
        OfficialData("council_member", "Võ Thị Em", "Bí thư Đoàn phường"),
        OfficialData("officer", "Phạm Thị Dung", "Công chức Văn phòng - Thống kê"),
    ),
)


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Questions the dialog asked; the answer is 'discard', so teardown never blocks."""
    questions: list[str] = []
    monkeypatch.setattr("ui.commune_dialog.confirm",
                        lambda _parent, _title, text, _action, **_keep: questions.append(text) or True)
    return questions


@pytest.fixture
def dialog(qtbot: QtBot, services: Services, asked: list[str]) -> CommuneDialog:
    services.commune.save(STORED)
    shown = CommuneDialog(services)
    qtbot.addWidget(shown)
    shown.show()
    shown.activateWindow()
    qtbot.waitActive(shown)
    return shown


def _click(qtbot: QtBot, dialog: CommuneDialog, which: QDialogButtonBox.StandardButton) -> None:
    qtbot.mouseClick(dialog.buttons.button(which), Qt.MouseButton.LeftButton)


def test_dialog_shows_the_stored_setup(dialog: CommuneDialog) -> None:
    form = dialog.form
    assert form.division.province.currentText() == "Đồng Nai"
    assert form.division.commune.currentText() == "Phường Phước Tân"
    assert form.document.place_name.text() == "Phước Tân"
    assert form.document.council_symbol.text() == "HĐTĐKT"
    assert form.people.chairman.title.text() == "Chủ tịch UBND phường"
    assert [p.full_name for p in form.people.council_members.people()] == ["Lê Văn Cường", "Võ Thị Em"]
    assert form.people.officer.name.text() == "Phạm Thị Dung"
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save).text() == "Lưu"
    assert not dialog.has_changes()


def test_saving_stores_the_changes(
    qtbot: QtBot, dialog: CommuneDialog, services: Services, asked: list[str]
) -> None:
    people = dialog.form.people
    dialog.tabs.setCurrentWidget(people)
    people.council_members.view.setCurrentIndex(people.council_members.model.index(1, 0))
    qtbot.mouseClick(people.council_members.up_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(people.council_members.add_button, Qt.MouseButton.LeftButton)
    type_text(focused(), "Hồ Văn Phúc")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_text(focused(), "Chủ tịch Hội Nông dân phường")
    dialog.form.document.council_symbol.setText("HĐTĐKT-P")

    with qtbot.waitSignal(dialog.saved) as saved:
        _click(qtbot, dialog, QDialogButtonBox.StandardButton.Save)

    stored = services.commune.get()
    assert stored == saved.args[0]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert stored is not None and stored.council_symbol == "HĐTĐKT-P"
    assert stored.people("council_member") == [
        OfficialData("council_member", "Võ Thị Em", "Bí thư Đoàn phường"),
        OfficialData("council_member", "Lê Văn Cường", "Chủ tịch Ủy ban MTTQ phường"),
        OfficialData("council_member", "Hồ Văn Phúc", "Chủ tịch Hội Nông dân phường"),
    ]
    assert asked == []


def test_changing_the_commune_offers_its_name_as_place_name(qtbot: QtBot, dialog: CommuneDialog, services: Services) -> None:
    dialog.form.division.select(1, 4)  # Phường Ba Đình, Hà Nội

    assert dialog.form.document.place_name.text() == "Ba Đình"

    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Save)

    stored = services.commune.get()
    assert stored is not None
    assert (stored.province_name, stored.commune_name, stored.place_name) == ("Thành phố Hà Nội", "Phường Ba Đình", "Ba Đình")


def test_place_name_typed_by_the_officer_is_kept_when_the_commune_changes(dialog: CommuneDialog) -> None:
    dialog.form.document.place_name.setText("Phước Tân, Long Thành")

    dialog.form.division.select(75, 26383)  # Xã An Phước

    assert dialog.form.document.place_name.text() == "Phước Tân, Long Thành"


def test_refused_save_shows_the_tab_and_message_and_keeps_the_input(
    qtbot: QtBot, dialog: CommuneDialog, services: Services
) -> None:
    dialog.form.people.chairman.name.clear()
    dialog.form.document.place_name.setText("Phước Tân mới")

    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Save)

    assert dialog.isVisible()
    assert dialog.tabs.currentWidget() is dialog.form.people
    assert dialog.form.people.error.text() == (
        "Hãy nhập họ và tên của Chủ tịch UBND có chức vụ “Chủ tịch UBND phường”."
    )
    assert dialog.form.people.chairman.name.hasFocus()
    assert dialog.form.document.place_name.text() == "Phước Tân mới"
    assert services.commune.get() == services.commune.validate(STORED)


def test_cancel_with_changes_asks_and_can_keep_editing(
    qtbot: QtBot, dialog: CommuneDialog, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog.form.people.officer.name.setText("Võ Văn Giang")
    monkeypatch.setattr("ui.commune_dialog.confirm", lambda *_args, **_keep: False)

    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)

    assert dialog.isVisible()
    assert dialog.form.people.officer.name.text() == "Võ Văn Giang"


def test_cancel_with_changes_discards_them_once_confirmed(
    qtbot: QtBot, dialog: CommuneDialog, services: Services, asked: list[str]
) -> None:
    dialog.form.people.officer.name.setText("Võ Văn Giang")

    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)

    assert len(asked) == 1
    assert dialog.result() == QDialog.DialogCode.Rejected
    stored = services.commune.get()
    assert stored is not None and stored.people("officer")[0].full_name == "Phạm Thị Dung"


def test_cancel_without_changes_does_not_ask(qtbot: QtBot, dialog: CommuneDialog, asked: list[str]) -> None:
    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)

    assert asked == []
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_escape_with_changes_asks_too(qtbot: QtBot, dialog: CommuneDialog, asked: list[str]) -> None:
    dialog.form.document.issuer_symbol.setText("UBND-P")

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    assert len(asked) == 1


def test_dialog_on_an_empty_database_creates_the_setup(qtbot: QtBot, services: Services, asked: list[str]) -> None:
    dialog = CommuneDialog(services)
    qtbot.addWidget(dialog)
    dialog.form.division.select(75, 26377)
    dialog.form.people.chairman.name.setText("Nguyễn Văn An")

    dialog.accept()

    stored = services.commune.get()
    assert stored is not None and stored.place_name == "Phước Tân"
