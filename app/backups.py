"""Backups of the live database: made, verified, named, mirrored and thinned.

A backup is made with SQLite's backup API from a read-only connection (never a copy of the
live file, which may be mid-write in WAL mode), written to `<name>.part`, checked with
`PRAGMA integrity_check` and for being a TĐKT Xã database at a schema this app knows,
flushed to disk and only then renamed to `tdkt-xa-YYYY-MM-DD_HHMMSS.sqlite`. Older backups
are thinned only after that rename. Files whose names are not ours are never touched.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from app.backup_policy import ThinningPolicy, kept_indices
from app.errors import DomainError, FileWriteError
from app.roles import Actor, Permission, require
from app.safe_files import PART_SUFFIX, ensure_free_space, fsync_file, fsync_folder
from db.integrity import DatabaseDamagedError, DatabaseOpenError, check_file

log = logging.getLogger(__name__)

Report = Callable[[int, int], None]
Clock = Callable[[], datetime]

BACKUP_PREFIX = "tdkt-xa-"
STAMP_FORMAT = "%Y-%m-%d_%H%M%S"
BEFORE_RESTORE_PREFIX = "tdkt-xa.truoc-khoi-phuc-"
PAGES_PER_STEP = 256
COPY_CHUNK = 1024 * 1024
STALE_PART_AGE = timedelta(hours=1)  # a .part this old was left by a crash, not a running backup

_REGULAR = re.compile(r"^tdkt-xa-(\d{4}-\d{2}-\d{2}_\d{6})(?:-\d+)?\.sqlite$")
_BEFORE_RESTORE = re.compile(r"^tdkt-xa\.truoc-khoi-phuc-(\d{4}-\d{2}-\d{2}_\d{6})(?:-\d+)?\.sqlite$")
_BEFORE_UPGRADE = re.compile(r"^.+-truoc-nang-cap-(\d{8}-\d{6})\.sqlite$")  # db/migrate.backup_to


def _noop(_done: int, _total: int) -> None:
    pass


class BackupError(DomainError):
    """A backup could not be made, or a backup file cannot be used; the message says why."""


class BackupDamagedError(BackupError):
    pass


class BackupTooNewError(BackupError):
    pass


class BackupForeignError(BackupError):
    pass


class BackupKind(StrEnum):
    REGULAR = "regular"                # automatic or on request
    BEFORE_RESTORE = "before_restore"  # the database as it was before a restore
    BEFORE_UPGRADE = "before_upgrade"  # the database as it was before a schema upgrade


KIND_LABELS = {
    BackupKind.REGULAR: "Sao lưu",
    BackupKind.BEFORE_RESTORE: "Trước khi khôi phục",
    BackupKind.BEFORE_UPGRADE: "Trước khi nâng cấp",
}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    size: int
    kind: BackupKind = BackupKind.REGULAR
    verified: bool | None = None  # None: not checked; False: checked and unusable


@dataclass(frozen=True)
class BackupFolders:
    """Where backups go: the main folder and an optional second one (USB stick, other disk)."""

    backups: Path
    mirror: Path | None = None


@dataclass(frozen=True)
class BackupResult:
    backup: BackupInfo
    removed: tuple[Path, ...] = ()
    mirror_path: Path | None = None
    mirror_removed: tuple[Path, ...] = ()
    mirror_error: str | None = None  # the mirror is optional: its failure is reported here

    def summary(self) -> str:
        """One Vietnamese sentence (two when the mirror failed) for a status bar or the CLI."""
        text = f"Đã sao lưu vào {self.backup.path}."
        if self.mirror_path is not None:
            text += f" Bản sao thứ hai: {self.mirror_path}."
        if self.mirror_error is not None:
            text += f" {self.mirror_error}"
        return text


def backup_name(taken_at: datetime) -> str:
    return f"{BACKUP_PREFIX}{taken_at.strftime(STAMP_FORMAT)}.sqlite"


def parse_backup_name(name: str) -> tuple[BackupKind, datetime] | None:
    """The kind and time of a backup file this app wrote, or None for any other file."""
    for kind, pattern, stamp_format in (
        (BackupKind.REGULAR, _REGULAR, STAMP_FORMAT),
        (BackupKind.BEFORE_RESTORE, _BEFORE_RESTORE, STAMP_FORMAT),
        (BackupKind.BEFORE_UPGRADE, _BEFORE_UPGRADE, "%Y%m%d-%H%M%S"),
    ):
        match = pattern.match(name)
        if match:
            try:
                return kind, datetime.strptime(match.group(1), stamp_format)
            except ValueError:
                return None
    return None


def list_backups(folder: Path, verify: bool = False, report: Report = _noop) -> list[BackupInfo]:
    """The backups in `folder`, newest first; with `verify`, each is fully checked (slow)."""
    found: list[BackupInfo] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return []
    for path in entries:
        parsed = parse_backup_name(path.name)
        if parsed is None or not path.is_file():
            continue
        kind, taken_at = parsed
        found.append(BackupInfo(path, taken_at, path.stat().st_size, kind))
    found.sort(key=lambda info: (info.taken_at, info.path.name), reverse=True)
    if not verify:
        return found
    checked = []
    for done, info in enumerate(found):
        report(done, len(found))
        checked.append(_with_verified(info, is_valid_backup(info.path)))
    report(len(found), len(found))
    return checked


def _with_verified(info: BackupInfo, verified: bool) -> BackupInfo:
    return BackupInfo(info.path, info.taken_at, info.size, info.kind, verified)


def is_valid_backup(path: Path) -> bool:
    try:
        verify_database_file(path)
    except BackupError:
        return False
    return True


def verify_database_file(path: Path) -> str:
    """Fully check a database file: sound, a TĐKT Xã database, at a schema this app knows.

    Returns its schema revision; raises BackupDamagedError, BackupForeignError or
    BackupTooNewError with a Vietnamese message. Reads only.
    """
    path = Path(path)
    try:
        revision = check_file(path, full=True)
    except DatabaseDamagedError as error:
        raise BackupDamagedError(
            f"Tệp {path.name} bị hỏng, không dùng được ({_detail(error)})."
        ) from error
    except DatabaseOpenError as error:
        raise BackupForeignError(
            f"Tệp {path.name} không phải cơ sở dữ liệu của TĐKT Xã hoặc không đọc được."
        ) from error
    if revision is None:
        raise BackupForeignError(f"Tệp {path.name} trống hoặc không phải cơ sở dữ liệu của TĐKT Xã.")
    if not is_known_revision(revision):
        raise BackupTooNewError(
            f"Tệp {path.name} được tạo bởi phiên bản TĐKT Xã mới hơn phiên bản đang chạy. "
            "Hãy cài phiên bản mới hơn rồi dùng lại tệp này."
        )
    return revision


def _detail(error: Exception) -> str:
    text = str(error)
    start, end = text.find("("), text.rfind(")")
    return text[start + 1:end] if 0 <= start < end else text


def is_known_revision(revision: str) -> bool:
    """Whether this app's migrations know `revision` (an unknown one comes from a newer app)."""
    from db.migrate import SCHEMA_HEAD, alembic_config

    if revision == SCHEMA_HEAD:
        return True
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return any(known.revision == revision for known in script.walk_revisions())


