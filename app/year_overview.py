"""Where an emulation year (năm thi đua) stands, and the steps that come next.

Everything is counted by the database (GROUP BY), never by loading the year's rows: a
commune with thousands of subjects opens the overview at once. The deadlines come from
app/nomination_deadlines.py, the one place they are computed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session, sessionmaker

from app import catalogue
from app.eligibility.individual_rules import RATED_STAFF
from app.eligibility.outcome import Verdict
from app.movements import OPEN_FOR_REGISTRATION, REGULAR, STATES, THEMATIC
from app.nomination_deadlines import DUE_SOON_DAYS, Deadline, deadlines
from app.nomination_states import Procedure, Route, State
from app.catalogue import award_label
from db.models import (
    AnnualRating,
    Collective,
    CouncilSession,
    Decision,
    DecisionItem,
    Individual,
    Movement,
    Nomination,
    Registration,
    ReviewCandidate,
)

REVIEW_SEASON = (11, 1)  # from 01/11 the year-end ratings are asked for

class Tab(StrEnum):
    """The tabs of the «Năm thi đua» view a next step leads to."""

    MOVEMENTS = "movements"
    REGISTRATIONS = "registrations"
    REVIEW = "review"
    COUNCIL = "council"
    NOMINATIONS = "nominations"
    DECISIONS = "decisions"


@dataclass(frozen=True)
class MovementSummary:
    by_state: tuple[tuple[str, int], ...]  # (state, count) in life-cycle order, zeros included
    regular_count: int
    thematic_count: int
    regular_name: str  # the year's regular movement ("" when there is none)
    regular_state: str  # its current step ("" when there is none)

    @property
    def total(self) -> int:
        return self.regular_count + self.thematic_count


@dataclass(frozen=True)
class RatingSummary:
    """Year-end ratings entered against the subjects rated every year: staff (cán bộ, công
    chức, viên chức, người lao động) and collectives."""

    individuals_rated: int
    individuals_expected: int
    collectives_rated: int
    collectives_expected: int

    @property
    def missing(self) -> int:
        return (self.individuals_expected - self.individuals_rated
                + self.collectives_expected - self.collectives_rated)


@dataclass(frozen=True)
class CandidateSummary:
    kept: int
    removed: int  # left out by the officer, or no longer eligible
    waiting: tuple[tuple[str, int], ...]  # per award code: left out until the checker's missing facts are given
    missing_information: int  # kept by the officer, though the checker lacked data to decide
    not_nominated: int  # kept, no nomination made yet
    by_award: tuple[tuple[str, int], ...]  # kept candidates per award code

    @property
    def waiting_total(self) -> int:
        return sum(count for _code, count in self.waiting)

    @property
    def total(self) -> int:
        return self.kept + self.removed + self.waiting_total


@dataclass(frozen=True)
class NominationSummary:
    by_state: tuple[tuple[State, int], ...]  # every state, in the order of State, zeros included
    awaiting_vote: int  # checked, standard procedure
    ready_to_decide: int  # notice ended (or simplified and checked), the commune decides
    ready_to_propose: int  # notice ended (or simplified and checked), goes to the province

    def count(self, state: State) -> int:
        return dict(self.by_state)[state]

    @property
    def total(self) -> int:
        return sum(count for _state, count in self.by_state)


@dataclass(frozen=True)
class DecisionSummary:
    drafts: int
    issued: int
    items: int  # recipients in issued decisions, revoked items left out
    reward_total: int  # đồng, over those items
    revoked_items: int


@dataclass(frozen=True)
class YearOverview:
    year: int
    today: date
    movements: MovementSummary
    registrations: int
    registered_subjects: int
    registrations_by_award: tuple[tuple[str, int], ...]
    ratings: RatingSummary
    candidates: CandidateSummary
    open_sessions: int
    final_sessions: int
    nominations: NominationSummary
    decisions: DecisionSummary
    deadlines: tuple[Deadline, ...]  # due within DUE_SOON_DAYS or past, earliest first

    @property
    def overdue_answers(self) -> int:
        return sum(deadline.overdue for deadline in self.deadlines)


@dataclass(frozen=True)
class NextStep:
    text: str
    tab: Tab



def year_overview(session: Session, year: int, today: date) -> YearOverview:
    """The state of `year` as of `today`, counted inside `session`."""
    return YearOverview(
        year=year, today=today,
        movements=_movements(session, year),
        registrations=session.scalar(
            select(func.count(Registration.id)).join(Movement, Registration.movement_id == Movement.id)
            .where(Movement.year == year)) or 0,
        registered_subjects=session.scalar(
            select(func.count(distinct(Registration.subject_id)))
            .join(Movement, Registration.movement_id == Movement.id).where(Movement.year == year)) or 0,
        registrations_by_award=_by_award(session.execute(
            select(Registration.award_code, func.count())
            .join(Movement, Registration.movement_id == Movement.id)
            .where(Movement.year == year).group_by(Registration.award_code))),
        ratings=_ratings(session, year),
        candidates=_candidates(session, year),
        open_sessions=_count(session, CouncilSession, year, CouncilSession.state == "open"),
        final_sessions=_count(session, CouncilSession, year, CouncilSession.state == "final"),
        nominations=_nominations(session, year, today),
        decisions=_decisions(session, year),
        deadlines=tuple(deadlines(session, today, year, DUE_SOON_DAYS)),
    )


def years_with_data(session: Session) -> list[int]:
    """Every year something of the emulation year was recorded for, newest first."""
    years: set[int] = set()
    for column in (Movement.year, ReviewCandidate.year, Nomination.year, CouncilSession.year,
                   Decision.year, AnnualRating.year):
        years.update(session.scalars(select(column).distinct()))
    return sorted(years, reverse=True)


class YearOverviewService:
    """Read-only: the overview and the years to choose from, each in its own session."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def overview(self, year: int, today: date) -> YearOverview:
        with self._sessions() as session:
            return year_overview(session, year, today)

    def years(self, today: date) -> list[int]:
        """The years with data and the current year, newest first."""
        with self._sessions() as session:
            return sorted(set(years_with_data(session)) | {today.year}, reverse=True)


