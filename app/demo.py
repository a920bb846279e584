"""A believable demo commune: people, collectives, households, villages and years of history.

For trying the program and for the benchmarks. Everything is drawn from seeded
`random.Random`s and the clock, so a seed on a given day always gives the same commune
(UUIDs and timestamps aside). Everything is written in one transaction, on behalf of the
services' actor (who must be allowed to edit the register): subjects through
`SubjectService.add_many_in`, as an import writes them, and the older history bulk-inserted
after each record passes `app.history.validate_record`, exactly as if typed in, each with its
audit entry. The last years are then worked through the emulation year's services
(`app.demo_year`; `DemoSizes.worked` says how many), each service call a savepoint of that
same transaction, so a cancel or a failure leaves the database as it was.
`app.demo_register` and `app.demo_history` plan the rows; this module writes them;
`app.demo_accounts` makes the demo accounts.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from app import catalogue
from app.audit import AuditEvent, Clock, utc_now
from app.demo_history import HistoryPlanner
from app.demo_names import Place
from app.demo_register import Plan, RegisterPlanner
from app.demo_year import FlowSummary, current_year, phase_count, work_years, worked_years
from app.errors import DemoRefusedError, ValidationError
from app.history import (
    ENTITIES,
    AwardRecord,
    DisciplineRecord,
    HistoryRecord,
    InitiativeRecord,
    RatingRecord,
    describe,
    record_values,
    validate_record,
)
from app.roles import Permission, require
from app.services import Services
from app.subject_data import KIND_OF, CollectiveData, SubjectData, display_name
from db.models import (
    AnnualRating,
    Award,
    CollectiveMember,
    Discipline,
    Initiative,
    Subject,
    new_uuid,
)

Report = Callable[[int, int], None]
Audited = tuple[dict[str, object], AuditEvent]  # a row to insert and its audit event

CHUNK = 2000  # rows per insert statement; report() is called between chunks


@dataclass(frozen=True)
class DemoSizes:
    individuals: int = 2000
    collectives: int = 60
    households: int = 800
    villages: int = 12
    years: int = 5
    worked: int = 2  # of the last two years, how many are worked through the services (0 to 2)

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
            worked=default.worked,
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
    flow: FlowSummary | None = None  # the emulation years worked through the services

    def __str__(self) -> str:
        text = (f"{self.individuals} cá nhân, {self.collectives} tập thể, {self.households} hộ, "
                f"{self.villages} {self.village_label}, {self.years} năm lịch sử")
        return f"{text}; {self.flow}" if self.flow is not None else text


def build_demo(
    services: Services, sizes: DemoSizes = DemoSizes(), report: Report | None = None, seed: int = 2026,
    clock: Clock = utc_now,
) -> DemoSummary:
    """Fill an empty register with a demo commune in one transaction; refuses a non-empty one.

    `clock` is the one `services` were made with: the demo's years are planned around its day."""
    require(services.actor, Permission.EDIT_REGISTER)
    for f in fields(sizes):
        if getattr(sizes, f.name) < 0:
            raise ValidationError("Số lượng dữ liệu mẫu không được âm.", f.name)
    report = report or (lambda done, total: None)
    today = clock().astimezone().date()
    current = current_year(today)
    history_years = range(current - sizes.years, current)
    worked = worked_years(current, history_years)
    worked = worked[len(worked) - min(sizes.worked, len(worked)):]  # the latest `sizes.worked`
    with _one_transaction(services, clock) as atomic:
        place = Place.of(atomic, random.Random(seed))
        with atomic.sessions.begin() as session:
            existing = session.scalar(select(func.count(Subject.id))) or 0
            if existing:
                raise DemoRefusedError(
                    f"Sổ theo dõi đã có {existing} đối tượng. Dữ liệu mẫu chỉ được tạo trên một cơ sở "
                    "dữ liệu trống, để không lẫn với dữ liệu thật."
                )
            first_id = (session.scalar(select(func.max(Subject.id))) or 0) + 1
            planner = RegisterPlanner(random.Random(seed), sizes, place, first_id)
            planner.today = today
            plan = planner.build()
            plan.history = HistoryPlanner(planner, current - 1, frozenset(worked)).build()
            done, total = _write(atomic, session, plan, report, extra=phase_count(worked))

        def tick() -> None:
            nonlocal done
            done += 1
            report(done, total)

        flow = work_years(atomic, clock, plan, place, random.Random(seed + 1), worked, tick)
        with atomic.sessions() as session:
            awards = session.scalar(select(func.count(Award.id))) or 0
    return _summary(plan, sizes, place, awards, flow)


