"""Commune award decisions: drafts, issuing in one transaction, history, revocation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from app.audit import AuditFilter
from app.commune import CommuneSetup, OfficialData
from app.decisions import DecisionRow, issuer_text, signers
from app.eligibility.outcome import Status
from app.eligibility.request import CheckRequest
from app.errors import PermissionDeniedError, ValidationError
from app.history import AwardRecord, DisciplineRecord, RatingRecord
from app.nomination_flow import apply_action, new_nomination
from tests.app.nomination_builders import record_passing_check
from app.nomination_states import Action, State
from app.roles import Role
from app.services import Services
from app.subject_data import IndividualData
from db.models import AuditEntry, Award, Decision, DecisionItem, EligibilityCheck, Nomination, RegisterEntry
from tests.conftest import DatabaseFile, as_officer
from ui.main import main

AT = datetime(2025, 6, 1, 8, 0)
NOTICE_ENDS = date(2025, 6, 20)
AN_PHUOC = 26383  # Xã An Phước, Đồng Nai


@pytest.fixture(autouse=True)
def commune_setup(services: Services) -> CommuneSetup:
    return commune(services)


def commune(services: Services) -> CommuneSetup:
    return services.commune.save(CommuneSetup(
        province_code=75, commune_code=AN_PHUOC, place_name="An Phước",
        officials=(OfficialData("chairman", "Nguyễn Văn An"), OfficialData("vice_chairman", "Trần Thị Bình"))))


def person(services: Services, name: str = "Vũ Thị Mai") -> int:
    """A civil servant rated «hoàn thành xuất sắc» 2021–2025: the checker, run again when a
    decision is issued, finds her eligible for LĐTT and CSTĐCS of those years."""
    subject_id = services.subjects.create(IndividualData(
        name if " " in name else f"Nguyễn Thị {name}", "female", date(1985, 3, 1), employment="cong_chuc",
        employment_start=date(2010, 8, 1))).id
    for year in range(2021, 2026):
        services.history.save(subject_id, RatingRecord(year, "htxs"))
    return subject_id


def ready(services: Services, subject_id: int, award_code: str = "LDTT", year: int = 2024, *,
          notice_ends_on: date | None = NOTICE_ENDS, simplified: bool = False, action: str = "decide",
          until: Action = Action.POST_NOTICE) -> int:
    """A nomination moved along the state machine as H3/H4's services would."""
    with services.sessions.begin() as session:
        nomination = new_nomination(session, services.audit, services.actor, AT, subject_id=subject_id,
                                    award_code=award_code, year=year,
                                    procedure="simplified" if simplified else "standard",
                                    basis_kind="sudden" if simplified else "annual_duty",
                                    event_date=date(2025, 5, 1) if simplified else None,
                                    achievement_summary="Cứu người đuối nước" if simplified else "")
        nomination.action = action
        record_passing_check(session, nomination, date(2025, 6, 1), AT)
        steps = [Action.CHECK] if simplified else [Action.CHECK, Action.VOTE, Action.POST_NOTICE]
        for step in steps[:steps.index(until) + 1] if until in steps else steps:
            if step is Action.POST_NOTICE:
                nomination.notice_starts_on, nomination.notice_ends_on = date(2025, 6, 10), notice_ends_on
            apply_action(session, services.audit, services.actor, nomination, step, date(2025, 6, 1), AT)
        return nomination.id


def draft(services: Services, nomination_ids: list[int], year: int = 2024) -> DecisionRow:
    return services.decisions.create_draft(year, nomination_ids, "Về việc khen thưởng năm 2024",
                                           "Nguyễn Văn An", "CHỦ TỊCH", "TM")


def state_of(services: Services, nomination_id: int) -> str:
    with services.sessions() as session:
        return session.get_one(Nomination, nomination_id).state


def counts(services: Services) -> tuple[int, int, int]:
    with services.sessions() as session:
        return (session.scalar(select(func.count(RegisterEntry.id))) or 0,
                session.scalar(select(func.count(Award.id))) or 0,
                session.scalar(select(func.count(AuditEntry.id))) or 0)


