"""Writing files so that a crash, a power cut or a full disk never leaves a half file behind.

Every file the app writes goes through `atomic_path()`: the content is written to a
temporary file beside the target, flushed to disk, then renamed over the target.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import FileWriteError

log = logging.getLogger(__name__)

PART_SUFFIX = ".part"
READ_CHUNK = 1024 * 1024
SPARE_BYTES = 50 * 1024 * 1024  # left free after a write, for the database and the system


def fsync_file(path: Path) -> None:
    """Flush a written file's content to the disk."""
    with open(path, "rb+") as file:
        os.fsync(file.fileno())


def fsync_folder(folder: Path) -> None:
    """Flush a folder entry (a rename) to the disk; Windows has no such call and needs none."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def atomic_path(path: Path, opened_in: str = "chương trình khác") -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `path`, on failure it is removed.

    OSError while writing or renaming becomes a `FileWriteError` with a Vietnamese message;
    `opened_in` names the program that may hold the file open ("Excel" for a workbook).
    """
    path = Path(path)
    partial = path.with_name(path.name + PART_SUFFIX)
    try:
        yield partial
        fsync_file(partial)
        partial.replace(path)
        fsync_folder(path.parent)
    except OSError as error:
        remove_quietly(partial)
        raise FileWriteError(
            f"Không ghi được tệp {path.name}: tệp có thể đang mở trong {opened_in}, thư mục "
            "không cho phép ghi hoặc ổ đĩa đã đầy. Hãy đóng tệp hoặc chọn nơi lưu khác rồi thử lại."
        ) from error
    except BaseException:
        remove_quietly(partial)
        raise


def remove_quietly(path: Path) -> bool:
    """Delete `path` while cleaning up after a failure; True when it is gone.

    The drive that failed the write (a USB stick pulled out) usually fails this too; that
    second error is logged, never raised, so the officer is told the first one.
    """
    try:
        Path(path).unlink(missing_ok=True)
    except OSError as error:
        log.warning("could not remove %s after a failed write: %s", path, error)
        return False
    return True


def write_bytes(path: Path, content: bytes) -> Path:
    """Write `content` to `path` atomically."""
    with atomic_path(path) as partial:
        partial.write_bytes(content)
    return path


def ensure_free_space(folder: Path, needed: int, spare: int = SPARE_BYTES) -> None:
    """Refuse to start a write of about `needed` bytes that would leave less than `spare`
    free: the database's disk keeps SPARE_BYTES; a USB stick that holds only what is written
    to it can be given a few MB."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return  # the write itself will report a folder that cannot be used
    if free < needed + spare:
        raise FileWriteError(
            f"Ổ đĩa chứa {folder} chỉ còn {free // (1024 * 1024)} MB trống, không đủ để ghi "
            f"(cần khoảng {(needed + spare) // (1024 * 1024)} MB). Hãy giải phóng bớt dung "
            "lượng hoặc chọn nơi lưu khác."
        )


def file_sha256(path: Path, report: Callable[[int, int], None] | None = None) -> str:
    """SHA-256 of a file, read in chunks (`report(bytes done, bytes total)`): to read back
    what was just written, or to check a stored file against its recorded hash."""
    digest = hashlib.sha256()
    total, done = path.stat().st_size, 0
    with open(path, "rb") as reader:
        while chunk := reader.read(READ_CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if report is not None:
                report(done, total)
    return digest.hexdigest()
