"""The register view: search as you type, Vietnamese order, counts, open and delete."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.audit import AuditFilter
from app.history import RatingRecord
from app.services import Services
from app.subject_data import CollectiveData, IndividualData, VillageData
from app.subjects import SEARCH_PAGE
from ui.register_view import RegisterView
from ui.subject_dialog import SubjectDialog

# The offscreen platform warns that it cannot size windows to their hints.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def pools(qapp: QApplication) -> Iterator[tuple[QThreadPool, QThreadPool]]:
    read_pool, write_pool = QThreadPool(), QThreadPool()
    write_pool.setMaxThreadCount(1)
    yield read_pool, write_pool
    read_pool.waitForDone()
    write_pool.waitForDone()


def make_view(qtbot: QtBot, services: Services, pools: tuple[QThreadPool, QThreadPool]) -> RegisterView:
    read_pool, write_pool = pools
    view = RegisterView(services, read_pool, write_pool)
    # Loads still running must finish before the widget goes.
    qtbot.addWidget(view, before_close_func=lambda _w: (read_pool.waitForDone(), write_pool.waitForDone()))
    view.show()
    return view


def shown_names(view: RegisterView) -> list[str]:
    proxy = view.current_page().proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def add_people(services: Services, *names: str) -> list[int]:
    return services.subjects.create_many(IndividualData(name, "male") for name in names)


def test_typing_without_diacritics_finds_dang_and_duc(qtbot: QtBot, services: Services, pools) -> None:
    add_people(services, "Đặng Văn An", "Nguyễn Đức Long", "Dương Thị Dung", "Trần Văn Đang")
    view = make_view(qtbot, services, pools)
    qtbot.waitUntil(lambda: len(shown_names(view)) == 4)

    qtbot.keyClicks(view.search, "dang")
    qtbot.waitUntil(lambda: shown_names(view) == ["Đặng Văn An", "Trần Văn Đang"])
    assert view.status.text() == "Tìm thấy 2 kết quả cho “dang”."

    view.search.clear()
    qtbot.keyClicks(view.search, "duc")
    qtbot.waitUntil(lambda: shown_names(view) == ["Nguyễn Đức Long"])

    view.search.clear()
    qtbot.waitUntil(lambda: len(shown_names(view)) == 4)


def test_names_are_listed_in_vietnamese_order(qtbot: QtBot, services: Services, pools) -> None:
    add_people(services, "Trần Văn Dũng", "Lê Thị Ẩn", "Nguyễn Văn Ánh", "Đỗ Bình", "Phạm An", "Vũ Văn Đức")
    view = make_view(qtbot, services, pools)
    qtbot.waitUntil(lambda: len(shown_names(view)) == 6)
    assert shown_names(view) == ["Phạm An", "Nguyễn Văn Ánh", "Lê Thị Ẩn", "Đỗ Bình", "Trần Văn Dũng", "Vũ Văn Đức"]


def test_tabs_count_each_kind_and_show_its_subjects(qtbot: QtBot, services: Services, pools) -> None:
    add_people(services, "Phạm An", "Lê Bình")
    services.subjects.create_many([VillageData("Thôn Đông"), CollectiveData("Trạm Y tế xã")])
    view = make_view(qtbot, services, pools)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        "Cá nhân (2)", "Tập thể (1)", "Hộ gia đình (0)", "Thôn, tổ dân phố (1)"]
    view.show_kind("village")
    qtbot.waitUntil(lambda: shown_names(view) == ["Thôn Đông"])
    assert view.status.text() == "1 thôn, tổ dân phố."


def test_search_applies_to_the_tab_shown_next(qtbot: QtBot, services: Services, pools) -> None:
    add_people(services, "Đặng Văn An")
    services.subjects.create_many([CollectiveData("Đội Đặng Xá"), CollectiveData("Trạm Y tế xã")])
    view = make_view(qtbot, services, pools)
    qtbot.keyClicks(view.search, "dang")
    qtbot.waitUntil(lambda: shown_names(view) == ["Đặng Văn An"])
    view.show_kind("collective")
    qtbot.waitUntil(lambda: shown_names(view) == ["Đội Đặng Xá"])


def test_enter_on_a_row_opens_its_editor(qtbot: QtBot, services: Services, pools) -> None:
    [an] = add_people(services, "Phạm An")
    view = make_view(qtbot, services, pools)
    qtbot.waitUntil(lambda: len(shown_names(view)) == 1)
    page = view.current_page()
    page.view.setFocus()
    page.view.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.keyClick(page.view, "\r")
    [dialog] = view.findChildren(SubjectDialog)
    assert dialog.subject_id == an
    assert dialog.form.field("full_name").value() == "Phạm An"


def test_a_saved_subject_appears_in_order_and_is_counted(qtbot: QtBot, services: Services, pools) -> None:
    add_people(services, "Phạm An", "Trần Cường")
    view = make_view(qtbot, services, pools)
    qtbot.waitUntil(lambda: len(shown_names(view)) == 2)
    dialog = view.new_subject()
    dialog.form.field("full_name").setText("Lê Văn Bình")
    with qtbot.waitSignal(dialog.saved):
        dialog.buttons.accepted.emit()
    assert shown_names(view) == ["Phạm An", "Lê Văn Bình", "Trần Cường"]
    assert view.tabs.tabText(0) == "Cá nhân (3)"
    assert view.current_page().view.selected().name == "Lê Văn Bình"


def test_delete_asks_first_and_then_removes(qtbot: QtBot, services: Services, pools, monkeypatch) -> None:
    an, binh = add_people(services, "Phạm An", "Lê Bình")
    services.history.save(an, RatingRecord(2024, "tot"))
    view = make_view(qtbot, services, pools)
    qtbot.waitUntil(lambda: len(shown_names(view)) == 2)
    questions: list[str] = []
    answer = None
    monkeypatch.setattr("ui.register_view.ask_reason", lambda _p, _t, message, _a: questions.append(message) or answer)

    view.current_page().view.select(an)
    view.delete_action.trigger()
    assert "Phạm An" in questions[0]
    assert services.subjects.count("individual") == 2  # the officer said no
    assert shown_names(view) == ["Phạm An", "Lê Bình"]

    answer = "Nhập trùng"
    view.delete_action.trigger()
    qtbot.waitUntil(lambda: shown_names(view) == ["Lê Bình"])
    assert [r.id for r in services.subjects.rows("individual")] == [binh]
    assert services.history.of(an).ratings == ()
    assert view.tabs.tabText(0) == "Cá nhân (1)"
    [deleted] = services.audit.entries(AuditFilter(action="delete"))
    assert (deleted.summary, deleted.reason) == ("Xóa cá nhân «Phạm An» cùng 1 bản ghi lịch sử", "Nhập trùng")


def test_delete_without_a_selection_asks_nothing(qtbot: QtBot, services: Services, pools, monkeypatch) -> None:
    view = make_view(qtbot, services, pools)
    monkeypatch.setattr("ui.register_view.ask_reason", lambda *_args: pytest.fail("asked with nothing selected"))
    view.delete_action.trigger()


def test_renaming_a_village_refreshes_people_when_shown_again(qtbot: QtBot, services: Services, pools) -> None:
    [village] = services.subjects.create_many([VillageData("Thôn Đông")])
    services.subjects.create(IndividualData("Phạm An", "male", date(1980, 1, 1), village_id=village))
    view = make_view(qtbot, services, pools)
    qtbot.waitUntil(lambda: view.current_page().model.rowCount() == 1)
    view.show_kind("village")
    qtbot.waitUntil(lambda: shown_names(view) == ["Thôn Đông"])
    dialog = view.open_editor("village", village)
    dialog.form.field("name").setText("Thôn Tây")
    with qtbot.waitSignal(dialog.saved):
        dialog.buttons.accepted.emit()
    view.show_kind("individual")
    people = view.current_page().model
    qtbot.waitUntil(lambda: people.index(0, 5).data() == "Thôn Tây")


def test_open_and_delete_need_a_selected_row(qtbot: QtBot, services: Services, pools) -> None:
    add_people(services, "Phạm An")
    view = make_view(qtbot, services, pools)
    qtbot.waitUntil(lambda: len(shown_names(view)) == 1)
    assert not view.open_action.isEnabled()
    assert not view.delete_action.isEnabled()
    view.current_page().view.selectRow(0)
    assert view.open_action.isEnabled()
    assert view.delete_action.isEnabled()


def test_enter_in_the_search_box_moves_to_the_first_result(qtbot: QtBot, services: Services, pools) -> None:
    add_people(services, "Phạm An", "Lê Bình")
    view = make_view(qtbot, services, pools)
    view.activateWindow()
    qtbot.waitActive(view)
    view.search.setFocus()
    qtbot.keyClicks(view.search, "binh")
    qtbot.waitUntil(lambda: shown_names(view) == ["Lê Bình"])
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    page = view.current_page()
    assert page.view.hasFocus()
    assert page.view.selected().name == "Lê Bình"


def test_delete_key_in_the_search_box_edits_the_text(qtbot: QtBot, services: Services, pools,
                                                     monkeypatch) -> None:
    add_people(services, "Phạm An")
    view = make_view(qtbot, services, pools)
    view.activateWindow()
    qtbot.waitActive(view)
    qtbot.waitUntil(lambda: len(shown_names(view)) == 1)
    view.current_page().view.selectRow(0)
    monkeypatch.setattr("ui.register_view.ask_reason", lambda *_args: pytest.fail("Delete in the search box asked"))
    view.search.setFocus()
    qtbot.keyClicks(view.search, "an")
    qtbot.keyClick(view.search, Qt.Key.Key_Home)
    qtbot.keyClick(view.windowHandle(), Qt.Key.Key_Delete)
    assert view.search.text() == "n"
    assert services.subjects.count("individual") == 1


def test_delete_key_on_the_table_asks_to_delete(qtbot: QtBot, services: Services, pools, monkeypatch) -> None:
    add_people(services, "Phạm An")
    view = make_view(qtbot, services, pools)
    view.activateWindow()
    qtbot.waitActive(view)
    qtbot.waitUntil(lambda: len(shown_names(view)) == 1)
    asked: list[str] = []
    monkeypatch.setattr("ui.register_view.ask_reason", lambda _p, _t, message, _a: asked.append(message) and None)
    page = view.current_page()
    page.view.setFocus()
    page.view.selectRow(0)
    qtbot.keyClick(view.windowHandle(), Qt.Key.Key_Delete)
    assert len(asked) == 1
    assert services.subjects.count("individual") == 1


def test_typing_shows_one_page_and_says_so(qtbot: QtBot, services: Services, pools) -> None:
    services.subjects.create_many(
        IndividualData(f"Nguyễn Văn Số {i:03d}", "male", date(1980, 1, 1)) for i in range(SEARCH_PAGE + 5)
    )
    view = make_view(qtbot, services, pools)
    page = view.current_page()
    qtbot.waitUntil(lambda: page.model.rowCount() == SEARCH_PAGE + 5, timeout=5000)
    view.search.setText("nguyen")
    qtbot.waitUntil(lambda: "gõ thêm để thu hẹp" in view.status.text(), timeout=5000)
    assert page.model.rowCount() == SEARCH_PAGE
