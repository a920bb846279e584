"""Nominations (đề nghị khen thưởng): the service the screens and `tdkt` use around the
state machine (app/nomination_states.py) and the one place that moves a nomination
(app/nomination_flow.py).

Every change of state goes through `apply_action`, inside the transaction that made it, so
the state, its NominationEvent and the audit entry are written together or not at all.
Deciding (quyết định) belongs to the decisions (app/decisions.py) and the council vote to
the council sessions (app/council.py); this service offers the other steps: the
eligibility check, the public notice, the proposal to the province, its answer, returning
and reopening, and the dossier with its attachments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app import catalogue
from app.attachments import AttachmentRow, AttachmentStore, Report
from app.audit import AuditTrail, Clock, utc_now
from app.eligibility.checker import ROUTES, check
from app.eligibility.declared_facts import (
    COMMUNITY_AWARDS,
    FACT_LABELS,
    DeclaredFacts,
    declarable_for,
    fact_text,
    validated,
)
from app.eligibility.dossier import dossier_parts
from app.eligibility.outcome import VERDICT_LABELS, Outcome, Verdict
from app.eligibility.request import DECIDE, PROPOSE, CheckRequest, Facts
from app.eligibility.rule_sets import rule_set_on
from app.eligibility_service import EligibilityService, StoredCheck, latest_for_nomination_in
from app.eligibility_snapshots import subject_snapshot
from app.errors import NotFoundError, ValidationError
from app.history import AwardRecord, HistoryService
from app.local_time import local_date, stored_now
from app.nomination_deadlines import DUE_SOON_DAYS, Deadline, answer_due, deadlines
from app.nomination_flow import apply_action, describe, new_nomination, route_of
from app.nomination_states import (
    ACTION_LABELS,
    FINAL_STATES,
    PROCEDURE_LABELS,
    STATE_LABELS,
    Action,
    Procedure,
    Route,
    State,
    allowed_actions,
    next_state,
)
from app.roles import Actor, Permission, require
from app.rule_setting_service import RuleSettingService
from app.vietnamese import clean
from app.working_days import WorkCalendar
from db.models import (
    Attachment,
    Award,
    CouncilSession,
    CouncilVote,
    Movement,
    Nomination,
    NominationEvent,
    Registration,
    Subject,
    User,
)

Today = Callable[[], date]
CalendarSource = Callable[[], WorkCalendar]

ROUTE_LABELS = {Route.DECIDE: "Xã quyết định", Route.PROPOSE: "Trình cấp trên"}
# The council minutes parts: present once a finalised council session voted on the nomination.
MINUTES_PARTS = frozenset({"bien_ban_binh_xet", "bien_ban_xet"})
# States in which the summary and facts may still change (the summary until decided).
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
SUMMARY_STATES = frozenset(State) - FINAL_STATES
DEFAULT_ISSUER = "Chủ tịch UBND tỉnh"
UPPER_DECIDERS = frozenset({"district_chairman", "province_chairman"})  # who may answer a proposal


def default_calendar() -> WorkCalendar:
    """Vietnam's working days without the officer's additions: used until the work calendar
    service (app/work_calendar_service.py) is wired in."""
    return WorkCalendar()


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
    def facts_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def summary_editable(self) -> bool:
        return self.state in SUMMARY_STATES


@dataclass(frozen=True)
class CitableAward:
    uuid: str
    text: str  # e.g. «Chiến sĩ thi đua cơ sở năm 2024 (QĐ số 12/QĐ-UBND)»


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str
    basis: str
    present: bool
    files: tuple[str, ...]  # the attached files standing for it
    note: str = ""  # e.g. the council session whose minutes count


class NominationService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 rule_settings: RuleSettingService, eligibility: EligibilityService,
                 history: HistoryService, calendar: CalendarSource = default_calendar,
                 clock: Clock = utc_now, today: Today | None = None) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._rule_settings = rule_settings
        self._eligibility = eligibility
        self._history = history
        self._calendar = calendar
        self._clock = clock
        self._today = today or (lambda: local_date(clock))

    # --- reading

    def rows(self, year: int, state: str | None = None) -> list[NominationRow]:
        """The year's nominations (of one state when given), by subject name and award."""
        query = select(Nomination).join(Subject, Subject.id == Nomination.subject_id).where(
            Nomination.year == year)
        if state:
            query = query.where(Nomination.state == state)
        with self._sessions() as session:
            found = session.scalars(query.order_by(Subject.sort_key, Nomination.award_code, Nomination.id))
            return [self._row(session, nomination) for nomination in found]

    def counts(self, year: int) -> dict[str, int]:
        """How many of the year's nominations are in each state (states without any left out)."""
        with self._sessions() as session:
            return dict(session.execute(
                select(Nomination.state, func.count()).where(Nomination.year == year)
                .group_by(Nomination.state)).all())

    def find(self, reference: str) -> int:
        """The id of the nomination a number or a UUID names; NotFoundError otherwise."""
        text = reference.strip()
        wanted = Nomination.id == int(text) if text.isdecimal() else Nomination.uuid == text.lower()
        with self._sessions() as session:
            found = session.scalar(select(Nomination.id).where(wanted))
        if found is None:
            raise NotFoundError(f"Không tìm thấy đề nghị “{text}” (số hoặc mã UUID của đề nghị).")
        return found

    def detail(self, nomination_id: int) -> NominationDetail:
        with self._sessions() as session:
            return self._detail_in(session, _get(session, nomination_id))

    def events(self, nomination_id: int) -> list[NominationEventRow]:
        """The nomination's steps, oldest first."""
        with self._sessions() as session:
            _get(session, nomination_id)
            found = session.execute(
                select(NominationEvent, User.full_name).outerjoin(User, User.id == NominationEvent.user_id)
                .where(NominationEvent.nomination_id == nomination_id)
                .order_by(NominationEvent.at, NominationEvent.id))
            return [NominationEventRow(event.action, ACTION_LABELS[Action(event.action)], event.from_state,
                                       event.to_state, event.on, event.at, event.reason, name or "")
                    for event, name in found]

    def checklist(self, nomination_id: int) -> list[ChecklistItem]:
        """The dossier parts the latest check names, each present when a file stands for it
        (the council minutes also once a finalised session voted on the nomination)."""
        with self._sessions() as session:
            nomination = _get(session, nomination_id)
            stored = latest_for_nomination_in(session, nomination.id)
            if stored is None:
                return []
            files: dict[str, list[str]] = {}
            for part, name in session.execute(
                    select(Attachment.dossier_part, Attachment.file_name)
                    .where(Attachment.owner_uuid == nomination.uuid).order_by(Attachment.id)):
                files.setdefault(part, []).append(name)
            council = _final_vote_session(session, nomination.id)
            items = []
            for part in stored.outcome.dossier:
                attached = tuple(files.get(part.code, ()))
                note = ""
                if part.code in MINUTES_PARTS and council is not None:
                    note = f"Biên bản phiên họp Hội đồng «{council.title}» ngày {council.held_on:%d/%m/%Y}"
                items.append(ChecklistItem(part.code, part.label, part.basis, bool(attached or note),
                                           attached, note))
            return items

    def dossier_choices(self, nomination_id: int) -> list[tuple[str, str]]:
        """(code, label) of the parts a file may stand for: the latest check's parts, or
        every part the checker knows before the first check; ("", "Tài liệu khác") last."""
        items = self.checklist(nomination_id)
        choices = [(item.code, item.label) for item in items] if items else list(known_parts().items())
        return [*choices, ("", OTHER_PART)]

    def citable_awards(self, nomination_id: int) -> list[CitableAward]:
        """The subject's awards in its history, oldest first: those a nomination may cite as
        its basis (basis_award_uuids)."""
        with self._sessions() as session:
            nomination = _get(session, nomination_id)
            return [CitableAward(award.uuid, _award_text(award))
                    for award in session.scalars(select(Award).where(Award.subject_id == nomination.subject_id)
                                                 .order_by(Award.year, Award.id))]

    def today(self) -> date:
        """Today's date in Việt Nam by the service's clock."""
        return self._today()

    def deadlines(self, today: date, horizon_days: int = DUE_SOON_DAYS, year: int | None = None) -> list[Deadline]:
        """Notices ending and answers due within `horizon_days` of `today`, and those already
        passed that still wait for the next step; earliest first (app/nomination_deadlines.py)."""
        with self._sessions() as session:
            return deadlines(session, today, year, horizon_days)

    def notice_end(self, start: date) -> date:
        """The last day of a public notice posted on `start`: the N-th working day, N the
        `public_notice_days` setting on that date."""
        days = int(self._rule_settings.on(start).value("public_notice_days"))  # type: ignore[arg-type]
        return self._calendar().nth_working_day(start, days)

    # --- changing

    def create(self, *, subject_id: int, award_code: str, year: int,
               procedure: str = Procedure.STANDARD, basis_kind: str | None = None, route: str = "",
               movement_id: int | None = None, achievement_summary: str = "",
               event_date: date | None = None, planned_decision_date: date | None = None) -> int:
        """A draft nomination; a sudden feat (simplified procedure) has basis «đột xuất», the
        sudden route and needs its date; a thematic award names its movement."""
        require(self._actor, Permission.RUN_EMULATION)
        if basis_kind is None:
            basis_kind = ("sudden" if procedure == Procedure.SIMPLIFIED
                          else "thematic" if movement_id is not None and award_code == "GK_XA"
                          else "annual_duty")
        if procedure == Procedure.SIMPLIFIED:
            if basis_kind != "sudden":
                raise ValidationError("Thủ tục đơn giản chỉ dành cho thành tích đột xuất.", "procedure")
            if event_date is None:
                raise ValidationError("Hãy ghi ngày lập thành tích đột xuất.", "event_date")
            route = route or ("sudden" if "sudden" in ROUTES.get(award_code, ()) else "")
        elif basis_kind == "sudden":
            raise ValidationError("Thành tích đột xuất được đề nghị theo thủ tục đơn giản.", "procedure")
        if basis_kind == "thematic":
            if movement_id is None:
                raise ValidationError("Khen thưởng theo chuyên đề cần chọn phong trào thi đua.", "movement_id")
            route = route or ("thematic" if "thematic" in ROUTES.get(award_code, ()) else "")
        _check_route(award_code, route)
        with self._sessions.begin() as session:
            if movement_id is not None and session.get(Movement, movement_id) is None:
                raise ValidationError("Không tìm thấy phong trào thi đua đã chọn.", "movement_id")
            nomination = new_nomination(
                session, self._audit, self._actor, self._now(), subject_id=subject_id,
                award_code=award_code, year=year, route=route, procedure=procedure,
                basis_kind=basis_kind, movement_id=movement_id,
                achievement_summary=achievement_summary, event_date=event_date,
                planned_decision_date=planned_decision_date)
            return nomination.id

    def update(self, nomination_id: int, *, achievement_summary: str | None = None,
               event_date: date | None = None, planned_decision_date: date | None = None,
               route: str | None = None, movement_id: int | None = None,
               declared_facts: DeclaredFacts | None = None, clear: Iterable[str] = ()) -> NominationDetail:
        """Change the facts (draft or returned) or only the summary (until decided).

        Arguments left None keep their value; names in `clear` (event_date,
        planned_decision_date, movement_id) are emptied. `declared_facts` replaces what the
        officer declared for the checker: only facts the award and route need, days a whole
        number from 0, cited awards from the subject's own history."""
        require(self._actor, Permission.RUN_EMULATION)
        cleared = set(clear)
        with self._sessions.begin() as session:
            nomination = _get(session, nomination_id)
            state = State(nomination.state)
            old = _facts_of(nomination)
            new = dict(old)
            if achievement_summary is not None:
                new["achievement_summary"] = clean(achievement_summary)
            for name, value in (("event_date", event_date), ("planned_decision_date", planned_decision_date),
                                ("route", route), ("movement_id", movement_id)):
                if name in cleared:
                    new[name] = "" if name == "route" else None
                elif value is not None:
                    new[name] = value
            if declared_facts is not None:
                declared = validated(declared_facts, nomination.award_code, str(new["route"]) or None)
                _check_cited(session, nomination, declared.basis_award_uuids)
                new["declared_facts"] = declared.given()
            changed = {name for name in new if new[name] != old[name]}
            if not changed:
                return self._detail_after(session, nomination)
            if changed - {"achievement_summary"} and state not in EDITABLE_STATES:
                raise ValidationError(
                    f"Chỉ sửa được ngày, tuyến xét, phong trào, thông tin kê khai khi đề nghị là dự thảo hoặc bị trả lại "
                    f"(đang ở bước «{STATE_LABELS[state]}»).", "state")
            if state not in SUMMARY_STATES:
                raise ValidationError(
                    f"Đề nghị đã kết thúc (bước «{STATE_LABELS[state]}»); không sửa tóm tắt thành tích.",
                    "state")
            if nomination.procedure == Procedure.SIMPLIFIED and new["event_date"] is None:
                raise ValidationError("Thủ tục đơn giản cần ngày lập thành tích đột xuất.", "event_date")
            if nomination.basis_kind == "thematic" and new["movement_id"] is None:
                raise ValidationError("Khen thưởng theo chuyên đề cần chọn phong trào thi đua.", "movement_id")
            if "movement_id" in changed and new["movement_id"] is not None and \
                    session.get(Movement, new["movement_id"]) is None:
                raise ValidationError("Không tìm thấy phong trào thi đua đã chọn.", "movement_id")
            _check_route(nomination.award_code, str(new["route"]))
            for name in changed - {"declared_facts"}:
                setattr(nomination, name, new[name])
            if "declared_facts" in changed:
                nomination.declared_facts = DeclaredFacts(**new["declared_facts"]).to_json()  # type: ignore[arg-type]
            nomination.updated_at = self._now()
            self._audit.record(session, self._actor, "update", "nomination", nomination.uuid,
                               f"Sửa {describe(session, nomination)}"[:300],
                               old={k: old[k] for k in sorted(changed)}, new={k: new[k] for k in sorted(changed)})
            session.flush()
            return self._detail_after(session, nomination)

    def check(self, nomination_id: int, decision_date: date | None = None) -> Outcome:
        """Run the eligibility checker for the nomination and keep the result with it.

        The decision date is the one given, else the planned one, else today. The result
        sets who decides (decide / propose). Eligible: the nomination becomes «checked».
        Not eligible or missing information: the result is kept, the state stays, and the
        outcome says why. A state that cannot be checked is refused before anything runs.
        """
        require(self._actor, Permission.RUN_EMULATION)
        with self._sessions.begin() as session:
            nomination = _get(session, nomination_id)
            next_state(State(nomination.state), Action.CHECK, Procedure(nomination.procedure), None)
            day = decision_date or nomination.planned_decision_date or self._today()
            request = CheckRequest(nomination.award_code, nomination.year, day,
                                   route=nomination.route or None, action=None,
                                   facts=self._facts(session, nomination, day))
            outcome = check(request, subject_snapshot(session, nomination.subject_id),
                            self._rule_settings.on(day))
            self._eligibility.save_in(session, nomination.subject_id, outcome, nomination.id)
            action = DECIDE if outcome.authority.commune_decides else PROPOSE
            if nomination.action != action:
                old_action = nomination.action
                nomination.action = action
                self._audit.record(session, self._actor, "update", "nomination", nomination.uuid,
                                   f"{ROUTE_LABELS[Route(action)]}: {describe(session, nomination)}"[:300],
                                   old={"action": old_action}, new={"action": action})
            if outcome.verdict is Verdict.ELIGIBLE:
                apply_action(session, self._audit, self._actor, nomination, Action.CHECK, day, self._now())
            nomination.updated_at = self._now()
            return outcome

    def post_notice(self, ids: Sequence[int], start: date) -> date:
        """Post the voted nominations publicly from `start`; returns the notice's last day.
        One refused nomination refuses them all, naming it."""
        require(self._actor, Permission.RUN_EMULATION)
        if not ids:
            raise ValidationError("Chưa chọn đề nghị nào để niêm yết.", "ids")
        ends = self.notice_end(start)
        with self._sessions.begin() as session:
            for nomination in _each(session, ids):
                apply_action(session, self._audit, self._actor, nomination, Action.POST_NOTICE, start,
                             self._now())
                nomination.notice_starts_on, nomination.notice_ends_on = start, ends
        return ends

    def propose(self, ids: Sequence[int], on: date) -> date:
        """Send the nominations to the province on `on` (after the public notice has ended,
        or straight after the check for the simplified procedure); returns the date the
        province's answer is due. One refused nomination refuses them all."""
        require(self._actor, Permission.RUN_EMULATION)
        if not ids:
            raise ValidationError("Chưa chọn đề nghị nào để trình cấp trên.", "ids")
        with self._sessions.begin() as session:
            for nomination in _each(session, ids):
                ends = nomination.notice_ends_on
                if nomination.procedure == Procedure.STANDARD and ends is not None and on <= ends:
                    raise ValidationError(
                        f"Chưa hết thời gian niêm yết {describe(session, nomination)} (đến hết ngày "
                        f"{ends:%d/%m/%Y}); trình cấp trên từ ngày làm việc sau đó.", "on")
                apply_action(session, self._audit, self._actor, nomination, Action.PROPOSE, on, self._now())
        return self._answer_due_from(on)

    def record_outcome(self, nomination_id: int, approved: bool, decision_number: str = "",
                       decision_date: date | None = None, issuer: str = "",
                       note: str = "") -> NominationDetail:
        """The upper level's answer (the province's; the district's before 01/07/2025).
        Approved: the award enters the subject's history with that decision, the law in force
        on its date and, for an award over several years, the first year the latest check
        reported on; `issuer` defaults to the decider that check named. Not approved: `note`
        is the reason and is required."""
        require(self._actor, Permission.RUN_EMULATION)
        number, issuer, note = clean(decision_number), clean(issuer), clean(note)
        with self._sessions.begin() as session:
            nomination = _get(session, nomination_id)
            on = decision_date or self._today()
            issuer = (issuer or _upper_issuer(session, nomination)) if approved or number else ""
            if approved:
                if not number:
                    raise ValidationError("Hãy ghi số quyết định khen thưởng của cấp trên.", "decision_number")
                if decision_date is None:
                    raise ValidationError("Hãy ghi ngày quyết định khen thưởng của cấp trên.", "decision_date")
                apply_action(session, self._audit, self._actor, nomination, Action.APPROVE, on,
                             self._now(), note)
                self._history.grant_in(session, nomination.subject_id,
                                       _granted(session, nomination, number, decision_date, issuer))
            else:
                apply_action(session, self._audit, self._actor, nomination, Action.NOT_APPROVE, on,
                             self._now(), note)
            nomination.outcome_decision_number = number
            nomination.outcome_decision_date = decision_date
            nomination.outcome_issuer = issuer
            nomination.outcome_note = note
            session.flush()
            return self._detail_after(session, nomination)

    def return_(self, nomination_id: int, reason: str, on: date | None = None) -> NominationDetail:
        """Return the nomination (trả lại) with a reason, at any step not yet final."""
        require(self._actor, Permission.RUN_EMULATION)
        with self._sessions.begin() as session:
            nomination = _get(session, nomination_id)
            apply_action(session, self._audit, self._actor, nomination, Action.RETURN,
                         on or self._today(), self._now(), reason)
            session.flush()
            return self._detail_after(session, nomination)

    def reopen(self, nomination_id: int) -> NominationDetail:
        """A returned nomination becomes a draft again, to be corrected and checked anew;
        its public notice, if any, no longer counts."""
        require(self._actor, Permission.RUN_EMULATION)
        with self._sessions.begin() as session:
            nomination = _get(session, nomination_id)
            apply_action(session, self._audit, self._actor, nomination, Action.REOPEN, self._today(),
                         self._now())
            nomination.notice_starts_on = nomination.notice_ends_on = None
            session.flush()
            return self._detail_after(session, nomination)

    # --- attachments (the data folder is the database file's folder)

    def attachments(self, nomination_id: int) -> list[AttachmentRow]:
        with self._sessions() as session:
            owner = _get(session, nomination_id).uuid
            return [AttachmentRow.of(a) for a in session.scalars(
                select(Attachment).where(Attachment.owner_uuid == owner).order_by(Attachment.added_at,
                                                                                 Attachment.id))]

    def attach(self, nomination_id: int, source: Path, dossier_part: str, data_folder: Path,
               report: Report | None = None) -> AttachmentRow:
        """Copy a scanned PDF/JPG/PNG (at most 20 MB) into the data folder for the nomination,
        as the dossier part `dossier_part` ("" for another document)."""
        require(self._actor, Permission.RUN_EMULATION)
        if dossier_part and dossier_part not in known_parts():
            raise ValidationError(f"Không có thành phần hồ sơ mã “{dossier_part}”.", "dossier_part")
        with self._sessions() as session:
            owner = _get(session, nomination_id).uuid
        return self._store(data_folder).add(owner, source, report or _ignore_progress, dossier_part)

    def remove_attachment(self, nomination_id: int, attachment_id: int, reason: str,
                          data_folder: Path) -> AttachmentRow:
        """Remove one of the nomination's files with a reason; not once the nomination is final."""
        require(self._actor, Permission.RUN_EMULATION)
        with self._sessions() as session:
            nomination = _get(session, nomination_id)
            attachment = session.get(Attachment, attachment_id)
            if attachment is None or attachment.owner_uuid != nomination.uuid:
                raise NotFoundError("Không tìm thấy tệp đính kèm này của đề nghị; có thể nó đã bị xóa.")
            if State(nomination.state) in FINAL_STATES:
                raise ValidationError(
                    f"Đề nghị đã kết thúc (bước «{STATE_LABELS[State(nomination.state)]}»); hồ sơ được "
                    "giữ nguyên, không xóa tệp.", "state")
        return self._store(data_folder).remove(attachment_id, reason)

    def open_attachment(self, attachment: AttachmentRow, data_folder: Path) -> Path:
        """The stored file's path after verifying its hash (AttachmentChangedError if not)."""
        return self._store(data_folder).open(attachment)

    # --- inside

    def _store(self, data_folder: Path) -> AttachmentStore:
        return AttachmentStore(self._sessions, self._actor, self._audit, data_folder,
                               permission=Permission.RUN_EMULATION)

    def _now(self) -> datetime:
        return stored_now(self._clock)

    def _row(self, session: Session, nomination: Nomination) -> NominationRow:
        subject = session.get_one(Subject, nomination.subject_id)
        state = State(nomination.state)
        stored = latest_for_nomination_in(session, nomination.id)
        verdict = stored.verdict if stored else ""
        count = session.scalar(select(func.count()).select_from(Attachment)
                               .where(Attachment.owner_uuid == nomination.uuid)) or 0
        return NominationRow(
            id=nomination.id, uuid=nomination.uuid, year=nomination.year, subject_id=subject.id,
            subject_name=subject.name, subject_kind=subject.kind, award_code=nomination.award_code,
            award_label=_award_label(nomination.award_code), procedure=nomination.procedure,
            procedure_label=PROCEDURE_LABELS[Procedure(nomination.procedure)], state=state.value,
            state_label=STATE_LABELS[state], action=nomination.action,
            action_label=ROUTE_LABELS[Route(nomination.action)] if nomination.action else "",
            notice_ends_on=nomination.notice_ends_on, answer_due_on=self._answer_due(session, nomination),
            verdict=verdict, verdict_label=VERDICT_LABELS[Verdict(verdict)] if verdict else "",
            attachment_count=count)

    def _detail_after(self, session: Session, nomination: Nomination) -> NominationDetail:
        session.flush()
        return self._detail_in(session, nomination)

    def _detail_in(self, session: Session, nomination: Nomination) -> NominationDetail:
        movement = session.get(Movement, nomination.movement_id) if nomination.movement_id else None
        declared = DeclaredFacts.from_json(nomination.declared_facts)
        return NominationDetail(
            row=self._row(session, nomination), basis_kind=nomination.basis_kind, route=nomination.route,
            movement_id=nomination.movement_id, movement_name=movement.name if movement else "",
            achievement_summary=nomination.achievement_summary, event_date=nomination.event_date,
            planned_decision_date=nomination.planned_decision_date,
            notice_starts_on=nomination.notice_starts_on, notice_ends_on=nomination.notice_ends_on,
            proposed_on=_proposed_on(session, nomination), answer_due_on=self._answer_due(session, nomination),
            returned_reason=nomination.returned_reason,
            outcome_decision_number=nomination.outcome_decision_number,
            outcome_decision_date=nomination.outcome_decision_date, outcome_issuer=nomination.outcome_issuer,
            outcome_note=nomination.outcome_note,
            voted=_final_vote_session(session, nomination.id) is not None,
            latest_check=latest_for_nomination_in(session, nomination.id),
            actions=tuple(allowed_actions(State(nomination.state), Procedure(nomination.procedure),
                                          route_of(nomination))),
            declared_facts=declared, declarable=declarable_for(nomination.award_code, nomination.route or None),
            cited_awards=_cited_texts(session, nomination, declared.basis_award_uuids))

    def _answer_due(self, session: Session, nomination: Nomination) -> date | None:
        if nomination.state not in (State.PROPOSED, State.APPROVED, State.NOT_APPROVED):
            return None
        proposed = _proposed_on(session, nomination)
        return None if proposed is None else self._answer_due_from(proposed)

    def _answer_due_from(self, proposed_on: date) -> date:
        return answer_due(proposed_on, self._rule_settings.on(proposed_on), self._calendar())

    def _facts(self, session: Session, nomination: Nomination, decision_date: date) -> Facts:
        """The checker's facts: the nomination's own, the register's, and what the officer
        declared. For Gia đình văn hóa and thôn văn hóa a declared `public_notice_days` wins
        over the days counted from the commune's notice: NĐ 86 asks for the list posted 10
        days at the village (or the village consulted) before the commune's step, which the
        officer alone knows; the commune's notice, posted after the vote, is a later one and
        counts only when nothing was declared."""
        declared = DeclaredFacts.from_json(nomination.declared_facts)
        movement = session.get(Movement, nomination.movement_id) if nomination.movement_id else None
        registered = session.scalar(
            select(Registration.id).join(Movement, Movement.id == Registration.movement_id)
            .where(Movement.year == nomination.year, Registration.subject_id == nomination.subject_id,
                   Registration.award_code == nomination.award_code).limit(1)) is not None
        notice_days = None
        if nomination.notice_starts_on is not None and nomination.notice_ends_on is not None:
            last = min(nomination.notice_ends_on, decision_date)
            notice_days = self._calendar().count_between(nomination.notice_starts_on, last)
        if nomination.award_code in COMMUNITY_AWARDS and declared.public_notice_days is not None:
            notice_days = declared.public_notice_days
        return Facts(achievement_summary=nomination.achievement_summary, event_date=nomination.event_date,
                     movement=movement.name if movement else "", registered=registered,
                     public_notice_days=notice_days, assessment_passed=declared.assessment_passed,
                     cluster_leading=declared.cluster_leading, cluster_name=declared.cluster_name,
                     basis_award_uuids=declared.basis_award_uuids)


