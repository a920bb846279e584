"""Acknowledgements (biên nhận) from the province: read, check, plan, show, then apply all or nothing.

An acknowledgement answers for records of one package we exported (format in
docs/package-format.md). Reading refuses anything that is not exactly an acknowledgement of
a package of this commune as we sent it (PackageError, nothing changed). The plan
(app/package/ack_plan.py) sorts each answer into new, already known, or contradicting what
is recorded. `preview_ack` shows the plan without writing: the answers cannot be undone
(the rows are append-only), so the officer sees them first. `import_ack` plans again inside
its transaction; one contradiction refuses the whole file (AckConflictError listing every
one). Otherwise it writes the acknowledgement, its answers, the nominations' steps and the
awards the province granted, with the audit entries.

An acknowledgement is identified by its `ack_uuid` and its content: the SHA-256 of the
canonical JSON of the parsed document. A copy re-saved by e-mail, a chat program or a
portal (other line endings, a byte-order mark, other indentation) is the same
acknowledgement; other content under the same `ack_uuid` is a conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.local_time import VIETNAM_TIME, local_date, stored_now
from app.nomination_steps import StepParts, outcome_in, return_in
from app.package.ack_plan import AckConflictError, Answer, Plan, plan_answers
from app.package.context import PackageContext
from app.package.format import (
    ACK_FORMAT_NAME,
    ACK_FORMAT_VERSION,
    MAX_ACK_SIZE,
    JsonError,
    PackageError,
    canonical_json,
    sha256_hex,
    strict_json,
)
from app.package.status import RecordStatus
from app.roles import Permission, require
from app.vietnamese import clean
from db.models import Nomination, Package, PackageAck, PackageAnswer

__all__ = ["AckConflictError", "AckPreview", "AckResult", "ack_document", "import_ack", "preview_ack"]

RETURN_PREFIX = "Tỉnh trả lại: "


@dataclass(frozen=True)
class AckResult:
    """What an import did; `applied` and `unchanged` are one Vietnamese line per record."""

    ack_uuid: str
    package_sequence: int
    applied: tuple[str, ...]
    unchanged: tuple[str, ...]
    already_imported: bool


@dataclass(frozen=True)
class _Document:
    """An acknowledgement that passed the schema, its values typed."""

    ack_uuid: str
    package_uuid: str
    commune_code: int
    issued_at: str
    issued: datetime
    issuer: str
    package_sha256: str
    manifest_sha256: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class AckPreview:
    """What importing an acknowledgement would do; the lines are one Vietnamese line per
    record. `sha256` identifies the content shown: pass it to import_ack as expected_sha256."""

    ack_uuid: str
    sha256: str  # of the canonical JSON of the document
    package_sequence: int
    issuer: str
    issued_at: str  # as in the file: "2026-11-24T17:42:21+07:00"
    applies: tuple[str, ...]
    unchanged: tuple[str, ...]
    conflicts: tuple[str, ...]  # any one refuses the whole acknowledgement
    already_imported: bool


@dataclass(frozen=True)
class _Read:
    document: _Document
    sha256: str  # content: canonical JSON of the parsed document
    file_sha256: str  # the bytes as received, for the audit entry
    name: str


@dataclass(frozen=True)
class _Planned:
    package: Package
    already_imported: bool
    plan: Plan
    conflicts: tuple[str, ...]


def preview_ack(ctx: PackageContext, path: Path) -> AckPreview:
    """What `path` would change, read only (anyone signed in may look). A file that is not an
    acknowledgement of a package we sent raises PackageError; conflicts are listed."""
    read = _read_ack(ctx, path)
    with ctx.sessions() as session:
        planned = _planned(session, read, local_date(ctx.clock))
        sequence = planned.package.sequence
    items = planned.plan.items
    return AckPreview(read.document.ack_uuid, read.sha256, sequence, read.document.issuer,
                      read.document.issued_at, tuple(item.line for item in items if not item.unchanged),
                      tuple(item.line for item in items if item.unchanged), planned.conflicts,
                      planned.already_imported)


def import_ack(ctx: PackageContext, path: Path, expected_sha256: str | None = None) -> AckResult:
    """Apply the acknowledgement in `path`; the same acknowledgement again changes nothing.
    With `expected_sha256` (AckPreview.sha256), refused if the content is no longer the one
    the officer saw."""
    require(ctx.actor, Permission.RUN_EMULATION)
    read = _read_ack(ctx, path)
    if expected_sha256 is not None and expected_sha256 != read.sha256:
        raise PackageError(f"Tệp biên nhận «{read.name}» đã thay đổi sau khi xem trước; không nhập. "
                           "Hãy mở lại tệp để xem biên nhận sẽ thay đổi những gì.")
    with ctx.sessions.begin() as session:
        planned = _planned(session, read, local_date(ctx.clock))
        package, plan = planned.package, planned.plan
        if planned.already_imported:
            return AckResult(read.document.ack_uuid, package.sequence, (), (), True)
        if planned.conflicts:
            raise AckConflictError(planned.conflicts)
        _apply(ctx, session, package, read, plan)
        return AckResult(read.document.ack_uuid, package.sequence,
                         tuple(item.line for item in plan.items if not item.unchanged),
                         tuple(item.line for item in plan.items if item.unchanged), False)


def _read_ack(ctx: PackageContext, path: Path) -> _Read:
    """The file read and checked as far as it can be without the packages."""
    data = _read(path)
    value = _parsed(data, path.name)
    document = _document(value, path.name)
    setup = ctx.commune.get()
    if setup is not None and document.commune_code != setup.commune_code:
        raise PackageError(f"Biên nhận «{path.name}» dành cho xã mã {document.commune_code}, "
                           f"không phải xã này (mã {setup.commune_code}); không nhập.")
    return _Read(document, sha256_hex(canonical_json(value)), sha256_hex(data), path.name)


def _planned(session: Session, read: _Read, today: date) -> _Planned:
    """The acknowledgement against what is recorded: already imported, or the plan."""
    document = read.document
    package = _package(session, document, read.name, today)
    known = session.scalar(select(PackageAck).where(PackageAck.uuid == document.ack_uuid))
    if known is not None:
        if known.sha256 == read.sha256:
            return _Planned(package, True, Plan((), ()), ())
        return _Planned(package, False, Plan((), ()), (
            f"Biên nhận mã {document.ack_uuid} đã được nhập ngày "
            f"{known.imported_at.replace(tzinfo=UTC).astimezone(VIETNAM_TIME):%d/%m/%Y} "
            f"với nội dung khác tệp «{read.name}»; một biên nhận không được sửa sau khi đã gửi.",))
    plan = plan_answers(session, package, document.answers, today)
    return _Planned(package, False, plan, plan.conflicts)


def ack_document(manifest: Mapping, answers: Mapping[str, Mapping], *, ack_uuid: str, issued_at: str,
                 issuer: str, package_sha256: str, manifest_sha256: str | None = None) -> dict:
    """A valid acknowledgement of the package whose manifest is `manifest` (the province's
    side: tests, the format's example). `answers` maps record UUIDs to {"status", "reason"?,
    "decision"?: {"number", "date", "issuer"}}; the records follow the manifest's order.
    The package's hash is the .zip file's; the manifest's defaults to its canonical bytes."""
    order = {record["uuid"]: index for index, record in enumerate(manifest["records"])}
    unknown = sorted(set(answers) - set(order))
    if unknown:
        raise ValueError(f"records not in the package: {', '.join(unknown)}")
    records = []
    for record_uuid in sorted(answers, key=order.__getitem__):
        answer = answers[record_uuid]
        item: dict[str, object] = {"record_uuid": record_uuid, "status": answer["status"]}
        if answer.get("reason"):
            item["reason"] = answer["reason"]
        decision = answer.get("decision")
        if decision:
            decided = decision["date"]
            item["decision"] = {"number": decision["number"], "issuer": decision["issuer"],
                                "date": decided.isoformat() if isinstance(decided, date) else decided}
        records.append(item)
    return {
        "format": ACK_FORMAT_NAME, "format_version": ACK_FORMAT_VERSION, "ack_uuid": ack_uuid,
        "package_uuid": manifest["package_uuid"], "commune_code": manifest["commune"]["code"],
        "issued_at": issued_at, "issuer": issuer,
        "received": {"package_sha256": package_sha256,
                     "manifest_sha256": manifest_sha256 or sha256_hex(canonical_json(manifest))},
        "records": records,
    }


