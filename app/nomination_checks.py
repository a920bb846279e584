"""Running the eligibility checker for nominations inside the caller's transaction.

The nomination screen's check (app/nomination_steps.py), the proposal to the upper level,
the commune decision (app/decisions.py) and the council's correction (app/council.py) all
judge a nomination here, on a given date, on the history as it stands in that transaction,
and keep the result with the nomination: a binding step rests on a check made for it, not
on an older stored verdict that a revoked award or a new discipline has since made wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.eligibility.checker import check
from app.eligibility.declared_facts import COMMUNITY_AWARDS, DeclaredFacts
from app.eligibility.outcome import VERDICT_LABELS, Outcome, Status, Verdict
from app.audit import AuditTrail
from app.eligibility.request import DECIDE, PROPOSE, CheckRequest, Facts
from app.eligibility_service import EligibilityService
from app.eligibility_snapshots import subject_snapshots
from app.nomination_flow import describe
from app.nomination_rows import ROUTE_LABELS
from app.nomination_states import Route
from app.roles import Actor
from app.rule_setting_service import RuleSettingService
from app.working_days import WorkCalendar
from db.models import Movement, Nomination, Registration

_IN_CHUNK = 500  # ids per IN (...) list, below SQLite's parameter limit


@dataclass(frozen=True)
class NominationChecks:
    rule_settings: RuleSettingService
    eligibility: EligibilityService
    calendar: Callable[[], WorkCalendar]

    def run_in(self, session: Session, nominations: Sequence[Nomination], day: date,
               route_fixed: bool = False) -> dict[int, Outcome]:
        """Check each nomination for a decision on `day` and store each result with its
        nomination, inside the caller's transaction: {nomination id: outcome}.

        `route_fixed`: the nomination has left the check (voted, posted, about to be decided
        or proposed), so the checker judges the route it took (decide / propose) rather than
        whichever the date allows. Snapshots are built in chunks and the settings read once.
        """
        if not nominations:
            return {}
        settings = self.rule_settings.on(day)
        calendar = self.calendar()
        snapshots = subject_snapshots(session, [n.subject_id for n in nominations])
        movements = _movement_names(session, nominations)
        registered = _registered(session, nominations)
        outcomes: dict[int, Outcome] = {}
        for nomination in nominations:
            request = CheckRequest(
                nomination.award_code, nomination.year, day, route=nomination.route or None,
                action=(nomination.action or None) if route_fixed else None,
                facts=facts_of(nomination, day, calendar, movements.get(nomination.movement_id, ""),
                               (nomination.subject_id, nomination.award_code, nomination.year) in registered))
            outcome = check(request, snapshots[nomination.subject_id], settings)
            self.eligibility.save_in(session, nomination.subject_id, outcome, nomination.id)
            outcomes[nomination.id] = outcome
        return outcomes


def set_route_in(session: Session, audit: AuditTrail, actor: Actor, nomination: Nomination,
                 outcome: Outcome) -> None:
    """At the check step, who decides follows the check (the commune chairman decides or the
    nomination is proposed), with an audit entry when it changes."""
    action = DECIDE if outcome.authority.commune_decides else PROPOSE
    if nomination.action == action:
        return
    old_action = nomination.action
    nomination.action = action
    audit.record(session, actor, "update", "nomination", nomination.uuid,
                 f"{ROUTE_LABELS[Route(action)]}: {describe(session, nomination)}"[:300],
                 old={"action": old_action}, new={"action": action})


def facts_of(nomination: Nomination, decision_date: date, calendar: WorkCalendar, movement: str,
             registered: bool) -> Facts:
    """The checker's facts: the nomination's own, the register's, and what the officer
    declared. For Gia đình văn hóa and thôn văn hóa a declared `public_notice_days` wins
    over the days counted from the commune's notice: NĐ 86 asks for the list posted 10
    days at the village (or the village consulted) before the commune's step, which the
    officer alone knows; the commune's notice, posted after the vote, is a later one and
    counts only when nothing was declared."""
    declared = DeclaredFacts.from_json(nomination.declared_facts)
    notice_days = None
    if nomination.notice_starts_on is not None and nomination.notice_ends_on is not None:
        last = min(nomination.notice_ends_on, decision_date)
        notice_days = calendar.count_between(nomination.notice_starts_on, last)
    if nomination.award_code in COMMUNITY_AWARDS and declared.public_notice_days is not None:
        notice_days = declared.public_notice_days
    return Facts(achievement_summary=nomination.achievement_summary, event_date=nomination.event_date,
                 movement=movement, registered=registered,
                 public_notice_days=notice_days, assessment_passed=declared.assessment_passed,
                 cluster_leading=declared.cluster_leading, cluster_name=declared.cluster_name,
                 basis_award_uuids=declared.basis_award_uuids)


def why_not(outcome: Outcome) -> str:
    """In words, why a check did not say eligible: its verdict and the first failed check
    (the first one not passed when nothing failed)."""
    problems = [c for c in outcome.checks if c.status is Status.FAILED] or [
        c for c in outcome.checks if c.status is not Status.PASSED]
    reason = f": {problems[0].message.rstrip('.')}" if problems else ""
    return f"{VERDICT_LABELS[outcome.verdict].lower()}{reason}"


def failing(outcomes: dict[int, Outcome]) -> list[int]:
    """The ids of the nominations whose check did not say eligible, in the given order."""
    return [nomination_id for nomination_id, outcome in outcomes.items() if outcome.verdict is not Verdict.ELIGIBLE]


def _movement_names(session: Session, nominations: Sequence[Nomination]) -> dict[int | None, str]:
    ids = sorted({n.movement_id for n in nominations if n.movement_id is not None})
    found: dict[int | None, str] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        found.update((row.id, row.name) for row in session.execute(
            select(Movement.id, Movement.name).where(Movement.id.in_(ids[start:start + _IN_CHUNK]))))
    return found


def _registered(session: Session, nominations: Sequence[Nomination]) -> set[tuple[int, str, int]]:
    """(subject id, award code, year) of the nominations' subjects registered in a movement
    of that year for that award."""
    subjects = sorted({n.subject_id for n in nominations})
    found: set[tuple[int, str, int]] = set()
    for start in range(0, len(subjects), _IN_CHUNK):
        found.update((row.subject_id, row.award_code, row.year) for row in session.execute(
            select(Registration.subject_id, Registration.award_code, Movement.year)
            .join(Movement, Movement.id == Registration.movement_id)
            .where(Registration.subject_id.in_(subjects[start:start + _IN_CHUNK]))))
    return found
