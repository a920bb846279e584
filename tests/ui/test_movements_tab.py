"""The «Phong trào thi đua» tab: creating a movement through its dialog, the next steps with
their dates (sơ kết skipped or not), results and exemplary models, deleting a draft, and
the read-only view of a viewer."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.movements import CLOSED, DRAFT, FINAL, LAUNCHED, MIDTERM, RUNNING, MovementPlan
from app.roles import Role
from app.services import Services
from ui.movement_dialog import SKIP_MIDTERM, MovementDialog, StepDialog
from ui.movement_results_dialog import ExemplaryModelDialog, ResultsDialog
from ui.movement_tables import MovementColumn
from ui.movements_tab import MovementsTab

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def open_tab(qtbot: QtBot, services: Services, year: int = 2026) -> MovementsTab:
    tab = MovementsTab(services)
    qtbot.addWidget(tab)
    tab.set_year(year)
    tab.show()
    return tab


def only_dialog(tab: MovementsTab, kind: type) -> object:
    dialogs = [d for d in tab.findChildren(kind) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def add_draft(services: Services, name: str = "Thi đua yêu nước 2026", plan_number: str = "02/KH-UBND") -> int:
    return services.movements.create(MovementPlan(2026, "regular", name, plan_number)).id


def test_a_movement_is_created_through_the_dialog(qtbot: QtBot, services: Services) -> None:
    tab = open_tab(qtbot, services)
    tab.add_button.click()
    dialog = only_dialog(tab, MovementDialog)
    dialog.form.field("name").set_value("Thi đua yêu nước năm 2026")
    dialog.form.field("plan_number").set_value("2/kh-ubnd")
    dialog.form.field("objectives").set_value("Hoàn thành chỉ tiêu kinh tế - xã hội")
    with qtbot.waitSignal(tab.changed):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not dialog.isVisible()
    [row] = services.movements.rows(2026)
    assert (row.name, row.plan_number, row.starts_on, row.ends_on) == (
        "Thi đua yêu nước năm 2026", "Số: 02/KH-UBND", date(2026, 1, 1), date(2026, 12, 31))
    assert tab.model.rowCount() == 1
    assert tab.selected() == row
    assert tab.model.index(0, MovementColumn.STATE).data() == "Dự thảo kế hoạch"


def test_a_refused_plan_is_shown_at_its_field_and_the_dialog_stays(qtbot: QtBot, services: Services) -> None:
    tab = open_tab(qtbot, services)
    tab.add_button.click()
    dialog = only_dialog(tab, MovementDialog)
    dialog.form.field("name").set_value("Thi đua")
    dialog.form.field("plan_number").set_value("hai")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.isVisible()
    assert "Số kế hoạch «hai» không đúng dạng" in dialog.form.error_text("plan_number")
    assert services.movements.rows(2026) == []


def test_editing_the_plan(qtbot: QtBot, services: Services) -> None:
    long_name = ("Phong trào thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội, "
                 "bảo đảm quốc phòng, an ninh năm 2026")
    movement_id = add_draft(services, long_name)
    tab = open_tab(qtbot, services)
    tab.table.selectRow(0)
    tab.edit_button.click()
    dialog = only_dialog(tab, MovementDialog)
    name = dialog.form.field("name")
    assert name.value() == long_name
    assert name.width() > name.fontMetrics().horizontalAdvance(long_name)  # the whole name in sight
    dialog.form.field("criteria").set_value("Tiêu chí mới")
    with qtbot.waitSignal(tab.changed):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert services.movements.row(movement_id).criteria == "Tiêu chí mới"


def take_step(qtbot: QtBot, tab: MovementsTab, on: date, step: str | None = None) -> StepDialog:
    tab.table.selectRow(0)
    tab.step_button.click()
    dialog = only_dialog(tab, StepDialog)
    if step is not None:
        dialog.choose(step)
    dialog.on.set_value(on)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    return dialog


def test_the_next_steps_with_dates_and_skipping_the_midterm(qtbot: QtBot, services: Services) -> None:
    movement_id = add_draft(services)
    tab = open_tab(qtbot, services)
    with qtbot.waitSignal(tab.changed):
        take_step(qtbot, tab, date(2026, 1, 10))
    assert services.movements.row(movement_id).state == LAUNCHED
    with qtbot.waitSignal(tab.changed):
        take_step(qtbot, tab, date(2026, 1, 20))
    tab.table.selectRow(0)
    tab.step_button.click()
    dialog = only_dialog(tab, StepDialog)
    assert [dialog.step.itemText(i) for i in range(dialog.step.count())] == ["Sơ kết", SKIP_MIDTERM]
    dialog.reject()
    with qtbot.waitSignal(tab.changed):
        take_step(qtbot, tab, date(2026, 12, 15), FINAL)
    row = services.movements.row(movement_id)
    assert (row.state, row.running_on, row.midterm_on, row.final_on) == (
        FINAL, date(2026, 1, 20), None, date(2026, 12, 15))
    assert tab.model.index(0, MovementColumn.FINAL).data() == "15/12/2026"


def test_a_step_dated_before_the_last_is_refused_in_the_dialog(qtbot: QtBot, services: Services) -> None:
    movement_id = add_draft(services)
    services.movements.advance(movement_id, LAUNCHED, date(2026, 1, 10))
    services.movements.advance(movement_id, RUNNING, date(2026, 1, 20))
    tab = open_tab(qtbot, services)
    dialog = take_step(qtbot, tab, date(2026, 1, 5), MIDTERM)
    assert dialog.isVisible()
    assert "không được trước ngày của bước trước (20/01/2026)" in dialog.message.text()
    assert services.movements.row(movement_id).state == RUNNING


def test_results_and_an_exemplary_model(qtbot: QtBot, services: Services) -> None:
    movement_id = add_draft(services)
    services.movements.advance(movement_id, LAUNCHED, date(2026, 1, 10))
    tab = open_tab(qtbot, services)
    tab.table.selectRow(0)
    tab.results_button.click()
    results = only_dialog(tab, ResultsDialog)
    assert not results.save_results.isEnabled()  # nothing typed: nothing to save
    assert results.no_models.isVisible()
    results.results.setPlainText("Hoàn thành 100% chỉ tiêu")
    assert results.save_results.isEnabled()
    with qtbot.waitSignal(tab.changed):
        results.save_results.click()
    assert services.movements.row(movement_id).results == "Hoàn thành 100% chỉ tiêu"
    assert not results.save_results.isEnabled()
    results.add_button.click()
    model_dialog = [d for d in results.findChildren(ExemplaryModelDialog) if d.isVisible()][0]
    search = model_dialog.form.field("subject_id").search
    assert search.width() > search.fontMetrics().horizontalAdvance(search.placeholderText())  # hint read whole
    model_dialog.form.field("name").set_value("Mô hình «Dân vận khéo»")
    model_dialog.form.field("recorded_on").set_value(date(2026, 6, 30))
    with qtbot.waitSignal(results.changed):
        model_dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert [m.name for m in services.movements.exemplary_models(movement_id)] == ["Mô hình «Dân vận khéo»"]
    assert results.models.rowCount() == 1
    assert not results.no_models.isVisible()


def test_a_draft_has_no_results_yet_and_a_closed_movement_keeps_its_models(qtbot: QtBot,
                                                                           services: Services) -> None:
    movement_id = add_draft(services)
    tab = open_tab(qtbot, services)
    tab.table.selectRow(0)
    tab.results_button.click()
    draft = only_dialog(tab, ResultsDialog)
    assert draft.results.isReadOnly() and draft.save_results.isHidden()
    assert "kết quả ghi sau khi phát động" in draft.state_note.text()
    assert not draft.add_button.isHidden()  # models may be noted early
    draft.close()
    for state, day in ((LAUNCHED, 10), (RUNNING, 20), (FINAL, 25), (CLOSED, 30)):
        services.movements.advance(movement_id, state, date(2026, 1, day))
    tab.reload(select_id=movement_id)
    tab.results_button.click()
    closed = only_dialog(tab, ResultsDialog)
    for button in (closed.add_button, closed.edit_button, closed.remove_button):
        assert button.isHidden()  # the service refuses them now
    assert not closed.results.isReadOnly() and "không sửa được nữa" in closed.state_note.text()


def test_a_draft_is_deleted_after_asking_for_a_reason(qtbot: QtBot, services: Services,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    add_draft(services)
    tab = open_tab(qtbot, services)
    tab.table.selectRow(0)
    assert tab.delete_button.isEnabled()
    monkeypatch.setattr("ui.movements_tab.ask_reason", lambda *_args: None)
    tab.delete_button.click()
    assert len(services.movements.rows(2026)) == 1
    monkeypatch.setattr("ui.movements_tab.ask_reason", lambda *_args: "Lập nhầm")
    with qtbot.waitSignal(tab.changed):
        tab.delete_button.click()
    assert services.movements.rows(2026) == []
    assert tab.model.rowCount() == 0


def test_a_launched_movement_cannot_be_deleted(qtbot: QtBot, services: Services) -> None:
    movement_id = add_draft(services)
    services.movements.advance(movement_id, LAUNCHED, date(2026, 1, 10))
    tab = open_tab(qtbot, services)
    tab.table.selectRow(0)
    assert not tab.delete_button.isEnabled()
    assert tab.step_button.isEnabled()


def test_a_viewer_sees_the_list_read_only(qtbot: QtBot, services: Services) -> None:
    add_draft(services)
    viewer = Services.create(services.sessions, replace(services.actor, role=Role.VIEWER))
    tab = open_tab(qtbot, viewer)
    tab.table.selectRow(0)
    assert tab.model.row(0).state == DRAFT
    for button in (tab.add_button, tab.edit_button, tab.step_button, tab.delete_button):
        assert button.isHidden()
    tab.results_button.click()
    results = only_dialog(tab, ResultsDialog)
    assert results.results.isReadOnly()
    assert results.add_button.isHidden() and results.save_results.isHidden()
    assert results.no_models.isVisible()
    viewer_tab = open_tab(qtbot, viewer, 2025)
    assert viewer_tab.empty.text() == "Năm 2025 chưa có phong trào thi đua nào."  # nothing to click


def test_set_year_shows_that_year(qtbot: QtBot, services: Services, qtmodeltester: ModelTester) -> None:
    add_draft(services)
    tab = open_tab(qtbot, services, 2025)
    assert tab.model.rowCount() == 0
    assert tab.empty.isVisible() and tab.empty.text().startswith("Năm 2025 chưa có phong trào thi đua nào.")
    assert "Thêm phong trào" in tab.empty.text()
    tab.set_year(2026)
    assert tab.model.rowCount() == 1
    assert not tab.empty.isVisible()
    qtmodeltester.check(tab.model)
