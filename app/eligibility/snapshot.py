"""What the checker knows about a subject: its history as plain frozen data.

Built from the database by `app/eligibility_snapshots.py`, or read from a JSON file by
`app/eligibility/json_format.py` (format in docs/eligibility-check.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Leave that counts as working time (NĐ 98/2023 Điều 4 k5 for maternity; TT 01/2024 for
# treatment of injuries from combat or rescue and for short training).
COUNTED_LEAVE = frozenset({"maternity", "injury", "training"})
LEAVE_KINDS = {
    "maternity": "Nghỉ thai sản",
    "injury": "Điều trị thương tích do chiến đấu, cứu người, cứu tài sản",
    "training": "Đi đào tạo, bồi dưỡng",
    "unpaid": "Nghỉ không hưởng lương",
    "other": "Nghỉ khác",
}


@dataclass(frozen=True)
class YearRating:
    year: int
    rating: str  # app.catalogue.RATINGS: htxs / tot / ht / kht


@dataclass(frozen=True)
class PastAward:
    """A title or award already received. `year` is the (last) achievement year."""

    award_code: str
    year: int
    period_start: int | None = None
    basis_kind: str = "annual_duty"  # app.catalogue.BASIS_KINDS
    decision_number: str = ""
    decision_date: date | None = None
    issuer: str = ""
    legal_basis: str = ""  # the law it was granted under; earlier laws still count (L2022 Điều 95)
    revoked_on: date | None = None
    uuid: str = ""

    @property
    def first_year(self) -> int:
        return self.period_start if self.period_start is not None else self.year

    @property
    def years(self) -> range:
        return range(self.first_year, self.year + 1)


@dataclass(frozen=True)
class PastInitiative:
    year: int
    title: str
    scope: str = "base"  # base / province / national
    recognised_by: str = ""
    decision_number: str = ""
    decision_date: date | None = None
    uuid: str = ""


@dataclass(frozen=True)
class DisciplinePeriod:
    """A discipline in force from `decided_on` to `ends_on`; form 'pending' is an open review."""

    form: str  # app.catalogue.DISCIPLINE_FORMS
    decided_on: date
    ends_on: date | None = None
    uuid: str = ""


@dataclass(frozen=True)
class Leave:
    kind: str  # LEAVE_KINDS
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Member:
    """A person in a collective, with their own history, between the dates they belonged."""

    person: SubjectSnapshot
    joined_on: date | None = None
    left_on: date | None = None

    def belongs_at_end_of(self, year: int) -> bool:
        year_end = date(year, 12, 31)
        joined = self.joined_on is None or self.joined_on <= year_end
        return joined and (self.left_on is None or self.left_on >= year_end)


@dataclass(frozen=True)
class SubjectSnapshot:
    kind: str  # app.catalogue.SUBJECT_KINDS
    name: str
    uuid: str = ""
    gender: str | None = None
    employment: str | None = None  # app.catalogue.EMPLOYMENT
    employment_start: date | None = None  # recruited on (ngày tuyển dụng)
    ratings: tuple[YearRating, ...] = ()
    awards: tuple[PastAward, ...] = ()
    initiatives: tuple[PastInitiative, ...] = ()
    disciplines: tuple[DisciplinePeriod, ...] = ()
    leaves: tuple[Leave, ...] = ()
    members: tuple[Member, ...] = field(default=())

    def rating_in(self, year: int) -> str | None:
        return next((r.rating for r in self.ratings if r.year == year), None)
