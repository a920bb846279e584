"""«Kiểm tra dữ liệu»: a sound database passes; damage, broken links, tampering are named."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.attachments import AttachmentStore, stored_file
from app.audit import AuditEvent, AuditTrail
from app.data_check import NO_PROBLEM, CheckArea, check_data
from app.errors import CancelledError
from app.roles import SYSTEM_ACTOR
from db.migrate import Database, open_database
from tests.app.sample_rows import add_village

PDF = b"%PDF-1.4\n" + b"noi dung\n" * 50


@pytest.fixture
def sessions(database: Database) -> sessionmaker[Session]:
    return sessionmaker(database.engine, expire_on_commit=False)


def run(database: Database, sessions: sessionmaker[Session], data: Path) -> list[tuple[CheckArea, str]]:
    result = check_data(database.path, sessions, data)
    return [(problem.area, problem.message) for problem in result.problems]


def record(sessions: sessionmaker[Session], count: int) -> None:
    with sessions.begin() as session:
        AuditTrail(sessions).record_many(session, SYSTEM_ACTOR, [
            AuditEvent("create", "subject", None, f"Thêm mục {i}") for i in range(count)])


def test_a_sound_database_has_no_problem(database: Database, sessions: sessionmaker[Session],
                                         tmp_path: Path) -> None:
    add_village(database, "Thôn Đông")
    record(sessions, 3)
    result = check_data(database.path, sessions, tmp_path)
    assert result.ok
    assert result.lines()[0] == NO_PROBLEM


def test_an_attachment_changed_on_disk_is_listed(database: Database, sessions: sessionmaker[Session],
                                                 tmp_path: Path) -> None:
    source = tmp_path / "qd.pdf"
    source.write_bytes(PDF)
    row = AttachmentStore(sessions, SYSTEM_ACTOR, AuditTrail(sessions), tmp_path).add("owner", source)
    stored_file(tmp_path, row).write_bytes(PDF.replace(b"noi", b"NOI"))
    problems = run(database, sessions, tmp_path)
    assert [area for area, _message in problems] == [CheckArea.ATTACHMENTS]
    assert "qd.pdf" in problems[0][1]
    result = check_data(database.path, sessions, tmp_path)
    assert result.lines()[0] == "Phát hiện 1 vấn đề:"
    assert result.lines()[1].startswith("– Tệp đính kèm: ")


def test_a_row_pointing_at_a_missing_subject_is_listed(database: Database,
                                                       sessions: sessionmaker[Session],
                                                       tmp_path: Path) -> None:
    connection = sqlite3.connect(database.path)  # foreign keys are off by default here
    connection.execute("INSERT INTO annual_ratings (uuid, subject_id, year, rating, note) "
                       "VALUES ('x', 999, 2025, 'tot', '')")
    connection.commit()
    connection.close()
    assert run(database, sessions, tmp_path) == [
        (CheckArea.LINKS, "1 dòng của bảng «annual_ratings» trỏ tới mục không còn trong bảng «subjects».")]


def test_a_tampered_audit_entry_is_listed(database: Database, sessions: sessionmaker[Session],
                                          tmp_path: Path) -> None:
    record(sessions, 3)
    connection = sqlite3.connect(database.path)
    connection.execute("DROP TRIGGER audit_entries_no_update")
    connection.execute("UPDATE audit_entries SET summary = 'Đã sửa' "
                       "WHERE id = (SELECT max(id) - 1 FROM audit_entries)")
    connection.commit()
    connection.close()
    problems = run(database, sessions, tmp_path)
    assert [area for area, _message in problems] == [CheckArea.AUDIT]
    assert "đã bị sửa" in problems[0][1]


def test_a_damaged_database_file_is_listed(database: Database, tmp_path: Path) -> None:
    for index in range(30):
        add_village(database, f"Thôn {index} " + "x" * 150)
    database.close()
    damaged = tmp_path / "hong.sqlite"
    shutil.copyfile(database.path, damaged)
    connection = sqlite3.connect(damaged)
    root = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'ix_subjects_kind_sort_key'").fetchone()[0]
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    with open(damaged, "r+b") as file:  # scramble the cells at the end of an index page
        file.seek(root * page_size - 1200)
        file.write(b"\x00\x7f" * 600)
    reopened = open_database(tmp_path / "unused.sqlite")  # sessions on some sound file
    try:
        result = check_data(damaged, sessionmaker(reopened.engine), tmp_path)
    finally:
        reopened.close()
    areas = {problem.area for problem in result.problems}
    assert CheckArea.DATABASE in areas
    assert any("bị hỏng" in problem.message for problem in result.problems)


def test_the_check_can_be_cancelled(database: Database, sessions: sessionmaker[Session],
                                    tmp_path: Path) -> None:
    for index in range(50):
        add_village(database, f"Thôn {index}")

    def cancel(_done: int, _total: int) -> None:
        raise CancelledError("hủy")

    with pytest.raises(CancelledError):
        check_data(database.path, sessions, tmp_path, cancel)
