"""What the parts of the nominations' service share (app/nominations.py): the database,
the acting user, the services they call, the work calendar and the clock.

Each part (reading, app/nomination_steps.py, app/nomination_dossier.py) holds one
NominationContext instead of a copy of nine fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import AuditTrail, Clock
from app.eligibility_service import EligibilityService
from app.errors import NotFoundError
from app.history import HistoryService
from app.local_time import stored_now
from app.nomination_deadlines import answer_due
from app.nomination_states import Action, State
from app.roles import Actor
from app.rule_setting_service import RuleSettingService
from app.working_days import WorkCalendar
from db.models import Nomination, NominationEvent

Today = Callable[[], date]
CalendarSource = Callable[[], WorkCalendar]


def default_calendar() -> WorkCalendar:
    """Vietnam's working days without the officer's additions: used until the work calendar
    service (app/work_calendar_service.py) is wired in."""
    return WorkCalendar()


@dataclass(frozen=True)
class NominationContext:
    sessions: sessionmaker[Session]
    actor: Actor
    audit: AuditTrail
    rule_settings: RuleSettingService
    eligibility: EligibilityService
    history: HistoryService
    calendar: CalendarSource
    clock: Clock
    today: Today  # the date in Việt Nam by the clock, unless a test fixes it

    def now(self) -> datetime:
        return stored_now(self.clock)

    def notice_end(self, start: date) -> date:
        """The last day of a public notice posted on `start`: the N-th working day, N the
        `public_notice_days` setting on that date."""
        days = int(self.rule_settings.on(start).value("public_notice_days"))  # type: ignore[arg-type]
        return self.calendar().nth_working_day(start, days)

    def answer_due_from(self, proposed_on: date) -> date:
        return answer_due(proposed_on, self.rule_settings.on(proposed_on), self.calendar())

    def answer_due(self, session: Session, nomination: Nomination) -> date | None:
        """The upper level's answer date, once proposed (kept after the answer came)."""
        if nomination.state not in (State.PROPOSED, State.APPROVED, State.NOT_APPROVED):
            return None
        proposed = proposed_on(session, nomination)
        return None if proposed is None else self.answer_due_from(proposed)


def get_nomination(session: Session, nomination_id: int) -> Nomination:
    nomination = session.get(Nomination, nomination_id)
    if nomination is None:
        raise NotFoundError("Không tìm thấy đề nghị khen thưởng này; có thể nó đã bị xóa.")
    return nomination



def proposed_on(session: Session, nomination: Nomination) -> date | None:
    return step_on(session, nomination, Action.PROPOSE)


def step_on(session: Session, nomination: Nomination, action: Action) -> date | None:
    """The date of the nomination's latest `action` step (None when it never took one)."""
    return session.scalar(
        select(NominationEvent.on).where(NominationEvent.nomination_id == nomination.id,
                                         NominationEvent.action == action)
        .order_by(NominationEvent.at.desc(), NominationEvent.id.desc()).limit(1))