def write_checked_copy(source: Path, partial: Path, report: Report = _noop) -> str:
    """Copy database `source` into the new file `partial` with the backup API, switch the copy
    out of WAL mode (one self-contained file), verify and fsync it. Returns its revision.

    On any failure `partial` is removed. The caller renames it into place with `publish`.
    """
    partial.unlink(missing_ok=True)
    try:
        _copy_pages(source, partial, report)
        revision = verify_database_file(partial)
        fsync_file(partial)
        return revision
    except BaseException:
        partial.unlink(missing_ok=True)
        Path(f"{partial}-journal").unlink(missing_ok=True)
        raise


def _copy_pages(source: Path, partial: Path, report: Report) -> None:
    try:
        reader = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"Không đọc được cơ sở dữ liệu {source}: {error}") from error
    try:
        writer = sqlite3.connect(partial)
        try:
            reader.backup(writer, pages=PAGES_PER_STEP,
                          progress=lambda _status, left, total: report(total - left, total))
            writer.execute("PRAGMA journal_mode=DELETE")
        finally:
            writer.close()
    except sqlite3.DatabaseError as error:
        raise BackupDamagedError(
            f"Không sao chép được cơ sở dữ liệu {source.name}: {error}. Hãy chạy «Kiểm tra dữ liệu»."
        ) from error
    except OSError as error:
        raise FileWriteError(f"Không ghi được tệp {partial.name}: {error.strerror}.") from error
    finally:
        reader.close()


