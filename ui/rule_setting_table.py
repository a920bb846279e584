"""The rule settings as tables: every setting with its value on a date, and one setting's
dated values (defaults and the officer's)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.rule_setting_service import OFFICER, SettingHistoryRow, SettingRow
from app.vietnamese import fold, name_sort_key
from ui.row_table import RowTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
FILTER_ROLE = Qt.ItemDataRole.UserRole + 2  # diacritic-free text the search box matches
ModelIndex = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row", SettingRow, SettingHistoryRow)
DEFAULT_LABEL, OFFICER_LABEL = "Mặc định", "Cán bộ đặt"


def source_text(origin: str, effective_from_text: str, source: str) -> str:
    """'Mặc định: NĐ 73/2024/NĐ-CP' or 'Cán bộ đặt từ 01/01/2025: QĐ của tỉnh'."""
    if origin == OFFICER:
        prefix = f"{OFFICER_LABEL} từ {effective_from_text}"
    else:
        prefix = DEFAULT_LABEL
    return f"{prefix}: {source}" if source else prefix


class SettingColumn(IntEnum):
    LABEL = 0
    VALUE = 1
    UNIT = 2
    SINCE = 3
    SOURCE = 4


class HistoryColumn(IntEnum):
    SINCE = 0
    VALUE = 1
    ORIGIN = 2
    SOURCE = 3


SETTING_HEADERS = {
    SettingColumn.LABEL: "Thiết lập",
    SettingColumn.VALUE: "Giá trị",
    SettingColumn.UNIT: "Đơn vị",
    SettingColumn.SINCE: "Áp dụng từ",
    SettingColumn.SOURCE: "Nguồn",
}
HISTORY_HEADERS = {
    HistoryColumn.SINCE: "Áp dụng từ",
    HistoryColumn.VALUE: "Giá trị",
    HistoryColumn.ORIGIN: "Người đặt",
    HistoryColumn.SOURCE: "Căn cứ, ghi chú",
}


class _RowsModel(RowTableModel[Row]):
    """Rows of one dataclass; officer values in bold, long texts whole in their tooltip."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bold = QFont()
        self._bold.setBold(True)

    def row_at(self, position: int) -> Row:
        return self._rows[position]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column, index.row())
        if role == FILTER_ROLE:
            return fold(" ".join(self._text(row, c) for c in self.headers))
        if role == Qt.ItemDataRole.FontRole and row.origin == OFFICER:
            return self._bold
        return None

    def _text(self, row: Row, column: int) -> str:
        raise NotImplementedError

    def _sort_key(self, row: Row, column: int, position: int) -> object:
        raise NotImplementedError


class SettingTableModel(_RowsModel[SettingRow]):
    """SettingRow lines in the order of the definitions (related settings together)."""

    columns = SettingColumn
    headers = SETTING_HEADERS

    def row_of(self, key: str) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.key == key), None)

    def _text(self, row: SettingRow, column: int) -> str:
        match column:
            case SettingColumn.LABEL:
                return row.label
            case SettingColumn.VALUE:
                return row.value_label
            case SettingColumn.UNIT:
                return row.unit
            case SettingColumn.SINCE:
                return f"{row.effective_from:%d/%m/%Y}"
            case _:
                return source_text(row.origin, f"{row.effective_from:%d/%m/%Y}", row.source)

    def _sort_key(self, row: SettingRow, column: int, position: int) -> object:
        if column == SettingColumn.LABEL:
            return position  # the definitions' order groups related settings
        if column == SettingColumn.SINCE:
            return row.effective_from.isoformat()
        return name_sort_key(self._text(row, column))


class HistoryTableModel(_RowsModel[SettingHistoryRow]):
    """One setting's dated values, oldest first."""

    columns = HistoryColumn
    headers = HISTORY_HEADERS

    def _text(self, row: SettingHistoryRow, column: int) -> str:
        match column:
            case HistoryColumn.SINCE:
                return f"{row.effective_from:%d/%m/%Y}"
            case HistoryColumn.VALUE:
                return row.value_label
            case HistoryColumn.ORIGIN:
                return OFFICER_LABEL if row.origin == OFFICER else DEFAULT_LABEL
            case _:
                return row.source

    def _sort_key(self, row: SettingHistoryRow, column: int, position: int) -> object:
        if column == HistoryColumn.SINCE:
            return position  # already by date, a default before the officer's value that replaces it
        return name_sort_key(self._text(row, column))


class RowsTable(QTableView, Generic[Row]):
    """A sortable, single-selection view over a SettingTableModel or HistoryTableModel."""

    def __init__(self, model: _RowsModel[Row], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source_model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterRole(FILTER_ROLE)
        self.proxy.setFilterKeyColumn(0)
        self.setModel(self.proxy)
        self.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.verticalHeader()
        rows.hide()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

    def filter(self, text: str) -> None:
        """Keep the rows whose texts contain `text`, diacritics and case aside."""
        self.proxy.setFilterFixedString(fold(text.strip()))

    def selected(self) -> Row | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return self.source_model.row_at(self.proxy.mapToSource(index).row())

    def select_row(self, position: int) -> None:
        index = self.proxy.mapFromSource(self.source_model.index(position, 0))
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)