def next_steps(overview: YearOverview) -> list[NextStep]:
    """What the officer does next for the year, in the order of the work, in plain words."""
    o, year = overview, overview.year
    steps: list[NextStep] = []
    if not o.movements.regular_state:
        steps.append(NextStep(f"Lập kế hoạch phong trào thi đua thường xuyên năm {year}", Tab.MOVEMENTS))
    elif o.movements.regular_state == "draft":
        steps.append(NextStep(f"Phát động phong trào «{o.movements.regular_name}»", Tab.MOVEMENTS))
    elif o.registrations == 0 and o.movements.regular_state in OPEN_FOR_REGISTRATION:
        steps.append(NextStep("Thu đăng ký thi đua", Tab.REGISTRATIONS))
    review_season = o.today >= date(year, *REVIEW_SEASON)
    if o.ratings.missing > 0 and (review_season or o.ratings.individuals_rated
                                  or o.ratings.collectives_rated):
        steps.append(NextStep(f"Nhập xếp loại cuối năm (còn {o.ratings.missing} đối tượng)", Tab.REVIEW))
    rated = o.ratings.individuals_rated + o.ratings.collectives_rated
    if o.candidates.total == 0 and rated > 0:
        steps.append(NextStep("Chạy đề xuất bình xét", Tab.REVIEW))
    for code, count in o.candidates.waiting:
        steps.append(NextStep(f"Bổ sung thông tin cho {count} {_whom(code)} để xét {award_label(code)}",
                              Tab.REVIEW))
    if o.candidates.not_nominated:
        steps.append(NextStep(f"Lập hồ sơ đề nghị cho {o.candidates.not_nominated} ứng viên đã chọn",
                              Tab.NOMINATIONS))
    n = o.nominations
    if n.count(State.DRAFT):
        steps.append(NextStep(f"Kiểm tra điều kiện {n.count(State.DRAFT)} hồ sơ dự thảo", Tab.NOMINATIONS))
    if n.count(State.RETURNED):
        steps.append(NextStep(f"Xem lại {n.count(State.RETURNED)} hồ sơ bị trả lại", Tab.NOMINATIONS))
    if n.awaiting_vote:
        steps.append(NextStep(f"Họp Hội đồng xét {n.awaiting_vote} hồ sơ đã kiểm tra", Tab.COUNCIL))
    if o.open_sessions:
        steps.append(NextStep(f"Hoàn tất {o.open_sessions} phiên họp Hội đồng chưa chốt kết quả", Tab.COUNCIL))
    if n.count(State.VOTED):
        steps.append(NextStep(f"Niêm yết công khai {n.count(State.VOTED)} hồ sơ đã biểu quyết",
                              Tab.NOMINATIONS))
    if n.ready_to_decide:
        steps.append(NextStep(f"Lập quyết định khen thưởng ({n.ready_to_decide} hồ sơ)", Tab.DECISIONS))
    if o.decisions.drafts:
        steps.append(NextStep(f"Ban hành {o.decisions.drafts} quyết định dự thảo", Tab.DECISIONS))
    if n.ready_to_propose:
        steps.append(NextStep(f"Trình cấp trên {n.ready_to_propose} hồ sơ", Tab.NOMINATIONS))
    if o.overdue_answers:
        steps.append(NextStep(f"Hỏi cấp trên về {o.overdue_answers} hồ sơ quá hạn", Tab.NOMINATIONS))
    return steps


# --- counting --------------------------------------------------------------------------


def _count(session: Session, model: type, year: int, *conditions: object) -> int:
    return session.scalar(select(func.count(model.id)).where(model.year == year, *conditions)) or 0


