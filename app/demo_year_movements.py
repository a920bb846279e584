"""The demo's movements and what grows from them (app/demo_year.py tells the years): the
regular movement from its plan to tổng kết with its registrations and exemplary models, the
collectives' year-end ratings, the staff's ratings typed in so far this year, thematic
movements with their Giấy khen, and sudden feats by the simplified procedure.

`MovementFlow` also holds who is who in the demo (names, staff, units, the ratings the
history planned, the people already given a part in a story) for the years' story.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from app import demo_year_texts as texts
from app.demo_history import RATED, STAFF, works_in
from app.demo_names import Place
from app.demo_register import Plan
from app.demo_year_steps import FlowSteps
from app.eligibility.outcome import Verdict
from app.history import AwardRecord, DisciplineRecord, RatingRecord
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
from app.services import Services
from app.subject_data import display_name


class MovementFlow(FlowSteps):
    """Movements, registrations, ratings, thematic Giấy khen and sudden feats; the mechanics
    of each step (checks, council, notice, decisions) are FlowSteps'."""

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
        self.staff = [p for p in plan.people if p.employment in STAFF]
        self.rated = [p for p in plan.people if p.employment in RATED]
        units = {row["collective_id"] for row in plan.memberships}
        self.units = [cid for cid, _data in plan.collectives if cid in units]
        self.collective_ratings: dict[tuple[int, int], str] = {}
        # People already given a part in a story; those under discipline get none.
        self.used = {sid for sid, _kind, r in plan.history if isinstance(r, DisciplineRecord)}

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

    def _some_ratings(self, year: int) -> None:
        """About a third of the year-end ratings (staff and người lao động) typed in so far,
        close to last year's."""
        items = []
        for person in self.rated:
            if not works_in(person, year) or self.rng.random() > 0.35:
                continue
            before = self.ratings.get((person.id, year - 1), "tot")
            items.append((person.id, before if self.rng.random() < 0.7 else "tot"))
        if items:
            self.s.review.set_ratings(year, items)


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]
