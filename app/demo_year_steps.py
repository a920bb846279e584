"""The steps every round of the demo's emulation years takes (app/demo_year.py): checking the
drafts, a council session with attendance, ballots and votes, a correction session, the
public notice, the commune's decisions issued by the clerk, proposals and the upper level's
answers; with the working-day arithmetic and the reads the flow needs."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import Row, select

from app import catalogue
from app import demo_year_texts as texts
from app.decisions import default_abstract
from app.demo_names import Place
from app.eligibility.outcome import Verdict
from app.eligibility.request import CheckRequest
from app.eligibility.rule_sets import authority, rule_set_on
from app.nomination_states import Procedure, State
from app.services import Services
from db.models import Award, Nomination

ISSUER = {"district_chairman": "district", "province_chairman": "province"}


class FlowSteps:
    def __init__(self, services: Services, clerk: Services, place: Place, rng: random.Random) -> None:
        self.s, self.clerk, self.place, self.rng = services, clerk, place, rng
        self.calendar = services.work_calendar.calendar()

    def _check_drafts(self, year: int, on: date) -> list[int]:
        """Check the year's drafts for the decision date; the ids now checked."""
        for row in self._nominations(year, State.DRAFT):
            self.s.nominations.check(row.id, on)
        return [row.id for row in self._nominations(year, State.CHECKED) if row.procedure == Procedure.STANDARD]

    def _failing(self, year: int, ids: list[int], wanted: int) -> list[int]:
        """Nominations the council will not pass: CSTĐCS ones of people who were not CSTĐCS
        the year before when there are some (a streak is left to build), never all."""
        rows = {row.id: row for row in self._nominations(year)}
        streaks = self._cstdcs_years()
        cstdcs = [i for i in ids if rows[i].award_code == "CSTDCS"]
        pool = ([i for i in cstdcs if year - 1 not in streaks.get(rows[i].subject_id, set())] or cstdcs
                or [i for i in ids if rows[i].award_code == "LDTT"])
        return self.rng.sample(pool, min(wanted, max(len(pool) - 1, 0)))

    def _council(self, year: int, held: date, title: str, ids: list[int], failing: list[int],
                 absent: int) -> int:
        """A session of the whole council: attendance, ballots, votes, finalised."""
        council = self.s.council.create(year, held, title, texts.COUNCIL_PLACE.format(commune=self.place.commune))
        detail = self.s.council.add_nominations(council, ids)
        members = [m.id for m in detail.members]
        away = set(self.rng.sample(members[1:], absent)) if absent and len(members) >= 6 else set()
        present = len(members) - len(away)
        valid = present - (1 if away and self.rng.random() < 0.5 else 0)  # a spoiled ballot
        votes = {c.nomination_id: self._votes(c.award_code, c.nomination_id not in failing,
                                              len(members), present, valid, held)
                 for c in detail.candidates}
        self.s.council.record(council, attendance={m: m not in away for m in members},
                              ballots=(present, present, valid), votes=votes)
        self.s.council.finalise(council)
        return council

    def _votes(self, code: str, passes: bool, members: int, present: int, valid: int, on: date) -> int:
        threshold = self.s.rule_settings.on(on).value(f"vote_threshold:{code}")
        base = {"total_members": members, "present": present, "valid_ballots": valid}[threshold.denominator]  # type: ignore[union-attr]
        meeting = [v for v in range(valid, -1, -1) if threshold.met(v, base) is passes]  # type: ignore[union-attr]
        return self.rng.choice(meeting[:2]) if meeting else valid

    def _correct(self, council: int, nomination_id: int, held: date) -> date:
        """A correction session the next working day: one vote count was written wrong."""
        detail = self.s.council.detail(council)
        wrong = next(c for c in detail.candidates if c.nomination_id == nomination_id)
        members, present = len(detail.members), sum(m.present for m in detail.members)
        right = self._votes(wrong.award_code, True, members, present, detail.ballots_valid or present, held)
        day = self._after(held, 1)
        reason = texts.CORRECTION_REASON.format(name=wrong.subject_name, wrong=wrong.votes, right=right)
        corrected = self.s.council.correct(council, reason, day)
        self.s.council.set_votes(corrected, {nomination_id: right})
        self.s.council.finalise(corrected)
        return day

    def _notice_and_settle(self, year: int, held: date, refuse: dict[int, str] | None = None) -> date:
        """Post the voted nominations, then decide what the commune decides and propose the
        rest; the upper level answers. Returns the day of the decisions."""
        voted = [row.id for row in self._nominations(year, State.VOTED)]
        ends = self.s.nominations.post_notice(voted, self._after(held, 1))
        return self._settle(year, voted, self._after(ends, 1), refuse or {})

    def _settle(self, year: int, ids: list[int], on: date, refuse: dict[int, str],
                abstract: str = "", movement_id: int | None = None) -> date:
        rows = [row for row in self._nominations(year) if row.id in set(ids)]
        order = {code: i for i, code in enumerate(catalogue.AWARDS)}
        for code in sorted({r.award_code for r in rows if r.action == "decide"}, key=order.__getitem__):
            chosen = [r.id for r in rows if r.action == "decide" and r.award_code == code]
            self._decide(year, chosen, on, abstract or default_abstract([code], year), movement_id)
        proposed = [r for r in rows if r.action == "propose"]
        if proposed:
            self.s.nominations.propose([r.id for r in proposed], on)
            answered = self._after(on, self.rng.randint(10, 16))
            numbers: dict[str, str] = {}  # the upper level answers a batch with one decision
            for row in proposed:
                self._answer(row.id, row.award_code, on, answered, refuse.get(row.id, ""), numbers)
        return on

    def _decide(self, year: int, ids: list[int], on: date, abstract: str, movement_id: int | None = None) -> None:
        signer = self.s.decisions.signers()[0]
        draft = self.s.decisions.create_draft(year, ids, abstract, signer.name, signer.title, signer.sign_mode,
                                              movement_id=movement_id)
        self.clerk.decisions.issue(draft.id, on)

    def _answer(self, nomination_id: int, code: str, proposed: date, on: date, refused: str,
                numbers: dict[str, str] | None = None) -> None:
        """The upper level's answer: a decision with its number (one per level in `numbers`),
        or a refusal with the reason."""
        decider = authority(rule_set_on(proposed), code).decider
        level = ISSUER.get(decider, "province")
        if refused:
            self.s.nominations.record_outcome(nomination_id, False, decision_date=on, note=refused)
            return
        issuer = self.place.district_chairman if level == "district" else self.place.province_chairman
        numbers = {} if numbers is None else numbers
        number = numbers.setdefault(
            level, f"{on.timetuple().tm_yday * (15 if level == 'district' else 25) + self.rng.randrange(9)}/QĐ-UBND")
        self.s.nominations.record_outcome(nomination_id, True, number, on, issuer)

    # --- reading what the flow decided so far ------------------------------------------------

    def _nominations(self, year: int, state: State | None = None) -> list[Row]:
        """Id, subject, award, procedure and route of the year's nominations (of one state), in id
        order: what the flow needs, without the screens' rows (each reads its latest check)."""
        query = select(Nomination.id, Nomination.subject_id, Nomination.award_code, Nomination.procedure,
                       Nomination.action).where(Nomination.year == year)
        if state is not None:
            query = query.where(Nomination.state == state)
        with self.s.sessions() as session:
            return list(session.execute(query.order_by(Nomination.id)))

    def _eligible(self, subject_id: int, code: str, year: int, on: date) -> bool:
        outcome = self.s.eligibility.check_subject(subject_id, CheckRequest(code, year, on))
        return outcome.verdict is Verdict.ELIGIBLE

    def _cstdcs_years(self) -> dict[int, set[int]]:
        """Person id → the years they hold CSTĐCS (revoked ones left out), as decided so far."""
        with self.s.sessions() as session:
            rows = session.execute(select(Award.subject_id, Award.year).where(
                Award.award_code == "CSTDCS", Award.revoked_on.is_(None))).all()
        years: dict[int, set[int]] = {}
        for subject_id, year in rows:
            years.setdefault(subject_id, set()).add(year)
        return years

    # --- working days --------------------------------------------------------------------

    def _wd(self, day: date) -> date:
        """`day`, or the first working day after it."""
        return self.calendar.nth_working_day(day, 1)

    def _after(self, day: date, n: int) -> date:
        return self.calendar.add_working_days(day, n)

    def _before(self, day: date, n: int) -> date:
        """The n-th working day before `day`."""
        while n > 0:
            day -= timedelta(days=1)
            n -= self.calendar.is_working_day(day)
        return day

