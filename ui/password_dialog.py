"""«Đổi mật khẩu»: the signed-in user changes their own password.

Problems (a wrong current password, a new one too short or the same as the old) are shown
under the fields and the dialog stays open; success says so and closes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.accounts import MIN_PASSWORD_LENGTH
from app.errors import AuthenticationError, DomainError, ValidationError
from app.services import Services
from ui.dialogs import button_box, show_info

ERROR_STYLE = "color: #b00020;"
PASSWORDS_DIFFER = "Hai lần nhập mật khẩu mới không giống nhau."
CHANGED_MESSAGE = "Đã đổi mật khẩu. Lần đăng nhập sau, hãy dùng mật khẩu mới."


class PasswordDialog(QDialog):
    """`changed(Actor)` carries the signed-in user as the service now sees them (no longer
    asked to change their password)."""

    changed = Signal(object)  # Actor

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        actor = services.actor
        self.setWindowTitle("Đổi mật khẩu")
        self.setMinimumWidth(440)
        intro = QLabel(f"Tài khoản «{actor.username}» ({actor.full_name}). Mật khẩu mới có ít nhất "
                       f"{MIN_PASSWORD_LENGTH} ký tự và chỉ mình bạn biết.")
        intro.setWordWrap(True)
        self.old = self._line()
        self.new = self._line()
        self.repeated = self._line()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        form = QFormLayout()
        form.addRow("Mật khẩu hiện tại:", self.old)
        form.addRow("Mật khẩu mới:", self.new)
        form.addRow("Nhập lại mật khẩu mới:", self.repeated)
        self.buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                  self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đổi mật khẩu")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        """Change the password through the service; close only when it accepts."""
        if self.new.text() != self.repeated.text():
            self._show_problem(PASSWORDS_DIFFER, self.repeated)
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # Argon2 takes a moment
        try:
            actor = self._services.accounts.change_password(
                self._services.actor, self.old.text(), self.new.text())
        except DomainError as error:
            wrong = {AuthenticationError: self.old, ValidationError: self.new}.get(type(error))
            self._show_problem(str(error), wrong)
            return
        finally:
            QApplication.restoreOverrideCursor()
        for line in (self.old, self.new, self.repeated):
            line.clear()
        self.error.hide()
        self.changed.emit(actor)
        show_info(self, "Đổi mật khẩu", CHANGED_MESSAGE)
        super().accept()

    def _line(self) -> QLineEdit:
        line = QLineEdit()
        line.setEchoMode(QLineEdit.EchoMode.Password)
        return line

    def _show_problem(self, message: str, field: QLineEdit | None) -> None:
        self.error.setText(message)
        self.error.show()
        if field is not None:
            field.setFocus()
            field.selectAll()
