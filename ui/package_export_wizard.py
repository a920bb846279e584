"""«Xuất gói hồ sơ gửi tỉnh»: choose the nominations, choose the folder, write and check.

Page 1 (ui/package_candidates.py) lists what the service offers for the province: only the
ready nominations can be ticked, the others say why not. Page 2 chooses the
folder (often a USB stick), remembered for next time, with the free space of its drive.
Page 3 writes the package on the write pool with a progress bar and «Hủy»; the service
re-opens and verifies the file before it reports success, and records the package only
then. Success shows the file's full SHA-256 to copy into the cover letter. A failure (a
full or pulled-out USB stick, a file of the same name left by a package this database lost)
is said in the service's words, and the export can be tried again here or after choosing
another folder.
"""

from __future__ import annotations

import shutil
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.errors import CancelledError, DomainError
from app.services import Services
from db.engine import StorageError
from ui.background import Task
from ui.backup_table import size_text
from ui.package_candidates import CandidatesPage
from ui.package_dialogs import OK_COLOUR, PROBLEM_COLOUR
from ui.package_hash import HashBox
from ui.settings import Settings

if TYPE_CHECKING:
    from app.package.export import ExportResult
    from app.package.service import PackageService

LOW_SPACE = 500 * 1024 * 1024  # a package with many scans may need a few hundred MB
CANCELLED = "Đã hủy. Không có tệp gói nào được ghi, không đề nghị nào được ghi nhận là đã gửi."


class PageId(IntEnum):
    CHOOSE = 0
    FOLDER = 1
    EXPORT = 2


def space_text(size: int) -> str:
    """'12,3 GB', '850,0 MB': the free space of a drive."""
    if size >= 1024 ** 3:
        return f"{size / 1024 ** 3:.1f} GB".replace(".", ",")
    return size_text(size)


class FolderPage(QWizardPage):
    """The folder to write to, the free space of its drive, remembered in the settings."""

    def __init__(self, settings: Settings | None) -> None:
        super().__init__()
        self._settings = settings
        self.setTitle("Chọn nơi ghi gói hồ sơ")
        self.setSubTitle("Một thư mục trên máy hoặc USB. Tệp được ghi tạm rồi đổi tên, "
                         "rồi đọc lại để kiểm tra trước khi báo xong.")
        self.folder = QLineEdit()
        self.folder.setReadOnly(True)
        self.folder.setPlaceholderText("Chưa chọn thư mục")
        self.choose_button = QPushButton("Chọn thư mục…")
        self.choose_button.clicked.connect(self._on_choose_clicked)
        self.space = QLabel()
        self.space.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {PROBLEM_COLOUR};")
        self.warning.hide()
        name = QLabel("Tên tệp có dạng goi-ho-so-<mã xã>-<số thứ tự gói>-<ngày xuất>.zip, "
                      "mỗi gói một số thứ tự mới.")
        name.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Thư mục:"))
        layout.addLayout(row)
        layout.addWidget(self.space)
        layout.addWidget(self.warning)
        layout.addWidget(name)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        if not self.folder.text() and self._settings is not None and self._settings.package_folder:
            remembered = Path(self._settings.package_folder)
            if remembered.is_dir():
                self.set_folder(remembered)

    def isComplete(self) -> bool:  # noqa: N802
        chosen = self.chosen()
        return chosen is not None and chosen.is_dir()

    def chosen(self) -> Path | None:
        return Path(self.folder.text()) if self.folder.text() else None

    def set_folder(self, folder: Path) -> None:
        """Write into `folder`; its drive's free space is shown, a low one warned about."""
        self.folder.setText(str(folder))
        if self._settings is not None:
            self._settings.package_folder = str(folder)
        try:
            free = shutil.disk_usage(folder).free
        except OSError as error:
            self.space.setText("")
            self.warning.setText(f"Không dùng được thư mục này: {error.strerror or error}. Hãy chọn thư mục khác.")
            self.warning.show()
        else:
            self.space.setText(f"Ổ chứa thư mục này còn trống {space_text(free)}.")
            self.warning.setText(f"Ổ này chỉ còn {space_text(free)} trống: gói có nhiều bản quét có thể cần vài "
                                 "trăm MB. Nếu không đủ chỗ, chương trình báo lỗi và không để lại tệp dở dang.")
            self.warning.setVisible(free < LOW_SPACE)
        self.completeChanged.emit()

    def _on_choose_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Chọn thư mục ghi gói hồ sơ", self.folder.text())
        if chosen:
            self.set_folder(Path(chosen))


