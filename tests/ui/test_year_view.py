"""The «Năm thi đua» view: the overview panel's counts, deadlines and next steps, and the view
that composes it with the tabs of each step."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.movements import MovementPlan
from app.services import Services
from db.models import Movement
from tests.app.year_builders import AT, TODAY, YEAR, build_year, nomination, people
from ui.year_overview_panel import NO_DEADLINES, NOTHING_NEXT, YearOverviewPanel
from ui.year_view import YearView

# The offscreen platform warns that it cannot size windows to their hints.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def open_panel(qtbot: QtBot, services: Services, today: date = TODAY,
               read_pool: QThreadPool | None = None) -> YearOverviewPanel:
    panel = YearOverviewPanel(services, read_pool, lambda: today)
    qtbot.addWidget(panel)
    panel.resize(1000, 800)
    panel.show()
    return panel


# --- the panel ---------------------------------------------------------------------------


def test_panel_shows_the_years_counts_in_words(qtbot: QtBot, services: Services) -> None:
    build_year(services)
    panel = open_panel(qtbot, services)
    panel.set_year(YEAR)
    assert panel.heading.text() == "Năm thi đua 2026"
    assert panel.status.text() == "Tình hình đến ngày 10/12/2026."
    movements = panel.card_text("movements")
    assert "Thường xuyên: «Phong trào thi đua yêu nước năm 2026» — đang triển khai." in movements
    assert "2 phong trào: 1 thường xuyên, 1 theo chuyên đề, theo đợt." in movements
    assert "4 lượt đăng ký của 3 cá nhân, tập thể." in panel.card_text("registrations")
    assert "• Lao động tiên tiến: 2" in panel.card_text("registrations")
    assert "Còn thiếu 2 đối tượng." in panel.card_text("ratings")
    review = panel.card_text("review")
    assert "3 ứng viên được giữ, 1 bị loại." in review
    assert "1 ứng viên chờ bổ sung thông tin để xét:\n• Tập thể lao động tiên tiến: 1" in review
    assert "1 ứng viên được giữ dù còn thiếu thông tin." in review
    assert "1 phiên đã chốt kết quả, 1 phiên đang mở." in panel.card_text("council")
    nominations = panel.card_text("nominations").splitlines()
    assert nominations[0] == "9 hồ sơ đề nghị."
    assert "• Đang niêm yết công khai: 3" in nominations
    assert "• Cấp trên đã khen thưởng: 0" in nominations  # every state, zeros included
    assert len(nominations) == 1 + 9
    decisions = panel.card_text("decisions")
    assert "2 cá nhân, tập thể được khen; tiền thưởng 1.500.000 đồng." in decisions
    assert "1 khen thưởng đã bị thu hồi (không tính)." in decisions


def test_deadlines_show_dates_and_late_answers_in_red(qtbot: QtBot, services: Services) -> None:
    built = build_year(services)
    panel = open_panel(qtbot, services)
    panel.set_year(YEAR)
    texts = [label.text() for label in panel.deadline_labels]
    assert len(texts) == 3
    assert "Lê Văn Cường — Bằng khen của Chủ tịch UBND tỉnh: cấp trên phải trả lời trước 01/12/2026, " \
           "quá hạn 9 ngày" in texts[0]
    assert "color: #b00020" in texts[0]
    assert "đã hết niêm yết công khai ngày 08/12/2026" in texts[1] and "color" not in texts[1]
    assert "hết niêm yết công khai ngày 15/12/2026, còn 5 ngày" in texts[2]
    with qtbot.waitSignal(panel.nomination_requested) as blocker:
        panel.deadline_labels[0].linkActivated.emit(texts[0].split('"')[1])
    assert blocker.args == [built.nominations["cuong_bk"]]


def test_clicking_a_next_step_asks_for_its_tab(qtbot: QtBot, services: Services) -> None:
    build_year(services)
    panel = open_panel(qtbot, services)
    panel.set_year(YEAR)
    buttons = {button.text(): button for button in panel.step_buttons}
    assert "→  Họp Hội đồng xét 1 hồ sơ đã kiểm tra" in buttons
    with qtbot.waitSignal(panel.step_requested) as blocker:
        qtbot.mouseClick(buttons["→  Họp Hội đồng xét 1 hồ sơ đã kiểm tra"], Qt.MouseButton.LeftButton)
    assert blocker.args == ["council"]
    with qtbot.waitSignal(panel.step_requested) as blocker:
        qtbot.mouseClick(buttons["→  Lập quyết định khen thưởng (1 hồ sơ)"], Qt.MouseButton.LeftButton)
    assert blocker.args == ["decisions"]


def test_an_empty_year_says_what_is_missing(qtbot: QtBot, services: Services) -> None:
    build_year(services)
    panel = open_panel(qtbot, services, today=date(2030, 1, 5))
    panel.set_year(2030)
    assert panel.card_text("movements") == "Chưa có phong trào thi đua nào cho năm 2030."
    assert panel.card_text("registrations") == "Chưa có đăng ký thi đua nào."
    assert panel.card_text("review") == "Chưa chạy đề xuất bình xét."
    assert panel.card_text("council") == "Chưa có phiên họp nào."
    assert panel.card_text("nominations").startswith("Chưa có hồ sơ đề nghị nào.\n• Dự thảo: 0")
    assert [b.text() for b in panel.step_buttons] == [
        "→  Lập kế hoạch phong trào thi đua thường xuyên năm 2030"]
    assert [label.text() for label in panel.deadlines_box.findChildren(QLabel)] == [NO_DEADLINES]


def test_a_year_with_nothing_to_do_says_so(qtbot: QtBot, services: Services) -> None:
    with services.sessions.begin() as session:
        session.add(Movement(year=2030, kind="regular", name="Thi đua 2030", state="closed",
                             created_at=AT, updated_at=AT))
    panel = open_panel(qtbot, services, today=date(2030, 6, 1))
    panel.set_year(2030)
    assert panel.step_buttons == []
    assert [label.text() for label in panel.steps_box.findChildren(QLabel)] == [NOTHING_NEXT]


def test_panel_reads_on_the_read_pool_and_shows_the_latest_year_only(
        qtbot: QtBot, services: Services, read_pool: QThreadPool) -> None:
    build_year(services)
    panel = open_panel(qtbot, services, read_pool=read_pool)
    with qtbot.waitSignal(panel.loaded, timeout=5000) as blocker:
        panel.set_year(2025)
        panel.set_year(YEAR)  # chosen before the first read came back: only this one shows
        assert panel.status.text() == "Đang tải…"
    assert blocker.args[0].year == YEAR
    qtbot.wait(50)  # a late 2025 result, if any, would arrive now
    assert panel.overview is not None and panel.overview.year == YEAR
    assert panel.card_text("nominations").startswith("9 hồ sơ")


# --- the view ----------------------------------------------------------------------------


def open_view(qtbot: QtBot, services: Services, tmp_path: Path, today: date = TODAY) -> YearView:
    view = YearView(services, tmp_path, today=lambda: today)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    return view


def test_view_shows_the_current_year_in_the_overview_then_every_steps_tab(
        qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    build_year(services)
    view = open_view(qtbot, services, tmp_path)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        "Tổng quan", "Phong trào", "Đăng ký", "Bình xét", "Họp Hội đồng", "Đề nghị", "Quyết định", "Gửi tỉnh"]
    assert view.current_tab() is view.overview
    assert [view.year_box.itemText(i) for i in range(view.year_box.count())] == ["2026", "2025"]
    assert view.year_box.currentText() == "2026" and view.overview.year == YEAR
    assert view.review.year == YEAR
    assert view.nominations.nominations.rowCount() == 9


def test_changing_the_year_shows_it_in_every_tab(qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    build_year(services)
    view = open_view(qtbot, services, tmp_path)
    view.year_box.setCurrentIndex(view.year_box.findData(2025))
    assert view.year == 2025
    assert view.overview.heading.text() == "Năm thi đua 2025"
    assert view.overview.card_text("nominations").startswith("1 hồ sơ đề nghị.")
    assert view.review.year == 2025
    assert "2025" in view.council.heading.text()
    assert "2025" in view.movements.title.text()
    assert view.nominations.nominations.rowCount() == 1


def test_a_next_step_opens_its_tab(qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    build_year(services)
    view = open_view(qtbot, services, tmp_path)
    buttons = {button.text(): button for button in view.overview.step_buttons}
    qtbot.mouseClick(buttons["→  Họp Hội đồng xét 1 hồ sơ đã kiểm tra"], Qt.MouseButton.LeftButton)
    assert view.current_tab() is view.council
    view.tabs.setCurrentWidget(view.overview)
    qtbot.mouseClick(buttons_of(view)["→  Ban hành 1 quyết định dự thảo"], Qt.MouseButton.LeftButton)
    assert view.current_tab() is view.decisions


def buttons_of(view: YearView) -> dict[str, QPushButton]:
    return {button.text(): button for button in view.overview.step_buttons}


def test_a_change_in_a_tab_reloads_the_overview_and_the_other_tabs_when_shown(
        qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    view = open_view(qtbot, services, tmp_path)
    assert "→  Lập kế hoạch phong trào thi đua thường xuyên năm 2026" in buttons_of(view)
    view.show_tab("movements")
    services.movements.create(MovementPlan(YEAR, "regular", "Thi đua yêu nước năm 2026"))
    staff, _farmer, _collectives = people(services)
    with services.sessions.begin() as session:
        session.add(nomination(staff[0], "LDTT", "draft"))
    view.movements.changed.emit()  # as the tab does after the officer's change
    assert "→  Phát động phong trào «Thi đua yêu nước năm 2026»" in buttons_of(view)
    assert view.nominations.nominations.rowCount() == 0  # read again only when shown
    view.show_tab("nominations")
    assert view.nominations.nominations.rowCount() == 1


def test_a_movement_of_a_new_year_makes_that_year_choosable(
        qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    view = open_view(qtbot, services, tmp_path)
    assert [view.year_box.itemText(i) for i in range(view.year_box.count())] == ["2026"]
    services.movements.create(MovementPlan(YEAR + 1, "regular", "Thi đua yêu nước năm 2027"))
    view.movements.changed.emit()
    assert [view.year_box.itemText(i) for i in range(view.year_box.count())] == ["2027", "2026"]
    assert view.year_box.currentText() == "2026"
    view.set_year(2030)  # a year with nothing yet can be shown too
    assert view.year_box.currentText() == "2030" and view.overview.year == 2030


def test_a_deadline_clicked_opens_its_nomination(qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    build_year(services)
    view = open_view(qtbot, services, tmp_path)
    first = view.overview.deadline_labels[0]
    first.linkActivated.emit(first.text().split('"')[1])  # what a click on the link sends
    assert view.current_tab() is view.nominations
    dialog = view.nominations.dialog
    assert dialog is not None and dialog.isVisible()
    assert "Lê Văn Cường" in dialog.heading.text()  # the province answer overdue, listed first
    dialog.reject()


def test_the_year_stays_when_the_officer_keeps_unsaved_ratings(
        qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_year(services)
    view = open_view(qtbot, services, tmp_path)
    monkeypatch.setattr(view.review, "confirm_leave", lambda: False)  # «Ở lại» chosen
    view.year_box.setCurrentIndex(view.year_box.findData(2025))
    assert view.year_box.currentText() == "2026"
    assert view.year == view.overview.year == view.review.year == YEAR


def test_the_packages_tab_is_read_when_shown_and_its_changes_reach_the_nominations_tab(
        qtbot: QtBot, demo_services: Services, tmp_path: Path) -> None:
    view = open_view(qtbot, demo_services, tmp_path, today=date(2026, 11, 20))
    view.show_tab("nominations")
    proposed = next(row for row in view.nominations.nominations.rows() if row.state == "proposed")
    assert view.nominations.nominations.sent(proposed) == "Chưa xuất gói gửi tỉnh"
    demo_services.packages.export([proposed.id], tmp_path, tmp_path)
    view.show_packages()
    assert view.current_tab() is view.packages
    assert [row.sequence for row in view.packages.packages.rows()] == [1]
    view.packages.changed.emit()  # as after an export or an acknowledgement made in the tab
    view.show_tab("nominations")
    assert view.nominations.nominations.sent(proposed) == "Gói số 1 (20/11/2026): chờ biên nhận"
