"""The council screens: the year's sessions, a new session, attendance and votes typed with the
count following, finalising, a final session read-only, unsaved typing, corrections."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.nomination_states import State
from app.services import Services
from tests.app.test_council import HELD, YEAR, checked, person, set_up_commune, state
from ui import council_session_dialog
from ui.council_session_dialog import CouncilSessionDialog
from ui.council_tab import CouncilTab
from ui.council_tables import CandidateColumn, MemberColumn, SessionColumn

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def council(services: Services) -> Services:
    set_up_commune(services)
    return services


def open_tab(qtbot: QtBot, services: Services) -> CouncilTab:
    tab = CouncilTab(services)
    qtbot.addWidget(tab)
    tab.set_year(YEAR)
    tab.show()
    return tab


def open_dialog(qtbot: QtBot, tab: CouncilTab, session_id: int) -> CouncilSessionDialog:
    dialog = tab.session_dialog(session_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_votes(qtbot: QtBot, dialog: CouncilSessionDialog, row: int, votes: int) -> None:
    """Type into the votes cell as the officer does: open its editor and change the number."""
    view = dialog.candidate_view
    index = dialog.candidates.index(row, CandidateColumn.VOTES)
    view.setCurrentIndex(index)
    if view.indexWidget(index) is None:
        view.edit(index)
    editor = view.indexWidget(index)
    assert isinstance(editor, QSpinBox)
    editor.selectAll()
    qtbot.keyClicks(editor, str(votes))


def cell(dialog: CouncilSessionDialog, row: int, column: CandidateColumn) -> str:
    return dialog.candidates.data(dialog.candidates.index(row, column))


def test_new_session_from_the_tab_lists_it_and_copies_the_members(qtbot: QtBot, council: Services) -> None:
    tab = open_tab(qtbot, council)
    assert tab.empty.isVisible() and tab.empty.text().startswith(f"Chưa có phiên họp Hội đồng nào xét năm {YEAR}.")
    assert "«Phiên họp mới…»" in tab.empty.text()
    changes: list[None] = []
    tab.changed.connect(lambda: changes.append(None))
    form = tab.new_session_dialog()
    qtbot.addWidget(form)
    form.show()
    title = form.form.field("title")
    assert title.width() > title.fontMetrics().horizontalAdvance(title.text())  # the proposed title whole
    form.form.field("held_on").set_value(HELD)
    form.form.field("title").set_value("")
    form._on_accepted()
    assert "Hãy nhập tên phiên họp" in form.form.error_text("title") and form.session_id is None
    form.form.field("title").set_value("Họp xét danh hiệu")
    form._on_accepted()
    assert form.session_id is not None
    tab._on_session_changed()
    assert changes and tab.model.rowCount() == 1 and not tab.empty.isVisible()
    assert tab.model.data(tab.model.index(0, SessionColumn.TITLE)) == "Họp xét danh hiệu"
    assert tab.model.data(tab.model.index(0, SessionColumn.STATE)) == "Đang họp (chưa chốt)"
    dialog = open_dialog(qtbot, tab, form.session_id)
    assert dialog.members.rowCount() == 9
    room = dialog.screen().availableGeometry()
    assert dialog.width() < room.width() and dialog.height() < room.height()  # never beyond the screen


def test_attendance_and_votes_typed_update_the_count_then_finalise_locks(
        qtbot: QtBot, council: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    strong = checked(council, person(council, "Nguyễn Văn Một"))
    weak = checked(council, person(council, "Trần Văn Hai"))
    session_id = council.council.create(YEAR, HELD, "Họp")
    council.council.add_nominations(session_id, [strong, weak])
    tab = open_tab(qtbot, council)
    dialog = open_dialog(qtbot, tab, session_id)
    assert "Phiên họp chưa có" not in dialog.problems.text()
    assert "gõ số phiếu đồng ý" in dialog.candidates_box.title() and dialog.quota_label.isVisible()

    for row in range(4):  # four away: 5 of 9 present, no quorum
        dialog.members.set_present(row, False)
    assert "CHƯA đủ" in dialog.quorum.text()
    assert "Không đủ số thành viên dự họp: có mặt 5/9" in dialog.problems.text()
    assert not dialog.finalise_button.isEnabled()
    dialog.members.set_present(0, True)
    assert "đủ số thành viên dự họp." in dialog.quorum.text() and "CHƯA" not in dialog.quorum.text()

    names = [dialog.candidates.row(r).row.subject_name for r in range(2)]
    strong_row, weak_row = names.index("Nguyễn Văn Một"), names.index("Trần Văn Hai")
    type_votes(qtbot, dialog, strong_row, 6)
    assert cell(dialog, strong_row, CandidateColumn.PASSED) == "Đạt"
    assert cell(dialog, strong_row, CandidateColumn.PERCENT) == "66,67%"
    assert cell(dialog, strong_row, CandidateColumn.BASE) == "9"
    assert cell(dialog, strong_row, CandidateColumn.THRESHOLD) == "trên 50% tổng số thành viên Hội đồng"
    type_votes(qtbot, dialog, weak_row, 7)  # more than the six present
    assert "nhiều hơn số thành viên có mặt (6)" in dialog.problems.text()
    type_votes(qtbot, dialog, weak_row, 3)
    assert cell(dialog, weak_row, CandidateColumn.PASSED) == "Không đạt"
    assert dialog.is_dirty() and dialog.finalise_button.isEnabled()

    asked: list[str] = []
    monkeypatch.setattr(council_session_dialog, "confirm",
                        lambda _parent, _title, message, _action: asked.append(message) or True)
    with qtbot.waitSignal(dialog.changed):
        dialog.finalise_button.click()
    assert asked and asked[0].startswith("1/2 đề nghị đạt")
    assert state(council, strong) == State.VOTED and state(council, weak) == State.RETURNED
    assert dialog.read_only() and not dialog.save_button.isVisible()
    assert "Đã chốt kết quả" in dialog.heading.text()
    assert tab.model.data(tab.model.index(0, SessionColumn.RESULT)) == "1/2"

    again = open_dialog(qtbot, tab, session_id)
    assert again.read_only() and not again.finalise_button.isVisible()
    assert not again.members.flags(again.members.index(0, MemberColumn.PRESENT)) & Qt.ItemFlag.ItemIsUserCheckable
    assert not again.candidates.flags(again.candidates.index(0, CandidateColumn.VOTES)) & Qt.ItemFlag.ItemIsEditable
    assert not again.issued.isEnabled()
    assert not again.quota_label.isVisible() and not again.quota_award.isVisible()
    assert again.candidates_box.title() == "Đề nghị đưa ra biểu quyết"  # nothing to type any more
    assert again.members.present_count() == 6
    assert cell(again, strong_row, CandidateColumn.RANK) == "1"
    assert cell(again, weak_row, CandidateColumn.QUOTA) == "—"


def test_refused_save_keeps_the_typing_and_shows_why(qtbot: QtBot, council: Services) -> None:
    nomination = checked(council, person(council, "Nguyễn Văn Một"))
    session_id = council.council.create(YEAR, HELD, "Họp")
    council.council.add_nominations(session_id, [nomination])
    tab = open_tab(qtbot, council)
    dialog = open_dialog(qtbot, tab, session_id)
    dialog.issued.set_count(9)
    dialog.returned.set_count(9)
    dialog.valid.set_count(5)
    type_votes(qtbot, dialog, 0, 6)
    assert not dialog.save()
    assert "nhiều hơn số phiếu hợp lệ (5)" in dialog.message.text()
    assert dialog.candidates.votes() == {nomination: 6} and dialog.is_dirty()
    assert council.council.detail(session_id).candidates[0].votes == 0


def test_closing_with_unsaved_typing_asks(qtbot: QtBot, council: Services,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    nomination = checked(council, person(council, "Nguyễn Văn Một"))
    session_id = council.council.create(YEAR, HELD, "Họp")
    council.council.add_nominations(session_id, [nomination])
    tab = open_tab(qtbot, council)
    dialog = open_dialog(qtbot, tab, session_id)
    type_votes(qtbot, dialog, 0, 8)
    answers = iter([None, 0])
    monkeypatch.setattr(council_session_dialog, "choose", lambda *_args: next(answers))
    dialog.close_button.click()
    assert dialog.isVisible()  # cancelled: stays open, typing kept
    assert dialog.candidates.votes() == {nomination: 8}
    dialog.close_button.click()  # «Lưu rồi đóng»
    assert not dialog.isVisible()
    assert council.council.detail(session_id).candidates[0].votes == 8


def test_adding_a_candidate_and_setting_a_quota(qtbot: QtBot, council: Services,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [checked(council, person(council, name)) for name in ("Nguyễn Văn Một", "Trần Thị Hai")]
    session_id = council.council.create(YEAR, HELD, "Họp")
    tab = open_tab(qtbot, council)
    dialog = open_dialog(qtbot, tab, session_id)
    assert "chưa có đề nghị" in dialog.problems.text()
    monkeypatch.setattr(council_session_dialog.NominationPicker, "exec",
                        lambda _self: council_session_dialog.QDialog.DialogCode.Accepted)
    dialog.add_button.click()
    assert sorted(dialog.candidates.votes()) == sorted(ids)
    dialog.quota_value.setValue(1)
    dialog.quota_button.click()
    assert dialog.quota_text.text() == "Chỉ tiêu: Lao động tiên tiến: 1"
    type_votes(qtbot, dialog, 0, 7)
    type_votes(qtbot, dialog, 1, 7)
    assert "biểu quyết lại" in dialog.problems.text() and not dialog.finalise_button.isEnabled()


def test_correction_is_offered_for_a_final_session_and_shown_as_such(qtbot: QtBot, council: Services) -> None:
    nomination = checked(council, person(council, "Nguyễn Văn Một"))
    session_id = council.council.create(YEAR, HELD, "Họp")
    council.council.add_nominations(session_id, [nomination])
    council.council.set_votes(session_id, {nomination: 8})
    tab = open_tab(qtbot, council)
    tab.select(session_id)
    assert not tab.correct_button.isEnabled()
    council.council.finalise(session_id)
    tab.reload()
    assert tab.correct_button.isEnabled()
    form = tab.correction_dialog(tab.selected())
    qtbot.addWidget(form)
    form.form.field("held_on").set_value(date(2026, 12, 20))
    form._on_accepted()
    assert "lý do" in form.form.error_text("reason")
    form.form.field("reason").set_value("Kiểm phiếu nhầm")
    form._on_accepted()
    assert form.session_id is not None
    tab.reload()
    texts = [tab.model.data(tab.model.index(r, SessionColumn.CORRECTION)) for r in range(2)]
    assert "Đã có phiên điều chỉnh" in texts
    assert "Điều chỉnh phiên «Họp»: Kiểm phiếu nhầm" in texts
    tab.select(session_id)
    assert not tab.correct_button.isEnabled()


def test_models_pass_the_model_tester(qtbot: QtBot, council: Services, qtmodeltester: ModelTester) -> None:
    nomination = checked(council, person(council, "Nguyễn Văn Một"))
    session_id = council.council.create(YEAR, HELD, "Họp")
    council.council.add_nominations(session_id, [nomination])
    tab = open_tab(qtbot, council)
    dialog = open_dialog(qtbot, tab, session_id)
    for model in (tab.model, dialog.members, dialog.candidates):
        qtmodeltester.check(model)
