"""Start-up time: process start to main window shown, on the 100k-subject database.

Target: ≤ 3× a bare PySide6 window. Baseline, measured in the same run: a process that only
shows an empty QMainWindow. Both run as child processes under QT_QPA_PLATFORM=offscreen
(bench/startup_driver.py); the clock starts before the child is spawned and stops when it
reports that `show()` has been processed. Also reported: the time until the individuals
tab lists every person, and resident memory (VmRSS) at both moments.

Run: python -m bench.bench_startup [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from app.demo_accounts import DEMO_ADMIN, DEMO_PASSWORD
from bench.large_database import OUT, large_database

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 3.0
TIMEOUT_S = 180


@dataclass(frozen=True)
class Event:
    name: str
    seconds: float
    rss_mb: float
    peak_mb: float


def run_child(*args: str) -> dict[str, Event]:
    """Start the driver with `args` and time each line it prints."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(OUT / "config"),
               TDKT_PASSWORD=DEMO_PASSWORD)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app has its .pyc files; so should we
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "bench.startup_driver", *args], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    events: dict[str, Event] = {}
    try:
        assert child.stdout is not None
        for line in child.stdout:
            name, rss, peak, *_ = line.split()
            events[name] = Event(name, time.perf_counter() - started, int(rss) / 1024, int(peak) / 1024)
        child.wait(TIMEOUT_S)
    except subprocess.TimeoutExpired:
        child.kill()
        raise
    if child.returncode != 0 or not events:
        raise RuntimeError(f"driver failed ({child.returncode}): {child.stderr.read() if child.stderr else ''}")
    return events


def individuals_in(path: Path) -> int:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM individuals").fetchone()[0]
    finally:
        connection.close()


def app_args(path: Path) -> tuple[str, ...]:
    return ("--user", DEMO_ADMIN.username, "--database", str(path.resolve()),
            "--expect", str(individuals_in(path)))


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each; one warm-up run is discarded")
    args = parser.parse_args()
    path = large_database()
    app = app_args(path)
    run_child("--bare")  # warm-up: page cache for Python, Qt and the database file
    run_child(*app)
    bare, started = [], []
    for _ in range(args.runs):
        bare.append(run_child("--bare"))
        started.append(run_child(*app))

    bare_shown = median([run["shown"].seconds for run in bare])
    shown = median([run["shown"].seconds for run in started])
    listed = median([run["listed"].seconds for run in started])
    print(f"Start-up on {path.name} ({app[-1]} individuals), median of {args.runs} runs\n")
    print(f"{'baseline: bare QMainWindow shown':44} {bare_shown * 1000:7.0f} ms   "
          f"RSS {median([r['shown'].rss_mb for r in bare]):5.0f} MB")
    print(f"{'main window shown':44} {shown * 1000:7.0f} ms   "
          f"RSS {median([r['shown'].rss_mb for r in started]):5.0f} MB")
    print(f"{'signed in, listing every individual':44} {listed * 1000:7.0f} ms   "
          f"RSS {median([r['listed'].rss_mb for r in started]):5.0f} MB  "
          f"(peak {median([r['listed'].peak_mb for r in started]):.0f} MB)")
    ratio = shown / bare_shown
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"\nTarget shown ≤ {TARGET_RATIO:.0f}× bare window: {verdict} ({ratio:.1f}×)")


if __name__ == "__main__":
    main()
