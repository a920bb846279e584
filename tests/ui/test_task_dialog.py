"""The dialog base that runs one task: closing it cancels the task first; failures are worded."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from app.errors import CancelledError, DomainError
from db.engine import StorageError
from ui.background import Report, Task
from ui.task_dialog import TaskDialog, show_failure


def test_closing_while_a_task_runs_cancels_it_and_closes_once_it_has_finished(qtbot: QtBot) -> None:
    pool = QThreadPool()
    dialog = TaskDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    started, release = threading.Event(), threading.Event()

    def work(report: Report) -> None:
        started.set()
        release.wait(5)
        report(1, 1)

    failures: list[Exception] = []
    task = Task(work, dialog)
    dialog.start_task(task, pool, lambda _value: None, failures.append)
    started.wait(5)
    dialog.close()
    assert task.cancelled
    assert dialog.isVisible() and dialog.is_busy()
    with qtbot.waitSignal(dialog.task_finished, timeout=5000):
        release.set()
    assert not dialog.isVisible() and not dialog.is_busy()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert [type(error) for error in failures] == [CancelledError]
    pool.waitForDone()


@pytest.mark.parametrize(("error", "text"), [
    (CancelledError("dừng"), "Đã dừng."),
    (DomainError("Tệp hỏng."), "Không làm được: Tệp hỏng."),
    (StorageError("Ổ đĩa đầy."), "Không làm được: Ổ đĩa đầy."),
])
def test_a_failure_the_user_can_act_on_is_worded(qtbot: QtBot, error: Exception, text: str) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    show_failure(label, error, "Đã dừng.", "Không làm được: {error}", "Lỗi lạ.")
    assert label.text() == text


def test_an_unexpected_failure_is_worded_then_raised_again(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    with pytest.raises(KeyError):
        show_failure(label, KeyError("x"), "Đã dừng.", "Không làm được: {error}", "Lỗi lạ.")
    assert label.text() == "Lỗi lạ."
