"""The main window: areas chosen in a list on the left, menus, and a status line.

Other parts of the program add their commands with `add_action("Tệp", action)` and their
screens with `add_area(title, widget)`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from app.excel_columns import SHEET_KINDS
from app.services import Services
from ui.register_view import RegisterView
from ui.settings import Settings

APP_TITLE = "TĐKT Xã"
FILE_MENU = "Tệp"
REGISTER_MENU = "Sổ theo dõi"
READ_THREADS = 2


class MainWindow(QMainWindow):
    def __init__(self, services: Services, settings: Settings, database_path: Path,
                 write_pool: QThreadPool) -> None:
        super().__init__()
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
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self._areas)
        layout.addWidget(self._stack, 1)
        self.setCentralWidget(central)

        self.register = RegisterView(services, self._read_pool, write_pool)
        self.add_area(REGISTER_MENU, self.register)

        self._menus: dict[str, QMenu] = {}
        file_menu = self.menu(FILE_MENU)
        self._quit_separator = file_menu.addSeparator()
        quit_action = QAction("Thoát", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        register_menu = self.menu(REGISTER_MENU)
        for action in self.register.actions_for_menu():
            register_menu.addAction(action)
        for action in (self.register.new_action, self.register.find_action):
            action.triggered.connect(lambda: self.show_area(self.register))
        self._add_file_actions()

        self._commune = QLabel()
        self._database = QLabel(f"Dữ liệu: {database_path}")
        self.statusBar().addWidget(self._commune)
        self.statusBar().addPermanentWidget(self._database)
        self.refresh_commune()

        geometry = settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 760)

    def _add_file_actions(self) -> None:
        """Excel import and export, and the commune setup, in the 'Tệp' menu."""
        import_action = QAction("Nhập từ Excel…", self)
        import_action.triggered.connect(self._on_import_triggered)
        self.add_action(FILE_MENU, import_action)
        export_menu = QMenu("Xuất ra Excel", self)
        for kind, sheet in SHEET_KINDS.items():
            action = export_menu.addAction(sheet.label)
            action.triggered.connect(lambda _checked=False, kind=kind: self._on_export_triggered(kind))
        self.menu(FILE_MENU).insertMenu(self._quit_separator, export_menu)
        setup_action = QAction("Thiết lập xã…", self)
        setup_action.triggered.connect(self._on_setup_triggered)
        self.add_action(FILE_MENU, setup_action)

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
        dialog.saved.connect(lambda _setup: self.refresh_commune())
        dialog.exec()
        dialog.deleteLater()

    def add_area(self, title: str, widget: QWidget) -> None:
        """Add a screen, listed on the left under `title`."""
        self._stack.addWidget(widget)
        self._areas.addItem(title)
        if self._areas.currentRow() < 0:
            self._areas.setCurrentRow(0)

    def show_area(self, widget: QWidget) -> None:
        self._areas.setCurrentRow(self._stack.indexOf(widget))

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

    def refresh_commune(self) -> None:
        """Show the commune's name again (after 'Thiết lập xã')."""
        setup = self._services.commune.get()
        if setup is None:
            self.setWindowTitle(APP_TITLE)
            self._commune.setText("Chưa thiết lập xã")
        else:
            self.setWindowTitle(f"{APP_TITLE} — {setup.commune_name}")
            self._commune.setText(f"{setup.commune_name}, {setup.province_name}")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        self._settings.window_geometry = self.saveGeometry()
        # Loads still running would report to widgets about to be destroyed.
        self._read_pool.waitForDone()
        super().closeEvent(event)
