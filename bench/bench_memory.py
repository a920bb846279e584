"""Resident memory of the app with 100,000 individuals listed in the main window.

Target: ≤ 250 MB (VmRSS once the individuals tab lists everyone). Baseline, measured in the
same run: the RSS of a bare PySide6 window, and of the app's window before the list arrives.
Uses a database with 100,000 individuals (plus collectives, households and villages).

Run: python -m bench.bench_memory [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics

from bench.bench_startup import app_args, run_child
from bench.large_database import PEOPLE_100K, large_database

TARGET_MB = 250.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = large_database(PEOPLE_100K)
    app = app_args(path)
    bare = [run_child("--bare")["shown"] for _ in range(args.runs)]
    runs = [run_child(*app) for _ in range(args.runs)]

    def mb(values: list[float]) -> float:
        return statistics.median(values)

    people = int(app[-1])
    shown = mb([r["shown"].rss_mb for r in runs])
    listed = mb([r["listed"].rss_mb for r in runs])
    peak = mb([r["listed"].peak_mb for r in runs])
    print(f"Memory on {path.name} ({people} individuals), median of {args.runs} runs\n")
    print(f"{'baseline: bare QMainWindow':40} RSS {mb([e.rss_mb for e in bare]):6.0f} MB")
    print(f"{'main window shown, list not yet loaded':40} RSS {shown:6.0f} MB")
    print(f"{'main window listing every individual':40} RSS {listed:6.0f} MB   peak {peak:.0f} MB")
    print(f"{'per listed row':40}     {(listed - shown) * 1024 * 1024 / people:6.0f} bytes")
    verdict = "meets" if listed <= TARGET_MB else "MISSES"
    print(f"\nTarget RSS ≤ {TARGET_MB:.0f} MB with {people} individuals listed: {verdict} ({listed:.0f} MB)")


if __name__ == "__main__":
    main()
