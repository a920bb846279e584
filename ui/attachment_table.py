"""A nomination's attached files: name, the dossier part it stands for, size and when added."""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from app.attachments import AttachmentRow, size_text
from ui.row_table import RowTableModel

ModelIndex = QModelIndex | QPersistentModelIndex


class AttachmentColumn(IntEnum):
    FILE_NAME = 0
    PART = 1
    SIZE = 2
    ADDED_AT = 3


ATTACHMENT_HEADERS = {
    AttachmentColumn.FILE_NAME: "Tệp",
    AttachmentColumn.PART: "Thành phần hồ sơ",
    AttachmentColumn.SIZE: "Dung lượng",
    AttachmentColumn.ADDED_AT: "Ngày đính kèm",
}
OTHER_PART_TEXT = "Tài liệu khác"


class AttachmentTableModel(RowTableModel[AttachmentRow]):
    """Files in the order they were added; `part_labels` names the dossier part codes."""

    columns = AttachmentColumn
    headers = ATTACHMENT_HEADERS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._part_labels: dict[str, str] = {}

    def set_part_labels(self, labels: Mapping[str, str]) -> None:
        self._part_labels = dict(labels)
        if self._rows:
            self.dataChanged.emit(self.index(0, AttachmentColumn.PART),
                                  self.index(len(self._rows) - 1, AttachmentColumn.PART))

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._rows[index.row()]
        column = AttachmentColumn(index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.file_name}\nSHA-256: {row.sha256}" if column is AttachmentColumn.FILE_NAME else None
        if column is AttachmentColumn.FILE_NAME:
            return row.file_name
        if column is AttachmentColumn.PART:
            return self._part_labels.get(row.dossier_part, row.dossier_part) if row.dossier_part \
                else OTHER_PART_TEXT
        if column is AttachmentColumn.SIZE:
            return size_text(row.size)
        return f"{row.added_at:%d/%m/%Y %H:%M}"
