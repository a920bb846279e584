"""An editable list of people holding one role: vice-chairmen, council members."""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.commune import OfficialData
from ui.row_table import RowTableModel

ModelIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NAME = 0
    TITLE = 1


HEADERS = {Column.NAME: "Họ và tên", Column.TITLE: "Chức vụ"}


class OfficialTableModel(RowTableModel[OfficialData]):
    """People of one role in their printed order; every cell is editable in place."""

    columns = Column
    headers = HEADERS

    def __init__(self, role: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._role = role

    def add_row(self) -> int:
        """Append an empty person and return the new row."""
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(OfficialData(self._role, ""))
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()

    def move_row(self, row: int, step: int) -> bool:
        """Move a person up (-1) or down (+1) the printed order; False at either end."""
        target = row + step
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)):
            return False
        # Qt's destination is the row the moved one is inserted before.
        destination = target + 1 if step > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._rows.insert(target, self._rows.pop(row))
        self.endMoveRows()
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)  # the printed order
        return super().headerData(section, orientation, role)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        person = self._rows[index.row()]
        return person.full_name if index.column() == Column.NAME else person.title

    def setData(self, index: ModelIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        person = self._rows[index.row()]
        text = str(value)
        if index.column() == Column.NAME:
            self._rows[index.row()] = replace(person, full_name=text)
        else:
            self._rows[index.row()] = replace(person, title=text)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True


class OfficialList(QWidget):
    """A table of people of one role with buttons to add, remove and reorder them."""

    changed = Signal()

    def __init__(self, role: str, title_hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = OfficialTableModel(role, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.view.setToolTip(f"Nhấp đúp vào ô để sửa. Chức vụ, ví dụ: {title_hint}")
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(Column.NAME, 200)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        self.add_button = QPushButton("Thêm người", self)
        self.remove_button = QPushButton("Xóa", self)
        self.up_button = QPushButton("Lên", self)
        self.down_button = QPushButton("Xuống", self)
        self.up_button.setToolTip("Đưa lên trước trong danh sách in")
        self.down_button.setToolTip("Đưa xuống sau trong danh sách in")

        buttons = QVBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(+1))
        self.view.selectionModel().currentRowChanged.connect(self._update_buttons)
        for signal in (self.model.dataChanged, self.model.rowsInserted, self.model.rowsRemoved,
                       self.model.rowsMoved, self.model.modelReset):
            signal.connect(self.changed)
        # The current index follows a moved row without any currentRowChanged.
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved,
                       self.model.rowsMoved):
            signal.connect(self._update_buttons)
        self._update_buttons()

    def set_people(self, people: list[OfficialData]) -> None:
        self.model.set_rows(people)

    def people(self) -> list[OfficialData]:
        """The people listed, including a cell still being edited."""
        self.finish_editing()
        return self.model.rows()

    def finish_editing(self) -> None:
        """Commit an open cell editor, so nothing typed is lost when the page is read."""
        if self.view.state() != QAbstractItemView.State.EditingState:
            return
        # The view's focus child is the open editor, even while the window is inactive.
        editor = self.view.focusWidget()
        if editor is not None and editor is not self.view and self.view.isAncestorOf(editor):
            self.view.commitData(editor)
            self.view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def _on_add_clicked(self) -> None:
        self.finish_editing()
        row = self.model.add_row()
        index = self.model.index(row, Column.NAME)
        self.view.setCurrentIndex(index)
        self.view.setFocus()
        self.view.edit(index)

    def _on_remove_clicked(self) -> None:
        self.finish_editing()
        index = self.view.currentIndex()
        if index.isValid():
            self.model.remove_row(index.row())

    def _move(self, step: int) -> None:
        self.finish_editing()
        index = self.view.currentIndex()
        if index.isValid():
            self.model.move_row(index.row(), step)

    def _update_buttons(self) -> None:
        row = self.view.currentIndex().row()
        count = self.model.rowCount()
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)
