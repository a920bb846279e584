"""The records behind a figure of the dashboard: the awards counted, one line each.

A click on a bar or a priority figure opens `RecordsDialog`, which reads
`statistics.records(key, year)` on the read pool and shows them in a sortable table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.catalogue import SUBJECT_KINDS
from app.statistics import RecordRow
from app.vietnamese import name_sort_key, person_sort_key
from ui.background import Task
from ui.dialogs import button_box
from ui.register_view import number
from ui.row_table import ModelIndex, RowTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
READING = "Đang đọc danh sách…"
NO_RECORDS = "Không có khen thưởng nào được tính vào số liệu này."
INDIVIDUAL_KIND_LABEL = SUBJECT_KINDS["individual"]  # persons sort by given name, the rest word by word


class RecordColumn(IntEnum):
    NAME = 0
    SUBJECT_KIND = 1
    AWARD = 2
    YEAR = 3
    DECISION_NUMBER = 4
    DECISION_DATE = 5
    ISSUER = 6


HEADERS = {
    RecordColumn.NAME: "Tên đối tượng",
    RecordColumn.SUBJECT_KIND: "Loại đối tượng",
    RecordColumn.AWARD: "Danh hiệu, hình thức",
    RecordColumn.YEAR: "Năm",
    RecordColumn.DECISION_NUMBER: "Số quyết định",
    RecordColumn.DECISION_DATE: "Ngày quyết định",
    RecordColumn.ISSUER: "Cơ quan quyết định",
}


def day_text(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


class RecordTableModel(RowTableModel[RecordRow]):
    """One line per award counted in a figure."""

    columns = RecordColumn
    headers = HEADERS

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = RecordColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == RecordColumn.YEAR:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(row: RecordRow, column: RecordColumn) -> str:
        return {
            RecordColumn.NAME: row.subject_name,
            RecordColumn.SUBJECT_KIND: row.subject_kind_label,
            RecordColumn.AWARD: row.award_label,
            RecordColumn.YEAR: str(row.year),
            RecordColumn.DECISION_NUMBER: row.decision_number,
            RecordColumn.DECISION_DATE: day_text(row.decision_date),
            RecordColumn.ISSUER: row.issuer,
        }[column]

    @classmethod
    def _sort_key(cls, row: RecordRow, column: RecordColumn) -> object:
        if column == RecordColumn.NAME:
            if row.subject_kind_label == INDIVIDUAL_KIND_LABEL:
                return person_sort_key(row.subject_name)
            return name_sort_key(row.subject_name)
        if column == RecordColumn.YEAR:
            return row.year
        if column == RecordColumn.DECISION_DATE:
            return row.decision_date.isoformat() if row.decision_date else ""
        return name_sort_key(cls._text(row, column))


class RecordTable(QTableView):
    """A sortable, read-only view of a RecordTableModel, by name."""

    def __init__(self, model: RecordTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(RecordColumn.NAME, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RecordColumn.AWARD, QHeaderView.ResizeMode.Stretch)


class RecordsDialog(QDialog):
    """The awards behind one figure, read on the read pool; `loaded` once they are shown."""

    loaded = Signal()

    def __init__(self, title: str, read: Callable[[], Sequence[RecordRow]], read_pool: QThreadPool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(960, 560)
        self.heading = QLabel(f"<b>{title}</b>")
        self.heading.setWordWrap(True)
        self.status = QLabel(READING)
        self.model = RecordTableModel(self)
        self.table = RecordTable(self.model, self)
        buttons = button_box(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        task = Task(lambda _report: read(), parent=self)
        task.succeeded.connect(self._on_task_succeeded)
        task.failed.connect(self._on_task_failed)
        task.start(read_pool)

    def _on_task_succeeded(self, rows: Sequence[RecordRow]) -> None:
        self.model.set_rows(rows)
        self.status.setText(f"{number(len(rows))} khen thưởng." if rows else NO_RECORDS)
        self.loaded.emit()

    def _on_task_failed(self, error: Exception) -> None:
        self.status.setText(f"Không đọc được danh sách: {error}")


def show_records(owner: QWidget, title: str, read: Callable[[], Sequence[RecordRow]],
                 read_pool: QThreadPool) -> RecordsDialog:
    """Open the records dialog over `owner` (the dashboard, the statistics), kept as
    `owner.records_dialog` while it is open, for the owner's tests and its next click."""
    dialog = RecordsDialog(title, read, read_pool, owner)
    owner.records_dialog = dialog  # type: ignore[attr-defined]

    def forget() -> None:
        if getattr(owner, "records_dialog", None) is dialog:
            owner.records_dialog = None  # type: ignore[attr-defined]

    dialog.destroyed.connect(forget)
    dialog.open()
    return dialog

