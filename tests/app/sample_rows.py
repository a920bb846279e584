"""Rows written straight through an engine, for tests that must not depend on the services."""

from __future__ import annotations

import uuid
from datetime import datetime

from db.migrate import Database

STAMP = datetime(2026, 11, 24, 10, 0, 0)


def add_village(database: Database, name: str) -> str:
    """Insert a village as the register service would; returns its uuid."""
    village_uuid = str(uuid.uuid4())
    with database.engine.begin() as connection:
        subject_id = connection.exec_driver_sql(
            "INSERT INTO subjects (uuid, kind, name, search_text, sort_key, note, created_at, "
            "updated_at) VALUES (?, 'village', ?, ?, ?, '', ?, ?) RETURNING id",
            (village_uuid, name, name.lower(), name, STAMP, STAMP),
        ).scalar_one()
        connection.exec_driver_sql(
            "INSERT INTO villages (id, village_kind, difficult_area, ethnic_minority_area) "
            "VALUES (?, 'thon', 0, 0)", (subject_id,))
    return village_uuid
