"""The part every table model in ui/ shares: a list of row dataclasses under an IntEnum of columns.

Each table used to repeat the same list, reset, row and column counts and horizontal headers;
they now set `columns` and `headers` and write only their `data()` and what is their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

ModelIndex = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """One row per item of `set_rows()`, one column per member of `columns`, labelled by
    `headers` (keyed by those members). Subclasses set both and write `data()`."""

    columns: ClassVar[type[IntEnum]]
    headers: ClassVar[Mapping[int, str]]

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, position: int | ModelIndex) -> Row:
        """The item at a row number or an index of this model (map a proxy's index first)."""
        if isinstance(position, int):
            return self._rows[position]
        assert position.model() is self, "an index of another model (a proxy?)"
        return self._rows[position.row()]

    def rows(self) -> list[Row]:
        return list(self._rows)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers.get(section)  # None outside the columns
        return None
