"""Year-end ratings as a table whose rating column the officer edits with a combobox.

Edits are kept by subject, apart from the rows shown, so filtering or searching again never
loses a rating typed and not yet saved; `changes()` is what «Lưu» sends.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.annual_review import RatingRow
from app.catalogue import RATINGS, SUBJECT_KINDS
from ui.row_table import RowTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
NO_RATING = "(chưa xếp loại)"
EDITED_COLOUR = QColor("#fff4cc")  # a rating typed and not yet saved


class RatingColumn(IntEnum):
    NAME = 0
    KIND = 1
    BIRTH_DATE = 2
    CITIZEN_ID = 3
    UNIT = 4
    RATING = 5


class RatingsTableModel(RowTableModel[RatingRow]):
    columns = RatingColumn
    headers = {
        RatingColumn.NAME: "Họ và tên / Tên tập thể",
        RatingColumn.KIND: "Loại",
        RatingColumn.BIRTH_DATE: "Ngày sinh",
        RatingColumn.CITIZEN_ID: "Số CCCD",
        RatingColumn.UNIT: "Đơn vị",
        RatingColumn.RATING: "Xếp loại",
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._edits: dict[int, str | None] = {}  # subject id → rating typed, not saved

    def rating_of(self, row: RatingRow) -> str | None:
        return self._edits[row.subject_id] if row.subject_id in self._edits else row.rating

    def changes(self) -> list[tuple[int, str | None]]:
        return list(self._edits.items())

    def has_changes(self) -> bool:
        return bool(self._edits)

    def forget_saved(self, sent: Sequence[tuple[int, str | None]]) -> None:
        """After a save: drop the edits that were sent and still hold the value sent; a
        rating typed while the save ran (another subject, or the same one changed again)
        stays unsaved."""
        for subject_id, code in sent:
            if subject_id in self._edits and self._edits[subject_id] == code:
                del self._edits[subject_id]
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(RatingColumn) - 1))

    def discard_changes(self) -> None:
        self._edits.clear()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(RatingColumn) - 1))

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == RatingColumn.RATING:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        edited = row.subject_id in self._edits
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if column == RatingColumn.NAME:
                return row.name
            if column == RatingColumn.KIND:
                return SUBJECT_KINDS[row.kind]
            if column == RatingColumn.BIRTH_DATE:
                if row.birth_date is None:
                    return ""
                return row.birth_date.isoformat() if role == SORT_ROLE else f"{row.birth_date:%d/%m/%Y}"
            if column == RatingColumn.CITIZEN_ID:
                return row.citizen_id
            if column == RatingColumn.UNIT:
                return row.unit
            code = self.rating_of(row)
            if role == SORT_ROLE:
                return list(RATINGS).index(code) if code else len(RATINGS)
            return RATINGS[code] if code else NO_RATING
        if role == Qt.ItemDataRole.EditRole and column == RatingColumn.RATING:
            return self.rating_of(row) or ""
        if role == Qt.ItemDataRole.BackgroundRole and edited and column == RatingColumn.RATING:
            return EDITED_COLOUR
        if role == Qt.ItemDataRole.FontRole and edited and column == RatingColumn.RATING:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and edited and column == RatingColumn.RATING:
            return "Đã sửa, chưa lưu"
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != RatingColumn.RATING or role != Qt.ItemDataRole.EditRole:
            return False
        code = value or None
        if code is not None and code not in RATINGS:
            return False
        row = self._rows[index.row()]
        if code == row.rating:
            self._edits.pop(row.subject_id, None)
        else:
            self._edits[row.subject_id] = code
        self.dataChanged.emit(index, index)
        return True


class RatingDelegate(QStyledItemDelegate):
    """A combobox of the ratings' labels (and «chưa xếp loại») for the rating column."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> QWidget:
        editor = QComboBox(parent)
        editor.addItem(NO_RATING, "")
        for code, label in RATINGS.items():
            editor.addItem(label, code)
        editor.activated.connect(lambda _: self.commitData.emit(editor))
        return editor

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
