"""Restoring the database from a backup, and what the officer loses by doing so.

The contract with callers (GUI and CLI):

1. `compare_with_backup(database, backup)` verifies the backup and reports what the
   restored state will no longer contain. It only reads, so it runs while the database
   is open; the report is shown before the officer confirms.
2. The caller closes its engine and releases the lock (`Database.close()`), then calls
   `restore(actor, database, backup, backups_folder)`. It refuses to run while another
   holder has the lock.
3. The caller reopens the file with `db.migrate.open_database`. `restore` has already
   migrated an older backup and recorded the restore in its audit trail by then.

The current database is never deleted: a verified copy of it is kept in the backups
folder as `tdkt-xa.truoc-khoi-phuc-<time>.sqlite` (a damaged one is moved aside instead).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import filelock

from app.backups import BEFORE_RESTORE_PREFIX, STAMP_FORMAT, parse_backup_name
from app.database_files import BackupError, publish, verify_database_file, write_checked_copy
from app.errors import DomainError, FileWriteError
from app.recovery import SIDE_FILES, set_aside_damaged
from app.roles import SYSTEM_ACTOR, Actor, Permission, require
from app.safe_files import PART_SUFFIX, ensure_free_space
from db.integrity import (
    DatabaseDamagedError,
    DatabaseOpenError,
    check_file,
    connect_read_only,
    read_only_uri,
)

log = logging.getLogger(__name__)

Report = Callable[[int, int], None]
Clock = Callable[[], datetime]

# What a row of each table is called in the report; one place for every table with a uuid.
TABLE_LABELS = {
    "subjects": "đối tượng",
    "annual_ratings": "xếp loại hằng năm",
    "awards": "khen thưởng/danh hiệu",
    "initiatives": "sáng kiến",
    "disciplines": "kỷ luật",
    "users": "tài khoản",
    "audit_entries": "nhật ký thay đổi",
    "attachments": "tệp đính kèm",
    # Lost packages would make the next export reuse their numbers, which the province
    # refuses as a replay: the officer must see them before restoring.
    "packages": "gói hồ sơ đã gửi tỉnh",
    "package_acks": "biên nhận của tỉnh",
}
AUDIT_TABLE = "audit_entries"


def table_label(table: str) -> str:
    return TABLE_LABELS.get(table, f"mục trong bảng «{table}»")


def _noop(_done: int, _total: int) -> None:
    pass


class RestoreError(DomainError):
    """The restore could not start; the current database is untouched."""


@dataclass(frozen=True)
class TableDifference:
    table: str
    count: int

    @property
    def label(self) -> str:
        return table_label(self.table)

    def __str__(self) -> str:
        return f"{self.count} {self.label}"


@dataclass(frozen=True)
class RestoreReport:
    """What switching to `backup` changes, computed before the switch."""

    backup: Path
    taken_at: datetime | None          # from the backup's name, else its modification time
    lost: tuple[TableDifference, ...]  # rows present now, absent from the backup
    returning: tuple[TableDifference, ...]  # rows absent now (deleted since), back again
    newest_change_now: datetime | None      # newest audit entry, local time
    newest_change_in_backup: datetime | None
    compared: bool = True  # False when the current database could not be read

    @property
    def loses_nothing(self) -> bool:
        return self.compared and not self.lost

    def lines(self) -> list[str]:
        """The report in Vietnamese, one sentence a line."""
        lines = []
        if self.taken_at is not None:
            lines.append(f"Bản sao lưu được tạo lúc {_when(self.taken_at)}.")
        if self.newest_change_in_backup is not None:
            lines.append(f"Thay đổi mới nhất trong bản sao lưu: {_when(self.newest_change_in_backup)}.")
        if self.newest_change_now is not None:
            lines.append(f"Thay đổi mới nhất trong dữ liệu hiện tại: {_when(self.newest_change_now)}.")
        if not self.compared:
            lines.append("Không đọc được dữ liệu hiện tại để so sánh với bản sao lưu.")
        elif self.lost:
            lines.append("Sau khi khôi phục, dữ liệu sẽ KHÔNG CÒN: "
                         + ", ".join(str(item) for item in self.lost) + ".")
            lines.append("Đó là những mục được thêm sau thời điểm sao lưu. Hãy xem lại các hồ sơ, "
                         "gói dữ liệu đã lập hoặc gửi sau thời điểm đó để không gửi trùng hoặc bỏ sót.")
        else:
            lines.append("Dữ liệu hiện tại không có mục nào mà bản sao lưu thiếu.")
        if self.returning:
            lines.append("Các mục đã xóa sau thời điểm sao lưu sẽ xuất hiện lại: "
                         + ", ".join(str(item) for item in self.returning) + ".")
        if self.compared:
            lines.append("Những nội dung đã sửa sau thời điểm sao lưu sẽ trở về như lúc sao lưu.")
        return lines


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    kept_aside: Path | None  # the previous database (None when there was none)
    report: RestoreReport


def _when(moment: datetime) -> str:
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def compare_with_backup(database: Path, backup: Path) -> RestoreReport:
    """Verify `backup` (BackupError when unusable) and report what restoring it would lose."""
    backup = Path(backup)
    verify_database_file(backup)
    return _compare(Path(database), backup)


def _compare(database: Path, backup: Path) -> RestoreReport:
    parsed = parse_backup_name(backup.name)
    taken_at = parsed[1] if parsed else datetime.fromtimestamp(backup.stat().st_mtime)
    in_backup = _newest_change(backup)
    if not database.exists():
        return RestoreReport(backup, taken_at, (), (), None, in_backup, compared=False)
    try:
        connection = connect_read_only(database)
        try:
            connection.execute("ATTACH DATABASE ? AS backup", (read_only_uri(backup),))
            lost, returning = _differences(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        log.warning("could not compare %s with %s: %s", database, backup, error)
        return RestoreReport(backup, taken_at, (), (), None, in_backup, compared=False)
    return RestoreReport(backup, taken_at, lost, returning, _newest_change(database), in_backup)


def _differences(connection: sqlite3.Connection) -> tuple[tuple[TableDifference, ...], ...]:
    current, restored = _uuid_tables(connection, "main"), _uuid_tables(connection, "backup")
    lost, returning = [], []
    for table in sorted(current | restored, key=_label_order):
        present_now = table in current
        present_then = table in restored
        if present_now:
            lost.append(TableDifference(table, _count_missing(connection, "main", "backup", table,
                                                              present_then)))
        if present_then and table != AUDIT_TABLE:
            returning.append(TableDifference(table, _count_missing(connection, "backup", "main",
                                                                   table, present_now)))
    return (tuple(item for item in lost if item.count),
            tuple(item for item in returning if item.count))


def _label_order(table: str) -> tuple[int, str]:
    order = list(TABLE_LABELS)
    return (order.index(table), "") if table in order else (len(order), table)


def _uuid_tables(connection: sqlite3.Connection, schema: str) -> set[str]:
    tables = [row[0] for row in connection.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )]
    return {table for table in tables
            if any(column[1] == "uuid" for column in
                   connection.execute(f'PRAGMA {schema}.table_info("{table}")'))}


def _count_missing(connection: sqlite3.Connection, source: str, other: str, table: str,
                   other_has_table: bool) -> int:
    if not other_has_table:
        return connection.execute(f'SELECT count(*) FROM {source}."{table}"').fetchone()[0]
    return connection.execute(
        f'SELECT count(*) FROM {source}."{table}" WHERE uuid NOT IN '
        f'(SELECT uuid FROM {other}."{table}" WHERE uuid IS NOT NULL)'
    ).fetchone()[0]


def _newest_change(path: Path) -> datetime | None:
    """The time of the newest audit entry, in local time (None without an audit trail)."""
    try:
        connection = connect_read_only(path)
        try:
            has_audit = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (AUDIT_TABLE,)
            ).fetchone()
            newest = connection.execute(f"SELECT max(at) FROM {AUDIT_TABLE}").fetchone()[0] \
                if has_audit else None
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None
    if newest is None:
        return None
    moment = datetime.fromisoformat(newest)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone().replace(tzinfo=None)


def restore(actor: Actor, database: Path, backup: Path, backups_folder: Path,
            clock: Clock = datetime.now, report: Report = _noop) -> RestoreResult:
    """Replace the closed `database` with `backup`, keeping the current one aside.

    Raises PermissionDeniedError without `Permission.RESTORE`, BackupError for an unusable
    backup, RestoreError while the database is open or when the switch fails; in every case
    the database at `database` is the one that was there before.

    Order: the restored copy is written and verified beside the database first, then the
    current database is copied aside, and only then is the copy renamed into place.
    """
    require(actor, Permission.RESTORE)
    database, backup = Path(database).absolute(), Path(backup).absolute()
    if backup == database:
        raise RestoreError("Không thể khôi phục cơ sở dữ liệu từ chính nó.")
    report(0, 100)
    verify_database_file(backup)
    report(20, 100)
    with _locked(database):
        result_report = _compare(database, backup)
        with _prepared(database, backup) as partial:
            report(50, 100)
            kept_aside, moved = _keep_aside(database, Path(backups_folder), clock())
            report(70, 100)
            _put_in_place(partial, database, kept_aside if moved else None)
    report(90, 100)
    log.info("restored %s from %s; previous database kept at %s", database, backup, kept_aside)
    _record_restore(actor, database, Path(backups_folder), backup, result_report)
    report(100, 100)
    return RestoreResult(backup, kept_aside, result_report)


def recover_from_backup(database: Path, backup: Path, backups_folder: Path,
                        clock: Clock = datetime.now) -> RestoreResult:
    """Put a verified backup in the place of a damaged (or missing) database (start-up).

    The damaged file is moved aside with `set_aside_damaged` (never deleted) only once the
    backup's copy is written and verified beside it; if the copy cannot be put in place, the
    damaged file is moved back, so the place is never left empty for a new empty database.
    `kept_aside` of the result is where the damaged file went.

    No signed-in user: nobody can sign in to a damaged database, so the audit entry names the
    system.
    """
    database, backup = Path(database).absolute(), Path(backup).absolute()
    verify_database_file(backup)
    with _locked(database):
        if database.exists() and not _damaged(database):
            raise RestoreError(f"Cơ sở dữ liệu {database} không bị hỏng; hãy dùng «Khôi phục dữ liệu» "
                               "(tdkt restore) để thay nó bằng một bản sao lưu.")
        result_report = _compare(database, backup)
        with _prepared(database, backup) as partial:
            moved = set_aside_damaged(database, clock()) if database.exists() else None
            _put_in_place(partial, database, moved)
    log.info("recovered %s from %s", database, backup)
    _record_restore(SYSTEM_ACTOR, database, Path(backups_folder), backup, result_report,
                    "Khôi phục sau khi tệp dữ liệu bị hỏng, từ bản sao lưu")
    return RestoreResult(backup, moved, result_report)


class _locked:
    """Hold the database's lock so no window opens it during the switch."""

    def __init__(self, database: Path) -> None:
        self._folder = database.parent
        self._lock = filelock.FileLock(f"{database}.lock", timeout=0)

    def __enter__(self) -> None:
        try:
            self._lock.acquire()
        except filelock.Timeout:
            raise RestoreError(
                "Cơ sở dữ liệu đang được mở. Hãy đóng các cửa sổ TĐKT Xã khác rồi khôi phục lại."
            ) from None
        except OSError as error:
            raise RestoreError(f"Không ghi được vào thư mục {self._folder}: {error.strerror}. "
                               "Dữ liệu hiện tại giữ nguyên.") from error

    def __exit__(self, *_exc: object) -> None:
        self._lock.release()


