"""A subject's history as the eligibility checker sees it (`SubjectSnapshot`), read from the
database.

A collective's members are its `collective_members` rows (with the dates they joined and
left); a collective without such rows counts the individuals whose unit it is. Members'
histories are loaded with a few IN queries, not one query per member, and so are many
subjects' snapshots at once (`subject_snapshots`). Leaves are not kept
in the register, so snapshots built here have none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app.eligibility.snapshot import (
    DisciplinePeriod,
    Member,
    PastAward,
    PastInitiative,
    SubjectSnapshot,
    YearRating,
)
from app.errors import NotFoundError
from db.models import (
    AnnualRating,
    Award,
    CollectiveMember,
    Discipline,
    Individual,
    Initiative,
    Subject,
)

_IN_CHUNK = 500  # ids per IN (...) list, well below SQLite's parameter limit
# Plain tables, not the ORM classes: a large collective's members come back as rows.
_SUBJECTS, _INDIVIDUALS = Subject.__table__, Individual.__table__
_MEMBERS = CollectiveMember.__table__


@dataclass
class _History:
    ratings: list[YearRating] = field(default_factory=list)
    awards: list[PastAward] = field(default_factory=list)
    initiatives: list[PastInitiative] = field(default_factory=list)
    disciplines: list[DisciplinePeriod] = field(default_factory=list)


@dataclass(frozen=True)
class _Person:
    kind: str
    name: str
    uuid: str
    gender: str | None = None
    employment: str | None = None
    employment_start: date | None = None


def subject_snapshot(session: Session, subject_id: int) -> SubjectSnapshot:
    """The snapshot of one subject, members included for a collective; NotFoundError if none."""
    return subject_snapshots(session, [subject_id])[subject_id]


def subject_snapshots(session: Session, subject_ids: Iterable[int]) -> dict[int, SubjectSnapshot]:
    """{subject id: snapshot} for many subjects with a few IN queries per chunk of ids,
    exactly as `subject_snapshot` would give each (a review judges hundreds at once);
    NotFoundError naming the first id that has no subject."""
    ids = list(dict.fromkeys(subject_ids))
    rows: dict[int, Row] = {}
    for chunk in _chunks(ids):
        rows.update((r.id, r) for r in session.execute(
            select(_SUBJECTS.c.id, _SUBJECTS.c.kind, _SUBJECTS.c.name, _SUBJECTS.c.uuid)
            .where(_SUBJECTS.c.id.in_(chunk))))
    for subject_id in ids:
        if subject_id not in rows:
            raise NotFoundError(f"Không tìm thấy đối tượng số {subject_id}; có thể đã bị xóa.")
    memberships = _memberships(session, [i for i in ids if rows[i].kind == "collective"])
    member_ids = sorted({individual_id for rows_of in memberships.values()
                         for individual_id, _joined, _left in rows_of})
    people = _people(session, [*(i for i in ids if rows[i].kind == "individual"), *member_ids])
    histories = _histories(session, [*ids, *member_ids])
    persons = {individual_id: _snapshot(people[individual_id], histories[individual_id])
               for individual_id in member_ids}
    snapshots: dict[int, SubjectSnapshot] = {}
    for subject_id in ids:
        row = rows[subject_id]
        members = tuple(Member(persons[individual_id], joined, left)
                        for individual_id, joined, left in memberships.get(subject_id, ()))
        own = people.get(subject_id, _Person(row.kind, row.name, row.uuid))
        snapshots[subject_id] = _snapshot(own, histories[subject_id], members)
    return snapshots


def _snapshot(person: _Person, history: _History, members: tuple[Member, ...] = ()) -> SubjectSnapshot:
    return SubjectSnapshot(
        kind=person.kind,
        name=person.name,
        uuid=person.uuid,
        gender=person.gender,
        employment=person.employment,
        employment_start=person.employment_start,
        ratings=tuple(history.ratings),
        awards=tuple(history.awards),
        initiatives=tuple(history.initiatives),
        disciplines=tuple(history.disciplines),
        members=members,
    )


def _memberships(session: Session, collective_ids: Sequence[int],
                 ) -> dict[int, list[tuple[int, date | None, date | None]]]:
    """{collective id: [(individual id, joined on, left on)]} in Vietnamese name order; the
    unit's individuals (no dates) for a collective without membership rows."""
    found: dict[int, list[tuple[int, date | None, date | None]]] = {}
    for chunk in _chunks(collective_ids):
        for r in session.execute(
            select(_MEMBERS.c.collective_id, _MEMBERS.c.individual_id, _MEMBERS.c.joined_on,
                   _MEMBERS.c.left_on)
            .join(_SUBJECTS, _SUBJECTS.c.id == _MEMBERS.c.individual_id)
            .where(_MEMBERS.c.collective_id.in_(chunk))
            .order_by(_SUBJECTS.c.sort_key, _SUBJECTS.c.id, _MEMBERS.c.joined_on, _MEMBERS.c.id)
        ):
            found.setdefault(r.collective_id, []).append((r.individual_id, r.joined_on, r.left_on))
    for chunk in _chunks([i for i in collective_ids if i not in found]):
        for unit_id, individual_id in session.execute(
            select(_INDIVIDUALS.c.unit_id, _INDIVIDUALS.c.id).join(_SUBJECTS, _SUBJECTS.c.id == _INDIVIDUALS.c.id)
            .where(_INDIVIDUALS.c.unit_id.in_(chunk))
            .order_by(_SUBJECTS.c.sort_key, _SUBJECTS.c.id)
        ):
            found.setdefault(unit_id, []).append((individual_id, None, None))
    return found


