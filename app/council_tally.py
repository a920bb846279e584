"""The count of a council session (họp Hội đồng TĐKT): pure, no database.

From the attendance, the ballots and the votes per candidate it works out, for each
candidate, the base the threshold is taken on, the percentage, whether the threshold is met
(compared exactly, `VoteThreshold.met`), the rank among the passing candidates of the same
award and whether that rank is within the award's quota. It also lists, in Vietnamese, every
problem that must be fixed before the session can be finalised.

Ranking and the tie rule: passing candidates of one award are ranked by votes; at equal votes
women come first, then collectives with at least 70 % women, as issue 5 words it ("women
first, then collectives with ≥ 70 % women"; NĐ 98/2023/NĐ-CP Điều 4 k6, domain reference §3).
Candidates the rule cannot tell apart share a rank; when such a group straddles the quota,
the council must vote again between them, and the session cannot be finalised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from app.catalogue import award_label
from app.eligibility.rule_settings import VoteThreshold

LDTT, CSTDCS = "LDTT", "CSTDCS"
FEMALE_COLLECTIVE_PERCENT = 70  # a collective counts as one of women from this share


@dataclass(frozen=True)
class Candidate:
    nomination_id: int
    name: str
    award_code: str
    votes: int
    is_female: bool = False  # an individual woman
    female_collective: bool = False  # a collective with at least 70 % women among its members


@dataclass(frozen=True)
class TallyInput:
    members_total: int
    members_present: int
    quorum_percent: Decimal  # setting council_quorum_percent: share of all members
    ballots_issued: int | None
    ballots_returned: int | None
    ballots_valid: int | None
    candidates: tuple[Candidate, ...]
    thresholds: Mapping[str, VoteThreshold]  # per award code
    quotas: Mapping[str, int] = field(default_factory=dict)  # set by the officer, per award code
    cstdcs_quota_percent: Decimal | None = None  # setting cstdcs_quota_percent on the session date


@dataclass(frozen=True)
class CandidateResult:
    candidate: Candidate
    threshold: VoteThreshold
    base: int | None  # the denominator's value; None when it is not known (no ballots recorded)
    percent: Decimal | None  # votes / base, rounded to 0,01 for showing only
    passed: bool  # the threshold is met, compared exactly
    rank: int | None  # among the award's passing candidates; None when not passed
    within_quota: bool | None  # None when not passed
    priority: str  # the tie rule's word for this candidate: "nữ", "tập thể từ 70% nữ" or ""
    reason: str  # why it is returned, in words; "" when voted

    @property
    def voted(self) -> bool:
        return self.passed and bool(self.within_quota)


@dataclass(frozen=True)
class QuotaResult:
    award_code: str
    quota: int
    is_default: bool  # the CSTĐCS share of LĐTT, not set by the officer
    note: str


@dataclass(frozen=True)
class SessionTally:
    members_total: int
    members_present: int
    quorum_percent: Decimal
    quorum_needed: int  # the fewest members present that make a quorum
    quorum_met: bool
    ballots_issued: int | None
    ballots_returned: int | None
    ballots_valid: int | None
    candidates: tuple[CandidateResult, ...]
    quotas: tuple[QuotaResult, ...]
    problems: tuple[str, ...]  # everything that blocks finalising, in the order to fix it
    entry_problems: tuple[str, ...] = ()  # the part no recording may leave: counts beyond bounds

    @property
    def can_finalise(self) -> bool:
        return not self.problems

    def result(self, nomination_id: int) -> CandidateResult:
        return next(c for c in self.candidates if c.candidate.nomination_id == nomination_id)



def format_percent(value: Decimal) -> str:
    """55.56 → '55,56'; 70.00 → '70' (Vietnamese decimal comma, no trailing zeros)."""
    text = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def quorum_needed(total: int, percent: Decimal) -> int:
    """The fewest present members with present * 100 >= percent * total."""
    return int((percent * total / 100).to_integral_value(rounding=ROUND_CEILING))


def default_cstdcs_quota(ldtt_passing: int, percent: Decimal) -> int:
    """At most `percent` % of the LĐTT passing in the session, rounded down: the rule says
    "không quá" (no more than) that share (NĐ 91/2017 Điều 9 k3), so 15 % of 7 is 1, not 2."""
    return int((percent * ldtt_passing / 100).to_integral_value(rounding=ROUND_FLOOR))


def tally(data: TallyInput) -> SessionTally:
    entry: list[str] = _ballot_problems(data)  # numbers that cannot be true: refused on entry
    later: list[str] = []  # what only blocks finalising
    results = {c.nomination_id: _judge(c, data) for c in data.candidates}
    for candidate in data.candidates:
        bound = _vote_bound_problem(candidate, data)
        if bound:
            entry.append(bound)
        elif results[candidate.nomination_id].base is None:
            later.append(f"«{candidate.name}» ({award_label(candidate.award_code)}): ngưỡng biểu "
                         "quyết tính trên số phiếu hợp lệ; hãy ghi số phiếu phát ra, thu về và hợp lệ.")

    quotas = _quotas(data, results)
    ranked: dict[int, CandidateResult] = {}
    for code in dict.fromkeys(c.award_code for c in data.candidates):
        quota = next((q.quota for q in quotas if q.award_code == code), None)
        rows, problem = _rank(code, [results[c.nomination_id] for c in data.candidates
                                     if c.award_code == code], quota)
        ranked.update(rows)
        if problem:
            later.append(problem)
    if not data.candidates:
        later.append("Phiên họp chưa có đề nghị nào để biểu quyết.")
    total = data.members_total
    return SessionTally(
        members_total=total, members_present=data.members_present,
        quorum_percent=data.quorum_percent, quorum_needed=quorum_needed(total, data.quorum_percent),
        quorum_met=_quorum_met(data), ballots_issued=data.ballots_issued,
        ballots_returned=data.ballots_returned, ballots_valid=data.ballots_valid,
        candidates=tuple(ranked[c.nomination_id] for c in data.candidates),
        quotas=tuple(quotas), problems=(*_attendance_problems(data), *entry, *later),
        entry_problems=tuple(entry))


def _quorum_met(data: TallyInput) -> bool:
    return data.members_total > 0 and (
        Decimal(data.members_present) * 100 >= data.quorum_percent * data.members_total)


def _attendance_problems(data: TallyInput) -> list[str]:
    if data.members_total <= 0:
        return ["Phiên họp chưa có thành viên Hội đồng nào."]
    if _quorum_met(data):
        return []
    return [f"Không đủ số thành viên dự họp: có mặt {data.members_present}/{data.members_total}, "
            f"cần ít nhất {quorum_needed(data.members_total, data.quorum_percent)} "
            f"(từ {format_percent(data.quorum_percent)}% tổng số thành viên Hội đồng)."]


def _ballot_problems(data: TallyInput) -> list[str]:
    issued, returned, valid = data.ballots_issued, data.ballots_returned, data.ballots_valid
    problems = []
    if issued is not None and issued > data.members_present:
        problems.append(f"Số phiếu phát ra ({issued}) nhiều hơn số thành viên có mặt "
                        f"({data.members_present}).")
    if issued is not None and returned is not None and returned > issued:
        problems.append(f"Số phiếu thu về ({returned}) nhiều hơn số phiếu phát ra ({issued}).")
    if returned is not None and valid is not None and valid > returned:
        problems.append(f"Số phiếu hợp lệ ({valid}) nhiều hơn số phiếu thu về ({returned}).")
    return problems


def _base(threshold: VoteThreshold, data: TallyInput) -> int | None:
    return {"total_members": data.members_total, "present": data.members_present,
            "valid_ballots": data.ballots_valid}[threshold.denominator]


def _priority(candidate: Candidate) -> int:
    """The tie rule's order: 0 a woman, 1 a collective with ≥ 70 % women, 2 anyone else."""
    return 0 if candidate.is_female else 1 if candidate.female_collective else 2


