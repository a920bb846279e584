"""The «Gửi tỉnh» tab: the packages of dossiers sent to the province and where each stands.

Newest package first; the ones still without any acknowledgement after N days (a spin box,
kept in the settings) are highlighted and counted above the list. Below, the records of the
package chosen with the province's answer to each. From here the officer exports a new
package (the wizard), checks a package file (on the read pool, with progress), imports an
acknowledgement (on the write pool: all of it or nothing, a contradiction shown as a
conflict) and opens the folder a package was written to.

Lists are read on the read pool when there is one; the result of an older read is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import CancelledError, DomainError
from app.roles import Permission
from app.services import Services
from db.engine import StorageError
from ui.background import Task
from ui.decision_tables import RowTable
from ui.package_dialogs import (
    ResultDialog,
    ack_conflict_dialog,
    ack_dialog,
    ack_refused_dialog,
    verification_dialog,
)
from ui.package_tables import (
    OVERDUE_BACKGROUND,
    OVERDUE_FOREGROUND,
    PackageColumn,
    PackageTableModel,
    RecordColumn,
    RecordTableModel,
    day_text,
)
from ui.print_actions import PROGRESS_DELAY_MS
from ui.settings import Settings

if TYPE_CHECKING:
    from app.package.service import PackageService
    from app.package.status import PackageRow, RecordRow
    from ui.package_export_wizard import PackageExportWizard

TAB_TITLE = "Gửi tỉnh"
DEFAULT_DAYS = 14
PACKAGE_FILTER = "Gói hồ sơ (*.zip)"
ACK_FILTER = "Biên nhận của tỉnh (*.json)"
NO_PACKAGES = "Chưa xuất gói hồ sơ nào gửi tỉnh."
EXPORT_HINT = " Bấm «Xuất gói hồ sơ…» để chọn các đề nghị đã sẵn sàng và ghi gói ra thư mục hoặc USB."
LOADING = "Đang đọc danh sách gói hồ sơ…"
CHOOSE_PACKAGE = "Chọn một gói ở trên để xem các hồ sơ trong gói."


@dataclass(frozen=True)
class PackagesPage:
    """What the list shows, read together off the UI thread."""
    rows: list[PackageRow]
    overdue: frozenset[int]
    days: int


def read_page(packages: PackageService, days: int) -> PackagesPage:
    return PackagesPage(packages.packages(), frozenset(row.id for row in packages.unacknowledged(days)), days)


def overdue_text(count: int, days: int) -> str:
    return f"{count} gói chưa có biên nhận quá {days} ngày" if count else ""


class PackagesTab(QWidget):
    """`changed` after an export or an acknowledgement (nominations moved); `loaded` once a
    reload is shown, `records_loaded` once a package's records are, `task_finished` after a
    file was checked or an acknowledgement imported (whatever the outcome)."""

    changed = Signal()
    loaded = Signal()
    records_loaded = Signal()
    task_finished = Signal()

    def __init__(self, services: Services, data_folder: Path, read_pool: QThreadPool | None = None,
                 write_pool: QThreadPool | None = None, settings: Settings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._data_folder = data_folder
        self._read_pool = read_pool
        self._write_pool = write_pool or read_pool
        if self._write_pool is None:  # a tab made without the app's pools (tests)
            self._write_pool = QThreadPool(self)
            self._write_pool.setMaxThreadCount(1)
        self._settings = settings
        self._generation = 0  # bumped by every reload; older results are dropped
        self._records_generation = 0
        self._select_after: str | None = None  # the package to choose once listed (the one just exported)
        self._task: Task | None = None
        self.wizard: PackageExportWizard | None = None
        self.result_dialog: ResultDialog | None = None
        can = services.actor.can(Permission.RUN_EMULATION)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.overdue = QLabel()
        self.overdue.setStyleSheet(f"background: {OVERDUE_BACKGROUND.name()}; color: {OVERDUE_FOREGROUND.name()};"
                                   " padding: 4px; font-weight: bold;")
        self.overdue.hide()
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(settings.unacknowledged_days if settings is not None else DEFAULT_DAYS)
        self.days.setSuffix(" ngày")
        self.days.setToolTip("Gói đã xuất quá số ngày này mà chưa có biên nhận nào của tỉnh được tô màu và đếm")
        self.days.valueChanged.connect(self._on_days_changed)
        self.packages = PackageTableModel(self)
        self.table = RowTable(self.packages, PackageColumn.FILE)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._on_package_chosen())
        self.records_caption = QLabel(CHOOSE_PACKAGE)
        self.records = RecordTableModel(self)
        self.records_table = RowTable(self.records, RecordColumn.ANSWER)

        self.export_button = QPushButton("Xuất gói hồ sơ…")
        self.export_button.setToolTip("Chọn các đề nghị đã sẵn sàng và ghi gói hồ sơ gửi tỉnh ra thư mục hoặc USB")
        self.export_button.clicked.connect(self.open_wizard)
        self.export_button.setVisible(can)
        self.verify_button = QPushButton("Kiểm tra tệp gói…")
        self.verify_button.setToolTip("Kiểm tra một tệp gói: đủ tệp, đúng mã băm, đúng định dạng, đúng thứ tự gói")
        self.verify_button.clicked.connect(self._on_verify_clicked)
        self.ack_button = QPushButton("Nhập biên nhận…")
        self.ack_button.setToolTip("Nhập tệp biên nhận (.json) của tỉnh: đã nhận, trả lại, khen thưởng hay không")
        self.ack_button.clicked.connect(self._on_ack_clicked)
        self.ack_button.setVisible(can)
        self.folder_button = QPushButton("Mở thư mục")
        self.folder_button.setToolTip("Mở thư mục đã ghi gói đang chọn")
        self.folder_button.clicked.connect(self._on_folder_clicked)
        self._lay_out()
        self._update_buttons()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel("Nhắc gói chờ biên nhận quá:"))
        top.addWidget(self.days)
        lower = QWidget()
        below = QVBoxLayout(lower)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.records_caption)
        below.addWidget(self.records_table, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setChildrenCollapsible(False)
        buttons = QHBoxLayout()
        for button in (self.export_button, self.verify_button, self.ack_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.folder_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.overdue)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)

    # --- reading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the packages again, on the read pool when there is one."""
        self._generation += 1
        generation, days, packages = self._generation, self.days.value(), self._services.packages
        if not self.packages.rowCount():
            self.summary.setText(LOADING)
        self._run_read(lambda: read_page(packages, days), lambda page: self._on_loaded(generation, page),
                       lambda error: self._on_read_failed(generation, error))

    def _run_read(self, work: Callable[[], Any], done: Callable[[Any], None],
                  failed: Callable[[Exception], None]) -> None:
        if self._read_pool is None:
            try:
                value = work()
            except DomainError as error:
                failed(error)
                return
            done(value)
            return
        task = Task(lambda _report: work(), parent=self)
        task.succeeded.connect(done)
        task.failed.connect(failed)
        task.start(self._read_pool)

    def _on_loaded(self, generation: int, page: PackagesPage) -> None:
        if generation != self._generation:
            return
        chosen = self._select_after or self._chosen_uuid()
        self._select_after = None
        self.packages.set_packages(page.rows, page.overdue, page.days)
        waiting = sum(1 for row in page.rows if row.ack_count == 0)
        if page.rows:
            self.summary.setText(f"Đã xuất {len(page.rows)} gói hồ sơ gửi tỉnh; {waiting} gói chưa có biên nhận.")
        else:
            can = self._services.actor.can(Permission.RUN_EMULATION)
            self.summary.setText(NO_PACKAGES + (EXPORT_HINT if can else ""))
        self.overdue.setText(overdue_text(len(page.overdue), page.days))
        self.overdue.setVisible(bool(page.overdue))
        for position, row in enumerate(page.rows):
            if row.uuid == chosen:
                self.table.select_position(position)
        self._on_package_chosen()
        self.loaded.emit()

    def _on_read_failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        self.summary.setText(f"Không đọc được danh sách gói hồ sơ: {error}")
        if not isinstance(error, DomainError | StorageError):
            raise error

    def selected(self) -> PackageRow | None:
        position = self.table.selected_position()
        return None if position is None else self.packages.row(position)

    def _chosen_uuid(self) -> str | None:
        row = self.selected()
        return None if row is None else row.uuid

    def _on_package_chosen(self) -> None:
        self._update_buttons()
        self._records_generation += 1
        row = self.selected()
        if row is None:
            self.records.set_rows([])
            self.records_caption.setText(CHOOSE_PACKAGE)
            return
        generation, packages, package_id = self._records_generation, self._services.packages, row.id
        self.records_caption.setText(f"Hồ sơ trong gói số {row.sequence} (xuất ngày {day_text(row.exported_on)}):")
        self._run_read(lambda: packages.records(package_id),
                       lambda rows: self._on_records_loaded(generation, rows),
                       lambda error: self._on_records_failed(generation, error))

    def _on_records_loaded(self, generation: int, rows: list[RecordRow]) -> None:
        if generation != self._records_generation:
            return
        self.records.set_rows(rows)
        self.records_loaded.emit()

    def _on_records_failed(self, generation: int, error: Exception) -> None:
        if generation != self._records_generation:
            return
        self.records.set_rows([])
        self.records_caption.setText(f"Không đọc được các hồ sơ của gói: {error}")
        if not isinstance(error, DomainError | StorageError):
            raise error

    def _on_days_changed(self, days: int) -> None:
        if self._settings is not None:
            self._settings.unacknowledged_days = days
        self.reload()

    def _update_buttons(self) -> None:
        idle = self._task is None
        self.verify_button.setEnabled(idle)
        self.ack_button.setEnabled(idle)
        self.export_button.setEnabled(idle)
        folder = self.package_folder()
        self.folder_button.setEnabled(folder is not None)
        row = self.selected()
        self.folder_button.setToolTip(
            f"Mở thư mục {folder}" if folder is not None
            else f"Thư mục {row.folder} không còn (USB đã rút ra?)" if row is not None
            else "Mở thư mục đã ghi gói đang chọn")

    def package_folder(self) -> Path | None:
        """The folder the chosen package was written to, when it is still there."""
        row = self.selected()
        if row is None or not row.folder:
            return None
        folder = Path(row.folder)
        return folder if folder.is_dir() else None

    # --- actions (the buttons call these; tests call the path-taking ones directly) ------------

    def open_wizard(self) -> PackageExportWizard:
        from ui.package_export_wizard import PackageExportWizard  # the wizard's pages load when used

        if self.wizard is not None:
            self.wizard.deleteLater()
        self.wizard = PackageExportWizard(self._services, self._data_folder, self._read_pool, self._write_pool,
                                          self._settings, self)
        self.wizard.exported.connect(self._on_exported)
        self.wizard.open()
        return self.wizard

    def verify_file(self, path: Path) -> Task:
        """Check a package file in the background and show what was found."""
        packages = self._services.packages
        return self._start(Task(lambda report: packages.verify(path, report)), self._read_pool or self._write_pool,
                           f"Đang kiểm tra tệp «{path.name}»…", "Kiểm tra tệp gói hồ sơ", True,
                           self._on_verified, self._on_verify_failed)

    def import_ack_file(self, path: Path) -> Task:
        """Apply an acknowledgement in the background: all of it, or nothing."""
        packages = self._services.packages
        return self._start(Task(lambda _report: packages.import_ack(path)), self._write_pool,
                           f"Đang nhập biên nhận «{path.name}»…", "Nhập biên nhận của tỉnh", False,
                           self._on_ack_imported, self._on_ack_failed)

    def _start(self, task: Task, pool: QThreadPool, text: str, title: str, cancellable: bool,
               succeeded: Callable[[Any], None], failed: Callable[[Exception], None]) -> Task:
        progress = QProgressDialog(text, "Hủy", 0, 0, self)
        progress.setWindowTitle(title)
        progress.setMinimumDuration(PROGRESS_DELAY_MS)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.canceled.connect(task.cancel)
        if not cancellable:  # one transaction, quick: nothing to stop halfway
            progress.setCancelButton(None)
        task.progressed.connect(lambda done, total: (progress.setMaximum(total), progress.setValue(done)))
        task.succeeded.connect(succeeded)
        task.failed.connect(failed)
        task.finished.connect(lambda: self._on_task_finished(progress))
        self._task = task
        self._update_buttons()
        task.start(pool)
        return task

    def _on_task_finished(self, progress: QProgressDialog) -> None:
        progress.reset()
        progress.deleteLater()
        self._task = None
        self._update_buttons()
        self.task_finished.emit()

    def _show(self, dialog: ResultDialog) -> None:
        """Show a result without blocking; kept until the next replaces it."""
        if self.result_dialog is not None:
            self.result_dialog.deleteLater()
        self.result_dialog = dialog
        dialog.open()

    def _on_verified(self, verification: Any) -> None:
        self._show(verification_dialog(verification, self))

    def _on_verify_failed(self, error: Exception) -> None:
        if isinstance(error, CancelledError):
            return
        if isinstance(error, DomainError | StorageError):
            self._show(ResultDialog("Kiểm tra tệp gói hồ sơ", "Không kiểm tra được tệp gói.", [str(error)],
                                    False, self))
            return
        raise error

    def _on_ack_imported(self, result: Any) -> None:
        self._show(ack_dialog(result, self))
        self.reload()
        if result.applied:
            self.changed.emit()

    def _on_ack_failed(self, error: Exception) -> None:
        from app.package.acks import AckConflictError  # loaded with the import that raised it

        if isinstance(error, AckConflictError):
            self._show(ack_conflict_dialog(error.conflicts, self))
        elif isinstance(error, DomainError | StorageError):
            self._show(ack_refused_dialog(str(error), self))
        else:
            raise error

    def _on_exported(self, result: Any) -> None:
        self._select_after = result.package_uuid
        self.reload()
        self.changed.emit()

    def _start_folder(self) -> str:
        return self._settings.package_folder if self._settings is not None else ""

    def _on_verify_clicked(self) -> None:
        folder = self.package_folder()
        start = str(folder) if folder is not None else self._start_folder()
        path, _filter = QFileDialog.getOpenFileName(self, "Chọn tệp gói hồ sơ cần kiểm tra", start, PACKAGE_FILTER)
        if path:
            self.verify_file(Path(path))

    def _on_ack_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Chọn tệp biên nhận của tỉnh", self._start_folder(),
                                                    ACK_FILTER)
        if path:
            self.import_ack_file(Path(path))

    def _on_folder_clicked(self) -> None:
        folder = self.package_folder()
        if folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
