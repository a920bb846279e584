"""«Đăng ký thi đua» tab of the «Năm thi đua» view: pick a movement of the year, see who
registered for which title, register many at once, import from Excel (in the background,
all rows checked first, nothing written when any row is wrong), withdraw with a reason.
Accounts without the emulation permission see the list read-only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import CancelledError, DomainError
from app.excel_year_sheets import RegistrationImport, import_registrations, write_registration_template
from app.movements import CLOSED, MovementRow
from app.registrations import RegistrationRow
from app.roles import Permission
from app.services import Services
from db.engine import StorageError
from ui.background import Task
from ui.dialogs import ask_reason, button_box, show_error, show_info
from ui.movement_tables import SORT_ROLE, RegistrationColumn, RegistrationTableModel
from ui.registration_dialog import BulkRegistrationDialog
from ui.table_columns import fit_columns

EXCEL_FILTER = "Bảng tính Excel (*.xlsx)"
PROGRESS_DELAY_MS = 500
NO_MOVEMENT = "Năm {year} chưa có phong trào thi đua nào: đăng ký thi đua theo một phong trào."
ADD_MOVEMENT_HINT = " Thêm phong trào ở thẻ «Phong trào»."
CLOSED_NOTE = "Chỉ đăng ký được khi phong trào đã phát động hoặc đang triển khai."
NO_REGISTRATIONS = "Chưa có ai đăng ký thi đua theo phong trào này."
REGISTER_HINT = " Bấm «Đăng ký hàng loạt…» hoặc «Nhập từ Excel…»."


class RegistrationsTab(QWidget):
    changed = Signal()
    imported = Signal(object)  # the RegistrationImport, with or without errors

    def __init__(self, services: Services, parent: QWidget | None = None,
                 write_pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._services = services
        if write_pool is None:  # the GUI passes its one writer; alone, the tab keeps its own
            write_pool = QThreadPool(self)
            write_pool.setMaxThreadCount(1)
        self._pool = write_pool
        self._year = date.today().year
        self._editable = services.actor.can(Permission.RUN_EMULATION)
        self._task: Task | None = None
        self.dialog: QDialog | None = None
        self.movement = QComboBox()
        self.movement.currentIndexChanged.connect(self._on_movement_changed)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.model = RegistrationTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_columns(self.table, RegistrationColumn.NOTE)
        self.bulk_button = QPushButton("Đăng ký hàng loạt…")
        self.import_button = QPushButton("Nhập từ Excel…")
        self.template_button = QPushButton("Lưu tệp mẫu…")
        self.remove_button = QPushButton("Xóa đăng ký…")
        self.bulk_button.clicked.connect(self._on_bulk_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.template_button.clicked.connect(self._on_template_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        top = QHBoxLayout()
        top.addWidget(QLabel("Phong trào"))
        top.addWidget(self.movement, 1)
        buttons = QHBoxLayout()
        for button in (self.bulk_button, self.import_button, self.template_button, self.remove_button):
            button.setVisible(self._editable)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.count = QLabel()
        buttons.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.state)
        layout.addWidget(self.table, 1)
        self.set_year(self._year)

    def set_year(self, year: int) -> None:
        self._year = year
        self.reload_movements()

    def reload_movements(self) -> None:
        kept = self.current_movement()
        self.movement.blockSignals(True)
        self.movement.clear()
        for row in self._services.movements.rows(self._year):
            self.movement.addItem(f"{row.name} ({row.state_label.lower()})", row)
        position = next((i for i in range(self.movement.count())
                         if kept is not None and self.movement.itemData(i).id == kept.id), 0)
        self.movement.setCurrentIndex(position if self.movement.count() else -1)
        self.movement.blockSignals(False)
        self._on_movement_changed()

    def current_movement(self) -> MovementRow | None:
        data = self.movement.currentData()
        return data if isinstance(data, MovementRow) else None

    def select_movement(self, movement_id: int) -> None:
        for position in range(self.movement.count()):
            if self.movement.itemData(position).id == movement_id:
                self.movement.setCurrentIndex(position)

    def reload(self) -> None:
        movement = self.current_movement()
        self.model.set_rows(self._services.registrations.rows(movement.id) if movement else [])
        self.count.setText(f"{self.model.rowCount()} đăng ký" if movement else "")
        self.state.setText(self._state_text(movement))
        self.state.setVisible(bool(self.state.text()))
        self._update_buttons()

    def _state_text(self, movement: MovementRow | None) -> str:
        """Why the list is empty or cannot grow, and what to do (for who can)."""
        if movement is None:
            return NO_MOVEMENT.format(year=self._year) + (ADD_MOVEMENT_HINT if self._editable else "")
        lines = []
        if not movement.open_for_registration:
            lines.append(CLOSED_NOTE)
        if self.model.rowCount() == 0:
            lines.append(NO_REGISTRATIONS + (REGISTER_HINT if self._editable and movement.open_for_registration
                                             else ""))
        return "\n".join(lines)

    def selected(self) -> RegistrationRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(self.proxy.mapToSource(rows[0]).row()) if rows else None

    # --- actions the buttons start; tests call the path-taking ones directly ----------------

    def import_file(self, path: Path) -> None:
        """Import registrations from `path` into the current movement, in the background."""
        movement = self.current_movement()
        if movement is None or self._task is not None:
            return
        services, movement_id = self._services, movement.id
        task = Task(lambda report: import_registrations(services, movement_id, path, report=report))
        progress = QProgressDialog("Đang đọc và kiểm tra tệp…", "Hủy", 0, 0, self)
        progress.setWindowTitle("Nhập đăng ký thi đua")
        progress.setMinimumDuration(PROGRESS_DELAY_MS)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.canceled.connect(task.cancel)
        task.progressed.connect(lambda done, total: (progress.setMaximum(total), progress.setValue(done)))
        task.succeeded.connect(self._on_import_succeeded)
        task.failed.connect(self._on_import_failed)
        task.finished.connect(lambda: self._on_task_finished(progress))
        self._task = task
        self._update_buttons()
        task.start(self._pool)

    def save_template(self, path: Path) -> None:
        try:
            write_registration_template(path)
        except DomainError as error:
            show_error(self, "Không lưu được tệp mẫu", str(error))
            return
        show_info(self, "Đã lưu tệp mẫu", f"Đã lưu tệp mẫu «Đăng ký thi đua» tại {path}.")

    def _on_movement_changed(self) -> None:
        self.reload()

    def _update_buttons(self) -> None:
        movement = self.current_movement()
        idle = self._task is None
        open_ = movement is not None and movement.open_for_registration and idle
        self.bulk_button.setEnabled(open_)
        self.import_button.setEnabled(open_)
        self.remove_button.setEnabled(idle and self.selected() is not None
                                      and movement is not None and movement.state != CLOSED)

    def _on_bulk_clicked(self) -> None:
        movement = self.current_movement()
        if movement is None:
            return
        dialog = BulkRegistrationDialog(self._services, self._pool, movement, self)
        dialog.accepted.connect(self._after_change)
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        """Show a dialog without blocking; kept until the next replaces it (see MovementsTab._open)."""
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()

    def _on_import_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Chọn tệp Excel đăng ký thi đua", "", EXCEL_FILTER)
        if path:
            self.import_file(Path(path))

    def _on_template_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, "Lưu tệp mẫu đăng ký thi đua", "dang-ky-thi-dua.xlsx",
                                                    EXCEL_FILTER)
        if path:
            self.save_template(Path(path))

    def _on_remove_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        reason = ask_reason(self, "Xóa đăng ký",
                            f"Xóa đăng ký «{row.award_label}» của «{row.subject_name}»?", "Xóa")
        if reason is None:
            return
        try:
            self._services.registrations.remove(row.id, reason)
        except DomainError as error:
            show_error(self, "Không xóa được đăng ký", str(error))
            return
        self._after_change()

    def _after_change(self) -> None:
        self.reload_movements()
        self.changed.emit()

    def _on_import_succeeded(self, found: RegistrationImport) -> None:
        self.imported.emit(found)
        if found.written:
            self._after_change()
        self._open(ImportReport(found, self))

    def _on_import_failed(self, error: Exception) -> None:
        if isinstance(error, CancelledError):
            return
        if isinstance(error, DomainError | StorageError):
            show_error(self, "Không nhập được", str(error))
            return
        raise error

    def _on_task_finished(self, progress: QProgressDialog) -> None:
        progress.reset()
        progress.deleteLater()
        self._task = None
        self._update_buttons()


class ImportReport(QDialog):
    """What an import found: the count, every row's errors, what was written."""

    def __init__(self, found: RegistrationImport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Có lỗi trong tệp: chưa nhập gì" if found.errors else "Kết quả nhập đăng ký")
        self.resize(720, 420)
        self.text = QPlainTextEdit("\n".join(found.lines()))
        self.text.setReadOnly(True)
        close = button_box(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(close)
