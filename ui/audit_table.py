"""The audit trail as tables: one line per entry, and an entry's old and new values side by
side. Also the Vietnamese words for the stored codes (actions, kinds of record, fields).

Times are stored in UTC and shown in the PC's local time (+07:00 in Việt Nam).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app import audit, catalogue
from app.audit import AuditRow
from app.roles import ROLE_LABELS
from ui.row_table import RowTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex
CHANGED_BACKGROUND = QColor("#fff1b8")
CHANGED_FOREGROUND = QColor("#000000")
NO_VALUE = "—"
# The app's words for actions and kinds of record, plus the codes other modules write that
# app/audit.py does not name yet (restore and attachments).
ACTION_LABELS: dict[str, str] = {**audit.ACTION_LABELS, "restore": "Khôi phục dữ liệu"}
ENTITY_LABELS: dict[str, str] = {**audit.ENTITY_LABELS, "attachment": "Tệp đính kèm",
                                 "database": "Cơ sở dữ liệu"}
# The stored names of the fields the services record, in words.
FIELD_LABELS = {
    "username": "Tên đăng nhập",
    "full_name": "Họ và tên",
    "role": "Vai trò",
    "is_admin": "Quản trị",
    "active": "Đang hoạt động",
    "must_change_password": "Phải đổi mật khẩu",
    "name": "Tên",
    "gender": "Giới tính",
    "birth_date": "Ngày sinh",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "home_town": "Quê quán",
    "residence": "Nơi ở hiện nay",
    "citizen_id": "Số CCCD",
    "job_title": "Chức vụ, chức danh",
    "unit_id": "Đơn vị công tác (mã)",
    "village_id": "Thôn, tổ dân phố (mã)",
    "parent_id": "Tập thể cấp trên (mã)",
    "employment": "Đối tượng",
    "direct_labour": "Lao động trực tiếp",
    "employment_start": "Ngày bắt đầu công tác",
    "ethnic_minority": "Người dân tộc thiểu số",
    "difficult_area": "Vùng đặc biệt khó khăn",
    "ethnic_minority_area": "Vùng đồng bào dân tộc thiểu số",
    "collective_kind": "Loại tập thể",
    "village_kind": "Loại",
    "address": "Địa chỉ",
    "members": "Thành viên",
    "note": "Ghi chú",
    "year": "Năm",
    "rating": "Xếp loại",
    "award_code": "Danh hiệu, hình thức",
    "decision_number": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "issuer": "Cơ quan quyết định",
    "legal_basis": "Căn cứ pháp lý",
    "basis_kind": "Loại thành tích",
    "period_start": "Năm bắt đầu giai đoạn",
    "revoked_on": "Ngày thu hồi",
    "revoked_reason": "Lý do thu hồi",
    "title": "Tên sáng kiến",
    "scope": "Phạm vi ảnh hưởng",
    "recognised_by": "Nơi công nhận",
    "form": "Hình thức kỷ luật",
    "decided_on": "Ngày quyết định",
    "ends_on": "Ngày hết hiệu lực",
    "province_code": "Mã tỉnh",
    "commune_code": "Mã xã",
    "place_name": "Địa danh",
    "issuer_symbol": "Ký hiệu cơ quan ban hành",
    "council_symbol": "Ký hiệu Hội đồng TĐKT",
    "officials": "Lãnh đạo, thành viên Hội đồng",
    "province_name": "Tỉnh, thành phố",
    "commune_name": "Xã, phường",
    "commune_kind": "Loại đơn vị hành chính",
    "file_name": "Tên tệp",
    "size": "Dung lượng (byte)",
    "sha256": "Mã SHA-256",
    "media_type": "Kiểu tệp",
    "owner_uuid": "Mã bản ghi có tệp",
    "backup": "Bản sao lưu",
    "lost": "Không còn sau khi khôi phục",
}
# Fields holding a code of a vocabulary, shown by its label.
FIELD_VOCABULARIES: dict[str, Mapping[str, str]] = {
    "role": ROLE_LABELS,
    "gender": catalogue.GENDERS,
    "employment": catalogue.EMPLOYMENT,
    "collective_kind": catalogue.COLLECTIVE_KINDS,
    "village_kind": catalogue.VILLAGE_KINDS,
    "rating": catalogue.RATINGS,
    "award_code": {kind.code: kind.label for kind in catalogue.AWARD_KINDS},
    "basis_kind": catalogue.BASIS_KINDS,
    "scope": catalogue.INITIATIVE_SCOPES,
    "form": catalogue.DISCIPLINE_FORMS,
}
_FIELD_ORDER = {name: position for position, name in enumerate(FIELD_LABELS)}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)


def entity_label(code: str) -> str:
    return ENTITY_LABELS.get(code, code)


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def local_time(moment: datetime) -> str:
    """'24/11/2026 17:15:30': a stored UTC time in the PC's local time."""
    return f"{moment.astimezone():%d/%m/%Y %H:%M:%S}"


