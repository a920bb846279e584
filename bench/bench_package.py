"""Export of 300 nominations with their PDFs to one package, against rendering the same PDFs
plus zipping the same files, in one run.

Target: the export takes at most 1.5× (render + zip).
- Ours: `PackageService.export(ids, folder, data_folder)`: reads every record (nomination,
  subject, history window, checks, council, decisions), draws each record's tờ trình and báo cáo
  thành tích, builds the list workbook and the audit excerpt, writes the zip through a temporary
  file, re-opens it and verifies every hash and schema, then records the package.
- Baseline, in the same run: the same PDFs drawn by `PrintService.pdf` (same documents, same
  font), then the exported package's entries (read back beforehand) zipped into a new file with
  the same compression.

The database is a small demo (bench/out/) with 300 people given a sudden-feat Bằng khen tỉnh
proposal by the simplified procedure (L2022 Điều 85), checked and proposed to the province,
each with one scanned confirmation attached (`--scan-kb`, random bytes behind a PDF header: a
scan does not compress), which the export streams from the data folder and hashes again.

Run: python -m bench.bench_package [--nominations 300] [--scan-kb 300]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from app.demo import DemoSizes
from app.documents.kinds import Kind, Owner
from app.nomination_states import Procedure
from app.roles import SYSTEM_ACTOR
from app.services import Services
from bench.large_database import large_database
from db.migrate import open_database
from db.models import Individual

TARGET_RATIO = 1.5
SIZES = DemoSizes(individuals=800, collectives=20, households=0, villages=3, years=5, worked=0)
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
EVENT, CHECKED, PROPOSED = date(2026, 10, 5), date(2026, 10, 9), date(2026, 10, 14)
HEAD = "Nguyễn Văn Bình"
SUMMARY = ("Ngày 05/10/2026, khi lũ lên nhanh ở thôn, đồng chí đã cùng lực lượng xung kích cứu "
           "được ba người dân mắc kẹt và di dời tài sản của năm hộ gia đình đến nơi an toàn.")


def clock() -> datetime:
    return NOW


def prepare(services: Services, count: int, data_folder: Path, scan_kb: int) -> list[int]:
    """`count` people proposed for a sudden-feat Bằng khen tỉnh (simplified procedure), each
    with a scan of `scan_kb` kilobytes attached."""
    with services.sessions() as session:
        people = session.scalars(select(Individual.id).order_by(Individual.id)).all()
    ids: list[int] = []
    for person in people:
        nid = services.nominations.create(subject_id=person, award_code="BK_TINH", year=2026,
                                          procedure=Procedure.SIMPLIFIED, event_date=EVENT,
                                          achievement_summary=SUMMARY)
        if services.nominations.check(nid, CHECKED).verdict.value == "eligible":
            ids.append(nid)
            if scan_kb:
                scan = data_folder / "scan.pdf"
                scan.write_bytes(b"%PDF-1.4\n" + os.urandom(scan_kb * 1024))
                services.nominations.attach(nid, scan, "", data_folder)
        if len(ids) == count:
            break
    services.nominations.propose(ids, PROPOSED)
    for nid in ids:  # the people work in units: their report needs the unit head's name
        services.printing.save_texts(Kind.REPORT, Owner("nomination", nid), {"left_name": HEAD})
    return ids


def render_same_pdfs(services: Services, ids: list[int]) -> int:
    """Each record's tờ trình and báo cáo thành tích, as the export draws them."""
    drawn = 0
    for nid in ids:
        for kind in (Kind.PROPOSAL, Kind.REPORT):
            drawn += len(services.printing.pdf(kind, [Owner("nomination", nid)], invariant=True))
    return drawn


def zip_same_files(package: Path, out: Path) -> float:
    """The package's entries, read back beforehand, zipped again with the same compression."""
    with zipfile.ZipFile(package) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    started = time.perf_counter()
    with zipfile.ZipFile(out, "w") as target:
        for info, data in entries:
            target.writestr(info, data, compress_type=info.compress_type)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nominations", type=int, default=300)
    parser.add_argument("--scan-kb", type=int, default=300, help="size of each attached scan (0: none)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / "package.sqlite"
        shutil.copyfile(large_database(SIZES), path)
        database = open_database(path)
        try:
            services = Services.create(sessionmaker(database.engine, expire_on_commit=False), SYSTEM_ACTOR,
                                       clock)
            started = time.perf_counter()
            ids = prepare(services, args.nominations, root, args.scan_kb)
            print(f"prepared {len(ids)} proposed nominations in {time.perf_counter() - started:.1f} s")
            services.printing.font()  # resolved before either clock starts
            render_same_pdfs(services, ids[:2])  # warm: the layout engine and the font's glyph cache

            started = time.perf_counter()
            pdf_bytes = render_same_pdfs(services, ids)
            render_seconds = time.perf_counter() - started

            (root / "out").mkdir()
            started = time.perf_counter()
            result = services.packages.export(ids, root / "out", path.parent)
            export_seconds = time.perf_counter() - started
            zip_seconds = zip_same_files(result.path, root / "same.zip")
        finally:
            database.close()
    baseline = render_seconds + zip_seconds
    ratio = export_seconds / baseline
    print(f"records: {result.record_count}; package {result.size / 1e6:.1f} MB "
          f"(PDFs {pdf_bytes / 1e6:.1f} MB, scans {len(ids) * args.scan_kb / 1e3:.1f} MB); "
          f"verified: {result.verification.ok}")
    print(f"render the PDFs : {render_seconds:.2f} s")
    print(f"zip the files   : {zip_seconds:.2f} s")
    print(f"export (ours)   : {export_seconds:.2f} s")
    print(f"ratio {ratio:.2f} (target ≤ {TARGET_RATIO}): {'met' if ratio <= TARGET_RATIO else 'NOT met'}")


if __name__ == "__main__":
    main()
