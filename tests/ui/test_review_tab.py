"""The annual review tab: ratings typed and saved (and never lost silently), the checker's
proposal run in the background, a candidate removed with a reason, nominations made."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QThreadPool, Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.history import RatingRecord
from app.roles import Role
from app.services import Services
from app.subject_data import IndividualData
from db.models import Nomination
from ui import candidates_panel, ratings_panel
from ui.candidate_dialogs import AddCandidateDialog, CandidateCheckDialog
from ui.candidates_table import CandidateColumn
from ui.ratings_table import RatingColumn
from tests.conftest import ADMIN, account
from ui.review_tab import CANDIDATES_PAGE, RATINGS_PAGE, ReviewTab

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

YEAR = 2025


@pytest.fixture
def people(services: Services) -> dict[str, int]:
    found = {}
    for name, rating in (("Nguyễn Thị Tốt", "tot"), ("Trần Văn Chưa", None), ("Lê Văn Kém", "kht")):
        found[name] = services.subjects.create(IndividualData(
            name, "female", employment="cong_chuc", employment_start=date(2015, 1, 1))).id
        if rating:
            services.history.save(found[name], RatingRecord(YEAR, rating))
    return found


@pytest.fixture
def tab(qtbot: QtBot, services: Services, write_pool: QThreadPool, people: dict[str, int]) -> ReviewTab:
    widget = ReviewTab(services, write_pool=write_pool)
    qtbot.addWidget(widget, before_close_func=lambda _w: write_pool.waitForDone())
    widget.resize(1000, 700)
    widget.show()
    widget.set_year(YEAR)
    return widget


def _row_of(tab: ReviewTab, name: str) -> int:
    model = tab.ratings.model
    return next(i for i, r in enumerate(model.rows()) if r.name == name)


def _rate(tab: ReviewTab, name: str, code: str | None) -> None:
    model = tab.ratings.model
    assert model.setData(model.index(_row_of(tab, name), RatingColumn.RATING), code or "")


def _ratings(services: Services) -> dict[str, str | None]:
    return {r.name: r.rating for r in services.review.ratings(YEAR)}


def test_models_pass_the_model_tester(qtmodeltester: ModelTester, tab: ReviewTab, services: Services) -> None:
    qtmodeltester.check(tab.ratings.model)
    services.review.propose(YEAR, date(2026, 1, 20))
    tab.candidates.reload()
    qtmodeltester.check(tab.candidates.model)


def test_a_rating_typed_and_saved_reaches_the_history(qtbot: QtBot, tab: ReviewTab, services: Services) -> None:
    assert not tab.ratings.save_button.isEnabled()
    _rate(tab, "Trần Văn Chưa", "htxs")
    index = tab.ratings.model.index(_row_of(tab, "Trần Văn Chưa"), RatingColumn.RATING)
    assert index.data() == "Hoàn thành xuất sắc nhiệm vụ" and index.data(Qt.ItemDataRole.ToolTipRole)
    assert tab.ratings.save_button.isEnabled()
    with qtbot.waitSignal(tab.changed, timeout=5000):
        qtbot.mouseClick(tab.ratings.save_button, Qt.MouseButton.LeftButton)
    assert _ratings(services)["Trần Văn Chưa"] == "htxs"
    assert not tab.ratings.has_unsaved_changes() and not tab.ratings.save_button.isEnabled()


def test_the_list_shows_staff_and_everyone_only_when_chosen(tab: ReviewTab, services: Services) -> None:
    services.subjects.create(IndividualData("Đặng Bé Na", "female", birth_date=date(2014, 3, 2)))
    tab.ratings.reload()
    assert tab.ratings.kind.currentText() == "Cán bộ, công chức, viên chức, người lao động và tập thể"
    assert "Đặng Bé Na" not in [r.name for r in tab.ratings.model.rows()]
    tab.ratings.kind.setCurrentIndex(tab.ratings.kind.findText("Tất cả cá nhân"))
    assert "Đặng Bé Na" in [r.name for r in tab.ratings.model.rows()]


def test_a_rating_typed_back_to_the_saved_one_is_no_change(tab: ReviewTab) -> None:
    _rate(tab, "Nguyễn Thị Tốt", "ht")
    _rate(tab, "Nguyễn Thị Tốt", "tot")
    assert not tab.ratings.has_unsaved_changes()


def test_typed_ratings_survive_a_search_and_are_asked_about_before_the_year_changes(
        monkeypatch: pytest.MonkeyPatch, tab: ReviewTab, services: Services) -> None:
    _rate(tab, "Trần Văn Chưa", "tot")
    tab.ratings.search.setText("kém")
    assert [r.name for r in tab.ratings.model.rows()] == ["Lê Văn Kém"]
    tab.ratings.search.setText("")
    assert tab.ratings.model.changes() == [(services.review.ratings(YEAR, text="chưa")[0].subject_id, "tot")]

    asked: list[str] = []
    monkeypatch.setattr(ratings_panel, "choose", lambda _p, _t, message, _a: asked.append(message))  # cancel
    tab.set_year(2026)
    assert asked and tab.year == YEAR and tab.ratings.has_unsaved_changes()

    monkeypatch.setattr(ratings_panel, "choose", lambda *_args: 0)  # «Lưu»
    tab.set_year(2026)
    assert tab.year == 2026 and not tab.ratings.has_unsaved_changes()
    assert tab.ratings.model.rows()[_row_of(tab, "Trần Văn Chưa")].rating is None  # 2026 has none
    assert _ratings(services)["Trần Văn Chưa"] == "tot"


def test_leaving_for_the_candidates_page_asks_and_can_drop_the_changes(
        monkeypatch: pytest.MonkeyPatch, tab: ReviewTab, services: Services) -> None:
    _rate(tab, "Trần Văn Chưa", "tot")
    monkeypatch.setattr(ratings_panel, "choose", lambda *_args: None)
    tab.pages.setCurrentIndex(CANDIDATES_PAGE)
    assert tab.pages.currentIndex() == RATINGS_PAGE
    monkeypatch.setattr(ratings_panel, "choose", lambda *_args: 1)  # «Bỏ các thay đổi»
    tab.pages.setCurrentIndex(CANDIDATES_PAGE)
    assert tab.pages.currentIndex() == CANDIDATES_PAGE and not tab.ratings.has_unsaved_changes()
    assert _ratings(services)["Trần Văn Chưa"] is None


def test_import_from_excel_runs_in_the_background_and_reports_rows(
        qtbot: QtBot, tab: ReviewTab, services: Services, tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Họ và tên / Tên đối tượng", "Xếp loại"])
    book.active.append(["Trần Văn Chưa", "Hoàn thành tốt nhiệm vụ"])
    book.active.append(["Không Có Ai", "tot"])
    bad = tmp_path / "loi.xlsx"
    book.save(bad)
    dialog = tab.ratings.import_file(bad)
    assert dialog is not None
    with qtbot.waitSignal(dialog.task_finished, timeout=5000):
        pass
    assert "chưa có gì được ghi" in dialog.summary.text() and "Dòng 3" in dialog.details.toPlainText()
    assert _ratings(services)["Trần Văn Chưa"] is None
    dialog.close()

    book.active.delete_rows(3)
    good = tmp_path / "dung.xlsx"
    book.save(good)
    dialog = tab.ratings.import_file(good)
    assert dialog is not None
    with qtbot.waitSignal(tab.changed, timeout=5000):
        pass
    assert _ratings(services)["Trần Văn Chưa"] == "tot"
    assert tab.ratings.model.rows()[_row_of(tab, "Trần Văn Chưa")].rating == "tot"
    dialog.close()


def _run_proposal(qtbot: QtBot, tab: ReviewTab) -> None:
    tab.pages.setCurrentIndex(CANDIDATES_PAGE)
    with qtbot.waitSignal(tab.changed, timeout=10000):
        qtbot.mouseClick(tab.candidates.run_button, Qt.MouseButton.LeftButton)
    assert tab.candidates.job is not None
    tab.candidates.job.close()


def _select(tab: ReviewTab, name: str) -> None:
    panel = tab.candidates
    row = next(i for i, r in enumerate(panel.model.rows()) if r.subject_name == name)
    panel.table.selectRow(panel.proxy.mapFromSource(panel.model.index(row, 0)).row())


def test_proposal_removal_with_a_reason_and_nominations(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tab: ReviewTab, services: Services) -> None:
    _run_proposal(qtbot, tab)
    panel = tab.candidates
    rows = {r.subject_name: r for r in panel.model.rows()}
    assert set(rows) == {"Nguyễn Thị Tốt"}  # not rated or not finishing her duty: not proposed
    verdict = panel.model.index(0, CandidateColumn.VERDICT)
    assert verdict.data() == "Đủ điều kiện" and verdict.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert "Lao động tiên tiến: 1 đủ điều kiện" in panel.job.details.toPlainText() + panel.job.summary.text()

    _select(tab, "Nguyễn Thị Tốt")
    shown = panel.show_reasons(panel.selected())
    assert isinstance(shown, CandidateCheckDialog) and shown.view.outcome is not None
    shown.close()

    monkeypatch.setattr(candidates_panel.dialogs, "ask_reason", lambda *_args: None)  # cancelled
    panel.remove_selected()
    assert panel.selected().included
    monkeypatch.setattr(candidates_panel.dialogs, "ask_reason", lambda *_args: "Chưa đủ hồ sơ")
    with qtbot.waitSignal(tab.changed, timeout=5000):
        qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    removed = panel.selected()
    assert not removed.included and removed.reason == "Chưa đủ hồ sơ"
    assert not panel.nominate_button.isEnabled()

    with qtbot.waitSignal(tab.changed, timeout=5000):
        qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert panel.nominate_button.isEnabled()
    monkeypatch.setattr(candidates_panel.DecisionDateDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)
    with qtbot.waitSignal(tab.changed, timeout=5000):
        qtbot.mouseClick(panel.nominate_button, Qt.MouseButton.LeftButton)
    assert all(r.nomination_id is not None for r in panel.model.rows())
    assert panel.model.index(0, CandidateColumn.NOMINATION).data().startswith("Đã lập")
    with services.sessions() as session:
        assert session.scalar(select(func.count(Nomination.id))) == 1
    assert not panel.nominate_button.isEnabled()


def test_add_dialog_needs_a_subject_a_title_and_a_reason(
        qtbot: QtBot, tab: ReviewTab, services: Services) -> None:
    dialog = AddCandidateDialog(services, YEAR, tab)
    qtbot.addWidget(dialog)
    dialog.search.setText("kém")
    assert dialog.subjects.count() == 1 and not dialog.add_button.isEnabled()
    dialog.subjects.setCurrentRow(0)
    assert dialog.award.currentData() == "LDTT"
    assert not dialog.add_button.isEnabled()
    dialog.reason.setText("Có thành tích đột xuất")
    assert dialog.add_button.isEnabled()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.added_id is not None
    row = services.review.candidate(dialog.added_id)
    assert row.subject_name == "Lê Văn Kém" and row.source == "officer" and row.included

    again = AddCandidateDialog(services, YEAR, tab)
    qtbot.addWidget(again)
    again.search.setText("kém")
    again.subjects.setCurrentRow(0)
    again.reason.setText("Lần nữa")
    qtbot.mouseClick(again.add_button, Qt.MouseButton.LeftButton)
    assert "đã có trong danh sách" in again.message.text() and again.result() != QDialog.DialogCode.Accepted


def test_an_empty_list_says_how_to_make_it(tab: ReviewTab) -> None:
    panel = tab.candidates
    assert panel.model.rowCount() == 0 and not panel.empty.isHidden()
    assert panel.empty.text().startswith(f"Năm {YEAR} chưa có danh sách bình xét.")
    assert "«Chạy kiểm tra đề xuất»" in panel.empty.text()


def test_candidates_filter_by_title(tab: ReviewTab, services: Services, people: dict[str, int]) -> None:
    services.review.add(YEAR, people["Lê Văn Kém"], "GK_XA", "Có thành tích đột xuất")
    services.review.propose(YEAR, date(2026, 1, 20))
    tab.set_year(YEAR)
    panel = tab.candidates
    assert panel.proxy.rowCount() == 2
    panel.award.setCurrentIndex(panel.award.findData("GK_XA"))
    assert panel.proxy.rowCount() == 1
    assert panel.proxy.index(0, CandidateColumn.NAME).data() == "Lê Văn Kém"
    assert panel.proxy.index(0, CandidateColumn.VERDICT).data() == "Chưa kiểm tra"
    panel.award.setCurrentIndex(0)
    assert panel.proxy.rowCount() == 2


def test_a_viewer_sees_the_review_but_cannot_change_it(
        qtbot: QtBot, sessions: sessionmaker[Session], services: Services, write_pool: QThreadPool,
        people: dict[str, int]) -> None:
    services.review.propose(YEAR, date(2026, 1, 20))
    admin = Services.create(sessions, account(sessions, ADMIN[0]))
    admin.users.create("xem", "Người Xem", Role.VIEWER, "xem-matkhau-123", must_change_password=False)
    viewer = ReviewTab(Services.create(sessions, account(sessions, "xem")), write_pool=write_pool)
    qtbot.addWidget(viewer, before_close_func=lambda _w: write_pool.waitForDone())
    viewer.set_year(YEAR)
    assert viewer.ratings.model.rows() and viewer.candidates.model.rows()
    assert not viewer.ratings.import_button.isEnabled()
    assert viewer.ratings.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    panel = viewer.candidates
    panel.table.selectRow(0)
    assert panel.reasons_button.isEnabled()
    for button in (panel.run_button, panel.add_button, panel.remove_button, panel.nominate_button):
        assert not button.isEnabled() and button.isHidden()
    assert panel.empty.isHidden()
    viewer.set_year(YEAR + 1)  # no list yet: said so, without asking the viewer to run anything
    assert not panel.empty.isHidden() and panel.empty.text() == candidates_panel.NO_CANDIDATES.format(year=YEAR + 1)
