"""One eligibility outcome as the officer reads it: what was asked, the verdict in a coloured
banner (spelt out too), the rules and who decides, every check with its basis, the years the
report must cover, the dossier and the reward money."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.catalogue import AWARDS
from app.eligibility.checker import ROUTE_LABELS, ROUTES
from app.eligibility.outcome import Outcome, Reward, Status, Verdict
from app.eligibility.request import DECIDE
from ui.check_table import STATUS_COLOURS, CheckTable, CheckTableModel, status_icon, verdict_label

EMPTY_TEXT = "Chọn danh hiệu, hình thức và năm thành tích rồi bấm «Kiểm tra»."
NO_REWARD = "Không có mức tiền thưởng theo hệ số cho hình thức này."
_VERDICT_STATUS = {
    Verdict.ELIGIBLE: Status.PASSED,
    Verdict.NOT_ELIGIBLE: Status.FAILED,
    Verdict.MISSING_INFORMATION: Status.UNKNOWN,
}
_BANNER_BACKGROUNDS = {
    Verdict.ELIGIBLE: "#e7f4ea",
    Verdict.NOT_ELIGIBLE: "#fdecee",
    Verdict.MISSING_INFORMATION: "#fff4d6",
}
NOTE_STYLE = "color: #555555;"


def money(amount: int) -> str:
    """'710.000 đồng': thousands separated by dots, as Vietnamese documents write them."""
    return f"{amount:,} đồng".replace(",", ".")


def decimal_text(value: str) -> str:
    """'0.3' → '0,3': the decimal comma."""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def reward_text(reward: Reward | None) -> str:
    if reward is None:
        return NO_REWARD
    product = Decimal(reward.coefficient) * reward.base_salary
    rounded = "" if product == reward.amount else ", làm tròn lên"
    return (f"{money(reward.amount)} (hệ số {decimal_text(reward.coefficient)} × lương cơ sở "
            f"{money(reward.base_salary)}{rounded})")


def request_text(outcome: Outcome) -> str:
    """What was checked: 'Lao động tiên tiến — năm thành tích 2025, ngày quyết định 24/11/2026',
    with the route after the award when it has several."""
    request = outcome.request
    kind = AWARDS.get(request.award_code)
    parts = [kind.label if kind else request.award_code]
    if len(ROUTES.get(request.award_code, ())) > 1:
        parts.append(ROUTE_LABELS.get(outcome.route, outcome.route))
    parts.append(f"năm thành tích {request.period_end}, ngày quyết định {request.decision_date:%d/%m/%Y}")
    return " — ".join(parts)


def authority_text(outcome: Outcome) -> str:
    """Who decides on the decision date: 'Xã quyết định …' or 'Đề nghị … quyết định'."""
    authority = outcome.authority
    day = f"{outcome.request.decision_date:%d/%m/%Y}"
    if authority.decider == "none":
        return f"Ngày {day} không còn cấp có thẩm quyền quyết định."
    if authority.commune_decides:
        return f"Xã quyết định (Chủ tịch UBND xã, ngày {day})."
    refused = " Xã không tự quyết định được." if outcome.action == DECIDE else ""
    return f"Đề nghị {authority.label} quyết định (ngày {day}).{refused}"


def verdict_text(outcome: Outcome) -> str:
    """The verdict and what stands behind it, e.g. 'Không đủ điều kiện: 2 tiêu chí không đạt'."""
    count = {status: sum(check.status is status for check in outcome.checks) for status in Status}
    label = verdict_label(outcome.verdict)
    if outcome.verdict == Verdict.NOT_ELIGIBLE:
        detail = f"{count[Status.FAILED]} tiêu chí không đạt"
    elif outcome.verdict == Verdict.MISSING_INFORMATION:
        detail = f"{count[Status.UNKNOWN]} tiêu chí chưa đủ thông tin để kết luận"
    else:
        detail = "đạt mọi tiêu chí kiểm tra được"
    review = count[Status.REVIEW]
    council = f"; {review} nội dung do Hội đồng thi đua - khen thưởng xem xét" if review else ""
    return f"{label}: {detail}{council}."


def years_text(years: tuple[int, ...]) -> str:
    if len(years) == 1:
        return f"Năm {years[0]}"
    return f"{len(years)} năm: " + ", ".join(str(year) for year in years)


def _wrapping_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class VerdictBanner(QFrame):
    """The verdict in words beside its icon, on a background of its colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictBanner")
        self.icon = QLabel()
        self.text = _wrapping_label()
        font = self.text.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.text.setFont(font)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)

    def show_outcome(self, outcome: Outcome) -> None:
        verdict = Verdict(outcome.verdict)
        status = _VERDICT_STATUS[verdict]
        colour = STATUS_COLOURS[status].name()
        self.setStyleSheet(f"#verdictBanner {{ background: {_BANNER_BACKGROUNDS[verdict]}; "
                           f"border: 1px solid {colour}; border-radius: 4px; }}")
        self.text.setStyleSheet(f"color: {colour};")
        self.icon.setPixmap(status_icon(status).pixmap(24, 24))
        self.text.setText(verdict_text(outcome))