# --- what is ready -----------------------------------------------------------------------


def test_decidable_lists_only_what_the_commune_may_decide_now(services: Services) -> None:
    mai, lan, hoa, tuan, minh = (person(services, n) for n in ("Mai", "Lan", "Hoa", "Tuấn", "Minh"))
    ended = ready(services, mai)
    sudden = ready(services, lan, "GK_XA", simplified=True)
    ready(services, hoa, notice_ends_on=date(2025, 7, 10))  # notice still running on 01/07
    ready(services, tuan, "CSTDCS", action="propose")  # the province decides
    ready(services, minh, until=Action.VOTE)  # not posted yet
    on = date(2025, 7, 1)
    assert {n.id for n in services.decisions.decidable(2024, on)} == {ended, sudden}
    assert services.decisions.decidable(2025, on) == []
    draft(services, [ended])
    assert [n.id for n in services.decisions.decidable(2024, on)] == [sudden]  # in a draft already


def test_a_nomination_not_ready_cannot_be_put_in_a_draft(services: Services) -> None:
    voted = ready(services, person(services), until=Action.VOTE)
    with pytest.raises(ValidationError, match="chưa sẵn sàng"):
        draft(services, [voted])
    assert services.decisions.decisions(2024) == []


# --- issuing ------------------------------------------------------------------------------


def test_issue_numbers_the_decision_writes_history_and_decides_the_nominations(services: Services) -> None:
    mai, lan = person(services, "Vũ Thị Mai"), person(services, "Lê Thị Lan")
    first, second = ready(services, mai), ready(services, lan, "CSTDCS")
    services.register.register(issuer="UBND", doc_type="TTr", issued_on=date(2025, 7, 2),
                               abstract="Tờ trình đề nghị khen thưởng", signer="Nguyễn Văn An")
    decision = draft(services, [first, second])
    assert services.decisions.next_number_text(date(2025, 7, 10)) == "02/QĐ-UBND"
    issued = services.decisions.issue(decision.id, date(2025, 7, 10))
    assert (issued.state, issued.number, issued.decided_on) == ("issued", "02/QĐ-UBND", date(2025, 7, 10))
    assert [r.number_text for r in services.register.rows(2025)] == ["01/TTr-UBND", "02/QĐ-UBND"]
    [award] = services.history.of(lan).awards
    assert (award.award_code, award.year, award.decision_number, award.decision_date) == (
        "CSTDCS", 2024, "02/QĐ-UBND", date(2025, 7, 10))
    assert award.issuer == "Chủ tịch UBND xã An Phước" == issuer_text(services.commune.get())
    assert "NĐ 152/2025" in award.legal_basis
    assert [a.award_code for a in services.history.of(mai).awards] == ["LDTT"]
    assert state_of(services, first) == state_of(services, second) == State.DECIDED
    detail = services.decisions.detail(decision.id)
    assert {i.subject_name: i.award_id is not None for i in detail.items} == {"Vũ Thị Mai": True,
                                                                              "Lê Thị Lan": True}
    assert services.audit.count(AuditFilter(entity="decision", action="issue")) == 1


def test_reward_money_follows_the_settings_on_the_decision_date(services: Services) -> None:
    mai, lan = person(services, "Mai"), person(services, "Lan")
    decision = draft(services, [ready(services, mai), ready(services, lan, "CSTDCS")])
    services.rule_settings.set("base_salary", "3000000", date(2025, 8, 1), "Lương cơ sở mới (thử)")
    services.decisions.issue(decision.id, date(2025, 7, 10))
    detail = services.decisions.detail(decision.id)
    # LĐTT 0,3 × 2.340.000 = 702.000 rounded up to 710.000; CSTĐCS 1,0 × 2.340.000.
    assert {i.award_code: i.reward_amount for i in detail.items} == {"LDTT": 710_000, "CSTDCS": 2_340_000}
    assert detail.total == detail.decision.total == 3_050_000
    later = draft(services, [ready(services, person(services, "Hoa"))])
    services.decisions.issue(later.id, date(2025, 8, 5))
    assert services.decisions.detail(later.id).total == 900_000  # 0,3 × 3.000.000


