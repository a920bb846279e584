"""«Kiểm tra dữ liệu» on demand: the whole database file, its links, the audit chain and
every attachment against its hash. It only reads, so it runs while the app is in use.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.orm import Session, sessionmaker

from app.attachments import check_attachments
from app.audit import verify as verify_audit
from app.errors import CancelledError
from db.integrity import connect_read_only

Report = Callable[[int, int], None]

STEPS = 3  # database pages, links, audit chain; then one step per attachment
PROGRESS_EVERY = 200_000  # SQLite VM instructions between two cancellation checks
NO_PROBLEM = "Không phát hiện vấn đề nào: cơ sở dữ liệu, liên kết, nhật ký và tệp đính kèm đều nguyên vẹn."


def _noop(_done: int, _total: int) -> None:
    pass


class CheckArea(StrEnum):
    DATABASE = "database"
    LINKS = "links"
    AUDIT = "audit"
    ATTACHMENTS = "attachments"


AREA_LABELS = {
    CheckArea.DATABASE: "Tệp cơ sở dữ liệu",
    CheckArea.LINKS: "Liên kết giữa các bảng",
    CheckArea.AUDIT: "Nhật ký thay đổi",
    CheckArea.ATTACHMENTS: "Tệp đính kèm",
}


@dataclass(frozen=True)
class DataProblem:
    area: CheckArea
    message: str

    def __str__(self) -> str:
        return f"{AREA_LABELS[self.area]}: {self.message}"


@dataclass(frozen=True)
class DataCheckResult:
    problems: tuple[DataProblem, ...]
    audit_entries: int
    attachments: int

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """The result in Vietnamese: the problems, or that none was found."""
        if self.ok:
            return [NO_PROBLEM,
                    f"Đã kiểm tra {self.audit_entries} dòng nhật ký và {self.attachments} tệp đính kèm."]
        return [f"Phát hiện {len(self.problems)} vấn đề:", *(f"– {problem}" for problem in self.problems)]


def check_data(database: Path, sessions: sessionmaker[Session], data_folder: Path,
               report: Report = _noop) -> DataCheckResult:
    """Run every check; raises CancelledError when `report` does, having changed nothing."""
    problems: list[DataProblem] = []
    report(0, STEPS)
    problems += _database_problems(Path(database), lambda: report(0, STEPS))
    report(1, STEPS)
    problems += _link_problems(Path(database))
    report(2, STEPS)
    audit_entries = 0
    try:
        audit = verify_audit(sessions)
        audit_entries = audit.entries
        problems += [DataProblem(CheckArea.AUDIT, problem.message) for problem in audit.problems]
    except SQLAlchemyDatabaseError as error:  # a damaged file, already reported above
        problems.append(DataProblem(CheckArea.AUDIT, f"không đọc được ({error.orig})."))
    attachment_count = 0

    def attachments_report(done: int, total: int) -> None:
        nonlocal attachment_count
        attachment_count = total
        report(STEPS + done, STEPS + total)

    try:
        problems += [DataProblem(CheckArea.ATTACHMENTS, problem.message)
                     for problem in check_attachments(sessions, data_folder, attachments_report)]
    except SQLAlchemyDatabaseError as error:
        problems.append(DataProblem(CheckArea.ATTACHMENTS, f"không đọc được danh sách ({error.orig})."))
    return DataCheckResult(tuple(problems), audit_entries, attachment_count)


def _database_problems(database: Path, still_wanted: Callable[[], None]) -> list[DataProblem]:
    """The full `integrity_check` (every page, every index against its table)."""
    cancelled = False

    def progress() -> int:
        nonlocal cancelled
        try:
            still_wanted()
        except CancelledError:
            cancelled = True
            return 1  # SQLite stops the statement
        return 0

    try:
        connection = connect_read_only(database)
        try:
            connection.set_progress_handler(progress, PROGRESS_EVERY)
            rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        if cancelled:
            raise CancelledError("Đã dừng kiểm tra theo yêu cầu; không có gì bị thay đổi.") from None
        return [DataProblem(CheckArea.DATABASE, f"bị hỏng, không đọc hết được ({error}). Hãy khôi "
                                                "phục từ bản sao lưu gần nhất.")]
    if rows == ["ok"]:
        return []
    shown = rows[:20]
    more = f" (và {len(rows) - len(shown)} lỗi khác)" if len(rows) > len(shown) else ""
    return [DataProblem(CheckArea.DATABASE, f"bị hỏng: {detail}") for detail in shown[:-1]] + [
        DataProblem(CheckArea.DATABASE, f"bị hỏng: {shown[-1]}{more}. Hãy khôi phục từ bản sao lưu "
                                        "gần nhất.")]


def _link_problems(database: Path) -> list[DataProblem]:
    """Rows that point at a row no longer there (`foreign_key_check`), counted per table."""
    try:
        connection = connect_read_only(database)
        try:
            rows = connection.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return [DataProblem(CheckArea.LINKS, f"không kiểm tra được ({error}).")]
    counts = Counter((table, parent) for table, _rowid, parent, _fk in rows)
    return [DataProblem(CheckArea.LINKS, f"{count} dòng của bảng «{table}» trỏ tới mục không còn "
                                         f"trong bảng «{parent}».")
            for (table, parent), count in sorted(counts.items())]


class DataChecker:
    """`check_data` bound to one open database, for a dialog that must not hold sessions."""

    def __init__(self, database: Path, sessions: sessionmaker[Session], data_folder: Path) -> None:
        self._database = Path(database)
        self._sessions = sessions
        self._data_folder = Path(data_folder)

    def check(self, report: Report = _noop) -> DataCheckResult:
        return check_data(self._database, self._sessions, self._data_folder, report)
