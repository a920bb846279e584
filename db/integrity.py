"""Reading an existing database file without writing to it: integrity and schema revision.

Free of SQLAlchemy and Alembic on purpose: the GUI starts this check in a thread first and
imports its heavy modules meanwhile (sqlite3 lets go of the GIL while it checks pages).
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path


class DatabaseOpenError(Exception):
    """The database cannot be opened; the message is for the officer, in Vietnamese."""


class DatabaseInUseError(DatabaseOpenError):
    pass


class DatabaseDamagedError(DatabaseOpenError):
    """`detail` is SQLite's own words about the damage, for a dialog that explains it itself."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class DatabaseTooNewError(DatabaseOpenError):
    pass


def read_only_uri(path: Path) -> str:
    """The URI that opens `path` (relative or not) read-only: nothing may be written to a file
    that is only being checked or compared."""
    return f"{Path(path).absolute().as_uri()}?mode=ro"


def connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(read_only_uri(path), uri=True)


def start_check(path: Path) -> Future[str | None]:
    """Run `check_file` in a background thread; its result (or error) waits in the future."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="integrity")
    try:
        return executor.submit(check_file, Path(path).absolute())
    finally:
        executor.shutdown(wait=False)


def check_file(path: Path, full: bool = False) -> str | None:
    """Schema revision of an existing file (None for a new or empty one) after `quick_check`
    (`integrity_check` when `full`, which also compares indexes with their tables);
    raises DatabaseOpenError for a damaged or foreign file. Reads only."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        connection = connect_read_only(path)
    except sqlite3.Error as error:
        raise DatabaseOpenError(f"Không đọc được tệp {path}: {error}") from error
    try:
        result = connection.execute(
            "PRAGMA integrity_check" if full else "PRAGMA quick_check"
        ).fetchall()
        if result != [("ok",)]:
            problems = "; ".join(row[0] for row in result[:3])
            raise DatabaseDamagedError(_damaged_message(path, problems), problems)
        has_version = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        current = (
            connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if has_version
            else None
        )
    except sqlite3.DatabaseError as error:
        raise DatabaseDamagedError(_damaged_message(path, str(error)), str(error)) from error
    finally:
        connection.close()
    revision = current[0] if current else None
    if revision is None and _has_user_tables(path):
        raise DatabaseOpenError(
            f"Tệp {path} không phải cơ sở dữ liệu của TĐKT Xã. Tệp được giữ nguyên."
        )
    return revision


def _damaged_message(path: Path, detail: str) -> str:
    return (
        f"Cơ sở dữ liệu {path} bị hỏng ({detail}). Chương trình không mở tệp này và không "
        "tạo cơ sở dữ liệu trống thay thế. Hãy khôi phục từ bản sao lưu gần nhất."
    )


def _has_user_tables(path: Path) -> bool:
    connection = connect_read_only(path)
    try:
        return (
            connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table'"
            ).fetchone()[0]
            > 0
        )
    finally:
        connection.close()
