"""Where each exported record stands: awaiting the province, received, or answered.

A record's status is its strongest answer: a final one (returned, approved, not approved)
over "received" over none ("awaiting"). The rows are append-only (db/models.py), so the
status is read, never stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Package, PackageAnswer, PackageRecord

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
        for record, package in session.execute(query).tuples():
            kept = rows.get(record.nomination_uuid)
            if kept is None or kept[0].version < record.version:
                rows[record.nomination_uuid] = (record, package)
    answers: dict[int, list[str]] = {}
    ids = [record.id for record, _ in rows.values()]
    for start in range(0, len(ids), _IN_CHUNK):
        query = select(PackageAnswer.record_id, PackageAnswer.status).where(
            PackageAnswer.record_id.in_(ids[start:start + _IN_CHUNK]))
        for record_id, status in session.execute(query).tuples():
            answers.setdefault(record_id, []).append(status)
    return {uuid: LatestVersion(record.id, record.uuid, record.version, record.content_sha256,
                                strongest(answers.get(record.id, ())), package.id, package.sequence,
                                package.created_at)
            for uuid, (record, package) in rows.items()}
