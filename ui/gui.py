"""The GUI composition root: builds everything once and passes it down."""

from __future__ import annotations

import logging
import sys
import traceback
from concurrent.futures import Future
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy.orm import sessionmaker

from app.paths import APP_NAME, ORG_NAME
from app.services import Services
from db.engine import StorageError
from db.integrity import DatabaseOpenError
from db.migrate import open_database
from ui.dialogs import show_error
from ui.garbage import MainThreadGarbageCollector
from ui.main_window import MainWindow
from ui.settings import Settings

log = logging.getLogger(__name__)


def run_gui(database_path: Path, checked: Future[str | None] | None = None) -> int:
    """Show the GUI on the database; `checked` is its integrity check, if already started."""
    qt_app = QApplication(sys.argv)
    qt_app.setOrganizationName(ORG_NAME)
    qt_app.setApplicationName(APP_NAME)
    sys.excepthook = _show_unexpected_error
    MainThreadGarbageCollector(qt_app)
    try:
        database = open_database(database_path, checked=checked)
    except DatabaseOpenError as error:
        show_error(None, "Không mở được cơ sở dữ liệu", str(error))
        return 1
    try:
        services = Services.create(sessionmaker(database.engine, expire_on_commit=False))
        write_pool = QThreadPool()
        write_pool.setMaxThreadCount(1)  # one writer: SQLite allows no more
        if services.commune.get() is None:
            from ui.setup_wizard import SetupWizard  # first run only; spare every other start

            wizard = SetupWizard(services, write_pool)
            if wizard.exec() != QDialog.DialogCode.Accepted:
                return 0
        window = MainWindow(services, Settings(QSettings()), database.path, write_pool)
        window.show()
        code = qt_app.exec()
        write_pool.waitForDone()
        return code
    finally:
        database.close()


def _show_unexpected_error(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
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
