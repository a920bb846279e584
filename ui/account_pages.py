"""Forms shown in the middle of the main window before the workspace opens: sign in, create
the first administrator, and change a password an administrator has reset.

Each page calls `app.accounts.Accounts` itself and emits the signed-in `Actor` when done.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.accounts import Accounts
from app.errors import DomainError
from app.roles import Actor, Role

FORM_WIDTH = 440


class _FormPage(QWidget):
    """A titled form in a box in the middle of the page, with a line for its error."""

    def __init__(self, title: str, intro: str, button: str) -> None:
        super().__init__()
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setFixedWidth(FORM_WIDTH)
        heading = QLabel(title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        explanation = QLabel(intro)
        explanation.setWordWrap(True)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()
        self.button = QPushButton(button)
        self.button.setDefault(True)
        inner = QVBoxLayout(box)
        inner.setSpacing(12)
        inner.addWidget(heading)
        inner.addWidget(explanation)
        inner.addLayout(self.form)
        inner.addWidget(self.error)
        inner.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def line(self, label: str, secret: bool = False) -> QLineEdit:
        edit = QLineEdit()
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.returnPressed.connect(self.button.click)
        self.form.addRow(label, edit)
        return edit

    def show_problem(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class SignInPage(_FormPage):
    signed_in = Signal(object)  # Actor

    def __init__(self, accounts: Accounts) -> None:
        super().__init__(
            "Đăng nhập",
            "Mỗi người dùng máy này đăng nhập bằng tài khoản của mình: mọi thay đổi dữ liệu "
            "được ghi vào nhật ký với tên người làm.",
            "Đăng nhập",
        )
        self._accounts = accounts
        self.username = self.line("Tên đăng nhập:")
        self.password = self.line("Mật khẩu:", secret=True)
        self.button.clicked.connect(self._on_button_clicked)

    def focus(self) -> None:
        (self.password if self.username.text() else self.username).setFocus()

    def _on_button_clicked(self) -> None:
        try:
            actor = self._accounts.sign_in(self.username.text(), self.password.text())
        except DomainError as error:
            self.show_problem(str(error))
            self.password.clear()
            self.focus()
            return
        self.password.clear()
        self.error.hide()
        self.signed_in.emit(actor)


class FirstAdminPage(_FormPage):
    created = Signal(object)  # Actor

    def __init__(self, accounts: Accounts) -> None:
        super().__init__(
            "Tạo tài khoản quản trị",
            "Đây là lần đầu chương trình mở dữ liệu này. Hãy tạo tài khoản cán bộ TĐKT cho "
            "mình: tài khoản này thiết lập xã, là quản trị viên, tạo được tài khoản cho người "
            "khác (Chủ tịch, Văn thư...) và khôi phục dữ liệu từ bản sao lưu. Mật khẩu có ít "
            "nhất 8 ký tự; hãy ghi nhớ, không ai xem lại được mật khẩu.",
            "Tạo tài khoản",
        )
        self._accounts = accounts
        self.full_name = self.line("Họ và tên:")
        self.username = self.line("Tên đăng nhập:")
        self.password = self.line("Mật khẩu:", secret=True)
        self.repeated = self.line("Nhập lại mật khẩu:", secret=True)
        self.button.clicked.connect(self._on_button_clicked)

    def focus(self) -> None:
        self.full_name.setFocus()

    def _on_button_clicked(self) -> None:
        if self.password.text() != self.repeated.text():
            self.show_problem("Hai lần nhập mật khẩu không giống nhau.")
            self.repeated.clear()
            self.repeated.setFocus()
            return
        try:
            actor = self._accounts.create_first_admin(
                # The officer: only that role may set up the commune, which comes next.
                self.username.text(), self.full_name.text(), self.password.text(), Role.OFFICER)
        except DomainError as error:
            self.show_problem(str(error))
            return
        self.created.emit(actor)


class NewPasswordPage(_FormPage):
    """Shown after signing in with a password an administrator has reset."""

    changed = Signal(object)  # Actor

    def __init__(self, accounts: Accounts, actor: Actor) -> None:
        super().__init__(
            "Đặt mật khẩu mới",
            f"Mật khẩu của {actor.full_name} vừa được quản trị viên đặt lại. Hãy đặt mật khẩu "
            "mới chỉ mình biết (ít nhất 8 ký tự) trước khi làm việc.",
            "Đổi mật khẩu",
        )
        self._accounts = accounts
        self._actor = actor
        self.old = self.line("Mật khẩu được cấp:", secret=True)
        self.new = self.line("Mật khẩu mới:", secret=True)
        self.repeated = self.line("Nhập lại mật khẩu mới:", secret=True)
        self.button.clicked.connect(self._on_button_clicked)

    def focus(self) -> None:
        self.old.setFocus()

    def _on_button_clicked(self) -> None:
        if self.new.text() != self.repeated.text():
            self.show_problem("Hai lần nhập mật khẩu mới không giống nhau.")
            self.repeated.clear()
            return
        try:
            actor = self._accounts.change_password(self._actor, self.old.text(), self.new.text())
        except DomainError as error:
            self.show_problem(str(error))
            return
        self.changed.emit(actor)
