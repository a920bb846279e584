"""Individual titles: Lao động tiên tiến, Chiến sĩ thi đua cơ sở, CSTĐ tỉnh, CSTĐ toàn quốc."""

from __future__ import annotations

from app.eligibility.context import Context, label
from app.eligibility.outcome import Check, Status

# Employment groups judged by L2022 Điều 24 k1 (rated staff) rather than k3 (farmers,
# workers and others, judged on their work and community life, without a rating).
RATED_STAFF = frozenset({"can_bo", "cong_chuc", "vien_chuc", "nguoi_lao_dong"})


def ldtt(ctx: Context) -> list[Check]:
    """L2022 Điều 24 (Law 2003 Điều 24 before 2024); exclusions of TT 01/2024 / NĐ 91/2017."""
    checks = [ctx.pending_review(), ctx.discipline([ctx.year])]
    checks += _ldtt_criteria(ctx)
    checks.append(ctx.once("LDTT", [ctx.year]))
    return checks


def _ldtt_criteria(ctx: Context) -> list[Check]:
    employment = ctx.subject.employment
    if employment is None:
        return [Check("employment", Status.UNKNOWN,
                      "Chưa ghi đối tượng (cán bộ, công chức, viên chức, người lao động hay công nhân, "
                      "nông dân…) để biết xét theo tiêu chuẩn nào.", ctx.article(24))]
    if employment not in RATED_STAFF:
        return [Check("work_results", Status.REVIEW,
                      "Lao động, sản xuất có hiệu quả, tích cực tham gia phong trào thi đua và hoạt động "
                      "xã hội; chấp hành tốt chủ trương, pháp luật, có lối sống lành mạnh.",
                      ctx.article(24, "k3"))]
    months_source = ("NĐ 91/2017/NĐ-CP" if ctx.rule_set.is_old_law
                     else "TT 01/2024/TT-BNV; " + ctx.principle(5))
    return [
        ctx.rating_at_least(ctx.year, "tot", ctx.article(24, "k1 a")),
        ctx.working_time(ctx.year, months_source),
        Check("conduct", Status.REVIEW,
              "Có tinh thần tự lực, tự cường, đoàn kết, tương trợ, tích cực tham gia phong trào thi đua.",
              ctx.article(24, "k1 b")),
    ]


def cstdcs(ctx: Context) -> list[Check]:
    """L2022 Điều 23: LĐTT criteria and HTXS or a recognised initiative; before 2024 the
    initiative (or research) was required and the unit's quota applied (NĐ 91/2017 Điều 9 k3)."""
    checks = [ctx.pending_review(), ctx.discipline([ctx.year])]
    checks += _ldtt_criteria(ctx)
    checks.append(_excellence(ctx))
    quota = ctx.settings.value("cstdcs_quota_percent")
    if quota is not None:
        checks.append(Check("quota", Status.REVIEW,
                            f"Số Chiến sĩ thi đua cơ sở không quá {quota}% số Lao động tiên tiến của "
                            f"đơn vị (Hội đồng đối chiếu khi bình xét).",
                            "NĐ 91/2017/NĐ-CP Điều 9 k3" if ctx.rule_set.is_old_law
                            else "Thiết lập của tỉnh"))
    checks.append(ctx.once("CSTDCS", [ctx.year]))
    return checks


def _excellence(ctx: Context) -> Check:
    year = ctx.year
    initiatives = [i for i in ctx.subject.initiatives if i.year == year]
    rating = ctx.subject.rating_in(year)
    source = ctx.article(23)
    if initiatives:
        return Check("excellence", Status.PASSED,
                     f"Có sáng kiến được công nhận năm {year}: “{initiatives[0].title}”.", source)
    if ctx.rule_set.is_old_law:
        return Check("excellence", Status.FAILED,
                     f"Năm {year} chưa có sáng kiến, đề tài được công nhận; theo luật trước 2024 "
                     f"Chiến sĩ thi đua cơ sở phải có sáng kiến.", source)
    if rating == "htxs":
        return Check("excellence", Status.PASSED,
                     f"Năm {year} hoàn thành xuất sắc nhiệm vụ (không bắt buộc có sáng kiến).", source)
    if rating is None and ctx.subject.employment not in RATED_STAFF:
        return Check("excellence", Status.FAILED,
                     f"Năm {year} chưa có sáng kiến, đề tài được công nhận (người không thuộc diện xếp "
                     f"loại nhiệm vụ cần có sáng kiến).", source)
    if rating is None:
        return Check("excellence", Status.UNKNOWN,
                     f"Chưa có xếp loại năm {year} và chưa có sáng kiến được công nhận năm {year}.", source)
    return Check("excellence", Status.FAILED,
                 f"Năm {year} không hoàn thành xuất sắc nhiệm vụ và không có sáng kiến được công nhận.",
                 source)


def cstd_province(ctx: Context) -> list[Check]:
    """L2022 Điều 22: three consecutive CSTĐCS and an initiative with province-wide effect."""
    years = range(ctx.year - 2, ctx.year + 1)
    checks = [ctx.pending_review(), ctx.streak("CSTDCS", years, ctx.article(22))]
    checks.append(_initiative_in(ctx, years, ("province", "national"), "toàn tỉnh", ctx.article(22)))
    checks.append(Check("outstanding", Status.REVIEW,
                        "Có thành tích tiêu biểu xuất sắc trong số những người đạt 3 lần liên tục "
                        "Chiến sĩ thi đua cơ sở.", ctx.article(22)))
    cited = ctx.cited_bases()
    if cited:
        checks.append(cited)
    checks.append(ctx.once("CSTD_TINH", years))
    return checks


def cstd_national(ctx: Context) -> list[Check]:
    """L2022 Điều 21: two consecutive CSTĐ tỉnh and an initiative with nationwide effect."""
    years = range(ctx.year - 5, ctx.year + 1)
    wanted = f"2 lần liên tục {label('CSTD_TINH')} (năm {ctx.year - 3} và {ctx.year})"
    checks = [ctx.pending_review()]
    problems = [ctx.title_counts("CSTD_TINH", end, wanted, ctx.article(21)) for end in (ctx.year - 3, ctx.year)]
    problem = next((p for p in problems if p is not None), None)
    checks.append(problem or Check("streak", Status.PASSED, f"Đủ {wanted}.", ctx.article(21)))
    checks.append(ctx.discipline(years))
    checks.append(_initiative_in(ctx, years, ("national",), "toàn quốc", ctx.article(21)))
    cited = ctx.cited_bases()
    if cited:
        checks.append(cited)
    checks.append(ctx.once("CSTD_TQ", years))
    return checks


def _initiative_in(ctx: Context, years: range, scopes: tuple[str, ...], scope_text: str,
                   source: str) -> Check:
    found = [i for i in ctx.subject.initiatives if i.year in years and i.scope in scopes]
    span = f"{years.start}–{years.stop - 1}"
    if found:
        return Check("initiative_scope", Status.PASSED,
                     f"Có sáng kiến, đề tài phạm vi ảnh hưởng {scope_text} (“{found[0].title}”, "
                     f"năm {found[0].year}).", source)
    return Check("initiative_scope", Status.FAILED,
                 f"Chưa có sáng kiến, đề tài được công nhận có phạm vi ảnh hưởng {scope_text} "
                 f"trong các năm {span}.", source)
