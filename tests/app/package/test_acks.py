"""Acknowledgements from the province (app/package/acks.py): the answers reach the nominations
and the history; the same acknowledgement twice changes nothing; a contradicting one is
refused whole, naming every conflict; a file that is not an acknowledgement of a package we
sent is refused with its reason. Refused means no row and no audit entry added."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import PermissionDeniedError
from app.package.acks import AckConflictError, import_ack
from app.package.format import MAX_ACK_SIZE, PackageError
from app.roles import Actor, Role
from app.services import Services
from db.models import AuditEntry, PackageAnswer
from tests.app.package.package_rows import (
    PROVINCE,
    ack_file,
    approved,
    context,
    counts,
    package_rows,
    proposed_sudden,
    write_json,
)

RETURNED = {"status": "returned", "reason": "Thiếu xác nhận của Công an xã về vụ việc"}
NOT_APPROVED = {"status": "not_approved", "reason": "Đề nghị xã khen bằng Giấy khen"}
RECEIVED = {"status": "received"}


@pytest.fixture
def two(demo_services: Services) -> tuple[int, int]:
    """Two rescuers proposed to the province on 13/10/2026."""
    return proposed_sudden(demo_services, "Trần Văn Hải"), proposed_sudden(demo_services, "Lê Văn Sơn")


def state(services: Services, nomination_id: int) -> str:
    return services.nominations.detail(nomination_id).row.state


def bk_tinh(services: Services, nomination_id: int) -> list[tuple[str, date | None, str]]:
    subject_id = services.nominations.detail(nomination_id).row.subject_id
    return [(a.decision_number, a.decision_date, a.issuer)
            for a in services.history.of(subject_id).awards if a.award_code == "BK_TINH"]


def refused(services: Services, path: Path, match: str, error: type[Exception] = PackageError) -> None:
    before = counts(services)
    with pytest.raises(error, match=match):
        import_ack(context(services), path)
    assert counts(services) == before


# --- the answers applied


def test_received_then_approved_and_not_approved(demo_services: Services, two: tuple[int, int],
                                                 tmp_path: Path) -> None:
    hai, son = two
    built = package_rows(demo_services, [hai, son])
    receipt = import_ack(context(demo_services), ack_file(tmp_path, built, {hai: RECEIVED, son: RECEIVED},
                                                          name="nhan.json"))
    assert (receipt.package_sequence, receipt.already_imported, receipt.unchanged) == (built.sequence, False, ())
    assert sorted(receipt.applied) == [
        "«Lê Văn Sơn» — Bằng khen của Chủ tịch UBND tỉnh năm 2026: tỉnh đã nhận",
        "«Trần Văn Hải» — Bằng khen của Chủ tịch UBND tỉnh năm 2026: tỉnh đã nhận"]
    assert (state(demo_services, hai), state(demo_services, son)) == ("proposed", "proposed")

    result = import_ack(context(demo_services), ack_file(tmp_path, built, {hai: approved(), son: NOT_APPROVED},
                                                         issued_at="2026-11-20T08:15:00+07:00"))
    assert sorted(result.applied) == [
        "«Lê Văn Sơn» — Bằng khen của Chủ tịch UBND tỉnh năm 2026: tỉnh không khen thưởng — "
        "Đề nghị xã khen bằng Giấy khen",
        "«Trần Văn Hải» — Bằng khen của Chủ tịch UBND tỉnh năm 2026: tỉnh khen thưởng, quyết định số "
        "1234/QĐ-UBND ngày 18/11/2026 của Chủ tịch UBND tỉnh Đồng Nai"]
    approved_detail = demo_services.nominations.detail(hai)
    assert (approved_detail.row.state, approved_detail.outcome_decision_number, approved_detail.outcome_decision_date,
            approved_detail.outcome_issuer) == ("approved", "1234/QĐ-UBND", date(2026, 11, 18),
                                                "Chủ tịch UBND tỉnh Đồng Nai")
    assert bk_tinh(demo_services, hai) == [("1234/QĐ-UBND", date(2026, 11, 18), "Chủ tịch UBND tỉnh Đồng Nai")]
    refused_detail = demo_services.nominations.detail(son)
    assert (refused_detail.row.state, refused_detail.outcome_note) == ("not_approved",
                                                                      "Đề nghị xã khen bằng Giấy khen")
    assert bk_tinh(demo_services, son) == []
    # The refusal is dated by the acknowledgement, the approval by its decision.
    assert [(e.action, e.on) for e in demo_services.nominations.events(son)][-1] == (
        "not_approve", date(2026, 11, 20))
    assert [(e.action, e.on) for e in demo_services.nominations.events(hai)][-1] == (
        "approve", date(2026, 11, 18))
    with demo_services.sessions() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "acknowledge")
                                  .order_by(AuditEntry.id)).all()
    assert [(e.entity, e.entity_uuid, e.summary) for e in entries] == [
        ("package", built.uuid, f"Nhập biên nhận gói số {built.sequence} của {PROVINCE}: 2 hồ sơ cập nhật, "
                                "0 không đổi")] * 2


def test_returned_by_the_province(demo_services: Services, two: tuple[int, int], tmp_path: Path) -> None:
    hai, son = two
    built = package_rows(demo_services, [hai, son])
    result = import_ack(context(demo_services), ack_file(tmp_path, built, {hai: RETURNED}))
    detail = demo_services.nominations.detail(hai)
    assert (detail.row.state, detail.returned_reason) == (
        "returned", "Tỉnh trả lại: Thiếu xác nhận của Công an xã về vụ việc")
    assert [(e.action, e.on) for e in demo_services.nominations.events(hai)][-1] == ("return", date(2026, 11, 19))
    assert state(demo_services, son) == "proposed"  # not answered: still waiting
    assert result.applied == ("«Trần Văn Hải» — Bằng khen của Chủ tịch UBND tỉnh năm 2026: tỉnh trả lại — "
                              "Thiếu xác nhận của Công an xã về vụ việc",)


def test_the_demo_proposal_round_trip(demo_services: Services, tmp_path: Path) -> None:
    (waiting,) = demo_services.nominations.rows(2026, "proposed")
    built = package_rows(demo_services, [waiting.id])
    import_ack(context(demo_services), ack_file(tmp_path, built, {waiting.id: approved("88/QĐ-UBND")}))
    assert state(demo_services, waiting.id) == "approved"
    assert ("88/QĐ-UBND", date(2026, 11, 18), "Chủ tịch UBND tỉnh Đồng Nai") in bk_tinh(demo_services, waiting.id)


# --- idempotent


def test_the_same_acknowledgement_twice_changes_nothing(demo_services: Services, two: tuple[int, int],
                                                        tmp_path: Path) -> None:
    hai, son = two
    built = package_rows(demo_services, [hai, son])
    path = ack_file(tmp_path, built, {hai: approved(), son: RETURNED})
    first = import_ack(context(demo_services), path)
    before = counts(demo_services)
    again = import_ack(context(demo_services), path)
    assert (again.ack_uuid, again.package_sequence, again.already_imported, again.applied, again.unchanged) == (
        first.ack_uuid, built.sequence, True, (), ())
    assert counts(demo_services) == before
    assert bk_tinh(demo_services, hai) == [("1234/QĐ-UBND", date(2026, 11, 18), "Chủ tịch UBND tỉnh Đồng Nai")]


def test_a_second_acknowledgement_repeating_known_answers_is_unchanged(
        demo_services: Services, two: tuple[int, int], tmp_path: Path) -> None:
    hai, son = two
    built = package_rows(demo_services, [hai, son])
    import_ack(context(demo_services), ack_file(tmp_path, built, {hai: approved(), son: RECEIVED}, name="1.json"))
    before = counts(demo_services)
    result = import_ack(context(demo_services), ack_file(
        tmp_path, built, {hai: approved(), son: RETURNED}, name="2.json"))
    assert not result.already_imported
    assert result.unchanged == ("«Trần Văn Hải» — Bằng khen của Chủ tịch UBND tỉnh năm 2026: tỉnh khen thưởng, "
                                "quyết định số 1234/QĐ-UBND ngày 18/11/2026 của Chủ tịch UBND tỉnh Đồng Nai",)
    assert result.applied == ("«Lê Văn Sơn» — Bằng khen của Chủ tịch UBND tỉnh năm 2026: tỉnh trả lại — "
                              "Thiếu xác nhận của Công an xã về vụ việc",)
    after = counts(demo_services)
    # One acknowledgement more with its audit entry; one answer (the return) with its step;
    # no second award.
    assert {name: after[name] - before[name] for name in after} == {
        "PackageAck": 1, "PackageAnswer": 1, "NominationEvent": 1, "Award": 0, "AuditEntry": 2}
    assert len(bk_tinh(demo_services, hai)) == 1


def test_an_answer_recorded_on_paper_with_the_same_decision_is_unchanged(
        demo_services: Services, two: tuple[int, int], tmp_path: Path) -> None:
    hai, _ = two
    built = package_rows(demo_services, [hai])
    demo_services.nominations.record_outcome(hai, True, "1234/QĐ-UBND", date(2026, 11, 18),
                                             "Chủ tịch UBND tỉnh Đồng Nai")
    before = counts(demo_services)
    result = import_ack(context(demo_services), ack_file(tmp_path, built, {hai: approved()}))
    assert (result.applied, len(result.unchanged)) == ((), 1)
    after = counts(demo_services)
    assert {name: after[name] - before[name] for name in after} == {
        "PackageAck": 1, "PackageAnswer": 1, "NominationEvent": 0, "Award": 0, "AuditEntry": 1}
    with demo_services.sessions() as session:
        assert session.scalars(select(PackageAnswer.status)).all() == ["approved"]


def test_a_return_or_refusal_already_recorded_is_unchanged(demo_services: Services, two: tuple[int, int],
                                                           tmp_path: Path) -> None:
    hai, son = two
    built = package_rows(demo_services, [hai, son])
    demo_services.nominations.return_(hai, "Tỉnh gọi điện báo thiếu hồ sơ", date(2026, 11, 17))
    demo_services.nominations.record_outcome(son, False, note="Vượt chỉ tiêu")
    before = counts(demo_services)
    result = import_ack(context(demo_services), ack_file(tmp_path, built, {hai: RETURNED, son: NOT_APPROVED}))
    assert (result.applied, len(result.unchanged)) == ((), 2)
    after = counts(demo_services)
    assert {name: after[name] - before[name] for name in after} == {
        "PackageAck": 1, "PackageAnswer": 2, "NominationEvent": 0, "Award": 0, "AuditEntry": 1}
    assert demo_services.nominations.detail(hai).returned_reason == "Tỉnh gọi điện báo thiếu hồ sơ"


# --- conflicts: refused whole, every one named


def conflicting(services: Services, path: Path) -> tuple[str, ...]:
    before = counts(services)
    with pytest.raises(AckConflictError) as raised:
        import_ack(context(services), path)
    assert counts(services) == before
    assert str(raised.value).startswith("Biên nhận mâu thuẫn với kết quả đã ghi, không nhập gì:\n- ")
    return raised.value.conflicts


def test_another_final_status_or_other_decision_details_conflict(
        demo_services: Services, two: tuple[int, int], tmp_path: Path) -> None:
    hai, son = two
    built = package_rows(demo_services, [hai, son])
    import_ack(context(demo_services), ack_file(tmp_path, built, {hai: approved(), son: RETURNED}, name="1.json"))
    conflicts = conflicting(demo_services, ack_file(
        tmp_path, built, {hai: approved("1235/QĐ-UBND"), son: NOT_APPROVED}, name="2.json"))
    assert sorted(conflicts) == [
        "«Lê Văn Sơn» — Bằng khen của Chủ tịch UBND tỉnh năm 2026: biên nhận ngày 19/11/2026 đã ghi «tỉnh trả "
        "lại — Thiếu xác nhận của Công an xã về vụ việc», biên nhận này lại ghi «tỉnh không khen thưởng — "
        "Đề nghị xã khen bằng Giấy khen».",
        "«Trần Văn Hải» — Bằng khen của Chủ tịch UBND tỉnh năm 2026: biên nhận ngày 19/11/2026 đã ghi «tỉnh "
        "khen thưởng, quyết định số 1234/QĐ-UBND ngày 18/11/2026 của Chủ tịch UBND tỉnh Đồng Nai», biên nhận "
        "này lại ghi «tỉnh khen thưởng, quyết định số 1235/QĐ-UBND ngày 18/11/2026 của Chủ tịch UBND tỉnh "
        "Đồng Nai».",
    ]
    # Another decision date, another issuer: as much a conflict as another number.
    for answer in (approved(on=date(2026, 11, 17)), approved(issuer="UBND tỉnh Đồng Nai")):
        assert len(conflicting(demo_services, ack_file(tmp_path, built, {hai: answer}, name="3.json"))) == 1


def test_an_acknowledgement_id_imported_with_other_content_conflicts(
        demo_services: Services, two: tuple[int, int], tmp_path: Path) -> None:
    hai, son = two
    built = package_rows(demo_services, [hai, son])
    ack_uuid = str(uuid.uuid4())
    import_ack(context(demo_services), ack_file(tmp_path, built, {hai: RECEIVED}, ack_uuid=ack_uuid, name="1.json"))
    (conflict,) = conflicting(demo_services, ack_file(tmp_path, built, {hai: RECEIVED, son: RECEIVED},
                                                      ack_uuid=ack_uuid, name="2.json"))
    assert conflict == (f"Biên nhận mã {ack_uuid} đã được nhập ngày 20/11/2026 với nội dung khác tệp «2.json»; "
                        "một biên nhận không được sửa sau khi đã gửi.")


def test_a_nomination_no_longer_waiting_for_the_province_conflicts(
        demo_services: Services, two: tuple[int, int], tmp_path: Path) -> None:
    hai, son = two
    built = package_rows(demo_services, [hai, son])
    demo_services.nominations.return_(hai, "Xã rút lại để bổ sung", date(2026, 11, 17))
    demo_services.nominations.record_outcome(son, True, "99/QĐ-UBND", date(2026, 11, 10), "Chủ tịch UBND tỉnh")
    conflicts = conflicting(demo_services, ack_file(tmp_path, built, {hai: approved(), son: approved()}))
    assert sorted(conflicts) == [
        "«Lê Văn Sơn» — Bằng khen của Chủ tịch UBND tỉnh năm 2026: đề nghị đang ở bước «Cấp trên đã khen thưởng» "
        "(quyết định số 99/QĐ-UBND ngày 10/11/2026), không còn chờ kết quả của tỉnh; biên nhận ghi «tỉnh khen "
        "thưởng, quyết định số 1234/QĐ-UBND ngày 18/11/2026 của Chủ tịch UBND tỉnh Đồng Nai».",
        "«Trần Văn Hải» — Bằng khen của Chủ tịch UBND tỉnh năm 2026: đề nghị đang ở bước «Bị trả lại», không còn "
        "chờ kết quả của tỉnh; biên nhận ghi «tỉnh khen thưởng, quyết định số 1234/QĐ-UBND ngày 18/11/2026 của "
        "Chủ tịch UBND tỉnh Đồng Nai».",
    ]


def test_a_final_answer_for_a_superseded_version_conflicts(demo_services: Services, two: tuple[int, int],
                                                           tmp_path: Path) -> None:
    hai, son = two
    first = package_rows(demo_services, [hai, son])
    second = package_rows(demo_services, [hai], created_at="2026-11-18T14:00:00+07:00")
    (conflict,) = conflicting(demo_services, ack_file(tmp_path, first, {hai: RETURNED, son: approved()}))
    assert conflict == (
        "«Trần Văn Hải» — Bằng khen của Chủ tịch UBND tỉnh năm 2026: phiên bản 1 (gói số 1) đã được thay bằng "
        "phiên bản 2 (gói số 2); không ghi «tỉnh trả lại — Thiếu xác nhận của Công an xã về vụ việc» cho phiên "
        "bản cũ.")
    assert state(demo_services, son) == "proposed"  # the valid answer in the same file is not applied either
    # A receipt for the old version is no contradiction; the new version's answer applies.
    import_ack(context(demo_services), ack_file(tmp_path, first, {hai: RECEIVED, son: approved()}, name="1.json"))
    import_ack(context(demo_services), ack_file(tmp_path, second, {hai: RETURNED}, name="2.json"))
    assert (state(demo_services, hai), state(demo_services, son)) == ("returned", "approved")


def test_a_decision_dated_before_the_proposal_conflicts(demo_services: Services, two: tuple[int, int],
                                                        tmp_path: Path) -> None:
    hai, _ = two
    built = package_rows(demo_services, [hai])
    (conflict,) = conflicting(demo_services, ack_file(tmp_path, built, {hai: approved(on=date(2026, 10, 1))}))
    assert conflict.endswith("quyết định của tỉnh ngày 01/10/2026 trước ngày xã trình (13/10/2026); "
                             "hãy kiểm tra lại biên nhận.")


# --- bad input: refused with the reason, nothing changed


@pytest.fixture
def sent(demo_services: Services, two: tuple[int, int], tmp_path: Path) -> tuple[Path, dict]:
    """A valid acknowledgement's path and document, for each test to spoil."""
    built = package_rows(demo_services, list(two))
    path = ack_file(tmp_path, built, {two[0]: approved(), two[1]: RECEIVED})
    return path, json.loads(path.read_text(encoding="utf-8"))


