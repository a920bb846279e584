"""Individual titles and the provincial Bằng khen, case by case from the domain reference:
LĐTT (L2022 Điều 24; TT 01/2024; NĐ 98 Điều 4 k4–k5), CSTĐCS (Điều 23), CSTĐ tỉnh
(Điều 22), CSTĐ toàn quốc (Điều 21), Bằng khen tỉnh point d (Điều 74 k1)."""

from __future__ import annotations

from datetime import date

import pytest

from app.eligibility.snapshot import PastAward, SubjectSnapshot
from tests.app.eligibility_builders import (
    Ask,
    Expect,
    ask,
    discipline,
    fails,
    initiative,
    lacks,
    leave,
    passes,
    person,
    reviewed,
    title,
)

D23 = date(2023, 12, 20)  # old law (Luật 2003, NĐ 91/2017)
D24 = date(2025, 1, 15)  # 2024 achievements, L2022 + NĐ 98
D25 = date(2026, 1, 15)  # 2025 achievements, L2022 + NĐ 152 + NĐ 129
# A reprimand decided early in 2024 that ends mid-year: achievements count from 01/07/2024.
TO_JUNE_2024 = discipline("khien_trach", date(2024, 1, 5), date(2024, 6, 30))
PENDING = discipline("pending", date(2024, 12, 1))
PENDING_CLOSED = discipline("pending", date(2024, 10, 1), date(2024, 12, 15))

LDTT_2023, LDTT_2024, LDTT_2025 = ask("LDTT", 2023, D23), ask("LDTT", 2024, D24), ask("LDTT", 2025, D25)
RECRUITED_MARCH = date(2024, 3, 1)
APRIL_TO_AUGUST = (date(2024, 4, 1), date(2024, 8, 31))

LDTT_CASES = [
    pytest.param(person({2024: "tot"}), LDTT_2024, passes("rating", "Điều 24", "2024"),
                 id="rated-good-is-eligible"),
    pytest.param(person({2024: "htxs"}), LDTT_2024, passes("rating", "Điều 24", "2024"),
                 id="rated-excellent-is-eligible"),
    pytest.param(person({2024: "ht"}), LDTT_2024, fails("rating", "Điều 24", "2024"),
                 id="rated-only-completed-is-not-eligible"),
    pytest.param(person({2023: "tot"}), LDTT_2024, lacks("rating", "Điều 24", "2024"),
                 id="no-rating-for-the-year-is-missing-information"),
    pytest.param(person(employment="nong_dan"), LDTT_2024, reviewed("work_results", "Điều 24 k3"),
                 id="farmer-is-judged-on-work-not-on-a-rating"),
    pytest.param(person({2024: "tot"}, employment=None), LDTT_2024, lacks("employment", "Điều 24"),
                 id="unknown-employment-group-is-missing-information"),
    pytest.param(person({2024: "tot"}, recruited=date(2024, 8, 1)), LDTT_2024,
                 fails("working_time", "TT 01/2024", "01/08/2024", "5 tháng", "6 tháng"),
                 id="recruited-five-months-before-year-end-is-not-eligible"),
    pytest.param(person({2024: "tot"}, recruited=date(2024, 7, 1)), LDTT_2024,
                 passes("working_time", "TT 01/2024", "6 tháng"),
                 id="recruited-exactly-six-months-before-year-end-is-eligible"),
    pytest.param(person({2024: "tot"}, recruited=date(2024, 7, 2)), LDTT_2024,
                 fails("working_time", "TT 01/2024", "6 tháng"),
                 id="recruited-one-day-short-of-six-months-is-not-eligible"),
    pytest.param(person({2023: "tot"}, recruited=date(2023, 3, 1)), LDTT_2023,
                 passes("working_time", "NĐ 91/2017", "10 tháng"),
                 id="old-law-ten-months-is-eligible"),
    pytest.param(person({2023: "tot"}, recruited=date(2023, 7, 1)), LDTT_2023,
                 fails("working_time", "NĐ 91/2017", "10 tháng"),
                 id="old-law-six-months-is-not-eligible"),
    pytest.param(person({2024: "tot"}, recruited=RECRUITED_MARCH,
                        leaves=(leave("maternity", *APRIL_TO_AUGUST),)), LDTT_2024,
                 passes("working_time", "Điều 4 k5", "thai sản"),
                 id="maternity-leave-counts-as-working-time"),
    pytest.param(person({2024: "tot"}, recruited=RECRUITED_MARCH,
                        leaves=(leave("unpaid", *APRIL_TO_AUGUST),)), LDTT_2024,
                 fails("working_time", "TT 01/2024", "6 tháng"),
                 id="unpaid-leave-does-not-count-as-working-time"),
    pytest.param(person({2024: "tot"}, recruited=RECRUITED_MARCH,
                        leaves=(leave("injury", *APRIL_TO_AUGUST),)), LDTT_2024,
                 passes("working_time", "TT 01/2024"),
                 id="treatment-of-a-rescue-injury-counts-as-working-time"),
    pytest.param(person({2024: "tot"}, disciplines=(TO_JUNE_2024,)), LDTT_2024,
                 fails("discipline", "Điều 4 k4", "2024", "30/06/2024"),
                 id="discipline-ending-mid-year-blocks-that-year"),
    pytest.param(person({2025: "tot"}, disciplines=(TO_JUNE_2024,)), LDTT_2025,
                 passes("discipline", "Điều 4 k4"),
                 id="year-after-the-discipline-ended-is-eligible"),
    pytest.param(person({2024: "tot"}, disciplines=(discipline("khien_trach", date(2024, 1, 5)),)),
                 LDTT_2024, lacks("discipline", "Điều 4 k4", "05/01/2024"),
                 id="discipline-without-end-date-is-missing-information"),
    pytest.param(person({2024: "tot"}, disciplines=(PENDING,)), LDTT_2024,
                 fails("pending_review", "Điều 4 k4", "01/12/2024"),
                 id="pending-review-blocks-the-proposal"),
    pytest.param(person({2024: "tot"}, disciplines=(PENDING_CLOSED,)), LDTT_2024,
                 passes("pending_review", "Điều 4 k4"),
                 id="review-closed-before-the-decision-does-not-block"),
    pytest.param(person({2024: "tot"}, awards=(title("LDTT", 2024),)), LDTT_2024,
                 fails("once", "Điều 5 k2", "2024"),
                 id="same-title-same-year-is-rewarded-once"),
    pytest.param(person({2024: "tot"}, awards=(title("LDTT", 2023),)), LDTT_2024,
                 passes("once", "Điều 5 k2", "2024"),
                 id="last-years-title-does-not-use-up-this-year"),
]


