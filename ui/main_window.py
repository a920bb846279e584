"""The main window: a frame with menus and a status line that is shown at once, before the
database layer is even imported, so the officer sees the program start without waiting.

What it shows changes as the start-up goes on: a message while the database opens, then a
sign-in form, then the workspace (`ui.workspace`) with the areas of the program. The
services reach the window with `attach()` once they exist, for that reason.
Other parts of the program add their commands with `add_action("Tệp", action)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QStackedWidget, QWidget

from ui.settings import Settings

if TYPE_CHECKING:  # the workspace brings the database layer; it is imported in attach()
    from PySide6.QtCore import QThreadPool

    from app.services import Services
    from ui.workspace import DatabaseControl, Workspace

APP_TITLE = "TĐKT Xã"
FILE_MENU = "Tệp"


class MainWindow(QMainWindow):
    signed_out = Signal()

    def __init__(self, settings: Settings, database_path: Path) -> None:
        super().__init__()
        self._settings = settings
        self.workspace: Workspace | None = None
        self.setWindowTitle(APP_TITLE)

        self._pages = QStackedWidget()
        self._message = QLabel()
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._pages.addWidget(self._message)
        self.setCentralWidget(self._pages)

        self._menus: dict[str, QMenu] = {}
        file_menu = self.menu(FILE_MENU)
        self._quit_separator = file_menu.addSeparator()
        quit_action = QAction("Thoát", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self._sign_out = QAction("Đăng xuất", self)
        self._sign_out.triggered.connect(self._on_sign_out_triggered)
        self._sign_out.setVisible(False)
        file_menu.insertAction(self._quit_separator, self._sign_out)
        self._own_menus = set(self._menus)
        self._own_file_actions = set(file_menu.actions())

        self._commune = QLabel()
        self._user = QLabel()
        self._database = QLabel(f"Dữ liệu: {database_path}")
        self.statusBar().addWidget(self._commune)
        self.statusBar().addWidget(self._user)
        self.statusBar().addPermanentWidget(self._database)

        geometry = settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 760)

    def show_message(self, text: str) -> None:
        """Show a line of text in place of the workspace (while opening, after an error)."""
        self._message.setText(text)
        self._pages.setCurrentWidget(self._message)

    def show_page(self, page: QWidget) -> None:
        """Show a page (a form such as sign-in) in the middle of the window."""
        if self._pages.indexOf(page) < 0:
            self._pages.addWidget(page)
        self._pages.setCurrentWidget(page)

    def forget_pages(self) -> None:
        """Drop the forms shown so far (sign-in and the like), with what was typed in them."""
        for index in reversed(range(self._pages.count())):
            page = self._pages.widget(index)
            if page is not self._message and page is not self.workspace:
                self._pages.removeWidget(page)
                page.deleteLater()

    def attach(self, services: Services, write_pool: QThreadPool, database: DatabaseControl) -> Workspace:
        """Open the workspace on the signed-in user's services."""
        from ui.workspace import Workspace

        self.workspace = Workspace(self, services, self._settings, write_pool, database)
        self.show_page(self.workspace)
        self.refresh_commune()
        actor = services.actor
        self._user.setText(f"Người dùng: {actor.full_name} ({actor.username})")
        self.allow_sign_out()
        return self.workspace

    def allow_sign_out(self) -> None:
        self._sign_out.setVisible(True)
        self.menu(FILE_MENU).removeAction(self._sign_out)
        self.menu(FILE_MENU).insertAction(self._quit_separator, self._sign_out)  # last above Thoát

    def _on_sign_out_triggered(self) -> None:
        """Close the workspace, then ask who is next (`signed_out`)."""
        if self.workspace is not None and not self.workspace.confirm_leave():
            return
        self.close_workspace()
        self.signed_out.emit()

    def close_workspace(self, back_up: bool = True) -> None:
        """Close the workspace and its commands; `back_up=False` when the database is about
        to be replaced."""
        if self.workspace is not None:
            self.workspace.shut_down(back_up)
            self._pages.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None
        for title in set(self._menus) - self._own_menus:
            self.menuBar().removeAction(self._menus.pop(title).menuAction())
        file_menu = self.menu(FILE_MENU)
        for action in file_menu.actions():
            if action not in self._own_file_actions:
                file_menu.removeAction(action)
        self._sign_out.setVisible(False)
        self._user.setText("")
        self.refresh_commune()
        self.show_message("")

    def menu(self, title: str) -> QMenu:
        """The menu called `title`, added at the end of the menu bar if new."""
        if title not in self._menus:
            self._menus[title] = self.menuBar().addMenu(title)
        return self._menus[title]

    def add_action(self, menu_title: str, action: QAction) -> None:
        """Add a command to a menu; in 'Tệp' it goes above 'Thoát'."""
        menu = self.menu(menu_title)
        if menu_title == FILE_MENU:
            menu.insertAction(self._quit_separator, action)
        else:
            menu.addAction(action)

    def add_submenu(self, menu_title: str, submenu: QMenu) -> None:
        """Add a submenu; in 'Tệp' it goes above 'Thoát'."""
        menu = self.menu(menu_title)
        if menu_title == FILE_MENU:
            menu.insertMenu(self._quit_separator, submenu)
        else:
            menu.addMenu(submenu)

    def refresh_commune(self) -> None:
        """Show the commune's name again (after 'Thiết lập xã')."""
        setup = self.workspace.commune() if self.workspace is not None else None
        if setup is None:
            self.setWindowTitle(APP_TITLE)
            self._commune.setText("Chưa thiết lập xã" if self.workspace is not None else "")
        else:
            self.setWindowTitle(f"{APP_TITLE} — {setup.commune_name}")
            self._commune.setText(f"{setup.commune_name}, {setup.province_name}")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        if self.workspace is not None and not self.workspace.confirm_leave():
            event.ignore()
            return
        self._settings.window_geometry = self.saveGeometry()
        if self.workspace is not None:
            self.workspace.shut_down()
        super().closeEvent(event)
