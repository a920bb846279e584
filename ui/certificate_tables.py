"""Table models of the certificates: the Giấy khen of one decision with a tick for those to
print, and the certificate book's print log (sổ Giấy khen) of a year."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

from app.certificates import CertificateRow, PrintLogRow
from ui.check_table import SORT_ROLE
from ui.decision_tables import REVOKED_COLOUR
from ui.row_table import RowTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
NOT_IN_BOOK = "chưa vào sổ"
MODE_LABELS = {"full": "Giấy trắng", "blank": "Phôi in sẵn"}
TO_FILE = "Tệp PDF"


def book_text(book_year: int | None, book_number: int | None) -> str:
    """'12/2026': the number in the year's certificate book, or «chưa vào sổ»."""
    if book_number is None:
        return NOT_IN_BOOK
    return f"{book_number}/{book_year}"


class CertificateColumn(IntEnum):
    SUBJECT = 0
    AWARD = 1
    BOOK = 2
    PRINTS = 3


class CertificateTableModel(RowTableModel[CertificateRow]):
    """The decision's certificates; the first column's tick chooses those to print. A revoked
    award is greyed, cannot be ticked or selected: its certificate is no longer handed over."""

    columns = CertificateColumn
    headers = {
        CertificateColumn.SUBJECT: "Cá nhân, tập thể",
        CertificateColumn.AWARD: "Danh hiệu, hình thức",
        CertificateColumn.BOOK: "Số vào sổ",
        CertificateColumn.PRINTS: "Số lần in",
    }
    ticked = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._chosen: set[int] = set()

    def set_rows(self, rows: Any, chosen: set[int] | None = None) -> None:
        """Show `rows`; `chosen` item ids are ticked (default: those never printed)."""
        if chosen is None:
            chosen = {row.item_id for row in rows if not row.prints}
        self._chosen = {row.item_id for row in rows if row.item_id in chosen and not row.revoked}
        super().set_rows(rows)
        self.ticked.emit()

    def chosen(self) -> list[int]:
        """The ticked item ids in the order of the rows."""
        return [row.item_id for row in self._rows if row.item_id in self._chosen]

    def choose_all(self, chosen: bool) -> None:
        self._chosen = {row.item_id for row in self._rows if not row.revoked} if chosen else set()
        if self._rows:
            self.dataChanged.emit(self.index(0, CertificateColumn.SUBJECT),
                                  self.index(len(self._rows) - 1, CertificateColumn.SUBJECT),
                                  [Qt.ItemDataRole.CheckStateRole])
        self.ticked.emit()

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].revoked:
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == CertificateColumn.SUBJECT:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = CertificateColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            if column == CertificateColumn.BOOK:
                return (row.book_year or 0) * 100_000 + (row.book_number or 0)
            if column == CertificateColumn.PRINTS:
                return row.prints
            return self._text(row, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == CertificateColumn.SUBJECT:
            return Qt.CheckState.Checked if row.item_id in self._chosen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (CertificateColumn.BOOK,
                                                                     CertificateColumn.PRINTS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and (row.revoked or (
                column == CertificateColumn.BOOK and row.book_number is None)):
            return REVOKED_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole and row.revoked:
            return "Khen thưởng đã bị thu hồi: không in Giấy khen."
        return None

    def setData(self, index: ModelIndex, value: Any,  # noqa: N802 (Qt name)
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not (index.isValid() and index.column() == CertificateColumn.SUBJECT
                and role == Qt.ItemDataRole.CheckStateRole):
            return False
        row = self._rows[index.row()]
        if row.revoked:
            return False
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._chosen.add(row.item_id)
        else:
            self._chosen.discard(row.item_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.ticked.emit()
        return True

    @staticmethod
    def _text(row: CertificateRow, column: CertificateColumn) -> str:
        match column:
            case CertificateColumn.SUBJECT:
                return row.subject_name + (" (đã thu hồi)" if row.revoked else "")
            case CertificateColumn.AWARD:
                return row.award_label
            case CertificateColumn.BOOK:
                return book_text(row.book_year, row.book_number)
            case CertificateColumn.PRINTS:
                return str(row.prints)


class LogColumn(IntEnum):
    BOOK = 0
    YEAR = 1
    SUBJECT = 2
    AWARD = 3
    DECISION = 4
    MODE = 5
    PRINTER = 6
    REASON = 7
    PRINTED_AT = 8
    PRINTED_BY = 9


class PrintLogTableModel(RowTableModel[PrintLogRow]):
    """Every printing of a certificate: the first one and each reprint with its reason."""

    columns = LogColumn
    headers = {
        LogColumn.BOOK: "Số vào sổ",
        LogColumn.YEAR: "Năm",
        LogColumn.SUBJECT: "Họ tên",
        LogColumn.AWARD: "Danh hiệu",
        LogColumn.DECISION: "Số quyết định",
        LogColumn.MODE: "Cách in",
        LogColumn.PRINTER: "Máy in",
        LogColumn.REASON: "Lý do in lại",
        LogColumn.PRINTED_AT: "Thời điểm",
        LogColumn.PRINTED_BY: "Người in",
    }

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = LogColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            match column:
                case LogColumn.BOOK:
                    return row.book_year * 100_000 + row.book_number
                case LogColumn.YEAR:
                    return row.book_year
                case LogColumn.PRINTED_AT:
                    return row.printed_at.isoformat()
            return self._text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (LogColumn.BOOK, LogColumn.YEAR):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == LogColumn.REASON and row.reason:
            return row.reason
        return None

    @staticmethod
    def _text(row: PrintLogRow, column: LogColumn) -> str:
        match column:
            case LogColumn.BOOK:
                return str(row.book_number)
            case LogColumn.YEAR:
                return str(row.book_year)
            case LogColumn.SUBJECT:
                return row.subject_name
            case LogColumn.AWARD:
                return row.award_label
            case LogColumn.DECISION:
                return row.decision_number
            case LogColumn.MODE:
                return MODE_LABELS.get(row.mode, row.mode)
            case LogColumn.PRINTER:
                return row.printer or TO_FILE
            case LogColumn.REASON:
                return row.reason
            case LogColumn.PRINTED_AT:
                return f"{row.printed_at:%d/%m/%Y %H:%M}"  # Việt Nam's time, as the service gives it
            case LogColumn.PRINTED_BY:
                return row.printed_by
