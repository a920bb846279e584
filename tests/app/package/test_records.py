"""The records of a package (app/package/records.py): what the province reads about each
nomination, read for many nominations without a query per nomination, and a content hash
that changes with the facts, not with the record's own UUID."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, select

from app.eligibility_service import latest_for_nomination_in
from app.nomination_rows import final_vote_session
from app.documents.kinds import Kind, Owner
from app.package.format import sha256_hex
from app.package.records import RecordHeader, read_contents, record_source
from app.package.schemas import schema_problems
from app.services import Services
from db.models import Decision, DecisionItem, Nomination
from tests.app.package.export_builders import COUNCIL_TITLE, HELD, INITIATIVES, SCAN, STANDARD_NAME, proposed_standard

FIRST = RecordHeader("11111111-1111-4111-8111-111111111111", "", 1, None)


def header(content_uuid: str, record_uuid: str = FIRST.uuid, version: int = 1,
           supersedes: str | None = None) -> RecordHeader:
    return RecordHeader(record_uuid, content_uuid, version, supersedes)


@pytest.fixture
def standard(demo_services: Services, tmp_path: Path) -> int:
    return proposed_standard(demo_services, tmp_path)


def content_of(services: Services, nomination_id: int):  # type: ignore[no-untyped-def]
    with services.sessions() as session:
        return read_contents(session, [nomination_id])[nomination_id]


def test_record_names_the_nomination_subject_and_its_steps(demo_services: Services, standard: int) -> None:
    content = content_of(demo_services, standard)
    body = record_source(content, header(content.nomination_uuid)).body
    nomination, subject = body["nomination"], body["subject"]
    assert (nomination["award_code"], nomination["year"], nomination["state"], nomination["procedure"],
            nomination["action"]) == ("BK_TINH", 2025, "proposed", "standard", "propose")
    assert body["checks"][0]["route"] == "initiatives"
    assert nomination["award_label"] == "Bằng khen của Chủ tịch UBND tỉnh"
    assert (nomination["notice_starts_on"], nomination["notice_ends_on"], nomination["proposed_on"]) == (
        "2026-10-22", "2026-10-28", "2026-11-05")
    assert [e["action"] for e in nomination["events"]] == ["check", "vote", "post_notice", "propose"]
    assert nomination["events"][-1]["at"].endswith("+07:00")
    assert (subject["name"], subject["kind"], subject["birth_date"], subject["gender_label"],
            subject["job_title"], subject["employment_label"]) == (
        STANDARD_NAME, "individual", "1985-03-04", "Nữ", "Công chức Văn phòng - Thống kê", "Công chức")
    assert "citizen_id" not in subject and "religion" not in subject  # not the province's business


def test_history_covers_the_reporting_years_of_the_latest_check(demo_services: Services, standard: int) -> None:
    body = content_of(demo_services, standard).content
    history = body["history"]
    assert [(h["type"], h["year"]) for h in history] == [
        ("rating", 2024), ("initiative", 2024), ("rating", 2025), ("initiative", 2025)]  # 2023 left out
    assert history[0]["rating_label"] == "Hoàn thành xuất sắc nhiệm vụ"
    assert history[1]["title"] == "Số hóa hồ sơ một cửa năm 2024"
    (check,) = body["checks"]
    assert (check["verdict"], check["verdict_label"], check["rule_set"], check["reporting_years"]) == (
        "eligible", "Đủ điều kiện", "2025-ND152", [2024, 2025])
    assert check["decision_date"] == "2026-11-05"  # the check the proposal made on its day
    assert {c["code"] for c in check["result"]["checks"]} >= {"rating_2024", "rating_2025", "initiatives"}


def test_council_result_is_the_finalised_session_that_voted(demo_services: Services, standard: int) -> None:
    content = content_of(demo_services, standard)
    council = content.content["council"]
    members = council["members"]
    assert (council["title"], council["held_on"], council["present"], council["votes_for"],
            council["votes_not_for"], council["passed"], council["result"]) == (
        COUNCIL_TITLE, HELD.isoformat(), members, members - 1, 1, True, "Đạt")
    assert len(council["member_list"]) == members and council["member_list"][0]["council_role"]
    assert content.council is not None and content.council[1] == council["session_uuid"]


def test_decisions_of_the_commune_about_the_subject_in_the_years(demo_services: Services) -> None:
    """A Bằng khen proposal of 2025 from the demo: two CSTĐCS years, 2024 decided by the district
    (in the history) and 2025 by the commune (in the history and among the decisions)."""
    with demo_services.sessions() as session:
        nomination = session.scalars(select(Nomination).where(
            Nomination.award_code == "BK_TINH", Nomination.procedure == "standard",
            Nomination.year == 2025)).first()
        assert nomination is not None
        expected = {(item.award_code, item.year, decision.number) for item, decision in session.execute(
            select(DecisionItem, Decision).join(Decision, Decision.id == DecisionItem.decision_id).where(
                DecisionItem.subject_id == nomination.subject_id, Decision.state == "issued",
                DecisionItem.year.in_([2024, 2025])))}
    content = content_of(demo_services, nomination.id)
    decisions = content.content["decisions"]
    items = {(item["award_code"], item["year"], decision["number"]) for decision in decisions
             for item in decision["items"]}
    assert ("CSTDCS", 2025) in {(code, year) for code, year, _number in items}
    assert items == expected
    awards = {(h["award_code"], h["year"]): h for h in content.content["history"] if h["type"] == "award"}
    assert awards[("CSTDCS", 2024)]["issuer"].startswith("Chủ tịch UBND huyện")
    assert {d["uuid"] for d in decisions} <= set(content.entity_uuids)


def test_attachments_and_documents_are_listed_with_their_package_paths(demo_services: Services,
                                                                        standard: int) -> None:
    content = content_of(demo_services, standard)
    source = record_source(content, header(content.nomination_uuid))
    (attachment,) = source.body["attachments"]
    assert (attachment["dossier_part"], attachment["file_name"], attachment["media_type"], attachment["size"],
            attachment["sha256"]) == (INITIATIVES, "xac-nhan-sang-kien.pdf", "application/pdf", len(SCAN),
                                      sha256_hex(SCAN))
    assert attachment["dossier_label"].startswith("Giấy chứng nhận hoặc xác nhận sáng kiến")
    assert attachment["path"] == f"dinh-kem/{FIRST.uuid}/{attachment['uuid']}.pdf"
    assert source.attachments[0].path == attachment["path"]
    session_uuid = content.content["council"]["session_uuid"]
    assert [(d["kind"], d["path"]) for d in source.body["documents"]] == [
        ("to-trinh", f"ho-so/{FIRST.uuid}/to-trinh.pdf"),
        ("bao-cao-thanh-tich", f"ho-so/{FIRST.uuid}/bao-cao-thanh-tich.pdf"),
        ("bien-ban", f"bien-ban/{session_uuid}.pdf")]
    assert source.path == f"records/{FIRST.uuid}.json"
    assert schema_problems("record", source.body, source.path) == []


def test_content_hash_ignores_the_version_header_and_follows_the_facts(demo_services: Services,
                                                                        standard: int) -> None:
    content = content_of(demo_services, standard)
    first = record_source(content, header(content.nomination_uuid))
    second = record_source(content, header(content.nomination_uuid, "22222222-2222-4222-8222-222222222222", 2,
                                           FIRST.uuid))
    assert first.data() != second.data()
    assert first.content_sha256 == second.content_sha256
    demo_services.printing.save_texts(Kind.REPORT, Owner("nomination", standard), {"left_name": "Trần Văn Xác"})
    edited = content_of(demo_services, standard)
    assert edited.content == content.content and edited.content_sha256 != content.content_sha256
    demo_services.nominations.update(standard, achievement_summary="Tóm tắt đã bổ sung số liệu năm 2025.")
    assert content_of(demo_services, standard).content_sha256 not in (content.content_sha256, edited.content_sha256)


def test_many_nominations_are_read_with_a_fixed_number_of_queries(demo_services: Services) -> None:
    with demo_services.sessions() as session:
        ids = list(session.scalars(select(Nomination.id)))
    engine = demo_services.sessions.kw["bind"]
    statements: list[str] = []

    def count(*_args: object) -> None:
        statements.append("")

    event.listen(engine, "before_cursor_execute", count)
    try:
        with demo_services.sessions() as session:
            everything = read_contents(session, ids)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(everything) == len(ids) > 50
    assert len(statements) <= 20  # one per kind of row, not one per nomination


def test_bulk_reading_picks_the_same_check_and_session_as_the_nomination_screens(demo_services: Services) -> None:
    """The latest check and the voting session, read for all nominations at once, are the ones
    latest_for_nomination_in and final_vote_session name for each (the corrected sessions too)."""
    with demo_services.sessions() as session:
        ids = list(session.scalars(select(Nomination.id)))
        contents = read_contents(session, ids)
        for nomination_id in ids:
            content = contents[nomination_id]
            stored = latest_for_nomination_in(session, nomination_id)
            council = final_vote_session(session, nomination_id)
            checks = content.content["checks"]
            assert [c["uuid"] for c in checks] == ([stored.uuid] if stored else [])
            assert content.council == ((council.id, council.uuid) if council else None)
    assert sum(1 for c in contents.values() if c.council) > 20