class CheckResultView(QWidget):
    """Empty until `show_outcome`; `stamp` says whether the result is fresh or stored, and when."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty = _wrapping_label(EMPTY_TEXT)
        self.empty.setStyleSheet(NOTE_STYLE)
        self.heading = _wrapping_label()
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.stamp = _wrapping_label()
        self.stamp.setStyleSheet(NOTE_STYLE)
        self.banner = VerdictBanner()
        self.rules = _wrapping_label()
        self.authority = _wrapping_label()
        self.checks = CheckTableModel(self)
        self.table = CheckTable(self.checks)
        self.years = _wrapping_label()
        self.dossier = _wrapping_label()
        self.reward = _wrapping_label()
        details = QFormLayout()
        details.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        details.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        details.addRow("Quy định áp dụng:", self.rules)
        details.addRow("Thẩm quyền:", self.authority)
        self._after = QFormLayout()
        self._after.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._after.addRow("Báo cáo thành tích:", self.years)
        self._after.addRow("Hồ sơ gồm:", self.dossier)
        self._after.addRow("Tiền thưởng:", self.reward)
        self._content = QWidget()
        column = QVBoxLayout(self._content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.stamp)
        column.addWidget(self.banner)
        column.addLayout(details)
        column.addWidget(self.table)
        column.addLayout(self._after)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self._content)
        self.clear()

    @property
    def outcome(self) -> Outcome | None:
        return self._outcome

    def clear(self) -> None:
        self._outcome: Outcome | None = None
        self.checks.set_rows([])
        self._content.hide()
        self.empty.show()

    def show_outcome(self, outcome: Outcome, stamp: str) -> None:
        self._outcome = outcome
        self.heading.setText(request_text(outcome))
        self.set_stamp(stamp)
        self.banner.show_outcome(outcome)
        self.rules.setText(f"{outcome.rule_set_label} (bộ quy tắc {outcome.rule_set}, "
                           f"phiên bản kiểm tra {outcome.engine_version})")
        self.authority.setText(f"{authority_text(outcome)}\nCăn cứ: {outcome.authority.basis}")
        self.checks.set_rows(outcome.checks)
        self.years.setText(years_text(outcome.reporting_years))
        self.dossier.setText("\n".join(f"{number}. {part.label} ({part.basis})"
                                       for number, part in enumerate(outcome.dossier, 1)))
        self.reward.setText(reward_text(outcome.reward) + (f"\nCăn cứ: {outcome.reward.basis}"
                                                           if outcome.reward else ""))
        self.empty.hide()
        self._content.show()

    def set_stamp(self, text: str) -> None:
        self.stamp.setText(text)
