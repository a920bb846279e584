"""Running blocking work off the UI thread, with progress and cancellation.

The work is a plain callable taking `report(done, total)`; calling `cancel()` makes the
next `report` raise CancelledError, so domain code stops at a safe point and its
transaction rolls back. Signals arrive on the UI thread.

A started task belongs to its pool, not to the widget that made it: a dialog that closes
on success must not delete the task while the worker thread still emits its last signal.
Finished tasks are deleted at the next start on the same pool, once their worker has let
go of them (deleting a QObject that another thread still references corrupts memory).
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
    # The worker's one result, (ok, value), crosses threads in a tuple: PySide 6.12 corrupts
    # the reference count of a bare True/False sent through a queued `object` signal.
    _outcome = Signal(object)

    def __init__(self, work: Callable[[Report], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._released = threading.Event()  # set once no worker thread references this task
        self._outcome.connect(self._on_outcome)

    def start(self, pool: QThreadPool) -> None:
        for earlier in pool.findChildren(Task):
            if earlier._released.is_set():
                earlier.setParent(None)
                earlier.deleteLater()
        self.setParent(pool)
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
            outcome = (True, self._work(self._report))
        except Exception as error:  # reported to the UI, which words it
            if not isinstance(error, CancelledError):
                log.exception("background task failed")
            outcome = (False, error)
        self._outcome.emit(outcome)

    def _on_outcome(self, outcome: tuple[bool, Any]) -> None:
        ok, value = outcome
        (self.succeeded if ok else self.failed).emit(value)
        self.finished.emit()


class _Runner(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        task, self._task = self._task, None
        released = task._released
        try:
            task._run()
        finally:
            del task
            released.set()
