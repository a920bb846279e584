"""The preview of an Excel import as a table: one line per error or likely duplicate,
with the officer's choice (skip or merge) for each duplicate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from app.excel_preview import RESOLUTION_LABELS, ImportPreview, Resolution
from ui.row_table import RowTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex
ERROR_COLOUR = QColor("#a00000")


class PreviewColumn(IntEnum):
    ROW = 0
    KIND = 1
    COLUMN = 2
    MESSAGE = 3
    ACTION = 4


HEADERS = {
    PreviewColumn.ROW: "Dòng",
    PreviewColumn.KIND: "Loại",
    PreviewColumn.COLUMN: "Cột",
    PreviewColumn.MESSAGE: "Nội dung",
    PreviewColumn.ACTION: "Xử lý (đánh dấu để gộp)",
}


@dataclass(frozen=True)
class PreviewLine:
    """One error or one likely duplicate, as the preview table lists it."""

    row: int
    is_error: bool
    column: str
    message: str


def lines_of(preview: ImportPreview) -> list[PreviewLine]:
    lines = [PreviewLine(e.row, True, e.column or "", e.message) for e in preview.errors]
    lines += [PreviewLine(d.row, False, "", f"{d.name} trùng với {d.match} ({d.reason}).")
              for d in preview.duplicates]
    lines.sort(key=lambda line: (line.row, not line.is_error))
    return lines


class PreviewModel(RowTableModel[PreviewLine]):
    """Errors and duplicates of a checked file; duplicates carry the officer's skip/merge choice."""

    columns = PreviewColumn
    headers = HEADERS
    resolutions_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._resolutions: dict[int, Resolution] = {}

    def set_rows(self, lines: Sequence[PreviewLine]) -> None:
        """Show new lines; every duplicate starts as skipped."""
        self._resolutions = {line.row: Resolution.SKIP for line in lines if not line.is_error}
        super().set_rows(lines)
        self.resolutions_changed.emit()

    def resolutions(self) -> dict[int, Resolution]:
        return dict(self._resolutions)

    def set_all(self, resolution: Resolution) -> None:
        for row in self._resolutions:
            self._resolutions[row] = resolution
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, PreviewColumn.ACTION), self.index(last, PreviewColumn.ACTION))
        self.resolutions_changed.emit()

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == PreviewColumn.ACTION and not self._rows[index.row()].is_error:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self._rows[index.row()]
        column = PreviewColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == SORT_ROLE:
            return line.row if column == PreviewColumn.ROW else self._text(line, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == PreviewColumn.MESSAGE:
            return line.message
        if role == Qt.ItemDataRole.ForegroundRole and line.is_error:
            return QBrush(ERROR_COLOUR)
        if role == Qt.ItemDataRole.CheckStateRole and column == PreviewColumn.ACTION and not line.is_error:
            merged = self._resolutions[line.row] is Resolution.MERGE
            return Qt.CheckState.Checked if merged else Qt.CheckState.Unchecked
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (not index.isValid() or role != Qt.ItemDataRole.CheckStateRole
                or index.column() != PreviewColumn.ACTION or self._rows[index.row()].is_error):
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        self._resolutions[self._rows[index.row()].row] = Resolution.MERGE if checked else Resolution.SKIP
        self.dataChanged.emit(index, index)
        self.resolutions_changed.emit()
        return True

    def _text(self, line: PreviewLine, column: PreviewColumn) -> str:
        if column == PreviewColumn.ROW:
            return str(line.row)
        if column == PreviewColumn.KIND:
            return "Lỗi" if line.is_error else "Có thể trùng"
        if column == PreviewColumn.COLUMN:
            return line.column
        if column == PreviewColumn.MESSAGE:
            return line.message
        return "" if line.is_error else RESOLUTION_LABELS[self._resolutions[line.row]]
