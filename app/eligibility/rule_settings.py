"""Values the law leaves to the province or that could not be confirmed, as dated settings.

Each setting has documented defaults, each with the date it takes effect; the officer adds
values with their own effective date (stored by `app/rule_setting_service.py`). On a given
date the value with the latest effective date not after it wins; on equal dates the
officer's value wins over the default. The list and its sources are in
docs/eligibility-check.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from app.catalogue import AWARDS, RATINGS
from app.errors import ValidationError

UNCONFIRMED = "chưa xác nhận được văn bản gốc; giá trị mặc định, cán bộ sửa theo quy định của tỉnh"

DENOMINATORS = {
    "total_members": "tổng số thành viên Hội đồng",
    "present": "số thành viên có mặt",
    "valid_ballots": "số phiếu hợp lệ",
}


@dataclass(frozen=True)
class VoteThreshold:
    """At least (or more than, when `strict`) `percent` % of `denominator` must agree."""

    percent: Decimal
    denominator: str  # DENOMINATORS
    strict: bool = False

    def text(self) -> str:
        return f"{'>' if self.strict else '>='}{self.percent}% {self.denominator}"

    def label(self) -> str:
        relation = "trên" if self.strict else "từ"
        percent = f"{self.percent.normalize():f}".replace(".", ",")
        return f"{relation} {percent}% {DENOMINATORS[self.denominator]}"

    def met(self, votes: int, base: int) -> bool:
        """Whether `votes` out of `base` reach the threshold, compared exactly (no rounding)."""
        if base <= 0:
            return False
        share, needed = Decimal(votes) * 100, self.percent * base
        return share > needed if self.strict else share >= needed


_THRESHOLD = re.compile(r"^(>=|>)(\d+(?:\.\d+)?)% (total_members|present|valid_ballots)$", re.ASCII)
# Plain ASCII numbers only: int() and Decimal() would also take "1_000", "Infinity" or other scripts' digits.
_WHOLE = re.compile(r"^\d+$", re.ASCII)
_DECIMAL = re.compile(r"^\d+(?:\.\d+)?$", re.ASCII)

# Value kinds and how their text is read.
INT, PERCENT, OPTIONAL_PERCENT, MONEY, COEFFICIENT, BOOL, RATING, THRESHOLD = (
    "int", "percent", "optional_percent", "money", "coefficient", "bool", "rating", "threshold")


@dataclass(frozen=True)
class Default:
    effective_from: date
    value: str  # the setting's text form
    source: str  # where the value comes from, or UNCONFIRMED


@dataclass(frozen=True)
class SettingDefinition:
    key: str
    label: str
    kind: str
    defaults: tuple[Default, ...]
    unit: str = ""
    minimum: int = 0  # smallest value that makes sense (a streak of 0 years would pass anything)

    def check(self, value: object) -> None:
        """ValidationError when a parsed value is below the minimum."""
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value < self.minimum:
            raise ValidationError(f"“{self.label}” phải từ {self.minimum} trở lên.", "value")


@dataclass(frozen=True)
class SettingEntry:
    """A value the officer set, effective from a date."""

    key: str
    value: str
    effective_from: date


def parse_value(kind: str, text: str) -> object:
    """The typed value of a setting's text, or a ValidationError in Vietnamese."""
    text = text.strip()
    numeric = {INT: _WHOLE, MONEY: _WHOLE, PERCENT: _DECIMAL, OPTIONAL_PERCENT: _DECIMAL,
               COEFFICIENT: _DECIMAL}.get(kind)
    if numeric is not None and not numeric.match(text) and not (kind == OPTIONAL_PERCENT and text == ""):
        raise ValidationError(f"Giá trị “{text}” không hợp lệ cho loại {KIND_HINTS[kind]}.", "value")
    try:
        if kind == INT:
            value = int(text)
            if value < 0:
                raise ValueError
            return value
        if kind in (PERCENT, OPTIONAL_PERCENT):
            if kind == OPTIONAL_PERCENT and text == "":
                return None
            percent = Decimal(text)
            if not 0 <= percent <= 100:
                raise ValueError
            return percent
        if kind == MONEY:
            money = int(text)
            if money <= 0:
                raise ValueError
            return money
        if kind == COEFFICIENT:
            coefficient = Decimal(text)
            if coefficient < 0:
                raise ValueError
            return coefficient
        if kind == BOOL:
            if text not in ("true", "false"):
                raise ValueError
            return text == "true"
        if kind == RATING:
            if text not in RATINGS:
                raise ValueError
            return text
        if kind == THRESHOLD:
            match = _THRESHOLD.match(text)
            if not match or Decimal(match.group(2)) > 100:
                raise ValueError
            return VoteThreshold(Decimal(match.group(2)), match.group(3), match.group(1) == ">")
    except (ValueError, InvalidOperation):
        pass
    raise ValidationError(f"Giá trị “{text}” không hợp lệ cho loại {KIND_HINTS[kind]}.", "value")


