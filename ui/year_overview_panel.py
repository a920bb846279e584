"""The first tab of «Năm thi đua»: where the year stands, in words, and what comes next.

Cards count the year's movements, registrations, ratings, review candidates, council
sessions, nominations and decisions; a list names the notices ending and the province
answers due within a week or already late (late ones in red); each next step is a button
that opens the tab doing it. The counts are read on the read pool; without one (tests) they
are read at once.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.movements import KIND_LABELS as MOVEMENT_KIND_LABELS
from app.movements import STATE_LABELS as MOVEMENT_STATE_LABELS
from app.nomination_deadlines import DUE_SOON_DAYS, Deadline, DeadlineKind
from app.nomination_states import STATE_LABELS
from app.services import Services
from app.year_overview import NextStep, YearOverview, award_label, next_steps
from ui.background import Task
from ui.check_result_view import money
from ui.register_view import number

LOADING = "Đang tải…"
NOTHING_NEXT = "Không có việc nào đang chờ cho năm này."
NO_DEADLINES = f"Không có hạn nào trong {DUE_SOON_DAYS} ngày tới, không có hồ sơ quá hạn."
LATE_STYLE = "color: #b00020;"
NOTE_STYLE = "color: #555555;"
STEP_STYLE = "QPushButton { text-align: left; padding: 5px 10px; }"

# Card key → title, in the order shown (two columns).
CARDS = {
    "movements": "Phong trào thi đua",
    "registrations": "Đăng ký thi đua",
    "ratings": "Xếp loại cuối năm",
    "review": "Bình xét",
    "council": "Họp Hội đồng TĐKT",
    "nominations": "Hồ sơ đề nghị khen thưởng",
    "decisions": "Quyết định khen thưởng của xã",
}


def card_texts(overview: YearOverview) -> dict[str, str]:
    """Each card's text: counts in words, one fact per line."""
    return {"movements": _movements(overview), "registrations": _registrations(overview),
            "ratings": _ratings(overview), "review": _review(overview), "council": _council(overview),
            "nominations": _nominations(overview), "decisions": _decisions(overview)}


def deadline_text(deadline: Deadline) -> str:
    """'Lê Văn Cường — Bằng khen…: cấp trên phải trả lời trước 01/12/2026, quá hạn 9 ngày'."""
    who = f"{deadline.subject_name} — {award_label(deadline.award_code)}"
    due = f"{deadline.due_on:%d/%m/%Y}"
    days = deadline.days_left
    if deadline.kind is DeadlineKind.PROVINCE_ANSWER:
        if days < 0:
            return f"{who}: cấp trên phải trả lời trước {due}, quá hạn {-days} ngày"
        return f"{who}: cấp trên trả lời hạn {due}, {_days_left(days)}"
    if days < 0:
        return f"{who}: đã hết niêm yết công khai ngày {due}, chờ quyết định hoặc trình cấp trên"
    return f"{who}: hết niêm yết công khai ngày {due}, {_days_left(days)}"


def _days_left(days: int) -> str:
    return "hôm nay" if days == 0 else f"còn {days} ngày"


def _movements(o: YearOverview) -> str:
    m = o.movements
    if m.total == 0:
        return f"Chưa có phong trào thi đua nào cho năm {o.year}."
    lines = []
    if m.regular_state:
        lines.append(f"Thường xuyên: «{m.regular_name}» — {MOVEMENT_STATE_LABELS[m.regular_state].lower()}.")
    else:
        lines.append("Chưa có phong trào thi đua thường xuyên.")
    kinds = [f"{count} {MOVEMENT_KIND_LABELS[kind].lower()}"
             for kind, count in (("regular", m.regular_count), ("thematic", m.thematic_count)) if count]
    lines.append(f"{m.total} phong trào: {', '.join(kinds)}.")
    lines += [f"• {MOVEMENT_STATE_LABELS[state]}: {count}" for state, count in m.by_state if count]
    return "\n".join(lines)


