"""A dialog that runs one long step of the annual review in the background (the checker's
proposal, a ratings import) with progress and «Dừng», then shows what came of it.

    dialog = JobDialog("Chạy kiểm tra đề xuất", intro, work, lines_of, write_pool, self)
    dialog.completed.connect(self._on_proposed)
    dialog.open()

`work(report)` is plain domain code; `lines_of(result)` words its result. Stopping cancels
the work at its next report, and its transaction rolls back: nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from ui.background import Report, Task
from ui.dialogs import button_box
from ui.task_dialog import TaskDialog, show_failure


class JobDialog(TaskDialog):
    completed = Signal(object)  # the work's result, once it succeeded

    def __init__(self, title: str, intro: str, work: Callable[[Report], Any],
                 lines_of: Callable[[Any], list[str]], pool: QThreadPool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(640, 420)
        self._work = work
        self._lines_of = lines_of
        self._pool = pool
        self.result_value: Any = None
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.stop_button = QPushButton("Dừng")
        self.stop_button.clicked.connect(self._on_stop_clicked)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.buttons = button_box(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        progress = QHBoxLayout()
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro_label)
        layout.addLayout(progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)

    def start(self) -> None:
        if self.is_busy():
            return
        self.summary.setText("Đang chạy…")
        self.details.clear()
        self.progress.setRange(0, 0)
        task = Task(self._work, self)
        task.progressed.connect(self._on_task_progressed)
        self.start_task(task, self._pool, self._on_task_succeeded, self._on_task_failed)

    def _on_task_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_task_succeeded(self, result: Any) -> None:
        self.result_value = result
        lines = self._lines_of(result)
        self.summary.setText(lines[0] if lines else "Đã xong.")
        self.details.setPlainText("\n".join(lines[1:]))
        self.completed.emit(result)

    def _on_task_failed(self, error: Exception) -> None:
        if isinstance(error, ValidationError) and "\n" in str(error):
            head, _, rest = str(error).partition("\n")
            self.summary.setText(head)
            self.details.setPlainText(rest)
            return
        show_failure(self.summary, error, "Đã dừng theo yêu cầu; không có dữ liệu nào được ghi.",
                     "Không thực hiện được: {error}", "Gặp lỗi không mong muốn.")

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.stop_button.setVisible(busy)