class ExportPage(QWizardPage):
    """Writes the package on the write pool; `finished` after each attempt, whatever its outcome."""

    finished = Signal()
    busy_changed = Signal(bool)

    def __init__(self, packages: PackageService, data_folder: Path, write_pool: QThreadPool) -> None:
        super().__init__()
        self._packages = packages
        self._data_folder = data_folder
        self._write_pool = write_pool
        self._task: Task | None = None
        self._attempt: tuple[list[int], Path] | None = None
        self.result: ExportResult | None = None
        self.setTitle("Ghi và kiểm tra gói hồ sơ")
        self.setSubTitle("Soạn tờ trình, báo cáo thành tích, biên bản, ghi vào tệp .zip, rồi đọc lại để kiểm tra.")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.stop_button = QPushButton("Hủy")
        self.stop_button.setToolTip("Dừng ghi: không tệp nào được để lại, không đề nghị nào được ghi nhận là đã gửi")
        self.stop_button.clicked.connect(self.cancel)
        self.retry_button = QPushButton("Thử lại")
        self.retry_button.clicked.connect(self._on_retry_clicked)
        self.retry_button.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hash_box = HashBox()
        self.hash_box.hide()
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.stop_button)
        again = QHBoxLayout()
        again.addWidget(self.retry_button)
        again.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(self.hash_box)
        layout.addLayout(again)
        layout.addStretch(1)

    def isComplete(self) -> bool:  # noqa: N802
        return self.result is not None

    def is_busy(self) -> bool:
        return self._task is not None

    def run(self, nomination_ids: list[int], folder: Path) -> None:
        """Export these nominations into `folder` in the background."""
        if self._task is not None or self.result is not None:
            return
        self._attempt = (list(nomination_ids), folder)
        packages, data_folder, ids = self._packages, self._data_folder, list(nomination_ids)
        task = Task(lambda report: packages.export(ids, folder, data_folder, report, lambda: task.cancelled))
        task.progressed.connect(self._on_progressed)
        task.succeeded.connect(self._on_succeeded)
        task.failed.connect(self._on_failed)
        task.finished.connect(self._on_finished)
        self._task = task
        self.progress.setRange(0, 0)
        self.progress.show()
        self.stop_button.show()
        self.stop_button.setEnabled(True)
        self.retry_button.hide()
        self._say(f"Đang xuất {len(ids)} đề nghị vào {folder}…", None)
        self.busy_changed.emit(True)
        task.start(self._write_pool)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.stop_button.setEnabled(False)
            self._say("Đang dừng…", None)

    def _say(self, text: str, ok: bool | None) -> None:
        colour = "" if ok is None else f"color: {OK_COLOUR if ok else PROBLEM_COLOUR};"
        self.status.setStyleSheet(colour)
        self.status.setText(text)

    def _on_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_succeeded(self, result: ExportResult) -> None:
        self.result = result
        again = f", trong đó {result.superseding} phiên bản mới thay phiên bản đã gửi" if result.superseding else ""
        lines = [
            f"Đã ghi và kiểm tra lại gói hồ sơ số {result.sequence}: {result.record_count} hồ sơ{again}.",
            f"Tệp: {result.path}",
            f"Dung lượng: {size_text(result.size)}",
            "",
            "Kiểm tra lại tệp vừa ghi:",
            *(f"  {line}" for line in result.verification.lines()),
            "",
            "Nộp tệp này cho Sở Nội vụ; khi có biên nhận của tỉnh, bấm «Nhập biên nhận…» ở thẻ «Gửi tỉnh».",
        ]
        self._say("\n".join(lines), result.verification.ok)
        self.hash_box.set_hash(result.file_sha256, f"Mã SHA-256 của tệp gói số {result.sequence}:")
        self.hash_box.show()
        self.progress.setRange(0, 1)
        self.progress.setValue(1)

    def _on_failed(self, error: Exception) -> None:
        self.progress.hide()
        self.retry_button.show()
        if isinstance(error, CancelledError):
            self._say(CANCELLED, None)
            return
        if isinstance(error, DomainError | StorageError):
            self._say(f"Chưa xuất được gói hồ sơ: {error}\n\nBấm «Thử lại» để ghi lại, «< Quay lại» để chọn thư "
                      "mục khác, hoặc «Hủy» để đóng cửa sổ này.", False)
            return
        self._say("Chưa xuất được gói hồ sơ: lỗi không lường trước, đã ghi vào nhật ký của chương trình.", False)
        raise error

    def _on_finished(self) -> None:
        self._task = None
        self.stop_button.hide()
        self.busy_changed.emit(False)
        self.completeChanged.emit()
        self.finished.emit()

    def _on_retry_clicked(self) -> None:
        if self._attempt is not None:
            self.run(*self._attempt)

    def cleanupPage(self) -> None:  # noqa: N802
        """Going back after a failure: the next visit starts afresh."""
        self.status.setText("")
        self.retry_button.hide()


