"""Exporting the package for the province: choose, read, draw, write, verify, keep, then record.

Nothing is recorded until the written file has been read back and verified against this
database's chain of packages (the new one included) and copied into the data folder
(`goi-ho-so/`, app/package/recording.py); a package that fails is deleted, and so is one
whose recording fails, so a file on the USB stick always has its rows here (when the drive
is gone and the file cannot be deleted, the officer is told not to send it). Every record
is a frozen version (PackageRecord rows never change); exporting a nomination again makes
version n + 1 naming the one it supersedes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

import app
from app.attachments import stored_file
from app.catalogue import award_label
from app.documents.kinds import KIND_LABELS, Kind, Owner
from app.eligibility.checker import ENGINE_VERSION
from app.errors import CancelledError, DomainError
from app.nomination_states import State
from app.package.context import Cancelled, PackageContext, Report, never_cancelled, no_report
from app.package.format import (AUDIT_PATH, FORMAT_VERSION, LISTING_PATH, TEMPLATE_VERSION, PackageError,
                                canonical_json, offset_time, package_file_name)
from app.package.listing import listing_bytes, listing_rows
from app.package.lost_packages import refuse_unknown
from app.package.readiness import Candidate, assess
from app.package.recording import Sent, Version, add_package, keep_copy, sent_folder
from app.package.records import RecordContent, RecordHeader, RecordSource, read_contents, record_source
from app.package.status import latest_versions
from app.package.verify import ChainFacts, KnownPackage, Verification, verify_package
from app.package.zip_writer import PackageFile, PackageHeader, write_package
from app.roles import Permission, require
from app.safe_files import remove_quietly
from db.engine import StorageError
from db.models import CommuneProfile, Nomination, Package, Subject
from db.models import new_uuid as random_uuid

__all__ = ["Candidate", "ExportResult", "candidates", "chain_facts", "export", "verify_against_database"]

log = logging.getLogger(__name__)

NewUuid = Callable[[], str]
# States from which a nomination the province decides is on its way there.
ON_THE_WAY = (State.CHECKED, State.VOTED, State.PUBLIC_NOTICE, State.PROPOSED)
# Shares of the progress bar: reading, drawing, writing and verifying.
_WEIGHTS = (1, 6, 2, 1)


@dataclass(frozen=True)
class ExportResult:
    package_uuid: str
    sequence: int
    path: Path
    size: int
    file_sha256: str
    record_count: int
    superseding: int  # records that are a new version of one sent before
    verification: Verification


def candidates(ctx: PackageContext, year: int | None) -> list[Candidate]:
    """The nominations the province decides that are proposed or on their way, with whether
    each can go now and why not; by year, then subject name."""
    query = (select(Nomination.id).join(Subject, Subject.id == Nomination.subject_id)
             .where(Nomination.action == "propose", Nomination.state.in_([s.value for s in ON_THE_WAY])))
    if year is not None:
        query = query.where(Nomination.year == year)
    with ctx.sessions() as session:
        ids = list(session.scalars(query.order_by(Nomination.year, Subject.sort_key, Nomination.award_code,
                                                  Nomination.id)))
        contents = read_contents(session, ids)
        latest = latest_versions(session, [c.nomination_uuid for c in contents.values()])
    return [assess(ctx, contents[nid], latest.get(contents[nid].nomination_uuid)) for nid in ids]


def export(ctx: PackageContext, nomination_ids: Sequence[int], folder: Path, data_folder: Path,
           report: Report = no_report, cancelled: Cancelled = never_cancelled, *,
           new_uuid: NewUuid = random_uuid) -> ExportResult:
    """Write a package of these nominations into `folder`, verify it, keep a copy, then record it.

    All or nothing: a nomination that is not ready refuses the whole package, naming it and
    why. Before anything is read or drawn, a package file of this commune in `folder` or in
    the kept copies that this database does not know refuses the export (lost_packages.py:
    it would reuse that number). The verified file is copied to
    `<data_folder>/goi-ho-so/<file name>`, so the commune can show or send again what it sent
    after the USB stick is handed over. Just before recording, the nominations are read again
    in the recording transaction: one changed while the package was being made refuses it.
    `new_uuid` makes the package's and the records' UUIDs (tests fix them to compare two
    exports byte for byte). Raises CancelledError when `cancelled()` turns true between steps
    (nothing written or recorded), FileWriteError when the folder cannot be written,
    PackageError otherwise; a file written but not recorded is deleted, or the message says
    it may still be there.
    """
    require(ctx.actor, Permission.RUN_EMULATION)
    ids = list(dict.fromkeys(nomination_ids))
    if not ids:
        raise PackageError("Chưa chọn đề nghị nào để đưa vào gói hồ sơ gửi tỉnh.")
    folder, data_folder = Path(folder).resolve(), Path(data_folder)  # resolved: the row keeps the folder
    if not folder.is_dir():
        raise PackageError(f"Không tìm thấy thư mục {folder} để ghi gói hồ sơ; hãy chọn thư mục khác.")
    progress = _Progress(report)
    with ctx.sessions() as session:
        commune = _commune(session)
        chain = chain_facts(session)
    previous = chain.known[-1] if chain.known else None
    sequence = previous.sequence + 1 if previous else 1
    created_at = offset_time(ctx.now())
    target = folder / package_file_name(int(commune["code"]), sequence, date.fromisoformat(created_at[:10]))
    refuse_unknown((folder, sent_folder(data_folder)), chain, sequence)
    if target.exists():
        raise PackageError(f"Thư mục {folder} đã có {target.name}; không ghi đè. Hãy chọn thư mục khác hoặc "
                           "chuyển tệp đó đi.")
    with ctx.sessions() as session:
        contents = read_contents(session, ids)
        latest = latest_versions(session, [c.nomination_uuid for c in contents.values()])
    _refuse_unready(ctx, ids, contents, latest)
    progress.step(0, 1, 1)
    _check(cancelled)

    package_uuid = new_uuid()
    sources = []
    for nid in ids:
        before = latest.get(contents[nid].nomination_uuid)
        header = RecordHeader(new_uuid(), contents[nid].nomination_uuid, before.version + 1 if before else 1,
                              before.record_uuid if before else None)
        sources.append(record_source(contents[nid], header))
    files = _drawn(ctx, sources, progress, cancelled)
    files.append(PackageFile.of_bytes(AUDIT_PATH, _audit_excerpt(ctx, sources)))
    files.append(PackageFile.of_bytes(LISTING_PATH, listing_bytes(commune, sequence, created_at,
                                                                  listing_rows(sources))))
    files += [PackageFile.of_bytes(source.path, source.data()) for source in sources]
    files += _attachments(sources, data_folder)
    header = PackageHeader(
        package_uuid, sequence, previous.uuid if previous else None, created_at, commune, app.__version__,
        tuple(sorted(_rule_sets(sources))), ENGINE_VERSION, TEMPLATE_VERSION,
        tuple({**source.header.as_dict(), "path": source.path} for source in sources),
        len({source.subject_uuid for source in sources}))
    _check(cancelled)
    written = write_package(header, files, target, lambda done, total: progress.step(2, done, total), cancelled)
    copies: list[Path] = []
    try:
        _check(cancelled)
        chain = ChainFacts(chain.commune_code, chain.commune_name, (*chain.known, KnownPackage(
            package_uuid, sequence, written.manifest_sha256, created_at)))
        verification = verify_package(target, chain, lambda done, total: progress.step(3, done, total))
        if not verification.ok:
            raise PackageError("Gói vừa ghi không qua được kiểm tra: " + " ".join(verification.lines()))
        _check(cancelled)
        copy = keep_copy(target, data_folder, written.file_sha256)
        copies += [copy] if copy else []
        _check(cancelled)
        _record(ctx, header, sources, Sent(
            package_uuid, int(commune["code"]), sequence, header.previous_uuid, created_at, FORMAT_VERSION,
            target, written.size, written.file_sha256, written.manifest_sha256), previous)
    except BaseException as error:
        gone = remove_quietly(target)
        for copy in copies:
            remove_quietly(copy)
        if not isinstance(error, DomainError) or (gone and isinstance(error, CancelledError)):
            raise
        raise _undone(error, target, gone) from error
    progress.step(3, 1, 1)
    log.info("exported package %s (%d records) to %s", sequence, len(sources), target)
    return ExportResult(package_uuid, sequence, target, written.size, written.file_sha256, len(sources),
                        sum(1 for s in sources if s.header.supersedes), verification)


def chain_facts(session: Session) -> ChainFacts:
    """This commune's code and name and the packages this database exported, oldest first."""
    chain = _chain(session)
    if chain is None:
        raise PackageError(_NO_SETUP)
    return chain


