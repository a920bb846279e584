"""The whole loop through the one service the screens and `tdkt package` use: export a package,
verify the file, import the province's acknowledgement built from what it received."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from app.package.acks import ack_document
from app.package.format import sha256_hex
from app.package.service import PackageService
from app.services import Services
from tests.app.package.package_rows import PROVINCE, approved, context, counts, proposed_sudden, write_json


def test_export_verify_acknowledge(demo_services: Services, tmp_path: Path) -> None:
    service = PackageService(context(demo_services))
    (waiting,) = demo_services.nominations.rows(2026, "proposed")
    rescuer = proposed_sudden(demo_services, "Trần Văn Hải")
    data_folder = Path(str(demo_services.sessions.kw["bind"].url.database)).parent
    usb = tmp_path / "usb"
    usb.mkdir()
    exported = service.export([waiting.id, rescuer], usb, data_folder)
    assert exported.verification.ok, exported.verification.lines()

    verified = service.verify(exported.path)
    assert verified.ok, verified.lines()
    assert verified.file_sha256 == exported.file_sha256 == sha256_hex(exported.path.read_bytes())
    manifest = verified.manifest
    assert manifest is not None
    records = {entry["nomination_uuid"]: entry["uuid"] for entry in manifest["records"]}
    rescuer_uuid = demo_services.nominations.detail(rescuer).row.uuid
    (package,) = service.packages()
    assert (package.sequence, package.record_count, package.state_label) == (exported.sequence, 2, "Chờ biên nhận")
    assert service.nomination_status([rescuer_uuid]) == {
        rescuer_uuid: "Gói số 1 (20/11/2026): chờ biên nhận"}

    # The province answers from the file it received: its hash and its manifest's.
    document = ack_document(manifest, {records[waiting.uuid]: approved("2150/QĐ-UBND", date(2026, 11, 20)),
                                       records[rescuer_uuid]: {"status": "returned", "reason": "Thiếu ảnh hiện trường"}},
                            ack_uuid=str(uuid.uuid4()), issued_at="2026-11-20T10:00:00+07:00", issuer=PROVINCE,
                            package_sha256=verified.file_sha256, manifest_sha256=verified.manifest_sha256)
    path = write_json(tmp_path / "bien-nhan.json", document)
    result = service.import_ack(path)
    assert (result.package_sequence, len(result.applied), result.unchanged) == (exported.sequence, 2, ())
    assert demo_services.nominations.detail(waiting.id).row.state == "approved"
    assert demo_services.nominations.detail(rescuer).returned_reason == "Tỉnh trả lại: Thiếu ảnh hiện trường"
    subject = demo_services.nominations.detail(waiting.id).row.subject_id
    assert ("BK_TINH", "2150/QĐ-UBND", date(2026, 11, 20), "Chủ tịch UBND tỉnh Đồng Nai") in {
        (a.award_code, a.decision_number, a.decision_date, a.issuer) for a in demo_services.history.of(subject).awards}
    assert [row.state_label for row in service.packages()] == ["Tỉnh đã trả lời đủ"]
    assert service.nomination_status([rescuer_uuid]) == {
        rescuer_uuid: "Gói số 1: tỉnh trả lại — Thiếu ảnh hiện trường"}

    before = counts(demo_services)
    assert service.import_ack(path).already_imported
    assert counts(demo_services) == before
