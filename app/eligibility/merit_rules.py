"""Forms of commendation: Giấy khen of the commune chairman and Bằng khen of the provincial
chairman, each by route (tuyến xét): the achievement it rewards decides which criteria apply.
"""

from __future__ import annotations

from app.eligibility.context import MERIT_BASES, Context, years_text
from app.eligibility.individual_rules import RATED_STAFF
from app.eligibility.outcome import Check, Status

SIMPLIFIED = "Luật 06/2022/QH15 Điều 85"


def _summary(ctx: Context, source: str) -> Check:
    if ctx.request.facts.achievement_summary.strip():
        return Check("summary", Status.PASSED, "Có báo cáo tóm tắt thành tích.", source)
    return Check("summary", Status.UNKNOWN, "Chưa có tóm tắt thành tích.", source)


def _sudden(ctx: Context, source: str) -> list[Check]:
    """A sudden, outstanding feat (đột xuất), by the simplified procedure (L2022 Điều 85)."""
    facts = ctx.request.facts
    checks = [ctx.pending_review(), _summary(ctx, SIMPLIFIED)]
    if facts.event_date is None:
        checks.append(Check("event_date", Status.UNKNOWN, "Chưa ghi ngày lập thành tích đột xuất.",
                            SIMPLIFIED))
    elif facts.event_date > ctx.request.decision_date:
        checks.append(Check("event_date", Status.FAILED,
                            f"Ngày lập thành tích {facts.event_date:%d/%m/%Y} sau ngày quyết định.", SIMPLIFIED))
    else:
        checks.append(Check("event_date", Status.PASSED,
                            f"Thành tích đột xuất ngày {facts.event_date:%d/%m/%Y}.", SIMPLIFIED))
        checks.append(ctx.discipline_at(facts.event_date))
    checks.append(Check("merit_clear", Status.REVIEW,
                        "Thành tích đột xuất, tiêu biểu, rõ ràng; khen kịp thời để động viên, phục vụ yêu "
                        "cầu chính trị.", source))
    return checks


def gk_annual(ctx: Context) -> list[Check]:
    """L2022 Điều 75 (k2: criteria detailed by the province; minimum rating is a setting)."""
    source = ctx.article(75)
    checks = [ctx.pending_review()]
    if ctx.subject.kind == "individual":
        checks.append(ctx.discipline([ctx.year]))
    rated = ctx.subject.kind == "collective" or (
        ctx.subject.kind == "individual" and ctx.subject.employment in RATED_STAFF)
    if rated:
        checks.append(ctx.rating_at_least(ctx.year, str(ctx.settings.value("gk_min_rating")), source))
    checks.append(Check("gk_criteria", Status.REVIEW,
                        "Có thành tích trong thực hiện nhiệm vụ được giao theo tiêu chuẩn của tỉnh.", source))
    checks.append(ctx.once("GK_XA", [ctx.year], MERIT_BASES))
    return checks


def gk_sudden(ctx: Context) -> list[Check]:
    return _sudden(ctx, ctx.article(75))


def gk_thematic(ctx: Context) -> list[Check]:
    """A thematic or periodic movement (thi đua theo chuyên đề); not a basis for merit awards."""
    source = ctx.article(75)
    movement = ctx.request.facts.movement.strip()
    checks = [ctx.pending_review()]
    if ctx.subject.kind == "individual":
        checks.append(ctx.discipline([ctx.year]))
    if movement:
        checks.append(Check("movement", Status.PASSED, f"Thành tích trong phong trào “{movement}”.", source))
    else:
        checks.append(Check("movement", Status.UNKNOWN, "Chưa ghi phong trào thi đua theo chuyên đề.", source))
    checks.append(_summary(ctx, source))
    return checks


def gk_household(ctx: Context) -> list[Check]:
    """Giấy khen for a household with N consecutive 'Gia đình văn hóa' years (N a setting);
    years already used for an earlier Giấy khen do not count again (L2022 Điều 5 k2)."""
    length = int(ctx.settings.value("gk_household_gdvh_years"))  # type: ignore[arg-type]
    years = range(ctx.year - length + 1, ctx.year + 1)
    return [ctx.pending_review(),
            ctx.streak("GDVH", years, f"{ctx.article(75, 'k2')} (tiêu chuẩn của tỉnh)"),
            ctx.once("GK_XA", years, MERIT_BASES)]


def bk_two_cstdcs(ctx: Context) -> list[Check]:
    """L2022 Điều 74 k1 d: two consecutive years Chiến sĩ thi đua cơ sở."""
    years = range(ctx.year - 1, ctx.year + 1)
    source = ctx.article(74, "k1 d")
    checks = [ctx.pending_review(), ctx.streak("CSTDCS", years, source)]
    cited = ctx.cited_bases()
    if cited:
        checks.append(cited)
    checks.append(ctx.once("BK_TINH", years, MERIT_BASES))
    return checks


def bk_initiatives(ctx: Context) -> list[Check]:
    """L2022 Điều 74 k1 d: HTXS two consecutive years with two initiatives recognised and
    applied at base level (or two accepted research topics) in those years."""
    years = range(ctx.year - 1, ctx.year + 1)
    source = ctx.article(74, "k1 d")
    checks = [ctx.pending_review()]
    checks += [ctx.rating_at_least(year, "htxs", source, code=f"rating_{year}") for year in years]
    checks.append(ctx.discipline(years))
    found = [i for i in ctx.subject.initiatives if i.year in years]
    if len(found) >= 2:
        checks.append(Check("initiatives", Status.PASSED,
                            f"Có {len(found)} sáng kiến, đề tài được công nhận trong các năm {years_text(years)}.",
                            source))
    else:
        checks.append(Check("initiatives", Status.FAILED,
                            f"Chỉ có {len(found)} sáng kiến, đề tài được công nhận trong các năm "
                            f"{years_text(years)}; cần 2.", source))
    cited = ctx.cited_bases()
    if cited:
        checks.append(cited)
    checks.append(ctx.once("BK_TINH", years, MERIT_BASES))
    return checks


def bk_sudden(ctx: Context) -> list[Check]:
    return _sudden(ctx, f"{ctx.article(74, 'k1')} (thành tích đột xuất; điểm cụ thể chưa xác nhận)")