@contextmanager
def _one_transaction(services: Services, clock: Clock) -> Iterator[Services]:
    """The services on one connection, every unit of work of theirs a savepoint of a single
    transaction that is committed at the end, or rolled back on any exception."""
    with services.sessions() as probe:
        engine = probe.get_bind()
    with engine.connect() as connection:
        transaction = connection.begin()
        # The sqlite3 driver opens its transaction only at the first write; without this
        # BEGIN the first savepoint's release would commit on its own, out of our rollback.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        sessions = sessionmaker(bind=connection, expire_on_commit=False,
                                join_transaction_mode="create_savepoint")
        try:
            yield Services.create(sessions, services.actor, clock)
        except BaseException:
            transaction.rollback()
            raise
        transaction.commit()


def _summary(plan: Plan, sizes: DemoSizes, place: Place, awards: int, flow: FlowSummary) -> DemoSummary:
    kinds = [type(record) for _, _, record in plan.history]
    return DemoSummary(
        len(plan.individuals), len(plan.collectives), len(plan.households), len(plan.villages),
        sizes.years, place.village_word.lower(), kinds.count(RatingRecord),
        awards, kinds.count(InitiativeRecord), kinds.count(DisciplineRecord), flow,
    )


def _write(services: Services, session: Session, plan: Plan, report: Report, extra: int = 0) -> tuple[int, int]:
    """Insert the plan in chunks, reporting progress against a total that leaves `extra`
    steps for what follows; returns (done, total). An exception rolls everything back."""
    registers = (plan.villages, plan.collectives, plan.individuals, plan.households)
    history = {model: [item for item in plan.history if isinstance(item[2], record_type)]
               for record_type, model in ((RatingRecord, AnnualRating), (AwardRecord, Award),
                                          (InitiativeRecord, Initiative), (DisciplineRecord, Discipline))}
    names = {subject_id: _named(data) for register in registers for subject_id, data in register}
    steps: list[tuple[type, Sequence[Any], Callable[[Any], Audited]]] = [
        (CollectiveMember, plan.memberships, lambda row: (row, _membership_event(row, names))),
        *((model, items, lambda item: _history_row(item, names)) for model, items in history.items()),
    ]
    total = sum(map(len, registers)) + sum(len(items) for _, items, _ in steps) + extra
    done = 0
    report(done, total)
    for register in registers:
        for chunk in _subject_chunks(register):
            ids = services.subjects.add_many_in(session, [data for _planned, data in chunk])
            if ids != [planned for planned, _data in chunk]:
                raise RuntimeError("Demo subjects did not get the ids planned for them.")
            done += len(chunk)
            report(done, total)
    for model, items, to_row in steps:
        for start in range(0, len(items), CHUNK):
            rows = [to_row(item) for item in items[start : start + CHUNK]]
            # render_nulls: rows with and without NULLs go in one executemany, not one each
            statement = insert(model).execution_options(render_nulls=True)
            session.execute(statement, [row for row, _event in rows])
            services.audit.record_many(session, services.actor, [event for _row, event in rows])
            done += len(rows)
            report(done, total)
    return done, total


def _subject_chunks(
    items: Sequence[tuple[int, SubjectData]],
) -> Iterator[Sequence[tuple[int, SubjectData]]]:
    """Up to CHUNK planned subjects at a time, cut before a collective whose parent is in the
    same chunk: add_many_in checks that references exist before it writes anything."""
    start = 0
    in_chunk: set[int] = set()
    for index, (subject_id, data) in enumerate(items):
        if index - start == CHUNK or (isinstance(data, CollectiveData) and data.parent_id in in_chunk):
            yield items[start:index]
            start, in_chunk = index, set()
        in_chunk.add(subject_id)
    if start < len(items):
        yield items[start:]


def _history_row(item: tuple[int, str, HistoryRecord], names: dict[int, str]) -> Audited:
    """The row to insert for a planned record, and its audit event."""
    subject_id, kind, record = item
    record = validate_record(record, kind)
    values = record_values(record)
    row = {**values, "subject_id": subject_id, "uuid": new_uuid()}
    return row, AuditEvent("create", ENTITIES[type(record)], row["uuid"],  # type: ignore[arg-type]
                           f"Thêm {describe(record)} của {names[subject_id]}", new=values)


def _membership_event(row: dict[str, object], names: dict[int, str]) -> AuditEvent:
    return AuditEvent("create", "collective_member", None,
                      f"Thêm {names[row['individual_id']]} vào {names[row['collective_id']]}",  # type: ignore[index]
                      new={"joined_on": row["joined_on"]})


def _named(data: SubjectData) -> str:
    return f"{catalogue.SUBJECT_KINDS[KIND_OF[type(data)]].lower()} «{display_name(data)}»"
