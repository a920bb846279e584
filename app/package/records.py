"""The records of a package: one JSON document per nomination version (records/<uuid>.json).

A record carries what the province needs to judge the nomination without the commune's
database: the nomination and its steps, the subject as the register knows it, the history
over the years the report must cover, the latest check, the council's vote, the commune's
decisions about the subject in those years, and the list of its documents and scans.

`content_sha256` is the SHA-256 of the canonical JSON of the record without its "record"
header and without the package paths of its documents and attachments (both are derived from
the record's own UUID, which every version has anew), together with the officer's edits to
the record's printed documents. So two versions hash alike exactly when the province would
read the same facts and the same documents in them ("changed since the last version").
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from app import catalogue
from app.attachments import AttachmentRow
from app.documents.kinds import KIND_LABELS, Kind, Owner
from app.eligibility.outcome import VERDICT_LABELS, Verdict
from app.nomination_dossier import OTHER_PART, known_parts
from app.nomination_rows import ROUTE_LABELS
from app.nomination_states import ACTION_LABELS, PROCEDURE_LABELS, STATE_LABELS, Action, Procedure, Route, State
from app.package.format import (attachment_path, canonical_json, document_path, minutes_path, offset_time,
                                record_path, sha256_hex)
from app.package.record_rows import Rows, read_rows
from db.models import (AnnualRating, Attachment, Award, Collective, CouncilMember, CouncilSession, CouncilVote,
                       Decision, DecisionItem, Discipline, EligibilityCheck, Household, Individual,
                       Initiative, Nomination, Subject, Village)

# The printed documents of every record, in the order they are listed.
RECORD_KINDS = (Kind.PROPOSAL, Kind.REPORT)


@dataclass(frozen=True)
class RecordContent:
    """One nomination as read, before it becomes a version in a package."""

    nomination_id: int
    nomination_uuid: str
    subject_uuid: str
    subject_name: str
    subject_kind: str
    award_code: str
    year: int
    procedure: str
    state: str
    action: str
    verdict: str  # the latest check's; "" when never checked
    council: tuple[int, str] | None  # (id, uuid) of the finalised session that voted on it
    attachments: tuple[AttachmentRow, ...]
    content: Mapping[str, object]  # the record without its header and package paths
    content_sha256: str
    entity_uuids: tuple[str, ...]  # what the audit excerpt is about


@dataclass(frozen=True)
class RecordHeader:
    uuid: str
    nomination_uuid: str
    version: int
    supersedes: str | None

    def as_dict(self) -> dict[str, object]:
        return {"uuid": self.uuid, "nomination_uuid": self.nomination_uuid, "version": self.version,
                "supersedes": self.supersedes}


@dataclass(frozen=True)
class RecordAttachment:
    row: AttachmentRow
    path: str  # inside the package


@dataclass(frozen=True)
class RecordSource:
    """A record as it goes into a package: its JSON and the files it lists."""

    nomination_id: int
    nomination_uuid: str
    subject_uuid: str
    subject_name: str
    award_code: str
    year: int
    header: RecordHeader
    path: str  # records/<uuid>.json
    body: Mapping[str, object]
    content_sha256: str
    documents: tuple[tuple[Kind, Owner, str], ...]  # (kind, what it is printed for, package path)
    attachments: tuple[RecordAttachment, ...]
    entity_uuids: tuple[str, ...]

    def data(self) -> bytes:
        return canonical_json(self.body)


def read_contents(session: Session, nomination_ids: Sequence[int]) -> dict[int, RecordContent]:
    """The content of each nomination found, by id, read with a fixed number of queries."""
    rows = read_rows(session, nomination_ids)
    labels = known_parts()
    return {nid: _content(rows, nomination, labels) for nid, nomination in rows.nominations.items()}


def record_source(content: RecordContent, header: RecordHeader) -> RecordSource:
    """The record of `content` as version `header`: its body with the package paths."""
    record_uuid = header.uuid
    documents: list[tuple[Kind, Owner, str]] = [
        (kind, Owner("nomination", content.nomination_id), document_path(record_uuid, kind.value))
        for kind in RECORD_KINDS]
    if content.council is not None:
        session_id, session_uuid = content.council
        documents.append((Kind.MINUTES, Owner("session", session_id), minutes_path(session_uuid)))
    attachments = tuple(RecordAttachment(row, attachment_path(record_uuid, row.uuid, row.media_type))
                        for row in content.attachments)
    listed = [dict(item, path=packed.path) for item, packed in
              zip(content.content["attachments"], attachments)]  # type: ignore[call-overload]
    body = {"record": header.as_dict(), **content.content, "attachments": listed,
            "documents": [{"kind": kind.value, "label": KIND_LABELS[kind], "path": path}
                          for kind, _owner, path in documents]}
    return RecordSource(content.nomination_id, content.nomination_uuid, content.subject_uuid,
                        content.subject_name, content.award_code, content.year, header,
                        record_path(record_uuid), body, content.content_sha256, tuple(documents),
                        attachments, content.entity_uuids)


# --- the parts of a record


def _content(rows: Rows, nomination: Nomination, part_labels: Mapping[str, str]) -> RecordContent:
    subject = rows.subjects[nomination.subject_id]
    check = rows.checks.get(nomination.id)
    result = _result(check)
    years = _reporting_years(result, nomination.year)
    voted = rows.votes.get(nomination.id)
    history = _history(rows, subject.id, years)
    decisions = [(item, decision) for item, decision in rows.decisions.get(subject.id, [])
                 if item.year in years or item.nomination_id == nomination.id]
    files = rows.attachments.get(nomination.uuid, [])
    labels = {part.get("code"): part.get("label") for part in result.get("dossier", [])
              if isinstance(part, dict)}
    content: dict[str, object] = {
        "nomination": _nomination(rows, nomination),
        "subject": _subject(rows, subject),
        "history": history,
        "checks": [] if check is None else [_check(check, result, years)],
        "council": None if voted is None else _council(*voted, rows.members.get(voted[1].id, [])),
        "decisions": _decisions(decisions),
        "attachments": [_attachment(a, str(labels.get(a.dossier_part) or part_labels.get(a.dossier_part)
                                                 or OTHER_PART)) for a in files],
    }
    entity_uuids = {nomination.uuid, *(a.uuid for a in files), *(str(h["uuid"]) for h in history)}
    if check is not None:
        entity_uuids.add(check.uuid)
    if voted is not None:
        entity_uuids.add(voted[1].uuid)
    for item, decision in decisions:
        entity_uuids |= {item.uuid, decision.uuid}
    return RecordContent(
        nomination.id, nomination.uuid, subject.uuid, subject.name, subject.kind, nomination.award_code,
        nomination.year, nomination.procedure, nomination.state, nomination.action,
        check.verdict if check else "", (voted[1].id, voted[1].uuid) if voted else None,
        tuple(AttachmentRow.of(a) for a in files), content, _content_hash(rows, nomination, content),
        tuple(sorted(entity_uuids)))


def _content_hash(rows: Rows, nomination: Nomination, content: Mapping[str, object]) -> str:
    """The content with the officer's edits to its documents: an edited tờ trình is a change."""
    voted = rows.votes.get(nomination.id)
    texts = {"nomination": rows.nomination_texts.get(nomination.id, []),
             "session": rows.session_texts.get(voted[1].id, []) if voted else []}
    return sha256_hex(canonical_json({"content": content, "document_texts": texts}))


