"""The accounts of «Quản lý tài khoản» as a table: name, role, administrator, status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.accounts import UserRow
from app.audit import Clock, utc_now
from app.roles import ROLE_LABELS
from app.vietnamese import name_sort_key, person_sort_key
from ui.row_table import RowTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex
YES, NO = "Có", "—"
ACTIVE, INACTIVE = "Hoạt động", "Ngừng hoạt động"
INACTIVE_COLOUR = QColor("#808080")  # an account that can no longer sign in


class UserColumn(IntEnum):
    USERNAME = 0
    FULL_NAME = 1
    ROLE = 2
    ADMIN = 3
    STATUS = 4
    MUST_CHANGE = 5


HEADERS = {
    UserColumn.USERNAME: "Tên đăng nhập",
    UserColumn.FULL_NAME: "Họ và tên",
    UserColumn.ROLE: "Vai trò",
    UserColumn.ADMIN: "Quản trị",
    UserColumn.STATUS: "Trạng thái",
    UserColumn.MUST_CHANGE: "Phải đổi mật khẩu",
}


def status_text(user: UserRow, now: datetime) -> str:
    """'Hoạt động', 'Ngừng hoạt động', or a temporary lock with the local time it ends."""
    if not user.active:
        return INACTIVE
    if user.locked_until is not None and user.locked_until > now:
        return f"Tạm khóa đến {user.locked_until.astimezone():%H:%M:%S}"
    return ACTIVE


class UserTableModel(RowTableModel[UserRow]):
    """UserRow lines in the service's order (by user name)."""

    columns = UserColumn
    headers = HEADERS

    def __init__(self, clock: Clock = utc_now, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._now = clock()

    def set_rows(self, rows: Sequence[UserRow]) -> None:
        self._now = self._clock()  # a lock shown as current stays so until the next reload
        super().set_rows(rows)

    def user(self, row: int) -> UserRow:
        return self._rows[row]

    def row_of(self, user_id: int) -> int | None:
        return next((i for i, user in enumerate(self._rows) if user.id == user_id), None)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        user = self._rows[index.row()]
        column = UserColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(user, column)
        if role == SORT_ROLE:
            if column == UserColumn.FULL_NAME:
                return person_sort_key(user.full_name)
            if column == UserColumn.USERNAME:
                return name_sort_key(user.username)
            return self._text(user, column)
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return INACTIVE_COLOUR
        return None

    def _text(self, user: UserRow, column: UserColumn) -> str:
        match column:
            case UserColumn.USERNAME:
                return user.username
            case UserColumn.FULL_NAME:
                return user.full_name
            case UserColumn.ROLE:
                return ROLE_LABELS[user.role]
            case UserColumn.ADMIN:
                return YES if user.is_admin else NO
            case UserColumn.STATUS:
                return status_text(user, self._now)
            case UserColumn.MUST_CHANGE:
                return YES if user.must_change_password else NO


class UserTable(QTableView):
    """A sortable, single-selection view of a UserTableModel."""

    def __init__(self, model: UserTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.users = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(UserColumn.USERNAME, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        rows = self.verticalHeader()
        rows.hide()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)

    def selected(self) -> UserRow | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return self.users.user(self.proxy.mapToSource(index).row())

    def select(self, user_id: int) -> None:
        row = self.users.row_of(user_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.users.index(row, 0))
        self.setCurrentIndex(index)
        self.scrollTo(index)