def utc_offset(moment: datetime) -> str:
    """'UTC+07:00': the offset `local_time` used."""
    offset = moment.astimezone().strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def who(entry: AuditRow) -> str:
    """The full name and user name of whoever made the change ('Trần Văn Quản (quantri)')."""
    if not entry.full_name:
        return entry.username  # a name typed at a failed sign-in
    if entry.full_name.casefold() == entry.username.casefold():
        return entry.full_name  # the system actor
    return f"{entry.full_name} ({entry.username})"


def value_text(name: str, value: object) -> str:
    """A stored value in words: dates as dd/mm/yyyy, yes/no, a code's label, lists as JSON."""
    if value is None or value == "":
        return NO_VALUE
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, str):
        vocabulary = FIELD_VOCABULARIES.get(name, {})
        if value in vocabulary:
            return vocabulary[value]
        found = _ISO_DATE.match(value)
        return f"{found[3]}/{found[2]}/{found[1]}" if found else value
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class AuditColumn(IntEnum):
    AT = 0
    WHO = 1
    ACTION = 2
    ENTITY = 3
    SUMMARY = 4
    REASON = 5


HEADERS = {
    AuditColumn.AT: "Thời gian",
    AuditColumn.WHO: "Người thực hiện",
    AuditColumn.ACTION: "Thao tác",
    AuditColumn.ENTITY: "Loại bản ghi",
    AuditColumn.SUMMARY: "Nội dung",
    AuditColumn.REASON: "Lý do",
}


class AuditTableModel(RowTableModel[AuditRow]):
    """Entries in the order loaded (newest first); later pages are appended."""

    columns = AuditColumn
    headers = HEADERS

    def append_rows(self, rows: Sequence[AuditRow]) -> int:
        """Add a further page, skipping entries already shown (written since the first page
        shifted the pages by their number); returns how many were added."""
        oldest = min((row.id for row in self._rows), default=None)
        fresh = [row for row in rows if oldest is None or row.id < oldest]
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self.endInsertRows()
        return len(fresh)

    def entry(self, row: int) -> AuditRow:
        return self._rows[row]

    def entries(self) -> list[AuditRow]:
        return list(self._rows)

    def row_of(self, entry_id: int) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.id == entry_id), None)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        column = AuditColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == SORT_ROLE:
            return entry.id if column == AuditColumn.AT else self._text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (AuditColumn.SUMMARY, AuditColumn.REASON):
            return self._text(entry, column) or None
        return None

    @staticmethod
    def _text(entry: AuditRow, column: AuditColumn) -> str:
        match column:
            case AuditColumn.AT:
                return local_time(entry.at)
            case AuditColumn.WHO:
                return who(entry)
            case AuditColumn.ACTION:
                return action_label(entry.action)
            case AuditColumn.ENTITY:
                return entity_label(entry.entity)
            case AuditColumn.SUMMARY:
                return entry.summary
            case AuditColumn.REASON:
                return entry.reason or ""