def spoiled(path: Path, document: dict, **changes: object) -> Path:
    return write_json(path.with_name("hong.json"), {**document, **changes})


def test_not_json_not_utf8_or_too_big_is_refused(demo_services: Services, sent: tuple[Path, dict]) -> None:
    path, _ = sent
    path.write_text("{\"format\": \"tdkt-xa-bien-nhan\",", encoding="utf-8")
    refused(demo_services, path, r"Tệp «bien-nhan.json» không phải JSON hợp lệ \(dòng 1, cột 32")
    path.write_bytes("{\"issuer\": \"Sở Nội vụ\"}".encode("utf-16"))
    refused(demo_services, path, "Tệp «bien-nhan.json» không phải văn bản UTF-8 \\(byte thứ 1\\)")
    path.write_bytes(b"[" * 100_000)
    refused(demo_services, path, r"Tệp «bien-nhan.json» lồng quá nhiều tầng \(giới hạn 64 tầng\), không phải "
                                 "biên nhận; không nhập.")
    path.write_text('{"format": "tdkt-xa-bien-nhan", "format": "khac"}', encoding="utf-8")
    refused(demo_services, path, "Tệp «bien-nhan.json» không phải JSON hợp lệ: khóa «format» xuất hiện hai lần "
                                 "trong cùng một đối tượng; không nhập.")
    path.write_text('{"format": "tdkt-xa-bien-nhan", "commune_code": Infinity}', encoding="utf-8")
    refused(demo_services, path, "có giá trị «Infinity», JSON chuẩn không cho phép; không nhập.")
    path.write_text("[1, 2]", encoding="utf-8")
    refused(demo_services, path, "cần một đối tượng JSON")
    path.write_bytes(b" " * (MAX_ACK_SIZE + 1))
    refused(demo_services, path, "Tệp «bien-nhan.json» lớn hơn 8 MB: biên nhận của tỉnh là một tệp JSON nhỏ")
    refused(demo_services, path.with_name("khong-co.json"), "Không tìm thấy tệp biên nhận")


