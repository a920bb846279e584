"""A believable demo commune: people, collectives, households, villages and years of history.

For trying the program and for the benchmarks. Everything is drawn from one seeded
`random.Random`, so a seed always gives the same commune (UUIDs aside). The rows are
bulk-inserted in one transaction, but every subject passes `app.subjects.validate` and gets
its name, search text and sort key from the register's own functions, and every history
record passes `app.history.validate_record`, exactly as if it had been typed in.
`app.demo_register` and `app.demo_history` plan the rows; this module checks and writes them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.demo_history import HistoryPlanner
from app.demo_names import Place
from app.demo_register import Plan, RegisterPlanner
from app.errors import DemoRefusedError, ValidationError
from app.history import (
    AwardRecord,
    DisciplineRecord,
    HistoryRecord,
    InitiativeRecord,
    RatingRecord,
    validate_record,
)
from app.services import Services
from app.subjects import SubjectData, display_name, search_text, sort_key, validate
from db.models import (
    AnnualRating,
    Award,
    Collective,
    CollectiveMember,
    Discipline,
    Household,
    HouseholdMember,
    Individual,
    Initiative,
    Subject,
    Village,
)

Report = Callable[[int, int], None]

CHUNK = 2000  # rows per insert statement; report() is called between chunks


@dataclass(frozen=True)
class DemoSizes:
    individuals: int = 2000
    collectives: int = 60
    households: int = 800
    villages: int = 12
    years: int = 5

    @classmethod
    def scaled(cls, individuals: int) -> DemoSizes:
        """The default commune in proportion to `individuals`, with at least one village and collective."""
        default = cls()
        ratio = individuals / default.individuals
        return cls(
            individuals=individuals,
            collectives=max(1, round(default.collectives * ratio)),
            households=round(default.households * ratio),  # 0.4 per person: never more than people
            villages=max(1, round(default.villages * ratio)),
            years=default.years,
        )


@dataclass(frozen=True)
class DemoSummary:
    individuals: int
    collectives: int
    households: int
    villages: int
    years: int
    village_label: str = "thôn"
    ratings: int = 0
    awards: int = 0
    initiatives: int = 0
    disciplines: int = 0

    def __str__(self) -> str:
        return (f"{self.individuals} cá nhân, {self.collectives} tập thể, {self.households} hộ, "
                f"{self.villages} {self.village_label}, {self.years} năm lịch sử")


def build_demo(
    services: Services, sizes: DemoSizes = DemoSizes(), report: Report | None = None, seed: int = 2026
) -> DemoSummary:
    """Fill an empty register with a demo commune in one transaction; refuses a non-empty one."""
    for f in fields(sizes):
        if getattr(sizes, f.name) < 0:
            raise ValidationError("Số lượng dữ liệu mẫu không được âm.", f.name)
    place = Place.of(services, random.Random(seed))
    with services.sessions.begin() as session:
        existing = session.scalar(select(func.count(Subject.id))) or 0
        if existing:
            raise DemoRefusedError(
                f"Sổ theo dõi đã có {existing} đối tượng. Dữ liệu mẫu chỉ được tạo trên một cơ sở "
                "dữ liệu trống, để không lẫn với dữ liệu thật."
            )
        first_id = (session.scalar(select(func.max(Subject.id))) or 0) + 1
        planner = RegisterPlanner(random.Random(seed), sizes, place, first_id)
        plan = planner.build()
        plan.history = HistoryPlanner(planner).build()
        _write(session, plan, report or (lambda done, total: None))
    return _summary(plan, sizes, place)


def _summary(plan: Plan, sizes: DemoSizes, place: Place) -> DemoSummary:
    kinds = [type(record) for _, _, record in plan.history]
    return DemoSummary(
        len(plan.individuals), len(plan.collectives), len(plan.households), len(plan.villages),
        sizes.years, place.village_word.lower(), kinds.count(RatingRecord),
        kinds.count(AwardRecord), kinds.count(InitiativeRecord), kinds.count(DisciplineRecord),
    )


def _write(session: Session, plan: Plan, report: Report) -> None:
    """Insert the plan in chunks, reporting progress; an exception rolls everything back."""
    now = datetime.now()

    def subject(item: tuple[int, SubjectData]) -> dict[str, object]:
        return _subject_row(*item, now)

    members = [
        {"household_id": household_id, "individual_id": m.individual_id, "relation": m.relation,
         "is_head": m.is_head}
        for household_id, data in plan.households for m in data.members
    ]
    history = {model: [item for item in plan.history if isinstance(item[2], record_type)]
               for record_type, model in ((RatingRecord, AnnualRating), (AwardRecord, Award),
                                          (InitiativeRecord, Initiative), (DisciplineRecord, Discipline))}
    steps: list[tuple[type, Sequence[Any], Callable[[Any], dict[str, object]]]] = [
        (Village, plan.villages, subject),
        (Collective, plan.collectives, subject),
        (Individual, plan.individuals, subject),
        (Household, plan.households, subject),
        (HouseholdMember, members, dict),
        (CollectiveMember, plan.memberships, dict),
        *((model, items, _history_row) for model, items in history.items()),
    ]
    total = sum(len(items) for _, items, _ in steps)
    done = 0
    report(done, total)
    for model, items, to_row in steps:
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            # render_nulls: rows with and without NULLs go in one executemany, not one each
            statement = insert(model).execution_options(render_nulls=True)
            session.execute(statement, [to_row(item) for item in chunk])
            done += len(chunk)
            report(done, total)


def _subject_row(subject_id: int, data: SubjectData, now: datetime) -> dict[str, object]:
    """The columns SubjectService.add_in would set, from the register's own functions."""
    data = validate(data)
    row = {f.name: getattr(data, f.name) for f in fields(data) if f.name not in ("members", "full_name")}
    row.update(id=subject_id, name=display_name(data), search_text=search_text(data),
               sort_key=sort_key(data), created_at=now, updated_at=now)
    return row


def _history_row(item: tuple[int, str, HistoryRecord]) -> dict[str, object]:
    subject_id, kind, record = item
    record = validate_record(record, kind)
    row = {f.name: getattr(record, f.name) for f in fields(record) if f.name != "id"}
    row["subject_id"] = subject_id
    return row
