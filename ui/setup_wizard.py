"""First-run wizard: which commune this is, how its documents are written, who signs.

Finishing stores the setup through CommuneService; if the officer asked for demo data,
the demo commune's subjects are then built in the background, with progress and cancel.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import date
from enum import IntEnum
from functools import partial

from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtWidgets import (
    QLabel,
    QProgressDialog,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app import demo
from app.commune import OFFICIAL_ROLES, CommuneSetup
from app.document_style import format_date_line, format_number
from app.errors import CancelledError, DomainError, ValidationError
from app.services import Services
from ui.background import Report, Task
from ui.commune_form import CommuneForm, Section
from ui.dialogs import confirm, show_error, show_info

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 500


class PageId(IntEnum):
    """Page ids in the order shown, so a smaller id is an earlier page."""

    WELCOME = 0
    DIVISION = 1
    DOCUMENT = 2
    PEOPLE = 3
    SUMMARY = 4


class WelcomePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Chào mừng đến với TĐKT Xã")
        self.setSubTitle("Chương trình quản lý công tác thi đua, khen thưởng của xã, phường.")
        intro = QLabel(
            "Trước khi bắt đầu, hãy khai báo xã (phường) của mình, cách ghi số, ký hiệu và "
            "địa danh trên văn bản, người ký và thành phần Hội đồng Thi đua - Khen thưởng. "
            "Các thông tin này sửa lại được bất cứ lúc nào trong mục Thiết lập xã."
        )
        intro.setWordWrap(True)
        self.empty = QRadioButton("Bắt đầu với sổ trống, để nhập dữ liệu thật", self)
        self.demo = QRadioButton("Tạo thêm dữ liệu mẫu để làm quen với chương trình", self)
        self.empty.setChecked(True)
        demo_hint = QLabel(
            "Dữ liệu mẫu gồm các thôn, hộ gia đình, cá nhân và tập thể giả định, thêm vào "
            "xã bạn khai báo ở các bước sau. Chỉ nên dùng để thử, không dùng cho sổ thật."
        )
        demo_hint.setWordWrap(True)
        demo_hint.setIndent(24)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(12)
        layout.addWidget(QLabel("Bạn muốn bắt đầu thế nào?"))
        layout.addWidget(self.empty)
        layout.addWidget(self.demo)
        layout.addWidget(demo_hint)
        layout.addStretch()

    def wants_demo(self) -> bool:
        return self.demo.isChecked()


class SectionPage(QWizardPage):
    """A wizard page showing one section of the commune form."""

    def __init__(
        self, title: str, subtitle: str, section: Section, check: Callable[[], bool], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.section = section
        self._check = check
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(section)

    def validatePage(self) -> bool:
        return self._check()


class SummaryPage(QWizardPage):
    def __init__(self, describe: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Kiểm tra lại và hoàn tất")
        self.setSubTitle("Bấm “Hoàn tất” để lưu. Muốn sửa, bấm “Quay lại”.")
        self._describe = describe
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def initializePage(self) -> None:
        self.text.setText(self._describe())


class SetupWizard(QWizard):
    """Asks for the commune setup on first run; accepted once the setup is stored."""

    def __init__(self, services: Services, write_pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._write_pool = write_pool
        self._today = date.today()
        self._task: Task | None = None
        self._progress: QProgressDialog | None = None
        self.form = CommuneForm(self._today, self)
        self._untouched = self.form.setup()

        self.setWindowTitle("Thiết lập ban đầu - TĐKT Xã")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.BackButton, "< Quay lại")
        self.setButtonText(QWizard.WizardButton.NextButton, "Tiếp theo >")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Hoàn tất")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Hủy")
        self.setMinimumSize(780, 620)

        self.welcome = WelcomePage(self)
        self.setPage(PageId.WELCOME, self.welcome)
        self._section_pages: tuple[tuple[PageId, Section, str, str], ...] = (
            (
                PageId.DIVISION,
                self.form.division,
                "Xã, phường của bạn",
                "Chọn tỉnh, thành phố rồi đến xã, phường, đặc khu.",
            ),
            (
                PageId.DOCUMENT,
                self.form.document,
                "Cách ghi trên văn bản",
                "Địa danh ở dòng ngày tháng và ký hiệu văn bản, theo Nghị định 30/2020/NĐ-CP.",
            ),
            (
                PageId.PEOPLE,
                self.form.people,
                "Người ký và Hội đồng Thi đua - Khen thưởng",
                "Nhấp đúp vào một ô để sửa; thứ tự trong danh sách là thứ tự in trên văn bản.",
            ),
        )
        for page_id, section, title, subtitle in self._section_pages:
            self.setPage(page_id, SectionPage(title, subtitle, section, partial(self._check_through, page_id)))
        self.setPage(PageId.SUMMARY, SummaryPage(self._describe))

    def accept(self) -> None:
        """Store the setup; then build the demo data if asked, and close when done."""
        if self._task is not None:
            return
        try:
            self._services.commune.save(self.form.setup())
        except ValidationError as error:
            self._show_error(error)
            return
        if self.welcome.wants_demo():
            self._build_demo()
        else:
            super().accept()

    def reject(self) -> None:
        if self._task is not None:
            return  # the demo build must end (or be cancelled) first
        if self.form.setup() != self._untouched and not confirm(
            self,
            "Thoát thiết lập",
            "Những thông tin vừa nhập chưa được lưu và sẽ mất. Vẫn thoát?",
            "Thoát không lưu",
        ):
            return
        super().reject()

    def _check_through(self, page: PageId) -> bool:
        """Refuse to leave `page` while a field on it, or on an earlier page, is wrong."""
        self.form.clear_errors()
        try:
            self._services.commune.validate(self.form.setup())
        except ValidationError as error:
            if self._page_of(self.form.section_for(error.field)) <= page:
                self._show_error(error)
                return False
        return True

    def _show_error(self, error: ValidationError) -> None:
        section = self.form.show_error(error)
        target = self._page_of(section)
        if target != self.currentId():
            self.setCurrentId(target)
            self.form.show_error(error)  # again: entering a page moves the focus

    def _page_of(self, section: Section) -> PageId:
        return next(page_id for page_id, shown, _title, _subtitle in self._section_pages if shown is section)

    def _describe(self) -> str:
        try:
            setup = self._services.commune.validate(self.form.setup())
        except ValidationError as error:  # every page was checked on leaving; kept for safety
            return f"<p style='color:#b00020'>{html.escape(str(error))}</p>"
        return describe_setup(setup, self._today, self.welcome.wants_demo())

    def _build_demo(self) -> None:
        services = self._services

        def work(report: Report) -> object:
            return demo.build_demo(services, demo.DemoSizes(), report)

        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.FinishButton,
                      QWizard.WizardButton.CancelButton):
            self.button(which).setEnabled(False)
        progress = QProgressDialog("Đang tạo dữ liệu mẫu…", "Hủy", 0, 0, self)
        progress.setWindowTitle("Tạo dữ liệu mẫu")
        progress.setMinimumWidth(380)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(PROGRESS_DELAY_MS)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(self._on_progress_canceled)
        self._progress = progress
        self._task = Task(work, self)
        self._task.progressed.connect(self._on_task_progressed)
        self._task.succeeded.connect(self._on_task_succeeded)
        self._task.failed.connect(self._on_task_failed)
        self._task.start(self._write_pool)
        # The builder may plan for a while before its first report; show the window anyway.
        QTimer.singleShot(PROGRESS_DELAY_MS, self._on_progress_delay_elapsed)

    def _on_progress_delay_elapsed(self) -> None:
        if self._progress is not None and not self._progress.wasCanceled():
            self._progress.show()

    def _on_progress_canceled(self) -> None:
        if self._task is None or self._progress is None:
            return
        self._task.cancel()
        # QProgressDialog hides itself on cancel; keep a window up until the work has stopped.
        self._progress.setCancelButton(None)
        self._progress.setLabelText("Đang hủy, chờ một chút…")
        self._progress.show()

    def _on_task_progressed(self, done: int, total: int) -> None:
        if self._progress is not None and not self._progress.wasCanceled():
            self._progress.setMaximum(total)
            self._progress.setValue(done)

    def _on_task_succeeded(self, _summary: object) -> None:
        cancelled_too_late = self._task is not None and self._task.cancelled
        self._end_task()
        if cancelled_too_late:
            show_info(self, "Dữ liệu mẫu đã được tạo", "Dữ liệu mẫu đã tạo xong trước khi kịp hủy.")
        super().accept()

    def _on_task_failed(self, error: Exception) -> None:
        self._end_task()
        outcome = "Không có dữ liệu mẫu nào được ghi; thiết lập xã đã được lưu."
        if self._services.subjects.count() == 0:
            outcome += " Sổ đang trống, sẵn sàng để nhập dữ liệu thật."
        if isinstance(error, CancelledError):
            show_info(self, "Đã hủy tạo dữ liệu mẫu", outcome)
        else:
            reason = (
                str(error)
                if isinstance(error, DomainError)
                else "Chương trình gặp lỗi không mong muốn; chi tiết đã ghi vào nhật ký."
            )
            show_error(self, "Không tạo được dữ liệu mẫu", f"{reason}\n\n{outcome}")
        super().accept()

    def _end_task(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
        self._progress = None
        self._task = None


def describe_setup(setup: CommuneSetup, today: date, with_demo: bool) -> str:
    """The summary page: what will be stored, written as it will appear on documents."""
    e = html.escape
    rows = [
        ("Tỉnh, thành phố", e(f"{setup.province_name} (mã {setup.province_code})")),
        ("Xã, phường", e(f"{setup.commune_name} (mã {setup.commune_code})")),
        ("Dòng ngày tháng", f"<i>{e(format_date_line(setup.place_name, today))}</i>"),
        ("Văn bản của UBND", e(format_number(5, "TTr", setup.issuer_symbol))),
        ("Văn bản của Hội đồng", e(format_number(3, "BB", setup.council_symbol))),
    ]
    for role, label in OFFICIAL_ROLES.items():
        people = [e(p.full_name) + (f" – {e(p.title)}" if p.title else "") for p in setup.people(role)]
        rows.append((label, "<br>".join(people) or "<i>(chưa nhập)</i>"))
    cells = "".join(
        f"<tr><td style='padding:3px 16px 3px 0'><b>{e(label)}</b></td><td style='padding:3px 0'>{value}</td></tr>"
        for label, value in rows
    )
    closing = (
        "Sau khi lưu, chương trình sẽ tạo dữ liệu mẫu cho xã này; có thể hủy trong lúc tạo."
        if with_demo
        else "Sau khi lưu, sổ bắt đầu trống, sẵn sàng để nhập dữ liệu thật."
    )
    return f"<table>{cells}</table><p>{e(closing)}</p>"