KIND_HINTS = {
    INT: "số nguyên không âm",
    PERCENT: "tỷ lệ phần trăm từ 0 đến 100",
    OPTIONAL_PERCENT: "tỷ lệ phần trăm từ 0 đến 100, hoặc để trống nếu không giới hạn",
    MONEY: "số tiền (đồng) lớn hơn 0",
    COEFFICIENT: "hệ số không âm, dấu chấm thập phân (ví dụ 0.3)",
    BOOL: "true hoặc false",
    RATING: "mã xếp loại (htxs, tot, ht, kht)",
    THRESHOLD: "ngưỡng biểu quyết dạng “>=70% total_members” hoặc “>50% present”",
}

_ALWAYS = date(2017, 1, 1)
_L2022 = date(2024, 1, 1)


def _d(value: str, source: str, since: date = _ALWAYS) -> tuple[Default, ...]:
    return (Default(since, value, source),)


# Council vote thresholds (domain reference §4.4; only the pre-2024 90 % is sourced).
_VOTES = {
    "CSTD_TQ": ">=90% total_members", "CSTD_TINH": ">=90% total_members",
    "CSTDCS": ">=70% total_members",
}
# Reward coefficients of the base salary (NĐ 98/2023 Điều 54; figures reported unchanged
# under NĐ 152/2025). Cờ thi đua tỉnh, Giấy khen, Bằng khen and GĐVH are not confirmed.
_REWARDS_CONFIRMED = {
    "LDTT": "0.3", "CSTDCS": "1.0", "CSTD_TINH": "3.0", "CSTD_TQ": "4.5", "TTLDTT": "0.8",
    "TTLDXS": "1.5", "THON_VH": "1.5", "CO_CP": "12.0",
}
_REWARDS_UNCONFIRMED = {"CO_TINH": "8.0", "GK_XA": "0.3", "BK_TINH": "1.0", "GDVH": "0"}
# Years a báo cáo thành tích covers, ending at the nomination's year (domain reference §6: NĐ
# 98/2023 Phụ lục I notes give 3 for CSTĐ tỉnh, 6 for CSTĐ toàn quốc, 5 for Bằng khen Thủ tướng
# and Huân chương Lao động); Bằng khen tỉnh (2) and every other award (1) are unconfirmed. One
# setting per award, read by the checker (reporting_years of its result) and by the printed
# report's history tables (app/documents/achievement_report.py).
_REPORT_YEARS = {"CSTD_TINH": ("3", "NĐ 98/2023/NĐ-CP Phụ lục I"),
                 "CSTD_TQ": ("6", "NĐ 98/2023/NĐ-CP Phụ lục I"),
                 "BK_TTG": ("5", "NĐ 98/2023/NĐ-CP Phụ lục I"),
                 "HC_LD3": ("5", "NĐ 98/2023/NĐ-CP Phụ lục I"),
                 "BK_TINH": ("2", UNCONFIRMED)}


