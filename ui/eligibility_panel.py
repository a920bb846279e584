"""The «Điều kiện khen thưởng» tab of the subject editor: ask the checker about one title or
award, read the verdict and every check behind it, keep the result, and look at results kept
earlier exactly as they were stored.

Checking one subject is quick and only reads, so it runs at once; saving goes through the
write pool like every other change.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.eligibility.outcome import Outcome
from app.eligibility_service import StoredCheck
from app.errors import DomainError
from app.roles import Permission
from app.services import Services
from ui.background import Task
from ui.check_request_form import CheckRequestForm
from ui.check_result_view import CheckResultView
from ui.form import ERROR_STYLE
from ui.saved_check_table import SavedCheckTable, SavedCheckTableModel, checked_at_text

TAB_TITLE = "Điều kiện khen thưởng"
FRESH_STAMP = "Kết quả vừa kiểm tra theo lịch sử hiện có; chưa lưu."
STALE_STAMP = ("Thông tin hoặc lịch sử của đối tượng đã thay đổi sau lần kiểm tra này; "
               "bấm «Kiểm tra» để kiểm tra lại trước khi lưu.")
REQUEST_CHANGED_STAMP = ("Yêu cầu kiểm tra đã thay đổi sau lần kiểm tra này; "
                         "bấm «Kiểm tra» để kiểm tra lại trước khi lưu.")
NO_SAVED = "Chưa lưu kết quả kiểm tra nào cho đối tượng này."
CANNOT_SAVE = "Tài khoản của bạn chỉ được xem; không lưu được kết quả kiểm tra."
SAVED_ROWS_SHOWN = 5


def stored_stamp(stored: StoredCheck) -> str:
    who = f", người kiểm tra: {stored.checked_by_name}" if stored.checked_by_name else ""
    return f"Kết quả đã lưu lúc {checked_at_text(stored.checked_at)}{who}."


class EligibilityPanel(QWidget):
    """One subject's eligibility checks; `saved` carries each result once it is stored."""

    saved = Signal(object)  # StoredCheck

    def __init__(self, services: Services, write_pool: QThreadPool, subject_id: int, subject_kind: str,
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._write_pool = write_pool
        self._subject_id = subject_id
        self._may_save = services.actor.can(Permission.EDIT_REGISTER)
        self._fresh: Outcome | None = None  # the unsaved result on screen, if any
        self._saving: Outcome | None = None  # the result being stored, if any

        rule_settings = services.rule_settings
        self.form = CheckRequestForm(
            subject_kind, today or date.today(),
            lambda day: bool(rule_settings.on(day).value("registration_required")))
        self.form.changed.connect(self._on_form_changed)
        self.check_button = QPushButton("Kiểm tra")
        self.check_button.setDefault(False)
        self.check_button.setAutoDefault(False)  # Enter in the dialog still means «Lưu» of the subject
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.save_button = QPushButton("Lưu kết quả")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        if not self._may_save:
            self.save_button.setToolTip(CANNOT_SAVE)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.result = CheckResultView()
        self.saved_checks = SavedCheckTableModel(self)
        self.saved_table = SavedCheckTable(self.saved_checks)
        self.saved_table.selectionModel().selectionChanged.connect(self._on_saved_table_selection_changed)
        self.no_saved = QLabel(NO_SAVED)
        self.no_saved.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        request_box = QGroupBox("Yêu cầu kiểm tra")
        request_layout = QVBoxLayout(request_box)
        request_layout.addWidget(self.form)
        request_layout.addLayout(buttons)
        request_layout.addWidget(self.message)
        result_box = QGroupBox("Kết quả")
        QVBoxLayout(result_box).addWidget(self.result)
        saved_box = QGroupBox("Kết quả đã lưu (chọn một dòng để xem lại)")
        saved_layout = QVBoxLayout(saved_box)
        saved_layout.addWidget(self.no_saved)
        saved_layout.addWidget(self.saved_table)

        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(request_box)
        column.addWidget(result_box)
        column.addWidget(saved_box)
        column.addStretch(1)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self._scroll.setWidget(content)
        self._result_box = result_box
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._scroll)
        self.reload_saved()
        self._update_save_button()

    def reload_saved(self) -> None:
        rows = self._services.eligibility.saved_for(self._subject_id)
        self.saved_checks.set_rows(rows)
        self.saved_table.fit_height(SAVED_ROWS_SHOWN)
        self.no_saved.setVisible(not rows)
        self.saved_table.setVisible(bool(rows))

    def check(self) -> Outcome | None:
        """Check what the form asks; the outcome shown, or None when the request was refused."""
        self._hide_message()
        try:
            request = self.form.request()
            outcome = self._services.eligibility.check_subject(self._subject_id, request)
        except DomainError as error:
            self._fresh = None
            self.result.clear()
            self._clear_saved_selection()  # so that clicking the row shows it again
            self._update_save_button()
            self._show_message(str(error))
            field = self.form.field(getattr(error, "field", None) or "")
            if field is not None and field.isVisible():
                field.setFocus()
            return None
        self._show_fresh(outcome)
        return outcome

    def mark_stale(self) -> None:
        """The subject or its history changed: an unsaved result no longer tells the truth."""
        self._go_stale(STALE_STAMP)

    def _go_stale(self, stamp: str) -> None:
        """An unsaved result on screen stays readable but can only be saved after a new check."""
        if self._fresh is None:
            return
        self._fresh = None
        self.result.set_stamp(stamp)
        self._update_save_button()

    def _show_fresh(self, outcome: Outcome) -> None:
        self._fresh = outcome
        self._clear_saved_selection()
        self.result.show_outcome(outcome, FRESH_STAMP)
        self._update_save_button()
        self._scroll.ensureWidgetVisible(self._result_box, 0, 0)

    def _clear_saved_selection(self) -> None:
        self.saved_table.clearSelection()
        self.saved_table.setCurrentIndex(QModelIndex())

    def _on_form_changed(self) -> None:
        self._go_stale(REQUEST_CHANGED_STAMP)

    def _on_check_button_clicked(self) -> None:
        self.check()

    def _on_save_button_clicked(self) -> None:
        outcome = self._fresh
        if outcome is None or not self._may_save:
            return
        eligibility, subject_id = self._services.eligibility, self._subject_id
        self._hide_message()
        self._saving = outcome
        self._update_save_button()
        # Owned by the pool: the editor may be closed before the worker is done with the task.
        task = Task(lambda _report: eligibility.save(subject_id, outcome), parent=self._write_pool)
        task.succeeded.connect(self._on_save_succeeded)
        task.failed.connect(self._on_save_failed)
        task.start(self._write_pool)

    def _on_save_succeeded(self, stored: StoredCheck) -> None:
        saved, self._saving = self._saving, None
        # The officer may have gone on while the save ran; what they see now is kept.
        viewed = self.saved_table.selected() if self.saved_table.selectionModel().hasSelection() else None
        self.reload_saved()
        if saved is not None and self.result.outcome is saved:
            self._fresh = None
            self.saved_table.select(stored.id)  # shows it, now with its stamp
        elif viewed is not None:
            self.saved_table.select(viewed.id)
        self._update_save_button()
        self.saved.emit(stored)

    def _on_save_failed(self, error: Exception) -> None:
        self._saving = None
        self._update_save_button()
        if isinstance(error, DomainError):
            self._show_message(str(error))
        else:
            self._show_message(f"Không lưu được do lỗi không mong muốn: {error}. "
                               "Kết quả vẫn còn trên màn hình.")

    def _on_saved_table_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        stored = self.saved_table.selected() if self.saved_table.selectionModel().hasSelection() else None
        if stored is None:
            return
        self._fresh = None
        self._hide_message()
        self.result.show_outcome(stored.outcome, stored_stamp(stored))
        self._update_save_button()

    def _update_save_button(self) -> None:
        self.save_button.setEnabled(self._may_save and self._fresh is not None and self._saving is None)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _hide_message(self) -> None:
        self.message.clear()
        self.message.hide()
