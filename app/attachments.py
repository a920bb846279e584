"""Files kept with a record (scanned decisions, photos): copied into the data folder, hashed.

Only PDF, JPG and PNG are accepted, recognised by their first bytes, not by their names,
and none larger than 20 MB (refused before anything is copied).
Each file is copied to `<data>/attachments/<uuid>.<ext>` through a .part file and read back;
its size and SHA-256 are stored, so `verify` and the data check find a file that was
changed or lost on disk.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import AuditTrail
from app.errors import DomainError, FileFormatError, FileWriteError, NotFoundError, ValidationError
from app.roles import Actor, Permission, require
from app.vietnamese import clean
from app.safe_files import atomic_path, ensure_free_space, file_sha256
from db.models import Attachment, new_uuid

log = logging.getLogger(__name__)

Report = Callable[[int, int], None]
Clock = Callable[[], datetime]

FOLDER = "attachments"
CHUNK = 1024 * 1024
MAX_SIZE = 20 * 1024 * 1024  # a scanned dossier page set; larger files are refused
# (magic bytes, media type, extension); the name the officer gave the file is not trusted.
_SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


def _noop(_done: int, _total: int) -> None:
    pass


Guard = Callable[[Session], None]


def _no_guard(_session: Session) -> None:
    pass


class AttachmentChangedError(DomainError):
    """An attachment's file is missing or no longer matches what was stored."""


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    uuid: str
    owner_uuid: str
    file_name: str
    stored_path: str  # relative to the data folder, with forward slashes
    media_type: str
    size: int
    sha256: str
    added_at: datetime
    added_by: int | None
    dossier_part: str = ""  # the dossier part code the file stands for (app/eligibility/dossier.py)

    @classmethod
    def of(cls, attachment: Attachment) -> AttachmentRow:
        return cls(attachment.id, attachment.uuid, attachment.owner_uuid, attachment.file_name,
                   attachment.stored_path, attachment.media_type, attachment.size,
                   attachment.sha256, attachment.added_at, attachment.added_by,
                   attachment.dossier_part)


@dataclass(frozen=True)
class AttachmentProblem:
    attachment: AttachmentRow
    message: str

    def __str__(self) -> str:
        return self.message


def size_text(size: int) -> str:
    """A file size as an officer reads it: '20 MB', '512 KB' (decimal comma)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


def media_type_of(header: bytes) -> tuple[str, str] | None:
    """(media type, extension) of a file starting with `header`, or None when not accepted."""
    for magic, media_type, extension in _SIGNATURES:
        if header.startswith(magic):
            return media_type, extension
    return None


class AttachmentStore:
    """The attachments of one database, in its data folder, on behalf of one user.

    `permission` is what adding and removing need: editing the register for a subject's
    files, running the emulation work for a nomination's dossier.
    """

    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 data_folder: Path, clock: Clock = datetime.now,
                 permission: Permission = Permission.EDIT_REGISTER) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._data = Path(data_folder)
        self._clock = clock
        self._permission = permission

    @property
    def data_folder(self) -> Path:
        return self._data

    def add(self, owner_uuid: str, source: Path, report: Report = _noop,
            dossier_part: str = "", guard: Guard = _no_guard) -> AttachmentRow:
        """Copy `source` into the data folder and record it for the record `owner_uuid`;
        `dossier_part` names the dossier part it stands for ("" when none). `guard(session)`
        runs first in the transaction that writes the row: the owner's own rule (a nomination
        still open), checked where a change made during the copy is seen."""
        require(self._actor, self._permission)
        source = Path(source)
        media_type, extension = _accepted_type(source)
        _check_size(source)
        folder = self._data / FOLDER
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise FileWriteError(f"Không tạo được thư mục {folder} ({error.strerror}).") from error
        size = source.stat().st_size
        ensure_free_space(folder, size)
        attachment_uuid = new_uuid()
        stored = PurePosixPath(FOLDER, f"{attachment_uuid}{extension}")
        target = self._data / stored
        with atomic_path(target) as partial:
            digest = _copy_hashing(source, partial, size, report)
            if file_sha256(partial) != digest:  # read back: a failing disk or stick says so here
                raise FileWriteError(f"Tệp chép vào {folder} đọc lại không khớp với tệp gốc.")
        try:
            with self._sessions.begin() as session:
                guard(session)
                attachment = Attachment(
                    uuid=attachment_uuid, owner_uuid=owner_uuid, file_name=source.name,
                    stored_path=str(stored), media_type=media_type, size=size, sha256=digest,
                    added_at=self._clock(), added_by=self._actor.user_id,
                    dossier_part=dossier_part,
                )
                session.add(attachment)
                session.flush()
                self._audit.record(
                    session, self._actor, "create", "attachment", attachment_uuid,
                    f"Đính kèm tệp «{source.name}»"[:300],
                    new={"owner_uuid": owner_uuid, "file_name": source.name, "size": size,
                         "sha256": digest, "media_type": media_type, "dossier_part": dossier_part},
                )
                return AttachmentRow.of(attachment)
        except BaseException:
            target.unlink(missing_ok=True)  # no row points at it
            raise

    def rows(self, owner_uuid: str) -> list[AttachmentRow]:
        with self._sessions() as session:
            found = session.scalars(select(Attachment).where(Attachment.owner_uuid == owner_uuid)
                                    .order_by(Attachment.added_at, Attachment.id))
            return [AttachmentRow.of(attachment) for attachment in found]

    def row(self, attachment_id: int) -> AttachmentRow:
        with self._sessions() as session:
            attachment = session.get(Attachment, attachment_id)
            if attachment is None:
                raise NotFoundError("Không tìm thấy tệp đính kèm này; có thể nó đã bị xóa.")
            return AttachmentRow.of(attachment)

    def remove(self, attachment_id: int, reason: str, guard: Guard = _no_guard) -> AttachmentRow:
        """Delete the record (the reason kept in the audit trail), then its stored file: a
        file is never deleted while a row still points at it. `guard` as for `add`."""
        require(self._actor, self._permission)
        reason = clean(reason)
        if not reason:
            raise ValidationError("Hãy ghi lý do xóa tệp đính kèm.", "reason")
        with self._sessions.begin() as session:
            guard(session)
            attachment = session.get(Attachment, attachment_id)
            if attachment is None:
                raise NotFoundError("Không tìm thấy tệp đính kèm này; có thể nó đã bị xóa.")
            row = AttachmentRow.of(attachment)
            self._audit.record(
                session, self._actor, "delete", "attachment", row.uuid,
                f"Xóa tệp đính kèm «{row.file_name}»"[:300],
                old={"owner_uuid": row.owner_uuid, "file_name": row.file_name, "size": row.size,
                     "sha256": row.sha256, "dossier_part": row.dossier_part},
                reason=reason)
            session.delete(attachment)
        path = stored_file(self._data, row)
        if path.resolve().is_relative_to((self._data / FOLDER).resolve()):
            try:
                path.unlink(missing_ok=True)
            except OSError as error:  # the row is gone; the data check lists nothing for it
                log.warning("Could not delete %s after its row was removed: %s", path, error)
        return row

    def verify(self, attachment: AttachmentRow, report: Report = _noop) -> AttachmentProblem | None:
        """Recheck the stored file's size and SHA-256; None when it is as it was added."""
        return verify_attachment(self._data, attachment, report)

    def open(self, attachment: AttachmentRow) -> Path:
        """The stored file's path, after checking that it is still the file that was added."""
        problem = self.verify(attachment)
        if problem is not None:
            raise AttachmentChangedError(problem.message)
        return stored_file(self._data, attachment)


