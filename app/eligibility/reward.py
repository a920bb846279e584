"""Reward money: coefficient × base salary in force on the decision date, rounded up to the
next 10,000 VND (NĐ 98/2023 Điều 54; the same figures reported under NĐ 152/2025)."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from app.eligibility.outcome import Reward
from app.eligibility.rule_settings import BY_KEY, RuleSettings

ROUNDING = 10_000
COLLECTIVE_DOUBLED = frozenset({"GK_XA", "BK_TINH"})


def round_up(amount: Decimal) -> int:
    """Up to the next multiple of 10,000 VND (0.3 × 2,340,000 = 702,000 → 710,000)."""
    return int((amount / ROUNDING).to_integral_value(rounding=ROUND_CEILING)) * ROUNDING


def reward_for(award_code: str, subject_kind: str, settings: RuleSettings,
               old_law: bool = False) -> Reward | None:
    """The money for one award, or None when it carries none (no coefficient, or 0 as for
    Gia đình văn hóa by default)."""
    key = f"reward_coefficient:{award_code}"
    if key not in BY_KEY:
        return None
    coefficient = Decimal(str(settings.value(key)))
    if coefficient == 0:
        return None
    decree = "NĐ 91/2017/NĐ-CP" if old_law else "NĐ 98/2023/NĐ-CP Điều 54"
    basis = f"{decree}; hệ số và lương cơ sở theo thiết lập"
    if award_code in COLLECTIVE_DOUBLED and subject_kind == "collective":
        coefficient *= Decimal(str(settings.value("reward_collective_multiplier")))
        basis += "; tập thể gấp đôi cá nhân"
    base_salary = int(settings.value("base_salary"))  # type: ignore[arg-type]
    amount = round_up(coefficient * base_salary)
    return Reward(f"{coefficient.normalize():f}", base_salary, amount, basis)
