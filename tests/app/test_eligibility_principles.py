"""What every request shares, from the domain reference: authority on the decision date
(L2022 Điều 80; NĐ 129/2025), rule sets by date (§0), the pending-review block (NĐ 98 Điều 4
k4), bad input, reward money (NĐ 98 Điều 54), dated settings, dossier parts (L2022 Điều 84,
85; NĐ 86 Điều 8), reporting windows and council vote thresholds (§4.4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.eligibility.outcome import Verdict
from app.eligibility.rule_settings import THRESHOLD, SettingEntry, VoteThreshold, parse_value
from app.eligibility.snapshot import Member, SubjectSnapshot, YearRating
from app.errors import ValidationError
from tests.app.eligibility_builders import (
    Ask,
    Expect,
    ask,
    check_named,
    collective,
    discipline,
    fails,
    household,
    initiative,
    passes,
    person,
    team,
    title,
    village,
)

D24 = date(2025, 1, 15)  # 2024 achievements, L2022 + NĐ 98
BEFORE_REFORM, REFORM = date(2025, 6, 30), date(2025, 7, 1)

# A subject that meets every criterion for the award in 2024, and the facts it needs.
ELIGIBLE_2024: dict[str, tuple[SubjectSnapshot, dict[str, object]]] = {
    "LDTT": (person({2024: "tot"}), {}),
    "CSTDCS": (person({2024: "htxs"}), {}),
    "TTLDTT": (collective({2024: "tot"}, team(2024, 10, ldtt=6)), {}),
    "THON_VH": (village(), {"assessment_passed": True, "public_notice_days": 10}),
    "GDVH": (household(), {"assessment_passed": True, "public_notice_days": 10}),
    "GK_XA": (person({2024: "tot"}), {}),
    "CSTD_TINH": (person(awards=tuple(title("CSTDCS", y) for y in (2022, 2023, 2024)),
                         initiatives=(initiative(2024, "province"),)), {}),
    "TTLDXS": (collective({2024: "htxs"}, team(2024, 10, cstdcs=1, ldtt=6)), {}),
    "CO_TINH": (collective({2024: "htxs"}), {"cluster_leading": True}),
    "BK_TINH": (person(awards=(title("CSTDCS", 2023), title("CSTDCS", 2024))), {}),
}
COMMUNE_FROM_REFORM = ("CSTDCS", "TTLDTT", "THON_VH")
COMMUNE_ALWAYS = ("LDTT", "GDVH", "GK_XA")
PROVINCIAL = ("CSTD_TINH", "TTLDXS", "CO_TINH", "BK_TINH")


def eligible(code: str, decided: date, **changes: object) -> tuple[SubjectSnapshot, Ask]:
    subject, facts = ELIGIBLE_2024[code]
    return subject, ask(code, 2024, decided, **{**facts, **changes})  # type: ignore[arg-type]


def _authority_cases() -> list[object]:
    cases = []
    for code in COMMUNE_FROM_REFORM:
        cases += [
            pytest.param(*eligible(code, BEFORE_REFORM, action="decide"),
                         fails("authority", "Điều 80", "30/06/2025", "Chủ tịch UBND huyện"),
                         id=f"{code}-commune-decision-on-30-06-2025-is-blocked"),
            pytest.param(*eligible(code, REFORM, action="decide"),
                         passes("authority", "NĐ 129/2025", "01/07/2025", "Chủ tịch UBND xã"),
                         id=f"{code}-commune-decision-on-01-07-2025-is-allowed"),
        ]
    for code in COMMUNE_ALWAYS:
        for day in (BEFORE_REFORM, REFORM):
            cases.append(pytest.param(*eligible(code, day, action="decide"),
                                      passes("authority", "Điều 80", f"{day:%d/%m/%Y}", "Chủ tịch UBND xã"),
                                      id=f"{code}-commune-decision-on-{day:%d-%m-%Y}-is-allowed"))
    for code in PROVINCIAL:
        for day in (BEFORE_REFORM, REFORM):
            cases.append(pytest.param(*eligible(code, day, action="decide"),
                                      fails("authority", "Điều 80", "Chủ tịch UBND tỉnh"),
                                      id=f"{code}-commune-decision-on-{day:%d-%m-%Y}-is-blocked"))
    cases.append(pytest.param(*eligible("CSTDCS", date(2024, 12, 20), action="decide"),
                              fails("authority", "Điều 80", "Chủ tịch UBND huyện"),
                              id="CSTDCS-commune-decision-dated-2024-is-blocked"))
    return cases


@pytest.mark.parametrize(("subject", "request_", "expect"), _authority_cases())
def test_commune_decides_only_what_is_in_its_authority_on_the_decision_date(
        subject: SubjectSnapshot, request_: Ask, expect: Expect) -> None:
    expect.verify(request_.run(subject))


PROPOSAL_CASES = [
    *(pytest.param(code, REFORM, "propose", "province_chairman", id=f"{code}-is-proposed-to-the-province")
      for code in PROVINCIAL),
    pytest.param("CSTDCS", BEFORE_REFORM, "propose", "district_chairman",
                 id="CSTDCS-before-the-reform-is-proposed-to-the-district"),
    pytest.param("CSTDCS", REFORM, "decide", "commune_chairman", id="CSTDCS-after-the-reform-is-decided"),
    pytest.param("LDTT", BEFORE_REFORM, "decide", "commune_chairman", id="LDTT-is-decided-by-the-commune"),
]


@pytest.mark.parametrize(("code", "decided", "action", "decider"), PROPOSAL_CASES)
def test_without_an_action_the_commune_decides_or_proposes_as_its_authority_allows(
        code: str, decided: date, action: str, decider: str) -> None:
    subject, request_ = eligible(code, decided)

    outcome = request_.run(subject)

    assert (outcome.verdict, outcome.action, outcome.authority.decider) == (Verdict.ELIGIBLE, action, decider)
    assert check_named(outcome, "authority").status.value == "passed"


RULE_SET_CASES = [
    pytest.param(date(2017, 9, 15), "2017-ND91", "Luật TĐKT 2003", id="first-day-of-nd91"),
    pytest.param(date(2023, 12, 31), "2017-ND91", "Luật TĐKT 2003", id="last-day-of-the-old-law"),
    pytest.param(date(2024, 1, 1), "2024-ND98", "Luật 06/2022/QH15", id="first-day-of-l2022"),
    pytest.param(date(2025, 6, 30), "2024-ND98", "Luật 06/2022/QH15", id="last-day-before-the-reform"),
    pytest.param(date(2025, 7, 1), "2025-ND152", "Luật 06/2022/QH15", id="first-day-of-nd152-and-nd129"),
]


@pytest.mark.parametrize(("decided", "rule_set", "law"), RULE_SET_CASES)
def test_rule_set_is_the_one_in_force_on_the_decision_date(decided: date, rule_set: str, law: str) -> None:
    outcome = ask("LDTT", decided.year, decided).run(person({decided.year: "tot"}))

    check = passes("rating", "Điều 24", str(decided.year)).verify(outcome)
    assert (outcome.rule_set, check.basis.startswith(law)) == (rule_set, True)


def _two_ratings() -> SubjectSnapshot:
    return replace(person(), ratings=(YearRating(2024, "tot"), YearRating(2024, "ht")))


BAD_INPUT_CASES = [
    pytest.param(person({2024: "tot"}), ask("CSTD_XA", 2024, D24), "Không có danh hiệu",
                 id="unknown-award-code"),
    pytest.param(household(), ask("LDTT", 2024, D24), "không xét cho hộ gia đình",
                 id="ldtt-for-a-household"),
    pytest.param(person({2024: "htxs"}), ask("TTLDXS", 2024, D24), "không xét cho cá nhân",
                 id="collective-title-for-a-person"),
    pytest.param(person(), ask("BK_TINH", 2024, D24, route="three_years"), "Tuyến xét “three_years”",
                 id="unknown-route"),
    pytest.param(person({2025: "tot"}), ask("LDTT", 2025, date(2024, 12, 31)),
                 "Năm thành tích 2025 sau ngày quyết định 31/12/2024", id="period-after-the-decision-date"),
    pytest.param(person({2017: "tot"}), ask("LDTT", 2017, date(2017, 9, 14)), "14/09/2017 nằm ngoài",
                 id="decision-before-15-09-2017"),
    pytest.param(_two_ratings(), ask("LDTT", 2024, D24), "hai xếp loại cho năm 2024",
                 id="two-ratings-for-one-year"),
    pytest.param(person({2024: "tot"}, awards=(title("LDTT", 2024), title("LDTT", 2024))), ask("LDTT", 2024, D24),
                 "Lao động tiên tiến hai lần cho năm 2024", id="title-recorded-twice-for-one-year"),
    pytest.param(collective({2024: "tot"}, (Member(_two_ratings()),)), ask("TTLDTT", 2024, D24),
                 "Lịch sử của Nguyễn Văn An có hai xếp loại", id="member-history-contradicts-itself"),
]


@pytest.mark.parametrize(("subject", "request_", "phrase"), BAD_INPUT_CASES)
def test_bad_input_is_refused_with_a_vietnamese_message(subject: SubjectSnapshot, request_: Ask,
                                                        phrase: str) -> None:
    with pytest.raises(ValidationError, match=phrase):
        request_.run(subject)


PENDING = (discipline("pending", date(2024, 12, 1)),)
PENDING_CASES = [
    *(pytest.param(code, {}, id=f"{code}-is-blocked") for code in ELIGIBLE_2024),
    pytest.param("GK_XA", {"route": "sudden", "achievement_summary": "Cứu người", "event_date": date(2024, 11, 20)},
                 id="GK_XA-for-a-sudden-feat-is-blocked"),
]


@pytest.mark.parametrize(("code", "changes"), PENDING_CASES)
def test_pending_review_blocks_every_award(code: str, changes: dict[str, object]) -> None:
    subject, request_ = eligible(code, D24, **changes)

    outcome = request_.run(replace(subject, disciplines=PENDING))

    fails("pending_review", "Điều 4 k4", "01/12/2024").verify(outcome)


BASE_2026 = (SettingEntry("base_salary", "2530000", date(2026, 7, 1)),)
REWARD_CASES = [
    pytest.param(person({2025: "tot"}), ask("LDTT", 2025, date(2026, 1, 15)), "0.3", 2_340_000, 710_000,
                 id="ldtt-702000-rounds-up-to-710000"),
    pytest.param(person({2023: "tot"}), ask("LDTT", 2023, date(2024, 1, 20)), "0.3", 1_800_000, 540_000,
                 id="ldtt-on-the-2024-01-base-salary"),
    pytest.param(*eligible("GK_XA", D24), "0.3", 2_340_000, 710_000, id="giay-khen-for-a-person"),
    pytest.param(collective({2024: "tot"}), ask("GK_XA", 2024, D24), "0.6", 2_340_000, 1_410_000,
                 id="giay-khen-for-a-collective-is-doubled"),
    pytest.param(person({2025: "tot"}), ask("LDTT", 2025, date(2026, 6, 30), entries=BASE_2026),
                 "0.3", 2_340_000, 710_000, id="officers-base-salary-not-yet-in-force"),
    pytest.param(person({2025: "tot"}), ask("LDTT", 2025, date(2026, 7, 1), entries=BASE_2026),
                 "0.3", 2_530_000, 760_000, id="officers-base-salary-from-its-effective-date"),
    pytest.param(*eligible("CSTDCS", D24), "1", 2_340_000, 2_340_000, id="cstdcs-one-base-salary"),
    pytest.param(*eligible("TTLDTT", D24), "0.8", 2_340_000, 1_880_000, id="ttldtt-rounds-up"),
    pytest.param(*eligible("TTLDXS", D24), "1.5", 2_340_000, 3_510_000, id="ttldxs"),
    pytest.param(*eligible("THON_VH", D24), "1.5", 2_340_000, 3_510_000, id="thon-van-hoa"),
    pytest.param(*eligible("CSTD_TINH", D24), "3", 2_340_000, 7_020_000, id="cstd-tinh"),
]


@pytest.mark.parametrize(("subject", "request_", "coefficient", "base", "amount"), REWARD_CASES)
def test_reward_is_a_multiple_of_the_base_salary_on_the_decision_date_rounded_up(
        subject: SubjectSnapshot, request_: Ask, coefficient: str, base: int, amount: int) -> None:
    outcome = request_.run(subject)

    assert outcome.verdict is Verdict.ELIGIBLE, outcome.checks
    assert outcome.reward is not None and "Điều 54" in outcome.reward.basis
    assert (outcome.reward.coefficient, outcome.reward.base_salary, outcome.reward.amount) == (
        coefficient, base, amount)


ELEVEN_OF_TWENTY = collective({2024: "tot"}, team(2024, 20, ldtt=11))
SIXTY = SettingEntry("ttldtt_min_ldtt_percent", "60", date(2024, 1, 1))
SETTING_CASES = [
    pytest.param((), passes("ldtt_share", "Điều 28", "11/20", "55", "50"), "50", id="default-more-than-half"),
    pytest.param((SIXTY,), fails("ldtt_share", "Điều 28", "11/20", "55", "60"), "60", id="raised-to-sixty"),
    pytest.param((replace(SIXTY, effective_from=date(2025, 7, 1)),),
                 passes("ldtt_share", "Điều 28", "11/20", "50"), "50", id="raised-only-after-the-decision"),
]


@pytest.mark.parametrize(("entries", "expect", "read"), SETTING_CASES)
def test_officers_setting_changes_the_ttldtt_verdict_and_is_reported_as_used(
        entries: tuple[SettingEntry, ...], expect: Expect, read: str) -> None:
    outcome = ask("TTLDTT", 2024, D24, entries=entries).run(ELEVEN_OF_TWENTY)

    expect.verify(outcome)
    used = dict(outcome.settings_used)
    assert used["ttldtt_min_ldtt_percent"] == read
    assert {"base_salary", "reward_coefficient:TTLDTT"} <= used.keys()
    assert "gk_min_rating" not in used


def _sudden() -> tuple[SubjectSnapshot, Ask]:
    return person(), ask("GK_XA", 2024, D24, route="sudden", achievement_summary="Cứu người",
                         event_date=date(2024, 11, 20))


DOSSIER_CASES = [
    pytest.param(person({2024: "tot"}, initiatives=(initiative(2024),)), ask("CSTDCS", 2024, D24),
                 ("to_trinh", "bao_cao_thanh_tich", "bien_ban_binh_xet", "xac_nhan_sang_kien"), "Điều 84 k1",
                 (), id="cstdcs-by-initiative-needs-its-certificate"),
    pytest.param(*eligible("CSTD_TINH", D24), ("to_trinh", "bao_cao_thanh_tich", "bien_ban_binh_xet",
                                                "xac_nhan_sang_kien"), "Điều 84 k1", ("Mẫu 03",),
                 id="cstd-tinh-needs-the-initiative-certificate"),
    pytest.param(*eligible("LDTT", D24), ("to_trinh", "bao_cao_thanh_tich", "bien_ban_binh_xet"), "Điều 84 k1",
                 ("Mẫu 03",), id="ldtt-title-dossier"),
    pytest.param(*eligible("TTLDXS", D24), ("to_trinh", "bao_cao_thanh_tich", "bien_ban_binh_xet"),
                 "Điều 84 k1", ("Mẫu 02",), id="collective-report-is-form-02"),
    pytest.param(*eligible("CO_TINH", D24), ("to_trinh", "bao_cao_thanh_tich", "bien_ban_binh_xet",
                                              "bien_ban_cum_khoi"), "Điều 84 k1", (), id="flag-needs-cluster-minutes"),
    pytest.param(*_sudden(), ("to_trinh", "bao_cao_tom_tat"), "Điều 85", ("tóm tắt",),
                 id="sudden-feat-uses-the-simplified-procedure"),
    pytest.param(*eligible("THON_VH", D24), ("to_trinh", "bao_cao_thanh_tich", "bien_ban_binh_xet",
                                              "ket_qua_lay_y_kien"), "NĐ 86/2023",
                 ("Mẫu 04", "Mẫu 05", "Mẫu 06"), id="village-uses-nd86-forms-04-05-06"),
    pytest.param(*eligible("BK_TINH", D24), ("to_trinh", "bao_cao_thanh_tich", "bien_ban_xet"), "Điều 84 k2",
                 (), id="bang-khen-on-two-cstdcs-needs-no-initiative-certificate"),
    pytest.param(person({2023: "htxs", 2024: "htxs"}, initiatives=(initiative(2023), initiative(2024))),
                 ask("BK_TINH", 2024, D24, route="initiatives"),
                 ("to_trinh", "bao_cao_thanh_tich", "bien_ban_xet", "xac_nhan_sang_kien"), "Điều 84 k2", (),
                 id="bang-khen-on-initiatives-needs-their-certificate"),
]


@pytest.mark.parametrize(("subject", "request_", "parts", "basis", "labels"), DOSSIER_CASES)
def test_dossier_lists_the_parts_the_law_requires(subject: SubjectSnapshot, request_: Ask,
                                                  parts: tuple[str, ...], basis: str,
                                                  labels: tuple[str, ...]) -> None:
    outcome = request_.run(subject)

    assert outcome.verdict is Verdict.ELIGIBLE, outcome.checks
    assert tuple(part.code for part in outcome.dossier) == parts
    assert all(basis in part.basis for part in outcome.dossier if part.code != "bien_ban_cum_khoi")
    text = " ".join(part.label for part in outcome.dossier)
    assert all(label in text for label in labels), text


REPORTING_CASES = [
    pytest.param(*eligible("CSTD_TINH", D24), (2022, 2023, 2024), id="cstd-tinh-covers-three-years"),
    pytest.param(person(awards=(title("CSTD_TINH", 2021), title("CSTD_TINH", 2024)),
                        initiatives=(initiative(2024, "national"),)), ask("CSTD_TQ", 2024, D24),
                 (2019, 2020, 2021, 2022, 2023, 2024), id="cstd-toan-quoc-covers-six-years"),
    pytest.param(*eligible("BK_TINH", D24), (2023, 2024), id="bang-khen-tinh-covers-two-years"),
    pytest.param(*_sudden(), (2024,), id="sudden-feat-covers-its-year"),
]


@pytest.mark.parametrize(("subject", "request_", "years"), REPORTING_CASES)
def test_achievement_report_covers_the_years_the_award_requires(
        subject: SubjectSnapshot, request_: Ask, years: tuple[int, ...]) -> None:
    outcome = request_.run(subject)

    assert (outcome.verdict, outcome.reporting_years) == (Verdict.ELIGIBLE, years)


VOTE_CASES = [
    pytest.param(">=70% total_members", 7, 10, True, id="seventy-percent-of-ten-is-seven"),
    pytest.param(">=70% total_members", 6, 10, False, id="six-of-ten-is-short-of-seventy"),
    pytest.param(">=70% total_members", 699, 1000, False, id="sixty-nine-point-nine-is-not-seventy"),
    pytest.param(">=70% total_members", 700, 1000, True, id="seven-hundred-of-a-thousand"),
    pytest.param(">50% total_members", 5, 10, False, id="exactly-half-is-not-more-than-half"),
    pytest.param(">50% total_members", 6, 10, True, id="six-of-ten-is-more-than-half"),
    pytest.param(">=90% total_members", 9, 10, True, id="ninety-percent-of-ten"),
    pytest.param(">=90% total_members", 8, 9, False, id="eight-of-nine-is-short-of-ninety"),
    pytest.param(">50% present", 0, 0, False, id="nobody-present-never-passes"),
]


@pytest.mark.parametrize(("text", "votes", "base", "met"), VOTE_CASES)
def test_vote_threshold_is_compared_exactly(text: str, votes: int, base: int, met: bool) -> None:
    threshold = parse_value(THRESHOLD, text)

    assert isinstance(threshold, VoteThreshold)
    assert threshold.met(votes, base) is met


def test_vote_threshold_reads_its_text() -> None:
    assert parse_value(THRESHOLD, ">=70% total_members") == VoteThreshold(Decimal(70), "total_members", False)
    assert parse_value(THRESHOLD, ">50% present") == VoteThreshold(Decimal(50), "present", True)


def test_a_revoked_award_cited_as_the_basis_is_refused() -> None:
    revoked = title("CSTDCS", 2024, uuid="aaaa", revoked_on=date(2025, 9, 1))
    subject = person({2024: "htxs", 2025: "htxs"}, awards=(revoked, title("CSTDCS", 2025)))
    outcome = ask("BK_TINH", 2025, date(2026, 1, 15), route="two_cstdcs",
                  basis_award_uuids=("aaaa",)).run(subject)
    assert outcome.verdict is Verdict.NOT_ELIGIBLE
    cited = check_named(outcome, "basis_kind")
    assert "thu hồi" in cited.message and "01/09/2025" in cited.message


def test_old_law_cites_the_2003_law_without_borrowing_2022_clause_numbers() -> None:
    outcome = ask("LDTT", 2023, date(2023, 12, 20)).run(person({2023: "tot"}))
    basis = check_named(outcome, "rating").basis
    assert basis.startswith("Luật TĐKT 2003")
    assert "tương ứng Luật 06/2022/QH15 Điều 24" in basis


def test_settings_are_read_on_the_decision_date_whatever_date_they_were_made_for() -> None:
    from app.eligibility.checker import check
    from app.eligibility.rule_settings import RuleSettings

    request = ask("LDTT", 2023, date(2024, 1, 15)).request()
    outcome = check(request, person({2023: "tot"}), RuleSettings(date(2026, 11, 24)))
    assert outcome.reward is not None and outcome.reward.base_salary == 1_800_000


def test_a_farmer_without_an_initiative_is_not_a_grassroots_emulation_soldier() -> None:
    # L2022 Điều 23: HTXS or an initiative; someone who is never rated needs the initiative.
    farmer = person(employment="nong_dan", recruited=None)
    outcome = ask("CSTDCS", 2025, date(2026, 1, 15)).run(farmer)
    assert outcome.verdict is Verdict.NOT_ELIGIBLE
    assert check_named(outcome, "excellence").status.value == "failed"
    with_initiative = person(employment="nong_dan", recruited=None, initiatives=(initiative(2025),))
    assert ask("CSTDCS", 2025, date(2026, 1, 15)).run(with_initiative).verdict is Verdict.ELIGIBLE


def test_a_thematic_giay_khen_is_not_given_during_a_discipline_period() -> None:
    warned = person(disciplines=(discipline("khien_trach", date(2025, 2, 1), date(2026, 2, 1)),))
    outcome = ask("GK_XA", 2025, date(2025, 12, 20), route="thematic", movement="Nông thôn mới",
                  achievement_summary="Hiến đất").run(warned)
    assert outcome.verdict is Verdict.NOT_ELIGIBLE
    assert "01/02/2026" in check_named(outcome, "discipline").message


def test_a_member_listed_twice_counts_once_and_overlapping_memberships_are_refused() -> None:
    one = person({2025: "tot"}, awards=(title("LDTT", 2025),), name="Lê Văn Một")
    one = replace(one, uuid="m-1")
    others = tuple(Member(replace(m.person, uuid=f"o-{i}")) for i, m in enumerate(team(2025, 3)))
    twice = collective({2025: "tot"}, (Member(one, date(2020, 1, 1), date(2022, 12, 31)),
                                       Member(one, date(2023, 1, 1)), *others))
    share = check_named(ask("TTLDTT", 2025, date(2026, 1, 15)).run(twice), "ldtt_share")
    assert share.message.startswith("1/4 thành viên")
    overlapping = collective({2025: "tot"}, (Member(one, date(2020, 1, 1)), Member(one, date(2023, 1, 1)),
                                             *others))
    with pytest.raises(ValidationError, match="ghi hai lần"):
        ask("TTLDTT", 2025, date(2026, 1, 15)).run(overlapping)


def test_unpaid_leave_counts_even_without_a_recruitment_date_and_overlaps_count_once() -> None:
    from app.eligibility.snapshot import Leave

    long_leave = (Leave("unpaid", date(2025, 1, 1), date(2025, 10, 31)),)
    unknown_start = person({2024: "tot", 2025: "tot"}, recruited=None, leaves=long_leave)
    outcome = ask("LDTT", 2025, date(2026, 1, 15)).run(unknown_start)
    assert check_named(outcome, "working_time").status.value == "failed"
    overlapping = (Leave("unpaid", date(2025, 1, 1), date(2025, 5, 31)),
                   Leave("unpaid", date(2025, 3, 1), date(2025, 5, 31)))
    outcome = ask("LDTT", 2025, date(2026, 1, 15)).run(person({2025: "tot"}, leaves=overlapping))
    working = check_named(outcome, "working_time")
    assert working.status.value == "passed" and "151" not in working.message


def test_a_streak_setting_of_zero_years_is_refused() -> None:
    entries = (SettingEntry("gk_household_gdvh_years", "0", date(2024, 1, 1)),)
    with pytest.raises(ValidationError, match="từ 1 trở lên"):
        ask("GK_XA", 2025, date(2026, 1, 15), entries=entries).run(household())


def test_citations_follow_the_law_in_force_on_the_decision_date() -> None:
    old = ask("LDTT", 2022, date(2023, 1, 10)).run(person({2022: "tot"}))
    assert old.dossier[0].basis.startswith("Luật TĐKT 2003")
    assert old.reward is not None and old.reward.basis.startswith("NĐ 91/2017/NĐ-CP")
    before_nd86 = ask("GDVH", 2023, date(2024, 1, 20), assessment_passed=True, public_notice_days=10)
    assert check_named(before_nd86.run(household()), "assessment").basis == "NĐ 122/2018/NĐ-CP"
    after_nd86 = ask("GDVH", 2023, date(2024, 2, 20), assessment_passed=True, public_notice_days=10)
    assert check_named(after_nd86.run(household()), "assessment").basis.startswith("NĐ 86/2023/NĐ-CP")
