"""«In Giấy khen»: the certificates of one issued decision, printed on blank paper in full or as
text on pre-printed blanks, entered in the year's certificate book as they are printed.

Printing goes through the certificate service first: the first printing of a certificate gives
it its book number (số vào sổ) and every printing is logged; a reprint needs a reason. The PDF
the service returns (with the numbers on it) is then sent to the printer chosen in the dialog,
in the same background task. If the printer fails after the book was written, the dialog says
so: the certificates keep their numbers and printing them again is a reprint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.certificates import BLANK_TYPES, DEFAULT_BLANK, CertificateService
from app.documents.kinds import Kind, Owner
from app.errors import CancelledError, DomainError
from app.roles import Permission
from app.services import Services
from db.engine import StorageError
from ui.background import Report, Task
from ui.blank_offsets import OffsetsBox
from ui.certificate_log_dialog import CertificateLogDialog
from ui.certificate_printing import Printed, PrintJob, ask_pdf_path, installed_printers, open_printer
from ui.certificate_tables import CertificateColumn, CertificateTableModel, book_text
from ui.certificate_wording import CertificateWording
from ui.decision_tables import RowTable, day_text
from ui.dialogs import ask_reason
from ui.document_preview import PreviewDialog, file_name
from ui.document_text_dialog import DocumentTextDialog
from ui.form import ERROR_STYLE
from ui.pdf_printing import print_pdf
from ui.task_dialog import TaskDialog

FULL = "full"
BLANK = "blank"
NO_PRINTER = ("Máy tính này chưa cài máy in nào nên chưa in được; vẫn lưu được Giấy khen ra tệp PDF "
              "(«Lưu PDF…») để in ở máy khác.")
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

        self.full_mode = QRadioButton("In đầy đủ trên giấy trắng")
        self.blank_mode = QRadioButton("In lên phôi in sẵn")
        self.modes = QButtonGroup(self)
        self.modes.addButton(self.full_mode)
        self.modes.addButton(self.blank_mode)
        self.full_mode.setChecked(True)
        self.blank_type = QComboBox()
        for code, label in BLANK_TYPES.items():
            self.blank_type.addItem(label, code)
        self.blank_type.setCurrentIndex(max(self.blank_type.findData(DEFAULT_BLANK), 0))
        self.printer = QComboBox()
        printers, default = installed_printers()
        self.printer.addItems(printers)
        if default in printers:
            self.printer.setCurrentIndex(printers.index(default))
        self.no_printer = QLabel(NO_PRINTER)
        self.no_printer.setWordWrap(True)
        self.no_printer.setStyleSheet(ERROR_STYLE)
        self.no_printer.setVisible(not printers)
        self.printer.setVisible(bool(printers))
        self.offsets = OffsetsBox(self._certificates, self._may_print)
        self.offsets.calibration_requested.connect(self._on_calibration_requested)
        self.modes.buttonToggled.connect(lambda *_: self._on_setting_changed())
        self.blank_type.currentIndexChanged.connect(lambda *_: self._on_setting_changed())
        self.printer.currentIndexChanged.connect(lambda *_: self._on_setting_changed())

        mode_row = QHBoxLayout()
        mode_row.addWidget(self.full_mode)
        mode_row.addSpacing(16)
        mode_row.addWidget(self.blank_mode)
        mode_row.addWidget(self.blank_type)
        mode_row.addStretch(1)
        settings = QGroupBox("In ra")
        form = QFormLayout(settings)
        form.addRow("Cách in", mode_row)
        printer_row = QVBoxLayout()
        printer_row.addWidget(self.printer)
        printer_row.addWidget(self.no_printer)
        form.addRow("Máy in", printer_row)

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
        layout.addWidget(settings)
        layout.addWidget(self.offsets)
        layout.addWidget(self.status)
        layout.addLayout(progress)
        layout.addLayout(buttons)
        self.reload()
        if not self._may_print and self.certificates.rowCount():
            self._show_status(CANNOT_PRINT)
        self._on_setting_changed()

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

    def mode(self) -> str:
        return BLANK if self.blank_mode.isChecked() else FULL

    def blank(self) -> str:
        return str(self.blank_type.currentData())

    def printer_name(self) -> str:
        return self.printer.currentText() if self.printer.count() else ""

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
        has_rows = self.certificates.rowCount() > 0
        chosen = bool(self.certificates.chosen())
        has_printer = bool(self.printer_name())
        self.progress.setVisible(busy)
        self.stop_button.setVisible(busy)
        for widget in (self.choose_all_button, self.choose_none_button, self.table, self.full_mode,
                       self.blank_mode, self.printer):
            widget.setEnabled(not busy and (has_rows or widget is self.printer))
        self.blank_type.setEnabled(not busy and self.mode() == BLANK)
        self.offsets.setEnabled(not busy)
        self.wording_button.setEnabled(not busy and has_rows and self._may_edit)
        self.preview_button.setEnabled(not busy and chosen)
        self.print_button.setEnabled(not busy and chosen and has_printer and self._may_print)
        self.save_button.setEnabled(not busy and chosen and self._may_print)

    def _show_error(self, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE)

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("")

    def _on_setting_changed(self) -> None:
        self.offsets.setVisible(self.mode() == BLANK)
        self.offsets.load(self.printer_name(), self.blank())
        self._set_busy(self.is_busy())

    # --- the reason of a reprint ----------------------------------------------------------

    def _reprint_reason(self, item_ids: Sequence[int]) -> str | None:
        """"" for a first printing, the reason typed for a reprint; None (said) when refused."""
        try:
            needed = self._certificates.needs_reason(item_ids)
        except (DomainError, StorageError) as error:
            self._show_error(str(error))
            return None
        if not needed:
            return ""
        ids = set(item_ids)
        printed = [row for row in self.certificates.rows() if row.item_id in ids and row.prints]
        names = "; ".join(f"{row.subject_name} (số vào sổ {book_text(row.book_year, row.book_number)}, "
                          f"đã in {row.prints} lần)" for row in printed[:5])
        more = f"; và {len(printed) - 5} Giấy khen khác" if len(printed) > 5 else ""
        reason = ask_reason(self, "In lại Giấy khen",
                            f"Giấy khen sau đã in trước đây: {names}{more}. In lại vẫn giữ số vào sổ cũ "
                            "và được ghi vào sổ Giấy khen cùng lý do (ví dụ: in hỏng, làm mất, sai thông tin).",
                            "In lại")
        if reason is None:
            return None
        if not reason.strip():
            self._show_error("Chưa in: in lại Giấy khen phải ghi lý do.")
            return None
        return reason.strip()

    # --- slots ---------------------------------------------------------------------------

    def _on_print_clicked(self) -> None:
        ids = self.certificates.chosen()
        reason = self._reprint_reason(ids)
        if reason is None:
            return
        mode, blank, name = self.mode(), self.blank(), self.printer_name()
        if mode == BLANK and not self.offsets.save_if_changed():
            return
        printer = open_printer(name, self._title)
        job = PrintJob(self._certificates, self._decision_id, ids, mode, name, reason, blank)

        def work(report: Report) -> Printed:
            return job.run(printer, report)

        self._start(work, f"Đang vào sổ và gửi {len(ids)} Giấy khen tới máy in «{name}»…", self._on_printed,
                    NOT_IN_BOOK)

    def _on_printed(self, printed: Printed) -> None:
        self.reload(set(self.certificates.chosen()))
        self.changed.emit()
        error = printed.error
        if error is None:
            self._show_status(f"Đã vào sổ và gửi {printed.count} Giấy khen ({printed.pages} trang) tới máy in "
                              f"«{self.printer_name()}».")
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
        reason = self._reprint_reason(ids)
        if reason is None:
            return
        path = ask_pdf_path(self, "Lưu Giấy khen ra tệp PDF", file_name(self._title, ".pdf"))
        if path is None:
            return
        certificates, decision_id, mode, blank = self._certificates, self._decision_id, self.mode(), self.blank()
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
        mode, blank, name = self.mode(), self.blank(), self.printer_name()
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
        if not self.offsets.save_if_changed():
            return
        blank, name = self.blank(), self.printer_name()
        printer = open_printer(name, f"Trang căn chỉnh – {BLANK_TYPES[blank]}")
        certificates = self._certificates

        def work(report: Report) -> int:
            return print_pdf(certificates.calibration_page(blank, name), printer, report)

        self._start(work, f"Đang in trang căn chỉnh tới máy in «{name}»…",
                    lambda _pages: self._show_status(
                        f"Đã gửi trang căn chỉnh tới máy in «{name}». Đo vị trí dấu cộng «GỐC ĐO», nhập số đo "
                        "rồi bấm «Tính độ lệch» và «Lưu độ lệch»."))

    def _on_wording_clicked(self) -> None:
        try:
            values = self._certificates.fields(self._decision_id)
        except (DomainError, StorageError) as error:
            self._show_error(str(error))
            return
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
