"""Questions and messages read in Vietnamese, and the safe answer is the default."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from ui.dialogs import confirm

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
