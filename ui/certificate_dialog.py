"""«In Giấy khen»: the certificates of one issued decision, printed on blank paper in full or as
text on pre-printed blanks, entered in the year's certificate book as they are printed.

Printing goes through the certificate service first: the first printing of a certificate gives
it its book number (số vào sổ) and every printing is logged; a reprint needs a reason. The PDF
the service returns (with the numbers on it) is then sent to the printer chosen in the dialog,
in the same background task. If the printer fails after the book was written, the dialog says
so: the certificates keep their numbers and printing them again is a reprint.

Every step that reads or writes the database runs on the dialog's pool (the write pool), one
at a time: whether a reprint needs a reason, saving the printer's shift, the wording. A step
that asks the officer something (the reason, the file) comes once the step before has ended.
How to print (mode, blank, printer, shift) is chosen in `ui/certificate_settings.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.certificates import BLANK_TYPES, CertificateService
from app.documents.kinds import FieldValue, Kind, Owner
from app.errors import CancelledError, DomainError
from app.roles import Permission
from app.services import Services
from db.engine import StorageError
from ui.background import Report, Task
from ui.certificate_log_dialog import CertificateLogDialog
from ui.certificate_printing import (
    Printed,
    PrintJob,
    ask_pdf_path,
    installed_printers,
    open_printer,
    reprint_question,
)
from ui.certificate_settings import BLANK, PrintSettings
from ui.certificate_tables import CertificateColumn, CertificateTableModel
from ui.certificate_wording import CertificateWording
from ui.decision_tables import RowTable, day_text
from ui.dialogs import ask_reason
from ui.document_preview import PreviewDialog, file_name
from ui.document_text_dialog import DocumentTextDialog
from ui.form import ERROR_STYLE
from ui.pdf_printing import print_pdf
from ui.task_dialog import TaskDialog

CANNOT_PRINT = "Tài khoản của bạn chỉ được xem trước Giấy khen, không được in hay vào sổ."
CANNOT_EDIT = "Tài khoản của bạn không được sửa lời văn Giấy khen."
NO_CERTIFICATES = ("Quyết định này không có Giấy khen để in (danh hiệu «Lao động tiên tiến» không có mẫu "
                   "Giấy khen; các danh hiệu khác có giấy chứng nhận riêng).")
PREVIEW_NOTE = ("Bản xem trước, chưa vào sổ: số vào sổ trên đó là số sẽ cấp khi in. In hoặc lưu PDF ở cửa sổ "
                "«In Giấy khen» để Giấy khen được vào sổ.")
NOT_IN_BOOK = "Chưa có Giấy khen nào được vào sổ hay ghi là đã in."


class CertificateDialog(TaskDialog):
    """The Giấy khen of decision `decision_id`; `changed` once certificates were printed or saved."""

    changed = Signal()

    def __init__(self, services: Services, pool: QThreadPool, decision_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._certificates: CertificateService = services.certificates
        self._pool = pool
        self._decision_id = decision_id
        self._may_print = services.actor.can(Permission.NUMBER_DOCUMENTS)
        self._may_edit = services.actor.can(Permission.RUN_EMULATION)
        self._next: Callable[[], None] | None = None  # the step after the running task
        self.preview_dialog: PreviewDialog | None = None
        self.text_dialog: DocumentTextDialog | None = None
        self.log_dialog: CertificateLogDialog | None = None
        decision = services.decisions.detail(decision_id).decision
        self._year = decision.decided_on.year if decision.decided_on else decision.year
        self._title = f"Giấy khen – Quyết định số {decision.number}"
        self.setWindowTitle(f"In Giấy khen – Quyết định số {decision.number}")
        self.resize(940, 760)

        self.heading = QLabel(f"<b>Giấy khen theo Quyết định số {decision.number}</b> ngày "
                              f"{day_text(decision.decided_on)}: {decision.abstract}")
        self.heading.setWordWrap(True)
        self.certificates = CertificateTableModel(self)
        self.certificates.ticked.connect(self._update)
        self.table = RowTable(self.certificates, CertificateColumn.SUBJECT)
        self.choose_all_button = QPushButton("Chọn tất cả")
        self.choose_all_button.clicked.connect(lambda: self.certificates.choose_all(True))
        self.choose_none_button = QPushButton("Bỏ chọn")
        self.choose_none_button.clicked.connect(lambda: self.certificates.choose_all(False))
        self.count = QLabel()
        self.count.setWordWrap(True)
        printers, default = installed_printers()
        self.settings = PrintSettings(self._certificates, self._may_print, pool, printers, default)
        self.settings.offsets.calibration_requested.connect(self._on_calibration_requested)
        self.settings.changed.connect(lambda: self._set_busy(self.is_busy()))
        self.offsets = self.settings.offsets

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.stop_button = QPushButton("Dừng")
        self.stop_button.clicked.connect(self._on_stop_clicked)
        self.stop_button.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.wording_button = QPushButton("Sửa lời văn…")
        self.wording_button.clicked.connect(self._on_wording_clicked)
        self.preview_button = QPushButton("Xem trước")
        self.preview_button.clicked.connect(self._on_preview_clicked)
        self.print_button = QPushButton("In…")
        self.print_button.clicked.connect(self._on_print_clicked)
        self.save_button = QPushButton("Lưu PDF…")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.log_button = QPushButton("Sổ Giấy khen…")
        self.log_button.clicked.connect(self._on_log_clicked)
        self.close_button = QPushButton("Đóng")
        self.close_button.clicked.connect(self.reject)
        if not self._may_print:
            for button in (self.print_button, self.save_button):
                button.setToolTip(CANNOT_PRINT)
        if not self._may_edit:
            self.wording_button.setToolTip(CANNOT_EDIT)

        choose = QHBoxLayout()
        for button in (self.choose_all_button, self.choose_none_button):
            button.setAutoDefault(False)
        choose.addWidget(self.choose_all_button)
        choose.addWidget(self.choose_none_button)
        choose.addWidget(self.count, 1)
        progress = QHBoxLayout()
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.stop_button)
        buttons = QHBoxLayout()
        for button in (self.wording_button, self.preview_button, self.print_button, self.save_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.log_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(choose)
        layout.addWidget(self.settings)
        layout.addWidget(self.status)
        layout.addLayout(progress)
        layout.addLayout(buttons)
        self.reload()
        if not self._may_print and self.certificates.rowCount():
            self._show_status(CANNOT_PRINT)
        self._set_busy(False)

    # --- state ---------------------------------------------------------------------------

    def reload(self, chosen: set[int] | None = None) -> None:
        """Read the certificates again (numbers and print counts), keeping `chosen` ticked."""
        try:
            rows = self._certificates.rows(self._decision_id)
        except (DomainError, StorageError) as error:
            rows = []
            self._show_error(str(error))
        self.certificates.set_rows(rows, chosen)
        if not rows and not self.status.text():
            self.status.setText(NO_CERTIFICATES)

    def _update(self) -> None:
        rows = self.certificates.rows()
        chosen = set(self.certificates.chosen())
        again = [row for row in rows if row.item_id in chosen and row.prints]
        numbered = sum(1 for row in rows if row.book_number is not None)
        text = (f"Đã chọn {len(chosen)}/{sum(1 for row in rows if not row.revoked)} Giấy khen; "
                f"{numbered} đã vào sổ.")
        if again:
            text += f" {len(again)} Giấy khen đã chọn từng in: in lại phải ghi lý do."
        self.count.setText(text)
        self._set_busy(self.is_busy())

    def _set_busy(self, busy: bool) -> None:
        """`busy`: the dialog's job runs; the shift box's read or save also holds the jobs back."""
        has_rows = self.certificates.rowCount() > 0
        chosen = bool(self.certificates.chosen())
        has_printer = bool(self.settings.printer_name())
        free = not busy and not self.offsets.busy
        self.progress.setVisible(busy)
        self.stop_button.setVisible(busy)
        for widget in (self.choose_all_button, self.choose_none_button, self.table):
            widget.setEnabled(not busy and has_rows)
        self.settings.set_enabled(not busy, has_rows)
        self.wording_button.setEnabled(free and has_rows and self._may_edit)
        self.preview_button.setEnabled(free and chosen)
        self.print_button.setEnabled(free and chosen and has_printer and self._may_print)
        self.save_button.setEnabled(free and chosen and self._may_print)

    def _show_error(self, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE)

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("")

    # --- the reason of a reprint ----------------------------------------------------------

    def _with_reason(self, item_ids: Sequence[int], proceed: Callable[[str], None]) -> None:
        """Ask the book whether any of the items was printed before (in the background), then
        `proceed("")` for a first printing or `proceed(reason)` with the reason typed."""
        certificates, ids = self._certificates, list(item_ids)
        self._start(lambda _report: certificates.needs_reason(ids), "Đang kiểm tra sổ Giấy khen…",
                    lambda needed: self._then(lambda: self._ask_reason(ids, bool(needed), proceed)))

    def _ask_reason(self, item_ids: Sequence[int], needed: bool, proceed: Callable[[str], None]) -> None:
        self._show_status("")
        if not needed:
            proceed("")
            return
        ids = set(item_ids)
        printed = [row for row in self.certificates.rows() if row.item_id in ids and row.prints]
        reason = ask_reason(self, "In lại Giấy khen", reprint_question(printed), "In lại")
        if reason is None:
            return
        if not reason.strip():
            self._show_error("Chưa in: in lại Giấy khen phải ghi lý do.")
            return
        proceed(reason.strip())

    def _then(self, step: Callable[[], None]) -> None:
        """Run `step` once the task running has finished (it may start the next task)."""
        self._next = step

    def _on_task_finished(self) -> None:
        super()._on_task_finished()
        step, self._next = self._next, None
        if step is not None and self.isVisible():
            step()

    # --- slots ---------------------------------------------------------------------------

    def _on_print_clicked(self) -> None:
        ids = self.certificates.chosen()
        self._with_reason(ids, lambda reason: self._print(ids, reason))

    def _print(self, ids: list[int], reason: str) -> None:
        """Keep the shift typed first when printing on blanks, then print."""
        mode, blank, name = self.settings.mode(), self.settings.blank(), self.settings.printer_name()
        job = PrintJob(self._certificates, self._decision_id, ids, mode, name, reason, blank)
        if mode == BLANK:
            self.offsets.save_if_changed(lambda: self._send(job))
        else:
            self._send(job)

    def _send(self, job: PrintJob) -> None:
        printer = open_printer(job.printer_name, self._title)

        def work(report: Report) -> Printed:
            return job.run(printer, report)

        self._start(work, f"Đang vào sổ và gửi {len(job.item_ids)} Giấy khen tới máy in «{job.printer_name}»…",
                    self._on_printed, NOT_IN_BOOK)

    def _on_printed(self, printed: Printed) -> None:
        self.reload(set(self.certificates.chosen()))
        self.changed.emit()
        error = printed.error
        if error is None:
            self._show_status(f"Đã vào sổ và gửi {printed.count} Giấy khen ({printed.pages} trang) tới máy in "
                              f"«{self.settings.printer_name()}».")
            return
        book = (f"{printed.count} Giấy khen đã vào sổ và được ghi là đã in, nhưng máy in chưa in xong: "
                "khi in lại, hãy ghi lý do (ví dụ «máy in lỗi»).")
        if isinstance(error, CancelledError):
            self._show_error(f"Đã dừng in. {book}")
        elif isinstance(error, DomainError | StorageError):
            self._show_error(f"Không in được: {error} {book}")
        else:
            self._show_error(f"Không in được do lỗi không mong muốn (đã ghi vào nhật ký). {book}")
            raise error

    def _on_save_clicked(self) -> None:
        ids = self.certificates.chosen()
        self._with_reason(ids, lambda reason: self._save(ids, reason))

    def _save(self, ids: list[int], reason: str) -> None:
        path = ask_pdf_path(self, "Lưu Giấy khen ra tệp PDF", file_name(self._title, ".pdf"))
        if path is None:
            return
        certificates, decision_id = self._certificates, self._decision_id
        mode, blank = self.settings.mode(), self.settings.blank()
        self._start(lambda report: certificates.write(decision_id, ids, mode, path, reason, blank, report),
                    f"Đang vào sổ và lưu {len(ids)} Giấy khen…", lambda count: self._on_saved(count, path),
                    NOT_IN_BOOK)

    def _on_saved(self, count: int, path: Path) -> None:
        self.reload(set(self.certificates.chosen()))
        self.changed.emit()
        self._show_status(f"Đã vào sổ và lưu {count} Giấy khen vào tệp {path}.")

    def _on_preview_clicked(self) -> None:
        ids = self.certificates.chosen()
        certificates, decision_id = self._certificates, self._decision_id
        mode, blank, name = self.settings.mode(), self.settings.blank(), self.settings.printer_name()
        self._start(lambda _report: certificates.preview(decision_id, ids, mode, name, blank),
                    "Đang soạn bản xem trước…", self._on_previewed)

    def _on_previewed(self, data: bytes) -> None:
        self._show_status("" if self._may_print else CANNOT_PRINT)
        self.preview_dialog = PreviewDialog(self._services, Kind.CERTIFICATE, [Owner("decision", self._decision_id)],
                                            data, self._pool, self._pool, self._title, self)
        # Printing or saving from the preview would skip the book: it is done from this dialog.
        for button in (self.preview_dialog.print_button, self.preview_dialog.save_pdf_button,
                       self.preview_dialog.save_word_button, self.preview_dialog.edit_button):
            button.hide()
        self.preview_dialog.status.setText(PREVIEW_NOTE)
        self.preview_dialog.open()

    def _on_calibration_requested(self) -> None:
        self.offsets.save_if_changed(self._print_calibration)

    def _print_calibration(self) -> None:
        blank, name = self.settings.blank(), self.settings.printer_name()
        printer = open_printer(name, f"Trang căn chỉnh – {BLANK_TYPES[blank]}")
        certificates = self._certificates

        def work(report: Report) -> int:
            return print_pdf(certificates.calibration_page(blank, name), printer, report)

        self._start(work, f"Đang in trang căn chỉnh tới máy in «{name}»…",
                    lambda _pages: self._show_status(
                        f"Đã gửi trang căn chỉnh tới máy in «{name}». Đo vị trí dấu cộng «GỐC ĐO», nhập số đo "
                        "rồi bấm «Tính độ lệch» và «Lưu độ lệch»."))

    def _on_wording_clicked(self) -> None:
        certificates, decision_id = self._certificates, self._decision_id
        self._start(lambda _report: certificates.fields(decision_id), "Đang đọc lời văn Giấy khen…",
                    self._open_wording)

    def _open_wording(self, values: list[FieldValue]) -> None:
        self._show_status("")
        ids = [row.item_id for row in self.certificates.rows() if not row.revoked]
        wording = CertificateWording(self._certificates, ids)
        self.text_dialog = DocumentTextDialog(wording, Kind.CERTIFICATE,  # type: ignore[arg-type]
                                              Owner("decision", self._decision_id), values, self._pool,
                                              "Lời văn Giấy khen", self)
        self.text_dialog.open()

    def _on_log_clicked(self) -> None:
        self.log_dialog = CertificateLogDialog(self._services, self._year, self)
        self.log_dialog.open()

    def _start(self, work: Callable[[Report], object], text: str, on_succeeded: Callable[[object], None],
               untouched: str = "") -> None:
        """Run `work` as the dialog's task; `untouched` tells, when it fails, that the book was not."""
        self._show_status(text)
        self.progress.setRange(0, 0)
        task = Task(work)
        task.progressed.connect(self._on_task_progressed)
        self.start_task(task, self._pool, on_succeeded, lambda error: self._on_task_failed(error, untouched))

    def _on_task_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_task_failed(self, error: Exception, untouched: str) -> None:
        if isinstance(error, CancelledError):
            self._show_status(f"Đã dừng. {untouched}".strip())
        elif isinstance(error, DomainError | StorageError):
            self._show_error(f"Chưa thực hiện được: {error} {untouched}".strip())
        else:
            self._show_error(f"Gặp lỗi không mong muốn (đã ghi vào nhật ký). {untouched}".strip())
            raise error
