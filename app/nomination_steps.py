"""The steps of a nomination the nominations' service offers (app/nominations.py):
create and correct the draft, the eligibility check, the public notice, the proposal to
the upper level and its answer, returning and reopening.

Every change of state goes through `apply_action` (app/nomination_flow.py), inside the
transaction that made it, so the state, its NominationEvent and the audit entry are
written together or not at all. Deciding belongs to app/decisions.py and the council vote
to app/council.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import AuditTrail
from app.eligibility.checker import ROUTES
from app.eligibility.declared_facts import DeclaredFacts, validated
from app.eligibility.outcome import Outcome, Verdict
from app.eligibility.rule_sets import rule_set_on
from app.eligibility_service import latest_for_nomination_in
from app.errors import ValidationError
from app.history import AwardRecord, HistoryService
from app.nomination_checks import NominationChecks, failing, set_route_in, why_not
from app.catalogue import award_label
from app.nomination_context import NominationContext, get_nomination, proposed_on, step_on
from app.nomination_flow import apply_action, describe, new_nomination, route_of
from app.nomination_rows import (
    EDITABLE_STATES,
    SUMMARY_STATES,
    NominationDetail,
    detail_after,
    final_vote_session,
    issuer_of,
)
from app.nomination_states import STATE_LABELS, Action, Procedure, State, next_state
from app.roles import Actor, Permission, require
from app.vietnamese import clean
from db.models import Award, Movement, Nomination, Subject


class NominationSteps:
    def __init__(self, ctx: NominationContext) -> None:
        self._ctx = ctx
        self._checks = NominationChecks(ctx.rule_settings, ctx.eligibility, ctx.calendar)

    def create(self, *, subject_id: int, award_code: str, year: int,
               procedure: str = Procedure.STANDARD, basis_kind: str | None = None, route: str = "",
               movement_id: int | None = None, achievement_summary: str = "",
               event_date: date | None = None, planned_decision_date: date | None = None) -> int:
        """A draft nomination; a sudden feat (simplified procedure) has basis «đột xuất», the
        sudden route and needs its date; a thematic award names its movement."""
        require(self._ctx.actor, Permission.RUN_EMULATION)
        if basis_kind is None:
            basis_kind = ("sudden" if procedure == Procedure.SIMPLIFIED
                          else "thematic" if movement_id is not None and award_code == "GK_XA"
                          else "annual_duty")
        if procedure == Procedure.SIMPLIFIED:
            if basis_kind != "sudden":
                raise ValidationError("Thủ tục đơn giản chỉ dành cho thành tích đột xuất.", "procedure")
            if event_date is None:
                raise ValidationError("Hãy ghi ngày lập thành tích đột xuất.", "event_date")
            _check_simplified(award_code, route or "sudden")
            route = "sudden"
        elif basis_kind == "sudden":
            raise ValidationError("Thành tích đột xuất được đề nghị theo thủ tục đơn giản.", "procedure")
        if basis_kind == "thematic":
            if movement_id is None:
                raise ValidationError("Khen thưởng theo chuyên đề cần chọn phong trào thi đua.", "movement_id")
            route = route or ("thematic" if "thematic" in ROUTES.get(award_code, ()) else "")
        _check_route(award_code, route)
        with self._ctx.sessions.begin() as session:
            if movement_id is not None and session.get(Movement, movement_id) is None:
                raise ValidationError("Không tìm thấy phong trào thi đua đã chọn.", "movement_id")
            nomination = new_nomination(
                session, self._ctx.audit, self._ctx.actor, self._ctx.now(), subject_id=subject_id,
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
        require(self._ctx.actor, Permission.RUN_EMULATION)
        cleared = set(clear)
        with self._ctx.sessions.begin() as session:
            nomination = get_nomination(session, nomination_id)
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
                return detail_after(self._ctx, session, nomination)
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
            if nomination.procedure == Procedure.SIMPLIFIED:
                _check_simplified(nomination.award_code, str(new["route"]))
            for name in changed - {"declared_facts"}:
                setattr(nomination, name, new[name])
            if "declared_facts" in changed:
                nomination.declared_facts = DeclaredFacts(**new["declared_facts"]).to_json()  # type: ignore[arg-type]
            nomination.updated_at = self._ctx.now()
            self._ctx.audit.record(session, self._ctx.actor, "update", "nomination", nomination.uuid,
                               f"Sửa {describe(session, nomination)}"[:300],
                               old={k: old[k] for k in sorted(changed)}, new={k: new[k] for k in sorted(changed)})
            session.flush()
            return detail_after(self._ctx, session, nomination)

    def check(self, nomination_id: int, decision_date: date | None = None) -> Outcome:
        """Run the eligibility checker for the nomination and keep the result with it.

        The decision date is the one given, else the planned one, else today. The result
        sets who decides (decide / propose). Eligible: the nomination becomes «checked».
        Not eligible or missing information: the result is kept, the state stays, and the
        outcome says why. A state that cannot be checked is refused before anything runs.
        """
        require(self._ctx.actor, Permission.RUN_EMULATION)
        with self._ctx.sessions.begin() as session:
            nomination = get_nomination(session, nomination_id)
            next_state(State(nomination.state), Action.CHECK, Procedure(nomination.procedure), None)
            day = decision_date or nomination.planned_decision_date or self._ctx.today()
            outcome = self._checks.run_in(session, [nomination], day)[nomination.id]
            set_route_in(session, self._ctx.audit, self._ctx.actor, nomination, outcome)
            if outcome.verdict is Verdict.ELIGIBLE:
                apply_action(session, self._ctx.audit, self._ctx.actor, nomination, Action.CHECK, day, self._ctx.now())
            nomination.updated_at = self._ctx.now()
            return outcome

    def post_notice(self, ids: Sequence[int], start: date) -> date:
        """Post the voted nominations publicly from `start`; returns the notice's last day.
        One refused nomination refuses them all, naming it."""
        require(self._ctx.actor, Permission.RUN_EMULATION)
        if not ids:
            raise ValidationError("Chưa chọn đề nghị nào để niêm yết.", "ids")
        ends = self._ctx.notice_end(start)
        with self._ctx.sessions.begin() as session:
            for nomination in _each(session, ids):
                voted_on = step_on(session, nomination, Action.VOTE)
                apply_action(session, self._ctx.audit, self._ctx.actor, nomination, Action.POST_NOTICE, start,
                             self._ctx.now())
                if voted_on is not None and start < voted_on:
                    council = final_vote_session(session, nomination.id)
                    where = (f"phiên họp «{council.title}» ngày {council.held_on:%d/%m/%Y}" if council
                             else f"ngày {voted_on:%d/%m/%Y}")
                    raise ValidationError(
                        f"Ngày niêm yết {start:%d/%m/%Y} trước ngày Hội đồng biểu quyết "
                        f"{describe(session, nomination)} ({where}); chỉ niêm yết kết quả sau khi "
                        "Hội đồng đã họp.", "start")
                nomination.notice_starts_on, nomination.notice_ends_on = start, ends
        return ends

    def propose(self, ids: Sequence[int], on: date) -> date:
        """Send the nominations to the province on `on` (after the public notice has ended,
        or straight after the check for the simplified procedure); returns the date the
        province's answer is due. One refused nomination refuses them all."""
        require(self._ctx.actor, Permission.RUN_EMULATION)
        if not ids:
            raise ValidationError("Chưa chọn đề nghị nào để trình cấp trên.", "ids")
        with self._ctx.sessions.begin() as session:
            chosen = _each(session, ids)
            for nomination in chosen:
                next_state(State(nomination.state), Action.PROPOSE, Procedure(nomination.procedure),
                           route_of(nomination))
                _check_proposal_date(session, nomination, on)
            # The proposal rests on a check made on its date, not on an older verdict.
            outcomes = self._checks.run_in(session, chosen, on, route_fixed=True)
            refused = failing(outcomes)
            if refused:
                by_id = {n.id: n for n in chosen}
                raise ValidationError(
                    f"Kiểm tra lại điều kiện ngày {on:%d/%m/%Y}, không trình cấp trên được: "
                    + "; ".join(f"{describe(session, by_id[i])}: {why_not(outcomes[i])}" for i in refused)
                    + ". Hãy trả lại đề nghị, bổ sung rồi kiểm tra lại.", "ids")
            for nomination in chosen:
                apply_action(session, self._ctx.audit, self._ctx.actor, nomination, Action.PROPOSE, on, self._ctx.now())
        return self._ctx.answer_due_from(on)

    def record_outcome(self, nomination_id: int, approved: bool, decision_number: str = "",
                       decision_date: date | None = None, issuer: str = "",
                       note: str = "") -> NominationDetail:
        """The upper level's answer (the province's; the district's before 01/07/2025); see
        `outcome_in`."""
        require(self._ctx.actor, Permission.RUN_EMULATION)
        with self._ctx.sessions.begin() as session:
            nomination = get_nomination(session, nomination_id)
            outcome_in(StepParts.of(self._ctx), session, nomination, approved, decision_number,
                       decision_date, issuer, note)
            return detail_after(self._ctx, session, nomination)

    def return_(self, nomination_id: int, reason: str, on: date | None = None) -> NominationDetail:
        """Return the nomination (trả lại) with a reason, at any step not yet final."""
        require(self._ctx.actor, Permission.RUN_EMULATION)
        with self._ctx.sessions.begin() as session:
            nomination = get_nomination(session, nomination_id)
            return_in(StepParts.of(self._ctx), session, nomination, reason, on)
            return detail_after(self._ctx, session, nomination)

    def reopen(self, nomination_id: int) -> NominationDetail:
        """A returned nomination becomes a draft again, to be corrected and checked anew;
        its public notice, if any, no longer counts."""
        require(self._ctx.actor, Permission.RUN_EMULATION)
        with self._ctx.sessions.begin() as session:
            nomination = get_nomination(session, nomination_id)
            apply_action(session, self._ctx.audit, self._ctx.actor, nomination, Action.REOPEN, self._ctx.today(),
                         self._ctx.now())
            nomination.notice_starts_on = nomination.notice_ends_on = None
            session.flush()
            return detail_after(self._ctx, session, nomination)

