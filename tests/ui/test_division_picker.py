from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app import divisions
from app.vietnamese import fold
from tests.ui.keyboard import type_text
from ui.division_picker import DivisionCombo, DivisionListModel, matches

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

DONG_NAI = 75


@pytest.fixture
def combo(qtbot: QtBot) -> DivisionCombo:
    shown = DivisionCombo("Gõ tên")
    shown.set_divisions(divisions.communes(DONG_NAI))
    qtbot.addWidget(shown)
    shown.show()
    shown.activateWindow()
    qtbot.waitActive(shown)
    shown.lineEdit().setFocus()
    return shown


def test_division_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = DivisionListModel()
    model.set_rows(divisions.provinces())

    qtmodeltester.check(model)
    assert model.rowCount() == 34


@pytest.mark.parametrize(
    ("typed", "found"),
    [("phuoc tan", True), ("PHƯỚC TÂN", True), ("tan phuoc", True), ("Phước  Tân", True), ("ph t", True),
     ("263", True), ("phuoc tam", False), ("uoc", False), ("ha", False), ("", True)],
)
def test_typing_matches_word_starts_without_regard_to_case_diacritics_or_order(typed: str, found: bool) -> None:
    assert matches("phuong phuoc tan 26377", typed) is found


def test_typing_with_diacritics_filters_the_suggestions(combo: DivisionCombo) -> None:
    type_text(combo.lineEdit(), "Phước Tân")

    assert [d.name for d in combo.matching()] == ["Phường Phước Tân"]
    assert combo.completer().popup().isVisible()


def test_d_with_stroke_matches_plain_d(combo: DivisionCombo, qtbot: QtBot) -> None:
    qtbot.keyClicks(combo.lineEdit(), "dong")

    names = [d.name for d in combo.matching()]
    assert {"Xã Đồng Phú", "Phường Đồng Xoài", "Xã Xuân Đông"} <= set(names)
    assert all("dong" in fold(name).split() for name in names)


def test_half_typed_name_is_not_taken_for_a_choice(combo: DivisionCombo, qtbot: QtBot) -> None:
    qtbot.keyClicks(combo.lineEdit(), "phuoc")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)

    assert len(combo.matching()) > 1
    assert combo.division() is None


def test_leaving_a_name_that_matches_one_division_chooses_it(combo: DivisionCombo, qtbot: QtBot) -> None:
    with qtbot.waitSignal(combo.division_changed) as changed:
        qtbot.keyClicks(combo.lineEdit(), "phuoc tan")
        qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)

    assert changed.args[0].code == 26377
    assert combo.division() is not None and combo.division().code == 26377  # type: ignore[union-attr]
    assert combo.currentText() == "Phường Phước Tân"


def test_editing_a_chosen_name_unchooses_it_until_it_names_one_again(combo: DivisionCombo, qtbot: QtBot) -> None:
    combo.select(26377)
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Backspace)
    assert combo.division() is None

    type_text(combo.lineEdit(), "n")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    assert combo.division() is not None and combo.division().code == 26377  # type: ignore[union-attr]


def test_selecting_an_unknown_code_chooses_nothing(combo: DivisionCombo) -> None:
    combo.select(26377)

    assert combo.select(1) is False
    assert combo.division() is None
    assert combo.currentText() == ""
