"""Restore: the round trip, the report shown first, refusals that change nothing, recovery."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.backups import BackupService, backup_name
from app.database_files import BackupError, verify_database_file
from app.errors import FileWriteError, PermissionDeniedError
from app.recovery import newest_valid_backup, set_aside_damaged
import app.restore as app_restore
from app.restore import (
    RestoreError,
    TableDifference,
    compare_with_backup,
    recover_from_backup,
    restore,
    table_label,
)
from app.roles import Actor, Role
from db.migrate import Database, open_database
from tests.app.sample_rows import add_village

NOW = datetime(2026, 11, 24, 10, 15, 30)
ADMIN = Actor(user_id=1, username="quantri", full_name="Quản trị", role=Role.OFFICER, is_admin=True)
OFFICER = Actor(user_id=2, username="canbo", full_name="Cán bộ", role=Role.OFFICER)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def village_names(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute(
            "SELECT name FROM subjects WHERE kind = 'village' ORDER BY name")]
    finally:
        connection.close()


def back_up(database: Database, folder: Path, at: datetime = NOW) -> Path:
    return BackupService(ADMIN, database.path, folder, clock=lambda: at).back_up().backup.path


@pytest.fixture
def backed_up(database: Database, tmp_path: Path) -> Path:
    """A backup holding 'Thôn Cũ', then 'Thôn Mới' added to the open database."""
    add_village(database, "Thôn Cũ")
    backup = back_up(database, tmp_path / "backups")
    add_village(database, "Thôn Mới")
    return backup


def test_report_lists_what_the_backup_does_not_have(database: Database, backed_up: Path) -> None:
    report = compare_with_backup(database.path, backed_up)  # while the database is open
    assert report.taken_at == NOW
    assert TableDifference("subjects", 1) in report.lost
    assert report.compared and not report.loses_nothing
    text = "\n".join(report.lines())
    assert "KHÔNG CÒN: 1 đối tượng" in text
    assert "10:15 ngày 24/11/2026" in text


def test_restore_round_trip_keeps_the_previous_database_aside(database: Database, backed_up: Path,
                                                             tmp_path: Path) -> None:
    database.close()
    folder = tmp_path / "backups"
    later = NOW + timedelta(hours=2)
    result = restore(ADMIN, database.path, backed_up, folder, clock=lambda: later)

    assert village_names(database.path) == ["Thôn Cũ"]
    assert result.kept_aside == folder / "tdkt-xa.truoc-khoi-phuc-2026-11-24_121530.sqlite"
    verify_database_file(result.kept_aside)
    assert village_names(result.kept_aside) == ["Thôn Cũ", "Thôn Mới"]
    assert [str(item) for item in result.report.lost] == ["1 đối tượng"]
    reopened = open_database(database.path)  # what the GUI does next
    reopened.close()
    assert not Path(f"{database.path}.part").exists()


def test_restore_is_written_into_the_restored_audit_trail(database: Database, backed_up: Path,
                                                         tmp_path: Path) -> None:
    database.close()
    restore(ADMIN, database.path, backed_up, tmp_path / "backups")
    connection = sqlite3.connect(database.path)
    try:
        action, username, summary = connection.execute(
            "SELECT action, username, summary FROM audit_entries ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        connection.close()
    assert (action, username) == ("restore", "quantri")
    assert backed_up.name in summary


def test_stale_wal_files_of_the_old_database_are_removed(database: Database, backed_up: Path,
                                                        tmp_path: Path) -> None:
    database.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{database.path}{suffix}").write_bytes(b"\x00" * 64)
    restore(ADMIN, database.path, backed_up, tmp_path / "backups")
    assert village_names(database.path) == ["Thôn Cũ"]


def refused_restore_changes_nothing(database: Database, backup: Path, tmp_path: Path,
                                    error: type[Exception], actor: Actor = ADMIN) -> None:
    database.close()
    before = digest(database.path)
    folder = tmp_path / "backups"
    existing = set(folder.iterdir()) if folder.exists() else set()
    with pytest.raises(error):
        restore(actor, database.path, backup, folder)
    assert digest(database.path) == before
    assert (set(folder.iterdir()) if folder.exists() else set()) == existing
    assert not Path(f"{database.path}.part").exists()


def test_a_damaged_backup_is_refused(database: Database, backed_up: Path, tmp_path: Path) -> None:
    with open(backed_up, "r+b") as file:
        file.seek(4096)
        file.write(b"\xa5" * 4096)
    refused_restore_changes_nothing(database, backed_up, tmp_path, BackupError)


def test_a_truncated_backup_is_refused(database: Database, backed_up: Path, tmp_path: Path) -> None:
    content = backed_up.read_bytes()
    backed_up.write_bytes(content[: len(content) // 2])
    refused_restore_changes_nothing(database, backed_up, tmp_path, BackupError)


def test_a_backup_from_a_newer_version_is_refused(database: Database, backed_up: Path,
                                                  tmp_path: Path) -> None:
    connection = sqlite3.connect(backed_up)
    connection.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    connection.commit()
    connection.close()
    refused_restore_changes_nothing(database, backed_up, tmp_path, BackupError)


def test_a_foreign_file_is_refused(database: Database, tmp_path: Path) -> None:
    foreign = tmp_path / "danh-ba.sqlite"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE contacts (name)")
    connection.commit()
    connection.close()
    refused_restore_changes_nothing(database, foreign, tmp_path, BackupError)


def test_an_officer_who_is_not_admin_may_not_restore(database: Database, backed_up: Path,
                                                     tmp_path: Path) -> None:
    refused_restore_changes_nothing(database, backed_up, tmp_path, PermissionDeniedError, OFFICER)


def test_restore_refuses_an_open_database(database: Database, backed_up: Path, tmp_path: Path) -> None:
    before = village_names(database.path)
    with pytest.raises(RestoreError):
        restore(ADMIN, database.path, backed_up, tmp_path / "backups")
    assert village_names(database.path) == before


def test_labels_live_in_one_map_with_a_generic_fallback() -> None:
    assert table_label("audit_entries") == "nhật ký thay đổi"
    assert table_label("attachments") == "tệp đính kèm"
    assert table_label("packages") == "gói hồ sơ đã gửi tỉnh"
    assert table_label("later_things") == "mục trong bảng «later_things»"


def test_a_later_table_missing_from_the_backup_counts_all_its_rows(database: Database,
                                                                   backed_up: Path) -> None:
    with database.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE later_things (id INTEGER PRIMARY KEY, uuid TEXT)")
        connection.exec_driver_sql("INSERT INTO later_things (uuid) VALUES ('a'), ('b')")
    report = compare_with_backup(database.path, backed_up)
    assert TableDifference("later_things", 2) in report.lost
    assert "2 mục trong bảng «later_things»" in "\n".join(report.lines())


def test_a_package_exported_after_the_backup_is_named_among_the_losses(database: Database,
                                                                       backed_up: Path) -> None:
    """Restoring it away would make the next export reuse its number (a replay to the province)."""
    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO packages (uuid, commune_code, sequence, created_at, format_version, file_name, "
            "folder, size, file_sha256, manifest_sha256, record_count, exported_at, exported_by) VALUES "
            "('p1', 26503, 1, '2026-11-24T10:00:00+07:00', '1.0', 'goi.zip', '', 1, 'a', 'b', 1, "
            "'2026-11-24 03:00:00', 'canbo')")
    report = compare_with_backup(database.path, backed_up)
    assert TableDifference("packages", 1) in report.lost
    assert "1 gói hồ sơ đã gửi tỉnh" in "\n".join(report.lines())


# --- damaged database at start-up ---------------------------------------------------


def test_set_aside_moves_the_file_and_its_companions_and_deletes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "tdkt-xa.sqlite"
    contents = {"": b"main", "-wal": b"wal", "-shm": b"shm"}
    for suffix, content in contents.items():
        Path(f"{path}{suffix}").write_bytes(content)
    moved = set_aside_damaged(path, NOW)
    assert moved == tmp_path / "tdkt-xa.hong-2026-11-24_101530.sqlite"
    for suffix, content in contents.items():
        assert not Path(f"{path}{suffix}").exists()
        assert Path(f"{moved}{suffix}").read_bytes() == content
    path.write_bytes(b"again")
    assert set_aside_damaged(path, NOW).name == "tdkt-xa.hong-2026-11-24_101530-2.sqlite"
    assert moved.read_bytes() == b"main"


def test_set_aside_of_a_file_that_cannot_be_moved_says_so(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError):
        set_aside_damaged(tmp_path / "khong-co.sqlite", NOW)


def test_newest_valid_backup_skips_damaged_ones(database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    good = back_up(database, folder, NOW - timedelta(days=1))
    (folder / backup_name(NOW)).write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    found = newest_valid_backup(folder)
    assert found is not None and found.path == good and found.verified is True
    assert newest_valid_backup(tmp_path / "khong-co") is None


def damage(path: Path) -> bytes:
    """Make every page after the first an invalid page type; returns the damaged content."""
    content = bytearray(path.read_bytes())
    for page in range(1, len(content) // 4096):
        content[page * 4096] = 0x07
    path.write_bytes(bytes(content))
    return bytes(content)


def test_recovery_replaces_only_a_damaged_or_missing_database(
        database: Database, backed_up: Path, tmp_path: Path) -> None:
    database.close()
    sound = database.path.read_bytes()
    with pytest.raises(RestoreError):
        recover_from_backup(database.path, backed_up, tmp_path / "backups")
    assert database.path.read_bytes() == sound
    damaged = damage(database.path)
    result = recover_from_backup(database.path, backed_up, tmp_path / "backups", lambda: NOW)
    assert village_names(database.path) == ["Thôn Cũ"]
    assert result.kept_aside is not None and result.kept_aside.read_bytes() == damaged
    connection = sqlite3.connect(database.path)
    username, summary = connection.execute(
        "SELECT username, summary FROM audit_entries ORDER BY id DESC LIMIT 1").fetchone()
    connection.close()
    assert username == "hệ thống" and summary.startswith("Khôi phục sau khi tệp dữ liệu bị hỏng")


def test_a_recovery_that_cannot_put_the_backup_in_place_leaves_the_damaged_file_where_it_was(
        database: Database, backed_up: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database.close()
    damaged = damage(database.path)

    def refuse(_partial: Path, _target: Path) -> None:
        raise FileWriteError("Không đổi được tên tệp (giả lập).")

    monkeypatch.setattr("app.restore.publish", refuse)
    with pytest.raises(RestoreError):
        recover_from_backup(database.path, backed_up, tmp_path / "backups", lambda: NOW)
    assert database.path.read_bytes() == damaged  # never an empty place for a new empty database
    assert not list(tmp_path.glob("*.hong-*")) and not list(tmp_path.glob("*.part"))


def test_a_restore_whose_safety_copy_fails_for_want_of_space_changes_nothing(
        database: Database, backed_up: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database.close()
    before = database.path.read_bytes()
    real = app_restore.write_checked_copy

    def full_backups_drive(source: Path, partial: Path, *args: object) -> str:
        if source == database.path:  # the copy of the current database, to keep aside
            raise BackupError("database or disk is full")
        return real(source, partial, *args)

    monkeypatch.setattr("app.restore.write_checked_copy", full_backups_drive)
    with pytest.raises(RestoreError):
        restore(ADMIN, database.path, backed_up, tmp_path / "backups", lambda: NOW)
    assert database.path.read_bytes() == before
    assert not list(tmp_path.glob("*.hong-*")) and not list(tmp_path.glob("*.part"))
