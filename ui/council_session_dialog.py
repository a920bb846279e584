"""One council session (phiên họp Hội đồng TĐKT): attendance and quorum, ballots, the votes
per candidate with the count as it is typed, quotas, and finalising.

Attendance, ballots and votes are kept in the dialog until «Lưu» (or «Chốt kết quả…», which
saves first); closing with unsaved typing asks. A final session opens read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QStyleOptionViewItem,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import catalogue
from app.council import NominationChoice, SessionDetail
from app.council_tally import SessionTally, award_label, format_percent, tally
from app.errors import DomainError
from app.roles import Permission
from app.services import Services
from ui.council_tables import CandidateColumn, CandidateLine, CandidateTableModel, MemberColumn, MemberTableModel
from ui.dialogs import button_box, choose, confirm
from ui.form import ERROR_STYLE
from ui.table_columns import fit_columns

TITLE = "Phiên họp Hội đồng TĐKT"
NO_BALLOTS = "—"  # the spin boxes' lowest value: no secret ballot recorded (show of hands)
CANDIDATES_TITLE = "Đề nghị đưa ra biểu quyết"
TYPE_VOTES = " (gõ số phiếu đồng ý vào cột «Phiếu đồng ý»)"
UNSAVED = "Số liệu vừa nhập (có mặt, phiếu, số phiếu đồng ý) chưa được lưu."
DIALOG_SIZE = (1280, 760)  # px, wanted; never more than the screen
SCREEN_MARGIN = 60  # px left for the title bar and the taskbar
OK_STYLE = "color: #1b5e20;"
ModelIndex = QModelIndex | QPersistentModelIndex


class VotesDelegate(QStyledItemDelegate):
    """A spin box that hands each change to the model at once, so the count follows typing."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: ModelIndex) -> QWidget:
        editor = QSpinBox(parent)
        editor.setRange(0, 9999)
        editor.valueChanged.connect(lambda _value: self.commitData.emit(editor))
        return editor


