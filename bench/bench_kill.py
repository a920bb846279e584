"""Benchmark: kill -9 a writer process again and again; no committed row may be lost.

    python -m bench.bench_kill [--kills 200] [--seed N] [--folder bench/out/kill]

Starts `bench.kill_writer` on one database file, kills it with SIGKILL at a random moment,
reopens the file with `db.migrate.open_database` (which runs `quick_check`), runs
`PRAGMA integrity_check`, the full-text index check and `PRAGMA foreign_key_check`, and
checks that every person the writer reported as committed is there with all of their
history rows. Then starts the next writer on the same, growing file. Exits with 1 when
anything was lost or damaged. POSIX only (SIGKILL).
"""

from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bench.kill_writer import AWARDS, NOTE, RATINGS
from db.integrity import DatabaseOpenError
from db.migrate import open_database

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "kill"
READY_TIMEOUT = 60.0

# When the kill falls, with how often each is chosen:
# start: 0-50 ms after the process starts (interpreter start-up, database not yet open);
# early: 0-50 ms after the database is open (the first transactions);
# mid-transaction: 0-1 ms after the writer announces the n-th transaction (n from 1 to 30);
# late: 50 ms to 1.5 s after the database is open (tens to hundreds of commits).
MOMENTS = {"start": 1, "early": 2, "mid-transaction": 4, "late": 2}

_PEOPLE = text(f"""
    SELECT s.uuid, i.id IS NOT NULL,
           (SELECT count(*) FROM annual_ratings r WHERE r.subject_id = s.id),
           (SELECT count(*) FROM awards a WHERE a.subject_id = s.id)
    FROM subjects s LEFT JOIN individuals i ON i.id = s.id
    WHERE s.note = '{NOTE}'
""")


@dataclass
class KillReport:
    """What a run of kills found; `ok` when nothing was lost, cut in half or damaged."""

    kills: int = 0
    moments: Counter[str] = field(default_factory=Counter)
    inside_transaction: int = 0  # kills that fell after a 'begin' with no 'commit' line
    confirmed: int = 0  # commits the writer reported
    unreported: int = 0  # people committed whose 'commit' line the kill cut off
    people: int = 0  # people in the file after the last kill
    lost: set[str] = field(default_factory=set)
    half: set[str] = field(default_factory=set)
    damaged: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.lost or self.half or self.damaged)


