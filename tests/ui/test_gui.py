"""Start-up: the window is shown before the database layer loads, then the workspace opens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.commune import CommuneSetup, OfficialData
from app.services import Services
from tests.conftest import DatabaseFile
from ui.gui import Startup
from ui.main_window import MainWindow
from ui.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_the_window_is_built_without_loading_the_database_layer() -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from PySide6.QtCore import QSettings\n"
        "from ui.gui import MainWindow, Settings\n"
        "app = QApplication([])\n"
        "window = MainWindow(Settings(QSettings('x', 'y')), 'tdkt.sqlite')\n"
        "window.show()\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'db', 'alembic')"
        " or m in ('app.services', 'openpyxl'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}, check=True)
    assert result.stdout.strip() == "[]"


def test_startup_opens_the_workspace_on_a_set_up_database(
        qtbot: QtBot, tmp_path: Path, database_file: DatabaseFile) -> None:
    path = database_file(lambda services: services.commune.save(
        CommuneSetup(75, 26377, "Phước Tân", officials=(OfficialData("chairman", "Nguyễn Văn Bình"),))))
    window = MainWindow(Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)), path)
    qtbot.addWidget(window)
    startup = Startup(window, path, None)
    startup.open_database()
    try:
        assert window.workspace is not None
        assert window.windowTitle() == "TĐKT Xã — Phường Phước Tân"
    finally:
        window.close()
        startup.close()


def test_a_file_that_is_not_a_database_is_explained_and_left_alone(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    shown: list[str] = []
    monkeypatch.setattr("ui.gui.show_error", lambda _parent, title, _text: shown.append(title))
    window = MainWindow(Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)), path)
    qtbot.addWidget(window)
    startup = Startup(window, path, None)
    startup.open_database()
    startup.close()
    assert shown == ["Không mở được cơ sở dữ liệu"]
    assert window.workspace is None
    assert path.read_bytes() == b"not a database at all" * 100
