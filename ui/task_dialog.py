"""A dialog that runs one background Task at a time and is not closed under it.

Subclasses start their work with `start_task`, override `_set_busy` to enable or disable
their widgets, and word failures with `show_failure`. Closing the dialog while a task runs
cancels the task (its domain code stops at the next report and rolls back) and closes the
dialog once the task has finished; a dialog whose work must never be cut short overrides
`reject` to do nothing while busy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from app.errors import CancelledError, DomainError
from db.engine import StorageError
from ui.background import Task


class TaskDialog(QDialog):
    task_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._task: Task | None = None
        self._close_when_done = False

    def is_busy(self) -> bool:
        return self._task is not None

    def start_task(self, task: Task, pool: QThreadPool, on_succeeded: Callable[[Any], None],
                   on_failed: Callable[[Exception], None]) -> None:
        """Run `task` on `pool` as this dialog's one task, busy until it has finished."""
        self._task = task
        task.succeeded.connect(on_succeeded)
        task.failed.connect(on_failed)
        task.finished.connect(self._on_task_finished)
        self._set_busy(True)
        task.start(pool)

    def _set_busy(self, busy: bool) -> None:
        """Enable or disable the widgets that must wait for the task; subclasses override it."""

    def _on_task_finished(self) -> None:
        self._task = None
        self._set_busy(False)
        self.task_finished.emit()
        if self._close_when_done:
            super().reject()

    def _on_stop_clicked(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def reject(self) -> None:
        if self._task is not None:
            self._close_when_done = True
            self._task.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._task is not None:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)


def show_failure(label: QLabel, error: Exception, cancelled: str, refused: str, unexpected: str) -> None:
    """Word on `label` why a task did not succeed; `refused` may hold `{error}`.

    An error the user cannot act on is raised again after the label is set, so the
    excepthook logs it and reports it.
    """
    if isinstance(error, CancelledError):
        label.setText(cancelled)
    elif isinstance(error, DomainError | StorageError):
        label.setText(refused.format(error=error))
    else:
        label.setText(unexpected)
        raise error
