"""History by year: ratings, awards, initiatives and discipline, with their rules."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.audit import AuditFilter
from app.errors import NotFoundError, ValidationError
from app.history import AwardRecord, DisciplineRecord, InitiativeRecord, RatingRecord
from app.services import Services
from app.subject_data import IndividualData, SubjectRow, VillageData


@pytest.fixture
def someone(services: Services) -> SubjectRow:
    return services.subjects.create(IndividualData("Vũ Thị Hằng", "female", date(1988, 6, 1)))


def test_every_kind_of_record_round_trips(services: Services, someone: SubjectRow) -> None:
    records = [
        RatingRecord(2024, "htxs", "Xếp loại cuối năm"),
        AwardRecord("CSTDCS", 2024, "15/QĐ-UBND", date(2025, 1, 20), "Chủ tịch UBND huyện Long Thành",
                    "Luật Thi đua, khen thưởng 06/2022/QH15"),
        InitiativeRecord(2024, "Số hóa hồ sơ một cửa", "base", "Hội đồng sáng kiến xã", "03/QĐ-UBND",
                         date(2024, 11, 2)),
        DisciplineRecord("khien_trach", date(2021, 3, 1), date(2022, 3, 1), "Chậm báo cáo"),
    ]
    saved = [services.history.save(someone.id, record) for record in records]
    history = services.history.of(someone.id)
    assert (history.ratings, history.awards, history.initiatives, history.disciplines) == tuple(
        (s,) for s in saved
    )


def test_one_rating_per_year(services: Services, someone: SubjectRow) -> None:
    first = services.history.save(someone.id, RatingRecord(2024, "tot"))
    with pytest.raises(ValidationError, match="2024 đã có xếp loại"):
        services.history.save(someone.id, RatingRecord(2024, "htxs"))
    services.history.save(someone.id, RatingRecord(2024, "htxs", id=first.id))  # editing is fine
    assert [r.rating for r in services.history.of(someone.id).ratings] == ["htxs"]


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (RatingRecord(1900, "tot"), "year"),
        (RatingRecord(2024, "gioi"), "rating"),
        (AwardRecord("XYZ", 2024), "award_code"),
        (AwardRecord("GDVH", 2024), "award_code"),  # a household title, not for a person
        (AwardRecord("LDTT", 2024, decision_date=date(2023, 12, 1)), "decision_date"),
        (AwardRecord("BK_TINH", 2024, period_start=2025), "period_start"),
        (AwardRecord("LDTT", 2024, decision_date=date(2025, 1, 5), revoked_on=date(2025, 6, 1)),
         "revoked_reason"),
        (InitiativeRecord(2024, " "), "title"),
        (DisciplineRecord("canh_cao", date(2024, 5, 1), date(2024, 1, 1)), "ends_on"),
    ],
)
def test_invalid_records_are_refused(
    services: Services, someone: SubjectRow, record: object, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.history.save(someone.id, record)  # type: ignore[arg-type]
    assert raised.value.field == field
    history = services.history.of(someone.id)
    assert not (history.ratings or history.awards or history.initiatives or history.disciplines)


def test_village_title_is_accepted_for_a_village(services: Services) -> None:
    village = services.subjects.create(VillageData("Thôn Bình Lợi"))
    services.history.save(village.id, AwardRecord("THON_VH", 2024, "02/QĐ-UBND", date(2025, 2, 10)))
    assert [a.award_code for a in services.history.of(village.id).awards] == ["THON_VH"]


def test_delete_record_and_subject_history_goes_with_subject(services: Services, someone: SubjectRow) -> None:
    rating = services.history.save(someone.id, RatingRecord(2023, "tot"))
    award = services.history.save(someone.id, AwardRecord("LDTT", 2023))
    services.history.delete(RatingRecord, rating.id, "Ghi nhầm")  # type: ignore[arg-type]
    assert services.history.of(someone.id).ratings == ()
    with pytest.raises(NotFoundError):
        services.history.delete(RatingRecord, rating.id, "Ghi nhầm")  # type: ignore[arg-type]
    services.subjects.delete(someone.id, "Chuyển đi")
    with pytest.raises(NotFoundError):
        services.history.delete(AwardRecord, award.id, "Ghi nhầm")  # type: ignore[arg-type]


def test_record_of_another_subject_cannot_be_edited_through_this_one(
    services: Services, someone: SubjectRow
) -> None:
    other = services.subjects.create(IndividualData("Lò Văn Pấng", "male", date(1979, 1, 1)))
    rating = services.history.save(other.id, RatingRecord(2024, "tot"))
    with pytest.raises(NotFoundError):
        services.history.save(someone.id, RatingRecord(2024, "kht", id=rating.id))


def test_delete_many_in_removes_each_with_an_audit_entry_carrying_the_reason(
        services: Services, sessions: sessionmaker[Session], someone: SubjectRow) -> None:
    first = services.history.save(someone.id, RatingRecord(2023, "tot"))
    second = services.history.save(someone.id, RatingRecord(2024, "htxs"))
    with sessions.begin() as session:
        removed = services.history.delete_many_in(session, RatingRecord, [first.id, second.id],  # type: ignore[list-item]
                                                  "  Nhập nhầm năm  ")
    assert removed == 2 and services.history.of(someone.id).ratings == ()
    deleted = [e for e in services.audit.entries(AuditFilter(entity="annual_rating")) if e.action == "delete"]
    assert sorted(e.summary for e in deleted) == [
        "Xóa xếp loại năm 2023 của cá nhân «Vũ Thị Hằng»", "Xóa xếp loại năm 2024 của cá nhân «Vũ Thị Hằng»"]
    assert {e.reason for e in deleted} == {"Nhập nhầm năm"}


def test_delete_many_in_refuses_the_whole_batch_for_a_missing_record_or_no_reason(
        services: Services, sessions: sessionmaker[Session], someone: SubjectRow) -> None:
    rating = services.history.save(someone.id, RatingRecord(2023, "tot"))
    with pytest.raises(NotFoundError), sessions.begin() as session:
        services.history.delete_many_in(session, RatingRecord, [rating.id, 999_999], "Nhập nhầm")  # type: ignore[list-item]
    with pytest.raises(ValidationError), sessions.begin() as session:
        services.history.delete_many_in(session, RatingRecord, [rating.id], "  ")  # type: ignore[list-item]
    assert [r.year for r in services.history.of(someone.id).ratings] == [2023]
    assert not [e for e in services.audit.entries(AuditFilter(entity="annual_rating")) if e.action == "delete"]