class AuditTable(QTableView):
    """The entries, newest first until a header is clicked; one row selected at a time."""

    def __init__(self, model: AuditTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        rows = self.verticalHeader()
        rows.hide()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order: newest first
        self.setSortingEnabled(True)
        metrics = self.fontMetrics()

        def fit(texts: list[str]) -> int:
            return max(metrics.horizontalAdvance(text) for text in texts) + 20

        # The content column gets the room; the others are capped (and can be widened by hand).
        header.resizeSection(AuditColumn.AT, fit(["00/00/0000 00:00:00"]))
        header.resizeSection(AuditColumn.WHO, 170)
        header.resizeSection(AuditColumn.ACTION, min(fit(list(ACTION_LABELS.values())), 150))
        header.resizeSection(AuditColumn.ENTITY, min(fit(list(ENTITY_LABELS.values())), 130))
        header.resizeSection(AuditColumn.REASON, 140)
        header.setSectionResizeMode(AuditColumn.SUMMARY, QHeaderView.ResizeMode.Stretch)

    def selected(self) -> AuditRow | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return self.entries.entry(self.proxy.mapToSource(index).row())

    def select(self, entry_id: int) -> bool:
        row = self.entries.row_of(entry_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.entries.index(row, 0))
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True


class ChangeColumn(IntEnum):
    FIELD = 0
    OLD = 1
    NEW = 2


CHANGE_HEADERS = {ChangeColumn.FIELD: "Thông tin", ChangeColumn.OLD: "Giá trị cũ",
                  ChangeColumn.NEW: "Giá trị mới"}


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str | None  # None: the entry keeps no old values (a record added)
    new: str | None  # None: the entry keeps no new values (a record deleted)
    changed: bool


def field_changes(entry: AuditRow | None) -> list[FieldChange]:
    """The fields of an entry's old and new values, in the order of FIELD_LABELS (unknown
    ones last), each marked changed when the entry keeps both and they differ."""
    if entry is None:
        return []
    old, new = entry.old_values, entry.new_values
    names = sorted({*(old or {}), *(new or {})},
                   key=lambda name: (_FIELD_ORDER.get(name, len(_FIELD_ORDER)), name))
    both = old is not None and new is not None
    changes = []
    for name in names:
        before = value_text(name, old.get(name)) if old is not None else None
        after = value_text(name, new.get(name)) if new is not None else None
        differ = both and (name not in old or name not in new or old[name] != new[name])  # type: ignore[operator]
        changes.append(FieldChange(name, before, after, differ))
    return changes


class ChangeTableModel(RowTableModel[FieldChange]):
    """One entry's old and new values, field by field; changed fields are highlighted."""

    columns = ChangeColumn
    headers = CHANGE_HEADERS

    def set_entry(self, entry: AuditRow | None) -> None:
        self.set_rows(field_changes(entry))

    def change(self, row: int) -> FieldChange:
        return self._rows[row]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        change = self._rows[index.row()]
        column = ChangeColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == ChangeColumn.FIELD:
                return field_label(change.name) if role == Qt.ItemDataRole.DisplayRole else change.name
            text = change.old if column == ChangeColumn.OLD else change.new
            return text if text is not None else ""
        if change.changed:
            if role == Qt.ItemDataRole.BackgroundRole:
                return CHANGED_BACKGROUND
            if role == Qt.ItemDataRole.ForegroundRole:
                return CHANGED_FOREGROUND
            if role == Qt.ItemDataRole.FontRole and column == ChangeColumn.FIELD:
                font = QFont()
                font.setBold(True)
                return font
        return None


class ChangeTable(QTableView):
    def __init__(self, model: ChangeTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.changes = model
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        rows = self.verticalHeader()
        rows.hide()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        header.setSectionResizeMode(ChangeColumn.FIELD, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ChangeColumn.FIELD, 220)
        header.setSectionResizeMode(ChangeColumn.OLD, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ChangeColumn.NEW, QHeaderView.ResizeMode.Stretch)
