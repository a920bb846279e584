"""Benchmark: importing 10,000 individuals against a plain openpyxl read-only scan.

    python bench/bench_import.py [--rows 10000]

Generates a workbook in the template's layout, times an openpyxl read-only scan of it
(the floor: any import must read every cell), then the full import (parse, validate,
duplicates, commit) into a fresh database, and prints both times and their ratio.
The target is a ratio of at most 2.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import sessionmaker

from app.excel_columns import INDIVIDUALS
from app.excel_import import commit_import, preview_import
from app.roles import SYSTEM_ACTOR
from app.services import Services
from app.subject_data import CollectiveData, VillageData
from db.migrate import open_database

log = logging.getLogger(__name__)

GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hoa", "Lan", "Minh", "Nam", "Thảo", "Tuấn", "Yến"]
MIDDLE = ["Văn", "Thị", "Đức", "Ngọc", "Minh", "Thanh"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Bùi", "Đỗ"]
VILLAGES = [f"Thôn {i}" for i in range(1, 9)]
UNITS = ["UBND xã", "Trường Tiểu học xã", "Trạm Y tế xã", "Hợp tác xã Nông nghiệp"]


def write_workbook(path: Path, rows: int) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(INDIVIDUALS.label)
    sheet.append([c.header for c in INDIVIDUALS.columns])
    for i in range(rows):
        name = f"{FAMILY[i % 8]} {MIDDLE[i % 6]} {GIVEN[i % 12]} {i}"
        born = date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
        sheet.append([
            name, "Nữ" if i % 2 else "Nam", born, f"{i:012d}", "Kinh", "Không",
            "Đồng Nai", f"Thôn {1 + i % 8}", "Chuyên viên", UNITS[i % 4], VILLAGES[i % 8],
            "Công chức" if i % 3 else "nong dan", "Không", f"01/0{1 + i % 9}/2010", "Không",
            "Không", "",
        ])
    workbook.save(path)


def scan(path: Path) -> int:
    """The baseline: every value of the first sheet through openpyxl in read-only mode."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def run(rows: int) -> tuple[float, float, float, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ca-nhan.xlsx"
        write_workbook(path, rows)
        database = open_database(Path(folder) / "bench.sqlite")
        try:
            services = Services.create(sessionmaker(database.engine, expire_on_commit=False), SYSTEM_ACTOR)
            for village in VILLAGES:
                services.subjects.create(VillageData(village))
            for unit in UNITS:
                services.subjects.create(CollectiveData(unit, "agency"))

            started = time.perf_counter()
            scanned = scan(path)
            baseline = time.perf_counter() - started
            assert scanned == rows + 1

            started = time.perf_counter()
            preview = preview_import(services, "individuals", path)
            parsed = time.perf_counter() - started
            assert not preview.errors, preview.errors[:3]
            result = commit_import(services, preview)
            total = time.perf_counter() - started
            assert result.created == rows
        finally:
            database.close()
    return baseline, parsed, total - parsed, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    baseline, parsed, committed, total = run(args.rows)
    print(f"rows:                       {args.rows}")
    print(f"openpyxl read-only scan:    {baseline:6.2f} s")
    print(f"import: preview (parse, validate, duplicates) {parsed:6.2f} s")
    print(f"import: commit (one transaction)              {committed:6.2f} s")
    print(f"import total:               {total:6.2f} s")
    print(f"ratio import / scan:        {total / baseline:6.2f}  (target <= 2.00)")


if __name__ == "__main__":
    main()
