"""Snapshots for the checker built from the register: history, members, revoked awards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from app.eligibility.snapshot import (
    DisciplinePeriod,
    PastAward,
    PastInitiative,
    SubjectSnapshot,
    YearRating,
)
from app.eligibility_snapshots import subject_snapshot
from app.errors import NotFoundError
from app.history import AwardRecord, DisciplineRecord, InitiativeRecord, RatingRecord
from app.services import Services
from app.subject_data import CollectiveData, IndividualData, VillageData
from db.models import Award, CollectiveMember


def _snapshot(sessions: sessionmaker[Session], subject_id: int) -> SubjectSnapshot:
    with sessions() as session:
        return subject_snapshot(session, subject_id)


def _person(services: Services, name: str, unit_id: int | None = None, rating: str | None = None) -> int:
    subject_id = services.subjects.create(IndividualData(
        name, "male", employment="cong_chuc", employment_start=date(2020, 1, 1), unit_id=unit_id)).id
    if rating:
        services.history.save(subject_id, RatingRecord(2025, rating))
    return subject_id


def _uuid_of_award(sessions: sessionmaker[Session], subject_id: int, year: int) -> str:
    with sessions() as session:
        return session.query(Award).filter_by(subject_id=subject_id, year=year).one().uuid


@contextmanager
def _statements(sessions: sessionmaker[Session]) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = sessions.kw["bind"]

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001 - event API
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_individual_snapshot_carries_the_whole_history(services: Services,
                                                       sessions: sessionmaker[Session]) -> None:
    row = services.subjects.create(IndividualData(
        "Phạm Thị Lan", "female", employment="vien_chuc", employment_start=date(2019, 8, 15)))
    history = services.history
    history.save(row.id, RatingRecord(2025, "tot"))
    history.save(row.id, RatingRecord(2024, "htxs"))
    history.save(row.id, AwardRecord("CSTDCS", 2024, decision_number="3/QĐ-UBND",
                                     decision_date=date(2025, 1, 10), issuer="UBND xã",
                                     legal_basis="Luật 06/2022/QH15", revoked_on=date(2025, 6, 1),
                                     revoked_reason="Khai không đúng thành tích"))
    history.save(row.id, AwardRecord("GK_XA", 2025, period_start=2024, basis_kind="thematic"))
    history.save(row.id, InitiativeRecord(2024, "Sổ theo dõi điện tử", scope="province",
                                          recognised_by="UBND tỉnh", decision_date=date(2024, 12, 1)))
    history.save(row.id, DisciplineRecord("khien_trach", date(2022, 5, 1), date(2023, 5, 1)))

    snapshot = _snapshot(sessions, row.id)

    assert (snapshot.kind, snapshot.name, snapshot.uuid) == ("individual", "Phạm Thị Lan", row.uuid)
    assert (snapshot.gender, snapshot.employment, snapshot.employment_start) == (
        "female", "vien_chuc", date(2019, 8, 15))
    assert snapshot.ratings == (YearRating(2024, "htxs"), YearRating(2025, "tot"))
    revoked, thematic = snapshot.awards
    assert revoked == PastAward("CSTDCS", 2024, None, "annual_duty", "3/QĐ-UBND", date(2025, 1, 10),
                                "UBND xã", "Luật 06/2022/QH15", date(2025, 6, 1),
                                _uuid_of_award(sessions, row.id, 2024))
    assert (thematic.period_start, thematic.basis_kind, thematic.revoked_on) == (2024, "thematic", None)
    (initiative,) = snapshot.initiatives
    assert initiative == PastInitiative(2024, "Sổ theo dõi điện tử", "province", "UBND tỉnh", "",
                                        date(2024, 12, 1), initiative.uuid)
    assert snapshot.disciplines == (DisciplinePeriod("khien_trach", date(2022, 5, 1), date(2023, 5, 1),
                                                     snapshot.disciplines[0].uuid),)
    assert snapshot.leaves == () and snapshot.members == ()


def test_collective_members_come_from_membership_rows_with_their_dates(
        services: Services, sessions: sessionmaker[Session]) -> None:
    unit = services.subjects.create(CollectiveData("Văn phòng UBND xã")).id
    services.history.save(unit, RatingRecord(2025, "htxs"))
    stays = _person(services, "Bùi Văn An", rating="htxs")
    left = _person(services, "Cao Thị Bích", rating="tot")
    outsider = _person(services, "Đỗ Văn Cường", unit_id=unit, rating="ht")  # a unit member only
    services.history.save(left, AwardRecord("LDTT", 2024, revoked_on=date(2025, 3, 1),
                                            revoked_reason="Sai sót hồ sơ"))
    with sessions.begin() as session:
        session.add_all([
            CollectiveMember(collective_id=unit, individual_id=left, joined_on=date(2018, 1, 1),
                             left_on=date(2025, 6, 30)),
            CollectiveMember(collective_id=unit, individual_id=stays, joined_on=date(2021, 2, 1),
                             left_on=None),
        ])

    snapshot = _snapshot(sessions, unit)

    assert snapshot.kind == "collective" and snapshot.ratings == (YearRating(2025, "htxs"),)
    assert snapshot.gender is None and snapshot.employment is None
    assert [(m.person.name, m.joined_on, m.left_on) for m in snapshot.members] == [
        ("Bùi Văn An", date(2021, 2, 1), None), ("Cao Thị Bích", date(2018, 1, 1), date(2025, 6, 30))]
    bich = snapshot.members[1].person
    assert bich.ratings == (YearRating(2025, "tot"),)
    assert bich.awards[0].revoked_on == date(2025, 3, 1)
    assert bich.employment == "cong_chuc" and bich.employment_start == date(2020, 1, 1)
    assert outsider not in [m.person.uuid for m in snapshot.members]


def test_collective_without_membership_rows_counts_the_people_of_the_unit(
        services: Services, sessions: sessionmaker[Session]) -> None:
    unit = services.subjects.create(CollectiveData("Trường Mầm non Hoa Sen")).id
    other = services.subjects.create(CollectiveData("Trạm Y tế")).id
    _person(services, "Hồ Thị Dung", unit_id=unit, rating="tot")
    _person(services, "Giang Văn Em", unit_id=unit)
    _person(services, "Kim Văn Phúc", unit_id=other, rating="htxs")

    members = _snapshot(sessions, unit).members

    # People sort by given name first, as the register lists them.
    assert [(m.person.name, m.joined_on, m.left_on) for m in members] == [
        ("Hồ Thị Dung", None, None), ("Giang Văn Em", None, None)]
    assert members[0].person.ratings == (YearRating(2025, "tot"),)
    assert members[1].person.ratings == ()


def test_a_member_who_rejoined_appears_twice_with_one_history(
        services: Services, sessions: sessionmaker[Session]) -> None:
    unit = services.subjects.create(CollectiveData("Tổ dân vận")).id
    person = _person(services, "Lý Văn Giang", rating="tot")
    with sessions.begin() as session:
        session.add_all([
            CollectiveMember(collective_id=unit, individual_id=person, joined_on=date(2015, 1, 1),
                             left_on=date(2017, 1, 1)),
            CollectiveMember(collective_id=unit, individual_id=person, joined_on=date(2020, 1, 1),
                             left_on=None),
        ])
    first, second = _snapshot(sessions, unit).members
    assert first.person is second.person
    assert (first.joined_on, second.joined_on) == (date(2015, 1, 1), date(2020, 1, 1))


def test_large_collective_is_read_with_a_fixed_number_of_queries(
        services: Services, sessions: sessionmaker[Session]) -> None:
    unit = services.subjects.create(CollectiveData("Công an xã")).id
    people = services.subjects.create_many(
        IndividualData(f"Người số {n}", "male", unit_id=unit) for n in range(60))
    for person in people[:5]:
        services.history.save(person, RatingRecord(2025, "tot"))

    with _statements(sessions) as statements:
        snapshot = _snapshot(sessions, unit)

    assert len(snapshot.members) == 60
    assert sum(1 for m in snapshot.members if m.person.ratings) == 5
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 8, selects


def test_village_snapshot_has_no_people_fields(services: Services, sessions: sessionmaker[Session]) -> None:
    village = services.subjects.create(VillageData("Thôn Phú Hòa")).id
    assert _snapshot(sessions, village) == SubjectSnapshot(
        "village", "Thôn Phú Hòa", uuid=services.subjects.row(village).uuid)


def test_unknown_subject_is_not_found(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(NotFoundError, match="Không tìm thấy đối tượng số 999"):
        _snapshot(sessions, 999)
