"""The windows the «Gửi tỉnh» tab answers and asks with, and its file tasks that show them.

A result is a headline in green (all well) or red (refused, a problem) over the lines the
service gave, which the officer can select and copy into a message to the province. Before
anything that cannot be undone (an acknowledgement applied, a lost package taken back) the
same window says what will happen and asks, «Không» being the default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRect, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.eligibility.outcome import Status
from app.errors import CancelledError, DomainError
from app.local_time import VIETNAM_TIME
from db.engine import StorageError
from ui.background import Task
from ui.check_table import STATUS_COLOURS
from ui.dialogs import button_box
from ui.print_actions import PROGRESS_DELAY_MS

if TYPE_CHECKING:
    from app.package.acks import AckPreview, AckResult
    from app.package.adopt import AdoptResult
    from app.package.service import PackageService
    from app.package.verify import Verification

SMALL_WIDTH = 680  # a window of sentences alone
LINES_WIDTH = 760  # a window with the service's lines
LINES_HEIGHT = 380  # at least, once the lines need scrolling room
OK_COLOUR = STATUS_COLOURS[Status.PASSED].name()
PROBLEM_COLOUR = STATUS_COLOURS[Status.FAILED].name()
ACK_TITLE = "Nhập biên nhận của tỉnh"
ADOPT_TITLE = "Nhận lại gói đã gửi"
APPLY_QUESTION = ("Áp dụng biên nhận này? Các đề nghị sẽ chuyển bước theo trả lời của tỉnh, khen thưởng được ghi "
                  "vào lịch sử; một biên nhận đã áp dụng không gỡ ra được.")
ADOPT_WHEN = (
    "Chỉ dùng khi xã đã xuất gói này mà dữ liệu trên máy không còn ghi nhận nó:\n"
    "  • dữ liệu đã được khôi phục từ một bản sao lưu lập trước khi xuất gói;\n"
    "  • hoặc lần xuất bị ngắt (mất điện, máy tắt) sau khi tệp gói đã ghi xong.\n"
    "Chương trình kiểm tra tệp (của xã này, nguyên vẹn, đúng thứ tự các gói) rồi ghi nhận gói như đã xuất: "
    "các đề nghị trong gói chờ biên nhận của tỉnh, lần xuất sau lấy số thứ tự tiếp theo. "
    "Gói của xã khác hoặc tệp đã bị sửa sẽ bị từ chối.")
ADOPT_QUESTION = "Việc ghi nhận không gỡ ra được. Nhận lại gói này?"


class ResultDialog(QDialog):
    """A headline and the lines under it; `ok` gives their colour (None: plain). With a
    `question`, the window asks: `action` accepts, «Không» (the default, also Esc) rejects."""

    def __init__(self, title: str, headline: str, lines: Sequence[str], ok: bool | None,
                 parent: QWidget | None = None, *, question: str = "", action: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.ok = ok
        colour = "" if ok is None else f"color: {OK_COLOUR if ok else PROBLEM_COLOUR};"
        self.headline = QLabel(headline)
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet(f"font-weight: bold; {colour}")
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lines = QPlainTextEdit("\n".join(lines))
        self.lines.setReadOnly(True)
        self.lines.setStyleSheet(colour)
        self.lines.setVisible(bool(lines))
        self.question = QLabel(question)
        self.question.setWordWrap(True)
        self.question.setVisible(bool(question))
        self.apply_button: QPushButton | None = None
        self.no_button: QPushButton | None = None
        if question:
            buttons = QDialogButtonBox()
            self.apply_button = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
            self.no_button = buttons.addButton("Không", QDialogButtonBox.ButtonRole.RejectRole)
            self.apply_button.setAutoDefault(False)
            self.no_button.setDefault(True)
            buttons.accepted.connect(self.accept)
        else:
            buttons = button_box(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.lines, 1)
        if not lines:  # sentences alone: a small window, the sentences on top
            layout.addStretch(1)
        layout.addWidget(self.question)
        layout.addWidget(buttons)
        self._fit(layout, lines)

    def _fit(self, layout: QVBoxLayout, lines: Sequence[str]) -> None:
        """As high as the wrapped text needs: a short answer in a small window, a long list
        in a taller one whose box scrolls."""
        width = LINES_WIDTH if lines else SMALL_WIDTH
        roomy = False
        if lines:
            text = self.lines.fontMetrics().boundingRect(
                QRect(0, 0, width - 60, 1_000_000), Qt.TextFlag.TextWordWrap, "\n".join(lines))
            needed = text.height() + 2 * self.lines.frameWidth() + 16
            roomy = needed >= LINES_HEIGHT // 2
            if not roomy:
                self.lines.setMaximumHeight(needed)
        height = layout.totalHeightForWidth(width)
        self.resize(width, max(height, LINES_HEIGHT if roomy else 100))

    def text(self) -> str:
        """The headline, the lines and the question, as the officer reads them."""
        return "\n".join(filter(None, (self.headline.text(), self.lines.toPlainText(), self.question.text())))


def moment_text(value: object) -> str:
    """'15:00 ngày 20/11/2026' (Việt Nam time) from a moment or its ISO text; other text as it is."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        moment = value.astimezone(VIETNAM_TIME) if value.tzinfo else value
        return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"
    if isinstance(value, date):
        return f"ngày {value:%d/%m/%Y}"
    return str(value)


