"""«Quản lý tài khoản»: an administrator lists the accounts, adds and edits them, resets a
password, stops an account or lets it sign in again.

Every change goes through `services.users` (a `UserService` bound to the signed-in
administrator), which checks the permission and writes the audit entry; a refusal is shown
in Vietnamese where it happened and nothing changes. Forms stay open with what was typed
until the service accepts them. Account changes are a handful of rows, so they run on the
UI thread (the Argon2 hash of a new password takes a fraction of a second).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.accounts import MAX_FULL_NAME_LENGTH, MAX_USERNAME_LENGTH, MIN_PASSWORD_LENGTH, UserRow
from app.errors import DomainError, ValidationError
from app.roles import ROLE_LABELS, Role
from app.services import Services
from ui.dialogs import button_box, confirm
from ui.user_table import UserTable, UserTableModel

ERROR_STYLE = "color: #b00020;"
PASSWORDS_DIFFER = "Hai lần nhập mật khẩu không giống nhau."
TEMPORARY_PASSWORD_HINT = (
    f"Mật khẩu có ít nhất {MIN_PASSWORD_LENGTH} ký tự. Người dùng phải đổi mật khẩu này "
    "ở lần đăng nhập đầu tiên; hãy báo riêng cho họ."
)


@dataclass(frozen=True)
class UserFormValues:
    username: str
    full_name: str
    role: Role
    is_admin: bool
    password: str


@contextmanager
def _waiting() -> Iterator[None]:
    """A wait cursor while a password is hashed on the UI thread."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def _password_line() -> QLineEdit:
    line = QLineEdit()
    line.setEchoMode(QLineEdit.EchoMode.Password)
    return line


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


