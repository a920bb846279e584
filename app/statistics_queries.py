"""The SQL behind the statistics: which awards count, their level, the priority groups.

Each figure is a condition over one joined row (award, subject, person, person's village,
collective), so the same condition both counts (SUM over GROUP BY) and lists the records
behind the figure (WHERE). Nothing here loads rows; app/statistics.py runs the queries.

Rules (docs/statistics.md):
- revoked awards (revoked_on set) are never counted;
- an award belongs to the period by its achievement year (`awards.year`);
- its level follows the rule set in force on its decision date, or on 31/12 of its year
  when the date is missing; dates before the first rule set take the first one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, case, false, func, literal, not_, or_, select, true
from sqlalchemy.sql import Select

from app import catalogue
from app.eligibility.rule_sets import RULE_SETS, RuleSet, authority
from db.models import Award, Collective, Individual, Subject, Village


class Level(StrEnum):
    COMMUNE = "commune"
    DISTRICT = "district"
    PROVINCE = "province"
    STATE = "state"
    OTHER = "other"


LEVEL_LABELS: dict[Level, str] = {
    Level.COMMUNE: "Cấp xã",
    Level.DISTRICT: "Cấp huyện (trước 01/07/2025)",
    Level.PROVINCE: "Cấp tỉnh",
    Level.STATE: "Cấp Nhà nước",
    Level.OTHER: "Khác",
}
_LEVEL_OF_DECIDER = {"commune_chairman": Level.COMMUNE, "district_chairman": Level.DISTRICT,
                     "province_chairman": Level.PROVINCE, "national": Level.STATE}

awards = Award.__table__
subjects = Subject.__table__
individuals = Individual.__table__
collectives = Collective.__table__
person_village = Village.__table__.alias("person_village")

# Employment codes that are direct labour by themselves (công nhân, nông dân); anyone else
# counts only when marked `direct_labour` (a «người lao động» may be office staff).
DIRECT_EMPLOYMENT = ("cong_nhan", "nong_dan")
KNOWN_EMPLOYMENT = tuple(code for code in catalogue.EMPLOYMENT if code != "other")
KNOWN_COLLECTIVE_KINDS = tuple(code for code in catalogue.COLLECTIVE_KINDS if code != "other")


def level_of(rule_set: RuleSet, award_code: str) -> Level:
    """The level of `award_code` decided under `rule_set` (who decides it, rule_sets.authority)."""
    if award_code == "OTHER":
        return Level.OTHER
    return _LEVEL_OF_DECIDER.get(authority(rule_set, award_code).decider, Level.OTHER)


def effective_date() -> ColumnElement:
    """The decision date, or 31/12 of the achievement year when it is missing."""
    return func.coalesce(awards.c.decision_date, func.printf("%04d-12-31", awards.c.year))


def rule_set_code() -> ColumnElement:
    """The code of the rule set in force on the award's effective date."""
    day = effective_date()
    later = list(reversed(RULE_SETS[1:]))
    return case(*((day >= rule_set.starts.isoformat(), rule_set.code) for rule_set in later),
                else_=RULE_SETS[0].code)


def level_condition(level: Level) -> ColumnElement[bool]:
    """Awards of `level`: per rule set, the codes it puts at that level."""
    code, rule_set_column = awards.c.award_code, rule_set_code()
    parts = []
    for rule_set in RULE_SETS:
        if level is Level.OTHER:
            others = [c for c in catalogue.AWARDS if level_of(rule_set, c) is not Level.OTHER]
            parts.append(and_(rule_set_column == rule_set.code, code.not_in(others)))
            continue
        codes = [c for c in catalogue.AWARDS if level_of(rule_set, c) is level]
        if codes:
            parts.append(and_(rule_set_column == rule_set.code, code.in_(codes)))
    return or_(false(), *parts)


def in_period(year_from: int, year_to: int) -> ColumnElement[bool]:
    return and_(awards.c.revoked_on.is_(None), awards.c.year.between(year_from, year_to))


