"""Questions and messages read in Vietnamese, and the safe answer is the default."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from ui.dialogs import ask_reason, confirm

# The offscreen platform warns that it cannot size windows to their hints.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _answer_with(button_text: str, seen: list[list[str]]) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append([b.text() for b in box.buttons()] + [box.defaultButton().text()])
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, click)


def test_confirm_names_both_choices_and_defaults_to_keeping(qtbot: QtBot) -> None:
    seen: list[list[str]] = []
    _answer_with("Tiếp tục sửa", seen)
    assert not confirm(None, "Bỏ thay đổi?", "Chưa lưu.", "Bỏ thay đổi", keep="Tiếp tục sửa")
    assert sorted(seen[0][:2]) == ["Bỏ thay đổi", "Tiếp tục sửa"]
    assert seen[0][2] == "Tiếp tục sửa"
    _answer_with("Xóa", seen)
    assert confirm(None, "Xóa", "Xóa bản ghi này?", "Xóa")
    assert sorted(seen[1][:2]) == ["Hủy", "Xóa"]


def _type_reason_and_press(reason: str, button_text: str, seen: list[bool]) -> None:
    """Type `reason`, note whether «Xóa» was enabled before and after, then press `button_text`."""
    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        buttons = {b.text(): b for b in dialog.findChild(QDialogButtonBox).buttons()}
        seen.append(buttons["Xóa"].isEnabled())
        dialog.findChild(QLineEdit).setText(reason)
        seen.append(buttons["Xóa"].isEnabled())
        buttons[button_text].click()

    QTimer.singleShot(0, act)


def test_ask_reason_needs_a_reason_before_the_action(qtbot: QtBot) -> None:
    seen: list[bool] = []
    _type_reason_and_press("  Nhập trùng  ", "Xóa", seen)
    assert ask_reason(None, "Xóa", "Xóa “Phạm An”?", "Xóa") == "Nhập trùng"
    assert seen == [False, True]
    _type_reason_and_press("   ", "Hủy", seen)
    assert ask_reason(None, "Xóa", "Xóa “Phạm An”?", "Xóa") is None
    assert seen[2:] == [False, False]  # spaces are no reason
