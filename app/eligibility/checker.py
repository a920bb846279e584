"""Judge one request: choose the rule set by decision date, run the award's rules, add the
authority, the dossier parts and the reward money.

    outcome = check(request, snapshot, RuleSettings(request.decision_date, entries))

Bad input (unknown award code, a date outside every rule set, contradictory history, a
subject of the wrong kind) raises `app.errors.ValidationError` with a Vietnamese message;
it never yields a verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from dataclasses import replace

from app.catalogue import AWARDS, BASIS_KINDS, DISCIPLINE_FORMS, RATINGS, SUBJECT_KINDS
from app.eligibility import collective_rules, community_rules, individual_rules, merit_rules
from app.eligibility.context import Context, label
from app.eligibility.dossier import dossier_parts
from app.eligibility.outcome import Authority, Check, Outcome, Status, Verdict, verdict_of
from app.eligibility.request import DECIDE, PROPOSE, CheckRequest
from app.eligibility.reward import reward_for
from app.eligibility.rule_sets import RuleSet, authority, rule_set_on
from app.eligibility.rule_settings import BY_KEY, RuleSettings
from app.eligibility.snapshot import LEAVE_KINDS, SubjectSnapshot
from app.errors import ValidationError

# Raised when a change to the rules could change a verdict; stored with every result.
ENGINE_VERSION = "1"

Rule = Callable[[Context], list[Check]]

# Award code → {route: rules}; the first route is the default. Codes and routes are stable
# (docs/eligibility-check.md).
RULES: dict[str, dict[str, Rule]] = {
    "LDTT": {"annual": individual_rules.ldtt},
    "CSTDCS": {"annual": individual_rules.cstdcs},
    "CSTD_TINH": {"three_cstdcs": individual_rules.cstd_province},
    "CSTD_TQ": {"two_cstd_tinh": individual_rules.cstd_national},
    "TTLDTT": {"annual": collective_rules.ttldtt},
    "TTLDXS": {"annual": collective_rules.ttldxs},
    "CO_TINH": {"cluster": collective_rules.flag_province},
    "GDVH": {"annual": community_rules.gdvh},
    "THON_VH": {"annual": community_rules.village},
    "GK_XA": {"annual": merit_rules.gk_annual, "sudden": merit_rules.gk_sudden,
              "thematic": merit_rules.gk_thematic, "household": merit_rules.gk_household},
    "BK_TINH": {"two_cstdcs": merit_rules.bk_two_cstdcs, "initiatives": merit_rules.bk_initiatives,
                "sudden": merit_rules.bk_sudden},
}
ROUTES: dict[str, tuple[str, ...]] = {code: tuple(routes) for code, routes in RULES.items()}
SUPPORTED: tuple[str, ...] = tuple(RULES)
ROUTE_LABELS = {
    "annual": "Thành tích năm",
    "three_cstdcs": "3 năm liên tục Chiến sĩ thi đua cơ sở và sáng kiến cấp tỉnh",
    "two_cstd_tinh": "2 lần liên tục Chiến sĩ thi đua cấp tỉnh và sáng kiến toàn quốc",
    "cluster": "Dẫn đầu cụm, khối thi đua",
    "sudden": "Thành tích đột xuất (thủ tục đơn giản)",
    "thematic": "Thi đua theo chuyên đề",
    "household": "Hộ nhiều năm liên tục Gia đình văn hóa",
    "two_cstdcs": "Điểm d: 2 năm liên tục Chiến sĩ thi đua cơ sở",
    "initiatives": "Điểm d: 2 năm liên tục hoàn thành xuất sắc nhiệm vụ và 2 sáng kiến",
}
# Routes `check` tries in turn when none is asked for, keeping the first one that passes.
_AUTOMATIC = {"BK_TINH": ("two_cstdcs", "initiatives")}
# Years the rules look at, when more than the achievement year.
_WINDOWS = {"three_cstdcs": 3, "two_cstd_tinh": 6, "two_cstdcs": 2, "initiatives": 2}


def checkable(award_code: str, subject_kind: str) -> bool:
    """Whether the checker has rules for this award and kind of subject. Bằng khen tỉnh is
    checked for individuals only: the criteria for collectives and households (L2022 Điều 74
    k2, k3) could not be confirmed."""
    return (award_code in RULES and subject_kind in AWARDS[award_code].subject_kinds
            and (award_code != "BK_TINH" or subject_kind == "individual"))


def check(request: CheckRequest, subject: SubjectSnapshot, settings: RuleSettings) -> Outcome:
    """The verdict on `request` for `subject` under the rules in force on its decision date.

    The settings are read as they stand on the decision date, whatever date `settings` was
    made for (the base salary is the one in force when the decision is signed)."""
    rule_set = rule_set_on(request.decision_date)
    _validate_request(request, subject)
    validate_history(subject)
    routes = [request.route] if request.route else list(_AUTOMATIC.get(request.award_code, ()))
    if not routes:
        routes = [_default_route(request.award_code, subject)]
    outcomes = [_judge(replace(request, route=route), subject, rule_set, settings.dated(request.decision_date))
                for route in routes]
    for outcome in outcomes:
        if outcome.verdict is Verdict.ELIGIBLE:
            return outcome
    return min(outcomes, key=lambda o: sum(c.status is Status.FAILED for c in o.checks))


def _default_route(award_code: str, subject: SubjectSnapshot) -> str:
    if award_code == "GK_XA" and subject.kind == "household":
        return "household"
    return ROUTES[award_code][0]


def _judge(request: CheckRequest, subject: SubjectSnapshot, rule_set: RuleSet,
           settings: RuleSettings) -> Outcome:
    route = request.route or ROUTES[request.award_code][0]
    context = Context(request, subject, rule_set, settings)
    decider = authority(rule_set, request.award_code)
    action = request.action or (DECIDE if decider.commune_decides else PROPOSE)
    checks = [_authority_check(request, decider, action)]
    if settings.value("registration_required") and route in ("annual",):
        checks.append(_registration(request))
    checks += RULES[request.award_code][route](context)
    window = _WINDOWS.get(route, 1)
    if route == "household":
        window = int(settings.value("gk_household_gdvh_years"))  # type: ignore[arg-type]
    key = f"reporting_years:{request.award_code}"
    wanted = int(settings.value(key)) if key in BY_KEY else 1  # type: ignore[arg-type]
    span = 1 if route == "sudden" else max(window, wanted)
    uses_initiative = route in ("three_cstdcs", "two_cstd_tinh", "initiatives") or (
        request.award_code == "CSTDCS" and any(i.year == request.period_end for i in subject.initiatives))
    checks_tuple = tuple(checks)
    return Outcome(
        request=request,
        verdict=verdict_of(checks_tuple),
        checks=checks_tuple,
        rule_set=rule_set.code,
        rule_set_label=rule_set.label,
        engine_version=ENGINE_VERSION,
        authority=decider,
        action=action,
        route=route,
        reporting_years=tuple(range(request.period_end - span + 1, request.period_end + 1)),
        dossier=dossier_parts(request.award_code, route, subject.kind, uses_initiative, rule_set.is_old_law),
        reward=reward_for(request.award_code, subject.kind, settings, rule_set.is_old_law),
        settings_used=settings.used(),
    )


def _authority_check(request: CheckRequest, decider: Authority, action: str) -> Check:
    """L2022 Điều 80; NĐ 129/2025: a commune decision outside its authority on the date is
    blocked; anything above the commune is proposed to the level that decides."""
    day = f"{request.decision_date:%d/%m/%Y}"
    name = label(request.award_code)
    if decider.decider == "none":
        return Check("authority", Status.FAILED,
                     f"Ngày {day} không còn cấp nào có thẩm quyền quyết định {name}.", decider.basis)
    if action == DECIDE and not decider.commune_decides:
        return Check("authority", Status.FAILED,
                     f"Ngày {day}, Chủ tịch UBND xã không có thẩm quyền quyết định {name}: thuộc thẩm "
                     f"quyền {decider.label}. Hãy lập tờ trình đề nghị.", decider.basis)
    if decider.commune_decides:
        extra = "" if action == DECIDE else " (không cần đề nghị cấp trên)"
        return Check("authority", Status.PASSED,
                     f"Ngày {day}, {name} thuộc thẩm quyền Chủ tịch UBND xã{extra}.", decider.basis)
    return Check("authority", Status.PASSED,
                 f"Xã lập tờ trình đề nghị {decider.label} quyết định {name} (ngày {day}).", decider.basis)


def _registration(request: CheckRequest) -> Check:
    source = "Thiết lập của tỉnh: phải đăng ký thi đua"
    registered = request.facts.registered
    if registered is None:
        return Check("registration", Status.UNKNOWN, "Chưa rõ đã đăng ký thi đua đầu năm hay chưa.", source)
    if registered:
        return Check("registration", Status.PASSED, "Đã đăng ký thi đua đầu năm.", source)
    return Check("registration", Status.FAILED, "Không đăng ký thi đua đầu năm.", source)


def _validate_request(request: CheckRequest, subject: SubjectSnapshot) -> None:
    code = request.award_code
    if code not in AWARDS:
        raise ValidationError(
            f"Không có danh hiệu, hình thức khen thưởng mã “{code}”. Các mã có quy tắc kiểm tra: "
            f"{', '.join(SUPPORTED)}.", "award_code")
    if code not in RULES:
        raise ValidationError(f"Chưa có quy tắc kiểm tra cho “{label(code)}” (mã {code}).", "award_code")
    if subject.kind not in SUBJECT_KINDS:
        raise ValidationError(f"Loại đối tượng “{subject.kind}” không hợp lệ.", "kind")
    kind_label = SUBJECT_KINDS[subject.kind].lower()
    if subject.kind not in AWARDS[code].subject_kinds:
        raise ValidationError(f"“{label(code)}” không xét cho {kind_label}.", "award_code")
    if code == "BK_TINH" and subject.kind != "individual":
        raise ValidationError(
            f"Chưa có quy tắc kiểm tra “{label(code)}” cho {kind_label}: tiêu chuẩn của Luật 06/2022/QH15 "
            f"Điều 74 cho tập thể, hộ gia đình chưa được đối chiếu. Hội đồng xét theo quy định của tỉnh.",
            "award_code")
    if request.route is not None and request.route not in RULES[code]:
        raise ValidationError(
            f"Tuyến xét “{request.route}” không có cho “{label(code)}”; chọn một trong: "
            f"{', '.join(RULES[code])}.", "route")
    if request.route == "household" and subject.kind != "household":
        raise ValidationError("Tuyến xét “household” chỉ dành cho hộ gia đình.", "route")
    if request.action not in (None, DECIDE, PROPOSE):
        raise ValidationError(f"Cách xử lý “{request.action}” không hợp lệ (decide hoặc propose).", "action")
    if request.period_end > request.decision_date.year:
        raise ValidationError(
            f"Năm thành tích {request.period_end} sau ngày quyết định {request.decision_date:%d/%m/%Y}.",
            "period_end")
    if request.period_end < 1945:
        raise ValidationError(f"Năm thành tích {request.period_end} không hợp lệ.", "period_end")


def validate_history(subject: SubjectSnapshot, whose: str = "") -> None:
    """Refuse a history that contradicts itself: the checker must never guess between two."""
    who = whose or subject.name
    seen: dict[int, str] = {}
    for rating in subject.ratings:
        if rating.rating not in RATINGS:
            raise ValidationError(f"Lịch sử của {who}: mức xếp loại “{rating.rating}” không hợp lệ.", "ratings")
        if rating.year in seen:
            raise ValidationError(
                f"Lịch sử của {who} có hai xếp loại cho năm {rating.year}; hãy giữ một.", "ratings")
        seen[rating.year] = rating.rating
    held: dict[tuple[str, int], int] = {}
    for award in subject.awards:
        if award.award_code not in AWARDS:
            raise ValidationError(f"Lịch sử của {who}: mã khen thưởng “{award.award_code}” không có.", "awards")
        if award.basis_kind not in BASIS_KINDS:
            raise ValidationError(f"Lịch sử của {who}: loại thành tích “{award.basis_kind}” không có.", "awards")
        if award.period_start is not None and award.period_start > award.year:
            raise ValidationError(
                f"Lịch sử của {who}: {label(award.award_code)} năm {award.year} có năm bắt đầu "
                f"{award.period_start} sau năm kết thúc.", "awards")
        if award.revoked_on is not None or not AWARDS[award.award_code].is_title:
            continue
        for year in award.years:
            if (award.award_code, year) in held:
                raise ValidationError(
                    f"Lịch sử của {who} ghi {label(award.award_code)} hai lần cho năm {year}; "
                    f"hãy bỏ bản ghi trùng hoặc ghi thu hồi.", "awards")
            held[(award.award_code, year)] = award.year
    for item in subject.disciplines:
        if item.form not in DISCIPLINE_FORMS:
            raise ValidationError(f"Lịch sử của {who}: hình thức kỷ luật “{item.form}” không có.", "disciplines")
        if item.ends_on is not None and item.ends_on < item.decided_on:
            raise ValidationError(
                f"Lịch sử của {who}: kỷ luật ngày {item.decided_on:%d/%m/%Y} kết thúc trước khi bắt đầu.",
                "disciplines")
    for leave in subject.leaves:
        if leave.kind not in LEAVE_KINDS or leave.ends_on < leave.starts_on:
            raise ValidationError(
                f"Lịch sử của {who}: thời gian nghỉ từ {leave.starts_on:%d/%m/%Y} không hợp lệ.", "leaves")
    spans: dict[str, list[tuple[date, date]]] = {}
    for member in subject.members:
        if member.joined_on and member.left_on and member.left_on < member.joined_on:
            raise ValidationError(
                f"Thành viên {member.person.name} rời tập thể trước ngày vào.", "members")
        validate_history(member.person, member.person.name)
        if not member.person.uuid:
            continue
        span = (member.joined_on or date.min, member.left_on or date.max)
        for other in spans.setdefault(member.person.uuid, []):
            if span[0] <= other[1] and other[0] <= span[1]:
                raise ValidationError(
                    f"Thành viên {member.person.name} được ghi hai lần trong cùng thời gian ở {who}; "
                    f"hãy bỏ dòng trùng.", "members")
        spans[member.person.uuid].append(span)
