"""Collective, household and village titles and the commune Giấy khen, case by case from the
domain reference: TTLĐTT (L2022 Điều 28), TTLĐXS (Điều 27), Cờ thi đua tỉnh (Điều 26),
Gia đình văn hóa and thôn văn hóa (NĐ 86/2023 Điều 7–8), Giấy khen (Điều 75, 85)."""

from __future__ import annotations

from datetime import date

import pytest

from app.eligibility.rule_settings import SettingEntry
from app.eligibility.snapshot import SubjectSnapshot
from tests.app.eligibility_builders import (
    Ask,
    Expect,
    ask,
    collective,
    discipline,
    fails,
    household,
    lacks,
    passes,
    reviewed,
    person,
    team,
    title,
    village,
)

D23 = date(2023, 12, 20)  # old law (Luật 2003, NĐ 91/2017)
D24 = date(2025, 1, 15)  # 2024 achievements, L2022 + NĐ 98
D25 = date(2026, 1, 15)  # 2025 achievements, L2022 + NĐ 152 + NĐ 129

TTLDTT_2024 = ask("TTLDTT", 2024, D24)

TTLDTT_CASES = [
    pytest.param(collective({2024: "tot"}, team(2024, 10, ldtt=6)), TTLDTT_2024,
                 passes("ldtt_share", "Điều 28", "6/10", "60"),
                 id="sixty-percent-ldtt-is-more-than-half"),
    pytest.param(collective({2024: "tot"}, team(2024, 10, ldtt=5)), TTLDTT_2024,
                 fails("ldtt_share", "Điều 28", "5/10", "50"),
                 id="exactly-half-ldtt-is-not-more-than-half"),
    pytest.param(collective({2024: "tot"}, team(2024, 1000, ldtt=501)), TTLDTT_2024,
                 passes("ldtt_share", "Điều 28", "501/1000", "50,1"),
                 id="just-over-half-ldtt-is-enough"),
    pytest.param(collective({2024: "tot"}, team(2024, 10, cstdcs=1, ldtt=5)), TTLDTT_2024,
                 passes("ldtt_share", "Điều 28", "6/10"),
                 id="a-cstdcs-member-counts-as-ldtt"),
    pytest.param(collective({2024: "tot"}, team(2024, 10, ldtt=6, disciplined="canh_cao")), TTLDTT_2024,
                 fails("members_discipline", "Điều 28", "Thành viên 10", "2024"),
                 id="member-warned-bars-the-collective"),
    pytest.param(collective({2024: "tot"}, team(2024, 10, ldtt=6, disciplined="khien_trach")), TTLDTT_2024,
                 passes("members_discipline", "Điều 28", "2024"),
                 id="member-reprimanded-below-warning-does-not-bar"),
    pytest.param(collective({2024: "ht"}, team(2024, 10, ldtt=6)), TTLDTT_2024,
                 fails("collective_rating", "Điều 28", "2024"),
                 id="collective-not-completing-tasks-well"),
    pytest.param(collective({2024: "tot"}), TTLDTT_2024, lacks("members", "Điều 28", "2024"),
                 id="no-member-list-is-missing-information"),
]


@pytest.mark.parametrize(("subject", "request_", "expect"), TTLDTT_CASES)
def test_tap_the_lao_dong_tien_tien_needs_more_than_half_ldtt_and_no_warned_member(
        subject: SubjectSnapshot, request_: Ask, expect: Expect) -> None:
    expect.verify(request_.run(subject))


TTLDXS_2024 = ask("TTLDXS", 2024, D24)

TTLDXS_CASES = [
    pytest.param(collective({2024: "htxs"}, team(2024, 10, cstdcs=1, ldtt=6)), TTLDXS_2024,
                 passes("ldtt_share", "Điều 27", "7/10", "70"),
                 id="exactly-seventy-percent-ldtt-is-enough"),
    pytest.param(collective({2024: "htxs"}, team(2024, 1000, cstdcs=1, ldtt=698)), TTLDXS_2024,
                 fails("ldtt_share", "Điều 27", "699/1000", "69,9"),
                 id="sixty-nine-point-nine-percent-is-not-rounded-up"),
    pytest.param(collective({2024: "htxs"}, team(2024, 10, cstdcs=1, ldtt=8, failing=1)), TTLDXS_2024,
                 fails("members_complete", "Điều 27", "1 thành viên", "Thành viên 10", "100%"),
                 id="one-member-not-completing-tasks-breaks-the-hundred-percent"),
    pytest.param(collective({2024: "htxs"}, team(2024, 10, cstdcs=1, ldtt=8, unrated=1)), TTLDXS_2024,
                 lacks("members_complete", "Điều 27", "1 thành viên"),
                 id="unrated-member-is-missing-information"),
    pytest.param(collective({2024: "htxs"}, team(2024, 10, ldtt=9)), TTLDXS_2024,
                 fails("has_cstdcs", "Điều 27", "2024"),
                 id="no-cstdcs-member"),
    pytest.param(collective({2024: "tot"}, team(2024, 10, cstdcs=1, ldtt=8)), TTLDXS_2024,
                 fails("collective_rating", "Điều 27", "2024"),
                 id="collective-not-rated-excellent"),
    pytest.param(collective({2023: "htxs"}, team(2023, 10, cstdcs=1, ldtt=8, disciplined="canh_cao")),
                 ask("TTLDXS", 2023, D23), fails("members_discipline", "Điều 27", "Thành viên 10"),
                 id="old-law-warned-member-bars-the-collective"),
    pytest.param(collective({2024: "htxs"}, team(2024, 10, cstdcs=1, ldtt=8, disciplined="canh_cao")),
                 TTLDXS_2024, passes("members_complete", "Điều 27", "10/10"),
                 id="l2022-list-has-no-warned-member-bar"),
]