def _definitions() -> tuple[SettingDefinition, ...]:
    items = [
        SettingDefinition(
            "ldtt_min_months", "Thời gian công tác tối thiểu trong năm để xét Lao động tiên tiến", INT,
            (Default(_ALWAYS, "10", "NĐ 91/2017/NĐ-CP (không xét người tuyển dụng dưới 10 tháng)"),
             Default(_L2022, "6", "TT 01/2024/TT-BNV (dưới 6 tháng); từ 2025 theo TT 15/2025 chưa xác nhận")),
            "tháng"),
        SettingDefinition(
            "cstdcs_quota_percent", "Tỷ lệ tối đa Chiến sĩ thi đua cơ sở so với số Lao động tiên tiến",
            OPTIONAL_PERCENT,
            (Default(_ALWAYS, "15", "NĐ 91/2017/NĐ-CP Điều 9 k3"),
             Default(_L2022, "", "Luật 06/2022/QH15 không giới hạn; tỉnh có thể quy định (chưa xác nhận)")),
            "%"),
        SettingDefinition(
            "registration_required", "Phải đăng ký thi đua đầu năm mới được xét danh hiệu", BOOL,
            _d("false", UNCONFIRMED)),
        SettingDefinition(
            "ttldtt_min_ldtt_percent", "Tập thể lao động tiên tiến: tỷ lệ thành viên đạt LĐTT phải trên",
            PERCENT, _d("50", "Luật TĐKT 2003 Điều 28; Luật 06/2022 Điều 28 chưa xác nhận"), "%"),
        SettingDefinition(
            "ttldxs_bars_disciplined_members",
            "Tập thể lao động xuất sắc: không xét nếu có thành viên bị kỷ luật từ cảnh cáo trở lên", BOOL,
            (Default(_ALWAYS, "true", "Luật TĐKT 2003 Điều 27"),
             Default(_L2022, "false", "không có trong Luật 06/2022 Điều 27; " + UNCONFIRMED))),
        SettingDefinition(
            "gk_min_rating", "Giấy khen thành tích năm: mức xếp loại tối thiểu", RATING,
            _d("tot", "Luật 06/2022/QH15 Điều 75 k2: tỉnh quy định; " + UNCONFIRMED)),
        SettingDefinition(
            "gk_household_gdvh_years", "Giấy khen hộ gia đình: số năm liên tục đạt Gia đình văn hóa", INT,
            _d("3", "thực tiễn (Bộ VHTTDL trả lời 2023); " + UNCONFIRMED), "năm", minimum=1),
        SettingDefinition(
            "public_notice_days", "Số ngày làm việc niêm yết công khai danh sách đề nghị cấp xã", INT,
            _d("5", UNCONFIRMED), "ngày làm việc", minimum=1),
        SettingDefinition(
            "council_quorum_percent",
            "Số thành viên Hội đồng có mặt tối thiểu để phiên họp hợp lệ (tỷ lệ trên tổng số; 2/3 ≈ 66,66)",
            PERCENT, _d("66.66", "thông lệ quy chế Hội đồng TĐKT (2/3 thành viên); " + UNCONFIRMED), "%"),
        SettingDefinition(
            "province_answer_days", "Số ngày làm việc chờ tỉnh giải quyết hồ sơ đề nghị", INT,
            _d("20", "thủ tục hành chính cấp tỉnh công bố năm 2024 (20 ngày làm việc); " + UNCONFIRMED),
            "ngày làm việc", minimum=1),
        SettingDefinition(
            "reward_collective_multiplier", "Tiền thưởng Giấy khen, Bằng khen cho tập thể gấp", COEFFICIENT,
            _d("2", "NĐ 91/2017/NĐ-CP; " + UNCONFIRMED), "lần"),
        SettingDefinition(
            "base_salary", "Mức lương cơ sở", MONEY,
            (Default(date(2017, 7, 1), "1300000", "NĐ 47/2017/NĐ-CP"),
             Default(date(2018, 7, 1), "1390000", "NĐ 72/2018/NĐ-CP"),
             Default(date(2019, 7, 1), "1490000", "NĐ 38/2019/NĐ-CP"),
             Default(date(2023, 7, 1), "1800000", "NĐ 24/2023/NĐ-CP"),
             Default(date(2024, 7, 1), "2340000", "NĐ 73/2024/NĐ-CP")),
            "đồng"),
    ]
    for code, kind in AWARDS.items():
        if code in ("OTHER", "CSTT", "GK_HUYEN"):
            continue
        vote = _VOTES.get(code, ">50% total_members")
        vote_source = "NĐ 91/2017/NĐ-CP Điều 45 k8 (trước 2024); " + UNCONFIRMED if code in (
            "CSTD_TQ", "CSTD_TINH") else UNCONFIRMED
        items.append(SettingDefinition(
            f"vote_threshold:{code}", f"Ngưỡng biểu quyết của Hội đồng: {kind.label}", THRESHOLD,
            _d(vote, vote_source)))
        reward = (_d(_REWARDS_CONFIRMED[code], "NĐ 98/2023/NĐ-CP Điều 54") if code in _REWARDS_CONFIRMED
                  else _d(_REWARDS_UNCONFIRMED[code], UNCONFIRMED) if code in _REWARDS_UNCONFIRMED
                  else None)
        if reward is not None:
            items.append(SettingDefinition(
                f"reward_coefficient:{code}", f"Hệ số tiền thưởng: {kind.label}", COEFFICIENT, reward,
                "lần lương cơ sở"))
        # Every award has a report, the national ones too (they had none before, so their
        # window fell back to 1 year instead of the 5 the reference gives).
        years, source = _REPORT_YEARS.get(code, ("1", UNCONFIRMED))
        items.append(SettingDefinition(
            f"reporting_years:{code}", f"Số năm báo cáo thành tích: {kind.label}", INT,
            _d(years, source), "năm", minimum=1))
    return tuple(items)


DEFINITIONS: tuple[SettingDefinition, ...] = _definitions()
BY_KEY: Mapping[str, SettingDefinition] = {d.key: d for d in DEFINITIONS}


def definition(key: str) -> SettingDefinition:
    try:
        return BY_KEY[key]
    except KeyError:
        raise ValidationError(f"Không có thiết lập “{key}”.", "key") from None


class RuleSettings:
    """The settings as they stood on one date; remembers which ones a check read."""

    def __init__(self, on: date, entries: Iterable[SettingEntry] = ()) -> None:
        self.on = on
        self._entries = tuple(entries)
        self._used: dict[str, str] = {}

    def dated(self, day: date) -> RuleSettings:
        """The same entries as they stand on `day`, with nothing read yet."""
        return RuleSettings(day, self._entries)

    def text(self, key: str) -> str:
        """The setting's text on `self.on`: the latest effective value, officer's over default."""
        candidates: list[tuple[date, int, str]] = [
            (default.effective_from, 0, default.value) for default in definition(key).defaults
            if default.effective_from <= self.on]
        candidates += [(entry.effective_from, 1 + order, entry.value)
                       for order, entry in enumerate(self._entries)
                       if entry.key == key and entry.effective_from <= self.on]
        if not candidates:  # a date before every default: the earliest default applies
            candidates = [(d.effective_from, 0, d.value) for d in definition(key).defaults[:1]]
        value = max(candidates)[2]
        self._used[key] = value
        return value

    def value(self, key: str) -> object:
        item = definition(key)
        value = parse_value(item.kind, self.text(key))
        item.check(value)
        return value

    def used(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self._used.items()))
