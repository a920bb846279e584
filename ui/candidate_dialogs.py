"""Small dialogs of the candidates list: add a candidate (subject, title, reason), the planned
decision date of the nominations to make, and the checker's reasons behind one candidate."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.review_proposal import ANNUAL_TITLES
from app.catalogue import AWARDS, SUBJECT_KINDS
from app.eligibility.outcome import Outcome
from app.errors import DomainError
from app.services import Services
from ui.check_result_view import CheckResultView
from ui.dialogs import button_box

DATE_FORMAT = "dd/MM/yyyy"
EXTRA_AWARDS = ("GK_XA",)  # the commune's own Giấy khen may be added by hand too


def date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    return edit


def picked_date(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class AddCandidateDialog(QDialog):
    """Pick a subject and a title and say why; «Thêm» calls the service, a refusal shows here."""

    def __init__(self, services: Services, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Thêm vào danh sách bình xét năm {year}")
        self.resize(520, 460)
        self._services = services
        self._year = year
        self.added_id: int | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText("Gõ tên hoặc số CCCD (không cần gõ dấu)")
        self.search.textChanged.connect(self._on_search_changed)
        self.subjects = QListWidget()
        self.subjects.currentItemChanged.connect(self._on_subject_changed)
        self.award = QComboBox()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Bắt buộc: vì sao đưa vào danh sách")
        self.reason.textChanged.connect(self._update_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox()
        self.add_button = self.buttons.addButton("Thêm", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._on_add_clicked)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Danh hiệu:", self.award)
        form.addRow("Lý do:", self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Đối tượng:"))
        layout.addWidget(self.search)
        layout.addWidget(self.subjects, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._on_search_changed("")

    def _on_search_changed(self, typed: str) -> None:
        self.subjects.clear()
        for row in self._services.subjects.search(typed, limit=100):
            born = f", sinh {row.birth_date:%d/%m/%Y}" if row.birth_date else ""
            item = QListWidgetItem(f"{row.name} ({SUBJECT_KINDS[row.kind].lower()}{born})")
            item.setData(Qt.ItemDataRole.UserRole, (row.id, row.kind))
            self.subjects.addItem(item)
        self._update_button()

    def _on_subject_changed(self, item: QListWidgetItem | None) -> None:
        self.award.clear()
        if item is not None:
            kind = item.data(Qt.ItemDataRole.UserRole)[1]
            for code in (*ANNUAL_TITLES.get(kind, ()), *EXTRA_AWARDS):
                self.award.addItem(AWARDS[code].label, code)
        self._update_button()

    def _update_button(self) -> None:
        self.add_button.setEnabled(self.subjects.currentItem() is not None and self.award.count() > 0
                                   and bool(self.reason.text().strip()))

    def _on_add_clicked(self) -> None:
        item = self.subjects.currentItem()
        if item is None:
            return
        subject_id = item.data(Qt.ItemDataRole.UserRole)[0]
        try:
            added = self._services.review.add(self._year, subject_id, self.award.currentData(), self.reason.text())
        except DomainError as error:
            self.message.setText(str(error))
            return
        self.added_id = added.id
        self.accept()


class DecisionDateDialog(QDialog):
    """The planned decision date of the nominations about to be made."""

    def __init__(self, count: int, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Lập đề nghị khen thưởng")
        intro = QLabel(f"Lập {count} đề nghị (bản nháp) cho các đối tượng còn trong danh sách và chưa có đề nghị.")
        intro.setWordWrap(True)
        self.day = date_edit(day)
        buttons = QDialogButtonBox()
        buttons.addButton("Lập đề nghị", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Ngày quyết định dự kiến:", self.day)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen(self) -> date:
        return picked_date(self.day)


class CandidateCheckDialog(QDialog):
    """The checker's stored result behind one candidate, with every check and its basis."""

    def __init__(self, outcome: Outcome, subject_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Kết quả kiểm tra: {subject_name}")
        self.resize(720, 560)
        self.view = CheckResultView()
        self.view.show_outcome(outcome, "Kết quả lưu khi chạy kiểm tra đề xuất bình xét.")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.view)
        buttons = button_box(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