@pytest.mark.parametrize(("subject", "request_", "expect"), TTLDXS_CASES)
def test_tap_the_lao_dong_xuat_sac_needs_all_complete_seventy_percent_ldtt_and_a_cstdcs(
        subject: SubjectSnapshot, request_: Ask, expect: Expect) -> None:
    expect.verify(request_.run(subject))


LEADER = collective({2024: "htxs"})

FLAG_CASES = [
    pytest.param(LEADER, ask("CO_TINH", 2024, D24), lacks("cluster", "Điều 26", "2024"),
                 id="cluster-result-missing"),
    pytest.param(LEADER, ask("CO_TINH", 2024, D24, cluster_leading=True, cluster_name="Cụm thi đua số 3"),
                 passes("cluster", "Điều 26", "Cụm thi đua số 3", "2024"),
                 id="leads-its-cluster"),
    pytest.param(LEADER, ask("CO_TINH", 2024, D24, cluster_leading=False), fails("cluster", "Điều 26", "2024"),
                 id="does-not-lead-its-cluster"),
]


@pytest.mark.parametrize(("subject", "request_", "expect"), FLAG_CASES)
def test_co_thi_dua_tinh_goes_to_the_cluster_leader(subject: SubjectSnapshot, request_: Ask,
                                                     expect: Expect) -> None:
    expect.verify(request_.run(subject))


def gdvh(**facts: object) -> Ask:
    return ask("GDVH", 2024, D24, **facts)


def thon(**facts: object) -> Ask:
    return ask("THON_VH", 2025, D25, **facts)


CULTURE_CASES = [
    pytest.param(household(), gdvh(public_notice_days=10), lacks("assessment", "NĐ 86/2023", "2024"),
                 id="household-assessment-missing"),
    pytest.param(household(), gdvh(assessment_passed=False, public_notice_days=10),
                 fails("assessment", "NĐ 86/2023", "2024"), id="household-assessed-as-not-meeting-criteria"),
    pytest.param(household(), gdvh(assessment_passed=True, public_notice_days=9),
                 fails("public_notice", "NĐ 86/2023/NĐ-CP Điều 7 k1", "9", "10"),
                 id="household-list-posted-nine-days"),
    pytest.param(household(), gdvh(assessment_passed=True, public_notice_days=10),
                 passes("public_notice", "NĐ 86/2023/NĐ-CP Điều 7 k1", "10"),
                 id="household-list-posted-ten-days"),
    pytest.param(household(), gdvh(assessment_passed=True), lacks("public_notice", "NĐ 86/2023", "10"),
                 id="household-posting-not-recorded"),
    pytest.param(household(awards=(title("GDVH", 2024),)), gdvh(assessment_passed=True, public_notice_days=10),
                 fails("once", "Điều 5 k2", "2024"), id="household-already-recognised-this-year"),
    pytest.param(village(), thon(public_notice_days=10), lacks("assessment", "Điều 30", "2025"),
                 id="village-assessment-missing"),
    pytest.param(village(), thon(assessment_passed=True, public_notice_days=9),
                 fails("public_notice", "NĐ 86/2023", "9", "10"), id="village-consulted-nine-days"),
    pytest.param(village(), thon(assessment_passed=True, public_notice_days=10),
                 passes("public_notice", "NĐ 86/2023", "10"), id="village-consulted-ten-days"),
]


@pytest.mark.parametrize(("subject", "request_", "expect"), CULTURE_CASES)
def test_cultured_family_and_village_need_assessment_and_ten_days_public_notice(
        subject: SubjectSnapshot, request_: Ask, expect: Expect) -> None:
    expect.verify(request_.run(subject))


def gdvh_years(*years: int) -> tuple:
    return tuple(title("GDVH", year) for year in years)


# The Ministry of Culture precedent: a Giấy khen for GĐVH 2020–2022 uses those years.
GK_2020_2022 = title("GK_XA", 2022, since=2020)
GK_ANNUAL_2024 = ask("GK_XA", 2024, D24)
SUDDEN = ask("GK_XA", 2024, date(2024, 8, 10), route="sudden", achievement_summary="Cứu người đuối nước",
             event_date=date(2024, 8, 1))
