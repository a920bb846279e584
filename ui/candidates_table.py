"""The annual review's candidates as a table: subject, title, the checker's verdict in words
and colour, whether the candidate is kept, why, who proposed it and its nomination."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from app.annual_review import SOURCE_LABELS, CandidateRow
from app.catalogue import AWARDS, SUBJECT_KINDS
from app.eligibility.outcome import Verdict
from ui.check_table import VERDICT_COLOURS
from ui.row_table import RowTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
AWARD_ROLE = Qt.ItemDataRole.UserRole + 2
LEFT_OUT_COLOUR = QColor("#6b6b6b")


class CandidateColumn(IntEnum):
    NAME = 0
    KIND = 1
    AWARD = 2
    VERDICT = 3
    INCLUDED = 4
    REASON = 5
    SOURCE = 6
    NOMINATION = 7


class CandidatesTableModel(RowTableModel[CandidateRow]):
    columns = CandidateColumn
    headers = {
        CandidateColumn.NAME: "Đối tượng",
        CandidateColumn.KIND: "Loại",
        CandidateColumn.AWARD: "Danh hiệu",
        CandidateColumn.VERDICT: "Kết quả kiểm tra",
        CandidateColumn.INCLUDED: "Trong danh sách",
        CandidateColumn.REASON: "Lý do",
        CandidateColumn.SOURCE: "Nguồn",
        CandidateColumn.NOMINATION: "Đề nghị",
    }

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == AWARD_ROLE:
            return row.award_code
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return _text(row, column, role == SORT_ROLE)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == CandidateColumn.REASON and row.reason:
                return row.reason
            if column == CandidateColumn.VERDICT and row.check_id is not None:
                return "Nhấp đúp để xem lý do của kết quả kiểm tra"
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == CandidateColumn.VERDICT and row.verdict:
                return VERDICT_COLOURS[Verdict(row.verdict)]
            if not row.included:
                return LEFT_OUT_COLOUR
        return None


def _text(row: CandidateRow, column: int, for_sorting: bool) -> object:
    if column == CandidateColumn.NAME:
        return row.subject_name
    if column == CandidateColumn.KIND:
        return SUBJECT_KINDS[row.kind]
    if column == CandidateColumn.AWARD:
        return list(AWARDS).index(row.award_code) if for_sorting else row.award_label
    if column == CandidateColumn.VERDICT:
        return row.verdict_label
    if column == CandidateColumn.INCLUDED:
        return int(row.included) if for_sorting else ("Có" if row.included else "Không")
    if column == CandidateColumn.REASON:
        return row.reason
    if column == CandidateColumn.SOURCE:
        return SOURCE_LABELS.get(row.source, row.source)
    if row.nomination_id is None:
        return -1 if for_sorting else ""
    return row.nomination_id if for_sorting else f"Đã lập (số {row.nomination_id})"


class CandidateFilter(QSortFilterProxyModel):
    """Sorts by the models' sort keys and keeps one title's candidates (all when None)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._award: str | None = None
        self.setSortRole(SORT_ROLE)

    def set_award(self, award_code: str | None) -> None:
        self.beginFilterChange()
        self._award = award_code
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if self._award is None:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        return index.data(AWARD_ROLE) == self._award
