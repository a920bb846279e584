"""The demo's emulation years (app/demo_year.py): worked through the services, believable,
consistent with the rules on every date, and seen by the next year's checker."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from app.audit import AuditFilter, AuditTrail, Clock
from app.demo import DemoSizes, build_demo
from app.demo_accounts import create_demo_accounts
from app.demo_year import current_year
from app.eligibility.outcome import Status
from app.eligibility.request import CheckRequest
from app.eligibility.rule_sets import authority, rule_set_on
from app.errors import CancelledError
from app.nomination_states import State
from app.services import Services
from db.migrate import open_database
from db.models import (
    AnnualRating,
    Award,
    CouncilSession,
    Decision,
    DecisionItem,
    Individual,
    Movement,
    Nomination,
    RegisterEntry,
    Subject,
    User,
)
from tests.conftest import OFFICER, account

NOW = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)  # 09:30 on 24/11/2026 in Vietnam
Y = 2026
SIZES = DemoSizes.scaled(300)


def clock_at(moment: datetime) -> Clock:
    return lambda: moment


def _build(template: Path, path: Path, moment: datetime, sizes: DemoSizes) -> Path:
    shutil.copyfile(template, path)
    database = open_database(path)
    try:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        clock = clock_at(moment)
        build_demo(Services.create(sessions, account(sessions, OFFICER[0]), clock), sizes, clock=clock)
    finally:
        database.close()
    return path


@pytest.fixture(scope="module")
def built(template_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(template_database, tmp_path_factory.mktemp("year") / "demo.sqlite", NOW, SIZES)


@pytest.fixture
def demo(built: Path, tmp_path: Path) -> Iterator[Services]:
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(built, path)
    database = open_database(path)
    sessions = sessionmaker(database.engine, expire_on_commit=False)
    yield Services.create(sessions, account(sessions, OFFICER[0]), clock_at(NOW))
    database.close()


def test_the_year_in_progress_follows_the_clock() -> None:
    assert current_year(date(2026, 11, 24)) == 2026
    assert current_year(date(2026, 6, 1)) == 2026
    assert current_year(date(2026, 5, 31)) == 2025  # last year's titles and answers still coming in


def test_every_nomination_state_occurs(demo: Services) -> None:
    with demo.sessions() as session:
        states = Counter(session.scalars(select(Nomination.state)))
    assert set(states) == {s.value for s in State}
    with demo.sessions() as session:
        in_progress = set(session.scalars(select(Nomination.state).where(Nomination.year == Y)))
    assert {State.DRAFT, State.CHECKED, State.VOTED, State.PUBLIC_NOTICE, State.PROPOSED,
            State.RETURNED} <= in_progress


def test_decisions_are_numbered_from_01_each_year_in_date_order(demo: Services) -> None:
    with demo.sessions() as session:
        entries = session.execute(select(RegisterEntry.year, RegisterEntry.number, RegisterEntry.issued_on)
                                  .order_by(RegisterEntry.year, RegisterEntry.number)).all()
        decisions = session.execute(select(Decision.number, Decision.decided_on, Decision.state)).all()
    by_year: dict[int, list[tuple[int, date]]] = {}
    for year, number, issued_on in entries:
        by_year.setdefault(year, []).append((number, issued_on))
    assert set(by_year) == {Y - 1, Y}
    for year, numbers in by_year.items():
        assert [n for n, _ in numbers] == list(range(1, len(numbers) + 1))
        assert [d for _, d in numbers] == sorted(d for _, d in numbers)  # numbered in date order
        assert all(d.year == year for _, d in numbers)
    assert decisions and all(state == "issued" for _, _, state in decisions)
    assert sorted(f"{n:02d}/QĐ-UBND" for _, n, _ in entries) == sorted(number for number, _, _ in decisions)


def test_decided_awards_carry_their_decision_and_a_revoked_item_stops_counting(demo: Services) -> None:
    with demo.sessions() as session:
        items = session.execute(select(DecisionItem, Decision).join(Decision)).all()
        awards = {a.id: a for a in session.scalars(select(Award))}
    assert items
    revoked = 0
    for item, decision in items:
        award = awards[item.award_id]
        assert (award.subject_id, award.award_code, award.year) == (item.subject_id, item.award_code, item.year)
        assert (award.decision_number, award.decision_date) == (decision.number, decision.decided_on)
        assert award.issuer == "Chủ tịch UBND xã Phước An"
        assert (award.revoked_on is not None) is (item.revoked_on is not None)
        revoked += item.revoked_on is not None
    assert revoked == 1


def test_commune_decisions_hold_only_what_the_chairman_decided_on_their_date(demo: Services) -> None:
    _assert_within_authority(demo)


def _assert_within_authority(services: Services) -> None:
    with services.sessions() as session:
        items = session.execute(select(DecisionItem.award_code, Decision.decided_on).join(Decision)).all()
    for code, decided_on in items:
        assert authority(rule_set_on(decided_on), code).commune_decides, (code, decided_on)


def test_each_worked_year_has_a_finalised_council_session_and_one_correction(demo: Services) -> None:
    sessions = {year: demo.council.sessions(year) for year in (Y - 2, Y - 1, Y)}
    for year in (Y - 2, Y - 1):
        assert any(s.is_final and s.held_on.year == year + 1 and s.held_on.month == 1 for s in sessions[year])
        detail = demo.council.detail(sessions[year][0].id)
        assert len(detail.members) >= 3 and detail.session.location.startswith("Hội trường UBND")
    corrections = [s for rows in sessions.values() for s in rows if s.corrects_id is not None]
    assert len(corrections) == 1 and corrections[0].correction_reason.startswith("Thư ký ghi nhầm")


def test_no_subject_holds_a_title_twice_for_a_year(demo: Services) -> None:
    with demo.sessions() as session:
        held = Counter(session.execute(select(Award.subject_id, Award.award_code, Award.year)
                                       .where(Award.revoked_on.is_(None))).all())
    assert held and max(held.values()) == 1


def test_the_year_in_progress_shows_work_in_progress(demo: Services) -> None:
    overview = demo.year_overview.overview(Y, NOW.date())
    assert overview.movements.regular_state == "running" and overview.movements.thematic_count == 1
    assert overview.registrations > 0 and overview.registered_subjects > 0
    rated, expected = overview.ratings.individuals_rated, overview.ratings.individuals_expected
    assert 0 < rated < expected  # typed in so far, not all
    assert overview.final_sessions == 1 and overview.decisions.issued == 1
    for state in (State.DRAFT, State.CHECKED, State.VOTED, State.PUBLIC_NOTICE, State.PROPOSED, State.RETURNED):
        assert overview.nominations.count(state) >= 1, state
    kinds = {d.kind.value for d in overview.deadlines}
    assert kinds == {"notice_end", "province_answer"}
    assert all(not d.overdue for d in overview.deadlines)
    returned = demo.nominations.rows(Y, State.RETURNED)
    assert demo.nominations.detail(returned[0].id).returned_reason


def test_last_year_was_proposed_to_the_province_with_answers(demo: Services) -> None:
    rows = demo.nominations.rows(Y - 1)
    answered = [r for r in rows if r.state in (State.APPROVED, State.NOT_APPROVED)]
    assert {r.state for r in answered} == {State.APPROVED, State.NOT_APPROVED}
    refused = demo.nominations.detail(next(r.id for r in answered if r.state == State.NOT_APPROVED))
    assert refused.outcome_note
    approved = demo.nominations.detail(next(r.id for r in answered if r.state == State.APPROVED))
    assert approved.outcome_decision_number and approved.outcome_issuer.startswith("Chủ tịch UBND tỉnh")


def test_the_next_years_checker_sees_the_streak_built_by_the_flow(demo: Services) -> None:
    with demo.sessions() as session:
        flow = session.execute(
            select(Nomination.subject_id, Nomination.year)
            .where(Nomination.award_code == "CSTDCS", Nomination.state.in_([State.DECIDED, State.APPROVED]))).all()
    years: dict[int, set[int]] = {}
    for subject_id, year in flow:
        years.setdefault(subject_id, set()).add(year)
    streak = sorted(s for s, held in years.items() if {Y - 2, Y - 1} <= held)
    assert streak, "someone was CSTĐCS through the flow two years running"
    outcome = demo.eligibility.check_subject(
        streak[0], CheckRequest("BK_TINH", Y - 1, date(Y, 3, 2), route="two_cstdcs"))
    assert next(c for c in outcome.checks if c.code == "streak").status is Status.PASSED


def test_the_clerk_numbers_the_decisions_when_the_demo_has_one(template_database: Path, tmp_path: Path) -> None:
    database = open_database(tmp_path / "accounts.sqlite")
    try:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        clock = clock_at(NOW)
        officer = create_demo_accounts(sessions, AuditTrail(sessions, clock))
        services = Services.create(sessions, officer, clock)
        build_demo(services, DemoSizes.scaled(120), clock=clock)
        with sessions() as session:
            clerk = session.scalars(select(User).where(User.username == "vanthu")).one()
        issued = services.audit.count(AuditFilter(action="issue", entity="decision"))
        assert issued > 0
        assert services.audit.count(AuditFilter(action="issue", entity="decision", user_id=clerk.id)) == issued
        assert services.audit.verify().ok
    finally:
        database.close()


@pytest.mark.parametrize("moment", [
    datetime(2025, 11, 24, 3, tzinfo=UTC),  # last year decided before the reform: CSTĐCS went to the district
    datetime(2026, 6, 1, 3, tzinfo=UTC),  # the first day this year counts as in progress
    datetime(2027, 2, 15, 3, tzinfo=UTC),  # early in the year: last year is still in progress
])
def test_any_day_gives_years_the_services_accept(template_database: Path, tmp_path: Path,
                                                  moment: datetime) -> None:
    path = _build(template_database, tmp_path / "other.sqlite", moment, DemoSizes.scaled(200))
    database = open_database(path)
    try:
        services = Services.create(sessionmaker(database.engine, expire_on_commit=False), account(
            sessionmaker(database.engine), OFFICER[0]), clock_at(moment))
        current = current_year(moment.date())
        with services.sessions() as session:
            decided = session.scalars(select(Decision.decided_on)).all()
            held = Counter(session.execute(select(Award.subject_id, Award.award_code, Award.year)
                                           .where(Award.revoked_on.is_(None))).all())
            movement_years = set(session.scalars(select(Movement.year)))
        assert decided and max(decided) <= moment.date()
        assert max(held.values()) == 1
        assert movement_years == {current - 2, current - 1, current}
        _assert_within_authority(services)
        if moment.year == 2025:
            with services.sessions() as session:
                issuers = set(session.scalars(select(Award.issuer).where(Award.award_code == "CSTDCS",
                                                                         Award.year == 2024)))
            assert issuers and all(i.startswith("Chủ tịch UBND huyện") for i in issuers)
    finally:
        database.close()


def test_cancelling_at_the_end_of_the_flow_leaves_nothing(services: Services) -> None:
    def report(done: int, total: int) -> None:
        if done == total:
            raise CancelledError("Đã hủy.")

    clock = clock_at(NOW)
    with pytest.raises(CancelledError):
        build_demo(Services.create(services.sessions, services.actor, clock), DemoSizes.scaled(120), report,
                   clock=clock)
    with services.sessions() as session:
        assert session.scalar(select(Subject.id)) is None
        assert session.scalar(select(Nomination.id)) is None
        assert session.scalar(select(CouncilSession.id)) is None
    assert services.commune.get() is None


def test_worked_years_rate_every_nguoi_lao_dong_mostly_tot(demo: Services) -> None:
    """The checker counts người lao động as rated staff; the worked years rate every adult one."""
    counts: Counter[str] = Counter()
    for year in (Y - 2, Y - 1):
        with demo.sessions() as session:
            workers = session.execute(select(Individual.id, Individual.birth_date).where(
                Individual.employment == "nguoi_lao_dong")).all()
            ratings = dict(session.execute(select(AnnualRating.subject_id, AnnualRating.rating).where(
                AnnualRating.year == year, AnnualRating.subject_id.in_([w.id for w in workers]))).all())
        adults = [w.id for w in workers if w.birth_date is not None and year - w.birth_date.year > 18]
        assert adults and set(adults) <= set(ratings)
        counts.update(ratings.values())
        overview = demo.year_overview.overview(year, NOW.date())
        workers_missing = len(adults) - sum(w in ratings for w in adults)
        assert workers_missing == 0 and overview.ratings.individuals_rated > len(adults)
    assert counts["tot"] > counts.total() / 2 and counts["htxs"] > 0  # most «tốt», some «xuất sắc»


def test_worked_years_villages_get_thon_van_hoa_through_the_flow(demo: Services) -> None:
    """Thôn văn hóa of the worked years: a nomination with the assessment and consultation the
    officer declared, decided by the district before the 2025 reform, by the commune after."""
    with demo.sessions() as session:
        awards = session.execute(select(Award.subject_id, Award.year, Award.decision_number, Award.issuer)
                                 .where(Award.award_code == "THON_VH", Award.year >= Y - 2)).all()
        nominations = {(n.subject_id, n.year): n for n in session.scalars(
            select(Nomination).where(Nomination.award_code == "THON_VH"))}
        numbers = set(session.scalars(select(Decision.number)))
    assert {year for _, year, _, _ in awards} == {Y - 2, Y - 1}
    for subject_id, year, number, issuer in awards:
        nomination = nominations[(subject_id, year)]
        assert '"assessment_passed":true' in nomination.declared_facts.replace(" ", "")
        if year == Y - 2:  # decided in early 2025, before the reform: the district's
            assert nomination.state == State.APPROVED and issuer.startswith("Chủ tịch UBND huyện")
        else:
            assert nomination.state == State.DECIDED and number in numbers


def test_a_demo_with_no_worked_year_keeps_its_whole_history_in_bulk(services: Services) -> None:
    clock = clock_at(NOW)
    sizes = replace(DemoSizes.scaled(120), worked=0)
    summary = build_demo(Services.create(services.sessions, services.actor, clock), sizes, clock=clock)
    assert summary.flow is not None and summary.flow.worked_years == ()
    with services.sessions() as session:
        assert not session.scalar(select(Nomination.id).where(Nomination.year < Y))
        bulk = set(session.scalars(select(Award.year).where(Award.award_code == "LDTT")))
    assert {Y - 2, Y - 1} <= bulk
