"""Exporting the package for the province (app/package/export.py): which nominations can go and
why not; the written package verifies and holds what the province needs; the same content
gives the same bytes; a nomination goes once until it changes or is returned, then as a new
version naming the one it supersedes, the old one frozen."""

from __future__ import annotations

import io
import json
import shutil
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from app.documents.kinds import Kind, Owner
from app.package import export
from app.package.acks import ack_document, import_ack
from app.package.format import canonical_json, sha256_hex
from app.package.verify import verify_package
from app.services import Services
from db.migrate import open_database
from db.models import AuditEntry, EligibilityCheck, Nomination, Package, PackageRecord
from tests.app.package.export_builders import (COUNCIL_TITLE, RESCUER, SCAN, STANDARD_NAME, attach_scan,
                                               proposed_standard)
from tests.app.package.package_rows import PROVINCE, context, proposed_sudden
from tests.app.pdf_reading import read_pdf
from tests.conftest import OFFICER, account, demo_clock

TODAY = date(2026, 11, 20)  # the demo's clock, in Việt Nam


def fixed_uuids() -> Callable[[], str]:
    """UUIDs 00000000-0000-4000-8000-000000000001, …002, … in turn."""
    counter = iter(range(1, 10_000))
    return lambda: f"00000000-0000-4000-8000-{next(counter):012d}"


def package_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def records_by_name(files: dict[str, bytes]) -> dict[str, dict]:
    found = [json.loads(data) for name, data in files.items() if name.startswith("records/")]
    return {record["subject"]["name"]: record for record in found}


def candidate(services: Services, nomination_id: int) -> export.Candidate:
    return next(c for c in export.candidates(context(services), None) if c.nomination_id == nomination_id)


def frozen_rows(services: Services) -> list[tuple]:
    with services.sessions() as session:
        return [(r.id, r.uuid, r.package_id, r.nomination_uuid, r.version, r.supersedes_uuid, r.content_sha256)
                for r in session.scalars(select(PackageRecord).order_by(PackageRecord.id))]


# --- which nominations can go


def test_candidates_are_ready_or_say_why_not(demo_services: Services, tmp_path: Path) -> None:
    standard = proposed_standard(demo_services)  # no scan yet
    rescuer = proposed_sudden(demo_services, RESCUER)
    assert candidate(demo_services, rescuer).ready
    waiting = candidate(demo_services, standard)
    assert (waiting.ready, waiting.state_label, waiting.verdict_label, waiting.last_sent) == (
        False, "Đã trình cấp trên", "Đủ điều kiện", "")
    assert waiting.reasons == ("Hồ sơ còn thiếu: Giấy chứng nhận hoặc xác nhận sáng kiến, đề tài là căn cứ đề "
                               "nghị (hãy đính kèm bản scan)",)
    attach_scan(demo_services, standard, tmp_path)
    assert candidate(demo_services, standard).ready


def test_not_yet_proposed_failing_check_and_unprintable_document_are_named(demo_services: Services) -> None:
    checked = proposed_sudden(demo_services, "Lê Văn Sơn")
    demo_services.nominations.return_(checked, "Bổ sung xác nhận của Công an xã")
    demo_services.nominations.reopen(checked)
    demo_services.nominations.check(checked, TODAY)
    assert candidate(demo_services, checked).reasons == (
        "Chưa trình cấp trên: đề nghị đang ở bước «Đã kiểm tra điều kiện»",)

    failing = proposed_sudden(demo_services, RESCUER)
    with demo_services.sessions.begin() as session:
        nomination = session.get_one(Nomination, failing)
        latest = session.scalars(select(EligibilityCheck).where(EligibilityCheck.nomination_id == failing)
                                 .order_by(EligibilityCheck.checked_at.desc())).first()
        assert latest is not None
        session.add(EligibilityCheck(
            subject_id=nomination.subject_id, award_code="BK_TINH", route="sudden", period_end=2026,
            decision_date=TODAY, verdict="not_eligible", rule_set=latest.rule_set,
            engine_version=latest.engine_version, result_json=latest.result_json,
            checked_at=latest.checked_at.replace(year=2027), nomination_id=failing))
    demo_services.printing.save_texts(Kind.PROPOSAL, Owner("nomination", failing), {"signer_name": ""})
    reasons = candidate(demo_services, failing).reasons
    assert reasons[0] == ("Kết quả kiểm tra điều kiện gần nhất là «Không đủ điều kiện»; hãy bổ sung rồi "
                          "kiểm tra lại")
    assert reasons[1].startswith("Không lập được «Tờ trình đề nghị khen thưởng»: Chưa có họ và tên người ký")
    assert len(reasons) == 2


