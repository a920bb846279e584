"""Eligibility checks on the register: judge a subject from its stored history, keep results.

Checking only reads. A saved result keeps the whole outcome as canonical JSON together with
the rule set and engine version that produced it, so it can be shown later exactly as it
was, whatever changed in the rules or the history since.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import AuditEvent, AuditTrail, Clock, utc_now
from app.catalogue import AWARDS
from app.eligibility.checker import check
from app.eligibility.json_format import canonical_json, outcome_from_dict, outcome_to_dict
from app.eligibility.outcome import VERDICT_LABELS, Outcome
from app.eligibility.request import CheckRequest
from app.eligibility.snapshot import SubjectSnapshot
from app.eligibility_snapshots import subject_snapshot
from app.errors import NotFoundError
from app.roles import Actor, Permission, require
from app.rule_setting_service import RuleSettingService
from db.models import EligibilityCheck, Subject, User, new_uuid

ENTITY = "eligibility_check"  # the audit trail's name for a saved result
_IN_CHUNK = 500  # ids per IN (...) list, below SQLite's parameter limit


@dataclass(frozen=True)
class SubjectRef:
    id: int
    uuid: str
    kind: str
    name: str


@dataclass(frozen=True)
class StoredCheck:
    id: int
    uuid: str
    award_code: str
    route: str
    period_end: int
    decision_date: date
    verdict: str
    rule_set: str
    engine_version: str
    checked_at: datetime  # UTC, naive
    checked_by_name: str  # "" when no account is recorded
    outcome: Outcome


class EligibilityService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 rule_settings: RuleSettingService, clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._rule_settings = rule_settings
        self._clock = clock

    def find_subject(self, reference: str) -> SubjectRef:
        """The subject a number (its id) or a UUID names; NotFoundError otherwise."""
        text = reference.strip()
        wanted = (Subject.id == int(text) if text.isdecimal()
                  else or_(Subject.uuid == text, Subject.uuid == text.lower()))
        with self._sessions() as session:
            row = session.execute(
                select(Subject.id, Subject.uuid, Subject.kind, Subject.name).where(wanted)
            ).one_or_none()
        if row is None:
            raise NotFoundError(f"Không tìm thấy đối tượng “{text}” (số hoặc mã UUID của đối tượng).")
        return SubjectRef(row.id, row.uuid, row.kind, row.name)

    def snapshot(self, subject_id: int) -> SubjectSnapshot:
        """What the checker knows about the subject, as stored now."""
        with self._sessions() as session:
            return subject_snapshot(session, subject_id)

    def check_subject(self, subject_id: int, request: CheckRequest) -> Outcome:
        """Judge `request` for the subject with the settings in force on the decision date.

        Only reads; a request the checker cannot judge raises ValidationError.
        """
        snapshot = self.snapshot(subject_id)
        return check(request, snapshot, self._rule_settings.on(request.decision_date))

    def save(self, subject_id: int, outcome: Outcome, nomination_id: int | None = None) -> StoredCheck:
        """Keep `outcome` for the subject, with its audit entry in the same transaction;
        `nomination_id` when the check was made for that nomination."""
        require(self._actor, Permission.EDIT_REGISTER)
        with self._sessions.begin() as session:
            return self.save_in(session, subject_id, outcome, nomination_id)

    def save_in(self, session: Session, subject_id: int, outcome: Outcome,
                nomination_id: int | None = None) -> StoredCheck:
        """Keep `outcome` inside the caller's transaction, with its audit entry. The caller
        has checked its own permission (a nomination's check is emulation work, not an edit
        of the register)."""
        row = self.save_many_in(session, [(subject_id, outcome)], nomination_id)[0]
        return _stored(row, self._actor.full_name if self._actor.user_id is not None else "")

    def save_many_in(self, session: Session, items: Sequence[tuple[int, Outcome]],
                     nomination_id: int | None = None) -> list[EligibilityCheck]:
        """Keep (subject id, outcome) pairs inside the caller's transaction, in their order:
        one flush and one audit insert for all (the annual review keeps hundreds at once),
        an audit entry per check. The caller has checked its own permission."""
        wanted = sorted({subject_id for subject_id, _ in items})
        subjects: dict[int, tuple[str, str]] = {}
        for start in range(0, len(wanted), _IN_CHUNK):
            subjects.update((row.id, (row.uuid, row.name)) for row in session.execute(
                select(Subject.id, Subject.uuid, Subject.name)
                .where(Subject.id.in_(wanted[start:start + _IN_CHUNK]))))
        checked_at = self._clock().astimezone(UTC).replace(tzinfo=None)
        rows: list[EligibilityCheck] = []
        events: list[AuditEvent] = []
        for subject_id, outcome in items:
            if subject_id not in subjects:
                raise NotFoundError("Không tìm thấy đối tượng của kết quả kiểm tra; có thể đã bị xóa.")
            subject_uuid, subject_name = subjects[subject_id]
            request = outcome.request
            row = EligibilityCheck(
                uuid=new_uuid(), subject_id=subject_id, award_code=request.award_code,
                route=outcome.route, period_end=request.period_end,
                decision_date=request.decision_date, verdict=outcome.verdict.value,
                rule_set=outcome.rule_set, engine_version=outcome.engine_version,
                result_json=canonical_json(outcome_to_dict(outcome)),
                checked_at=checked_at, checked_by=self._actor.user_id, nomination_id=nomination_id,
            )
            rows.append(row)
            new: dict[str, object] = {
                "subject_uuid": subject_uuid, "award_code": row.award_code, "route": row.route,
                "period_end": row.period_end, "decision_date": row.decision_date,
                "verdict": row.verdict, "rule_set": row.rule_set, "engine_version": row.engine_version}
            if nomination_id is not None:
                new["nomination_id"] = nomination_id
            events.append(AuditEvent(
                "create", ENTITY, row.uuid,
                f"Lưu kết quả kiểm tra điều kiện {AWARDS[request.award_code].label} năm "
                f"{request.period_end} của {subject_name}: {VERDICT_LABELS[outcome.verdict]}", new=new))
        session.add_all(rows)
        session.flush()
        self._audit.record_many(session, self._actor, events)
        return rows

    def latest_for_nomination(self, nomination_id: int) -> StoredCheck | None:
        """The newest check saved for the nomination, or None when it was never checked."""
        with self._sessions() as session:
            return latest_for_nomination_in(session, nomination_id)

    def saved_for(self, subject_id: int) -> list[StoredCheck]:
        """The subject's saved results, newest first."""
        query = (select(EligibilityCheck, User.full_name)
                 .outerjoin(User, User.id == EligibilityCheck.checked_by)
                 .where(EligibilityCheck.subject_id == subject_id)
                 .order_by(EligibilityCheck.checked_at.desc(), EligibilityCheck.id.desc()))
        with self._sessions() as session:
            return [_stored(row, name or "") for row, name in session.execute(query)]


def latest_for_nomination_in(session: Session, nomination_id: int) -> StoredCheck | None:
    """The newest check saved for the nomination, read inside the caller's session."""
    found = session.execute(
        select(EligibilityCheck, User.full_name)
        .outerjoin(User, User.id == EligibilityCheck.checked_by)
        .where(EligibilityCheck.nomination_id == nomination_id)
        .order_by(EligibilityCheck.checked_at.desc(), EligibilityCheck.id.desc()).limit(1)).first()
    return None if found is None else _stored(found[0], found[1] or "")


def _stored(row: EligibilityCheck, checked_by_name: str) -> StoredCheck:
    return StoredCheck(
        id=row.id, uuid=row.uuid, award_code=row.award_code, route=row.route,
        period_end=row.period_end, decision_date=row.decision_date, verdict=row.verdict,
        rule_set=row.rule_set, engine_version=row.engine_version, checked_at=row.checked_at,
        checked_by_name=checked_by_name,
        outcome=outcome_from_dict(json.loads(row.result_json)),
    )
