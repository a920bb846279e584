from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.commune import OfficialData
from tests.ui.keyboard import focused, type_text
from ui.official_table import Column, OfficialList, OfficialTableModel

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

MEMBERS = [
    OfficialData("council_member", "Lê Văn Cường", "Chủ tịch Ủy ban MTTQ xã"),
    OfficialData("council_member", "Võ Thị Em", "Bí thư Đoàn xã"),
    OfficialData("council_member", "Hồ Văn Phúc", "Chủ tịch Hội Nông dân xã"),
]


@pytest.fixture
def people(qtbot: QtBot) -> OfficialList:
    shown = OfficialList("council_member", "Chủ tịch Ủy ban MTTQ xã")
    shown.set_people(MEMBERS)
    qtbot.addWidget(shown)
    shown.show()
    shown.activateWindow()
    qtbot.waitActive(shown)
    return shown


def _names(people: OfficialList) -> list[str]:
    return [p.full_name for p in people.people()]


def test_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = OfficialTableModel("council_member")
    model.set_rows(MEMBERS)

    qtmodeltester.check(model)
    model.add_row()
    model.move_row(0, 1)
    model.remove_row(1)
    qtmodeltester.check(model)


def test_edited_cells_keep_the_role(people: OfficialList) -> None:
    model = people.model

    assert model.setData(model.index(0, Column.TITLE), "Phó Chủ tịch Ủy ban MTTQ xã")

    assert people.people()[0] == OfficialData("council_member", "Lê Văn Cường", "Phó Chủ tịch Ủy ban MTTQ xã")
    assert model.headerData(Column.NAME, Qt.Orientation.Horizontal) == "Họ và tên"


def test_moving_rows_changes_the_printed_order(people: OfficialList, qtbot: QtBot) -> None:
    people.view.setCurrentIndex(people.model.index(0, 0))
    assert not people.up_button.isEnabled()

    qtbot.mouseClick(people.down_button, Qt.MouseButton.LeftButton)
    assert _names(people) == ["Võ Thị Em", "Lê Văn Cường", "Hồ Văn Phúc"]
    qtbot.mouseClick(people.down_button, Qt.MouseButton.LeftButton)
    assert _names(people) == ["Võ Thị Em", "Hồ Văn Phúc", "Lê Văn Cường"]
    assert not people.down_button.isEnabled()
    qtbot.mouseClick(people.up_button, Qt.MouseButton.LeftButton)
    assert _names(people) == ["Võ Thị Em", "Lê Văn Cường", "Hồ Văn Phúc"]


def test_remove_deletes_the_current_row(people: OfficialList, qtbot: QtBot) -> None:
    people.view.setCurrentIndex(people.model.index(1, 0))

    qtbot.mouseClick(people.remove_button, Qt.MouseButton.LeftButton)

    assert _names(people) == ["Lê Văn Cường", "Hồ Văn Phúc"]


def test_name_still_being_typed_is_not_lost(people: OfficialList, qtbot: QtBot) -> None:
    qtbot.mouseClick(people.add_button, Qt.MouseButton.LeftButton)
    type_text(focused(), "Đặng Thị Hoa")  # the cell editor is still open

    assert people.people()[-1] == OfficialData("council_member", "Đặng Thị Hoa", "")