def _nomination(rows: Rows, nomination: Nomination) -> dict[str, object]:
    events = rows.events.get(nomination.id, [])
    proposed = [e.on for e in events if e.action == Action.PROPOSE]
    movement = rows.movements.get(nomination.movement_id) if nomination.movement_id else None
    return {
        "uuid": nomination.uuid, "year": nomination.year,
        "award_code": nomination.award_code, "award_label": catalogue.award_label(nomination.award_code),
        "procedure": nomination.procedure, "procedure_label": PROCEDURE_LABELS[Procedure(nomination.procedure)],
        "basis_kind": nomination.basis_kind,
        "basis_label": catalogue.BASIS_KINDS.get(nomination.basis_kind, nomination.basis_kind),
        "route": nomination.route, "action": nomination.action,
        "action_label": ROUTE_LABELS[Route(nomination.action)] if nomination.action else "",
        "state": nomination.state, "state_label": STATE_LABELS[State(nomination.state)],
        "movement": None if movement is None else {"uuid": movement[0], "name": movement[1]},
        "achievement_summary": nomination.achievement_summary,
        "event_date": _day(nomination.event_date),
        "declared_facts": json.loads(nomination.declared_facts or "{}"),
        "planned_decision_date": _day(nomination.planned_decision_date),
        "notice_starts_on": _day(nomination.notice_starts_on),
        "notice_ends_on": _day(nomination.notice_ends_on),
        "proposed_on": _day(max(proposed)) if proposed else None,
        "returned_reason": nomination.returned_reason,
        "events": [{"action": e.action, "action_label": ACTION_LABELS[Action(e.action)],
                    "from_state": e.from_state, "to_state": e.to_state, "on": _day(e.on),
                    "at": _moment(e.at), "reason": e.reason} for e in events],
    }


