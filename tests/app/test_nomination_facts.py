"""What the officer declares on a nomination for the checker (the village assessment and
the 10-day posting of NĐ 86, leading a cluster, cited awards): which facts an award needs,
validation, storage, audit, and the check they make pass or fail."""

from __future__ import annotations

from datetime import date

import pytest

from app.audit import AuditFilter
from app.eligibility.declared_facts import DeclaredFacts, declarable_for, needs_fact
from app.eligibility.outcome import Status, Verdict
from app.history import AwardRecord
from app.services import Services
from app.subject_data import HouseholdData, VillageData
from db.models import Nomination
from tests.app.test_nominations import DECISION_DAY, YEAR, ldtt, nominations, person, refused

PASSED_10_DAYS = DeclaredFacts(assessment_passed=True, public_notice_days=10)


def gdvh(services: Services) -> int:
    household = services.subjects.create(HouseholdData("Hộ ông Lò Văn Minh")).id
    return nominations(services).create(subject_id=household, award_code="GDVH", year=YEAR,
                                        planned_decision_date=DECISION_DAY)


def test_each_award_needs_only_its_own_declared_facts() -> None:
    assert declarable_for("GDVH", None) == ("assessment_passed", "public_notice_days")
    assert declarable_for("THON_VH", "annual") == ("assessment_passed", "public_notice_days")
    assert declarable_for("CO_TINH", "cluster") == ("cluster_leading", "cluster_name")
    assert declarable_for("BK_TINH", None) == ("basis_award_uuids",)
    assert declarable_for("BK_TINH", "sudden") == ()
    assert declarable_for("LDTT", "annual") == ()
    assert needs_fact("registered", "LDTT", "annual", True) and not needs_fact("registered", "LDTT", "annual")


def test_a_household_with_the_assessment_and_10_days_posted_is_checked(services: Services) -> None:
    nomination_id = gdvh(services)
    detail = services.nominations.update(nomination_id, declared_facts=PASSED_10_DAYS)
    assert detail.declared_facts == PASSED_10_DAYS
    assert detail.declarable == ("assessment_passed", "public_notice_days")
    assert detail.declared_lines() == [("Kết quả bình xét", "Đạt các tiêu chí"),
                                       ("Số ngày công khai danh sách", "10 ngày")]
    with services.sessions() as session:
        stored = session.get_one(Nomination, nomination_id).declared_facts
    assert stored == '{"assessment_passed":true,"public_notice_days":10}'

    outcome = nominations(services).check(nomination_id)

    assert outcome.verdict is Verdict.ELIGIBLE
    assert outcome.request.facts.assessment_passed is True and outcome.request.facts.public_notice_days == 10
    assert services.nominations.detail(nomination_id).row.state == "checked"


def test_nine_days_posted_is_not_eligible(services: Services) -> None:
    nomination_id = gdvh(services)
    services.nominations.update(nomination_id, declared_facts=DeclaredFacts(True, 9))
    outcome = nominations(services).check(nomination_id)
    assert outcome.verdict is Verdict.NOT_ELIGIBLE
    [notice] = [c for c in outcome.checks if c.code == "public_notice"]
    assert notice.status is Status.FAILED and "9 ngày" in notice.message
    assert services.nominations.detail(nomination_id).row.state == "draft"


def test_undeclared_facts_leave_the_check_missing_information_naming_them(services: Services) -> None:
    nomination_id = gdvh(services)
    assert services.nominations.detail(nomination_id).declared_lines() == [
        ("Kết quả bình xét", "Chưa ghi"), ("Số ngày công khai danh sách", "Chưa ghi")]
    outcome = nominations(services).check(nomination_id)
    assert outcome.verdict is Verdict.MISSING_INFORMATION
    unknown = {c.code: c.message for c in outcome.checks if c.status is Status.UNKNOWN}
    assert set(unknown) == {"assessment", "public_notice"}
    assert "Chưa có kết quả bình xét" in unknown["assessment"]
    assert "Chưa ghi số ngày" in unknown["public_notice"]


def test_a_village_declared_days_win_over_the_commune_notice(services: Services) -> None:
    village = services.subjects.create(VillageData("Thôn Nà Sàng")).id
    nomination_id = nominations(services).create(subject_id=village, award_code="THON_VH", year=YEAR,
                                                  planned_decision_date=DECISION_DAY)
    services.nominations.update(nomination_id, declared_facts=DeclaredFacts(True, 12))
    with services.sessions.begin() as session:  # a commune notice of a few days, e.g. after a return
        row = session.get_one(Nomination, nomination_id)
        row.notice_starts_on, row.notice_ends_on = date(2026, 1, 12), date(2026, 1, 13)
    outcome = nominations(services).check(nomination_id)
    assert outcome.request.facts.public_notice_days == 12 and outcome.verdict is Verdict.ELIGIBLE


