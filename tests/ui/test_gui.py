"""Start-up: the window is shown before the database layer loads, then the workspace opens."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.commune import CommuneSetup, OfficialData
from app.services import Services
from app.subject_data import IndividualData
from tests.conftest import ADMIN, OFFICER, DatabaseFile, account
from ui.account_pages import FirstAdminPage, NewPasswordPage, SignInPage
from ui.gui import Startup
from ui.main_window import MainWindow
from ui.ratings_table import RatingColumn
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
def start(qtbot: QtBot, settings: Settings) -> Iterator[Callable[..., tuple[MainWindow, Startup]]]:
    """Open a window and its start-up on a database file, as run_gui does."""
    opened: list[tuple[MainWindow, Startup]] = []

    def make(path: Path, user: str | None = None, password: str | None = None) -> tuple[MainWindow, Startup]:
        window = MainWindow(settings, path)
        qtbot.addWidget(window)
        startup = Startup(window, settings, path, None, user, password)
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
    assert [a.text() for a in window.menuBar().actions()] == ["Tệp", "Sổ theo dõi", "Hệ thống"]


def system_menu(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menu("Hệ thống").actions() if not a.isSeparator()]


def test_the_system_menu_offers_what_the_role_allows(
        start: Callable[..., tuple[MainWindow, Startup]], database_file: DatabaseFile) -> None:
    path = database_file(lambda services: services.commune.save(PHUOC_TAN))
    window, _ = start(path, *OFFICER[::2])
    assert system_menu(window) == ["Sao lưu dữ liệu…", "Kiểm tra dữ liệu",
                                   "Thiết lập quy tắc xét khen thưởng…", "Lịch ngày nghỉ, ngày làm bù…",
                                   "Đổi mật khẩu…"]
    next(a for a in window.menu("Tệp").actions() if a.text() == "Đăng xuất").trigger()
    sign_in(current(window), ADMIN[0], ADMIN[2])
    assert system_menu(window) == ["Sao lưu dữ liệu…", "Khôi phục dữ liệu…", "Kiểm tra dữ liệu",
                                   "Quản lý tài khoản…", "Thiết lập quy tắc xét khen thưởng…",
                                   "Lịch ngày nghỉ, ngày làm bù…", "Đổi mật khẩu…"]


def test_a_change_is_backed_up_when_the_user_leaves(
        start: Callable[..., tuple[MainWindow, Startup]], database_file: DatabaseFile, tmp_path: Path) -> None:
    path = database_file(lambda services: services.commune.save(PHUOC_TAN))
    window, _ = start(path, *OFFICER[::2])
    workspace = window.workspace
    assert workspace is not None and not workspace.auto_backup.pending
    services = workspace.register._services
    services.subjects.create(IndividualData("Đặng Thị Mới", "female"))
    workspace._on_change_poll_timeout()  # what the timer does every few seconds
    assert workspace.auto_backup.pending
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    next(a for a in window.menu("Tệp").actions() if a.text() == "Đăng xuất").trigger()
    assert said == ["Đang sao lưu dữ liệu trước khi đóng…", ""]  # and gone once done
    [backup] = (path.parent / "backups").glob("*.sqlite")
    connection = sqlite3.connect(backup)
    try:
        assert connection.execute("SELECT count(*) FROM subjects").fetchone() == (1,)
    finally:
        connection.close()


def test_ratings_typed_and_not_saved_are_asked_about_before_exit_and_sign_out(
        start: Callable[..., tuple[MainWindow, Startup]], database_file: DatabaseFile,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import ratings_panel

    path = database_file(lambda services: (services.commune.save(PHUOC_TAN), services.subjects.create(
        IndividualData("Đặng Thị Mới", "female", employment="cong_chuc"))))
    window, _ = start(path, *OFFICER[::2])
    window.show()
    workspace = window.workspace
    assert workspace is not None
    ratings = workspace.year_view.review.ratings
    ratings.reload()
    assert ratings.model.setData(ratings.model.index(0, RatingColumn.RATING), "tot")
    workspace.show_area(workspace.register)
    monkeypatch.setattr(ratings_panel, "choose", lambda *_args: None)  # the officer stays
    window.close()
    assert window.workspace is workspace and window.isVisible()
    assert workspace._stack.currentWidget() is workspace.year_view  # shown where the typing is
    next(a for a in window.menu("Tệp").actions() if a.text() == "Đăng xuất").trigger()
    assert window.workspace is workspace and ratings.has_unsaved_changes()
    monkeypatch.setattr(ratings_panel, "choose", lambda *_args: 1)  # «Bỏ các thay đổi»
    window.close()
    assert not window.isVisible()


def test_restore_lets_go_of_the_database_and_takes_it_back_at_the_sign_in(
        start: Callable[..., tuple[MainWindow, Startup]], database_file: DatabaseFile) -> None:
    path = database_file(lambda services: services.commune.save(PHUOC_TAN))
    window, startup = start(path, *OFFICER[::2])
    startup.close_database()
    assert window.workspace is None
    assert not Path(f"{path}.lock").exists() or _unlocked(path)
    startup.open_database()
    assert isinstance(current(window), SignInPage)
    sign_in(current(window), OFFICER[0], OFFICER[2])
    assert window.workspace is not None


def _unlocked(path: Path) -> bool:
    import filelock

    lock = filelock.FileLock(f"{path}.lock", timeout=0)
    lock.acquire()
    lock.release()
    return True


def test_a_data_folder_on_a_network_drive_is_warned_about(
        start: Callable[..., tuple[MainWindow, Startup]], database_file: DatabaseFile,
        monkeypatch: pytest.MonkeyPatch) -> None:
    warned: list[str] = []
    monkeypatch.setattr("app.storage.storage_warning", lambda _folder: "Thư mục dữ liệu nằm trên ổ mạng.")
    monkeypatch.setattr("ui.gui.show_warning", lambda _parent, _title, text: warned.append(text))
    start(database_file(lambda services: services.commune.save(PHUOC_TAN)))
    assert warned == ["Thư mục dữ liệu nằm trên ổ mạng."]


def test_a_damaged_database_offers_recovery_and_quitting_leaves_it_untouched(
        start: Callable[..., tuple[MainWindow, Startup]], database_file: DatabaseFile,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = database_file(lambda services: services.commune.save(PHUOC_TAN))
    content = bytearray(path.read_bytes())
    for page in range(1, len(content) // 4096):
        content[page * 4096] = 0x07  # not a valid page type: every page after the first is damaged
    path.write_bytes(bytes(content))
    offered: list[Path] = []
    monkeypatch.setattr("ui.recovery_dialog.RecoveryDialog.exec",
                        lambda dialog: offered.append(dialog) or QDialog.DialogCode.Rejected)
    window, startup = start(path)
    assert len(offered) == 1
    assert startup.failed == 1 and window.workspace is None
    assert path.read_bytes() == bytes(content)


def test_an_attachment_changed_on_disk_is_reported_after_signing_in(
        start: Callable[..., tuple[MainWindow, Startup]], database_file: DatabaseFile,
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.attachments import AttachmentStore

    scan = tmp_path / "bien-ban.pdf"
    scan.write_bytes("%PDF-1.4 biên bản họp Hội đồng".encode())
    stored: list[str] = []

    def fill(services: Services) -> None:
        services.commune.save(PHUOC_TAN)
        path = Path(services.sessions.kw["bind"].url.database)
        store = AttachmentStore(services.sessions, services.actor, services.audit, path.parent)
        stored.append(store.add("nomination-uuid", scan).stored_path)

    path = database_file(fill)
    (path.parent / stored[0]).write_bytes("%PDF-1.4 sửa ngoài chương trình".encode())
    warned: list[str] = []
    monkeypatch.setattr("ui.workspace.show_warning", lambda _parent, title, _text: warned.append(title))
    start(path, *OFFICER[::2])
    qtbot.waitUntil(lambda: warned == ["Tệp đính kèm bị thay đổi hoặc bị mất"], timeout=5000)


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
    [user] = wizards[0]._services.users.users()
    assert (user.username, user.role, user.is_admin) == ("hoa", "officer", True)


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


def test_another_programs_database_is_explained_and_left_alone(
        start: Callable[..., tuple[MainWindow, Startup]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ke-toan.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER)")
    connection.commit()
    connection.close()
    content = path.read_bytes()
    shown: list[str] = []
    monkeypatch.setattr("ui.gui.show_error", lambda _parent, title, _text: shown.append(title))
    window, startup = start(path)
    assert shown == ["Không mở được cơ sở dữ liệu"]
    assert startup.failed == 1 and not window.isVisible()
    assert window.workspace is None
    assert path.read_bytes() == content