def _by_award(rows: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """Counts per award code, in the catalogue's order (unknown codes last)."""
    order = {code: position for position, code in enumerate(catalogue.AWARDS)}
    return tuple(sorted(((code, count) for code, count in rows),
                        key=lambda row: (order.get(row[0], len(order)), row[0])))


def _movements(session: Session, year: int) -> MovementSummary:
    counts = dict.fromkeys(STATES, 0)
    kinds = {REGULAR: 0, THEMATIC: 0}
    for kind, state, count in session.execute(
            select(Movement.kind, Movement.state, func.count()).where(Movement.year == year)
            .group_by(Movement.kind, Movement.state)):
        counts[state] = counts.get(state, 0) + count
        kinds[kind] = kinds.get(kind, 0) + count
    regular = session.execute(
        select(Movement.name, Movement.state).where(Movement.year == year, Movement.kind == REGULAR)
        .order_by(Movement.id).limit(1)).first()
    return MovementSummary(tuple(counts.items()), kinds[REGULAR], kinds[THEMATIC],
                           regular.name if regular else "", regular.state if regular else "")


def _ratings(session: Session, year: int) -> RatingSummary:
    staff = Individual.employment.in_(sorted(RATED_STAFF))
    rated_staff = (select(func.count(AnnualRating.id))
                   .join(Individual, AnnualRating.subject_id == Individual.id)
                   .where(AnnualRating.year == year, staff))
    rated_collectives = (select(func.count(AnnualRating.id))
                         .join(Collective, AnnualRating.subject_id == Collective.id)
                         .where(AnnualRating.year == year))
    return RatingSummary(
        individuals_rated=session.scalar(rated_staff) or 0,
        individuals_expected=session.scalar(select(func.count(Individual.id)).where(staff)) or 0,
        collectives_rated=session.scalar(rated_collectives) or 0,
        collectives_expected=session.scalar(select(func.count(Collective.id))) or 0,
    )


def _candidates(session: Session, year: int) -> CandidateSummary:
    kept = ReviewCandidate.included.is_(True)
    missing = ReviewCandidate.verdict == Verdict.MISSING_INFORMATION.value
    # Left out by the checker alone for want of facts (the officer's removals carry a reason).
    waiting = ReviewCandidate.included.is_(False) & missing & (ReviewCandidate.reason == "")
    removed = ReviewCandidate.included.is_(False) & ~waiting
    row = session.execute(
        select(func.count().filter(kept), func.count().filter(removed), func.count().filter(kept, missing),
               func.count().filter(kept, ReviewCandidate.nomination_id.is_(None)))
        .where(ReviewCandidate.year == year)).one()
    by_award = _by_award(session.execute(
        select(ReviewCandidate.award_code, func.count()).where(ReviewCandidate.year == year, kept)
        .group_by(ReviewCandidate.award_code)))
    waiting_by_award = _by_award(session.execute(
        select(ReviewCandidate.award_code, func.count()).where(ReviewCandidate.year == year, waiting)
        .group_by(ReviewCandidate.award_code)))
    return CandidateSummary(row[0], row[1], waiting_by_award, row[2], row[3], by_award)


def _nominations(session: Session, year: int, today: date) -> NominationSummary:
    counts = dict.fromkeys(State, 0)
    for state, count in session.execute(
            select(Nomination.state, func.count()).where(Nomination.year == year)
            .group_by(Nomination.state)):
        counts[State(state)] = count
    standard = Nomination.procedure == Procedure.STANDARD.value
    # Ready for the commune's decision or the province: a standard nomination whose public
    # notice has ended, or a simplified one once checked (it has no vote and no notice).
    ready = (((Nomination.state == State.PUBLIC_NOTICE.value) & standard
              & (Nomination.notice_ends_on < today))
             | ((Nomination.state == State.CHECKED.value) & ~standard))
    row = session.execute(
        select(func.count().filter(Nomination.state == State.CHECKED.value, standard),
               func.count().filter(ready, Nomination.action == Route.DECIDE.value),
               func.count().filter(ready, Nomination.action == Route.PROPOSE.value))
        .where(Nomination.year == year)).one()
    return NominationSummary(tuple(counts.items()), row[0], row[1], row[2])


def _decisions(session: Session, year: int) -> DecisionSummary:
    states = dict(session.execute(select(Decision.state, func.count()).where(Decision.year == year)
                                  .group_by(Decision.state)).all())
    active = DecisionItem.revoked_on.is_(None)
    row = session.execute(
        select(func.count().filter(active), func.coalesce(func.sum(DecisionItem.reward_amount)
                                                          .filter(active), 0),
               func.count().filter(~active))
        .join(Decision, DecisionItem.decision_id == Decision.id)
        .where(Decision.year == year, Decision.state == "issued")).one()
    return DecisionSummary(states.get("draft", 0), states.get("issued", 0), row[0], row[1], row[2])


def _whom(award_code: str) -> str:
    """'hộ gia đình': who an award is for, in the words of a count; 'đối tượng' when several kinds."""
    kind = catalogue.AWARDS.get(award_code)
    kinds = kind.subject_kinds if kind else ()
    return catalogue.SUBJECT_KINDS[kinds[0]].lower() if len(kinds) == 1 else "đối tượng"
