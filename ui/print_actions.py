"""Printing from a tab: make a document's PDF in the background, then show it in the preview.

A tab holds one `PrintActions` and calls `preview(kind, owners, title)`; several owners (the
achievement reports of the nominations chosen) make one PDF holding every document, each
numbering its own pages. A progress window with «Hủy» shows after half a second, so a quick
document never flashes one; cancelling stops at the next document and opens nothing. A
document that cannot be made (a required signer left empty, the commune not set up) is said
in a message, naming what is missing. The «In ▾» button of the tabs is made here too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QProgressDialog, QToolButton, QWidget

from app.documents.kinds import KIND_LABELS, Kind, Owner
from app.errors import CancelledError, DomainError
from app.services import Services
from db.engine import StorageError
from ui.background import Task
from ui.dialogs import show_error
from ui.document_preview import PreviewDialog

PROGRESS_DELAY_MS = 500
PRINT_BUTTON = "In ▾"


def print_button(entries: Sequence[tuple[str, str]], triggered: Callable[[QAction], None],
                 parent: QWidget | None = None) -> tuple[QToolButton, dict[str, QAction]]:
    """The «In ▾» button: a menu of the documents a tab prints, each `(text, key)`; the
    action chosen goes to `triggered` (`action.data()` is its key). Returns the actions by
    key, to enable them as the selection changes.

    `triggered` should be a bound method: a lambda holding the tab would keep the tab alive
    after it is closed (a reference cycle through Qt), and its dialogs with it.
    """
    button = QToolButton(parent)
    button.setText(PRINT_BUTTON)
    button.setToolTip("Xem trước và in văn bản của dòng đang chọn")
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    # The «▾» in the text says there is a menu; the style's own small arrow would crowd it.
    button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
    menu = QMenu(button)
    actions = {}
    for text, key in entries:
        action = menu.addAction(text)
        action.setData(key)
        actions[key] = action
    menu.triggered.connect(triggered)
    button.setMenu(menu)
    return button, actions


class PrintActions(QObject):
    """Makes documents' PDFs for one widget and opens the preview; `progressed` follows the
    making, `opened` gives the PreviewDialog, `failed` the error of a document not made."""

    progressed = Signal(int, int)
    opened = Signal(object)
    failed = Signal(object)

    def __init__(self, services: Services, parent: QWidget, read_pool: QThreadPool | None = None,
                 write_pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._services = services
        if read_pool is None or write_pool is None:  # a widget made without the app's pools (tests)
            own = QThreadPool(self)
            own.setMaxThreadCount(1)
            read_pool, write_pool = read_pool or own, write_pool or own
        self._pool = read_pool
        self._write_pool = write_pool
        self.task: Task | None = None
        self.progress: QProgressDialog | None = None
        self.dialog: PreviewDialog | None = None

    @property
    def write_pool(self) -> QThreadPool:
        """The pool writes run on (the app's single writer, or this object's own in tests)."""
        return self._write_pool

    def _widget(self) -> QWidget:
        """The widget printing (not kept in an attribute: that would keep it alive)."""
        return cast(QWidget, self.parent())

    def preview(self, kind: Kind, owners: Sequence[Owner], title: str = "") -> Task:
        """Make the PDF of `kind` for `owners` in the background and show it."""
        owners = list(owners)
        label = KIND_LABELS[kind]
        what = label.lower() if len(owners) == 1 else f"{len(owners)} {label.lower()} vào một tệp"
        progress = QProgressDialog(f"Đang soạn {what}…", "Hủy", 0, 0, self._widget())
        progress.setWindowTitle(label)
        progress.setMinimumDuration(PROGRESS_DELAY_MS)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setAutoReset(False)
        progress.setAutoClose(False)
        printing = self._services.printing
        task = Task(lambda report: printing.pdf(kind, owners, report))
        progress.canceled.connect(task.cancel)

        def on_progressed(done: int, total: int) -> None:
            progress.setMaximum(total)
            progress.setValue(done)

        task.progressed.connect(on_progressed)
        task.progressed.connect(self.progressed)
        task.succeeded.connect(lambda data: self._on_made(task, progress, kind, owners, title or label, data))
        task.failed.connect(lambda error: self._on_failed(progress, label, error))
        self.task, self.progress = task, progress
        task.start(self._pool)
        return task

    def _on_made(self, task: Task, progress: QProgressDialog, kind: Kind, owners: list[Owner],
                 title: str, data: bytes) -> None:
        cancelled = task.cancelled  # cancelled as the last page was drawn: open nothing
        _close(progress)
        if cancelled:
            return
        dialog = PreviewDialog(self._services, kind, owners, data, self._pool, self._write_pool, title,
                               self._widget())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.show()
        self.opened.emit(dialog)

    def _on_failed(self, progress: QProgressDialog, label: str, error: Exception) -> None:
        _close(progress)
        if isinstance(error, CancelledError):
            return
        self.failed.emit(error)
        if isinstance(error, DomainError | StorageError):
            show_error(self._widget(), f"Chưa in được {label.lower()}", str(error))
            return
        raise error


def _close(progress: QProgressDialog) -> None:
    """Hide the progress window without its close event (which would emit `canceled`)."""
    progress.canceled.disconnect()
    progress.hide()
    progress.deleteLater()
