"""A damaged database at start-up: move it aside (never delete it) and find a backup to use.

`ui/recovery_dialog.py` explains and asks; `app.restore.recover_from_backup` puts the chosen
backup in place. Nothing here creates an empty database in place of a damaged one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.backups import STAMP_FORMAT, BackupInfo, list_backups
from app.database_files import is_valid_backup
from app.errors import FileWriteError
from app.safe_files import fsync_folder

log = logging.getLogger(__name__)

Report = Callable[[int, int], None]

# SQLite's companions of a database file; they belong to the file they sit beside.
SIDE_FILES = ("-wal", "-shm", "-journal")
DAMAGED_MARK = ".hong-"


def _noop(_done: int, _total: int) -> None:
    pass


def set_aside_damaged(path: Path, now: datetime) -> Path:
    """Rename `path` and its -wal/-shm/-journal files to `<stem>.hong-<time>.sqlite` (and the
    same name with the suffixes, so SQLite still pairs them) in the same folder. Never deletes.
    """
    path = Path(path)
    target = _free_name(path, now)
    try:
        for suffix in SIDE_FILES:  # side files first: a WAL left alone would meet the new file
            side = Path(f"{path}{suffix}")
            if side.exists():
                side.rename(f"{target}{suffix}")
        path.rename(target)
        fsync_folder(path.parent)
    except OSError as error:
        raise FileWriteError(
            f"Không đổi được tên tệp hỏng {path.name} ({error.strerror}). Hãy đóng các chương trình "
            "đang mở tệp này (kể cả phần mềm diệt virus, đồng bộ) rồi thử lại."
        ) from error
    log.warning("damaged database %s moved to %s", path, target)
    return target


def _free_name(path: Path, now: datetime) -> Path:
    base = f"{path.stem}{DAMAGED_MARK}{now.strftime(STAMP_FORMAT)}"
    target, counter = path.with_name(f"{base}{path.suffix}"), 2
    while any(Path(f"{target}{suffix}").exists() for suffix in ("", *SIDE_FILES)):
        target = path.with_name(f"{base}-{counter}{path.suffix}")
        counter += 1
    return target


def newest_valid_backup(folder: Path, report: Report = _noop) -> BackupInfo | None:
    """The newest backup in `folder` that passes the full check, trying newest to oldest."""
    candidates = list_backups(folder)
    for done, info in enumerate(candidates):
        report(done, len(candidates))
        if is_valid_backup(info.path):
            return BackupInfo(info.path, info.taken_at, info.size, info.kind, verified=True)
        log.warning("backup %s is not usable", info.path)
    report(len(candidates), len(candidates))
    return None
