"""Statistics against a register counted by hand.

The register (built through the real services by `register`):

  villages   Thôn Một (difficult area), Thôn Hai
  people     Nguyễn Văn An   male, nông dân, Kinh, lives in Thôn Một          → direct, difficult
             Lê Thị Bình     female, công chức, Tày (minority), own difficult flag
             Trần Thị Cúc    female, employment «Khác», ethnicity empty, Thôn Hai → both unknown
             Phạm Văn Dũng   male, người lao động marked direct labour          → direct
  collectives Tổ sản xuất số 1 (tổ, đội), Văn phòng UBND xã (agency), Câu lạc bộ thơ (kind «Khác»)
  household  Hộ ông Nguyễn Văn An

  2024  An LDTT (commune) · Bình LDTT (commune) · Bình CSTDCS (district) · Cúc GK_XA sudden
        (commune) · Dũng BK_TINH decided 01/03/2025 (province) · Tổ TTLDTT (district) ·
        Văn phòng TTLDTT REVOKED · Hộ GDVH without a date (commune) · Thôn Một THON_VH
        (district) · Câu lạc bộ GK_XA (commune)                          → 9 counted
  2025  An LDTT 15/12 (commune) · Bình CSTDCS 15/12 (commune after 01/07/2025) · Tổ TTLDTT
        10/06 (district, before the reform) · Văn phòng BK_TTG sudden (state) · Cúc OTHER
        (other)                                                          → 5 counted
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import event

from app.errors import ValidationError
from app.history import AwardRecord, InitiativeRecord
from app.movements import FINAL, LAUNCHED, MIDTERM, REGULAR, RUNNING, THEMATIC, CLOSED, MovementPlan
from app.services import Services
from app.statistics import LEVEL_LABELS, Figure, Level, Statistics, StatisticsService
from app.subject_data import CollectiveData, HouseholdData, IndividualData, VillageData


@dataclass(frozen=True)
class Register:
    an: int
    binh: int
    cuc: int
    dung: int
    team: int
    office: int
    club: int
    household: int
    village: int


def register(services: Services) -> Register:
    difficult, plain = services.subjects.create_many([
        VillageData("Thôn Một", difficult_area=True), VillageData("Thôn Hai")])
    an, binh, cuc, dung, team, office, club, household = services.subjects.create_many([
        IndividualData("Nguyễn Văn An", "male", employment="nong_dan", village_id=difficult),
        IndividualData("Lê Thị Bình", "female", employment="cong_chuc", ethnicity="Tày",
                       ethnic_minority=True, difficult_area=True),
        IndividualData("Trần Thị Cúc", "female", employment="other", ethnicity="", village_id=plain),
        IndividualData("Phạm Văn Dũng", "male", employment="nguoi_lao_dong", direct_labour=True),
        CollectiveData("Tổ sản xuất số 1", collective_kind="team"),
        CollectiveData("Văn phòng UBND xã", collective_kind="agency"),
        CollectiveData("Câu lạc bộ thơ", collective_kind="other"),
        HouseholdData("Hộ ông Nguyễn Văn An", village_id=difficult),
    ])
    built = Register(an, binh, cuc, dung, team, office, club, household, difficult)
    for subject_id, record in awards(built):
        services.history.save(subject_id, record)
    services.history.save(binh, InitiativeRecord(2024, "Cải tiến sổ theo dõi"))
    services.history.save(an, InitiativeRecord(2025, "Giống lúa chịu hạn"))
    return built


def awards(r: Register) -> list[tuple[int, AwardRecord]]:
    def award(code: str, year: int, day: date | None, **extra: object) -> AwardRecord:
        return AwardRecord(code, year, decision_number=f"{code}/{year}", decision_date=day, **extra)

    december = date(2024, 12, 20)
    return [
        (r.an, award("LDTT", 2024, december)),
        (r.binh, award("LDTT", 2024, december)),
        (r.binh, award("CSTDCS", 2024, date(2024, 12, 25))),
        (r.cuc, award("GK_XA", 2024, date(2024, 5, 1), basis_kind="sudden")),
        (r.dung, award("BK_TINH", 2024, date(2025, 3, 1))),
        (r.team, award("TTLDTT", 2024, december)),
        (r.office, award("TTLDTT", 2024, december, revoked_on=date(2025, 2, 1), revoked_reason="Sai sót")),
        (r.household, award("GDVH", 2024, None)),
        (r.village, award("THON_VH", 2024, december)),
        (r.club, award("GK_XA", 2024, december)),
        (r.an, award("LDTT", 2025, date(2025, 12, 15))),
        (r.binh, award("CSTDCS", 2025, date(2025, 12, 15))),
        (r.team, award("TTLDTT", 2025, date(2025, 6, 10))),
        (r.office, award("BK_TTG", 2025, date(2025, 12, 20), basis_kind="sudden")),
        (r.cuc, award("OTHER", 2025, date(2025, 10, 1))),
    ]


def movements(services: Services) -> None:
    """2024: two launched, one closed (tổng kết) · 2025: one launched, two reviewed (sơ kết), one closed."""
    def movement(year: int, kind: str, name: str, starts: date, steps: list[tuple[str, date]]) -> None:
        row = services.movements.create(MovementPlan(
            year, kind, name, plan_number="01/KH-UBND", starts_on=starts,
            ends_on=None if kind == REGULAR else date(year + 1, 6, 30)))
        for step, on in steps:
            services.movements.advance(row.id, step, on)

    movement(2024, THEMATIC, "Dân vận khéo", date(2024, 3, 1), [
        (LAUNCHED, date(2024, 3, 1)), (RUNNING, date(2024, 3, 5)), (FINAL, date(2024, 9, 1)),
        (CLOSED, date(2024, 9, 10))])
    movement(2024, THEMATIC, "Chuyển đổi số", date(2024, 11, 1), [
        (LAUNCHED, date(2024, 11, 1)), (RUNNING, date(2024, 11, 2)), (MIDTERM, date(2025, 1, 15))])
    movement(2025, REGULAR, "Thi đua yêu nước năm 2025", date(2025, 1, 1), [
        (LAUNCHED, date(2025, 2, 1)), (RUNNING, date(2025, 2, 10)), (MIDTERM, date(2025, 7, 1)),
        (FINAL, date(2025, 12, 10))])
    movement(2025, THEMATIC, "Còn dự thảo", date(2025, 5, 1), [])


@pytest.fixture
def statistics(services: Services) -> StatisticsService:
    return StatisticsService(services.sessions)


def counts(figures: tuple[Figure, ...]) -> dict[str, int]:
    return {figure.key: figure.count for figure in figures}


def shares(stats: Statistics) -> dict[str, tuple[int, int | None, int]]:
    return {f.key: (f.count, f.denominator, f.unknown) for f in stats.priority}


# --- the figures -------------------------------------------------------------------------


def test_a_year_is_counted_by_award_level_and_subject_kind(services: Services,
                                                           statistics: StatisticsService) -> None:
    register(services)
    stats = statistics.figures(2024)
    assert (stats.year_from, stats.year_to, stats.total) == (2024, 2024, 9)  # the revoked one is not counted
    assert counts(stats.by_award) == {"award:LDTT": 2, "award:CSTDCS": 1, "award:TTLDTT": 1, "award:GDVH": 1,
                                      "award:THON_VH": 1, "award:GK_XA": 2, "award:BK_TINH": 1}
    assert [f.key for f in stats.by_award] == ["award:LDTT", "award:CSTDCS", "award:TTLDTT", "award:GDVH",
                                               "award:THON_VH", "award:GK_XA", "award:BK_TINH"]
    assert stats.by_award[0].label == "Lao động tiên tiến"
    assert counts(stats.by_level) == {"level:commune": 5, "level:district": 3, "level:province": 1,
                                      "level:state": 0, "level:other": 0}
    assert [f.label for f in stats.by_level] == [LEVEL_LABELS[level] for level in Level]
    assert counts(stats.by_subject_kind) == {"kind:individual": 5, "kind:collective": 2,
                                             "kind:household": 1, "kind:village": 1}
    assert stats.rule_sets == ("2024-ND98",)
    assert stats.initiatives == 1


def test_priority_shares_with_their_denominators_and_unknowns(services: Services,
                                                              statistics: StatisticsService) -> None:
    register(services)
    stats = statistics.figures(2024)
    assert shares(stats) == {
        "priority:direct_labour": (2, 5, 1),  # An (nông dân), Dũng (marked); Cúc «Khác» unknown
        "priority:women": (3, 5, 0),  # Bình twice, Cúc
        "priority:ethnic_minority": (2, 5, 1),  # Bình twice; Cúc's ethnicity empty
        "priority:difficult_area": (3, 5, 0),  # An by his village, Bình by her own flag (twice)
        "priority:small_collective": (2, 3, 1),  # Tổ, Thôn Một over Tổ, Câu lạc bộ, Thôn Một
        "priority:household": (1, 9, 0),
        "priority:sudden": (1, 3, 0),  # Cúc's Giấy khen over the forms: two Giấy khen, one Bằng khen
    }
    women = stats.figure("priority:women")
    assert women is not None and women.share == pytest.approx(0.6)
    assert "nữ" in women.label.lower() and "cá nhân" in women.label


def test_a_period_spanning_the_reform_counts_levels_by_decision_date(services: Services,
                                                                     statistics: StatisticsService) -> None:
    register(services)
    year = statistics.figures(2025)
    # CSTĐCS decided 15/12/2025 is the commune's; TTLĐTT decided 10/06/2025 still the district's.
    assert counts(year.by_level) == {"level:commune": 2, "level:district": 1, "level:province": 0,
                                     "level:state": 1, "level:other": 1}
    assert year.rule_sets == ("2024-ND98", "2025-ND152")
    assert any(note.startswith("Năm 2025 trải qua hai bộ quy định (") for note in year.notes)
    period = statistics.figures(2024, 2025)
    assert period.total == 14
    assert counts(period.by_level) == {"level:commune": 7, "level:district": 4, "level:province": 1,
                                       "level:state": 1, "level:other": 1}
    assert shares(period)["priority:women"] == (5, 8, 0)
    assert shares(period)["priority:sudden"] == (2, 5, 0)  # the 2024 three, BK_TTG and OTHER of 2025
    assert any(note.startswith("Giai đoạn 2024–2025 trải qua hai bộ quy định") for note in period.notes)
    assert period.initiatives == 2


def test_an_award_decided_next_year_brings_that_years_rule_set(services: Services,
                                                               statistics: StatisticsService) -> None:
    built = register(services)
    services.history.save(built.an, AwardRecord("CSTDCS", 2024, decision_date=date(2025, 8, 1)))
    stats = statistics.figures(2024)
    assert stats.rule_sets == ("2024-ND98", "2025-ND152")
    assert counts(stats.by_level)["level:commune"] == 6  # CSTĐCS decided after 01/07/2025


def test_a_year_without_data_says_so_and_divides_by_nothing(services: Services,
                                                            statistics: StatisticsService) -> None:
    register(services)
    stats = statistics.figures(2023)
    assert stats.total == 0 and stats.by_award == () and stats.initiatives == 0
    assert all(f.count == 0 and f.denominator == 0 and f.share is None for f in stats.priority)
    assert "Năm 2023 chưa có dữ liệu khen thưởng." in stats.notes
    assert stats.rule_sets == ("2017-ND91",)
    assert statistics.figures(2023, 2024).notes[0] == "Năm 2023 chưa có dữ liệu khen thưởng."


def test_notes_name_the_unknowns_the_revoked_and_the_undated(services: Services,
                                                             statistics: StatisticsService) -> None:
    register(services)
    notes = statistics.figures(2024).notes
    assert "Không tính 1 khen thưởng đã bị thu hồi." in notes
    assert any(note.startswith("1 khen thưởng không ghi ngày quyết định") for note in notes)
    unknown = [note for note in notes if "không rõ" in note]
    assert len(unknown) == 3  # employment, ethnicity, collective kind
    assert any("1 trong 5 khen thưởng" in note and "không rõ đối tượng" in note for note in unknown)
    assert any("1 trong 3 khen thưởng" in note and "không rõ loại tập thể" in note for note in unknown)


def test_movements_launched_reviewed_and_closed_in_the_period(services: Services,
                                                             statistics: StatisticsService) -> None:
    movements(services)
    assert counts(statistics.figures(2024).movements) == {
        "movement:launched": 2, "movement:reviewed": 0, "movement:closed": 1}
    assert counts(statistics.figures(2025).movements) == {
        "movement:launched": 1, "movement:reviewed": 2, "movement:closed": 1}
    assert counts(statistics.figures(2024, 2025).movements)["movement:launched"] == 3


def test_the_trend_gives_each_years_priority_figures(services: Services, statistics: StatisticsService) -> None:
    register(services)
    trend = dict(statistics.trend([2023, 2024, 2025]))
    assert list(trend) == [2023, 2024, 2025]
    women = {year: next(f for f in figures if f.key == "priority:women") for year, figures in trend.items()}
    assert [(f.count, f.denominator, f.share) for f in women.values()] == [
        (0, 0, None), (3, 5, pytest.approx(0.6)), (2, 3, pytest.approx(2 / 3))]
    assert statistics.trend([]) == []


def test_as_json_is_plain_data(services: Services, statistics: StatisticsService) -> None:
    import json

    register(services)
    data = statistics.figures(2024).as_json()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["total"] == 9 and data["priority"][1] == {
        "key": "priority:women", "label": "Nữ (trên khen thưởng cá nhân)", "count": 3, "denominator": 5,
        "unknown": 0}


# --- the records behind a figure ---------------------------------------------------------


def names(rows: list) -> list[str]:
    return [row.subject_name for row in rows]


def test_records_behind_figures_match_their_counts(services: Services, statistics: StatisticsService) -> None:
    register(services)
    stats = statistics.figures(2024, 2025)
    keys = [f.key for group in (stats.by_award, stats.by_level, stats.by_subject_kind, stats.priority)
            for f in group]
    for key in keys:
        figure = stats.figure(key)
        assert figure is not None
        assert len(statistics.records(key, 2024, 2025)) == figure.count, key
    for figure in stats.priority:
        assert len(statistics.records(f"{figure.key}:base", 2024, 2025)) == figure.denominator
        assert len(statistics.records(f"{figure.key}:unknown", 2024, 2025)) == figure.unknown
    assert len(statistics.records("total", 2024, 2025)) == stats.total


def test_records_are_in_vietnamese_name_order_with_their_decision(services: Services,
                                                                  statistics: StatisticsService) -> None:
    register(services)
    district = statistics.records("level:district", 2024)
    # Persons by given name (Bình), then names word by word: «Thôn» before «Tổ».
    assert names(district) == ["Lê Thị Bình", "Thôn Một", "Tổ sản xuất số 1"]
    first = district[0]
    assert (first.award_label, first.year, first.decision_number, first.decision_date,
            first.subject_kind_label) == ("Chiến sĩ thi đua cơ sở", 2024, "CSTDCS/2024", date(2024, 12, 25),
                                          "Cá nhân")
    assert names(statistics.records("priority:women", 2024)) == ["Lê Thị Bình", "Lê Thị Bình", "Trần Thị Cúc"]
    assert names(statistics.records("priority:direct_labour:unknown", 2024)) == ["Trần Thị Cúc"]
    assert "Văn phòng UBND xã" not in names(statistics.records("total", 2024))  # revoked


def test_records_refuse_a_key_without_awards(services: Services, statistics: StatisticsService) -> None:
    for key in ("movement:launched", "level:county", "priority:nobody", "kind:", "bogus"):
        with pytest.raises(ValidationError):
            statistics.records(key, 2024)
    with pytest.raises(ValidationError):
        statistics.figures(2025, 2024)


# --- by SQL --------------------------------------------------------------------------------


@contextmanager
def counted(services: Services) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = services.sessions.kw["bind"]

    def listener(_connection: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def test_the_statements_do_not_grow_with_the_awards(services: Services, statistics: StatisticsService) -> None:
    built = register(services)
    with counted(services) as statements:
        statistics.figures(2024, 2025)
        statistics.records("priority:women", 2024, 2025)
        statistics.trend([2024, 2025])
    before = len(statements)
    for year in (2024, 2025):
        for subject_id in (built.an, built.binh, built.cuc, built.dung):
            services.history.save(subject_id, AwardRecord("GK_XA", year, decision_date=date(year, 12, 30)))
    with counted(services) as statements:
        stats = statistics.figures(2024, 2025)
        statistics.records("priority:women", 2024, 2025)
        statistics.trend([2024, 2025])
    assert stats.total == 22
    assert len(statements) == before == 6  # figures 4, records 1, trend 1