@pytest.mark.parametrize(("subject", "request_", "expect"), LDTT_CASES)
def test_lao_dong_tien_tien_follows_rating_working_time_and_discipline(
        subject: SubjectSnapshot, request_: Ask, expect: Expect) -> None:
    expect.verify(request_.run(subject))


CSTDCS_2024, CSTDCS_2023 = ask("CSTDCS", 2024, D24), ask("CSTDCS", 2023, D23)

CSTDCS_CASES = [
    pytest.param(person({2024: "htxs"}), CSTDCS_2024, passes("excellence", "Điều 23", "2024"),
                 id="excellent-rating-alone-is-enough-under-l2022"),
    pytest.param(person({2024: "tot"}, initiatives=(initiative(2024),)), CSTDCS_2024,
                 passes("excellence", "Điều 23", "2024"),
                 id="good-rating-with-a-recognised-initiative-is-enough"),
    pytest.param(person({2024: "tot"}), CSTDCS_2024, fails("excellence", "Điều 23", "2024"),
                 id="good-rating-without-initiative-is-not-enough"),
    pytest.param(person({2024: "ht"}, initiatives=(initiative(2024),)), CSTDCS_2024,
                 fails("rating", "Điều 24", "2024"),
                 id="initiative-does-not-replace-the-ldtt-criteria"),
    pytest.param(person({2024: "htxs"}, recruited=date(2024, 8, 1)), CSTDCS_2024,
                 fails("working_time", "TT 01/2024", "6 tháng"),
                 id="ldtt-working-time-applies-to-cstdcs"),
    pytest.param(person({2023: "htxs"}), CSTDCS_2023, fails("excellence", "Điều 23", "2023", "sáng kiến"),
                 id="old-law-excellent-rating-without-initiative-is-not-enough"),
    pytest.param(person({2023: "htxs"}, initiatives=(initiative(2023),)), CSTDCS_2023,
                 passes("excellence", "Điều 23", "2023"),
                 id="old-law-with-initiative-is-eligible"),
]


@pytest.mark.parametrize(("subject", "request_", "expect"), CSTDCS_CASES)
def test_chien_si_thi_dua_co_so_needs_ldtt_criteria_and_excellence(
        subject: SubjectSnapshot, request_: Ask, expect: Expect) -> None:
    expect.verify(request_.run(subject))


def cstdcs_years(*years: int, changes: dict[int, dict[str, object]] | None = None) -> tuple[PastAward, ...]:
    """CSTĐCS for each of `years`; `changes` gives one year's record other fields."""
    return tuple(title("CSTDCS", year, **(changes or {}).get(year, {})) for year in years)  # type: ignore[arg-type]


