"""Where each exported record stands: awaiting the province, received, or answered.

A record's status is its strongest answer: a final one (returned, approved, not approved)
over "received" over none ("awaiting"). The rows are append-only (db/models.py), so the
status is read, never stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.catalogue import award_label
from app.errors import NotFoundError, ValidationError
from app.local_time import VIETNAM_TIME, local_date
from app.nomination_states import State
from app.vietnamese import name_sort_key
from db.models import Nomination, Package, PackageAck, PackageAnswer, PackageRecord, Subject

if TYPE_CHECKING:
    from app.package.context import PackageContext

_IN_CHUNK = 500


class RecordStatus(StrEnum):
    AWAITING = "awaiting"
    RECEIVED = "received"
    RETURNED = "returned"
    APPROVED = "approved"
    NOT_APPROVED = "not_approved"


RECORD_STATUS_LABELS = {
    RecordStatus.AWAITING: "Đã xuất gói, chờ biên nhận",
    RecordStatus.RECEIVED: "Tỉnh đã nhận, chờ kết quả",
    RecordStatus.RETURNED: "Tỉnh trả lại",
    RecordStatus.APPROVED: "Tỉnh đã khen thưởng",
    RecordStatus.NOT_APPROVED: "Tỉnh không khen thưởng",
}
NOT_SENT = "Chưa xuất gói gửi tỉnh"
FINAL_STATUSES = frozenset({RecordStatus.RETURNED, RecordStatus.APPROVED, RecordStatus.NOT_APPROVED})


def strongest(statuses: Iterable[str]) -> RecordStatus:
    """The status a record's answers amount to."""
    found = {RecordStatus(s) for s in statuses}
    final = found & FINAL_STATUSES
    if final:
        return min(final)  # a record has at most one final answer (conflicts are refused)
    return RecordStatus.RECEIVED if RecordStatus.RECEIVED in found else RecordStatus.AWAITING


@dataclass(frozen=True)
class LatestVersion:
    """The newest exported version of a nomination and where it stands."""

    record_id: int
    record_uuid: str
    version: int
    content_sha256: str
    status: RecordStatus
    package_id: int
    package_sequence: int
    package_created_at: str  # with its +07:00 offset, as in the manifest


def latest_versions(session: Session, nomination_uuids: Iterable[str]) -> dict[str, LatestVersion]:
    """The newest version of each nomination that was ever exported, by nomination UUID."""
    wanted = sorted(set(nomination_uuids))
    rows: dict[str, tuple[PackageRecord, Package]] = {}
    for start in range(0, len(wanted), _IN_CHUNK):
        query = (select(PackageRecord, Package).join(Package, Package.id == PackageRecord.package_id)
                 .where(PackageRecord.nomination_uuid.in_(wanted[start:start + _IN_CHUNK])))
        for record, package in session.execute(query):
            kept = rows.get(record.nomination_uuid)
            if kept is None or kept[0].version < record.version:
                rows[record.nomination_uuid] = (record, package)
    answers: dict[int, list[str]] = {}
    ids = [record.id for record, _ in rows.values()]
    for start in range(0, len(ids), _IN_CHUNK):
        query = select(PackageAnswer.record_id, PackageAnswer.status).where(
            PackageAnswer.record_id.in_(ids[start:start + _IN_CHUNK]))
        for record_id, status in session.execute(query):
            answers.setdefault(record_id, []).append(status)
    return {uuid: LatestVersion(record.id, record.uuid, record.version, record.content_sha256,
                                strongest(answers.get(record.id, ())), package.id, package.sequence,
                                package.created_at)
            for uuid, (record, package) in rows.items()}


# --- packages and their records, for the «Gửi tỉnh» tab and `tdkt package list`


class PackageState(StrEnum):
    AWAITING = "awaiting"                # no acknowledgement yet
    RECEIVED = "received"                # acknowledged, no final answer yet
    PARTLY_ANSWERED = "partly_answered"  # some records answered, some still open
    ANSWERED = "answered"                # every record answered (or superseded)


PACKAGE_STATE_LABELS = {
    PackageState.AWAITING: "Chờ biên nhận",
    PackageState.RECEIVED: "Tỉnh đã nhận, chờ kết quả",
    PackageState.PARTLY_ANSWERED: "Tỉnh đã trả lời một phần",
    PackageState.ANSWERED: "Tỉnh đã trả lời đủ",
}


