"""Working days across Tết 2026 and 2027, the library's swapped days, and the officer's own
extra days off and worked weekend days (app/working_days.py, app/work_calendar_service.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from app.audit import AuditFilter
from app.errors import NotFoundError, PermissionDeniedError, ValidationError
from app.roles import Role
from app.services import Services
from app.work_calendar_service import public_holidays
from app.working_days import OFF, WORK, WorkCalendar, holiday_name
from db.models import WorkCalendarDay

LIBRARY = WorkCalendar()


def test_tet_2026_is_five_working_days_off() -> None:
    assert [holiday_name(date(2026, 2, d)) is not None for d in range(16, 21)] == [True] * 5
    assert not any(LIBRARY.is_working_day(date(2026, 2, d)) for d in range(14, 23))
    assert LIBRARY.is_working_day(date(2026, 2, 13)) and LIBRARY.is_working_day(date(2026, 2, 23))


def test_a_notice_posted_before_tet_2026_ends_after_it() -> None:
    # Posted Thursday 12/02/2026: 12, 13, then 23, 24, 25 February.
    assert LIBRARY.nth_working_day(date(2026, 2, 12), 5) == date(2026, 2, 25)
    assert LIBRARY.nth_working_day(date(2026, 2, 14), 1) == date(2026, 2, 23)  # posted on a Saturday


def test_a_deadline_across_tet_2026() -> None:
    # Received Friday 13/02/2026; three working days later: 23, 24, 25 February.
    assert LIBRARY.add_working_days(date(2026, 2, 13), 3) == date(2026, 2, 25)
    assert LIBRARY.add_working_days(date(2026, 2, 13), 0) == date(2026, 2, 13)
    assert LIBRARY.count_between(date(2026, 2, 9), date(2026, 2, 27)) == 10


def test_tet_2027_runs_from_the_29th_to_the_5th_day() -> None:
    assert holiday_name(date(2027, 2, 4)) == "29 Tết"
    # Posted Wednesday 03/02/2027: 3, then 11, 12, 15, 16 February.
    assert LIBRARY.nth_working_day(date(2027, 2, 3), 5) == date(2027, 2, 16)
    assert LIBRARY.add_working_days(date(2027, 2, 3), 1) == date(2027, 2, 11)


def test_the_librarys_swapped_saturday_is_a_working_day() -> None:
    # 2026: Saturday 22/08 is worked so that Monday 31/08 joins the National Day holiday.
    assert LIBRARY.is_working_day(date(2026, 8, 22))
    assert not LIBRARY.is_working_day(date(2026, 8, 31))
    assert LIBRARY.count_between(date(2026, 8, 22), date(2026, 8, 31)) == 6
    assert LIBRARY.count_between(date(2026, 9, 3), date(2026, 9, 1)) == 0


def test_the_officers_extra_day_off_and_worked_saturday_move_deadlines() -> None:
    extra_off = WorkCalendar({date(2027, 2, 11): OFF})
    assert extra_off.nth_working_day(date(2027, 2, 3), 5) == date(2027, 2, 17)
    worked = WorkCalendar({date(2027, 2, 13): WORK})
    assert worked.nth_working_day(date(2027, 2, 3), 5) == date(2027, 2, 15)
    with pytest.raises(ValueError):
        LIBRARY.nth_working_day(date(2027, 2, 3), 0)


def test_the_service_calendar_counts_with_the_stored_days(services: Services) -> None:
    services.work_calendar.add(date(2027, 2, 11), OFF, "Nghỉ thêm theo thông báo")
    services.work_calendar.add(date(2027, 2, 20), WORK, "Làm bù")
    calendar = services.work_calendar.calendar()
    assert not calendar.is_working_day(date(2027, 2, 11))
    assert calendar.is_working_day(date(2027, 2, 20))
    # 3, 12, 15, 16, 17, 18, 19, 20 (Saturday worked), 22.
    assert calendar.nth_working_day(date(2027, 2, 3), 9) == date(2027, 2, 22)
    rows = services.work_calendar.rows(2027)
    assert [(r.day, r.kind, r.weekday_label) for r in rows] == [
        (date(2027, 2, 11), OFF, "Thứ Năm"), (date(2027, 2, 20), WORK, "Thứ Bảy")]
    assert services.work_calendar.rows(2026) == []


@pytest.mark.parametrize(("day", "kind", "message"), [
    (date(2026, 2, 17), OFF, "đã là ngày nghỉ lễ \\(Tết Nguyên Đán\\)"),
    (date(2026, 2, 21), OFF, "là ngày nghỉ cuối tuần"),
    (date(2026, 3, 4), WORK, "ngày làm bù chỉ có thể là thứ Bảy hoặc Chủ nhật"),
    (date(2026, 8, 22), WORK, "đã là ngày làm bù trong lịch nghỉ lễ chính thức"),
    (date(2026, 3, 4), "holiday", "Loại ngày không hợp lệ"),
])
def test_impossible_days_are_refused(services: Services, day: date, kind: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        services.work_calendar.add(day, kind)
    assert services.work_calendar.rows(day.year) == []


def test_a_day_already_listed_is_refused(services: Services) -> None:
    services.work_calendar.add(date(2026, 3, 4), OFF)
    with pytest.raises(ValidationError, match="đã có trong lịch"):
        services.work_calendar.add(date(2026, 3, 4), OFF)
    assert len(services.work_calendar.rows(2026)) == 1


def test_remove_needs_a_reason_and_both_changes_are_audited(services: Services) -> None:
    row = services.work_calendar.add(date(2026, 3, 4), OFF, " Bầu cử ")
    assert row.note == "Bầu cử"
    with pytest.raises(ValidationError, match="lý do"):
        services.work_calendar.remove(row.id, "")
    services.work_calendar.remove(row.id, "Nhập nhầm")
    with pytest.raises(NotFoundError):
        services.work_calendar.remove(row.id, "Nhập nhầm")
    entries = services.audit.entries(AuditFilter(entity="work_calendar_day"))
    assert [(e.action, e.summary) for e in entries] == [
        ("delete", "Xóa ngày nghỉ thêm: Thứ Tư 04/03/2026"),
        ("create", "Thêm ngày nghỉ thêm: Thứ Tư 04/03/2026"),
    ]
    assert entries[0].reason == "Nhập nhầm"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLERK, Role.APPROVER])
def test_only_setup_editors_change_the_calendar(services: Services, role: Role) -> None:
    row = services.work_calendar.add(date(2026, 3, 4), OFF)
    other = Services.create(services.sessions, replace(services.actor, role=role))
    with pytest.raises(PermissionDeniedError):
        other.work_calendar.add(date(2026, 3, 5), OFF)
    with pytest.raises(PermissionDeniedError):
        other.work_calendar.remove(row.id, "Lý do")
    assert [r.day for r in other.work_calendar.rows(2026)] == [date(2026, 3, 4)]


def test_public_holidays_of_a_year() -> None:
    found = {h.day: h.name for h in public_holidays(2026)}
    assert found[date(2026, 9, 2)] == "Quốc khánh"
    assert date(2026, 2, 17) in found and date(2027, 1, 1) not in found


def test_the_services_clock_stamps_an_added_day(services: Services) -> None:
    moment = datetime(2027, 1, 5, 3, 0, tzinfo=UTC)
    clocked = Services.create(services.sessions, services.actor, lambda: moment)
    row = clocked.work_calendar.add(date(2027, 2, 11), OFF, "Nghỉ thêm theo thông báo")
    with services.sessions() as session:
        assert session.get_one(WorkCalendarDay, row.id).created_at == datetime(2027, 1, 5, 3, 0)