@dataclass(frozen=True)
class StepParts:
    """What a step written inside another service's transaction needs (the province's
    acknowledgement, app/package/acks.py): who acts, the audit trail, the history, the
    moment stored (naive UTC) and today's date in Việt Nam. The caller checks permission."""

    actor: Actor
    audit: AuditTrail
    history: HistoryService
    at: datetime
    today: date

    @classmethod
    def of(cls, ctx: NominationContext) -> StepParts:
        return cls(ctx.actor, ctx.audit, ctx.history, ctx.now(), ctx.today())


def outcome_in(parts: StepParts, session: Session, nomination: Nomination, approved: bool,
               decision_number: str = "", decision_date: date | None = None, issuer: str = "",
               note: str = "", on: date | None = None) -> None:
    """Record the upper level's answer inside the caller's transaction, dated `on` (default:
    the decision's date, else today). Approved: the award enters the subject's history with
    that decision, the law in force on its date and, for an award over several years, the
    first year the latest check reported on; `issuer` defaults to the decider that check
    named. Not approved: `note` is the reason and is required."""
    number, issuer, note = clean(decision_number), clean(issuer), clean(note)
    on = on or decision_date or parts.today
    if decision_date is not None:
        _check_outcome_date(session, nomination, decision_date, parts.today)
    issuer = (issuer or issuer_of(latest_for_nomination_in(session, nomination.id))) if approved or number else ""
    if approved:
        if not number:
            raise ValidationError("Hãy ghi số quyết định khen thưởng của cấp trên.", "decision_number")
        if decision_date is None:
            raise ValidationError("Hãy ghi ngày quyết định khen thưởng của cấp trên.", "decision_date")
        apply_action(session, parts.audit, parts.actor, nomination, Action.APPROVE, on, parts.at, note)
        parts.history.grant_in(session, nomination.subject_id,
                               _granted(session, nomination, number, decision_date, issuer))
    else:
        apply_action(session, parts.audit, parts.actor, nomination, Action.NOT_APPROVE, on, parts.at, note)
    nomination.outcome_decision_number = number
    nomination.outcome_decision_date = decision_date
    nomination.outcome_issuer = issuer
    nomination.outcome_note = note
    session.flush()