class Writer:
    """A `bench.kill_writer` child process and a thread reading its protocol lines."""

    def __init__(self, path: Path, seed: int) -> None:
        self.ready = False
        self.begun: list[str] = []
        self.committed: list[str] = []
        self._changed = threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.kill_writer", str(path), "--seed", str(seed)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if not line.endswith("\n"):
                break  # cut off by the kill
            word, _, uuid = line.strip().partition(" ")
            with self._changed:
                if word == "ready":
                    self.ready = True
                elif word == "begin":
                    self.begun.append(uuid)
                elif word == "commit":
                    self.committed.append(uuid)
                self._changed.notify_all()

    def wait_until(self, condition: Callable[[], bool]) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: condition() or self.process.poll() is not None,
                                          READY_TIMEOUT):
                raise TimeoutError("the writer sent nothing for a minute")

    def kill(self) -> None:
        """SIGKILL, then collect the lines it managed to send."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)
        assert self.process.stdout is not None and self.process.stderr is not None
        errors = self.process.stderr.read()
        self.process.stdout.close()
        self.process.stderr.close()
        if self.process.returncode != -signal.SIGKILL:
            raise RuntimeError(f"the writer stopped before the kill ({self.process.returncode}):\n{errors}")


def kill_once(path: Path, moment: str, rng: random.Random) -> Writer:
    """Start a writer on `path` and kill it at `moment` (a key of MOMENTS)."""
    writer = Writer(path, rng.randrange(2**31))
    try:
        if moment == "start":
            time.sleep(rng.uniform(0, 0.05))
        elif moment == "mid-transaction":
            transactions = rng.randint(1, 30)
            writer.wait_until(lambda: len(writer.begun) >= transactions)
            time.sleep(rng.uniform(0, 0.001))
        else:
            writer.wait_until(lambda: writer.ready)
            time.sleep(rng.uniform(0, 0.05) if moment == "early" else rng.uniform(0.05, 1.5))
    finally:
        writer.kill()
    return writer


def check(path: Path, confirmed: set[str], report: KillReport) -> None:
    """Reopen as the app does and record what is lost, half written or damaged."""
    try:
        database = open_database(path)
    except DatabaseOpenError as error:
        report.damaged.append(f"open_database: {error}")
        return
    try:
        with database.engine.connect() as connection:
            integrity = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
            if integrity != [("ok",)]:
                report.damaged.append(f"integrity_check: {integrity[:5]}")
            try:
                connection.exec_driver_sql(
                    "INSERT INTO subjects_fts(subjects_fts, rank) VALUES ('integrity-check', 1)")
            except DBAPIError as error:
                report.damaged.append(f"full-text index: {error.orig}")
            connection.rollback()
            orphans = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            report.half.update(f"{table} rowid {rowid}" for table, rowid, *_ in orphans)
            people = connection.execute(_PEOPLE).all()
    finally:
        database.close()
    present = set()
    for uuid, is_person, ratings, awards in people:
        present.add(uuid)
        if not is_person or ratings != RATINGS or awards != AWARDS:
            report.half.add(uuid)
    report.lost.update(confirmed - present)
    report.people = len(present)
    report.unreported = len(present - confirmed)


def run_kills(path: Path, kills: int, seed: int = 0,
              progress: Callable[[KillReport], None] | None = None) -> KillReport:
    """Kill a writer on `path` `kills` times, checking the file after each; stops at damage."""
    if not hasattr(signal, "SIGKILL"):
        raise RuntimeError("the kill test needs SIGKILL (Linux, macOS)")
    rng = random.Random(seed)
    open_database(path).close()  # created before the first kill: the test is about the writes
    report = KillReport()
    confirmed: set[str] = set()
    started = time.perf_counter()
    for _ in range(kills):
        moment = rng.choices(list(MOMENTS), weights=list(MOMENTS.values()))[0]
        writer = kill_once(path, moment, rng)
        confirmed.update(writer.committed)
        report.kills += 1
        report.moments[moment] += 1
        if writer.begun and writer.begun[-1] not in writer.committed:
            report.inside_transaction += 1
        report.confirmed = len(confirmed)
        check(path, confirmed, report)
        if progress is not None:
            progress(report)
        if report.damaged:
            break
    report.elapsed = time.perf_counter() - started
    return report


def summary(report: KillReport) -> list[str]:
    moments = ", ".join(f"{name} {report.moments[name]}" for name in MOMENTS)
    return [
        f"kills:                        {report.kills}  ({moments})",
        f"killed inside a transaction:  {report.inside_transaction}",
        f"commits confirmed:            {report.confirmed}",
        f"committed, line cut off:      {report.unreported}",
        f"people in the file:           {report.people} ({report.people * (1 + RATINGS + AWARDS)} rows)",
        f"rows lost (confirmed people): {len(report.lost)}",
        f"half transactions:            {len(report.half)}",
        f"damaged databases:            {len(report.damaged)}",
        f"elapsed:                      {report.elapsed:.1f} s",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=None, help="default: a new one, printed")
    parser.add_argument("--folder", type=Path, default=OUT)
    args = parser.parse_args()
    seed = random.randrange(10**6) if args.seed is None else args.seed
    args.folder.mkdir(parents=True, exist_ok=True)
    path = args.folder / "kill-test.sqlite"
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    print(f"database: {path}, seed {seed}", flush=True)

    def progress(report: KillReport) -> None:
        if report.kills % 20 == 0:
            print(f"  {report.kills} kills, {report.confirmed} commits confirmed", flush=True)

    report = run_kills(path, args.kills, seed, progress)
    print("\n".join(summary(report)))
    for problem in sorted(report.lost)[:5] + sorted(report.half)[:5] + report.damaged:
        print(f"  problem: {problem}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
