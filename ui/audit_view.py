"""«Nhật ký thay đổi»: the audit trail, newest first, with filters, the selected entry's old
and new values, and a check that no entry was altered or removed.

Read-only: nothing here changes data. Pages of entries and the chain check run on the read
pool; a page that arrives after the filters changed again is dropped.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QModelIndex, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.accounts import UserRow
from app.audit import PAGE, AuditFilter, AuditRow, AuditVerification
from app.errors import PermissionDeniedError
from app.services import Services
from app.vietnamese import name_sort_key
from ui.audit_table import (
    ACTION_LABELS,
    ENTITY_LABELS,
    AuditTable,
    AuditTableModel,
    ChangeTable,
    ChangeTableModel,
    action_label,
    entity_label,
    local_time,
    utc_offset,
    who,
)
from ui.background import Task

SEARCH_DELAY_MS = 300
ALL = "Tất cả"
NO_LIMIT = "không giới hạn"
DATE_FORMAT = "dd/MM/yyyy"
OK_STYLE = "color: #1b5e20;"
ERROR_STYLE = "color: #b00020;"
PICK_AN_ENTRY = "Chọn một dòng nhật ký để xem chi tiết."


def number(value: int) -> str:
    """An integer with Vietnamese thousands separators: 1.234."""
    return f"{value:,}".replace(",", ".")


class DateLimit(QWidget):
    """A day, or no limit when its box is unticked."""

    changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled = QCheckBox(label)
        self.edit = QDateEdit()
        self.edit.setDisplayFormat(DATE_FORMAT)
        self.edit.setCalendarPopup(True)
        self.edit.setMinimumDate(QDate(2000, 1, 1))
        self.edit.setSpecialValueText(NO_LIMIT)  # shown only for the minimum, i.e. no limit
        self.edit.setDate(self.edit.minimumDate())
        self.edit.setEnabled(False)
        self.enabled.toggled.connect(self._on_enabled_toggled)
        self.edit.dateChanged.connect(self._on_edit_date_changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.edit, 1)

    def value(self) -> date | None:
        return self.edit.date().toPython() if self.enabled.isChecked() else None  # type: ignore[return-value]

    def set_value(self, day: date | None) -> None:
        if day == self.value():
            return
        for widget in (self.edit, self.enabled):
            widget.blockSignals(True)
        self.edit.setDate(QDate(day) if day else self.edit.minimumDate())
        self.enabled.setChecked(day is not None)
        self.edit.setEnabled(day is not None)
        for widget in (self.edit, self.enabled):
            widget.blockSignals(False)
        self.changed.emit()

    def _on_enabled_toggled(self, enabled: bool) -> None:
        self.edit.setEnabled(enabled)
        self.edit.blockSignals(True)
        if enabled and self.edit.date() == self.edit.minimumDate():
            self.edit.setDate(QDate.currentDate())
        elif not enabled:
            self.edit.setDate(self.edit.minimumDate())
        self.edit.blockSignals(False)
        self.changed.emit()

    def _on_edit_date_changed(self, _day: QDate) -> None:
        if self.enabled.isChecked():
            self.changed.emit()


class AuditView(QWidget):
    """The audit-trail area of the main window. Call `reload()` after changes elsewhere."""

    loaded = Signal()  # a page of entries is shown
    verified = Signal(object)  # AuditVerification

    def __init__(self, services: Services, read_pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._read_pool = read_pool
        self._generation = 0  # bumped by every fresh load; older pages are dropped
        self._loading = False
        self._more = False
        self._total = 0
        self._skew = 0  # entries written since the first page, which push later pages down
        self._reselect: int | None = None
        self._people: dict[int, str] | None = None  # None: only the users seen in the entries
        self._seen: dict[int, str] = {}

        self.user = QComboBox()
        self.entity = self._code_combo(ENTITY_LABELS)
        self.action = self._code_combo(ACTION_LABELS)
        self.since = DateLimit("Từ ngày")
        self.until = DateLimit("Đến ngày")
        self.text = QLineEdit()
        self.text.setPlaceholderText("Tìm trong nội dung hoặc tên người thực hiện")
        self.text.setClearButtonEnabled(True)
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(SEARCH_DELAY_MS)
        self._text_timer.timeout.connect(self._on_filters_changed)
        self.text.textChanged.connect(self._text_timer.start)
        self.user.addItem(ALL, None)
        # Narrow when the window is narrow: the lists open as wide as their longest label.
        for combo, length in ((self.user, 18), (self.entity, 12), (self.action, 12)):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(length)
        for combo in (self.user, self.entity, self.action):
            combo.currentIndexChanged.connect(self._on_filters_changed)
        for limit in (self.since, self.until):
            limit.changed.connect(self._on_filters_changed)

        self.model = AuditTableModel(self)
        self.table = AuditTable(self.model)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.changes = ChangeTableModel(self)
        self.change_table = ChangeTable(self.changes)
        self.heading = QLabel(PICK_AN_ENTRY)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hash = QLabel()
        self.hash.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hash.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

        self.status = QLabel()
        self.more_button = QPushButton("Xem thêm")
        self.more_button.clicked.connect(self.load_more)
        self.reload_button = QPushButton("Tải lại")
        self.reload_button.clicked.connect(self.reload)
        self.verify_button = QPushButton("Kiểm tra tính toàn vẹn")
        self.verify_button.setToolTip("Tính lại mã kiểm tra của mọi dòng nhật ký để phát hiện dòng "
                                      "bị sửa hoặc bị xóa ngoài chương trình.")
        self.verify_button.clicked.connect(self.verify)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.hide()
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(self.fontMetrics().height() * 6)
        self.problems.hide()

        self._lay_out()
        self._update_buttons()
        self.reload()

    def _lay_out(self) -> None:
        # Two columns of filters, so that the area fits a 1024-pixel-wide screen.
        filters = QGridLayout()
        filters.addWidget(QLabel("Người thực hiện:"), 0, 0)
        filters.addWidget(self.user, 0, 1)
        filters.addWidget(QLabel("Loại bản ghi:"), 0, 2)
        filters.addWidget(self.entity, 0, 3)
        filters.addWidget(QLabel("Tìm:"), 1, 0)
        filters.addWidget(self.text, 1, 1)
        filters.addWidget(QLabel("Thao tác:"), 1, 2)
        filters.addWidget(self.action, 1, 3)
        dates = QHBoxLayout()
        dates.addWidget(self.since)
        dates.addSpacing(12)
        dates.addWidget(self.until)
        dates.addStretch(1)
        filters.addLayout(dates, 2, 1, 1, 3)
        for column in (1, 3):
            filters.setColumnStretch(column, 1)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.heading)
        detail_layout.addWidget(self.change_table, 1)
        detail_layout.addWidget(self.hash)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.more_button)
        bottom.addWidget(self.reload_button)
        bottom.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.verdict)
        layout.addWidget(self.problems)

    # --- public steps (the buttons call these; tests too) -----------------------------

    def current_filter(self) -> AuditFilter:
        """What the filters ask for; the day limits are local days, 'until' included."""
        since, until = self.since.value(), self.until.value()
        return AuditFilter(
            user_id=self.user.currentData(),
            entity=self.entity.currentData(),
            action=self.action.currentData(),
            since=datetime.combine(since, time()) if since else None,
            until=datetime.combine(until + timedelta(days=1), time()) if until else None,
            text=self.text.text(),
        )

    def is_busy(self) -> bool:
        return self._loading

    @Slot()
    def reload(self) -> None:
        """Read the first page again with the same filters, keeping the selected entry."""
        selected = self.table.selected()
        self._reselect = selected.id if selected else None
        self._load_people()
        self._load(fresh=True)

    @Slot()
    def load_more(self) -> None:
        if self._more and not self._loading:
            self._load(fresh=False)

    @Slot()
    def verify(self) -> None:
        """Recompute the whole chain in the background and show what it found."""
        self.verify_button.setEnabled(False)
        self.problems.hide()
        self._show_verdict("Đang kiểm tra nhật ký…", "")
        audit = self._services.audit
        task = Task(lambda _report: audit.verify(), self)
        task.succeeded.connect(self._on_verify_succeeded)
        task.failed.connect(self._on_verify_failed)
        task.finished.connect(lambda: self.verify_button.setEnabled(True))
        task.start(self._read_pool)

    # --- loading --------------------------------------------------------------------

    def _load(self, fresh: bool) -> None:
        if self._text_timer.isActive():
            self._text_timer.stop()
        if fresh:
            self._generation += 1
        generation = self._generation
        wanted = self.current_filter()
        offset = 0 if fresh else self.model.rowCount() + self._skew
        audit = self._services.audit

        def work(_report: object) -> tuple[list[AuditRow], int | None]:
            page = audit.entries(wanted, limit=PAGE, offset=offset)
            return page, audit.count(wanted) if fresh else None

        self._loading = True
        self._update_buttons()
        self.status.setText("Đang tải nhật ký…")
        task = Task(work, self)
        task.succeeded.connect(lambda result: self._on_page_loaded(generation, fresh, result))
        task.failed.connect(lambda error: self._on_page_failed(generation, error))
        task.start(self._read_pool)

    def _on_page_loaded(self, generation: int, fresh: bool,
                        result: tuple[list[AuditRow], int | None]) -> None:
        if generation != self._generation:
            return
        page, total = result
        self._loading = False
        self._more = len(page) == PAGE
        if fresh:
            self._total = total or 0
            self._skew = 0
            self.model.set_rows(page)
            if self._reselect is None or not self.table.select(self._reselect):
                self._show_entry(None)
            self._reselect = None
        else:
            self._skew += len(page) - self.model.append_rows(page)
        self._remember_people(page)
        self._show_status()
        self._update_buttons()
        self.loaded.emit()

    def _on_page_failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._update_buttons()
        self.status.setText(f"Không đọc được nhật ký: {error}")

    def _load_people(self) -> None:
        """Everyone with an account, for the 'người thực hiện' filter; an account without the
        right to list accounts sees the people named in the entries loaded so far."""
        users = self._services.users

        def work(_report: object) -> list[UserRow] | None:
            try:
                return users.users()
            except PermissionDeniedError:
                return None

        task = Task(work, self)
        task.succeeded.connect(self._on_people_loaded)
        task.start(self._read_pool)

    def _on_people_loaded(self, users: list[UserRow] | None) -> None:
        if users is not None:
            self._people = {user.id: f"{user.full_name} ({user.username})" for user in users}
        self._fill_people()

    def _remember_people(self, entries: list[AuditRow]) -> None:
        before = len(self._seen)
        for entry in entries:
            if entry.user_id is not None:
                self._seen.setdefault(entry.user_id, who(entry))
        if self._people is None and len(self._seen) != before:
            self._fill_people()

    def _fill_people(self) -> None:
        people = self._people if self._people is not None else self._seen
        chosen = self.user.currentData()
        self.user.blockSignals(True)
        self.user.clear()
        self.user.addItem(ALL, None)
        for user_id, label in sorted(people.items(), key=lambda item: name_sort_key(item[1])):
            self.user.addItem(label, user_id)
        self.user.setCurrentIndex(max(0, self.user.findData(chosen)))
        self.user.blockSignals(False)

    # --- slots ----------------------------------------------------------------------

    def _on_filters_changed(self) -> None:
        self._reselect = None
        self._load(fresh=True)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_entry(self.table.selected() if current.isValid() else None)

    def _on_verify_succeeded(self, result: AuditVerification) -> None:
        if result.ok:
            self._show_verdict(
                f"Nhật ký nguyên vẹn: đã kiểm tra {number(result.entries)} dòng, không dòng nào bị "
                "sửa hay bị xóa ngoài chương trình.", OK_STYLE)
        else:
            self._show_verdict(
                f"Phát hiện {number(len(result.problems))} vấn đề trong nhật ký (đã đọc "
                f"{number(result.entries)} dòng). Nhật ký có thể đã bị sửa ngoài chương trình; hãy "
                "giữ nguyên tệp dữ liệu và báo cho quản trị viên.", ERROR_STYLE)
            self.problems.setPlainText("\n".join(f"– {problem}" for problem in result.problems))
            self.problems.show()
        self.verified.emit(result)

    def _on_verify_failed(self, error: Exception) -> None:
        self._show_verdict(f"Không kiểm tra được nhật ký: {error}", ERROR_STYLE)

    # --- showing ----------------------------------------------------------------------

    def _show_entry(self, entry: AuditRow | None) -> None:
        self.changes.set_entry(entry)
        if entry is None:
            self.heading.setText(PICK_AN_ENTRY)
            self.hash.clear()
            return
        lines = [
            f"Dòng số {entry.id} — {local_time(entry.at)} ({utc_offset(entry.at)}) — {who(entry)}",
            f"{action_label(entry.action)} · {entity_label(entry.entity)}: {entry.summary}",
        ]
        if entry.reason:
            lines.append(f"Lý do: {entry.reason}")
        if entry.old_values is None and entry.new_values is None:
            lines.append("Dòng này không ghi giá trị cũ, mới.")
        self.heading.setText("\n".join(lines))
        self.hash.setText(f"Mã kiểm tra (SHA-256): {entry.hash}")

    def _show_status(self) -> None:
        shown = self.model.rowCount()
        if shown == 0:
            self.status.setText("Không có dòng nhật ký nào khớp bộ lọc.")
        elif self._more:
            self.status.setText(f"Hiện {number(shown)} / {number(max(self._total, shown))} dòng, "
                                "mới nhất trước.")
        else:
            self.status.setText(f"{number(shown)} dòng, mới nhất trước.")

    def _show_verdict(self, text: str, style: str) -> None:
        self.verdict.setText(text)
        self.verdict.setStyleSheet(style)
        self.verdict.show()

    def _update_buttons(self) -> None:
        self.more_button.setEnabled(self._more and not self._loading)
        self.more_button.setVisible(self._more)

    @staticmethod
    def _code_combo(labels: dict[str, str]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(ALL, None)
        for code, label in sorted(labels.items(), key=lambda item: name_sort_key(item[1])):
            combo.addItem(label, code)
        return combo
