"""Message boxes and button boxes with Vietnamese button texts.

Qt ships no Vietnamese translation of its standard buttons, so every dialog goes through here.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

REASON_PROMPT = "Lý do (bắt buộc, được ghi vào nhật ký thao tác):"

BUTTON_TEXTS = {
    QDialogButtonBox.StandardButton.Ok: "Đồng ý",
    QDialogButtonBox.StandardButton.Save: "Lưu",
    QDialogButtonBox.StandardButton.Cancel: "Hủy",
    QDialogButtonBox.StandardButton.Close: "Đóng",
    QDialogButtonBox.StandardButton.Yes: "Có",
    QDialogButtonBox.StandardButton.No: "Không",
    QDialogButtonBox.StandardButton.Apply: "Áp dụng",
    QDialogButtonBox.StandardButton.Discard: "Bỏ thay đổi",
}


def button_box(buttons: QDialogButtonBox.StandardButton, parent: QWidget | None = None) -> QDialogButtonBox:
    """A QDialogButtonBox whose standard buttons read in Vietnamese."""
    box = QDialogButtonBox(buttons, parent)
    for standard, text in BUTTON_TEXTS.items():
        button = box.button(standard)
        if button is not None:
            button.setText(text)
    return box


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.NoButton, parent)
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def show_warning(parent: QWidget | None, title: str, message: str) -> None:
    """Something the officer should act on, though the program carries on."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.NoButton, parent)
    box.addButton("Đã hiểu", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.NoButton, parent)
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def confirm(parent: QWidget | None, title: str, message: str, action: str, keep: str = "Hủy") -> bool:
    """Ask before a destructive or irreversible action; `action` names the button, e.g. 'Xóa',
    and `keep` the one that changes nothing (the default, also on Esc)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, message, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(keep, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is yes


def ask_reason(parent: QWidget | None, title: str, message: str, action: str) -> str | None:
    """Ask before an irreversible action that needs a reason (a deletion); the reason typed,
    or None when the officer cancels. `action` names the button, enabled once a reason is typed."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    question = QLabel(message)
    question.setWordWrap(True)
    reason = QLineEdit()
    buttons = QDialogButtonBox()
    act = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
    act.setEnabled(False)
    act.setDefault(True)
    reason.textChanged.connect(lambda text: act.setEnabled(bool(text.strip())))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(question)
    layout.addWidget(QLabel(REASON_PROMPT))
    layout.addWidget(reason)
    layout.addWidget(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return reason.text().strip()


def choose(parent: QWidget | None, title: str, message: str, actions: list[str]) -> int | None:
    """Ask the officer to pick one of `actions` (button texts); None when they cancel."""
    box = QMessageBox(QMessageBox.Icon.Question, title, message, QMessageBox.StandardButton.NoButton, parent)
    buttons = [box.addButton(action, QMessageBox.ButtonRole.AcceptRole) for action in actions]
    cancel = box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else None