def test_candidates_of_one_year_are_the_province_s_only(demo_services: Services, two: tuple[int, int]) -> None:
    standard, rescuer = two
    assert [c.nomination_id for c in export.candidates(context(demo_services), 2025)] == [standard]
    in_2026 = export.candidates(context(demo_services), 2026)
    assert rescuer in {c.nomination_id for c in in_2026}
    assert all(c.year == 2026 for c in in_2026)


def test_missing_parts_agree_with_the_dossier_checklist(demo_services: Services, two: tuple[int, int]) -> None:
    from app.package.readiness import DRAWN_PARTS, missing_parts
    from app.package.records import read_contents

    for nomination_id in (*two, proposed_standard(demo_services, name="Phạm Văn Tuấn")):
        with demo_services.sessions() as session:
            content = read_contents(session, [nomination_id])[nomination_id]
        expected = [item.label for item in demo_services.nominations.checklist(nomination_id)
                    if not item.present and item.code not in DRAWN_PARTS]
        assert missing_parts(content) == expected


# --- the package written


def test_export_writes_a_verified_package_and_records_it(demo_services: Services, two: tuple[int, int],
                                                         usb: Path, tmp_path: Path) -> None:
    steps: list[tuple[int, int]] = []
    result = demo_services.packages.export(list(two), usb, tmp_path, lambda done, total: steps.append((done, total)))
    commune = demo_services.commune.get()
    assert commune is not None
    assert result.path == usb / f"goi-ho-so-{commune.commune_code}-0001-20261120.zip"
    assert (result.sequence, result.record_count, result.superseding) == (1, 2, 0)
    assert result.verification.ok
    assert verify_package(result.path).ok
    assert demo_services.packages.verify(result.path).ok
    assert steps[-1] == (1000, 1000) and all(a[0] <= b[0] for a, b in zip(steps, steps[1:]))
    assert [p.name for p in usb.iterdir()] == [result.path.name]  # no .part left

    files = package_files(result.path)
    manifest = json.loads(files["manifest.json"])
    assert [f["path"] for f in manifest["files"]] == sorted(name for name in files if name != "manifest.json")
    for listed in manifest["files"]:
        data = files[listed["path"]]
        assert (listed["size"], listed["sha256"]) == (len(data), sha256_hex(data))
    assert (manifest["sequence"], manifest["previous_package_uuid"], manifest["created_at"]) == (
        1, None, "2026-11-20T10:00:00+07:00")
    assert manifest["counts"] == {"records": 2, "subjects": 2, "documents": 5, "attachments": 1, "files": 10}
    with demo_services.sessions() as session:
        package = session.scalars(select(Package)).one()
        rows = session.scalars(select(PackageRecord)).all()
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity_uuid == package.uuid)).one()
    assert (package.uuid, package.sequence, package.file_sha256, package.size, package.record_count,
            package.folder, package.exported_by) == (
        result.package_uuid, 1, result.file_sha256, result.size, 2, str(usb.resolve()), OFFICER[0])
    assert package.manifest_sha256 == sha256_hex(files["manifest.json"])
    assert sorted((r.version, r.supersedes_uuid) for r in rows) == [(1, None), (1, None)]
    assert (entry.action, entry.entity, entry.summary) == ("export", "package",
                                                           "Xuất gói hồ sơ số 1 gửi tỉnh (2 đề nghị)")
    recorded = json.loads(entry.new_values)
    assert sorted(recorded["records"]) == sorted(r.uuid for r in rows)
    assert (recorded["file_name"], recorded["sha256"]) == (result.path.name, result.file_sha256)


def test_the_data_folder_keeps_a_copy_of_what_was_sent(demo_services: Services, two: tuple[int, int], usb: Path,
                                                      tmp_path: Path) -> None:
    """The stick goes to the province; the commune can still show or re-send the package."""
    result = export.export(context(demo_services), list(two), usb, tmp_path)
    copy = tmp_path / "goi-ho-so" / result.path.name
    assert copy.read_bytes() == result.path.read_bytes()
    assert sha256_hex(copy.read_bytes()) == result.file_sha256
    assert [p.name for p in copy.parent.iterdir()] == [copy.name]  # no .part left
    assert verify_package(copy).ok


