"""Test data for acknowledgements and status: nominations proposed to the province with the real
services, and the rows an export leaves behind (Package, PackageRecord) written directly, with
the manifest the province would have read, so an acknowledgement can be built for them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.audit import Clock
from app.nomination_states import Procedure
from app.package.acks import ack_document
from app.package.context import PackageContext
from app.package.format import FORMAT_NAME, FORMAT_VERSION, canonical_json, sha256_hex
from app.roles import Actor
from app.services import Services
from app.subject_data import IndividualData
from db.models import (
    AuditEntry,
    Award,
    Nomination,
    NominationEvent,
    Package,
    PackageAck,
    PackageAnswer,
    PackageRecord,
    Subject,
)
from tests.conftest import demo_clock

CREATED_AT = "2026-11-16T09:30:00+07:00"  # the demo's clock is 20/11/2026 10:00 in Việt Nam
ISSUED_AT = "2026-11-19T15:00:00+07:00"
PROVINCE = "Sở Nội vụ tỉnh Đồng Nai"


def context(services: Services, actor: Actor | None = None, clock: Clock = demo_clock) -> PackageContext:
    """The package modules' context on the demo services (as app/services.py wires it)."""
    return PackageContext(services.sessions, actor or services.actor, services.audit, services.commune,
                          services.printing, services.nominations, services.history, clock)


def proposed_sudden(services: Services, name: str, proposed_on: date = date(2026, 10, 13)) -> int:
    """A rescuer proposed for a Bằng khen tỉnh by the simplified procedure (checked the day before)."""
    subject_id = services.subjects.create(IndividualData(name, "male", employment="nong_dan")).id
    nomination_id = services.nominations.create(
        subject_id=subject_id, award_code="BK_TINH", year=2026, procedure=Procedure.SIMPLIFIED,
        event_date=date(2026, 10, 5), achievement_summary="Cứu hai người bị nước cuốn trong lũ")
    services.nominations.check(nomination_id, proposed_on - timedelta(days=1))
    services.nominations.propose([nomination_id], proposed_on)
    return nomination_id


@dataclass(frozen=True)
class BuiltPackage:
    id: int
    uuid: str
    sequence: int
    manifest: dict
    file_sha256: str
    manifest_sha256: str
    records: dict[int, str]  # nomination id → record uuid


def package_rows(services: Services, nomination_ids: list[int], created_at: str = CREATED_AT) -> BuiltPackage:
    """The rows an export of these nominations writes: the next sequence, each nomination as
    a new version superseding its previous one."""
    commune = services.commune.get()
    assert commune is not None
    package_uuid = str(uuid.uuid4())
    with services.sessions.begin() as session:
        sequence = (session.scalar(select(func.max(Package.sequence))) or 0) + 1
        previous = session.scalar(select(Package.uuid).where(Package.sequence == sequence - 1))
        entries, records = [], {}
        for nomination_id in nomination_ids:
            nomination = session.get_one(Nomination, nomination_id)
            earlier = session.scalars(select(PackageRecord).where(PackageRecord.nomination_uuid == nomination.uuid)
                                      .order_by(PackageRecord.version.desc())).first()
            record_uuid = str(uuid.uuid4())
            records[nomination_id] = record_uuid
            entries.append({"uuid": record_uuid, "nomination_uuid": nomination.uuid,
                            "version": earlier.version + 1 if earlier else 1,
                            "supersedes": earlier.uuid if earlier else None,
                            "path": f"records/{record_uuid}.json"})
        manifest = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, "package_uuid": package_uuid,
                    "sequence": sequence, "previous_package_uuid": previous, "created_at": created_at,
                    "commune": {"code": commune.commune_code, "name": commune.commune_name,
                                "province_code": commune.province_code, "province_name": commune.province_name},
                    "records": sorted(entries, key=lambda entry: entry["path"])}
        manifest_sha256 = sha256_hex(canonical_json(manifest))
        file_sha256 = sha256_hex(package_uuid.encode())
        package = Package(uuid=package_uuid, commune_code=commune.commune_code, sequence=sequence,
                          previous_uuid=previous, created_at=created_at, format_version=FORMAT_VERSION,
                          file_name=f"goi-ho-so-{commune.commune_code}-{sequence:04d}.zip", folder="/media/usb",
                          size=1000, file_sha256=file_sha256, manifest_sha256=manifest_sha256,
                          record_count=len(entries), exported_at=datetime.now(UTC).replace(tzinfo=None),
                          exported_by="canbo")
        session.add(package)
        session.flush()
        for entry in entries:
            nomination = session.scalars(select(Nomination).where(Nomination.uuid == entry["nomination_uuid"])).one()
            session.add(PackageRecord(uuid=entry["uuid"], package_id=package.id,
                                      nomination_uuid=entry["nomination_uuid"], version=entry["version"],
                                      supersedes_uuid=entry["supersedes"], content_sha256="0" * 64,
                                      subject_name=session.get_one(Subject, nomination.subject_id).name,
                                      award_code=nomination.award_code, year=nomination.year))
    return BuiltPackage(package.id, package_uuid, sequence, manifest, file_sha256, manifest_sha256, records)


def ack_file(folder: Path, built: BuiltPackage, answers: dict[int, dict], *, ack_uuid: str | None = None,
             issued_at: str = ISSUED_AT, name: str = "bien-nhan.json") -> Path:
    """An acknowledgement from the province for `built`, answers by nomination id."""
    document = ack_document(built.manifest, {built.records[nid]: answer for nid, answer in answers.items()},
                            ack_uuid=ack_uuid or str(uuid.uuid4()), issued_at=issued_at, issuer=PROVINCE,
                            package_sha256=built.file_sha256)
    return write_json(folder / name, document)


def write_json(path: Path, document: object) -> Path:
    path.write_bytes(canonical_json(document))
    return path


def approved(number: str = "1234/QĐ-UBND", on: date = date(2026, 11, 18),
             issuer: str = "Chủ tịch UBND tỉnh Đồng Nai") -> dict:
    return {"status": "approved", "decision": {"number": number, "date": on, "issuer": issuer}}


def counts(services: Services) -> dict[str, int]:
    """Rows an import may add: none when it is refused or repeated."""
    with services.sessions() as session:
        return {model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
                for model in (PackageAck, PackageAnswer, NominationEvent, Award, AuditEntry)}
