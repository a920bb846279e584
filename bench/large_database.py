"""The 100,000-subject demo database the benchmarks share, built once and kept in bench/out/.

The file name carries a hash of everything that shapes it (sizes, seed, year, the demo
generator, the services and rules its emulation years run through, and the schema
revision), so a change to any of them builds a new one.
Run `python -m bench.large_database` to build it ahead of time (a few minutes).

Its history is all bulk (`DemoSizes.worked=0`): no year is worked through the emulation
year's services. At this size the checker's proposal alone would judge some 20,000
households and every rated person each year, and each of the thousands of candidates
becomes a nomination checked, voted and decided one by one: far beyond minutes. The
benchmarks here measure the register (lists, search, memory, import); the emulation-year
flow is timed on the default demo (`tdkt demo`).
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from app import divisions
from app.audit import AuditTrail
from app.commune import CommuneSetup, OfficialData
from app.demo import DemoSizes, build_demo
from app.demo_accounts import create_demo_accounts
from app.roles import SYSTEM_ACTOR
from app.services import Services
from db.migrate import MIGRATIONS_DIR, head_revision, open_database

OUT = Path(__file__).resolve().parent / "out"
SIZES = DemoSizes(individuals=80_000, collectives=1_500, households=18_000, villages=500, years=5, worked=0)
# For the memory benchmark: 100,000 people in the individuals tab.
PEOPLE_100K = DemoSizes(individuals=100_000, collectives=1_500, households=22_000, villages=500, years=5,
                        worked=0)
APP = Path(__file__).resolve().parent.parent / "app"
# What the demo runs, so a change to it builds a new database: the generator (app/demo*.py),
# the keys it derives, the services its current year goes through and the checker's rules.
SOURCES = ("demo*.py", "vietnamese.py", "subjects.py", "history.py", "movements.py", "registrations.py",
           "annual_review.py", "review_proposal.py", "nominations.py", "nomination_flow.py", "council.py",
           "council_tally.py", "decisions.py", "document_register.py", "work_calendar_service.py",
           "working_days.py", "eligibility_service.py", "eligibility_snapshots.py", "eligibility/*.py")
SEED = 2026
PROVINCE_CODE = 75  # Đồng Nai


def large_database(sizes: DemoSizes = SIZES, rebuild: bool = False) -> Path:
    """Path of the cached demo database of `sizes` (100k subjects), building it when missing."""
    fingerprint = hashlib.sha1()
    for part in (repr(sizes), str(SEED), str(date.today().year), head_revision()):
        fingerprint.update(part.encode())
    for source in sorted({path for pattern in SOURCES for path in APP.glob(pattern)}):
        fingerprint.update(source.relative_to(APP).as_posix().encode())
        fingerprint.update(source.read_bytes())
    for migration in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):  # the schema, indexes
        fingerprint.update(migration.read_bytes())
    path = OUT / f"large-{fingerprint.hexdigest()[:12]}.sqlite"
    if path.exists() and not rebuild:
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    total = sizes.individuals + sizes.collectives + sizes.households + sizes.villages
    print(f"Building {path.name} ({total} subjects)…", file=sys.stderr, flush=True)
    database = open_database(partial)
    try:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        # The demo accounts (app/demo_accounts.py), so a benchmark can sign in as in the app.
        services = Services.create(sessions, create_demo_accounts(sessions, AuditTrail(sessions)))
        commune = next(c for c in divisions.communes(PROVINCE_CODE) if c.kind == "xã")
        services.commune.save(CommuneSetup(
            province_code=PROVINCE_CODE, commune_code=commune.code,
            place_name=divisions.default_place_name(commune),
            officials=(OfficialData("chairman", "Nguyễn Văn Bình"),
                       OfficialData("officer", "Trần Thị Thu Hà")),
        ))
        summary = build_demo(services, sizes, seed=SEED)
        with database.engine.connect() as connection:  # fold the WAL into the file before renaming
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        database.close()
    partial.replace(path)
    Path(f"{partial}.lock").unlink(missing_ok=True)
    print(f"Built in {time.perf_counter() - started:.0f} s: {summary}", file=sys.stderr)
    return path


@contextmanager
def opened(path: Path) -> Iterator[Services]:
    """The app's services on `path`, opened the way the app opens it (acting as the system)."""
    database = open_database(path)
    try:
        yield Services.create(sessionmaker(database.engine, expire_on_commit=False), SYSTEM_ACTOR)
    finally:
        database.close()


if __name__ == "__main__":
    rebuild = "--rebuild" in sys.argv[1:]
    for wanted in (SIZES, PEOPLE_100K):
        print(large_database(wanted, rebuild))
