"""The annual review (bình xét): year-end ratings, the candidates the eligibility checker
proposes for the commune's annual titles, the officer's additions and removals, and the
draft nominations made from the candidates kept.

A candidate belongs to the checker while its `reason` is empty: a new run of the checker
updates its verdict and whether it is included. Once the officer adds, removes or restores
it, `reason` holds why, and later runs update its verdict only. Candidates the checker
finds "thiếu thông tin" are listed, not included; their missing facts are read from the
stored check, so the officer's reason column stays the officer's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, Table, and_, func, or_, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session, sessionmaker

from app import catalogue
from app.audit import AuditTrail, Clock, utc_now
from app.eligibility.individual_rules import RATED_STAFF
from app.eligibility.json_format import outcome_from_dict
from app.eligibility.outcome import VERDICT_LABELS, Outcome, Status, Verdict
from app.eligibility.rule_sets import rule_set_on
from app.eligibility_service import EligibilityService
from app.errors import CancelledError, NotFoundError, ValidationError
from app.history import HistoryService, RatingRecord
from app.nomination_flow import new_nomination
from app.registrations import RegistrationService
from app.review_proposal import (
    ENTITY,
    ProposalSummary,
    Report,
    candidate_values,
    judge,
    keep_candidates,
    rated_scope,
    registered_scope,
)
from app.roles import Actor, Permission, require
from app.rule_setting_service import RuleSettingService
from app.subject_data import fts_query
from app.subjects import required_reason
from db.models import (
    AnnualRating,
    Collective,
    EligibilityCheck,
    Individual,
    ReviewCandidate,
    Subject,
    new_uuid,
)

RATING_PAGE = 500  # rows shown at once; more means: filter or search
# Whom the year-end ratings list shows. Ratings are for staff (cán bộ, công chức, viên chức,
# người lao động: L2022 Điều 24 k1) and collectives; farmers, retirees and children are
# judged without one, so the register's other people are shown only when asked for.
RATED, STAFF, COLLECTIVES, ALL_INDIVIDUALS = "rated", "staff", "collective", "all_individuals"
RATING_LISTS = {
    RATED: "Cán bộ, công chức, viên chức, người lao động và tập thể",
    STAFF: "Cán bộ, công chức, viên chức, người lao động",
    COLLECTIVES: "Tập thể",
    ALL_INDIVIDUALS: "Tất cả cá nhân",
}
RESTORED = "Cán bộ đưa lại vào danh sách."
SOURCE_LABELS = {"checker": "Chương trình đề xuất", "officer": "Cán bộ thêm"}


@dataclass(frozen=True)
class RatingRow:
    subject_id: int
    kind: str
    name: str
    birth_date: date | None
    citizen_id: str
    unit: str  # the person's unit or the collective's parent, "" when none
    rating: str | None  # app.catalogue.RATINGS code


@dataclass(frozen=True)
class CandidateRow:
    id: int
    subject_id: int
    subject_name: str
    kind: str
    award_code: str
    award_label: str
    route: str
    verdict: str  # Verdict value, "" when the checker has not judged it
    included: bool
    reason: str  # the officer's reason, else the facts the checker misses
    source: str  # "checker" or "officer"
    check_id: int | None
    nomination_id: int | None

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[Verdict(self.verdict)] if self.verdict else "Chưa kiểm tra"


class ReviewService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 history: HistoryService, rule_settings: RuleSettingService,
                 registrations: RegistrationService, eligibility: EligibilityService,
                 clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._history = history
        self._rule_settings = rule_settings
        self._registrations = registrations
        self._eligibility = eligibility
        self._clock = clock

    # --- ratings ---------------------------------------------------------------------

    def ratings(self, year: int, shown: str = RATED, text: str = "",
                limit: int | None = RATING_PAGE) -> list[RatingRow]:
        """The subjects of the list `shown` (RATING_LISTS; by default staff and collectives)
        in Vietnamese order, with the year's rating or None; a person already rated that
        year is listed whatever their work. `text` keeps those whose name or CCCD starts
        with its words."""
        if shown not in RATING_LISTS:
            raise ValidationError("Chỉ cá nhân và tập thể có xếp loại cuối năm.", "kind")
        unit = Subject.__table__.alias("unit")
        subjects, people, collectives = Subject.__table__, Individual.__table__, Collective.__table__
        ratings = AnnualRating.__table__
        query = (
            select(subjects.c.id, subjects.c.kind, subjects.c.name, people.c.birth_date,
                   people.c.citizen_id, unit.c.name, ratings.c.rating)
            .select_from(subjects)
            .outerjoin(people, people.c.id == subjects.c.id)
            .outerjoin(collectives, collectives.c.id == subjects.c.id)
            .outerjoin(unit, unit.c.id == func.coalesce(people.c.unit_id, collectives.c.parent_id))
            .outerjoin(ratings, and_(ratings.c.subject_id == subjects.c.id, ratings.c.year == year))
            .where(_shown(shown, subjects, people, ratings))
            .order_by(subjects.c.sort_key)
        )
        match = fts_query(text)
        if match is not None:
            query = query.where(subjects.c.id.in_(
                sql_text("SELECT rowid FROM subjects_fts WHERE subjects_fts MATCH :m").bindparams(m=match)))
        if limit is not None:
            query = query.limit(limit)
        with self._sessions() as session:
            return [RatingRow(r[0], r[1], r[2], r[3], r[4] or "", r[5] or "", r[6])
                    for r in session.execute(query)]

    def set_ratings(self, year: int, items: Sequence[tuple[int, str | None]],
                    reason: str = "Bỏ xếp loại trong bảng xếp loại cuối năm") -> int:
        """Set or clear (None) the year's rating of each subject in one transaction, each
        change audited as the history's own; returns how many changed. A bad item refuses
        the whole batch (ValidationError naming the subject)."""
        require(self._actor, Permission.RUN_EMULATION)
        require(self._actor, Permission.EDIT_REGISTER)
        seen: set[int] = set()
        for subject_id, _ in items:
            if subject_id in seen:
                raise ValidationError(f"Đối tượng số {subject_id} có hai xếp loại trong cùng lần lưu.", "items")
            seen.add(subject_id)
        with self._sessions.begin() as session:
            existing = {row.subject_id: row for row in session.scalars(
                select(AnnualRating).where(AnnualRating.year == year,
                                           AnnualRating.subject_id.in_(list(seen))))}
            writes: list[tuple[int, RatingRecord]] = []
            cleared: list[AnnualRating] = []
            for subject_id, code in items:
                row = existing.get(subject_id)
                if code is None:
                    if row is not None:
                        cleared.append(row)
                elif row is None:
                    writes.append((subject_id, RatingRecord(year, code)))
                elif row.rating != code:
                    writes.append((subject_id, RatingRecord(year, code, row.note, row.id)))
            try:
                self._history.save_many_in(session, writes)
            except ValidationError as error:
                subject = session.get(Subject, writes[error.item][0]) if error.item is not None else None
                raise ValidationError(f"«{subject.name}»: {error}" if subject else str(error),
                                      error.field) from error
            if cleared:
                self._history.delete_many_in(session, RatingRecord, [row.id for row in cleared], reason)
            return len(writes) + len(cleared)

    # --- the checker's proposal ------------------------------------------------------

    def propose(self, year: int, decision_date: date, report: Report | None = None,
                cancelled: Callable[[], bool] | None = None) -> ProposalSummary:
        """Run the checker over the subjects in scope for the commune's annual titles and
        keep its candidates (see the module docstring). Checking only reads; everything is
        written in one transaction at the end. `report(done, total)` may raise
        CancelledError, as may `cancelled()` returning True: then nothing is written."""
        require(self._actor, Permission.RUN_EMULATION)
        if year > decision_date.year:
            raise ValidationError(f"Năm thành tích {year} sau ngày quyết định {decision_date:%d/%m/%Y}.",
                                  "decision_date")
        rule_set_on(decision_date)  # a date outside every rule set is refused before any work
        settings = self._rule_settings.on(decision_date)
        registration = bool(settings.value("registration_required"))

        def step(done: int, total: int) -> None:
            if cancelled is not None and cancelled():
                raise CancelledError("Đã hủy theo yêu cầu; không có dữ liệu nào được ghi.")
            if report is not None:
                report(done, total)

        registered = self._registrations.registered(year) if registration else None
        with self._sessions() as session:
            scope = rated_scope(session, year) if registered is None else registered_scope(session, registered)
            judged, problems = judge(session, scope, year, decision_date, settings, step)
        step(len(scope), len(scope))
        with self._sessions.begin() as session:
            return keep_candidates(session, self._audit, self._actor, self._eligibility, self._now(), year,
                                   decision_date,
                                   judged, scope, problems)

    # --- the candidates --------------------------------------------------------------

    def candidates(self, year: int) -> list[CandidateRow]:
        """The year's candidates by title, then name."""
        query = (select(ReviewCandidate, Subject.name, Subject.kind, EligibilityCheck.result_json)
                 .join(Subject, Subject.id == ReviewCandidate.subject_id)
                 .outerjoin(EligibilityCheck, EligibilityCheck.id == ReviewCandidate.check_id)
                 .where(ReviewCandidate.year == year)
                 .order_by(Subject.sort_key))
        with self._sessions() as session:
            rows = [_candidate_row(c, name, kind, result) for c, name, kind, result in session.execute(query)]
        order = {code: i for i, code in enumerate(catalogue.AWARDS)}
        return sorted(rows, key=lambda r: order.get(r.award_code, len(order)))

    def candidate(self, candidate_id: int) -> CandidateRow:
        with self._sessions() as session:
            found = session.execute(
                select(ReviewCandidate, Subject.name, Subject.kind, EligibilityCheck.result_json)
                .join(Subject, Subject.id == ReviewCandidate.subject_id)
                .outerjoin(EligibilityCheck, EligibilityCheck.id == ReviewCandidate.check_id)
                .where(ReviewCandidate.id == candidate_id)).one_or_none()
        if found is None:
            raise NotFoundError("Không tìm thấy đối tượng bình xét; có thể đã bị xóa.")
        return _candidate_row(*found)

    def check_outcome(self, candidate_id: int) -> Outcome | None:
        """The checker's stored result behind a candidate (None for one it never judged)."""
        with self._sessions() as session:
            candidate = session.get(ReviewCandidate, candidate_id)
            if candidate is None:
                raise NotFoundError("Không tìm thấy đối tượng bình xét; có thể đã bị xóa.")
            if candidate.check_id is None:
                return None
            stored = session.get(EligibilityCheck, candidate.check_id)
            return None if stored is None else outcome_from_dict(json.loads(stored.result_json))

    def add(self, year: int, subject_id: int, award_code: str, reason: str) -> CandidateRow:
        """The officer adds a candidate, with the reason why (required)."""
        require(self._actor, Permission.RUN_EMULATION)
        reason = _reason(reason, "thêm vào danh sách")
        with self._sessions.begin() as session:
            subject = session.get(Subject, subject_id)
            if subject is None:
                raise NotFoundError("Không tìm thấy đối tượng; có thể đã bị xóa.")
            kind = catalogue.AWARDS.get(award_code)
            if kind is None:
                raise ValidationError(f"Không có danh hiệu, hình thức khen thưởng mã “{award_code}”.", "award_code")
            if subject.kind not in kind.subject_kinds:
                raise ValidationError(f"“{kind.label}” không dành cho {catalogue.SUBJECT_KINDS[subject.kind].lower()}.",
                                      "award_code")
            candidate = session.scalar(select(ReviewCandidate).filter_by(
                year=year, subject_id=subject_id, award_code=award_code))
            now = self._now()
            if candidate is not None:
                if candidate.included:
                    raise ValidationError(f"«{subject.name}» đã có trong danh sách {kind.label} năm {year}.",
                                          "subject")
                old = candidate_values(candidate, subject.uuid)
                candidate.included, candidate.reason, candidate.updated_at = True, reason, now
                self._audit.record(session, self._actor, "update", ENTITY, candidate.uuid,
                                   f"Đưa «{subject.name}» vào danh sách {kind.label} năm {year}"[:300],
                                   old=old, new=candidate_values(candidate, subject.uuid), reason=reason)
            else:
                candidate = ReviewCandidate(
                    uuid=new_uuid(), year=year, subject_id=subject_id, award_code=award_code,
                    source="officer", verdict="", included=True, reason=reason,
                    created_at=now, updated_at=now)
                session.add(candidate)
                session.flush()
                self._audit.record(session, self._actor, "create", ENTITY, candidate.uuid,
                                   f"Thêm «{subject.name}» vào danh sách {kind.label} năm {year}"[:300],
                                   new=candidate_values(candidate, subject.uuid), reason=reason)
            candidate_id = candidate.id
        return self.candidate(candidate_id)

    def remove(self, candidate_id: int, reason: str) -> CandidateRow:
        """The officer takes a candidate off the list, with the reason why (required)."""
        require(self._actor, Permission.RUN_EMULATION)
        reason = _reason(reason, "loại khỏi danh sách")
        with self._sessions.begin() as session:
            candidate, subject = _candidate_and_subject(session, candidate_id)
            if candidate.nomination_id is not None:
                raise ValidationError(f"«{subject.name}» đã được lập đề nghị; hãy trả lại đề nghị thay vì "
                                      "loại khỏi danh sách.", "candidate")
            if not candidate.included and (candidate.reason or candidate.source == "officer"):
                raise ValidationError(f"«{subject.name}» đã bị loại khỏi danh sách.", "candidate")
            self._change(session, candidate, subject, False, reason, "Loại «{name}» khỏi danh sách")
        return self.candidate(candidate_id)

    def restore(self, candidate_id: int) -> CandidateRow:
        """Put back a candidate the officer (or the checker, for missing facts) left out."""
        require(self._actor, Permission.RUN_EMULATION)
        with self._sessions.begin() as session:
            candidate, subject = _candidate_and_subject(session, candidate_id)
            if candidate.included:
                raise ValidationError(f"«{subject.name}» đang có trong danh sách.", "candidate")
            self._change(session, candidate, subject, True, RESTORED, "Đưa «{name}» lại vào danh sách")
        return self.candidate(candidate_id)

    def _change(self, session: Session, candidate: ReviewCandidate, subject: Subject, included: bool,
                reason: str, summary: str) -> None:
        old = candidate_values(candidate, subject.uuid)
        candidate.included, candidate.reason, candidate.updated_at = included, reason, self._now()
        label = catalogue.AWARDS[candidate.award_code].label
        self._audit.record(session, self._actor, "update", ENTITY, candidate.uuid,
                           f"{summary.format(name=subject.name)} {label} năm {candidate.year}"[:300],
                           old=old, new=candidate_values(candidate, subject.uuid), reason=reason)

    # --- nominations -----------------------------------------------------------------

    def make_nominations(self, year: int, candidate_ids: Sequence[int], planned_decision_date: date) -> int:
        """Draft nominations for the kept candidates that have none, in one transaction;
        returns how many were made. A candidate left out, of another year, or whose subject
        already has an open nomination for the title refuses the whole batch."""
        require(self._actor, Permission.RUN_EMULATION)
        made = 0
        with self._sessions.begin() as session:
            now = self._now()
            for candidate_id in candidate_ids:
                candidate, subject = _candidate_and_subject(session, candidate_id)
                if candidate.year != year:
                    raise ValidationError(f"«{subject.name}» thuộc danh sách năm {candidate.year}, không phải {year}.",
                                          "candidate")
                if candidate.nomination_id is not None:
                    continue
                if not candidate.included:
                    raise ValidationError(f"«{subject.name}» đã bị loại khỏi danh sách; không lập đề nghị.",
                                          "candidate")
                old = candidate_values(candidate, subject.uuid)
                nomination = new_nomination(
                    session, self._audit, self._actor, now, subject_id=candidate.subject_id,
                    award_code=candidate.award_code, year=year, route=candidate.route,
                    planned_decision_date=planned_decision_date)
                candidate.nomination_id, candidate.updated_at = nomination.id, now
                if candidate.check_id is not None:
                    stored = session.get(EligibilityCheck, candidate.check_id)
                    if stored is not None and stored.nomination_id is None:
                        stored.nomination_id = nomination.id
                self._audit.record(
                    session, self._actor, "update", ENTITY, candidate.uuid,
                    f"Lập đề nghị {catalogue.AWARDS[candidate.award_code].label} năm {year} "
                    f"cho «{subject.name}» từ danh sách bình xét"[:300],
                    old=old, new=candidate_values(candidate, subject.uuid))
                made += 1
        return made

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC).replace(tzinfo=None)