OTHER_PART = "Tài liệu khác"


def known_parts() -> dict[str, str]:
    """Every dossier part code the checker can name, with its first label."""
    parts: dict[str, str] = {}
    for code, routes in ROUTES.items():
        for route in routes:
            for kind in catalogue.AWARDS[code].subject_kinds:
                for uses_initiative in (False, True):
                    for part in dossier_parts(code, route, kind, uses_initiative):
                        parts.setdefault(part.code, part.label)
    return parts


def _ignore_progress(_done: int, _total: int) -> None:
    pass


def _get(session: Session, nomination_id: int) -> Nomination:
    nomination = session.get(Nomination, nomination_id)
    if nomination is None:
        raise NotFoundError("Không tìm thấy đề nghị khen thưởng này; có thể nó đã bị xóa.")
    return nomination


def _each(session: Session, ids: Sequence[int]) -> list[Nomination]:
    return [_get(session, nomination_id) for nomination_id in dict.fromkeys(ids)]


def _award_label(code: str) -> str:
    kind = catalogue.AWARDS.get(code)
    return kind.label if kind else code


def _check_route(award_code: str, route: str) -> None:
    routes = ROUTES.get(award_code, ())
    if route and route not in routes:
        raise ValidationError(
            f"Tuyến xét “{route}” không có cho «{_award_label(award_code)}»"
            + (f"; chọn một trong: {', '.join(routes)}." if routes else "."), "route")


