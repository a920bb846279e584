"""What the screens and `tdkt` read of a nomination: its row in the year's list, its
detail with the steps allowed now, its events; built inside a session by the reading
methods of app/nominations.py and after each step of app/nomination_steps.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.eligibility.declared_facts import FACT_LABELS, DeclaredFacts, declarable_for, fact_text
from app.eligibility.outcome import VERDICT_LABELS, Verdict
from app.eligibility_service import StoredCheck, latest_for_nomination_in
from app.catalogue import award_label
from app.nomination_context import NominationContext, proposed_on
from app.nomination_deadlines import answer_due, calendar_in, settings_in
from app.nomination_flow import route_of
from app.nomination_states import (
    FINAL_STATES,
    PROCEDURE_LABELS,
    STATE_LABELS,
    Action,
    Procedure,
    Route,
    State,
    allowed_actions,
)
from db.models import (
    Attachment,
    Award,
    CouncilSession,
    CouncilVote,
    EligibilityCheck,
    Movement,
    Nomination,
    NominationEvent,
    Subject,
)

ROUTE_LABELS = {Route.DECIDE: "Xã quyết định", Route.PROPOSE: "Trình cấp trên"}
# States in which the summary and facts may still change (the summary until decided).
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
SUMMARY_STATES = frozenset(State) - FINAL_STATES
DEFAULT_ISSUER = "Chủ tịch UBND tỉnh"
UPPER_DECIDERS = frozenset({"district_chairman", "province_chairman"})  # who may answer a proposal


@dataclass(frozen=True)
class NominationRow:
    id: int
    uuid: str
    year: int
    subject_id: int
    subject_name: str
    subject_kind: str
    award_code: str
    award_label: str
    procedure: str
    procedure_label: str
    state: str
    state_label: str
    action: str  # decide / propose; "" before the first check
    action_label: str
    notice_ends_on: date | None
    answer_due_on: date | None  # the province's answer, once proposed
    verdict: str  # the latest check's; "" when never checked
    verdict_label: str
    attachment_count: int


@dataclass(frozen=True)
class NominationEventRow:
    action: str
    action_label: str
    from_state: str
    to_state: str
    on: date
    at: datetime
    reason: str
    user_name: str

    @property
    def text(self) -> str:
        why = f" — lý do: {self.reason}" if self.reason else ""
        who = f" ({self.user_name})" if self.user_name else ""
        return (f"{self.on:%d/%m/%Y}: {self.action_label}: {STATE_LABELS[State(self.from_state)]} → "
                f"{STATE_LABELS[State(self.to_state)]}{who}{why}")


@dataclass(frozen=True)
class NominationDetail:
    row: NominationRow
    basis_kind: str
    route: str  # the checker's route (annual, sudden, thematic…); "" for the award's default
    movement_id: int | None
    movement_name: str
    achievement_summary: str
    event_date: date | None
    planned_decision_date: date | None
    notice_starts_on: date | None
    notice_ends_on: date | None
    proposed_on: date | None
    answer_due_on: date | None
    returned_reason: str
    outcome_decision_number: str
    outcome_decision_date: date | None
    outcome_issuer: str
    outcome_note: str
    voted: bool  # a finalised council session voted on it
    latest_check: StoredCheck | None
    actions: tuple[Action, ...]  # what the state machine allows now, DECIDE and VOTE included
    declared_facts: DeclaredFacts  # what the officer declared for the checker
    declarable: tuple[str, ...]  # the declared facts the award and route need, in form order
    cited_awards: tuple[str, ...]  # the awards basis_award_uuids names, in words

    def date_lines(self) -> list[str]:
        """The public notice and the proposal to the upper level with its answer due, in words."""
        lines = []
        if self.notice_starts_on and self.notice_ends_on:
            lines.append(f"Niêm yết công khai từ {self.notice_starts_on:%d/%m/%Y} đến hết "
                         f"{self.notice_ends_on:%d/%m/%Y}.")
        if self.proposed_on:
            lines.append(f"Trình cấp trên ngày {self.proposed_on:%d/%m/%Y}"
                         + (f"; hạn cấp trên trả lời {self.answer_due_on:%d/%m/%Y}." if self.answer_due_on
                            else "."))
        return lines

    def declared_lines(self) -> list[tuple[str, str]]:
        """(label, value in words) of each fact the award needs, «Chưa ghi» when not given."""
        given = self.declared_facts.given()
        lines = []
        for name in self.declarable:
            if name == "basis_award_uuids":
                text = "; ".join(self.cited_awards)
            else:
                text = fact_text(name, given[name]) if name in given else ""
            lines.append((FACT_LABELS[name], text or "Chưa ghi"))
        return lines

    @property
    def state(self) -> State:
        return State(self.row.state)

    @property
    def procedure(self) -> Procedure:
        return Procedure(self.row.procedure)

    @property
    def issuer_default(self) -> str:
        """Who answers the proposal, as the latest check named: the district chairman before
        01/07/2025, the province chairman after (DEFAULT_ISSUER when unknown)."""
        return issuer_of(self.latest_check)

    @property
    def facts_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def summary_editable(self) -> bool:
        return self.state in SUMMARY_STATES


@dataclass(frozen=True)
class CitableAward:
    uuid: str
    text: str  # e.g. «Chiến sĩ thi đua cơ sở năm 2024 (QĐ số 12/QĐ-UBND)»


def issuer_of(stored: StoredCheck | None) -> str:
    """The district or province chairman a check named as deciding; DEFAULT_ISSUER otherwise."""
    decider = stored.outcome.authority if stored else None
    return decider.label if decider and decider.decider in UPPER_DECIDERS else DEFAULT_ISSUER


def rows_in(session: Session, year: int, state: str | None = None) -> list[NominationRow]:
    """The year's nominations (of one state when given), by subject name and award, read with
    a fixed number of queries however many there are: subjects joined, attachment counts,
    latest check and latest proposal date in grouped subqueries; the work calendar and the
    answer-days setting read once (app/nomination_deadlines.py)."""
    of_year = select(Nomination.id).where(Nomination.year == year)
    files = (select(Attachment.owner_uuid, func.count().label("n"))
             .where(Attachment.owner_uuid.in_(select(Nomination.uuid).where(Nomination.year == year)))
             .group_by(Attachment.owner_uuid).subquery())
    checks = (select(EligibilityCheck.nomination_id, EligibilityCheck.verdict, func.row_number().over(
                  partition_by=EligibilityCheck.nomination_id,
                  order_by=(EligibilityCheck.checked_at.desc(), EligibilityCheck.id.desc())).label("rank"))
              .where(EligibilityCheck.nomination_id.in_(of_year)).subquery())
    proposals = (select(NominationEvent.nomination_id, func.max(NominationEvent.on).label("on"))
                 .where(NominationEvent.action == Action.PROPOSE.value, NominationEvent.nomination_id.in_(of_year))
                 .group_by(NominationEvent.nomination_id).subquery())
    query = (select(Nomination, Subject.name, Subject.kind, func.coalesce(files.c.n, 0), checks.c.verdict,
                    proposals.c.on)
             .join(Subject, Subject.id == Nomination.subject_id)
             .outerjoin(files, files.c.owner_uuid == Nomination.uuid)
             .outerjoin(checks, (checks.c.nomination_id == Nomination.id) & (checks.c.rank == 1))
             .outerjoin(proposals, proposals.c.nomination_id == Nomination.id)
             .where(Nomination.year == year))
    if state:
        query = query.where(Nomination.state == state)
    found = session.execute(query.order_by(Subject.sort_key, Nomination.award_code, Nomination.id)).all()
    answered = {State.PROPOSED, State.APPROVED, State.NOT_APPROVED}
    settings = calendar = None
    rows = []
    for nomination, name, kind, count, verdict, proposed in found:
        due = None
        if proposed is not None and State(nomination.state) in answered:
            if settings is None or calendar is None:
                settings, calendar = settings_in(session, proposed), calendar_in(session)
            due = answer_due(proposed, settings, calendar)
        rows.append(_row(nomination, name, kind, due, verdict or "", count))
    return rows


def _row(nomination: Nomination, subject_name: str, subject_kind: str, answer_due_on: date | None,
         verdict: str, attachment_count: int) -> NominationRow:
    state = State(nomination.state)
    return NominationRow(
        id=nomination.id, uuid=nomination.uuid, year=nomination.year, subject_id=nomination.subject_id,
        subject_name=subject_name, subject_kind=subject_kind, award_code=nomination.award_code,
        award_label=award_label(nomination.award_code), procedure=nomination.procedure,
        procedure_label=PROCEDURE_LABELS[Procedure(nomination.procedure)], state=state.value,
        state_label=STATE_LABELS[state], action=nomination.action,
        action_label=ROUTE_LABELS[Route(nomination.action)] if nomination.action else "",
        notice_ends_on=nomination.notice_ends_on, answer_due_on=answer_due_on,
        verdict=verdict, verdict_label=VERDICT_LABELS[Verdict(verdict)] if verdict else "",
        attachment_count=attachment_count)


def row_in(ctx: NominationContext, session: Session, nomination: Nomination) -> NominationRow:
    """One nomination's row, read inside the caller's session (after a step, for a detail)."""
    subject = session.get_one(Subject, nomination.subject_id)
    stored = latest_for_nomination_in(session, nomination.id)
    count = session.scalar(select(func.count()).select_from(Attachment)
                           .where(Attachment.owner_uuid == nomination.uuid)) or 0
    return _row(nomination, subject.name, subject.kind, ctx.answer_due(session, nomination),
                stored.verdict if stored else "", count)


def detail_after(ctx: NominationContext, session: Session, nomination: Nomination) -> NominationDetail:
    session.flush()
    return detail_in(ctx, session, nomination)


def detail_in(ctx: NominationContext, session: Session, nomination: Nomination) -> NominationDetail:
    movement = session.get(Movement, nomination.movement_id) if nomination.movement_id else None
    declared = DeclaredFacts.from_json(nomination.declared_facts)
    return NominationDetail(
        row=row_in(ctx, session, nomination), basis_kind=nomination.basis_kind, route=nomination.route,
        movement_id=nomination.movement_id, movement_name=movement.name if movement else "",
        achievement_summary=nomination.achievement_summary, event_date=nomination.event_date,
        planned_decision_date=nomination.planned_decision_date,
        notice_starts_on=nomination.notice_starts_on, notice_ends_on=nomination.notice_ends_on,
        proposed_on=proposed_on(session, nomination), answer_due_on=ctx.answer_due(session, nomination),
        returned_reason=nomination.returned_reason,
        outcome_decision_number=nomination.outcome_decision_number,
        outcome_decision_date=nomination.outcome_decision_date, outcome_issuer=nomination.outcome_issuer,
        outcome_note=nomination.outcome_note,
        voted=final_vote_session(session, nomination.id) is not None,
        latest_check=latest_for_nomination_in(session, nomination.id),
        actions=tuple(allowed_actions(State(nomination.state), Procedure(nomination.procedure),
                                      route_of(nomination))),
        declared_facts=declared, declarable=declarable_for(nomination.award_code, nomination.route or None),
        cited_awards=cited_texts(session, nomination, declared.basis_award_uuids))


def award_text(award: Award) -> str:
    number = f" (QĐ số {award.decision_number})" if award.decision_number else ""
    revoked = f", đã thu hồi ngày {award.revoked_on:%d/%m/%Y}" if award.revoked_on else ""
    return f"{award_label(award.award_code)} năm {award.year}{number}{revoked}"


def cited_texts(session: Session, nomination: Nomination, uuids: Sequence[str]) -> tuple[str, ...]:
    if not uuids:
        return ()
    found = {award.uuid: award_text(award) for award in session.scalars(
        select(Award).where(Award.subject_id == nomination.subject_id, Award.uuid.in_(list(uuids))))}
    return tuple(found.get(uuid, f"{uuid} (không còn trong lịch sử)") for uuid in uuids)


def final_vote_session(session: Session, nomination_id: int) -> CouncilSession | None:
    """The latest finalised council session that voted on the nomination."""
    return session.scalar(
        select(CouncilSession).join(CouncilVote, CouncilVote.session_id == CouncilSession.id)
        .where(CouncilVote.nomination_id == nomination_id, CouncilSession.state == "final")
        .order_by(CouncilSession.held_on.desc(), CouncilSession.id.desc()).limit(1))
