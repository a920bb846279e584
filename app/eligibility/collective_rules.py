"""Collective titles: Tập thể lao động tiên tiến, Tập thể lao động xuất sắc, Cờ thi đua tỉnh.

Shares of members are compared exactly in whole numbers, never rounded up: 69.9 % is not
70 %. A member counts when they belong to the collective at the end of the year; one who
holds Chiến sĩ thi đua cơ sở counts as Lao động tiên tiến too (L2022 Điều 23 k1 makes the
LĐTT criteria part of CSTĐCS).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from app.eligibility.context import RATING_ORDER, SERIOUS_DISCIPLINE, Context
from app.eligibility.outcome import Check, Status
from app.eligibility.snapshot import SubjectSnapshot


def _members(ctx: Context) -> list[SubjectSnapshot]:
    """The people in the collective at the end of the year, each once."""
    people: dict[str, SubjectSnapshot] = {}
    for number, member in enumerate(ctx.subject.members):
        if member.belongs_at_end_of(ctx.year):
            people.setdefault(member.person.uuid or f"#{number}", member.person)
    return list(people.values())


def _holds(person: SubjectSnapshot, codes: tuple[str, ...], year: int) -> bool:
    return any(a.award_code in codes and a.year == year and a.revoked_on is None for a in person.awards)


def _percent(part: int, whole: int) -> str:
    share = (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return f"{share.normalize():f}".replace(".", ",")


def _no_members(ctx: Context, source: str) -> Check:
    return Check("members", Status.UNKNOWN,
                 f"Chưa có danh sách thành viên của tập thể vào cuối năm {ctx.year}.", source)


def _ldtt_share(ctx: Context, people: list[SubjectSnapshot], minimum: Decimal, strict: bool,
                source: str) -> Check:
    holders = sum(_holds(p, ("LDTT", "CSTDCS"), ctx.year) for p in people)
    share, needed = Decimal(holders) * 100, minimum * len(people)
    met = share > needed if strict else share >= needed
    relation = "trên" if strict else "ít nhất"
    text = (f"{holders}/{len(people)} thành viên ({_percent(holders, len(people))}%) đạt Lao động tiên "
            f"tiến năm {ctx.year}; cần {relation} {minimum}%.")
    return Check("ldtt_share", Status.PASSED if met else Status.FAILED, text, source)


def _serious_discipline(ctx: Context, people: list[SubjectSnapshot], source: str) -> Check:
    for person in people:
        for item in person.disciplines:
            in_year = item.decided_on.year <= ctx.year and (
                item.ends_on is None or item.ends_on.year >= ctx.year)
            if item.form in SERIOUS_DISCIPLINE and in_year:
                return Check("members_discipline", Status.FAILED,
                             f"Thành viên {person.name} bị kỷ luật từ cảnh cáo trở lên trong năm {ctx.year}.",
                             source)
    return Check("members_discipline", Status.PASSED,
                 f"Không có thành viên bị kỷ luật từ cảnh cáo trở lên trong năm {ctx.year}.", source)


def ttldtt(ctx: Context) -> list[Check]:
    """L2022 Điều 28 (wording unconfirmed; the old-law text is used): good task completion,
    more than 50 % of members LĐTT (a setting), nobody disciplined at 'cảnh cáo' or above."""
    source = ctx.article(28)
    checks = [ctx.pending_review(),
              ctx.rating_at_least(ctx.year, "tot", source, code="collective_rating")]
    people = _members(ctx)
    if not people:
        checks.append(_no_members(ctx, source))
    else:
        minimum = ctx.settings.value("ttldtt_min_ldtt_percent")
        checks.append(_ldtt_share(ctx, people, minimum, True, source))  # type: ignore[arg-type]
        checks.append(_serious_discipline(ctx, people, source))
    checks.append(Check("unity", Status.REVIEW,
                        "Nội bộ đoàn kết, chấp hành tốt chủ trương, chính sách, pháp luật; thi đua "
                        "thường xuyên, thiết thực, hiệu quả.", source))
    checks.append(ctx.once("TTLDTT", [ctx.year]))
    return checks


def ttldxs(ctx: Context) -> list[Check]:
    """L2022 Điều 27: HTXS; 100 % of members complete their tasks and at least 70 % are LĐTT;
    at least one CSTĐCS; unity and exemplary compliance."""
    source = ctx.article(27)
    checks = [ctx.pending_review()]
    collective = ctx.subject.rating_in(ctx.year)
    if collective is None:
        checks.append(Check("collective_rating", Status.UNKNOWN,
                            f"Chưa có xếp loại năm {ctx.year} của tập thể (cần hoàn thành xuất sắc nhiệm vụ).",
                            source))
    else:
        checks.append(ctx.rating_at_least(ctx.year, "htxs", source, code="collective_rating"))
    people = _members(ctx)
    if not people:
        checks.append(_no_members(ctx, source))
    else:
        checks.append(_all_complete(ctx, people, source))
        checks.append(_ldtt_share(ctx, people, Decimal(70), False, source))
        checks.append(_has_cstdcs(ctx, people, source))
        if ctx.settings.value("ttldxs_bars_disciplined_members"):
            checks.append(_serious_discipline(ctx, people, source))
    checks.append(Check("unity", Status.REVIEW,
                        "Phong trào thi đua thường xuyên, thiết thực, hiệu quả; nội bộ đoàn kết, gương mẫu "
                        "chấp hành chủ trương, chính sách, pháp luật.", source))
    checks.append(ctx.once("TTLDXS", [ctx.year]))
    return checks


def _all_complete(ctx: Context, people: list[SubjectSnapshot], source: str) -> Check:
    unrated = [p.name for p in people if p.rating_in(ctx.year) is None]
    failing = [p.name for p in people
               if p.rating_in(ctx.year) is not None and RATING_ORDER[p.rating_in(ctx.year)] < 1]
    if failing:
        return Check("members_complete", Status.FAILED,
                     f"{len(failing)} thành viên không hoàn thành nhiệm vụ năm {ctx.year} "
                     f"({', '.join(failing[:3])}{'…' if len(failing) > 3 else ''}); cần 100% hoàn thành.",
                     source)
    if unrated:
        return Check("members_complete", Status.UNKNOWN,
                     f"Chưa có xếp loại năm {ctx.year} của {len(unrated)} thành viên "
                     f"({', '.join(unrated[:3])}{'…' if len(unrated) > 3 else ''}).", source)
    return Check("members_complete", Status.PASSED,
                 f"100% thành viên ({len(people)}/{len(people)}) hoàn thành nhiệm vụ năm {ctx.year}.", source)


def _has_cstdcs(ctx: Context, people: list[SubjectSnapshot], source: str) -> Check:
    holders = [p.name for p in people if _holds(p, ("CSTDCS",), ctx.year)]
    if holders:
        return Check("has_cstdcs", Status.PASSED,
                     f"Có {len(holders)} thành viên đạt Chiến sĩ thi đua cơ sở năm {ctx.year}.", source)
    return Check("has_cstdcs", Status.FAILED,
                 f"Không có thành viên nào đạt Chiến sĩ thi đua cơ sở năm {ctx.year}.", source)


def flag_province(ctx: Context) -> list[Check]:
    """L2022 Điều 26: for the collective leading its provincial cluster or bloc (cụm, khối)."""
    source = ctx.article(26)
    facts = ctx.request.facts
    checks = [ctx.pending_review()]
    cluster = f" {facts.cluster_name}" if facts.cluster_name else ""
    if facts.cluster_leading is None:
        checks.append(Check("cluster", Status.UNKNOWN,
                            f"Chưa có kết quả chấm điểm, xếp hạng của cụm, khối thi đua{cluster} năm {ctx.year}.",
                            source))
    elif facts.cluster_leading:
        checks.append(Check("cluster", Status.PASSED,
                            f"Dẫn đầu cụm, khối thi đua{cluster} năm {ctx.year}.", source))
    else:
        checks.append(Check("cluster", Status.FAILED,
                            f"Không phải đơn vị dẫn đầu cụm, khối thi đua{cluster} năm {ctx.year}.", source))
    checks.append(Check("flag_criteria", Status.REVIEW,
                        "Hoàn thành vượt mức chỉ tiêu, là điển hình tiên tiến; nội bộ đoàn kết (tiêu chuẩn chi "
                        "tiết theo quy định của tỉnh).", source))
    checks.append(ctx.once("CO_TINH", [ctx.year]))
    return checks

