"""Form fields that read and write plain values, and a form that shows errors at its fields.

Every field offers `value()`, `set_value()` and a `changed` signal, so a form maps straight
onto a frozen dataclass: `IndividualData(**form.values())`. A field may raise ValidationError
from `value()` (a picker whose typed text names nothing); the form adds the field's name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError, ValidationError
from app.subject_data import Choice
from app.vietnamese import fold
from db.engine import StorageError
from ui.background import Task
from ui.dialogs import button_box, confirm


ERROR_STYLE = "color: #b00020;"
DATE_FORMAT = "dd/MM/yyyy"
NO_VALUE = "—"
UNSAVED_QUESTION = "Những gì vừa nhập chưa được lưu. Đóng và bỏ các thay đổi này?"


class TextField(QLineEdit):
    changed = Signal()

    def __init__(self, max_length: int = 200, placeholder: str = "") -> None:
        super().__init__()
        self.setMaxLength(max_length)
        self.setPlaceholderText(placeholder)
        self.textChanged.connect(self.changed)

    def value(self) -> str:
        return self.text()

    def set_value(self, value: str | None) -> None:
        self.setText(value or "")


class NoteField(QPlainTextEdit):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.textChanged.connect(self.changed)

    def value(self) -> str:
        return self.toPlainText()

    def set_value(self, value: str) -> None:
        self.setPlainText(value)


class BoolField(QCheckBox):
    changed = Signal()

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.toggled.connect(self.changed)

    def value(self) -> bool:
        return self.isChecked()

    def set_value(self, value: bool) -> None:
        self.setChecked(bool(value))


class CodeField(QComboBox):
    """One code of a fixed vocabulary, shown by its Vietnamese label."""

    changed = Signal()

    def __init__(self, vocabulary: Mapping[str, str]) -> None:
        super().__init__()
        for code, label in vocabulary.items():
            self.addItem(label, code)
        self.currentIndexChanged.connect(self.changed)

    def value(self) -> str:
        return str(self.currentData())

    def set_value(self, code: str) -> None:
        position = self.findData(code)
        if position < 0:  # a code no longer offered stays visible rather than lost
            self.addItem(code, code)
            position = self.count() - 1
        self.setCurrentIndex(position)


class ChoiceField(QComboBox):
    """A subject picked from the register (unit, village...) by typing part of its name."""

    changed = Signal()

    def __init__(self, choices: Sequence[Choice], none_text: str = "(không chọn)") -> None:
        super().__init__()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.lineEdit().setPlaceholderText(none_text)
        self.addItem("", None)  # no choice: an empty line showing the placeholder
        for choice in choices:
            self.addItem(choice.name, choice.id)
        completer = self.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.currentTextChanged.connect(self.changed)

    def value(self) -> int | None:
        typed = fold(" ".join(self.currentText().split()))
        if not typed:
            return None
        for position in range(1, self.count()):
            if fold(self.itemText(position)) == typed:
                return self.itemData(position)
        typed_text = self.currentText().strip()
        raise ValidationError(f"Không có “{typed_text}” trong danh sách; hãy chọn trong danh sách.")

    def set_value(self, subject_id: int | None) -> None:
        position = self.findData(subject_id) if subject_id is not None else 0
        self.setCurrentIndex(max(position, 0))


class DateField(QWidget):
    """A dd/mm/yyyy date; when optional, a tick box says whether there is one. It keeps its
    natural width at the left of its row (a date stretched across a wide form reads as a
    text box, its calendar button far from the date)."""

    changed = Signal()

    def __init__(self, optional: bool = True) -> None:
        super().__init__()
        self._edit = QDateEdit()
        self._edit.setDisplayFormat(DATE_FORMAT)
        self._edit.setCalendarPopup(True)
        self._edit.setMinimumDate(QDate(1899, 12, 31))
        self._edit.setSpecialValueText(NO_VALUE)  # shown only for the minimum, i.e. no date
        self._edit.setDate(QDate.currentDate())
        self._known = QCheckBox()
        self._known.setToolTip("Bỏ đánh dấu nếu không có ngày")
        self._known.setChecked(True)
        self._known.setVisible(optional)
        self._known.toggled.connect(self._on_known_toggled)
        self._edit.dateChanged.connect(self.changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._known)
        layout.addWidget(self._edit)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        if optional:
            self.set_value(None)

    def value(self) -> date | None:
        if not self._known.isChecked():
            return None
        return self._edit.date().toPython()

    def set_value(self, value: date | None) -> None:
        self._known.setChecked(value is not None)
        self._edit.setDate(QDate(value) if value else self._edit.minimumDate())

    def setFocus(self) -> None:  # noqa: N802 (Qt name)
        (self._edit if self._known.isChecked() else self._known).setFocus()

    def _on_known_toggled(self, known: bool) -> None:
        self._edit.setEnabled(known)
        if known and self._edit.date() == self._edit.minimumDate():
            self._edit.setDate(QDate.currentDate())
        elif not known:
            self._edit.setDate(self._edit.minimumDate())
        self.changed.emit()


class YearField(QSpinBox):
    """A year; when optional, the lowest value stands for 'none'."""

    changed = Signal()

    def __init__(self, first: int, last: int, optional: bool = False) -> None:
        super().__init__()
        self._optional = optional
        self.setRange(first - 1 if optional else first, last)
        if optional:
            self.setSpecialValueText(NO_VALUE)
        self.valueChanged.connect(self.changed)

    def value(self) -> int | None:  # type: ignore[override]
        year = super().value()
        return None if self._optional and year == self.minimum() else year

    def set_value(self, year: int | None) -> None:
        self.setValue(self.minimum() if year is None else year)


class Form(QWidget):
    """Labelled fields in a column, each with a place for its error message."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QFormLayout()
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer = QVBoxLayout(self)
        outer.addLayout(self._layout)
        outer.addStretch(1)  # rows keep their height; spare room goes below
        self._fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}

    def add(self, name: str, label: str, field: QWidget) -> None:
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        column.addWidget(error)
        self._layout.addRow(label, cell)
        self._fields[name] = field
        self._errors[name] = error
        field.changed.connect(self.changed)  # type: ignore[attr-defined]

    def field(self, name: str) -> QWidget:
        return self._fields[name]

    def values(self) -> dict[str, Any]:
        """Every field's value; a field that cannot give one raises ValidationError naming it."""
        values = {}
        for name, field in self._fields.items():
            try:
                values[name] = field.value()  # type: ignore[attr-defined]
            except ValidationError as error:
                raise ValidationError(str(error), name) from error
        return values

    def set_values(self, source: object) -> None:
        """Fill every field from the attribute of the same name (a dataclass)."""
        for name, field in self._fields.items():
            field.set_value(getattr(source, name))  # type: ignore[attr-defined]

    def show_error(self, name: str | None, message: str) -> bool:
        """Show `message` under the named field and focus it; False if there is no such field."""
        if name not in self._errors:
            return False
        self._errors[name].setText(message)
        self._errors[name].show()
        self._fields[name].setFocus()
        return True

    def clear_errors(self) -> None:
        for error in self._errors.values():
            error.clear()
            error.hide()

    def error_text(self, name: str) -> str:
        return self._errors[name].text()


