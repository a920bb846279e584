"""A migration that stops half-way (power cut, crash) leaves the file as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from db import migrate
from db.integrity import check_file
from db.migrate import SCHEMA_HEAD, open_database


class PowerCut(Exception):
    pass


def cut_power_at(statement: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the migration's engine fail when it is about to run `statement`."""
    real = migrate.create_sqlite_engine

    def failing_engine(path: Path) -> Engine:
        engine = real(path)

        @event.listens_for(engine, "before_cursor_execute")
        def _cut(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
            if statement in sql:
                raise PowerCut(sql)

        return engine

    monkeypatch.setattr(migrate, "create_sqlite_engine", failing_engine)


def tables(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return sorted(row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'"))
    finally:
        connection.close()


def test_a_new_database_cut_off_while_being_built_holds_no_half_schema(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "new.sqlite"
    cut_power_at("CREATE TABLE users", monkeypatch)  # in revision 0002, after all of 0001
    with pytest.raises(PowerCut):
        open_database(path)
    assert tables(path) == []
    monkeypatch.undo()
    open_database(path).close()  # the next start builds it whole
    assert check_file(path) == SCHEMA_HEAD


def test_an_upgrade_cut_off_half_way_leaves_the_old_schema_and_its_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.sqlite"
    database = open_database(path)
    database.close()
    connection = sqlite3.connect(path)  # back to 0001, as an older app version left it
    with connection:
        for table in ("stored_reports",  # 0007
                      "package_answers", "package_acks", "package_records", "packages",  # 0006
                      "certificate_prints", "certificates", "document_texts",  # 0005
                      "printer_calibrations",
                      "decision_items", "decisions", "register_entries",  # 0004
                      "work_calendar_days", "council_votes", "council_members", "council_quotas",
                      "council_sessions", "nomination_events", "review_candidates",
                      "registrations", "exemplary_models",
                      "rule_setting_values", "eligibility_checks",  # 0003
                      "nominations", "movements",  # 0004, referred to by eligibility_checks
                      "users", "audit_entries", "audit_head", "attachments"):
            connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    connection.close()
    before = tables(path)
    cut_power_at("CREATE TABLE attachments", monkeypatch)
    with pytest.raises(PowerCut):
        open_database(path)
    assert tables(path) == before
    assert check_file(path) == "0001"
    monkeypatch.undo()
    open_database(path).close()
    assert check_file(path) == SCHEMA_HEAD
