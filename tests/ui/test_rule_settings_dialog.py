"""«Thiết lập quy tắc xét khen thưởng», driven as the officer would; refusals change nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from app.roles import Role
from app.rule_setting_service import DEFAULT, OFFICER, SettingHistoryRow, SettingRow
from app.services import Services
from ui.rule_setting_table import (
    HistoryColumn,
    HistoryTableModel,
    SettingColumn,
    SettingTableModel,
    source_text,
)
from ui.rule_settings_dialog import RuleSettingsDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
TODAY = date(2026, 2, 1)


def open_dialog(qtbot: QtBot, services: Services) -> RuleSettingsDialog:
    dialog = RuleSettingsDialog(services, today=TODAY)
    qtbot.addWidget(dialog)
    return dialog


@pytest.fixture
def dialog(qtbot: QtBot, services: Services) -> RuleSettingsDialog:
    return open_dialog(qtbot, services)


def shown(dialog: RuleSettingsDialog, key: str, column: SettingColumn) -> str:
    """What the settings table shows for `key` in `column`, through the sorting proxy."""
    position = dialog.settings.row_of(key)
    assert position is not None
    index = dialog.table.proxy.mapFromSource(dialog.settings.index(position, column))
    return str(index.data())


def select(dialog: RuleSettingsDialog, key: str) -> None:
    position = dialog.settings.row_of(key)
    assert position is not None
    dialog.table.select_row(position)


def test_every_setting_is_listed_with_its_value_unit_and_source(dialog: RuleSettingsDialog) -> None:
    assert dialog.windowTitle() == "Thiết lập quy tắc xét khen thưởng"
    assert dialog.table.proxy.rowCount() == len(dialog.settings.rows()) > 30
    assert shown(dialog, "base_salary", SettingColumn.VALUE) == "2.340.000"
    assert shown(dialog, "base_salary", SettingColumn.UNIT) == "đồng"
    assert shown(dialog, "base_salary", SettingColumn.SINCE) == "01/07/2024"
    assert shown(dialog, "base_salary", SettingColumn.SOURCE) == "Mặc định: NĐ 73/2024/NĐ-CP"


def test_the_chosen_date_picks_the_values(dialog: RuleSettingsDialog) -> None:
    dialog.day.setDate(QDate(2020, 1, 1))
    assert shown(dialog, "base_salary", SettingColumn.VALUE) == "1.490.000"
    assert shown(dialog, "ldtt_min_months", SettingColumn.VALUE) == "10"


def test_selecting_a_setting_shows_its_dated_values(dialog: RuleSettingsDialog) -> None:
    select(dialog, "base_salary")
    assert [(r.effective_from.year, r.origin) for r in dialog.history.rows()] == [
        (2017, DEFAULT), (2018, DEFAULT), (2019, DEFAULT), (2023, DEFAULT), (2024, DEFAULT)]
    assert dialog.setting_name.text() == "Mức lương cơ sở"
    assert dialog.value.text() == "2.340.000"
    assert not dialog.remove_button.isEnabled()  # a default cannot be removed


def test_adding_a_value_updates_the_table_and_history(dialog: RuleSettingsDialog,
                                                      services: Services) -> None:
    select(dialog, "public_notice_days")
    dialog.value.line.setText("7")
    dialog.effective_from.setDate(QDate(2025, 1, 1))
    dialog.note.setText("Quyết định 12/2024/QĐ-UBND")
    assert dialog.save_value()
    assert services.rule_settings.on(TODAY).value("public_notice_days") == 7
    assert shown(dialog, "public_notice_days", SettingColumn.VALUE) == "7"
    assert shown(dialog, "public_notice_days", SettingColumn.SOURCE) == (
        "Cán bộ đặt từ 01/01/2025: Quyết định 12/2024/QĐ-UBND")
    selected = dialog.table.selected()
    assert selected is not None and selected.key == "public_notice_days"
    assert [r.origin for r in dialog.history.rows()] == [DEFAULT, OFFICER]
    assert dialog.message.text().startswith("Đã lưu")


def test_a_threshold_is_entered_in_parts(dialog: RuleSettingsDialog, services: Services) -> None:
    select(dialog, "vote_threshold:CSTDCS")
    dialog.value.relation.setCurrentIndex(dialog.value.relation.findData(">"))
    dialog.value.percent.setText("66,5")
    dialog.value.denominator.setCurrentIndex(dialog.value.denominator.findData("present"))
    assert dialog.save_value()
    assert services.rule_settings.on(TODAY).text("vote_threshold:CSTDCS") == ">66.5% present"


def test_a_bad_value_shows_the_reason_and_changes_nothing(dialog: RuleSettingsDialog,
                                                          services: Services) -> None:
    entries = services.audit.count()
    select(dialog, "public_notice_days")
    dialog.value.line.setText("bảy")
    assert not dialog.save_value()
    assert dialog.message.isVisibleTo(dialog)
    assert "số nguyên không âm" in dialog.message.text()
    assert dialog.value.line.text() == "bảy"  # kept for correcting
    assert services.rule_settings.entries() == ()
    assert services.audit.count() == entries
    select(dialog, "vote_threshold:CSTDCS")
    dialog.value.percent.setText("120")
    assert not dialog.save_value()
    assert "phần trăm từ 0 đến 100" in dialog.message.text()
    assert services.rule_settings.entries() == ()


def test_removing_a_value_asks_for_a_reason(dialog: RuleSettingsDialog, services: Services,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    services.rule_settings.set("public_notice_days", "7", date(2025, 1, 1))
    dialog.reload()
    select(dialog, "public_notice_days")
    dialog.history_table.select_row(1)
    assert dialog.remove_button.isEnabled()
    monkeypatch.setattr("ui.rule_settings_dialog.ask_reason", lambda *_args: None)
    assert not dialog.remove_selected()
    assert len(services.rule_settings.entries()) == 1
    monkeypatch.setattr("ui.rule_settings_dialog.ask_reason", lambda *_args: "Nhập nhầm")
    assert dialog.remove_selected()
    assert services.rule_settings.entries() == ()
    assert shown(dialog, "public_notice_days", SettingColumn.VALUE) == "5"
    assert services.audit.entries(limit=1)[0].reason == "Nhập nhầm"


def test_a_viewer_reads_but_cannot_edit(qtbot: QtBot, services: Services) -> None:
    services.rule_settings.set("public_notice_days", "7", date(2025, 1, 1))
    viewer = Services.create(services.sessions, replace(services.actor, role=Role.VIEWER))
    dialog = open_dialog(qtbot, viewer)
    select(dialog, "public_notice_days")
    dialog.history_table.select_row(1)
    assert shown(dialog, "public_notice_days", SettingColumn.VALUE) == "7"
    assert not dialog.save_button.isEnabled()
    assert not dialog.form_box.isEnabled()
    assert not dialog.remove_button.isEnabled()
    dialog.value.line.setText("9")
    assert not dialog.save_value()
    assert not dialog.remove_selected()
    assert services.rule_settings.on(TODAY).value("public_notice_days") == 7


def test_the_search_box_filters_without_diacritics(dialog: RuleSettingsDialog) -> None:
    dialog.search.setText("luong co so")
    proxy = dialog.table.proxy
    labels = {proxy.index(r, SettingColumn.LABEL).data() for r in range(proxy.rowCount())}
    assert "Mức lương cơ sở" in labels
    assert "Phải đăng ký thi đua đầu năm mới được xét danh hiệu" not in labels


def test_source_texts() -> None:
    assert source_text(DEFAULT, "01/01/2017", "NĐ 91/2017/NĐ-CP") == "Mặc định: NĐ 91/2017/NĐ-CP"
    assert source_text(OFFICER, "01/01/2025", "") == "Cán bộ đặt từ 01/01/2025"


def test_the_table_models_pass_the_model_tester(qtmodeltester: object, services: Services) -> None:
    settings = SettingTableModel()
    settings.set_rows(services.rule_settings.rows(TODAY))
    qtmodeltester.check(settings)  # type: ignore[attr-defined]
    history = HistoryTableModel()
    history.set_rows(services.rule_settings.history("base_salary"))
    qtmodeltester.check(history)  # type: ignore[attr-defined]
    assert isinstance(settings.row_at(0), SettingRow)
    assert isinstance(history.row_at(0), SettingHistoryRow)
    assert history.index(0, HistoryColumn.ORIGIN).data() == "Mặc định"


def test_enter_in_the_form_saves_and_keeps_the_dialog_open(qtbot: QtBot, dialog: RuleSettingsDialog,
                                                           services: Services) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)
    select(dialog, "public_notice_days")
    dialog.value.line.setText("8")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    assert services.rule_settings.on(TODAY).value("public_notice_days") == 8
    assert dialog.isVisible()


def test_changing_the_view_date_keeps_the_value_being_typed(dialog: RuleSettingsDialog) -> None:
    select(dialog, "base_salary")
    dialog.value.line.setText("2.530.000")
    dialog.effective_from.setDate(QDate(2026, 7, 1))
    dialog.note.setText("NĐ .../2026 lương cơ sở mới")
    dialog.day.setDate(QDate(2026, 7, 1))  # the officer looks at the values on that date
    assert dialog.value.line.text() == "2.530.000"
    assert dialog.effective_from.date() == QDate(2026, 7, 1)
    assert dialog.note.text() == "NĐ .../2026 lương cơ sở mới"

    select(dialog, "public_notice_days")  # another setting starts a fresh form
    assert dialog.value.text() == "5"
    assert dialog.note.text() == ""


def test_a_saved_value_clears_the_form(dialog: RuleSettingsDialog) -> None:
    select(dialog, "public_notice_days")
    dialog.value.line.setText("7")
    dialog.note.setText("Quyết định 12/2024/QĐ-UBND")
    assert dialog.save_value()
    assert dialog.note.text() == ""
    assert dialog.value.text() == "7"  # the value now in force
