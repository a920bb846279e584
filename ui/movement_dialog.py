"""The plan of a movement («Thêm phong trào…», «Sửa…») and the next step of its life cycle.

Both save one row through `services.movements`, which checks the permission and writes the
audit entry, so they run on the UI thread; a refusal is shown at its field and nothing changes.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.errors import DomainError, ValidationError
from app.movements import (
    DRAFT,
    FINAL,
    KIND_LABELS,
    MIDTERM,
    RUNNING,
    STATE_LABELS,
    STEP_LABELS,
    MovementPlan,
    MovementRow,
    next_steps,
)
from app.services import Services
from ui.dialogs import button_box
from ui.form import ERROR_STYLE, CodeField, DateField, Form, NoteField, TextField

SKIP_MIDTERM = "Tổng kết (không tổ chức sơ kết)"
PLAN_NUMBER_HINT = "Ví dụ: Số: 02/KH-UBND"


NAME_CHARS = 125  # a movement's name is a long sentence: seen whole
PLAN_TEXT_LINES = 5
STEP_WIDTH = 480  # px


class MovementDialog(QDialog):
    """Create a movement of `year` (movement None) or edit one's plan."""

    saved = Signal(object)  # the MovementRow

    def __init__(self, services: Services, year: int, movement: MovementRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._year = year
        self._movement = movement
        self.setWindowTitle("Sửa kế hoạch phong trào" if movement else f"Thêm phong trào thi đua năm {year}")
        self.form = Form()
        self.form.add("kind", "Loại phong trào", CodeField(KIND_LABELS))
        name = TextField(300)
        name.setMinimumWidth(name.fontMetrics().averageCharWidth() * NAME_CHARS)
        self.form.add("name", "Tên phong trào", name)
        self.form.add("plan_number", "Số kế hoạch", TextField(50, PLAN_NUMBER_HINT))
        self.form.add("starts_on", "Ngày bắt đầu", DateField())
        self.form.add("ends_on", "Ngày kết thúc", DateField())
        for name, label in (("objectives", "Mục tiêu"), ("criteria", "Tiêu chí thi đua"),
                            ("participants", "Đối tượng tham gia")):
            note = NoteField()  # a plan's paragraphs: room for a few lines each
            note.setFixedHeight(note.fontMetrics().lineSpacing() * PLAN_TEXT_LINES + 12)
            self.form.add(name, label, note)
        self.resize(self.sizeHint())
        hint = QLabel("Phong trào thường xuyên: để trống ngày thì tính cả năm. Mỗi năm chỉ có một "
                      "phong trào thường xuyên.")
        hint.setWordWrap(True)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = button_box(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if movement is not None:
            self.form.set_values(movement.plan)
            launched = movement.state != DRAFT
            self.form.field("kind").setEnabled(not launched)

    def plan(self) -> MovementPlan:
        """What the form holds; ValidationError names a field that cannot be read."""
        return MovementPlan(year=self._movement.year if self._movement else self._year, **self.form.values())

    def _on_save_clicked(self) -> None:
        self.form.clear_errors()
        self.message.hide()
        try:
            plan = self.plan()
            movements = self._services.movements
            row = (movements.update(self._movement.id, plan) if self._movement
                   else movements.create(plan))
        except ValidationError as error:
            if not self.form.show_error(error.field, str(error)):
                self._show(str(error))
            return
        except DomainError as error:
            self._show(str(error))
            return
        self.saved.emit(row)
        self.accept()

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()


class StepDialog(QDialog):
    """Ask the date of the movement's next step and, after «Đang triển khai», whether it is
    the sơ kết or straight to the tổng kết."""

    saved = Signal(object)  # the MovementRow

    def __init__(self, services: Services, movement: MovementRow, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._movement = movement
        self.setWindowTitle("Bước tiếp theo của phong trào")
        self.setMinimumWidth(STEP_WIDTH)  # the movement's long name on two lines, not five
        self.step = QComboBox()
        for step in next_steps(movement.state):
            label = SKIP_MIDTERM if (movement.state == RUNNING and step == FINAL) else STEP_LABELS[step]
            self.step.addItem(label, step)
        self.on = DateField(optional=False)
        self.on.set_value(today or date.today())
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        intro = QLabel(f"Phong trào «{movement.name}» đang ở trạng thái «{STATE_LABELS[movement.state]}».")
        intro.setWordWrap(True)
        fields = QFormLayout()
        fields.addRow("Bước", self.step)
        fields.addRow("Ngày", self.on)
        self.buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(fields)
        if MIDTERM in next_steps(movement.state):
            note = QLabel("Sơ kết có thể bỏ qua: chọn «Tổng kết» nếu phong trào không tổ chức sơ kết.")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def choose(self, step: str) -> None:
        self.step.setCurrentIndex(self.step.findData(step))

    def _on_ok_clicked(self) -> None:
        try:
            row = self._services.movements.advance(self._movement.id, self.step.currentData(), self.on.value())
        except DomainError as error:
            self.message.setText(str(error))
            self.message.show()
            return
        self.saved.emit(row)
        self.accept()
