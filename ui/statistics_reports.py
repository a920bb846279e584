"""The stored yearly reports under «Thống kê, báo cáo»: make one, save a copy, check it.

Making a report (RUN_EMULATION only; a viewer gets no button) and writing a copy as PDF or
Excel run on the write pool; the list and the check run on the read pool. A copy's path is
shown with the full SHA-256 of the figures it was drawn from, so the copy sent can be
checked later against the stored report («Kiểm tra»).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.roles import Permission
from app.services import Services
from app.yearly_report import StoredReportRow
from ui.background import Task
from ui.dialogs import button_box, choose
from ui.statistics_tables import ReportTable

FIRST_YEAR = 1990
OK_STYLE = "color: #1b5e20;"
ERROR_STYLE = "color: #b00020;"
FORMATS = {  # suffix: the file dialog's caption and filter
    ".pdf": ("Lưu báo cáo ra PDF", "Tệp PDF (*.pdf)"),
    ".xlsx": ("Lưu báo cáo ra Excel", "Tệp Excel (*.xlsx)"),
}


def ask_year(parent: QWidget | None, default: int, last: int) -> int | None:
    """Ask the year of the report to make; None when the officer cancels."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Lập báo cáo năm")
    question = QLabel("Lập báo cáo kết quả công tác thi đua, khen thưởng của năm:")
    year = QSpinBox()
    year.setRange(FIRST_YEAR, last)
    year.setValue(default)
    buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(question)
    layout.addWidget(year)
    layout.addWidget(buttons)
    return year.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ReportsPanel(QGroupBox):
    """The stored reports, newest first, with the buttons that make, save and check them."""

    reports_loaded = Signal()  # the list of stored reports is shown
    saved = Signal(object)  # a report was written to this Path
    verified = Signal(bool)

    def __init__(self, services: Services, read_pool: QThreadPool, write_pool: QThreadPool, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__("Báo cáo đã lập (số liệu lưu kèm mã kiểm tra SHA-256)", parent)
        self._services = services
        self._read_pool = read_pool
        self._write_pool = write_pool
        self._today = today
        self._busy = False
        self._offer_save_of: int | None = None  # the report just made, once the list shows it
        self.report_table = ReportTable()
        self.report_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.make_button: QPushButton | None = None
        buttons = QHBoxLayout()
        if self._services.actor.can(Permission.RUN_EMULATION):
            self.make_button = QPushButton("Lập báo cáo năm…")
            self.make_button.clicked.connect(self._on_make_button_clicked)
            buttons.addWidget(self.make_button)
        self.pdf_button = QPushButton("Lưu PDF…")
        self.xlsx_button = QPushButton("Lưu Excel…")
        self.verify_button = QPushButton("Kiểm tra")
        self.verify_button.setToolTip("Tính lại mã SHA-256 của số liệu đã lưu và so với mã lưu khi lập")
        self.pdf_button.clicked.connect(lambda: self.save(".pdf"))
        self.xlsx_button.clicked.connect(lambda: self.save(".xlsx"))
        self.verify_button.clicked.connect(self._on_verify_button_clicked)
        for button in (self.pdf_button, self.xlsx_button, self.verify_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.report_table)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        self._update_buttons()
        self.reload_reports()

    def reload_reports(self, select: int | None = None) -> None:
        """Read the list of stored reports again, then select the report `select` if given."""
        reports = self._services.reports
        self._run(self._read_pool, reports.reports, lambda rows: self._on_reports_read(rows, select),
                  self._show_failure)

    def _on_reports_read(self, rows: list[StoredReportRow], select: int | None) -> None:
        self.report_table.reports.set_rows(rows)
        if select is not None:
            self.report_table.select(select)
        self._update_buttons()
        self.reports_loaded.emit()
        if select is not None and select == self._offer_save_of:
            self._offer_save_of = None
            self._offer_to_save()

    def make_report(self, year: int) -> None:
        """Store the report of `year` on the write pool, then offer to save a copy."""
        reports = self._services.reports
        self.result.setText(f"Đang lập báo cáo năm {year}…")
        self._set_busy(True)
        self._run(self._write_pool, lambda: reports.make(year), self._on_report_made, self._show_failure)

    def _on_report_made(self, row: StoredReportRow) -> None:
        self._set_busy(False)
        self.result.setStyleSheet(OK_STYLE)
        self.result.setText(f"Đã lập báo cáo số {row.id} ({row.period}). "
                            f"Mã kiểm tra SHA-256 của số liệu: {row.figures_sha256}")
        self._offer_save_of = row.id
        self.reload_reports(select=row.id)

    def _offer_to_save(self) -> None:
        answer = choose(self, "Đã lập báo cáo",
                        "Báo cáo đã được lưu trong cơ sở dữ liệu. Lưu một bản ra tệp?",
                        ["Lưu PDF…", "Lưu Excel…"])
        if answer is not None:
            self.save((".pdf", ".xlsx")[answer])

    def save(self, suffix: str) -> None:
        """Ask where to write the selected report as `suffix` (.pdf/.xlsx), then write it."""
        report = self.report_table.selected()
        if report is None:
            return
        caption, file_filter = FORMATS[suffix]
        suggested = f"bao-cao-tdkt-{report.year_from}-so-{report.id}{suffix}"
        chosen, _filter = QFileDialog.getSaveFileName(self, caption, suggested, file_filter)
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        reports = self._services.reports
        self.result.setStyleSheet("")
        self.result.setText(f"Đang ghi «{path}»…")
        self._set_busy(True)
        self._run(self._write_pool, lambda: reports.write(report.id, path),
                  lambda row: self._on_report_written(row, path), self._show_failure)

    def _on_report_written(self, row: StoredReportRow, path: Path) -> None:
        self._set_busy(False)
        self.result.setStyleSheet(OK_STYLE)
        self.result.setText(f"Đã lưu báo cáo số {row.id} vào «{path}».\n"
                            f"Mã kiểm tra SHA-256 của số liệu: {row.figures_sha256}")
        self.saved.emit(path)

    def _on_verify_button_clicked(self) -> None:
        report = self.report_table.selected()
        if report is None:
            return
        reports = self._services.reports
        self._run(self._read_pool, lambda: reports.verify(report.id),
                  lambda ok: self._on_verified(report, ok), self._show_failure)

    def _on_verified(self, report: StoredReportRow, ok: bool) -> None:
        if ok:
            self.result.setStyleSheet(OK_STYLE)
            self.result.setText(f"Báo cáo số {report.id}: số liệu còn nguyên như khi lập "
                                f"(SHA-256 {report.figures_sha256}).")
        else:
            self.result.setStyleSheet(ERROR_STYLE)
            self.result.setText(f"Báo cáo số {report.id}: số liệu đã bị sửa sau khi lập (mã SHA-256 không "
                                "khớp). Không dùng bản này; hãy lập báo cáo mới.")
        self.verified.emit(ok)

    def _on_make_button_clicked(self) -> None:
        year = ask_year(self, self._today.year - 1, self._today.year)
        if year is not None:
            self.make_report(year)

    def _run(self, pool: QThreadPool, work: Callable[[], Any], done: Callable[[Any], None],
             failed: Callable[[Exception], None]) -> None:
        task = Task(lambda _report: work(), parent=self)
        task.succeeded.connect(done)
        task.failed.connect(failed)
        task.start(pool)

    def _show_failure(self, error: Exception) -> None:
        self._set_busy(False)
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(str(error))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self._busy
        chosen = self.report_table.selected() is not None
        for button in (self.pdf_button, self.xlsx_button, self.verify_button):
            button.setEnabled(chosen and not busy)
        if self.make_button is not None:
            self.make_button.setEnabled(not busy)
