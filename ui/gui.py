"""The GUI composition root: shows the window at once, then opens the database and builds
everything else, passing it down.

Only PySide6 and the window frame are imported before the window is shown; the database
layer (SQLAlchemy, the models, the services) is imported by `Startup.open_database()` while
the window already says "Đang mở dữ liệu…".
"""

from __future__ import annotations

import logging
import sys
import traceback
from concurrent.futures import Future
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from app.paths import APP_NAME, ORG_NAME
from ui import pyside_fixes
from ui.dialogs import show_error, show_warning
from ui.garbage import MainThreadGarbageCollector
from ui.main_window import MainWindow
from ui.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from app.accounts import Accounts
    from app.roles import Actor
    from app.services import Services
    from db.integrity import DatabaseOpenError
    from db.migrate import Database

log = logging.getLogger(__name__)


def run_gui(database_path: Path, checked: Future[str | None] | None = None,
            user: str | None = None, password: str | None = None) -> int:
    """Show the GUI on the database; `checked` is its integrity check, if already started.

    `user` fills in the sign-in form; with `password` too (from TDKT_PASSWORD, as for the
    headless commands) the user is signed in without typing.
    """
    pyside_fixes.install()
    qt_app = QApplication(sys.argv)
    qt_app.setOrganizationName(ORG_NAME)
    qt_app.setApplicationName(APP_NAME)
    sys.excepthook = _show_unexpected_error
    MainThreadGarbageCollector(qt_app)
    settings = Settings(QSettings())
    window = MainWindow(settings, database_path)
    window.show_message("Đang mở dữ liệu…")
    window.show()
    startup = Startup(window, settings, database_path, checked, user, password)
    QTimer.singleShot(0, startup.open_database)
    try:
        code = qt_app.exec()
        return startup.failed or code
    finally:
        startup.close()


class Startup(QObject):
    """Opens the database behind the shown window, signs the user in, opens the workspace."""

    def __init__(self, window: MainWindow, settings: Settings, database_path: Path,
                 checked: Future[str | None] | None, user: str | None = None,
                 password: str | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._path = database_path
        self._checked = checked
        self._user, self._password = user, password
        self._database: Database | None = None
        self.failed = 0  # the exit code after a start-up that could not open the database
        self._sessions: sessionmaker[Session] | None = None
        self._accounts: Accounts | None = None
        self.write_pool = QThreadPool()
        self.write_pool.setMaxThreadCount(1)  # one writer: SQLite allows no more
        window.signed_out.connect(self.ask_who)

    def open_database(self) -> None:
        """Open (after a restore: open again) the database, then ask who is working."""
        from sqlalchemy.orm import sessionmaker

        from app.accounts import Accounts
        from app.audit import AuditTrail
        from db.integrity import DatabaseDamagedError, DatabaseOpenError
        from db.migrate import open_database

        checked, self._checked = self._checked, None  # the early check is for the first open
        try:
            self._database = open_database(self._path, checked=checked)
        except DatabaseDamagedError as error:
            if self._recovered(error):
                self.open_database()
            else:
                self._fail("Cơ sở dữ liệu bị hỏng", str(error), explained=True)
            return
        except DatabaseOpenError as error:
            self._fail("Không mở được cơ sở dữ liệu", str(error))
            return
        self._sessions = sessionmaker(self._database.engine, expire_on_commit=False)
        self._accounts = Accounts(self._sessions, AuditTrail(self._sessions))
        self._warn_about_storage()
        self.ask_who()

    def _backups_folder(self) -> Path:
        from ui.workspace import backup_folders

        return backup_folders(self._settings, self._path).backups

    def _recovered(self, error: DatabaseOpenError) -> bool:
        """Offer the newest valid backup in place of a damaged database."""
        from ui.recovery_dialog import RecoveryDialog

        dialog = RecoveryDialog(error, self._path, self._backups_folder(), parent=self._window)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        return accepted

    def _warn_about_storage(self) -> None:
        from app.storage import storage_warning

        warning = storage_warning(self._path.parent)
        if warning is not None:
            show_warning(self._window, "Nơi lưu dữ liệu không an toàn", warning)

    def close_database(self) -> None:
        """Let go of the database so a restore can replace the file (no backup of it first:
        the restore keeps the current file aside itself)."""
        self._window.close_workspace(back_up=False)
        self._window.show_message("Đang khôi phục dữ liệu…")
        self.close()

    def ask_who(self) -> None:
        """Sign in, or create the first administrator of a new database."""
        from ui.account_pages import FirstAdminPage, SignInPage

        assert self._accounts is not None
        if not self._accounts.has_users():
            first = FirstAdminPage(self._accounts)
            first.created.connect(self._on_signed_in)
            self._show(first)
            return
        page = SignInPage(self._accounts)
        page.signed_in.connect(self._on_signed_in)
        if self._user:
            page.username.setText(self._user)
        self._show(page)
        if self._user and self._password:
            page.password.setText(self._password)
            self._password = None  # once: after signing out, the form waits for a person
            page.button.click()

    def _show(self, page: QWidget) -> None:
        self._window.show_page(page)
        page.focus()

    def _on_signed_in(self, actor: Actor) -> None:
        from app.services import Services

        self._window.forget_pages()
        if actor.must_change_password:
            from ui.account_pages import NewPasswordPage

            page = NewPasswordPage(self._accounts, actor)
            page.changed.connect(self._on_signed_in)
            self._show(page)
            return
        services = Services.create(self._sessions, actor)
        if services.commune.get() is None and not self._set_up(services):
            return
        from ui.workspace import DatabaseControl

        assert self._database is not None
        self._window.attach(services, self.write_pool,
                            DatabaseControl(self._database.path, self.close_database, self.open_database))

    def _set_up(self, services: Services) -> bool:
        """The first-run wizard; False when the commune is still not set up."""
        from app.roles import Permission

        if not services.actor.can(Permission.EDIT_SETUP):
            self._window.show_message(
                "Xã chưa được thiết lập. Hãy đăng nhập bằng tài khoản cán bộ TĐKT để khai báo "
                "xã trước (menu Tệp ▸ Đăng xuất).")
            self._window.allow_sign_out()
            return False
        from ui.setup_wizard import SetupWizard  # first run only; spare every other start

        wizard = SetupWizard(services, self.write_pool, self._window)
        accepted = wizard.exec() == QDialog.DialogCode.Accepted
        wizard.deleteLater()
        if not accepted:
            self._window.close()
        return accepted

    def _fail(self, title: str, message: str, explained: bool = False) -> None:
        self._window.show_message(message)
        if not explained:
            show_error(self._window, title, message)
        self.failed = 1
        self._window.close()  # the last window: the application ends

    def close(self) -> None:
        """Let writes finish, then close the database and release its lock."""
        self.write_pool.waitForDone()
        if self._database is not None:
            self._database.close()
            self._database = None


def _show_unexpected_error(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    from db.engine import StorageError

    if isinstance(error, StorageError):
        show_error(None, "Không ghi được dữ liệu", str(error))
        return
    log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, error, trace)))
    show_error(
        None,
        "Lỗi không mong muốn",
        f"Chương trình gặp lỗi không mong muốn: {error}\n\n"
        "Dữ liệu đã lưu không bị ảnh hưởng. Hãy báo lỗi này cho người hỗ trợ.",
    )
