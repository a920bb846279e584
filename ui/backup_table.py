"""The list of backups as a table (time, kind, size, file), shared by the backup and restore
dialogs, plus the few texts both show."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.backups import KIND_LABELS, BackupInfo
from ui.row_table import RowTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex


class BackupColumn(IntEnum):
    TAKEN_AT = 0
    KIND = 1
    SIZE = 2
    FILE = 3


HEADERS = {
    BackupColumn.TAKEN_AT: "Thời điểm sao lưu",
    BackupColumn.KIND: "Loại",
    BackupColumn.SIZE: "Dung lượng",
    BackupColumn.FILE: "Tệp",
}


def when(moment: datetime) -> str:
    """'10:15:30 ngày 24/11/2026', as every backup time is shown."""
    return f"{moment:%H:%M:%S} ngày {moment:%d/%m/%Y}"


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


class BackupTableModel(RowTableModel[BackupInfo]):
    columns = BackupColumn
    headers = HEADERS

    def info(self, row: int) -> BackupInfo:
        return self._rows[row]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        info = self._rows[index.row()]
        column = BackupColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(info, column)
        if role == SORT_ROLE:
            if column == BackupColumn.TAKEN_AT:
                return info.taken_at.isoformat()
            return info.size if column == BackupColumn.SIZE else self._text(info, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == BackupColumn.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(info: BackupInfo, column: BackupColumn) -> str:
        if column == BackupColumn.TAKEN_AT:
            return when(info.taken_at)
        if column == BackupColumn.KIND:
            return KIND_LABELS[info.kind]
        if column == BackupColumn.SIZE:
            return size_text(info.size)
        return info.path.name


class BackupTable(QTableView):
    """A sortable, single-selection view of a BackupTableModel, newest first."""

    def __init__(self, model: BackupTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backups = model
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        self.setModel(proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(BackupColumn.TAKEN_AT, Qt.SortOrder.DescendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        for column in (BackupColumn.TAKEN_AT, BackupColumn.KIND, BackupColumn.SIZE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(BackupColumn.FILE, QHeaderView.ResizeMode.Stretch)

    def selected(self) -> BackupInfo | None:
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        proxy = self.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        return self.backups.info(proxy.mapToSource(rows[0]).row())