@contextmanager
def _prepared(database: Path, backup: Path) -> Iterator[Path]:
    """The backup copied beside the database as `<name>.part`, verified and fsynced; removed
    again unless it was renamed into place. Nothing else is touched."""
    partial = database.with_name(database.name + PART_SUFFIX)
    ensure_free_space(database.parent, backup.stat().st_size)
    write_checked_copy(backup, partial)
    try:
        yield partial
    finally:
        partial.unlink(missing_ok=True)


def _keep_aside(database: Path, folder: Path, now: datetime) -> tuple[Path | None, bool]:
    """Where the current database is kept, and whether the file itself was moved there: a
    verified copy goes to `folder`; a damaged file cannot be copied and is moved aside.

    A copy that fails for another reason (disk full, the backups folder unusable) stops the
    restore: the current database stays where it is, untouched.
    """
    if not database.exists():
        return None, False
    target = folder / f"{BEFORE_RESTORE_PREFIX}{now.strftime(STAMP_FORMAT)}.sqlite"
    counter = 2
    while target.exists():
        target = folder / f"{BEFORE_RESTORE_PREFIX}{now.strftime(STAMP_FORMAT)}-{counter}.sqlite"
        counter += 1
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RestoreError(f"Không tạo được thư mục {folder}: {error.strerror}. "
                           "Dữ liệu hiện tại giữ nguyên.") from error
    ensure_free_space(folder, database.stat().st_size)
    partial = target.with_name(target.name + PART_SUFFIX)
    try:
        write_checked_copy(database, partial)
    except BackupError as error:
        if not _damaged(database):
            raise RestoreError(f"Không giữ lại được bản sao của dữ liệu hiện tại ({error}). "
                               "Chưa khôi phục; dữ liệu hiện tại giữ nguyên.") from error
        log.warning("current database %s is damaged (%s); moving it aside", database, error)
        return set_aside_damaged(database, now), True
    publish(partial, target)
    return target, False