def _people(session: Session, ids: Sequence[int]) -> dict[int, _Person]:
    found: dict[int, _Person] = {}
    for chunk in _chunks(ids):
        query = (select(_SUBJECTS.c.id, _SUBJECTS.c.name, _SUBJECTS.c.uuid, _INDIVIDUALS.c.gender,
                        _INDIVIDUALS.c.employment, _INDIVIDUALS.c.employment_start)
                 .join(_INDIVIDUALS, _INDIVIDUALS.c.id == _SUBJECTS.c.id)
                 .where(_SUBJECTS.c.id.in_(chunk)))
        for r in session.execute(query):
            found[r.id] = _Person("individual", r.name, r.uuid, r.gender, r.employment, r.employment_start)
    return found


def _histories(session: Session, ids: Sequence[int]) -> dict[int, _History]:
    """Ratings, awards (revoked ones too), initiatives and disciplines of `ids`: four queries
    per chunk of ids, each in the order the checker's messages read best (by year or date)."""
    histories: dict[int, _History] = defaultdict(_History)
    ratings, awards = AnnualRating.__table__, Award.__table__
    initiatives, disciplines = Initiative.__table__, Discipline.__table__
    for chunk in _chunks(ids):
        for r in session.execute(select(ratings).where(ratings.c.subject_id.in_(chunk))
                                 .order_by(ratings.c.year)):
            histories[r.subject_id].ratings.append(YearRating(r.year, r.rating))
        for a in session.execute(select(awards).where(awards.c.subject_id.in_(chunk))
                                 .order_by(awards.c.year, awards.c.id)):
            histories[a.subject_id].awards.append(PastAward(
                award_code=a.award_code, year=a.year, period_start=a.period_start,
                basis_kind=a.basis_kind, decision_number=a.decision_number,
                decision_date=a.decision_date, issuer=a.issuer, legal_basis=a.legal_basis,
                revoked_on=a.revoked_on, uuid=a.uuid))
        for i in session.execute(select(initiatives).where(initiatives.c.subject_id.in_(chunk))
                                 .order_by(initiatives.c.year, initiatives.c.id)):
            histories[i.subject_id].initiatives.append(PastInitiative(
                year=i.year, title=i.title, scope=i.scope, recognised_by=i.recognised_by,
                decision_number=i.decision_number, decision_date=i.decision_date, uuid=i.uuid))
        for d in session.execute(select(disciplines).where(disciplines.c.subject_id.in_(chunk))
                                 .order_by(disciplines.c.decided_on, disciplines.c.id)):
            histories[d.subject_id].disciplines.append(
                DisciplinePeriod(form=d.form, decided_on=d.decided_on, ends_on=d.ends_on, uuid=d.uuid))
    return histories


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    items = list(dict.fromkeys(ids))
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start:start + _IN_CHUNK]