def verify_against_database(ctx: PackageContext, path: Path, report: Report = no_report) -> Verification:
    """Check a package file, and its place in this commune's sequence when the commune is set up."""
    with ctx.sessions() as session:
        chain = _chain(session)
    return verify_package(Path(path), chain, report)


# --- inside

_NO_SETUP = ("Chưa thiết lập xã (tỉnh, xã, mã xã): hãy vào Tệp → Thiết lập xã… trước khi lập gói hồ sơ "
             "gửi tỉnh.")


class _Progress:
    """One bar over the four steps, each taking its share of _WEIGHTS."""

    def __init__(self, report: Report) -> None:
        self._report = report
        self._total = 1000

    def step(self, index: int, done: int, total: int) -> None:
        before = sum(_WEIGHTS[:index])
        share = done / total if total else 1.0
        self._report(int(self._total * (before + _WEIGHTS[index] * min(share, 1.0)) / sum(_WEIGHTS)),
                     self._total)


def _check(cancelled: Cancelled) -> None:
    if cancelled():
        raise CancelledError("Đã hủy lập gói hồ sơ; không có tệp nào được ghi, không có gì được ghi nhận.")


def _commune(session: Session) -> dict[str, object]:
    profile = session.scalars(select(CommuneProfile)).first()
    if profile is None:
        raise PackageError(_NO_SETUP)
    return {"code": profile.commune_code, "name": profile.commune_name,
            "province_code": profile.province_code, "province_name": profile.province_name}


