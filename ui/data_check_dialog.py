"""«Kiểm tra dữ liệu»: run the full check in the background and list what it found.

The caller builds the checker once the database is open:

    checker = DataChecker(database.path, services.sessions, database.path.parent)
    DataCheckDialog(checker, read_pool, window).exec()

The check only reads, so it runs on a read pool while the officer keeps working.
"""

from __future__ import annotations

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

from app.data_check import DataChecker, DataCheckResult
from ui.background import Task
from ui.dialogs import button_box
from ui.task_dialog import TaskDialog, show_failure

INTRO = ("Chương trình đọc toàn bộ tệp cơ sở dữ liệu, kiểm tra liên kết giữa các bảng, chuỗi "
         "nhật ký thay đổi và từng tệp đính kèm. Việc kiểm tra chỉ đọc, không sửa gì.")


class DataCheckDialog(TaskDialog):
    completed = Signal(object)  # DataCheckResult

    def __init__(self, checker: DataChecker, pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kiểm tra dữ liệu")
        self.resize(720, 460)
        self._checker = checker
        self._pool = pool
        self._result: DataCheckResult | None = None

        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.progress = QProgressBar()
        self.stop_button = QPushButton("Dừng")
        self.stop_button.clicked.connect(self._on_stop_clicked)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.buttons = button_box(QDialogButtonBox.StandardButton.Close, self)
        self.run_button = self.buttons.addButton("Kiểm tra lại", QDialogButtonBox.ButtonRole.ActionRole)
        self.run_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)

        progress = QHBoxLayout()
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)
        self._set_busy(False)
        self.start()

    @property
    def result(self) -> DataCheckResult | None:
        return self._result

    def start(self) -> None:
        if self.is_busy():
            return
        self._result = None
        self.summary.setText("Đang kiểm tra…")
        self.details.clear()
        checker = self._checker
        task = Task(lambda report: checker.check(report), self)
        task.progressed.connect(self._on_task_progressed)
        self.progress.setRange(0, 0)
        self.start_task(task, self._pool, self._on_task_succeeded, self._on_task_failed)

    def _on_task_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_task_succeeded(self, result: DataCheckResult) -> None:
        self._result = result
        lines = result.lines()
        self.summary.setText(lines[0])
        self.summary.setStyleSheet("" if result.ok else "color: #a00000; font-weight: bold;")
        self.details.setPlainText("\n".join(lines[1:]))
        self.completed.emit(result)

    def _on_task_failed(self, error: Exception) -> None:
        show_failure(self.summary, error, "Đã dừng kiểm tra theo yêu cầu.",
                     "Không kiểm tra được: {error}", "Gặp lỗi không mong muốn khi kiểm tra.")

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.stop_button.setVisible(busy)
        self.run_button.setEnabled(not busy)
