"""Register search on 100,000 subjects: p50/p95/max of `SubjectService.search(text)`.

Target: p95 ≤ 10 ms. The queries are what an officer types, drawn from the database itself:
first letters of a given name (each keystroke of the search box), whole names with and
without diacritics, family name plus given name, abbreviated words, names with Đ typed as
"d" or "đ", citizen ID numbers, collective and household names.

Baseline, measured in the same run on the same queries: the FTS5 MATCH alone (the floor set
by the index, before the joins, sorting and row objects of the service).

Run: python -m bench.bench_search [--queries 400] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from app.subject_data import fts_query
from app.vietnamese import fold
from bench.large_database import large_database, opened
from db.models import Individual, Subject

TARGET_P95_MS = 10.0
SEED = 11


def make_queries(path: Path, count: int) -> list[tuple[str, str]]:
    """(category, typed text) pairs, reproducible from SEED."""
    rng = random.Random(SEED)
    with opened(path) as services, services.sessions() as session:
        people = session.execute(select(Individual.name, Individual.citizen_id)).all()
        others = session.scalars(select(Subject.name).where(Subject.kind != "individual")).all()
    with_d = [name for name, _ in people if any(w.startswith("Đ") for w in name.split())]
    ids = [citizen_id for _, citizen_id in people if citizen_id]

    def given_prefix() -> str:
        given = fold(rng.choice(people)[0].split()[-1])
        return given[: rng.randint(1, min(3, len(given)))]

    def abbreviated() -> str:
        return " ".join(w[:2] for w in fold(rng.choice(people)[0]).split())

    def d_or_dd() -> str:
        word = next(w for w in rng.choice(with_d).split() if w.startswith("Đ"))
        typed = rng.choice((fold(word), word.lower(), word, fold(word)[:2], "đ", "d"))
        return typed

    makers: dict[str, Callable[[], str]] = {
        "given name prefix (1-3 letters)": given_prefix,
        "given name": lambda: fold(rng.choice(people)[0].split()[-1]),
        "family + given name": lambda: fold(family_and_given(rng.choice(people)[0])),
        "full name, no diacritics": lambda: fold(rng.choice(people)[0]),
        "full name, with diacritics": lambda: rng.choice(people)[0],
        "two letters of each word": abbreviated,
        "Đ typed as d or đ": d_or_dd,
        "citizen ID, first 6 digits": lambda: rng.choice(ids)[:6],
        "citizen ID, whole": lambda: rng.choice(ids),
        "collective/household/village": lambda: " ".join(fold(rng.choice(others)).split()[:3]),
    }
    categories = list(makers)
    return [(category, makers[category]()) for category in
            (categories[i % len(categories)] for i in range(count))]


def family_and_given(name: str) -> str:
    words = name.split()
    return f"{words[0]} {words[-1]}"


def timed(call: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Best of `repeat` runs in milliseconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - started)
    return best * 1000, result


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {p50:7.2f}  p95 {p95:7.2f}  max {ordered[-1]:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3, help="runs per query; the best counts")
    args = parser.parse_args()
    path = large_database()
    queries = make_queries(path, args.queries)

    service_ms: dict[str, list[float]] = defaultdict(list)
    found: dict[str, list[int]] = defaultdict(list)
    tab_ms: list[float] = []
    fts_ms: list[float] = []
    raw = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    with opened(path) as services:
        for _category, text in queries[:20]:  # warm the page cache for both paths
            services.subjects.search(text)
        for category, text in queries:
            elapsed, rows = timed(lambda: services.subjects.search(text), args.repeat)
            service_ms[category].append(elapsed)
            found[category].append(len(rows))  # type: ignore[arg-type]
            tab_ms.append(timed(lambda: services.subjects.search(text, "individual"), args.repeat)[0])
            match = fts_query(text)
            if match is not None:
                fts_ms.append(timed(lambda: raw.execute(
                    "SELECT rowid FROM subjects_fts WHERE subjects_fts MATCH ?", (match,)).fetchall(),
                    args.repeat)[0])
    raw.close()

    every = [ms for values in service_ms.values() for ms in values]
    print(f"Search on {path.name}: {len(queries)} queries, best of {args.repeat} runs each\n")
    print(f"{'category':34} {'results (median/max)':>22}   timings")
    for category, values in service_ms.items():
        counts = found[category]
        print(f"{category:34} {statistics.median(counts):>10.0f} / {max(counts):<9}   {percentiles(values)}")
    print()
    print(f"{'SubjectService.search (all)':34} {'':22}   {percentiles(every)}")
    tab = 'search(text, "individual")'
    print(f"{tab:34} {'(as the register tab)':>22}   {percentiles(tab_ms)}")
    print(f"{'baseline: FTS5 MATCH alone':34} {'':22}   {percentiles(fts_ms)}")
    p95 = sorted(every)[round(0.95 * (len(every) - 1))]
    verdict = "meets" if p95 <= TARGET_P95_MS else "MISSES"
    print(f"\nTarget p95 ≤ {TARGET_P95_MS:.0f} ms: {verdict} ({p95:.2f} ms)")


if __name__ == "__main__":
    main()
