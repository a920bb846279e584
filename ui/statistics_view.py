"""«Thống kê, báo cáo»: the figures of a year or a period, and the stored yearly reports.

The figures (app/statistics.py) are read on the read pool for the years «Từ năm» … «Đến năm»:
the total, tables by title or award, by level, by subject kind and the priority groups with
their denominators, then the statistics' notes. A double-click on any line opens the awards
behind it (ui/dashboard_records.py); on a priority line the «Trên tổng số» and «Không rõ»
columns open the denominator's and the unknown records.

Below, the stored yearly reports (ui/statistics_reports.py).
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services import Services
from app.statistics import Figure, Statistics
from app.statistics import period_words as statistics_period_words
from app.year_overview import Tab
from ui.background import Task
from ui.dashboard_records import RecordsDialog, show_records
from ui.register_view import number
from ui.statistics_reports import FIRST_YEAR, ReportsPanel
from ui.statistics_tables import FigureColumn, FigureTable

TITLE = "Thống kê, báo cáo"
READING = "Đang đọc số liệu…"
NOTE_STYLE = "color: #555555;"


def period_words(year_from: int, year_to: int) -> str:
    """«năm 2025», «giai đoạn 2021–2025»: the statistics' words, inside a sentence."""
    words = statistics_period_words(year_from, year_to)
    return words[:1].lower() + words[1:]


