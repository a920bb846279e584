"""Write failures become a clear message and leave the data as it was."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import sessionmaker

from app.services import Services
from app.subject_data import IndividualData
from db.engine import StorageError
from db.migrate import Database
from tests.conftest import OFFICER, account


def test_full_disk_is_reported_and_rolls_back(database: Database) -> None:
    sessions = sessionmaker(database.engine, expire_on_commit=False)
    services = Services.create(sessions, account(sessions, OFFICER[0]))
    services.subjects.create(IndividualData("Lê Văn Đầu", "male", date(1970, 1, 1)))
    with database.engine.connect() as connection:
        pages = connection.execute(text("PRAGMA page_count")).scalar()
    database.engine.dispose()

    @event.listens_for(database.engine, "connect")
    def _limit(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 1}")

    many = [IndividualData(f"Nguyễn Văn Số {i}", "male", date(1980, 1, 1), note="x" * 500)
            for i in range(300)]
    with pytest.raises(StorageError, match="Ổ đĩa đã đầy"):
        services.subjects.create_many(many)
    assert [r.name for r in services.subjects.rows()] == ["Lê Văn Đầu"]
