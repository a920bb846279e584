"""The rows a package's records are made of, read for many nominations at once.

One query per kind of row, whatever the number of nominations (300 of them read in about
twenty queries, chunked below SQLite's parameter limit), inside the caller's session. The
records themselves are assembled in app/package/records.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from db.models import (
    AnnualRating,
    Attachment,
    Award,
    Collective,
    CouncilMember,
    CouncilSession,
    CouncilVote,
    Decision,
    DecisionItem,
    Discipline,
    DocumentText,
    EligibilityCheck,
    Household,
    HouseholdMember,
    Individual,
    Initiative,
    Movement,
    Nomination,
    NominationEvent,
    Subject,
    Village,
)

_IN_CHUNK = 500  # ids per IN (...) list, below SQLite's parameter limit
K = TypeVar("K")
T = TypeVar("T")


@dataclass
class Rows:
    """Everything read for a set of nominations, by nomination id or subject id."""

    nominations: dict[int, Nomination] = field(default_factory=dict)
    subjects: dict[int, Subject] = field(default_factory=dict)  # the subclass instance
    names: dict[int, tuple[str, str]] = field(default_factory=dict)  # subject id → (uuid, name): units, villages
    heads: dict[int, str] = field(default_factory=dict)  # household id → the head's name
    movements: dict[int, tuple[str, str]] = field(default_factory=dict)  # id → (uuid, name)
    checks: dict[int, EligibilityCheck] = field(default_factory=dict)  # nomination id → latest
    events: dict[int, list[NominationEvent]] = field(default_factory=dict)
    ratings: dict[int, list[AnnualRating]] = field(default_factory=dict)  # by subject id
    awards: dict[int, list[Award]] = field(default_factory=dict)
    initiatives: dict[int, list[Initiative]] = field(default_factory=dict)
    disciplines: dict[int, list[Discipline]] = field(default_factory=dict)
    votes: dict[int, tuple[CouncilVote, CouncilSession]] = field(default_factory=dict)  # final session's
    members: dict[int, list[CouncilMember]] = field(default_factory=dict)  # by session id
    decisions: dict[int, list[tuple[DecisionItem, Decision]]] = field(default_factory=dict)  # by subject id
    attachments: dict[str, list[Attachment]] = field(default_factory=dict)  # by nomination uuid
    # The officer's edits to the printed documents: (kind, fields JSON) by nomination id and
    # by council session id. They change the PDFs, so they count in "changed since".
    nomination_texts: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    session_texts: dict[int, list[tuple[str, str]]] = field(default_factory=dict)


def read_rows(session: Session, nomination_ids: Sequence[int]) -> Rows:
    """The nominations with their subjects, history, latest checks, council votes, decisions
    and attachments; ids not found are simply absent from `nominations`."""
    rows = Rows()
    ids = sorted(set(nomination_ids))
    rows.nominations = {n.id: n for n in _chunked(session, ids, lambda part: select(Nomination)
                                                   .where(Nomination.id.in_(part)))}
    subject_ids = sorted({n.subject_id for n in rows.nominations.values()})
    for model in (Individual, Collective, Household, Village):
        rows.subjects.update((s.id, s) for s in _chunked(
            session, subject_ids, lambda part, model=model: select(model).where(model.id.in_(part))))
    _read_names(session, rows)
    movement_ids = sorted({n.movement_id for n in rows.nominations.values() if n.movement_id is not None})
    rows.movements = {m.id: (m.uuid, m.name) for m in _chunked(
        session, movement_ids, lambda part: select(Movement).where(Movement.id.in_(part)))}
    _read_checks(session, ids, rows)
    rows.events = _grouped(_chunked(session, ids, lambda part: select(NominationEvent).where(
        NominationEvent.nomination_id.in_(part)).order_by(NominationEvent.at, NominationEvent.id)),
        lambda e: e.nomination_id)
    for name, model, order in (("ratings", AnnualRating, AnnualRating.year),
                               ("awards", Award, Award.year),
                               ("initiatives", Initiative, Initiative.year),
                               ("disciplines", Discipline, Discipline.decided_on)):
        found = _chunked(session, subject_ids, lambda part, model=model, order=order: select(model).where(
            model.subject_id.in_(part)).order_by(order, model.id))
        setattr(rows, name, _grouped(found, lambda r: r.subject_id))
    _read_council(session, ids, rows)
    decided = _chunked(session, subject_ids, lambda part: select(DecisionItem, Decision)
                       .join(Decision, Decision.id == DecisionItem.decision_id)
                       .where(DecisionItem.subject_id.in_(part), Decision.state == "issued")
                       .order_by(Decision.decided_on, Decision.id, DecisionItem.id), tuples=True)
    rows.decisions = _grouped(decided, lambda pair: pair[0].subject_id)
    uuids = sorted(n.uuid for n in rows.nominations.values())
    rows.attachments = _grouped(_chunked(session, uuids, lambda part: select(Attachment).where(
        Attachment.owner_uuid.in_(part)).order_by(Attachment.added_at, Attachment.id)),
        lambda a: a.owner_uuid)
    _read_texts(session, ids, rows)
    return rows


def _read_texts(session: Session, ids: list[int], rows: Rows) -> None:
    for owner, column, target in (("nomination", DocumentText.nomination_id, rows.nomination_texts),
                                  ("session", DocumentText.session_id, rows.session_texts)):
        wanted = ids if owner == "nomination" else sorted({c.id for _v, c in rows.votes.values()})
        for text in _chunked(session, wanted, lambda part, column=column: select(DocumentText)
                             .where(column.in_(part)).order_by(DocumentText.kind)):
            target.setdefault(getattr(text, f"{owner}_id"), []).append((text.kind, text.fields))


def _read_names(session: Session, rows: Rows) -> None:
    """The units, parent collectives and villages the subjects name; households' heads."""
    wanted: set[int] = set()
    for subject in rows.subjects.values():
        for name in ("unit_id", "parent_id", "village_id"):
            value = getattr(subject, name, None)
            if value is not None:
                wanted.add(value)
    rows.names = {row.id: (row.uuid, row.name) for row in _chunked(
        session, sorted(wanted), lambda part: select(Subject.id, Subject.uuid, Subject.name)
        .where(Subject.id.in_(part)), rows_only=True)}
    households = sorted(s.id for s in rows.subjects.values() if isinstance(s, Household))
    for household_id, name in _chunked(
            session, households, lambda part: select(HouseholdMember.household_id, Individual.name)
            .join(Individual, Individual.id == HouseholdMember.individual_id)
            .where(HouseholdMember.household_id.in_(part), HouseholdMember.is_head)
            .order_by(HouseholdMember.id), rows_only=True):
        rows.heads.setdefault(household_id, name)


