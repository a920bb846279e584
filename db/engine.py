"""The SQLite engine with the pragmas every connection needs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext

BUSY_TIMEOUT_MS = 5000


class StorageError(Exception):
    """The disk refused a write (full, read-only, failing) or another program holds the
    database. The message is for the officer, in Vietnamese; the transaction was rolled back."""


_STORAGE_MESSAGES = (
    ("database or disk is full", "Ổ đĩa đã đầy nên không ghi được dữ liệu. Hãy giải phóng dung lượng "
     "rồi thử lại; dữ liệu đã có không bị ảnh hưởng."),
    ("readonly database", "Tệp cơ sở dữ liệu chỉ cho phép đọc nên không ghi được. Hãy kiểm tra quyền "
     "ghi của thư mục dữ liệu; dữ liệu đã có không bị ảnh hưởng."),
    ("disk i/o error", "Lỗi đọc ghi ổ đĩa. Hãy kiểm tra ổ đĩa hoặc USB rồi thử lại; thao tác vừa rồi "
     "không được ghi."),
    ("database is locked", "Cơ sở dữ liệu đang bận (một chương trình khác đang ghi). Hãy thử lại sau "
     "ít phút; thao tác vừa rồi không được ghi."),
)


def create_sqlite_engine(path: Path) -> Engine:
    """An engine on `path` in WAL mode, foreign keys on, fsync on every commit.

    synchronous=FULL because office PCs lose power; WAL keeps readers off the writer's way.
    """
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        detail = str(context.original_exception).lower()
        for fragment, message in _STORAGE_MESSAGES:
            if fragment in detail:
                raise StorageError(message) from context.original_exception

    return engine
