"""The dashboard: its charts draw the statistics' counts, a click opens the records behind a
figure, and an empty register says it has no data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QPointF, Qt, QThreadPool
from pytestqt.qtbot import QtBot

from app.services import Services
from app.statistics import StatisticsService
from app.vietnamese import person_sort_key
from tests.conftest import DEMO_NOW
from ui.dashboard import READING, Dashboard
from ui.dashboard_charts import BarChart
from ui.dashboard_records import RecordColumn, RecordsDialog, RecordTableModel

# The offscreen platform warns that it cannot size windows to their hints.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

TODAY = DEMO_NOW.date()
LAST_YEAR = TODAY.year - 1  # the demo's last finished year: awards of every kind


@pytest.fixture
def statistics(demo_services: Services) -> StatisticsService:
    return demo_services.statistics


def open_dashboard(qtbot: QtBot, services: Services, read_pool: QThreadPool,
                   today: date = TODAY) -> Dashboard:
    dashboard = Dashboard(services, read_pool, today)
    qtbot.addWidget(dashboard)
    dashboard.resize(1200, 900)
    dashboard.show()
    qtbot.waitUntil(lambda: dashboard.ready)
    return dashboard


def show_year(qtbot: QtBot, dashboard: Dashboard, year: int) -> None:
    dashboard.year_box.setCurrentIndex(dashboard.year_box.findData(year))
    assert dashboard.year == year
    qtbot.waitUntil(lambda: dashboard.ready)


def drawn(chart: BarChart) -> list[float]:
    """The values of the chart's bar set, top to bottom (a horizontal series draws bottom up)."""
    bar_set = chart.chart().series()[0].barSets()[0]
    return [bar_set.at(i) for i in reversed(range(bar_set.count()))]


def click_bar(qtbot: QtBot, chart: BarChart, position: int) -> None:
    """A real mouse click in the middle of the bar at `position` (top to bottom)."""
    series = chart.chart().series()[0]
    values = drawn(chart)
    category = len(values) - 1 - position
    scene = chart.chart().mapToPosition(QPointF(values[position] / 2, category), series)
    qtbot.mouseClick(chart.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=chart.view.mapFromScene(scene))


@pytest.fixture
def dashboard(qtbot: QtBot, demo_services: Services, read_pool: QThreadPool) -> Iterator[Dashboard]:
    dashboard = open_dashboard(qtbot, demo_services, read_pool)
    show_year(qtbot, dashboard, LAST_YEAR)
    yield dashboard
    read_pool.waitForDone()


def test_placeholder_shows_while_the_figures_are_read(qtbot: QtBot, demo_services: Services,
                                                      read_pool: QThreadPool) -> None:
    dashboard = Dashboard(demo_services, read_pool, TODAY)
    qtbot.addWidget(dashboard)
    assert dashboard.status.text() == READING
    assert dashboard.placeholder.text() == READING
    qtbot.waitUntil(lambda: dashboard.ready)
    assert dashboard.status.text() == ""


def test_award_chart_draws_the_years_counts(dashboard: Dashboard, statistics: StatisticsService) -> None:
    figures = statistics.figures(LAST_YEAR)
    assert figures.total > 0 and len(figures.by_award) > 2
    assert drawn(dashboard.award_chart) == [figure.count for figure in figures.by_award]
    categories = dashboard.award_chart.chart().axes(Qt.Orientation.Vertical)[0].categories()
    assert list(reversed(categories)) == [figure.label for figure in figures.by_award]
    assert f"Tổng số khen thưởng: <b>{figures.total}</b>" in dashboard.total.text()


def test_movement_and_nomination_charts_draw_the_year_overview(dashboard: Dashboard,
                                                               demo_services: Services) -> None:
    overview = demo_services.year_overview.overview(LAST_YEAR, TODAY)
    assert drawn(dashboard.movement_chart) == [count for _state, count in overview.movements.by_state]
    assert drawn(dashboard.nomination_chart) == [count for _state, count in overview.nominations.by_state]
    assert overview.nominations.total > 0


