"""Nominations (đề nghị khen thưởng): the one service the screens and `tdkt` use for them.

It reads (here) and hands the rest to its parts, which share one NominationContext
(app/nomination_context.py): the steps of the state machine (app/nomination_steps.py)
and the dossier with its checklist and attachments (app/nomination_dossier.py). Rows and
details are built in app/nomination_rows.py, deadlines in app/nomination_deadlines.py.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import AuditTrail, Clock, utc_now
from app.eligibility_service import EligibilityService
from app.errors import NotFoundError
from app.history import HistoryService
from app.local_time import local_date
from app.nomination_context import CalendarSource, NominationContext, Today, default_calendar, get_nomination
from app.nomination_deadlines import DUE_SOON_DAYS, Deadline, deadlines
from app.nomination_dossier import OTHER_PART, ChecklistItem, NominationDossier, known_parts
from app.nomination_rows import (
    DEFAULT_ISSUER,
    ROUTE_LABELS,
    CitableAward,
    NominationDetail,
    NominationEventRow,
    NominationRow,
    award_text,
    detail_in,
    rows_in,
)
from app.nomination_states import ACTION_LABELS, Action
from app.nomination_steps import NominationSteps
from app.roles import Actor
from app.rule_setting_service import RuleSettingService
from db.models import Award, Nomination, NominationEvent, User

__all__ = ["DEFAULT_ISSUER", "OTHER_PART", "ROUTE_LABELS", "ChecklistItem", "CitableAward", "Deadline",
           "NominationDetail", "NominationEventRow", "NominationRow", "NominationService", "known_parts"]


class NominationService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 rule_settings: RuleSettingService, eligibility: EligibilityService,
                 history: HistoryService, calendar: CalendarSource = default_calendar,
                 clock: Clock = utc_now, today: Today | None = None) -> None:
        self._ctx = NominationContext(sessions, actor, audit, rule_settings, eligibility, history, calendar,
                                      clock, today or (lambda: local_date(clock)))
        steps, dossier = NominationSteps(self._ctx), NominationDossier(self._ctx)
        # The steps (app/nomination_steps.py), each changing data in its own transaction.
        self.create = steps.create
        self.update = steps.update
        self.check = steps.check
        self.post_notice = steps.post_notice
        self.propose = steps.propose
        self.record_outcome = steps.record_outcome
        self.return_ = steps.return_
        self.reopen = steps.reopen
        # The dossier (app/nomination_dossier.py): its checklist and attached files.
        self.checklist = dossier.checklist
        self.dossier_choices = dossier.dossier_choices
        self.attachments = dossier.attachments
        self.attach = dossier.attach
        self.remove_attachment = dossier.remove_attachment
        self.open_attachment = dossier.open_attachment
        self.notice_end = self._ctx.notice_end

    # --- reading

    def rows(self, year: int, state: str | None = None) -> list[NominationRow]:
        """The year's nominations (of one state when given), by subject name and award."""
        with self._ctx.sessions() as session:
            return rows_in(session, year, state)

    def counts(self, year: int) -> dict[str, int]:
        """How many of the year's nominations are in each state (states without any left out)."""
        with self._ctx.sessions() as session:
            return dict(session.execute(
                select(Nomination.state, func.count()).where(Nomination.year == year)
                .group_by(Nomination.state)).all())

    def find(self, reference: str) -> int:
        """The id of the nomination a number or a UUID names; NotFoundError otherwise."""
        text = reference.strip()
        wanted = Nomination.id == int(text) if text.isdecimal() else Nomination.uuid == text.lower()
        with self._ctx.sessions() as session:
            found = session.scalar(select(Nomination.id).where(wanted))
        if found is None:
            raise NotFoundError(f"Không tìm thấy đề nghị “{text}” (số hoặc mã UUID của đề nghị).")
        return found

    def detail(self, nomination_id: int) -> NominationDetail:
        with self._ctx.sessions() as session:
            return detail_in(self._ctx, session, get_nomination(session, nomination_id))

    def events(self, nomination_id: int) -> list[NominationEventRow]:
        """The nomination's steps, oldest first."""
        with self._ctx.sessions() as session:
            get_nomination(session, nomination_id)
            found = session.execute(
                select(NominationEvent, User.full_name).outerjoin(User, User.id == NominationEvent.user_id)
                .where(NominationEvent.nomination_id == nomination_id)
                .order_by(NominationEvent.at, NominationEvent.id))
            return [NominationEventRow(event.action, ACTION_LABELS[Action(event.action)], event.from_state,
                                       event.to_state, event.on, event.at, event.reason, name or "")
                    for event, name in found]

    def citable_awards(self, nomination_id: int) -> list[CitableAward]:
        """The subject's awards in its history, oldest first: those a nomination may cite as
        its basis (basis_award_uuids)."""
        with self._ctx.sessions() as session:
            nomination = get_nomination(session, nomination_id)
            return [CitableAward(award.uuid, award_text(award))
                    for award in session.scalars(select(Award).where(Award.subject_id == nomination.subject_id)
                                                 .order_by(Award.year, Award.id))]

    def today(self) -> date:
        """Today's date in Việt Nam by the service's clock."""
        return self._ctx.today()

    def deadlines(self, today: date, horizon_days: int = DUE_SOON_DAYS, year: int | None = None) -> list[Deadline]:
        """Notices ending and answers due within `horizon_days` of `today`, and those already
        passed that still wait for the next step; earliest first (app/nomination_deadlines.py)."""
        with self._ctx.sessions() as session:
            return deadlines(session, today, year, horizon_days)
