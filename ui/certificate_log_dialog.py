"""«Sổ Giấy khen»: every printing of a year's certificates, by book number (số vào sổ), with
how and where each was printed and why a certificate was printed again.

The book numbers are given by the certificate service at the first printing; this view only
reads the log, so it is open to every account.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.services import Services
from db.engine import StorageError
from ui.certificate_tables import LogColumn, PrintLogTableModel
from ui.decision_tables import RowTable
from ui.dialogs import button_box
from ui.form import ERROR_STYLE
from ui.table_columns import fit_columns

FIRST_YEAR, LAST_YEAR = 2000, 2100
REASON_WIDTH = 150  # px; a longer reason is cut with «…» and shows whole in its tooltip


class CertificateLogDialog(QDialog):
    """The certificate book of `year`; another year is chosen in the dialog."""

    def __init__(self, services: Services, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._certificates = services.certificates
        self.setWindowTitle("Sổ Giấy khen")
        self.resize(1300, 560)
        self.setSizeGripEnabled(True)
        self.year = QSpinBox()
        self.year.setRange(FIRST_YEAR, LAST_YEAR)
        self.year.setValue(year)
        self.year.setKeyboardTracking(False)
        self.year.valueChanged.connect(self.reload)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.log = PrintLogTableModel(self)
        self.table = RowTable(self.log, LogColumn.SUBJECT)
        fit_columns(self.table, LogColumn.SUBJECT, self)  # a long name or reason shows whole in its tooltip
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(LogColumn.REASON, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(LogColumn.REASON, REASON_WIDTH)
        buttons = button_box(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("Năm"))
        top.addWidget(self.year)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        year = self.year.value()
        try:
            rows = self._certificates.log(year)
        except (DomainError, StorageError) as error:
            self.log.set_rows([])
            self.summary.setText(str(error))
            self.summary.setStyleSheet(ERROR_STYLE)
            return
        self.summary.setStyleSheet("")
        self.log.set_rows(rows)
        numbers = sorted({row.book_number for row in rows})
        reprints = sum(1 for row in rows if row.reason)
        if not rows:
            self.summary.setText(f"Năm {year} chưa có Giấy khen nào được in và vào sổ.")
            return
        span = f"số {numbers[0]}" if len(numbers) == 1 else f"số {numbers[0]} đến {numbers[-1]}"
        self.summary.setText(f"Năm {year}: {len(numbers)} Giấy khen đã vào sổ ({span}), {len(rows)} lần in, "
                             f"trong đó {reprints} lần in lại.")
