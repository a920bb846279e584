"""A damaged database at start-up: explain, offer the newest valid backup, restore or quit.

The start-up code calls it when `open_database` raises DatabaseDamagedError:

    except DatabaseDamagedError as error:
        if RecoveryDialog(error, paths.database, paths.backups).exec() != QDialog.DialogCode.Accepted:
            return 1                      # the officer quit; nothing was changed
        database = open_database(paths.database)   # the recovered file, migrated if older

Nothing is changed until the officer chooses a backup. Then the damaged file (and its
-wal/-shm) is renamed beside it with a dated name, never deleted, and the backup is put in
its place. The dialog never creates an empty database: without a usable backup the only
way out is to quit, and the damaged file stays where it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.backups import BackupInfo
from app.database_files import verify_database_file
from app.errors import DomainError
from app.recovery import DAMAGED_MARK, newest_valid_backup
from app.restore import RestoreResult, recover_from_backup
from db.integrity import DatabaseOpenError
from ui.background import Task
from ui.backup_table import when
from ui.dialogs import show_error, show_info
from ui.restore_dialog import DATABASE_FILTER
from ui.task_dialog import TaskDialog

Clock = Callable[[], datetime]


class RecoveryDialog(TaskDialog):
    searched = Signal(object)  # BackupInfo | None
    recovered = Signal(object)  # RestoreResult

    def __init__(self, error: DatabaseOpenError, database: Path, backups_folder: Path,
                 clock: Clock = datetime.now, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cơ sở dữ liệu bị hỏng")
        self.resize(680, 440)
        self._database = Path(database)
        self._backups_folder = Path(backups_folder)
        self._clock = clock
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._offered: Path | None = None

        self.explanation = QLabel(_explanation(self._database, getattr(error, "detail", "") or str(error)))
        self.explanation.setWordWrap(True)
        self.offer = QLabel("Đang tìm bản sao lưu tốt mới nhất…")
        self.offer.setWordWrap(True)
        self.offer.setStyleSheet("font-weight: bold;")
        self.progress = QProgressBar()
        self.restore_button = QPushButton("Khôi phục từ bản này")
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.other_button = QPushButton("Chọn bản sao lưu khác…")
        self.other_button.clicked.connect(self._on_other_clicked)
        self.quit_button = QPushButton("Thoát chương trình")
        self.quit_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addSpacing(8)
        layout.addWidget(self.offer)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._set_busy(False)
        self.search()

    @property
    def offered(self) -> Path | None:
        return self._offered

    def search(self) -> None:
        """Check the backups from newest to oldest in the background; offer the first good one."""
        folder = self._backups_folder
        self._run(Task(lambda report: newest_valid_backup(folder, report), self), self._on_search_succeeded)

    def offer_file(self, backup: Path) -> None:
        """Offer a backup the officer chose; it is checked before it is offered."""
        self.offer.setText(f"Đang kiểm tra {backup}…")
        self._offered = None
        self._run(Task(lambda _report: (verify_database_file(backup), backup)[1], self),
                  self._on_file_checked)

    def recover(self) -> None:
        """Move the damaged file aside and put the offered backup in its place."""
        backup = self._offered
        if backup is None or self.is_busy():
            return
        database, folder, now = self._database, self._backups_folder, self._clock()

        def work(_report: object) -> tuple[Path | None, RestoreResult]:
            result = recover_from_backup(database, backup, folder, lambda: now)
            return result.kept_aside, result

        self.offer.setText("Đang khôi phục…")
        self._run(Task(work, self), self._on_recover_succeeded)

    # --- slots ------------------------------------------------------------------------

    def _run(self, task: Task, on_success: Callable[[object], None]) -> None:
        task.progressed.connect(self._on_task_progressed)
        self.progress.setRange(0, 0)
        self.start_task(task, self._pool, on_success, self._on_task_failed)

    def _on_task_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_search_succeeded(self, found: BackupInfo | None) -> None:
        if found is None:
            self._offered = None
            self.offer.setText(
                f"Không tìm thấy bản sao lưu dùng được trong {self._backups_folder}. Nếu bạn có bản "
                "sao lưu ở nơi khác (USB, ổ đĩa khác), hãy bấm «Chọn bản sao lưu khác…». Nếu không, "
                "hãy thoát và nhờ người hỗ trợ kỹ thuật; tệp hỏng được giữ nguyên.")
        else:
            self._offered = found.path
            self.offer.setText(f"Bản sao lưu tốt mới nhất: lúc {when(found.taken_at)} "
                               f"({found.path.name}). Dữ liệu nhập sau thời điểm này sẽ phải nhập lại.")
        self.searched.emit(found)

    def _on_file_checked(self, backup: Path) -> None:
        self._offered = backup
        self.offer.setText(f"Bản sao lưu đã chọn dùng được: {backup}.")

    def _on_recover_succeeded(self, outcome: tuple[Path | None, RestoreResult]) -> None:
        moved, result = outcome
        aside = f"\n\nTệp hỏng được giữ tại:\n{moved}" if moved else ""
        show_info(self, "Đã khôi phục dữ liệu",
                  f"Đã khôi phục dữ liệu từ bản sao lưu {result.restored_from.name}.{aside}")
        self.recovered.emit(result)
        self.accept()

    def _on_task_failed(self, error: Exception) -> None:
        if not isinstance(error, DomainError):
            raise error
        self.offer.setText(f"{error}")
        show_error(self, "Chưa khôi phục được", str(error))

    def _on_restore_clicked(self) -> None:
        self.recover()

    def _on_other_clicked(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, "Chọn bản sao lưu", str(self._backups_folder),
                                                      DATABASE_FILTER)
        if chosen:
            self.offer_file(Path(chosen))

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.restore_button.setEnabled(not busy and self._offered is not None)
        self.other_button.setEnabled(not busy)
        self.quit_button.setEnabled(not busy)

    def reject(self) -> None:
        if not self.is_busy():
            super().reject()


def _explanation(database: Path, detail: str) -> str:
    aside = f"{database.stem}{DAMAGED_MARK}<ngày-giờ>{database.suffix}"
    return (
        f"Tệp dữ liệu {database} bị hỏng nên chương trình không mở được. Nguyên nhân thường gặp: "
        "máy tắt đột ngột khi đang ghi, ổ đĩa lỗi hoặc phần mềm khác sửa tệp.\n\n"
        f"Chi tiết kỹ thuật: {detail}\n\n"
        "Chương trình không xóa tệp hỏng và không tạo dữ liệu trống thay thế. Khi bạn khôi phục, "
        f"tệp hỏng được đổi tên thành {aside} và giữ nguyên trong thư mục {database.parent}; "
        "bản sao lưu bạn chọn được đặt vào chỗ của nó."
    )
