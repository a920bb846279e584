"""What the officer asks the eligibility checker for one subject: the title or award, its
route, the achievement year, the decision date, how the commune acts, and only those facts
(không có trong lịch sử) that the chosen award and route need."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QSpinBox, QWidget

from app.catalogue import AWARDS
from app.eligibility.checker import ROUTE_LABELS, ROUTES, SUPPORTED, checkable
from app.eligibility.declared_facts import FACT_CHOICES, FACT_LABELS, needs_fact
from app.eligibility.request import DECIDE, PROPOSE, CheckRequest, Facts
from app.history import FIRST_YEAR
from ui.form import DateField, NoteField, TextField, YearField

AUTOMATIC_ROUTE = "Tự chọn (tuyến đầu tiên đạt)"
# Awards whose checker tries its routes in turn when none is asked for.
AUTOMATIC_ROUTE_AWARDS = frozenset({"BK_TINH"})
ACTIONS: tuple[tuple[str, str | None], ...] = (
    ("Theo thẩm quyền", None),
    ("Xã quyết định", DECIDE),
    ("Đề nghị cấp trên", PROPOSE),
)
UNKNOWN_DAYS = -1  # the public-notice spin box's "not given"


class OptionField(QComboBox):
    """One value out of a short fixed list (None, booleans, codes), shown by its label."""

    changed = Signal()

    def __init__(self, options: Sequence[tuple[str, object]] = ()) -> None:
        super().__init__()
        self.set_options(options)
        self.currentIndexChanged.connect(self.changed)

    def set_options(self, options: Sequence[tuple[str, object]]) -> None:
        self.blockSignals(True)
        self.clear()
        for label, value in options:
            self.addItem(label, value)
        self.blockSignals(False)

    def value(self) -> object:
        # itemData, not currentData: PySide gives back the Python object stored, None included.
        return self.itemData(self.currentIndex()) if self.currentIndex() >= 0 else None

    def set_value(self, value: object) -> None:
        for position in range(self.count()):
            if self.itemData(position) == value:
                self.setCurrentIndex(position)
                return


class DaysField(QSpinBox):
    """A number of days, or 'not given'."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setRange(UNKNOWN_DAYS, 365)
        self.setSpecialValueText("Chưa ghi")
        self.setSuffix(" ngày")
        self.set_value(None)
        self.valueChanged.connect(self.changed)

    def value(self) -> int | None:  # type: ignore[override]
        days = super().value()
        return None if days == UNKNOWN_DAYS else days

    def set_value(self, days: int | None) -> None:
        self.setValue(UNKNOWN_DAYS if days is None else days)


def awards_for(subject_kind: str) -> list[tuple[str, str]]:
    """(label, code) of the awards the checker knows for this kind of subject."""
    return [(AWARDS[code].label, code) for code in SUPPORTED if checkable(code, subject_kind)]


def routes_for(award_code: str, subject_kind: str) -> list[tuple[str, str | None]]:
    """(label, route) offered for the award; «Tự chọn» (None) first where the checker chooses."""
    routes = [route for route in ROUTES[award_code] if route != "household" or subject_kind == "household"]
    options: list[tuple[str, str | None]] = [(ROUTE_LABELS.get(route, route), route) for route in routes]
    if award_code in AUTOMATIC_ROUTE_AWARDS:
        options.insert(0, (AUTOMATIC_ROUTE, None))
    elif award_code == "GK_XA" and subject_kind == "household":
        options.sort(key=lambda option: option[1] != "household")  # the checker's default first
    return options


class CheckRequestForm(QWidget):
    """The request fields in one column; `request()` reads them into a CheckRequest."""

    changed = Signal()

    def __init__(self, subject_kind: str, today: date, registration_required: Callable[[date], bool],
                 parent: QWidget | None = None) -> None:
        """`registration_required(decision_date)`: whether the province's settings on that date
        make registering for the movement at the start of the year a condition."""
        super().__init__(parent)
        self._subject_kind = subject_kind
        self._registration_required = registration_required
        self.award = OptionField(awards_for(subject_kind))
        self.route = OptionField()
        self.year = YearField(FIRST_YEAR, today.year)
        self.year.set_value(today.year - 1)
        self.decision_date = DateField(optional=False)
        self.decision_date.set_value(today)
        self.action = OptionField(ACTIONS)
        self.facts: dict[str, QWidget] = {
            "registered": OptionField(FACT_CHOICES["registered"]),
            "assessment_passed": OptionField(FACT_CHOICES["assessment_passed"]),
            "public_notice_days": DaysField(),
            "cluster_leading": OptionField(FACT_CHOICES["cluster_leading"]),
            "cluster_name": TextField(200, "ví dụ Cụm thi đua số 3"),
            "movement": TextField(200, "tên phong trào thi đua theo chuyên đề"),
            "achievement_summary": NoteField(),
            "event_date": DateField(),
        }
        self._layout = QFormLayout(self)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addRow("Danh hiệu, hình thức:", self.award)
        self._layout.addRow("Tuyến xét:", self.route)
        self._layout.addRow("Năm thành tích:", self.year)
        self._layout.addRow("Ngày quyết định:", self.decision_date)
        self._layout.addRow("Cách xử lý của xã:", self.action)
        for name, field in self.facts.items():
            self._layout.addRow(f"{FACT_LABELS[name]}:", field)
        self.award.changed.connect(self._on_award_changed)
        self.route.changed.connect(self._show_needed_facts)
        self.decision_date.changed.connect(self._show_needed_facts)
        for field in (self.award, self.route, self.year, self.decision_date, self.action, *self.facts.values()):
            field.changed.connect(self.changed)  # type: ignore[attr-defined]
        self._on_award_changed()

    def field(self, name: str) -> QWidget | None:
        """The widget for a CheckRequest field or fact name (as ValidationError.field names it)."""
        named = {"award_code": self.award, "route": self.route, "period_end": self.year,
                 "decision_date": self.decision_date, "action": self.action}
        return named.get(name) or self.facts.get(name)

    def is_shown(self, name: str) -> bool:
        field = self.field(name)
        return field is not None and self._layout.isRowVisible(field)

    def request(self) -> CheckRequest:
        award = str(self.award.value())
        route = self.route.value()
        decision_date = self.decision_date.value()
        assert decision_date is not None  # the field is not optional
        facts = {name: field.value() for name, field in self.facts.items()  # type: ignore[attr-defined]
                 if self._needs(name)}
        return CheckRequest(award, int(self.year.value() or 0), decision_date, route,  # type: ignore[arg-type]
                            self.action.value(), Facts(**facts))  # type: ignore[arg-type]

    def _on_award_changed(self) -> None:
        award = self.award.value()
        options = routes_for(str(award), self._subject_kind) if award else []
        self.route.set_options(options)
        self._layout.setRowVisible(self.route, len(options) > 1)
        self._show_needed_facts()

    def _needs(self, name: str) -> bool:
        award, route = str(self.award.value()), self.route.value()
        required = False
        if name == "registered" and route == "annual":  # asks the settings only when it matters
            day = self.decision_date.value()
            required = day is not None and self._registration_required(day)
        return needs_fact(name, award, route, required)  # type: ignore[arg-type]

    def _show_needed_facts(self) -> None:
        for name, field in self.facts.items():
            self._layout.setRowVisible(field, self._needs(name))
