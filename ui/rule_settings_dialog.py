"""«Thiết lập quy tắc xét khen thưởng»: the values the law leaves to the province or that
could not be confirmed, each in force from a date.

The officer sees every setting with its value on a chosen date and where it comes from,
the dated values of the selected setting, and adds a value from a date or removes one
they added (with a reason). Every change goes through `services.rule_settings`, which
checks the permission and writes the audit entry; a refusal is shown here in Vietnamese and
nothing changes. A setting is one row, so changes run on the UI thread.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.roles import Permission
from app.rule_setting_service import FIRST_EFFECTIVE_DATE, OFFICER, SettingRow
from app.services import Services
from ui.dialogs import ask_reason, button_box
from ui.form import DATE_FORMAT, ERROR_STYLE
from ui.rule_setting_editor import SettingValueEditor
from ui.rule_setting_table import (
    HistoryColumn,
    HistoryTableModel,
    RowsTable,
    SettingColumn,
    SettingTableModel,
)

TITLE = "Thiết lập quy tắc xét khen thưởng"
INTRO = ("Các giá trị pháp luật để tỉnh quy định hoặc chưa xác nhận được văn bản gốc. Mỗi giá trị "
         "áp dụng từ một ngày: khi xét, dùng giá trị có ngày áp dụng gần nhất không sau ngày xét; "
         "cùng một ngày thì giá trị cán bộ đặt thay giá trị mặc định. Dòng in đậm là giá trị cán bộ đặt.")
READ_ONLY_NOTE = "Tài khoản này chỉ được xem: việc sửa thiết lập cần quyền sửa thiết lập xã."
SAVED_STYLE = "color: #1b5e20;"
HINT_STYLE = "color: #555555;"


def _date_edit(day: date, minimum: date | None = None) -> QDateEdit:
    edit = QDateEdit(QDate(day))
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    if minimum is not None:
        edit.setMinimumDate(QDate(minimum))
    return edit


class RuleSettingsDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self._service = services.rule_settings
        self._editable = services.actor.can(Permission.EDIT_SETUP)
        self._form_key: str | None = None  # the setting the «Đặt giá trị mới» form was filled for
        self.setWindowTitle(TITLE)
        self.resize(1280, 760)

        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.day = _date_edit(today or date.today())
        self.day.dateChanged.connect(self._on_day_date_changed)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo tên, giá trị hoặc nguồn")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_text_changed)
        top = QHBoxLayout()
        top.addWidget(QLabel("Giá trị áp dụng vào ngày:"))
        top.addWidget(self.day)
        top.addSpacing(24)
        top.addWidget(QLabel("Tìm:"))
        top.addWidget(self.search, 1)

        self.settings = SettingTableModel(self)
        self.table = RowsTable(self.settings)
        self.history = HistoryTableModel(self)
        self.history_table = RowsTable(self.history)
        self.history_table.setWordWrap(True)  # a handful of rows: the sources are read whole here
        self.history.modelReset.connect(self.history_table.resizeRowsToContents)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self._lower_half())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.buttons = button_box(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        # Enter in the form saves the value rather than closing the dialog.
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.history_table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.history.modelReset.connect(self._update_buttons)
        self.save_button.setDefault(True)  # now that the button is in the dialog
        self.reload()
        self._size_columns()
        if self.settings.rowCount():
            self.table.select_row(0)

    def _lower_half(self) -> QWidget:
        """The selected setting's dated values beside the form that adds one."""
        self.remove_button = QPushButton("Xóa giá trị đã đặt…")
        self.remove_button.clicked.connect(self.remove_selected)
        history_box = QGroupBox("Các giá trị theo ngày áp dụng")
        history_layout = QVBoxLayout(history_box)
        history_layout.addWidget(self.history_table, 1)
        history_layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)

        self.setting_name = QLabel()
        self.setting_name.setWordWrap(True)
        self.value = SettingValueEditor()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        self.effective_from = _date_edit(self.day.date().toPython(), FIRST_EFFECTIVE_DATE)
        self.note = QLineEdit()
        self.note.setPlaceholderText("ví dụ: Quyết định số …/QĐ-UBND của UBND tỉnh")
        self.save_button = QPushButton("Lưu giá trị")
        self.save_button.clicked.connect(self.save_value)
        self.form_box = QGroupBox("Đặt giá trị mới")
        form = QFormLayout(self.form_box)
        form.addRow("Thiết lập:", self.setting_name)
        form.addRow("Giá trị:", self.value)
        form.addRow("", self.hint)
        form.addRow("Áp dụng từ ngày:", self.effective_from)
        form.addRow("Căn cứ, ghi chú:", self.note)
        form.addRow("", self.save_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        side = QVBoxLayout()
        side.addWidget(self.form_box)
        side.addWidget(self.message)
        if not self._editable:
            read_only = QLabel(READ_ONLY_NOTE)
            read_only.setWordWrap(True)
            side.addWidget(read_only)
        side.addStretch()

        lower = QWidget()
        row = QHBoxLayout(lower)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(history_box, 3)
        row.addLayout(side, 2)
        return lower

    # --- commands (the buttons call these; tests too) ---------------------------------

    def reload(self) -> None:
        """Read the settings on the chosen date again, keeping the selected setting."""
        selected = self.table.selected()
        self.settings.set_rows(self._service.rows(self.day.date().toPython()))
        if selected is not None:
            position = self.settings.row_of(selected.key)
            if position is not None:
                self.table.select_row(position)
        self._show_history()

    def save_value(self) -> bool:
        """Store the form's value for the selected setting; on refusal say why, keep the form."""
        setting = self.table.selected()
        if setting is None or not self._editable:
            return False
        try:
            entry = self._service.set(setting.key, self.value.text(),
                                      self.effective_from.date().toPython(), self.note.text())
        except DomainError as error:
            self._show_message(str(error), ERROR_STYLE)
            self.value.focus_input()
            return False
        self._form_key = None  # refilled from what is now stored
        self.reload()
        self._show_message(f"Đã lưu: «{setting.label}» từ ngày {entry.effective_from:%d/%m/%Y}.",
                           SAVED_STYLE)
        return True

    def remove_selected(self) -> bool:
        """Remove the officer's value selected in the history, after asking for a reason."""
        setting, value = self.table.selected(), self.history_table.selected()
        if setting is None or value is None or value.id is None or not self._editable:
            return False
        question = (f"Xóa giá trị “{value.value_label}” của «{setting.label}» áp dụng từ "
                    f"{value.effective_from:%d/%m/%Y}?\n\nTừ ngày đó sẽ dùng giá trị mặc định hoặc "
                    "giá trị áp dụng trước đó.")
        reason = ask_reason(self, "Xóa giá trị thiết lập", question, "Xóa")
        if reason is None:
            return False
        try:
            self._service.remove(value.id, reason)
        except DomainError as error:
            self._show_message(str(error), ERROR_STYLE)
            return False
        self.reload()
        self._show_message(f"Đã xóa giá trị của «{setting.label}» từ ngày {value.effective_from:%d/%m/%Y}.",
                           SAVED_STYLE)
        return True

    # --- slots ----------------------------------------------------------------------

    def _on_day_date_changed(self, _day: QDate) -> None:
        self.reload()

    def _on_search_text_changed(self, text: str) -> None:
        self.table.filter(text)

    def _on_table_current_changed(self) -> None:
        self.message.hide()
        self._show_history()
        self._fill_form(self.table.selected())

    def _show_history(self) -> None:
        setting = self.table.selected()
        self.history.set_rows(self._service.history(setting.key) if setting else [])

    def _fill_form(self, setting: SettingRow | None) -> None:
        if setting is None:
            self.setting_name.clear()
            self.hint.clear()
        else:
            # The same setting selected again after a reload keeps what the officer typed.
            if setting.key != self._form_key:
                self._form_key = setting.key
                self.value.set_value(setting.kind, setting.value)
                self.effective_from.setDate(self.day.date())
                self.note.clear()
            self.setting_name.setText(setting.label)
            unit = f" Đơn vị: {setting.unit}." if setting.unit else ""
            self.hint.setText(f"{self.value.hint()}{unit}")
        self._update_buttons()

    def _show_message(self, text: str, style: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)
        self.message.show()

    def _update_buttons(self) -> None:
        value = self.history_table.selected()
        self.form_box.setEnabled(self._editable and self.table.selected() is not None)
        self.save_button.setEnabled(self._editable and self.table.selected() is not None)
        self.remove_button.setEnabled(self._editable and value is not None and value.origin == OFFICER)

    def _size_columns(self) -> None:
        """Widths for the first columns from their contents; the source takes the rest."""
        width = self.fontMetrics().horizontalAdvance
        self.table.setColumnWidth(SettingColumn.LABEL, min(
            max((width(r.label) for r in self.settings.rows()), default=200) + 24, 520))
        for column in (SettingColumn.VALUE, SettingColumn.UNIT, SettingColumn.SINCE):
            self.table.resizeColumnToContents(column)
        self.history_table.setColumnWidth(HistoryColumn.SINCE, width("00/00/0000") + 40)
        self.history_table.setColumnWidth(HistoryColumn.VALUE, min(
            max((width(r.value_label) for r in self.settings.rows()), default=200) + 24, 320))
        self.history_table.setColumnWidth(HistoryColumn.ORIGIN, width("Cán bộ đặt") + 30)