def _chain(session: Session) -> ChainFacts | None:
    profile = session.scalars(select(CommuneProfile)).first()
    if profile is None:
        return None
    known = tuple(KnownPackage(p.uuid, p.sequence, p.manifest_sha256, p.created_at) for p in session.scalars(
        select(Package).where(Package.commune_code == profile.commune_code).order_by(Package.sequence)))
    return ChainFacts(profile.commune_code, profile.commune_name, known)


def _refuse_unready(ctx: PackageContext, ids: Sequence[int], contents: dict[int, RecordContent],
                    latest: dict) -> None:
    """A PackageError naming every chosen nomination that cannot go, and why."""
    unknown = [str(nid) for nid in ids if nid not in contents]
    if unknown:
        raise PackageError(f"Không tìm thấy đề nghị số {', '.join(unknown)}; có thể đã bị xóa. "
                           "Không lập gói hồ sơ.")
    refused = []
    for nid in ids:
        content = contents[nid]
        if content.action != "propose":
            refused.append(f"{_named(content)}: thuộc thẩm quyền quyết định của xã, không gửi tỉnh")
            continue
        # The documents are built while drawing; one that cannot be is refused there.
        candidate = assess(ctx, content, latest.get(content.nomination_uuid), draw_check=False)
        if not candidate.ready:
            refused.append(f"{_named(content)}: {'; '.join(candidate.reasons)}")
    if refused:
        raise PackageError("Không lập được gói hồ sơ vì có đề nghị chưa sẵn sàng gửi tỉnh — "
                           + " | ".join(refused) + ". Hãy bỏ chọn các đề nghị này hoặc hoàn thiện chúng.")


def _named(content: RecordContent) -> str:
    return f"{content.subject_name} ({award_label(content.award_code)} năm {content.year})"


def _drawn(ctx: PackageContext, sources: Sequence[RecordSource], progress: _Progress,
           cancelled: Cancelled) -> list[PackageFile]:
    """Every record's printed documents and each voting session's minutes once, drawn invariant."""
    wanted: dict[str, tuple[RecordSource, Kind, Owner]] = {}
    for source in sources:
        for kind, owner, path in source.documents:
            wanted.setdefault(path, (source, kind, owner))
    files = []
    for done, (path, (source, kind, owner)) in enumerate(wanted.items()):
        _check(cancelled)
        try:
            data = ctx.printing.pdf(kind, [owner], invariant=True)
        except DomainError as error:
            if isinstance(error, CancelledError):
                raise
            raise PackageError(f"Không in được «{KIND_LABELS[kind]}» của hồ sơ {source.subject_name} "
                               f"({award_label(source.award_code)} năm {source.year}): {error}") from error
        files.append(PackageFile.of_bytes(path, data))
        progress.step(1, done + 1, len(wanted))
    return files


def _audit_excerpt(ctx: PackageContext, sources: Sequence[RecordSource]) -> bytes:
    """nhat-ky.json: every stored field of the audit entries about these records."""
    uuids = {uuid for source in sources for uuid in source.entity_uuids}
    return canonical_json({"entries": [{key: _json_value(value) for key, value in entry.items()}
                                       for entry in ctx.audit.excerpt(uuids)]})


