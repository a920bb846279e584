"""One commune award decision: a draft whose lines are ticked from the nominations ready for
the chairman, issued with a number from the register; once issued it is read-only and each
line can only be revoked, with a reason.

Decisions are small (tens of lines), so the service calls run at once on the UI thread.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.decisions import (
    DEFAULT_RECIPIENTS,
    SIGN_MODES,
    DecisionRow,
    Signer,
    default_abstract,
)
from app.errors import DomainError
from app.roles import Permission
from app.services import Services
from ui.decision_tables import Line, LineColumn, LineTableModel, RowTable, award_label, day_text, money_text
from ui.dialogs import confirm
from ui.form import ERROR_STYLE, DateField, TextField

NEW_TITLE = "Lập quyết định khen thưởng"
NO_SIGNER = "Chưa có Chủ tịch, Phó Chủ tịch UBND trong thiết lập xã."
READ_ONLY = "Tài khoản của bạn chỉ được xem quyết định."


def signer_text(signer: Signer) -> str:
    return f"{signer.name} — {SIGN_MODES[signer.sign_mode]} / {signer.title}"


class IssueDialog(QDialog):
    """Asks the date of the signed decision and shows the number it takes from the register,
    or takes a number already written on paper."""

    def __init__(self, services: Services, decision: DecisionRow, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Ban hành quyết định")
        intro = QLabel(f"Ban hành quyết định «{decision.abstract}» ({decision.item_count} được khen). "
                       "Sau khi ban hành, quyết định không sửa được; khen thưởng được ghi vào lịch sử "
                       "của từng cá nhân, tập thể.")
        intro.setWordWrap(True)
        self.decided_on = DateField(optional=False)
        self.decided_on.set_value(today)
        self.decided_on.changed.connect(self._show_number)
        self.paper = QCheckBox("Đã lấy số trên giấy (nhập số đã lấy)")
        self.paper_number = QSpinBox()
        self.paper_number.setRange(1, 9999)
        self.paper_number.setEnabled(False)
        self.paper.toggled.connect(self.paper_number.setEnabled)
        self.paper.toggled.connect(self._show_number)
        self.number = QLabel()
        self.setMinimumWidth(480)
        form = QFormLayout()
        form.addRow("Ngày ký", self.decided_on)
        form.addRow(self.paper, self.paper_number)
        form.addRow("Số quyết định", self.number)
        self.buttons = QDialogButtonBox()
        self.issue_button = self.buttons.addButton("Ban hành", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._show_number()

    def values(self) -> tuple[date, int | None]:
        day = self.decided_on.value()
        assert day is not None  # not optional
        return day, self.paper_number.value() if self.paper.isChecked() else None

    def _show_number(self) -> None:
        if self.paper.isChecked():
            self.number.setText("Theo số đã lấy trên giấy (số đã dùng sẽ bị từ chối)")
            return
        day = self.decided_on.value()
        try:
            text = self._services.decisions.next_number_text(day) if day else ""
        except DomainError as error:
            self.number.setText(str(error))
            return
        self.number.setText(f"Số sẽ cấp: {text}")


class RevokeDialog(QDialog):
    """Asks why and from which date one line of an issued decision is revoked."""

    def __init__(self, line: Line, decision: DecisionRow, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Thu hồi khen thưởng")
        what = QLabel(f"Thu hồi «{award_label(line.award_code)}» năm {line.year} của «{line.subject_name}» "
                      f"(quyết định số {decision.number} ngày {day_text(decision.decided_on)}). "
                      "Khen thưởng bị thu hồi không còn được tính khi xét các năm sau "
                      "(Luật Thi đua, khen thưởng 2022, chương VII).")
        what.setWordWrap(True)
        self.reason = QLineEdit()
        self.revoked_on = DateField(optional=False)
        self.revoked_on.set_value(today)
        form = QFormLayout()
        form.addRow("Lý do thu hồi (bắt buộc)", self.reason)
        form.addRow("Ngày thu hồi", self.revoked_on)
        buttons = QDialogButtonBox()
        self.revoke_button = buttons.addButton("Thu hồi", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.revoke_button.setEnabled(False)
        self.reason.textChanged.connect(lambda text: self.revoke_button.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> tuple[str, date]:
        day = self.revoked_on.value()
        assert day is not None
        return self.reason.text().strip(), day


def ask_issue(parent: QWidget, services: Services, decision: DecisionRow, today: date) -> tuple[date, int | None] | None:
    """The date and the paper number (None: take the next) to issue with; None if cancelled."""
    dialog = IssueDialog(services, decision, today, parent)
    return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_revocation(parent: QWidget, line: Line, decision: DecisionRow, today: date) -> tuple[str, date] | None:
    dialog = RevokeDialog(line, decision, today, parent)
    return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class DecisionDialog(QDialog):
    """A new or stored decision; `changed` after anything is saved, issued, revoked or deleted."""

    changed = Signal()

    def __init__(self, services: Services, year: int, decision_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._year = year
        self._decision: DecisionRow | None = None
        self._abstract_typed = False
        actor = services.actor
        self._may_draft = actor.can(Permission.RUN_EMULATION)
        self._may_number = actor.can(Permission.NUMBER_DOCUMENTS)
        self.resize(820, 600)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.abstract = TextField(500, "Về việc khen thưởng …")
        self.abstract.textEdited.connect(self._on_abstract_edited)
        self.signer = QComboBox()
        self._signers = services.decisions.signers()
        for signer in self._signers:
            self.signer.addItem(signer_text(signer), signer)
        self.recipients = QPlainTextEdit()
        self.recipients.setPlainText("\n".join(DEFAULT_RECIPIENTS))
        self.recipients.setFixedHeight(self.fontMetrics().height() * 5 + 12)
        self.recipients.setToolTip("Nơi nhận, mỗi dòng một nơi; dòng cuối «Lưu: VT, …».")
        form = QFormLayout()
        form.addRow("Trích yếu", self.abstract)
        form.addRow("Người ký", self.signer)
        form.addRow("Nơi nhận", self.recipients)

        self.lines = LineTableModel(checkable=False, parent=self)
        self.lines.ticked.connect(self._on_lines_ticked)
        self.table = RowTable(self.lines, LineColumn.SUBJECT)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.total = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)

        self.save_button = QPushButton("Lưu dự thảo")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.issue_button = QPushButton("Ban hành…")
        self.issue_button.clicked.connect(self._on_issue_clicked)
        self.delete_button = QPushButton("Xóa dự thảo…")
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.revoke_button = QPushButton("Thu hồi…")
        self.revoke_button.clicked.connect(self._on_revoke_clicked)
        self.close_button = QPushButton("Đóng")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.issue_button, self.delete_button, self.revoke_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._load(decision_id)

    @property
    def decision(self) -> DecisionRow | None:
        return self._decision

    # --- loading -----------------------------------------------------------------------

    def _load(self, decision_id: int | None) -> None:
        services = self._services
        today = services.decisions.today()
        lines: list[Line] = []
        if decision_id is not None:
            detail = services.decisions.detail(decision_id)
            self._decision = detail.decision
            lines = [Line(i.nomination_id, i.id, i.subject_name, i.award_code, i.year, i.reward_amount, True,
                          i.revoked_on, i.revoked_reason) for i in detail.items]
            self._show_fields(detail.decision)
        editable = self._may_draft and (self._decision is None or not self._decision.is_issued)
        if editable:
            lines += [Line(n.id, None, n.subject_name, n.award_code, n.year,
                           services.decisions.estimated_reward(n.award_code, n.subject_kind, today), False)
                      for n in services.decisions.decidable(self._year, today)]
        self.lines.checkable = editable
        self.lines.set_rows(lines)
        self.table.setColumnHidden(LineColumn.REVOKED, not (self._decision and self._decision.is_issued))
        self.abstract.setReadOnly(not editable)
        self.recipients.setReadOnly(not editable)
        self.signer.setEnabled(editable)
        self._show_heading(editable)
        self._show_total()
        self._update_buttons()

    def _show_fields(self, decision: DecisionRow) -> None:
        self.abstract.set_value(decision.abstract)
        self._abstract_typed = True
        self.recipients.setPlainText(decision.recipients)
        position = next((i for i, s in enumerate(self._signers) if s.name == decision.signer_name), -1)
        if position < 0 and decision.signer_name:
            self.signer.addItem(signer_text(Signer(decision.signer_name, decision.signer_title,
                                                   decision.sign_mode)),
                                Signer(decision.signer_name, decision.signer_title, decision.sign_mode))
            position = self.signer.count() - 1
        self.signer.setCurrentIndex(position)

    def _show_heading(self, editable: bool) -> None:
        decision = self._decision
        if decision is None:
            self.setWindowTitle(f"{NEW_TITLE} năm {self._year}")
            self.heading.setText(f"Dự thảo quyết định khen thưởng năm {self._year}: đánh dấu các đề nghị "
                                 "đưa vào quyết định.")
        elif decision.is_issued:
            self.setWindowTitle(f"Quyết định số {decision.number}")
            self.heading.setText(
                f"<b>Quyết định số {decision.number}</b> ngày {day_text(decision.decided_on)} — đã ban hành, "
                "không sửa được. Chọn một dòng rồi bấm «Thu hồi…» nếu cần thu hồi khen thưởng.")
        else:
            self.setWindowTitle(f"Dự thảo quyết định năm {decision.year}")
            self.heading.setText(f"Dự thảo quyết định khen thưởng năm {decision.year} (chưa có số).")
        if editable:
            self.hint.setText("Danh sách gồm các đề nghị do Chủ tịch UBND xã quyết định đã niêm yết công khai "
                              "xong (hoặc theo thủ tục đơn giản đã kiểm tra). Tiền thưởng tạm tính theo "
                              "thiết lập hôm nay; khi ban hành sẽ tính theo ngày ký.")
        elif not self._may_draft and not self._may_number:
            self.hint.setText(READ_ONLY)
        else:
            self.hint.setText("")
        if not self._signers and editable:
            self.message.setText(NO_SIGNER)

    def _show_total(self) -> None:
        included = self.lines.included()
        self.total.setText(f"Số được khen thưởng: {len(included)}; tổng tiền thưởng: "
                           f"{money_text(self.lines.total())} đồng")

    def _update_buttons(self) -> None:
        decision = self._decision
        draft = decision is None or not decision.is_issued
        self.save_button.setVisible(draft and self._may_draft)
        self.delete_button.setVisible(decision is not None and draft and self._may_draft)
        self.issue_button.setVisible(draft and self._may_number and (decision is not None or self._may_draft))
        self.revoke_button.setVisible(not draft and self._may_number)
        line = self._selected_line()
        self.revoke_button.setEnabled(line is not None and line.revoked_on is None)

    def _selected_line(self) -> Line | None:
        position = self.table.selected_position()
        return None if position is None else self.lines.row(position)

    # --- slots -------------------------------------------------------------------------

    def _on_abstract_edited(self, _text: str) -> None:
        self._abstract_typed = True

    def _on_lines_ticked(self) -> None:
        if not self._abstract_typed:
            codes = [line.award_code for line in self.lines.included()]
            self.abstract.set_value(default_abstract(codes, self._year) if codes else "")
        self._show_total()

    def _on_save_clicked(self) -> None:
        self._save()

    def _save(self) -> bool:
        """Store the draft as on screen; False (message shown) when refused."""
        signer = self.signer.currentData()
        ids = [line.nomination_id for line in self.lines.included() if line.nomination_id is not None]
        values = {"abstract": self.abstract.value(),
                  "signer_name": signer.name if signer else "", "signer_title": signer.title if signer else "",
                  "sign_mode": signer.sign_mode if signer else "TM",
                  "recipients": self.recipients.toPlainText()}
        try:
            if self._decision is None:
                row = self._services.decisions.create_draft(self._year, ids, **values)
            else:
                row = self._services.decisions.update_draft(self._decision.id, **values, nomination_ids=ids)
        except DomainError as error:
            self.message.setText(str(error))
            return False
        self.message.clear()
        self._load(row.id)
        self.changed.emit()
        return True

    def _on_issue_clicked(self) -> None:
        if self._may_draft and not self._save():
            return
        decision = self._decision
        assert decision is not None
        answer = ask_issue(self, self._services, decision, self._services.decisions.today())
        if answer is None:
            return
        decided_on, number = answer
        try:
            self._services.decisions.issue(decision.id, decided_on, number)
        except DomainError as error:
            self.message.setText(f"Chưa ban hành: {error}")
            return
        self.message.clear()
        self._load(decision.id)
        self.changed.emit()

    def _on_delete_clicked(self) -> None:
        decision = self._decision
        assert decision is not None
        if not confirm(self, "Xóa dự thảo", f"Xóa dự thảo «{decision.abstract}»? Các đề nghị trong dự thảo "
                       "vẫn giữ nguyên và có thể đưa vào quyết định khác.", "Xóa"):
            return
        try:
            self._services.decisions.delete_draft(decision.id)
        except DomainError as error:
            self.message.setText(str(error))
            return
        self.changed.emit()
        self.accept()

    def _on_revoke_clicked(self) -> None:
        line, decision = self._selected_line(), self._decision
        if line is None or line.item_id is None or decision is None:
            return
        answer = ask_revocation(self, line, decision, self._services.decisions.today())
        if answer is None:
            return
        reason, day = answer
        if not confirm(self, "Thu hồi khen thưởng",
                       f"Thu hồi «{award_label(line.award_code)}» năm {line.year} của «{line.subject_name}» "
                       f"từ ngày {day_text(day)}? Việc thu hồi được ghi vào nhật ký và không hoàn tác được.",
                       "Thu hồi"):
            return
        try:
            self._services.decisions.revoke_item(line.item_id, reason, day)
        except DomainError as error:
            self.message.setText(str(error))
            return
        self.message.clear()
        self._load(decision.id)
        self.changed.emit()