@dataclass(frozen=True)
class PackageRow:
    id: int
    uuid: str
    sequence: int
    created_at: str        # with its +07:00 offset, as in the manifest
    exported_on: date      # in Việt Nam
    file_name: str
    folder: str
    record_count: int
    state: PackageState
    state_label: str
    open_count: int        # records without a final answer, not superseded by a later version
    days_waiting: int      # since export, while something is open; 0 once all is answered
    ack_count: int
    file_sha256: str       # the whole file's SHA-256, for the cover letter the province checks it against


@dataclass(frozen=True)
class RecordRow:
    id: int
    uuid: str
    nomination_uuid: str
    nomination_id: int | None  # None when the nomination is no longer in the database
    version: int
    supersedes_uuid: str | None
    superseded: bool           # a later package holds a newer version
    subject_name: str
    award_code: str
    award_label: str
    year: int
    status: RecordStatus
    status_label: str
    reason: str
    decision_number: str
    decision_date: date | None
    decision_issuer: str


def packages(ctx: PackageContext) -> list[PackageRow]:
    """Every package of this database, newest first."""
    with ctx.sessions() as session:
        return _package_rows(session, local_date(ctx.clock))


def unacknowledged(ctx: PackageContext, older_than_days: int) -> list[PackageRow]:
    """Packages without any acknowledgement `older_than_days` days or more after their export.

    A package whose records were all superseded by later versions still counts, even when the
    later package was answered: nobody has confirmed that the province received this file,
    and it carried what was sent at the time (open_count 0 tells the screen why it is quiet)."""
    if older_than_days < 0:
        raise ValidationError("Số ngày phải từ 0 trở lên.", "older_than_days")
    return [row for row in packages(ctx) if not row.ack_count and row.days_waiting >= older_than_days]


def records(ctx: PackageContext, package_id: int) -> list[RecordRow]:
    """The records of one package with where each stands, by subject (as the register orders
    them) and award; records whose nomination this database no longer has come last."""
    with ctx.sessions() as session:
        if session.get(Package, package_id) is None:
            raise NotFoundError("Không tìm thấy gói hồ sơ này.")
        found = session.execute(
            select(PackageRecord, Nomination.id, Subject.sort_key)
            .outerjoin(Nomination, Nomination.uuid == PackageRecord.nomination_uuid)
            .outerjoin(Subject, Subject.id == Nomination.subject_id)
            .where(PackageRecord.package_id == package_id)).all()
        answers = _answers(session, select(PackageRecord.id).where(PackageRecord.package_id == package_id))
        newest = dict(session.execute(
            select(PackageRecord.nomination_uuid, func.max(PackageRecord.version))
            .where(PackageRecord.nomination_uuid.in_(
                select(PackageRecord.nomination_uuid).where(PackageRecord.package_id == package_id)))
            .group_by(PackageRecord.nomination_uuid)).all())
    rows: list[RecordRow] = []
    order: dict[int, tuple[int, str]] = {}
    for record, nomination_id, sort_key in found:
        order[record.id] = (0, sort_key) if sort_key is not None else (1, name_sort_key(record.subject_name))
        given = answers.get(record.id, {})
        status = strongest(given)
        final = given.get(status)
        rows.append(RecordRow(
            record.id, record.uuid, record.nomination_uuid, nomination_id, record.version, record.supersedes_uuid,
            newest[record.nomination_uuid] > record.version, record.subject_name, record.award_code,
            award_label(record.award_code), record.year, status, RECORD_STATUS_LABELS[status],
            final.reason if final else "", final.decision_number if final else "",
            final.decision_date if final else None, final.decision_issuer if final else ""))
    return sorted(rows, key=lambda row: (order[row.id], row.award_label, row.year, row.version))


