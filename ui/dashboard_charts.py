"""The dashboard's charts, built with QtCharts from plain (label, value) pairs.

`BarChart` is a horizontal bar chart whose bars say which one was clicked; `TrendChart`
draws one line per priority group, its share in % over the years. Both show a note in place
of an empty chart, so an empty year reads as such instead of as a blank frame.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

BAR_COLOR = QColor("#2f6f9f")
BAR_HEIGHT = 26  # pixels per bar, so the category labels never overlap
LINE_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f")
EMPTY_HEIGHT = 60
TREND_HEIGHT = 340
QWIDGETSIZE_MAX = (1 << 24) - 1
AXIS_FONT_SIZE = 9


def short_label(label: str) -> str:
    """A legend's label: the figure's words without the denominator in brackets."""
    return label.split(" (", 1)[0]


def _chart() -> QChart:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    return chart


def _axis_font() -> QFont:
    font = QFont()
    font.setPointSize(AXIS_FONT_SIZE)
    return font


def _count_axis(top: int) -> QValueAxis:
    """A value axis of whole numbers from 0 to a round number at or above `top`."""
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setLabelsFont(_axis_font())
    axis.setRange(0, max(top, 1))
    axis.applyNiceNumbers()
    if axis.max() < 5:  # few records: one tick per unit, no repeated labels
        axis.setRange(0, max(top, 1))
        axis.setTickCount(int(max(top, 1)) + 1)
    return axis


class ChartCard(QStackedWidget):
    """A chart, or a note saying why there is none."""

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = QChartView()
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.note = QLabel(empty_text)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555555;")
        self.addWidget(self.view)
        self.addWidget(self.note)
        self.setCurrentWidget(self.note)

    @property
    def empty(self) -> bool:
        return self.currentWidget() is self.note

    def chart(self) -> QChart:
        return self.view.chart()

    def _show(self, chart: QChart | None) -> None:
        old = self.view.chart()
        self.view.setChart(chart if chart is not None else _chart())
        old.deleteLater()  # a chart set on a view belongs to it; a replaced one is ours to free
        self.setCurrentWidget(self.view if chart is not None else self.note)


class BarChart(ChartCard):
    """Horizontal bars, top to bottom in the order given; `bar_clicked(position)` names the
    bar by its position in that order."""

    bar_clicked = Signal(int)

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(empty_text, parent)
        self._values: tuple[int, ...] = ()

    def set_bars(self, bars: Sequence[tuple[str, int]]) -> None:
        """Draw `bars` (label, count); an empty or all-zero list shows the note instead."""
        self._values = tuple(value for _label, value in bars)
        if not any(self._values):
            self._show(None)
            self.setFixedHeight(EMPTY_HEIGHT)
            return
        chart = _chart()
        chart.legend().hide()
        bar_set = QBarSet("")
        bar_set.setColor(BAR_COLOR)
        bar_set.setLabelColor(QColor("#000000"))
        # A horizontal series draws its first category at the bottom: give it reversed.
        bar_set.append([float(value) for value in reversed(self._values)])
        bar_set.clicked.connect(self._on_bar_set_clicked)
        series = QHorizontalBarSeries()
        series.append(bar_set)
        series.setBarWidth(0.7)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([label for label, _value in reversed(bars)])
        categories.setLabelsFont(_axis_font())
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        # Room past the longest bar for its value label.
        counts = _count_axis(round(max(self._values) * 1.12 + 0.5))
        chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(counts)
        self._show(chart)
        self.setFixedHeight(60 + BAR_HEIGHT * len(bars))

    def values(self) -> tuple[int, ...]:
        """The counts drawn, top to bottom (what the tests compare with the figures)."""
        return self._values

    def _on_bar_set_clicked(self, index: int) -> None:
        self.bar_clicked.emit(len(self._values) - 1 - index)


class TrendChart(ChartCard):
    """One line per group: its share in % for each year; years without a share are gaps."""

    line_clicked = Signal(str, int)  # group key, year

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(empty_text, parent)
        self._lines: dict[str, tuple[tuple[int, float], ...]] = {}

    def set_lines(self, years: Sequence[int], lines: Sequence[tuple[str, str, Sequence[float | None]]]) -> None:
        """Draw `lines` of (key, label, share in % per year of `years`, None when unknown)."""
        self._lines = {key: tuple((year, share) for year, share in zip(years, shares, strict=True)
                                  if share is not None)
                       for key, _label, shares in lines}
        if not years or not any(self._lines.values()):
            self._show(None)
            self.setFixedHeight(EMPTY_HEIGHT)
            return
        chart = _chart()
        legend = chart.legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignRight)
        legend.setFont(_axis_font())
        year_axis = QValueAxis()
        year_axis.setLabelFormat("%d")
        year_axis.setLabelsFont(_axis_font())
        year_axis.setRange(min(years) - 0.25, max(years) + 0.25)
        year_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        year_axis.setTickAnchor(min(years))
        year_axis.setTickInterval(1)
        share_axis = QValueAxis()
        share_axis.setLabelFormat("%d%%")
        share_axis.setLabelsFont(_axis_font())
        top = max(share for points in self._lines.values() for _year, share in points)
        share_axis.setRange(0, min(100, max(10, top * 1.15)))
        share_axis.applyNiceNumbers()
        chart.addAxis(year_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(share_axis, Qt.AlignmentFlag.AlignLeft)
        for position, (key, label, _shares) in enumerate(lines):
            series = QLineSeries()
            series.setName(short_label(label))
            series.setPointsVisible(True)
            series.setColor(QColor(LINE_COLORS[position % len(LINE_COLORS)]))
            series.append([QPointF(year, share) for year, share in self._lines[key]])
            series.clicked.connect(lambda point, key=key: self._on_series_clicked(key, point))
            chart.addSeries(series)
            series.attachAxis(year_axis)
            series.attachAxis(share_axis)
        self._show(chart)
        self.setMinimumHeight(TREND_HEIGHT)
        self.setMaximumHeight(QWIDGETSIZE_MAX)

    def shares(self, key: str) -> tuple[tuple[int, float], ...]:
        """The (year, share in %) points drawn for a group."""
        return self._lines.get(key, ())

    def _on_series_clicked(self, key: str, point: QPointF) -> None:
        self.line_clicked.emit(key, round(point.x()))
