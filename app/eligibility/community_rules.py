"""Household and village titles: Gia đình văn hóa, Thôn / tổ dân phố văn hóa (NĐ 86/2023).

The criteria themselves (NĐ 86 framework, detailed by the province) are assessed by the
village head with the Front committee, or by the commune council; the checker records
that assessment and the public posting the decree requires before the decision.
"""

from __future__ import annotations

from datetime import date

from app.eligibility.context import Context
from app.eligibility.outcome import Check, Status

NOTICE_DAYS = 10  # NĐ 86/2023 Điều 7: list posted (households) or consulted (villages) 10 days


ND86_FROM = date(2024, 1, 30)  # NĐ 86/2023 in force; NĐ 122/2018 framed these titles before


def _framework(ctx: Context, clause: str) -> str:
    if ctx.request.decision_date < ND86_FROM:
        return "NĐ 122/2018/NĐ-CP"
    return f"NĐ 86/2023/NĐ-CP {clause}"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _assessment(ctx: Context, who: str, source: str) -> Check:
    passed = ctx.request.facts.assessment_passed
    if passed is None:
        return Check("assessment", Status.UNKNOWN,
                     f"Chưa có kết quả bình xét của {who} năm {ctx.year}.", source)
    if passed:
        return Check("assessment", Status.PASSED,
                     f"{_upper_first(who)} đã bình xét, đạt các tiêu chí năm {ctx.year}.", source)
    return Check("assessment", Status.FAILED,
                 f"{_upper_first(who)} bình xét chưa đạt các tiêu chí năm {ctx.year}.", source)


def _notice(ctx: Context, what: str, source: str) -> Check:
    days = ctx.request.facts.public_notice_days
    if days is None:
        return Check("public_notice", Status.UNKNOWN,
                     f"Chưa ghi số ngày {what} (cần ít nhất {NOTICE_DAYS} ngày).", source)
    if days >= NOTICE_DAYS:
        return Check("public_notice", Status.PASSED, f"Đã {what} {days} ngày.", source)
    return Check("public_notice", Status.FAILED,
                 f"Mới {what} {days} ngày, cần ít nhất {NOTICE_DAYS} ngày.", source)


def gdvh(ctx: Context) -> list[Check]:
    """NĐ 86/2023 Điều 7 k1: assessed by the village head, list posted publicly 10 days."""
    source = _framework(ctx, "Điều 7 k1")
    return [
        ctx.pending_review(),
        _assessment(ctx, "trưởng thôn (tổ trưởng tổ dân phố) và Ban công tác Mặt trận", source),
        _notice(ctx, "niêm yết công khai danh sách", source),
        ctx.once("GDVH", [ctx.year]),
    ]


def village(ctx: Context) -> list[Check]:
    """L2022 Điều 30; NĐ 86/2023 Điều 7–8: council assessment, 10-day public consultation."""
    source = _framework(ctx, "Điều 7, 8")
    return [
        ctx.pending_review(),
        _assessment(ctx, "Hội đồng Thi đua - Khen thưởng xã", f"{ctx.article(30)}; {source}"),
        _notice(ctx, "lấy ý kiến công khai", source),
        ctx.once("THON_VH", [ctx.year]),
    ]