class StatisticsView(QWidget):
    """Figures of a period and the stored reports; reads on `read_pool`, writes on `write_pool`."""

    loaded = Signal()  # the figures of the chosen period are shown
    # A movement figure was clicked: movements are not awards, their list is the year view's
    # tab (app.year_overview.Tab), for the last year of the period.
    open_tab = Signal(str, int)

    def __init__(self, services: Services, read_pool: QThreadPool, write_pool: QThreadPool, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._read_pool = read_pool
        self._generation = 0
        self.figures: Statistics | None = None
        self.records_dialog: RecordsDialog | None = None
        self.ready = False

        self.year_from = self._year_box(today.year)
        self.year_to = self._year_box(today.year)
        self.status = QLabel()
        self.status.setStyleSheet(NOTE_STYLE)
        self.status.setWordWrap(True)  # a long note must not widen the window
        header = QHBoxLayout()
        header.addWidget(QLabel(f"<h2>{TITLE}</h2>"))
        header.addSpacing(24)
        header.addWidget(QLabel("Từ năm:"))
        header.addWidget(self.year_from)
        header.addWidget(QLabel("Đến năm:"))
        header.addWidget(self.year_to)
        header.addSpacing(12)
        header.addWidget(self.status, 1)
        self.year_from.valueChanged.connect(self._on_year_from_value_changed)
        self.year_to.valueChanged.connect(self._on_year_to_value_changed)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._figures_part())
        self.reports = ReportsPanel(services, read_pool, write_pool, today)
        splitter.addWidget(self.reports)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Read when shown, not when built: the window starts without this area's queries, and
        the figures are fresh each time the officer comes back to them."""
        super().showEvent(event)
        self.reload()

    # --- layout ---------------------------------------------------------------------------

    @staticmethod
    def _year_box(value: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(FIRST_YEAR, value + 1)
        box.setValue(value)
        box.setKeyboardTracking(False)  # read once the year is typed, not at every digit
        return box

    def _figures_part(self) -> QWidget:
        self.total = QLabel()
        self.total.setWordWrap(True)
        self.total.linkActivated.connect(self._on_total_link_activated)
        self.award_table = FigureTable(shares=False)
        self.level_table = FigureTable(shares=False)
        self.kind_table = FigureTable(shares=False)
        self.priority_table = FigureTable(shares=True)
        for table in self.tables:
            table.figure_activated.connect(self._on_figure_activated)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(NOTE_STYLE)
        grid = QGridLayout()
        grid.addWidget(self.total, 0, 0, 1, 2)
        grid.addWidget(self._group("Theo danh hiệu, hình thức khen thưởng", self.award_table), 1, 0, 2, 1)
        grid.addWidget(self._group("Theo cấp quyết định", self.level_table), 1, 1)
        grid.addWidget(self._group("Theo loại đối tượng", self.kind_table), 2, 1)
        grid.addWidget(self._group("Đối tượng ưu tiên (Chỉ thị 41-CT/TW)", self.priority_table), 3, 0, 1, 2)
        grid.addWidget(self._group("Ghi chú về số liệu", self.notes), 4, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(5, 1)
        part = QWidget()
        part.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(part)
        return scroll

    @staticmethod
    def _group(title: str, widget: QWidget) -> QGroupBox:
        group = QGroupBox(title)
        layout = QVBoxLayout(group)
        layout.addWidget(widget)
        layout.addStretch(1)
        return group

    @property
    def tables(self) -> tuple[FigureTable, ...]:
        return (self.award_table, self.level_table, self.kind_table, self.priority_table)

    # --- figures --------------------------------------------------------------------------

    @property
    def period(self) -> tuple[int, int]:
        return self.year_from.value(), self.year_to.value()

    def set_period(self, year_from: int, year_to: int | None = None) -> None:
        """Show the figures of `year_from` … `year_to` (one year when it is None)."""
        year_to = year_from if year_to is None else year_to
        for box, value in ((self.year_to, year_to), (self.year_from, year_from)):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        """Read the figures of the chosen period again."""
        self._generation += 1
        generation, (year_from, year_to) = self._generation, self.period
        self.ready = False
        self.status.setText(READING)
        statistics = self._services.statistics
        task = Task(lambda _report: statistics.figures(year_from, year_to), parent=self)
        task.succeeded.connect(lambda figures: self._on_figures_read(generation, figures))
        task.failed.connect(lambda error: self._on_figures_failed(generation, error))
        task.start(self._read_pool)

    def _on_figures_read(self, generation: int, figures: Statistics) -> None:
        if generation != self._generation:
            return  # an earlier period's answer, come after the choice changed
        self.figures = figures
        self.award_table.figures.set_rows(figures.by_award)
        self.level_table.figures.set_rows(figures.by_level)
        self.kind_table.figures.set_rows(figures.by_subject_kind)
        self.priority_table.figures.set_rows(figures.priority)
        self.total.setText(self._total_text(figures))
        notes = list(figures.notes) or ["Không có ghi chú."]
        self.notes.setText("<br>".join(f"• {html.escape(note)}" for note in notes))
        self.status.setText("Nhấp đúp vào một dòng để xem danh sách khen thưởng." if figures.total else "")
        self.ready = True
        self.loaded.emit()

    def _on_figures_failed(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self.status.setText(f"Không đọc được số liệu: {error}")

    @staticmethod
    def _total_text(figures: Statistics) -> str:
        period = period_words(figures.year_from, figures.year_to)
        total = number(figures.total)
        text = (f'Tổng số khen thưởng {period}: <a href="total"><b>{total}</b></a>' if figures.total
                else f"Tổng số khen thưởng {period}: <b>0</b>")
        movements = "; ".join(f'<a href="{figure.key}">{html.escape(figure.label)}: {number(figure.count)}</a>'
                              for figure in figures.movements)
        return (f"{text} (không tính khen thưởng đã bị thu hồi).<br>{movements}; "
                f"sáng kiến được công nhận: {number(figures.initiatives)}.")

    # --- records --------------------------------------------------------------------------

    def open_records(self, key: str, label: str) -> RecordsDialog:
        """Open the awards behind the figure `key` in the period shown."""
        year_from, year_to = self.period
        if self.figures is not None:
            year_from, year_to = self.figures.year_from, self.figures.year_to
        statistics = self._services.statistics
        return show_records(self, f"{label} — {period_words(year_from, year_to)}",
                            lambda: statistics.records(key, year_from, year_to), self._read_pool)

    def _on_figure_activated(self, figure: Figure, column: int) -> None:
        if figure.denominator is not None and column == FigureColumn.DENOMINATOR:
            self.open_records(f"{figure.key}:base", f"{figure.label} (tổng số để tính tỷ lệ)")
        elif figure.denominator is not None and column == FigureColumn.UNKNOWN:
            self.open_records(f"{figure.key}:unknown", f"{figure.label} (không rõ)")
        else:
            self.open_records(figure.key, figure.label)

    def _on_total_link_activated(self, link: str) -> None:
        if link.startswith("movement:"):
            self.open_tab.emit(Tab.MOVEMENTS, self.period[1])
        else:
            self.open_records("total", "Tổng số khen thưởng")

    def _on_year_from_value_changed(self, value: int) -> None:
        if value > self.year_to.value():
            self.year_to.blockSignals(True)
            self.year_to.setValue(value)
            self.year_to.blockSignals(False)
        self.reload()

    def _on_year_to_value_changed(self, value: int) -> None:
        if value < self.year_from.value():
            self.year_from.blockSignals(True)
            self.year_from.setValue(value)
            self.year_from.blockSignals(False)
        self.reload()