def test_schema_and_format_violations_are_refused(demo_services: Services, sent: tuple[Path, dict]) -> None:
    path, document = sent
    refused(demo_services, spoiled(path, document, format="tdkt-xa-goi-ho-so"),
            "không phải biên nhận gói hồ sơ \\(format «tdkt-xa-goi-ho-so», cần «tdkt-xa-bien-nhan»\\)")
    refused(demo_services, spoiled(path, document, format_version="2.0"),
            "theo định dạng phiên bản «2.0»; phần mềm này đọc phiên bản 1.x")
    refused(demo_services, spoiled(path, document, issuer=" "), r"sai cấu trúc, không nhập:\nhong.json, issuer")
    refused(demo_services, spoiled(path, document, issued_at="2026-11-19 15:00"), "hong.json, issued_at")
    without_reason = [{"record_uuid": document["records"][0]["record_uuid"], "status": "returned"}]
    refused(demo_services, spoiled(path, document, records=without_reason), r"hong.json, records\[0\]")
    refused(demo_services, spoiled(path, document, records=[]), r"hong.json, records")


def test_an_acknowledgement_for_another_package_or_commune_is_refused(
        demo_services: Services, sent: tuple[Path, dict]) -> None:
    path, document = sent
    other = str(uuid.uuid4())
    refused(demo_services, spoiled(path, document, package_uuid=other),
            f"Biên nhận cho gói {other} không có trong dữ liệu của xã này; không nhập.")
    code = document["commune_code"]
    refused(demo_services, spoiled(path, document, commune_code=code + 1),
            f"Biên nhận «hong.json» dành cho xã mã {code + 1}, không phải xã này \\(mã {code}\\)")