def _subject(rows: Rows, subject: Subject) -> dict[str, object]:
    data: dict[str, object] = {"uuid": subject.uuid, "kind": subject.kind,
                               "kind_label": catalogue.SUBJECT_KINDS[subject.kind], "name": subject.name}
    if isinstance(subject, Individual):
        data.update(
            gender=subject.gender, gender_label=catalogue.GENDERS.get(subject.gender, subject.gender),
            birth_date=_day(subject.birth_date), ethnicity=subject.ethnicity, home_town=subject.home_town,
            residence=subject.residence, job_title=subject.job_title, unit=_named(rows, subject.unit_id),
            village=_named(rows, subject.village_id), employment=subject.employment,
            employment_label=catalogue.EMPLOYMENT.get(subject.employment, subject.employment),
            employment_start=_day(subject.employment_start), direct_labour=subject.direct_labour,
            ethnic_minority=subject.ethnic_minority, difficult_area=subject.difficult_area)
    elif isinstance(subject, Collective):
        data.update(collective_kind=subject.collective_kind,
                    collective_kind_label=catalogue.COLLECTIVE_KINDS.get(subject.collective_kind,
                                                                         subject.collective_kind),
                    parent=_named(rows, subject.parent_id), village=_named(rows, subject.village_id))
    elif isinstance(subject, Household):
        data.update(address=subject.address, village=_named(rows, subject.village_id),
                    head=rows.heads.get(subject.id, ""))
    elif isinstance(subject, Village):
        data.update(village_kind=subject.village_kind,
                    village_kind_label=catalogue.VILLAGE_KINDS.get(subject.village_kind, subject.village_kind),
                    difficult_area=subject.difficult_area, ethnic_minority_area=subject.ethnic_minority_area)
    return data


def _named(rows: Rows, subject_id: int | None) -> dict[str, str] | None:
    if subject_id is None or subject_id not in rows.names:
        return None
    uuid, name = rows.names[subject_id]
    return {"uuid": uuid, "name": name}


def _history(rows: Rows, subject_id: int, years: tuple[int, ...]) -> list[dict[str, object]]:
    """Ratings, awards, initiatives and disciplines touching the reporting years, oldest first."""
    first, last = min(years), max(years)
    entries: list[dict[str, object]] = []
    entries += [_rating(r) for r in rows.ratings.get(subject_id, []) if r.year in years]
    entries += [_award(a) for a in rows.awards.get(subject_id, [])
                if (a.period_start or a.year) <= last and a.year >= first]
    entries += [_initiative(i) for i in rows.initiatives.get(subject_id, []) if i.year in years]
    entries += [_discipline(d) for d in rows.disciplines.get(subject_id, [])
                if d.decided_on.year <= last and (d.ends_on is None or d.ends_on.year >= first)]
    order = {"rating": 0, "award": 1, "initiative": 2, "discipline": 3}
    return sorted(entries, key=lambda e: (e["year"], order[str(e["type"])], str(e["uuid"])))


def _rating(rating: AnnualRating) -> dict[str, object]:
    return {"type": "rating", "uuid": rating.uuid, "year": rating.year, "rating": rating.rating,
            "rating_label": catalogue.RATINGS.get(rating.rating, rating.rating), "note": rating.note}


def _award(award: Award) -> dict[str, object]:
    return {"type": "award", "uuid": award.uuid, "year": award.year, "period_start": award.period_start,
            "award_code": award.award_code, "award_label": catalogue.award_label(award.award_code),
            "basis_kind": award.basis_kind, "decision_number": award.decision_number,
            "decision_date": _day(award.decision_date), "issuer": award.issuer,
            "legal_basis": award.legal_basis, "revoked_on": _day(award.revoked_on),
            "revoked_reason": award.revoked_reason}


