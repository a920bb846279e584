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
from PySide6.QtWidgets import QApplication, QDialog

from app.paths import APP_NAME, ORG_NAME
from ui.dialogs import show_error
from ui.garbage import MainThreadGarbageCollector
from ui.main_window import MainWindow
from ui.settings import Settings

if TYPE_CHECKING:
    from app.services import Services
    from db.migrate import Database

log = logging.getLogger(__name__)


def run_gui(database_path: Path, checked: Future[str | None] | None = None) -> int:
    """Show the GUI on the database; `checked` is its integrity check, if already started."""
    qt_app = QApplication(sys.argv)
    qt_app.setOrganizationName(ORG_NAME)
    qt_app.setApplicationName(APP_NAME)
    sys.excepthook = _show_unexpected_error
    MainThreadGarbageCollector(qt_app)
    window = MainWindow(Settings(QSettings()), database_path)
    window.show_message("Đang mở dữ liệu…")
    window.show()
    startup = Startup(window, database_path, checked)
    QTimer.singleShot(0, startup.open_database)
    try:
        return qt_app.exec()
    finally:
        startup.close()


class Startup(QObject):
    """Opens the database behind the shown window, then the workspace."""

    def __init__(self, window: MainWindow, database_path: Path,
                 checked: Future[str | None] | None) -> None:
        super().__init__(window)
        self._window = window
        self._path = database_path
        self._checked = checked
        self._database: Database | None = None
        self.write_pool = QThreadPool()
        self.write_pool.setMaxThreadCount(1)  # one writer: SQLite allows no more

    def open_database(self) -> None:
        from sqlalchemy.orm import sessionmaker

        from app.services import Services
        from db.integrity import DatabaseOpenError
        from db.migrate import open_database

        try:
            self._database = open_database(self._path, checked=self._checked)
        except DatabaseOpenError as error:
            self._fail("Không mở được cơ sở dữ liệu", str(error))
            return
        sessions = sessionmaker(self._database.engine, expire_on_commit=False)
        self._open_workspace(Services.create(sessions))

    def _open_workspace(self, services: Services) -> None:
        if services.commune.get() is None:
            from ui.setup_wizard import SetupWizard  # first run only; spare every other start

            wizard = SetupWizard(services, self.write_pool, self._window)
            accepted = wizard.exec() == QDialog.DialogCode.Accepted
            wizard.deleteLater()
            if not accepted:
                self._window.close()
                return
        self._window.attach(services, self.write_pool)

    def _fail(self, title: str, message: str) -> None:
        self._window.show_message(message)
        show_error(self._window, title, message)
        QApplication.instance().exit(1)

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
