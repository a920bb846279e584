"""Where the packages and their records stand (app/package/status.py): a package waits for its
acknowledgement until one arrives, then shows how much the province has answered; a
nomination's sending status says which package, which version and what the province said."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import event

from app.errors import NotFoundError, ValidationError
from app.package.acks import import_ack
from app.package.status import PackageState, RecordStatus, nomination_status, packages, records, unacknowledged
from app.services import Services
from db.models import PackageRecord
from tests.app.package.package_rows import (
    ack_file,
    approved,
    context,
    package_rows,
    proposed_sudden,
)

RETURNED = {"status": "returned", "reason": "Thiếu xác nhận của Công an xã"}


@pytest.fixture
def three(demo_services: Services) -> tuple[int, int, int]:
    return tuple(proposed_sudden(demo_services, name) for name in ("Trần Văn Hải", "Lê Văn Sơn", "Phan Văn Tú"))


def summary(services: Services) -> list[tuple[int, PackageState, str, int, int, int, int]]:
    return [(row.sequence, row.state, row.state_label, row.record_count, row.open_count, row.days_waiting,
             row.ack_count) for row in packages(context(services))]


def test_a_package_waits_for_its_acknowledgement_then_counts_what_is_open(
        demo_services: Services, three: tuple[int, int, int], tmp_path: Path) -> None:
    hai, son, tu = three
    first = package_rows(demo_services, [hai, son])
    second = package_rows(demo_services, [tu], created_at="2026-11-19T16:00:00+07:00")
    assert summary(demo_services) == [
        (2, PackageState.AWAITING, "Chờ biên nhận", 1, 1, 1, 0),
        (1, PackageState.AWAITING, "Chờ biên nhận", 2, 2, 4, 0)]
    (newest, oldest) = packages(context(demo_services))
    assert (oldest.uuid, oldest.exported_on, oldest.created_at, oldest.folder) == (
        first.uuid, date(2026, 11, 16), "2026-11-16T09:30:00+07:00", "/media/usb")
    assert newest.id == second.id

    import_ack(context(demo_services), ack_file(tmp_path, first, {hai: {"status": "received"}}, name="1.json"))
    assert summary(demo_services)[1] == (1, PackageState.RECEIVED, "Tỉnh đã nhận, chờ kết quả", 2, 2, 4, 1)
    import_ack(context(demo_services), ack_file(tmp_path, first, {hai: approved()}, name="2.json"))
    assert summary(demo_services)[1] == (1, PackageState.PARTLY_ANSWERED, "Tỉnh đã trả lời một phần", 2, 1, 4, 2)
    import_ack(context(demo_services), ack_file(tmp_path, first, {son: RETURNED}, name="3.json"))
    assert summary(demo_services)[1] == (1, PackageState.ANSWERED, "Tỉnh đã trả lời đủ", 2, 0, 0, 3)


def test_unacknowledged_after_n_days(demo_services: Services, three: tuple[int, int, int], tmp_path: Path) -> None:
    hai, son, tu = three
    old = package_rows(demo_services, [hai])  # 16/11, four days before the demo's today
    package_rows(demo_services, [son], created_at="2026-11-19T23:30:00+07:00")  # yesterday in Việt Nam
    answered = package_rows(demo_services, [tu], created_at="2026-11-10T08:00:00+07:00")
    import_ack(context(demo_services), ack_file(tmp_path, answered, {tu: {"status": "received"}}))
    assert [row.sequence for row in unacknowledged(context(demo_services), 0)] == [2, 1]
    assert [row.sequence for row in unacknowledged(context(demo_services), 4)] == [1]
    assert unacknowledged(context(demo_services), 5) == []
    # By the date in Việt Nam: at 17:30 UTC on 20/11 it is already 21/11 there.
    late = context(demo_services, clock=lambda: datetime(2026, 11, 20, 17, 30, tzinfo=UTC))
    assert [(row.sequence, row.days_waiting) for row in unacknowledged(late, 2)] == [(2, 2), (1, 5)]
    assert old.sequence == 1
    with pytest.raises(ValidationError, match="Số ngày phải từ 0 trở lên"):
        unacknowledged(context(demo_services), -1)


def test_a_package_entirely_superseded_still_waits_for_its_own_acknowledgement(
        demo_services: Services, three: tuple[int, int, int], tmp_path: Path) -> None:
    hai, _son, _tu = three
    first = package_rows(demo_services, [hai])
    second = package_rows(demo_services, [hai], created_at="2026-11-18T14:00:00+07:00")
    import_ack(context(demo_services), ack_file(tmp_path, second, {hai: approved()}))
    assert summary(demo_services) == [
        (2, PackageState.ANSWERED, "Tỉnh đã trả lời đủ", 1, 0, 0, 1),
        (1, PackageState.AWAITING, "Chờ biên nhận", 1, 0, 4, 0)]
    assert [(row.uuid, row.open_count) for row in unacknowledged(context(demo_services), 3)] == [(first.uuid, 0)]


def test_records_show_the_answers_and_the_superseded_versions(
        demo_services: Services, three: tuple[int, int, int], tmp_path: Path) -> None:
    hai, son, tu = three
    first = package_rows(demo_services, [hai, son, tu])
    import_ack(context(demo_services), ack_file(tmp_path, first, {hai: approved(), son: RETURNED,
                                                                  tu: {"status": "received"}}))
    second = package_rows(demo_services, [tu], created_at="2026-11-19T16:00:00+07:00")
    rows = records(context(demo_services), first.id)
    assert [(r.subject_name, r.status, r.status_label, r.reason, r.decision_number, r.decision_date,
             r.decision_issuer, r.version, r.superseded) for r in rows] == [
        ("Trần Văn Hải", RecordStatus.APPROVED, "Tỉnh đã khen thưởng", "", "1234/QĐ-UBND", date(2026, 11, 18),
         "Chủ tịch UBND tỉnh Đồng Nai", 1, False),
        ("Lê Văn Sơn", RecordStatus.RETURNED, "Tỉnh trả lại", "Thiếu xác nhận của Công an xã", "", None, "", 1,
         False),
        ("Phan Văn Tú", RecordStatus.RECEIVED, "Tỉnh đã nhận, chờ kết quả", "", "", None, "", 1, True)]
    assert [(r.nomination_id, r.award_code, r.award_label, r.year) for r in rows] == [
        (hai, "BK_TINH", "Bằng khen của Chủ tịch UBND tỉnh", 2026), (son, "BK_TINH", "Bằng khen của Chủ tịch "
                                                                      "UBND tỉnh", 2026),
        (tu, "BK_TINH", "Bằng khen của Chủ tịch UBND tỉnh", 2026)]
    (newer,) = records(context(demo_services), second.id)
    assert (newer.version, newer.supersedes_uuid, newer.superseded, newer.status) == (
        2, first.records[tu], False, RecordStatus.AWAITING)
    # The old version was received, then superseded: the newer one waits in the second package,
    # and nothing is left open in the first.
    assert summary(demo_services)[1][:5] == (1, PackageState.ANSWERED, "Tỉnh đã trả lời đủ", 3, 0)
    with pytest.raises(NotFoundError, match="Không tìm thấy gói hồ sơ này"):
        records(context(demo_services), 999)


def test_nomination_status_in_words(demo_services: Services, three: tuple[int, int, int], tmp_path: Path) -> None:
    hai, son, tu = three
    uuids = {nid: demo_services.nominations.detail(nid).row.uuid for nid in three}
    ctx = context(demo_services)
    # Proposed is not sent: until a package holds it, the nomination says so.
    assert nomination_status(ctx, [uuids[hai]]) == {uuids[hai]: "Chưa xuất gói gửi tỉnh"}
    first = package_rows(demo_services, [hai, son, tu])
    assert nomination_status(ctx, [uuids[hai], "khong-co"]) == {
        uuids[hai]: "Gói số 1 (16/11/2026): chờ biên nhận", "khong-co": ""}
    import_ack(ctx, ack_file(tmp_path, first, {hai: {"status": "received"}, son: approved(),
                                               tu: {"status": "not_approved", "reason": "Vượt chỉ tiêu"}},
                             name="1.json"))
    assert nomination_status(ctx, uuids.values()) == {
        uuids[hai]: "Gói số 1: tỉnh đã nhận ngày 19/11/2026, chờ kết quả",
        uuids[son]: "Gói số 1: tỉnh đã khen thưởng (quyết định số 1234/QĐ-UBND ngày 18/11/2026)",
        uuids[tu]: "Gói số 1: tỉnh không khen thưởng — Vượt chỉ tiêu"}
    second = package_rows(demo_services, [hai], created_at="2026-11-19T16:00:00+07:00")
    assert nomination_status(ctx, [uuids[hai]]) == {
        uuids[hai]: "Gói số 2 (19/11/2026, phiên bản 2, thay phiên bản 1): chờ biên nhận"}
    import_ack(ctx, ack_file(tmp_path, second, {hai: RETURNED}, issued_at="2026-11-20T08:00:00+07:00",
                             name="2.json"))
    assert nomination_status(ctx, [uuids[hai]]) == {
        uuids[hai]: "Gói số 2 (phiên bản 2, thay phiên bản 1): tỉnh trả lại — Thiếu xác nhận của Công an xã"}
    nominations = demo_services.nominations
    nominations.reopen(hai)
    nominations.check(hai, date(2026, 11, 20))
    nominations.propose([hai], date(2026, 11, 20))
    assert nomination_status(ctx, [uuids[hai]]) == {
        uuids[hai]: "Gói số 2 (phiên bản 2, thay phiên bản 1): tỉnh trả lại — Thiếu xác nhận của Công an xã; "
                    "chưa gửi lại"}


def test_the_lists_read_a_fixed_number_of_statements(demo_services: Services, three: tuple[int, int, int],
                                                     tmp_path: Path) -> None:
    hai, son, tu = three
    ctx = context(demo_services)

    def statements(work: object) -> int:
        seen: list[str] = []
        engine = demo_services.sessions.kw["bind"]
        listener = lambda *args: seen.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
        event.listen(engine, "before_cursor_execute", listener)
        try:
            work()  # type: ignore[operator]
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    first = package_rows(demo_services, [hai])
    import_ack(ctx, ack_file(tmp_path, first, {hai: {"status": "received"}}))
    one = [statements(lambda: packages(ctx)), statements(lambda: records(ctx, first.id)),
           statements(lambda: nomination_status(ctx, [first.manifest["records"][0]["nomination_uuid"]]))]
    second = package_rows(demo_services, [son, tu])
    import_ack(ctx, ack_file(tmp_path, second, {son: approved(), tu: RETURNED}, name="2.json"))
    package_rows(demo_services, [hai, son, tu])
    uuids = [demo_services.nominations.detail(nid).row.uuid for nid in three]
    many = [statements(lambda: packages(ctx)), statements(lambda: records(ctx, second.id)),
            statements(lambda: nomination_status(ctx, uuids))]
    assert one == many


def test_records_of_nominations_the_database_no_longer_has_come_last(
        demo_services: Services, three: tuple[int, int, int]) -> None:
    """After a restore from an older backup an adopted package may name nominations the
    register does not have; they keep their copied names and follow the known ones."""
    built = package_rows(demo_services, list(three))
    with demo_services.sessions.begin() as session:
        session.add(PackageRecord(uuid="00000000-0000-4000-8000-0000000000aa", package_id=built.id,
                                  nomination_uuid="00000000-0000-4000-8000-0000000000bb", version=1,
                                  content_sha256="0" * 64, subject_name="An Văn Ẩn", award_code="BK_TINH",
                                  year=2026))
    rows = records(context(demo_services), built.id)
    assert [row.nomination_id is None for row in rows] == [False, False, False, True]
    assert rows[-1].subject_name == "An Văn Ẩn"
