"""The table of the «Đề nghị khen thưởng» tab: one year's nominations with their state, who
decides, the latest check, the deadlines, the files, and the honest sending status to the
province («Gửi tỉnh»: which package holds the newest version and the province's answer; empty
for a nomination never exported), read with the rows off the UI thread."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.catalogue import SUBJECT_KINDS
from app.nominations import NominationRow
from ui.row_table import RowTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex


class NominationColumn(IntEnum):
    SUBJECT = 0
    AWARD = 1
    PROCEDURE = 2
    STATE = 3
    ACTION = 4
    VERDICT = 5
    NOTICE_ENDS = 6
    ANSWER_DUE = 7
    FILES = 8
    SENT = 9


NOMINATION_HEADERS = {
    NominationColumn.SUBJECT: "Đối tượng",
    NominationColumn.AWARD: "Danh hiệu, hình thức",
    NominationColumn.PROCEDURE: "Thủ tục",
    NominationColumn.STATE: "Trạng thái",
    NominationColumn.ACTION: "Thẩm quyền",
    NominationColumn.VERDICT: "Kiểm tra điều kiện",
    NominationColumn.NOTICE_ENDS: "Hết niêm yết",
    NominationColumn.ANSWER_DUE: "Hạn cấp trên trả lời",
    NominationColumn.FILES: "Tệp",
    NominationColumn.SENT: "Gửi tỉnh",
}


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


class NominationTableModel(RowTableModel[NominationRow]):
    """Nominations as the service lists them; `sent` maps a nomination's UUID to its sending status."""

    columns = NominationColumn
    headers = NOMINATION_HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._sent: dict[str, str] = {}

    def set_rows(self, rows: Sequence[NominationRow], sent: Mapping[str, str] | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._sent = dict(sent or {})
        self.endResetModel()

    def sent(self, row: NominationRow) -> str:
        return self._sent.get(row.uuid, "")

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = NominationColumn(index.column())
        if role == SORT_ROLE:
            if column is NominationColumn.SUBJECT:  # the service's order is the Vietnamese one
                return index.row()
            if column is NominationColumn.NOTICE_ENDS:
                return row.notice_ends_on.isoformat() if row.notice_ends_on else ""
            if column is NominationColumn.ANSWER_DUE:
                return row.answer_due_on.isoformat() if row.answer_due_on else ""
            if column is NominationColumn.FILES:
                return row.attachment_count
            return self.data(index)
        if role == Qt.ItemDataRole.ToolTipRole and column is NominationColumn.SUBJECT:
            return SUBJECT_KINDS.get(row.subject_kind, row.subject_kind)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            NominationColumn.SUBJECT: row.subject_name,
            NominationColumn.AWARD: row.award_label,
            NominationColumn.PROCEDURE: "Đơn giản" if row.procedure == "simplified" else "Thông thường",
            NominationColumn.STATE: row.state_label,
            NominationColumn.ACTION: row.action_label,
            NominationColumn.VERDICT: row.verdict_label or "Chưa kiểm tra",
            NominationColumn.NOTICE_ENDS: _day(row.notice_ends_on),
            NominationColumn.ANSWER_DUE: _day(row.answer_due_on),
            NominationColumn.FILES: str(row.attachment_count),
            NominationColumn.SENT: self.sent(row),
        }[column]
