"""The «Gửi tỉnh» tab: the packages of dossiers sent to the province and where each stands.

Newest package first; the ones still without any acknowledgement after N days (a spin box,
kept in the settings) are highlighted and counted above the list. Below, the records of the
package chosen with the province's answer to each. From here the officer exports a new
package (the wizard), checks a package file (on the read pool, with progress), imports an
acknowledgement (what it would change is read and shown first; «Áp dụng» applies all of it
or nothing on the write pool; a contradiction is shown as a conflict and nothing can be
applied), takes back a package file the database lost (a restore from an older backup), and
opens the folder a package was written to, or the copy kept in the data folder once that
folder is gone. The chosen package's full SHA-256 is shown for the cover letter.

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
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.roles import Permission
from app.services import Services
from db.engine import StorageError
from ui.background import Task
from ui.decision_tables import RowTable
from ui.package_dialogs import FileTasks
from ui.package_hash import HashBox
from ui.package_tables import (
    OVERDUE_BACKGROUND,
    OVERDUE_FOREGROUND,
    PackageColumn,
    PackageTableModel,
    RecordColumn,
    RecordTableModel,
    day_text,
)
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
KEPT_FOLDER = "goi-ho-so"  # the export keeps a copy of every package here, in the data folder


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


@dataclass(frozen=True)
class FolderChoice:
    """Where «Mở thư mục» goes: the folder the package was written to, or the copy kept."""
    path: Path
    kept_copy: bool


class PackagesTab(QWidget):
    """`changed` after an export, an acknowledgement or a package taken back (nominations
    moved); `loaded` once a reload is shown, `records_loaded` once a package's records are,
    `task_finished` after each file task (check, acknowledgement read or applied, package
    taken back), whatever its outcome."""

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
        self.wizard: PackageExportWizard | None = None
        self.files = FileTasks(services.packages, data_folder, read_pool or self._write_pool, self._write_pool, self)
        self.files.busy_changed.connect(self._update_buttons)
        self.files.finished.connect(self.task_finished)
        self.files.recorded.connect(self._on_recorded)
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
        self.hash_box = HashBox()
        self.hash_box.hide()

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
        self.adopt_button = QPushButton("Nhận lại gói đã gửi…")
        self.adopt_button.setToolTip("Ghi nhận lại một tệp gói xã đã xuất mà dữ liệu không còn biết "
                                     "(khôi phục từ bản sao lưu cũ hơn, lần xuất bị ngắt sau khi ghi tệp)")
        self.adopt_button.clicked.connect(self._on_adopt_clicked)
        self.adopt_button.setVisible(can)
        self.folder_button = QPushButton("Mở thư mục")
        self.folder_button.setToolTip("Mở thư mục đã ghi gói đang chọn")
        self.folder_button.clicked.connect(self._on_folder_clicked)
        self.folder_note = QLabel()
        self.folder_note.setWordWrap(True)
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
        below.addWidget(self.hash_box)
        below.addWidget(self.records_caption)
        below.addWidget(self.records_table, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setChildrenCollapsible(False)
        buttons = QHBoxLayout()
        for button in (self.export_button, self.verify_button, self.ack_button, self.adopt_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.folder_note, 2)
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
        self.folder_note.clear()
        row = self.selected()
        self.hash_box.setVisible(row is not None)
        if row is None:
            self.records.set_rows([])
            self.records_caption.setText(CHOOSE_PACKAGE)
            return
        self.hash_box.set_hash(row.file_sha256, f"Mã SHA-256 của tệp gói số {row.sequence} ({row.file_name}):")
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
        for button in (self.verify_button, self.ack_button, self.export_button, self.adopt_button):
            button.setEnabled(not self.files.busy)
        folder, row = self.package_folder(), self.selected()
        self.folder_button.setEnabled(folder is not None)
        if row is None:
            tip = "Mở thư mục đã ghi gói đang chọn"
        elif folder is None:
            tip = f"Thư mục {row.folder} không còn tệp gói (USB đã rút ra?), trên máy cũng không có bản lưu"
        elif folder.kept_copy:
            tip = f"Thư mục {row.folder} không còn tệp gói (USB đã rút ra?): mở bản lưu trên máy, {folder.path}"
        else:
            tip = f"Mở thư mục {folder.path}"
        self.folder_button.setToolTip(tip)

    def package_folder(self) -> FolderChoice | None:
        """Where the chosen package is: the folder it was written to while the file is there,
        else the copy kept in the data folder, else the written folder if it still exists."""
        row = self.selected()
        if row is None:
            return None
        written = Path(row.folder) if row.folder else None
        kept = self._data_folder / KEPT_FOLDER
        if written is not None and (written / row.file_name).is_file():
            return FolderChoice(written, False)
        if (kept / row.file_name).is_file():
            return FolderChoice(kept, True)
        return FolderChoice(written, False) if written is not None and written.is_dir() else None

    # --- actions (the file tasks are in `files`, ui/package_dialogs.py) --------------------------

    def open_wizard(self) -> PackageExportWizard:
        from ui.package_export_wizard import PackageExportWizard  # the wizard's pages load when used

        if self.wizard is not None:
            self.wizard.deleteLater()
        self.wizard = PackageExportWizard(self._services, self._data_folder, self._read_pool, self._write_pool,
                                          self._settings, self)
        self.wizard.exported.connect(self._on_exported)
        self.wizard.open()
        return self.wizard

    def _on_recorded(self, package_uuid: str, moved: bool) -> None:
        self._select_after = package_uuid or None
        self.reload()
        if moved:
            self.changed.emit()

    def _on_exported(self, result: Any) -> None:
        self._on_recorded(result.package_uuid, True)

    def _start_folder(self) -> str:
        return self._settings.package_folder if self._settings is not None else ""

    def _on_verify_clicked(self) -> None:
        folder = self.package_folder()
        start = str(folder.path) if folder is not None else self._start_folder()
        path, _filter = QFileDialog.getOpenFileName(self, "Chọn tệp gói hồ sơ cần kiểm tra", start, PACKAGE_FILTER)
        if path:
            self.files.verify(Path(path))

    def _on_ack_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Chọn tệp biên nhận của tỉnh", self._start_folder(),
                                                    ACK_FILTER)
        if path:
            self.files.import_ack(Path(path))

    def _on_adopt_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Chọn tệp gói đã gửi cần nhận lại", self._start_folder(),
                                                    PACKAGE_FILTER)
        if path:
            self.files.adopt(Path(path))

    def _on_folder_clicked(self) -> None:
        folder, row = self.package_folder(), self.selected()
        if folder is None or row is None:
            return
        self.folder_note.setText(
            f"Đã mở bản lưu trên máy ({folder.path}): thư mục {row.folder} không còn tệp gói."
            if folder.kept_copy else f"Đã mở thư mục {folder.path}.")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder.path)))