def return_in(parts: StepParts, session: Session, nomination: Nomination, reason: str,
              on: date | None = None) -> None:
    """Return the nomination with a reason inside the caller's transaction."""
    apply_action(session, parts.audit, parts.actor, nomination, Action.RETURN, on or parts.today, parts.at,
                 reason)
    session.flush()


def _check_outcome_date(session: Session, nomination: Nomination, decided_on: date, today: date) -> None:
    """The upper level decides after the proposal reached it, and not in the future."""
    if decided_on > today:
        raise ValidationError(f"Ngày quyết định của cấp trên {decided_on:%d/%m/%Y} chưa đến.", "decision_date")
    proposed = proposed_on(session, nomination)
    if proposed is not None and decided_on < proposed:
        raise ValidationError(
            f"Ngày quyết định của cấp trên {decided_on:%d/%m/%Y} trước ngày trình {proposed:%d/%m/%Y} "
            f"{describe(session, nomination)}; hãy ghi đúng ngày trên quyết định.", "decision_date")


def _check_proposal_date(session: Session, nomination: Nomination, on: date) -> None:
    """A proposal comes after the steps it rests on: the council's vote and the end of the
    public notice (standard procedure), or the check and the feat itself (simplified)."""
    what = describe(session, nomination)
    if nomination.procedure == Procedure.SIMPLIFIED:
        checked_on = step_on(session, nomination, Action.CHECK)
        if checked_on is not None and on < checked_on:
            raise ValidationError(f"Ngày trình {on:%d/%m/%Y} trước ngày kiểm tra điều kiện "
                                  f"{what} ({checked_on:%d/%m/%Y}).", "on")
        if nomination.event_date is not None and on < nomination.event_date:
            raise ValidationError(f"Ngày trình {on:%d/%m/%Y} trước ngày lập thành tích đột xuất "
                                  f"{what} ({nomination.event_date:%d/%m/%Y}).", "on")
        return
    voted_on = step_on(session, nomination, Action.VOTE)
    if voted_on is not None and on < voted_on:
        raise ValidationError(f"Ngày trình {on:%d/%m/%Y} trước ngày Hội đồng biểu quyết "
                              f"{what} ({voted_on:%d/%m/%Y}).", "on")
    ends = nomination.notice_ends_on
    if ends is not None and on <= ends:
        raise ValidationError(
            f"Chưa hết thời gian niêm yết {what} (đến hết ngày "
            f"{ends:%d/%m/%Y}); trình cấp trên từ ngày làm việc sau đó.", "on")


