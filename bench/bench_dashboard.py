"""The dashboard on the 100,000-subject database: from constructing it to every chart filled.

Target: under 1 s from `Dashboard(services, read_pool, today)` to `loaded` (the year
overview, the year's figures and the five-year trend read on the read pool and drawn), under
QT_QPA_PLATFORM=offscreen. Printed beside it, in the same run: `StatisticsService.figures`
alone for the year, the trend and the year overview alone, and the switch to the last full
year of history (the current year of the benchmark database holds few awards).

The first opening is the one a user waits for: it is timed on its own, then the best and
median of `--runs` further openings.

Run: python -m bench.bench_dashboard [--runs 5] [--database FILE]
(`--database` times a copy of another database, e.g. a cached one of an earlier day.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEventLoop, QMessageLogContext, QThreadPool, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication
from sqlalchemy.orm import sessionmaker

from app.roles import SYSTEM_ACTOR
from app.services import Services
from bench.large_database import SIZES, large_database
from db.migrate import open_database
from ui.dashboard import Dashboard

TARGET_SECONDS = 1.0
READ_THREADS = 2  # as ui/workspace.py
TIMEOUT_MS = 60_000


def open_and_wait(services: Services, pool: QThreadPool, today: date) -> tuple[float, Dashboard]:
    """Seconds from constructing the dashboard to every part of its year shown."""
    loop = QEventLoop()
    started = time.perf_counter()
    dashboard = Dashboard(services, pool, today)
    dashboard.resize(1200, 900)
    dashboard.show()
    if not dashboard.ready:
        dashboard.loaded.connect(loop.quit)
        QTimer.singleShot(TIMEOUT_MS, loop.quit)
        loop.exec()
    elapsed = time.perf_counter() - started
    if not dashboard.ready:
        raise RuntimeError(f"the dashboard did not load: {dashboard.status.text()}")
    return elapsed, dashboard


def switch_and_wait(dashboard: Dashboard, year: int) -> float:
    loop = QEventLoop()
    dashboard.loaded.connect(loop.quit)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    started = time.perf_counter()
    dashboard.set_year(year)
    loop.exec()
    return time.perf_counter() - started


def timed(work: Callable[[], object], runs: int) -> float:
    """The best of `runs` calls, in seconds."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def _quiet_size_hints(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's messages on stderr, less the offscreen platform's note that it cannot size windows."""
    if "does not support propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", type=Path, help="time a copy of this database instead")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qInstallMessageHandler(_quiet_size_hints)
    qt_app = QApplication([])
    source = args.database or large_database(SIZES)
    today = date.today()
    last_year = today.year - 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dashboard.sqlite"
        shutil.copyfile(source, path)
        database = open_database(path)  # migrates an older copy, as the app would
        pool = QThreadPool()
        pool.setMaxThreadCount(READ_THREADS)
        try:
            services = Services.create(sessionmaker(database.engine, expire_on_commit=False), SYSTEM_ACTOR)
            first, dashboard = open_and_wait(services, pool, today)
            figures = dashboard.figures
            assert figures is not None
            opened = []
            for _ in range(args.runs):
                dashboard.close()
                dashboard.deleteLater()
                elapsed, dashboard = open_and_wait(services, pool, today)
                opened.append(elapsed)
            switched = []
            for _ in range(args.runs):
                switched.append(switch_and_wait(dashboard, last_year))
                switch_and_wait(dashboard, today.year)
            last = services.statistics.figures(last_year)
            figures_now = timed(lambda: services.statistics.figures(today.year), args.runs)
            figures_last = timed(lambda: services.statistics.figures(last_year), args.runs)
            trend = timed(lambda: services.statistics.trend(range(today.year - 4, today.year + 1)), args.runs)
            overview = timed(lambda: services.year_overview.overview(today.year, today), args.runs)
            dashboard.close()
            pool.waitForDone()
        finally:
            database.close()
    qt_app.processEvents()
    subjects = SIZES.individuals + SIZES.collectives + SIZES.households + SIZES.villages
    print(f"Dashboard on {source.name} ({subjects} subjects when built by large_database), offscreen, "
          f"{READ_THREADS} read threads")
    print(f"year {today.year}: {figures.total} awards counted; year {last_year}: {last.total}")
    rows = [
        ("first opening, construction → all charts filled", f"{first:.3f} s"),
        (f"further openings (best / median of {args.runs})", f"{min(opened):.3f} / {statistics.median(opened):.3f} s"),
        (f"switch to {last_year} (best / median)", f"{min(switched):.3f} / {statistics.median(switched):.3f} s"),
        (f"StatisticsService.figures({today.year}) alone (best)", f"{figures_now:.3f} s"),
        (f"StatisticsService.figures({last_year}) alone (best)", f"{figures_last:.3f} s"),
        ("StatisticsService.trend(5 years) alone (best)", f"{trend:.3f} s"),
        ("YearOverviewService.overview alone (best)", f"{overview:.3f} s"),
    ]
    for label, value in rows:
        print(f"{label:52} {value}")
    worst = max(first, max(switched))
    verdict = "met" if worst < TARGET_SECONDS else "NOT met"
    print(f"target < {TARGET_SECONDS:.0f} s for opening and switching years: {verdict} ({worst:.3f} s)")


if __name__ == "__main__":
    main()
