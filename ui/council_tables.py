"""Table models of the council screens: the year's sessions, a session's members with their
attendance, and its candidates with the live count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.council import STATE_WORDS, CandidateRow, MemberRow, SessionRow
from app.council_tally import CandidateResult, format_percent
from app.nomination_states import STATE_LABELS, State
from ui.row_table import RowTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
PASSED_COLOUR = QColor("#1b5e20")
FAILED_COLOUR = QColor("#b00020")
NO_VALUE = "—"


def day_text(row: SessionRow) -> str:
    return f"{row.held_on:%d/%m/%Y}"


def correction_text(row: SessionRow) -> str:
    """How the list says a session corrects another or was corrected."""
    parts = []
    if row.corrects_id is not None:
        parts.append(f"Điều chỉnh phiên «{row.corrects_title}»: {row.correction_reason}")
    if row.corrected_by_id is not None:
        parts.append("Đã có phiên điều chỉnh")
    return "; ".join(parts)


class SessionColumn(IntEnum):
    HELD_ON = 0
    TITLE = 1
    STATE = 2
    RESULT = 3
    CORRECTION = 4


class SessionTableModel(RowTableModel[SessionRow]):
    columns = SessionColumn
    headers = {
        SessionColumn.HELD_ON: "Ngày họp",
        SessionColumn.TITLE: "Phiên họp",
        SessionColumn.STATE: "Trạng thái",
        SessionColumn.RESULT: "Đề nghị đạt / đưa ra",
        SessionColumn.CORRECTION: "Điều chỉnh",
    }

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = SessionColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                SessionColumn.HELD_ON: day_text(row),
                SessionColumn.TITLE: row.title,
                SessionColumn.STATE: STATE_WORDS[row.state],
                SessionColumn.RESULT: f"{row.voted}/{row.candidates}" if row.is_final else f"—/{row.candidates}",
                SessionColumn.CORRECTION: correction_text(row),
            }[column]
        if role == SORT_ROLE:
            return row.held_on.toordinal() * 10_000 + row.id if column == SessionColumn.HELD_ON \
                else self.data(index)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (SessionColumn.TITLE, SessionColumn.CORRECTION):  # long: cut on screen
                return self.data(index) or None
            if row.is_final and row.finalised_at is not None:
                moment = row.finalised_at.replace(tzinfo=UTC).astimezone()
                return f"Chốt lúc {moment:%d/%m/%Y %H:%M} bởi {row.finalised_by or 'không rõ'}"
            return None
        return None


class MemberColumn(IntEnum):
    NAME = 0
    ROLE = 1
    PRESENT = 2


class MemberTableModel(RowTableModel[MemberRow]):
    """Members with a «Có mặt» tick box; ticking changes only this model until saved."""

    columns = MemberColumn
    headers = {MemberColumn.NAME: "Họ và tên", MemberColumn.ROLE: "Chức danh trong Hội đồng",
               MemberColumn.PRESENT: "Có mặt"}
    attendance_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._present: dict[int, bool] = {}
        self._editable = True

    def set_rows(self, rows: Any) -> None:
        self._present = {row.id: row.present for row in rows}
        super().set_rows(rows)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable

    def attendance(self) -> dict[int, bool]:
        return dict(self._present)

    def present_count(self) -> int:
        return sum(self._present.values())

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == MemberColumn.PRESENT and self._editable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = MemberColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return {MemberColumn.NAME: row.full_name, MemberColumn.ROLE: row.council_role,
                    MemberColumn.PRESENT: None}[column]
        if role == Qt.ItemDataRole.CheckStateRole and column == MemberColumn.PRESENT:
            return Qt.CheckState.Checked if self._present[row.id] else Qt.CheckState.Unchecked
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if (not index.isValid() or index.column() != MemberColumn.PRESENT
                or role != Qt.ItemDataRole.CheckStateRole or not self._editable):
            return False
        row = self._rows[index.row()]
        self._present[row.id] = Qt.CheckState(value) == Qt.CheckState.Checked
        self.dataChanged.emit(index, index, [role])
        self.attendance_changed.emit()
        return True

    def set_present(self, row: int, present: bool) -> None:
        """What ticking the box does (for keyboard-free tests and 'all present')."""
        state = Qt.CheckState.Checked if present else Qt.CheckState.Unchecked
        self.setData(self.index(row, MemberColumn.PRESENT), state, Qt.ItemDataRole.CheckStateRole)


@dataclass(frozen=True)
class CandidateLine:
    row: CandidateRow
    votes: int
    result: CandidateResult | None  # None while the count cannot be made


class CandidateColumn(IntEnum):
    SUBJECT = 0
    AWARD = 1
    VOTES = 2
    THRESHOLD = 3
    BASE = 4
    PERCENT = 5
    PASSED = 6
    RANK = 7
    QUOTA = 8
    STATE = 9


class CandidateTableModel(RowTableModel[CandidateLine]):
    """The session's candidates; the votes column is edited in place and the count columns
    follow as the officer types (the dialog recounts and calls `set_results`)."""

    columns = CandidateColumn
    headers = {
        CandidateColumn.SUBJECT: "Đối tượng",
        CandidateColumn.AWARD: "Danh hiệu, hình thức",
        CandidateColumn.VOTES: "Phiếu đồng ý",
        CandidateColumn.THRESHOLD: "Ngưỡng",
        CandidateColumn.BASE: "Trên số",
        CandidateColumn.PERCENT: "Tỷ lệ",
        CandidateColumn.PASSED: "Kết quả",
        CandidateColumn.RANK: "Xếp thứ",
        CandidateColumn.QUOTA: "Chỉ tiêu",
        CandidateColumn.STATE: "Trạng thái đề nghị",
    }
    votes_edited = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._editable = True

    def set_editable(self, editable: bool) -> None:
        self._editable = editable

    def votes(self) -> dict[int, int]:
        return {line.row.nomination_id: line.votes for line in self._rows}

    def set_results(self, results: dict[int, CandidateResult]) -> None:
        """New count results for the same rows, without a reset (an editor may be open)."""
        self._rows = [CandidateLine(line.row, line.votes, results.get(line.row.nomination_id))
                      for line in self._rows]
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == CandidateColumn.VOTES and self._editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self._rows[index.row()]
        column = CandidateColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.EditRole and column == CandidateColumn.VOTES:
            return line.votes
        if role == Qt.ItemDataRole.ForegroundRole and column in (CandidateColumn.PASSED, CandidateColumn.QUOTA):
            if line.result is None or (column == CandidateColumn.QUOTA and line.result.within_quota is None):
                return None
            good = line.result.passed if column == CandidateColumn.PASSED else line.result.voted
            return QBrush(PASSED_COLOUR if good else FAILED_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and line.result is not None and line.result.reason:
            return line.result.reason
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
                CandidateColumn.VOTES, CandidateColumn.BASE, CandidateColumn.PERCENT, CandidateColumn.RANK):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if (not index.isValid() or index.column() != CandidateColumn.VOTES
                or role != Qt.ItemDataRole.EditRole or not self._editable):
            return False
        try:
            votes = int(value)
        except (TypeError, ValueError):
            return False
        if votes < 0:
            return False
        line = self._rows[index.row()]
        if votes == line.votes:
            return True
        self._rows[index.row()] = CandidateLine(line.row, votes, line.result)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        self.votes_edited.emit()
        return True

    def _text(self, line: CandidateLine, column: CandidateColumn) -> str:
        result = line.result
        if column == CandidateColumn.SUBJECT:
            return line.row.subject_name
        if column == CandidateColumn.AWARD:
            return line.row.award_label
        if column == CandidateColumn.VOTES:
            return str(line.votes)
        if column == CandidateColumn.STATE:
            return STATE_LABELS[State(line.row.state)]
        if result is None:
            return NO_VALUE
        if column == CandidateColumn.THRESHOLD:
            return result.threshold.label()
        if column == CandidateColumn.BASE:
            return NO_VALUE if result.base is None else str(result.base)
        if column == CandidateColumn.PERCENT:
            return NO_VALUE if result.percent is None else f"{format_percent(result.percent)}%"
        if column == CandidateColumn.PASSED:
            return "Đạt" if result.passed else "Không đạt"
        if column == CandidateColumn.RANK:
            if result.rank is None:
                return NO_VALUE
            return f"{result.rank} (ưu tiên {result.priority})" if result.priority else str(result.rank)
        if column == CandidateColumn.QUOTA:
            if result.within_quota is None:
                return NO_VALUE
            return "Trong chỉ tiêu" if result.within_quota else "Ngoài chỉ tiêu"
        return ""
