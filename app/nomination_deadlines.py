"""The deadlines of nominations (hạn xử lý): a public notice's last working day and the
upper level's answer to a proposal, counted in working days (app/working_days.py).

The one place they are computed: the year overview and the nominations' screens and
`tdkt nomination show` all read them from here. A notice that has ended is not late: the
nomination is ready for the commune's decision or the proposal. Only an answer that has
not come by its date is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import catalogue
from app.eligibility.rule_settings import RuleSettings, SettingEntry
from app.nomination_states import Action, State
from app.working_days import WorkCalendar
from db.models import Nomination, NominationEvent, RuleSettingValue, Subject, WorkCalendarDay

DUE_SOON_DAYS = 7  # a deadline this many calendar days ahead or less is listed
ANSWER_DAYS = "province_answer_days"  # rule setting: working days the upper level has to answer


class DeadlineKind(StrEnum):
    NOTICE_END = "notice_end"  # the public notice's last working day
    PROVINCE_ANSWER = "province_answer"  # the upper level's answer to a proposal is due


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
        """An answer not come by its date (a notice that ended is only ready, not late)."""
        return self.kind is DeadlineKind.PROVINCE_ANSWER and self.past

    @property
    def award_label(self) -> str:
        kind = catalogue.AWARDS.get(self.award_code)
        return kind.label if kind else self.award_code

    @property
    def text(self) -> str:
        """The deadline in one sentence, e.g. for the nomination's window."""
        who = f"«{self.award_label}» cho {self.subject_name}"
        if self.kind is DeadlineKind.NOTICE_END:
            if self.past:
                return (f"Niêm yết {who} đã hết ngày {self.due_on:%d/%m/%Y}: sẵn sàng quyết định "
                        "hoặc trình cấp trên.")
            return f"Niêm yết {who} kết thúc ngày {self.due_on:%d/%m/%Y}."
        if self.past:
            return f"Quá hạn cấp trên trả lời đề nghị {who} (hạn {self.due_on:%d/%m/%Y})."
        return f"Hạn cấp trên trả lời đề nghị {who}: {self.due_on:%d/%m/%Y}."


def answer_due(proposed_on: date, settings: RuleSettings, calendar: WorkCalendar) -> date:
    """The day the upper level's answer is due: `province_answer_days` working days (the
    setting in force on the proposal's date) after `proposed_on`."""
    days = int(settings.dated(proposed_on).value(ANSWER_DAYS))  # type: ignore[call-overload]
    return calendar.add_working_days(proposed_on, days)


def deadlines(session: Session, today: date, year: int | None = None,
              horizon_days: int = DUE_SOON_DAYS) -> list[Deadline]:
    """Notices ending and answers due within `horizon_days` of `today`, and those already
    passed that still wait for the next step (of `year`, or every year); earliest first.
    One query reads the nominations with their subjects' names and proposal dates."""
    horizon = today + timedelta(days=horizon_days)
    proposed = (select(NominationEvent.nomination_id, func.max(NominationEvent.on).label("on"))
                .where(NominationEvent.action == Action.PROPOSE.value)
                .group_by(NominationEvent.nomination_id).subquery())
    query = (select(Nomination.id, Nomination.state, Subject.name, Nomination.award_code,
                    Nomination.notice_ends_on, proposed.c.on)
             .join(Subject, Nomination.subject_id == Subject.id)
             .outerjoin(proposed, proposed.c.nomination_id == Nomination.id)
             .where(Nomination.state.in_([State.PUBLIC_NOTICE.value, State.PROPOSED.value])))
    if year is not None:
        query = query.where(Nomination.year == year)
    rows = session.execute(query).all()
    found: list[Deadline] = []
    settings = calendar = None
    for id_, state, name, code, notice_ends_on, proposed_on in rows:
        if state == State.PUBLIC_NOTICE:
            kind, due = DeadlineKind.NOTICE_END, notice_ends_on
        else:
            if proposed_on is None:
                continue
            if settings is None or calendar is None:
                settings, calendar = settings_in(session, today), calendar_in(session)
            kind, due = DeadlineKind.PROVINCE_ANSWER, answer_due(proposed_on, settings, calendar)
        if due is not None and due <= horizon:
            found.append(Deadline(id_, kind, name, code, due, (due - today).days))
    return sorted(found, key=lambda d: (d.due_on, d.kind, d.subject_name))


def calendar_in(session: Session) -> WorkCalendar:
    """Working days with every addition the officer stored."""
    return WorkCalendar(dict(session.execute(select(WorkCalendarDay.day, WorkCalendarDay.kind)).all()))


def settings_in(session: Session, day: date) -> RuleSettings:
    """The officer's values of the answer-days setting, as they stand on `day`."""
    return RuleSettings(day, [SettingEntry(key, value, since) for key, value, since in session.execute(
        select(RuleSettingValue.key, RuleSettingValue.value, RuleSettingValue.effective_from)
        .where(RuleSettingValue.key == ANSWER_DAYS)
        .order_by(RuleSettingValue.effective_from, RuleSettingValue.id))])
