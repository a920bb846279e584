"""Opening the database safely: one writer, integrity check, backup, then migration.

The order matters. Nothing is written to the file until it has passed `quick_check`
and its schema version is known to this app; a database from a newer version is
refused untouched, and a migration only starts after a verified backup exists.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from typing import TYPE_CHECKING

import filelock
from sqlalchemy import Engine

from db.engine import StorageError, create_sqlite_engine
from db.integrity import (
    DatabaseInUseError,
    DatabaseOpenError,
    DatabaseTooNewError,
    check_file,
    connect_read_only,
)

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest revision in MIGRATIONS_DIR, so that a start-up with nothing to migrate need
# not import Alembic (~120 ms). tests/db/test_migrate.py keeps it equal to Alembic's head.
SCHEMA_HEAD = "0007"
FTS_PREFIX = "subjects_fts"


@dataclass
class Database:
    """An open database: the engine plus the lock that keeps a second instance out."""

    path: Path
    engine: Engine
    _lock: filelock.BaseFileLock

    def close(self) -> None:
        self.engine.dispose()
        self._lock.release()


def include_object(obj: object, name: str, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic hook: the full-text index is made by hand (SQLAlchemy has no FTS5 model)."""
    return not (type_ == "table" and name.startswith(FTS_PREFIX))


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def open_database(path: Path, backup_dir: Path | None = None,
                  checked: Future[str | None] | None = None) -> Database:
    """Lock, check, back up when behind, migrate to head and return the open database.

    `checked` is a `db.integrity.start_check` already running for this path (the GUI starts
    it early); without it the check runs here.
    """
    path = Path(path).absolute()
    lock = filelock.FileLock(f"{path}.lock", timeout=0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except filelock.Timeout:
        raise DatabaseInUseError(
            f"Cơ sở dữ liệu {path} đang được mở bởi một cửa sổ TĐKT Xã khác. "
            "Hãy dùng cửa sổ đó hoặc đóng nó trước."
        ) from None
    except OSError as error:
        raise DatabaseOpenError(
            f"Không tạo hoặc ghi được vào thư mục {path.parent} ({error.strerror}). "
            "Hãy chọn một thư mục có quyền ghi."
        ) from error
    try:
        current = checked.result() if checked is not None else check_file(path)
        if current is not None and current != SCHEMA_HEAD and not _is_known(current):
            raise DatabaseTooNewError(
                f"Cơ sở dữ liệu {path} được tạo bởi phiên bản TĐKT Xã mới hơn phiên bản đang chạy. "
                "Hãy cài phiên bản mới hơn; tệp được giữ nguyên, không bị thay đổi."
            )
        engine = create_sqlite_engine(path)
        try:
            if current != SCHEMA_HEAD:
                if current is not None:
                    backup_to(path, backup_dir or path.parent / "backups", "truoc-nang-cap")
                _upgrade(engine)
        except (sqlite3.OperationalError, StorageError, OSError) as error:
            engine.dispose()
            raise DatabaseOpenError(f"Không ghi được vào cơ sở dữ liệu {path}: {error}") from error
        except Exception:
            engine.dispose()
            raise
        return Database(path, engine, lock)
    except BaseException:
        lock.release()
        raise


def _is_known(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return any(rev.revision == revision for rev in script.walk_revisions())


def backup_to(path: Path, folder: Path, label: str) -> Path:
    """Copy the database with SQLite's backup API and verify the copy; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{label}-{stamp}.sqlite"
    partial = target.with_name(target.name + ".part")
    source = connect_read_only(path)
    destination = sqlite3.connect(partial)
    try:
        source.backup(destination)
        check = destination.execute("PRAGMA integrity_check").fetchone()
    finally:
        destination.close()
        source.close()
    if check != ("ok",):
        partial.unlink(missing_ok=True)
        raise DatabaseOpenError(f"Bản sao lưu {target} không đạt kiểm tra toàn vẹn: {check}")
    with open(partial, "rb+") as written:  # on the disk before it counts as the backup
        os.fsync(written.fileno())
    partial.replace(target)
    if os.name != "nt":  # and the rename too (Windows has no directory fsync, needs none)
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    log.info("backup written to %s", target)
    return target


def _upgrade(engine: Engine) -> None:
    """Upgrade to head in one transaction, with foreign keys off: batch mode recreates
    tables, and a cascade fired by a dropped parent table would delete child rows.

    Python's sqlite3 opens a transaction before INSERT/UPDATE/DELETE only, so on its own
    every CREATE or DROP of a migration would be committed at once and a power cut
    half-way would leave a half-built schema. Here the driver's own transaction handling
    is turned off and the whole upgrade runs between one BEGIN IMMEDIATE and its COMMIT.
    """
    from alembic import command

    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction
        driver.isolation_level = None
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                config = alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                violations = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if violations:
                    raise DatabaseOpenError(f"Nâng cấp để lại liên kết hỏng: {violations[:3]}")
                connection.exec_driver_sql("COMMIT")
            except BaseException:
                if driver.in_transaction:
                    driver.execute("ROLLBACK")
                raise
        finally:
            driver.isolation_level = ""
            connection.rollback()  # SQLAlchemy's own view of the connection: nothing pending
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
