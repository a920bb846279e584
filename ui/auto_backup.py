"""Automatic backups after changes (debounced, in the background) and on exit.

Wiring (ui/main.py or the workspace):

    auto = AutoBackup(BackupService(services.actor, database_path, folders.backups,
                                    folders.mirror), write_pool, parent=window)
    some_view.data_changed.connect(auto.note_change)   # every committed change
    backup_dialog.folders_changed.connect(auto.set_folders)
    auto.failed.connect(window.statusBar().showMessage)
    ...
    auto.finish()  # on exit, after the last write and before the database is closed

Backups run as the signed-in user of the service; one without `Permission.BACKUP` (a
viewer, who cannot change data anyway) gets `failed` instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, Slot

from app.backup_policy import AutoBackupSchedule
from app.backups import BackupFolders, BackupResult, BackupService
from app.errors import DomainError
from db.engine import StorageError
from ui.background import Task

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class AutoBackup(QObject):
    backed_up = Signal(object)  # BackupResult
    failed = Signal(str)  # a Vietnamese message for the status bar

    def __init__(self, service: BackupService, write_pool: QThreadPool,
                 schedule: AutoBackupSchedule | None = None, clock: Clock = datetime.now,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._write_pool = write_pool
        self._schedule = schedule or AutoBackupSchedule()
        self._clock = clock
        self._task: Task | None = None
        self._started_at: datetime | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def pending(self) -> bool:
        """Whether a change has not been backed up yet."""
        return self._schedule.pending

    def is_running(self) -> bool:
        return self._task is not None

    @Slot()
    def note_change(self) -> None:
        """Connect every "data changed" signal here; the backup follows after a quiet while."""
        self._schedule.note_change(self._clock())
        self._arm()

    @Slot(object)
    def set_folders(self, folders: BackupFolders) -> None:
        self._service = self._service.with_folders(folders)

    def finish(self) -> BackupResult | None:
        """On exit: wait for queued writes, then back up here if any change is not yet backed
        up. Blocks for the backup (a few seconds at most); never raises for a failed one."""
        self._timer.stop()
        self._write_pool.waitForDone()
        if not self._schedule.pending:
            return None
        self._schedule.note_backup_started()
        try:
            result = self._service.back_up()
        except (DomainError, StorageError) as error:
            log.warning("backup on exit failed: %s", error)
            return None
        log.info("backup on exit: %s", result.summary())
        return result

    def _arm(self) -> None:
        due_at = self._schedule.due_at()
        if due_at is None or self._task is not None:
            return  # a running backup re-arms when it ends
        delay = max(0.0, (due_at - self._clock()).total_seconds())
        self._timer.start(int(delay * 1000) + 1)

    def _on_timer_timeout(self) -> None:
        if not self._schedule.due(self._clock()):
            self._arm()
            return
        self._started_at = self._clock()
        self._schedule.note_backup_started()
        service = self._service
        task = Task(lambda report: service.back_up(report), self)
        self._task = task
        task.succeeded.connect(self._on_task_succeeded)
        task.failed.connect(self._on_task_failed)
        task.finished.connect(self._on_task_finished)
        task.start(self._write_pool)

    def _on_task_succeeded(self, result: BackupResult) -> None:
        if result.mirror_error:
            self.failed.emit(result.mirror_error)
        self.backed_up.emit(result)

    def _on_task_failed(self, error: Exception) -> None:
        assert self._started_at is not None
        self._schedule.note_backup_failed(self._clock(), self._started_at)
        if isinstance(error, DomainError | StorageError):
            self.failed.emit(f"Sao lưu tự động chưa thực hiện được: {error}")
            return
        raise error

    def _on_task_finished(self) -> None:
        self._task = None
        self._arm()
