"""The «Đăng ký thi đua» tab: bulk registration through the dialog, the Excel import in the
background (errors per row, nothing written), removal with a reason, viewers read-only."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.movements import LAUNCHED, MovementPlan
from app.registrations import RegistrationItem
from app.roles import Role
from app.services import Services
from app.subject_data import CollectiveData, IndividualData
from tests.app.test_excel_year_sheets import template
from ui.movement_tables import PickColumn
from ui.registration_dialog import BulkRegistrationDialog
from ui.registrations_tab import ImportReport, RegistrationsTab

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def movement_id(services: Services) -> int:
    row = services.movements.create(MovementPlan(2026, "regular", "Thi đua yêu nước 2026", "02/KH-UBND"))
    services.movements.advance(row.id, LAUNCHED, date(2026, 1, 10))
    return row.id


@pytest.fixture
def people(services: Services) -> list[int]:
    return [services.subjects.create(IndividualData(name, "female")).id
            for name in ("Lê Thị Hoa", "Lê Thị Lan", "Trần Thị Mai")]


def open_tab(qtbot: QtBot, services: Services, write_pool: QThreadPool) -> RegistrationsTab:
    tab = RegistrationsTab(services, write_pool=write_pool)
    qtbot.addWidget(tab, before_close_func=lambda _t: write_pool.waitForDone())
    tab.set_year(2026)
    tab.show()
    return tab


def test_bulk_registration_through_the_dialog(qtbot: QtBot, services: Services, write_pool: QThreadPool,
                                              movement_id: int, people: list[int]) -> None:
    services.subjects.create(CollectiveData("Trường Mầm non Lê Lợi", "school"))
    tab = open_tab(qtbot, services, write_pool)
    tab.bulk_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, BulkRegistrationDialog) and dialog.isVisible()
    dialog.search.setText("le thi")
    dialog.refresh()
    assert [r.name for r in dialog.subjects.rows()] == ["Lê Thị Hoa", "Lê Thị Lan"]
    dialog.check_all.click()
    assert dialog.count.text() == "Đã chọn 2 đối tượng"
    dialog.award.setCurrentIndex(dialog.award.findData("CSTDCS"))
    dialog.registered_on.set_value(date(2026, 2, 1))
    with qtbot.waitSignal(tab.changed, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert {(r.subject_name, r.award_code, r.registered_on) for r in services.registrations.rows(movement_id)} == {
        ("Lê Thị Hoa", "CSTDCS", date(2026, 2, 1)), ("Lê Thị Lan", "CSTDCS", date(2026, 2, 1))}
    assert tab.model.rowCount() == 2
    assert tab.count.text() == "2 đăng ký"
    assert not tab.state.isVisible()  # nothing to explain any more


def test_the_kind_filter_offers_that_kinds_titles(qtbot: QtBot, services: Services, write_pool: QThreadPool,
                                                  movement_id: int, people: list[int],
                                                  qtmodeltester: ModelTester) -> None:
    services.subjects.create(CollectiveData("Trường Mầm non Lê Lợi", "school"))
    tab = open_tab(qtbot, services, write_pool)
    tab.bulk_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, BulkRegistrationDialog)
    dialog.subjects.setData(dialog.subjects.index(0, PickColumn.NAME), Qt.CheckState.Checked,
                            Qt.ItemDataRole.CheckStateRole)
    assert len(dialog.subjects.checked()) == 1
    dialog.set_kind("collective")
    assert [r.name for r in dialog.subjects.rows()] == ["Trường Mầm non Lê Lợi"]
    assert dialog.subjects.checked() == []  # one title for the batch: ticks of another kind go
    titles = [dialog.award.itemData(i) for i in range(dialog.award.count())]
    assert "TTLDTT" in titles and "LDTT" not in titles
    qtmodeltester.check(dialog.subjects)


def test_a_refused_batch_shows_why_and_writes_nothing(qtbot: QtBot, services: Services, write_pool: QThreadPool,
                                                      movement_id: int, people: list[int]) -> None:
    services.registrations.add_many(movement_id, [RegistrationItem(people[0], "LDTT", date(2026, 2, 1))])
    tab = open_tab(qtbot, services, write_pool)
    tab.bulk_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, BulkRegistrationDialog)
    dialog.check_all.click()
    dialog.award.setCurrentIndex(dialog.award.findData("LDTT"))
    dialog.registered_on.set_value(date(2026, 2, 1))
    with qtbot.waitSignal(dialog.task_finished, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert "«Lê Thị Hoa» đã đăng ký «Lao động tiên tiến» trong phong trào này" in dialog.message.text()
    assert len(services.registrations.rows(movement_id)) == 1


def test_excel_import_in_the_background(qtbot: QtBot, services: Services, write_pool: QThreadPool,
                                        movement_id: int, people: list[int], tmp_path: Path) -> None:
    path = template(tmp_path, [[None, "Lê Thị Hoa", None, None, "Lao động tiên tiến", "15/01/2026"],
                               [None, "Trần Thị Mai", None, None, "LDTT", "15/01/2026"]])
    tab = open_tab(qtbot, services, write_pool)
    with qtbot.waitSignal(tab.imported, timeout=5000) as imported:
        tab.import_file(path)
    assert imported.args[0].written == 2
    assert tab.model.rowCount() == 2
    assert isinstance(tab.dialog, ImportReport)
    assert "Đã ghi 2 đăng ký" in tab.dialog.text.toPlainText()


def test_an_import_with_a_bad_row_writes_nothing_and_lists_the_errors(
        qtbot: QtBot, services: Services, write_pool: QThreadPool, movement_id: int, people: list[int],
        tmp_path: Path) -> None:
    path = template(tmp_path, [[None, "Lê Thị Hoa", None, None, "LDTT", "15/01/2026"],
                               [None, "Không Ai Cả", None, None, "LDTT", "15/01/2026"]])
    tab = open_tab(qtbot, services, write_pool)
    with qtbot.waitSignal(tab.imported, timeout=5000):
        tab.import_file(path)
    assert services.registrations.rows(movement_id) == []
    assert isinstance(tab.dialog, ImportReport)
    assert tab.dialog.windowTitle() == "Có lỗi trong tệp: chưa nhập gì"
    assert "Dòng 3, cột «Họ và tên / Tên đối tượng»: không có đối tượng «Không Ai Cả» trong sổ." in (
        tab.dialog.text.toPlainText())


def test_removal_asks_for_a_reason(qtbot: QtBot, services: Services, write_pool: QThreadPool, movement_id: int,
                                   people: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    services.registrations.add_many(movement_id, [RegistrationItem(people[0], "LDTT", date(2026, 2, 1))])
    tab = open_tab(qtbot, services, write_pool)
    tab.table.selectRow(0)
    monkeypatch.setattr("ui.registrations_tab.ask_reason", lambda *_args: "Chuyển công tác")
    with qtbot.waitSignal(tab.changed):
        tab.remove_button.click()
    assert services.registrations.rows(movement_id) == []
    assert tab.model.rowCount() == 0


def test_a_draft_movement_offers_no_registration(qtbot: QtBot, services: Services, write_pool: QThreadPool) -> None:
    services.movements.create(MovementPlan(2026, "thematic", "Chuyển đổi số", starts_on=date(2026, 5, 1),
                                           ends_on=date(2026, 9, 1)))
    tab = open_tab(qtbot, services, write_pool)
    assert not tab.bulk_button.isEnabled() and not tab.import_button.isEnabled()
    assert "đã phát động hoặc đang triển khai" in tab.state.text()


def test_a_year_without_movements_says_so(qtbot: QtBot, services: Services, write_pool: QThreadPool) -> None:
    tab = open_tab(qtbot, services, write_pool)
    assert tab.current_movement() is None
    assert tab.state.text() == "Năm 2026 chưa có phong trào thi đua nào: đăng ký thi đua theo một phong trào. " \
                               "Thêm phong trào ở thẻ «Phong trào»."
    assert tab.state.wordWrap()  # a long note wraps rather than widening the tab


def test_a_movement_nobody_registered_for_says_how_to_register(qtbot: QtBot, services: Services,
                                                              write_pool: QThreadPool, movement_id: int) -> None:
    tab = open_tab(qtbot, services, write_pool)
    assert tab.model.rowCount() == 0 and tab.state.isVisible()
    assert tab.state.text() == "Chưa có ai đăng ký thi đua theo phong trào này. " \
                               "Bấm «Đăng ký hàng loạt…» hoặc «Nhập từ Excel…»."


def test_a_viewer_sees_registrations_read_only(qtbot: QtBot, services: Services, write_pool: QThreadPool,
                                               movement_id: int, people: list[int],
                                               qtmodeltester: ModelTester) -> None:
    services.registrations.add_many(movement_id, [RegistrationItem(people[0], "LDTT", date(2026, 2, 1))])
    viewer = Services.create(services.sessions, replace(services.actor, role=Role.VIEWER))
    tab = open_tab(qtbot, viewer, write_pool)
    assert tab.model.rowCount() == 1
    for button in (tab.bulk_button, tab.import_button, tab.template_button, tab.remove_button):
        assert button.isHidden()
    qtmodeltester.check(tab.model)


def test_the_template_is_saved(qtbot: QtBot, services: Services, write_pool: QThreadPool, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("ui.registrations_tab.show_info", lambda _parent, _title, text: shown.append(text))
    tab = open_tab(qtbot, services, write_pool)
    tab.save_template(tmp_path / "mau.xlsx")
    assert (tmp_path / "mau.xlsx").is_file()
    assert shown == [f"Đã lưu tệp mẫu «Đăng ký thi đua» tại {tmp_path / 'mau.xlsx'}."]


def test_a_viewer_is_not_asked_to_add_what_they_cannot(qtbot: QtBot, services: Services,
                                                       write_pool: QThreadPool, movement_id: int) -> None:
    viewer = Services.create(services.sessions, replace(services.actor, role=Role.VIEWER))
    tab = open_tab(qtbot, viewer, write_pool)
    assert tab.state.text() == "Chưa có ai đăng ký thi đua theo phong trào này."
    tab.set_year(2027)
    assert tab.state.text() == "Năm 2027 chưa có phong trào thi đua nào: đăng ký thi đua theo một phong trào."