def _initiative(initiative: Initiative) -> dict[str, object]:
    return {"type": "initiative", "uuid": initiative.uuid, "year": initiative.year, "title": initiative.title,
            "scope": initiative.scope,
            "scope_label": catalogue.INITIATIVE_SCOPES.get(initiative.scope, initiative.scope),
            "recognised_by": initiative.recognised_by, "decision_number": initiative.decision_number,
            "decision_date": _day(initiative.decision_date)}


def _discipline(discipline: Discipline) -> dict[str, object]:
    return {"type": "discipline", "uuid": discipline.uuid, "year": discipline.decided_on.year,
            "form": discipline.form,
            "form_label": catalogue.DISCIPLINE_FORMS.get(discipline.form, discipline.form),
            "decided_on": _day(discipline.decided_on), "ends_on": _day(discipline.ends_on),
            "note": discipline.note}


def _result(check: EligibilityCheck | None) -> dict[str, object]:
    if check is None:
        return {}
    loaded = json.loads(check.result_json)
    return loaded if isinstance(loaded, dict) else {}


def _reporting_years(result: Mapping[str, object], year: int) -> tuple[int, ...]:
    found = result.get("reporting_years")
    years = tuple(y for y in found if isinstance(y, int)) if isinstance(found, list) else ()
    return years or (year,)


def _check(check: EligibilityCheck, result: dict[str, object], years: tuple[int, ...]) -> dict[str, object]:
    return {"uuid": check.uuid, "award_code": check.award_code, "route": check.route,
            "period_end": check.period_end, "decision_date": _day(check.decision_date),
            "verdict": check.verdict, "verdict_label": verdict_label(check.verdict),
            "rule_set": check.rule_set, "engine_version": check.engine_version,
            "checked_at": _moment(check.checked_at), "reporting_years": list(years), "result": result}


def _council(vote: CouncilVote, council: CouncilSession, members: Sequence[CouncilMember]) -> dict[str, object]:
    present = sum(1 for m in members if m.present)
    ballots = council.ballots_valid if council.ballots_valid is not None else present
    if vote.passed is None:
        result = ""
    elif not vote.passed:
        result = "Không đạt"
    else:
        result = "Đạt" if vote.within_quota is not False else "Đạt, nhưng ngoài số lượng được xét"
    return {"session_uuid": council.uuid, "title": council.title, "held_on": _day(council.held_on),
            "location": council.location, "members": len(members), "present": present,
            "member_list": [{"full_name": m.full_name, "council_role": m.council_role, "present": m.present}
                            for m in members],
            "ballots_issued": council.ballots_issued, "ballots_returned": council.ballots_returned,
            "ballots_valid": council.ballots_valid, "votes_for": vote.votes_for,
            "votes_not_for": max(ballots - vote.votes_for, 0), "threshold": vote.threshold,
            "base": vote.base, "passed": vote.passed, "rank": vote.rank, "within_quota": vote.within_quota,
            "result": result, "vote_uuid": vote.uuid}


def _decisions(pairs: Sequence[tuple[DecisionItem, Decision]]) -> list[dict[str, object]]:
    grouped: dict[int, tuple[Decision, list[DecisionItem]]] = {}
    for item, decision in pairs:
        grouped.setdefault(decision.id, (decision, []))[1].append(item)
    return [{"uuid": decision.uuid, "number": decision.number, "decided_on": _day(decision.decided_on),
             "abstract": decision.abstract, "signer_name": decision.signer_name,
             "signer_title": decision.signer_title,
             "items": [{"uuid": i.uuid, "award_code": i.award_code, "award_label": catalogue.award_label(i.award_code),
                        "year": i.year, "basis_kind": i.basis_kind, "reward_amount": i.reward_amount,
                        "revoked_on": _day(i.revoked_on), "revoked_reason": i.revoked_reason} for i in items]}
            for decision, items in grouped.values()]


def _attachment(attachment: Attachment, label: str) -> dict[str, object]:
    return {"uuid": attachment.uuid, "dossier_part": attachment.dossier_part, "dossier_label": label,
            "file_name": attachment.file_name, "media_type": attachment.media_type, "size": attachment.size,
            "sha256": attachment.sha256}


def verdict_label(verdict: str) -> str:
    try:
        return VERDICT_LABELS[Verdict(verdict)]
    except ValueError:
        return verdict


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _moment(value: datetime | None) -> str | None:
    """A stored naive-UTC time as Việt Nam time with its offset, as the manifest writes times."""
    return None if value is None else offset_time(value.replace(tzinfo=UTC))
