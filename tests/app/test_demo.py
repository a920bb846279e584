"""The demo commune: sizes, reproducibility, consistency with the title rules, refusal, cancel.

The default-size demo is built once per module (it takes a while) and copied for each test
that reads it; app/demo_year.py's worked years are tested in test_demo_year.py.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from app import divisions
from app.accounts import Accounts
from app.audit import AuditFilter, AuditTrail
from app.commune import CommuneSetup, OfficialData
from app.demo import DemoSizes, DemoSummary, build_demo
from app.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts
from app.demo_year import current_year
from app.errors import CancelledError, DemoRefusedError, PermissionDeniedError
from app.roles import SYSTEM_ACTOR, Role
from app.services import Services
from app.subject_data import IndividualData, search_text, sort_key
from app.vietnamese import fold
from db.migrate import open_database
from db.models import (
    AnnualRating,
    Award,
    CollectiveMember,
    CouncilVote,
    Discipline,
    HouseholdMember,
    Individual,
    Initiative,
    Nomination,
    Subject,
)
from tests.conftest import OFFICER
from tests.conftest import account as account_of
from ui.main import main

SMALL = DemoSizes(individuals=300, collectives=25, households=110, villages=4, years=4)


@pytest.fixture(scope="module")
def default_demo(template_database: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    """The default demo built once, as the template's officer, and its summary."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    shutil.copyfile(template_database, path)
    database = open_database(path)
    try:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        summary = build_demo(Services.create(sessions, account_of(sessions, OFFICER[0])))
    finally:
        database.close()
    return path, summary


@pytest.fixture
def demo(default_demo: tuple[Path, DemoSummary], tmp_path: Path) -> Iterator[Services]:
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(default_demo[0], path)
    database = open_database(path)
    sessions = sessionmaker(database.engine, expire_on_commit=False)
    yield Services.create(sessions, account_of(sessions, OFFICER[0]))
    database.close()


def test_default_demo_has_the_requested_sizes(demo: Services, default_demo: tuple[Path, DemoSummary]) -> None:
    summary = default_demo[1]
    counts = {kind: demo.subjects.count(kind) for kind in ("individual", "collective", "household", "village")}
    assert counts == {"individual": 2000, "collective": 60, "household": 800, "village": 12}
    current = current_year(date.today())
    assert str(summary).startswith("2000 cá nhân, 60 tập thể, 800 hộ, 12 thôn, 5 năm lịch sử; "
                                   f"năm thi đua {current - 2}, {current - 1} đã xét xong, "
                                   f"năm {current} đang thực hiện")
    with demo.sessions() as session:
        years = set(session.scalars(select(Award.year)))
        assert summary.awards == len(session.scalars(select(Award.id)).all())
    assert years == set(range(current - 5, current + 1))  # five years of history, and this year's feats


def test_progress_is_reported_up_to_the_total(services: Services) -> None:
    calls: list[tuple[int, int]] = []
    build_demo(services, SMALL, report=lambda done, total: calls.append((done, total)))
    dones = [done for done, _ in calls]
    assert calls[0][0] == 0 and dones == sorted(dones) and calls[-1][0] == calls[-1][1] > 0
    assert len({total for _, total in calls}) == 1


def _fingerprint(services: Services) -> tuple[object, ...]:
    """Everything about a demo except UUIDs and timestamps, in id order."""
    rows = sorted(services.subjects.rows(), key=lambda r: r.id)
    with services.sessions() as session:
        awards = session.execute(select(
            Award.subject_id, Award.award_code, Award.year, Award.decision_number,
            Award.decision_date, Award.issuer, Award.revoked_on).order_by(Award.id)).all()
        ratings = session.execute(select(
            AnnualRating.subject_id, AnnualRating.year, AnnualRating.rating).order_by(AnnualRating.id)).all()
        nominations = session.execute(select(
            Nomination.subject_id, Nomination.award_code, Nomination.year, Nomination.state,
            Nomination.returned_reason, Nomination.notice_ends_on).order_by(Nomination.id)).all()
        votes = session.execute(select(CouncilVote.nomination_id, CouncilVote.votes_for)
                                .order_by(CouncilVote.id)).all()
    return (
        [(r.id, r.kind, r.name, r.birth_date, r.citizen_id, r.category, r.unit, r.village) for r in rows],
        awards, ratings, nominations, votes,
    )