def test_hashes_other_than_those_sent_are_refused(demo_services: Services, sent: tuple[Path, dict]) -> None:
    path, document = sent
    received = document["received"]
    refused(demo_services, spoiled(path, document, received=dict(received, package_sha256="a" * 64)),
            "Tỉnh nhận được gói khác với gói đã gửi: mã băm tệp gói trong biên nhận không khớp gói số 1")
    refused(demo_services, spoiled(path, document, received=dict(received, manifest_sha256="b" * 64)),
            "Tỉnh nhận được gói khác với gói đã gửi: mã băm manifest.json trong biên nhận")


def test_unknown_or_repeated_records_are_refused(demo_services: Services, sent: tuple[Path, dict]) -> None:
    path, document = sent
    stranger = str(uuid.uuid4())
    records = document["records"]
    refused(demo_services, spoiled(path, document, records=[*records, {"record_uuid": stranger, "status": "received"}]),
            f"records\\[2\\]: hồ sơ {stranger} không có trong gói số 1.")
    refused(demo_services, spoiled(path, document, records=[*records, records[0]]),
            f"records\\[2\\]: hồ sơ {records[0]['record_uuid']} được trả lời hai lần.")


def test_dates_that_cannot_be_are_refused(demo_services: Services, sent: tuple[Path, dict]) -> None:
    path, document = sent
    refused(demo_services, spoiled(path, document, issued_at="2026-11-21T08:00:00+07:00"),
            "ghi ngày cấp 21/11/2026, ngày chưa đến")
    refused(demo_services, spoiled(path, document, issued_at="2026-11-16T09:00:00+07:00"),
            "ghi giờ cấp 09:00 16/11/2026, trước khi xuất gói số 1 \\(09:30 16/11/2026\\)")
    future = [dict(r, decision=dict(r["decision"], date="2026-11-25")) if "decision" in r else r
              for r in document["records"]]
    refused(demo_services, spoiled(path, document, records=future), "ngày quyết định 25/11/2026 chưa đến")
    impossible = [dict(r, decision=dict(r["decision"], date="2026-02-30")) if "decision" in r else r
                  for r in document["records"]]
    refused(demo_services, spoiled(path, document, records=impossible), "ngày «2026-02-30» không có thật")


def test_a_viewer_cannot_import(demo_services: Services, sent: tuple[Path, dict]) -> None:
    path, _ = sent
    viewer = Actor(None, "xem", "Người xem", Role.VIEWER)
    before = counts(demo_services)
    with pytest.raises(PermissionDeniedError, match="không có quyền"):
        import_ack(context(demo_services, viewer), path)
    assert counts(demo_services) == before