def _json_value(value: object) -> object:
    """A stored audit value as JSON: text, numbers and null as they are, anything else as text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _attachments(sources: Sequence[RecordSource], data_folder: Path) -> list[PackageFile]:
    """The scans, streamed from the data folder; a missing or resized one refused before writing
    (its hash is checked again as it is copied into the package)."""
    files = []
    root = data_folder.resolve()
    for source in sources:
        for packed in source.attachments:
            row = packed.row
            path = stored_file(data_folder, row)
            name = f"Tệp đính kèm «{row.file_name}» của hồ sơ {source.subject_name}"
            try:
                inside = path.resolve().is_relative_to(root)
                size = path.stat().st_size
            except OSError:
                raise PackageError(f"{name} không còn trong thư mục dữ liệu ({row.stored_path}); "
                                   "hãy đính kèm lại rồi lập gói.") from None
            if not inside:
                raise PackageError(f"{name} trỏ ra ngoài thư mục dữ liệu; không đưa vào gói.")
            if size != row.size:
                raise PackageError(f"{name} đã bị thay đổi (dài {size} byte, lúc đính kèm {row.size} byte); "
                                   "hãy đính kèm lại rồi lập gói.")
            files.append(PackageFile(packed.path, row.media_type, row.size, row.sha256, source=path))
    return files


def _rule_sets(sources: Sequence[RecordSource]) -> set[str]:
    found = set()
    for source in sources:
        for check in source.body["checks"]:  # type: ignore[attr-defined]
            found.add(str(check["rule_set"]))
    return found


def _undone(error: DomainError, target: Path, gone: bool) -> DomainError:
    """The error of a package written but not recorded, saying whether its file is gone."""
    if not gone:
        outcome = (f"Không xóa được tệp {target.name} vừa ghi: tệp có thể vẫn còn trên USB; đừng gửi tệp đó "
                   "cho tỉnh.")
        if isinstance(error, CancelledError):
            return CancelledError(f"Đã hủy lập gói hồ sơ; không có gì được ghi nhận. {outcome}")
    else:
        outcome = f"Đã xóa tệp {target.name} vừa ghi; hãy lập gói lại."
    return PackageError(f"{str(error).rstrip()} {outcome}")


def _record(ctx: PackageContext, header: PackageHeader, sources: Sequence[RecordSource], sent: Sent,
            previous: KnownPackage | None) -> None:
    """The package, its records and the audit entry, in one transaction, if nothing changed
    since the package was read: no package recorded meanwhile, every nomination as written."""
    try:
        with ctx.sessions.begin() as session:
            taken = session.scalar(select(Package.sequence).where(Package.commune_code == sent.commune_code)
                                   .order_by(Package.sequence.desc()).limit(1)) or 0
            if taken != (previous.sequence if previous else 0):
                raise PackageError(f"Trong lúc lập gói, gói số {taken} vừa được ghi nhận từ nơi khác; gói này "
                                   "không được ghi nhận.")
            _refuse_changed(session, sources)
            add_package(session, ctx, sent, [Version(
                s.header.uuid, s.nomination_uuid, s.header.version, s.header.supersedes, s.content_sha256,
                s.subject_name, s.award_code, s.year) for s in sources], "export",
                f"Xuất gói hồ sơ số {header.sequence} gửi tỉnh ({len(sources)} đề nghị)")
    except IntegrityError as error:
        raise PackageError("Gói hồ sơ hoặc một phiên bản hồ sơ trong gói vừa được ghi nhận từ nơi khác; "
                           "gói này không được ghi nhận.") from error
    except StorageError as error:
        raise PackageError(f"Không ghi nhận được gói số {sent.sequence} vào dữ liệu: {error}") from error
    except (OSError, SQLAlchemyError) as error:
        detail = getattr(error, "orig", None) or error  # the driver's words, without SQLAlchemy's SQL and links
        raise PackageError(f"Không ghi nhận được gói số {sent.sequence} vào dữ liệu: cơ sở dữ liệu đang bận (một "
                           f"chương trình khác đang ghi) hoặc ổ đĩa gặp lỗi ({detail}). Hãy thử lại sau ít phút."
                           ) from error


def _refuse_changed(session: Session, sources: Sequence[RecordSource]) -> None:
    """Read the nominations again: one edited, moved on or deleted since it was read refuses
    the package (its records and documents would disagree, and it would be "sent" unchanged)."""
    now = read_contents(session, [source.nomination_id for source in sources])
    changed = [source for source in sources if source.nomination_id not in now
               or now[source.nomination_id].content_sha256 != source.content_sha256
               or now[source.nomination_id].state != State.PROPOSED]
    if changed:
        names = ", ".join(f"{s.subject_name} ({award_label(s.award_code)} năm {s.year})" for s in changed)
        raise PackageError(f"Đề nghị {names} đã thay đổi trong lúc lập gói, nên gói không được ghi nhận.")
