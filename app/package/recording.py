"""Recording a package the commune sent: its row, its frozen records, the audit entry, and
the copy of the file kept in the data folder.

Shared by the export (a package just written and verified) and the adoption of a package the
database lost (app/package/adopt.py). The copy (`<data folder>/goi-ho-so/<file name>`) lets
the commune show or send again exactly what it sent once the USB stick has been handed over.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.local_time import stored_now
from app.package.context import PackageContext
from app.package.format import PackageError
from app.safe_files import READ_CHUNK, atomic_path, ensure_free_space, file_sha256
from db.models import Package, PackageRecord

SENT_FOLDER = "goi-ho-so"  # in the data folder: a copy of every package sent


@dataclass(frozen=True)
class Version:
    """One record of the package, as its PackageRecord row keeps it."""

    uuid: str
    nomination_uuid: str
    version: int
    supersedes: str | None
    content_sha256: str
    subject_name: str
    award_code: str
    year: int


@dataclass(frozen=True)
class Sent:
    """The package file as written and verified: what its Package row keeps."""

    uuid: str
    commune_code: int
    sequence: int
    previous_uuid: str | None
    created_at: str
    format_version: str
    path: Path  # resolved: the folder is shown and opened from any working directory
    size: int
    file_sha256: str
    manifest_sha256: str


def sent_folder(data_folder: Path) -> Path:
    return Path(data_folder) / SENT_FOLDER


def add_package(session: Session, ctx: PackageContext, sent: Sent, versions: Sequence[Version],
                action: str, summary: str) -> None:
    """The Package row, its PackageRecord rows and the audit entry, in the caller's transaction.
    Refused (PackageError) when the sequence, the package or one of its versions is already
    known: recorded meanwhile from elsewhere, or the file is one this database has."""
    taken = session.scalars(select(Package).where(
        (Package.uuid == sent.uuid)
        | ((Package.commune_code == sent.commune_code) & (Package.sequence == sent.sequence)))).first()
    if taken is not None:
        raise PackageError(f"Dữ liệu đã có gói số {taken.sequence} (mã {taken.uuid}, tệp {taken.file_name}) "
                           f"trùng với gói số {sent.sequence} này; gói này không được ghi nhận.")
    known = session.scalars(select(PackageRecord.uuid).where(
        PackageRecord.uuid.in_([v.uuid for v in versions]))).first()
    if known is not None:
        raise PackageError(f"Hồ sơ {known} trong gói đã có trong dữ liệu (thuộc một gói khác); gói số "
                           f"{sent.sequence} không được ghi nhận.")
    package = Package(
        uuid=sent.uuid, commune_code=sent.commune_code, sequence=sent.sequence, previous_uuid=sent.previous_uuid,
        created_at=sent.created_at, format_version=sent.format_version, file_name=sent.path.name,
        folder=str(sent.path.parent), size=sent.size, file_sha256=sent.file_sha256,
        manifest_sha256=sent.manifest_sha256, record_count=len(versions), exported_at=stored_now(ctx.clock),
        exported_by=ctx.actor.username)
    session.add(package)
    session.flush()
    session.add_all(PackageRecord(
        uuid=v.uuid, package_id=package.id, nomination_uuid=v.nomination_uuid, version=v.version,
        supersedes_uuid=v.supersedes, content_sha256=v.content_sha256, subject_name=v.subject_name[:200],
        award_code=v.award_code, year=v.year) for v in versions)
    session.flush()
    ctx.audit.record(session, ctx.actor, action, "package", sent.uuid, summary,
                     new={"file_name": sent.path.name, "sha256": sent.file_sha256,
                          "manifest_sha256": sent.manifest_sha256, "sequence": sent.sequence,
                          "records": [v.uuid for v in versions]})


def keep_copy(source: Path, data_folder: Path, sha256: str) -> Path | None:
    """Copy the package file into the data folder's goi-ho-so/, checking that what is copied
    is what was verified (`sha256`). Returns the copy written, for the caller to delete when
    recording fails; None when that copy is already there (or `source` is it).

    Raises FileWriteError when the data folder cannot be written, PackageError when the
    file cannot be read back or changed since it was verified, or when another file of that
    name is there already (never overwritten).
    """
    folder = sent_folder(data_folder)
    copy = folder / source.name
    try:
        folder.mkdir(exist_ok=True)
        if copy.resolve() == source.resolve():
            return None
        if copy.exists():
            if file_sha256(copy) == sha256:
                return None
            raise PackageError(f"Thư mục {folder} đã có tệp {copy.name} khác với gói này; không ghi đè. Hãy "
                               "chuyển tệp đó đi rồi làm lại.")
        size = source.stat().st_size
    except OSError as error:
        raise PackageError(f"Không lưu được bản sao của gói vào thư mục {folder} ({error.strerror or error}); "
                           "hãy kiểm tra thư mục dữ liệu rồi làm lại.") from error
    ensure_free_space(folder, size)
    with atomic_path(copy) as partial, open(partial, "wb") as out:
        digest = hashlib.sha256()
        for chunk in _chunks(source):
            digest.update(chunk)
            out.write(chunk)
        if digest.hexdigest() != sha256:
            raise PackageError(f"Tệp {source} đã thay đổi sau khi được kiểm tra (mã SHA-256 không còn khớp).")
    return copy


def _chunks(source: Path):  # noqa: ANN202 - an iterator of bytes
    """The file's content; a read error is the source's (the USB stick), not the copy's."""
    try:
        with open(source, "rb") as reader:
            while chunk := reader.read(READ_CHUNK):
                yield chunk
    except OSError as error:
        raise PackageError(f"Không đọc lại được tệp {source} ({error.strerror or error}): ổ USB có thể đã "
                           "bị rút ra.") from error