def nomination_status(ctx: PackageContext, nomination_uuids: Iterable[str]) -> dict[str, str]:
    """Where each nomination's newest exported version stands, in words. A nomination proposed
    to the province but in no package yet says so: "proposed" is not "sent". "" otherwise."""
    wanted = list(dict.fromkeys(nomination_uuids))
    with ctx.sessions() as session:
        latest = latest_versions(session, wanted)
        proposed: set[str] = set()
        for start in range(0, len(wanted), _IN_CHUNK):
            proposed.update(session.scalars(select(Nomination.uuid).where(
                Nomination.uuid.in_(wanted[start:start + _IN_CHUNK]), Nomination.state == State.PROPOSED)))
        ids = [version.record_id for version in latest.values()]
        details: dict[int, dict[str, tuple[PackageAnswer, str]]] = {}
        for start in range(0, len(ids), _IN_CHUNK):
            query = (select(PackageAnswer, PackageAck.issued_at)
                     .join(PackageAck, PackageAck.id == PackageAnswer.ack_id)
                     .where(PackageAnswer.record_id.in_(ids[start:start + _IN_CHUNK])))
            for answer, issued_at in session.execute(query):
                details.setdefault(answer.record_id, {})[answer.status] = (answer, issued_at)
    texts = {uuid: _status_text(latest[uuid], details.get(latest[uuid].record_id, {})) if uuid in latest else ""
             for uuid in wanted}
    for uuid in proposed:
        if uuid not in latest:
            texts[uuid] = NOT_SENT
        elif latest[uuid].status is RecordStatus.RETURNED:
            texts[uuid] += "; chưa gửi lại"
    return texts


def _status_text(latest: LatestVersion, answers: dict[str, tuple[PackageAnswer, str]]) -> str:
    notes = []
    if latest.status is RecordStatus.AWAITING:
        notes.append(f"{_local(latest.package_created_at):%d/%m/%Y}")
    if latest.version > 1:
        notes.append(f"phiên bản {latest.version}, thay phiên bản {latest.version - 1}")
    head = f"Gói số {latest.package_sequence}" + (f" ({', '.join(notes)})" if notes else "")
    answer, issued_at = answers.get(latest.status, (None, ""))
    if latest.status is RecordStatus.AWAITING or answer is None:
        return f"{head}: chờ biên nhận"
    if latest.status is RecordStatus.RECEIVED:
        return f"{head}: tỉnh đã nhận ngày {_local(issued_at):%d/%m/%Y}, chờ kết quả"
    if latest.status is RecordStatus.RETURNED:
        return f"{head}: tỉnh trả lại — {answer.reason}"
    if latest.status is RecordStatus.APPROVED:
        return (f"{head}: tỉnh đã khen thưởng (quyết định số {answer.decision_number} ngày "
                f"{answer.decision_date:%d/%m/%Y})")
    return f"{head}: tỉnh không khen thưởng — {answer.reason}"


def _package_rows(session: Session, today: date) -> list[PackageRow]:
    """Four statements whatever the number of packages: packages, records, answers, acks."""
    found = session.scalars(select(Package).order_by(Package.sequence.desc(), Package.id.desc())).all()
    by_package: dict[int, list[tuple[int, str, int]]] = {}
    newest: dict[str, int] = {}
    for record_id, owner, nomination_uuid, version in session.execute(
            select(PackageRecord.id, PackageRecord.package_id, PackageRecord.nomination_uuid,
                   PackageRecord.version)):
        by_package.setdefault(owner, []).append((record_id, nomination_uuid, version))
        newest[nomination_uuid] = max(version, newest.get(nomination_uuid, 0))
    answers = _answers(session, select(PackageRecord.id))
    acks = dict(session.execute(select(PackageAck.package_id, func.count()).group_by(PackageAck.package_id))
                .all())
    rows = []
    for package in found:
        final = open_count = 0
        for record_id, nomination_uuid, version in by_package.get(package.id, []):
            status = strongest(answers.get(record_id, {}))
            if status in FINAL_STATUSES:
                final += 1
            elif newest[nomination_uuid] == version:
                open_count += 1
        ack_count = acks.get(package.id, 0)
        state = (PackageState.AWAITING if not ack_count else PackageState.RECEIVED if not final
                 else PackageState.ANSWERED if not open_count else PackageState.PARTLY_ANSWERED)
        exported_on = _local(package.created_at).date()
        rows.append(PackageRow(
            package.id, package.uuid, package.sequence, package.created_at, exported_on, package.file_name,
            package.folder, package.record_count, state, PACKAGE_STATE_LABELS[state], open_count,
            0 if state is PackageState.ANSWERED else max(0, (today - exported_on).days), ack_count,
            package.file_sha256))
    return rows


def _answers(session: Session, record_ids: Select) -> dict[int, dict[str, PackageAnswer]]:
    found: dict[int, dict[str, PackageAnswer]] = {}
    for answer in session.scalars(select(PackageAnswer).where(PackageAnswer.record_id.in_(record_ids))):
        found.setdefault(answer.record_id, {})[answer.status] = answer
    return found


def _local(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).astimezone(VIETNAM_TIME)
