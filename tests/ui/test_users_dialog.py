"""«Quản lý tài khoản», driven as an administrator would; refusals keep what was typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from app.accounts import Accounts, UserRow
from app.audit import AuditTrail
from app.roles import Role
from app.services import Services
from tests.conftest import ADMIN, OFFICER, account
from ui.user_table import UserColumn, UserTableModel, status_text
from ui.users_dialog import ResetPasswordDialog, UserForm, UsersDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def admin_services(sessions: sessionmaker[Session]) -> Services:
    return Services.create(sessions, account(sessions, ADMIN[0]))


@pytest.fixture
def dialog(qtbot: QtBot, admin_services: Services) -> UsersDialog:
    shown = UsersDialog(admin_services)
    qtbot.addWidget(shown)
    return shown


class Answers:
    """The titles of the questions asked through `confirm`, and the replies still to give
    (a question without a reply is declined)."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.replies: list[bool] = []

    def confirm(self, _parent: object, title: str, _message: str, _action: str, keep: str = "Hủy") -> bool:
        self.asked.append(title)
        return self.replies.pop(0) if self.replies else False


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    answering = Answers()
    monkeypatch.setattr("ui.users_dialog.confirm", answering.confirm)
    return answering


def user_named(services: Services, username: str) -> UserRow:
    return next(user for user in services.users.users() if user.username == username)


def select(dialog: UsersDialog, username: str) -> None:
    rows = [dialog.model.user(row) for row in range(dialog.model.rowCount())]
    dialog.table.select(next(user.id for user in rows if user.username == username))


def save_button(form: UserForm | ResetPasswordDialog) -> Callable[[], None]:
    box = form.buttons
    button = box.button(QDialogButtonBox.StandardButton.Save) or box.button(QDialogButtonBox.StandardButton.Ok)
    return button.click


def test_user_model_passes_the_model_tester(qtmodeltester: object, admin_services: Services) -> None:
    model = UserTableModel()
    model.set_rows(admin_services.users.users())
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    texts = [[model.index(row, column).data() for column in UserColumn] for row in range(model.rowCount())]
    assert ["quantri", ADMIN[1], "Cán bộ TĐKT", "Có", "Hoạt động", "—"] in texts
    assert ["canbo", OFFICER[1], "Cán bộ TĐKT", "—", "Hoạt động", "—"] in texts


def test_a_locked_account_shows_until_when(admin_services: Services) -> None:
    now = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    officer = replace(user_named(admin_services, "canbo"), locked_until=now + timedelta(seconds=30))
    assert status_text(officer, now) == f"Tạm khóa đến {officer.locked_until.astimezone():%H:%M:%S}"
    assert status_text(officer, now + timedelta(minutes=1)) == "Hoạt động"
    assert status_text(replace(officer, active=False), now) == "Ngừng hoạt động"


def test_the_table_lists_every_account(dialog: UsersDialog) -> None:
    assert sorted(dialog.model.user(row).username for row in range(dialog.model.rowCount())) == [
        "canbo", "quantri"]
    assert dialog.add_button.isEnabled()
    assert not dialog.edit_button.isEnabled()  # nothing selected yet


def test_adding_a_user_creates_it_with_a_password_to_change(dialog: UsersDialog, admin_services: Services,
                                                            sessions: sessionmaker[Session]) -> None:
    form = dialog.add_user()
    assert isinstance(form, UserForm)
    form.full_name.setText("Lê Văn Chủ")
    form.username.setText("chutich")
    form.role.setCurrentIndex(form.role.findData(Role.APPROVER))
    form.password.setText("tam-thoi-123")
    form.repeated.setText("tam-thoi-123")
    save_button(form)()

    created = user_named(admin_services, "chutich")
    assert (created.full_name, created.role, created.is_admin) == ("Lê Văn Chủ", Role.APPROVER, False)
    assert created.must_change_password and created.active
    assert dialog.table.selected() == created
    assert Accounts(sessions, AuditTrail(sessions)).sign_in("chutich", "tam-thoi-123").must_change_password


def test_a_refused_form_keeps_what_was_typed_and_says_why(dialog: UsersDialog,
                                                          admin_services: Services) -> None:
    form = dialog.add_user()
    assert isinstance(form, UserForm)
    form.full_name.setText("Người Trùng Tên")
    form.username.setText("CanBo")
    form.password.setText("mat-khau-du-dai")
    form.repeated.setText("mat-khau-du-dai")
    save_button(form)()

    assert form.isVisible()
    assert form.error.text() == "Đã có tài khoản «CanBo»."
    assert (form.full_name.text(), form.username.text(), form.password.text()) == (
        "Người Trùng Tên", "CanBo", "mat-khau-du-dai")

    form.username.setText("moi")
    form.password.setText("ngan")
    form.repeated.setText("ngan")
    save_button(form)()
    assert form.isVisible()
    assert form.error.text() == "Mật khẩu phải có ít nhất 8 ký tự."
    assert form.full_name.text() == "Người Trùng Tên"
    assert len(admin_services.users.users()) == 2


