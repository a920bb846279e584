"""One nomination (đề nghị khen thưởng): its achievement, the eligibility check, the dossier
with its files, where it stands with the next steps as buttons, and its history.

Deciding is not a button here: a commune decision is made under «Quyết định», which moves
the nomination; the council vote is recorded under «Họp Hội đồng». Every step asks what it
needs (a reason, a date, the upper level's answer) before calling the service, which refuses
what the procedure does not allow; nothing changes then.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.eligibility.outcome import VERDICT_LABELS, Outcome, Verdict
from app.errors import DomainError
from app.nomination_states import ACTION_LABELS, Action, Procedure, State
from app.nominations import NominationDetail
from app.roles import Permission
from app.services import Services
from ui.attachment_table import AttachmentColumn, AttachmentTableModel
from ui.check_result_view import CheckResultView
from ui.declared_facts_form import DeclaredFactFields
from ui.dialogs import ask_reason, button_box, choose, show_error, show_info
from ui.dossier_checklist import DossierChecklist
from ui.form import DateField, NoteField
from ui.saved_check_table import checked_at_text
from ui.table_columns import fit_columns

# Steps this dialog never offers: other screens take them.
ELSEWHERE = {
    Action.DECIDE: "Đã đủ bước để quyết định: lập quyết định khen thưởng ở mục «Quyết định».",
    Action.VOTE: "Bước tiếp theo: Hội đồng TĐKT xã biểu quyết ở mục «Họp Hội đồng».",
}
NO_FOLDER = "Chưa biết thư mục dữ liệu nên không đính kèm được tệp."
NOT_CHECKED_TEXT = ("Chưa kiểm tra điều kiện. Bấm «Kiểm tra điều kiện»: kết quả được lưu cùng đề nghị và "
                    "cho biết thẩm quyền quyết định, thành phần hồ sơ.")
UNSAVED = "Thành tích, ngày tháng, thông tin kê khai của đề nghị đã sửa nhưng chưa lưu."
READ_ONLY_NOTE = "Tài khoản này chỉ được xem đề nghị."
NO_FILES = "Chưa đính kèm tệp nào (bản quét PDF, JPG, PNG; tối đa 20 MB mỗi tệp)."
ADD_FILE_HINT = " Bấm «Đính kèm tệp…» rồi chọn thành phần hồ sơ mà tệp thể hiện."
FILE_FILTER = "Văn bản quét (*.pdf *.jpg *.jpeg *.png);;Mọi tệp (*)"
OUTCOME_TITLE = "Kết quả cấp trên giải quyết"


@dataclass(frozen=True)
class OutcomeAnswer:
    approved: bool
    decision_number: str
    decision_date: date | None
    issuer: str
    note: str


# --- questions asked of the officer (module functions, so tests answer them)


def pick_file(parent: QWidget) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, "Chọn tệp đính kèm", "", FILE_FILTER)
    return Path(name) if name else None


def pick_part(parent: QWidget, choices: Sequence[tuple[str, str]]) -> str | None:
    """The dossier part a new file stands for, or None when cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Thành phần hồ sơ")
    combo = QComboBox()
    for code, label in choices:
        combo.addItem(label, code)
    buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("Tệp này là thành phần nào của hồ sơ?"))
    layout.addWidget(combo)
    layout.addWidget(buttons)
    return str(combo.currentData()) if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_date(parent: QWidget, title: str, message: str, default: date) -> date | None:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    field = DateField(optional=False)
    field.set_value(default)
    buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    text = QLabel(message)
    text.setWordWrap(True)
    layout.addWidget(text)
    layout.addWidget(field)
    layout.addWidget(buttons)
    return field.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_outcome(parent: QWidget, default: date, issuer_default: str) -> OutcomeAnswer | None:
    """The upper level's answer to a proposal (cấp trên: the district before the 2025 reform,
    the province after): approved with its decision, or not with a reason."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(OUTCOME_TITLE)
    approved, refused = QRadioButton("Cấp trên khen thưởng"), QRadioButton("Cấp trên không khen thưởng")
    approved.setChecked(True)
    number, issuer, note = QLineEdit(), QLineEdit(issuer_default), QLineEdit()
    for field, name in ((number, "decision_number"), (issuer, "issuer"), (note, "note")):
        field.setObjectName(name)  # found by name in tests
    decided_on = DateField(optional=False)
    decided_on.set_value(default)
    form = QFormLayout()
    form.addRow(approved)
    form.addRow(refused)
    form.addRow("Số quyết định:", number)
    form.addRow("Ngày quyết định:", decided_on)
    form.addRow("Người ký, cơ quan:", issuer)
    form.addRow("Ghi chú, lý do:", note)
    buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return OutcomeAnswer(approved.isChecked(), number.text(), decided_on.value(), issuer.text(), note.text())


def open_file(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class NominationDialog(QDialog):
    changed = Signal()  # after any change saved

    def __init__(self, services: Services, nomination_id: int, data_folder: Path | None = None,
                 parent: QWidget | None = None, today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._nominations = services.nominations
        self._id = nomination_id
        self._data_folder = data_folder
        self._today = today or services.nominations.today  # the date in Việt Nam by the services' clock
        self._can_change = services.actor.can(Permission.RUN_EMULATION)
        self.setWindowTitle("Đề nghị khen thưởng")
        self.resize(820, 640)

        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.state_text = QLabel()
        self.state_text.setWordWrap(True)
        self.next_step = QLabel()
        self.next_step.setWordWrap(True)
        self.action_buttons: dict[Action, QPushButton] = {}
        self._action_row = QHBoxLayout()
        self._action_row.addStretch(1)  # the step buttons at their own width, on the left

        self.summary = NoteField()
        self.event_date = DateField()
        self.planned_date = DateField()
        self.save_button = QPushButton("Lưu thay đổi")
        self.save_button.clicked.connect(self._on_save_clicked)
        facts = QWidget()
        self._facts_form = facts_form = QFormLayout(facts)
        facts_form.addRow("Tóm tắt thành tích:", self.summary)
        facts_form.addRow("Ngày lập thành tích (đột xuất):", self.event_date)
        facts_form.addRow("Ngày dự kiến quyết định:", self.planned_date)
        self.movement = QLabel()
        facts_form.addRow("Phong trào:", self.movement)
        self.declared = DeclaredFactFields(facts_form)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        facts_form.addRow(save_row)
        self.summary.changed.connect(self._update_save_button)
        self.event_date.changed.connect(self._update_save_button)
        self.planned_date.changed.connect(self._update_save_button)
        self.declared.connect_changed(self._update_save_button)

        self.check_button = QPushButton("Kiểm tra điều kiện")
        self.check_button.clicked.connect(self._on_check_clicked)
        self.result = CheckResultView()
        self.result.empty.setText(NOT_CHECKED_TEXT)
        check_page = QWidget()
        check_layout = QVBoxLayout(check_page)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        check_row.addStretch(1)
        check_layout.addLayout(check_row)
        check_layout.addWidget(self.result, 1)

        self.checklist = DossierChecklist()
        self.files = AttachmentTableModel(self)
        self.file_table = QTableView()
        self.file_table.setModel(self.files)
        self.file_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.file_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_columns(self.file_table, AttachmentColumn.FILE_NAME)
        self.file_table.doubleClicked.connect(lambda _index: self._on_open_clicked())
        self.file_table.selectionModel().selectionChanged.connect(self._update_file_buttons)
        self.no_files = QLabel()
        self.no_files.setWordWrap(True)
        self.add_file_button = QPushButton("Đính kèm tệp…")
        self.open_file_button = QPushButton("Mở tệp")
        self.remove_file_button = QPushButton("Xóa tệp…")
        self.add_file_button.clicked.connect(self._on_add_file_clicked)
        self.open_file_button.clicked.connect(self._on_open_clicked)
        self.remove_file_button.clicked.connect(self._on_remove_file_clicked)
        file_buttons = QHBoxLayout()
        for button in (self.add_file_button, self.open_file_button, self.remove_file_button):
            file_buttons.addWidget(button)
        file_buttons.addStretch(1)
        dossier_page = QWidget()
        dossier_layout = QVBoxLayout(dossier_page)
        dossier_layout.addWidget(self.checklist)
        dossier_layout.addWidget(self.file_table, 1)
        dossier_layout.addWidget(self.no_files)
        dossier_layout.addLayout(file_buttons)

        self.events = QListWidget()
        self.deadlines = QLabel()
        self.deadlines.setWordWrap(True)
        history_page = QWidget()
        history_layout = QVBoxLayout(history_page)
        history_layout.addWidget(QLabel("Các bước đã qua:"))
        history_layout.addWidget(self.events, 1)
        history_layout.addWidget(self.deadlines)

        self.tabs = QTabWidget()
        facts_page = QWidget()  # the rows keep their height; the space left goes below them
        facts_page_layout = QVBoxLayout(facts_page)
        facts_page_layout.setContentsMargins(0, 0, 0, 0)
        facts_page_layout.addWidget(facts)
        facts_page_layout.addStretch(1)
        self.tabs.addTab(facts_page, "Thành tích")
        self.tabs.addTab(check_page, "Điều kiện")
        self.tabs.addTab(dossier_page, "Hồ sơ")
        self.tabs.addTab(history_page, "Các bước, thời hạn")
        close = button_box(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        for button in (self.save_button, self.check_button, self.add_file_button, self.remove_file_button):
            button.setVisible(self._can_change)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.state_text)
        if not self._can_change:
            layout.addWidget(QLabel(READ_ONLY_NOTE))
        layout.addLayout(self._action_row)
        layout.addWidget(self.next_step)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)
        self.detail: NominationDetail
        self.reload()

    # --- showing

    def reload(self) -> None:
        detail = self._nominations.detail(self._id)
        self.detail = detail
        row = detail.row
        self.heading.setText(f"{row.award_label} năm {row.year} — {row.subject_name}")
        who = f" · {row.action_label}" if row.action_label else ""
        self.state_text.setText(f"Trạng thái: {row.state_label} · {row.procedure_label}{who}"
                                + (f"\nLý do trả lại: {detail.returned_reason}"
                                   if detail.state is State.RETURNED and detail.returned_reason else ""))
        self._set_action_buttons(detail)
        self.summary.set_value(detail.achievement_summary)
        self.event_date.set_value(detail.event_date)
        self.planned_date.set_value(detail.planned_decision_date)
        self.movement.setText(detail.movement_name or "—")
        self.summary.setReadOnly(not (self._can_change and detail.summary_editable))
        for field in (self.event_date, self.planned_date):
            field.setEnabled(self._can_change and detail.facts_editable)
        self._facts_form.setRowVisible(self.event_date, detail.procedure is Procedure.SIMPLIFIED
                                       or detail.event_date is not None)
        citable = (self._nominations.citable_awards(self._id) if "basis_award_uuids" in detail.declarable
                   else [])
        self.declared.set_facts(detail.declared_facts, detail.declarable, citable)
        self.declared.set_editable(self._can_change and detail.facts_editable)
        self._saved_values = self._values()
        self._update_save_button()
        self.check_button.setEnabled(self._can_change and Action.CHECK in detail.actions)
        stored = detail.latest_check
        if stored is None:
            self.result.clear()
        else:
            self.result.show_outcome(stored.outcome, f"Kết quả kiểm tra lúc {checked_at_text(stored.checked_at)}"
                                     + (f" ({stored.checked_by_name})" if stored.checked_by_name else ""))
        self._reload_dossier()
        self.events.clear()
        self.events.addItems([event.text for event in self._nominations.events(self._id)])
        self.deadlines.setText(self._deadline_text(detail))

    def _reload_dossier(self) -> None:
        self.checklist.set_items(self._nominations.checklist(self._id))
        self.files.set_part_labels(dict(self._nominations.dossier_choices(self._id)))
        self.files.set_rows(self._nominations.attachments(self._id))
        can_attach = self._can_change and self._data_folder is not None
        self.add_file_button.setEnabled(can_attach)
        self.add_file_button.setToolTip("" if self._data_folder is not None else NO_FOLDER)
        self.no_files.setText(NO_FILES + (ADD_FILE_HINT if can_attach else ""))
        self.no_files.setVisible(self.files.rowCount() == 0)
        self._update_file_buttons()

    def _update_file_buttons(self) -> None:
        """Open and remove work on the file selected (or the only one)."""
        final = self.detail.state in (State.DECIDED, State.APPROVED, State.NOT_APPROVED)
        chosen = self._selected_file() is not None and self._data_folder is not None
        self.open_file_button.setEnabled(chosen)
        self.remove_file_button.setEnabled(chosen and self._can_change and not final)

    def _update_save_button(self) -> None:
        """«Lưu thay đổi» only when something was changed and may be saved."""
        if not hasattr(self, "_saved_values"):  # still building the dialog
            return
        self.save_button.setEnabled(self._can_change and self.detail.summary_editable and self.is_dirty())

    def _set_action_buttons(self, detail: NominationDetail) -> None:
        for button in self.action_buttons.values():
            self._action_row.removeWidget(button)
            button.deleteLater()
        self.action_buttons = {}
        for action in detail.actions:
            if action in ELSEWHERE or action is Action.CHECK:
                continue
            button = QPushButton(ACTION_LABELS[action] + ("…" if action is not Action.REOPEN else ""))
            button.setEnabled(self._can_change)
            button.setVisible(self._can_change)  # a viewer reads where it stands, with no step to take
            button.clicked.connect(lambda _checked=False, action=action: self._on_action_clicked(action))
            self._action_row.insertWidget(self._action_row.count() - 1, button)
            self.action_buttons[action] = button
        notes = [text for action, text in ELSEWHERE.items() if action in detail.actions]
        if Action.CHECK in detail.actions and detail.state is State.DRAFT:
            notes.append("Bước tiếp theo: kiểm tra điều kiện (trang «Điều kiện»).")
        if detail.state in (State.DECIDED, State.APPROVED, State.NOT_APPROVED):
            notes.append("Đề nghị đã kết thúc.")
        self.next_step.setText("\n".join(notes))
        self.next_step.setVisible(bool(notes))

    def _deadline_text(self, detail: NominationDetail) -> str:
        lines = detail.date_lines()
        today = self._today()
        lines += [deadline.text for deadline in self._nominations.deadlines(today, 7)
                  if deadline.nomination_id == self._id and deadline.overdue]
        return "\n".join(lines) or "Chưa có thời hạn nào."

    def _values(self) -> tuple[object, ...]:
        return (self.summary.value(), self.event_date.value(), self.planned_date.value(), self.declared.facts())

    def is_dirty(self) -> bool:
        return self._values() != self._saved_values

    # --- changing

    def _run(self, work: Callable[[], object]) -> bool:
        """Call the service; a refusal is shown and nothing else happens."""
        try:
            work()
        except DomainError as error:
            show_error(self, "Không thực hiện được", str(error))
            return False
        self.reload()
        self.changed.emit()
        return True

    def _on_save_clicked(self) -> None:
        self._save()

    def _save(self) -> bool:
        summary, event_date, planned, declared = self._values()
        detail = self.detail
        if detail.facts_editable:
            cleared = [name for name, value in (("event_date", event_date), ("planned_decision_date", planned))
                       if value is None]
            return self._run(lambda: self._nominations.update(
                self._id, achievement_summary=summary, event_date=event_date,
                planned_decision_date=planned, clear=cleared,
                declared_facts=declared if detail.declarable else None))
        return self._run(lambda: self._nominations.update(self._id, achievement_summary=summary))

    def _act(self, work: Callable[[], object]) -> bool:
        """Take a step: what was typed and not saved is saved first (the step reloads the
        form from the database); when that save is refused, the step is not taken and the
        typing stays."""
        if self.is_dirty() and not self._save():
            return False
        return self._run(work)

    def _on_check_clicked(self) -> None:
        outcomes: list[Outcome] = []
        if self._act(lambda: outcomes.append(self._nominations.check(self._id))):
            self.tabs.setCurrentIndex(1)
            if outcomes[0].verdict is not Verdict.ELIGIBLE:
                show_info(self, VERDICT_LABELS[outcomes[0].verdict],
                          f"Kết quả kiểm tra đã được lưu cùng đề nghị; đề nghị vẫn ở bước «{self.detail.row.state_label}». "
                          "Xem lý do trong danh sách tiêu chí, bổ sung thông tin rồi kiểm tra lại.")

    def _on_action_clicked(self, action: Action) -> None:
        today = self._today()
        nominations = self._nominations
        if action is Action.RETURN:
            reason = ask_reason(self, "Trả lại đề nghị", "Trả lại đề nghị này để sửa hoặc bổ sung?", "Trả lại")
            if reason is not None:
                self._act(lambda: nominations.return_(self._id, reason, today))
        elif action is Action.REOPEN:
            self._act(lambda: nominations.reopen(self._id))
        elif action is Action.POST_NOTICE:
            start = ask_date(self, "Niêm yết công khai", "Ngày bắt đầu niêm yết công khai danh sách đề nghị "
                             "(ngày kết thúc tính theo ngày làm việc, trừ ngày nghỉ lễ, Tết):", today)
            if start is not None:
                self._act(lambda: nominations.post_notice([self._id], start))
        elif action is Action.PROPOSE:
            on = ask_date(self, "Trình cấp trên", "Ngày gửi tờ trình đề nghị lên cấp trên:", today)
            if on is not None:
                self._act(lambda: nominations.propose([self._id], on))
        elif action in (Action.APPROVE, Action.NOT_APPROVE):
            answer = ask_outcome(self, today, self.detail.issuer_default)
            if answer is not None:
                self._act(lambda: nominations.record_outcome(
                    self._id, answer.approved, answer.decision_number, answer.decision_date,
                    answer.issuer, answer.note))

    def _on_add_file_clicked(self) -> None:
        if self._data_folder is None:
            return
        source = pick_file(self)
        if source is None:
            return
        part = pick_part(self, self._nominations.dossier_choices(self._id))
        if part is None:
            return
        folder = self._data_folder
        if self._act(lambda: self._nominations.attach(self._id, source, part, folder)):
            self.tabs.setCurrentIndex(2)

    def _selected_file(self) -> int | None:
        rows = self.file_table.selectionModel().selectedRows()
        return rows[0].row() if rows else (0 if self.files.rowCount() == 1 else None)

    def _on_open_clicked(self) -> None:
        position = self._selected_file()
        if position is None or self._data_folder is None:
            return
        try:
            path = self._nominations.open_attachment(self.files.row(position), self._data_folder)
        except DomainError as error:
            show_error(self, "Không mở được tệp", str(error))
            return
        if not open_file(path):
            show_error(self, "Không mở được tệp", f"Máy tính không có chương trình mở được tệp {path.name}.")

    def _on_remove_file_clicked(self) -> None:
        position = self._selected_file()
        if position is None or self._data_folder is None:
            return
        attachment = self.files.row(position)
        reason = ask_reason(self, "Xóa tệp đính kèm", f"Xóa tệp «{attachment.file_name}» khỏi hồ sơ đề nghị?",
                            "Xóa")
        if reason is not None:
            folder = self._data_folder
            self._act(lambda: self._nominations.remove_attachment(self._id, attachment.id, reason, folder))

    def reject(self) -> None:
        """Close, Esc and the window's ✕ all come here (QDialog.closeEvent rejects): unsaved
        edits are saved or dropped only when the officer says so."""
        if self.is_dirty():
            answer = choose(self, "Chưa lưu", f"{UNSAVED} Lưu trước khi đóng?", ["Lưu", "Bỏ thay đổi"])
            if answer is None or (answer == 0 and not self._save()):
                return
        super().reject()
