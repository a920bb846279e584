"""The workspace of a signed-in user: the areas listed on the left and their menu commands.

Built by `MainWindow.attach()` once the database is open and the user has signed in.
Screens are added with `add_area(title, widget)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QMenu, QStackedWidget, QWidget

from app.commune import CommuneSetup
from app.excel_columns import SHEET_KINDS
from app.services import Services
from ui.register_view import RegisterView
from ui.settings import Settings

if TYPE_CHECKING:
    from ui.main_window import MainWindow

FILE_MENU = "Tệp"
REGISTER_MENU = "Sổ theo dõi"
READ_THREADS = 2


class Workspace(QWidget):
    def __init__(self, window: MainWindow, services: Services, settings: Settings,
                 write_pool: QThreadPool) -> None:
        super().__init__()
        self._window = window
        self._services = services
        self._settings = settings
        self._write_pool = write_pool
        # Reads run beside the single writer: SQLite in WAL mode lets them.
        self._read_pool = QThreadPool(self)
        self._read_pool.setMaxThreadCount(READ_THREADS)

        self._areas = QListWidget()
        self._areas.setFixedWidth(180)
        self._stack = QStackedWidget()
        self._areas.currentRowChanged.connect(self._stack.setCurrentIndex)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._areas)
        layout.addWidget(self._stack, 1)

        self.register = RegisterView(services, self._read_pool, write_pool)
        self.add_area(REGISTER_MENU, self.register)
        register_menu = window.menu(REGISTER_MENU)
        for action in self.register.actions_for_menu():
            register_menu.addAction(action)
        for action in (self.register.new_action, self.register.find_action):
            action.triggered.connect(lambda: self.show_area(self.register))
        self._add_file_actions()

    def _add_file_actions(self) -> None:
        """Excel import and export, and the commune setup, in the 'Tệp' menu."""
        import_action = QAction("Nhập từ Excel…", self)
        import_action.triggered.connect(self._on_import_triggered)
        self._window.add_action(FILE_MENU, import_action)
        export_menu = QMenu("Xuất ra Excel", self)
        for kind, sheet in SHEET_KINDS.items():
            action = export_menu.addAction(sheet.label)
            action.triggered.connect(lambda _checked=False, kind=kind: self._on_export_triggered(kind))
        self._window.add_submenu(FILE_MENU, export_menu)
        setup_action = QAction("Thiết lập xã…", self)
        setup_action.triggered.connect(self._on_setup_triggered)
        self._window.add_action(FILE_MENU, setup_action)

    # The dialogs are imported when first used: with them comes openpyxl, ~0.15 s of start-up.
    def _on_import_triggered(self) -> None:
        from ui.import_dialog import ImportDialog

        dialog = ImportDialog(self._services, self._write_pool, self)
        dialog.imported.connect(lambda _result: self.register.reload())
        dialog.exec()
        dialog.deleteLater()

    def _on_export_triggered(self, kind: str) -> None:
        from ui.import_dialog import start_export

        start_export(self, self._services, kind, self._write_pool)

    def _on_setup_triggered(self) -> None:
        from ui.commune_dialog import CommuneDialog

        dialog = CommuneDialog(self._services, self)
        dialog.saved.connect(lambda _setup: self._window.refresh_commune())
        dialog.exec()
        dialog.deleteLater()

    def commune(self) -> CommuneSetup | None:
        return self._services.commune.get()

    def add_area(self, title: str, widget: QWidget) -> None:
        """Add a screen, listed on the left under `title`."""
        self._stack.addWidget(widget)
        self._areas.addItem(title)
        if self._areas.currentRow() < 0:
            self._areas.setCurrentRow(0)

    def show_area(self, widget: QWidget) -> None:
        self._areas.setCurrentRow(self._stack.indexOf(widget))

    def shut_down(self) -> None:
        """Wait for loads still running: they would report to widgets about to be destroyed."""
        self._read_pool.waitForDone()