def test_passwords_typed_differently_are_refused_before_the_service(dialog: UsersDialog,
                                                                    admin_services: Services) -> None:
    form = dialog.add_user()
    assert isinstance(form, UserForm)
    form.full_name.setText("Phạm Thị Thư")
    form.username.setText("vanthu")
    form.password.setText("mat-khau-mot")
    form.repeated.setText("mat-khau-hai")
    save_button(form)()
    assert form.isVisible()
    assert form.error.text() == "Hai lần nhập mật khẩu không giống nhau."
    assert len(admin_services.users.users()) == 2


def test_editing_changes_name_role_and_admin(dialog: UsersDialog, admin_services: Services) -> None:
    select(dialog, "canbo")
    form = dialog.edit_selected()
    assert isinstance(form, UserForm)
    assert form.username.isReadOnly() and form.full_name.text() == OFFICER[1]
    form.full_name.setText("Nguyễn Thị Cán Bộ")
    form.role.setCurrentIndex(form.role.findData(Role.CLERK))
    form.is_admin.setChecked(True)
    save_button(form)()
    changed = user_named(admin_services, "canbo")
    assert (changed.full_name, changed.role, changed.is_admin) == ("Nguyễn Thị Cán Bộ", Role.CLERK, True)
    assert dialog.table.selected() == changed


def test_the_own_account_keeps_its_role_and_cannot_be_stopped(dialog: UsersDialog) -> None:
    select(dialog, "quantri")
    assert not dialog.active_button.isEnabled()
    form = dialog.edit_selected()
    assert isinstance(form, UserForm)
    assert not form.role.isEnabled() and not form.is_admin.isEnabled()


def test_resetting_a_password_asks_first_and_does_nothing_when_declined(
        dialog: UsersDialog, admin_services: Services, answers: Answers,
        sessions: sessionmaker[Session]) -> None:
    select(dialog, "canbo")
    form = dialog.reset_selected()
    assert isinstance(form, ResetPasswordDialog)
    form.password.setText("mat-khau-moi-1")
    form.repeated.setText("mat-khau-moi-1")
    save_button(form)()
    assert answers.asked == ["Đặt lại mật khẩu"]
    assert form.isVisible()
    assert not user_named(admin_services, "canbo").must_change_password

    answers.replies.append(True)
    save_button(form)()
    assert not form.isVisible()
    assert user_named(admin_services, "canbo").must_change_password
    assert Accounts(sessions, AuditTrail(sessions)).sign_in("canbo", "mat-khau-moi-1").username == "canbo"


def test_a_refused_reset_keeps_the_form_open(dialog: UsersDialog, answers: Answers) -> None:
    select(dialog, "canbo")
    form = dialog.reset_selected()
    assert isinstance(form, ResetPasswordDialog)
    form.password.setText("ngan")
    form.repeated.setText("ngan")
    answers.replies.append(True)
    save_button(form)()
    assert form.isVisible()
    assert form.error.text() == "Mật khẩu phải có ít nhất 8 ký tự."
    assert form.password.text() == "ngan"


def test_stopping_an_account_asks_first_and_reactivating_does_not(
        dialog: UsersDialog, admin_services: Services, answers: Answers) -> None:
    select(dialog, "canbo")
    assert dialog.active_button.text() == "Ngừng hoạt động"
    dialog.active_button.click()
    assert answers.asked == ["Ngừng hoạt động tài khoản"]
    assert user_named(admin_services, "canbo").active

    answers.replies.append(True)
    dialog.active_button.click()
    assert not user_named(admin_services, "canbo").active
    assert dialog.table.selected() == user_named(admin_services, "canbo")
    assert dialog.active_button.text() == "Cho hoạt động lại"
    row = dialog.model.row_of(user_named(admin_services, "canbo").id)
    assert dialog.model.index(row, UserColumn.STATUS).data() == "Ngừng hoạt động"

    dialog.active_button.click()
    assert answers.asked == ["Ngừng hoạt động tài khoản", "Ngừng hoạt động tài khoản"]
    assert user_named(admin_services, "canbo").active


def test_a_refusal_of_the_service_is_shown_and_changes_nothing(
        dialog: UsersDialog, sessions: sessionmaker[Session], admin_services: Services,
        answers: Answers) -> None:
    """While the dialog is open, a second administrator takes quantri's rights away; stopping
    that second one, now the last administrator, is refused."""
    admin_services.users.create("quantri2", "Đỗ Văn Hai", Role.OFFICER, "quantri2-matkhau", is_admin=True)
    second = Services.create(sessions, account(sessions, "quantri2"))
    quantri = user_named(second, "quantri")
    second.users.update(quantri.id, quantri.full_name, quantri.role, is_admin=False)
    dialog.reload()

    select(dialog, "quantri2")
    answers.replies.append(True)
    dialog.active_button.click()
    assert dialog.message.text().startswith("Phải luôn còn ít nhất một quản trị viên đang hoạt động")
    assert not dialog.message.isHidden()
    assert user_named(second, "quantri2").active


def test_an_account_without_the_right_sees_why_instead_of_a_crash(qtbot: QtBot, services: Services) -> None:
    shown = UsersDialog(services)
    qtbot.addWidget(shown)
    assert shown.model.rowCount() == 0
    assert "không có quyền quản lý tài khoản" in shown.message.text()
    assert not shown.message.isHidden()
    assert not any(button.isEnabled() for button in (shown.add_button, shown.edit_button,
                                                      shown.reset_button, shown.active_button))
    assert shown.add_user() is None