def _registrations(o: YearOverview) -> str:
    if o.registrations == 0:
        return "Chưa có đăng ký thi đua nào."
    lines = [f"{number(o.registrations)} lượt đăng ký của {number(o.registered_subjects)} cá nhân, tập thể."]
    lines += [f"• {award_label(code)}: {number(count)}" for code, count in o.registrations_by_award]
    return "\n".join(lines)


def _ratings(o: YearOverview) -> str:
    r = o.ratings
    lines = [f"Cá nhân (cán bộ, công chức, viên chức, người lao động): đã nhập {number(r.individuals_rated)}"
             f"/{number(r.individuals_expected)}.",
             f"Tập thể: đã nhập {number(r.collectives_rated)}/{number(r.collectives_expected)}."]
    lines.append(f"Còn thiếu {number(r.missing)} đối tượng." if r.missing else "Đã nhập đủ xếp loại.")
    return "\n".join(lines)


def _review(o: YearOverview) -> str:
    c = o.candidates
    if c.total == 0:
        return "Chưa chạy đề xuất bình xét."
    lines = [f"{number(c.kept)} ứng viên được giữ, {number(c.removed)} bị loại."]
    if c.waiting:
        lines.append(f"{number(c.waiting_total)} ứng viên chờ bổ sung thông tin để xét:")
        lines += [f"• {award_label(code)}: {number(count)}" for code, count in c.waiting]
    if c.missing_information:
        lines.append(f"{number(c.missing_information)} ứng viên được giữ dù còn thiếu thông tin.")
    if c.not_nominated:
        lines.append(f"{number(c.not_nominated)} ứng viên chưa lập hồ sơ đề nghị.")
    if c.by_award:
        lines.append("Ứng viên được giữ theo danh hiệu:")
        lines += [f"• {award_label(code)}: {number(count)}" for code, count in c.by_award]
    return "\n".join(lines)


def _council(o: YearOverview) -> str:
    if o.open_sessions + o.final_sessions == 0:
        return "Chưa có phiên họp nào."
    return (f"{o.final_sessions} phiên đã chốt kết quả, {o.open_sessions} phiên đang mở.\n"
            f"{number(o.nominations.awaiting_vote)} hồ sơ đã kiểm tra chờ Hội đồng xét.")


def _nominations(o: YearOverview) -> str:
    n = o.nominations
    lines = [f"{number(n.total)} hồ sơ đề nghị." if n.total else "Chưa có hồ sơ đề nghị nào."]
    lines += [f"• {STATE_LABELS[state]}: {number(count)}" for state, count in n.by_state]
    return "\n".join(lines)


def _decisions(o: YearOverview) -> str:
    d = o.decisions
    lines = [f"{d.issued} quyết định đã ban hành, {d.drafts} dự thảo."]
    if d.items:
        lines.append(f"{number(d.items)} cá nhân, tập thể được khen; tiền thưởng {money(d.reward_total)}.")
    if d.revoked_items:
        lines.append(f"{number(d.revoked_items)} khen thưởng đã bị thu hồi (không tính).")
    return "\n".join(lines)


class _Card(QGroupBox):
    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)


