"""The dashboard (bảng điều khiển): the chosen year at a glance, in charts.

The year's movements by stage, its nominations by state, the deadlines due within a week,
titles and awards by kind, and the priority groups of Chỉ thị 41-CT/TW with their shares
over the last five years, then the statistics' plain notes. Every award bar and priority
figure opens the records behind it (ui/dashboard_records.py).

Three reads run side by side on the read pool (the year overview, the year's figures, the
five-year trend); `loaded` is emitted once all three of the current year are shown.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.movements import STATE_LABELS as MOVEMENT_STATE_LABELS
from app.nomination_deadlines import Deadline
from app.nomination_states import STATE_LABELS as NOMINATION_STATE_LABELS
from app.services import Services
from app.statistics import Figure, Statistics
from app.year_overview import Tab, YearOverview
from ui.background import Task
from ui.dashboard_charts import BarChart, TrendChart
from ui.dashboard_figures import FigureLinks
from ui.dashboard_records import RecordsDialog, show_records
from ui.register_view import number
from ui.year_overview_panel import LATE_STYLE, deadline_text

TITLE = "Bảng điều khiển"
READING = "Đang đọc số liệu…"
DEADLINE_DAYS = 7
TREND_YEARS = 5
NOTE_STYLE = "color: #555555;"


@dataclass(frozen=True)
class YearState:
    """What the dashboard reads from the year overview: one read on the pool."""

    overview: YearOverview
    deadlines: tuple[Deadline, ...]
    years: tuple[int, ...]


class Dashboard(QWidget):
    """The dashboard for one user; reads on `read_pool`, dates counted from `today`."""

    loaded = Signal()  # every part of the chosen year is shown
    # A bar of movements or nominations was clicked: the year-view tab (app.year_overview.Tab)
    # that lists them, for the year shown.
    open_tab = Signal(str, int)

    def __init__(self, services: Services, read_pool: QThreadPool, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._statistics = services.statistics
        self._read_pool = read_pool
        self._today = today
        self._year = today.year
        self._generation = 0
        self._pending: set[str] = set()
        self.figures: Statistics | None = None
        self.records_dialog: RecordsDialog | None = None

        self.year_box = QComboBox()
        self._set_years((today.year,))
        self.year_box.currentIndexChanged.connect(self._on_year_box_current_index_changed)
        self.status = QLabel()
        self.status.setStyleSheet(NOTE_STYLE)
        header = QHBoxLayout()
        title = QLabel(f"<h2>{TITLE}</h2>")
        header.addWidget(title)
        header.addSpacing(24)
        header.addWidget(QLabel("Năm:"))
        header.addWidget(self.year_box)
        header.addSpacing(12)
        header.addWidget(self.status, 1)

        self.placeholder = QLabel(READING)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet(NOTE_STYLE)
        self._pages = QStackedWidget()
        self._pages.addWidget(self.placeholder)
        self._pages.addWidget(self._content())
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self._pages, 1)
        self.reload()

    # --- layout ---------------------------------------------------------------------------

    def _content(self) -> QScrollArea:
        self.movement_chart = BarChart("")
        self.nomination_chart = BarChart("")
        self.award_chart = BarChart("")
        self.award_chart.bar_clicked.connect(self._on_award_chart_bar_clicked)
        self.movement_chart.bar_clicked.connect(lambda _bar: self.open_tab.emit(Tab.MOVEMENTS, self._year))
        self.nomination_chart.bar_clicked.connect(lambda _bar: self.open_tab.emit(Tab.NOMINATIONS, self._year))
        self.trend_chart = TrendChart("Chưa có số liệu về đối tượng ưu tiên trong các năm này.")
        self.trend_chart.line_clicked.connect(self._on_trend_chart_line_clicked)
        self.deadlines = QLabel()
        self.deadlines.setWordWrap(True)
        self.deadlines.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.total = QLabel()
        self.total.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(NOTE_STYLE)
        self.priority_figures = FigureLinks()
        self.priority_figures.figure_clicked.connect(self.open_records)

        self._movement_group = self._group("", self.movement_chart)
        self._nomination_group = self._group("", self.nomination_chart)
        self._award_group = self._group("", self.total, self.award_chart)
        self._priority_group = self._group("", self.priority_figures, self.trend_chart)

        grid = QGridLayout()
        grid.addWidget(self._movement_group, 0, 0)
        grid.addWidget(self._nomination_group, 0, 1)
        grid.addWidget(self._group(f"Hạn xử lý trong {DEADLINE_DAYS} ngày tới", self.deadlines), 1, 0)
        grid.addWidget(self._group("Ghi chú về số liệu", self.notes), 1, 1)
        grid.addWidget(self._award_group, 2, 0, 1, 2)
        grid.addWidget(self._priority_group, 3, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(4, 1)
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    @staticmethod
    def _group(title: str, *widgets: QWidget) -> QGroupBox:
        group = QGroupBox(title)
        layout = QVBoxLayout(group)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        return group

    # --- reading --------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self._year

    @property
    def ready(self) -> bool:
        """Every part of the chosen year is shown."""
        return not self._pending

    @property
    def trend_years(self) -> list[int]:
        return list(range(self._year - TREND_YEARS + 1, self._year + 1))

    def set_year(self, year: int) -> None:
        """Show `year` (also when it has no data: the dashboard says so)."""
        if year != self._year:
            self._year = year
            self.reload()

    def reload(self) -> None:
        """Read the chosen year again; the placeholder shows until everything is back."""
        self._generation += 1
        generation, year, today = self._generation, self._year, self._today
        self._pending = {"overview", "figures", "trend"}
        self.status.setText(READING)
        self._pages.setCurrentWidget(self.placeholder)
        self._titles(year)
        services, statistics = self._services, self._statistics
        self._start(generation, "overview", lambda: YearState(
            services.year_overview.overview(year, today),
            tuple(services.nominations.deadlines(today, DEADLINE_DAYS)),
            tuple(services.year_overview.years(today))), self._show_overview)
        self._start(generation, "figures", lambda: statistics.figures(year), self._show_figures)
        years = self.trend_years
        self._start(generation, "trend", lambda: statistics.trend(years), self._show_trend)

    def _start(self, generation: int, part: str, read: Callable[[], Any], show: Callable[[Any], None]) -> None:
        task = Task(lambda _report: read(), parent=self)
        task.succeeded.connect(lambda value: self._on_part_read(generation, part, show, value))
        task.failed.connect(lambda error: self._on_part_failed(generation, error))
        task.start(self._read_pool)

    def _on_part_read(self, generation: int, part: str, show: Callable[[Any], None], value: object) -> None:
        if generation != self._generation:
            return  # an earlier year's answer, come after the choice changed
        show(value)
        self._pending.discard(part)
        if not self._pending:
            self.status.setText("")
            self._pages.setCurrentIndex(1)
            self.loaded.emit()

    def _on_part_failed(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self.status.setText(f"Không đọc được số liệu năm {self._year}: {error}")
            self.placeholder.setText(f"Không đọc được số liệu: {error}")

    # --- showing --------------------------------------------------------------------------

    def _titles(self, year: int) -> None:
        self._movement_group.setTitle(f"Phong trào thi đua năm {year} theo bước")
        self._nomination_group.setTitle(f"Hồ sơ đề nghị khen thưởng năm {year} theo trạng thái")
        self._award_group.setTitle(f"Danh hiệu thi đua và hình thức khen thưởng năm {year}")
        self._priority_group.setTitle(
            f"Đối tượng ưu tiên (Chỉ thị 41-CT/TW): năm {year} và tỷ lệ qua {TREND_YEARS} năm")
        self.movement_chart.note.setText(f"Chưa có phong trào thi đua nào cho năm {year}.")
        self.nomination_chart.note.setText(f"Chưa có hồ sơ đề nghị nào cho năm {year}.")
        self.award_chart.note.setText(f"Chưa có khen thưởng nào được ghi cho năm {year}.")

    def _set_years(self, years: Sequence[int]) -> None:
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in sorted(set(years) | {self._year}, reverse=True):
            self.year_box.addItem(str(year), year)
        self.year_box.setCurrentIndex(self.year_box.findData(self._year))
        self.year_box.blockSignals(False)

    def _show_overview(self, state: YearState) -> None:
        self._set_years(state.years)
        movements = state.overview.movements
        self.movement_chart.set_bars([(MOVEMENT_STATE_LABELS[stage], count)
                                      for stage, count in movements.by_state])
        self.nomination_chart.set_bars([(NOMINATION_STATE_LABELS[stage], count)
                                        for stage, count in state.overview.nominations.by_state])
        if state.deadlines:
            self.deadlines.setText("<br>".join(
                f'<span style="{LATE_STYLE}">• {html.escape(deadline_text(d))}</span>' if d.past
                else f"• {html.escape(deadline_text(d))}" for d in state.deadlines))
        else:
            self.deadlines.setText(f"Không có hạn nào trong {DEADLINE_DAYS} ngày tới, không có hồ sơ quá hạn.")

    def _show_figures(self, figures: Statistics) -> None:
        self.figures = figures
        self.award_chart.set_bars([(figure.label, figure.count) for figure in figures.by_award])
        levels = ", ".join(f"{figure.label.lower()} {number(figure.count)}"
                           for figure in figures.by_level if figure.count)
        self.total.setText(f"Tổng số khen thưởng: <b>{number(figures.total)}</b>"
                           + (f" ({html.escape(levels)})" if levels else "")
                           + (". Bấm vào một thanh để xem danh sách." if figures.total else "."))
        self.priority_figures.set_figures(figures.priority)
        notes = list(figures.notes) or ["Không có ghi chú."]
        self.notes.setText("<br>".join(f"• {html.escape(note)}" for note in notes))

    def _show_trend(self, trend: Sequence[tuple[int, Sequence[Figure]]]) -> None:
        years = [year for year, _figures in trend]
        groups: dict[str, tuple[str, list[float | None]]] = {}
        for position, (_year, figures) in enumerate(trend):
            for figure in figures:
                label, shares = groups.setdefault(figure.key, (figure.label, [None] * len(trend)))
                shares[position] = None if figure.share is None else figure.share * 100
        self.trend_chart.set_lines(years, [(key, label, shares) for key, (label, shares) in groups.items()])

    # --- records --------------------------------------------------------------------------

    def open_records(self, key: str, label: str, year: int | None = None) -> RecordsDialog:
        """Open the list of the awards behind the figure `key` of `year` (the chosen one)."""
        year = self._year if year is None else year
        statistics = self._statistics
        return show_records(self, f"{label} — năm {year}", lambda: statistics.records(key, year), self._read_pool)

    def _on_award_chart_bar_clicked(self, position: int) -> None:
        if self.figures is not None:
            figure = self.figures.by_award[position]
            self.open_records(figure.key, figure.label)

    def _on_trend_chart_line_clicked(self, key: str, year: int) -> None:
        label = next((f.label for f in self.figures.priority if f.key == key), key) if self.figures else key
        self.open_records(key, label, year)

    def _on_year_box_current_index_changed(self, index: int) -> None:
        if index >= 0:
            self.set_year(self.year_box.itemData(index))
