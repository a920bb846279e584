"""The checker's proposal for the annual review: which subjects and titles are in scope,
the checker's outcome for each, and how its verdicts merge into the year's candidates
(the rules are in app/annual_review.py's docstring). ReviewService.propose runs these:
judging only reads; keeping writes, in one transaction at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from app import catalogue
from app.audit import AuditEvent, AuditTrail
from app.eligibility.checker import check, checkable
from app.eligibility.outcome import VERDICT_LABELS, Outcome, Verdict
from app.eligibility.request import CheckRequest, Facts
from app.eligibility.rule_settings import RuleSettings
from app.eligibility_service import EligibilityService
from app.eligibility_snapshots import subject_snapshot
from app.errors import ValidationError
from app.roles import Actor
from db.models import AnnualRating, ReviewCandidate, Subject, new_uuid

ENTITY = "review_candidate"
RATED_KINDS = ("individual", "collective")  # kinds that get a year-end rating
# The commune's annual titles per kind of subject, lower title first.
ANNUAL_TITLES: dict[str, tuple[str, ...]] = {
    "individual": ("LDTT", "CSTDCS"),
    "collective": ("TTLDTT", "TTLDXS"),
    "household": ("GDVH",),
    "village": ("THON_VH",),
}
# Registering for the higher title is registering for the one it requires.
_IMPLIED_BY = {"CSTDCS": "LDTT", "TTLDXS": "TTLDTT"}
_IN_CHUNK = 500  # ids per IN (...) list, below SQLite's parameter limit
Report = Callable[[int, int], None]
# Subject id → the titles to check, each with whether it was registered (None: not asked).
Scope = dict[int, list[tuple[str, bool | None]]]


@dataclass(frozen=True)
class AwardCounts:
    included: int = 0
    missing_information: int = 0
    not_eligible: int = 0


@dataclass(frozen=True)
class ProposalSummary:
    year: int
    decision_date: date
    subjects_checked: int
    counts: dict[str, AwardCounts]  # award code → what the checker found
    created: int
    updated: int
    dropped: int  # the checker's earlier candidates no longer proposed
    problems: tuple[str, ...] = field(default=())  # subjects the checker could not judge

    def lines(self) -> list[str]:
        """The summary in sentences, one award per line."""
        lines = [f"Đã kiểm tra {self.subjects_checked} đối tượng cho năm {self.year} "
                 f"(ngày quyết định dự kiến {self.decision_date:%d/%m/%Y})."]
        for code, counts in self.counts.items():
            lines.append(f"{catalogue.AWARDS[code].label}: {counts.included} đủ điều kiện, "
                         f"{counts.missing_information} thiếu thông tin, {counts.not_eligible} không đủ điều kiện.")
        lines += [f"Không kiểm tra được: {problem}" for problem in self.problems]
        return lines


@dataclass(frozen=True)
class Judged:
    subject_id: int
    subject_uuid: str
    subject_name: str
    outcome: Outcome


# --- scope ---------------------------------------------------------------------------

def _titles(kind: str) -> tuple[str, ...]:
    return tuple(code for code in ANNUAL_TITLES.get(kind, ()) if checkable(code, kind))


def rated_scope(session: Session, year: int) -> Scope:
    """Individuals and collectives rated that year, every household and village."""
    rated = select(Subject.id, Subject.kind).join(
        AnnualRating, and_(AnnualRating.subject_id == Subject.id, AnnualRating.year == year)
    ).where(Subject.kind.in_(RATED_KINDS))
    community = select(Subject.id, Subject.kind).where(Subject.kind.in_(("household", "village")))
    scope: Scope = {}
    for query in (rated, community):
        for subject_id, kind in session.execute(query.order_by(Subject.sort_key)):
            scope[subject_id] = [(code, None) for code in _titles(kind)]
    return scope


def registered_scope(session: Session, registered: set[tuple[int, str]]) -> Scope:
    """The subjects registered for an annual title in a movement of the year, with the
    titles they registered for (and the lower title a higher one requires)."""
    wanted: dict[int, set[str]] = {}
    for subject_id, code in registered:
        codes = wanted.setdefault(subject_id, set())
        codes.add(code)
        if code in _IMPLIED_BY:
            codes.add(_IMPLIED_BY[code])
    ids = sorted(wanted)
    found: list[tuple[int, str]] = []
    for start in range(0, len(ids), _IN_CHUNK):
        found += session.execute(select(Subject.id, Subject.kind, Subject.sort_key)
                                 .where(Subject.id.in_(ids[start:start + _IN_CHUNK]))).all()
    scope: Scope = {}
    for subject_id, kind, _ in sorted(found, key=lambda row: row[2]):
        titles = [(code, True) for code in _titles(kind) if code in wanted[subject_id]]
        if titles:
            scope[subject_id] = titles
    return scope


def _award_order(counts: dict[str, object]) -> list[str]:
    return [code for code in catalogue.AWARDS if code in counts]


# --- judging and keeping ---------------------------------------------------------------

def judge(session: Session, scope: Scope, year: int, decision_date: date, settings: RuleSettings,
          step: Report) -> tuple[list[Judged], list[str]]:
    """The checker's outcome for every (subject, title) in scope, and the subjects it could
    not judge (a contradictory history) in words; `step(done, total)` after each subject."""
    judged: list[Judged] = []
    problems: list[str] = []
    total = len(scope)
    step(0, total)
    for done, (subject_id, awards) in enumerate(scope.items(), start=1):
        snapshot = subject_snapshot(session, subject_id)
        for award_code, registered in awards:
            request = CheckRequest(award_code, year, decision_date, facts=Facts(registered=registered))
            try:
                outcome = check(request, snapshot, settings)
            except ValidationError as error:
                problems.append(f"{snapshot.name} ({catalogue.AWARDS[award_code].label}): {error}")
                continue
            judged.append(Judged(subject_id, snapshot.uuid, snapshot.name, outcome))
        step(done, total)
    return judged, problems


def keep_candidates(session: Session, audit: AuditTrail, actor: Actor, eligibility: EligibilityService,
                    now: datetime, year: int, decision_date: date, judged: list[Judged], scope: Scope,
                    problems: list[str]) -> ProposalSummary:
    """Store the checks behind candidates (through `eligibility.save_many_in`, the one way
    a check is kept) and merge the checker's verdicts into the year's candidates (see
    app/annual_review.py), with their audit entries, in the caller's transaction."""
    existing = {(c.subject_id, c.award_code): c for c in session.scalars(
        select(ReviewCandidate).where(ReviewCandidate.year == year))}
    counts: dict[str, dict[str, int]] = {}
    events: list[AuditEvent] = []
    created = updated = dropped = 0
    # A check is kept behind every candidate, old or new: all but the new not-eligible ones.
    kept = [item for item in judged if (item.subject_id, item.outcome.request.award_code) in existing
            or item.outcome.verdict is not Verdict.NOT_ELIGIBLE]
    stored = eligibility.save_many_in(session, [(item.subject_id, item.outcome) for item in kept])
    check_ids = {(item.subject_id, item.outcome.request.award_code): row.id for item, row in zip(kept, stored)}
    for item in judged:
        outcome = item.outcome
        code, verdict = outcome.request.award_code, outcome.verdict
        tally = counts.setdefault(code, {"included": 0, "missing_information": 0, "not_eligible": 0})
        tally["included" if verdict is Verdict.ELIGIBLE else verdict.value] += 1
        candidate = existing.pop((item.subject_id, code), None)
        if candidate is None and verdict is Verdict.NOT_ELIGIBLE:
            continue
        check_id = check_ids[(item.subject_id, code)]
        label = catalogue.AWARDS[code].label
        if candidate is None:
            candidate = ReviewCandidate(
                uuid=new_uuid(), year=year, subject_id=item.subject_id, award_code=code,
                route=outcome.route, source="checker", verdict=verdict.value,
                included=verdict is Verdict.ELIGIBLE, reason="", check_id=check_id,
                created_at=now, updated_at=now)
            session.add(candidate)
            created += 1
            events.append(AuditEvent(
                "create", ENTITY, candidate.uuid,
                f"Đề xuất {label} năm {year} cho «{item.subject_name}»: {VERDICT_LABELS[verdict]}"[:300],
                new=candidate_values(candidate, item.subject_uuid)))
            continue
        old = candidate_values(candidate, item.subject_uuid)
        officer_owned = candidate.source == "officer" or bool(candidate.reason)
        if (verdict is Verdict.NOT_ELIGIBLE and not officer_owned
                and candidate.nomination_id is None):
            dropped += 1
            events.append(AuditEvent(
                "delete", ENTITY, candidate.uuid,
                f"Bỏ đề xuất {label} năm {year} cho «{item.subject_name}»: không còn đủ điều kiện"[:300],
                old=old))
            session.delete(candidate)
            continue
        candidate.verdict, candidate.route, candidate.check_id = verdict.value, outcome.route, check_id
        if not officer_owned:
            candidate.included = verdict is Verdict.ELIGIBLE
        new = candidate_values(candidate, item.subject_uuid)
        if {k: v for k, v in new.items() if k != "check_id"} != {k: v for k, v in old.items() if k != "check_id"}:
            candidate.updated_at = now
            updated += 1
            events.append(AuditEvent(
                "update", ENTITY, candidate.uuid,
                f"Cập nhật kết quả đề xuất {label} năm {year} cho «{item.subject_name}»: "
                f"{VERDICT_LABELS[verdict]}"[:300], old=old, new=new))
    for (subject_id, code), candidate in existing.items():
        # The checker's own candidates for subjects no longer in scope (a rating removed,
        # a registration withdrawn) are no longer proposed.
        in_scope = any(award == code for award, _ in scope.get(subject_id, ()))
        if (in_scope or candidate.source != "checker" or candidate.reason
                or candidate.nomination_id is not None):
            continue
        dropped += 1
        subject = session.get(Subject, subject_id)
        events.append(AuditEvent(
            "delete", ENTITY, candidate.uuid,
            f"Bỏ đề xuất {catalogue.AWARDS[code].label} năm {year} cho "
            f"«{subject.name if subject else '?'}»: không còn trong phạm vi bình xét"[:300],
            old=candidate_values(candidate, subject.uuid if subject else "")))
        session.delete(candidate)
    audit.record_many(session, actor, events)
    return ProposalSummary(
        year, decision_date, len(scope),
        {code: AwardCounts(**counts[code]) for code in _award_order(counts)},
        created, updated, dropped, tuple(problems))


def candidate_values(candidate: ReviewCandidate, subject_uuid: str) -> dict[str, object]:
    return {"year": candidate.year, "subject_uuid": subject_uuid, "award_code": candidate.award_code,
            "route": candidate.route, "source": candidate.source, "verdict": candidate.verdict,
            "included": candidate.included, "reason": candidate.reason, "check_id": candidate.check_id,
            "nomination_id": candidate.nomination_id}