class YearOverviewPanel(QWidget):
    """Shows one year's overview; `step_requested` names the tab of a next step clicked,
    `nomination_requested` the nomination of a deadline clicked."""

    step_requested = Signal(str)
    nomination_requested = Signal(int)
    loaded = Signal(object)  # the YearOverview shown

    def __init__(self, services: Services, read_pool: QThreadPool | None = None,
                 today: Callable[[], date] = date.today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._read_pool = read_pool
        self._today = today
        self._year = today().year
        self._generation = 0  # bumped by every load; older results are dropped
        self.overview: YearOverview | None = None

        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.status = QLabel()
        self.status.setStyleSheet(NOTE_STYLE)
        self.status.setWordWrap(True)

        self.steps_box = QGroupBox("Việc cần làm tiếp")
        self._steps_layout = QGridLayout(self.steps_box)
        self.step_buttons: list[QPushButton] = []
        self.deadlines_box = QGroupBox(f"Hạn xử lý trong {DUE_SOON_DAYS} ngày tới và quá hạn")
        self._deadlines_layout = QVBoxLayout(self.deadlines_box)
        self.deadline_labels: list[QLabel] = []

        self.cards = {key: _Card(title) for key, title in CARDS.items()}
        grid = QGridLayout()
        for position, card in enumerate(self.cards.values()):
            grid.addWidget(card, position // 2, position % 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(self.heading)
        column.addWidget(self.status)
        column.addWidget(self.steps_box)
        column.addWidget(self.deadlines_box)
        column.addLayout(grid)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    @property
    def year(self) -> int:
        return self._year

    def set_year(self, year: int) -> None:
        self._year = year
        self.reload()

    def card_text(self, key: str) -> str:
        return self.cards[key].body.text()

    def reload(self) -> None:
        """Read the year's counts again (after a change in any tab)."""
        self._generation += 1
        generation, year, today = self._generation, self._year, self._today()
        self.heading.setText(f"Năm thi đua {year}")
        self.status.setText(LOADING)
        service = self._services.year_overview
        if self._read_pool is None:
            self._on_loaded(generation, service.overview(year, today))
            return
        task = Task(lambda _report: service.overview(year, today), parent=self)
        task.succeeded.connect(lambda overview: self._on_loaded(generation, overview))
        task.failed.connect(lambda error: self._on_load_failed(generation, error))
        task.start(self._read_pool)

    # --- showing -----------------------------------------------------------------------

    def _on_loaded(self, generation: int, overview: YearOverview) -> None:
        if generation != self._generation:
            return
        self.overview = overview
        self.status.setText(f"Tình hình đến ngày {overview.today:%d/%m/%Y}.")
        for key, text in card_texts(overview).items():
            self.cards[key].body.setText(text)
        self._show_steps(next_steps(overview))
        self._show_deadlines(overview.deadlines)
        self.loaded.emit(overview)

    def _on_load_failed(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self.status.setText(f"Không đọc được tình hình năm {self._year}: {error}")

    def _show_steps(self, steps: list[NextStep]) -> None:
        _clear(self._steps_layout)
        self.step_buttons = []
        if not steps:
            self._steps_layout.addWidget(QLabel(NOTHING_NEXT), 0, 0)
        for position, step in enumerate(steps):  # in two columns, read row by row
            button = QPushButton(f"→  {step.text}")
            button.setStyleSheet(STEP_STYLE)
            button.setToolTip("Mở thẻ làm việc này")
            button.clicked.connect(lambda _checked=False, tab=step.tab.value: self.step_requested.emit(tab))
            self._steps_layout.addWidget(button, position // 2, position % 2)
            self.step_buttons.append(button)

    def _show_deadlines(self, deadlines: tuple[Deadline, ...]) -> None:
        _clear(self._deadlines_layout)
        self.deadline_labels = []
        if not deadlines:
            self._deadlines_layout.addWidget(QLabel(NO_DEADLINES))
        for deadline in deadlines:
            label = QLabel()
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            style = f' style="{LATE_STYLE}"' if deadline.overdue else ""
            label.setText(f'<a href="{deadline.nomination_id}"{style}>{html.escape(deadline_text(deadline))}</a>')
            label.setToolTip("Mở hồ sơ đề nghị")
            label.linkActivated.connect(lambda href: self.nomination_requested.emit(int(href)))
            self._deadlines_layout.addWidget(label)
            self.deadline_labels.append(label)


def _clear(layout: QLayout) -> None:
    while layout.count():
        widget = layout.takeAt(0).widget()
        if widget is not None:
            widget.setParent(None)  # gone from findChildren at once, deleted later
            widget.deleteLater()