class PackageExportWizard(QWizard):
    """`exported(ExportResult)` once a package is written, verified and recorded."""

    exported = Signal(object)

    def __init__(self, services: Services, data_folder: Path, read_pool: QThreadPool | None,
                 write_pool: QThreadPool, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Xuất gói hồ sơ gửi tỉnh")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setButtonText(QWizard.WizardButton.BackButton, "< Quay lại")
        self.setButtonText(QWizard.WizardButton.NextButton, "Tiếp theo >")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Đóng")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Hủy")
        self.setMinimumSize(1180, 620)
        self._close_when_done = False
        packages = services.packages
        self.choose_page = CandidatesPage(packages, read_pool)
        self.folder_page = FolderPage(settings)
        self.folder_page.setButtonText(QWizard.WizardButton.NextButton, "Xuất gói >")
        self.export_page = ExportPage(packages, data_folder, write_pool)
        self.export_page.busy_changed.connect(self._on_busy_changed)
        self.export_page.finished.connect(self._on_export_finished)
        self.setPage(PageId.CHOOSE, self.choose_page)
        self.setPage(PageId.FOLDER, self.folder_page)
        self.setPage(PageId.EXPORT, self.export_page)

    def initializePage(self, page_id: int) -> None:  # noqa: N802
        super().initializePage(page_id)
        if page_id == PageId.EXPORT:
            folder = self.folder_page.chosen()
            assert folder is not None, "the folder page is complete only with a folder"
            self.export_page.run(self.choose_page.checked_ids(), folder)

    def reject(self) -> None:
        """Cancel a running export first; the wizard closes once it has stopped."""
        if self.export_page.is_busy():
            self._close_when_done = True
            self.export_page.cancel()
            return
        super().reject()

    def _on_busy_changed(self, busy: bool) -> None:
        done = self.export_page.result is not None
        self.setOption(QWizard.WizardOption.DisabledBackButtonOnLastPage, busy or done)
        self.setOption(QWizard.WizardOption.NoCancelButton, busy or done)

    def _on_export_finished(self) -> None:
        if self.export_page.result is not None:  # also when «Hủy» came too late to stop it
            self.exported.emit(self.export_page.result)
        if self._close_when_done:
            super().reject()

    def result_text(self) -> str:
        return self.export_page.status.text()
