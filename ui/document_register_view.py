"""The document register (sổ đăng ký văn bản) of one year, and entering a document other than
an award decision (tờ trình, kế hoạch, thông báo…) to take its number."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.document_register import DOC_TYPES, RegisterRow, number_text
from app.errors import DomainError
from app.roles import Permission
from app.services import Services
from ui.decision_tables import RegisterColumn, RegisterTableModel, RowTable
from ui.form import ERROR_STYLE, CodeField, DateField, TextField

ALL_ISSUERS = "Tất cả"


ENTRY_WIDTH = 560  # px


class RegisterEntryDialog(QDialog):
    """Enter one document in the register; `registered` carries the row once it is stored."""

    registered = Signal(object)  # RegisterRow

    def __init__(self, services: Services, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Vào sổ văn bản")
        self.setMinimumWidth(ENTRY_WIDTH)  # room for an abstract, the longest field
        setup = services.commune.get()
        self.issuer = QComboBox()
        symbols = [setup.issuer_symbol, setup.council_symbol] if setup else ["UBND"]
        for symbol in dict.fromkeys(symbols):
            self.issuer.addItem(symbol, symbol)
        self.doc_type = CodeField({code: f"{label} ({code})" for code, label in DOC_TYPES.items()})
        self.doc_type.set_value("TTr")
        self.issued_on = DateField(optional=False)
        self.issued_on.set_value(today)
        self.abstract = TextField(500, "Trích yếu nội dung")
        self.signer = QComboBox()
        self.signer.setEditable(True)
        self.signer.addItem("")
        for official in setup.officials if setup else ():
            if official.role in ("chairman", "vice_chairman"):
                self.signer.addItem(official.full_name)
        self.paper = QCheckBox("Đã lấy số trên giấy")
        self.paper_number = QSpinBox()
        self.paper_number.setRange(1, 9999)
        self.paper_number.setEnabled(False)
        self.paper.toggled.connect(self.paper_number.setEnabled)
        self.number = QLabel()
        for signal in (self.issuer.currentIndexChanged, self.issued_on.changed, self.doc_type.changed,
                       self.paper.toggled):
            signal.connect(self._show_number)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        form = QFormLayout()
        form.addRow("Cơ quan ban hành", self.issuer)
        form.addRow("Loại văn bản", self.doc_type)
        form.addRow("Ngày văn bản", self.issued_on)
        form.addRow("Trích yếu", self.abstract)
        form.addRow("Người ký", self.signer)
        form.addRow(self.paper, self.paper_number)
        form.addRow("Số, ký hiệu", self.number)
        buttons = QDialogButtonBox()
        self.register_button = buttons.addButton("Vào sổ", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._on_register_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._show_number()

    def _show_number(self) -> None:
        if self.paper.isChecked():
            self.number.setText("Theo số đã lấy trên giấy")
            return
        day, issuer = self.issued_on.value(), self.issuer.currentData()
        if day is None or issuer is None:
            return
        number = self._services.register.next_number(issuer, day.year)
        self.number.setText(f"Số sẽ cấp: {number_text(number, self.doc_type.value(), issuer)}")

    def _on_register_clicked(self) -> None:
        day = self.issued_on.value()
        assert day is not None  # not optional
        try:
            row = self._services.register.register(
                issuer=self.issuer.currentData(), doc_type=self.doc_type.value(), issued_on=day,
                abstract=self.abstract.value(), signer=self.signer.currentText(),
                number=self.paper_number.value() if self.paper.isChecked() else None)
        except DomainError as error:
            self.message.setText(str(error))
            return
        self.registered.emit(row)
        self.accept()


class DocumentRegisterView(QDialog):
    """The year's register, all issuers or one; `changed` after a document is entered."""

    changed = Signal()

    def __init__(self, services: Services, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._year = year
        self.entry_dialog: RegisterEntryDialog | None = None
        self.setWindowTitle(f"Sổ đăng ký văn bản năm {year}")
        self.resize(820, 480)
        self.issuer = QComboBox()
        self.issuer.addItem(ALL_ISSUERS, None)
        setup = services.commune.get()
        for symbol in dict.fromkeys([setup.issuer_symbol, setup.council_symbol] if setup else []):
            self.issuer.addItem(symbol, symbol)
        self.issuer.currentIndexChanged.connect(self.reload)
        self.rows = RegisterTableModel(self)
        self.table = RowTable(self.rows, RegisterColumn.ABSTRACT)
        self.count = QLabel()
        self.add_button = QPushButton("Vào sổ văn bản khác…")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.add_button.setVisible(services.actor.can(Permission.NUMBER_DOCUMENTS))
        close = QPushButton("Đóng")
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("Cơ quan ban hành"))
        top.addWidget(self.issuer)
        top.addStretch(1)
        top.addWidget(self.count)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.reload()

    def reload(self) -> None:
        rows = self._services.register.rows(self._year, self.issuer.currentData())
        self.rows.set_rows(rows)
        self.count.setText(f"{len(rows)} văn bản")

    def _on_add_clicked(self) -> None:
        today = self._services.decisions.today()
        self.entry_dialog = RegisterEntryDialog(self._services, today, self)
        self.entry_dialog.registered.connect(self._on_entry_registered)
        self.entry_dialog.open()

    def _on_entry_registered(self, _row: RegisterRow) -> None:
        self.reload()
        self.changed.emit()
