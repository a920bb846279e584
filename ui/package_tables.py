"""Table models of the «Gửi tỉnh» tab: the packages sent to the province (newest first, the ones
waiting too long for an acknowledgement highlighted) and the records of one package with the
province's answer to each. The export wizard's list of nominations is in package_candidates.py."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.package.status import PackageState
from ui.check_table import SORT_ROLE
from ui.row_table import RowTableModel

if TYPE_CHECKING:
    from app.package.status import PackageRow, RecordRow

ModelIndex = QModelIndex | QPersistentModelIndex
OVERDUE_BACKGROUND = QColor("#fde8c8")  # the same amber as the line counting them
OVERDUE_FOREGROUND = QColor("#5c3b00")
SUPERSEDED_COLOUR = QColor("#8a8a8a")
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def day_text(value: date | str | None) -> str:
    """'24/11/2026' from a date or an ISO date text ("" when there is none)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value:%d/%m/%Y}"


# --- the packages -------------------------------------------------------------------------------


class PackageColumn(IntEnum):
    SEQUENCE = 0
    EXPORTED_ON = 1
    FILE = 2
    RECORDS = 3
    STATE = 4
    WAITING = 5


PACKAGE_HEADERS = {
    PackageColumn.SEQUENCE: "Số",
    PackageColumn.EXPORTED_ON: "Ngày xuất",
    PackageColumn.FILE: "Tệp",
    PackageColumn.RECORDS: "Số hồ sơ",
    PackageColumn.STATE: "Trạng thái",
    PackageColumn.WAITING: "Chờ (ngày)",
}


def waiting_text(row: PackageRow) -> str:
    """Days since export while the province still owes an answer; "" once every record has one."""
    return "" if row.state == PackageState.ANSWERED else str(row.days_waiting)


class PackageTableModel(RowTableModel["PackageRow"]):
    """Packages as the service lists them; the ids in `overdue` are highlighted."""

    columns = PackageColumn
    headers = PACKAGE_HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._overdue: frozenset[int] = frozenset()
        self._overdue_days = 0

    def set_packages(self, rows: Sequence[PackageRow], overdue: Collection[int], days: int) -> None:
        """Show `rows`; those whose id is in `overdue` waited `days` days or more for an answer."""
        self.beginResetModel()
        self._rows = list(rows)
        self._overdue = frozenset(overdue)
        self._overdue_days = days
        self.endResetModel()

    def is_overdue(self, position: int) -> bool:
        return self._rows[position].id in self._overdue

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = PackageColumn(index.column())
        overdue = row.id in self._overdue
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            match column:
                case PackageColumn.SEQUENCE:
                    return row.sequence
                case PackageColumn.EXPORTED_ON:
                    return row.created_at  # ISO with its offset: sorts by time, same day too
                case PackageColumn.RECORDS:
                    return row.record_count
                case PackageColumn.WAITING:
                    return -1 if row.state == PackageState.ANSWERED else row.days_waiting
            return self._text(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return OVERDUE_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and overdue:
            return OVERDUE_FOREGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
                PackageColumn.SEQUENCE, PackageColumn.RECORDS, PackageColumn.WAITING):
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column, overdue)
        return None

    def _text(self, row: PackageRow, column: PackageColumn) -> str:
        match column:
            case PackageColumn.SEQUENCE:
                return str(row.sequence)
            case PackageColumn.EXPORTED_ON:
                return day_text(row.exported_on)
            case PackageColumn.FILE:
                return row.file_name
            case PackageColumn.RECORDS:
                return str(row.record_count)
            case PackageColumn.STATE:
                return row.state_label
            case PackageColumn.WAITING:
                return waiting_text(row)

    def _tooltip(self, row: PackageRow, column: PackageColumn, overdue: bool) -> str | None:
        if overdue:
            return (f"Gói số {row.sequence} chưa có biên nhận của tỉnh sau {row.days_waiting} ngày "
                    f"(nhắc từ {self._overdue_days} ngày).")
        if column is PackageColumn.FILE:
            return f"{row.folder}\n{row.file_name}"
        if column is PackageColumn.STATE and row.open_count:
            return f"{row.open_count} hồ sơ chưa có kết quả cuối cùng của tỉnh."
        return None


# --- the records of one package -----------------------------------------------------------------


class RecordColumn(IntEnum):
    SUBJECT = 0
    AWARD = 1
    YEAR = 2
    VERSION = 3
    SUPERSEDES = 4
    STATUS = 5
    ANSWER = 6


RECORD_HEADERS = {
    RecordColumn.SUBJECT: "Đối tượng",
    RecordColumn.AWARD: "Danh hiệu, hình thức",
    RecordColumn.YEAR: "Năm",
    RecordColumn.VERSION: "Phiên bản",
    RecordColumn.SUPERSEDES: "Thay thế",
    RecordColumn.STATUS: "Trạng thái",
    RecordColumn.ANSWER: "Lý do / số quyết định",
}


def answer_text(row: RecordRow) -> str:
    """The province's reason (returned, not approved) or its decision (approved)."""
    if row.decision_number:
        issuer = f" của {row.decision_issuer}" if row.decision_issuer else ""
        on = f" ngày {day_text(row.decision_date)}" if row.decision_date else ""
        return f"Quyết định số {row.decision_number}{on}{issuer}"
    return row.reason or ""


def supersedes_text(row: RecordRow) -> str:
    if row.superseded:
        return "Đã có phiên bản mới hơn"
    if row.supersedes_uuid:
        return f"Thay phiên bản {row.version - 1}" if row.version > 1 else "Thay phiên bản trước"
    return ""


class RecordTableModel(RowTableModel["RecordRow"]):
    columns = RecordColumn
    headers = RECORD_HEADERS

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = RecordColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            match column:
                case RecordColumn.SUBJECT:
                    return index.row()  # the service's order is the Vietnamese one
                case RecordColumn.YEAR:
                    return row.year
                case RecordColumn.VERSION:
                    return row.version
            return self._text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and row.superseded:
            return SUPERSEDED_COLOUR
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (RecordColumn.YEAR, RecordColumn.VERSION):
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is RecordColumn.SUPERSEDES and row.superseded:
                return "Phiên bản này đã được thay bằng một phiên bản gửi sau; tỉnh xét phiên bản mới nhất."
            if column is RecordColumn.ANSWER:
                return answer_text(row) or None
        return None

    def _text(self, row: RecordRow, column: RecordColumn) -> str:
        match column:
            case RecordColumn.SUBJECT:
                return row.subject_name
            case RecordColumn.AWARD:
                return row.award_label
            case RecordColumn.YEAR:
                return str(row.year)
            case RecordColumn.VERSION:
                return str(row.version)
            case RecordColumn.SUPERSEDES:
                return supersedes_text(row)
            case RecordColumn.STATUS:
                return row.status_label
            case RecordColumn.ANSWER:
                return answer_text(row)