def test_cstdcs_on_30_june_2025_is_refused_with_nothing_changed_and_allowed_on_1_july(
        services: Services) -> None:
    lan = person(services, "Lê Thị Lan")
    nomination = ready(services, lan, "CSTDCS")
    decision = draft(services, [nomination, ready(services, person(services, "Mai"))])
    before = counts(services)
    # Before the reform the district decided: the nomination, checked as the commune's, cannot
    # change its route at the decision; the message says how to send it the right way.
    with pytest.raises(ValidationError, match=r"Chiến sĩ thi đua cơ sở.*Lê Thị Lan.*30/06/2025.*Chủ tịch UBND "
                                              r"huyện.*trả lại đề nghị, mở lại.*kiểm tra lại điều kiện") as error:
        services.decisions.issue(decision.id, date(2025, 6, 30))
    assert "tỉnh" not in str(error.value)  # before 01/07/2025 the commune proposed to the district
    assert counts(services) == before  # no register entry, no award, no audit entry
    assert state_of(services, nomination) == State.PUBLIC_NOTICE
    assert services.decisions.detail(decision.id).decision.state == "draft"
    assert services.history.of(lan).awards == ()
    assert services.decisions.issue(decision.id, date(2025, 7, 1)).number == "01/QĐ-UBND"


def test_a_title_already_in_the_history_is_not_decided_twice(services: Services) -> None:
    lan = person(services, "Lê Thị Lan")
    services.history.save(lan, AwardRecord("LDTT", 2024, "07/QĐ-UBND", date(2025, 2, 3), "Chủ tịch UBND xã"))
    decision = draft(services, [ready(services, lan), ready(services, person(services, "Mai"))])
    before = counts(services)
    with pytest.raises(ValidationError, match=r"«Lê Thị Lan» đã được tặng «Lao động tiên tiến» năm 2024 theo "
                                              r"quyết định số 07/QĐ-UBND ngày 03/02/2025"):
        services.decisions.issue(decision.id, date(2025, 7, 10))
    assert counts(services) == before
    assert services.decisions.detail(decision.id).decision.state == "draft"
    earlier = services.history.of(lan).awards[0]
    services.history.save(lan, replace(earlier, revoked_on=date(2025, 6, 2), revoked_reason="Sai đối tượng"))
    assert services.decisions.issue(decision.id, date(2025, 7, 10)).state == "issued"  # a revoked award does not count


def test_a_decision_naming_a_subject_twice_for_one_title_is_refused(services: Services) -> None:
    mai = person(services, "Mai")
    decision = draft(services, [ready(services, mai)])
    with services.sessions.begin() as session:  # a second line for the same title, as an old draft might hold
        session.add(DecisionItem(decision_id=decision.id, subject_id=mai, award_code="LDTT", year=2024,
                                 basis_kind="annual_duty", reward_amount=0))
    before = counts(services)
    with pytest.raises(ValidationError, match=r"Quyết định có hai dòng «Lao động tiên tiến» năm 2024 cho "
                                              r"«Nguyễn Thị Mai»"):
        services.decisions.issue(decision.id, date(2025, 7, 10))
    assert counts(services) == before