def sections(*parts: tuple[str, Sequence[str]]) -> list[str]:
    """Each non-empty part as its heading over its lines as bullets, a blank line between."""
    shown: list[str] = []
    for heading, lines in parts:
        if lines:
            shown += [*([""] if shown else []), heading, *(f"  • {line}" for line in lines)]
    return shown


def verification_dialog(verification: Verification, parent: QWidget | None = None) -> ResultDialog:
    name = verification.path.name
    if verification.ok:
        headline = f"Tệp gói «{name}» nguyên vẹn, đúng định dạng và đúng thứ tự các gói của xã."
    else:
        count = len(verification.problems)
        headline = (f"Tệp gói «{name}» có {count} lỗi; không dùng được tệp này. "
                    "Hãy xuất lại gói hoặc lấy bản đã ghi trước đó.")
    return ResultDialog("Kiểm tra tệp gói hồ sơ", headline, verification.lines(), verification.ok, parent)


def ack_preview_dialog(preview: AckPreview, parent: QWidget | None = None) -> ResultDialog:
    """What the acknowledgement would change, asking before it is applied; a conflict or a
    file already imported leaves nothing to apply."""
    about = (f"Biên nhận của {preview.issuer} cho gói số {preview.package_sequence}, "
             f"lập lúc {moment_text(preview.issued_at)}")
    if preview.conflicts:
        return ack_conflict_dialog(preview.conflicts, parent, about)
    if preview.already_imported:
        return ResultDialog(ACK_TITLE, f"{about}, đã được nhập trước đây; không có gì để áp dụng.", [], True, parent)
    headline = f"{about}: {len(preview.applies)} hồ sơ sẽ được cập nhật, {len(preview.unchanged)} hồ sơ không đổi."
    lines = sections(("Sẽ cập nhật:", preview.applies), ("Không đổi (đã ghi nhận trước đây):", preview.unchanged))
    return ResultDialog(ACK_TITLE, headline, lines, None, parent, question=APPLY_QUESTION, action="Áp dụng")


def ack_dialog(result: AckResult, parent: QWidget | None = None) -> ResultDialog:
    if result.already_imported:
        headline = (f"Biên nhận này của gói số {result.package_sequence} đã được nhập trước đây; "
                    "không có gì thay đổi.")
    else:
        headline = (f"Đã nhập biên nhận của gói số {result.package_sequence}: "
                    f"{len(result.applied)} hồ sơ được cập nhật, {len(result.unchanged)} hồ sơ không đổi.")
    lines = sections(("Cập nhật:", result.applied), ("Không đổi (đã ghi nhận trước đây):", result.unchanged))
    return ResultDialog(ACK_TITLE, headline, lines, True, parent)