class UserForm(QDialog):
    """Add an account (every field) or edit one (name, role, administrator).

    `save` calls the service; a DomainError it raises is shown under the fields and the form
    stays open with what was typed.
    """

    saved = Signal(object)  # UserRow

    def __init__(self, save: Callable[[UserFormValues], UserRow], user: UserRow | None = None,
                 own_account: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        adding = user is None
        self.setWindowTitle("Thêm tài khoản" if adding else f"Sửa tài khoản «{user.username}»")
        self.setMinimumWidth(480)

        self.full_name = QLineEdit(user.full_name if user else "")
        self.full_name.setMaxLength(MAX_FULL_NAME_LENGTH)
        self.username = QLineEdit(user.username if user else "")
        self.username.setMaxLength(MAX_USERNAME_LENGTH)
        self.username.setReadOnly(not adding)
        self.username.setPlaceholderText("ví dụ: lan.nt (không dấu cách)")
        self.role = QComboBox()
        for role, label in ROLE_LABELS.items():
            self.role.addItem(label, role)
        self.role.setCurrentIndex(self.role.findData(user.role if user else Role.OFFICER))
        self.is_admin = QCheckBox("Quản trị viên (tạo tài khoản, đặt lại mật khẩu, khôi phục dữ liệu)")
        self.is_admin.setChecked(bool(user and user.is_admin))
        self.password = _password_line()
        self.repeated = _password_line()
        self.error = _error_label()

        form = QFormLayout()
        form.addRow("Họ và tên:", self.full_name)
        form.addRow("Tên đăng nhập:", self.username)
        form.addRow("Vai trò:", self.role)
        form.addRow("", self.is_admin)
        if adding:
            form.addRow("Mật khẩu ban đầu:", self.password)
            form.addRow("Nhập lại mật khẩu:", self.repeated)
            hint = QLabel(TEMPORARY_PASSWORD_HINT)
            hint.setWordWrap(True)
            form.addRow("", hint)
        if own_account:
            self.role.setEnabled(False)
            self.is_admin.setEnabled(False)
            note = QLabel("Đây là tài khoản đang đăng nhập: vai trò và quyền quản trị của nó do "
                          "một quản trị viên khác đổi.")
            note.setWordWrap(True)
            form.addRow("", note)

        self.buttons = button_box(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                  self)
        if adding:
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Tạo tài khoản")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._adding = adding

    def values(self) -> UserFormValues:
        return UserFormValues(self.username.text(), self.full_name.text(), self.role.currentData(),
                              self.is_admin.isChecked(), self.password.text())

    def accept(self) -> None:
        """Save through the service; close only when it accepts."""
        if self._adding and self.password.text() != self.repeated.text():
            self._show_problem(PASSWORDS_DIFFER, self.repeated)
            return
        try:
            with _waiting():
                row = self._save(self.values())
        except DomainError as error:
            self._show_problem(str(error), self._field(error))
            return
        self.saved.emit(row)
        super().accept()

    def _field(self, error: DomainError) -> QWidget | None:
        name = error.field if isinstance(error, ValidationError) else None
        return {"username": self.username, "full_name": self.full_name, "password": self.password,
                "is_admin": self.is_admin}.get(name or "")

    def _show_problem(self, message: str, field: QWidget | None) -> None:
        self.error.setText(message)
        self.error.show()
        if field is not None and field.isEnabled():
            field.setFocus()
            if isinstance(field, QLineEdit):
                field.selectAll()


class ResetPasswordDialog(QDialog):
    """Type a temporary password twice, confirm, and reset; the form stays open on refusal."""

    saved = Signal(object)  # UserRow

    def __init__(self, user: UserRow, reset: Callable[[int, str], UserRow],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._user = user
        self._reset = reset
        self.setWindowTitle("Đặt lại mật khẩu")
        self.setMinimumWidth(460)
        intro = QLabel(f"Đặt mật khẩu tạm thời cho «{user.username}» ({user.full_name}). "
                       "Tài khoản được mở khóa nếu đang tạm khóa.")
        intro.setWordWrap(True)
        self.password = _password_line()
        self.repeated = _password_line()
        hint = QLabel(TEMPORARY_PASSWORD_HINT)
        hint.setWordWrap(True)
        self.error = _error_label()
        form = QFormLayout()
        form.addRow("Mật khẩu tạm thời:", self.password)
        form.addRow("Nhập lại mật khẩu:", self.repeated)
        self.buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                  self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đặt lại mật khẩu")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        if self.password.text() != self.repeated.text():
            self._show_problem(PASSWORDS_DIFFER)
            self.repeated.setFocus()
            self.repeated.selectAll()
            return
        user = self._user
        question = (f"Đặt lại mật khẩu của «{user.username}» ({user.full_name})?\n\nMật khẩu cũ "
                    "không dùng được nữa; người này phải đổi mật khẩu tạm thời khi đăng nhập.")
        if not confirm(self, "Đặt lại mật khẩu", question, "Đặt lại mật khẩu"):
            return
        try:
            with _waiting():
                row = self._reset(user.id, self.password.text())
        except DomainError as error:
            self._show_problem(str(error))
            self.password.setFocus()
            return
        self.saved.emit(row)
        super().accept()

    def _show_problem(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class UsersDialog(QDialog):
    """The accounts of this database, for an administrator.

    `changed(UserRow)` follows every change the service accepted (the audit view may reload).
    """

    changed = Signal(object)  # UserRow

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Quản lý tài khoản")
        self.resize(880, 420)

        self.model = UserTableModel(parent=self)
        self.table = UserTable(self.model)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.message = _error_label()

        self.add_button = QPushButton("Thêm tài khoản…")
        self.edit_button = QPushButton("Sửa…")
        self.reset_button = QPushButton("Đặt lại mật khẩu…")
        self.active_button = QPushButton("Ngừng hoạt động")
        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_selected)
        self.reset_button.clicked.connect(self.reset_selected)
        self.active_button.clicked.connect(self.toggle_selected_active)
        self.buttons = button_box(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)

        side = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.reset_button, self.active_button):
            side.addWidget(button)
        side.addStretch()
        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(middle, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._allowed = True
        self.reload()

    # --- commands (the buttons call these; tests too) ---------------------------------

    def reload(self, select_id: int | None = None) -> None:
        """Read the accounts again; an account without the right sees why instead."""
        try:
            users = self._services.users.users()
        except DomainError as error:
            self._allowed = False
            self.model.set_rows([])
            self._show_message(str(error))
            return
        selected = self.table.selected()
        self.model.set_rows(users)
        wanted = select_id if select_id is not None else (selected.id if selected else None)
        if wanted is not None:
            self.table.select(wanted)
        self._update_buttons()

    def add_user(self) -> UserForm | None:
        if not self._allowed:
            return None
        users = self._services.users

        def save(values: UserFormValues) -> UserRow:
            return users.create(values.username, values.full_name, values.role, values.password,
                                is_admin=values.is_admin, must_change_password=True)

        return self._open(UserForm(save, parent=self))

    def edit_selected(self) -> UserForm | None:
        user = self.table.selected()
        if user is None or not self._allowed:
            return None
        users = self._services.users

        def save(values: UserFormValues) -> UserRow:
            return users.update(user.id, values.full_name, values.role, values.is_admin)

        return self._open(UserForm(save, user, self._is_own(user), parent=self))

    def reset_selected(self) -> ResetPasswordDialog | None:
        user = self.table.selected()
        if user is None or not self._allowed:
            return None
        return self._open(ResetPasswordDialog(user, self._services.users.reset_password, self))

    def toggle_selected_active(self) -> None:
        """Stop the selected account (after asking) or let it sign in again."""
        user = self.table.selected()
        if user is None or not self._allowed:
            return
        if user.active:
            question = (f"Ngừng hoạt động tài khoản «{user.username}» ({user.full_name})?\n\n"
                        "Người này sẽ không đăng nhập được nữa. Tên của họ vẫn giữ trong nhật ký; "
                        "có thể cho hoạt động lại sau.")
            if not confirm(self, "Ngừng hoạt động tài khoản", question, "Ngừng hoạt động"):
                return
            change = self._services.users.deactivate
        else:
            change = self._services.users.reactivate
        try:
            row = change(user.id)
        except DomainError as error:
            self._show_message(str(error))
            return
        self._on_form_saved(row)

    # --- slots ----------------------------------------------------------------------

    def _open(self, dialog: UserForm | ResetPasswordDialog) -> UserForm | ResetPasswordDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._on_form_saved)
        dialog.open()
        return dialog

    def _on_form_saved(self, row: UserRow) -> None:
        self.message.hide()
        self.reload(select_id=row.id)
        self.changed.emit(row)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self._update_buttons()

    def _is_own(self, user: UserRow) -> bool:
        return user.id == self._services.actor.user_id

    def _update_buttons(self) -> None:
        user = self.table.selected() if self._allowed else None
        self.add_button.setEnabled(self._allowed)
        for button in (self.edit_button, self.reset_button):
            button.setEnabled(user is not None)
        self.active_button.setText("Cho hoạt động lại" if user and not user.active else "Ngừng hoạt động")
        own = user is not None and self._is_own(user)
        self.active_button.setEnabled(user is not None and not own)
        self.active_button.setToolTip("Không ngừng hoạt động được tài khoản đang đăng nhập." if own else "")
