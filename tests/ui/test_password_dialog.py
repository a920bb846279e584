"""«Đổi mật khẩu»: the signed-in officer changes their own password."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from app.accounts import Accounts
from app.audit import AuditTrail
from app.errors import AuthenticationError
from app.services import Services
from tests.conftest import OFFICER
from ui.password_dialog import CHANGED_MESSAGE, PasswordDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def infos(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr("ui.password_dialog.show_info",
                        lambda _parent, _title, message: shown.append(message))
    return shown


@pytest.fixture
def dialog(qtbot: QtBot, services: Services) -> PasswordDialog:
    shown = PasswordDialog(services)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def fill(dialog: PasswordDialog, old: str, new: str, repeated: str | None = None) -> None:
    dialog.old.setText(old)
    dialog.new.setText(new)
    dialog.repeated.setText(new if repeated is None else repeated)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_a_changed_password_is_the_one_to_sign_in_with(qtbot: QtBot, dialog: PasswordDialog,
                                                       infos: list[str],
                                                       sessions: sessionmaker[Session]) -> None:
    with qtbot.waitSignal(dialog.changed) as changed:
        fill(dialog, OFFICER[2], "mat-khau-moi-cua-can")
    assert changed.args[0].username == OFFICER[0]
    assert infos == [CHANGED_MESSAGE]
    assert dialog.result() == QDialog.DialogCode.Accepted
    accounts = Accounts(sessions, AuditTrail(sessions))
    assert accounts.sign_in(OFFICER[0], "mat-khau-moi-cua-can").username == OFFICER[0]
    with pytest.raises(AuthenticationError):
        accounts.sign_in(OFFICER[0], OFFICER[2])


def test_a_wrong_current_password_is_said_and_the_dialog_stays(dialog: PasswordDialog, infos: list[str],
                                                               sessions: sessionmaker[Session]) -> None:
    fill(dialog, "khong-phai-mat-khau", "mat-khau-moi-cua-can")
    assert dialog.isVisible()
    assert dialog.error.text() == "Mật khẩu hiện tại không đúng."
    assert dialog.new.text() == "mat-khau-moi-cua-can"
    assert infos == []
    assert Accounts(sessions, AuditTrail(sessions)).sign_in(OFFICER[0], OFFICER[2]).username == OFFICER[0]


def test_new_passwords_typed_differently_or_too_short_are_refused(dialog: PasswordDialog,
                                                                  infos: list[str]) -> None:
    fill(dialog, OFFICER[2], "mat-khau-moi-1", "mat-khau-moi-2")
    assert dialog.error.text() == "Hai lần nhập mật khẩu mới không giống nhau."
    fill(dialog, OFFICER[2], "ngan")
    assert dialog.error.text() == "Mật khẩu phải có ít nhất 8 ký tự."
    assert dialog.isVisible() and infos == []
