"""The members of a household in its editor: people picked from the register by search."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.subject_data import MemberData, SubjectRow, fts_query
from app.subjects import SubjectService
from ui.dialogs import button_box
from ui.row_table import RowTableModel
from ui.subject_table import Column, SubjectTableView

ModelIndex = QModelIndex | QPersistentModelIndex
PICKER_LIMIT = 200
SEARCH_DELAY_MS = 150


@dataclass(frozen=True)
class MemberRow:
    individual_id: int
    name: str
    relation: str = ""
    is_head: bool = False


class MemberColumn(IntEnum):
    NAME = 0
    RELATION = 1
    HEAD = 2


MEMBER_HEADERS = {MemberColumn.NAME: "Họ và tên", MemberColumn.RELATION: "Quan hệ với chủ hộ",
                  MemberColumn.HEAD: "Chủ hộ"}


class MemberTableModel(RowTableModel[MemberRow]):
    """Members in the order they were added; relation is typed in place, the head ticked."""

    columns = MemberColumn
    headers = MEMBER_HEADERS

    def add(self, row: MemberRow) -> bool:
        """Append a person unless already a member."""
        if any(r.individual_id == row.individual_id for r in self._rows):
            return False
        position = len(self._rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.append(row)
        self.endInsertRows()
        return True

    def remove(self, position: int) -> None:
        self.beginRemoveRows(QModelIndex(), position, position)
        del self._rows[position]
        self.endRemoveRows()

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == MemberColumn.RELATION:
            flags |= Qt.ItemFlag.ItemIsEditable
        if index.isValid() and index.column() == MemberColumn.HEAD:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = MemberColumn(index.column())
        if column == MemberColumn.HEAD:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if row.is_head else Qt.CheckState.Unchecked
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return row.name if column == MemberColumn.NAME else row.relation
        return None

    def setData(self, index: ModelIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        position, column = index.row(), index.column()
        if column == MemberColumn.RELATION and role == Qt.ItemDataRole.EditRole:
            self._rows[position] = replace(self._rows[position], relation=str(value))
            self.dataChanged.emit(index, index, [role])
            return True
        if column == MemberColumn.HEAD and role == Qt.ItemDataRole.CheckStateRole:
            is_head = Qt.CheckState(value) == Qt.CheckState.Checked
            # One head per household: ticking one clears the others.
            for i, row in enumerate(self._rows):
                if i == position or is_head:
                    self._rows[i] = replace(row, is_head=is_head and i == position)
            top, bottom = self.index(0, column), self.index(len(self._rows) - 1, column)
            self.dataChanged.emit(top, bottom, [role])
            return True
        return False


class MembersField(QWidget):
    """A form field whose value is the household's members as MemberData."""

    changed = Signal()

    def __init__(self, subjects: SubjectService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._subjects = subjects
        self.model = MemberTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(MemberColumn.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MemberColumn.RELATION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MemberColumn.HEAD, QHeaderView.ResizeMode.ResizeToContents)
        for signal in (self.model.dataChanged, self.model.rowsInserted, self.model.rowsRemoved,
                       self.model.modelReset):
            signal.connect(self.changed)
        add = QPushButton("Thêm người…")
        add.clicked.connect(self.open_picker)
        remove = QPushButton("Bỏ khỏi hộ")
        remove.clicked.connect(self._on_remove_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(buttons)

    def value(self) -> tuple[MemberData, ...]:
        return tuple(MemberData(r.individual_id, r.relation, r.is_head) for r in self.model.rows())

    def set_value(self, members: tuple[MemberData, ...]) -> None:
        self.model.set_rows([
            MemberRow(m.individual_id, self._subjects.row(m.individual_id).name, m.relation, m.is_head)
            for m in members
        ])

    def add_person(self, person: SubjectRow) -> None:
        first = self.model.rowCount() == 0
        self.model.add(MemberRow(person.id, person.name, "", is_head=first))

    def open_picker(self) -> PersonPicker:
        picker = PersonPicker(self._subjects, self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.chosen.connect(self.add_person)
        picker.open()
        return picker

    def _on_remove_clicked(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.model.remove(index.row())


class PersonPicker(QDialog):
    """Find a person on the register by name or citizen ID and choose them."""

    chosen = Signal(object)  # SubjectRow

    def __init__(self, subjects: SubjectService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Chọn người trong sổ theo dõi")
        self.resize(640, 420)
        self._subjects = subjects
        self.search = QLineEdit()
        self.search.setPlaceholderText("Gõ họ tên hoặc số CCCD (không dấu cũng được)")
        self.search.setClearButtonEnabled(True)
        self.view = SubjectTableView("individual")
        self.proxy = self.view.proxy
        for column in (Column.GENDER, Column.CATEGORY, Column.UNIT):  # the rest tells people apart
            self.view.hideColumn(column)
        self.view.activated.connect(self._on_accept)
        self.note = QLabel(f"Hiện tối đa {PICKER_LIMIT} người đầu tiên khớp.")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.search.textChanged.connect(self._timer.start)
        buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

    def _on_timer_timeout(self) -> None:
        text = self.search.text()
        # A search without words would list everyone; the limit keeps this quick on the UI thread.
        self.view.show_rows(self._subjects.search(text, "individual", PICKER_LIMIT) if fts_query(text) else [])
        if self.proxy.rowCount():
            self.view.selectRow(0)

    def _on_accept(self) -> None:
        person = self.view.selected()
        if person is not None:
            self.chosen.emit(person)
            self.accept()
