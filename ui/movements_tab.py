"""«Phong trào thi đua» tab of the «Năm thi đua» view: the year's movements with their state,
dates and registrations; the plan, the next step, results and exemplary models, deleting a
draft. Accounts without the emulation permission see the list read-only.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSortFilterProxyModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.movements import CLOSED, DRAFT, MovementRow, next_steps
from app.roles import Permission
from app.services import Services
from ui.dialogs import ask_reason, show_error
from ui.movement_dialog import MovementDialog, StepDialog
from ui.movement_results_dialog import ResultsDialog
from ui.movement_tables import SORT_ROLE, MovementColumn, MovementTableModel
from ui.table_columns import fit_columns

READ_ONLY_NOTE = "Tài khoản này chỉ được xem danh sách phong trào."
NO_MOVEMENTS = "Năm {year} chưa có phong trào thi đua nào."
ADD_HINT = " Bấm «Thêm phong trào…» để lập kế hoạch phong trào thường xuyên của năm hoặc một phong trào chuyên đề."


class MovementsTab(QWidget):
    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._year = date.today().year
        self._editable = services.actor.can(Permission.RUN_EMULATION)
        self.dialog: QDialog | None = None
        self.title = QLabel()
        self.model = MovementTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_columns(self.table, MovementColumn.NAME)
        self.table.doubleClicked.connect(self._on_edit_clicked)
        self.add_button = QPushButton("Thêm phong trào…")
        self.edit_button = QPushButton("Sửa…")
        self.step_button = QPushButton("Bước tiếp theo…")
        self.results_button = QPushButton("Kết quả, điển hình…")
        self.delete_button = QPushButton("Xóa…")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.step_button.clicked.connect(self._on_step_clicked)
        self.results_button.clicked.connect(self._on_results_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.step_button, self.results_button,
                       self.delete_button):
            buttons.addWidget(button)
        for button in (self.add_button, self.edit_button, self.step_button, self.delete_button):
            button.setVisible(self._editable)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        if not self._editable:
            layout.addWidget(QLabel(READ_ONLY_NOTE))
        layout.addLayout(buttons)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        self.set_year(self._year)

    def set_year(self, year: int) -> None:
        self._year = year
        self.title.setText(f"<b>Phong trào thi đua năm {year}</b>")
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self.model.set_rows(self._services.movements.rows(self._year))
        self.empty.setText(NO_MOVEMENTS.format(year=self._year) + (ADD_HINT if self._editable else ""))
        self.empty.setVisible(self.model.rowCount() == 0)
        if select_id is not None:
            for position, row in enumerate(self.model.rows()):
                if row.id == select_id:
                    self.table.selectRow(self.proxy.mapFromSource(self.model.index(position, 0)).row())
        self._update_buttons()

    def selected(self) -> MovementRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def select(self, movement_id: int) -> None:
        self.reload(select_id=movement_id)

    def _update_buttons(self) -> None:
        movement = self.selected()
        self.edit_button.setEnabled(movement is not None and movement.state != CLOSED)
        self.step_button.setEnabled(movement is not None and bool(next_steps(movement.state)))
        self.results_button.setEnabled(movement is not None)
        self.delete_button.setEnabled(movement is not None and movement.state == DRAFT
                                      and movement.registrations == 0)

    def _after_change(self, movement_id: int | None) -> None:
        self.reload(select_id=movement_id)
        self.changed.emit()

    def _open(self, dialog: QDialog) -> None:
        """Show a dialog of this tab window-modal, without blocking (tests drive it).

        The tab keeps its one open dialog until the next one replaces it: deleting a dialog
        on close while its `saved` slot runs crashes PySide."""
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        if hasattr(dialog, "saved"):
            dialog.saved.connect(self._on_dialog_saved)
        dialog.open()

    def _on_dialog_saved(self, row: MovementRow) -> None:
        self._after_change(row.id)

    def _on_add_clicked(self) -> None:
        self._open(MovementDialog(self._services, self._year, parent=self))

    def _on_edit_clicked(self) -> None:
        movement = self.selected()
        if movement is None or not self._editable or movement.state == CLOSED:
            return
        self._open(MovementDialog(self._services, self._year, movement, parent=self))

    def _on_step_clicked(self) -> None:
        movement = self.selected()
        if movement is None:
            return
        self._open(StepDialog(self._services, movement, parent=self))

    def _on_results_clicked(self) -> None:
        movement = self.selected()
        if movement is None:
            return
        dialog = ResultsDialog(self._services, movement, parent=self)
        dialog.changed.connect(self._on_results_changed)
        self._open(dialog)

    def _on_results_changed(self) -> None:
        movement = self.selected()
        self._after_change(movement.id if movement else None)

    def _on_delete_clicked(self) -> None:
        movement = self.selected()
        if movement is None:
            return
        reason = ask_reason(self, "Xóa phong trào",
                            f"Xóa kế hoạch phong trào «{movement.name}» (còn ở dạng dự thảo)?", "Xóa")
        if reason is None:
            return
        try:
            self._services.movements.delete(movement.id, reason)
        except DomainError as error:
            show_error(self, "Không xóa được phong trào", str(error))
            return
        self._after_change(None)
