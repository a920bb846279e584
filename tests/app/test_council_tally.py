"""The council count: thresholds, quorum, ballot bounds, ranking with the tie rule, quotas."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from app.council_tally import (
    Candidate,
    TallyInput,
    default_cstdcs_quota,
    format_percent,
    quorum_needed,
    tally,
)
from app.eligibility.rule_settings import VoteThreshold

AT_LEAST_70_TOTAL = VoteThreshold(Decimal(70), "total_members")
OVER_50_TOTAL = VoteThreshold(Decimal(50), "total_members", strict=True)


def data(*candidates: Candidate, total: int = 9, present: int = 9, ballots: tuple | None = None,
         thresholds: dict | None = None, quotas: dict | None = None,
         cstdcs_percent: Decimal | None = None) -> TallyInput:
    issued, returned, valid = ballots or (None, None, None)
    return TallyInput(
        members_total=total, members_present=present, quorum_percent=Decimal("66.66"),
        ballots_issued=issued, ballots_returned=returned, ballots_valid=valid,
        candidates=candidates,
        thresholds=thresholds or {"LDTT": OVER_50_TOTAL, "CSTDCS": AT_LEAST_70_TOTAL},
        quotas=quotas or {}, cstdcs_quota_percent=cstdcs_percent)


def person(number: int, votes: int, award: str = "LDTT", **flags: bool) -> Candidate:
    return Candidate(number, f"Người {number}", award, votes, **flags)


def test_exactly_70_percent_of_10_members_passes_and_69_9_percent_fails() -> None:
    threshold = {"CSTDCS": VoteThreshold(Decimal(70), "total_members")}
    result = tally(data(person(1, 7, "CSTDCS"), total=10, present=10, thresholds=threshold))
    assert result.candidates[0].passed and result.candidates[0].percent == Decimal("70.00")
    higher = {"CSTDCS": VoteThreshold(Decimal("70.1"), "total_members")}
    result = tally(data(person(1, 7, "CSTDCS"), total=10, present=10, thresholds=higher))
    assert not result.candidates[0].passed
    # 699 of 1000 is 69.9 %: compared exactly, not rounded up to 70.
    result = tally(data(person(1, 699, "CSTDCS"), total=1000, present=1000, thresholds=threshold))
    assert not result.candidates[0].passed


def test_strict_threshold_needs_more_than_half_and_non_strict_accepts_half() -> None:
    half = data(person(1, 5), total=10, present=10)
    assert not tally(half).candidates[0].passed
    assert tally(replace(half, thresholds={"LDTT": VoteThreshold(Decimal(50), "total_members")})
                 ).candidates[0].passed
    assert tally(data(person(1, 6), total=10, present=10)).candidates[0].passed


def test_each_denominator_takes_its_own_base() -> None:
    votes = person(1, 5)
    by_total = tally(data(votes, total=9, present=7, ballots=(7, 7, 6),
                          thresholds={"LDTT": VoteThreshold(Decimal(70), "total_members")}))
    by_present = tally(data(votes, total=9, present=7, ballots=(7, 7, 6),
                            thresholds={"LDTT": VoteThreshold(Decimal(70), "present")}))
    by_valid = tally(data(votes, total=9, present=7, ballots=(7, 7, 6),
                          thresholds={"LDTT": VoteThreshold(Decimal(70), "valid_ballots")}))
    assert [t.candidates[0].base for t in (by_total, by_present, by_valid)] == [9, 7, 6]
    assert [t.candidates[0].passed for t in (by_total, by_present, by_valid)] == [False, True, True]
    assert by_total.candidates[0].reason == (
        "Không đạt ngưỡng biểu quyết: 5/9 phiếu (55,56%), cần từ 70% tổng số thành viên Hội đồng")


def test_valid_ballot_threshold_without_ballots_recorded_blocks_finalising() -> None:
    result = tally(data(person(1, 5), thresholds={"LDTT": VoteThreshold(Decimal(50), "valid_ballots")}))
    assert not result.candidates[0].passed and result.candidates[0].base is None
    assert any("số phiếu hợp lệ" in p for p in result.problems)


def test_quorum_six_of_nine_passes_and_five_of_nine_fails_with_default_two_thirds() -> None:
    assert quorum_needed(9, Decimal("66.66")) == 6
    six = tally(data(person(1, 6), total=9, present=6))
    assert six.quorum_met and six.can_finalise
    five = tally(data(person(1, 5), total=9, present=5))
    assert not five.quorum_met
    assert five.problems == ("Không đủ số thành viên dự họp: có mặt 5/9, cần ít nhất 6 "
                             "(từ 66,66% tổng số thành viên Hội đồng).",)


def test_ballots_issued_above_present_is_a_problem() -> None:
    result = tally(data(person(1, 5), present=7, ballots=(8, 7, 7)))
    assert result.problems == ("Số phiếu phát ra (8) nhiều hơn số thành viên có mặt (7).",)


def test_ballots_returned_above_issued_is_a_problem() -> None:
    result = tally(data(person(1, 5), present=7, ballots=(6, 7, 6)))
    assert result.problems == ("Số phiếu thu về (7) nhiều hơn số phiếu phát ra (6).",)


def test_valid_ballots_above_returned_is_a_problem() -> None:
    result = tally(data(person(1, 5), present=7, ballots=(7, 6, 7)))
    assert result.problems == ("Số phiếu hợp lệ (7) nhiều hơn số phiếu thu về (6).",)


def test_votes_above_valid_ballots_or_above_present_are_problems() -> None:
    with_ballots = tally(data(person(1, 7), present=8, ballots=(8, 8, 6)))
    assert with_ballots.problems == (
        "Số phiếu đồng ý của «Người 1» (Lao động tiên tiến) (7) nhiều hơn số phiếu hợp lệ (6).",)
    without = tally(data(person(1, 9), present=8))
    assert without.problems == (
        "Số phiếu đồng ý của «Người 1» (Lao động tiên tiến) (9) nhiều hơn số thành viên có mặt (8).",)
    assert tally(data(person(1, 8), present=8)).can_finalise
    # Counts beyond their bounds are what recording refuses; a missing quorum only blocks finalising.
    assert with_ballots.entry_problems == with_ballots.problems
    assert tally(data(person(1, 5), present=5)).entry_problems == ()


def test_ranking_puts_women_first_then_collectives_of_women_at_equal_votes() -> None:
    man = person(1, 7, "GK_XA")
    woman = person(2, 7, "GK_XA", is_female=True)
    women_team = person(3, 7, "GK_XA", female_collective=True)
    team = person(4, 7, "GK_XA")
    best = person(5, 9, "GK_XA")
    result = tally(data(man, woman, women_team, team, best,
                        thresholds={"GK_XA": OVER_50_TOTAL}, quotas={"GK_XA": 3}))
    ranks = {c.candidate.nomination_id: c.rank for c in result.candidates}
    assert ranks == {5: 1, 2: 2, 3: 3, 1: 4, 4: 4}
    inside = {c.candidate.nomination_id: c.within_quota for c in result.candidates}
    assert inside == {5: True, 2: True, 3: True, 1: False, 4: False}
    assert result.can_finalise  # the tie at rank 4 lies outside the quota: nothing to break
    assert result.result(2).priority == "nữ"
    assert result.result(3).priority == "tập thể từ 70% nữ"
    assert result.result(1).reason == "Ngoài chỉ tiêu: xếp thứ 4, chỉ tiêu 3"


def test_woman_beats_collective_of_women_at_the_boundary() -> None:
    result = tally(data(person(1, 7, female_collective=True), person(2, 7, is_female=True),
                        quotas={"LDTT": 1}))
    assert result.result(2).within_quota and not result.result(1).within_quota
    assert result.can_finalise


def test_tie_at_the_quota_boundary_the_rule_cannot_break_blocks_finalising() -> None:
    result = tally(data(person(1, 8), person(2, 7), person(3, 7), quotas={"LDTT": 2}))
    assert not result.can_finalise
    assert result.problems == (
        "Lao động tiên tiến: «Người 2», «Người 3» cùng 7 phiếu ở ranh giới chỉ tiêu 2, quy tắc ưu "
        "tiên (nữ, rồi tập thể có từ 70% nữ) không phân định được; Hội đồng phải biểu quyết lại "
        "giữa những đề nghị này.",)
    assert result.result(1).within_quota
    assert not result.result(2).within_quota and not result.result(3).within_quota
    # Two women tied are no better: the rule cannot order them either.
    women = tally(data(person(1, 8), person(2, 7, is_female=True), person(3, 7, is_female=True),
                       quotas={"LDTT": 2}))
    assert not women.can_finalise


def test_quota_cuts_off_passing_candidates_by_rank_and_failing_ones_have_no_rank() -> None:
    result = tally(data(person(1, 9), person(2, 8), person(3, 6), person(4, 4), quotas={"LDTT": 2}))
    assert [(c.passed, c.rank, c.within_quota) for c in result.candidates] == [
        (True, 1, True), (True, 2, True), (True, 3, False), (False, None, None)]
    assert [c.voted for c in result.candidates] == [True, True, False, False]


def test_cstdcs_default_quota_is_the_floored_share_of_passing_ldtt() -> None:
    assert default_cstdcs_quota(7, Decimal(15)) == 1
    assert default_cstdcs_quota(6, Decimal(15)) == 0
    ldtt = [person(n, 8) for n in range(1, 8)] + [person(8, 2)]  # seven pass, one fails
    result = tally(data(*ldtt, person(20, 9, "CSTDCS"), person(21, 8, "CSTDCS"),
                        cstdcs_percent=Decimal(15)))
    quota = next(q for q in result.quotas if q.award_code == "CSTDCS")
    assert quota.quota == 1 and quota.is_default
    assert result.result(20).within_quota and not result.result(21).within_quota
    # The officer's own quota wins over the default; no percent set means no limit.
    own = tally(data(*ldtt, person(20, 9, "CSTDCS"), person(21, 8, "CSTDCS"),
                     quotas={"CSTDCS": 2}, cstdcs_percent=Decimal(15)))
    assert own.result(21).within_quota
    unlimited = tally(data(*ldtt, person(20, 9, "CSTDCS"), person(21, 8, "CSTDCS")))
    assert unlimited.result(21).within_quota and not unlimited.quotas


def test_session_without_candidates_or_members_cannot_be_finalised() -> None:
    assert tally(data()).problems == ("Phiên họp chưa có đề nghị nào để biểu quyết.",)
    assert "chưa có thành viên" in tally(data(person(1, 0), total=0, present=0)).problems[0]


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("55.555"), "55,56"), (Decimal(70), "70"), (Decimal("66.70"), "66,7")])
def test_percent_is_written_with_a_decimal_comma(value: Decimal, text: str) -> None:
    assert format_percent(value) == text