class BallotBox(QSpinBox):
    """A ballot count; the lowest value, shown as «—», means none recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.setRange(-1, 9999)
        self.setSpecialValueText(NO_BALLOTS)

    def count(self) -> int | None:
        return None if self.value() < 0 else self.value()

    def set_count(self, count: int | None) -> None:
        self.setValue(-1 if count is None else count)


class CouncilSessionDialog(QDialog):
    changed = Signal()  # something was stored

    def __init__(self, services: Services, session_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._session_id = session_id
        self._detail: SessionDetail | None = None
        self._loading = False
        self.setWindowTitle(TITLE)
        room = self.screen().availableGeometry()  # a commune laptop is often 1366 × 768
        self.resize(min(DIALOG_SIZE[0], room.width() - SCREEN_MARGIN),
                    min(DIALOG_SIZE[1], room.height() - SCREEN_MARGIN))

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)

        self.members = MemberTableModel(self)
        self.member_view = _table(self.members, self)
        fit_columns(self.member_view, MemberColumn.ROLE)
        self.quorum = QLabel()
        members_box = QGroupBox("Thành viên Hội đồng", self)
        members_layout = QVBoxLayout(members_box)
        members_layout.addWidget(self.member_view)
        members_layout.addWidget(self.quorum)

        self.issued, self.returned, self.valid = BallotBox(), BallotBox(), BallotBox()
        ballots_box = QGroupBox("Phiếu biểu quyết (để «—» nếu biểu quyết giơ tay)", self)
        ballots_layout = QHBoxLayout(ballots_box)
        for label, box in (("Phát ra:", self.issued), ("Thu về:", self.returned), ("Hợp lệ:", self.valid)):
            ballots_layout.addWidget(QLabel(label))
            ballots_layout.addWidget(box)
        ballots_layout.addStretch(1)

        self.candidates = CandidateTableModel(self)
        self.candidate_view = _table(self.candidates, self)
        self.candidate_view.setItemDelegateForColumn(CandidateColumn.VOTES, VotesDelegate(self.candidate_view))
        self.candidate_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked)
        fit_columns(self.candidate_view, CandidateColumn.SUBJECT)
        self.add_button = QPushButton("Thêm đề nghị…")
        self.remove_button = QPushButton("Bỏ đề nghị")
        self.quota_award = QComboBox()
        self.quota_value = QSpinBox()
        self.quota_value.setRange(-1, 9999)
        self.quota_value.setSpecialValueText("Không giới hạn")
        self.quota_button = QPushButton("Đặt chỉ tiêu")
        self.quota_text = QLabel()
        self.quota_text.setWordWrap(True)
        tools = QHBoxLayout()
        for widget in (self.add_button, self.remove_button):
            tools.addWidget(widget)
        tools.addStretch(1)
        self.quota_label = QLabel("Chỉ tiêu của")
        tools.addWidget(self.quota_label)
        tools.addWidget(self.quota_award)
        tools.addWidget(self.quota_value)
        tools.addWidget(self.quota_button)
        self.candidates_box = candidates_box = QGroupBox(CANDIDATES_TITLE, self)
        candidates_layout = QVBoxLayout(candidates_box)
        candidates_layout.addWidget(self.candidate_view, 1)
        candidates_layout.addLayout(tools)
        candidates_layout.addWidget(self.quota_text)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(ERROR_STYLE)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        self.save_button = QPushButton("Lưu")
        self.finalise_button = QPushButton("Chốt kết quả…")
        self.close_button = QPushButton("Đóng")
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ApplyRole)
        buttons.addButton(self.finalise_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(members_box, 2)
        layout.addWidget(ballots_box)
        layout.addWidget(candidates_box, 3)
        layout.addWidget(self.problems)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self.members.attendance_changed.connect(self._recount)
        self.candidates.votes_edited.connect(self._recount)
        for box in (self.issued, self.returned, self.valid):
            box.valueChanged.connect(self._recount)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.finalise_button.clicked.connect(self._on_finalise_clicked)
        self.close_button.clicked.connect(self.reject)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.quota_button.clicked.connect(self._on_quota_clicked)
        self.quota_award.currentIndexChanged.connect(self._on_quota_award_changed)
        self._load(services.council.detail(session_id))

    # What the dialog shows

    @property
    def detail(self) -> SessionDetail:
        assert self._detail is not None
        return self._detail

    def read_only(self) -> bool:
        return self.detail.session.is_final or not self._services.actor.can(Permission.RUN_EMULATION)

    def is_dirty(self) -> bool:
        if self._detail is None or self.read_only():
            return False
        stored = self.detail
        return (self.members.attendance() != {m.id: m.present for m in stored.members}
                or self._ballots() != (stored.ballots_issued, stored.ballots_returned, stored.ballots_valid)
                or self.candidates.votes() != {c.nomination_id: c.votes for c in stored.candidates})

    def live_tally(self) -> SessionTally:
        """The count of what is on screen (a final session: its stored result)."""
        if self.detail.session.is_final:
            return self.detail.tally
        data = self.detail.tally_input
        votes = self.candidates.votes()
        issued, returned, valid = self._ballots()
        return tally(replace(
            data, members_present=self.members.present_count(), ballots_issued=issued,
            ballots_returned=returned, ballots_valid=valid,
            candidates=tuple(replace(c, votes=votes.get(c.nomination_id, c.votes)) for c in data.candidates)))

    def _load(self, detail: SessionDetail) -> None:
        self._detail = detail
        self._loading = True
        row = detail.session
        lines = [f"{row.title} — họp ngày {row.held_on:%d/%m/%Y}"
                 + (f" tại {row.location}" if row.location else "")]
        if row.corrects_id is not None:
            lines.append(f"Phiên điều chỉnh phiên «{row.corrects_title}». Lý do: {row.correction_reason}")
        if row.is_final:
            lines.append("Đã chốt kết quả; không sửa được. Nếu có sai sót, lập phiên điều chỉnh.")
        self.heading.setText("\n".join(lines))
        editable = not self.read_only()
        self.members.set_editable(editable)
        self.candidates.set_editable(editable)
        self.members.set_rows(detail.members)
        self.candidates.set_rows([CandidateLine(c, c.votes, None) for c in detail.candidates])
        for box, count in ((self.issued, detail.ballots_issued), (self.returned, detail.ballots_returned),
                           (self.valid, detail.ballots_valid)):
            box.set_count(count)
            box.setEnabled(editable)
        for widget in (self.add_button, self.remove_button, self.quota_label, self.quota_award,
                       self.quota_value, self.quota_button, self.save_button, self.finalise_button):
            widget.setVisible(editable)
        self.candidates_box.setTitle(CANDIDATES_TITLE + (TYPE_VOTES if editable else ""))
        self.quota_award.clear()
        for code in dict.fromkeys(c.award_code for c in detail.candidates):
            self.quota_award.addItem(award_label(code), code)
        self._loading = False
        self._on_quota_award_changed()
        self._recount()

    def _recount(self) -> None:
        if self._loading:
            return
        result = self.live_tally()
        self.candidates.set_results({c.candidate.nomination_id: c for c in result.candidates})
        self.quorum.setText(
            f"Có mặt {result.members_present}/{result.members_total} thành viên; cần ít nhất "
            f"{result.quorum_needed} (từ {format_percent(result.quorum_percent)}% tổng số) — "
            + ("đủ số thành viên dự họp." if result.quorum_met else "CHƯA đủ số thành viên dự họp."))
        self.quorum.setStyleSheet(OK_STYLE if result.quorum_met else ERROR_STYLE)
        quotas = [f"{award_label(q.award_code)}: {q.quota}" + (f" (mặc định: {q.note})" if q.is_default else "")
                  + (f" ({q.note})" if q.note and not q.is_default else "") for q in result.quotas]
        self.quota_text.setText("Chỉ tiêu: " + "; ".join(quotas) if quotas else "Không có chỉ tiêu.")
        if self.detail.session.is_final:
            self.problems.setText("")
        else:
            self.problems.setText("\n".join(f"• {p}" for p in result.problems))
        self.finalise_button.setEnabled(result.can_finalise)
        self.finalise_button.setToolTip("" if result.can_finalise else "Còn vấn đề phải xử lý (chữ đỏ).")

    def _ballots(self) -> tuple[int | None, int | None, int | None]:
        return self.issued.count(), self.returned.count(), self.valid.count()

    # Actions

    def save(self) -> bool:
        """Store what is on screen; False (shown in red, typing kept) when refused."""
        if not self.is_dirty():
            return True
        try:
            detail = self._services.council.record(
                self._session_id, attendance=self.members.attendance(), ballots=self._ballots(),
                votes=self.candidates.votes())
        except DomainError as error:
            self._show_message(str(error))
            return False
        self._after_change(detail)
        return True

    def _on_save_clicked(self) -> None:
        self.save()

    def _on_finalise_clicked(self) -> None:
        if not self.save():
            return
        result = self.live_tally()
        voted = sum(c.voted for c in result.candidates)
        question = (f"{voted}/{len(result.candidates)} đề nghị đạt và trong chỉ tiêu; "
                    f"{len(result.candidates) - voted} đề nghị sẽ bị trả lại kèm lý do.\n"
                    "Sau khi chốt, kết quả không sửa được; nếu có sai sót phải lập phiên điều chỉnh.\n"
                    "Chốt kết quả phiên họp?")
        if not confirm(self, "Chốt kết quả", question, "Chốt kết quả"):
            return
        self._call(lambda: self._services.council.finalise(self._session_id))

    def _on_add_clicked(self) -> None:
        if not self.save():
            return
        choices = self._services.council.available_nominations(self._session_id)
        if not choices:
            self._show_message(f"Không còn đề nghị năm {self.detail.session.year} nào ở trạng thái "
                               "«Đã kiểm tra điều kiện» để đưa ra Hội đồng.")
            return
        picker = NominationPicker(choices, self)
        if picker.exec() != QDialog.DialogCode.Accepted or not picker.chosen():
            return
        self._call(lambda: self._services.council.add_nominations(self._session_id, picker.chosen()))

    def _on_remove_clicked(self) -> None:
        index = self.candidate_view.currentIndex()
        if not index.isValid():
            self._show_message("Hãy chọn đề nghị cần bỏ.")
            return
        if not self.save():
            return
        nomination_id = self.candidates.row(index.row()).row.nomination_id
        self._call(lambda: self._services.council.remove_nomination(self._session_id, nomination_id))

    def _on_quota_award_changed(self) -> None:
        code = self.quota_award.currentData()
        stored = next((q.quota for q in self.detail.quotas if q.award_code == code), None)
        self.quota_value.setValue(-1 if stored is None else stored)

    def _on_quota_clicked(self) -> None:
        code = self.quota_award.currentData()
        if code not in catalogue.AWARDS or not self.save():
            return
        quota = None if self.quota_value.value() < 0 else self.quota_value.value()
        self._call(lambda: self._services.council.set_quota(self._session_id, code, quota))

    def _call(self, work: Callable[[], SessionDetail]) -> None:
        try:
            detail = work()
        except DomainError as error:
            self._show_message(str(error))
            return
        self._after_change(detail)

    def _after_change(self, detail: SessionDetail) -> None:
        self.message.hide()
        self._load(detail)
        self.changed.emit()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # Closing

    def reject(self) -> None:
        if self.is_dirty():
            answer = choose(self, TITLE, UNSAVED, ["Lưu rồi đóng", "Bỏ thay đổi"])
            if answer is None or (answer == 0 and not self.save()):
                return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.is_dirty():
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)


class NominationPicker(QDialog):
    """Tick the checked nominations to put to the vote."""

    def __init__(self, choices: list[NominationChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Thêm đề nghị đưa ra Hội đồng")
        self.list = QListWidget(self)
        for choice in choices:
            item = QListWidgetItem(f"{choice.subject_name} — {choice.award_label}")
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Các đề nghị đã kiểm tra điều kiện của năm (bỏ đánh dấu những đề nghị "
                                "không đưa ra phiên này):"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def chosen(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]


def _table(model: QAbstractItemModel, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.setWordWrap(True)
    return view
