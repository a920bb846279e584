"""Moving a nomination from one state to the next inside the caller's transaction.

Nominations, council sessions and decisions all change a nomination's state; they do it
here, so every change is checked by the state machine (app/nomination_states.py), kept as
a NominationEvent and written to the audit trail in the same transaction as the change
that caused it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import catalogue
from app.audit import AuditTrail
from app.eligibility.outcome import VERDICT_LABELS, Verdict
from app.errors import ValidationError
from app.nomination_states import (
    ACTION_LABELS,
    NEEDS_REASON,
    OPEN_STATES,
    STATE_LABELS,
    Action,
    Procedure,
    Route,
    State,
    next_state,
)
from app.roles import Actor
from app.vietnamese import clean
from db.models import EligibilityCheck, Nomination, NominationEvent, Subject


def route_of(nomination: Nomination) -> Route | None:
    return Route(nomination.action) if nomination.action else None


def describe(session: Session, nomination: Nomination) -> str:
    """How audit entries and messages name a nomination: award, year and subject."""
    kind = catalogue.AWARDS.get(nomination.award_code)
    subject = session.get(Subject, nomination.subject_id)
    return (f"đề nghị «{kind.label if kind else nomination.award_code}» năm {nomination.year} "
            f"cho «{subject.name if subject else '?'}»")


# Steps forward that rest on the checker: a nomination checked again after its data changed,
# and found wanting, goes no further until it passes or is returned.
NEEDS_PASSING_CHECK = frozenset({Action.VOTE, Action.POST_NOTICE, Action.DECIDE, Action.PROPOSE})


def _require_passing_check(session: Session, nomination: Nomination, action: Action) -> None:
    verdict = session.scalar(
        select(EligibilityCheck.verdict).where(EligibilityCheck.nomination_id == nomination.id)
        .order_by(EligibilityCheck.checked_at.desc(), EligibilityCheck.id.desc()).limit(1))
    if verdict != Verdict.ELIGIBLE:
        why = ("chưa được kiểm tra điều kiện" if verdict is None
               else f"lần kiểm tra điều kiện gần nhất cho kết quả «{VERDICT_LABELS[Verdict(verdict)]}»")
        raise ValidationError(
            f"Không thể «{ACTION_LABELS[action]}» cho {describe(session, nomination)}: đề nghị {why}. "
            "Hãy bổ sung rồi kiểm tra lại, hoặc trả lại đề nghị.", "state")


def apply_action(session: Session, audit: AuditTrail, actor: Actor, nomination: Nomination,
                 action: Action, on: date, at: datetime, reason: str = "") -> State:
    """Take `action` on `nomination` effective `on`; ValidationError (nothing changed) when
    the state machine refuses it or a needed reason is missing. Returns the new state."""
    reason = clean(reason)
    if action in NEEDS_REASON and not reason:
        raise ValidationError(f"Hãy ghi lý do «{ACTION_LABELS[action]}».", "reason")
    before = State(nomination.state)
    after = next_state(before, action, Procedure(nomination.procedure), route_of(nomination))
    if action in NEEDS_PASSING_CHECK:
        _require_passing_check(session, nomination, action)
    if action is Action.REOPEN:  # a new nomination may have been made while this one was returned
        refuse_second_open(session, session.get_one(Subject, nomination.subject_id),
                           nomination.award_code, nomination.year, exclude_id=nomination.id)
    nomination.state = after
    nomination.updated_at = at
    if action is Action.RETURN:
        nomination.returned_reason = reason
    session.add(NominationEvent(nomination_id=nomination.id, action=action, from_state=before,
                                to_state=after, on=on, at=at, reason=reason,
                                user_id=actor.user_id))
    audit.record(session, actor, action.value, "nomination", nomination.uuid,
                 f"{ACTION_LABELS[action]}: {describe(session, nomination)} "
                 f"({STATE_LABELS[before]} → {STATE_LABELS[after]})"[:300],
                 old={"state": before.value}, new={"state": after.value, "on": on.isoformat()},
                 reason=reason or None)
    return after


FIRST_YEAR = 2000  # achievement years before it are history, entered as records, not nominations


def refuse_second_open(session: Session, subject: Subject, award_code: str, year: int,
                       exclude_id: int | None = None) -> None:
    """ValidationError when the subject already has an open nomination for the award and
    year (other than `exclude_id`): one achievement, one award (L2022 Điều 5 k2)."""
    query = select(Nomination.id).where(
        Nomination.subject_id == subject.id, Nomination.award_code == award_code,
        Nomination.year == year, Nomination.state.in_([s.value for s in OPEN_STATES]))
    if exclude_id is not None:
        query = query.where(Nomination.id != exclude_id)
    existing = session.scalar(query.limit(1))
    if existing is not None:
        kind = catalogue.AWARDS.get(award_code)
        raise ValidationError(
            f"«{subject.name}» đã có đề nghị «{kind.label if kind else award_code}» năm {year} đang xử lý "
            f"(số {existing}); mỗi đối tượng chỉ có một đề nghị cho một danh hiệu, hình thức trong một năm.",
            "award_code")


def new_nomination(session: Session, audit: AuditTrail, actor: Actor, at: datetime, *,
                   subject_id: int, award_code: str, year: int, route: str = "",
                   procedure: str = Procedure.STANDARD, basis_kind: str = "annual_duty",
                   movement_id: int | None = None, achievement_summary: str = "",
                   event_date: date | None = None,
                   planned_decision_date: date | None = None) -> Nomination:
    """A draft nomination written inside the caller's transaction, with its audit entry.

    Refused (ValidationError, nothing written): an unknown subject, award, procedure or basis,
    and a second open nomination of the same subject for the same award and year.
    """
    subject = session.get(Subject, subject_id)
    if subject is None:
        raise ValidationError("Không tìm thấy đối tượng được đề nghị; có thể đã bị xóa.", "subject")
    kind = catalogue.AWARDS.get(award_code)
    if kind is None:
        raise ValidationError(f"Không có danh hiệu, hình thức khen thưởng mã “{award_code}”.", "award_code")
    if subject.kind not in kind.subject_kinds:
        raise ValidationError(
            f"«{kind.label}» không xét cho {catalogue.SUBJECT_KINDS[subject.kind].lower()}.", "award_code")
    if procedure not in set(Procedure):
        raise ValidationError(f"Không có thủ tục “{procedure}”.", "procedure")
    if basis_kind not in catalogue.BASIS_KINDS:
        raise ValidationError(f"Không có loại thành tích “{basis_kind}”.", "basis_kind")
    latest = (planned_decision_date or at.date()).year
    if not FIRST_YEAR <= year <= latest:
        raise ValidationError(
            f"Năm thành tích {year} không hợp lệ: phải từ {FIRST_YEAR} đến {latest} "
            "(không sau năm quyết định).", "year")
    refuse_second_open(session, subject, award_code, year)
    nomination = Nomination(
        year=year, subject_id=subject_id, award_code=award_code, route=route, movement_id=movement_id,
        procedure=procedure, basis_kind=basis_kind, achievement_summary=clean(achievement_summary),
        event_date=event_date, planned_decision_date=planned_decision_date, state=State.DRAFT,
        created_at=at, updated_at=at)
    session.add(nomination)
    session.flush()
    audit.record(session, actor, "create", "nomination", nomination.uuid,
                 f"Lập {describe(session, nomination)}"[:300],
                 new={"award_code": award_code, "year": year, "procedure": procedure,
                      "subject_uuid": subject.uuid, "basis_kind": basis_kind})
    return nomination
