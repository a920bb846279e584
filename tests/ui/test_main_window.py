"""The main window: title and status line, menus others extend, shortcuts, geometry."""

from __future__ import annotations


import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from app.commune import CommuneSetup, OfficialData
from app.services import Services
from app.subject_data import IndividualData
from db.migrate import Database
from ui.main_window import MainWindow
from ui.workspace import DatabaseControl
from ui.settings import Settings
from ui.subject_dialog import SubjectDialog

# The offscreen platform warns that it cannot size windows to their hints.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

PHUOC_TAN = CommuneSetup(75, 26377, "Phước Tân", officials=(OfficialData("chairman", "Nguyễn Văn Bình"),))


def open_window(qtbot: QtBot, services: Services, settings: Settings, database: Database,
                write_pool: QThreadPool) -> MainWindow:
    window = MainWindow(settings, database.path)
    qtbot.addWidget(window)
    window.attach(services, write_pool, DatabaseControl(database.path, lambda: None, lambda: None))
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def test_title_and_status_line_name_the_commune_and_the_database(
        qtbot: QtBot, services: Services, settings: Settings, database: Database, write_pool: QThreadPool) -> None:
    services.commune.save(PHUOC_TAN)
    window = open_window(qtbot, services, settings, database, write_pool)
    assert window.windowTitle() == "TĐKT Xã — Phường Phước Tân"
    assert window._commune.text() == "Phường Phước Tân, Đồng Nai"
    assert window._database.text() == f"Dữ liệu: {database.path}"


def test_without_a_commune_the_status_line_says_so(
        qtbot: QtBot, services: Services, settings: Settings, database: Database, write_pool: QThreadPool) -> None:
    window = open_window(qtbot, services, settings, database, write_pool)
    assert window.windowTitle() == "TĐKT Xã"
    assert window._commune.text() == "Chưa thiết lập xã"
    services.commune.save(PHUOC_TAN)
    window.refresh_commune()
    assert window.windowTitle() == "TĐKT Xã — Phường Phước Tân"


def test_menus_read_in_vietnamese_and_others_can_add_commands(
        qtbot: QtBot, services: Services, settings: Settings, database: Database, write_pool: QThreadPool) -> None:
    window = open_window(qtbot, services, settings, database, write_pool)
    assert [a.text() for a in window.menuBar().actions()] == ["Tệp", "Sổ theo dõi", "Hệ thống"]
    assert [a.text() for a in window.menu("Sổ theo dõi").actions()] == [
        "Thêm mới…", "Mở…", "Xóa…", "Tìm kiếm", "Tải lại"]
    file_menu = [a.text() for a in window.menu("Tệp").actions() if not a.isSeparator()]
    assert file_menu == ["Nhập từ Excel…", "Xuất ra Excel", "Thiết lập xã…", "Đăng xuất", "Thoát"]
    export = next(a for a in window.menu("Tệp").actions() if a.text() == "Xuất ra Excel")
    assert [a.text() for a in export.menu().actions()] == [
        "Thôn, tổ dân phố", "Tập thể", "Cá nhân", "Hộ gia đình", "Lịch sử thi đua, khen thưởng"]
    window.add_action("Tệp", QAction("Sao lưu…", window))
    window.add_action("Công cụ", QAction("Kiểm tra dữ liệu", window))
    assert [a.text() for a in window.menu("Tệp").actions() if not a.isSeparator()][-2:] == [
        "Sao lưu…", "Thoát"]
    assert [a.text() for a in window.menuBar().actions()] == ["Tệp", "Sổ theo dõi", "Hệ thống", "Công cụ"]


def _trigger(window: MainWindow, text: str) -> None:
    next(a for a in window.menu("Tệp").actions() if a.text() == text).trigger()


def test_import_from_the_menu_refreshes_the_register(
        qtbot: QtBot, services: Services, settings: Settings, database: Database, write_pool: QThreadPool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.import_dialog import ImportDialog

    window = open_window(qtbot, services, settings, database, write_pool)

    def fake_exec(dialog: ImportDialog) -> int:
        services.subjects.create(IndividualData("Đặng Văn Nhập", "male"))
        dialog.imported.emit(None)
        return 1

    monkeypatch.setattr(ImportDialog, "exec", fake_exec)
    _trigger(window, "Nhập từ Excel…")
    qtbot.waitUntil(lambda: window.workspace.register.current_page().model.rowCount() == 1, timeout=5000)


def test_commune_setup_from_the_menu_renames_the_window(
        qtbot: QtBot, services: Services, settings: Settings, database: Database, write_pool: QThreadPool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.commune_dialog import CommuneDialog

    window = open_window(qtbot, services, settings, database, write_pool)

    def fake_exec(dialog: CommuneDialog) -> int:
        dialog.saved.emit(services.commune.save(PHUOC_TAN))
        return 1

    monkeypatch.setattr(CommuneDialog, "exec", fake_exec)
    _trigger(window, "Thiết lập xã…")
    assert window.windowTitle() == "TĐKT Xã — Phường Phước Tân"


def test_ctrl_f_puts_the_cursor_in_the_search_box(
        qtbot: QtBot, services: Services, settings: Settings, database: Database, write_pool: QThreadPool) -> None:
    window = open_window(qtbot, services, settings, database, write_pool)
    window.workspace.register.tabs.setFocus()
    assert not window.workspace.register.search.hasFocus()
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace.register.search.hasFocus()


def test_ctrl_n_adds_a_subject_of_the_kind_shown(
        qtbot: QtBot, services: Services, settings: Settings, database: Database, write_pool: QThreadPool) -> None:
    window = open_window(qtbot, services, settings, database, write_pool)
    window.workspace.register.show_kind("collective")
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    [dialog] = window.findChildren(SubjectDialog)
    assert dialog.windowTitle() == "Thêm tập thể"
    assert dialog.form.field("name").text() == ""
    dialog.reject()


def test_the_register_lists_what_is_stored(
        qtbot: QtBot, services: Services, settings: Settings, database: Database, write_pool: QThreadPool) -> None:
    services.subjects.create_many([IndividualData("Phạm An", "male"), IndividualData("Đặng Bình", "female")])
    window = open_window(qtbot, services, settings, database, write_pool)
    model = window.workspace.register.current_page().model
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    assert [model.row(i).name for i in range(2)] == ["Phạm An", "Đặng Bình"]
    assert window.workspace.register.tabs.tabText(0) == "Cá nhân (2)"


def test_window_size_and_place_are_remembered(
        qtbot: QtBot, services: Services, settings: Settings, database: Database, write_pool: QThreadPool) -> None:
    window = open_window(qtbot, services, settings, database, write_pool)
    window.resize(780, 500)  # the offscreen screen is 800×600; larger sizes get clamped
    window.close()
    assert settings.window_geometry is not None
    again = open_window(qtbot, services, settings, database, write_pool)
    assert (again.width(), again.height()) == (780, 500)


def test_the_dashboard_comes_first_and_leads_to_the_year_view(
        qtbot: QtBot, services: Services, settings: Settings, database: Database, write_pool: QThreadPool) -> None:
    window = open_window(qtbot, services, settings, database, write_pool)
    workspace = window.workspace
    assert workspace._stack.currentWidget() is workspace.dashboard
    workspace.dashboard.open_tab.emit("nominations", 2025)
    assert workspace._stack.currentWidget() is workspace.year_view
    assert workspace.year_view.current_tab() is workspace.year_view.nominations
    assert workspace.year_view.year == 2025
    workspace.show_area(workspace.statistics_view)
    assert workspace._stack.currentWidget() is workspace.statistics_view