def _read_checks(session: Session, ids: list[int], rows: Rows) -> None:
    """The newest stored check of each nomination (as latest_for_nomination_in orders them)."""
    for part in _parts(ids):
        ranked = (select(EligibilityCheck.id, func.row_number().over(
            partition_by=EligibilityCheck.nomination_id,
            order_by=(EligibilityCheck.checked_at.desc(), EligibilityCheck.id.desc())).label("rank"))
            .where(EligibilityCheck.nomination_id.in_(part)).subquery())
        for check in session.scalars(select(EligibilityCheck).join(ranked, ranked.c.id == EligibilityCheck.id)
                                     .where(ranked.c.rank == 1)):
            assert check.nomination_id is not None
            rows.checks[check.nomination_id] = check


def _read_council(session: Session, ids: list[int], rows: Rows) -> None:
    """The latest finalised session that voted on each nomination (as final_vote_session
    chooses it), its vote, and its members."""
    for vote, council in _chunked(session, ids, lambda part: select(CouncilVote, CouncilSession)
                                  .join(CouncilSession, CouncilSession.id == CouncilVote.session_id)
                                  .where(CouncilVote.nomination_id.in_(part), CouncilSession.state == "final")
                                  .order_by(CouncilSession.held_on, CouncilSession.id), tuples=True):
        rows.votes[vote.nomination_id] = (vote, council)  # the later session wins
    session_ids = sorted({council.id for _vote, council in rows.votes.values()})
    rows.members = _grouped(_chunked(session, session_ids, lambda part: select(CouncilMember).where(
        CouncilMember.session_id.in_(part)).order_by(CouncilMember.position, CouncilMember.id)),
        lambda m: m.session_id)


def _parts(values: Sequence[K]) -> Iterable[list[K]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield list(values[start:start + _IN_CHUNK])


def _chunked(session: Session, values: Sequence[K], query: Callable[[list[K]], Select],
             tuples: bool = False, rows_only: bool = False) -> list:
    """The query's results over `values` in chunks: ORM objects, (a, b) tuples, or plain rows."""
    found: list = []
    for part in _parts(values):
        if tuples or rows_only:
            found += session.execute(query(part)).all()
        else:
            found += session.scalars(query(part)).all()
    return found


def _grouped(items: Iterable[T], key: Callable[[T], K]) -> dict[K, list[T]]:
    grouped: dict[K, list[T]] = {}
    for item in items:
        grouped.setdefault(key(item), []).append(item)
    return grouped
