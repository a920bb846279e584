"""The «Quyết định khen thưởng» tab of the emulation year: the year's commune decisions (number,
date, abstract, how many awarded, money, state), drafting and opening one, the document
register that numbers them, and from «In ▾» the decision, its list and its Giấy khen."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QThreadPool, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.decisions import DecisionRow
from app.documents.kinds import KIND_LABELS, Kind, Owner
from app.roles import Permission
from app.services import Services
from ui.decision_dialog import DecisionDialog
from ui.decision_tables import DecisionColumn, DecisionTableModel, RowTable, money_text
from ui.document_register_view import DocumentRegisterView
from ui.print_actions import PrintActions, print_button

TAB_TITLE = "Quyết định khen thưởng"
CERTIFICATES = "certificates"  # the «In» menu's entry opening the certificates' dialog
CERTIFICATES_LATER = "Giấy khen được in sau khi quyết định đã ban hành (có số, ngày ký)."


class DecisionsTab(QWidget):
    """One year's decisions; `changed` after any decision or register entry the user makes."""

    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None, *,
                 read_pool: QThreadPool | None = None, write_pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.printer = PrintActions(services, self, read_pool, write_pool)
        self._year: int | None = None
        self.dialog: DecisionDialog | None = None
        self.register_view: DocumentRegisterView | None = None
        self.certificate_dialog: QDialog | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.decisions = DecisionTableModel(self)
        self.table = RowTable(self.decisions, DecisionColumn.ABSTRACT)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.new_button = QPushButton("Lập quyết định…")
        self.new_button.clicked.connect(self._on_new_clicked)
        self.new_button.setVisible(services.actor.can(Permission.RUN_EMULATION))
        self.open_button = QPushButton("Xem, sửa…")
        self.open_button.clicked.connect(self._on_open_clicked)
        self.print_button, actions = print_button([
            ("Quyết định…", Kind.DECISION.value),
            ("Danh sách trích ngang…", Kind.SUMMARY.value),
            ("Giấy khen…", CERTIFICATES),
        ], self._on_print_triggered, self)
        self.certificate_action = actions[CERTIFICATES]
        self.register_button = QPushButton("Sổ đăng ký văn bản…")
        self.register_button.clicked.connect(self._on_register_clicked)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.register_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_year(self, year: int) -> None:
        self._year = year
        self.reload()

    def reload(self) -> None:
        if self._year is None:
            return
        rows = self._services.decisions.decisions(self._year)
        self.decisions.set_rows(rows)
        issued = [r for r in rows if r.is_issued]
        ready = len(self._services.decisions.decidable(self._year))
        self.summary.setText(
            f"Năm {self._year}: {len(issued)} quyết định đã ban hành, {len(rows) - len(issued)} dự thảo; "
            f"tổng tiền thưởng đã quyết định {money_text(sum(r.total for r in issued))} đồng. "
            f"{ready} đề nghị sẵn sàng để Chủ tịch UBND xã quyết định.")
        self._update_buttons()

    def open_decision(self, decision_id: int | None) -> DecisionDialog:
        """Open a decision (None: a new draft) in a window-modal dialog; the tab reloads after."""
        assert self._year is not None, "set_year first"
        self.dialog = DecisionDialog(self._services, self._year, decision_id, self)
        self.dialog.changed.connect(self._on_dialog_changed)
        self.dialog.open()
        return self.dialog

    def selected(self) -> DecisionRow | None:
        position = self.table.selected_position()
        return None if position is None else self.decisions.row(position)

    def _update_buttons(self) -> None:
        self.new_button.setEnabled(self._year is not None)
        self.open_button.setEnabled(self.selected() is not None)
        selected = self.selected()
        self.print_button.setEnabled(selected is not None)
        issued = selected is not None and selected.is_issued
        self.certificate_action.setEnabled(issued)
        self.certificate_action.setToolTip("" if issued else CERTIFICATES_LATER)
        self.register_button.setEnabled(self._year is not None)

    def _on_print_triggered(self, action: QAction) -> None:
        row = self.selected()
        if row is None:
            return
        if action.data() == CERTIFICATES:
            self.open_certificates(row.id)
            return
        kind = Kind(action.data())
        name = f"Quyết định số {row.number}" if row.number else f"Dự thảo quyết định «{row.abstract}»"
        title = name if kind is Kind.DECISION else f"{KIND_LABELS[kind]} — {name}"
        self.printer.preview(kind, [Owner("decision", row.id)], title)

    def open_certificates(self, decision_id: int) -> QDialog:
        """The certificates of an issued decision: print, book numbers, reprints (window-modal)."""
        from ui.certificate_dialog import CertificateDialog  # with it come the blanks' calibration pages

        # Printing a certificate writes the certificate book: the writer's pool.
        self.certificate_dialog = CertificateDialog(self._services, self.printer.write_pool, decision_id, self)
        self.certificate_dialog.open()
        return self.certificate_dialog

    def _on_new_clicked(self) -> None:
        self.open_decision(None)

    def _on_open_clicked(self) -> None:
        selected = self.selected()
        if selected is not None:
            self.open_decision(selected.id)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.open_decision(self.decisions.row(self.table.proxy.mapToSource(index).row()).id)

    def _on_register_clicked(self) -> None:
        assert self._year is not None
        self.register_view = DocumentRegisterView(self._services, self._year, self)
        self.register_view.changed.connect(self.changed)
        self.register_view.open()

    def _on_dialog_changed(self) -> None:
        self.reload()
        self.changed.emit()
