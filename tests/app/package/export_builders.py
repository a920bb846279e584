"""Test data for the export: a nomination taken through the standard procedure with the real
services (checked, voted by a finalised council session, posted, proposed to the province),
with the scan its dossier needs, on the small demo."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

from app.history import InitiativeRecord, RatingRecord
from app.services import Services
from app.subject_data import IndividualData

STANDARD_NAME = "Lê Thị Hồng Nhung"
RESCUER = "Trần Văn Hải"  # the sudden feat's subject (package_rows.proposed_sudden)
COUNCIL_TITLE = "Phiên họp xét đề nghị Bằng khen tỉnh"
PLANNED, HELD, POSTED, PROPOSED = date(2026, 10, 20), date(2026, 10, 21), date(2026, 10, 22), date(2026, 11, 5)
INITIATIVES = "xac_nhan_sang_kien"  # the dossier part the initiatives route needs attached
# The smallest file the attachments accept as a PDF (they look at the first bytes only).
SCAN = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def standard_subject(services: Services, name: str = STANDARD_NAME) -> int:
    """A civil servant with two years «hoàn thành xuất sắc» and an initiative each year: the
    Bằng khen tỉnh route «initiatives» (L2022 Điều 74 k1 d) for 2025."""
    person = services.subjects.create_many([IndividualData(
        name, "female", birth_date=date(1985, 3, 4), employment="cong_chuc", home_town="Xã Phước An",
        job_title="Công chức Văn phòng - Thống kê")])[0]
    for year in (2024, 2025):
        services.history.save(person, RatingRecord(year, "htxs"))
        services.history.save(person, InitiativeRecord(
            year, f"Số hóa hồ sơ một cửa năm {year}", "base", "Hội đồng sáng kiến xã", f"{year - 2000}/QĐ-UBND",
            date(year, 12, 1)))
    services.history.save(person, RatingRecord(2023, "ht"))  # outside the reporting years
    return person


def proposed_standard(services: Services, data_folder: Path | None = None, name: str = STANDARD_NAME) -> int:
    """A Bằng khen tỉnh nomination for 2025 proposed on 05/11/2026 after a council vote and the
    public notice; with its initiative certificate attached when `data_folder` is given."""
    person = standard_subject(services, name)
    nomination = services.nominations.create(
        subject_id=person, award_code="BK_TINH", year=2025, planned_decision_date=PLANNED,
        achievement_summary="Hai năm liền hoàn thành xuất sắc nhiệm vụ, có hai sáng kiến được công nhận.")
    services.nominations.check(nomination, PLANNED)
    council = services.council.create(2025, HELD, COUNCIL_TITLE)
    members = [member.id for member in services.council.add_nominations(council, [nomination]).members]
    services.council.record(council, attendance={member: True for member in members},
                            ballots=(len(members),) * 3, votes={nomination: len(members) - 1})
    services.council.finalise(council)
    services.nominations.post_notice([nomination], POSTED)
    services.nominations.propose([nomination], PROPOSED)
    if data_folder is not None:
        attach_scan(services, nomination, data_folder)
    return nomination


def attach_scan(services: Services, nomination: int, data_folder: Path, part: str = INITIATIVES) -> None:
    source = data_folder / "scan-input" / "xac-nhan-sang-kien.pdf"
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(SCAN)
    services.nominations.attach(nomination, source, part, data_folder)


def tampered_copy(package: Path, folder: Path) -> Path:
    """A copy of `package` in a new `folder` with one byte of its tờ trình changed."""
    folder.mkdir()
    tampered = folder / package.name
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("to-trinh.pdf"):
                data = data.replace(b"/Producer", b"/Producex", 1)
            target.writestr(info, data)
    return tampered