PROVINCE_WIDE = (initiative(2025, "province"),)
CSTD_TINH_2025 = ask("CSTD_TINH", 2025, D25)
SUDDEN_GK = title("GK_XA", 2024, basis_kind="sudden", uuid="gk-dot-xuat")

CSTD_TINH_CASES = [
    pytest.param(person(awards=cstdcs_years(2023, 2024, 2025), initiatives=PROVINCE_WIDE), CSTD_TINH_2025,
                 passes("streak", "Điều 22", "2023", "2025"),
                 id="three-consecutive-cstdcs-and-province-wide-initiative"),
    pytest.param(person(awards=cstdcs_years(2023, 2025), initiatives=PROVINCE_WIDE), CSTD_TINH_2025,
                 fails("streak", "Điều 22", "2024"),
                 id="streak-broken-by-one-year-names-the-missing-year"),
    pytest.param(person(awards=cstdcs_years(2023, 2024, 2025, changes={2024: {"revoked_on": date(2025, 5, 1)}}),
                        initiatives=PROVINCE_WIDE), CSTD_TINH_2025,
                 fails("streak", "Điều 22", "2024", "thu hồi"),
                 id="revoked-title-inside-the-streak-does-not-count"),
    pytest.param(person(awards=cstdcs_years(2023, 2024, 2025), initiatives=(initiative(2025),)),
                 CSTD_TINH_2025, fails("initiative_scope", "Điều 22", "toàn tỉnh"),
                 id="base-level-initiative-is-not-province-wide"),
    pytest.param(person(awards=cstdcs_years(2023, 2024, 2025,
                                            changes={2023: {"legal_basis": "Luật TĐKT 2003 (sửa đổi 2013)"}}),
                        initiatives=PROVINCE_WIDE), CSTD_TINH_2025,
                 passes("streak", "Điều 22", "2023"),
                 id="title-granted-under-the-old-law-still-counts"),
    pytest.param(person(awards=cstdcs_years(2023, 2024, 2025, changes={2024: {"basis_kind": "thematic"}}),
                        initiatives=PROVINCE_WIDE), CSTD_TINH_2025,
                 fails("streak", "Điều 4 k3", "2024"),
                 id="thematic-cstdcs-is-no-basis-for-the-streak"),
    pytest.param(person(awards=cstdcs_years(2023, 2024, 2025) + (SUDDEN_GK,), initiatives=PROVINCE_WIDE),
                 ask("CSTD_TINH", 2025, D25, basis_award_uuids=("gk-dot-xuat",)),
                 fails("basis_kind", "Điều 4 k3", "2024", "đột xuất"),
                 id="cited-sudden-award-is-no-basis"),
    pytest.param(person(awards=cstdcs_years(2023, 2024, 2025), initiatives=PROVINCE_WIDE,
                        disciplines=(TO_JUNE_2024,)), CSTD_TINH_2025,
                 fails("streak", "Điều 4 k4", "2023", "30/06/2024"),
                 id="streak-spanning-a-discipline-is-broken"),
    pytest.param(person(awards=cstdcs_years(2022, 2023, 2024, 2025) + (title("CSTD_TINH", 2024),),
                        initiatives=PROVINCE_WIDE), CSTD_TINH_2025,
                 fails("once", "Điều 5 k2", "2023, 2024"),
                 id="years-already-used-by-an-earlier-cstd-tinh"),
]


@pytest.mark.parametrize(("subject", "request_", "expect"), CSTD_TINH_CASES)
def test_chien_si_thi_dua_tinh_needs_an_unbroken_streak_and_province_wide_initiative(
        subject: SubjectSnapshot, request_: Ask, expect: Expect) -> None:
    expect.verify(request_.run(subject))


NATIONWIDE = (initiative(2025, "national"),)
CSTD_TQ_2025 = ask("CSTD_TQ", 2025, D25)
TWO_CSTD_TINH = (title("CSTD_TINH", 2022), title("CSTD_TINH", 2025))

