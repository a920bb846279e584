"""The facts the register cannot tell (không có trong lịch sử): which of them a request
needs for its award and route, how they are named, and the part the officer declares on a
nomination, kept as canonical JSON.

One place for the subject page's check form (ui/check_request_form.py), the nomination
dialog and `tdkt nomination show`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace

from app.eligibility.json_format import canonical_json
from app.errors import ValidationError
from app.vietnamese import clean

COMMUNITY_AWARDS = frozenset({"GDVH", "THON_VH"})  # NĐ 86: village assessment, 10-day posting
CITING_AWARDS = frozenset({"CSTD_TINH", "CSTD_TQ", "BK_TINH"})  # may cite earlier awards (k3)
MAX_DAYS = 365
MAX_NAME = 200

# Whether a request needs a fact: (award code, route, registration required) → needed.
# route None: the checker chooses (Bằng khen tỉnh tries its routes in turn).
FactRule = Callable[[str, str | None, bool], bool]
FACT_RULES: dict[str, FactRule] = {
    "registered": lambda _award, route, required: required and route == "annual",
    "assessment_passed": lambda award, _route, _required: award in COMMUNITY_AWARDS,
    "public_notice_days": lambda award, _route, _required: award in COMMUNITY_AWARDS,
    "cluster_leading": lambda award, _route, _required: award == "CO_TINH",
    "cluster_name": lambda award, _route, _required: award == "CO_TINH",
    "movement": lambda _award, route, _required: route == "thematic",
    "achievement_summary": lambda _award, route, _required: route in ("sudden", "thematic"),
    "event_date": lambda _award, route, _required: route == "sudden",
    "basis_award_uuids": lambda award, route, _required: award in CITING_AWARDS and route != "sudden",
}
FACT_LABELS = {
    "registered": "Đăng ký thi đua đầu năm",
    "assessment_passed": "Kết quả bình xét",
    "public_notice_days": "Số ngày công khai danh sách",
    "cluster_leading": "Xếp hạng cụm, khối thi đua",
    "cluster_name": "Tên cụm, khối thi đua",
    "movement": "Phong trào thi đua",
    "achievement_summary": "Tóm tắt thành tích",
    "event_date": "Ngày lập thành tích",
    "basis_award_uuids": "Khen thưởng nêu làm căn cứ",
}
# The answers a yes / no fact offers, "not given" (None) first.
FACT_CHOICES: dict[str, tuple[tuple[str, bool | None], ...]] = {
    "registered": (("Chưa rõ", None), ("Đã đăng ký", True), ("Không đăng ký", False)),
    "assessment_passed": (("Chưa có kết quả", None), ("Đạt các tiêu chí", True), ("Chưa đạt", False)),
    "cluster_leading": (("Chưa có kết quả", None), ("Dẫn đầu", True), ("Không dẫn đầu", False)),
}


def needs_fact(name: str, award_code: str, route: str | None, registration_required: bool = False) -> bool:
    """Whether a request for `award_code` by `route` needs the fact `name` from the officer."""
    return FACT_RULES[name](award_code, route, registration_required)


@dataclass(frozen=True)
class DeclaredFacts:
    """What the officer declares on a nomination; the nomination itself and the register
    give the other facts (summary, dates, movement, registration). None: not given."""

    assessment_passed: bool | None = None
    public_notice_days: int | None = None  # days the list was posted at the village (NĐ 86)
    cluster_leading: bool | None = None
    cluster_name: str = ""
    basis_award_uuids: tuple[str, ...] = field(default=())

    @classmethod
    def from_json(cls, text: str) -> DeclaredFacts:
        data = json.loads(text or "{}")
        if "basis_award_uuids" in data:
            data["basis_award_uuids"] = tuple(data["basis_award_uuids"])
        return cls(**data)

    def to_json(self) -> str:
        """Canonical JSON of the facts given ("{}" when none)."""
        return canonical_json(self.given())

    def given(self) -> dict[str, object]:
        """The facts given, by name (lists for the audit trail and JSON)."""
        values: dict[str, object] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value is not None and value != "" and value != ():
                values[item.name] = list(value) if isinstance(value, tuple) else value
        return values

    def names(self) -> tuple[str, ...]:
        return tuple(self.given())


def declarable_for(award_code: str, route: str | None) -> tuple[str, ...]:
    """The declared facts a nomination for `award_code` by `route` needs, in form order."""
    return tuple(item.name for item in fields(DeclaredFacts) if needs_fact(item.name, award_code, route))


def validated(facts: DeclaredFacts, award_code: str, route: str | None) -> DeclaredFacts:
    """`facts` cleaned, or ValidationError naming the field: days a whole number from 0,
    yes / no facts True, False or None, only facts the award and route need. Whether
    cited awards are the subject's is for the caller, who can read the history."""
    for name in ("assessment_passed", "cluster_leading"):
        if getattr(facts, name) not in (None, True, False):
            raise ValidationError(f"«{FACT_LABELS[name]}» chỉ nhận có, không hoặc chưa có.", name)
    days = facts.public_notice_days
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_DAYS):
        raise ValidationError(f"«{FACT_LABELS['public_notice_days']}» phải là số nguyên từ 0 đến {MAX_DAYS}.",
                              "public_notice_days")
    name = clean(facts.cluster_name)
    if len(name) > MAX_NAME:
        raise ValidationError(f"«{FACT_LABELS['cluster_name']}» dài quá {MAX_NAME} ký tự.", "cluster_name")
    uuids = tuple(dict.fromkeys(clean(uuid).lower() for uuid in facts.basis_award_uuids))
    facts = replace(facts, cluster_name=name, basis_award_uuids=uuids)
    needed = declarable_for(award_code, route)
    for extra in facts.names():
        if extra not in needed:
            raise ValidationError(f"«{FACT_LABELS[extra]}» không dùng để xét danh hiệu, hình thức này.", extra)
    return facts


def fact_text(name: str, value: object) -> str:
    """A declared value in words, e.g. «Đạt các tiêu chí», «10 ngày»."""
    if name in FACT_CHOICES:
        return next(label for label, choice in FACT_CHOICES[name] if choice == value)
    if name == "public_notice_days":
        return f"{value} ngày"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)
