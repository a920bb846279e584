"""The rule sets in force over time, and who decides each title or award on a date.

A request is judged by the rule set in force on its decision date (L2022 Điều 94 for the
2024 switch; NĐ 129/2025 for the 01/07/2025 one). Titles granted under an earlier set keep
their legal basis and still count (L2022 Điều 95).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.eligibility.outcome import Authority
from app.errors import ValidationError

L2022 = "Luật 06/2022/QH15"
L2003 = "Luật TĐKT 2003 (sửa đổi 2013)"
ND91 = "NĐ 91/2017/NĐ-CP"
ND98 = "NĐ 98/2023/NĐ-CP"
ND152 = "NĐ 152/2025/NĐ-CP"
ND129 = "NĐ 129/2025/NĐ-CP"
ND86 = "NĐ 86/2023/NĐ-CP"
TT01 = "TT 01/2024/TT-BNV"


@dataclass(frozen=True)
class RuleSet:
    code: str
    label: str
    starts: date
    ends: date | None
    law: str  # the law cited for criteria
    decree: str  # the detail decree cited for principles (NĐ 98 wording, carried into NĐ 152)
    # Award codes the commune chairman decides, and those of the district chairman.
    commune: frozenset[str]
    district: frozenset[str]
    authority_basis: str

    def covers(self, day: date) -> bool:
        return self.starts <= day and (self.ends is None or day <= self.ends)

    @property
    def is_old_law(self) -> bool:
        return self.law == L2003


_PROVINCE = frozenset({"CSTD_TINH", "TTLDXS", "CO_TINH", "BK_TINH"})
_NATIONAL = frozenset({"CSTD_TQ", "CO_CP", "BK_TTG", "HC_LD3"})
_COMMUNE_BEFORE_REFORM = frozenset({"LDTT", "GK_XA", "GDVH"})
_DISTRICT_BEFORE_REFORM = frozenset({"CSTDCS", "TTLDTT", "THON_VH", "GK_HUYEN"})

RULE_SETS: tuple[RuleSet, ...] = (
    RuleSet(
        code="2017-ND91",
        label=f"{L2003}, {ND91}",
        starts=date(2017, 9, 15), ends=date(2023, 12, 31),
        law=L2003, decree=ND91,
        commune=_COMMUNE_BEFORE_REFORM, district=_DISTRICT_BEFORE_REFORM,
        authority_basis=f"{L2003}, thẩm quyền của Chủ tịch UBND cấp xã, cấp huyện",
    ),
    RuleSet(
        code="2024-ND98",
        label=f"{L2022}, {ND98}, {TT01}",
        starts=date(2024, 1, 1), ends=date(2025, 6, 30),
        law=L2022, decree=ND98,
        commune=_COMMUNE_BEFORE_REFORM, district=_DISTRICT_BEFORE_REFORM,
        authority_basis=f"{L2022} Điều 80 k2, k3",
    ),
    RuleSet(
        code="2025-ND152",
        label=f"{L2022}, {ND152}, {ND129}",
        starts=date(2025, 7, 1), ends=None,
        law=L2022, decree=ND98,
        commune=_COMMUNE_BEFORE_REFORM | {"CSTDCS", "TTLDTT", "THON_VH"},
        district=frozenset(),
        authority_basis=f"{L2022} Điều 80 k3; {ND129} (chính quyền hai cấp)",
    ),
)


def rule_set_on(day: date) -> RuleSet:
    """The rule set in force on `day`, or a ValidationError naming the dates covered."""
    for rule_set in RULE_SETS:
        if rule_set.covers(day):
            return rule_set
    raise ValidationError(
        f"Ngày quyết định {day:%d/%m/%Y} nằm ngoài các bộ quy tắc đã có "
        f"(từ {RULE_SETS[0].starts:%d/%m/%Y} trở đi).", "decision_date")


def authority(rule_set: RuleSet, award_code: str) -> Authority:
    """Who decides `award_code` under `rule_set` (L2022 Điều 80; NĐ 129/2025 from 01/07/2025)."""
    if award_code in rule_set.commune:
        return Authority("commune_chairman", True, rule_set.authority_basis)
    if award_code in rule_set.district:
        return Authority("district_chairman", False, rule_set.authority_basis)
    if award_code in _PROVINCE:
        return Authority("province_chairman", False, rule_set.authority_basis)
    if award_code in _NATIONAL:
        return Authority("national", False, rule_set.authority_basis)
    return Authority("none", False, rule_set.authority_basis)
