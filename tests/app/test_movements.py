"""Movements: the plan's rules, the dated life cycle for every state and step, results,
exemplary models, deletion, permissions and the audit trail."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from app.audit import AuditFilter
from app.errors import NotFoundError, PermissionDeniedError, ValidationError
from app.movements import (
    CLOSED,
    DRAFT,
    FINAL,
    LAUNCHED,
    MIDTERM,
    RUNNING,
    STATES,
    ExemplaryModelData,
    MovementPlan,
    next_steps,
    normalised_plan_number,
)
from app.registrations import RegistrationItem
from app.roles import Role
from app.services import Services
from app.subject_data import IndividualData
from db.models import Movement

REGULAR_2026 = MovementPlan(2026, "regular", "Phong trào thi đua yêu nước năm 2026", "Số: 02/KH-UBND",
                            "Hoàn thành chỉ tiêu", "Tiêu chí bình xét", "Cán bộ, công chức xã")
THEMATIC_2026 = MovementPlan(2026, "thematic", "Chung sức xây dựng nông thôn mới", "05/KH-UBND",
                             starts_on=date(2026, 3, 1), ends_on=date(2027, 6, 30))


def as_role(services: Services, role: Role) -> Services:
    return Services.create(services.sessions, replace(services.actor, role=role))


def launched(services: Services, plan: MovementPlan = REGULAR_2026) -> int:
    movement = services.movements.create(plan)
    services.movements.advance(movement.id, LAUNCHED, date(plan.year, 1, 10))
    return movement.id


def entries(services: Services, entity: str) -> list[str]:
    return [e.summary for e in services.audit.entries(AuditFilter(entity=entity), limit=None)]


def test_a_regular_movement_covers_its_year_by_default(services: Services) -> None:
    row = services.movements.create(replace(REGULAR_2026, plan_number=" số 2/kh-ubnd "))
    assert (row.starts_on, row.ends_on) == (date(2026, 1, 1), date(2026, 12, 31))
    assert row.plan_number == "Số: 02/KH-UBND"
    assert (row.state, row.state_label, row.kind_label) == (DRAFT, "Dự thảo kế hoạch", "Thường xuyên")
    assert services.movements.rows(2026) == [row]
    assert services.movements.rows(2025) == []


@pytest.mark.parametrize("text", ["02/KH-UBND", "Số: 15/KH-HĐTĐKT", "số:3 / kh-ubnd"])
def test_plan_numbers_in_the_usual_form_are_accepted(text: str) -> None:
    assert normalised_plan_number(text).startswith("Số: ")


@pytest.mark.parametrize("text", ["KH-UBND", "02", "02/", "Số 02 KH", "abc/def/ghi/jkl", "02/KH UBND"])
def test_plan_numbers_in_another_form_are_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="Số kế hoạch") as error:
        normalised_plan_number(text)
    assert error.value.field == "plan_number"


@pytest.mark.parametrize(("plan", "field", "message"), [
    (replace(REGULAR_2026, name="  "), "name", "tên phong trào"),
    (replace(REGULAR_2026, year=1990), "year", "Năm 1990"),
    (replace(REGULAR_2026, kind="other"), "kind", "Loại phong trào"),
    (replace(REGULAR_2026, starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1)), "ends_on", "không được trước"),
    (replace(REGULAR_2026, ends_on=date(2027, 1, 31)), "ends_on", "phải kết thúc trong năm 2026"),
    (replace(REGULAR_2026, starts_on=date(2025, 12, 1)), "starts_on", "phải thuộc năm 2026"),
    (replace(THEMATIC_2026, starts_on=None), "starts_on", "ngày bắt đầu"),
    (replace(THEMATIC_2026, ends_on=None), "ends_on", "ngày kết thúc"),
])
def test_a_bad_plan_is_refused_and_nothing_is_stored(services: Services, plan: MovementPlan, field: str,
                                                     message: str) -> None:
    with pytest.raises(ValidationError, match=message) as error:
        services.movements.create(plan)
    assert error.value.field == field
    assert services.movements.rows() == []


def test_a_thematic_movement_may_end_the_next_year(services: Services) -> None:
    row = services.movements.create(THEMATIC_2026)
    assert row.ends_on == date(2027, 6, 30)


def test_one_regular_movement_per_year(services: Services) -> None:
    services.movements.create(REGULAR_2026)
    services.movements.create(replace(REGULAR_2026, year=2027, name="Năm 2027"))
    thematic = services.movements.create(THEMATIC_2026)
    with pytest.raises(ValidationError, match="đã có phong trào thi đua thường xuyên"):
        services.movements.create(replace(REGULAR_2026, name="Phong trào thứ hai"))
    with pytest.raises(ValidationError, match="đã có phong trào thi đua thường xuyên"):
        services.movements.update(thematic.id, replace(THEMATIC_2026, kind="regular", ends_on=date(2026, 12, 31)))
    assert [r.kind for r in services.movements.rows(2026)] == ["regular", "thematic"]


def test_updating_the_plan_keeps_its_own_regular_slot_and_is_audited(services: Services) -> None:
    row = services.movements.create(REGULAR_2026)
    changed = services.movements.update(row.id, replace(REGULAR_2026, objectives="Mục tiêu mới"))
    assert changed.objectives == "Mục tiêu mới"
    assert entries(services, "movement") == [
        "Sửa kế hoạch phong trào «Phong trào thi đua yêu nước năm 2026»",
        "Thêm phong trào «Phong trào thi đua yêu nước năm 2026» năm 2026",
    ]


def test_saving_an_unchanged_plan_writes_no_audit_entry(services: Services) -> None:
    row = services.movements.create(REGULAR_2026)
    before = services.audit.count(AuditFilter(entity="movement"))
    assert services.movements.update(row.id, REGULAR_2026) == services.movements.row(row.id)
    assert services.audit.count(AuditFilter(entity="movement")) == before


def test_year_and_kind_are_fixed_once_launched(services: Services) -> None:
    movement_id = launched(services)
    with pytest.raises(ValidationError, match="không đổi được năm"):
        services.movements.update(movement_id, replace(REGULAR_2026, year=2027))
    assert services.movements.row(movement_id).year == 2026


def test_the_whole_life_cycle_with_dates(services: Services) -> None:
    movement_id = services.movements.create(REGULAR_2026).id
    steps = [(LAUNCHED, date(2026, 1, 10)), (RUNNING, date(2026, 1, 15)), (MIDTERM, date(2026, 6, 30)),
             (FINAL, date(2026, 12, 20)), (CLOSED, date(2026, 12, 20))]
    for step, on in steps:
        row = services.movements.advance(movement_id, step, on)
        assert row.state == step
        assert row.step_date(step) == on
    row = services.movements.row(movement_id)
    assert (row.launched_on, row.running_on, row.midterm_on, row.final_on, row.closed_on) == tuple(d for _, d in steps)
    assert entries(services, "movement")[0] == (
        "Phong trào «Phong trào thi đua yêu nước năm 2026»: kết thúc phong trào ngày 20/12/2026")


def test_midterm_may_be_skipped(services: Services) -> None:
    movement_id = launched(services)
    services.movements.advance(movement_id, RUNNING, date(2026, 1, 20))
    row = services.movements.advance(movement_id, FINAL, date(2026, 12, 1))
    assert (row.state, row.midterm_on, row.final_on) == (FINAL, None, date(2026, 12, 1))
    assert "(không sơ kết)" in entries(services, "movement")[0]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("step", STATES[1:])
def test_every_state_and_step(services: Services, state: str, step: str) -> None:
    movement_id = services.movements.create(REGULAR_2026).id
    path = {DRAFT: [], LAUNCHED: [LAUNCHED], RUNNING: [LAUNCHED, RUNNING],
            MIDTERM: [LAUNCHED, RUNNING, MIDTERM], FINAL: [LAUNCHED, RUNNING, MIDTERM, FINAL],
            CLOSED: [LAUNCHED, RUNNING, MIDTERM, FINAL, CLOSED]}[state]
    for month, taken in enumerate(path, start=1):
        services.movements.advance(movement_id, taken, date(2026, month, 1))
    if step in next_steps(state):
        assert services.movements.advance(movement_id, step, date(2026, 11, 1)).state == step
    else:
        with pytest.raises(ValidationError, match="không thể"):
            services.movements.advance(movement_id, step, date(2026, 11, 1))
        assert services.movements.row(movement_id).state == state


def test_a_step_dated_before_the_previous_one_is_refused(services: Services) -> None:
    movement_id = launched(services)
    services.movements.advance(movement_id, RUNNING, date(2026, 2, 1))
    with pytest.raises(ValidationError, match=r"không được trước ngày của bước trước \(01/02/2026\)"):
        services.movements.advance(movement_id, MIDTERM, date(2026, 1, 31))
    row = services.movements.row(movement_id)
    assert (row.state, row.midterm_on) == (RUNNING, None)


def test_launching_needs_a_plan_number(services: Services) -> None:
    movement_id = services.movements.create(replace(REGULAR_2026, plan_number="")).id
    with pytest.raises(ValidationError, match="số kế hoạch"):
        services.movements.advance(movement_id, LAUNCHED, date(2026, 1, 5))
    assert services.movements.row(movement_id).state == DRAFT


def test_results_and_exemplary_models(services: Services) -> None:
    movement_id = launched(services)
    person = services.subjects.create(IndividualData("Nguyễn Văn An", "male")).id
    services.movements.set_results(movement_id, "  Đạt 95% chỉ tiêu  ")
    model = services.movements.add_exemplary_model(
        movement_id, ExemplaryModelData("Mô hình dân vận khéo", date(2026, 6, 30), "Thôn 3", person))
    assert model.subject_name == "Nguyễn Văn An"
    services.movements.update_exemplary_model(model.id, replace(model.data, description="Thôn 4"))
    assert [m.description for m in services.movements.exemplary_models(movement_id)] == ["Thôn 4"]
    assert services.movements.row(movement_id).results == "Đạt 95% chỉ tiêu"
    services.movements.remove_exemplary_model(model.id, "Ghi nhầm")
    assert services.movements.exemplary_models(movement_id) == []
    assert entries(services, "exemplary_model") == [
        "Xóa điển hình tiên tiến «Mô hình dân vận khéo»",
        "Sửa điển hình tiên tiến «Mô hình dân vận khéo»",
        "Thêm điển hình tiên tiến «Mô hình dân vận khéo» của phong trào «Phong trào thi đua yêu nước năm 2026»",
    ]


def test_a_closed_movement_s_exemplary_models_are_kept_as_they_are(services: Services) -> None:
    movement_id = launched(services)
    model = services.movements.add_exemplary_model(
        movement_id, ExemplaryModelData("Mô hình dân vận khéo", date(2026, 6, 30), "Thôn 3"))
    unchanged = services.movements.update_exemplary_model(model.id, model.data)  # nothing to record
    assert unchanged == model and len(entries(services, "exemplary_model")) == 1
    for step, on in ((RUNNING, date(2026, 2, 1)), (FINAL, date(2026, 12, 20)), (CLOSED, date(2026, 12, 31))):
        services.movements.advance(movement_id, step, on)
    before = entries(services, "exemplary_model")
    for attempt in (
            lambda: services.movements.add_exemplary_model(
                movement_id, ExemplaryModelData("Mô hình mới", date(2026, 12, 31))),
            lambda: services.movements.update_exemplary_model(model.id, replace(model.data, description="Thôn 4")),
            lambda: services.movements.remove_exemplary_model(model.id, "Ghi nhầm")):
        with pytest.raises(ValidationError, match="đã kết thúc; danh sách điển hình tiên tiến được giữ nguyên"):
            attempt()
    assert services.movements.exemplary_models(movement_id) == [model]
    assert entries(services, "exemplary_model") == before


def test_an_exemplary_model_needs_a_name(services: Services) -> None:
    movement_id = launched(services)
    with pytest.raises(ValidationError, match="tên điển hình"):
        services.movements.add_exemplary_model(movement_id, ExemplaryModelData(" ", date(2026, 6, 1)))


def test_only_a_draft_without_registrations_is_deleted(services: Services) -> None:
    draft = services.movements.create(THEMATIC_2026)
    movement_id = launched(services)
    with pytest.raises(ValidationError, match="lý do"):
        services.movements.delete(draft.id, " ")
    with pytest.raises(ValidationError, match="đã phát động nên không xóa được"):
        services.movements.delete(movement_id, "Không cần nữa")
    services.movements.delete(draft.id, "Lập trùng")
    assert [r.id for r in services.movements.rows(2026)] == [movement_id]
    assert entries(services, "movement")[0] == "Xóa phong trào «Chung sức xây dựng nông thôn mới» năm 2026"
    with pytest.raises(NotFoundError):
        services.movements.row(draft.id)


def test_rows_count_registrations(services: Services) -> None:
    movement_id = launched(services)
    people = [services.subjects.create(IndividualData(f"Người {n}", "female")).id for n in range(3)]
    services.registrations.add_many(movement_id, [RegistrationItem(p, "LDTT", date(2026, 2, 1)) for p in people])
    assert services.movements.rows(2026)[0].registrations == 3


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLERK, Role.APPROVER])
def test_roles_without_run_emulation_are_refused(services: Services, role: Role) -> None:
    movement_id = services.movements.create(REGULAR_2026).id
    other = as_role(services, role)
    with pytest.raises(PermissionDeniedError):
        other.movements.create(THEMATIC_2026)
    with pytest.raises(PermissionDeniedError):
        other.movements.advance(movement_id, LAUNCHED, date(2026, 1, 5))
    with pytest.raises(PermissionDeniedError):
        other.movements.delete(movement_id, "x")
    with pytest.raises(PermissionDeniedError):
        other.movements.add_exemplary_model(movement_id, ExemplaryModelData("A", date(2026, 1, 1)))
    assert [r.state for r in other.movements.rows(2026)] == [DRAFT]


def test_the_services_clock_stamps_a_movement(services: Services) -> None:
    moment = datetime(2026, 3, 31, 18, 30, tzinfo=UTC)  # 01:30 on 01/04 in Việt Nam
    clocked = Services.create(services.sessions, services.actor, lambda: moment)
    movement = clocked.movements.create(REGULAR_2026)
    with services.sessions() as session:
        stored = session.get_one(Movement, movement.id)
        assert (stored.created_at, stored.updated_at) == (datetime(2026, 3, 31, 18, 30),) * 2
    later = datetime(2026, 4, 2, 2, 0, tzinfo=UTC)
    Services.create(services.sessions, services.actor, lambda: later).movements.advance(
        movement.id, LAUNCHED, date(2026, 4, 2))
    with services.sessions() as session:
        assert session.get_one(Movement, movement.id).updated_at == datetime(2026, 4, 2, 2, 0)
