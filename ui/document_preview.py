"""«Xem trước»: a printed document as it will come out of the printer, with the ways out of it.

The PDF made by `PrintService.pdf` is shown by QtPdf, every page one under the other. From
here the officer prints it (the system print dialog), saves it as PDF or, for the kinds the
province and the units edit in Word, as .docx, and corrects its text; after a correction the
PDF is made again. Saving, printing and remaking run on a pool, one at a time; closing the
window stops the one running.

A correction that is stored but stops the document building leaves the preview stale: the PDF
shown is the older text, so printing and saving are refused (with a line saying why) until a
correction builds again. The officer never prints a text other than the one stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QStandardPaths, QThreadPool, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.documents.kinds import KIND_LABELS, WORD_KINDS, FieldValue, Kind, Owner
from app.errors import CancelledError, DomainError
from app.roles import Permission
from app.services import Services
from db.engine import StorageError
from ui.background import Report, Task
from ui.dialogs import show_error
from ui.document_text_dialog import DocumentTextDialog
from ui.form import ERROR_STYLE
from ui.pdf_printing import choose_printer, print_pdf
from ui.task_dialog import TaskDialog

PDF_FILTER = "Tệp PDF (*.pdf)"
WORD_FILTER = "Tệp Word (*.docx)"
ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0
POINTS_PER_INCH = 72
DIALOG_WIDTH, DIALOG_HEIGHT = 940, 860  # px; the height is cut to the screen
CANNOT_EDIT = "Tài khoản của bạn chỉ được xem và in, không được sửa nội dung văn bản."
EDIT_ONE = "Văn bản gồm nhiều hồ sơ: hãy xem từng hồ sơ để sửa nội dung của nó."
WORD_ONE = "Bản Word lưu cho từng hồ sơ: hãy xem từng hồ sơ để lưu bản Word của nó."
STALE = ("Nội dung đã lưu chưa in được: {problem} Bản xem trước là nội dung cũ nên chưa in hay lưu tệp "
         "được; hãy bấm «Sửa nội dung…» để sửa lại.")


def file_name(title: str, suffix: str) -> str:
    """A file name from the document's title, without the characters Windows refuses."""
    name = re.sub(r'[\\/:*?"<>|\s]+', " ", title).strip(" .") or "van-ban"
    return f"{name}{suffix}"


