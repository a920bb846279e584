"""«Kết quả, điển hình tiên tiến»: the results of a movement and its exemplary models.

Each change is one row through `services.movements` (permission, audit), on the UI thread.
Accounts without the emulation permission see everything read-only.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError, ValidationError
from app.movements import CLOSED, DRAFT, ExemplaryModelData, ExemplaryModelRow, MovementRow
from app.roles import Permission
from app.services import Services
from ui.dialogs import ask_reason, button_box, show_error
from ui.form import ERROR_STYLE, DateField, Form, NoteField, TextField
from ui.movement_tables import ExemplaryModelTableModel, ModelColumn
from ui.table_columns import fit_columns

SEARCH_LIMIT = 50
MODEL_WIDTH = 680  # px
HINT_PADDING = 24  # px: the line edit's frame and margins
STATE_NOTES = {
    DRAFT: "Phong trào còn là dự thảo kế hoạch: kết quả ghi sau khi phát động.",
    CLOSED: "Phong trào đã kết thúc: danh sách điển hình tiên tiến không sửa được nữa.",
}
NO_MODELS = ("Phong trào chưa ghi nhận điển hình tiên tiến nào. Điển hình thường được chọn và biểu dương "
             "khi sơ kết, tổng kết phong trào.")


class SubjectSearchField(QWidget):
    """An optional subject of the register, found by typing part of its name."""

    changed = Signal()

    def __init__(self, services: Services) -> None:
        super().__init__()
        self._services = services
        self.search = QLineEdit()
        self.search.setPlaceholderText("Gõ tên để tìm trong sổ (không bắt buộc)")
        hint_width = self.search.fontMetrics().horizontalAdvance(self.search.placeholderText())
        self.search.setMinimumWidth(hint_width + HINT_PADDING)  # the hint read whole
        self.choice = QComboBox()
        self.choice.addItem("(không chọn)", None)
        self.search.textChanged.connect(self._on_search_changed)
        self.choice.currentIndexChanged.connect(self.changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.choice, 1)

    def value(self) -> int | None:
        return self.choice.currentData()

    def set_value(self, subject_id: int | None) -> None:
        if subject_id is None:
            self.choice.setCurrentIndex(0)
            return
        if self.choice.findData(subject_id) < 0:
            row = self._services.subjects.row(subject_id)
            self.choice.addItem(row.name, row.id)
        self.choice.setCurrentIndex(self.choice.findData(subject_id))

    def _on_search_changed(self, text: str) -> None:
        kept = self.value()
        self.choice.clear()
        self.choice.addItem("(không chọn)", None)
        if text.strip():
            for row in self._services.subjects.search(text, limit=SEARCH_LIMIT):
                born = f" ({row.birth_date:%d/%m/%Y})" if row.birth_date else ""
                self.choice.addItem(row.name + born, row.id)
        position = self.choice.findData(kept) if kept is not None else -1
        self.choice.setCurrentIndex(position if position >= 0 else (1 if self.choice.count() > 1 else 0))


class ExemplaryModelDialog(QDialog):
    """Add or edit one exemplary model."""

    def __init__(self, services: Services, movement_id: int, model: ExemplaryModelRow | None = None,
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._movement_id = movement_id
        self._model = model
        self.setWindowTitle("Sửa điển hình tiên tiến" if model else "Thêm điển hình tiên tiến")
        self.setMinimumWidth(MODEL_WIDTH)  # the subject search and its choice side by side
        self.form = Form()
        self.form.add("name", "Tên điển hình", TextField(300))
        self.form.add("recorded_on", "Ngày ghi nhận", DateField(optional=False))
        self.form.add("subject_id", "Đối tượng trong sổ", SubjectSearchField(services))
        self.form.add("description", "Mô tả", NoteField())
        self.form.field("recorded_on").set_value(today or date.today())  # type: ignore[attr-defined]
        if model is not None:
            self.form.set_values(model.data)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        buttons = button_box(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _on_save_clicked(self) -> None:
        self.form.clear_errors()
        try:
            data = ExemplaryModelData(**self.form.values())
            if self._model is None:
                self._services.movements.add_exemplary_model(self._movement_id, data)
            else:
                self._services.movements.update_exemplary_model(self._model.id, data)
        except ValidationError as error:
            if not self.form.show_error(error.field, str(error)):
                self.message.setText(str(error))
                self.message.show()
            return
        except DomainError as error:
            self.message.setText(str(error))
            self.message.show()
            return
        self.accept()


class ResultsDialog(QDialog):
    """Results text and exemplary models of one movement."""

    changed = Signal()

    def __init__(self, services: Services, movement: MovementRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._movement = movement
        can = services.actor.can(Permission.RUN_EMULATION)
        self._editable = can and movement.state != CLOSED  # a closed movement's models stay as they are
        self._results_editable = can and movement.state != DRAFT  # results come once it is launched
        self.dialog: ExemplaryModelDialog | None = None
        self.setWindowTitle(f"Kết quả phong trào «{movement.name}»")
        self.resize(760, 560)
        self._saved_results = movement.results
        self.results = QPlainTextEdit(movement.results)
        self.results.setReadOnly(not self._results_editable)
        self.results.textChanged.connect(self._on_results_edited)
        self.save_results = QPushButton("Lưu kết quả")
        self.save_results.setEnabled(False)  # nothing typed yet
        self.save_results.clicked.connect(self._on_save_results_clicked)
        self.no_models = QLabel(NO_MODELS)
        self.no_models.setWordWrap(True)
        self.status = QLabel()
        self.models = ExemplaryModelTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.models)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_columns(self.table, ModelColumn.DESCRIPTION)
        self.add_button = QPushButton("Thêm điển hình…")
        self.edit_button = QPushButton("Sửa…")
        self.remove_button = QPushButton("Xóa…")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            button.setVisible(self._editable)
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = button_box(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        self.state_note = QLabel(STATE_NOTES.get(movement.state, "") if can else "")
        self.state_note.setWordWrap(True)
        self.state_note.setVisible(bool(self.state_note.text()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_note)
        layout.addWidget(QLabel("Kết quả phong trào (sơ kết, tổng kết):"))
        layout.addWidget(self.results, 1)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.save_results)
        self.save_results.setVisible(self._results_editable)
        layout.addLayout(row)
        layout.addWidget(QLabel("Điển hình tiên tiến:"))
        layout.addWidget(self.table, 2)
        layout.addWidget(self.no_models)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self._reload()

    def selected(self) -> ExemplaryModelRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.models.row(rows[0].row()) if rows else None

    def _reload(self) -> None:
        self.models.set_rows(self._services.movements.exemplary_models(self._movement.id))
        self.no_models.setVisible(self.models.rowCount() == 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _on_results_edited(self) -> None:
        self.save_results.setEnabled(self.results.toPlainText() != self._saved_results)
        self.status.clear()

    def _on_save_results_clicked(self) -> None:
        try:
            self._services.movements.set_results(self._movement.id, self.results.toPlainText())
        except DomainError as error:
            show_error(self, "Không lưu được kết quả", str(error))
            return
        self._saved_results = self.results.toPlainText()
        self.save_results.setEnabled(False)
        self.status.setText("Đã lưu kết quả.")
        self.changed.emit()

    def _on_add_clicked(self) -> None:
        self._open(ExemplaryModelDialog(self._services, self._movement.id, parent=self))

    def _on_edit_clicked(self) -> None:
        model = self.selected()
        if model is not None:
            self._open(ExemplaryModelDialog(self._services, self._movement.id, model, parent=self))

    def _open(self, dialog: ExemplaryModelDialog) -> None:
        if self.dialog is not None:  # kept until replaced: see MovementsTab._open
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.accepted.connect(self._on_model_saved)
        dialog.open()

    def _on_model_saved(self) -> None:
        self._reload()
        self.changed.emit()

    def _on_remove_clicked(self) -> None:
        model = self.selected()
        if model is None:
            return
        reason = ask_reason(self, "Xóa điển hình", f"Xóa điển hình tiên tiến «{model.name}»?", "Xóa")
        if reason is None:
            return
        try:
            self._services.movements.remove_exemplary_model(model.id, reason)
        except DomainError as error:
            show_error(self, "Không xóa được", str(error))
            return
        self._reload()
        self.changed.emit()