# --- rows and values -----------------------------------------------------------------------

def _shown(shown: str, subjects: Table, people: Table, ratings: Table) -> ColumnElement[bool]:
    """The condition of a ratings list: staff (or anyone rated that year) and collectives."""
    staff = or_(people.c.employment.in_(sorted(RATED_STAFF)), ratings.c.id.is_not(None))
    is_person, is_collective = subjects.c.kind == "individual", subjects.c.kind == "collective"
    return {RATED: or_(and_(is_person, staff), is_collective), STAFF: and_(is_person, staff),
            COLLECTIVES: is_collective, ALL_INDIVIDUALS: is_person}[shown]


def _candidate_row(candidate: ReviewCandidate, name: str, kind: str, result_json: str | None) -> CandidateRow:
    reason = candidate.reason
    if not reason and candidate.verdict == Verdict.MISSING_INFORMATION and result_json:
        reason = _missing_facts(result_json)
    return CandidateRow(
        id=candidate.id, subject_id=candidate.subject_id, subject_name=name, kind=kind,
        award_code=candidate.award_code, award_label=catalogue.AWARDS[candidate.award_code].label,
        route=candidate.route, verdict=candidate.verdict, included=candidate.included, reason=reason,
        source=candidate.source, check_id=candidate.check_id, nomination_id=candidate.nomination_id)


def _missing_facts(result_json: str) -> str:
    checks = json.loads(result_json).get("checks", [])
    return " ".join(c["message"] for c in checks if c.get("status") == Status.UNKNOWN)


def _candidate_and_subject(session: Session, candidate_id: int) -> tuple[ReviewCandidate, Subject]:
    candidate = session.get(ReviewCandidate, candidate_id)
    if candidate is None:
        raise NotFoundError("Không tìm thấy đối tượng bình xét; có thể đã bị xóa.")
    return candidate, session.get_one(Subject, candidate.subject_id)


def _reason(reason: str, what: str) -> str:
    try:
        return required_reason(reason)
    except ValidationError:
        raise ValidationError(f"Hãy ghi lý do {what}.", "reason") from None