def publish(partial: Path, target: Path) -> None:
    """Rename a verified, fsynced `partial` to `target` and make the rename durable."""
    partial.replace(target)
    fsync_folder(target.parent)


def mirror_file(source: Path, folder: Path, report: Report = _noop) -> Path:
    """Copy `source` into the existing `folder` through a .part file, fsync it, read it back,
    compare SHA-256 with the source, then rename. Raises BackupError when anything fails."""
    if not folder.is_dir():
        raise BackupError(
            f"Không thấy thư mục sao lưu thứ hai {folder} (USB chưa cắm hoặc ổ đĩa chưa mở?). "
            "Bản sao lưu chính vẫn được lưu bình thường."
        )
    target = folder / source.name
    partial = target.with_name(target.name + PART_SUFFIX)
    try:
        ensure_free_space(folder, source.stat().st_size)
        total = source.stat().st_size
        written = hashlib.sha256()
        with open(source, "rb") as reader, open(partial, "wb") as writer:
            done = 0
            while chunk := reader.read(COPY_CHUNK):
                writer.write(chunk)
                written.update(chunk)
                done += len(chunk)
                report(done, total)
        fsync_file(partial)
        if file_sha256(partial) != written.hexdigest():
            raise BackupError(
                f"Bản sao ở {folder} đọc lại không khớp với bản gốc (ổ đĩa hoặc USB có thể bị lỗi)."
            )
        publish(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Không chép được bản sao lưu sang {folder}: {error.strerror}.") from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def file_sha256(path: Path, report: Report = _noop) -> str:
    digest = hashlib.sha256()
    total, done = path.stat().st_size, 0
    with open(path, "rb") as reader:
        while chunk := reader.read(COPY_CHUNK):
            digest.update(chunk)
            done += len(chunk)
            report(done, total)
    return digest.hexdigest()


def thin_folder(folder: Path, now: datetime, policy: ThinningPolicy = ThinningPolicy(),
                newest: Path | None = None) -> tuple[Path, ...]:
    """Delete the regular backups in `folder` that no slot of `policy` keeps; returns them.

    `newest` (the backup just verified) is never deleted, whatever its name says.
    """
    regular = [info for info in list_backups(folder) if info.kind is BackupKind.REGULAR]
    kept = kept_indices([info.taken_at for info in regular], now, policy)
    removed = []
    for index, info in enumerate(regular):
        if index in kept or info.path == newest:
            continue
        try:
            info.path.unlink()
        except OSError as error:  # open elsewhere (Windows): it goes at the next thinning
            log.warning("could not remove old backup %s: %s", info.path, error)
            continue
        removed.append(info.path)
    return tuple(removed)


class BackupService:
    """Backs up one database into a folder (and optionally a mirror folder) for an actor.

    Automatic backups run under the signed-in user too; an actor without
    `Permission.BACKUP` gets PermissionDeniedError.
    """

    def __init__(self, actor: Actor, database: Path, folder: Path, mirror: Path | None = None,
                 policy: ThinningPolicy = ThinningPolicy(), clock: Clock = datetime.now) -> None:
        self.actor = actor
        self.database = Path(database)
        self.folder = Path(folder)
        self.mirror = Path(mirror) if mirror else None
        self.policy = policy
        self._clock = clock

    @property
    def folders(self) -> BackupFolders:
        return BackupFolders(self.folder, self.mirror)

    def with_folders(self, folders: BackupFolders) -> BackupService:
        """The same service writing to other folders (the officer chose new ones)."""
        return BackupService(self.actor, self.database, folders.backups, folders.mirror,
                             self.policy, self._clock)

    def back_up(self, report: Report = _noop) -> BackupResult:
        """Make, verify and publish a backup, then thin; a mirror failure is only reported."""
        require(self.actor, Permission.BACKUP)
        now = self._clock()
        self._prepare_folder()
        target = _free_name(self.folder, now)
        partial = target.with_name(target.name + PART_SUFFIX)
        report(0, 100)
        write_checked_copy(self.database, partial, _scaled(report, 0, 70))
        try:
            publish(partial, target)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise FileWriteError(f"Không ghi được bản sao lưu {target}: {error.strerror}.") from error
        log.info("backup written to %s", target)
        info = BackupInfo(target, now, target.stat().st_size, BackupKind.REGULAR, True)
        removed = thin_folder(self.folder, now, self.policy, newest=target)
        result = BackupResult(info, removed)
        if self.mirror is not None:
            result = self._mirror(result, now, _scaled(report, 70, 100))
        report(100, 100)
        return result

    def _prepare_folder(self) -> None:
        if not self.database.is_file():
            raise BackupError(f"Không thấy cơ sở dữ liệu {self.database} để sao lưu.")
        try:
            self.folder.mkdir(exist_ok=True)
        except OSError as error:
            raise FileWriteError(
                f"Không tạo được thư mục sao lưu {self.folder} ({error.strerror}). "
                "Hãy chọn thư mục khác trong «Sao lưu dữ liệu»."
            ) from error
        _remove_stale_parts(self.folder, self._clock())
        wal = Path(f"{self.database}-wal")
        estimate = self.database.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
        ensure_free_space(self.folder, estimate)

    def _mirror(self, result: BackupResult, now: datetime, report: Report) -> BackupResult:
        assert self.mirror is not None
        try:
            copied = mirror_file(result.backup.path, self.mirror, report)
        except (BackupError, FileWriteError) as error:
            log.warning("mirror backup failed: %s", error)
            return BackupResult(result.backup, result.removed, mirror_error=str(error))
        removed = thin_folder(self.mirror, now, self.policy, newest=copied)
        return BackupResult(result.backup, result.removed, copied, removed)


def _free_name(folder: Path, taken_at: datetime) -> Path:
    """`tdkt-xa-<stamp>.sqlite`, with -2, -3... when a backup of the same second exists."""
    first = folder / backup_name(taken_at)
    target, counter = first, 2
    while target.exists() or target.with_name(target.name + PART_SUFFIX).exists():
        target = first.with_name(f"{first.stem}-{counter}.sqlite")
        counter += 1
    return target


def _remove_stale_parts(folder: Path, now: datetime) -> None:
    for partial in folder.glob(f"{BACKUP_PREFIX}*.sqlite{PART_SUFFIX}"):
        try:
            modified = datetime.fromtimestamp(partial.stat().st_mtime)
            if now - modified > STALE_PART_AGE and parse_backup_name(partial.stem):
                partial.unlink()
        except OSError as error:
            log.warning("could not remove unfinished backup %s: %s", partial, error)


def _scaled(report: Report, start: int, end: int) -> Report:
    """Report a phase's own (done, total) as part of an overall 0–100 scale."""

    def scaled(done: int, total: int) -> None:
        share = done / total if total else 1.0
        report(start + round((end - start) * share), 100)

    return scaled
