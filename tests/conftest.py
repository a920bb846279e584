"""Shared fixtures: a migrated database per test, copied from one template per session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy.orm import sessionmaker  # noqa: E402

from app.services import Services  # noqa: E402
from db.migrate import Database, open_database  # noqa: E402


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    open_database(path).close()
    return path


@pytest.fixture
def database(template_database: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "tdkt.sqlite"
    shutil.copyfile(template_database, path)
    opened = open_database(path)
    yield opened
    opened.close()


@pytest.fixture
def services(database: Database) -> Services:
    return Services.create(sessionmaker(database.engine, expire_on_commit=False))


DatabaseFile = Callable[[Callable[[Services], object]], Path]


@pytest.fixture
def database_file(template_database: Path, tmp_path: Path) -> DatabaseFile:
    """Make a closed database file filled by `fill(services)`: for commands run on a path."""

    def make(fill: Callable[[Services], object]) -> Path:
        path = tmp_path / f"file-{len(list(tmp_path.glob('file-*.sqlite')))}.sqlite"
        shutil.copyfile(template_database, path)
        opened = open_database(path)
        try:
            fill(Services.create(sessionmaker(opened.engine, expire_on_commit=False)))
        finally:
            opened.close()
        return path

    return make
