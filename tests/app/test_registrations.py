"""Registrations: batches written whole or refused whole with the bad item named, removal
with a reason, what the annual review reads, permissions and the audit trail."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.audit import AuditFilter
from app.errors import NotFoundError, PermissionDeniedError, ValidationError
from app.movements import CLOSED, FINAL, LAUNCHED, RUNNING, MovementPlan
from app.registrations import RegistrationItem, registrable_awards
from app.roles import Role
from app.services import Services
from app.subject_data import CollectiveData, HouseholdData, IndividualData
from db.models import Registration

PLAN = MovementPlan(2026, "regular", "Thi đua yêu nước 2026", "02/KH-UBND")
ON = date(2026, 2, 10)


@pytest.fixture
def movement_id(services: Services) -> int:
    movement = services.movements.create(PLAN)
    services.movements.advance(movement.id, LAUNCHED, date(2026, 1, 10))
    return movement.id


@pytest.fixture
def people(services: Services) -> list[int]:
    return [services.subjects.create(IndividualData(name, "female")).id
            for name in ("Lê Thị Hoa", "Trần Thị Lan", "Phạm Văn Tư")]


def test_a_batch_is_written_and_listed(services: Services, movement_id: int, people: list[int]) -> None:
    added = services.registrations.add_many(movement_id, [
        RegistrationItem(people[0], "LDTT", ON, " ghi  chú "),
        RegistrationItem(people[1], "CSTDCS", ON),
        RegistrationItem(people[0], "CSTDCS", ON),
    ])
    assert added == 3
    rows = services.registrations.rows(movement_id)
    assert [(r.award_code, r.subject_name) for r in rows] == [
        ("CSTDCS", "Lê Thị Hoa"), ("CSTDCS", "Trần Thị Lan"), ("LDTT", "Lê Thị Hoa")]
    assert rows[2].note == "ghi chú"
    assert rows[2].award_label == "Lao động tiên tiến"
    assert services.registrations.rows_for_year(2026) == rows
    assert services.registrations.rows_for_year(2025) == []
    assert services.registrations.registered(2026) == {
        (people[0], "LDTT"), (people[1], "CSTDCS"), (people[0], "CSTDCS")}
    assert services.registrations.registered(2027) == set()
    summaries = [e.summary for e in services.audit.entries(AuditFilter(entity="registration"), limit=None)]
    assert len(summaries) == 3
    assert "Đăng ký «Lao động tiên tiến» cho «Lê Thị Hoa» trong phong trào «Thi đua yêu nước 2026»" in summaries


def test_registered_covers_every_movement_of_the_year(services: Services, movement_id: int,
                                                      people: list[int]) -> None:
    thematic = services.movements.create(MovementPlan(2026, "thematic", "Chuyên đề", "03/KH-UBND",
                                                      starts_on=date(2026, 4, 1), ends_on=date(2026, 9, 1)))
    services.movements.advance(thematic.id, LAUNCHED, date(2026, 4, 1))
    services.registrations.add_many(movement_id, [RegistrationItem(people[0], "LDTT", ON)])
    services.registrations.add_many(thematic.id, [RegistrationItem(people[1], "GK_XA", date(2026, 4, 2))])
    assert services.registrations.registered(2026) == {(people[0], "LDTT"), (people[1], "GK_XA")}


def test_collectives_and_households_register_their_own_titles(services: Services, movement_id: int) -> None:
    unit = services.subjects.create(CollectiveData("Văn phòng UBND xã", "agency")).id
    home = services.subjects.create(HouseholdData("Hộ ông Lê Văn Ba")).id
    assert services.registrations.add_many(movement_id, [
        RegistrationItem(unit, "TTLDTT", ON), RegistrationItem(home, "GDVH", ON)]) == 2
    assert "LDTT" not in registrable_awards("collective")
    assert "GDVH" in registrable_awards("household")


@pytest.mark.parametrize(("item", "message"), [
    (RegistrationItem(999_999, "LDTT", ON), "mục 2: không có đối tượng mã số 999999"),
    (RegistrationItem(-1, "LDTT", ON), "mục 2: không có đối tượng"),
    (RegistrationItem(0, "TTLDTT", ON), "mục 2: «Trần Thị Lan»: cá nhân không đăng ký được «Tập thể lao động tiên tiến»"),
    (RegistrationItem(0, "XYZ", ON), "mục 2: «Trần Thị Lan»: danh hiệu mã «XYZ» không có trong danh mục"),
    (RegistrationItem(0, "LDTT", date(2025, 12, 31)), "mục 2: «Trần Thị Lan»: ngày đăng ký \\(31/12/2025\\) phải thuộc năm 2026"),
    (RegistrationItem(1, "LDTT", ON), "mục 2: «Lê Thị Hoa» đăng ký «Lao động tiên tiến» hai lần \\(trùng mục 1\\)"),
])
def test_one_bad_item_refuses_the_whole_batch(services: Services, movement_id: int, people: list[int],
                                              item: RegistrationItem, message: str) -> None:
    if item.subject_id in (0, 1):
        item = replace(item, subject_id=people[1 - item.subject_id])
    with pytest.raises(ValidationError, match=message) as error:
        services.registrations.add_many(movement_id, [RegistrationItem(people[0], "LDTT", ON), item,
                                                      RegistrationItem(people[2], "LDTT", ON)])
    assert error.value.item == 1
    assert services.registrations.rows(movement_id) == []
    assert services.audit.entries(AuditFilter(entity="registration")) == []


def test_a_second_registration_for_the_same_title_is_refused(services: Services, movement_id: int,
                                                             people: list[int]) -> None:
    services.registrations.add_many(movement_id, [RegistrationItem(people[0], "LDTT", ON)])
    with pytest.raises(ValidationError, match="«Lê Thị Hoa» đã đăng ký «Lao động tiên tiến» trong phong trào này"):
        services.registrations.add_many(movement_id, [RegistrationItem(people[1], "LDTT", ON),
                                                      RegistrationItem(people[0], "LDTT", ON)])
    assert len(services.registrations.rows(movement_id)) == 1


def test_registration_needs_a_launched_or_running_movement(services: Services, people: list[int]) -> None:
    draft = services.movements.create(PLAN)
    with pytest.raises(ValidationError, match="«Dự thảo kế hoạch»; chỉ đăng ký được khi"):
        services.registrations.add_many(draft.id, [RegistrationItem(people[0], "LDTT", ON)])
    for step, on in ((LAUNCHED, date(2026, 1, 2)), (RUNNING, date(2026, 1, 3))):
        services.movements.advance(draft.id, step, on)
    assert services.registrations.add_many(draft.id, [RegistrationItem(people[0], "LDTT", ON)]) == 1
    services.movements.advance(draft.id, FINAL, date(2026, 12, 1))
    with pytest.raises(ValidationError, match="«Đã tổng kết»"):
        services.registrations.add_many(draft.id, [RegistrationItem(people[1], "LDTT", ON)])


def test_an_empty_batch_or_unknown_movement_is_refused(services: Services, movement_id: int) -> None:
    with pytest.raises(ValidationError, match="Chưa có đối tượng"):
        services.registrations.add_many(movement_id, [])
    with pytest.raises(NotFoundError):
        services.registrations.add_many(movement_id + 100, [RegistrationItem(1, "LDTT", ON)])


def test_remove_needs_a_reason_and_is_audited(services: Services, movement_id: int, people: list[int]) -> None:
    services.registrations.add_many(movement_id, [RegistrationItem(people[0], "LDTT", ON)])
    [row] = services.registrations.rows(movement_id)
    with pytest.raises(ValidationError, match="lý do"):
        services.registrations.remove(row.id, "")
    services.registrations.remove(row.id, "Chuyển công tác")
    assert services.registrations.rows(movement_id) == []
    [entry] = services.audit.entries(AuditFilter(entity="registration", action="delete"))
    assert (entry.reason, entry.entity_uuid) == ("Chuyển công tác", row.uuid)


def test_a_closed_movement_keeps_its_registrations(services: Services, movement_id: int, people: list[int]) -> None:
    services.registrations.add_many(movement_id, [RegistrationItem(people[0], "LDTT", ON)])
    for step, month in ((RUNNING, 2), (FINAL, 12), (CLOSED, 12)):
        services.movements.advance(movement_id, step, date(2026, month, 20))
    [row] = services.registrations.rows(movement_id)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.registrations.remove(row.id, "Lý do")


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLERK])
def test_roles_without_run_emulation_cannot_register(services: Services, movement_id: int, people: list[int],
                                                     role: Role) -> None:
    services.registrations.add_many(movement_id, [RegistrationItem(people[0], "LDTT", ON)])
    other = Services.create(services.sessions, replace(services.actor, role=role))
    with pytest.raises(PermissionDeniedError):
        other.registrations.add_many(movement_id, [RegistrationItem(people[1], "LDTT", ON)])
    [row] = other.registrations.rows(movement_id)
    with pytest.raises(PermissionDeniedError):
        other.registrations.remove(row.id, "x")
    assert len(services.registrations.rows(movement_id)) == 1


def test_the_services_clock_stamps_a_registration(services: Services, movement_id: int,
                                                  people: list[int]) -> None:
    moment = datetime(2026, 2, 9, 23, 45, tzinfo=UTC)
    clocked = Services.create(services.sessions, services.actor, lambda: moment)
    clocked.registrations.add_many(movement_id, [RegistrationItem(people[0], "LDTT", ON)])
    with services.sessions() as session:
        (stored,) = session.scalars(select(Registration)).all()
        assert stored.created_at == datetime(2026, 2, 9, 23, 45)