_PRIORITY_WORDS = {0: "nữ", 1: f"tập thể từ {FEMALE_COLLECTIVE_PERCENT}% nữ", 2: ""}


def _judge(candidate: Candidate, data: TallyInput) -> CandidateResult:
    threshold = data.thresholds[candidate.award_code]
    base = _base(threshold, data)
    passed = base is not None and threshold.met(candidate.votes, base)
    percent = Decimal(candidate.votes) * 100 / base if base else None
    reason = ""
    if not passed:
        shown = f"{candidate.votes}/{base} phiếu ({format_percent(percent)}%)" if percent is not None \
            else f"{candidate.votes} phiếu"
        reason = f"Không đạt ngưỡng biểu quyết: {shown}, cần {threshold.label()}"
    return CandidateResult(candidate, threshold, base,
                           None if percent is None else percent.quantize(Decimal("0.01"), ROUND_HALF_UP),
                           passed, None, None, _PRIORITY_WORDS[_priority(candidate)], reason)


def _vote_bound_problem(candidate: Candidate, data: TallyInput) -> str:
    who = f"«{candidate.name}» ({award_label(candidate.award_code)})"
    if candidate.votes < 0:
        return f"Số phiếu đồng ý của {who} không được âm."
    if data.ballots_valid is not None:
        if candidate.votes > data.ballots_valid:
            return (f"Số phiếu đồng ý của {who} ({candidate.votes}) nhiều hơn số phiếu hợp lệ "
                    f"({data.ballots_valid}).")
    elif candidate.votes > data.members_present:
        return (f"Số phiếu đồng ý của {who} ({candidate.votes}) nhiều hơn số thành viên có mặt "
                f"({data.members_present}).")
    return ""


