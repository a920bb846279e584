"""The demo's emulation years, worked through the services the way an officer works them.

Year Y is the one in progress (`current_year`): from June the current calendar year, before
that the last one, whose titles are still being decided. Y-2 and Y-1 are worked whole:
the regular movement (plan, launch, registrations, sơ kết, tổng kết, results, exemplary
models), year-end ratings of the collectives, the checker's proposal, council sessions with
attendance, ballots and votes, the public notice, commune decisions numbered by the document
register, proposals to the upper level with its answer, a revoked decision item, and for
Y-1 a thematic movement with its Giấy khen, sudden feats, a correction session and
proposals to the province. Y shows work in progress: the regular movement running,
registrations, some ratings, and nominations waiting at every step.

Every step is a service call, so it is validated, audited and dated as the officer's would
be; the clerk (văn thư), when there is one, numbers and issues the decisions. Dates follow
the working-day calendar and the authority in force on them, so the services never refuse a
step. Everything is drawn from `rng` and `today`: the same seed and day give the same years.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app import divisions
from app import demo_year_texts as texts
from app.accounts import actor_of
from app.audit import Clock
from app.commune import CommuneSetup, OfficialData
from app.demo_names import Place
from app.demo_register import Person, Plan
from app.demo_year_steps import FlowSteps
from app.eligibility.outcome import Verdict
from app.history import AwardRecord, DisciplineRecord, InitiativeRecord, RatingRecord
from app.movements import (
    FINAL,
    LAUNCHED,
    MIDTERM,
    REGULAR,
    RUNNING,
    THEMATIC,
    ExemplaryModelData,
    MovementPlan,
)
from app.movements import CLOSED as MOVEMENT_CLOSED
from app.nomination_states import Procedure
from app.registrations import RegistrationItem
from app.roles import Role
from app.services import Services
from app.subject_data import display_name
from db.models import User

RATED = ("can_bo", "cong_chuc", "vien_chuc")
CURRENT_FROM = (6, 1)  # from 1 June last year's titles and the province's answers are all in
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
    flow = YearFlow(services, _clerk(services, clock), plan, place, rng, today)
    flow.set_up_council()
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


class YearFlow(FlowSteps):
    """The story of the years: who registers, who is nominated, what the council and the
    upper level decide; the mechanics of each step are FlowSteps'."""

    def __init__(self, services: Services, clerk: Services, plan: Plan, place: Place, rng: random.Random,
                 today: date) -> None:
        super().__init__(services, clerk, place, rng)
        self.plan, self.today = plan, today
        self.names = {subject_id: display_name(data) for subject_id, data in
                      (*plan.individuals, *plan.collectives, *plan.households, *plan.villages)}
        self.village_names = [data.name for _id, data in plan.villages] or [place.commune]
        self.ratings = {(sid, r.year): r.rating for sid, _kind, r in plan.history if isinstance(r, RatingRecord)}
        self.bulk_awards = {(sid, r.award_code, r.year) for sid, _kind, r in plan.history
                            if isinstance(r, AwardRecord)}
        self.staff = [p for p in plan.people if p.employment in RATED]
        units = {row["collective_id"] for row in plan.memberships}
        self.units = [cid for cid, _data in plan.collectives if cid in units]
        self.collective_ratings: dict[tuple[int, int], str] = {}
        # People already given a part in a story; those under discipline get none.
        self.used = {sid for sid, _kind, r in plan.history if isinstance(r, DisciplineRecord)}

    # --- the council in the commune setup ------------------------------------------------

    def set_up_council(self) -> None:
        """A council in the commune setup (people of the register in their posts); a setup the
        officer made keeps its people and gains council members only when it has none."""
        setup = self.s.commune.get()
        if setup is not None and setup.people("council_member"):
            return
        by_title: dict[str, list[Person]] = {}
        for person in self.staff:
            by_title.setdefault(person.job_title, []).append(person)
        taken: set[int] = set()

        def pick(title: str) -> Person | None:
            found = next((p for p in by_title.get(title, []) if p.id not in taken), None)
            if found is not None:
                taken.add(found.id)
            return found

        officials: list[OfficialData] = []
        if setup is None:
            chairman = pick("Chủ tịch Ủy ban nhân dân") or self._adult(taken)
            officials.append(OfficialData("chairman", self.names[chairman.id]))
            while (vice := pick("Phó Chủ tịch Ủy ban nhân dân")) is not None:
                officials.append(OfficialData("vice_chairman", self.names[vice.id]))
        members = [(post, p) for post in texts.COUNCIL_POSTS if (p := pick(post)) is not None]
        for person in self.staff:
            if len(members) >= 5:
                break
            if person.id not in taken and person.job_title:
                taken.add(person.id)
                members.append((person.job_title, person))
        while len(members) < 3:
            person = self._adult(taken)
            members.append(("Đại diện nhân dân", person))
        officials += [OfficialData("council_member", self.names[p.id], title) for title, p in members]
        if setup is None:
            officer = next((p for p in self.staff if p.employment == "cong_chuc" and p.id not in taken), None)
            if officer is not None:
                officials.append(OfficialData("officer", self.names[officer.id], "Công chức Văn hóa - Xã hội"))
            commune = _commune_of(self.place)
            setup = CommuneSetup(province_code=self.place.province_code, commune_code=commune.code,
                                 place_name=divisions.default_place_name(commune), officials=tuple(officials))
        else:
            setup = CommuneSetup(setup.province_code, setup.commune_code, setup.place_name, setup.issuer_symbol,
                                 setup.council_symbol, (*setup.officials, *officials))
        self.s.commune.save(setup)

    def _adult(self, taken: set[int]) -> Person:
        person = next(p for p in self.plan.people if p.id not in taken and p.age(self.today) >= 25)
        taken.add(person.id)
        return person

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
        refuse: dict[int, str] = {}
        if provinces:
            refuse = self._province_nominations(year, planned)
        ids = self._check_drafts(year, planned)
        if not ids:
            return after
        held = self._after(after, 3)
        self._council(year, held, texts.COUNCIL_TITLE_2.format(year=year), ids, [], absent=0)
        return self._notice_and_settle(year, held, refuse)

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

    # --- movements, registrations, ratings ------------------------------------------------

    def _regular_movement(self, year: int, running_only: bool = False) -> int:
        words = {"commune": self.place.commune, "year": year, "villages": self.place.village_word.lower()}
        movement = self.s.movements.create(MovementPlan(
            year, REGULAR, texts.REGULAR_NAME.format(**words),
            f"{self.rng.randint(2, 9):02d}/KH-{self.place.issuer_symbol}",
            texts.REGULAR_OBJECTIVES.format(**words), texts.REGULAR_CRITERIA,
            texts.REGULAR_PARTICIPANTS.format(**words))).id
        launched = self._wd(date(year, 2, self.rng.randint(16, 24)))
        self.s.movements.advance(movement, LAUNCHED, launched)
        running = self._after(launched, 3)
        self.s.movements.advance(movement, RUNNING, running)
        self._register(movement, year, running)
        if running_only:
            return movement
        self.s.movements.advance(movement, MIDTERM, self._wd(date(year, 7, 10)))
        final = self._wd(date(year, 12, 18))
        self.s.movements.advance(movement, FINAL, final)
        registered = len(self.s.registrations.rows(movement))
        self.s.movements.set_results(movement, texts.MOVEMENT_RESULTS.format(
            registered=registered, decided=round(registered * 0.9)))
        self._exemplary(movement, year, final, [p.id for p in self.staff if self.ratings.get((p.id, year)) == "htxs"])
        return movement

    def _register(self, movement: int, year: int, on: date) -> None:
        items = []
        for person in self.staff:
            if person.start is None or person.start > on or self.rng.random() > 0.92:
                continue
            day = min(self._after(on, self.rng.randint(0, 8)), date(year, 12, 31))
            items.append(RegistrationItem(person.id, "LDTT", day))
            # Those who end the year (or, for this year, ended the last) excellent aim higher.
            known = self.ratings.get((person.id, year)) or self.ratings.get((person.id, year - 1))
            hopes = 0.75 if known == "htxs" else 0.04
            if self.rng.random() < hopes:
                items.append(RegistrationItem(person.id, "CSTDCS", day))
        for cid in self.units:
            rating = self.collective_ratings.setdefault((cid, year), _weighted(self.rng, {"htxs": 25, "tot": 65, "ht": 10}))
            if self.rng.random() < 0.85:
                items.append(RegistrationItem(cid, "TTLDXS" if rating == "htxs" and self.rng.random() < 0.4
                                              else "TTLDTT", self._after(on, self.rng.randint(0, 8))))
        if items:
            self.s.registrations.add_many(movement, items)

    def _rate_collectives(self, year: int) -> None:
        items = [(cid, self.collective_ratings.setdefault((cid, year), _weighted(
            self.rng, {"htxs": 25, "tot": 65, "ht": 10}))) for cid, _data in self.plan.collectives]
        if items:
            self.s.review.set_ratings(year, items)

    def _exemplary(self, movement: int, year: int, on: date, subject_ids: list[int]) -> None:
        for subject_id in self.rng.sample(subject_ids, min(2, len(subject_ids))):
            self.s.movements.add_exemplary_model(movement, ExemplaryModelData(
                self.names[subject_id], on, texts.EXEMPLARY_WHY.format(year=year), subject_id))

    # --- thematic movements and sudden feats -----------------------------------------------

    def _thematic_movement(self, year: int, name: str, objectives: str, final: date | None = None) -> int:
        words = {"commune": self.place.commune, "villages": self.place.village_word.lower()}
        final = final or self._wd(date(year, 12, 3))
        movement = self.s.movements.create(MovementPlan(
            year, THEMATIC, name, f"{self.rng.randint(10, 40)}/KH-{self.place.issuer_symbol}", objectives, texts.THEMATIC_CRITERIA,
            texts.THEMATIC_PARTICIPANTS.format(**words), date(year, 3, 1),
            min(date(year, 11, 30), final - timedelta(days=3)))).id
        launched = self._wd(date(year, 3, 2))
        self.s.movements.advance(movement, LAUNCHED, launched)
        self.s.movements.advance(movement, RUNNING, self._after(launched, 2))
        self.s.movements.advance(movement, FINAL, final)
        return movement

    def _thematic_nominations(self, movement: int, year: int, count: int) -> list[int]:
        """Giấy khen for what households, villages, collectives and people did in the movement."""
        pools = {"household": [i for i, _d in self.plan.households], "village": [i for i, _d in self.plan.villages],
                 "collective": [i for i, _d in self.plan.collectives],
                 "individual": [p.id for p in self.plan.people
                                if p.employment not in RATED and p.age(self.today) >= 30]}
        ids = []
        kinds = ["household", "village", "collective", "individual", "household", "individual"]
        for kind in kinds[:count]:
            free = [i for i in pools[kind] if (i, "GK_XA", year) not in self.bulk_awards and i not in self.used]
            if not free:
                continue
            subject = self.rng.choice(free)
            self.used.add(subject)
            summary = self.rng.choice(texts.THEMATIC_ACHIEVEMENTS[kind]).format(
                n=self.rng.randint(2, 9), village=self.rng.choice(self.village_names))
            ids.append(self.s.nominations.create(subject_id=subject, award_code="GK_XA", year=year,
                                                 movement_id=movement, achievement_summary=summary))
        return ids

    def _finish_thematic(self, movement: int, year: int) -> None:
        final = self.s.movements.row(movement).final_on
        assert final is not None
        ids = self._thematic_nominations(movement, year, 6)
        self.s.movements.set_results(movement, texts.THEMATIC_RESULTS.format(
            km=self.rng.randint(3, 12), households=self.rng.randint(40, 160), nominated=len(ids)))
        self._exemplary(movement, year, final, [vid for vid, _data in self.plan.villages])
        planned = self._after(final, 10)
        for nid in ids:
            self.s.nominations.check(nid, planned)
        name = self.s.movements.row(movement).name
        held = self._after(final, 3)
        # One vote count written wrong, put right by a correction session the next day.
        wrong = self.rng.sample(ids, 1) if len(ids) > 1 else []
        council = self._council(year, held, texts.COUNCIL_TITLE_THEMATIC.format(movement=name), ids, wrong,
                                absent=0)
        if wrong:
            held = self._correct(council, wrong[0], held)
        ends = self.s.nominations.post_notice(ids, self._after(held, 1))
        decided = self._settle(year, ids, self._after(ends, 1), {},
                               texts.THEMATIC_ABSTRACT.format(movement=name, year=year), movement)
        self.s.movements.advance(movement, MOVEMENT_CLOSED, self._after(decided, 2))

    def _sudden_feats(self, year: int) -> None:
        """A rescue in July: both rescuers proposed for a Bằng khen tỉnh by the simplified
        procedure; the province rewards one and asks the commune to reward the other, which it
        does with a Giấy khen."""
        event = self._wd(date(year, 7, self.rng.randint(10, 25)))
        first, second = self._rescuers(2)
        summary = self._sudden_summary(event)
        ids = [self._sudden(pid, "BK_TINH", year, event, summary, self._after(event, 5)) for pid in (first, second)]
        proposed = self._after(event, 6)
        self.s.nominations.propose(ids, proposed)
        answered = self._after(proposed, 15)
        self._answer(ids[0], "BK_TINH", proposed, answered, "")
        self._answer(ids[1], "BK_TINH", proposed, answered, texts.NOT_APPROVED["other"])
        decided = self._after(answered, 3)
        gk = self._sudden(second, "GK_XA", year, event, summary, decided)
        self._decide(year, [gk], decided, texts.SUDDEN_ABSTRACT)

    def _sudden(self, subject: int, code: str, year: int, event: date, summary: str, checked: date) -> int:
        nid = self.s.nominations.create(subject_id=subject, award_code=code, year=year,
                                        procedure=Procedure.SIMPLIFIED, event_date=event,
                                        achievement_summary=summary)
        outcome = self.s.nominations.check(nid, checked)
        if outcome.verdict is not Verdict.ELIGIBLE:
            raise RuntimeError(f"Demo sudden feat not eligible: {outcome.checks}")
        return nid

    def _sudden_summary(self, event: date) -> str:
        return self.rng.choice(texts.SUDDEN_EVENTS).format(
            n=self.rng.randint(2, 4), village=self.rng.choice(self.village_names), day=f"{event:%d/%m/%Y}")

    def _rescuers(self, count: int) -> list[int]:
        pool = [p.id for p in self.plan.people if 20 <= p.age(self.today) <= 55 and p.id not in self.used
                and p.gender == "male"] or [p.id for p in self.plan.people if p.id not in self.used]
        chosen = self.rng.sample(pool, count)
        self.used.update(chosen)
        return chosen

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

    def _some_ratings(self, year: int) -> None:
        """About a third of the staff's year-end ratings typed in so far, close to last year's."""
        items = []
        for person in self.staff:
            if person.start is None or person.start > date(year, 6, 30) or self.rng.random() > 0.35:
                continue
            before = self.ratings.get((person.id, year - 1), "tot")
            items.append((person.id, before if self.rng.random() < 0.7 else "tot"))
        if items:
            self.s.review.set_ratings(year, items)

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


def _commune_of(place: Place) -> divisions.Division:
    """The division the demo's default place names, else the province's first commune."""
    communes = divisions.communes(place.province_code)
    return next((c for c in communes if f"{c.kind} {divisions.default_place_name(c)}" == place.commune),
                communes[0])


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]