def test_a_review_opened_after_the_check_stops_the_decision_naming_the_line(services: Services) -> None:
    mai, lan = person(services, "Mai"), person(services, "Lê Thị Lan")
    first, second = ready(services, mai), ready(services, lan, "CSTDCS")
    decision = draft(services, [first, second])
    services.history.save(lan, DisciplineRecord("pending", date(2025, 7, 1), note="Đơn tố cáo đang xác minh"))
    before = counts(services)
    with services.sessions() as session:
        checks_before = session.scalar(select(func.count(EligibilityCheck.id)))
    with pytest.raises(ValidationError, match=r"Kiểm tra lại điều kiện ngày 10/07/2025, 1 đề nghị không còn đủ "
                                              r"điều kiện: đề nghị «Chiến sĩ thi đua cơ sở» năm 2024 cho "
                                              r"«Lê Thị Lan»: không đủ điều kiện: Đang bị xem xét kỷ luật"):
        services.decisions.issue(decision.id, date(2025, 7, 10))
    assert counts(services) == before
    with services.sessions() as session:
        assert session.scalar(select(func.count(EligibilityCheck.id))) == checks_before
    assert state_of(services, first) == state_of(services, second) == State.PUBLIC_NOTICE
    services.decisions.remove_item(next(i.id for i in services.decisions.detail(decision.id).items
                                        if i.nomination_id == second))
    services.decisions.issue(decision.id, date(2025, 7, 10))
    # The decided nomination rests on a check made on the decision date, kept with it.
    stored = services.eligibility.latest_for_nomination(first)
    assert stored is not None and (stored.decision_date, stored.verdict) == (date(2025, 7, 10), "eligible")


def test_today_is_the_date_in_vietnam_by_the_services_clock(services: Services) -> None:
    moment = datetime(2025, 7, 9, 17, 30, tzinfo=UTC)  # 00:30 on 10/07 in Việt Nam, whatever the PC's zone
    clocked = Services.create(services.sessions, services.actor, lambda: moment)
    assert clocked.decisions.today() == date(2025, 7, 10)
    decision = draft(services, [ready(services, person(services))])
    with pytest.raises(ValidationError, match="Ngày quyết định 11/07/2025 chưa đến"):
        clocked.decisions.issue(decision.id, date(2025, 7, 11))
    assert clocked.decisions.issue(decision.id, date(2025, 7, 10)).state == "issued"
    with services.sessions() as session:
        assert session.get_one(Decision, decision.id).updated_at == datetime(2025, 7, 9, 17, 30)


def test_a_notice_that_has_not_ended_refuses_the_issue(services: Services) -> None:
    nomination = ready(services, person(services, "Mai"))
    decision = draft(services, [nomination])
    before = counts(services)
    with pytest.raises(ValidationError, match="niêm yết công khai chưa kết thúc.*20/06/2025"):
        services.decisions.issue(decision.id, NOTICE_ENDS)
    assert counts(services) == before
    assert services.decisions.issue(decision.id, date(2025, 6, 23)).state == "issued"


def test_a_used_number_is_refused_and_a_paper_number_is_kept(services: Services) -> None:
    services.register.register(issuer="UBND", doc_type="TB", issued_on=date(2025, 7, 1),
                               abstract="Thông báo niêm yết", signer="")
    decision = draft(services, [ready(services, person(services, "Mai"))])
    before = counts(services)
    with pytest.raises(ValidationError, match="01/TB-UBND năm 2025 đã được cấp"):
        services.decisions.issue(decision.id, date(2025, 7, 10), number=1)
    assert counts(services) == before
    assert services.decisions.issue(decision.id, date(2025, 7, 10), number=5).number == "05/QĐ-UBND"


def test_an_issued_decision_cannot_be_edited(services: Services) -> None:
    nomination = ready(services, person(services, "Mai"))
    decision = draft(services, [nomination])
    services.decisions.issue(decision.id, date(2025, 7, 10))
    item = services.decisions.detail(decision.id).items[0]
    other = ready(services, person(services, "Lan"))
    attempts = [
        lambda: services.decisions.update_draft(decision.id, "Sửa trích yếu", "Nguyễn Văn An", "CHỦ TỊCH"),
        lambda: services.decisions.add_items(decision.id, [other]),
        lambda: services.decisions.remove_item(item.id),
        lambda: services.decisions.delete_draft(decision.id),
        lambda: services.decisions.issue(decision.id, date(2025, 7, 11)),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="01/QĐ-UBND đã ban hành, không sửa được"):
            attempt()
    assert services.decisions.detail(decision.id).decision.abstract == "Về việc khen thưởng năm 2024"


