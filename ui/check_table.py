"""The checks behind one eligibility verdict as a table: status, the plain sentence, its legal
basis. Messages wrap inside the table, which grows to show every row (it sits in the scrolling
result view, so it has no scroll bars of its own)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QIcon, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QStyle, QTableView, QWidget

from app.eligibility.outcome import STATUS_LABELS, VERDICT_LABELS, Check, Status, Verdict
from ui.row_table import RowTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_PADDING = 8
ModelIndex = QModelIndex | QPersistentModelIndex

# Text as well as colour: the status is always spelt out beside its icon.
STATUS_COLOURS = {
    Status.PASSED: QColor("#1b5e20"),
    Status.FAILED: QColor("#b00020"),
    Status.UNKNOWN: QColor("#8a5300"),
    Status.REVIEW: QColor("#1a4f8b"),
}
_STATUS_ICONS = {
    Status.PASSED: QStyle.StandardPixmap.SP_DialogApplyButton,
    Status.FAILED: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Status.UNKNOWN: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Status.REVIEW: QStyle.StandardPixmap.SP_MessageBoxInformation,
}
# Failed checks first, then missing information: what the officer must act on.
_STATUS_ORDER = {Status.FAILED: 0, Status.UNKNOWN: 1, Status.REVIEW: 2, Status.PASSED: 3}
VERDICT_COLOURS = {
    Verdict.ELIGIBLE: STATUS_COLOURS[Status.PASSED],
    Verdict.NOT_ELIGIBLE: STATUS_COLOURS[Status.FAILED],
    Verdict.MISSING_INFORMATION: STATUS_COLOURS[Status.UNKNOWN],
}


def status_icon(status: Status) -> QIcon:
    return QApplication.style().standardIcon(_STATUS_ICONS[status])


def verdict_label(verdict: str) -> str:
    """The verdict in words; a stored code this version does not know is shown as it is."""
    return VERDICT_LABELS.get(verdict, verdict)  # type: ignore[call-overload]


class CheckColumn(IntEnum):
    STATUS = 0
    MESSAGE = 1
    BASIS = 2


CHECK_HEADERS = {
    CheckColumn.STATUS: "Đánh giá",
    CheckColumn.MESSAGE: "Nội dung kiểm tra",
    CheckColumn.BASIS: "Căn cứ",
}


class CheckTableModel(RowTableModel[Check]):
    """The checks of one outcome, in the checker's order until a header is clicked."""

    columns = CheckColumn
    headers = CHECK_HEADERS

    def check(self, row: int) -> Check:
        return self._rows[row]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        check = self._rows[index.row()]
        column = CheckColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(check, column)
        if role == SORT_ROLE:
            return _STATUS_ORDER[check.status] if column == CheckColumn.STATUS else self._text(check, column)
        if column != CheckColumn.STATUS:
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(check.status)
        if role == Qt.ItemDataRole.ForegroundRole:
            return STATUS_COLOURS[check.status]
        if role == Qt.ItemDataRole.FontRole and check.status in (Status.FAILED, Status.UNKNOWN):
            font = QFont()
            font.setBold(True)
            return font
        return None

    @staticmethod
    def _text(check: Check, column: CheckColumn) -> str:
        match column:
            case CheckColumn.STATUS:
                return STATUS_LABELS[check.status]
            case CheckColumn.MESSAGE:
                return check.message
            case CheckColumn.BASIS:
                return check.basis


class CheckTable(QTableView):
    """Every check on screen at once: rows as tall as their wrapped text, no scroll bars; in the
    checker's order until a header is clicked (Kết quả sorts failed checks first)."""

    def __init__(self, model: CheckTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checks = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        icon_room = self.iconSize().width() if self.iconSize().isValid() else 16
        widest = max(metrics.horizontalAdvance(label) for label in STATUS_LABELS.values())
        header.setSectionResizeMode(CheckColumn.STATUS, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(CheckColumn.STATUS, widest + icon_room + 28)
        header.setSectionResizeMode(CheckColumn.MESSAGE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(CheckColumn.BASIS, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(CheckColumn.BASIS, metrics.horizontalAdvance("NĐ 98/2023/NĐ-CP Điều 4 k4 (NĐ") + 16)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        header.sectionResized.connect(self._fit_rows)
        self.proxy.modelReset.connect(self._fit_rows)
        self.proxy.layoutChanged.connect(self._fit_rows)
        self._fit_rows()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fit_rows()

    def _fit_rows(self) -> None:
        self.resizeRowsToContents()
        for row in range(self.checks.rowCount()):  # wrapped lines must not touch the grid
            self.setRowHeight(row, self.rowHeight(row) + ROW_PADDING)
        rows = sum(self.rowHeight(row) for row in range(self.checks.rowCount()))
        self.setFixedHeight(self.horizontalHeader().sizeHint().height() + rows + 2 * self.frameWidth())
