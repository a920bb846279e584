"""The register service: round trips, validation, search and ordering."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from app.errors import NotFoundError, ValidationError
from app.history import RatingRecord
from app.services import Services
from app.subject_data import (
    CollectiveData,
    HouseholdData,
    IndividualData,
    MemberData,
    VillageData,
    search_text,
    sort_key,
    validate,
)
from db.models import Subject


def person(name: str = "Đặng Văn Đức", **changes: object) -> IndividualData:
    values: dict[str, object] = {"full_name": name, "gender": "male", "birth_date": date(1980, 2, 3)}
    values.update(changes)
    return IndividualData(**values)  # type: ignore[arg-type]


def test_individual_round_trip_keeps_every_field(services: Services) -> None:
    village = services.subjects.create(VillageData("Tổ dân phố 3", "to_dan_pho", difficult_area=True))
    unit = services.subjects.create(CollectiveData("Trường Tiểu học Đông Hòa", "school"))
    data = IndividualData(
        full_name="Hà Thị Ngọc Ánh", gender="female", birth_date=date(1992, 12, 31),
        ethnicity="Tày", religion="Phật giáo", home_town="Xã Cao Sơn, tỉnh Cao Bằng",
        residence="Tổ dân phố 3", citizen_id="004192001234", job_title="Giáo viên",
        unit_id=unit.id, village_id=village.id, employment="vien_chuc", direct_labour=False,
        employment_start=date(2015, 9, 1), ethnic_minority=True, difficult_area=True,
        note="Ghi chú",
    )
    row = services.subjects.create(data)
    assert services.subjects.data(row.id) == data
    assert uuid.UUID(row.uuid)
    assert (row.unit, row.village, row.category) == ("Trường Tiểu học Đông Hòa", "Tổ dân phố 3", "vien_chuc")


def test_every_subject_gets_its_own_uuid(services: Services) -> None:
    rows = [services.subjects.create(VillageData(f"Thôn {i}")) for i in range(5)]
    assert len({r.uuid for r in rows}) == 5


def test_names_are_stored_in_nfc_without_extra_spaces(services: Services) -> None:
    import unicodedata

    row = services.subjects.create(person(unicodedata.normalize("NFD", "  Đặng   Văn Đức ")))
    assert row.name == "Đặng Văn Đức"


def test_household_members_round_trip(services: Services) -> None:
    head = services.subjects.create(person("Nguyễn Văn Hùng"))
    wife = services.subjects.create(person("Trần Thị Lan", gender="female"))
    data = HouseholdData("Hộ ông Nguyễn Văn Hùng", members=(
        MemberData(head.id, "Chủ hộ", True), MemberData(wife.id, "Vợ"),
    ))
    row = services.subjects.create(data)
    assert services.subjects.data(row.id) == data


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"full_name": "  "}, "full_name"),
        ({"full_name": "Đức"}, "full_name"),
        ({"gender": "x"}, "gender"),
        ({"birth_date": date(2099, 1, 1)}, "birth_date"),
        ({"citizen_id": "12345"}, "citizen_id"),
        ({"citizen_id": "00108000012a"}, "citizen_id"),
        ({"employment": "boss"}, "employment"),
        ({"employment_start": date(1970, 1, 1)}, "employment_start"),
    ],
)
def test_invalid_individual_is_refused_and_nothing_is_written(
    services: Services, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.subjects.create(person(**changes))
    assert raised.value.field == field
    assert services.subjects.count() == 0


def test_reference_to_a_missing_unit_is_refused(services: Services) -> None:
    with pytest.raises(ValidationError, match="Đơn vị công tác"):
        services.subjects.create(person(unit_id=999))
    assert services.subjects.count() == 0


def test_collective_cannot_be_its_own_ancestor(services: Services) -> None:
    top = services.subjects.create(CollectiveData("UBND xã", "agency"))
    child = services.subjects.create(CollectiveData("Văn phòng", "department", parent_id=top.id))
    with pytest.raises(ValidationError, match="cấp trên"):
        services.subjects.update(top.id, CollectiveData("UBND xã", "agency", parent_id=child.id))


def test_create_many_is_all_or_nothing(services: Services) -> None:
    with pytest.raises(ValidationError):
        services.subjects.create_many([person("Lê Văn Một"), person("Lê Văn Hai"), person("")])
    assert services.subjects.count() == 0


def test_search_ignores_diacritics_and_d_stroke(services: Services) -> None:
    dang = services.subjects.create(person("Đặng Văn Minh"))
    duc = services.subjects.create(person("Lê Đức Thọ"))
    services.subjects.create(person("Nguyễn Văn Đông"))
    assert [r.id for r in services.subjects.search("dang")] == [dang.id]
    assert [r.id for r in services.subjects.search("duc")] == [duc.id]
    assert [r.id for r in services.subjects.search("ĐẶNG minh")] == [dang.id]
    assert {r.name for r in services.subjects.search("van")} == {"Đặng Văn Minh", "Nguyễn Văn Đông"}


def test_search_finds_by_citizen_id_prefix_and_respects_kind(services: Services) -> None:
    found = services.subjects.create(person(citizen_id="075080001234"))
    services.subjects.create(VillageData("Thôn Đặng"))
    assert [r.id for r in services.subjects.search("07508")] == [found.id]
    assert [r.kind for r in services.subjects.search("dang", kind="village")] == ["village"]


def test_search_follows_renames_and_deletions(services: Services) -> None:
    row = services.subjects.create(person("Đặng Văn Minh"))
    services.subjects.update(row.id, person("Bùi Văn Minh"))
    assert services.subjects.search("dang") == []
    assert [r.id for r in services.subjects.search("bui")] == [row.id]
    services.subjects.delete(row.id, "Chuyển đi")
    assert services.subjects.search("bui") == []


def test_rows_come_in_vietnamese_order(services: Services) -> None:
    for name in ["Trần Văn Bình", "Lê Thị Đào", "Phạm Văn Dũng", "Nguyễn Thị An", "Hồ Văn Ân"]:
        services.subjects.create(person(name))
    assert [r.name for r in services.subjects.rows("individual")] == [
        "Nguyễn Thị An", "Hồ Văn Ân", "Trần Văn Bình", "Phạm Văn Dũng", "Lê Thị Đào",
    ]


def test_likely_duplicates_by_citizen_id_or_name_and_birth_date(services: Services) -> None:
    first = services.subjects.create(person("Đặng Văn Đức", citizen_id="075080001234"))
    services.subjects.create(person("Đặng Văn Đức Anh"))  # same prefix, different person
    same_id = person("Tên Khác Hẳn", citizen_id="075080001234", birth_date=None)
    assert [r.id for r in services.subjects.likely_duplicates(same_id)] == [first.id]
    typed_without_marks = person("Dang Van Duc")
    assert [r.id for r in services.subjects.likely_duplicates(typed_without_marks)] == [first.id]
    assert services.subjects.likely_duplicates(person("Đặng Văn Đức", birth_date=date(1990, 1, 1))) == []
    assert services.subjects.likely_duplicates(person(), exclude_id=first.id) == []


def test_update_and_delete_of_missing_subject_say_so(services: Services) -> None:
    with pytest.raises(NotFoundError):
        services.subjects.update(42, person())
    with pytest.raises(NotFoundError):
        services.subjects.delete(42, "Không còn")


def test_a_subject_with_a_nomination_is_kept_with_its_history(services: Services) -> None:
    from app.audit import utc_now
    from app.nomination_flow import new_nomination

    someone = services.subjects.create(person())
    services.history.save(someone.id, RatingRecord(2025, "tot"))
    with services.sessions.begin() as session:
        new_nomination(session, services.audit, services.actor, utc_now(),
                       subject_id=someone.id, award_code="LDTT", year=2025)
    entries = services.audit.last_id()
    with pytest.raises(ValidationError, match="1 đề nghị khen thưởng"):
        services.subjects.delete(someone.id, "Chuyển công tác")
    assert services.subjects.row(someone.id).name == "Đặng Văn Đức"
    assert services.history.of(someone.id).ratings[0].rating == "tot"
    assert services.audit.last_id() == entries


def test_deleting_a_village_keeps_its_people(services: Services) -> None:
    village = services.subjects.create(VillageData("Thôn 5"))
    someone = services.subjects.create(person(village_id=village.id))
    services.subjects.delete(village.id, "Sáp nhập thôn")
    assert services.subjects.row(someone.id).village == ""


# --- add_many_in: the one path that writes new subjects --------------------------------


def test_add_many_in_returns_ids_in_order_with_keys_and_uuids(services: Services) -> None:
    names = ["Trần Văn Bình", "Lê Thị Đào", "Nguyễn Thị An"]
    items = [person(name, citizen_id=f"07508000123{i}") for i, name in enumerate(names)]
    with services.sessions.begin() as session:
        ids = services.subjects.add_many_in(session, items)
    assert ids == sorted(ids) and len(set(ids)) == 3
    rows = [services.subjects.row(i) for i in ids]
    assert [r.name for r in rows] == names
    assert [r.sort_key for r in rows] == [sort_key(validate(d)) for d in items]
    assert len({r.uuid for r in rows}) == 3 and all(uuid.UUID(r.uuid) for r in rows)
    with services.sessions() as session:
        stored = session.scalars(select(Subject.search_text).where(Subject.id.in_(ids)).order_by(Subject.id))
        assert list(stored) == [search_text(validate(d)) for d in items]


def test_add_many_in_keeps_order_across_kinds(services: Services) -> None:
    items = [VillageData("Thôn Đông"), CollectiveData("Trạm Y tế xã"), VillageData("Thôn Tây")]
    ids = services.subjects.create_many(items)
    assert [services.subjects.row(i).name for i in ids] == ["Thôn Đông", "Trạm Y tế xã", "Thôn Tây"]
    assert [services.subjects.row(i).kind for i in ids] == ["village", "collective", "village"]


def test_search_finds_subjects_added_in_bulk(services: Services) -> None:
    ids = services.subjects.create_many(
        [person(f"Đặng Văn Minh {i}", citizen_id=f"{i:012d}") for i in range(300)]
    )
    assert [r.id for r in services.subjects.search("dang minh 299")] == [ids[299]]
    assert [r.id for r in services.subjects.search("000000000042")] == [ids[42]]
    assert len(services.subjects.search("đặng", limit=None)) == 300


@pytest.mark.parametrize("bad_at", [0, 1, 2])
def test_a_bad_item_anywhere_refuses_the_whole_batch(services: Services, bad_at: int) -> None:
    items = [person("Lê Văn Một"), person("Lê Văn Hai"), person("Lê Văn Ba")]
    items[bad_at] = person("Lê Văn Sai", citizen_id="123")
    with pytest.raises(ValidationError) as raised, services.sessions.begin() as session:
        services.subjects.add_many_in(session, items)
    assert (raised.value.item, raised.value.field) == (bad_at, "citizen_id")
    assert services.subjects.count() == 0


def test_missing_or_wrong_kind_reference_refuses_the_batch(services: Services) -> None:
    village = services.subjects.create(VillageData("Thôn 5"))
    unit = services.subjects.create(CollectiveData("UBND xã", "agency"))
    fine = person(unit_id=unit.id, village_id=village.id)
    for broken, label in ((person(unit_id=999), "Đơn vị công tác"),
                          (person(unit_id=village.id), "Đơn vị công tác"),
                          (CollectiveData("Văn phòng", parent_id=village.id), "Tập thể cấp trên"),
                          (HouseholdData("Hộ ông Ba", members=(MemberData(unit.id),)), "Thành viên hộ")):
        with pytest.raises(ValidationError, match=label) as raised, services.sessions.begin() as session:
            services.subjects.add_many_in(session, [fine, fine, broken])
        assert raised.value.item == 2
    assert services.subjects.count() == 2


def test_households_are_added_in_bulk_with_their_members(services: Services) -> None:
    village = services.subjects.create(VillageData("Thôn 5"))
    a, b, c = services.subjects.create_many(
        [person("Nguyễn Văn Hùng"), person("Trần Thị Lan"), person("Lê Văn Ba")]
    )
    households = [
        HouseholdData("Hộ ông Nguyễn Văn Hùng", village.id, "Số 1",
                      (MemberData(a, "Chủ hộ", True), MemberData(b, "Vợ"))),
        HouseholdData("Hộ ông Lê Văn Ba", members=(MemberData(c, "  Chủ   hộ ", True),)),
        HouseholdData("Hộ không có ai trong sổ"),
    ]
    ids = services.subjects.create_many(households)
    assert [services.subjects.data(i) for i in ids] == [
        households[0], replace(households[1], members=(MemberData(c, "Chủ hộ", True),)), households[2],
    ]
    assert services.subjects.row(ids[0]).village == "Thôn 5"
