"""Backups: made from the live database, verified before they count, thinned, mirrored."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import app.database_files
from app.backup_policy import AutoBackupSchedule, ThinningPolicy, kept_indices
from app.backups import (
    BackupInfo,
    BackupKind,
    BackupService,
    backup_name,
    list_backups,
    parse_backup_name,
    thin_folder,
)
from app.database_files import (
    BackupDamagedError,
    BackupError,
    BackupForeignError,
    BackupTooNewError,
    verify_database_file,
)
from app.errors import CancelledError, PermissionDeniedError
from app.roles import Actor, Role
from db.migrate import Database
from tests.app.sample_rows import add_village

NOW = datetime(2026, 11, 24, 10, 15, 30)
OFFICER = Actor(user_id=1, username="canbo", full_name="Cán bộ", role=Role.OFFICER)
VIEWER = Actor(user_id=2, username="xem", full_name="Người xem", role=Role.VIEWER)


def service(database: Database, folder: Path, clock_at: datetime = NOW, **options: object) -> BackupService:
    return BackupService(OFFICER, database.path, folder, clock=lambda: clock_at, **options)  # type: ignore[arg-type]


def count_villages(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM villages").fetchone()[0]
    finally:
        connection.close()


def test_backup_of_the_open_database_holds_committed_rows(database: Database, tmp_path: Path) -> None:
    add_village(database, "Thôn Đông")  # still in the WAL file, not the main file
    assert Path(f"{database.path}-wal").stat().st_size > 0
    result = service(database, tmp_path / "backups").back_up()
    assert result.backup.path == tmp_path / "backups" / "tdkt-xa-2026-11-24_101530.sqlite"
    assert result.backup.verified is True
    assert count_villages(result.backup.path) == 1
    assert not Path(f"{result.backup.path}-wal").exists()  # one self-contained file
    assert list(tmp_path.joinpath("backups").glob("*.part")) == []


def test_two_backups_in_one_second_get_distinct_names(database: Database, tmp_path: Path) -> None:
    first = service(database, tmp_path).back_up().backup.path
    second = service(database, tmp_path).back_up().backup.path
    assert first != second and first.exists() and second.exists()
    assert second.name == "tdkt-xa-2026-11-24_101530-2.sqlite"


def test_a_damaged_copy_is_never_renamed_into_place_nor_replaces_older_ones(
        database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "backups"
    older = service(database, folder, NOW - timedelta(days=40)).back_up().backup.path
    real_copy = app.database_files._copy_pages

    def copy_then_damage(source: Path, partial: Path, report: object) -> None:
        real_copy(source, partial, report)  # type: ignore[arg-type]
        with open(partial, "r+b") as file:  # overwrite the schema pages with garbage
            file.seek(100)
            file.write(b"\xff" * 8000)

    monkeypatch.setattr(app.database_files, "_copy_pages", copy_then_damage)
    with pytest.raises(BackupDamagedError):
        service(database, folder, NOW, policy=ThinningPolicy(0, 0, 0, 0, 0)).back_up()
    assert sorted(p.name for p in folder.iterdir()) == [older.name]


def test_cancelling_while_copying_leaves_no_part_file(database: Database, tmp_path: Path) -> None:
    def cancel(done: int, total: int) -> None:
        if done > 0:
            raise CancelledError("hủy")

    with pytest.raises(CancelledError):
        service(database, tmp_path / "backups").back_up(cancel)
    assert list((tmp_path / "backups").iterdir()) == []


def test_a_viewer_may_not_back_up(database: Database, tmp_path: Path) -> None:
    with pytest.raises(PermissionDeniedError):
        BackupService(VIEWER, database.path, tmp_path / "b", clock=lambda: NOW).back_up()
    assert not (tmp_path / "b").exists()


def test_files_that_are_not_ours_are_never_touched(database: Database, tmp_path: Path) -> None:
    foreign = [tmp_path / "ghi-chu.txt", tmp_path / "tdkt-xa-cu.sqlite",
               tmp_path / "tdkt-xa-2020-01-01_000000.sqlite.bak"]
    for path in foreign:
        path.write_text("của người dùng")
    service(database, tmp_path, policy=ThinningPolicy(0, 0, 0, 0, 0)).back_up()
    assert all(path.read_text() == "của người dùng" for path in foreign)


def test_stale_part_files_of_ours_are_cleared(database: Database, tmp_path: Path) -> None:
    stale = tmp_path / "tdkt-xa-2026-11-01_080000.sqlite.part"
    stale.write_bytes(b"half")
    # Left by a crash two hours before the backup's clock (not the computer's: on the day
    # NOW names, a file written now would be younger than an hour by that clock).
    left_at = (NOW - timedelta(hours=2)).timestamp()
    os.utime(stale, (left_at, left_at))
    fresh = tmp_path / "tdkt-xa-2026-11-24_100000.sqlite.part"
    fresh.write_bytes(b"being written")
    written_at = (NOW - timedelta(minutes=10)).timestamp()
    os.utime(fresh, (written_at, written_at))
    service(database, tmp_path, NOW).back_up()
    assert not stale.exists()
    assert fresh.exists()  # a backup still being written elsewhere is left alone


def test_names_round_trip_and_other_kinds_are_recognised() -> None:
    assert parse_backup_name(backup_name(NOW)) == (BackupKind.REGULAR, NOW)
    assert parse_backup_name("tdkt-xa.truoc-khoi-phuc-2026-11-24_101530.sqlite") == (
        BackupKind.BEFORE_RESTORE, NOW)
    assert parse_backup_name("tdkt-xa-truoc-nang-cap-20261124-101530.sqlite") == (
        BackupKind.BEFORE_UPGRADE, NOW)
    assert parse_backup_name("tdkt-xa-2026-13-40_999999.sqlite") is None
    assert parse_backup_name("anh.jpg") is None


def test_list_backups_newest_first_and_verifies_on_request(database: Database, tmp_path: Path) -> None:
    for days in (3, 1, 2):
        service(database, tmp_path, NOW - timedelta(days=days)).back_up()
    broken = tmp_path / backup_name(NOW)
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    listed = list_backups(tmp_path)
    assert [info.taken_at for info in listed] == [NOW - timedelta(days=d) for d in (0, 1, 2, 3)]
    assert all(info.verified is None for info in listed)
    assert [info.verified for info in list_backups(tmp_path, verify=True)] == [False, True, True, True]


def test_verify_refuses_foreign_and_newer_files(database: Database, tmp_path: Path) -> None:
    foreign = tmp_path / "khac.sqlite"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE ghi_chu (x)")
    connection.commit()
    connection.close()
    with pytest.raises(BackupForeignError):
        verify_database_file(foreign)
    newer = service(database, tmp_path).back_up().backup.path
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    with pytest.raises(BackupTooNewError):
        verify_database_file(newer)


# --- thinning -------------------------------------------------------------------------


def fake_backups(folder: Path, stamps: list[datetime]) -> None:
    folder.mkdir(exist_ok=True)
    for stamp in stamps:
        (folder / backup_name(stamp)).write_bytes(b"x")


def test_thinning_over_400_days_keeps_exactly_the_slots(tmp_path: Path) -> None:
    # Two backups a day (09:00 and 17:00) for 400 days, plus hourly ones on the last day.
    start = datetime(2025, 10, 21)
    stamps = [start + timedelta(days=d, hours=h) for d in range(400) for h in (9, 17)]
    last_day = start + timedelta(days=400)  # 2026-11-25
    stamps += [last_day + timedelta(hours=h) for h in range(10)]
    fake_backups(tmp_path, stamps)
    now = last_day + timedelta(hours=9, minutes=30)

    thin_folder(tmp_path, now)

    survivors = sorted(info.taken_at for info in list_backups(tmp_path))
    expected = set(stamp for stamp in stamps if now - stamp < timedelta(hours=24))  # 10 + 09:00, 17:00
    expected |= {datetime(2026, 11, d, 17) for d in range(19, 25)}  # 6 earlier days (+ today)
    # ISO weeks: today's week (from the 24h rule), then the newest of the 4 weeks before it.
    expected |= {datetime(2026, 11, 22, 17), datetime(2026, 11, 15, 17), datetime(2026, 11, 8, 17),
                 datetime(2026, 11, 1, 17)}
    # Months: November (today), then the newest of the 11 months before it.
    expected |= {datetime(2026, m, d, 17) for m, d in
                 ((10, 31), (9, 30), (8, 31), (7, 31), (6, 30), (5, 31), (4, 30), (3, 31), (2, 28),
                  (1, 31))}
    expected |= {datetime(2025, 12, 31, 17)}
    assert survivors == sorted(expected)


def test_thinning_keeps_the_newest_even_when_every_rule_is_zero(tmp_path: Path) -> None:
    stamps = [NOW - timedelta(days=d) for d in range(5)]
    fake_backups(tmp_path, stamps)
    removed = thin_folder(tmp_path, NOW, ThinningPolicy(0, 0, 0, 0, 0))
    assert len(removed) == 4
    assert [info.taken_at for info in list_backups(tmp_path)] == [NOW]


def test_recent_backups_are_capped() -> None:
    stamps = [NOW - timedelta(minutes=10 * i) for i in range(60)]
    kept = kept_indices(stamps, NOW, ThinningPolicy(recent_cap=48, daily=0, weekly=0, monthly=0))
    assert kept == frozenset(range(48))


def test_old_backups_survive_a_long_pause() -> None:
    stamps = [datetime(2024, 1, 1) + timedelta(days=d) for d in range(10)] + [NOW]
    kept = kept_indices(stamps, NOW, ThinningPolicy(daily=3, weekly=0, monthly=0))
    assert {stamps[i] for i in kept} == {NOW, datetime(2024, 1, 10), datetime(2024, 1, 9)}


def test_the_just_made_backup_is_kept_even_with_an_older_name(tmp_path: Path) -> None:
    fake_backups(tmp_path, [NOW, NOW - timedelta(days=400)])
    newest = tmp_path / backup_name(NOW - timedelta(days=400))
    thin_folder(tmp_path, NOW, ThinningPolicy(0, 0, 0, 0, 0), newest=newest)
    assert newest.exists()


# --- mirror ---------------------------------------------------------------------------


def test_mirror_receives_a_verified_copy_and_is_thinned(database: Database, tmp_path: Path) -> None:
    mirror = tmp_path / "usb"
    mirror.mkdir()
    fake_backups(mirror, [NOW - timedelta(days=d) for d in range(1, 20)])
    (mirror / "bai-hat.mp3").write_bytes(b"music")
    result = service(database, tmp_path / "backups", mirror=mirror).back_up()
    assert result.mirror_error is None
    assert result.mirror_path == mirror / result.backup.path.name
    assert result.mirror_path.read_bytes() == result.backup.path.read_bytes()
    survivors = {info.taken_at.day for info in list_backups(mirror)}
    assert survivors == {24, 23, 22, 21, 20, 19, 18, 15, 8}  # 7 days, then weeks 46 and 45
    assert len(result.mirror_removed) == 19 - 8
    assert (mirror / "bai-hat.mp3").exists()
    assert list(mirror.glob("*.part")) == []


def test_an_unplugged_mirror_is_reported_not_fatal(database: Database, tmp_path: Path) -> None:
    result = service(database, tmp_path / "backups", mirror=tmp_path / "E-khong-co").back_up()
    assert result.backup.path.exists()
    assert result.mirror_path is None
    assert result.mirror_error is not None and "USB" in result.mirror_error
    assert not (tmp_path / "E-khong-co").exists()  # never created on the wrong disk
    assert "USB" in result.summary()


def test_a_mirror_copy_that_reads_back_wrong_is_not_renamed(database: Database, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    mirror = tmp_path / "usb"
    mirror.mkdir()
    monkeypatch.setattr(app.database_files, "file_sha256", lambda path, report=None: "0" * 64)
    result = service(database, tmp_path / "backups", mirror=mirror).back_up()
    assert result.mirror_error is not None and "không khớp" in result.mirror_error
    assert list(mirror.iterdir()) == []


def test_a_backup_with_no_database_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BackupError):
        BackupService(OFFICER, tmp_path / "none.sqlite", tmp_path / "b", clock=lambda: NOW).back_up()


# --- automatic backups ----------------------------------------------------------------


def test_auto_backup_waits_for_quiet_but_not_forever() -> None:
    schedule = AutoBackupSchedule(quiet_seconds=120, longest_wait_minutes=15)
    assert not schedule.due(NOW)
    schedule.note_change(NOW)
    assert not schedule.due(NOW + timedelta(seconds=119))
    assert schedule.due(NOW + timedelta(seconds=120))
    for minute in range(14):  # a change every minute: never quiet for two
        schedule.note_change(NOW + timedelta(minutes=minute))
    assert not schedule.due(NOW + timedelta(minutes=14, seconds=59))
    assert schedule.due(NOW + timedelta(minutes=15))
    schedule.note_backup_started()
    assert not schedule.pending and schedule.due_at() is None


def test_a_failed_auto_backup_is_retried_later() -> None:
    schedule = AutoBackupSchedule(quiet_seconds=120, longest_wait_minutes=15, retry_minutes=10)
    schedule.note_change(NOW)
    started = NOW + timedelta(minutes=2)
    schedule.note_backup_started()
    schedule.note_backup_failed(started + timedelta(seconds=5), started)
    assert schedule.pending
    assert schedule.due_at() == started + timedelta(minutes=10, seconds=5)


def test_backup_info_is_frozen(tmp_path: Path) -> None:
    info = BackupInfo(tmp_path, NOW, 1)
    with pytest.raises(AttributeError):
        info.size = 2  # type: ignore[misc]
