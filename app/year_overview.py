"""Where an emulation year (năm thi đua) stands, and the steps that come next.

Everything is counted by the database (GROUP BY), never by loading the year's rows: a
commune with thousands of subjects opens the overview at once. Only the few nominations
with a deadline near or past are read one by one, because working days are counted here
(app/working_days.py), not in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session, sessionmaker

from app import catalogue
from app.eligibility.individual_rules import RATED_STAFF
from app.eligibility.outcome import Verdict
from app.eligibility.rule_settings import RuleSettings, SettingEntry
from app.movements import OPEN_FOR_REGISTRATION, REGULAR, STATES, THEMATIC
from app.nomination_states import Procedure, Route, State
from app.working_days import WorkCalendar
from db.models import (
    AnnualRating,
    Collective,
    CouncilSession,
    Decision,
    DecisionItem,
    Individual,
    Movement,
    Nomination,
    NominationEvent,
    Registration,
    ReviewCandidate,
    RuleSettingValue,
    Subject,
    WorkCalendarDay,
)

DUE_SOON_DAYS = 7  # a deadline this many calendar days ahead or less is listed
PROVINCE_ANSWER_DAYS = "province_answer_days"  # rule setting: working days the province has
REVIEW_SEASON = (11, 1)  # from 01/11 the year-end ratings are asked for

class Tab(StrEnum):
    """The tabs of the «Năm thi đua» view a next step leads to."""

    MOVEMENTS = "movements"
    REGISTRATIONS = "registrations"
    REVIEW = "review"
    COUNCIL = "council"
    NOMINATIONS = "nominations"
    DECISIONS = "decisions"


class DeadlineKind(StrEnum):
    NOTICE_END = "notice_end"  # the public notice's last working day
    PROVINCE_ANSWER = "province_answer"  # the province's answer to a proposal is due


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
    removed: int
    missing_information: int  # kept, but the checker lacked data to decide
    not_nominated: int  # kept, no nomination made yet
    by_award: tuple[tuple[str, int], ...]  # kept candidates per award code

    @property
    def total(self) -> int:
        return self.kept + self.removed


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
class Deadline:
    nomination_id: int
    kind: DeadlineKind
    subject_name: str
    award_code: str
    due_on: date
    days_left: int  # calendar days from today; negative once past

    @property
    def past(self) -> bool:
        return self.days_left < 0

    @property
    def overdue(self) -> bool:
        """A province answer not come by its date (a notice that ended is only ready, not late)."""
        return self.kind is DeadlineKind.PROVINCE_ANSWER and self.past


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


def award_label(code: str) -> str:
    kind = catalogue.AWARDS.get(code)
    return kind.label if kind else code


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
        deadlines=tuple(sorted(_notice_deadlines(session, year, today)
                               + _answer_deadlines(session, year, today),
                               key=lambda d: (d.due_on, d.kind, d.subject_name))),
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
    row = session.execute(
        select(func.count().filter(kept), func.count().filter(ReviewCandidate.included.is_(False)),
               func.count().filter(kept, ReviewCandidate.verdict == Verdict.MISSING_INFORMATION.value),
               func.count().filter(kept, ReviewCandidate.nomination_id.is_(None)))
        .where(ReviewCandidate.year == year)).one()
    by_award = _by_award(session.execute(
        select(ReviewCandidate.award_code, func.count()).where(ReviewCandidate.year == year, kept)
        .group_by(ReviewCandidate.award_code)))
    return CandidateSummary(row[0], row[1], row[2], row[3], by_award)


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


def _notice_deadlines(session: Session, year: int, today: date) -> list[Deadline]:
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    rows = session.execute(
        select(Nomination.id, Subject.name, Nomination.award_code, Nomination.notice_ends_on)
        .join(Subject, Nomination.subject_id == Subject.id)
        .where(Nomination.year == year, Nomination.state == State.PUBLIC_NOTICE.value,
               Nomination.notice_ends_on.is_not(None), Nomination.notice_ends_on <= horizon))
    return [Deadline(id_, DeadlineKind.NOTICE_END, name, code, ends, (ends - today).days)
            for id_, name, code, ends in rows]


def _answer_deadlines(session: Session, year: int, today: date) -> list[Deadline]:
    """Proposals the province should have answered by now or within DUE_SOON_DAYS: the latest
    'propose' event plus `province_answer_days` working days (the setting on that date)."""
    proposed_on = (select(NominationEvent.nomination_id, func.max(NominationEvent.on).label("on"))
                   .where(NominationEvent.action == Route.PROPOSE.value)
                   .group_by(NominationEvent.nomination_id).subquery())
    rows = session.execute(
        select(Nomination.id, Subject.name, Nomination.award_code, proposed_on.c.on)
        .join(Subject, Nomination.subject_id == Subject.id)
        .join(proposed_on, proposed_on.c.nomination_id == Nomination.id)
        .where(Nomination.year == year, Nomination.state == State.PROPOSED.value)).all()
    if not rows:
        return []
    calendar = WorkCalendar(dict(session.execute(select(WorkCalendarDay.day, WorkCalendarDay.kind)).all()))
    entries = [SettingEntry(key, value, since) for key, value, since in session.execute(
        select(RuleSettingValue.key, RuleSettingValue.value, RuleSettingValue.effective_from)
        .where(RuleSettingValue.key == PROVINCE_ANSWER_DAYS)
        .order_by(RuleSettingValue.effective_from, RuleSettingValue.id))]
    deadlines = []
    for id_, name, code, on in rows:
        days = RuleSettings(on, entries).value(PROVINCE_ANSWER_DAYS)
        due = calendar.add_working_days(on, int(days))  # type: ignore[call-overload]
        if (due - today).days <= DUE_SOON_DAYS:
            deadlines.append(Deadline(id_, DeadlineKind.PROVINCE_ANSWER, name, code, due, (due - today).days))
    return deadlines

