"""Table models of the emulation year's movements, exemplary models, registrations and the
subjects offered for a bulk registration."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from app import catalogue
from app.movements import ExemplaryModelRow, MovementRow
from app.registrations import RegistrationRow
from app.subject_data import SubjectRow
from ui.row_table import RowTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def day_text(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day is not None else ""


class MovementColumn(IntEnum):
    NAME = 0
    KIND = 1
    PLAN_NUMBER = 2
    STATE = 3
    PERIOD = 4
    LAUNCHED = 5
    MIDTERM = 6
    FINAL = 7
    REGISTRATIONS = 8


class MovementTableModel(RowTableModel[MovementRow]):
    columns = MovementColumn
    headers = {
        MovementColumn.NAME: "Tên phong trào",
        MovementColumn.KIND: "Loại",
        MovementColumn.PLAN_NUMBER: "Số kế hoạch",
        MovementColumn.STATE: "Trạng thái",
        MovementColumn.PERIOD: "Thời gian",
        MovementColumn.LAUNCHED: "Phát động",
        MovementColumn.MIDTERM: "Sơ kết",
        MovementColumn.FINAL: "Tổng kết",
        MovementColumn.REGISTRATIONS: "Số đăng ký",
    }

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return None
        row = self._rows[index.row()]
        column = MovementColumn(index.column())
        if column is MovementColumn.REGISTRATIONS:
            return row.registrations
        if column is MovementColumn.PERIOD:
            return f"{day_text(row.starts_on)} – {day_text(row.ends_on)}"
        dates = {MovementColumn.LAUNCHED: row.launched_on, MovementColumn.MIDTERM: row.midterm_on,
                 MovementColumn.FINAL: row.final_on}
        if column in dates:
            day = dates[column]
            return (day.isoformat() if day else "") if role == SORT_ROLE else day_text(day)
        return {MovementColumn.NAME: row.name, MovementColumn.KIND: row.kind_label,
                MovementColumn.PLAN_NUMBER: row.plan_number, MovementColumn.STATE: row.state_label}[column]


class ModelColumn(IntEnum):
    NAME = 0
    SUBJECT = 1
    RECORDED_ON = 2
    DESCRIPTION = 3


class ExemplaryModelTableModel(RowTableModel[ExemplaryModelRow]):
    columns = ModelColumn
    headers = {ModelColumn.NAME: "Điển hình tiên tiến", ModelColumn.SUBJECT: "Đối tượng trong sổ",
               ModelColumn.RECORDED_ON: "Ngày ghi nhận", ModelColumn.DESCRIPTION: "Mô tả"}

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._rows[index.row()]
        return {ModelColumn.NAME: row.name, ModelColumn.SUBJECT: row.subject_name,
                ModelColumn.RECORDED_ON: day_text(row.recorded_on),
                ModelColumn.DESCRIPTION: row.description}[ModelColumn(index.column())]


class RegistrationColumn(IntEnum):
    SUBJECT = 0
    KIND = 1
    BIRTH_DATE = 2
    AWARD = 3
    REGISTERED_ON = 4
    NOTE = 5


class RegistrationTableModel(RowTableModel[RegistrationRow]):
    columns = RegistrationColumn
    headers = {
        RegistrationColumn.SUBJECT: "Đối tượng",
        RegistrationColumn.KIND: "Loại đối tượng",
        RegistrationColumn.BIRTH_DATE: "Ngày sinh",
        RegistrationColumn.AWARD: "Danh hiệu đăng ký",
        RegistrationColumn.REGISTERED_ON: "Ngày đăng ký",
        RegistrationColumn.NOTE: "Ghi chú",
    }

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return None
        row = self._rows[index.row()]
        column = RegistrationColumn(index.column())
        if role == SORT_ROLE and column in (RegistrationColumn.BIRTH_DATE, RegistrationColumn.REGISTERED_ON):
            day = row.birth_date if column is RegistrationColumn.BIRTH_DATE else row.registered_on
            return day.isoformat() if day else ""
        return {
            RegistrationColumn.SUBJECT: row.subject_name,
            RegistrationColumn.KIND: row.subject_kind_label,
            RegistrationColumn.BIRTH_DATE: day_text(row.birth_date),
            RegistrationColumn.AWARD: row.award_label,
            RegistrationColumn.REGISTERED_ON: day_text(row.registered_on),
            RegistrationColumn.NOTE: row.note,
        }[column]


class PickColumn(IntEnum):
    NAME = 0
    KIND = 1
    BIRTH_DATE = 2
    UNIT = 3
    VILLAGE = 4


class SubjectPickModel(RowTableModel[SubjectRow]):
    """Subjects found by a search, each with a tick box; ticks survive a new search."""

    columns = PickColumn
    headers = {PickColumn.NAME: "Tên", PickColumn.KIND: "Loại", PickColumn.BIRTH_DATE: "Ngày sinh",
               PickColumn.UNIT: "Đơn vị", PickColumn.VILLAGE: "Thôn, tổ dân phố"}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._checked: dict[int, SubjectRow] = {}

    def checked(self) -> list[SubjectRow]:
        return list(self._checked.values())

    def set_checked(self, rows: Iterable[SubjectRow], checked: bool = True) -> None:
        for row in rows:
            if checked:
                self._checked[row.id] = row
            else:
                self._checked.pop(row.id, None)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0),
                                  [Qt.ItemDataRole.CheckStateRole])

    def clear_checked(self) -> None:
        self.set_checked(list(self._checked.values()), checked=False)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.column() == PickColumn.NAME else flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = PickColumn(index.column())
        if role == Qt.ItemDataRole.CheckStateRole and column is PickColumn.NAME:
            return Qt.CheckState.Checked if row.id in self._checked else Qt.CheckState.Unchecked
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {PickColumn.NAME: row.name, PickColumn.KIND: catalogue.SUBJECT_KINDS[row.kind],
                PickColumn.BIRTH_DATE: day_text(row.birth_date), PickColumn.UNIT: row.unit,
                PickColumn.VILLAGE: row.village}[column]

    def setData(self, index: ModelIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or index.column() != PickColumn.NAME:
            return False
        row = self._rows[index.row()]
        if Qt.CheckState(value) == Qt.CheckState.Checked:  # type: ignore[call-overload]
            self._checked[row.id] = row
        else:
            self._checked.pop(row.id, None)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True
