"""Statistics of titles and awards for a year or a period, as the province asks for them.

Every figure is counted by the database (GROUP BY / SUM over joins, app/statistics_queries.py);
a fixed handful of statements answers however many awards the register holds. Revoked awards
are never counted. Each figure has a stable key, and `records(key, …)` lists the awards
behind it, so a click on a figure opens its list. Rules and denominators: docs/statistics.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.orm import Session, sessionmaker

from app import catalogue
from app.eligibility.rule_sets import RULE_SETS
from app.errors import ValidationError
from app.statistics_queries import (
    LEVEL_LABELS,
    PRIORITY,
    PRIORITY_GROUPS,
    Level,
    awards,
    count_if,
    in_period,
    joined,
    level_condition,
    level_of,
    priority_columns,
    rule_set_code,
    subjects,
)
from db.models import Initiative, Movement

__all__ = ["LEVEL_LABELS", "Figure", "Level", "RecordRow", "Statistics", "StatisticsService"]

MOVEMENT_FIGURES = (  # key, label, the step's date column
    ("movement:launched", "Phong trào được phát động", "launched_on"),
    ("movement:reviewed", "Phong trào được sơ kết", "midterm_on"),
    ("movement:closed", "Phong trào được tổng kết", "final_on"),
)
_NUMBER_WORDS = {2: "hai", 3: "ba", 4: "bốn"}


@dataclass(frozen=True)
class Figure:
    key: str  # stable id: "award:LDTT", "level:province", "kind:individual", "priority:women"
    label: str
    count: int
    denominator: int | None = None  # for shares; None for plain counts
    unknown: int = 0  # records whose category is missing («không rõ»)

    @property
    def share(self) -> float | None:
        """count / denominator; None when there is no denominator or it is 0."""
        if not self.denominator:
            return None
        return self.count / self.denominator

    def as_json(self) -> dict:
        return {"key": self.key, "label": self.label, "count": self.count,
                "denominator": self.denominator, "unknown": self.unknown}


@dataclass(frozen=True)
class Statistics:
    year_from: int
    year_to: int
    total: int  # awards counted (not revoked)
    by_award: tuple[Figure, ...]  # every award code with count > 0, catalogue order
    by_level: tuple[Figure, ...]  # the five levels, zeros included
    by_subject_kind: tuple[Figure, ...]  # the four kinds, zeros included
    priority: tuple[Figure, ...]  # the priority groups with their denominators
    movements: tuple[Figure, ...]  # launched, reviewed (sơ kết), closed (tổng kết) in the period
    initiatives: int
    rule_sets: tuple[str, ...]  # codes of the rule sets the period spans
    notes: tuple[str, ...]  # plain Vietnamese statements

    def figure(self, key: str) -> Figure | None:
        """The figure with `key`, from any of the groups; None when there is none."""
        groups = (self.by_award, self.by_level, self.by_subject_kind, self.priority, self.movements)
        return next((f for group in groups for f in group if f.key == key), None)

    def as_json(self) -> dict:
        """Plain JSON-able data (for the stored report and its hash)."""
        return {
            "year_from": self.year_from, "year_to": self.year_to, "total": self.total,
            "by_award": [f.as_json() for f in self.by_award],
            "by_level": [f.as_json() for f in self.by_level],
            "by_subject_kind": [f.as_json() for f in self.by_subject_kind],
            "priority": [f.as_json() for f in self.priority],
            "movements": [f.as_json() for f in self.movements],
            "initiatives": self.initiatives,
            "rule_sets": list(self.rule_sets),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class RecordRow:
    award_id: int
    subject_id: int
    subject_name: str
    subject_kind_label: str
    award_label: str
    year: int
    decision_number: str
    decision_date: date | None
    issuer: str


class StatisticsService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def figures(self, year_from: int, year_to: int | None = None) -> Statistics:
        """Every figure of the period (its achievement years, both ends included)."""
        year_to = _checked(year_from, year_to)
        with self._sessions() as session:
            tally = _tally(session, year_from, year_to)
            by_year = _priority_by_year(session, in_period(year_from, year_to))
            movements = _movements(session, year_from, year_to)
            initiatives = session.scalar(select(func.count()).select_from(Initiative).where(
                Initiative.year.between(year_from, year_to)))
        priority = _priority_figures([counts for counts in by_year.values()])
        rule_sets = _rule_sets(year_from, year_to, tally.rule_sets)
        return Statistics(
            year_from=year_from, year_to=year_to, total=tally.total,
            by_award=tally.by_award(), by_level=tally.by_level(), by_subject_kind=tally.by_kind(),
            priority=priority, movements=movements, initiatives=initiatives or 0,
            rule_sets=rule_sets, notes=_notes(year_from, year_to, tally, priority, rule_sets))

    def trend(self, years: Sequence[int]) -> list[tuple[int, tuple[Figure, ...]]]:
        """The priority figures of each year (one statement for all the years)."""
        if not years:
            return []
        with self._sessions() as session:
            by_year = _priority_by_year(session, and_(awards.c.revoked_on.is_(None),
                                                      awards.c.year.in_(sorted(set(years)))))
        return [(year, _priority_figures([by_year[year]] if year in by_year else []))
                for year in years]

    def records(self, key: str, year_from: int, year_to: int | None = None) -> list[RecordRow]:
        """The awards behind the figure `key` in the period, in Vietnamese name order.

        Besides the figures' keys: "total"; "priority:<group>:base" (the denominator) and
        "priority:<group>:unknown" (the «không rõ» records)."""
        year_to = _checked(year_from, year_to)
        query = joined(
            awards.c.id, subjects.c.id, subjects.c.name, subjects.c.kind, awards.c.award_code,
            awards.c.year, awards.c.decision_number, awards.c.decision_date, awards.c.issuer,
        ).where(in_period(year_from, year_to), condition(key)).order_by(
            subjects.c.sort_key, subjects.c.id, awards.c.year, awards.c.id)
        with self._sessions() as session:
            return [RecordRow(award_id=row[0], subject_id=row[1], subject_name=row[2],
                              subject_kind_label=catalogue.SUBJECT_KINDS.get(row[3], row[3]),
                              award_label=catalogue.award_label(row[4]), year=row[5],
                              decision_number=row[6], decision_date=row[7], issuer=row[8])
                    for row in session.execute(query)]


def condition(key: str) -> ColumnElement[bool]:
    """The WHERE condition selecting the awards behind the figure `key`."""
    prefix, _, rest = key.partition(":")
    if key == "total":
        return true()
    if prefix == "award" and rest:
        return awards.c.award_code == rest
    if prefix == "level" and rest in tuple(Level):
        return level_condition(Level(rest))
    if prefix == "kind" and rest in catalogue.SUBJECT_KINDS:
        return subjects.c.kind == rest
    if prefix == "priority":
        group_key, _, part = key.rpartition(":") if key.count(":") == 2 else (key, "", "")
        group = PRIORITY.get(group_key)
        if group is not None and part == "":
            return and_(group.base, group.hit)
        if group is not None and part == "base":
            return group.base
        if group is not None and part == "unknown":
            return and_(group.base, group.unknown)
    raise ValidationError(f"Chỉ tiêu «{key}» không có danh sách khen thưởng.", "key")


def percent_text(share: float) -> str:
    """0.375 → '37,5%': one decimal with the Vietnamese comma, as the report and the screens show it."""
    return f"{share * 100:.1f}%".replace(".", ",")


# The years the register can hold: from the first emulation movements of 1945 to the end of
# the rule sets' calendar. A year outside is a typing mistake, refused in words.
FIRST_YEAR, LAST_YEAR = 1945, 2100


def _checked(year_from: int, year_to: int | None) -> int:
    year_to = year_from if year_to is None else year_to
    for year in (year_from, year_to):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError(f"Năm {year} không hợp lệ: hãy chọn một năm từ {FIRST_YEAR} đến {LAST_YEAR}.",
                                  "year")
    if year_to < year_from:
        raise ValidationError(f"Năm cuối {year_to} đứng trước năm đầu {year_from}.", "year_to")
    return year_to


@dataclass(frozen=True)
class _Tally:
    """The awards of the period grouped by code, subject kind and rule set (counted ones), with
    the revoked ones and those without a decision date counted apart for the notes."""

    groups: Counter  # (award_code, subject_kind, rule_set_code) → count, not revoked
    years: frozenset[int]  # years with at least one counted award
    revoked: int
    undated: int

    @property
    def total(self) -> int:
        return sum(self.groups.values())

    @property
    def rule_sets(self) -> set[str]:
        return {rule_set for (_code, _kind, rule_set) in self.groups}

    def by_award(self) -> tuple[Figure, ...]:
        counts = Counter()
        for (code, _kind, _rule_set), n in self.groups.items():
            counts[code] += n
        order = list(catalogue.AWARDS) + sorted(set(counts) - set(catalogue.AWARDS))
        return tuple(Figure(f"award:{code}", catalogue.award_label(code), counts[code])
                     for code in order if counts[code])

    def by_level(self) -> tuple[Figure, ...]:
        rule_sets = {rule_set.code: rule_set for rule_set in RULE_SETS}
        counts = Counter()
        for (code, _kind, rule_set), n in self.groups.items():
            counts[level_of(rule_sets[rule_set], code)] += n
        return tuple(Figure(f"level:{level}", LEVEL_LABELS[level], counts[level]) for level in Level)

    def by_kind(self) -> tuple[Figure, ...]:
        counts = Counter()
        for (_code, kind, _rule_set), n in self.groups.items():
            counts[kind] += n
        return tuple(Figure(f"kind:{kind}", label, counts[kind])
                     for kind, label in catalogue.SUBJECT_KINDS.items())


def _tally(session: Session, year_from: int, year_to: int) -> _Tally:
    revoked = awards.c.revoked_on.is_not(None)
    undated = awards.c.decision_date.is_(None)
    rule_set = rule_set_code()
    query = joined(awards.c.year, awards.c.award_code, subjects.c.kind, rule_set,
                   revoked, undated, func.count()).where(
        awards.c.year.between(year_from, year_to)).group_by(
        awards.c.year, awards.c.award_code, subjects.c.kind, rule_set, revoked, undated)
    groups: Counter = Counter()
    years, revoked_count, undated_count = set(), 0, 0
    for year, code, kind, rule_set, is_revoked, is_undated, n in session.execute(query):
        if is_revoked:
            revoked_count += n
            continue
        groups[code, kind, rule_set] += n
        years.add(year)
        undated_count += n if is_undated else 0
    return _Tally(groups, frozenset(years), revoked_count, undated_count)


def _priority_by_year(session: Session, where: ColumnElement[bool]) -> dict[int, tuple[int, ...]]:
    query = joined(awards.c.year, *priority_columns()).where(where).group_by(awards.c.year)
    return {row[0]: tuple(row[1:]) for row in session.execute(query)}


def _priority_figures(rows: list[tuple[int, ...]]) -> tuple[Figure, ...]:
    """Sums the per-year (base, hit, unknown) triples into one figure per group."""
    totals = [sum(column) for column in zip(*rows)] or [0] * (3 * len(PRIORITY_GROUPS))
    return tuple(Figure(group.key, group.label, count=totals[3 * i + 1], denominator=totals[3 * i],
                        unknown=totals[3 * i + 2])
                 for i, group in enumerate(PRIORITY_GROUPS))


def _movements(session: Session, year_from: int, year_to: int) -> tuple[Figure, ...]:
    first, last = date(year_from, 1, 1), date(year_to, 12, 31)
    columns = [count_if(getattr(Movement, column).between(first, last))
               for _key, _label, column in MOVEMENT_FIGURES]
    counts = session.execute(select(*columns).select_from(Movement)).one()
    return tuple(Figure(key, label, counts[i]) for i, (key, label, _column) in enumerate(MOVEMENT_FIGURES))


def _rule_sets(year_from: int, year_to: int, used: set[str]) -> tuple[str, ...]:
    """The rule sets in force during the period, and any other one a counted award was
    decided under (an award of 2023 decided in 2024), in time order. A period before the
    first rule set takes the first (its levels are computed with it)."""
    first, last = date(year_from, 1, 1), date(year_to, 12, 31)
    spans = {rule_set.code for rule_set in RULE_SETS
             if rule_set.starts <= last and (rule_set.ends is None or rule_set.ends >= first)}
    if first < RULE_SETS[0].starts:
        spans.add(RULE_SETS[0].code)
    return tuple(rule_set.code for rule_set in RULE_SETS if rule_set.code in spans | used)


def period_words(year_from: int, year_to: int) -> str:
    """«Năm 2025» or «Giai đoạn 2021–2025», to start a sentence."""
    return f"Năm {year_from}" if year_from == year_to else f"Giai đoạn {year_from}–{year_to}"


def _notes(year_from: int, year_to: int, tally: _Tally, priority: tuple[Figure, ...],
           rule_sets: tuple[str, ...]) -> tuple[str, ...]:
    notes = []
    if tally.total == 0:
        notes.append(f"{period_words(year_from, year_to)} chưa có dữ liệu khen thưởng.")
    else:
        notes += [f"Năm {year} chưa có dữ liệu khen thưởng."
                  for year in range(year_from, year_to + 1) if year not in tally.years]
    if len(rule_sets) > 1:
        known = {rule_set.code: rule_set for rule_set in RULE_SETS}
        listed = "; ".join(f"{known[code].label}, từ {known[code].starts:%d/%m/%Y}" for code in rule_sets)
        notes.append(f"{period_words(year_from, year_to)} trải qua "
                     f"{_NUMBER_WORDS.get(len(rule_sets), str(len(rule_sets)))} bộ quy định ({listed}); "
                     "cấp khen thưởng tính theo bộ quy định có hiệu lực vào ngày quyết định.")
    if tally.undated:
        notes.append(f"{tally.undated} khen thưởng không ghi ngày quyết định; cấp khen thưởng của "
                     "các khen thưởng này tính theo ngày 31/12 của năm thành tích.")
    if tally.revoked:
        notes.append(f"Không tính {tally.revoked} khen thưởng đã bị thu hồi.")
    for group, figure in zip(PRIORITY_GROUPS, priority):
        if figure.unknown:
            notes.append(f"{figure.unknown} trong {figure.denominator} khen thưởng của chỉ tiêu "
                         f"«{group.label}» không rõ {group.unknown_words}; được đếm riêng là «không rõ».")
    return tuple(notes)