def test_declared_facts_are_audited_and_an_unchanged_save_adds_nothing(services: Services) -> None:
    nomination_id = gdvh(services)
    services.nominations.update(nomination_id, declared_facts=PASSED_10_DAYS)
    [entry] = [e for e in services.audit.entries(AuditFilter(entity="nomination")) if e.action == "update"]
    assert entry.old_values == {"declared_facts": {}}
    assert entry.new_values == {"declared_facts": {"assessment_passed": True, "public_notice_days": 10}}
    before = services.audit.last_id()
    services.nominations.update(nomination_id, declared_facts=PASSED_10_DAYS)
    assert services.audit.last_id() == before


@pytest.mark.parametrize(("facts", "message"), [
    (DeclaredFacts(public_notice_days=-1), "số nguyên từ 0"),
    (DeclaredFacts(public_notice_days=True), "số nguyên từ 0"),  # type: ignore[arg-type]
    (DeclaredFacts(public_notice_days=9.5), "số nguyên từ 0"),  # type: ignore[arg-type]
    (DeclaredFacts(assessment_passed="có"), "chỉ nhận có, không"),  # type: ignore[arg-type]
    (DeclaredFacts(cluster_leading=True), "không dùng để xét"),
])
def test_bad_declared_facts_are_refused_and_nothing_changes(services: Services, facts: DeclaredFacts,
                                                            message: str) -> None:
    nomination_id = gdvh(services)
    refused(services, nomination_id, lambda: services.nominations.update(nomination_id, declared_facts=facts),
            message)


def test_an_lđtt_nomination_takes_no_declared_facts(services: Services) -> None:
    nomination_id = ldtt(services)
    assert services.nominations.detail(nomination_id).declarable == ()
    refused(services, nomination_id, lambda: services.nominations.update(
        nomination_id, declared_facts=DeclaredFacts(assessment_passed=True)), "không dùng để xét")


def test_declared_facts_change_only_while_draft_or_returned(services: Services) -> None:
    nomination_id = gdvh(services)
    services.nominations.update(nomination_id, declared_facts=PASSED_10_DAYS)
    nominations(services).check(nomination_id)
    refused(services, nomination_id, lambda: services.nominations.update(
        nomination_id, declared_facts=DeclaredFacts(True, 11)), "thông tin kê khai")


def test_a_cited_award_must_be_the_subject_s_own(services: Services) -> None:
    subject_id = person(services, "Hà Văn Tuấn", cstdcs=(2024, 2025))
    other = person(services, "Đặng Thị Lan", cstdcs=(2025,))
    service = nominations(services)
    nomination_id = service.create(subject_id=subject_id, award_code="BK_TINH", year=YEAR,
                                   planned_decision_date=DECISION_DAY)
    foreign = services.nominations.citable_awards(nomination_id)
    assert [a.text for a in foreign] == ["Chiến sĩ thi đua cơ sở năm 2024 (QĐ số 2024/QĐ-UBND)",
                                         "Chiến sĩ thi đua cơ sở năm 2025 (QĐ số 2025/QĐ-UBND)"]
    [theirs] = services.nominations.citable_awards(
        service.create(subject_id=other, award_code="BK_TINH", year=YEAR, planned_decision_date=DECISION_DAY))
    refused(services, nomination_id, lambda: services.nominations.update(
        nomination_id, declared_facts=DeclaredFacts(basis_award_uuids=(theirs.uuid,))),
        "không có trong lịch sử khen thưởng của «Hà Văn Tuấn»")

    detail = services.nominations.update(
        nomination_id, declared_facts=DeclaredFacts(basis_award_uuids=(foreign[1].uuid.upper(),)))
    assert detail.declared_facts.basis_award_uuids == (foreign[1].uuid,)
    assert detail.declared_lines() == [("Khen thưởng nêu làm căn cứ", foreign[1].text)]
    outcome = service.check(nomination_id)
    [basis] = [c for c in outcome.checks if c.code == "basis_kind"]
    assert basis.status is Status.PASSED


def test_a_thematic_award_cited_as_the_basis_fails_the_check(services: Services) -> None:
    subject_id = person(services, "Hà Văn Tuấn", cstdcs=(2024, 2025))
    services.history.save(subject_id, AwardRecord("GK_XA", 2025, "07/QĐ-UBND", date(2025, 9, 2),
                                                  basis_kind="thematic"))
    service = nominations(services)
    nomination_id = service.create(subject_id=subject_id, award_code="BK_TINH", year=YEAR,
                                   planned_decision_date=DECISION_DAY)
    thematic = services.nominations.citable_awards(nomination_id)[-1]
    services.nominations.update(nomination_id, declared_facts=DeclaredFacts(basis_award_uuids=(thematic.uuid,)))
    assert service.check(nomination_id).verdict is Verdict.NOT_ELIGIBLE
