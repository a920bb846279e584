"""The demo's emulation years, worked through the services the way an officer works them.

Year Y is the one in progress (`current_year`): from June the current calendar year, before
that the last one, whose titles are still being decided. Y-2 and Y-1 are worked whole:
the regular movement (plan, launch, registrations, sơ kết, tổng kết, results, exemplary
models), year-end ratings of the collectives, the checker's proposal, council sessions with
attendance, ballots and votes, the public notice, commune decisions numbered by the document
register, proposals to the upper level with its answer, the villages' Thôn văn hóa with the
assessment and public consultation the officer declares, a revoked decision item, and for
Y-1 a thematic movement with its Giấy khen, sudden feats, a correction session and
proposals to the province. Y shows work in progress: the regular movement running,
registrations, some ratings, and nominations waiting at every step. The people's ratings
and the households' Gia đình văn hóa come from the bulk history (app/demo_history.py).

Every step is a service call, so it is validated, audited and dated as the officer's would
be; the clerk (văn thư), when there is one, numbers and issues the decisions. Dates follow
the working-day calendar and the authority in force on them, so the services never refuse a
step. Everything is drawn from `rng` and `today`: the same seed and day give the same years.

This module tells the years; app/demo_year_movements.py the movements, registrations,
ratings, thematic Giấy khen and sudden feats; app/demo_year_steps.py the mechanics of each
round; app/demo_year_council.py the council in the commune setup; app/demo_year_texts.py
the words.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app import demo_year_texts as texts
from app.accounts import actor_of
from app.audit import Clock
from app.demo_names import Place
from app.demo_register import Plan
from app.demo_year_council import set_up_council
from app.demo_year_movements import MovementFlow
from app.eligibility.declared_facts import DeclaredFacts
from app.history import InitiativeRecord
from app.movements import CLOSED as MOVEMENT_CLOSED
from app.roles import Role
from app.services import Services
from db.models import User

CURRENT_FROM = (6, 1)  # from 1 June last year's titles and the province's answers are all in
VILLAGE_PASS = 0.8  # share of villages whose Thôn văn hóa assessment passes in a worked year
Tick = Callable[[], None]


def current_year(today: date) -> int:
    """The emulation year in progress on `today`."""
    return today.year if (today.month, today.day) >= CURRENT_FROM else today.year - 1


def worked_years(current: int, history_years: Sequence[int]) -> tuple[int, ...]:
    """The years worked whole through the flow: the two before `current` that have history."""
    return tuple(year for year in (current - 2, current - 1) if year in history_years)


@dataclass(frozen=True)
class FlowSummary:
    worked_years: tuple[int, ...]
    current_year: int
    nominations: int
    decisions: int

    def __str__(self) -> str:
        worked = ", ".join(map(str, self.worked_years))
        done = f"năm thi đua {worked} đã xét xong, " if worked else ""
        return (f"{done}năm {self.current_year} đang thực hiện ({self.nominations} đề nghị, "
                f"{self.decisions} quyết định của xã)")


def phase_count(worked: Sequence[int]) -> int:
    """How many times `work_years` reports progress (for the caller's total)."""
    return 1 + 3 * len(worked) + 2


def work_years(services: Services, clock: Clock, plan: Plan, place: Place, rng: random.Random,
               worked: Sequence[int], tick: Tick) -> FlowSummary:
    """Work the years through `services` (the officer's, made with `clock`), calling `tick()`
    after each phase."""
    today = clock().astimezone().date()
    set_up_council(services, plan, place, today)
    flow = YearFlow(services, _clerk(services, clock), plan, place, rng, today)
    tick()
    current = current_year(today)
    for year in worked:
        flow.annual_year(year, last=year == current - 1, tick=tick)
    flow.current(current)
    tick()
    years = (*worked, current)
    nominations = sum(sum(services.nominations.counts(year).values()) for year in years)
    decisions = sum(len(services.decisions.decisions(year)) for year in (*years, current + 1))
    tick()
    return FlowSummary(tuple(worked), current, nominations, decisions)



class YearFlow(MovementFlow):
    """The story of the years: who is nominated, what the council and the upper level
    decide, what is revoked; movements and the mechanics of each step are inherited."""

    # --- a year worked whole ---------------------------------------------------------------

    def annual_year(self, year: int, last: bool, tick: Tick) -> None:
        regular = self._regular_movement(year)
        if last:
            self._sudden_feats(year)
            thematic = self._thematic_movement(year, *texts.THEMATIC[self.place.village_kind])
            self._finish_thematic(thematic, year)
        tick()
        self._rate_collectives(year)
        decided = self._individual_titles(year, last)
        tick()
        decided = self._collective_titles(year, decided, provinces=last)
        self.s.movements.advance(regular, MOVEMENT_CLOSED, self._after(decided, 3))
        if not last:
            self._revoke_one(year)
        tick()

    def _individual_titles(self, year: int, last: bool) -> date:
        """LĐTT and CSTĐCS: the checker's proposal, nominations, the council, the notice, then
        decisions or proposals. Returns the day they were settled."""
        planned = self._wd(date(year + 1, 1, 20))
        self.s.review.propose(year, planned)
        kept = [c for c in self.s.review.candidates(year)
                if c.included and c.award_code in ("LDTT", "CSTDCS") and c.nomination_id is None]
        if last and len(kept) > 3:
            moved = self.rng.choice([c for c in kept if c.award_code == "LDTT"] or kept).subject_id
            for candidate in kept:
                if candidate.subject_id == moved:
                    self.s.review.remove(candidate.id, texts.REMOVED_REASON.format(year=year))
            kept = [c for c in kept if c.subject_id != moved]
        if kept:
            self.s.review.make_nominations(year, [c.id for c in kept], planned)
        ids = self._check_drafts(year, planned)
        if not ids:
            return planned
        held = self._wd(date(year + 1, 1, 8))
        failing = self._failing(year, ids, 1)
        self._council(year, held, texts.COUNCIL_TITLE.format(year=year), ids, failing, absent=1)
        return self._notice_and_settle(year, held)

    def _collective_titles(self, year: int, after: date, provinces: bool) -> date:
        """TTLĐTT (and TTLĐXS, Bằng khen, CSTĐ tỉnh) once the members' titles are decided."""
        planned = self._after(after, 10)
        excellent = [cid for cid in self.units if self.collective_ratings.get((cid, year)) == "htxs"
                     and self._eligible(cid, "TTLDXS", year, planned)][:2] if provinces else []
        advanced = [cid for cid in self.units if cid not in excellent
                    and self._eligible(cid, "TTLDTT", year, planned)]
        candidates = [self.s.review.add(year, cid, "TTLDTT", texts.TTLDTT_REASON.format(year=year)).id
                      for cid in advanced]
        candidates += [self.s.review.add(year, cid, "TTLDXS", texts.TTLDXS_REASON.format(year=year)).id
                       for cid in excellent]
        if candidates:
            self.s.review.make_nominations(year, candidates, planned)
        self._village_nominations(year, planned)
        refuse: dict[int, str] = {}
        if provinces:
            refuse = self._province_nominations(year, planned)
        ids = self._check_drafts(year, planned)
        if not ids:
            return after
        held = self._after(after, 3)
        self._council(year, held, texts.COUNCIL_TITLE_2.format(year=year), ids, [], absent=0)
        return self._notice_and_settle(year, held, refuse)

    def _village_nominations(self, year: int, planned: date) -> None:
        """Thôn văn hóa for the villages whose assessment by the commune council passed, with
        the days the list was put to the public (NĐ 86/2023 Điều 7–8) as the officer declares
        them; decided by the commune, or before the July 2025 reform proposed to the district."""
        for village_id, _data in self.plan.villages:
            if self.rng.random() >= VILLAGE_PASS:
                continue
            nomination = self.s.nominations.create(subject_id=village_id, award_code="THON_VH", year=year,
                                                   planned_decision_date=planned)
            self.s.nominations.update(nomination, declared_facts=DeclaredFacts(
                assessment_passed=True, public_notice_days=self.rng.randint(10, 15)))

    def _province_nominations(self, year: int, planned: date) -> dict[int, str]:
        """Bằng khen tỉnh for two CSTĐCS years running, CSTĐ tỉnh for three with an initiative
        of province-wide effect (recorded now, as the officer would); the CSTĐ tỉnh proposal is
        the one the province turns down. Returns {nomination id: reason} to turn down."""
        streaks = self._cstdcs_years()
        three = [pid for pid, years in sorted(streaks.items())
                 if {year - 2, year - 1, year} <= years][:1]
        refuse: dict[int, str] = {}
        for pid in three:
            self.s.history.save(pid, InitiativeRecord(
                year, texts.PROVINCE_INITIATIVE, "province", f"Hội đồng sáng kiến {self.place.province}",
                f"{self.rng.randint(20, 90)}/QĐ-HĐSK", self._wd(date(year, 12, 10))))
            if not self._eligible(pid, "CSTD_TINH", year, planned):
                continue
            nid = self.s.nominations.create(
                subject_id=pid, award_code="CSTD_TINH", year=year, planned_decision_date=planned,
                achievement_summary=texts.CSTD_SUMMARY.format(first=year - 2, last=year,
                                                              initiative=texts.PROVINCE_INITIATIVE))
            refuse[nid] = texts.NOT_APPROVED["CSTD_TINH"].format(year=year)
        two = [pid for pid, years in sorted(streaks.items())
               if {year - 1, year} <= years and pid not in three
               and self._eligible(pid, "BK_TINH", year, planned)][:3]
        for pid in two:
            self.s.nominations.create(subject_id=pid, award_code="BK_TINH", year=year,
                                      planned_decision_date=planned,
                                      achievement_summary=texts.BK_SUMMARY.format(first=year - 1, last=year))
        return refuse

    # --- the year in progress --------------------------------------------------------------

    def current(self, year: int) -> None:
        """The regular movement running, registrations, some ratings, and nominations waiting
        at each step: voted, on public notice, returned, a draft, a sudden feat checked, one
        proposed to the province and waiting for its answer."""
        self._regular_movement(year, running_only=True)
        spring = self._wd(date(year, 4, self.rng.randint(8, 20)))
        (hero,) = self._rescuers(1)
        summary = self._sudden_summary(spring)
        self._decide(year, [self._sudden(hero, "GK_XA", year, spring, summary, self._after(spring, 5))],
                     self._after(spring, 6), texts.SUDDEN_ABSTRACT)
        end = min(self.today, date(year, 12, 20))
        if end >= date(year, 11, 1) or year < self.today.year:
            self._some_ratings(year)
        final = self._before(end, 12)
        movement = self._thematic_movement(year, *texts.CULTURE_MOVEMENT, final=final)
        ids = self._thematic_nominations(movement, year, 5)
        for nid in ids[:4]:
            self.s.nominations.check(nid, end)
        voted = ids[:3]
        held = self._after(final, 2)
        name = self.s.movements.row(movement).name
        self._council(year, held, texts.COUNCIL_TITLE_THEMATIC.format(movement=name), voted, [], absent=0)
        self.s.nominations.post_notice(voted[:2], self._before(end, 2))
        if len(ids) > 3:
            self.s.nominations.return_(ids[3], texts.RETURNED_REASON.format(
                village_word=self.place.village_word.lower()), self._after(held, 1))
        (checked, waiting) = self._rescuers(2)
        event = self._before(end, 25)
        summary = self._sudden_summary(event)
        self._sudden(checked, "GK_XA", year, self._before(end, 8), self._sudden_summary(self._before(end, 8)), end)
        proposal = self._sudden(waiting, "BK_TINH", year, event, summary, self._before(end, 18))
        self.s.nominations.propose([proposal], self._before(end, 17))


    def _revoke_one(self, year: int) -> None:
        """One LĐTT of the year revoked the next September (Luật 06/2022 chương VII)."""
        streaks = self._cstdcs_years()
        for decision in self.s.decisions.decisions(year):
            items = [i for i in self.s.decisions.detail(decision.id).items
                     if i.award_code == "LDTT" and year not in streaks.get(i.subject_id, set())]
            if items:
                item = self.rng.choice(items)
                on = min(self._wd(date(year + 1, 9, self.rng.randint(5, 25))), self.today)
                self.clerk.decisions.revoke_item(item.id, texts.REVOKED_REASON.format(year=year), on)
                return



def _clerk(services: Services, clock: Clock) -> Services:
    """The clerk's services when the database has an active clerk, else the officer's."""
    with services.sessions() as session:
        user = session.scalars(select(User).where(User.role == Role.CLERK.value, User.active)
                               .order_by(User.id)).first()
    if user is None:
        return services
    return Services.create(services.sessions, actor_of(user), clock)

