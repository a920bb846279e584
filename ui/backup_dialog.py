"""«Sao lưu dữ liệu»: back up now, see the backups kept, choose the backup and mirror folders.

The caller passes a `BackupService` built from the signed-in user, the database path and the
folders kept in `ui.settings`; on `folders_changed(BackupFolders)` it stores the new folders
(and hands them to `AutoBackup.set_folders`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.backup_policy import ThinningPolicy
from app.backups import BackupFolders, BackupResult, BackupService, list_backups
from app.roles import Permission
from ui.background import Task
from ui.backup_table import BackupTable, BackupTableModel
from ui.dialogs import button_box
from ui.task_dialog import TaskDialog, show_failure


def thinning_text(policy: ThinningPolicy) -> str:
    return (f"Mỗi lần sao lưu, chương trình giữ mọi bản của {policy.recent_hours} giờ qua, rồi một "
            f"bản cho mỗi ngày trong {policy.daily} ngày, mỗi tuần trong {policy.weekly} tuần và "
            f"mỗi tháng trong {policy.monthly} tháng gần nhất; các bản khác được xóa. Tệp khác "
            "trong thư mục không bị đụng tới.")


class BackupDialog(TaskDialog):
    folders_changed = Signal(object)  # BackupFolders
    backed_up = Signal(object)  # BackupResult
    listed = Signal()

    def __init__(self, service: BackupService, write_pool: QThreadPool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sao lưu dữ liệu")
        self.resize(820, 560)
        self._service = service
        self._write_pool = write_pool
        self._read_pool = QThreadPool(self)
        self._read_pool.setMaxThreadCount(1)

        self.folder = QLineEdit(str(service.folder))
        self.folder.setReadOnly(True)
        self.choose_folder_button = QPushButton("Chọn…")
        self.choose_folder_button.clicked.connect(self._on_choose_folder_clicked)
        self.mirror = QLineEdit(str(service.mirror) if service.mirror else "")
        self.mirror.setReadOnly(True)
        self.mirror.setPlaceholderText("Không dùng")
        self.choose_mirror_button = QPushButton("Chọn…")
        self.choose_mirror_button.clicked.connect(self._on_choose_mirror_clicked)
        self.clear_mirror_button = QPushButton("Bỏ")
        self.clear_mirror_button.clicked.connect(lambda: self.set_mirror_folder(None))

        self.model = BackupTableModel(self)
        self.table = BackupTable(self.model)
        self.progress = QProgressBar()
        self.stop_button = QPushButton("Dừng")
        self.stop_button.clicked.connect(self._on_stop_clicked)
        self.list_label = QLabel("Các bản sao lưu trong thư mục:")
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.buttons = button_box(QDialogButtonBox.StandardButton.Close, self)
        self.backup_button = self.buttons.addButton("Sao lưu ngay", QDialogButtonBox.ButtonRole.ActionRole)
        self.backup_button.clicked.connect(self.start_backup)
        self.open_button = self.buttons.addButton("Mở thư mục", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.buttons.rejected.connect(self.reject)

        self._lay_out(service.policy)
        self._set_busy(False)
        if not service.actor.can(Permission.BACKUP):
            self.status.setText(f"Tài khoản «{service.actor.username}» không có quyền sao lưu dữ liệu.")
        self.reload()

    def _lay_out(self, policy: ThinningPolicy) -> None:
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose_folder_button)
        mirror_row = QHBoxLayout()
        mirror_row.addWidget(self.mirror, 1)
        mirror_row.addWidget(self.choose_mirror_button)
        mirror_row.addWidget(self.clear_mirror_button)
        places = QGroupBox("Nơi lưu")
        form = QFormLayout(places)
        form.addRow("Thư mục sao lưu:", folder_row)
        form.addRow("Bản thứ hai (USB, ổ đĩa khác):", mirror_row)
        hint = QLabel(thinning_text(policy))
        hint.setWordWrap(True)
        form.addRow(hint)
        progress = QHBoxLayout()
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.addWidget(places)
        layout.addWidget(self.list_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    # --- public steps (the buttons call these; tests too) -----------------------------

    @property
    def folders(self) -> BackupFolders:
        return self._service.folders

    def reload(self) -> None:
        """List the backups of the chosen folder in the background."""
        folder = self._service.folder
        task = Task(lambda _report: list_backups(folder), self)
        task.succeeded.connect(self._on_list_succeeded)
        task.start(self._read_pool)

    def start_backup(self) -> None:
        """Make a backup on the write pool (after any write queued before it)."""
        if self.is_busy():
            return
        service = self._service
        self.status.setText("Đang sao lưu và kiểm tra bản sao…")
        task = Task(lambda report: service.back_up(report), self)
        task.progressed.connect(self._on_task_progressed)
        self.progress.setRange(0, 0)
        self.start_task(task, self._write_pool, self._on_backup_succeeded, self._on_backup_failed)

    def set_backup_folder(self, folder: Path) -> None:
        self._change_folders(BackupFolders(Path(folder), self._service.mirror))

    def set_mirror_folder(self, folder: Path | None) -> None:
        self._change_folders(BackupFolders(self._service.folder, Path(folder) if folder else None))

    # --- slots ------------------------------------------------------------------------

    def _change_folders(self, folders: BackupFolders) -> None:
        if folders == self._service.folders:
            return
        self._service = self._service.with_folders(folders)
        self.folder.setText(str(folders.backups))
        self.mirror.setText(str(folders.mirror) if folders.mirror else "")
        self._update_buttons()
        self.folders_changed.emit(folders)
        self.reload()

    def _on_list_succeeded(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        self.list_label.setText(f"Các bản sao lưu trong thư mục ({len(rows)} bản):" if rows
                                else "Thư mục chưa có bản sao lưu nào.")
        self.listed.emit()

    def _on_task_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_backup_succeeded(self, result: BackupResult) -> None:
        self.status.setText(result.summary())
        self.backed_up.emit(result)
        self.reload()

    def _on_backup_failed(self, error: Exception) -> None:
        show_failure(self.status, error,
                     "Đã dừng; không có bản sao lưu mới, các bản cũ giữ nguyên.",
                     "Chưa sao lưu được: {error}",
                     "Gặp lỗi không mong muốn khi sao lưu; các bản cũ giữ nguyên.")

    def _on_choose_folder_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Chọn thư mục sao lưu", str(self._service.folder))
        if chosen:
            self.set_backup_folder(Path(chosen))

    def _on_choose_mirror_clicked(self) -> None:
        start = str(self._service.mirror or "")
        chosen = QFileDialog.getExistingDirectory(self, "Chọn thư mục nhận bản thứ hai", start)
        if chosen:
            self.set_mirror_folder(Path(chosen))

    def _on_open_clicked(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._service.folder)))

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.stop_button.setVisible(busy)
        for widget in (self.choose_folder_button, self.choose_mirror_button):
            widget.setEnabled(not busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = not self.is_busy()
        self.backup_button.setEnabled(idle and self._service.actor.can(Permission.BACKUP))
        self.clear_mirror_button.setEnabled(idle and self._service.mirror is not None)
        self.open_button.setEnabled(self._service.folder.is_dir())
