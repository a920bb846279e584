"""«Lịch ngày nghỉ, ngày làm bù»: the library's holidays beside the officer's entries;
adding and removing days, refusals shown, read-only for accounts without EDIT_SETUP."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.roles import Role
from app.services import Services
from app.working_days import OFF, WORK
from ui.work_calendar_dialog import WorkCalendarDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def open_dialog(qtbot: QtBot, services: Services, year: int = 2026) -> WorkCalendarDialog:
    dialog = WorkCalendarDialog(services, year)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def add(dialog: WorkCalendarDialog, day: date, kind: str, note: str = "") -> None:
    dialog.day.set_value(day)
    dialog.kind.set_value(kind)
    dialog.note.set_value(note)
    dialog.add_button.click()


def test_the_years_holidays_come_from_the_library(qtbot: QtBot, services: Services,
                                                  qtmodeltester: ModelTester) -> None:
    dialog = open_dialog(qtbot, services)
    names = [dialog.holidays.row(i).name for i in range(dialog.holidays.rowCount())]
    assert "Tết Nguyên Đán" in names and "Quốc khánh" in names
    assert dialog.holidays.index(0, 0).data() == "01/01/2026"
    dialog.year.setValue(2027)
    assert dialog.holidays.index(1, 2).data() == "29 Tết"
    qtmodeltester.check(dialog.holidays)


def test_adding_and_removing_days(qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch,
                                  qtmodeltester: ModelTester) -> None:
    dialog = open_dialog(qtbot, services)
    add(dialog, date(2026, 3, 4), OFF, "Nghỉ thêm theo thông báo")
    add(dialog, date(2026, 3, 7), WORK, "Làm bù")
    assert [(r.day, r.kind) for r in dialog.entries.rows()] == [(date(2026, 3, 4), OFF), (date(2026, 3, 7), WORK)]
    assert dialog.entries.index(1, 1).data() == "Thứ Bảy"
    assert not services.work_calendar.calendar().is_working_day(date(2026, 3, 4))
    qtmodeltester.check(dialog.entries)
    dialog.entry_table.selectRow(0)
    monkeypatch.setattr("ui.work_calendar_dialog.ask_reason", lambda *_args: "Thông báo bị hủy")
    dialog.remove_button.click()
    assert [r.day for r in services.work_calendar.rows(2026)] == [date(2026, 3, 7)]
    assert dialog.entries.rowCount() == 1


def test_a_refused_day_is_explained(qtbot: QtBot, services: Services) -> None:
    dialog = open_dialog(qtbot, services)
    add(dialog, date(2026, 3, 4), WORK)
    assert not dialog.message.isHidden()
    assert "ngày làm bù chỉ có thể là thứ Bảy hoặc Chủ nhật" in dialog.message.text()
    assert dialog.entries.rowCount() == 0


def test_a_day_of_another_year_shows_that_year(qtbot: QtBot, services: Services) -> None:
    dialog = open_dialog(qtbot, services)
    add(dialog, date(2027, 2, 11), OFF)
    assert dialog.year.value() == 2027
    assert [r.day for r in dialog.entries.rows()] == [date(2027, 2, 11)]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLERK])
def test_read_only_without_setup_rights(qtbot: QtBot, services: Services, role: Role) -> None:
    services.work_calendar.add(date(2026, 3, 4), OFF)
    dialog = open_dialog(qtbot, Services.create(services.sessions, replace(services.actor, role=role)))
    assert dialog.entries.rowCount() == 1
    assert dialog.editor.isHidden() and dialog.remove_button.isHidden()


def test_a_year_without_entries_says_what_they_are_for(qtbot: QtBot, services: Services) -> None:
    dialog = open_dialog(qtbot, services)
    assert dialog.empty.isVisible()
    assert "Năm 2026 chưa ghi thêm ngày nào" in dialog.empty.text()
    add(dialog, date(2026, 3, 4), OFF, "Nghỉ thêm theo thông báo")
    assert not dialog.empty.isVisible()
    dialog.year.setValue(2027)
    assert dialog.empty.isVisible() and "Năm 2027" in dialog.empty.text()
