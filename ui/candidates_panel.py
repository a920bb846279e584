"""«Đề xuất bình xét»: run the checker over the year's subjects (in the background, with
progress and «Dừng»), read its candidates by title with the verdict in words and colour,
add or remove one with a reason, and make draft nominations of those kept."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.annual_review import CandidateRow
from app.review_proposal import ANNUAL_TITLES, ProposalSummary
from app.catalogue import AWARDS
from app.errors import DomainError
from app.roles import Permission
from app.services import Services
from ui import dialogs
from ui.candidate_dialogs import (
    AddCandidateDialog,
    CandidateCheckDialog,
    DecisionDateDialog,
    date_edit,
    picked_date,
)
from ui.candidates_table import CandidateColumn, CandidateFilter, CandidatesTableModel
from ui.review_job_dialog import JobDialog
from ui.table_columns import fit_columns

PROPOSE_INTRO = ("Chương trình kiểm tra điều kiện các danh hiệu hằng năm của xã cho từng đối tượng "
                 "(đã đăng ký, nếu tỉnh yêu cầu; nếu không: cá nhân, tập thể đã xếp loại, mọi hộ và "
                 "thôn). Chỉ ghi khi chạy xong; bấm «Dừng» thì không ghi gì. Các đối tượng cán bộ đã "
                 "thêm hoặc loại giữ nguyên quyết định của cán bộ.")
NO_CHECK = "Đối tượng này do cán bộ thêm, chưa có kết quả kiểm tra."
READ_ONLY_NOTE = "Tài khoản này chỉ được xem danh sách bình xét."
NO_CANDIDATES = "Năm {year} chưa có danh sách bình xét."
RUN_HINT = (" Nhập xếp loại cuối năm ở trang «Xếp loại cuối năm», rồi bấm «Chạy kiểm tra đề xuất»: chương "
            "trình đề xuất những đối tượng đủ điều kiện cho từng danh hiệu, kèm lý do. Cũng có thể «Thêm…» "
            "một đối tượng với lý do.")


class CandidatesPanel(QWidget):
    changed = Signal()

    def __init__(self, services: Services, write_pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._pool = write_pool
        self._year: int | None = None
        self.job: JobDialog | None = None
        self.decision_date = date_edit(date.today())
        self.run_button = QPushButton("Chạy kiểm tra đề xuất")
        self.run_button.clicked.connect(self.run_proposal)
        self.award = QComboBox()
        self.award.addItem("Tất cả danh hiệu", None)
        for code in (code for titles in ANNUAL_TITLES.values() for code in titles):
            self.award.addItem(AWARDS[code].label, code)
        self.award.addItem(AWARDS["GK_XA"].label, "GK_XA")
        self.award.currentIndexChanged.connect(self._on_award_changed)
        self.model = CandidatesTableModel(self)
        self.proxy = CandidateFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        fit_columns(self.table, CandidateColumn.REASON)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.add_button = QPushButton("Thêm…")
        self.add_button.clicked.connect(self.add_candidate)
        self.remove_button = QPushButton("Loại khỏi danh sách…")
        self.remove_button.clicked.connect(self.remove_selected)
        self.restore_button = QPushButton("Đưa lại vào danh sách")
        self.restore_button.clicked.connect(self.restore_selected)
        self.reasons_button = QPushButton("Xem lý do")
        self.reasons_button.clicked.connect(self.show_selected_reasons)
        self.nominate_button = QPushButton("Lập đề nghị…")
        self.nominate_button.clicked.connect(self.make_nominations)

        top = QHBoxLayout()
        top.addWidget(QLabel("Ngày quyết định dự kiến:"))
        top.addWidget(self.decision_date)
        top.addWidget(self.run_button)
        top.addStretch(1)
        top.addWidget(QLabel("Danh hiệu:"))
        top.addWidget(self.award)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.restore_button, self.reasons_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.nominate_button)
        can = services.actor.can(Permission.RUN_EMULATION)
        for button in (self.run_button, self.add_button, self.remove_button, self.restore_button,
                       self.nominate_button):
            button.setVisible(can)
        self.decision_date.setEnabled(can)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        if not can:
            layout.addWidget(QLabel(READ_ONLY_NOTE))
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.counts)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_year(self, year: int) -> None:
        if year != self._year:  # a date the officer chose for this year stays
            self.decision_date.setDate(date_edit(date(year + 1, 1, 20)).date())
        self._year = year
        self.reload()

    def reload(self) -> None:
        if self._year is None:
            return
        rows = self._services.review.candidates(self._year)
        self.model.set_rows(rows)
        kept = sum(r.included for r in rows)
        made = sum(r.nomination_id is not None for r in rows)
        can = self._services.actor.can(Permission.RUN_EMULATION)
        self.empty.setText(NO_CANDIDATES.format(year=self._year) + (RUN_HINT if can else ""))
        self.empty.setVisible(not rows)
        self.counts.setText(f"{len(rows)} đối tượng trong danh sách bình xét năm {self._year}: {kept} được giữ, "
                            f"{len(rows) - kept} không đưa vào; {made} đã lập đề nghị.")
        self._update_buttons()

    def selected(self) -> CandidateRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row(self.proxy.mapToSource(indexes[0])) if indexes else None

    # --- actions ---------------------------------------------------------------------

    def run_proposal(self) -> JobDialog | None:
        if self._year is None:
            return None
        review, year, day = self._services.review, self._year, picked_date(self.decision_date)
        if self.job is not None and not self.job.is_busy():
            self.job.deleteLater()  # the last run's dialog, closed
        self.job = JobDialog(f"Chạy kiểm tra đề xuất năm {year}", PROPOSE_INTRO,
                             lambda report: review.propose(year, day, report), _summary_lines, self._pool, self)
        self.job.completed.connect(self._on_proposal_completed)
        self.job.setModal(True)
        self.job.show()
        self.job.start()
        return self.job

    def _on_proposal_completed(self, _summary: ProposalSummary) -> None:
        self.reload()
        self.changed.emit()

    def add_candidate(self) -> None:
        if self._year is None:
            return
        dialog = AddCandidateDialog(self._services, self._year, self)
        if dialog.exec() == AddCandidateDialog.DialogCode.Accepted:
            self._after_change(dialog.added_id)

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        reason = dialogs.ask_reason(self, "Loại khỏi danh sách",
                                    f"Loại «{row.subject_name}» khỏi danh sách {row.award_label} năm {self._year}?",
                                    "Loại khỏi danh sách")
        if reason is None:
            return
        self._act(lambda: self._services.review.remove(row.id, reason), "Không loại được", row.id)

    def restore_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._act(lambda: self._services.review.restore(row.id), "Không đưa lại được", row.id)

    def show_selected_reasons(self) -> None:
        row = self.selected()
        if row is not None:
            self.show_reasons(row)

    def show_reasons(self, row: CandidateRow) -> CandidateCheckDialog | None:
        try:
            outcome = self._services.review.check_outcome(row.id)
        except DomainError as error:
            dialogs.show_error(self, "Không xem được", str(error))
            return None
        if outcome is None:
            dialogs.show_info(self, "Chưa kiểm tra", NO_CHECK)
            return None
        dialog = CandidateCheckDialog(outcome, row.subject_name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def make_nominations(self) -> None:
        if self._year is None:
            return
        ids = [r.id for r in self.model.rows() if r.included and r.nomination_id is None]
        if not ids:
            dialogs.show_info(self, "Lập đề nghị", "Không còn đối tượng nào được giữ mà chưa lập đề nghị.")
            return
        dialog = DecisionDateDialog(len(ids), picked_date(self.decision_date), self)
        if dialog.exec() != DecisionDateDialog.DialogCode.Accepted:
            return
        year, day = self._year, dialog.chosen()
        self._act(lambda: self._services.review.make_nominations(year, ids, day), "Không lập được đề nghị")

    def _act(self, change: object, title: str, keep_selected: int | None = None) -> None:
        """Make one short change (a candidate, a few nominations) after the writes queued."""
        self._pool.waitForDone()
        try:
            change()  # type: ignore[operator]
        except DomainError as error:
            dialogs.show_error(self, title, str(error))
            return
        self._after_change(keep_selected)

    def _after_change(self, candidate_id: int | None) -> None:
        self.reload()
        if candidate_id is not None:
            self._select(candidate_id)
        self.changed.emit()

    def _select(self, candidate_id: int) -> None:
        for position, row in enumerate(self.model.rows()):
            if row.id == candidate_id:
                index = self.proxy.mapFromSource(self.model.index(position, 0))
                if index.isValid():
                    self.table.selectRow(index.row())
                return

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.show_reasons(self.model.row(self.proxy.mapToSource(index)))

    def _on_award_changed(self) -> None:
        self.proxy.set_award(self.award.currentData())

    def _update_buttons(self) -> None:
        can = self._services.actor.can(Permission.RUN_EMULATION)
        row = self.selected()
        self.run_button.setEnabled(can and self._year is not None)
        self.add_button.setEnabled(can and self._year is not None)
        self.remove_button.setEnabled(can and row is not None and row.included and row.nomination_id is None)
        self.restore_button.setEnabled(can and row is not None and not row.included)
        self.reasons_button.setEnabled(row is not None)
        self.nominate_button.setEnabled(can and any(r.included and r.nomination_id is None
                                                    for r in self.model.rows()))


def _summary_lines(summary: ProposalSummary) -> list[str]:
    return [*summary.lines(), f"Danh sách bình xét: {summary.created} mới, {summary.updated} cập nhật, "
                              f"{summary.dropped} không còn đề xuất."]