def test_priority_figures_and_their_trend_are_the_statistics_shares(dashboard: Dashboard,
                                                                    statistics: StatisticsService) -> None:
    figures = statistics.figures(LAST_YEAR)
    texts = [button.text() for button in dashboard.priority_figures.buttons]
    assert len(texts) == len(figures.priority)
    women = figures.figure("priority:women")
    assert women is not None and women.denominator
    assert any(text.startswith(f"{women.label}: {women.count}/{women.denominator} (") for text in texts)
    trend = statistics.trend(dashboard.trend_years)
    assert [year for year, _figures in trend] == list(range(LAST_YEAR - 4, LAST_YEAR + 1))
    for key in ("priority:women", "priority:household"):
        expected = tuple((year, figure.share * 100) for year, year_figures in trend
                         for figure in year_figures if figure.key == key and figure.share is not None)
        assert expected and dashboard.trend_chart.shares(key) == expected


def test_clicking_a_bar_opens_the_records_behind_it(qtbot: QtBot, dashboard: Dashboard,
                                                    statistics: StatisticsService) -> None:
    figures = statistics.figures(LAST_YEAR)
    position = max(range(len(figures.by_award)), key=lambda i: figures.by_award[i].count)
    click_bar(qtbot, dashboard.award_chart, position)
    dialog = dashboard.records_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    figure = figures.by_award[position]
    assert dialog.model.rowCount() == figure.count
    assert {row.award_label for row in dialog.model.rows()} == {figure.label}
    assert figure.label in dialog.windowTitle()
    dialog.close()


def test_clicking_a_priority_figure_opens_its_records(qtbot: QtBot, dashboard: Dashboard,
                                                      statistics: StatisticsService) -> None:
    figures = statistics.figures(LAST_YEAR)
    position = next(i for i, figure in enumerate(figures.priority) if figure.key == "priority:women")
    qtbot.mouseClick(dashboard.priority_figures.buttons[position], Qt.MouseButton.LeftButton)
    dialog = dashboard.records_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.status.text() != "Đang đọc danh sách…")
    assert dialog.model.rowCount() == figures.priority[position].count
    dialog.close()


def test_empty_database_shows_the_no_data_note(qtbot: QtBot, services: Services,
                                               read_pool: QThreadPool) -> None:
    statistics = services.statistics
    dashboard = open_dashboard(qtbot, services, read_pool)
    figures = statistics.figures(TODAY.year)
    assert figures.total == 0 and figures.notes
    assert dashboard.award_chart.empty and dashboard.movement_chart.empty
    assert dashboard.nomination_chart.empty and dashboard.trend_chart.empty
    assert dashboard.award_chart.note.text() == f"Chưa có khen thưởng nào được ghi cho năm {TODAY.year}."
    assert figures.notes[0] in dashboard.notes.text()
    assert "chưa có mẫu số" in dashboard.priority_figures.buttons[0].text()
    read_pool.waitForDone()


def test_records_model_passes_the_model_tester(qtmodeltester: object, statistics: StatisticsService) -> None:
    model = RecordTableModel()
    model.set_rows(statistics.records("priority:women", LAST_YEAR))
    assert model.rowCount() > 0
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_records_dialog_lists_people_by_given_name(qtbot: QtBot, statistics: StatisticsService,
                                                   read_pool: QThreadPool) -> None:
    rows = statistics.records("priority:women", LAST_YEAR)
    dialog = RecordsDialog("Nữ", lambda: rows, read_pool)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded):
        pass  # the read runs on the pool; its answer arrives through the event loop
    proxy = dialog.table.proxy
    names = [proxy.index(i, RecordColumn.NAME).data() for i in range(proxy.rowCount())]
    assert len(names) == len(rows) > 1
    assert names == sorted(names, key=person_sort_key)
    assert dialog.status.text() == f"{len(rows)} khen thưởng."


def test_a_movement_or_nomination_bar_leads_to_the_tab_that_lists_them(qtbot: QtBot, dashboard: Dashboard) -> None:
    """Those figures are not awards: their records are the year view's tabs."""
    for chart, tab in ((dashboard.movement_chart, "movements"), (dashboard.nomination_chart, "nominations")):
        values = drawn(chart)
        with qtbot.waitSignal(dashboard.open_tab) as opened:
            click_bar(qtbot, chart, max(range(len(values)), key=values.__getitem__))
        assert opened.args == [tab, dashboard.year]
