"""Table models of the decisions part: the year's decisions, the lines of one decision (with a
tick box while it is a draft) and the document register; and the sortable table showing them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.catalogue import award_label
from app.decisions import DecisionRow
from app.document_register import RegisterRow
from ui.check_table import SORT_ROLE
from ui.row_table import RowTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
NO_VALUE = "—"
REVOKED_COLOUR = QColor("#8a8a8a")


def money_text(amount: int) -> str:
    """'2.340.000': thousands separated by dots (the unit is in the header)."""
    return f"{amount:,}".replace(",", ".")


def day_text(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else NO_VALUE



# --- the year's decisions ---------------------------------------------------------------------


class DecisionColumn(IntEnum):
    NUMBER = 0
    DATE = 1
    ABSTRACT = 2
    ITEMS = 3
    TOTAL = 4
    STATE = 5


class DecisionTableModel(RowTableModel[DecisionRow]):
    columns = DecisionColumn
    headers = {
        DecisionColumn.NUMBER: "Số",
        DecisionColumn.DATE: "Ngày ký",
        DecisionColumn.ABSTRACT: "Trích yếu",
        DecisionColumn.ITEMS: "Số được khen",
        DecisionColumn.TOTAL: "Tiền thưởng (đồng)",
        DecisionColumn.STATE: "Tình trạng",
    }

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = DecisionColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            match column:
                case DecisionColumn.DATE:
                    return row.decided_on.toordinal() if row.decided_on else 0
                case DecisionColumn.ITEMS:
                    return row.item_count
                case DecisionColumn.TOTAL:
                    return row.total
            return self._text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (DecisionColumn.ITEMS, DecisionColumn.TOTAL):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == DecisionColumn.ABSTRACT:
            return row.abstract
        return None

    @staticmethod
    def _text(row: DecisionRow, column: DecisionColumn) -> str:
        match column:
            case DecisionColumn.NUMBER:
                return row.number or "(chưa có số)"
            case DecisionColumn.DATE:
                return day_text(row.decided_on)
            case DecisionColumn.ABSTRACT:
                return row.abstract
            case DecisionColumn.ITEMS:
                revoked = f" ({row.revoked_count} thu hồi)" if row.revoked_count else ""
                return f"{row.item_count}{revoked}"
            case DecisionColumn.TOTAL:
                return money_text(row.total)
            case DecisionColumn.STATE:
                return row.state_label


# --- the lines of one decision ------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One subject and award in the decision dialog: an item of the decision (`item_id`) or a
    nomination that could be added; `included` is the tick of a draft."""

    nomination_id: int | None
    item_id: int | None
    subject_name: str
    award_code: str
    year: int
    amount: int
    included: bool
    revoked_on: date | None = None
    revoked_reason: str = ""


class LineColumn(IntEnum):
    SUBJECT = 0
    AWARD = 1
    YEAR = 2
    AMOUNT = 3
    REVOKED = 4


class LineTableModel(RowTableModel[Line]):
    """Lines with a tick box in the first column while `checkable` (a draft being edited)."""

    columns = LineColumn
    headers = {
        LineColumn.SUBJECT: "Cá nhân, tập thể",
        LineColumn.AWARD: "Danh hiệu, hình thức",
        LineColumn.YEAR: "Năm",
        LineColumn.AMOUNT: "Tiền thưởng (đồng)",
        LineColumn.REVOKED: "Thu hồi",
    }
    ticked = Signal()

    def __init__(self, checkable: bool, parent: Any = None) -> None:
        super().__init__(parent)
        self.checkable = checkable

    def included(self) -> list[Line]:
        return [line for line in self._rows if line.included]

    def total(self) -> int:
        return sum(line.amount for line in self._rows if line.included and line.revoked_on is None)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.checkable and index.isValid() and index.column() == LineColumn.SUBJECT:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self._rows[index.row()]
        column = LineColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == SORT_ROLE:
            if column == LineColumn.AMOUNT:
                return line.amount
            if column == LineColumn.YEAR:
                return line.year
            return self._text(line, column)
        if role == Qt.ItemDataRole.CheckStateRole and self.checkable and column == LineColumn.SUBJECT:
            return Qt.CheckState.Checked if line.included else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (LineColumn.YEAR, LineColumn.AMOUNT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and line.revoked_on is not None:
            return REVOKED_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole and line.revoked_on is not None:
            return f"Thu hồi ngày {day_text(line.revoked_on)}: {line.revoked_reason}"
        return None

    def setData(self, index: ModelIndex, value: Any,  # noqa: N802 (Qt name)
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not (self.checkable and index.isValid() and index.column() == LineColumn.SUBJECT
                and role == Qt.ItemDataRole.CheckStateRole):
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        self._rows[index.row()] = replace(self._rows[index.row()], included=checked)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.ticked.emit()
        return True

    @staticmethod
    def _text(line: Line, column: LineColumn) -> str:
        match column:
            case LineColumn.SUBJECT:
                return line.subject_name
            case LineColumn.AWARD:
                return award_label(line.award_code)
            case LineColumn.YEAR:
                return str(line.year)
            case LineColumn.AMOUNT:
                return money_text(line.amount)
            case LineColumn.REVOKED:
                return f"Thu hồi ngày {day_text(line.revoked_on)}" if line.revoked_on else ""


# --- the document register ---------------------------------------------------------------------


class RegisterColumn(IntEnum):
    NUMBER = 0
    DOC_TYPE = 1
    DATE = 2
    ABSTRACT = 3
    SIGNER = 4


class RegisterTableModel(RowTableModel[RegisterRow]):
    columns = RegisterColumn
    headers = {
        RegisterColumn.NUMBER: "Số, ký hiệu",
        RegisterColumn.DOC_TYPE: "Loại văn bản",
        RegisterColumn.DATE: "Ngày",
        RegisterColumn.ABSTRACT: "Trích yếu",
        RegisterColumn.SIGNER: "Người ký",
    }

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = RegisterColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            if column == RegisterColumn.NUMBER:
                return f"{row.issuer}\t{row.number:06d}"
            if column == RegisterColumn.DATE:
                return row.issued_on.toordinal()
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == RegisterColumn.ABSTRACT:
            return row.abstract
        return None

    @staticmethod
    def _text(row: RegisterRow, column: RegisterColumn) -> str:
        match column:
            case RegisterColumn.NUMBER:
                return row.number_text
            case RegisterColumn.DOC_TYPE:
                return row.doc_type_label
            case RegisterColumn.DATE:
                return day_text(row.issued_on)
            case RegisterColumn.ABSTRACT:
                return row.abstract
            case RegisterColumn.SIGNER:
                return row.signer or NO_VALUE


class RowTable(QTableView):
    """A sortable, read-only table of one RowTableModel, one row selected at a time."""

    def __init__(self, model: RowTableModel, stretch: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)  # one line per row; long abstracts show whole in their tooltip
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)

    def selected_position(self) -> int | None:
        """The selected row's position in the model (not the proxy), or None."""
        index = self.currentIndex()
        if not index.isValid() or not self.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.proxy.mapToSource(index).row()

    def select_position(self, position: int) -> None:
        index = self.proxy.mapFromSource(self.source.index(position, 0))
        self.setCurrentIndex(index)
        self.selectRow(index.row())