def _accepted_type(source: Path) -> tuple[str, str]:
    try:
        with open(source, "rb") as reader:
            header = reader.read(16)
    except OSError as error:
        raise FileFormatError(f"Không đọc được tệp {source.name} ({error.strerror}).") from error
    accepted = media_type_of(header)
    if accepted is None:
        raise FileFormatError(
            f"Tệp {source.name} không phải PDF, JPG hoặc PNG. Chỉ đính kèm được văn bản PDF và "
            "ảnh JPG, PNG; hãy quét hoặc lưu tài liệu thành một trong các dạng đó."
        )
    return accepted


def _check_size(source: Path) -> None:
    try:
        size = source.stat().st_size
    except OSError as error:
        raise FileFormatError(f"Không đọc được tệp {source.name} ({error.strerror}).") from error
    if size > MAX_SIZE:
        written, limit = size_text(size), size_text(MAX_SIZE)
        if written == limit:  # just over the limit: the rounded size would read as equal
            written = f"{size:,} byte".replace(",", ".")
        raise FileFormatError(
            f"Tệp {source.name} dài {written}, lớn hơn giới hạn {limit} cho một "
            "tệp đính kèm. Hãy quét lại với độ phân giải thấp hơn (150–200 dpi) hoặc chia thành "
            "nhiều tệp.")


def _copy_hashing(source: Path, target: Path, total: int, report: Report) -> str:
    digest = hashlib.sha256()
    done = 0
    with open(source, "rb") as reader, open(target, "wb") as writer:
        while chunk := reader.read(CHUNK):
            writer.write(chunk)
            digest.update(chunk)
            done += len(chunk)
            report(done, total)
    return digest.hexdigest()




def stored_file(data_folder: Path, attachment: AttachmentRow) -> Path:
    return Path(data_folder) / PurePosixPath(attachment.stored_path)


def verify_attachment(data_folder: Path, attachment: AttachmentRow,
                      report: Report = _noop) -> AttachmentProblem | None:
    """Whether the stored file is missing, outside the data folder, resized or changed."""
    name = f"Tệp đính kèm «{attachment.file_name}» ({attachment.stored_path})"
    path = stored_file(data_folder, attachment)
    if not path.resolve().is_relative_to(Path(data_folder).resolve()):
        return AttachmentProblem(attachment, f"{name} trỏ ra ngoài thư mục dữ liệu; không mở tệp này.")
    try:
        size = path.stat().st_size
        if size != attachment.size:
            return AttachmentProblem(
                attachment, f"{name} đã bị thay đổi: dài {size} byte, lúc đính kèm {attachment.size} byte.")
        if file_sha256(path, report) != attachment.sha256:
            return AttachmentProblem(
                attachment, f"{name} đã bị thay đổi: nội dung không khớp mã kiểm tra SHA-256 lúc đính kèm.")
    except FileNotFoundError:
        return AttachmentProblem(attachment, f"{name} không còn trong thư mục dữ liệu.")
    except OSError as error:
        return AttachmentProblem(attachment, f"{name} không đọc được ({error.strerror}).")
    return None


def check_attachments(sessions: sessionmaker[Session], data_folder: Path,
                      report: Report = _noop) -> list[AttachmentProblem]:
    """Every attachment row against its file; `report(done, total)` counts files."""
    with sessions() as session:
        rows = [AttachmentRow.of(a) for a in session.scalars(select(Attachment).order_by(Attachment.id))]
    total = len(rows)
    problems = []
    for done, attachment in enumerate(rows):
        report(done, total)
        problem = verify_attachment(data_folder, attachment)
        if problem is not None:
            problems.append(problem)
    report(total, total)
    return problems
