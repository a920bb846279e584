"""Shared fixtures: a migrated database per test, copied from one template per session.

The template already holds two accounts: the first administrator (ADMIN) and an officer
(OFFICER, the actor of the `services` fixture), so no test pays for Argon2 hashing to get
a signed-in user.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from app.accounts import Accounts, actor_of, username_key  # noqa: E402
from app.audit import AuditTrail  # noqa: E402
from app.demo import DemoSizes, build_demo  # noqa: E402
from app.roles import Actor, Role  # noqa: E402
from app.services import Services  # noqa: E402
from db.migrate import Database, open_database  # noqa: E402
from db.models import User  # noqa: E402

ADMIN = ("quantri", "Trần Văn Quản", "quantri-matkhau")
OFFICER = ("canbo", "Nguyễn Thị Cán", "canbo-matkhau")


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    opened = open_database(path)
    try:
        sessions = sessionmaker(opened.engine, expire_on_commit=False)
        admin = Accounts(sessions, AuditTrail(sessions)).create_first_admin(*ADMIN)
        Services.create(sessions, admin).users.create(*OFFICER[:2], Role.OFFICER, OFFICER[2],
                                                      must_change_password=False)
    finally:
        opened.close()
    return path


@pytest.fixture
def database(template_database: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "tdkt.sqlite"
    shutil.copyfile(template_database, path)
    opened = open_database(path)
    yield opened
    opened.close()


def account(sessions: sessionmaker[Session], username: str) -> Actor:
    """The actor of an account already in the database, without signing in."""
    with sessions() as session:
        return actor_of(session.scalars(select(User).filter_by(username_key=username_key(username))).one())


@pytest.fixture
def sessions(database: Database) -> sessionmaker[Session]:
    return sessionmaker(database.engine, expire_on_commit=False)


@pytest.fixture
def services(sessions: sessionmaker[Session]) -> Services:
    """The services as the template's officer (no administrator rights)."""
    return Services.create(sessions, account(sessions, OFFICER[0]))


DatabaseFile = Callable[[Callable[[Services], object]], Path]


@pytest.fixture
def database_file(template_database: Path, tmp_path: Path) -> DatabaseFile:
    """Make a closed database file filled by `fill(services)` (as the officer): for commands
    run on a path, signing in with OFFICER."""

    def make(fill: Callable[[Services], object]) -> Path:
        path = tmp_path / f"file-{len(list(tmp_path.glob('file-*.sqlite')))}.sqlite"
        shutil.copyfile(template_database, path)
        opened = open_database(path)
        try:
            sessions = sessionmaker(opened.engine, expire_on_commit=False)
            fill(Services.create(sessions, account(sessions, OFFICER[0])))
        finally:
            opened.close()
        return path

    return make


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    """An empty folder standing for the USB stick a package is written to, beside the data
    folder `tmp_path`."""
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def as_officer(path: Path) -> list[str]:
    """`tdkt` arguments opening `path` as OFFICER; use with the `officer_password` fixture."""
    return ["--db", str(path), "--user", OFFICER[0]]


@pytest.fixture
def officer_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """OFFICER's password in TDKT_PASSWORD, as a script would give it to `tdkt`."""
    monkeypatch.setenv("TDKT_PASSWORD", OFFICER[2])


# The day the small demo is built on: 2024 and 2025 worked through, 2026 in progress.
DEMO_NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
SMALL_DEMO = DemoSizes(individuals=300, collectives=25, households=110, villages=4, years=4)


def demo_clock() -> datetime:
    return DEMO_NOW


@pytest.fixture(scope="session")
def small_demo_database(template_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo commune built once (≈5 s): finalised council sessions, issued decisions,
    nominations in every state; for the printed documents and other read-only views."""
    path = tmp_path_factory.mktemp("small-demo") / "demo.sqlite"
    shutil.copyfile(template_database, path)
    opened = open_database(path)
    try:
        sessions = sessionmaker(opened.engine, expire_on_commit=False)
        build_demo(Services.create(sessions, account(sessions, OFFICER[0]), demo_clock), SMALL_DEMO,
                   clock=demo_clock)
    finally:
        opened.close()
    return path


@pytest.fixture
def demo_services(small_demo_database: Path, tmp_path: Path) -> Iterator[Services]:
    """The officer's services on a copy of the small demo, with the clock on DEMO_NOW."""
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(small_demo_database, path)
    opened = open_database(path)
    sessions = sessionmaker(opened.engine, expire_on_commit=False)
    yield Services.create(sessions, account(sessions, OFFICER[0]), demo_clock)
    opened.close()
