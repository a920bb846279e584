"""Importing a sheet of the register from Excel, and exporting one, from the GUI.

`ImportDialog` checks the chosen file in the background, lists its errors and likely
duplicates (each duplicate skipped or merged as the officer chooses) and imports only a
file without errors, in one transaction on the write pool. `start_export` saves one kind
of the register to a chosen .xlsx file in the background.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import CancelledError, DomainError
from app.excel_columns import SHEET_KINDS
from app.excel_export import export_register, write_template
from app.excel_import import commit_import, preview_import
from app.excel_preview import ImportPreview, ImportResult, Resolution
from app.services import Services
from db.engine import StorageError
from ui.background import Task
from ui.dialogs import button_box, confirm, show_error, show_info
from ui.import_preview import SORT_ROLE, PreviewColumn, PreviewModel, lines_of
from ui.task_dialog import TaskDialog, show_failure

EXCEL_FILTER = "Bảng tính Excel (*.xlsx)"
PROGRESS_DELAY_MS = 500


class ImportDialog(TaskDialog):
    """Choose a kind and a file, check it, resolve duplicates, import all or nothing."""

    checked = Signal(object)  # ImportPreview
    imported = Signal(object)  # ImportResult

    def __init__(self, services: Services, write_pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Nhập danh sách từ Excel")
        self.resize(980, 620)
        self._services = services
        self._write_pool = write_pool
        self._read_pool = QThreadPool(self)
        self._read_pool.setMaxThreadCount(1)
        self._preview: ImportPreview | None = None

        self.kind = QComboBox()
        for code, kind in SHEET_KINDS.items():
            self.kind.addItem(kind.label, code)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText("Chưa chọn tệp")
        self.choose_button = QPushButton("Chọn tệp…")
        self.choose_button.clicked.connect(self._on_choose_clicked)
        self.template_button = QPushButton("Lưu tệp mẫu…")
        self.template_button.clicked.connect(self._on_template_clicked)
        self.recheck_button = QPushButton("Kiểm tra lại")
        self.recheck_button.clicked.connect(self.check)

        self.progress = QProgressBar()
        self.stop_button = QPushButton("Dừng")
        self.stop_button.clicked.connect(self._on_stop_clicked)
        self.summary = QLabel("Chọn loại danh sách và tệp Excel cần nhập.")
        self.summary.setWordWrap(True)

        self.model = PreviewModel(self)
        self.model.resolutions_changed.connect(self._update_buttons)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(PreviewColumn.ROW, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PreviewColumn.MESSAGE, QHeaderView.ResizeMode.Stretch)
        for column in (PreviewColumn.ROW, PreviewColumn.KIND, PreviewColumn.ACTION):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.merge_all_button = QPushButton("Gộp tất cả dòng trùng")
        self.merge_all_button.clicked.connect(lambda: self.model.set_all(Resolution.MERGE))
        self.skip_all_button = QPushButton("Bỏ qua tất cả dòng trùng")
        self.skip_all_button.clicked.connect(lambda: self.model.set_all(Resolution.SKIP))

        self.buttons = button_box(QDialogButtonBox.StandardButton.Close, self)
        self.import_button = self.buttons.addButton("Nhập dữ liệu", QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.buttons.rejected.connect(self.reject)

        self._lay_out()
        self._set_busy(False)

    def _lay_out(self) -> None:
        source = QHBoxLayout()
        source.addWidget(QLabel("Danh sách:"))
        source.addWidget(self.kind)
        source.addWidget(self.path, 1)
        source.addWidget(self.choose_button)
        source.addWidget(self.recheck_button)
        source.addWidget(self.template_button)
        progress = QHBoxLayout()
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.stop_button)
        duplicates = QHBoxLayout()
        duplicates.addStretch(1)
        duplicates.addWidget(self.skip_all_button)
        duplicates.addWidget(self.merge_all_button)
        layout = QVBoxLayout(self)
        layout.addLayout(source)
        layout.addLayout(progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(duplicates)
        layout.addWidget(self.buttons)

    # --- public steps (the buttons call these; tests too) -----------------------------

    @property
    def kind_code(self) -> str:
        return str(self.kind.currentData())

    @property
    def preview(self) -> ImportPreview | None:
        return self._preview

    def set_kind(self, code: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(code))

    def set_path(self, path: Path) -> None:
        """Use this file and check it at once."""
        self.path.setText(str(path))
        self.check()

    def check(self) -> None:
        """Read and check the chosen file in the background; nothing is written."""
        if not self.path.text() or self.is_busy():
            return
        self._show_preview(None)
        self.summary.setText("Đang đọc và kiểm tra tệp…")
        services, kind, path = self._services, self.kind_code, Path(self.path.text())
        self._run(Task(lambda report: preview_import(services, kind, path, report), self),
                  self._on_check_succeeded, self._read_pool)

    def save_template(self, path: Path) -> None:
        try:
            write_template(path, self.kind_code)
        except DomainError as error:
            show_error(self, "Không lưu được tệp mẫu", str(error))
            return
        show_info(self, "Đã lưu tệp mẫu",
                  f"Đã lưu tệp mẫu «{self.kind.currentText()}» tại {path}. Hãy điền danh sách "
                  "vào tệp này rồi chọn nó để nhập.")

    def start_import(self) -> None:
        """Write the checked rows in one transaction on the write pool."""
        preview = self._preview
        if preview is None or not preview.can_commit or self.is_busy():
            return
        resolutions = self.model.resolutions()
        merged = sum(r is Resolution.MERGE for r in resolutions.values())
        if merged and not confirm(
            self, "Gộp dòng trùng",
            f"{merged} dòng sẽ được gộp vào mục đã có: các ô có dữ liệu trong tệp sẽ ghi đè "
            "thông tin đang có trong sổ. Tiếp tục nhập?", "Nhập và gộp",
        ):
            return
        self.summary.setText("Đang ghi vào cơ sở dữ liệu…")
        services = self._services
        self._run(Task(lambda report: commit_import(services, preview, resolutions, report), self),
                  self._on_import_succeeded, self._write_pool)

    # --- background work --------------------------------------------------------------

    def _run(self, task: Task, on_success: Callable[[Any], None], pool: QThreadPool) -> None:
        task.progressed.connect(self._on_task_progressed)
        self.progress.setRange(0, 0)
        self.start_task(task, pool, on_success, self._on_task_failed)

    def _on_task_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_check_succeeded(self, preview: ImportPreview) -> None:
        self._show_preview(preview)
        self.checked.emit(preview)

    def _on_import_succeeded(self, result: ImportResult) -> None:
        self._show_preview(None)
        self.summary.setText(f"{result} Dữ liệu đã được ghi vào sổ.")
        self.imported.emit(result)

    def _on_task_failed(self, error: Exception) -> None:
        show_failure(self.summary, error, "Đã dừng theo yêu cầu; không có dữ liệu nào được ghi.",
                     "{error}", "Gặp lỗi không mong muốn; không có dữ liệu nào được ghi.")

    # --- widgets ----------------------------------------------------------------------

    def _show_preview(self, preview: ImportPreview | None) -> None:
        self._preview = preview
        self.model.set_rows(lines_of(preview) if preview else [])
        if preview is not None:
            self.summary.setText(preview.summary())
        self._update_buttons()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.stop_button.setVisible(busy)
        for widget in (self.kind, self.choose_button, self.template_button):
            widget.setEnabled(not busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = not self.is_busy()
        preview = self._preview
        self.recheck_button.setEnabled(idle and bool(self.path.text()))
        self.import_button.setEnabled(idle and preview is not None and preview.can_commit)
        has_duplicates = idle and preview is not None and bool(preview.duplicates)
        self.merge_all_button.setEnabled(has_duplicates)
        self.skip_all_button.setEnabled(has_duplicates)

    def _on_kind_changed(self) -> None:
        self._show_preview(None)
        if self.path.text():
            self.check()

    def _on_choose_clicked(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, "Chọn tệp Excel cần nhập", "", EXCEL_FILTER)
        if chosen:
            self.set_path(Path(chosen))

    def _on_template_clicked(self) -> None:
        suggested = f"mau-{self.kind_code}.xlsx"
        chosen, _filter = QFileDialog.getSaveFileName(self, "Lưu tệp mẫu", suggested, EXCEL_FILTER)
        if chosen:
            self.save_template(Path(chosen))

    def _on_import_clicked(self) -> None:
        self.start_import()


def start_export(parent: QWidget, services: Services, kind: str, pool: QThreadPool,
                 path: Path | None = None) -> Task | None:
    """Ask where to save (unless `path` is given), then export one kind in the background.

    Returns the running Task (None when the officer chose no file); a progress dialog with
    a Cancel button shows after half a second, and a message box tells how it ended.
    """
    label = SHEET_KINDS[kind].label
    if path is None:
        chosen, _filter = QFileDialog.getSaveFileName(parent, f"Xuất danh sách «{label}»",
                                                      f"{kind}.xlsx", EXCEL_FILTER)
        if not chosen:
            return None
        path = Path(chosen)
    progress = QProgressDialog(f"Đang xuất danh sách «{label}»…", "Hủy", 0, 0, parent)
    progress.setWindowTitle("Xuất ra Excel")
    progress.setMinimumDuration(PROGRESS_DELAY_MS)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    task = Task(lambda report: export_register(services, kind, path, report), parent)
    progress.canceled.connect(task.cancel)

    def on_progressed(done: int, total: int) -> None:
        progress.setMaximum(total)
        progress.setValue(done)

    task.progressed.connect(on_progressed)
    task.succeeded.connect(lambda count: show_info(
        parent, "Đã xuất ra Excel", f"Đã xuất {count} dòng «{label}» ra tệp {path}."))
    task.failed.connect(lambda error: _on_export_failed(parent, error))
    task.finished.connect(progress.deleteLater)
    task.start(pool)
    return task


def _on_export_failed(parent: QWidget, error: Exception) -> None:
    if isinstance(error, CancelledError):
        return
    if isinstance(error, DomainError | StorageError):
        show_error(parent, "Không xuất được", str(error))
        return
    raise error
