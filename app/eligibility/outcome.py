"""The checker's answer: a verdict and every check behind it, each with its legal basis."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.eligibility.request import CheckRequest


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    UNKNOWN = "unknown"  # the data needed is missing
    REVIEW = "review"  # a judgment the law leaves to the council; listed, never blocks


STATUS_LABELS = {
    Status.PASSED: "Đạt",
    Status.FAILED: "Không đạt",
    Status.UNKNOWN: "Thiếu thông tin",
    Status.REVIEW: "Hội đồng xem xét",
}


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    MISSING_INFORMATION = "missing_information"


VERDICT_LABELS = {
    Verdict.ELIGIBLE: "Đủ điều kiện",
    Verdict.NOT_ELIGIBLE: "Không đủ điều kiện",
    Verdict.MISSING_INFORMATION: "Thiếu thông tin",
}


@dataclass(frozen=True)
class Check:
    code: str  # stable identifier, e.g. "rating", "streak", "authority"
    status: Status
    message: str  # a plain Vietnamese sentence
    basis: str  # e.g. "Luật 06/2022/QH15 Điều 23"


@dataclass(frozen=True)
class Authority:
    decider: str  # DECIDERS code
    commune_decides: bool
    basis: str

    @property
    def label(self) -> str:
        return DECIDERS[self.decider]


DECIDERS = {
    "commune_chairman": "Chủ tịch UBND xã",
    "district_chairman": "Chủ tịch UBND huyện",
    "province_chairman": "Chủ tịch UBND tỉnh",
    "national": "Thủ tướng Chính phủ hoặc Chủ tịch nước (qua tỉnh)",
    "none": "Không còn cấp có thẩm quyền",
}


@dataclass(frozen=True)
class DossierPart:
    code: str
    label: str
    basis: str


@dataclass(frozen=True)
class Reward:
    """Reward money: coefficient × base salary on the decision date, rounded up to 10,000 VND."""

    coefficient: str  # decimal text, e.g. "0.3"
    base_salary: int  # VND
    amount: int  # VND
    basis: str


@dataclass(frozen=True)
class Outcome:
    request: CheckRequest
    verdict: Verdict
    checks: tuple[Check, ...]
    rule_set: str  # RuleSet.code
    rule_set_label: str
    engine_version: str
    authority: Authority
    action: str  # DECIDE or PROPOSE
    route: str
    reporting_years: tuple[int, ...]  # the years a báo cáo thành tích must cover
    dossier: tuple[DossierPart, ...]
    reward: Reward | None
    settings_used: tuple[tuple[str, str], ...]  # (key, value as text) for each setting read


def verdict_of(checks: tuple[Check, ...]) -> Verdict:
    statuses = {check.status for check in checks}
    if Status.FAILED in statuses:
        return Verdict.NOT_ELIGIBLE
    if Status.UNKNOWN in statuses:
        return Verdict.MISSING_INFORMATION
    return Verdict.ELIGIBLE