# --- reading: bytes → JSON → a typed document


def _read(path: Path) -> bytes:
    """At most MAX_ACK_SIZE bytes; a bigger file is not an acknowledgement."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_ACK_SIZE + 1)
    except FileNotFoundError:
        raise PackageError(f"Không tìm thấy tệp biên nhận «{path}».") from None
    except OSError as error:
        raise PackageError(f"Không đọc được tệp biên nhận «{path.name}» ({error.strerror or error}).") from None
    if len(data) > MAX_ACK_SIZE:
        raise PackageError(f"Tệp «{path.name}» lớn hơn {_size_text(MAX_ACK_SIZE)}: biên nhận của tỉnh là "
                           "một tệp JSON nhỏ, tệp này không phải biên nhận; không nhập.")
    return data


def _parsed(data: bytes, name: str) -> object:
    """Strict JSON; a byte-order mark is allowed (editors on Windows add one)."""
    try:
        return strict_json(data, f"Tệp «{name}»", bom=True)
    except JsonError as error:
        advice = {"encoding": "; biên nhận là một tệp JSON mã UTF-8. Không nhập.",
                  "depth": ", không phải biên nhận; không nhập."}.get(error.kind, "; không nhập.")
        raise PackageError(f"{error}{advice}") from None


def _document(value: object, name: str) -> _Document:
    """Format and version first (the most useful reason), then the schema, then the values."""
    from app.package.schemas import schema_problems
    if not isinstance(value, dict):
        raise PackageError(f"Tệp «{name}» không phải biên nhận gói hồ sơ: cần một đối tượng JSON; không nhập.")
    if value.get("format") != ACK_FORMAT_NAME:
        raise PackageError(f"Tệp «{name}» không phải biên nhận gói hồ sơ (format «{value.get('format')}», "
                           f"cần «{ACK_FORMAT_NAME}»); không nhập.")
    version, major = value.get("format_version"), ACK_FORMAT_VERSION.split(".")[0]
    if not isinstance(version, str) or version.split(".")[0] != major:
        raise PackageError(f"Biên nhận «{name}» theo định dạng phiên bản «{version}»; phần mềm này đọc "
                           f"phiên bản {major}.x. Hãy cập nhật phần mềm hoặc đề nghị tỉnh gửi lại; không nhập.")
    problems = schema_problems("acknowledgement", value, name)
    if problems:
        raise PackageError(f"Biên nhận «{name}» sai cấu trúc, không nhập:\n" + "\n".join(problems))
    try:
        issued = datetime.fromisoformat(value["issued_at"])
    except ValueError:
        issued = None
    if issued is None or issued.tzinfo is None:
        raise PackageError(f"Biên nhận «{name}»: ngày giờ cấp «{value['issued_at']}» không đúng dạng "
                           "2026-11-24T17:42:21+07:00; không nhập.")
    answers = []
    for index, item in enumerate(value["records"]):
        decision = item.get("decision") or {}
        try:
            decided_on = date.fromisoformat(decision["date"]) if decision else None
        except ValueError:
            raise PackageError(f"Biên nhận «{name}», records[{index}].decision.date: ngày «{decision['date']}» "
                               "không có thật; không nhập.") from None
        answers.append(Answer(item["record_uuid"], RecordStatus(item["status"]), clean(item.get("reason")),
                              clean(decision.get("number")), decided_on, clean(decision.get("issuer"))))
    # The schema allows lower-case UUIDs and hashes only: compared as they are.
    return _Document(value["ack_uuid"], value["package_uuid"], value["commune_code"], value["issued_at"], issued,
                     clean(value["issuer"]), value["received"]["package_sha256"],
                     value["received"]["manifest_sha256"], tuple(answers))


def _package(session: Session, document: _Document, name: str, today: date) -> Package:
    """The package answered for, as we exported it."""
    package = session.scalar(select(Package).where(Package.uuid == document.package_uuid))
    if package is None:
        raise PackageError(f"Biên nhận cho gói {document.package_uuid} không có trong dữ liệu của xã này; "
                           "không nhập.")
    if package.commune_code != document.commune_code:
        raise PackageError(f"Biên nhận «{name}» ghi xã mã {document.commune_code}, nhưng gói số "
                           f"{package.sequence} là của xã mã {package.commune_code}; không nhập.")
    if (document.package_sha256, document.manifest_sha256) != (package.file_sha256, package.manifest_sha256):
        which = [what for what, theirs, ours in (
            ("tệp gói", document.package_sha256, package.file_sha256),
            ("manifest.json", document.manifest_sha256, package.manifest_sha256)) if theirs != ours]
        raise PackageError(f"Tỉnh nhận được gói khác với gói đã gửi: mã băm {' và '.join(which)} trong biên "
                           f"nhận không khớp gói số {package.sequence} xã đã xuất; không nhập. Hãy gửi lại gói.")
    issued_on = document.issued.astimezone(VIETNAM_TIME).date()
    if issued_on > today:
        raise PackageError(f"Biên nhận «{name}» ghi ngày cấp {issued_on:%d/%m/%Y}, ngày chưa đến; không nhập.")
    if document.issued < datetime.fromisoformat(package.created_at):
        raise PackageError(f"Biên nhận «{name}» ghi giờ cấp {_shown(document.issued)}, trước khi xuất gói số "
                           f"{package.sequence} ({_shown(datetime.fromisoformat(package.created_at))}); "
                           "không nhập.")
    return package


# --- applying the plan


def _apply(ctx: PackageContext, session: Session, package: Package, read: _Read, plan: Plan) -> None:
    document, name = read.document, read.name
    at = stored_now(ctx.clock)
    ack = PackageAck(uuid=document.ack_uuid, package_id=package.id, sha256=read.sha256,
                     issued_at=document.issued_at, issuer=document.issuer, file_name=name[:255],
                     imported_at=at, imported_by=ctx.actor.username)
    session.add(ack)
    session.flush()
    parts = StepParts(ctx.actor, ctx.audit, ctx.history, at, local_date(ctx.clock))
    issued_on = document.issued.astimezone(VIETNAM_TIME).date()
    nominations = {n.uuid: n for n in session.scalars(select(Nomination).where(Nomination.uuid.in_(
        [item.nomination_uuid for item in plan.items if item.transition])))}
    for item in plan.items:
        answer = item.answer
        if item.write_row:
            session.add(PackageAnswer(record_id=item.record_id, ack_id=ack.id, status=answer.status,
                                      reason=answer.reason, decision_number=answer.number,
                                      decision_date=answer.decided_on, decision_issuer=answer.issuer))
        if not item.transition:
            continue
        nomination = nominations[item.nomination_uuid]
        if answer.status is RecordStatus.RETURNED:
            return_in(parts, session, nomination, RETURN_PREFIX + answer.reason, issued_on)
        elif answer.status is RecordStatus.APPROVED:
            outcome_in(parts, session, nomination, True, answer.number, answer.decided_on, answer.issuer)
        else:
            outcome_in(parts, session, nomination, False, answer.number, answer.decided_on, answer.issuer,
                       answer.reason, on=answer.decided_on or issued_on)
    applied = sum(1 for item in plan.items if not item.unchanged)
    ctx.audit.record(
        session, ctx.actor, "acknowledge", "package", package.uuid,
        f"Nhập biên nhận gói số {package.sequence} của {document.issuer}: {applied} hồ sơ cập nhật, "
        f"{len(plan.items) - applied} không đổi"[:300],
        new={"ack_uuid": document.ack_uuid, "sha256": read.sha256, "file_sha256": read.file_sha256,
             "issued_at": document.issued_at,
             "issuer": document.issuer, "file_name": name,
             "answers": {item.answer.record_uuid: item.answer.status.value for item in plan.items}})
    session.flush()


def _shown(moment: datetime) -> str:
    return f"{moment.astimezone(VIETNAM_TIME):%H:%M %d/%m/%Y}"


def _size_text(size: int) -> str:
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"
