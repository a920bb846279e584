"""«Thêm đề nghị»: a nomination typed by hand (a sudden feat, a thematic movement, or any
award the year's review did not propose)."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QVBoxLayout, QWidget)

from app.catalogue import AWARD_KINDS, SUBJECT_KINDS
from app.errors import DomainError
from app.services import Services
from app.subject_data import Choice
from ui.dialogs import button_box
from ui.form import ChoiceField, CodeField, DateField, NoteField


class NewNominationDialog(QDialog):
    """«Thêm đề nghị»: the subject, the award, the procedure (a sudden feat takes the
    simplified one with its date), a thematic movement, the summary. Stays open when the
    service refuses, showing why."""

    def __init__(self, services: Services, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._year = year
        self.created_id: int | None = None
        self.setWindowTitle(f"Thêm đề nghị khen thưởng năm {year}")
        self.kind = CodeField(SUBJECT_KINDS)
        self.subject = ChoiceField([], "Gõ tên để tìm")
        self.award = QComboBox()
        self.sudden = QCheckBox("Thành tích đột xuất (thủ tục đơn giản)")
        self.event_date = DateField()
        self.movement = QComboBox()
        self.movement.addItem("(không theo phong trào chuyên đề)", None)
        for movement in services.movements.rows(year):
            if movement.kind == "thematic":
                self.movement.addItem(movement.name, movement.id)
        self.summary = NoteField()
        self.planned_date = DateField()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow("Loại đối tượng:", self.kind)
        form.addRow("Đối tượng:", self.subject)
        form.addRow("Danh hiệu, hình thức:", self.award)
        form.addRow(self.sudden)
        form.addRow("Ngày lập thành tích:", self.event_date)
        form.addRow("Phong trào chuyên đề:", self.movement)
        form.addRow("Tóm tắt thành tích:", self.summary)
        form.addRow("Ngày dự kiến quyết định:", self.planned_date)
        buttons = button_box(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.kind.changed.connect(self._on_kind_changed)
        self.sudden.toggled.connect(self._on_sudden_toggled)
        self._on_kind_changed()
        self._on_sudden_toggled(False)

    def _on_kind_changed(self) -> None:
        kind = self.kind.value()
        self.subject.clear()
        self.subject.addItem("", None)
        for choice in self._services.subjects.choices(kind):
            self.subject.addItem(choice.name, choice.id)
        self.award.clear()
        for award in AWARD_KINDS:
            if kind in award.subject_kinds:
                self.award.addItem(award.label, award.code)

    def _on_sudden_toggled(self, sudden: bool) -> None:
        self.event_date.setEnabled(sudden)
        if sudden and self.event_date.value() is None:
            self.event_date.set_value(self._services.nominations.today())

    def choose(self, kind: str, subject: Choice, award_code: str) -> None:
        """Fill the subject and award (used by tests and by callers that know them)."""
        self.kind.set_value(kind)
        self.subject.set_value(subject.id)
        self.award.setCurrentIndex(self.award.findData(award_code))

    def _on_save(self) -> None:
        self.error.clear()
        sudden = self.sudden.isChecked()
        try:
            subject_id = self.subject.value()
            if subject_id is None:
                self.error.setText("Hãy chọn đối tượng được đề nghị.")
                return
            self.created_id = self._services.nominations.create(
                subject_id=subject_id, award_code=str(self.award.currentData()), year=self._year,
                procedure="simplified" if sudden else "standard",
                event_date=self.event_date.value() if sudden else None,
                movement_id=self.movement.currentData(), achievement_summary=self.summary.value(),
                planned_decision_date=self.planned_date.value())
        except DomainError as error:
            self.error.setText(str(error))
            return
        self.accept()