CSTD_TQ_CASES = [
    pytest.param(person(awards=TWO_CSTD_TINH, initiatives=NATIONWIDE), CSTD_TQ_2025,
                 passes("streak", "Điều 21", "2022", "2025"),
                 id="two-consecutive-cstd-tinh-and-nationwide-initiative"),
    pytest.param(person(awards=TWO_CSTD_TINH[1:], initiatives=NATIONWIDE), CSTD_TQ_2025,
                 fails("streak", "Điều 21", "2022"),
                 id="missing-the-earlier-cstd-tinh"),
    pytest.param(person(awards=TWO_CSTD_TINH, initiatives=(initiative(2025, "province"),)), CSTD_TQ_2025,
                 fails("initiative_scope", "Điều 21", "toàn quốc"),
                 id="province-wide-initiative-is-not-nationwide"),
    pytest.param(person(awards=TWO_CSTD_TINH, initiatives=NATIONWIDE, disciplines=(TO_JUNE_2024,)),
                 CSTD_TQ_2025, fails(("streak", "discipline"), "Điều 4 k4", "30/06/2024"),
                 id="streak-spanning-a-discipline-is-broken"),
    pytest.param(person(awards=(title("CSTD_TINH", 2022, basis_kind="thematic"), TWO_CSTD_TINH[1]),
                        initiatives=NATIONWIDE), CSTD_TQ_2025,
                 fails(("streak", "basis_kind"), "Điều 4 k3", "2022"),
                 id="thematic-cstd-tinh-is-no-basis"),
]


@pytest.mark.parametrize(("subject", "request_", "expect"), CSTD_TQ_CASES)
def test_chien_si_thi_dua_toan_quoc_needs_two_consecutive_cstd_tinh(
        subject: SubjectSnapshot, request_: Ask, expect: Expect) -> None:
    expect.verify(request_.run(subject))


TWO_CSTDCS_2024 = ask("BK_TINH", 2024, D24, route="two_cstdcs")
TWO_CSTDCS_2025 = ask("BK_TINH", 2025, D25, route="two_cstdcs")
BY_INITIATIVES = ask("BK_TINH", 2024, D24, route="initiatives")
# The Ministry of Home Affairs reading in the reference: HTXS 2023 + 1 initiative (no
# CSTĐCS), HTXS 2024 + 1 initiative + CSTĐCS 2024 ⇒ eligible.
MOHA = person({2023: "htxs", 2024: "htxs"}, awards=cstdcs_years(2024),
              initiatives=(initiative(2023), initiative(2024)))
THEMATIC_GK = title("GK_XA", 2025, basis_kind="thematic", uuid="gk-chuyen-de")

BK_TINH_CASES = [
    pytest.param(person(awards=cstdcs_years(2023, 2024)), TWO_CSTDCS_2024,
                 passes("streak", "Điều 74 k1 d", "2023", "2024"),
                 id="two-consecutive-cstdcs"),
    pytest.param(person(awards=cstdcs_years(2023, 2025)), TWO_CSTDCS_2025,
                 fails("streak", "Điều 74 k1 d", "2024"),
                 id="streak-broken-by-one-year-names-the-missing-year"),
    pytest.param(MOHA, ask("BK_TINH", 2024, D24), passes("initiatives", "Điều 74 k1 d", "2023, 2024"),
                 id="ministry-reading-two-years-excellent-with-an-initiative-each"),
    pytest.param(person({2023: "htxs", 2024: "htxs"}, initiatives=(initiative(2024),)), BY_INITIATIVES,
                 fails("initiatives", "Điều 74 k1 d", "1"),
                 id="only-one-initiative-in-the-two-years"),
    pytest.param(person({2023: "htxs", 2024: "tot"}, initiatives=(initiative(2023), initiative(2024))),
                 BY_INITIATIVES, fails("rating_2024", "Điều 74 k1 d", "2024"),
                 id="second-year-not-excellent"),
    pytest.param(person(awards=cstdcs_years(2024, 2025), disciplines=(TO_JUNE_2024,)), TWO_CSTDCS_2025,
                 fails("streak", "Điều 4 k4", "2024", "30/06/2024"),
                 id="streak-spanning-a-discipline-is-broken"),
    pytest.param(person(awards=cstdcs_years(2024, 2025) + (THEMATIC_GK,)),
                 ask("BK_TINH", 2025, D25, route="two_cstdcs", basis_award_uuids=("gk-chuyen-de",)),
                 fails("basis_kind", "Điều 4 k3", "2025", "chuyên đề"),
                 id="cited-thematic-award-is-no-basis"),
    pytest.param(person(awards=cstdcs_years(2023, 2024, 2025) + (title("BK_TINH", 2024, since=2023),)),
                 TWO_CSTDCS_2025, fails("once", "Điều 5 k2", "2024"),
                 id="year-already-used-by-an-earlier-bang-khen"),
]


@pytest.mark.parametrize(("subject", "request_", "expect"), BK_TINH_CASES)
def test_bang_khen_tinh_point_d_needs_two_cstdcs_or_two_excellent_years_with_two_initiatives(
        subject: SubjectSnapshot, request_: Ask, expect: Expect) -> None:
    expect.verify(request_.run(subject))


def test_bang_khen_tinh_without_a_route_is_judged_by_the_route_that_holds() -> None:
    outcome = ask("BK_TINH", 2024, D24).run(MOHA)

    assert outcome.route == "initiatives"