def ack_conflict_dialog(conflicts: Sequence[str], parent: QWidget | None = None,
                        about: str = "Biên nhận") -> ResultDialog:
    headline = (f"{about} mâu thuẫn với kết quả đã ghi nhận trước đây ({len(conflicts)} điểm). "
                "Không áp dụng nội dung nào của biên nhận này; hãy liên hệ Sở Nội vụ để làm rõ.")
    return ResultDialog("Biên nhận mâu thuẫn", headline, [f"• {line}" for line in conflicts], False, parent)


def adopt_question_dialog(path: Path, parent: QWidget | None = None) -> ResultDialog:
    return ResultDialog(ADOPT_TITLE, f"Nhận lại gói «{path.name}» như một gói xã đã xuất?", [], None, parent,
                        question=f"{ADOPT_WHEN}\n\n{ADOPT_QUESTION}", action="Nhận lại")


def adopt_dialog(result: AdoptResult, parent: QWidget | None = None) -> ResultDialog:
    headline = (f"Đã nhận lại gói số {result.sequence} ({result.record_count} hồ sơ) từ tệp «{result.path.name}»: "
                "các đề nghị trong gói được ghi nhận là đã gửi, chờ biên nhận của tỉnh.")
    return ResultDialog(ADOPT_TITLE, headline, [], True, parent)


def refusal_dialog(error: Exception, title: str, headline: str, parent: QWidget | None = None) -> ResultDialog | None:
    """The service's reason under `headline`; None for a cancel (nothing to say). An error the
    officer cannot act on is raised again, for the program's log."""
    if isinstance(error, CancelledError):
        return None
    if isinstance(error, DomainError | StorageError):
        return ResultDialog(title, headline, [str(error)], False, parent)
    raise error


def show_progress(task: Task, parent: QWidget, text: str, title: str, cancellable: bool) -> None:
    """A progress window for `task`, shown if it lasts; «Hủy» cancels it when `cancellable`."""
    progress = QProgressDialog(text, "Hủy", 0, 0, parent)
    progress.setWindowTitle(title)
    progress.setMinimumDuration(PROGRESS_DELAY_MS)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.canceled.connect(task.cancel)
    if not cancellable:  # one transaction, quick: nothing to stop halfway
        progress.setCancelButton(None)
    task.progressed.connect(lambda done, total: (progress.setMaximum(total), progress.setValue(done)))
    task.finished.connect(lambda: (progress.reset(), progress.deleteLater()))