def _each(session: Session, ids: Sequence[int]) -> list[Nomination]:
    return [get_nomination(session, nomination_id) for nomination_id in dict.fromkeys(ids)]


def _check_route(award_code: str, route: str) -> None:
    routes = ROUTES.get(award_code, ())
    if route and route not in routes:
        raise ValidationError(
            f"Tuyến xét “{route}” không có cho «{award_label(award_code)}»"
            + (f"; chọn một trong: {', '.join(routes)}." if routes else "."), "route")


def _check_simplified(award_code: str, route: str) -> None:
    """The simplified procedure (L2022 Điều 85) is for sudden feats only: an award the checker
    judges by its «sudden» route, and that route."""
    if "sudden" not in ROUTES.get(award_code, ()):
        allowed = ", ".join(f"«{award_label(code)}»" for code, routes in ROUTES.items() if "sudden" in routes)
        raise ValidationError(
            f"«{award_label(award_code)}» không xét theo thủ tục đơn giản: thủ tục đơn giản (Luật Thi đua, "
            f"khen thưởng 2022, Điều 85) chỉ dùng để khen thành tích đột xuất bằng {allowed}.", "procedure")
    if route != "sudden":
        raise ValidationError("Thủ tục đơn giản chỉ xét theo tuyến thành tích đột xuất.", "route")


def _facts_of(nomination: Nomination) -> dict[str, object]:
    return {"achievement_summary": nomination.achievement_summary, "event_date": nomination.event_date,
            "planned_decision_date": nomination.planned_decision_date, "route": nomination.route,
            "movement_id": nomination.movement_id,
            "declared_facts": DeclaredFacts.from_json(nomination.declared_facts).given()}


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