def _facts_of(nomination: Nomination) -> dict[str, object]:
    return {"achievement_summary": nomination.achievement_summary, "event_date": nomination.event_date,
            "planned_decision_date": nomination.planned_decision_date, "route": nomination.route,
            "movement_id": nomination.movement_id,
            "declared_facts": DeclaredFacts.from_json(nomination.declared_facts).given()}


def _award_text(award: Award) -> str:
    number = f" (QĐ số {award.decision_number})" if award.decision_number else ""
    revoked = f", đã thu hồi ngày {award.revoked_on:%d/%m/%Y}" if award.revoked_on else ""
    return f"{_award_label(award.award_code)} năm {award.year}{number}{revoked}"


def _check_cited(session: Session, nomination: Nomination, uuids: Sequence[str]) -> None:
    """Refuse a cited award that is not in the nomination's subject's history."""
    if not uuids:
        return
    own = set(session.scalars(select(Award.uuid).where(Award.subject_id == nomination.subject_id,
                                                        Award.uuid.in_(list(uuids)))))
    for uuid in uuids:
        if uuid not in own:
            subject = session.get_one(Subject, nomination.subject_id)
            raise ValidationError(f"Khen thưởng {uuid} nêu làm căn cứ không có trong lịch sử khen thưởng "
                                  f"của «{subject.name}».", "basis_award_uuids")