def test_a_relative_folder_is_stored_resolved(demo_services: Services, two: tuple[int, int], usb: Path,
                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--out usb` from the command line: «Mở thư mục» in the window must still find it."""
    monkeypatch.chdir(tmp_path)
    result = export.export(context(demo_services), list(two), Path("usb"), tmp_path)
    assert result.path == usb.resolve() / result.path.name
    with demo_services.sessions() as session:
        assert session.scalars(select(Package.folder)).one() == str(usb.resolve())


def test_package_holds_records_documents_scans_list_and_audit(demo_services: Services, two: tuple[int, int],
                                                              usb: Path, tmp_path: Path) -> None:
    standard, rescuer = two
    result = export.export(context(demo_services), list(two), usb, tmp_path)
    files = package_files(result.path)
    records = records_by_name(files)
    nhung, hai = records[STANDARD_NAME], records[RESCUER]
    assert nhung["council"]["title"] == COUNCIL_TITLE and hai["council"] is None
    assert [h["type"] for h in nhung["history"]] == ["rating", "initiative", "rating", "initiative"]
    assert nhung["checks"][0]["verdict"] == "eligible"
    (scan,) = nhung["attachments"]
    assert files[scan["path"]] == SCAN

    def text(record: dict, kind: str) -> str:
        path = next(d["path"] for d in record["documents"] if d["kind"] == kind)
        return read_pdf(files[path]).text

    def cells(record: dict, kind: str) -> set[str]:
        """The tables' cells, each cell's wrapped lines joined."""
        path = next(d["path"] for d in record["documents"] if d["kind"] == kind)
        with pdfplumber.open(io.BytesIO(files[path])) as pdf:
            return {unicodedata.normalize("NFC", " ".join((cell or "").split()))
                    for page in pdf.pages for table in page.extract_tables() for row in table for cell in row}

    assert STANDARD_NAME in cells(nhung, "to-trinh") and RESCUER in cells(hai, "to-trinh")
    assert STANDARD_NAME in text(nhung, "bao-cao-thanh-tich")
    assert STANDARD_NAME in cells(nhung, "bien-ban")

    sheet = load_workbook(io.BytesIO(files["danh-sach.xlsx"])).active
    listed = {row[1]: row for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert listed[STANDARD_NAME][9] == nhung["record"]["uuid"]
    assert listed[RESCUER][7] == "Không qua Hội đồng (thủ tục đơn giản)"

    entries = json.loads(files["nhat-ky.json"])["entries"]
    about = {(e["entity_uuid"], e["action"]) for e in entries}
    assert (nhung["nomination"]["uuid"], "propose") in about
    assert (scan["uuid"], "create") in about
    assert all(isinstance(e["id"], int) and len(e["hash"]) == 64 for e in entries)


def test_invariant_pdfs_are_the_same_bytes_every_time(demo_services: Services, two: tuple[int, int]) -> None:
    owner = Owner("nomination", two[0])
    first = demo_services.printing.pdf(Kind.PROPOSAL, [owner], invariant=True)
    assert demo_services.printing.pdf(Kind.PROPOSAL, [owner], invariant=True) == first


def test_same_content_gives_byte_identical_packages(demo_services: Services, two: tuple[int, int],
                                                    tmp_path: Path) -> None:
    """Two copies of the database exporting the same nominations at the same moment with the
    same UUIDs write the same file."""
    copy = tmp_path / "copy"
    copy.mkdir()
    with demo_services.sessions() as session:
        session.connection().exec_driver_sql(f"VACUUM INTO '{copy / 'demo.sqlite'}'")
    shutil.copytree(tmp_path / "attachments", copy / "attachments")
    opened = open_database(copy / "demo.sqlite")
    try:
        sessions = sessionmaker(opened.engine, expire_on_commit=False)
        twin = Services.create(sessions, account(sessions, OFFICER[0]), demo_clock)
        (tmp_path / "a").mkdir()
        (copy / "b").mkdir()
        first = export.export(context(demo_services), list(two), tmp_path / "a", tmp_path, new_uuid=fixed_uuids())
        second = export.export(context(twin), list(two), copy / "b", copy, new_uuid=fixed_uuids())
    finally:
        opened.close()
    assert package_files(first.path)["manifest.json"] == package_files(second.path)["manifest.json"]
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.file_sha256 == second.file_sha256


# --- versions


def test_an_unchanged_nomination_goes_once(demo_services: Services, two: tuple[int, int], usb: Path,
                                           tmp_path: Path) -> None:
    first = export.export(context(demo_services), list(two), usb, tmp_path)
    waiting = candidate(demo_services, two[1])
    assert (waiting.ready, waiting.last_sent, waiting.new_version) == (
        False, "Gói số 1 ngày 20/11/2026: chờ biên nhận", False)
    assert waiting.reasons == ("Đã gửi trong gói số 1 ngày 20/11/2026, chờ biên nhận; nội dung chưa thay đổi từ đó",)
    with pytest.raises(export.PackageError, match=f"{RESCUER} .*Đã gửi trong gói số 1 ngày 20/11/2026, chờ biên nhận"):
        export.export(context(demo_services), [two[1]], usb, tmp_path)
    assert [p.name for p in usb.iterdir()] == [first.path.name]
    assert len(frozen_rows(demo_services)) == 2


def test_a_changed_nomination_goes_again_as_a_new_version(demo_services: Services, two: tuple[int, int],
                                                          usb: Path, tmp_path: Path) -> None:
    standard, rescuer = two
    first = export.export(context(demo_services), list(two), usb, tmp_path)
    sent = frozen_rows(demo_services)
    nominations = demo_services.nominations
    nominations.return_(rescuer, "Bổ sung xác nhận của Công an xã")
    nominations.reopen(rescuer)
    nominations.update(rescuer, achievement_summary="Cứu hai người bị nước cuốn trong lũ; có xác nhận của Công an xã")
    nominations.check(rescuer, TODAY)
    nominations.propose([rescuer], TODAY)
    again = candidate(demo_services, rescuer)
    assert (again.ready, again.new_version, again.last_sent) == (True, True, "Gói số 1 ngày 20/11/2026: chờ biên nhận")
    assert not candidate(demo_services, standard).ready

    second = export.export(context(demo_services), [rescuer], usb, tmp_path)
    assert (second.sequence, second.record_count, second.superseding) == (2, 1, 1)
    manifest = json.loads(package_files(second.path)["manifest.json"])
    assert manifest["previous_package_uuid"] == first.package_uuid
    (record,) = manifest["records"]
    old = next(row for row in sent if row[3] == record["nomination_uuid"])
    assert (record["version"], record["supersedes"]) == (2, old[1])
    body = records_by_name(package_files(second.path))[RESCUER]
    assert body["record"] == {key: record[key] for key in ("uuid", "nomination_uuid", "version", "supersedes")}
    assert frozen_rows(demo_services)[:2] == sent  # version 1 as it was


def test_an_edit_to_a_printed_document_after_sending_makes_a_new_version(
        demo_services: Services, two: tuple[int, int], usb: Path, tmp_path: Path) -> None:
    """The tờ trình the province reads changes with the officer's edit, so the record does."""
    rescuer = two[1]
    export.export(context(demo_services), list(two), usb, tmp_path)
    demo_services.printing.save_texts(Kind.PROPOSAL, Owner("nomination", rescuer),
                                      {"signer_name": "Lê Văn Ký Thay"})
    again = candidate(demo_services, rescuer)
    assert (again.ready, again.new_version) == (True, True)
    second = export.export(context(demo_services), [rescuer], usb, tmp_path)
    assert second.superseding == 1
    proposal = package_files(second.path)[next(
        path for path in package_files(second.path) if path.endswith("/to-trinh.pdf"))]
    assert "Lê Văn Ký Thay" in read_pdf(proposal).text


def test_a_returned_record_re_proposed_goes_as_a_new_version(demo_services: Services, two: tuple[int, int],
                                                             usb: Path, tmp_path: Path) -> None:
    standard, rescuer = two
    first = export.export(context(demo_services), list(two), usb, tmp_path)
    manifest = json.loads(package_files(first.path)["manifest.json"])
    record_uuid = next(r["uuid"] for r in manifest["records"]
                       if r["nomination_uuid"] == candidate(demo_services, rescuer).nomination_uuid)
    answer = ack_document(manifest, {record_uuid: {"status": "returned", "reason": "Thiếu xác nhận của Công an xã"}},
                          ack_uuid="a0000000-0000-4000-8000-000000000001", issued_at="2026-11-20T10:00:00+07:00",
                          issuer=PROVINCE, package_sha256=first.file_sha256)
    (tmp_path / "bien-nhan.json").write_bytes(canonical_json(answer))
    import_ack(context(demo_services), tmp_path / "bien-nhan.json")
    assert demo_services.nominations.detail(rescuer).row.state == "returned"
    demo_services.nominations.reopen(rescuer)
    demo_services.nominations.check(rescuer, TODAY)
    demo_services.nominations.propose([rescuer], TODAY)
    again = candidate(demo_services, rescuer)
    assert (again.ready, again.new_version, again.last_sent) == (True, True, "Gói số 1 ngày 20/11/2026: tỉnh trả lại")
    second = export.export(context(demo_services), [rescuer], usb, tmp_path)
    assert second.superseding == 1