class FormDialog(QDialog):
    """A dialog editing one record through a Form.

    Saving runs on the write pool; a refused save shows its message at the field and keeps
    everything typed; closing with unsaved changes asks first.
    """

    def __init__(self, write_pool: QThreadPool, form: Form, buttons: QDialogButtonBox.StandardButton,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._write_pool = write_pool
        self.form = form
        self._saving = False
        self._saved_values: dict[str, Any] | None = None
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = button_box(buttons, self)
        self.buttons.rejected.connect(self.reject)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.message)
        self._layout.addWidget(self.buttons)

    def set_content(self, widget: QWidget) -> None:
        self._layout.insertWidget(1, widget, 1)

    def mark_clean(self) -> None:
        """What the form shows now is what is stored."""
        self._saved_values = self._current_values()

    def is_dirty(self) -> bool:
        return self._current_values() != self._saved_values

    def submit(self, work: Callable[[], object], on_saved: Callable[[Any], None]) -> None:
        """Run `work` (one service call) on the write pool; `on_saved` gets its result."""
        self.form.clear_errors()
        self.message.hide()
        self._set_saving(True)
        # Owned by the pool, not this dialog: the dialog may close (and be deleted) on
        # success while the worker thread is still emitting the task's last signal.
        task = Task(lambda _report: work(), parent=self._write_pool)
        task.succeeded.connect(lambda result: (self._set_saving(False), on_saved(result)))
        task.failed.connect(lambda error: (self._set_saving(False), self.show_error(error)))
        task.start(self._write_pool)

    def show_error(self, error: Exception) -> None:
        """Word a refused save: at its field when there is one, else above the form."""
        self.form.clear_errors()  # an error from an earlier try may be corrected by now
        self.message.hide()
        if isinstance(error, ValidationError) and self.form.show_error(error.field, str(error)):
            return
        if isinstance(error, DomainError | StorageError):
            text = str(error)
        else:
            text = (f"Không lưu được do lỗi không mong muốn: {error}. "
                    "Những gì đã nhập vẫn còn trên màn hình.")
        self.message.setText(text)
        self.message.show()

    def reject(self) -> None:
        if self._saving:
            return
        # The officer has just pressed "Hủy": the button that keeps the form must not say it too.
        if self.is_dirty() and not confirm(self, "Bỏ thay đổi?", UNSAVED_QUESTION, "Bỏ thay đổi",
                                           keep="Tiếp tục sửa"):
            return
        super().reject()

    def _current_values(self) -> dict[str, Any] | None:
        try:
            return self.form.values()
        except ValidationError:
            return None  # an unreadable field is a change

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.buttons.setEnabled(not saving)
