"""The workspace of a signed-in user: the areas listed on the left and their menu commands.

Built by `MainWindow.attach()` once the database is open and the user has signed in.
Screens are added with `add_area(title, widget)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QMenu, QStackedWidget, QWidget

from app.backups import BackupFolders, BackupService
from app.commune import CommuneSetup
from app.excel_columns import SHEET_KINDS
from app.roles import Permission
from app.services import Services
from ui.audit_view import AuditView
from ui.auto_backup import AutoBackup
from ui.background import Task
from ui.dashboard import Dashboard
from ui.dialogs import show_warning
from ui.register_view import RegisterView
from ui.settings import Settings
from ui.statistics_view import StatisticsView
from ui.year_view import YearView

if TYPE_CHECKING:
    from ui.main_window import MainWindow

FILE_MENU = "Tệp"
DASHBOARD_AREA = "Bảng điều khiển"
YEAR_AREA = "Năm thi đua"
REGISTER_MENU = "Sổ theo dõi"
SYSTEM_MENU = "Hệ thống"
STATISTICS_AREA = "Thống kê, báo cáo"
AUDIT_AREA = "Nhật ký thay đổi"
READ_THREADS = 2
CHANGE_POLL_MS = 3000  # how often the newest audit entry is looked at: it marks every change


@dataclass(frozen=True)
class DatabaseControl:
    """The open database as the workspace sees it: where it is, where its backups go, and
    how to let go of it and take it back (a restore replaces the file in between)."""

    path: Path
    close: Callable[[], None]
    reopen: Callable[[], None]


def backup_folders(settings: Settings, database: Path) -> BackupFolders:
    """The folders chosen in «Sao lưu dữ liệu», or `backups` beside the database."""
    mirror = settings.mirror_folder
    return BackupFolders(Path(settings.backup_folder or database.parent / "backups"),
                         Path(mirror) if mirror else None)


class Workspace(QWidget):
    def __init__(self, window: MainWindow, services: Services, settings: Settings,
                 write_pool: QThreadPool, database: DatabaseControl) -> None:
        super().__init__()
        self._window = window
        self._services = services
        self._settings = settings
        self._write_pool = write_pool
        self._database = database
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

        # The first area after sign-in: the year at a glance, in figures and charts.
        self.dashboard = Dashboard(services, self._read_pool, services.nominations.today())
        self.add_area(DASHBOARD_AREA, self.dashboard)
        # Where the year stands and what comes next, step by step.
        self.year_view = YearView(services, database.path.parent, self._read_pool, write_pool, settings=settings)
        self.add_area(YEAR_AREA, self.year_view)
        self.dashboard.open_tab.connect(self._on_dashboard_open_tab)

        self.register = RegisterView(services, self._read_pool, write_pool)
        self.add_area(REGISTER_MENU, self.register)
        register_menu = window.menu(REGISTER_MENU)
        for action in self.register.actions_for_menu():
            register_menu.addAction(action)
        for action in (self.register.new_action, self.register.find_action):
            action.triggered.connect(lambda: self.show_area(self.register))
        self._add_file_actions()

        self.statistics_view = StatisticsView(services, self._read_pool, write_pool, services.nominations.today())
        self.add_area(STATISTICS_AREA, self.statistics_view)
        self.statistics_view.open_tab.connect(self._on_dashboard_open_tab)

        self.audit_view = AuditView(services, self._read_pool)
        self.add_area(AUDIT_AREA, self.audit_view)
        self._stack.currentChanged.connect(self._on_stack_current_changed)
        self._add_system_actions()

        folders = backup_folders(settings, database.path)
        self.auto_backup = AutoBackup(self._backup_service(folders), write_pool, parent=self)
        self.auto_backup.failed.connect(lambda message: window.statusBar().showMessage(message, 15_000))
        self._last_change = services.audit.last_id()
        self._change_poll = QTimer(self)
        self._change_poll.timeout.connect(self._on_change_poll_timeout)
        if services.actor.can(Permission.BACKUP):  # a viewer changes nothing to back up
            self._change_poll.start(CHANGE_POLL_MS)
        self._check_attachments()

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

    def _add_system_actions(self) -> None:
        """Backups, restore, the data check, accounts and rule settings, in the 'Hệ thống' menu; commands the
        user's role does not allow are not offered (the services refuse them anyway)."""
        actor = self._services.actor
        commands: list[tuple[str, Callable[[], None], bool]] = [
            ("Sao lưu dữ liệu…", self._on_backup_triggered, actor.can(Permission.BACKUP)),
            ("Khôi phục dữ liệu…", self._on_restore_triggered, actor.can(Permission.RESTORE)),
            ("Kiểm tra dữ liệu", self._on_check_triggered, True),
            ("Quản lý tài khoản…", self._on_users_triggered, actor.can(Permission.MANAGE_USERS)),
            # Every role may read the rule settings; the dialog offers changes only to EDIT_SETUP.
            ("Thiết lập quy tắc xét khen thưởng…", self._on_rule_settings_triggered, True),
            # Every role may read the calendar; the dialog offers changes only to EDIT_SETUP.
            ("Lịch ngày nghỉ, ngày làm bù…", self._on_work_calendar_triggered, True),
            ("Đổi mật khẩu…", self._on_password_triggered, actor.user_id is not None),
        ]
        for text, slot, allowed in commands:
            if allowed:
                action = QAction(text, self)
                action.triggered.connect(slot)
                self._window.add_action(SYSTEM_MENU, action)

    def _check_attachments(self) -> None:
        """At every start, every attachment against its hash, in the background: a scanned
        file changed or lost on disk is reported at once, not when the dossier is printed."""
        from app.attachments import check_attachments

        sessions, folder = self._services.sessions, self._database.path.parent
        task = Task(lambda report: check_attachments(sessions, folder, report), self)
        task.succeeded.connect(self._on_attachments_checked)
        task.start(self._read_pool)

    def _on_attachments_checked(self, problems: list[object]) -> None:
        if problems:
            listed = "\n".join(f"• {problem}" for problem in problems[:10])
            more = f"\n… và {len(problems) - 10} tệp khác." if len(problems) > 10 else ""
            show_warning(self, "Tệp đính kèm bị thay đổi hoặc bị mất",
                         f"{len(problems)} tệp đính kèm không còn khớp với mã kiểm tra đã lưu:\n"
                         f"{listed}{more}\n\nHãy chạy Hệ thống ▸ Kiểm tra dữ liệu để xem chi tiết, "
                         "rồi quét lại các tệp này hoặc khôi phục từ bản sao lưu.")

    def _backup_service(self, folders: BackupFolders) -> BackupService:
        return BackupService(self._services.actor, self._database.path, folders.backups, folders.mirror)

    def _on_change_poll_timeout(self) -> None:
        last = self._services.audit.last_id()
        if last != self._last_change:
            self._last_change = last
            self.auto_backup.note_change()

    def _on_stack_current_changed(self, _index: int) -> None:
        if self._stack.currentWidget() is self.audit_view:
            self.audit_view.reload()
        elif self._stack.currentWidget() is self.dashboard and self.dashboard.ready:
            self.dashboard.reload()  # figures change with every step taken elsewhere
        elif self._stack.currentWidget() is self.year_view:
            self.year_view.reload()  # the register may have changed what the year counts

    def _on_dashboard_open_tab(self, tab: str, year: int) -> None:
        """A figure of the dashboard or the statistics that lists in a tab of the year view."""
        self.year_view.set_year(year)
        self.show_area(self.year_view)
        self.year_view.show_tab(tab)

    def _on_backup_triggered(self) -> None:
        from ui.backup_dialog import BackupDialog

        folders = backup_folders(self._settings, self._database.path)
        dialog = BackupDialog(self._backup_service(folders), self._write_pool, self)
        dialog.folders_changed.connect(self._on_backup_folders_changed)
        dialog.exec()
        dialog.deleteLater()

    def _on_backup_folders_changed(self, folders: BackupFolders) -> None:
        self._settings.backup_folder = str(folders.backups)
        self._settings.mirror_folder = str(folders.mirror) if folders.mirror else ""
        self.auto_backup.set_folders(folders)

    def _on_restore_triggered(self) -> None:
        from ui.restore_dialog import RestoreDialog

        folders = backup_folders(self._settings, self._database.path)
        # The window is the parent: the restore closes this workspace while the dialog stays.
        dialog = RestoreDialog(self._services.actor, self._database.path, folders.backups,
                               self._write_pool, self._database.close, self._database.reopen,
                               self._window)
        dialog.exec()
        dialog.deleteLater()

    def _on_check_triggered(self) -> None:
        from app.data_check import DataChecker
        from ui.data_check_dialog import DataCheckDialog

        checker = DataChecker(self._database.path, self._services.sessions, self._database.path.parent)
        dialog = DataCheckDialog(checker, self._read_pool, self)
        dialog.exec()
        dialog.deleteLater()

    def _on_users_triggered(self) -> None:
        from ui.users_dialog import UsersDialog

        dialog = UsersDialog(self._services, self)
        dialog.exec()
        dialog.deleteLater()

    def _on_rule_settings_triggered(self) -> None:
        from ui.rule_settings_dialog import RuleSettingsDialog

        dialog = RuleSettingsDialog(self._services, self)
        dialog.exec()
        dialog.deleteLater()

    def _on_work_calendar_triggered(self) -> None:
        from ui.work_calendar_dialog import WorkCalendarDialog

        dialog = WorkCalendarDialog(self._services, parent=self)
        dialog.exec()
        dialog.deleteLater()

    def _on_password_triggered(self) -> None:
        from ui.password_dialog import PasswordDialog

        dialog = PasswordDialog(self._services, self)
        dialog.exec()
        dialog.deleteLater()

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

    def confirm_leave(self) -> bool:
        """Before sign-out or exit: ask about work typed and not saved; False: stay."""
        if self.year_view.confirm_leave():
            return True
        self.show_area(self.year_view)
        return False

    def shut_down(self, back_up: bool = True) -> None:
        """Back up what changed since the last backup (unless the database is about to be
        replaced), then wait for loads still running: they would report to widgets about
        to be destroyed."""
        backing_up = self._change_poll.isActive() and back_up
        self._change_poll.stop()
        if backing_up:
            self._on_change_poll_timeout()  # a change of the last seconds counts too
            if self.auto_backup.pending:  # a few seconds on a large register: say why
                self._window.statusBar().showMessage("Đang sao lưu dữ liệu trước khi đóng…")
                self._window.repaint()
            self.auto_backup.finish()
            self._window.statusBar().clearMessage()
        self._read_pool.waitForDone()