def test_same_seed_gives_the_same_commune(services: Services, tmp_path: Path) -> None:
    build_demo(services, SMALL, seed=7)
    for seed, same in ((7, True), (8, False)):
        other = open_database(tmp_path / f"other-{seed}.sqlite")
        try:
            other_services = Services.create(sessionmaker(other.engine, expire_on_commit=False), SYSTEM_ACTOR)
            build_demo(other_services, SMALL, seed=seed)
            assert (_fingerprint(other_services) == _fingerprint(services)) is same
        finally:
            other.close()


def test_titles_respect_the_rules(demo: Services) -> None:
    with demo.sessions() as session:
        ratings = {(s, y): r for s, y, r in session.execute(
            select(AnnualRating.subject_id, AnnualRating.year, AnnualRating.rating))}
        awards = session.scalars(select(Award)).all()
        initiatives = {(s, y) for s, y in session.execute(select(Initiative.subject_id, Initiative.year))}
        members = session.execute(select(CollectiveMember.collective_id, CollectiveMember.individual_id,
                                         CollectiveMember.joined_on)).all()
    rated = {s for s, _ in ratings}
    held = defaultdict(set)
    for award in awards:
        held[award.award_code].add((award.subject_id, award.year))
    for subject_id, year in held["LDTT"]:
        if subject_id in rated:
            assert ratings.get((subject_id, year)) in ("tot", "htxs")
    assert held["CSTDCS"], "a demo should show some CSTĐCS"
    for subject_id, year in held["CSTDCS"]:
        assert (subject_id, year) in held["LDTT"]
        has_initiative = (subject_id, year) in initiatives
        assert has_initiative or ratings[(subject_id, year)] == "htxs"
        if year < 2024:  # the 2003 law always required an initiative
            assert has_initiative
    unit_members: dict[int, list[tuple[int, date | None]]] = defaultdict(list)
    for collective_id, individual_id, joined_on in members:
        unit_members[collective_id].append((individual_id, joined_on))
    for collective_id, year in held["TTLDTT"]:
        if collective_id in unit_members:
            present = [i for i, joined in unit_members[collective_id] if joined and joined <= date(year, 6, 30)]
            advanced = sum((i, year) in held["LDTT"] for i in present)
            assert advanced * 2 > len(present)
    for award in awards:
        if award.award_code == "BK_TINH" and award.basis_kind == "annual_duty":  # not for a sudden feat
            assert {(award.subject_id, award.year - 1), (award.subject_id, award.year)} <= held["CSTDCS"]


def test_decisions_follow_issuer_and_law_by_date(demo: Services) -> None:
    with demo.sessions() as session:
        awards = session.scalars(select(Award)).all()
    for award in awards:
        assert award.decision_date is not None and award.decision_number.endswith("/QĐ-UBND")
        if award.basis_kind == "annual_duty" and award.award_code != "BK_TINH":
            assert award.decision_date.year == award.year + 1 and award.decision_date.month <= 3
        if award.legal_basis:  # the province's and district's answers are recorded without it
            law_2022 = award.decision_date >= date(2024, 1, 1)
            assert ("06/2022/QH15" in award.legal_basis) is law_2022
        if award.award_code in ("CSTDCS", "TTLDTT", "THON_VH"):
            before_reform = award.decision_date < date(2025, 7, 1)
            assert award.issuer.startswith("Chủ tịch UBND huyện") is before_reform
        if award.award_code in ("LDTT", "GDVH"):
            assert award.issuer == "Chủ tịch UBND xã Phước An"


def test_history_has_streaks_a_revocation_and_discipline(demo: Services) -> None:
    with demo.sessions() as session:
        awards = session.scalars(select(Award)).all()
        disciplines = session.scalars(select(Discipline)).all()
        households = session.scalar(select(Subject.id).where(Subject.kind == "household").limit(1))
        assert households is not None
    revoked = sorted((a for a in awards if a.revoked_on is not None), key=lambda a: a.year)
    assert [a.award_code for a in revoked] == ["CSTDCS", "LDTT"]  # one long ago, one by a decision item
    assert all(a.revoked_reason for a in revoked)
    standing = {(a.subject_id, a.year) for a in awards if a.award_code == "CSTDCS" and a.revoked_on is None}
    assert any((s, y - 1) in standing for s, y in standing), "some CSTĐCS run two years or more"
    assert 1 <= len(disciplines) <= 2
    punished = next(d for d in disciplines if d.form == "khien_trach")
    assert not [a for a in awards if a.subject_id == punished.subject_id and a.year == punished.decided_on.year]
    by_year = Counter((a.award_code, a.year) for a in awards)
    last = date.today().year - 1
    assert by_year[("GDVH", last)] > 0.7 * 800
    assert by_year[("THON_VH", last)] > 0.5 * 12
    assert by_year[("TTLDTT", last)] > 0