class PreviewDialog(TaskDialog):
    """The PDF of one kind for one or several owners; `regenerated` when it was made again."""

    regenerated = Signal()

    def __init__(self, services: Services, kind: Kind, owners: Sequence[Owner], data: bytes,
                 pool: QThreadPool, write_pool: QThreadPool, title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._kind = kind
        self._owners = list(owners)
        self._pool = pool
        self._write_pool = write_pool
        self._title = title or KIND_LABELS[kind]
        self._data = b""
        self._buffer: QBuffer | None = None
        self.text_dialog: DocumentTextDialog | None = None
        self._regenerate_after = False  # an edit saved while a print or save was running
        self._stale = ""  # why the stored text cannot be printed; "" when the PDF shown is it
        self.setWindowTitle(f"Xem trước: {self._title}")
        self.setSizeGripEnabled(True)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.pageNavigator().currentPageChanged.connect(self._update_page_label)

        self.zoom_out_button = QPushButton("Thu nhỏ")
        self.zoom_out_button.setToolTip("Thu nhỏ trang (Ctrl+−)")
        self.zoom_out_button.setShortcut("Ctrl+-")
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.zoom_in_button = QPushButton("Phóng to")
        self.zoom_in_button.setToolTip("Phóng to trang (Ctrl++)")
        self.zoom_in_button.setShortcut("Ctrl++")
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.fit_button = QPushButton("Vừa chiều rộng")
        self.fit_button.setToolTip("Trang vừa khít chiều rộng cửa sổ")
        self.fit_button.clicked.connect(self.fit_width)
        self.page_label = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.stale_label = QLabel()
        self.stale_label.setWordWrap(True)
        self.stale_label.setStyleSheet(ERROR_STYLE)
        self.stale_label.hide()
        self.stop_button = QPushButton("Dừng")
        self.stop_button.clicked.connect(self._on_stop_clicked)
        self.stop_button.hide()

        self.print_button = QPushButton("In…")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.save_pdf_button = QPushButton("Lưu PDF…")
        self.save_pdf_button.clicked.connect(self._on_save_pdf_clicked)
        self.save_word_button = QPushButton("Lưu Word…")
        self.save_word_button.clicked.connect(self._on_save_word_clicked)
        self.save_word_button.setVisible(kind in WORD_KINDS)
        self.edit_button = QPushButton("Sửa nội dung…")
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.close_button = QPushButton("Đóng")
        self.close_button.clicked.connect(self.reject)
        self._can_edit = services.actor.can(Permission.RUN_EMULATION)
        if not self._can_edit:
            self.edit_button.setToolTip(CANNOT_EDIT)
        elif len(self._owners) > 1:
            self.edit_button.setToolTip(EDIT_ONE)
        if len(self._owners) > 1:
            self.save_word_button.setToolTip(WORD_ONE)

        top = QHBoxLayout()
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            top.addWidget(widget)
        top.addSpacing(12)
        top.addWidget(self.page_label)
        top.addStretch(1)
        bottom = QHBoxLayout()
        for widget in (self.print_button, self.save_pdf_button, self.save_word_button, self.edit_button):
            bottom.addWidget(widget)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.stop_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.stale_label)
        layout.addLayout(bottom)
        screen = self.screen().availableGeometry()
        self.resize(min(DIALOG_WIDTH, screen.width()), min(DIALOG_HEIGHT, screen.height() - 60))
        self.set_pdf(data)
        self._set_busy(False)

    @property
    def data(self) -> bytes:
        return self._data

    def page_count(self) -> int:
        return self.document.pageCount()

    def set_pdf(self, data: bytes) -> None:
        """Show another PDF (the same document made again), keeping the zoom."""
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)  # reads from the buffer while open: keep it until replaced
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self._data = data
        self._update_page_label()

    # --- zoom --------------------------------------------------------------------------

    def zoom_in(self) -> None:
        self._set_zoom(self._current_zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self._current_zoom() / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(max(factor, MIN_ZOOM), MAX_ZOOM))

    def _current_zoom(self) -> float:
        """The zoom shown: QPdfView keeps its factor at 1 while fitting the width."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or self.page_count() == 0:
            return self.view.zoomFactor()
        margins = self.view.documentMargins()
        width = self.view.viewport().width() - margins.left() - margins.right()
        page = self.document.pagePointSize(self.view.pageNavigator().currentPage())
        return width / max(page.width() * self.logicalDpiX() / POINTS_PER_INCH, 1.0)

    def _update_page_label(self) -> None:
        count = self.page_count()
        current = self.view.pageNavigator().currentPage() + 1
        self.page_label.setText(f"Trang {min(max(current, 1), count)}/{count}" if count else "")

    # --- printing, saving, editing -------------------------------------------------------

    def print_to(self, printer: QPrinter) -> None:
        """Send the PDF shown to a printer chosen already (QPrinter), in the background."""
        data, name = self._data, printer.printerName() or printer.outputFileName()
        self._run(lambda report: print_pdf(data, printer, report), "Đang in: trang {done}/{total}…",
                  lambda pages: f"Đã gửi {pages} trang tới máy in «{name}».", "Không in được", "Đã dừng in.")

    def save_pdf(self, path: Path) -> None:
        """Write the documents to `path` as PDF (through a temporary file), in the background."""
        printing, kind, owners = self._services.printing, self._kind, self._owners
        self._run(lambda report: printing.write_pdf(kind, owners, path, report), "Đang lưu tệp PDF… {percent}%",
                  lambda pages: f"Đã lưu {pages} trang vào tệp {path}.", "Không lưu được tệp PDF",
                  "Đã dừng; chưa lưu tệp.")

    def save_word(self, path: Path) -> None:
        """Write the Word copy of the one document shown to `path`, in the background."""
        printing, kind, owner = self._services.printing, self._kind, self._owners[0]
        self._run(lambda _report: printing.write_docx(kind, owner, path), "Đang lưu tệp Word…",
                  lambda _result: f"Đã lưu bản Word vào tệp {path}.", "Không lưu được tệp Word",
                  "Đã dừng; chưa lưu tệp.")

    def _run(self, work: Callable[[Report], Any], step: str, done: Callable[[Any], str], failure: str,
             cancelled: str) -> None:
        """Run one job as the dialog's task; `step` shows its progress ({done}, {total},
        {percent}), `done(result)` how it ended; a failure is said under the title `failure`."""
        task = Task(work)
        self.status.setText(step.format(done=0, total="…", percent=0))
        task.progressed.connect(lambda count, total: self.status.setText(
            step.format(done=min(count + 1, total), total=total, percent=100 * count // max(total, 1))))
        self.start_task(task, self._pool, lambda result: self.status.setText(done(result)),
                        lambda error: self._on_failed(error, failure, cancelled))

    @property
    def stale(self) -> str:
        """Why the stored text cannot be printed while the older PDF is shown; "" when current."""
        return self._stale

    def edit_texts(self) -> None:
        """Read the text of the one document shown (in the background: loading a session's
        candidates takes a while), then open it for correction; the PDF is made again after."""
        if self.is_busy():
            return
        printing, kind, owner = self._services.printing, self._kind, self._owners[0]
        self.status.setText("Đang đọc nội dung văn bản…")
        self.start_task(Task(lambda _report: printing.fields(kind, owner)), self._pool, self._open_texts,
                        lambda error: self._on_failed(error, "Không mở được nội dung văn bản", "Đã dừng."))

    def _open_texts(self, values: list[FieldValue]) -> None:
        self.status.clear()
        self.text_dialog = DocumentTextDialog(self._services.printing, self._kind, self._owners[0], values,
                                              self._write_pool, self._title, self)
        self.text_dialog.saved.connect(self.regenerate)
        self.text_dialog.unprintable.connect(self.mark_stale)
        self.text_dialog.open()

    def mark_stale(self, problem: str) -> None:
        """The stored text no longer builds: refuse printing the older PDF, saying why."""
        self._stale = problem
        self.stale_label.setText(STALE.format(problem=problem))
        self.stale_label.show()
        self._set_busy(self.is_busy())

    def regenerate(self) -> None:
        """Make the PDF again from the data and the edits, in the background."""
        if self.is_busy():
            self._regenerate_after = True
            return
        printing, kind, owners = self._services.printing, self._kind, self._owners
        self.status.setText("Đang soạn lại văn bản…")
        self.start_task(Task(lambda report: printing.pdf(kind, owners, report)), self._pool,
                        self._on_regenerated, self._on_regenerate_failed)

    def _on_regenerated(self, data: bytes) -> None:
        self.set_pdf(data)
        self._stale = ""
        self.stale_label.hide()
        self.status.setText("Đã soạn lại theo nội dung vừa sửa.")
        self.regenerated.emit()

    def _on_regenerate_failed(self, error: Exception) -> None:
        if isinstance(error, DomainError):  # the stored text does not build: the PDF shown is older
            self.mark_stale(str(error))
        self._on_failed(error, "Không soạn lại được văn bản", "Đã dừng.")

    def _on_failed(self, error: Exception, title: str, cancelled: str) -> None:
        if isinstance(error, CancelledError):
            self.status.setText(cancelled)
            return
        self.status.clear()
        if isinstance(error, DomainError | StorageError):
            show_error(self, title, str(error))
            return
        self.status.setText(f"{title}: lỗi không mong muốn (đã ghi vào nhật ký).")
        raise error

    def _set_busy(self, busy: bool) -> None:
        current = not busy and not self._stale
        for button in (self.print_button, self.save_pdf_button):
            button.setEnabled(current)
        self.save_word_button.setEnabled(current and len(self._owners) == 1)
        self.edit_button.setEnabled(not busy and self._can_edit and len(self._owners) == 1)
        self.stop_button.setVisible(busy)

    def _on_task_finished(self) -> None:
        super()._on_task_finished()
        if self._regenerate_after:
            self._regenerate_after = False
            self.regenerate()

    def _on_print_clicked(self) -> None:
        printer = choose_printer(self, self._title, self.page_count())
        if printer is not None:
            self.print_to(printer)

    def _on_save_pdf_clicked(self) -> None:
        path = self._ask_path("Lưu văn bản ra tệp PDF", ".pdf", PDF_FILTER)
        if path is not None:
            self.save_pdf(path)

    def _on_save_word_clicked(self) -> None:
        path = self._ask_path("Lưu bản Word của văn bản", ".docx", WORD_FILTER)
        if path is not None:
            self.save_word(path)

    def _on_edit_clicked(self) -> None:
        self.edit_texts()

    def _ask_path(self, caption: str, suffix: str, file_filter: str) -> Path | None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder) / file_name(self._title, suffix)) if folder else file_name(self._title, suffix)
        chosen, _filter = QFileDialog.getSaveFileName(self, caption, suggested, file_filter)
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)

