"""The tables of «Thống kê, báo cáo»: figures (count, denominator, share, «không rõ») and the
stored reports (number, period, when and by whom, the start of the hash of their figures).

Both are row models over the services' frozen dataclasses, sorted through a proxy by a sort
role; a double-click on a figure emits `figure_activated(figure, column)` so the view can
open the records behind it (the column tells the count, the denominator or «không rõ»).
"""

from __future__ import annotations

from datetime import UTC
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSizePolicy, QTableView, QWidget

from app.statistics import Figure, percent_text
from app.vietnamese import name_sort_key
from app.yearly_report import StoredReportRow
from ui.register_view import number
from ui.row_table import ModelIndex, RowTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
HASH_SHOWN = 16  # hex digits of the SHA-256 shown in the table; the full hash on saving


class FigureColumn(IntEnum):
    LABEL = 0
    COUNT = 1
    DENOMINATOR = 2
    SHARE = 3
    UNKNOWN = 4


FIGURE_HEADERS = {
    FigureColumn.LABEL: "Chỉ tiêu",
    FigureColumn.COUNT: "Số lượng",
    FigureColumn.DENOMINATOR: "Trên tổng số",
    FigureColumn.SHARE: "Tỷ lệ",
    FigureColumn.UNKNOWN: "Không rõ",
}
SHARE_COLUMNS = (FigureColumn.DENOMINATOR, FigureColumn.SHARE, FigureColumn.UNKNOWN)


def share_text(figure: Figure) -> str:
    """'37,5%'; '' without a denominator; 'chưa có mẫu số' when it is 0 (never divides by zero)."""
    if figure.denominator is None:
        return ""
    return "chưa có mẫu số" if figure.share is None else percent_text(figure.share)


class FigureTableModel(RowTableModel[Figure]):
    """One line per figure of a group of the statistics."""

    columns = FigureColumn
    headers = FIGURE_HEADERS

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        figure = self._rows[index.row()]
        column = FigureColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(figure, column)
        if role == SORT_ROLE:
            return self._sort_key(figure, column, index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole and column != FigureColumn.LABEL:
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Nhấp đúp để xem danh sách khen thưởng"
        return None

    @staticmethod
    def _text(figure: Figure, column: FigureColumn) -> str:
        if column == FigureColumn.LABEL:
            return figure.label
        if column == FigureColumn.COUNT:
            return number(figure.count)
        if column == FigureColumn.DENOMINATOR:
            return "" if figure.denominator is None else number(figure.denominator)
        if column == FigureColumn.SHARE:
            return share_text(figure)
        return number(figure.unknown)

    @staticmethod
    def _sort_key(figure: Figure, column: FigureColumn, position: int) -> object:
        if column == FigureColumn.LABEL:
            return position  # the statistics' own order (catalogue, levels) reads best
        if column == FigureColumn.COUNT:
            return figure.count
        if column == FigureColumn.DENOMINATOR:
            return figure.denominator if figure.denominator is not None else -1
        if column == FigureColumn.SHARE:
            return figure.share if figure.share is not None else -1.0
        return figure.unknown


class FigureTable(QTableView):
    """A sortable read-only figure table; `figure_activated(figure, column)` on a double-click."""

    figure_activated = Signal(object, int)

    def __init__(self, shares: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures = FigureTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.figures)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(FigureColumn.LABEL, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        for column in SHARE_COLUMNS:
            self.setColumnHidden(column, not shares)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FigureColumn.LABEL, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.doubleClicked.connect(self._on_double_clicked)
        self.figures.modelReset.connect(self._fit_height)
        self._fit_height()

    def _fit_height(self) -> None:
        """Show every line: a group has a handful of figures, the page scrolls as a whole."""
        rows = self.figures.rowCount()
        self.setFixedHeight(self.horizontalHeader().sizeHint().height()
                            + rows * self.verticalHeader().defaultSectionSize() + 2 * self.frameWidth())

    def figure_at(self, row: int) -> Figure:
        """The figure shown on line `row` (in the sorted order)."""
        return self.figures.row(self.proxy.mapToSource(self.proxy.index(row, 0)))

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.figure_activated.emit(self.figures.row(self.proxy.mapToSource(index)), index.column())


class ReportColumn(IntEnum):
    NUMBER = 0
    PERIOD = 1
    CREATED_AT = 2
    CREATED_BY = 3
    HASH = 4


REPORT_HEADERS = {
    ReportColumn.NUMBER: "Số",
    ReportColumn.PERIOD: "Năm",
    ReportColumn.CREATED_AT: "Lập lúc",
    ReportColumn.CREATED_BY: "Người lập",
    ReportColumn.HASH: "Mã kiểm tra SHA-256 (16 ký tự đầu)",
}


def created_text(report: StoredReportRow) -> str:
    """The stored (naive UTC) time of making, in the PC's local time."""
    return f"{report.created_at.replace(tzinfo=UTC).astimezone():%d/%m/%Y %H:%M}"


def period_text(report: StoredReportRow) -> str:
    if report.year_from == report.year_to:
        return str(report.year_from)
    return f"{report.year_from} - {report.year_to}"


class ReportTableModel(RowTableModel[StoredReportRow]):
    """One line per stored report, newest first."""

    columns = ReportColumn
    headers = REPORT_HEADERS

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        report = self._rows[index.row()]
        column = ReportColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(report, column)
        if role == SORT_ROLE:
            return self._sort_key(report, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (ReportColumn.NUMBER, ReportColumn.PERIOD):
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column == ReportColumn.HASH:
            return report.figures_sha256
        return None

    @staticmethod
    def _text(report: StoredReportRow, column: ReportColumn) -> str:
        return {
            ReportColumn.NUMBER: str(report.id),
            ReportColumn.PERIOD: period_text(report),
            ReportColumn.CREATED_AT: created_text(report),
            ReportColumn.CREATED_BY: report.created_by,
            ReportColumn.HASH: report.figures_sha256[:HASH_SHOWN],
        }[column]

    @classmethod
    def _sort_key(cls, report: StoredReportRow, column: ReportColumn) -> object:
        if column == ReportColumn.NUMBER:
            return report.id
        if column == ReportColumn.PERIOD:
            return (report.year_from, report.year_to)
        if column == ReportColumn.CREATED_AT:
            return report.created_at.isoformat()
        return name_sort_key(cls._text(report, column))


class ReportTable(QTableView):
    """The stored reports, newest first; one selected at a time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reports = ReportTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.reports)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(ReportColumn.NUMBER, Qt.SortOrder.DescendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def selected(self) -> StoredReportRow | None:
        rows = self.selectionModel().selectedRows()
        return self.reports.row(self.proxy.mapToSource(rows[0])) if rows else None

    def select(self, report_id: int) -> None:
        for position, report in enumerate(self.reports.rows()):
            if report.id == report_id:
                self.selectRow(self.proxy.mapFromSource(self.reports.index(position, 0)).row())
                return
