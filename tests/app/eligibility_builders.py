"""Builders for the eligibility-checker tables: subjects, history and requests as plain data.

Cases are written from ../shared/domain/thi-dua-khen-thuong.md; each row states the verdict
and the check that decides it (its code, status, the source its basis must cite and the
facts its message must name), so a failing row says which rule moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.eligibility import checker
from app.eligibility.outcome import Check, Outcome, Status, Verdict
from app.eligibility.request import CheckRequest, Facts
from app.eligibility.rule_settings import RuleSettings, SettingEntry
from app.eligibility.snapshot import (
    DisciplinePeriod,
    Leave,
    Member,
    PastAward,
    PastInitiative,
    SubjectSnapshot,
    YearRating,
)

LONG_AGO = date(2015, 1, 1)


# --- history -------------------------------------------------------------------------

def title(code: str, year: int, *, basis_kind: str = "annual_duty", since: int | None = None,
          revoked_on: date | None = None, legal_basis: str = "", uuid: str = "") -> PastAward:
    """A title or award already received for `year` (or `since`…`year`)."""
    return PastAward(code, year, period_start=since, basis_kind=basis_kind, legal_basis=legal_basis,
                     revoked_on=revoked_on, uuid=uuid, decision_number=f"{year}/QĐ-UBND")


def initiative(year: int, scope: str = "base") -> PastInitiative:
    return PastInitiative(year, f"Sáng kiến năm {year}", scope=scope)


def discipline(form: str, decided_on: date, ends_on: date | None = None) -> DisciplinePeriod:
    return DisciplinePeriod(form, decided_on, ends_on)


def leave(kind: str, starts_on: date, ends_on: date) -> Leave:
    return Leave(kind, starts_on, ends_on)


def _ratings(ratings: dict[int, str] | None) -> tuple[YearRating, ...]:
    return tuple(YearRating(year, rating) for year, rating in (ratings or {}).items())


# --- subjects ------------------------------------------------------------------------

def person(ratings: dict[int, str] | None = None, *, awards: tuple[PastAward, ...] = (),
           initiatives: tuple[PastInitiative, ...] = (),
           disciplines: tuple[DisciplinePeriod, ...] = (), leaves: tuple[Leave, ...] = (),
           employment: str | None = "cong_chuc", recruited: date | None = LONG_AGO,
           name: str = "Nguyễn Văn An") -> SubjectSnapshot:
    return SubjectSnapshot("individual", name, employment=employment, employment_start=recruited,
                           ratings=_ratings(ratings), awards=awards, initiatives=initiatives,
                           disciplines=disciplines, leaves=leaves)


def team(year: int, size: int, *, ldtt: int = 0, cstdcs: int = 0, failing: int = 0,
         unrated: int = 0, disciplined: str | None = None) -> tuple[Member, ...]:
    """`size` members in `year`: the first `cstdcs` hold CSTĐCS, the next `ldtt` hold LĐTT,
    the last `failing` are rated 'kht' and the `unrated` before them have no rating; all
    others are rated 'tot'. `disciplined` gives the last member that discipline in `year`."""
    members = []
    for index in range(size):
        awards: tuple[PastAward, ...] = ()
        if index < cstdcs:
            awards = (title("CSTDCS", year),)
        elif index < cstdcs + ldtt:
            awards = (title("LDTT", year),)
        from_end = size - index
        rating: str | None = "tot"
        if from_end <= failing:
            rating = "kht"
        elif from_end <= failing + unrated:
            rating = None
        disciplines: tuple[DisciplinePeriod, ...] = ()
        if disciplined and index == size - 1:
            disciplines = (discipline(disciplined, date(year, 3, 1), date(year + 1, 2, 28)),)
        members.append(Member(person({year: rating} if rating else None, awards=awards,
                                     disciplines=disciplines, name=f"Thành viên {index + 1}")))
    return tuple(members)


def collective(ratings: dict[int, str] | None = None, members: tuple[Member, ...] = (), *,
               awards: tuple[PastAward, ...] = (),
               disciplines: tuple[DisciplinePeriod, ...] = ()) -> SubjectSnapshot:
    return SubjectSnapshot("collective", "Văn phòng HĐND và UBND xã", ratings=_ratings(ratings),
                           members=members, awards=awards, disciplines=disciplines)


def household(*, awards: tuple[PastAward, ...] = (),
              disciplines: tuple[DisciplinePeriod, ...] = ()) -> SubjectSnapshot:
    return SubjectSnapshot("household", "Hộ ông Trần Văn Bình", awards=awards, disciplines=disciplines)


def village(*, awards: tuple[PastAward, ...] = ()) -> SubjectSnapshot:
    return SubjectSnapshot("village", "Ấp Bình Minh", awards=awards)


# --- requests and expectations -----------------------------------------------------------

@dataclass(frozen=True)
class Ask:
    """One request: award, achievement year, decision date, route, action, settings, facts."""

    award: str
    year: int
    decided: date
    route: str | None = None
    action: str | None = None
    entries: tuple[SettingEntry, ...] = ()
    facts: Facts = field(default_factory=Facts)

    def request(self) -> CheckRequest:
        return CheckRequest(self.award, self.year, self.decided, self.route, self.action, self.facts)

    def run(self, subject: SubjectSnapshot) -> Outcome:
        return checker.check(self.request(), subject, RuleSettings(self.decided, self.entries))


def ask(award: str, year: int, decided: date, *, route: str | None = None, action: str | None = None,
        entries: tuple[SettingEntry, ...] = (), **facts: object) -> Ask:
    return Ask(award, year, decided, route, action, entries, Facts(**facts))  # type: ignore[arg-type]


def check_named(outcome: Outcome, code: str) -> Check:
    found = [check for check in outcome.checks if check.code == code]
    assert len(found) == 1, f"expected one check '{code}', got {[c.code for c in outcome.checks]}"
    return found[0]


@dataclass(frozen=True)
class Expect:
    """The verdict and the decisive check. `code` may list alternatives where the law fixes
    the result but not which check reports it (used only by xfail rows awaiting a fix)."""

    verdict: Verdict
    code: str | tuple[str, ...]
    status: Status
    basis: str
    says: tuple[str, ...] = ()

    def verify(self, outcome: Outcome) -> Check:
        codes = (self.code,) if isinstance(self.code, str) else self.code
        decisive = [c for c in outcome.checks if c.code in codes and c.status is self.status]
        assert decisive, (f"no {self.status} check among {codes}: "
                          f"{[(c.code, c.status.value, c.message) for c in outcome.checks]}")
        check = decisive[0]
        assert outcome.verdict is self.verdict, (outcome.verdict, outcome.checks)
        assert self.basis in check.basis, (self.basis, check.basis)
        for fact in self.says:
            assert fact in check.message, (fact, check.message)
        return check


def passes(code: str, basis: str, *says: str) -> Expect:
    return Expect(Verdict.ELIGIBLE, code, Status.PASSED, basis, says)


def fails(code: str | tuple[str, ...], basis: str, *says: str) -> Expect:
    return Expect(Verdict.NOT_ELIGIBLE, code, Status.FAILED, basis, says)


def lacks(code: str, basis: str, *says: str) -> Expect:
    return Expect(Verdict.MISSING_INFORMATION, code, Status.UNKNOWN, basis, says)


def reviewed(code: str, basis: str, *says: str) -> Expect:
    """Eligible, the decisive criterion being one the council judges (never blocks)."""
    return Expect(Verdict.ELIGIBLE, code, Status.REVIEW, basis, says)
