"""How the Giấy khen are printed: in full on blank paper or as text on a pre-printed blank
(of which type), through which printer, and for blanks the printer's shift on that blank.

Split from the certificate dialog, which keeps the certificates and the jobs: this part only
says what the officer chose. The shift is read and saved by `OffsetsBox` in the background.
"""

from __future__ import annotations

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.certificates import BLANK_TYPES, DEFAULT_BLANK, CertificateService
from ui.blank_offsets import OffsetsBox
from ui.form import ERROR_STYLE

FULL = "full"
BLANK = "blank"
NO_PRINTER = ("Máy tính này chưa cài máy in nào nên chưa in được; vẫn lưu được Giấy khen ra tệp PDF "
              "(«Lưu PDF…») để in ở máy khác.")


class PrintSettings(QWidget):
    """The mode, blank type and printer (`printers` installed, `default` chosen first), and the
    shift box shown for blanks; `changed` when any of them changes or the box is busy or not."""

    changed = Signal()

    def __init__(self, certificates: CertificateService, may_print: bool, pool: QThreadPool,
                 printers: list[str], default: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_mode = QRadioButton("In đầy đủ trên giấy trắng")
        self.blank_mode = QRadioButton("In lên phôi in sẵn")
        self.modes = QButtonGroup(self)
        self.modes.addButton(self.full_mode)
        self.modes.addButton(self.blank_mode)
        self.full_mode.setChecked(True)
        self.blank_type = QComboBox()
        for code, label in BLANK_TYPES.items():
            self.blank_type.addItem(label, code)
        self.blank_type.setCurrentIndex(max(self.blank_type.findData(DEFAULT_BLANK), 0))
        self.printer = QComboBox()
        self.printer.addItems(printers)
        if default in printers:
            self.printer.setCurrentIndex(printers.index(default))
        self.no_printer = QLabel(NO_PRINTER)
        self.no_printer.setWordWrap(True)
        self.no_printer.setStyleSheet(ERROR_STYLE)
        self.no_printer.setVisible(not printers)
        self.printer.setVisible(bool(printers))
        self.offsets = OffsetsBox(certificates, may_print, pool)
        self.offsets.busy_changed.connect(lambda _busy: self.changed.emit())
        self.modes.buttonToggled.connect(lambda *_: self._on_setting_changed())
        self.blank_type.currentIndexChanged.connect(lambda *_: self._on_setting_changed())
        self.printer.currentIndexChanged.connect(lambda *_: self._on_setting_changed())

        mode_row = QHBoxLayout()
        mode_row.addWidget(self.full_mode)
        mode_row.addSpacing(16)
        mode_row.addWidget(self.blank_mode)
        mode_row.addWidget(self.blank_type)
        mode_row.addStretch(1)
        group = QGroupBox("In ra")
        form = QFormLayout(group)
        form.addRow("Cách in", mode_row)
        printer_row = QVBoxLayout()
        printer_row.addWidget(self.printer)
        printer_row.addWidget(self.no_printer)
        form.addRow("Máy in", printer_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(group)
        layout.addWidget(self.offsets)
        self._on_setting_changed()

    def mode(self) -> str:
        return BLANK if self.blank_mode.isChecked() else FULL

    def blank(self) -> str:
        return str(self.blank_type.currentData())

    def printer_name(self) -> str:
        return self.printer.currentText() if self.printer.count() else ""

    def set_enabled(self, enabled: bool, has_rows: bool) -> None:
        """While a job runs nothing changes; without certificates only the printer can."""
        for widget in (self.full_mode, self.blank_mode):
            widget.setEnabled(enabled and has_rows)
        self.printer.setEnabled(enabled)
        self.blank_type.setEnabled(enabled and self.mode() == BLANK)
        self.offsets.setEnabled(enabled)

    def _on_setting_changed(self) -> None:
        self.offsets.setVisible(self.mode() == BLANK)
        self.offsets.load(self.printer_name(), self.blank())
        self.changed.emit()
