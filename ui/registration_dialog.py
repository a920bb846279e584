"""«Đăng ký hàng loạt»: tick many subjects (searched by name, filtered by kind) and register
them all for one title in one batch; the batch is written whole or refused whole, naming
the subject at fault, in the background on the write pool."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import catalogue
from app.movements import MovementRow
from app.registrations import RegistrationItem, registrable_awards
from app.services import Services
from ui.background import Task
from ui.dialogs import button_box
from ui.form import ERROR_STYLE, DateField, TextField
from ui.movement_tables import PickColumn, SubjectPickModel
from ui.table_columns import fit_columns
from ui.task_dialog import TaskDialog, show_failure

SEARCH_LIMIT = 500
SEARCH_DELAY_MS = 250


class BulkRegistrationDialog(TaskDialog):
    def __init__(self, services: Services, write_pool: QThreadPool, movement: MovementRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._pool = write_pool
        self._movement = movement
        self.added = 0
        self.setWindowTitle(f"Đăng ký hàng loạt: {movement.name}")
        self.resize(820, 600)
        self.kind = QComboBox()
        for code, label in catalogue.SUBJECT_KINDS.items():
            self.kind.addItem(label, code)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Gõ tên hoặc số CCCD để tìm (không cần gõ dấu)")
        self.award = QComboBox()
        self.registered_on = DateField(optional=False)
        today = date.today()
        self.registered_on.set_value(today if today.year == movement.year else movement.launched_on)
        self.note = TextField(300)
        self.subjects = SubjectPickModel(self)
        self.table = QTableView()
        self.table.setModel(self.subjects)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        fit_columns(self.table, PickColumn.UNIT)
        self.check_all = QPushButton("Chọn tất cả trong danh sách")
        self.uncheck_all = QPushButton("Bỏ chọn tất cả")
        self.count = QLabel()
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đăng ký")
        self.buttons.accepted.connect(self._on_register_clicked)
        self.buttons.rejected.connect(self.reject)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.check_all.clicked.connect(lambda: self.subjects.set_checked(self.subjects.rows()))
        self.uncheck_all.clicked.connect(self.subjects.clear_checked)
        self.subjects.dataChanged.connect(self._update_count)
        self.subjects.modelReset.connect(self._update_count)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Loại đối tượng"))
        filters.addWidget(self.kind)
        filters.addWidget(self.search, 1)
        picks = QHBoxLayout()
        picks.addWidget(self.check_all)
        picks.addWidget(self.uncheck_all)
        picks.addStretch(1)
        picks.addWidget(self.count)
        fields = QFormLayout()
        fields.addRow("Danh hiệu đăng ký", self.award)
        fields.addRow("Ngày đăng ký", self.registered_on)
        fields.addRow("Ghi chú", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(picks)
        layout.addLayout(fields)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._on_kind_changed()

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def refresh(self) -> None:
        """Show the subjects of the chosen kind matching the search (ticks are kept)."""
        self.subjects.set_rows(self._services.subjects.search(self.search.text(), self.kind.currentData(),
                                                              limit=SEARCH_LIMIT))

    def items(self) -> list[RegistrationItem]:
        on = self.registered_on.value()
        assert on is not None
        return [RegistrationItem(row.id, self.award.currentData(), on, self.note.value())
                for row in self.subjects.checked()]

    def _on_kind_changed(self) -> None:
        # One title for the whole batch, so the batch is of one kind of subject.
        self.subjects.clear_checked()
        self.award.clear()
        for code, label in registrable_awards(self.kind.currentData()).items():
            self.award.addItem(label, code)
        self.refresh()

    def _update_count(self) -> None:
        self.count.setText(f"Đã chọn {len(self.subjects.checked())} đối tượng")

    def _on_register_clicked(self) -> None:
        items = self.items()
        self.message.hide()
        if not items:
            self._show("Hãy đánh dấu ít nhất một đối tượng.")
            return
        registrations, movement_id = self._services.registrations, self._movement.id
        self.start_task(Task(lambda _report: registrations.add_many(movement_id, items)), self._pool,
                        self._on_added, self._on_failed)

    def _on_added(self, count: int) -> None:
        self.added = count
        self.accept()

    def _on_failed(self, error: Exception) -> None:
        show_failure(self.message, error, "Đã hủy; chưa đăng ký ai.", "{error}",
                     "Không đăng ký được do lỗi không mong muốn; chưa có gì được ghi.")
        self.message.show()

    def _set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        self.table.setEnabled(not busy)

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
