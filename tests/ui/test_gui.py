"""Start-up: the window is shown before the database layer loads, then the workspace opens."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.commune import CommuneSetup, OfficialData
from app.services import Services
from tests.conftest import OFFICER, DatabaseFile, account
from ui.account_pages import FirstAdminPage, NewPasswordPage, SignInPage
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


PHUOC_TAN = CommuneSetup(75, 26377, "Phước Tân", officials=(OfficialData("chairman", "Nguyễn Văn Bình"),))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def start(qtbot: QtBot, settings: Settings) -> Iterator[Callable[..., tuple[MainWindow, Startup]]]:
    """Open a window and its start-up on a database file, as run_gui does."""
    opened: list[tuple[MainWindow, Startup]] = []

    def make(path: Path, user: str | None = None, password: str | None = None) -> tuple[MainWindow, Startup]:
        window = MainWindow(settings, path)
        qtbot.addWidget(window)
        startup = Startup(window, path, None, user, password)
        startup.open_database()
        opened.append((window, startup))
        return window, startup

    yield make
    for window, startup in opened:
        window.close()
        startup.close()


def current(window: MainWindow) -> object:
    return window.centralWidget().currentWidget()


def sign_in(page: SignInPage, username: str, password: str) -> None:
    page.username.setText(username)
    page.password.setText(password)
    page.button.click()


def test_signing_in_opens_the_workspace_as_that_user(
        start: Callable[..., tuple[MainWindow, Startup]], database_file: DatabaseFile) -> None:
    window, _ = start(database_file(lambda services: services.commune.save(PHUOC_TAN)))
    page = current(window)
    assert isinstance(page, SignInPage)
    assert window.workspace is None
    sign_in(page, OFFICER[0], OFFICER[2])
    assert window.workspace is not None
    assert window.windowTitle() == "TĐKT Xã — Phường Phước Tân"
    assert window._user.text() == f"Người dùng: {OFFICER[1]} ({OFFICER[0]})"


def test_a_wrong_password_keeps_the_form_with_a_message_and_clears_the_password(
        start: Callable[..., tuple[MainWindow, Startup]], database_file: DatabaseFile) -> None:
    window, _ = start(database_file(lambda services: services.commune.save(PHUOC_TAN)))
    page = current(window)
    sign_in(page, OFFICER[0], "sai-mat-khau")
    assert window.workspace is None
    assert current(window) is page
    assert "không đúng" in page.error.text()
    assert page.password.text() == ""
    assert page.username.text() == OFFICER[0]


def test_user_and_password_given_at_start_sign_in_without_typing(
        start: Callable[..., tuple[MainWindow, Startup]], database_file: DatabaseFile) -> None:
    window, _ = start(database_file(lambda services: services.commune.save(PHUOC_TAN)), *OFFICER[::2])
    assert window.workspace is not None


def test_signing_out_removes_the_workspace_and_its_commands_and_asks_again(
        start: Callable[..., tuple[MainWindow, Startup]], database_file: DatabaseFile) -> None:
    window, _ = start(database_file(lambda services: services.commune.save(PHUOC_TAN)), *OFFICER[::2])
    file_menu = [a.text() for a in window.menu("Tệp").actions() if not a.isSeparator()]
    assert file_menu[-2:] == ["Đăng xuất", "Thoát"]
    next(a for a in window.menu("Tệp").actions() if a.text() == "Đăng xuất").trigger()
    assert window.workspace is None
    assert isinstance(current(window), SignInPage)
    assert [a.text() for a in window.menuBar().actions()] == ["Tệp"]
    assert [a.text() for a in window.menu("Tệp").actions() if a.isVisible() and not a.isSeparator()] == ["Thoát"]
    assert window._user.text() == ""
    sign_in(current(window), OFFICER[0], OFFICER[2])  # the next user gets the commands back
    assert [a.text() for a in window.menuBar().actions()] == ["Tệp", "Sổ theo dõi"]


def test_a_new_database_asks_for_its_first_administrator(
        start: Callable[..., tuple[MainWindow, Startup]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wizards: list[object] = []
    monkeypatch.setattr("ui.setup_wizard.SetupWizard.exec", lambda wizard: wizards.append(wizard) or 0)
    window, _ = start(tmp_path / "new.sqlite")
    page = current(window)
    assert isinstance(page, FirstAdminPage)
    page.full_name.setText("Lê Thị Hoa")
    page.username.setText("hoa")
    page.password.setText("mat-khau-1")
    page.repeated.setText("mat-khau-2")
    page.button.click()
    assert "không giống nhau" in page.error.text()
    page.repeated.setText("mat-khau-1")
    page.button.click()
    assert len(wizards) == 1  # then the commune is set up; cancelling it closes the window


def test_a_reset_password_must_be_changed_before_working(
        start: Callable[..., tuple[MainWindow, Startup]], database_file: DatabaseFile) -> None:
    def fill(services: Services) -> None:
        services.commune.save(PHUOC_TAN)
        admin = Services.create(services.sessions, account(services.sessions, "quantri"))
        user = next(u for u in admin.users.users() if u.username == OFFICER[0])
        admin.users.reset_password(user.id, "cap-moi-123")

    window, _ = start(database_file(fill))
    sign_in(current(window), OFFICER[0], "cap-moi-123")
    page = current(window)
    assert isinstance(page, NewPasswordPage)
    page.old.setText("cap-moi-123")
    page.new.setText("rieng-cua-toi")
    page.repeated.setText("rieng-cua-toi")
    page.button.click()
    assert window.workspace is not None


def test_a_file_that_is_not_a_database_is_explained_and_left_alone(
        start: Callable[..., tuple[MainWindow, Startup]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    shown: list[str] = []
    monkeypatch.setattr("ui.gui.show_error", lambda _parent, title, _text: shown.append(title))
    window, startup = start(path)
    assert shown == ["Không mở được cơ sở dữ liệu"]
    assert startup.failed == 1 and not window.isVisible()
    assert window.workspace is None
    assert path.read_bytes() == b"not a database at all" * 100
