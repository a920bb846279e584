"""Backups of the live database: made, verified, named, mirrored and thinned.

A backup is made with SQLite's backup API from a read-only connection (never a copy of the
live file, which may be mid-write in WAL mode), written to `<name>.part`, checked with
`PRAGMA integrity_check` and for being a TĐKT Xã database at a schema this app knows,
flushed to disk and only then renamed to `tdkt-xa-YYYY-MM-DD_HHMMSS.sqlite`. Older backups
are thinned only after that rename. Files whose names are not ours are never touched.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from app.backup_policy import ThinningPolicy, kept_indices
from app.database_files import (
    BackupError,
    is_valid_backup,
    mirror_file,
    publish,
    write_checked_copy,
)
from app.errors import FileWriteError
from app.roles import Actor, Permission, require
from app.safe_files import PART_SUFFIX, ensure_free_space

log = logging.getLogger(__name__)

Report = Callable[[int, int], None]
Clock = Callable[[], datetime]

BACKUP_PREFIX = "tdkt-xa-"
STAMP_FORMAT = "%Y-%m-%d_%H%M%S"
BEFORE_RESTORE_PREFIX = "tdkt-xa.truoc-khoi-phuc-"
STALE_PART_AGE = timedelta(hours=1)  # a .part this old was left by a crash, not a running backup

_REGULAR = re.compile(r"^tdkt-xa-(\d{4}-\d{2}-\d{2}_\d{6})(?:-\d+)?\.sqlite$")
_BEFORE_RESTORE = re.compile(r"^tdkt-xa\.truoc-khoi-phuc-(\d{4}-\d{2}-\d{2}_\d{6})(?:-\d+)?\.sqlite$")
_BEFORE_UPGRADE = re.compile(r"^.+-truoc-nang-cap-(\d{8}-\d{6})\.sqlite$")  # db/migrate.backup_to


def _noop(_done: int, _total: int) -> None:
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
