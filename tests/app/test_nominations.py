"""NominationService: creating, checking, the public notice in working days (across Tết),
proposing, the province's answer entering the history, returning and reopening, the
dossier checklist and attachments; a refused step changes nothing."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.eligibility.outcome import Verdict
from app.errors import FileFormatError, NotFoundError, PermissionDeniedError, ValidationError
from app.history import AwardRecord, InitiativeRecord, RatingRecord
from app.nomination_flow import apply_action
from app.nomination_states import Action, State
from app.nomination_deadlines import DeadlineKind
from app.nominations import NominationService
from app.roles import Actor, Role
from app.services import Services
from app.subject_data import IndividualData
from db.models import (
    AuditEntry,
    CouncilSession,
    CouncilVote,
    EligibilityCheck,
    Movement,
    Nomination,
    NominationEvent,
    Registration,
)

YEAR = 2025
DECISION_DAY = date(2026, 1, 20)
AT = datetime(2026, 1, 20, 8, 0)
PDF = b"%PDF-1.7\n" + b"to trinh de nghi\n" * 50 + b"%%EOF\n"


def person(services: Services, name: str = "Vũ Thị Mai", rating: str = "tot",
           cstdcs: tuple[int, ...] = ()) -> int:
    subject_id = services.subjects.create(IndividualData(
        name, "female", employment="cong_chuc", employment_start=date(2015, 3, 1))).id
    for year in range(YEAR - 3, YEAR + 1):
        services.history.save(subject_id, RatingRecord(year, "htxs" if cstdcs else rating))
    for year in cstdcs:
        services.history.save(subject_id, AwardRecord("CSTDCS", year, decision_number=f"{year}/QĐ-UBND",
                                                      decision_date=date(year + 1, 1, 15)))
    return subject_id


def nominations(services: Services, today: date = DECISION_DAY) -> NominationService:
    """The service with a fixed 'today' (deadlines and default dates are tested)."""
    return NominationService(services.sessions, services.actor, services.audit, services.rule_settings,
                             services.eligibility, services.history, services.work_calendar.calendar,
                             lambda: datetime(2026, 1, 20, 1, 0, tzinfo=UTC), lambda: today)


def ldtt(services: Services, subject_id: int | None = None, **kwargs: object) -> int:
    return nominations(services).create(subject_id=subject_id or person(services), award_code="LDTT",
                                        year=YEAR, planned_decision_date=DECISION_DAY, **kwargs)


def state_of(services: Services, nomination_id: int) -> str:
    return services.nominations.detail(nomination_id).row.state


def counts(sessions: sessionmaker[Session]) -> tuple[int, int, int]:
    """(nomination events, audit entries, stored checks): what a refused step must not add."""
    with sessions() as session:
        return (session.scalar(select(func.count(NominationEvent.id))) or 0,
                session.scalar(select(func.count(AuditEntry.id))) or 0,
                session.scalar(select(func.count(EligibilityCheck.id))) or 0)


def refused(services: Services, nomination_id: int, work: object, match: str,
            error: type[Exception] = ValidationError) -> None:
    """`work()` raises `error` with `match`, and the nomination, its events and the audit
    trail are as they were."""
    before = (services.nominations.detail(nomination_id), counts(services.sessions))
    with pytest.raises(error, match=match):
        work()  # type: ignore[operator]
    assert (services.nominations.detail(nomination_id), counts(services.sessions)) == before


def council_votes(services: Services, nomination_id: int, final: bool = True,
                  held_on: date = date(2026, 1, 5)) -> None:
    """What the council service does when a session is finalised: the vote, then VOTE."""
    with services.sessions.begin() as session:
        council = CouncilSession(year=held_on.year - 1, held_on=held_on, title=f"Họp bình xét năm {held_on.year - 1}",
                                 state="final" if final else "open", created_at=AT, updated_at=AT)
        session.add(council)
        session.flush()
        session.add(CouncilVote(session_id=council.id, nomination_id=nomination_id, votes_for=7, base=9,
                                passed=True))
        if final:
            apply_action(session, services.audit, services.actor, session.get_one(Nomination, nomination_id),
                         Action.VOTE, held_on, AT)


def checked_and_voted(services: Services, subject_id: int | None = None, award: str = "LDTT") -> int:
    service = nominations(services)
    nomination_id = service.create(subject_id=subject_id or person(services), award_code=award, year=YEAR,
                                   planned_decision_date=DECISION_DAY)
    assert service.check(nomination_id).verdict is Verdict.ELIGIBLE
    council_votes(services, nomination_id)
    return nomination_id


# --- create


def test_create_makes_a_draft_listed_for_the_year(services: Services) -> None:
    nomination_id = ldtt(services, achievement_summary="  Hoàn thành tốt  ")
    [row] = services.nominations.rows(YEAR)
    assert (row.id, row.subject_name, row.award_label, row.state, row.state_label, row.procedure_label) == (
        nomination_id, "Vũ Thị Mai", "Lao động tiên tiến", "draft", "Dự thảo", "Thủ tục thông thường")
    assert (row.verdict, row.attachment_count, row.action) == ("", 0, "")
    assert services.nominations.detail(nomination_id).achievement_summary == "Hoàn thành tốt"
    assert services.nominations.rows(YEAR, "checked") == []
    assert services.nominations.rows(YEAR + 1) == []
    assert services.nominations.counts(YEAR) == {"draft": 1}


def test_create_refuses_a_second_open_nomination_for_the_same_award_and_year(services: Services) -> None:
    subject_id = person(services)
    ldtt(services, subject_id)
    before = counts(services.sessions)
    with pytest.raises(ValidationError, match="đã có đề nghị «Lao động tiên tiến» năm 2025 đang xử lý"):
        ldtt(services, subject_id)
    assert counts(services.sessions) == before
    assert len(services.nominations.rows(YEAR)) == 1


def test_a_returned_nomination_no_longer_blocks_a_new_one(services: Services) -> None:
    subject_id = person(services)
    first = ldtt(services, subject_id)
    services.nominations.return_(first, "Nhầm đối tượng", DECISION_DAY)
    second = ldtt(services, subject_id)
    assert {r.id: r.state for r in services.nominations.rows(YEAR)} == {first: "returned", second: "draft"}


def test_a_sudden_feat_uses_the_simplified_procedure_with_its_date(services: Services) -> None:
    subject_id = person(services)
    nomination_id = nominations(services).create(
        subject_id=subject_id, award_code="GK_XA", year=YEAR, procedure="simplified",
        event_date=date(2025, 8, 3), achievement_summary="Cứu người đuối nước")
    detail = services.nominations.detail(nomination_id)
    assert (detail.basis_kind, detail.route, detail.event_date) == ("sudden", "sudden", date(2025, 8, 3))
    with pytest.raises(ValidationError, match="ngày lập thành tích đột xuất"):
        nominations(services).create(subject_id=person(services, "Lê Văn Hùng"), award_code="GK_XA",
                                     year=YEAR, procedure="simplified")


def test_the_simplified_procedure_is_refused_for_an_award_without_a_sudden_route(services: Services) -> None:
    subject_id = person(services)
    before = counts(services.sessions)
    with pytest.raises(ValidationError, match=r"«Lao động tiên tiến» không xét theo thủ tục đơn giản.*Điều 85"):
        nominations(services).create(subject_id=subject_id, award_code="LDTT", year=YEAR, procedure="simplified",
                                     event_date=date(2025, 12, 1), planned_decision_date=date(2026, 1, 5))
    with pytest.raises(ValidationError, match="tuyến thành tích đột xuất"):
        nominations(services).create(subject_id=subject_id, award_code="BK_TINH", year=YEAR, route="two_cstdcs",
                                     procedure="simplified", event_date=date(2025, 12, 1))
    assert counts(services.sessions) == before
    assert services.nominations.rows(YEAR) == []


def test_a_thematic_award_carries_its_movement(services: Services) -> None:
    with services.sessions.begin() as session:
        movement = Movement(year=YEAR, kind="thematic", name="Chung sức xây dựng nông thôn mới",
                            created_at=AT, updated_at=AT)
        session.add(movement)
        session.flush()
        movement_id = movement.id
    service = nominations(services)
    nomination_id = service.create(subject_id=person(services), award_code="GK_XA", year=YEAR,
                                   movement_id=movement_id, achievement_summary="Hiến 200 m² đất làm đường",
                                   planned_decision_date=DECISION_DAY)
    detail = service.detail(nomination_id)
    assert (detail.basis_kind, detail.route, detail.movement_name) == (
        "thematic", "thematic", "Chung sức xây dựng nông thôn mới")
    outcome = service.check(nomination_id)
    assert outcome.request.facts.movement == "Chung sức xây dựng nông thôn mới"
    assert outcome.verdict is Verdict.ELIGIBLE


# --- update


def test_update_changes_the_facts_of_a_draft_with_an_audit_entry(services: Services) -> None:
    nomination_id = ldtt(services)
    audit = counts(services.sessions)[1]
    detail = services.nominations.update(nomination_id, achievement_summary="Tóm tắt mới",
                                         planned_decision_date=date(2026, 2, 2))
    assert (detail.achievement_summary, detail.planned_decision_date) == ("Tóm tắt mới", date(2026, 2, 2))
    assert counts(services.sessions)[1] == audit + 1
    services.nominations.update(nomination_id, achievement_summary="Tóm tắt mới")  # no change, no entry
    assert counts(services.sessions)[1] == audit + 1


def test_after_the_check_only_the_summary_may_change(services: Services) -> None:
    nomination_id = ldtt(services)
    nominations(services).check(nomination_id)
    assert services.nominations.update(nomination_id, achievement_summary="Bổ sung").achievement_summary == \
        "Bổ sung"
    refused(services, nomination_id,
            lambda: services.nominations.update(nomination_id, planned_decision_date=date(2026, 3, 1)),
            "Chỉ sửa được ngày")


def test_update_refuses_a_route_the_award_does_not_have(services: Services) -> None:
    nomination_id = ldtt(services)
    refused(services, nomination_id, lambda: services.nominations.update(nomination_id, route="sudden"),
            "Tuyến xét “sudden” không có")


# --- check


def test_an_eligible_check_is_stored_with_the_nomination_and_makes_it_checked(services: Services) -> None:
    nomination_id = ldtt(services)
    outcome = nominations(services).check(nomination_id)
    assert outcome.verdict is Verdict.ELIGIBLE
    assert outcome.request.decision_date == DECISION_DAY
    detail = services.nominations.detail(nomination_id)
    assert (detail.row.state, detail.row.action, detail.row.verdict_label) == ("checked", "decide", "Đủ điều kiện")
    assert detail.latest_check is not None and detail.latest_check.outcome == outcome
    with services.sessions() as session:
        assert session.scalar(select(EligibilityCheck.nomination_id)) == nomination_id
    [event] = services.nominations.events(nomination_id)
    assert (event.action, event.from_state, event.to_state, event.on) == ("check", "draft", "checked", DECISION_DAY)


def test_an_ineligible_check_is_stored_but_the_state_stays(services: Services) -> None:
    nomination_id = ldtt(services, person(services, rating="ht"))
    outcome = nominations(services).check(nomination_id)
    assert outcome.verdict is Verdict.NOT_ELIGIBLE
    detail = services.nominations.detail(nomination_id)
    assert detail.row.state == "draft"
    assert detail.latest_check is not None and detail.latest_check.verdict == "not_eligible"
    assert services.nominations.events(nomination_id) == []


def test_a_checked_nomination_found_wanting_on_a_new_check_goes_no_further(services: Services) -> None:
    subject_id = person(services)
    nomination_id = ldtt(services, subject_id)
    assert nominations(services).check(nomination_id).verdict is Verdict.ELIGIBLE
    rating = services.history.of(subject_id).ratings[-1]
    services.history.save(subject_id, replace(rating, rating="ht"))  # corrected after the check
    assert nominations(services).check(nomination_id).verdict is Verdict.NOT_ELIGIBLE
    assert state_of(services, nomination_id) == "checked"

    def vote() -> None:
        with services.sessions.begin() as session:
            apply_action(session, services.audit, services.actor, session.get_one(Nomination, nomination_id),
                         Action.VOTE, date(2026, 1, 5), AT)

    refused(services, nomination_id, vote, "lần kiểm tra điều kiện gần nhất cho kết quả «Không đủ điều kiện»")
    services.nominations.return_(nomination_id, "Xếp loại năm 2025 đã sửa thành Hoàn thành nhiệm vụ")
    assert state_of(services, nomination_id) == "returned"


def test_the_check_without_a_planned_date_is_made_for_today(services: Services) -> None:
    nomination_id = nominations(services).create(subject_id=person(services), award_code="LDTT", year=YEAR)
    assert nominations(services, date(2026, 2, 3)).check(nomination_id).request.decision_date == date(2026, 2, 3)


def test_the_check_reads_the_registration_of_that_year(services: Services) -> None:
    subject_id = person(services)
    services.rule_settings.set("registration_required", "true", date(2020, 1, 1), "Quy định của tỉnh")
    nomination_id = ldtt(services, subject_id)
    assert nominations(services).check(nomination_id).request.facts.registered is False
    with services.sessions.begin() as session:
        movement = Movement(year=YEAR, kind="regular", name="Phong trào thi đua năm 2025",
                            created_at=AT, updated_at=AT)
        session.add(movement)
        session.flush()
        session.add(Registration(movement_id=movement.id, subject_id=subject_id, award_code="LDTT",
                                 registered_on=date(2025, 1, 10), created_at=AT))
    outcome = nominations(services).check(nomination_id)
    assert outcome.request.facts.registered is True
    assert outcome.verdict is Verdict.ELIGIBLE


def test_an_award_above_the_commune_is_to_be_proposed(services: Services) -> None:
    nomination_id = checked_and_voted(services, person(services, cstdcs=(2024, 2025)), "BK_TINH")
    assert services.nominations.detail(nomination_id).row.action_label == "Trình cấp trên"


def test_a_check_after_the_vote_is_refused(services: Services) -> None:
    nomination_id = checked_and_voted(services)
    refused(services, nomination_id, lambda: services.nominations.check(nomination_id),
            "Không thể «kiểm tra điều kiện» khi đề nghị đang ở bước «Hội đồng đã biểu quyết»")


# --- public notice, in working days


def test_a_notice_posted_before_tet_ends_after_it(services: Services) -> None:
    nomination_id = checked_and_voted(services)
    ends = services.nominations.post_notice([nomination_id], date(2026, 2, 12))
    assert ends == date(2026, 2, 25)  # 12, 13 Feb; Tết holiday; 23, 24, 25 Feb
    detail = services.nominations.detail(nomination_id)
    assert (detail.row.state, detail.notice_starts_on, detail.notice_ends_on) == (
        "public_notice", date(2026, 2, 12), date(2026, 2, 25))


def test_a_notice_posted_before_the_council_voted_is_refused_naming_the_session(services: Services) -> None:
    nomination_id = checked_and_voted(services)  # voted on 05/01/2026
    refused(services, nomination_id, lambda: services.nominations.post_notice([nomination_id], date(2026, 1, 2)),
            r"Ngày niêm yết 02/01/2026 trước ngày Hội đồng biểu quyết .*\(phiên họp «Họp bình xét năm 2025» "
            r"ngày 05/01/2026\)")
    assert services.nominations.post_notice([nomination_id], date(2026, 1, 5)) == date(2026, 1, 9)


def test_an_extra_day_off_moves_the_notice_end(services: Services) -> None:
    services.work_calendar.add(date(2026, 2, 24), "off", "Nghỉ thêm theo thông báo của tỉnh")
    nomination_id = checked_and_voted(services)
    assert services.nominations.post_notice([nomination_id], date(2026, 2, 12)) == date(2026, 2, 26)


def test_the_notice_length_is_the_setting_on_the_posting_date(services: Services) -> None:
    services.rule_settings.set("public_notice_days", "7", date(2026, 3, 1), "Quy định của tỉnh")
    assert services.nominations.notice_end(date(2026, 2, 26)) == date(2026, 3, 4)  # 5 days
    assert services.nominations.notice_end(date(2026, 3, 2)) == date(2026, 3, 10)  # 7 days


def test_one_nomination_not_voted_refuses_the_whole_notice(services: Services) -> None:
    voted = checked_and_voted(services)
    draft = ldtt(services, person(services, "Đỗ Văn Nam"))
    before = counts(services.sessions)
    with pytest.raises(ValidationError, match="Không thể «niêm yết công khai» khi đề nghị đang ở bước «Dự thảo»"):
        services.nominations.post_notice([voted, draft], date(2026, 2, 12))
    assert counts(services.sessions) == before
    assert services.nominations.detail(voted).notice_ends_on is None
    assert state_of(services, voted) == "voted"


def test_a_simplified_nomination_cannot_be_posted(services: Services) -> None:
    nomination_id = nominations(services).create(
        subject_id=person(services), award_code="GK_XA", year=YEAR, procedure="simplified",
        event_date=date(2025, 8, 3), achievement_summary="Cứu người", planned_decision_date=DECISION_DAY)
    nominations(services).check(nomination_id)
    refused(services, nomination_id, lambda: services.nominations.post_notice([nomination_id], DECISION_DAY),
            "thủ tục đơn giản không qua biểu quyết")


# --- propose and the province's answer


def proposed(services: Services) -> int:
    nomination_id = checked_and_voted(services, person(services, cstdcs=(2024, 2025)), "BK_TINH")
    services.nominations.post_notice([nomination_id], date(2026, 2, 12))
    services.nominations.propose([nomination_id], date(2026, 2, 26))
    return nomination_id


def test_proposing_before_the_notice_ends_is_refused(services: Services) -> None:
    nomination_id = checked_and_voted(services, person(services, cstdcs=(2024, 2025)), "BK_TINH")
    services.nominations.post_notice([nomination_id], date(2026, 2, 12))
    refused(services, nomination_id, lambda: services.nominations.propose([nomination_id], date(2026, 2, 25)),
            r"Chưa hết thời gian niêm yết .* \(đến hết ngày 25/02/2026\)")
    due = services.nominations.propose([nomination_id], date(2026, 2, 26))
    assert due == services.work_calendar.calendar().add_working_days(date(2026, 2, 26), 20)
    detail = services.nominations.detail(nomination_id)
    assert (detail.row.state, detail.proposed_on, detail.answer_due_on) == ("proposed", date(2026, 2, 26), due)
    # The proposal rests on a check made on its own date, kept with the nomination.
    assert detail.latest_check is not None
    assert (detail.latest_check.decision_date, detail.latest_check.verdict) == (date(2026, 2, 26), "eligible")


def test_a_proposal_dated_before_the_vote_or_the_check_is_refused(services: Services) -> None:
    voted = checked_and_voted(services, person(services, cstdcs=(2024, 2025)), "BK_TINH")  # voted 05/01/2026
    services.nominations.post_notice([voted], date(2026, 1, 5))
    refused(services, voted, lambda: services.nominations.propose([voted], date(2026, 1, 2)),
            r"Ngày trình 02/01/2026 trước ngày Hội đồng biểu quyết .* \(05/01/2026\)")
    service = nominations(services)
    sudden = service.create(
        subject_id=person(services, "Lê Văn Hùng"), award_code="BK_TINH", year=YEAR, procedure="simplified",
        event_date=date(2025, 9, 12), achievement_summary="Cứu người trong bão", planned_decision_date=DECISION_DAY)
    assert service.check(sudden).verdict is Verdict.ELIGIBLE  # checked for 20/01/2026
    refused(services, sudden, lambda: services.nominations.propose([sudden], date(2026, 1, 19)),
            r"Ngày trình 19/01/2026 trước ngày kiểm tra điều kiện .* \(20/01/2026\)")


def test_a_basis_revoked_after_the_check_stops_the_proposal(services: Services) -> None:
    subject_id = person(services, cstdcs=(2024, 2025))
    nomination_id = checked_and_voted(services, subject_id, "BK_TINH")
    services.nominations.post_notice([nomination_id], date(2026, 2, 12))
    basis = next(a for a in services.history.of(subject_id).awards if a.award_code == "CSTDCS" and a.year == 2025)
    services.history.save(subject_id, replace(basis, revoked_on=date(2026, 2, 20),
                                              revoked_reason="Kê khai thành tích không đúng"))
    assert services.nominations.detail(nomination_id).row.verdict == "eligible"  # the stored check is stale
    refused(services, nomination_id, lambda: services.nominations.propose([nomination_id], date(2026, 2, 26)),
            r"Kiểm tra lại điều kiện ngày 26/02/2026, không trình cấp trên được: đề nghị «Bằng khen.*"
            r"không đủ điều kiện: .*thu hồi")
    assert state_of(services, nomination_id) == "public_notice"


def test_a_commune_award_cannot_be_proposed(services: Services) -> None:
    nomination_id = checked_and_voted(services)
    services.nominations.post_notice([nomination_id], date(2026, 2, 12))
    refused(services, nomination_id, lambda: services.nominations.propose([nomination_id], date(2026, 3, 2)),
            "do Chủ tịch UBND xã quyết định; không trình cấp trên")


def test_the_simplified_path_goes_to_the_province_without_vote_or_notice(services: Services) -> None:
    service = nominations(services)
    nomination_id = service.create(
        subject_id=person(services), award_code="BK_TINH", year=YEAR, procedure="simplified",
        event_date=date(2025, 9, 12), achievement_summary="Dũng cảm cứu tài sản nhân dân trong bão",
        planned_decision_date=DECISION_DAY)
    assert service.check(nomination_id).verdict is Verdict.ELIGIBLE
    service.propose([nomination_id], date(2026, 1, 21))
    assert [(e.from_state, e.to_state) for e in service.events(nomination_id)] == [
        ("draft", "checked"), ("checked", "proposed")]


def test_an_approved_outcome_puts_the_award_into_the_history(services: Services) -> None:
    nomination_id = proposed(services)
    subject_id = services.nominations.detail(nomination_id).row.subject_id
    detail = services.nominations.record_outcome(nomination_id, True, "512/QĐ-UBND", date(2026, 4, 2),
                                                 "Chủ tịch UBND tỉnh", "")
    assert (detail.row.state, detail.outcome_decision_number) == ("approved", "512/QĐ-UBND")
    granted = [a for a in services.history.of(subject_id).awards if a.award_code == "BK_TINH"]
    assert [(a.year, a.decision_number, a.decision_date, a.issuer, a.basis_kind) for a in granted] == [
        (YEAR, "512/QĐ-UBND", date(2026, 4, 2), "Chủ tịch UBND tỉnh", "annual_duty")]
    # The law in force on the decision date, and the two years of CSTĐCS the Bằng khen rests on.
    assert [(a.legal_basis, a.period_start) for a in granted] == [
        ("Luật 06/2022/QH15, NĐ 152/2025/NĐ-CP, NĐ 129/2025/NĐ-CP", YEAR - 1)]
    snapshot = services.eligibility.snapshot(subject_id)
    assert ("BK_TINH", YEAR, "512/QĐ-UBND") in {(a.award_code, a.year, a.decision_number)
                                                 for a in snapshot.awards}


def test_before_the_reform_the_district_answers_under_the_law_of_its_date(services: Services) -> None:
    subject_id = services.subjects.create(IndividualData(
        "Đỗ Văn Nam", "male", employment="cong_chuc", employment_start=date(2015, 3, 1))).id
    for year in range(2021, 2025):
        services.history.save(subject_id, RatingRecord(year, "htxs"))
        services.history.save(subject_id, AwardRecord("LDTT", year, decision_number=f"{year}/QĐ-UBND",
                                                      decision_date=date(year + 1, 1, 15)))
    services.history.save(subject_id, InitiativeRecord(
        2024, "Số hóa hồ sơ một cửa", recognised_by="Hội đồng sáng kiến xã", decision_number="5/QĐ-UBND",
        decision_date=date(2024, 11, 1)))
    service = nominations(services)
    nomination_id = service.create(subject_id=subject_id, award_code="CSTDCS", year=2024,
                                   planned_decision_date=date(2025, 3, 10))
    assert service.check(nomination_id).authority.decider == "district_chairman"
    council_votes(services, nomination_id, held_on=date(2025, 3, 5))
    ends = service.post_notice([nomination_id], date(2025, 3, 12))
    service.propose([nomination_id], ends + timedelta(days=1))
    assert service.detail(nomination_id).row.state_label == "Đã trình cấp trên"
    assert service.detail(nomination_id).issuer_default == "Chủ tịch UBND huyện"  # the form's default
    detail = service.record_outcome(nomination_id, True, "88/QĐ-UBND", date(2025, 5, 20))
    assert (detail.row.state_label, detail.outcome_issuer) == ("Cấp trên đã khen thưởng", "Chủ tịch UBND huyện")
    (granted,) = [a for a in services.history.of(subject_id).awards if a.award_code == "CSTDCS"]
    assert (granted.issuer, granted.legal_basis, granted.period_start) == (
        "Chủ tịch UBND huyện", "Luật 06/2022/QH15, NĐ 98/2023/NĐ-CP, TT 01/2024/TT-BNV", None)


def test_an_approved_outcome_needs_the_decision_number_and_date(services: Services) -> None:
    nomination_id = proposed(services)
    refused(services, nomination_id,
            lambda: services.nominations.record_outcome(nomination_id, True, "", date(2026, 4, 2)),
            "số quyết định")
    refused(services, nomination_id,
            lambda: services.nominations.record_outcome(nomination_id, True, "512/QĐ-UBND", None),
            "ngày quyết định")


def test_not_approved_needs_a_reason_and_adds_nothing_to_the_history(services: Services) -> None:
    nomination_id = proposed(services)
    subject_id = services.nominations.detail(nomination_id).row.subject_id
    refused(services, nomination_id,
            lambda: services.nominations.record_outcome(nomination_id, False, note="  "),
            "Hãy ghi lý do «Ghi kết quả: cấp trên không khen thưởng»")
    awards_before = services.history.of(subject_id).awards
    detail = services.nominations.record_outcome(nomination_id, False, note="Vượt chỉ tiêu của tỉnh")
    assert (detail.row.state, detail.outcome_note) == ("not_approved", "Vượt chỉ tiêu của tỉnh")
    assert services.history.of(subject_id).awards == awards_before


def test_an_outcome_before_the_proposal_or_in_the_future_is_refused(services: Services) -> None:
    nomination_id = proposed(services)  # proposed on 26/02/2026
    refused(services, nomination_id,
            lambda: services.nominations.record_outcome(nomination_id, True, "1/QĐ-UBND", date(2026, 2, 20)),
            r"Ngày quyết định của cấp trên 20/02/2026 trước ngày trình 26/02/2026")
    refused(services, nomination_id,
            lambda: services.nominations.record_outcome(nomination_id, False, "1/QĐ-UBND", date(2026, 2, 20),
                                                        note="Không đạt"),
            r"trước ngày trình 26/02/2026")
    tomorrow = services.nominations.today() + timedelta(days=1)
    refused(services, nomination_id,
            lambda: services.nominations.record_outcome(nomination_id, True, "1/QĐ-UBND", tomorrow),
            f"Ngày quyết định của cấp trên {tomorrow:%d/%m/%Y} chưa đến")
    assert services.nominations.record_outcome(nomination_id, True, "1/QĐ-UBND",
                                               date(2026, 2, 26)).row.state == "approved"


def test_an_outcome_before_the_proposal_step_is_refused_by_the_state(services: Services) -> None:
    nomination_id = checked_and_voted(services)
    refused(services, nomination_id,
            lambda: services.nominations.record_outcome(nomination_id, True, "1/QĐ", date(2026, 3, 1)),
            "Không thể «ghi kết quả: cấp trên khen thưởng»")


# --- return and reopen


def test_return_needs_a_reason(services: Services) -> None:
    nomination_id = checked_and_voted(services)
    refused(services, nomination_id, lambda: services.nominations.return_(nomination_id, " ", DECISION_DAY),
            "Hãy ghi lý do «Trả lại»")
    detail = services.nominations.return_(nomination_id, "Thiếu báo cáo thành tích", date(2026, 1, 22))
    assert (detail.row.state, detail.returned_reason) == ("returned", "Thiếu báo cáo thành tích")
    assert detail.actions == (Action.REOPEN,)
    last = services.nominations.events(nomination_id)[-1]
    assert (last.action, last.reason, last.on) == ("return", "Thiếu báo cáo thành tích", date(2026, 1, 22))


def test_reopen_makes_a_draft_again_and_forgets_the_notice(services: Services) -> None:
    nomination_id = checked_and_voted(services)
    services.nominations.post_notice([nomination_id], date(2026, 2, 12))
    services.nominations.return_(nomination_id, "Sai tên đơn vị", DECISION_DAY)
    detail = services.nominations.reopen(nomination_id)
    assert (detail.row.state, detail.notice_starts_on, detail.notice_ends_on) == ("draft", None, None)
    assert detail.facts_editable


def test_steps_without_a_date_take_todays_date_in_vietnam_from_the_services_clock(services: Services) -> None:
    moment = datetime(2026, 1, 21, 17, 30, tzinfo=UTC)  # 00:30 on 22/01 in Việt Nam
    clocked = Services.create(services.sessions, services.actor, lambda: moment)
    nomination_id = ldtt(services)
    clocked.nominations.return_(nomination_id, "Thiếu báo cáo thành tích")
    clocked.nominations.reopen(nomination_id)
    returned, reopened = services.nominations.events(nomination_id)
    assert (returned.on, returned.at) == (date(2026, 1, 22), datetime(2026, 1, 21, 17, 30))
    assert reopened.on == date(2026, 1, 22)


def test_reopen_of_an_open_nomination_is_refused(services: Services) -> None:
    nomination_id = ldtt(services)
    refused(services, nomination_id, lambda: services.nominations.reopen(nomination_id),
            "Không thể «mở lại để sửa» khi đề nghị đang ở bước «Dự thảo»")


def test_a_final_nomination_refuses_every_step(services: Services) -> None:
    nomination_id = proposed(services)
    services.nominations.record_outcome(nomination_id, True, "512/QĐ-UBND", date(2026, 4, 2))
    for work in (lambda: services.nominations.return_(nomination_id, "Lý do", DECISION_DAY),
                 lambda: services.nominations.reopen(nomination_id),
                 lambda: services.nominations.check(nomination_id),
                 lambda: services.nominations.propose([nomination_id], date(2026, 5, 4)),
                 lambda: services.nominations.update(nomination_id, achievement_summary="Sửa")):
        refused(services, nomination_id, work, "đã kết thúc")


# --- deadlines


def test_deadlines_list_notices_ending_and_answers_due(services: Services) -> None:
    notice = checked_and_voted(services)
    services.nominations.post_notice([notice], date(2026, 2, 12))
    answer = proposed(services)
    due = services.nominations.detail(answer).answer_due_on
    assert due is not None
    service = nominations(services)
    assert [(d.nomination_id, d.kind, d.due_on, d.overdue) for d in service.deadlines(date(2026, 2, 20))] == [
        (notice, DeadlineKind.NOTICE_END, date(2026, 2, 25), False)]
    assert service.deadlines(date(2026, 2, 10)) == []  # beyond the horizon
    late = service.deadlines(due + timedelta(days=1))
    assert {(d.nomination_id, d.kind, d.past, d.overdue) for d in late} == {
        # an ended notice is ready for the next step, not late; an answer past its date is
        (notice, DeadlineKind.NOTICE_END, True, False), (answer, DeadlineKind.PROVINCE_ANSWER, True, True)}
    assert all("Vũ Thị Mai" in d.text for d in late)
    assert "sẵn sàng quyết định hoặc trình cấp trên" in next(d.text for d in late if d.nomination_id == notice)
    # The year overview lists the same deadlines, computed once.
    assert list(services.year_overview.overview(YEAR, due + timedelta(days=1)).deadlines) == late
    assert service.deadlines(due + timedelta(days=1), year=YEAR + 1) == []


def test_deadlines_read_the_subjects_in_one_query_however_many_rows(services: Services) -> None:
    from sqlalchemy import event

    def statements_for_deadlines() -> int:
        statements: list[str] = []
        engine = services.sessions.kw["bind"]

        def listener(_connection: object, _cursor: object, statement: str, *_rest: object) -> None:
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", listener)
        try:
            services.nominations.deadlines(date(2026, 2, 20), 30)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    first = checked_and_voted(services)
    services.nominations.post_notice([first], date(2026, 2, 12))
    one = statements_for_deadlines()
    more = [checked_and_voted(services, person(services, f"Người số {n}")) for n in range(5)]
    services.nominations.post_notice(more, date(2026, 2, 12))
    assert len(services.nominations.deadlines(date(2026, 2, 20), 30)) == 6
    assert statements_for_deadlines() == one


def test_rows_take_the_same_statements_however_many_nominations(services: Services, tmp_path: Path) -> None:
    from sqlalchemy import event

    def statements_for_rows() -> tuple[int, list[object]]:
        statements: list[str] = []
        engine = services.sessions.kw["bind"]

        def listener(_connection: object, _cursor: object, statement: str, *_rest: object) -> None:
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", listener)
        try:
            rows = services.nominations.rows(YEAR)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements), rows

    folder = tmp_path / "data"
    folder.mkdir()
    first = proposed(services)
    services.nominations.attach(first, scan(tmp_path), "to_trinh", folder)
    one, [row] = statements_for_rows()
    assert (row.state, row.attachment_count, row.verdict, row.answer_due_on) == (
        "proposed", 1, "eligible", services.nominations.detail(first).answer_due_on)
    more = [proposed(services) for _ in range(3)] + [ldtt(services, person(services, f"Người số {n}"))
                                                     for n in range(3)]
    services.nominations.attach(more[0], scan(tmp_path, "Bao cao.pdf"), "", folder)
    services.nominations.attach(more[0], scan(tmp_path, "Bien ban.pdf"), "", folder)
    count, rows = statements_for_rows()
    assert count == one and len(rows) == 7
    # The same rows as each nomination's detail shows.
    assert rows == sorted((services.nominations.detail(n).row for n in [first, *more]),
                          key=lambda r: (r.subject_name, r.award_code, r.id))


# --- checklist and attachments


@pytest.fixture
def data_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def scan(tmp_path: Path, name: str = "To trinh.pdf", content: bytes = PDF) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_the_checklist_turns_present_when_a_part_is_attached(services: Services, tmp_path: Path,
                                                            data_folder: Path) -> None:
    nomination_id = ldtt(services)
    assert services.nominations.checklist(nomination_id) == []  # not checked yet
    nominations(services).check(nomination_id)
    items = services.nominations.checklist(nomination_id)
    assert [(i.code, i.present) for i in items] == [
        ("to_trinh", False), ("bao_cao_thanh_tich", False), ("bien_ban_binh_xet", False)]
    row = services.nominations.attach(nomination_id, scan(tmp_path), "to_trinh", data_folder)
    assert row.dossier_part == "to_trinh"
    items = services.nominations.checklist(nomination_id)
    assert [(i.code, i.present, i.files) for i in items][0] == ("to_trinh", True, ("To trinh.pdf",))
    assert services.nominations.rows(YEAR)[0].attachment_count == 1


def test_the_council_minutes_count_once_a_final_session_voted(services: Services) -> None:
    nomination_id = checked_and_voted(services)
    minutes = [i for i in services.nominations.checklist(nomination_id) if i.code == "bien_ban_binh_xet"]
    assert minutes[0].present and "Họp bình xét năm 2025" in minutes[0].note


def test_an_open_session_s_vote_does_not_count_for_the_minutes(services: Services) -> None:
    nomination_id = ldtt(services)
    nominations(services).check(nomination_id)
    council_votes(services, nomination_id, final=False)
    minutes = [i for i in services.nominations.checklist(nomination_id) if i.code == "bien_ban_binh_xet"]
    assert not minutes[0].present


def test_a_file_over_20_mb_is_refused_before_copying(services: Services, tmp_path: Path,
                                                     data_folder: Path) -> None:
    nomination_id = ldtt(services)
    big = scan(tmp_path, "Ho so.pdf")
    os.truncate(big, 21 * 1024 * 1024)  # sparse: the PDF header stays
    before = counts(services.sessions)
    with pytest.raises(FileFormatError, match=r"dài 21 MB, lớn hơn giới hạn 20 MB"):
        services.nominations.attach(nomination_id, big, "to_trinh", data_folder)
    assert counts(services.sessions) == before
    assert not (data_folder / "attachments").exists() or not any((data_folder / "attachments").iterdir())


def test_a_file_that_is_not_pdf_or_image_is_refused(services: Services, tmp_path: Path,
                                                    data_folder: Path) -> None:
    nomination_id = ldtt(services)
    with pytest.raises(FileFormatError, match="không phải PDF, JPG hoặc PNG"):
        services.nominations.attach(nomination_id, scan(tmp_path, "a.docx", b"PK\x03\x04word"), "", data_folder)
    assert services.nominations.attachments(nomination_id) == []


def test_an_unknown_dossier_part_is_refused(services: Services, tmp_path: Path, data_folder: Path) -> None:
    nomination_id = ldtt(services)
    with pytest.raises(ValidationError, match="Không có thành phần hồ sơ"):
        services.nominations.attach(nomination_id, scan(tmp_path), "giay_moi", data_folder)


def test_removing_a_file_needs_a_reason_and_deletes_it_after_the_row(services: Services, tmp_path: Path,
                                                                     data_folder: Path) -> None:
    nomination_id = ldtt(services)
    row = services.nominations.attach(nomination_id, scan(tmp_path), "to_trinh", data_folder)
    stored = data_folder / row.stored_path
    assert services.nominations.open_attachment(row, data_folder) == stored
    with pytest.raises(ValidationError, match="lý do xóa"):
        services.nominations.remove_attachment(nomination_id, row.id, "", data_folder)
    assert stored.exists()
    services.nominations.remove_attachment(nomination_id, row.id, "Quét nhầm tệp", data_folder)
    assert not stored.exists()
    assert services.nominations.attachments(nomination_id) == []
    with services.sessions() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.action, entry.entity, entry.reason) == ("delete", "attachment", "Quét nhầm tệp")


def test_files_cannot_be_attached_to_or_removed_from_a_final_nomination(services: Services, tmp_path: Path,
                                                                        data_folder: Path) -> None:
    nomination_id = proposed(services)
    row = services.nominations.attach(nomination_id, scan(tmp_path), "to_trinh", data_folder)
    services.nominations.record_outcome(nomination_id, True, "512/QĐ-UBND", date(2026, 4, 2))
    refused(services, nomination_id,
            lambda: services.nominations.attach(nomination_id, scan(tmp_path, "Bo sung.pdf"), "", data_folder),
            r"Đề nghị đã kết thúc \(bước «Cấp trên đã khen thưởng»\); hồ sơ được giữ nguyên, không đính kèm thêm tệp")
    refused(services, nomination_id,
            lambda: services.nominations.remove_attachment(nomination_id, row.id, "Quét nhầm", data_folder),
            "hồ sơ được giữ nguyên, không xóa tệp")
    assert [a.id for a in services.nominations.attachments(nomination_id)] == [row.id]
    assert sorted(p.name for p in (data_folder / "attachments").iterdir()) == [Path(row.stored_path).name]


def test_a_nomination_decided_while_its_file_is_copied_keeps_no_file(services: Services, tmp_path: Path,
                                                                     data_folder: Path) -> None:
    nomination_id = ldtt(services)

    def decided_meanwhile(_done: int, _total: int) -> None:  # another window finishes it mid-copy
        with services.sessions.begin() as session:
            session.get_one(Nomination, nomination_id).state = "decided"

    with pytest.raises(ValidationError, match="không đính kèm thêm tệp"):
        services.nominations.attach(nomination_id, scan(tmp_path), "to_trinh", data_folder, decided_meanwhile)
    assert services.nominations.attachments(nomination_id) == []
    assert list((data_folder / "attachments").iterdir()) == []


def test_another_nomination_s_file_is_not_removed(services: Services, tmp_path: Path, data_folder: Path) -> None:
    first, second = ldtt(services), ldtt(services, person(services, "Đỗ Văn Nam"))
    row = services.nominations.attach(first, scan(tmp_path), "to_trinh", data_folder)
    with pytest.raises(NotFoundError):
        services.nominations.remove_attachment(second, row.id, "Lý do", data_folder)
    assert len(services.nominations.attachments(first)) == 1


# --- permissions and lookup


def test_a_viewer_may_read_but_not_change(services: Services, tmp_path: Path, data_folder: Path) -> None:
    nomination_id = ldtt(services)
    viewer = Actor(user_id=None, username="xem", full_name="Người xem", role=Role.VIEWER)
    theirs = Services.create(services.sessions, viewer).nominations
    assert theirs.detail(nomination_id).row.state == "draft"
    other = person(services, "Lê Thị Hoa")
    source = scan(tmp_path)
    for work in (lambda: theirs.create(subject_id=other, award_code="LDTT", year=YEAR),
                 lambda: theirs.check(nomination_id),
                 lambda: theirs.update(nomination_id, achievement_summary="x"),
                 lambda: theirs.return_(nomination_id, "Lý do"),
                 lambda: theirs.post_notice([nomination_id], DECISION_DAY),
                 lambda: theirs.attach(nomination_id, source, "", data_folder)):
        refused(services, nomination_id, work, "không có quyền", PermissionDeniedError)


def test_find_takes_a_number_or_a_uuid(services: Services) -> None:
    nomination_id = ldtt(services)
    uuid = services.nominations.detail(nomination_id).row.uuid
    assert services.nominations.find(str(nomination_id)) == services.nominations.find(uuid.upper()) == nomination_id
    with pytest.raises(NotFoundError, match="Không tìm thấy đề nghị “999”"):
        services.nominations.find("999")
    assert State.DRAFT == state_of(services, nomination_id)