def _quotas(data: TallyInput, results: Mapping[int, CandidateResult]) -> list[QuotaResult]:
    quotas = [QuotaResult(code, quota, False, "") for code, quota in data.quotas.items()]
    has_cstdcs = any(c.award_code == CSTDCS for c in data.candidates)
    ldtt = [r for r in results.values() if r.candidate.award_code == LDTT]
    if (has_cstdcs and CSTDCS not in data.quotas and data.cstdcs_quota_percent is not None
            and ldtt):
        passing = sum(r.passed for r in ldtt)
        quota = default_cstdcs_quota(passing, data.cstdcs_quota_percent)
        quotas.append(QuotaResult(
            CSTDCS, quota, True,
            f"{format_percent(data.cstdcs_quota_percent)}% của {passing} Lao động tiên tiến đạt "
            f"ngưỡng trong phiên, làm tròn xuống: {quota}"))
    return quotas


def _rank(code: str, results: list[CandidateResult],
          quota: int | None) -> tuple[dict[int, CandidateResult], str]:
    """The award's results with rank and quota filled in, and the boundary-tie problem if any."""
    def key(result: CandidateResult) -> tuple[int, int]:
        return (-result.candidate.votes, _priority(result.candidate))

    passing = sorted((r for r in results if r.passed), key=key)
    keys = [key(r) for r in passing]
    rows = {r.candidate.nomination_id: r for r in results}
    tied: list[CandidateResult] = []
    if quota is not None and 0 < quota < len(passing) and keys[quota - 1] == keys[quota]:
        tied = [r for r in passing if key(r) == keys[quota]]
    tied_ids = {r.candidate.nomination_id for r in tied}
    for result in passing:
        rank = 1 + sum(k < key(result) for k in keys)
        at_boundary = result.candidate.nomination_id in tied_ids
        inside = quota is None or (rank <= quota and not at_boundary)
        reason = "" if inside else (
            f"Bằng phiếu ở ranh giới chỉ tiêu: xếp thứ {rank}, chỉ tiêu {quota}" if at_boundary
            else f"Ngoài chỉ tiêu: xếp thứ {rank}, chỉ tiêu {quota}")
        rows[result.candidate.nomination_id] = CandidateResult(
            result.candidate, result.threshold, result.base, result.percent, True, rank, inside,
            result.priority, reason)
    problem = ""
    if tied:
        names = ", ".join(f"«{r.candidate.name}»" for r in tied)
        problem = (f"{award_label(code)}: {names} cùng {tied[0].candidate.votes} phiếu ở ranh giới "
                   f"chỉ tiêu {quota}, quy tắc ưu tiên (nữ, rồi tập thể có từ "
                   f"{FEMALE_COLLECTIVE_PERCENT}% nữ) không phân định được; Hội đồng phải biểu "
                   "quyết lại giữa những đề nghị này.")
    return rows, problem