TO_JUNE_2024 = discipline("khien_trach", date(2024, 1, 5), date(2024, 6, 30))

GIAY_KHEN_CASES = [
    pytest.param(household(awards=gdvh_years(2020, 2021, 2022, 2023) + (GK_2020_2022,)),
                 ask("GK_XA", 2023, date(2024, 2, 1)), fails("once", "Điều 5 k2", "2021, 2022"),
                 id="household-cannot-reuse-gdvh-years-already-rewarded"),
    pytest.param(household(awards=gdvh_years(2020, 2021, 2022, 2023, 2024, 2025) + (GK_2020_2022,)),
                 ask("GK_XA", 2025, D25), passes("streak", "Điều 75", "2023", "2025"),
                 id="household-next-three-gdvh-years-are-fresh"),
    pytest.param(household(awards=gdvh_years(2021, 2023)), ask("GK_XA", 2023, date(2024, 2, 1)),
                 fails("streak", "Điều 75", "2022"), id="household-gdvh-streak-broken"),
    pytest.param(person({2024: "ht"}), GK_ANNUAL_2024, fails("rating", "Điều 75", "2024"),
                 id="annual-rating-below-the-setting"),
    pytest.param(person({2024: "tot"}), GK_ANNUAL_2024, passes("rating", "Điều 75", "2024"),
                 id="annual-rating-at-the-setting"),
    pytest.param(person({2024: "tot"}),
                 ask("GK_XA", 2024, D24, entries=(SettingEntry("gk_min_rating", "htxs", date(2024, 1, 1)),)),
                 fails("rating", "Điều 75", "2024"), id="annual-rating-below-a-raised-setting"),
    pytest.param(collective({2024: "tot"}), GK_ANNUAL_2024, passes("rating", "Điều 75", "2024"),
                 id="annual-for-a-collective"),
    pytest.param(person({2024: "tot"}, awards=(title("GK_XA", 2024, basis_kind="sudden"),)), GK_ANNUAL_2024,
                 passes("once", "Điều 5 k2", "2024"), id="sudden-feat-does-not-use-up-the-years-work"),
    pytest.param(person({2024: "tot"}, awards=(title("GK_XA", 2024),)), GK_ANNUAL_2024,
                 fails("once", "Điều 5 k2", "2024"), id="annual-already-given-for-the-year"),
    pytest.param(person(), ask("GK_XA", 2024, date(2024, 8, 10), route="sudden", event_date=date(2024, 8, 1)),
                 lacks("summary", "Điều 85"), id="sudden-without-summary"),
    pytest.param(person(), SUDDEN, passes("event_date", "Điều 85", "01/08/2024"),
                 id="sudden-with-summary-and-event-date"),
    pytest.param(person(), ask("GK_XA", 2024, date(2024, 8, 10), route="sudden", achievement_summary="Cứu người"),
                 lacks("event_date", "Điều 85"), id="sudden-without-event-date"),
    pytest.param(person(), ask("GK_XA", 2024, date(2024, 8, 10), route="sudden", achievement_summary="Cứu người",
                               event_date=date(2024, 8, 20)),
                 fails("event_date", "Điều 85", "20/08/2024"), id="sudden-event-after-the-decision"),
    pytest.param(person(disciplines=(TO_JUNE_2024,)), SUDDEN, passes("event_date", "Điều 85", "01/08/2024"),
                 id="sudden-feat-after-a-discipline-ended"),
    pytest.param(person(disciplines=(TO_JUNE_2024,)),
                 ask("GK_XA", 2024, date(2024, 3, 20), route="sudden", achievement_summary="Cứu người",
                     event_date=date(2024, 3, 15)),
                 fails("discipline", "Điều 4 k4", "30/06/2024"), id="sudden-feat-during-a-discipline"),
    pytest.param(person(employment="nong_dan", recruited=None), GK_ANNUAL_2024,
                 reviewed("gk_criteria", "Điều 75"), id="farmer-without-rating-is-judged-by-the-council"),
    pytest.param(person(), ask("GK_XA", 2024, D24, route="thematic", achievement_summary="Hiến đất làm đường"),
                 lacks("movement", "Điều 75"), id="thematic-without-movement"),
    pytest.param(person(), ask("GK_XA", 2024, D24, route="thematic", achievement_summary="Hiến đất làm đường",
                               movement="Chung sức xây dựng nông thôn mới"),
                 passes("movement", "Điều 75", "Chung sức xây dựng nông thôn mới"), id="thematic-with-movement"),
]


@pytest.mark.parametrize(("subject", "request_", "expect"), GIAY_KHEN_CASES)
def test_giay_khen_xa_follows_its_route(subject: SubjectSnapshot, request_: Ask, expect: Expect) -> None:
    expect.verify(request_.run(subject))