def test_people_are_plausible(demo: Services) -> None:
    today = date.today()
    with demo.sessions() as session:
        people = session.scalars(select(Individual)).all()
        heads = session.scalars(select(HouseholdMember.individual_id).where(HouseholdMember.is_head)).all()
        for person in people:
            if person.citizen_id is not None:
                assert len(person.citizen_id) == 12 and person.citizen_id.isdigit()
                century = 0 if person.birth_date.year < 2000 else 2
                assert int(person.citizen_id[3]) == century + (person.gender == "female")
                assert person.citizen_id[4:6] == f"{person.birth_date.year % 100:02d}"
            if person.employment_start is not None:
                born = person.birth_date
                assert born.replace(year=born.year + 18, day=min(born.day, 28)) < person.employment_start <= today
    employment = Counter(p.employment for p in people)
    assert 50 <= employment["can_bo"] + employment["cong_chuc"] <= 80
    assert employment["vien_chuc"] > 0 and employment["nong_dan"] > employment["can_bo"]
    adults = [p for p in people if p.birth_date.year <= today.year - 18]
    assert sum(p.citizen_id is not None for p in adults) > 0.9 * len(adults)
    families = Counter(p.name.split()[0] for p in people)
    assert families.most_common(1)[0][0] == "Nguyễn" and 0.28 < families["Nguyễn"] / len(people) < 0.45
    assert 0 < sum(p.ethnic_minority for p in people) < 0.15 * len(people)
    assert len(heads) == 800
    villages = demo.subjects.rows("village")
    assert len({v.name for v in villages}) == 12 and all(v.category == "thon" for v in villages)


def test_names_are_nfc_and_found_without_diacritics(demo: Services) -> None:
    rows = demo.subjects.rows()
    assert all(unicodedata.is_normalized("NFC", r.name) for r in rows)
    person = next(r for r in rows if r.kind == "individual" and r.name.startswith("Đ"))
    typed = fold(person.name)
    assert typed.isascii() and typed.startswith("d")
    assert person.id in {r.id for r in demo.subjects.search(typed)}
    assert person.id in {r.id for r in demo.subjects.search(" ".join(w[:2] for w in typed.split()))}


def test_derived_keys_are_those_the_register_computes(demo: Services) -> None:
    with demo.sessions() as session:
        stored = {s.id: (s.search_text, s.sort_key) for s in session.scalars(select(Subject))}
    for subject_id in list(stored)[::37]:
        data = demo.subjects.data(subject_id)
        assert stored[subject_id] == (search_text(data), sort_key(data))


def test_a_ward_gets_residential_groups_and_its_own_issuer(services: Services) -> None:
    ward = next(c for c in divisions.communes(75) if c.kind == "phường")
    services.commune.save(CommuneSetup(
        province_code=75, commune_code=ward.code, place_name=divisions.default_place_name(ward),
        officials=(OfficialData("chairman", "Nguyễn Văn An"),),
    ))
    summary = build_demo(services, SMALL)
    assert "4 tổ dân phố, 4 năm lịch sử;" in str(summary)
    setup = services.commune.get()
    assert setup is not None and [o.full_name for o in setup.people("chairman")] == ["Nguyễn Văn An"]
    assert len(setup.people("council_member")) >= 3  # the demo's council joins the officer's setup
    assert {v.category for v in services.subjects.rows("village")} == {"to_dan_pho"}
    with services.sessions() as session:
        issuers = set(session.scalars(select(Award.issuer).where(Award.award_code == "LDTT")))
    assert issuers == {f"Chủ tịch UBND phường {divisions.default_place_name(ward)}"}


def test_unusual_sizes_still_build(services: Services) -> None:
    summary = build_demo(services, DemoSizes(individuals=40, collectives=3, households=60, villages=0, years=1))
    assert (summary.individuals, summary.collectives, summary.households, summary.villages) == (40, 3, 60, 0)
    assert services.subjects.count() == 103


