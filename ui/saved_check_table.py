"""The eligibility results stored for one subject, newest first: when, what, which year, the
verdict, under which rules and by whom."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.catalogue import award_label
from app.eligibility.checker import ROUTE_LABELS
from app.eligibility_service import StoredCheck
from ui.audit_table import local_time
from ui.check_table import SORT_ROLE, VERDICT_COLOURS, verdict_label
from ui.row_table import RowTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
NO_NAME = "—"


def checked_at_text(moment: datetime) -> str:
    """The stored time (UTC; naive means UTC) in the PC's local time, as the audit trail shows it."""
    return local_time(_aware(moment))


def checked_at_short(moment: datetime) -> str:
    """The same to the minute, for the list ('24/11/2026 11:42')."""
    return f"{_aware(moment).astimezone():%d/%m/%Y %H:%M}"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)



class SavedColumn(IntEnum):
    CHECKED_AT = 0
    AWARD = 1
    YEAR = 2
    VERDICT = 3
    RULE_SET = 4
    CHECKED_BY = 5


SAVED_HEADERS = {
    SavedColumn.CHECKED_AT: "Thời điểm",
    SavedColumn.AWARD: "Danh hiệu, hình thức",
    SavedColumn.YEAR: "Năm",
    SavedColumn.VERDICT: "Kết quả",
    SavedColumn.RULE_SET: "Bộ quy tắc",
    SavedColumn.CHECKED_BY: "Người kiểm tra",
}


class SavedCheckTableModel(RowTableModel[StoredCheck]):
    """Stored results in the service's order (newest first)."""

    columns = SavedColumn
    headers = SAVED_HEADERS

    def stored(self, row: int) -> StoredCheck:
        return self._rows[row]

    def row_of(self, check_id: int) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.id == check_id), None)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        stored = self._rows[index.row()]
        column = SavedColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(stored, column)
        if role == SORT_ROLE:
            if column == SavedColumn.CHECKED_AT:
                return _aware(stored.checked_at).timestamp()
            if column == SavedColumn.YEAR:
                return stored.period_end
            return self._text(stored, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(stored, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == SavedColumn.VERDICT:
            return VERDICT_COLOURS.get(stored.verdict)  # type: ignore[call-overload]
        return None

    @staticmethod
    def _text(stored: StoredCheck, column: SavedColumn) -> str:
        match column:
            case SavedColumn.CHECKED_AT:
                return checked_at_short(stored.checked_at)
            case SavedColumn.AWARD:
                return award_label(stored.award_code)
            case SavedColumn.YEAR:
                return str(stored.period_end)
            case SavedColumn.VERDICT:
                return verdict_label(stored.verdict)
            case SavedColumn.RULE_SET:
                return stored.rule_set
            case SavedColumn.CHECKED_BY:
                return stored.checked_by_name or NO_NAME

    @staticmethod
    def _tooltip(stored: StoredCheck, column: SavedColumn) -> str | None:
        if column == SavedColumn.AWARD:
            route = ROUTE_LABELS.get(stored.route, stored.route)
            return f"{award_label(stored.award_code)}, tuyến xét: {route}"
        if column == SavedColumn.RULE_SET:
            return (f"{stored.outcome.rule_set_label} (bộ quy tắc {stored.rule_set}, "
                    f"phiên bản kiểm tra {stored.engine_version})")
        if column == SavedColumn.CHECKED_AT:
            return checked_at_text(stored.checked_at)
        if column == SavedColumn.CHECKED_BY:
            return stored.checked_by_name or None
        return None


class SavedCheckTable(QTableView):
    """One stored result selected at a time; newest first until a header is clicked."""

    def __init__(self, model: SavedCheckTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.saved = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rows = self.verticalHeader()
        rows.hide()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        metrics = self.fontMetrics()

        def fit(texts: list[str]) -> int:
            return max(metrics.horizontalAdvance(text) for text in texts) + 20

        # The award gets the room; the rule set shows its code (its laws in the tooltip and in
        # the result view). Room is left for the sort indicator beside each header.
        sort_room = 12
        widths = {
            SavedColumn.CHECKED_AT: fit(["00/00/0000 00:00"]),
            SavedColumn.YEAR: fit(["0000"]),
            SavedColumn.VERDICT: fit([verdict_label(verdict) for verdict in VERDICT_COLOURS]),
            SavedColumn.RULE_SET: fit(["2025-ND152"]),
            SavedColumn.CHECKED_BY: fit(["Nguyễn Thị Cán"]),  # longer names elide
        }
        for column, width in widths.items():
            header.resizeSection(column, max(width, fit([SAVED_HEADERS[column]]) + sort_room))
        header.setSectionResizeMode(SavedColumn.AWARD, QHeaderView.ResizeMode.Stretch)

    def fit_height(self, most: int) -> None:
        """As tall as its rows, from one up to `most`; further rows scroll."""
        rows = max(1, min(self.saved.rowCount(), most))
        self.setFixedHeight(self.horizontalHeader().sizeHint().height()
                            + self.verticalHeader().defaultSectionSize() * rows + 2 * self.frameWidth())

    def selected(self) -> StoredCheck | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return self.saved.stored(self.proxy.mapToSource(index).row())

    def select(self, check_id: int) -> bool:
        row = self.saved.row_of(check_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.saved.index(row, 0))
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True
