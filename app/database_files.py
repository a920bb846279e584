"""Copying and checking database files: the backup API copy, the full check, the mirror copy.

Used by backups, restore and recovery alike. A copy is always written to a `.part` file,
checked, flushed to disk, and only then renamed (`publish`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from app.errors import DomainError, FileWriteError
from app.safe_files import PART_SUFFIX, ensure_free_space, file_sha256, fsync_file, fsync_folder
from db.integrity import DatabaseDamagedError, DatabaseOpenError, check_file, connect_read_only

Report = Callable[[int, int], None]

PAGES_PER_STEP = 256
COPY_CHUNK = 1024 * 1024


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
            f"Tệp {path.name} bị hỏng, không dùng được ({error.detail or error})."
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
        reader = connect_read_only(source)
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
    try:
        partial.replace(target)
        fsync_folder(target.parent)
    except OSError as error:
        raise FileWriteError(
            f"Không đổi được tên tệp thành {target.name} ({error.strerror}). Hãy đóng các chương "
            "trình đang mở tệp này (kể cả phần mềm diệt virus, đồng bộ) rồi thử lại."
        ) from error


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


