"""«Khôi phục dữ liệu»: choose a backup, see it verified and what restoring it would lose,
confirm, then switch.

The caller provides two hooks, both run on the UI thread:
- `close_database()` closes every window and engine on the database, waits for the write
  pool and releases the lock (`Database.close()`);
- `reopen_database()` opens the file again with `open_database` (the restored one on
  success, the untouched one when the restore was refused) and rebuilds what it closed;
  the restored file may hold other accounts, so it should ask the user to sign in again.
The restore itself runs in a Task on `pool` between the two.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.backups import list_backups
from app.errors import DomainError
from app.restore import RestoreReport, RestoreResult, compare_with_backup, restore
from app.roles import Actor, Permission
from db.engine import StorageError
from db.integrity import DatabaseOpenError
from ui.background import Task
from ui.backup_table import BackupTable, BackupTableModel, when
from ui.dialogs import button_box, confirm, show_error, show_info
from ui.task_dialog import TaskDialog

DATABASE_FILTER = "Bản sao lưu TĐKT Xã (*.sqlite);;Mọi tệp (*)"


class RestoreDialog(TaskDialog):
    checked = Signal(object)  # RestoreReport, or the error of a refused backup
    restored = Signal(object)  # RestoreResult, after reopen_database()
    listed = Signal()

    def __init__(self, actor: Actor, database: Path, backups_folder: Path, pool: QThreadPool,
                 close_database: Callable[[], None], reopen_database: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Khôi phục dữ liệu từ bản sao lưu")
        self.resize(860, 620)
        self._actor = actor
        self._database = Path(database)
        self._backups_folder = Path(backups_folder)
        self._pool = pool
        self._close_database = close_database
        self._reopen_database = reopen_database
        self._read_pool = QThreadPool(self)
        self._read_pool.setMaxThreadCount(1)
        self._chosen: Path | None = None
        self._report: RestoreReport | None = None

        self.model = BackupTableModel(self)
        self.table = BackupTable(self.model)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.other_button = QPushButton("Chọn tệp sao lưu khác…")
        self.other_button.clicked.connect(self._on_other_clicked)
        self.chosen_label = QLabel("Chọn một bản sao lưu trong danh sách.")
        self.chosen_label.setWordWrap(True)
        self.report_text = QPlainTextEdit()
        self.report_text.setReadOnly(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)

        self.buttons = button_box(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = self.buttons.addButton("Khôi phục…", QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        intro = QLabel(f"Các bản sao lưu trong {self._backups_folder}:")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.table, 2)
        other = QHBoxLayout()
        other.addWidget(self.chosen_label, 1)
        other.addWidget(self.other_button)
        layout.addLayout(other)
        layout.addWidget(QLabel("Kiểm tra bản sao lưu và những gì sẽ thay đổi:"))
        layout.addWidget(self.report_text, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        if not actor.can(Permission.RESTORE):
            self.report_text.setPlainText(
                f"Tài khoản «{actor.username}» không có quyền khôi phục dữ liệu; chỉ quản trị viên "
                "được khôi phục. Bạn vẫn có thể xem các bản sao lưu.")
        self._set_busy(False)
        self._load_list()

    # --- public steps -----------------------------------------------------------------

    @property
    def report(self) -> RestoreReport | None:
        return self._report

    def choose(self, backup: Path) -> None:
        """Verify `backup` and compare it with the current data, in the background."""
        if self.is_busy():
            return
        self._chosen, self._report = Path(backup), None
        self.chosen_label.setText(f"Bản đã chọn: {backup}")
        self.report_text.setPlainText("Đang kiểm tra bản sao lưu…")
        database = self._database
        self.start_task(Task(lambda _report: compare_with_backup(database, backup), self), self._read_pool,
                        self._on_check_succeeded, self._on_check_failed)

    def start_restore(self) -> None:
        """Ask once more, close the database, restore in the background, reopen."""
        report, backup = self._report, self._chosen
        if report is None or backup is None or self.is_busy():
            return
        if not confirm(self, "Thay dữ liệu hiện tại bằng bản sao lưu?", _question(report),
                       "Khôi phục, thay dữ liệu hiện tại", "Không khôi phục"):
            return
        self._close_database()
        actor, database, folder = self._actor, self._database, self._backups_folder
        self.report_text.appendPlainText("\nĐang khôi phục…")
        self.start_task(Task(lambda progress: restore(actor, database, backup, folder, report=progress), self),
                        self._pool, self._on_restore_succeeded, self._on_restore_failed)

    # --- background work --------------------------------------------------------------

    def _load_list(self) -> None:
        folder = self._backups_folder
        task = Task(lambda _report: list_backups(folder), self)
        task.succeeded.connect(self._on_list_succeeded)
        task.start(self._read_pool)

    def _on_list_succeeded(self, rows: list[object]) -> None:
        self.model.set_rows(rows)  # type: ignore[arg-type]
        self.listed.emit()

    def _on_check_succeeded(self, report: RestoreReport) -> None:
        self._report = report
        self.report_text.setPlainText("\n".join(["Bản sao lưu nguyên vẹn, dùng được.", *report.lines()]))
        self.checked.emit(report)

    def _on_check_failed(self, error: Exception) -> None:
        if not isinstance(error, DomainError | DatabaseOpenError):
            raise error
        self.report_text.setPlainText(f"Không dùng được bản sao lưu này: {error}")
        self.checked.emit(error)

    def _on_restore_succeeded(self, result: RestoreResult) -> None:
        self._reopen_database()
        kept = (f"\n\nDữ liệu trước khi khôi phục được giữ tại:\n{result.kept_aside}"
                if result.kept_aside else "")
        show_info(self, "Đã khôi phục dữ liệu",
                  f"Đã khôi phục dữ liệu từ bản sao lưu {result.restored_from.name}.{kept}")
        self.restored.emit(result)
        self.accept()

    def _on_restore_failed(self, error: Exception) -> None:
        self._reopen_database()  # the current database was not touched
        if not isinstance(error, DomainError | DatabaseOpenError | StorageError):
            raise error
        self.report_text.appendPlainText(f"Chưa khôi phục: {error}")
        show_error(self, "Chưa khôi phục được", f"{error}\n\nDữ liệu hiện tại giữ nguyên.")

    # --- widgets ----------------------------------------------------------------------

    def _on_table_selection_changed(self) -> None:
        selected = self.table.selected()
        if selected is not None:
            self.choose(selected.path)

    def _on_other_clicked(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, "Chọn bản sao lưu", str(self._backups_folder),
                                                      DATABASE_FILTER)
        if chosen:
            self.table.clearSelection()
            self.choose(Path(chosen))

    def _on_restore_clicked(self) -> None:
        self.start_restore()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.table.setEnabled(not busy)
        self.other_button.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setEnabled(not busy)
        self.restore_button.setEnabled(not busy and self._report is not None
                                       and self._actor.can(Permission.RESTORE))

    def reject(self) -> None:
        if not self.is_busy():  # a restore is never left half done
            super().reject()


def _question(report: RestoreReport) -> str:
    taken = f" lúc {when(report.taken_at)}" if report.taken_at else ""
    lost = ("\n\nSẽ KHÔNG CÒN: " + ", ".join(str(item) for item in report.lost) + "."
            if report.lost else "")
    return (f"Toàn bộ dữ liệu hiện tại sẽ được thay bằng bản sao lưu{taken}.{lost}\n\n"
            "Dữ liệu hiện tại được giữ lại một bản trong thư mục sao lưu. Chương trình sẽ đóng "
            "rồi mở lại cơ sở dữ liệu; có thể bạn phải đăng nhập lại.")
