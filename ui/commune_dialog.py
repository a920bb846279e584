"""Editing the commune setup after the first run: the wizard's sections as tabs."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

from app.commune import CommuneSetup
from app.errors import ValidationError
from app.services import Services
from ui.commune_form import CommuneForm
from ui.dialogs import button_box, confirm


class CommuneDialog(QDialog):
    """Thiết lập xã: edit and save the setup; asks before discarding unsaved changes."""

    saved = Signal(object)  # the stored CommuneSetup

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Thiết lập xã")
        self.setMinimumSize(760, 600)
        self.form = CommuneForm(date.today(), self)
        current = services.commune.get()
        if current is not None:
            self.form.load(current)
        self._loaded = self.form.setup()

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.form.division, "Xã, phường")
        self.tabs.addTab(self.form.document, "Cách ghi văn bản")
        self.tabs.addTab(self.form.people, "Người ký và Hội đồng")
        self.buttons = button_box(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def has_changes(self) -> bool:
        return self.form.setup() != self._loaded

    def accept(self) -> None:
        """Save; on a refused field show its tab and message and keep everything typed."""
        try:
            stored: CommuneSetup = self._services.commune.save(self.form.setup())
        except ValidationError as error:
            section = self.form.show_error(error)
            self.tabs.setCurrentWidget(section)
            self.form.show_error(error)  # again: switching tabs moves the focus
            return
        self._loaded = self.form.setup()
        self.saved.emit(stored)
        super().accept()

    def reject(self) -> None:
        if self.has_changes() and not confirm(
            self,
            "Bỏ thay đổi",
            "Các thay đổi trong Thiết lập xã chưa được lưu. Bỏ các thay đổi này?",
            "Bỏ thay đổi",
            keep="Tiếp tục sửa",
        ):
            return
        super().reject()
