"""Running blocking work off the UI thread, with progress and cancellation.

The work is a plain callable taking `report(done, total)`; calling `cancel()` makes the
next `report` raise CancelledError, so domain code stops at a safe point and its
transaction rolls back. Signals arrive on the UI thread.

A started task belongs to its pool, not to the widget that made it, and deletes itself
after `finished`: a dialog that closes on success must not delete the task while the
worker thread is still emitting its last signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.errors import CancelledError

log = logging.getLogger(__name__)

Report = Callable[[int, int], None]


class Task(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, work: Callable[[Report], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()

    def start(self, pool: QThreadPool) -> None:
        self.setParent(pool)
        self.finished.connect(self.deleteLater)
        pool.start(_Runner(self))

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _report(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise CancelledError("Đã hủy theo yêu cầu; không có dữ liệu nào được ghi.")
        self.progressed.emit(done, total)

    def _run(self) -> None:
        try:
            result = self._work(self._report)
        except Exception as error:  # reported to the UI, which words it
            if not isinstance(error, CancelledError):
                log.exception("background task failed")
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)
        finally:
            self.finished.emit()


class _Runner(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run()