def test_scaled_sizes_keep_the_default_proportions() -> None:
    assert DemoSizes.scaled(2000) == DemoSizes()
    assert DemoSizes.scaled(300) == DemoSizes(individuals=300, collectives=9, households=120, villages=2, years=5)
    tiny = DemoSizes.scaled(3)
    assert (tiny.individuals, tiny.collectives, tiny.villages) == (3, 1, 1)
    assert all(DemoSizes.scaled(n).households <= n for n in range(60))


def test_refuses_a_register_that_already_has_subjects(services: Services) -> None:
    services.subjects.create(IndividualData("Nguyễn Văn Thật", "male"))
    with pytest.raises(DemoRefusedError, match="đã có 1 đối tượng"):
        build_demo(services, SMALL)
    assert services.subjects.count() == 1


def test_cancelling_leaves_the_database_as_it_was(services: Services) -> None:
    calls = 0

    def report(done: int, total: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise CancelledError("Đã hủy.")

    with pytest.raises(CancelledError):
        build_demo(services, report=report)
    assert services.subjects.count() == 0
    with services.sessions() as session:
        assert session.scalars(select(Award.id)).first() is None


def test_demo_command_fills_a_new_database_with_the_demo_accounts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mau.sqlite"
    assert main(["--db", str(path), "demo", "--individuals", "300"]) == 0
    out = capsys.readouterr().out
    assert "300 cá nhân, 9 tập thể, 120 hộ, 2 thôn, 5 năm lịch sử" in out
    assert f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):" in out
    assert all(f"  {account.username}\t" in out for account in DEMO_ACCOUNTS)

    monkeypatch.setenv("TDKT_PASSWORD", DEMO_PASSWORD)
    assert main(["--db", str(path), "--user", "chutich", "audit", "verify"]) == 0
    assert main(["--db", str(path), "--user", "canbo", "demo"]) == 1  # a second run must not mix two demos
    assert "đã có" in capsys.readouterr().err


def test_demo_accounts_cover_every_role_and_sign_in(tmp_path: Path) -> None:
    database = open_database(tmp_path / "mau.sqlite")
    try:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        officer = create_demo_accounts(sessions, AuditTrail(sessions))
        assert (officer.username, officer.role, officer.is_admin) == ("canbo", Role.OFFICER, True)
        assert {a.role for a in DEMO_ACCOUNTS} == set(Role)
        accounts = Accounts(sessions, AuditTrail(sessions))
        for account in DEMO_ACCOUNTS:
            actor = accounts.sign_in(account.username, DEMO_PASSWORD)
            assert (actor.role, actor.must_change_password) == (account.role, False)
    finally:
        database.close()


def test_demo_accounts_are_refused_beside_real_data(services: Services) -> None:
    services.subjects.create(IndividualData("Nguyễn Văn Thật", "male"))
    with pytest.raises(DemoRefusedError, match="đã có dữ liệu"):
        create_demo_accounts(services.sessions, services.audit)


def test_a_viewer_cannot_build_the_demo(services: Services) -> None:
    viewer = Services.create(services.sessions, replace(services.actor, role=Role.VIEWER))
    with pytest.raises(PermissionDeniedError):
        build_demo(viewer, SMALL)
    assert services.subjects.count() == 0


def test_every_demo_record_has_its_audit_entry(demo: Services) -> None:
    entities = {Subject: ("subject",), AnnualRating: ("annual_rating",),
                Award: ("award",), Initiative: ("initiative",), Discipline: ("discipline",),
                CollectiveMember: ("collective_member",)}
    for model, names in entities.items():
        with demo.sessions() as session:
            records = session.scalar(select(func.count()).select_from(model))
        created = sum(demo.audit.count(AuditFilter(action="create", entity=name, user_id=demo.actor.user_id))
                      for name in names)
        assert created == records, model
    assert demo.audit.verify().ok


def test_someone_turning_18_today_does_not_start_work_tomorrow() -> None:
    """The register refuses a start date in the future («Ngày bắt đầu công tác ở tương lai»);
    the demo failed to build on the days one of its people turned 18."""
    import random

    from app.demo import DemoSizes
    from app.demo_register import Person, RegisterPlanner

    planner = RegisterPlanner(random.Random(7), DemoSizes(), None, 1)  # type: ignore[arg-type]
    planner.today = date(2026, 11, 24)
    person = Person("male", date(2008, 11, 24), "Nguyễn", None)
    assert all(planner._start(person, 18) <= planner.today for _ in range(50))
