"""Background tasks: results, failures, cancellation, and surviving their owner."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.errors import CancelledError
from ui.background import Report, Task


def test_result_and_progress_arrive_on_the_ui_thread(qtbot: QtBot) -> None:
    pool = QThreadPool()
    steps: list[tuple[int, int]] = []

    def work(report: Report) -> int:
        for i in range(3):
            report(i + 1, 3)
        return 42

    task = Task(work)
    task.progressed.connect(lambda done, total: steps.append((done, total)))
    with qtbot.waitSignal(task.succeeded, timeout=5000) as result:
        task.start(pool)
    assert result.args == [42]
    qtbot.waitUntil(lambda: len(steps) == 3)
    assert steps == [(1, 3), (2, 3), (3, 3)]
    pool.waitForDone()


def test_cancel_stops_the_work_at_the_next_report(qtbot: QtBot) -> None:
    pool = QThreadPool()
    started, release = threading.Event(), threading.Event()

    def work(report: Report) -> None:
        started.set()
        release.wait(5)
        report(1, 2)
        raise AssertionError("work went on after cancel")

    task = Task(work)
    with qtbot.waitSignal(task.failed, timeout=5000) as failure:
        task.start(pool)
        started.wait(5)
        task.cancel()
        release.set()
    assert isinstance(failure.args[0], CancelledError)
    pool.waitForDone()


def test_task_outlives_the_dialog_that_started_it(qtbot: QtBot) -> None:
    pool = QThreadPool()
    dialog = QDialog()
    release = threading.Event()
    task = Task(lambda _report: release.wait(5), parent=dialog)  # a bool result, on purpose
    finished: list[bool] = []
    task.finished.connect(lambda: finished.append(True))
    task.start(pool)
    dialog.deleteLater()  # closed on success while the worker still runs
    qtbot.wait(20)
    release.set()
    qtbot.waitUntil(lambda: finished == [True], timeout=5000)
    pool.waitForDone()