def test_drafts_can_be_changed_and_deleting_one_frees_its_nominations(services: Services) -> None:
    first, second = ready(services, person(services, "Mai")), ready(services, person(services, "Lan"))
    decision = draft(services, [first])
    services.decisions.add_items(decision.id, [second])
    changed = services.decisions.update_draft(decision.id, " Về việc  khen thưởng LĐTT ", "Trần Thị Bình",
                                              "PHÓ CHỦ TỊCH", "KT", "- Như Điều 3;\n\n- Lưu: VT.")
    assert (changed.abstract, changed.sign_mode, changed.recipients, changed.item_count) == (
        "Về việc khen thưởng LĐTT", "KT", "Như Điều 3\nLưu: VT.", 2)
    services.decisions.remove_item(services.decisions.detail(decision.id).items[0].id)
    assert services.decisions.detail(decision.id).decision.item_count == 1
    third = ready(services, person(services, "Hoa"))
    services.decisions.update_draft(decision.id, "Về việc khen thưởng", "Nguyễn Văn An", "CHỦ TỊCH",
                                    nomination_ids=[first, third])
    assert {i.nomination_id for i in services.decisions.detail(decision.id).items} == {first, third}
    services.decisions.delete_draft(decision.id)
    assert services.decisions.decisions(2024) == []
    assert {n.id for n in services.decisions.decidable(2024, date(2025, 7, 1))} == {first, second, third}


def test_issue_needs_a_signer_and_items_and_a_date_in_the_year_or_after(services: Services) -> None:
    decision = services.decisions.create_draft(2024, [ready(services, person(services))],
                                               "Về việc khen thưởng", "", "")
    with pytest.raises(ValidationError, match="người ký"):
        services.decisions.issue(decision.id, date(2025, 7, 10))
    with pytest.raises(ValidationError, match="ít nhất một đề nghị"):
        draft(services, [])
    with pytest.raises(ValidationError, match="trích yếu"):
        services.decisions.create_draft(2024, [1], " ", "Nguyễn Văn An", "CHỦ TỊCH")


# --- the checker sees decided titles; revocation -----------------------------------------


def test_next_year_check_counts_issued_titles_and_a_revoked_one_stops_counting(services: Services) -> None:
    lan = person(services, "Lê Thị Lan")
    services.history.save(lan, AwardRecord("CSTDCS", 2023, "09/QĐ-UBND", date(2024, 1, 15),
                                           "Chủ tịch UBND huyện", "Luật 06/2022/QH15"))
    first = draft(services, [ready(services, lan, "CSTDCS", 2024)])
    services.decisions.issue(first.id, date(2025, 7, 10))
    second = services.decisions.create_draft(2025, [ready(services, lan, "CSTDCS", 2025)],
                                             "Về việc khen thưởng năm 2025", "Nguyễn Văn An", "CHỦ TỊCH")
    services.decisions.issue(second.id, date(2026, 1, 15))
    request = CheckRequest("CSTD_TINH", 2025, date(2026, 3, 1))

    def streak() -> tuple[Status, str]:
        checks = {c.code: c for c in services.eligibility.check_subject(lan, request).checks}
        return checks["streak"].status, checks["streak"].message

    assert streak()[0] is Status.PASSED
    item = services.decisions.detail(second.id).items[0]
    with pytest.raises(ValidationError, match="lý do thu hồi"):
        services.decisions.revoke_item(item.id, "  ", date(2026, 3, 1))
    revoked = services.decisions.revoke_item(item.id, "Kê khai thành tích không đúng", date(2026, 2, 1))
    assert (revoked.revoked_on, revoked.revoked_reason) == (date(2026, 2, 1), "Kê khai thành tích không đúng")
    award = next(a for a in services.history.of(lan).awards if a.year == 2025)
    assert (award.revoked_on, award.revoked_reason) == (date(2026, 2, 1), "Kê khai thành tích không đúng")
    status, message = streak()
    assert status is Status.FAILED and "thu hồi" in message
    assert services.decisions.detail(second.id).total == 0
    assert services.decisions.decisions(2025)[0].revoked_count == 1
    with pytest.raises(ValidationError, match="đã bị thu hồi"):
        services.decisions.revoke_item(item.id, "Lần nữa", date(2026, 2, 2))
    assert services.audit.count(AuditFilter(entity="decision_item", action="revoke")) == 1