class FileTasks(QObject):
    """The tab's file tasks, one at a time: a package checked, an acknowledgement read then
    applied on «Áp dụng», a package taken back after «Nhận lại». Each has its progress window
    and its answer in `result_dialog` (kept until the next replaces it). `busy_changed` when
    one starts or ends, `finished` after each; `recorded(package uuid, moved)` once the
    database took an acknowledgement or a package (`moved`: nominations changed step)."""

    busy_changed = Signal()
    finished = Signal()
    recorded = Signal(str, bool)

    def __init__(self, packages: PackageService, data_folder: Path, read_pool: QThreadPool,
                 write_pool: QThreadPool, parent: QWidget) -> None:
        super().__init__(parent)
        self._packages = packages
        self._data_folder = data_folder
        self._read_pool = read_pool
        self._write_pool = write_pool
        self._parent = parent
        self._task: Task | None = None
        self.result_dialog: ResultDialog | None = None

    @property
    def busy(self) -> bool:
        return self._task is not None

    def verify(self, path: Path) -> Task:
        """Check a package file (read only, cancellable) and show what was found."""
        packages, title = self._packages, "Kiểm tra tệp gói hồ sơ"
        return self._start(Task(lambda report: packages.verify(path, report)), self._read_pool,
                           f"Đang kiểm tra tệp «{path.name}»…", title, True,
                           lambda found: self._show(verification_dialog(found, self._parent)),
                           lambda error: self._refused(error, title, "Không kiểm tra được tệp gói."))

    def import_ack(self, path: Path) -> Task:
        """Read what an acknowledgement would change (read only) and show it; «Áp dụng» applies it."""
        packages = self._packages
        return self._start(Task(lambda _report: packages.preview_ack(path)), self._read_pool,
                           f"Đang đọc biên nhận «{path.name}»…", ACK_TITLE, False,
                           lambda preview: self._on_ack_previewed(path, preview), self._on_ack_failed)

    def apply_ack(self, path: Path, sha256: str) -> Task:
        """Apply the acknowledgement previewed, all of it or nothing; refused if the file changed since."""
        packages = self._packages
        return self._start(Task(lambda _report: packages.import_ack(path, sha256)), self._write_pool,
                           f"Đang áp dụng biên nhận «{path.name}»…", ACK_TITLE, False,
                           self._on_ack_imported, self._on_ack_failed)

    def adopt(self, path: Path) -> ResultDialog:
        """Say when taking a package back is right and ask; «Nhận lại» records it on the write pool."""
        dialog = adopt_question_dialog(path, self._parent)
        dialog.accepted.connect(lambda: self._adopt(path))
        self._show(dialog)
        return dialog

    def _adopt(self, path: Path) -> Task:
        packages, data_folder = self._packages, self._data_folder
        return self._start(Task(lambda _report: packages.adopt(path, data_folder)), self._write_pool,
                           f"Đang kiểm tra và nhận lại gói «{path.name}»…", ADOPT_TITLE, False, self._on_adopted,
                           lambda error: self._refused(error, ADOPT_TITLE,
                                                       "Không nhận lại được gói; không có gì thay đổi."))

    def _start(self, task: Task, pool: QThreadPool, text: str, title: str, cancellable: bool,
               succeeded: Callable[[Any], None], failed: Callable[[Exception], None]) -> Task:
        show_progress(task, self._parent, text, title, cancellable)
        task.succeeded.connect(succeeded)
        task.failed.connect(failed)
        task.finished.connect(self._on_finished)
        self._task = task
        self.busy_changed.emit()
        task.start(pool)
        return task

    def _on_finished(self) -> None:
        self._task = None
        self.busy_changed.emit()
        self.finished.emit()

    def _show(self, dialog: ResultDialog | None) -> None:
        if dialog is None:
            return
        if self.result_dialog is not None:
            self.result_dialog.deleteLater()
        self.result_dialog = dialog
        dialog.open()

    def _refused(self, error: Exception, title: str, headline: str) -> None:
        self._show(refusal_dialog(error, title, headline, self._parent))

    def _on_ack_previewed(self, path: Path, preview: AckPreview) -> None:
        dialog = ack_preview_dialog(preview, self._parent)
        if dialog.apply_button is not None:
            dialog.accepted.connect(lambda: self.apply_ack(path, preview.sha256))
        self._show(dialog)

    def _on_ack_imported(self, result: AckResult) -> None:
        self._show(ack_dialog(result, self._parent))
        self.recorded.emit("", bool(result.applied))

    def _on_ack_failed(self, error: Exception) -> None:
        from app.package.acks import AckConflictError  # loaded with the service that raised it

        if isinstance(error, AckConflictError):
            self._show(ack_conflict_dialog(error.conflicts, self._parent))
        else:
            self._refused(error, "Không nhập được biên nhận", "Không nhập được biên nhận; không có gì thay đổi.")

    def _on_adopted(self, result: AdoptResult) -> None:
        self._show(adopt_dialog(result, self._parent))
        self.recorded.emit(result.package_uuid, True)