def _cited_texts(session: Session, nomination: Nomination, uuids: Sequence[str]) -> tuple[str, ...]:
    if not uuids:
        return ()
    found = {award.uuid: _award_text(award) for award in session.scalars(
        select(Award).where(Award.subject_id == nomination.subject_id, Award.uuid.in_(list(uuids))))}
    return tuple(found.get(uuid, f"{uuid} (không còn trong lịch sử)") for uuid in uuids)


def _granted(session: Session, nomination: Nomination, number: str, decided_on: date,
             issuer: str) -> AwardRecord:
    """The award an approved proposal adds to the history. The legal basis is the law in
    force on the decision date (as for the commune's decisions); an award over several years
    starts with the first year of the reporting window the latest check used."""
    stored = latest_for_nomination_in(session, nomination.id)
    years = stored.outcome.reporting_years if stored else ()
    return AwardRecord(nomination.award_code, nomination.year, decision_number=number,
                       decision_date=decided_on, issuer=issuer, legal_basis=rule_set_on(decided_on).label,
                       basis_kind=nomination.basis_kind,
                       period_start=min(years) if len(years) > 1 else None)


def _upper_issuer(session: Session, nomination: Nomination) -> str:
    """Who answers the proposal: the district or province chairman the latest check named."""
    stored = latest_for_nomination_in(session, nomination.id)
    decider = stored.outcome.authority if stored else None
    return decider.label if decider and decider.decider in UPPER_DECIDERS else DEFAULT_ISSUER


def _proposed_on(session: Session, nomination: Nomination) -> date | None:
    return session.scalar(
        select(NominationEvent.on).where(NominationEvent.nomination_id == nomination.id,
                                         NominationEvent.action == Action.PROPOSE)
        .order_by(NominationEvent.at.desc(), NominationEvent.id.desc()).limit(1))


def _final_vote_session(session: Session, nomination_id: int) -> CouncilSession | None:
    """The latest finalised council session that voted on the nomination."""
    return session.scalar(
        select(CouncilSession).join(CouncilVote, CouncilVote.session_id == CouncilSession.id)
        .where(CouncilVote.nomination_id == nomination_id, CouncilSession.state == "final")
        .order_by(CouncilSession.held_on.desc(), CouncilSession.id.desc()).limit(1))