def test_a_revocation_date_before_the_decision_is_refused(services: Services) -> None:
    decision = draft(services, [ready(services, person(services))])
    services.decisions.issue(decision.id, date(2025, 7, 10))
    item = services.decisions.detail(decision.id).items[0]
    with pytest.raises(ValidationError, match="từ ngày quyết định 10/07/2025"):
        services.decisions.revoke_item(item.id, "Sai sót", date(2025, 7, 9))


# --- permissions ---------------------------------------------------------------------------


def test_a_viewer_is_refused_and_a_clerk_may_issue_and_revoke_but_not_draft(services: Services) -> None:
    nomination = ready(services, person(services))
    viewer = Services.create(services.sessions, replace(services.actor, role=Role.VIEWER))
    clerk = Services.create(services.sessions, replace(services.actor, role=Role.CLERK))
    with pytest.raises(PermissionDeniedError):
        draft(viewer, [nomination])
    with pytest.raises(PermissionDeniedError):
        draft(clerk, [nomination])
    decision = draft(services, [nomination])
    with pytest.raises(PermissionDeniedError):
        viewer.decisions.issue(decision.id, date(2025, 7, 10))
    assert clerk.decisions.issue(decision.id, date(2025, 7, 10)).state == "issued"
    item = services.decisions.detail(decision.id).items[0]
    with pytest.raises(PermissionDeniedError):
        viewer.decisions.revoke_item(item.id, "Sai", date(2025, 8, 1))
    assert clerk.decisions.revoke_item(item.id, "Sai", date(2025, 8, 1)).revoked_on == date(2025, 8, 1)


def test_signers_are_the_chairman_tm_and_vice_chairmen_kt(services: Services) -> None:
    assert [(s.name, s.title, s.sign_mode) for s in signers(services.commune.get())] == [
        ("Nguyễn Văn An", "CHỦ TỊCH", "TM"), ("Trần Thị Bình", "PHÓ CHỦ TỊCH", "KT")]


# --- tdkt decisions --------------------------------------------------------------------------


def test_tdkt_decisions_lists_the_year_s_decisions_items_and_register(
        database_file: DatabaseFile, officer_password: None, capsys: pytest.CaptureFixture[str]) -> None:
    def fill(services: Services) -> None:
        commune(services)
        decision = draft(services, [ready(services, person(services, "Vũ Thị Mai"))])
        services.decisions.issue(decision.id, date(2025, 7, 10))
        services.decisions.revoke_item(services.decisions.detail(decision.id).items[0].id, "Sai sót",
                                       date(2025, 8, 1))

    path = database_file(fill)
    assert main([*as_officer(path), "decisions", "--year", "2024", "--items"]) == 0
    out = capsys.readouterr().out
    assert "01/QĐ-UBND\t10/07/2025\tVề việc khen thưởng năm 2024\t1 được khen, 1 thu hồi\t0 đồng" in out
    assert "  - Vũ Thị Mai: Lao động tiên tiến năm 2024, 710.000 đồng (thu hồi ngày 01/08/2025: Sai sót)" in out
    assert main([*as_officer(path), "decisions", "--year", "2025", "--register"]) == 0
    assert "01/QĐ-UBND\t10/07/2025\tVề việc khen thưởng năm 2024 — Nguyễn Văn An" in capsys.readouterr().out