def _damaged(database: Path) -> bool:
    try:
        check_file(database, full=True)
    except DatabaseDamagedError:
        return True
    except DatabaseOpenError:
        return False
    return False


def _put_in_place(partial: Path, database: Path, moved: Path | None) -> None:
    """Rename the verified copy over `database` (its stale side files removed first: the old
    content is kept aside). If that fails, a damaged file moved aside is moved back."""
    try:
        # The old database's WAL would be replayed into the new file; its content is in the
        # copy kept aside (the backup API reads through the WAL).
        for suffix in SIDE_FILES:
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        publish(partial, database)
    except (OSError, FileWriteError) as error:
        if moved is not None and not database.exists():
            for suffix in ("", *SIDE_FILES):
                side = Path(f"{moved}{suffix}")
                if side.exists():
                    side.rename(f"{database}{suffix}")
        raise RestoreError(f"Không đặt được bản khôi phục vào chỗ {database.name} ({error}). "
                           "Dữ liệu vẫn là bản trước khi khôi phục.") from error


def _record_restore(actor: Actor, database: Path, backups_folder: Path, backup: Path,
                    result: RestoreReport, what: str = "Khôi phục dữ liệu từ bản sao lưu") -> None:
    """Migrate the restored file to this app's schema and note the restore in its audit trail.

    The switch has happened by now, so a failure here must not be reported as a refused
    restore: it is logged, and the next start migrates the file (or explains why not).
    """
    try:
        _write_restore_entry(actor, database, backups_folder, backup, result, what)
    except Exception:
        log.exception("restored %s, but could not record the restore in its audit trail", database)


def _write_restore_entry(actor: Actor, database: Path, backups_folder: Path, backup: Path,
                         result: RestoreReport, what: str) -> None:
    from sqlalchemy.orm import sessionmaker

    from app.audit import AuditTrail
    from db.migrate import open_database

    opened = open_database(database, backups_folder)
    try:
        sessions = sessionmaker(opened.engine, expire_on_commit=False)
        taken = f" (tạo lúc {_when(result.taken_at)})" if result.taken_at else ""
        lost = ", ".join(str(item) for item in result.lost) or "không có mục nào"
        with sessions.begin() as session:
            AuditTrail(sessions).record(
                session, actor, "restore", "database", None,
                f"{what} {backup.name}{taken}"[:300],
                new={"backup": backup.name, "lost": lost},
            )
    finally:
        opened.close()
