"""kill -9 during writes: the short run of `bench/bench_kill.py` (the long one runs 200+ kills),
and the checks it relies on, shown to catch a loss, a half transaction and a damaged file."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from bench.bench_kill import KillReport, check, run_kills, summary
from bench.kill_writer import new_person, write_one
from db.migrate import open_database


@pytest.mark.skipif(os.name == "nt", reason="Windows has no SIGKILL to kill the writer with")
def test_killed_writers_lose_no_committed_person_and_never_damage_the_database(tmp_path: Path) -> None:
    report = run_kills(tmp_path / "kill.sqlite", kills=15, seed=2026)

    assert report.kills == 15, summary(report)
    assert report.confirmed > 0, summary(report)
    assert report.lost == set(), summary(report)
    assert report.half == set(), summary(report)
    assert report.damaged == [], summary(report)
    assert report.moments["mid-transaction"] > 0, summary(report)


@pytest.fixture
def people_file(template_database: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    """A database with three people written the way the writer writes them."""
    path = tmp_path / "people.sqlite"
    shutil.copyfile(template_database, path)
    database = open_database(path)
    rng = random.Random(7)
    uuids = []
    try:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        for _ in range(3):
            person = new_person(rng, datetime(2026, 1, 2))
            with sessions.begin() as session:
                write_one(session, rng, person)
            uuids.append(person.uuid)
    finally:
        database.close()
    return path, uuids


def test_check_passes_a_sound_file(people_file: tuple[Path, list[str]]) -> None:
    path, uuids = people_file
    report = KillReport()

    check(path, set(uuids), report)

    assert report.ok and report.people == 3, summary(report)


def test_check_reports_a_confirmed_person_missing(people_file: tuple[Path, list[str]]) -> None:
    path, uuids = people_file
    report = KillReport()

    check(path, {*uuids, "00000000-0000-4000-8000-000000000000"}, report)

    assert report.lost == {"00000000-0000-4000-8000-000000000000"}


def test_check_reports_a_person_without_all_their_history(people_file: tuple[Path, list[str]]) -> None:
    path, uuids = people_file
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("DELETE FROM annual_ratings WHERE subject_id = "
                           "(SELECT id FROM subjects WHERE uuid = ?) AND rowid IN "
                           "(SELECT max(rowid) FROM annual_ratings)", (uuids[-1],))
    report = KillReport()

    check(path, set(uuids), report)

    assert report.half == {uuids[-1]}


def test_check_reports_a_damaged_file(people_file: tuple[Path, list[str]]) -> None:
    path, uuids = people_file
    with path.open("r+b") as file:
        page_size = int.from_bytes(file.read(18)[16:18], "big")  # from the SQLite file header
        file.seek(2 * page_size)
        file.write(b"\xff" * page_size)
    report = KillReport()

    check(path, set(uuids), report)

    assert report.damaged and not report.ok
