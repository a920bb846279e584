"""Opening the database: integrity, version, backup, locking and the migrated schema."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

import db.migrate
from app.history import RatingRecord
from app.services import Services
from app.subject_data import IndividualData
from db.integrity import (
    DatabaseDamagedError,
    DatabaseInUseError,
    DatabaseOpenError,
    DatabaseTooNewError,
)
from db.migrate import Database, open_database
from db.migrate import include_object
from db.models import Base
from tests.conftest import OFFICER, account


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_migrated_schema_matches_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object, "render_as_batch": True}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_connection_pragmas_protect_against_power_loss(database: Database) -> None:
    with database.engine.connect() as connection:
        pragma = lambda name: connection.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") >= 1000


def test_schema_head_constant_is_alembics_head() -> None:
    assert db.migrate.SCHEMA_HEAD == db.migrate.head_revision()


def test_relative_path_is_accepted(template_database: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copyfile(template_database, tmp_path / "rel.sqlite")
    monkeypatch.chdir(tmp_path)
    opened = open_database(Path("rel.sqlite"))
    assert opened.path == tmp_path / "rel.sqlite"
    opened.close()


def test_new_database_has_search_index(database: Database) -> None:
    with database.engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM sqlite_master")).scalars().all()
    assert "subjects_fts" in names
    assert {"subjects_fts_ai", "subjects_fts_ad", "subjects_fts_au"} <= set(names)


def test_empty_file_is_treated_as_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()
    open_database(path).close()
    assert db.migrate.head_revision() == _revision_of(path)


def test_newer_database_is_refused_and_left_untouched(template_database: Path, tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    shutil.copyfile(template_database, path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00dfeed'")
    connection.close()
    before = _digest(path)
    with pytest.raises(DatabaseTooNewError, match="phiên bản TĐKT Xã mới hơn"):
        open_database(path)
    assert _digest(path) == before
    assert not (tmp_path / "backups").exists()


def test_damaged_database_is_refused_and_not_replaced(template_database: Path, tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    shutil.copyfile(template_database, path)
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for offset in range(page_size, len(data), page_size):  # keep the header, break every page
        data[offset : offset + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(DatabaseDamagedError, match="bị hỏng"):
        open_database(path)
    assert _digest(path) == before
    assert path.stat().st_size == len(data)


def test_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("Danh sách khen thưởng năm 2025\n" * 200, encoding="utf-8")
    before = _digest(path)
    with pytest.raises(DatabaseOpenError):
        open_database(path)
    assert _digest(path) == before


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    connection.close()
    with pytest.raises(DatabaseOpenError, match="không phải cơ sở dữ liệu của TĐKT Xã"):
        open_database(path)


def test_folder_that_cannot_be_written_gets_a_clear_message(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "ghi-chu.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    with pytest.raises(DatabaseOpenError, match="Không tạo hoặc ghi được vào thư mục"):
        open_database(not_a_folder / "tdkt.sqlite")
    assert not_a_folder.read_text(encoding="utf-8") == "x"


def test_second_opener_gets_a_clear_message(database: Database) -> None:
    with pytest.raises(DatabaseInUseError, match="đang được mở"):
        open_database(database.path)


def test_second_process_is_refused_while_the_first_holds_the_database(database: Database) -> None:
    script = (
        "import sys; from db.migrate import open_database; from db.integrity import DatabaseInUseError\n"
        "try:\n    open_database(sys.argv[1])\nexcept DatabaseInUseError:\n    sys.exit(3)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(database.path)], timeout=60)
    assert result.returncode == 3


def test_closing_releases_the_lock(template_database: Path, tmp_path: Path) -> None:
    path = tmp_path / "again.sqlite"
    shutil.copyfile(template_database, path)
    open_database(path).close()
    open_database(path).close()


def test_write_failure_at_open_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def read_only(_engine: object) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(db.migrate, "_upgrade", read_only)
    with pytest.raises(DatabaseOpenError, match="Không ghi được"):
        open_database(tmp_path / "ro.sqlite")
    monkeypatch.undo()
    open_database(tmp_path / "ro.sqlite").close()


def _revision_of(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    connection.close()
    return revision


NEXT_REVISION = '''
from alembic import op
import sqlalchemy as sa

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subjects") as batch:
        batch.add_column(sa.Column("extra", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subjects") as batch:
        batch.drop_column("extra")
'''


def test_upgrade_backs_up_first_and_keeps_child_rows(
    template_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copyfile(template_database, path)
    opened = open_database(path)
    sessions = sessionmaker(opened.engine, expire_on_commit=False)
    services = Services.create(sessions, account(sessions, OFFICER[0]))
    person = services.subjects.create(IndividualData("Lê Thị Hoa", "female", date(1985, 3, 8)))
    services.history.save(person.id, RatingRecord(2023, "tot"))
    services.history.save(person.id, RatingRecord(2024, "htxs"))
    opened.close()

    migrations = tmp_path / "migrations"
    shutil.copytree(db.migrate.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    head = db.migrate.head_revision()
    (migrations / "versions" / "9001_test.py").write_text(NEXT_REVISION.format(head=head))
    monkeypatch.setattr(db.migrate, "MIGRATIONS_DIR", migrations)
    monkeypatch.setattr(db.migrate, "SCHEMA_HEAD", "9001")

    upgraded = open_database(path)
    try:
        with upgraded.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM annual_ratings")).scalar() == 2
            assert connection.execute(text("SELECT count(extra) FROM subjects")).scalar() == 0
    finally:
        upgraded.close()
    assert _revision_of(path) == "9001"

    backups = list((tmp_path / "backups").glob("old-truoc-nang-cap-*.sqlite"))
    assert len(backups) == 1
    assert _revision_of(backups[0]) == head
    with sqlite3.connect(backups[0]) as connection:
        assert connection.execute("SELECT name FROM subjects").fetchall() == [("Lê Thị Hoa",)]
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()


def test_a_register_from_before_accounts_keeps_its_data_and_waits_for_a_first_admin(tmp_path: Path) -> None:
    from alembic import command

    from app.accounts import Accounts
    from app.audit import AuditTrail
    from db.engine import create_sqlite_engine

    path = tmp_path / "v1.sqlite"
    engine = create_sqlite_engine(path)
    with engine.connect() as connection:
        config = db.migrate.alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(text(
            "INSERT INTO subjects (id, uuid, kind, name, search_text, sort_key, note, created_at, updated_at) "
            "VALUES (1, 'u-1', 'village', 'Thôn Đông', 'thon dong', 'k', '', '2025-01-01', '2025-01-01')"))
        connection.execute(text("INSERT INTO villages VALUES (1, 'thon', 0, 0)"))
        connection.commit()
    engine.dispose()

    upgraded = open_database(path)
    try:
        sessions = sessionmaker(upgraded.engine, expire_on_commit=False)
        assert not Accounts(sessions, AuditTrail(sessions)).has_users()
        verification = AuditTrail(sessions).verify()
        assert (verification.ok, verification.entries) == (True, 0)
        with upgraded.engine.connect() as connection:
            assert connection.execute(text("SELECT name FROM subjects")).scalars().all() == ["Thôn Đông"]
            triggers = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()
            assert {"audit_entries_no_update", "audit_entries_no_delete", "audit_head_no_rewind",
                    "audit_head_no_delete"} <= set(triggers)
    finally:
        upgraded.close()
    assert _revision_of(path) == db.migrate.SCHEMA_HEAD
