"""«Lịch ngày nghỉ, ngày làm bù»: a year's public holidays from the maintained holiday
library beside the officer's own entries (extra days off, weekend days worked in exchange),
which every notice period and deadline counts with. Every role may look; only accounts that
may change the commune setup add or remove days. One row per change, on the UI thread.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.roles import Permission
from app.services import Services
from app.work_calendar_service import PublicHoliday, WorkCalendarRow, public_holidays
from app.working_days import KIND_LABELS, OFF
from ui.dialogs import ask_reason, button_box, show_error
from ui.form import ERROR_STYLE, CodeField, DateField, TextField
from ui.movement_tables import day_text
from ui.row_table import RowTableModel
from ui.table_columns import fit_columns

ModelIndex = QModelIndex | QPersistentModelIndex
TITLE = "Lịch ngày nghỉ, ngày làm bù"
INTRO = ("Ngày nghỉ lễ, Tết (kể cả Tết Nguyên đán theo âm lịch) và ngày làm bù đã công bố lấy từ thư viện "
         "ngày lễ được cập nhật. Khi Chính phủ công bố thêm ngày nghỉ hoặc ngày làm bù, hãy ghi ở đây: "
         "thời hạn niêm yết, thời hạn trả lời được tính theo cả các ngày này.")
READ_ONLY_NOTE = "Tài khoản này chỉ được xem: việc sửa lịch cần quyền sửa thiết lập xã."
EMPTY_NOTE = ("Năm {year} chưa ghi thêm ngày nào: lịch chỉ gồm ngày nghỉ lễ, Tết chính thức bên trái. "
              "Ghi ở đây ngày nghỉ bù, ngày làm bù mà Chính phủ công bố thêm.")


class HolidayColumn(IntEnum):
    DAY = 0
    WEEKDAY = 1
    NAME = 2


class HolidayTableModel(RowTableModel[PublicHoliday]):
    columns = HolidayColumn
    headers = {HolidayColumn.DAY: "Ngày", HolidayColumn.WEEKDAY: "Thứ", HolidayColumn.NAME: "Ngày lễ"}

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._rows[index.row()]
        return {HolidayColumn.DAY: day_text(row.day), HolidayColumn.WEEKDAY: row.weekday_label,
                HolidayColumn.NAME: row.name}[HolidayColumn(index.column())]


class EntryColumn(IntEnum):
    DAY = 0
    WEEKDAY = 1
    KIND = 2
    NOTE = 3


class EntryTableModel(RowTableModel[WorkCalendarRow]):
    columns = EntryColumn
    headers = {EntryColumn.DAY: "Ngày", EntryColumn.WEEKDAY: "Thứ", EntryColumn.KIND: "Loại",
               EntryColumn.NOTE: "Ghi chú"}

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._rows[index.row()]
        return {EntryColumn.DAY: day_text(row.day), EntryColumn.WEEKDAY: row.weekday_label,
                EntryColumn.KIND: row.kind_label, EntryColumn.NOTE: row.note}[EntryColumn(index.column())]


def _table(model: RowTableModel, stretch: int) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    fit_columns(table, stretch)
    table.verticalHeader().hide()
    return table


class WorkCalendarDialog(QDialog):
    def __init__(self, services: Services, year: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._editable = services.actor.can(Permission.EDIT_SETUP)
        self.setWindowTitle(TITLE)
        self.resize(980, 600)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year or date.today().year)
        self.year.valueChanged.connect(self.reload)
        self.holidays = HolidayTableModel(self)
        self.entries = EntryTableModel(self)
        self.holiday_table = _table(self.holidays, HolidayColumn.NAME)
        self.entry_table = _table(self.entries, EntryColumn.NOTE)
        self.day = DateField(optional=False)
        self.kind = CodeField(KIND_LABELS)
        self.note = TextField(300, "Ví dụ: theo Thông báo số …/TB-VPCP")
        self.add_button = QPushButton("Thêm ngày")
        self.remove_button = QPushButton("Xóa ngày đã chọn…")
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.entry_table.selectionModel().selectionChanged.connect(self._update_buttons)
        top = QHBoxLayout()
        top.addWidget(QLabel("Năm"))
        top.addWidget(self.year)
        top.addStretch(1)
        library = QGroupBox("Ngày nghỉ lễ, Tết theo lịch chính thức")
        QVBoxLayout(library).addWidget(self.holiday_table)
        own = QGroupBox("Ngày cán bộ ghi thêm")
        own_layout = QVBoxLayout(own)
        own_layout.addWidget(self.entry_table, 1)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        own_layout.addWidget(self.empty)
        self.editor = QWidget()
        adding = QGridLayout(self.editor)  # the note on a line of its own: room to type it
        adding.setContentsMargins(0, 0, 0, 0)
        adding.addWidget(self.day, 0, 0)
        adding.addWidget(self.kind, 0, 1)
        adding.addWidget(self.add_button, 0, 2)
        adding.addWidget(self.note, 1, 0, 1, 3)
        adding.setColumnStretch(1, 1)
        own_layout.addWidget(self.editor)
        removing = QHBoxLayout()
        removing.addWidget(self.remove_button)
        removing.addStretch(1)
        own_layout.addLayout(removing)
        own_layout.addWidget(self.message)
        self.editor.setVisible(self._editable)
        self.remove_button.setVisible(self._editable)
        if not self._editable:
            own_layout.addWidget(QLabel(READ_ONLY_NOTE))
        tables = QHBoxLayout()
        tables.addWidget(library, 1)
        tables.addWidget(own, 1)
        close = button_box(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addLayout(tables, 1)
        layout.addWidget(close)
        self.kind.set_value(OFF)
        self.reload()

    def reload(self) -> None:
        year = self.year.value()
        self.holidays.set_rows(public_holidays(year))
        self.entries.set_rows(self._services.work_calendar.rows(year))
        self.empty.setText(EMPTY_NOTE.format(year=year))
        self.empty.setVisible(self.entries.rowCount() == 0)
        self._update_buttons()

    def selected(self) -> WorkCalendarRow | None:
        rows = self.entry_table.selectionModel().selectedRows()
        return self.entries.row(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.selected() is not None)

    def _on_add_clicked(self) -> None:
        self.message.hide()
        day = self.day.value()
        assert day is not None
        try:
            self._services.work_calendar.add(day, self.kind.value(), self.note.value())
        except DomainError as error:
            self.message.setText(str(error))
            self.message.show()
            return
        self.note.clear()
        if day.year != self.year.value():
            self.year.setValue(day.year)  # reloads
        else:
            self.reload()

    def _on_remove_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        reason = ask_reason(self, "Xóa ngày", f"Xóa {row.kind_label.lower()} {row.weekday_label} "
                                              f"{day_text(row.day)} khỏi lịch?", "Xóa")
        if reason is None:
            return
        try:
            self._services.work_calendar.remove(row.id, reason)
        except DomainError as error:
            show_error(self, "Không xóa được", str(error))
            return
        self.reload()
