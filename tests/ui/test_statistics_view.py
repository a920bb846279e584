"""«Thống kê, báo cáo»: the tables show the statistics' figures for a year and a period, a
double-click opens the records behind a line, and stored reports are made, saved and checked."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QThreadPool
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.roles import Role
from app.services import Services
from app.statistics import Figure, Statistics, percent_text
from tests.conftest import DEMO_NOW, demo_clock
from ui import statistics_reports
from ui.statistics_tables import (
    HASH_SHOWN,
    FigureColumn,
    FigureTable,
    FigureTableModel,
    ReportColumn,
    ReportTableModel,
)
from ui.statistics_view import StatisticsView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

TODAY = DEMO_NOW.date()
LAST_YEAR = TODAY.year - 1  # the demo's last finished year: awards of every kind


def open_view(qtbot: QtBot, services: Services, read_pool: QThreadPool,
              write_pool: QThreadPool) -> StatisticsView:
    view = StatisticsView(services, read_pool, write_pool, TODAY)
    qtbot.addWidget(view)
    view.resize(1300, 900)
    view.show()
    qtbot.waitUntil(lambda: view.ready)
    return view


def show_period(qtbot: QtBot, view: StatisticsView, year_from: int, year_to: int) -> None:
    with qtbot.waitSignal(view.loaded):
        view.set_period(year_from, year_to)


@pytest.fixture
def view(qtbot: QtBot, demo_services: Services, read_pool: QThreadPool,
         write_pool: QThreadPool) -> Iterator[StatisticsView]:
    view = open_view(qtbot, demo_services, read_pool, write_pool)
    show_period(qtbot, view, LAST_YEAR, LAST_YEAR)
    yield view
    read_pool.waitForDone()
    write_pool.waitForDone()


def shown(table: FigureTable) -> list[tuple[str, ...]]:
    proxy = table.proxy
    return [tuple(proxy.index(row, column).data() for column in FigureColumn) for row in range(proxy.rowCount())]


def expected(figures: tuple[Figure, ...]) -> list[tuple[str, ...]]:
    return [(f.label, str(f.count), "" if f.denominator is None else str(f.denominator),
             "" if f.denominator is None else ("chưa có mẫu số" if f.share is None else percent_text(f.share)),
             str(f.unknown)) for f in figures]


def assert_tables_show(view: StatisticsView, figures: Statistics) -> None:
    assert shown(view.award_table) == expected(figures.by_award)
    assert shown(view.level_table) == expected(figures.by_level)
    assert shown(view.kind_table) == expected(figures.by_subject_kind)
    assert shown(view.priority_table) == expected(figures.priority)
    assert f"<b>{figures.total}</b>" in view.total.text()
    for note in figures.notes:
        assert note in view.notes.text()


def test_tables_show_the_figures_of_a_year(view: StatisticsView, demo_services: Services) -> None:
    figures = demo_services.statistics.figures(LAST_YEAR)
    assert figures.total > 0 and len(figures.by_award) > 2
    assert_tables_show(view, figures)
    women = figures.figure("priority:women")
    assert women is not None and women.denominator and women.share is not None
    line = next(row for row in shown(view.priority_table) if row[0] == women.label)
    assert line[1:4] == (str(women.count), str(women.denominator), percent_text(women.share))
    assert "," in line[3]  # Vietnamese decimal comma, one decimal
    assert f"năm {LAST_YEAR}" in view.total.text()


def test_tables_show_the_figures_of_a_period(qtbot: QtBot, view: StatisticsView, demo_services: Services) -> None:
    show_period(qtbot, view, LAST_YEAR - 2, LAST_YEAR)
    figures = demo_services.statistics.figures(LAST_YEAR - 2, LAST_YEAR)
    assert figures.total > demo_services.statistics.figures(LAST_YEAR).total
    assert_tables_show(view, figures)
    assert f"giai đoạn {LAST_YEAR - 2}–{LAST_YEAR}" in view.total.text()


def test_the_end_year_follows_a_later_start_year(qtbot: QtBot, view: StatisticsView) -> None:
    with qtbot.waitSignal(view.loaded):
        view.year_from.setValue(TODAY.year)
    assert view.period == (TODAY.year, TODAY.year)
    with qtbot.waitSignal(view.loaded):
        view.year_to.setValue(LAST_YEAR - 1)
    assert view.period == (LAST_YEAR - 1, LAST_YEAR - 1)


def double_click(qtbot: QtBot, table: FigureTable, row: int, column: int) -> None:
    index = table.proxy.index(row, column)
    table.scrollTo(index)
    rect = table.visualRect(index)
    # Qt 6's mouseDClick sends only the second press: the first click comes before it.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_double_clicking_a_line_opens_its_records(qtbot: QtBot, view: StatisticsView,
                                                  demo_services: Services) -> None:
    show_period(qtbot, view, LAST_YEAR - 1, LAST_YEAR)
    figures = demo_services.statistics.figures(LAST_YEAR - 1, LAST_YEAR)
    for table, group in ((view.award_table, figures.by_award), (view.level_table, figures.by_level)):
        row = max(range(len(group)), key=lambda i: group[i].count)
        double_click(qtbot, table, row, FigureColumn.LABEL)
        dialog = view.records_dialog
        assert dialog is not None
        with qtbot.waitSignal(dialog.loaded):
            pass
        assert dialog.model.rowCount() == group[row].count > 0
        assert group[row].label in dialog.windowTitle()
        assert f"giai đoạn {LAST_YEAR - 1}–{LAST_YEAR}" in dialog.windowTitle()
        dialog.close()


def test_a_priority_lines_denominator_opens_the_base_records(qtbot: QtBot, view: StatisticsView,
                                                             demo_services: Services) -> None:
    figures = demo_services.statistics.figures(LAST_YEAR)
    row = next(i for i, figure in enumerate(figures.priority) if figure.key == "priority:women")
    for column, count in ((FigureColumn.COUNT, figures.priority[row].count),
                          (FigureColumn.DENOMINATOR, figures.priority[row].denominator)):
        double_click(qtbot, view.priority_table, row, column)
        dialog = view.records_dialog
        assert dialog is not None
        with qtbot.waitSignal(dialog.loaded):
            pass
        assert dialog.model.rowCount() == count
        dialog.close()


def saving_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args, **_kwargs: (str(path), ""))


def test_making_a_report_and_saving_it_shows_the_path_and_the_hash(
        qtbot: QtBot, view: StatisticsView, demo_services: Services, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    panel = view.reports
    assert panel.make_button is not None and panel.report_table.reports.rowCount() == 0
    asked: list[int] = []
    monkeypatch.setattr(statistics_reports, "ask_year",
                        lambda _parent, default, _last: asked.append(default) or default)
    monkeypatch.setattr(statistics_reports, "choose", lambda *_args: 0)  # «Lưu PDF…» at once
    pdf = tmp_path / "bao-cao.pdf"
    saving_to(monkeypatch, pdf)
    with qtbot.waitSignal(panel.saved, timeout=30_000) as saved:
        qtbot.mouseClick(panel.make_button, Qt.MouseButton.LeftButton)
    assert asked == [LAST_YEAR]
    assert saved.args == [pdf] and pdf.read_bytes().startswith(b"%PDF")
    [report] = demo_services.reports.reports()
    assert (report.year_from, report.year_to) == (LAST_YEAR, LAST_YEAR)
    assert report.figures_sha256 in panel.result.text() and str(pdf) in panel.result.text()
    table = panel.report_table
    assert table.selected() == report
    assert table.proxy.index(0, ReportColumn.HASH).data() == report.figures_sha256[:HASH_SHOWN]

    xlsx = tmp_path / "bao-cao"  # the suffix is added
    saving_to(monkeypatch, xlsx)
    with qtbot.waitSignal(panel.saved, timeout=30_000) as saved:
        qtbot.mouseClick(panel.xlsx_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "bao-cao.xlsx"
    assert saved.args == [written] and written.stat().st_size > 0
    assert report.figures_sha256 in panel.result.text() and str(written) in panel.result.text()
    assert len(hashlib.sha256(written.read_bytes()).hexdigest()) == 64

    with qtbot.waitSignal(panel.verified) as verified:
        qtbot.mouseClick(panel.verify_button, Qt.MouseButton.LeftButton)
    assert verified.args == [True] and "còn nguyên" in panel.result.text()


def test_a_viewer_has_no_make_button(qtbot: QtBot, demo_services: Services, read_pool: QThreadPool,
                                     write_pool: QThreadPool) -> None:
    demo_services.reports.make(LAST_YEAR)
    viewer = Services.create(demo_services.sessions, replace(demo_services.actor, role=Role.VIEWER), demo_clock)
    view = StatisticsView(viewer, read_pool, write_pool, TODAY)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.reports.reports_loaded):
        pass
    assert view.reports.make_button is None
    texts = [button.text() for button in view.findChildren(type(view.reports.pdf_button))]
    assert not any(text.startswith("Lập báo cáo") for text in texts)
    assert view.reports.report_table.reports.rowCount() == 1
    assert not view.reports.pdf_button.isEnabled()  # nothing chosen yet
    view.reports.report_table.selectRow(0)
    assert view.reports.pdf_button.isEnabled()
    assert not view.ready  # the figures are read when the area is shown, not when it is built
    view.show()
    qtbot.waitUntil(lambda: view.ready)
    read_pool.waitForDone()


def test_models_pass_the_model_tester(qtmodeltester: object, demo_services: Services) -> None:
    figures = demo_services.statistics.figures(LAST_YEAR)
    model = FigureTableModel()
    model.set_rows(figures.priority)
    assert model.rowCount() > 0
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    demo_services.reports.make(LAST_YEAR)
    reports = ReportTableModel()
    reports.set_rows(demo_services.reports.reports())
    assert reports.rowCount() == 1 and not reports.index(0, 0).parent().isValid()
    assert reports.rowCount(QModelIndex()) == 1
    qtmodeltester.check(reports)  # type: ignore[attr-defined]


def test_a_movement_figure_leads_to_the_year_views_tab(qtbot: QtBot, demo_services: Services,
                                                      read_pool: QThreadPool, write_pool: QThreadPool) -> None:
    """Movements are not awards: their list is the «Phong trào» tab of the period's last year."""
    view = open_view(qtbot, demo_services, read_pool, write_pool)
    show_period(qtbot, view, LAST_YEAR - 1, LAST_YEAR)
    assert 'href="movement:launched"' in view.total.text()
    with qtbot.waitSignal(view.open_tab) as opened:
        view.total.linkActivated.emit("movement:launched")
    assert opened.args == ["movements", LAST_YEAR]