def joined(*columns: ColumnElement) -> Select:
    """SELECT over awards joined to their subject and, where they apply, the person, the
    person's village and the collective."""
    return select(*columns).select_from(
        awards.join(subjects, subjects.c.id == awards.c.subject_id)
        .outerjoin(individuals, individuals.c.id == subjects.c.id)
        .outerjoin(person_village, person_village.c.id == individuals.c.village_id)
        .outerjoin(collectives, collectives.c.id == subjects.c.id))


@dataclass(frozen=True)
class PriorityGroup:
    """A Chỉ thị 41-CT/TW priority group: `hit` over the `base` awards (the denominator);
    `unknown` are base awards whose category is missing (counted, never hidden)."""

    key: str
    label: str
    unknown_words: str  # "… không rõ <unknown_words>" in the notes
    base: ColumnElement[bool]
    hit: ColumnElement[bool]
    unknown: ColumnElement[bool]


FORM_CODES = tuple(code for code, kind in catalogue.AWARDS.items() if not kind.is_title)


def _priority_groups() -> tuple[PriorityGroup, ...]:
    kind = subjects.c.kind
    person = kind == "individual"
    employment = func.coalesce(individuals.c.employment, "")
    direct = or_(individuals.c.direct_labour == true(), employment.in_(DIRECT_EMPLOYMENT))
    no_employment = employment.not_in(KNOWN_EMPLOYMENT)
    no_gender = func.coalesce(individuals.c.gender, "").not_in(tuple(catalogue.GENDERS))
    minority = individuals.c.ethnic_minority == true()
    no_ethnicity = func.trim(func.coalesce(individuals.c.ethnicity, "")) == ""
    difficult = or_(individuals.c.difficult_area == true(), person_village.c.difficult_area == true())
    small_base = kind.in_(("collective", "village"))
    small = or_(kind == "village", collectives.c.collective_kind == "team")
    no_collective_kind = and_(kind == "collective", or_(
        collectives.c.collective_kind.is_(None), collectives.c.collective_kind.not_in(KNOWN_COLLECTIVE_KINDS)))
    everything = literal(True)
    return (
        PriorityGroup("priority:direct_labour",
                      "Công nhân, nông dân, lao động trực tiếp (trên khen thưởng cá nhân)",
                      "đối tượng (ghi «Khác» hoặc để trống)",
                      person, direct, and_(not_(direct), no_employment)),
        PriorityGroup("priority:women", "Nữ (trên khen thưởng cá nhân)", "giới tính",
                      person, individuals.c.gender == "female", no_gender),
        PriorityGroup("priority:ethnic_minority", "Người dân tộc thiểu số (trên khen thưởng cá nhân)",
                      "dân tộc (để trống)", person, minority, and_(not_(minority), no_ethnicity)),
        PriorityGroup("priority:difficult_area",
                      "Vùng sâu, vùng xa, vùng khó khăn (trên khen thưởng cá nhân)", "",
                      person, difficult, false()),
        PriorityGroup("priority:small_collective",
                      "Tập thể nhỏ: tổ, đội, thôn, ấp (trên khen thưởng tập thể và thôn)",
                      "loại tập thể (ghi «Khác» hoặc để trống)",
                      small_base, small, and_(not_(small), no_collective_kind)),
        PriorityGroup("priority:household", "Hộ gia đình (trên tổng số khen thưởng)", "",
                      everything, kind == "household", false()),
        # Sudden feats earn forms of commendation, never titles (which are yearly): their share
        # is of the forms, or the yearly titles would drown it.
        PriorityGroup("priority:sudden", "Khen thưởng đột xuất (trên số hình thức khen thưởng)", "",
                      awards.c.award_code.in_(FORM_CODES), awards.c.basis_kind == "sudden", false()),
    )


PRIORITY_GROUPS = _priority_groups()
PRIORITY = {group.key: group for group in PRIORITY_GROUPS}


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def priority_columns() -> list[ColumnElement[int]]:
    """Three sums per group, in PRIORITY_GROUPS order: base, hit within base, unknown within base."""
    columns = []
    for group in PRIORITY_GROUPS:
        columns += [count_if(group.base), count_if(and_(group.base, group.hit)),
                    count_if(and_(group.base, group.unknown))]
    return columns
