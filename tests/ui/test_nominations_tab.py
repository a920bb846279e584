"""The «Đề nghị khen thưởng» tab: the year's list with counts and a state filter, adding a
nomination (a sudden feat too), opening one on double-click, reloading after changes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.history import RatingRecord
from app.roles import Actor, Role
from app.services import Services
from app.subject_data import Choice, IndividualData
from ui.nomination_dialog import NominationDialog
from ui.new_nomination_dialog import NewNominationDialog
from ui.nominations_tab import ALL_STATES, LOADING, NominationColumn, NominationsTab
from tests.ui.test_nomination_dialog import voted

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def people(services: Services) -> list[int]:
    ids = services.subjects.create_many([
        IndividualData("Bùi Văn Toàn", "male", employment="cong_chuc", employment_start=date(2015, 1, 1)),
        IndividualData("Cao Thị Yến", "female", employment="cong_chuc", employment_start=date(2015, 1, 1))])
    for subject_id in ids:
        services.history.save(subject_id, RatingRecord(2025, "tot"))
    return ids


def open_tab(qtbot: QtBot, services: Services, tmp_path: Path) -> NominationsTab:
    tab = NominationsTab(services, data_folder=tmp_path)
    qtbot.addWidget(tab)
    tab.show()
    tab.set_year(2025)
    return tab


def save(dialog: NewNominationDialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


def shown_subjects(tab: NominationsTab) -> list[str]:
    return [tab.proxy.index(row, NominationColumn.SUBJECT).data() for row in range(tab.proxy.rowCount())]


def test_the_year_s_nominations_with_counts_and_a_state_filter(qtbot: QtBot, services: Services, tmp_path: Path,
                                                               qtmodeltester: ModelTester) -> None:
    toan, yen = people(services)
    checked = services.nominations.create(subject_id=toan, award_code="LDTT", year=2025,
                                          planned_decision_date=date(2026, 1, 20))
    services.nominations.check(checked)
    services.nominations.create(subject_id=yen, award_code="LDTT", year=2025)
    services.nominations.create(subject_id=yen, award_code="LDTT", year=2024)  # another year
    tab = open_tab(qtbot, services, tmp_path)
    qtmodeltester.check(tab.nominations)
    assert shown_subjects(tab) == ["Bùi Văn Toàn", "Cao Thị Yến"]
    assert tab.counts.text() == "Năm 2025: 2 đề nghị: dự thảo 1, đã kiểm tra điều kiện 1"
    first = [tab.proxy.index(0, column).data() for column in NominationColumn]
    assert first == ["Bùi Văn Toàn", "Lao động tiên tiến", "Thông thường", "Đã kiểm tra điều kiện",
                     "Xã quyết định", "Đủ điều kiện", "", "", "0", ""]
    assert tab.state_filter.itemText(0) == ALL_STATES
    tab.state_filter.setCurrentIndex(tab.state_filter.findData("draft"))
    assert tab.state_filter.currentText() == "Dự thảo (1)"
    assert shown_subjects(tab) == ["Cao Thị Yến"]
    tab.state_filter.setCurrentIndex(tab.state_filter.findData("returned"))
    assert shown_subjects(tab) == []
    tab.set_year(2024)
    assert tab.state_filter.currentData() == "returned"  # the filter is kept across reloads
    tab.state_filter.setCurrentIndex(0)
    assert shown_subjects(tab) == ["Cao Thị Yến"]


def test_adding_a_nomination_lists_it_and_opens_it(qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    toan, _yen = people(services)
    tab = open_tab(qtbot, services, tmp_path)
    with qtbot.waitSignal(tab.changed):
        tab.new_button.click()
        new = tab.new_dialog
        assert new is not None
        new.choose("individual", Choice(toan, "Bùi Văn Toàn"), "LDTT")
        new.summary.setPlainText("Hoàn thành tốt nhiệm vụ")
        save(new)
    assert shown_subjects(tab) == ["Bùi Văn Toàn"]
    assert isinstance(tab.dialog, NominationDialog) and tab.dialog.isVisible()
    assert tab.dialog.heading.text() == "Lao động tiên tiến năm 2025 — Bùi Văn Toàn"


def test_a_refused_nomination_keeps_the_dialog_open_with_the_reason(qtbot: QtBot, services: Services,
                                                                    tmp_path: Path) -> None:
    toan, _yen = people(services)
    services.nominations.create(subject_id=toan, award_code="LDTT", year=2025)
    tab = open_tab(qtbot, services, tmp_path)
    tab.new_button.click()
    new = tab.new_dialog
    assert new is not None
    save(new)
    assert new.error.text() == "Hãy chọn đối tượng được đề nghị."
    new.choose("individual", Choice(toan, "Bùi Văn Toàn"), "LDTT")
    save(new)
    assert "đã có đề nghị «Lao động tiên tiến» năm 2025 đang xử lý" in new.error.text()
    assert new.isVisible() and len(shown_subjects(tab)) == 1


def test_a_sudden_feat_is_added_by_the_simplified_procedure(qtbot: QtBot, services: Services,
                                                            tmp_path: Path) -> None:
    toan, _yen = people(services)
    tab = open_tab(qtbot, services, tmp_path)
    tab.new_button.click()
    new = tab.new_dialog
    assert new is not None
    new.choose("individual", Choice(toan, "Bùi Văn Toàn"), "GK_XA")
    assert not new.event_date.isEnabled()
    new.sudden.setChecked(True)
    new.event_date.set_value(date(2025, 7, 14))
    new.summary.setPlainText("Cứu hai em nhỏ đuối nước")
    save(new)
    [row] = services.nominations.rows(2025)
    detail = services.nominations.detail(row.id)
    assert (row.procedure, detail.basis_kind, detail.event_date) == ("simplified", "sudden", date(2025, 7, 14))
    assert tab.proxy.index(0, NominationColumn.PROCEDURE).data() == "Đơn giản"


def test_double_click_opens_the_nomination_and_its_changes_reload_the_tab(
        qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toan, _yen = people(services)
    nomination_id = services.nominations.create(subject_id=toan, award_code="LDTT", year=2025,
                                                planned_decision_date=date(2026, 1, 20))
    tab = open_tab(qtbot, services, tmp_path)
    index = tab.proxy.index(0, NominationColumn.STATE)
    tab.table.doubleClicked.emit(index)
    dialog = tab.dialog
    assert dialog is not None and dialog.detail.row.id == nomination_id
    with qtbot.waitSignal(tab.changed):
        dialog.check_button.click()
    assert tab.proxy.index(0, NominationColumn.STATE).data() == "Đã kiểm tra điều kiện"


def test_open_nomination_opens_the_one_asked(qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    toan, yen = people(services)
    services.nominations.create(subject_id=toan, award_code="LDTT", year=2025)
    second = services.nominations.create(subject_id=yen, award_code="LDTT", year=2025)
    tab = open_tab(qtbot, services, tmp_path)
    assert tab.open_nomination(second).heading.text() == "Lao động tiên tiến năm 2025 — Cao Thị Yến"


def test_a_viewer_is_not_offered_to_add(qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    viewer = Services.create(services.sessions, Actor(None, "xem", "Người xem", Role.VIEWER))
    tab = open_tab(qtbot, viewer, tmp_path)
    assert not tab.new_button.isVisibleTo(tab)
    assert tab.counts.text() == "Năm 2025: 0 đề nghị."
    assert tab.empty.text() == "Năm 2025 chưa có đề nghị khen thưởng nào."  # nothing to click for a viewer


def test_an_empty_year_says_where_nominations_come_from_and_open_waits_for_a_choice(
        qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    tab = open_tab(qtbot, services, tmp_path)
    assert tab.empty.isVisible() and "«Lập đề nghị…»" in tab.empty.text() and "«Thêm đề nghị…»" in tab.empty.text()
    assert not tab.open_button.isEnabled()
    toan, _yen = people(services)
    services.nominations.create(subject_id=toan, award_code="LDTT", year=2025)
    tab.reload()
    assert not tab.empty.isVisible() and not tab.open_button.isEnabled()
    tab.table.selectRow(0)
    assert tab.open_button.isEnabled()
    tab.reload()  # the list read again: the nomination chosen stays chosen
    assert tab.open_button.isEnabled() and tab.selected() is not None


def test_award_and_state_fit_on_one_line_beside_the_subject(qtbot: QtBot, services: Services,
                                                             tmp_path: Path) -> None:
    toan, _yen = people(services)
    services.nominations.create(subject_id=toan, award_code="GK_XA", year=2025)
    tab = open_tab(qtbot, services, tmp_path)
    tab.resize(1100, 500)
    qtbot.waitExposed(tab)
    table = tab.table
    assert not table.wordWrap()
    for column in NominationColumn:
        if column is not NominationColumn.SUBJECT:
            assert table.columnWidth(column) >= table.sizeHintForColumn(column), column.name
    assert table.columnWidth(NominationColumn.SUBJECT) < table.viewport().width() // 2


def test_the_answer_column_speaks_of_the_upper_level(qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    tab = open_tab(qtbot, services, tmp_path)
    header = tab.proxy.headerData(NominationColumn.ANSWER_DUE, Qt.Orientation.Horizontal)
    assert header == "Hạn cấp trên trả lời"


def on_day(services: Services, day: date) -> Services:
    """The same database seen by the services on another day (noon in Việt Nam)."""
    return Services.create(services.sessions, services.actor, clock=lambda: datetime(
        day.year, day.month, day.day, 5, 0, tzinfo=UTC))


def test_the_deadlines_line_counts_from_the_services_date(qtbot: QtBot, services: Services,
                                                          tmp_path: Path) -> None:
    toan, _yen = people(services)
    nomination_id = services.nominations.create(subject_id=toan, award_code="LDTT", year=2025,
                                                planned_decision_date=date(2026, 1, 20))
    voted(services, nomination_id)
    services.nominations.post_notice([nomination_id], date(2026, 2, 12))  # ends 25/02/2026
    early = open_tab(qtbot, on_day(services, date(2026, 2, 10)), tmp_path)
    assert early.deadlines.isHidden()  # more than a week ahead
    near = open_tab(qtbot, on_day(services, date(2026, 2, 20)), tmp_path)
    assert not near.deadlines.isHidden()
    assert near.deadlines.text() == "Niêm yết «Lao động tiên tiến» cho Bùi Văn Toàn kết thúc ngày 25/02/2026."
    assert near.open_nomination(nomination_id).deadlines.text().endswith("25/02/2026.")


def pooled_tab(qtbot: QtBot, services: Services, tmp_path: Path, pool: QThreadPool) -> NominationsTab:
    tab = NominationsTab(services, data_folder=tmp_path, read_pool=pool)
    qtbot.addWidget(tab, before_close_func=lambda _tab: pool.waitForDone())
    tab.show()
    return tab


def test_the_list_is_read_in_the_background_and_an_older_year_s_result_is_dropped(
        qtbot: QtBot, services: Services, tmp_path: Path, read_pool: QThreadPool) -> None:
    toan, yen = people(services)
    services.nominations.create(subject_id=toan, award_code="LDTT", year=2025)
    services.nominations.create(subject_id=yen, award_code="LDTT", year=2024)
    tab = pooled_tab(qtbot, services, tmp_path, read_pool)
    shown: list[str] = []
    tab.loaded.connect(lambda: shown.append(tab.counts.text()))
    with qtbot.waitSignal(tab.loaded):
        tab.set_year(2024)
        assert tab.counts.text() == LOADING.format(year=2024) and shown_subjects(tab) == []  # not read yet
    assert shown_subjects(tab) == ["Cao Thị Yến"]
    tab.set_year(2023)
    with qtbot.waitSignal(tab.loaded):
        tab.set_year(2025)  # chosen before 2023's list came back
        assert shown_subjects(tab) == []  # 2024's rows are not left under 2025
    read_pool.waitForDone()
    qtbot.wait(50)  # any late result has been delivered
    assert shown == ["Năm 2024: 1 đề nghị: dự thảo 1", "Năm 2025: 1 đề nghị: dự thảo 1"]
    assert shown_subjects(tab) == ["Bùi Văn Toàn"]


def test_a_reload_after_a_change_keeps_the_filter_and_the_nomination_chosen(
        qtbot: QtBot, services: Services, tmp_path: Path, read_pool: QThreadPool) -> None:
    toan, yen = people(services)
    for subject_id in (toan, yen):
        services.nominations.create(subject_id=subject_id, award_code="LDTT", year=2025,
                                    planned_decision_date=date(2026, 1, 20))
    services.nominations.create(subject_id=yen, award_code="GK_XA", year=2025)
    tab = pooled_tab(qtbot, services, tmp_path, read_pool)
    with qtbot.waitSignal(tab.loaded):
        tab.set_year(2025)
    tab.state_filter.setCurrentIndex(tab.state_filter.findData("draft"))
    assert shown_subjects(tab) == ["Bùi Văn Toàn", "Cao Thị Yến", "Cao Thị Yến"]
    tab.table.selectRow(2)
    chosen = tab.selected()
    assert chosen is not None and chosen.subject_name == "Cao Thị Yến"
    services.nominations.check(shown_row_id(tab, 0))  # Toàn's leaves «Dự thảo»
    with qtbot.waitSignal(tab.loaded):
        tab.reload()
    assert tab.state_filter.currentData() == "draft" and tab.state_filter.currentText() == "Dự thảo (2)"
    assert shown_subjects(tab) == ["Cao Thị Yến", "Cao Thị Yến"]
    after = tab.selected()
    assert after is not None and after.id == chosen.id and tab.open_button.isEnabled()
    assert tab.table.selectionModel().selectedRows()[0].row() == 1  # the same nomination, one row up


def shown_row_id(tab: NominationsTab, row: int) -> int:
    return tab.nominations.row(tab.proxy.mapToSource(tab.proxy.index(row, 0))).id


def test_the_sending_column_says_which_package_holds_a_nomination_and_what_the_province_said(
        qtbot: QtBot, demo_services: Services, tmp_path: Path, read_pool: QThreadPool) -> None:
    ready = [row.nomination_id for row in demo_services.packages.candidates() if row.ready]
    demo_services.packages.export(ready, tmp_path, tmp_path)
    tab = pooled_tab(qtbot, demo_services, tmp_path, read_pool)
    with qtbot.waitSignal(tab.loaded):
        tab.set_year(2026)
    sent = {tab.proxy.index(row, NominationColumn.SUBJECT).data(): tab.proxy.index(row, NominationColumn.SENT).data()
            for row in range(tab.proxy.rowCount())}
    assert tab.nominations.headerData(NominationColumn.SENT, Qt.Orientation.Horizontal) == "Gửi tỉnh"
    assert sent.pop("Vũ Đình Thắng") == "Gói số 1 (20/11/2026): chờ biên nhận"
    assert sent and set(sent.values()) == {""}  # the commune's own nominations never go to the province
