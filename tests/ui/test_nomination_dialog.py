"""The nomination dialog driven as the officer uses it: check, attach, open, return with a
reason, reopen, edit and close; the steps other screens take are not buttons here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.modeltest import ModelTester
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QRadioButton
from pytestqt.qtbot import QtBot

from app.history import AwardRecord, InitiativeRecord, RatingRecord
from app.nomination_flow import apply_action
from app.nomination_states import Action
from app.roles import Actor, Role
from app.services import Services
from app.subject_data import HouseholdData, IndividualData
from db.models import Nomination
from ui import nomination_dialog
from ui.dossier_checklist import MISSING, NOT_CHECKED, PRESENT
from ui.nomination_dialog import NominationDialog, OutcomeAnswer

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

PDF = b"%PDF-1.7\n" + b"bao cao thanh tich\n" * 40 + b"%%EOF\n"
TODAY = date(2026, 1, 20)


def ldtt(services: Services, rating: str = "tot", award: str = "LDTT") -> int:
    subject_id = services.subjects.create(IndividualData(
        "Hoàng Thị Lan", "female", employment="cong_chuc", employment_start=date(2015, 1, 1))).id
    for year in (2023, 2024, 2025):
        services.history.save(subject_id, RatingRecord(year, rating))
    return services.nominations.create(subject_id=subject_id, award_code=award, year=2025,
                                       planned_decision_date=TODAY, achievement_summary="Hoàn thành tốt")


def open_dialog(qtbot: QtBot, services: Services, nomination_id: int, data_folder: Path | None) -> NominationDialog:
    dialog = NominationDialog(services, nomination_id, data_folder, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(nomination_dialog, "show_error", lambda _parent, _title, message: shown.append(message))
    monkeypatch.setattr(nomination_dialog, "show_info", lambda _parent, title, _message: shown.append(title))
    return shown


def test_a_draft_shows_its_state_and_asks_for_the_check(qtbot: QtBot, services: Services, tmp_path: Path,
                                                        errors: list[str]) -> None:
    dialog = open_dialog(qtbot, services, ldtt(services), tmp_path)
    assert dialog.heading.text() == "Lao động tiên tiến năm 2025 — Hoàng Thị Lan"
    assert dialog.state_text.text().startswith("Trạng thái: Dự thảo · Thủ tục thông thường")
    assert list(dialog.action_buttons) == [Action.RETURN]
    assert "kiểm tra điều kiện" in dialog.next_step.text()
    assert dialog.check_button.isEnabled()
    assert dialog.checklist.summary.text() == NOT_CHECKED
    assert dialog.result.outcome is None


def test_running_the_check_makes_it_checked_and_lists_the_dossier(qtbot: QtBot, services: Services,
                                                                  tmp_path: Path, errors: list[str]) -> None:
    nomination_id = ldtt(services)
    dialog = open_dialog(qtbot, services, nomination_id, tmp_path)
    with qtbot.waitSignal(dialog.changed):
        dialog.check_button.click()
    assert errors == []
    assert dialog.state_text.text().startswith("Trạng thái: Đã kiểm tra điều kiện")
    assert "Xã quyết định" in dialog.state_text.text()
    assert dialog.result.outcome is not None and dialog.result.banner.isVisibleTo(dialog)
    assert dialog.checklist.texts()[0] == f"{MISSING} Tờ trình đề nghị — chưa có"
    assert "Hội đồng TĐKT xã biểu quyết" in dialog.next_step.text()
    assert Action.VOTE not in dialog.action_buttons
    assert [dialog.events.item(i).text()[:33] for i in range(dialog.events.count())] == [
        "20/01/2026: Kiểm tra điều kiện: D"]


def test_an_ineligible_check_is_shown_and_the_draft_stays(qtbot: QtBot, services: Services, tmp_path: Path,
                                                          errors: list[str]) -> None:
    dialog = open_dialog(qtbot, services, ldtt(services, rating="ht"), tmp_path)
    dialog.check_button.click()
    assert errors == ["Không đủ điều kiện"]
    assert dialog.state_text.text().startswith("Trạng thái: Dự thảo")
    assert dialog.result.outcome is not None and dialog.result.outcome.verdict.value == "not_eligible"


def test_attaching_a_part_ticks_it_and_the_file_opens_after_its_hash(
        qtbot: QtBot, services: Services, tmp_path: Path, errors: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    nomination_id = ldtt(services)
    services.nominations.check(nomination_id)
    scan = tmp_path / "Tờ trình.pdf"
    scan.write_bytes(PDF)
    data = tmp_path / "data"
    data.mkdir()
    offered: list[list[tuple[str, str]]] = []
    monkeypatch.setattr(nomination_dialog, "pick_file", lambda _parent: scan)
    monkeypatch.setattr(nomination_dialog, "pick_part",
                        lambda _parent, choices: offered.append(list(choices)) or "to_trinh")
    opened: list[Path] = []
    monkeypatch.setattr(nomination_dialog, "open_file", lambda path: opened.append(path) or True)
    dialog = open_dialog(qtbot, services, nomination_id, data)
    dialog.add_file_button.click()
    assert errors == []
    assert offered[0][0] == ("to_trinh", "Tờ trình đề nghị") and offered[0][-1] == ("", "Tài liệu khác")
    assert dialog.checklist.texts()[0] == f"{PRESENT} Tờ trình đề nghị — Tờ trình.pdf"
    assert dialog.checklist.summary.text() == "Hồ sơ có 1/3 thành phần."
    assert dialog.files.rowCount() == 1 and dialog.files.index(0, 1).data() == "Tờ trình đề nghị"
    dialog.open_file_button.click()
    assert opened == [data / dialog.files.row(0).stored_path]
    opened[0].write_bytes(PDF.replace(b"bao", b"BAO"))  # changed on disk
    dialog.open_file_button.click()
    assert len(opened) == 1 and "không khớp mã kiểm tra SHA-256" in errors[0]


def test_the_attachment_model_passes_the_model_tester(qtbot: QtBot, services: Services, tmp_path: Path,
                                                      qtmodeltester: ModelTester) -> None:
    nomination_id = ldtt(services)
    scan = tmp_path / "a.pdf"
    scan.write_bytes(PDF)
    services.nominations.attach(nomination_id, scan, "", tmp_path)
    dialog = open_dialog(qtbot, services, nomination_id, tmp_path)
    qtmodeltester.check(dialog.files)
    assert dialog.files.index(0, 1).data() == "Tài liệu khác"


def test_a_file_too_large_is_refused_with_the_reason_shown(qtbot: QtBot, services: Services, tmp_path: Path,
                                                          errors: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "Hồ sơ.pdf"
    big.write_bytes(PDF)
    with open(big, "r+b") as handle:
        handle.truncate(25 * 1024 * 1024)
    monkeypatch.setattr(nomination_dialog, "pick_file", lambda _parent: big)
    monkeypatch.setattr(nomination_dialog, "pick_part", lambda _parent, _choices: "")
    dialog = open_dialog(qtbot, services, ldtt(services), tmp_path)
    dialog.add_file_button.click()
    assert "lớn hơn giới hạn 20 MB" in errors[0]
    assert dialog.files.rowCount() == 0


def test_removing_a_file_asks_a_reason(qtbot: QtBot, services: Services, tmp_path: Path, errors: list[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    nomination_id = ldtt(services)
    scan = tmp_path / "a.pdf"
    scan.write_bytes(PDF)
    row = services.nominations.attach(nomination_id, scan, "", tmp_path)
    answers = iter([None, "Đính kèm nhầm"])
    monkeypatch.setattr(nomination_dialog, "ask_reason", lambda *_args: next(answers))
    dialog = open_dialog(qtbot, services, nomination_id, tmp_path)
    dialog.remove_file_button.click()  # cancelled
    assert dialog.files.rowCount() == 1 and (tmp_path / row.stored_path).exists()
    dialog.remove_file_button.click()
    assert dialog.files.rowCount() == 0 and not (tmp_path / row.stored_path).exists()


def test_without_a_data_folder_files_cannot_be_attached(qtbot: QtBot, services: Services) -> None:
    dialog = open_dialog(qtbot, services, ldtt(services), None)
    assert not dialog.add_file_button.isEnabled()
    assert dialog.add_file_button.toolTip() == nomination_dialog.NO_FOLDER


def test_return_with_a_reason_then_reopen(qtbot: QtBot, services: Services, tmp_path: Path, errors: list[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    nomination_id = ldtt(services)
    answers = iter([None, "Thiếu báo cáo thành tích"])
    monkeypatch.setattr(nomination_dialog, "ask_reason", lambda *_args: next(answers))
    dialog = open_dialog(qtbot, services, nomination_id, tmp_path)
    dialog.action_buttons[Action.RETURN].click()  # cancelled: nothing happens
    assert services.nominations.detail(nomination_id).row.state == "draft"
    with qtbot.waitSignal(dialog.changed):
        dialog.action_buttons[Action.RETURN].click()
    assert dialog.state_text.text() == ("Trạng thái: Bị trả lại · Thủ tục thông thường\n"
                                        "Lý do trả lại: Thiếu báo cáo thành tích")
    assert list(dialog.action_buttons) == [Action.REOPEN]
    assert "Thiếu báo cáo thành tích" in dialog.events.item(0).text()
    dialog.action_buttons[Action.REOPEN].click()
    assert dialog.state_text.text().startswith("Trạng thái: Dự thảo")
    assert errors == []


def voted(services: Services, nomination_id: int, on: date = date(2026, 1, 5)) -> None:
    services.nominations.check(nomination_id)
    with services.sessions.begin() as session:
        apply_action(session, services.audit, services.actor, session.get_one(Nomination, nomination_id),
                     Action.VOTE, on, datetime.combine(on, time(9, 0)))


def test_posting_the_notice_asks_its_start_and_shows_its_end(qtbot: QtBot, services: Services, tmp_path: Path,
                                                              errors: list[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    nomination_id = ldtt(services)
    voted(services, nomination_id)
    monkeypatch.setattr(nomination_dialog, "ask_date", lambda *_args: date(2026, 2, 12))
    dialog = open_dialog(qtbot, services, nomination_id, tmp_path)
    dialog.action_buttons[Action.POST_NOTICE].click()
    assert errors == []
    assert "từ 12/02/2026 đến hết 25/02/2026" in dialog.deadlines.text()
    assert Action.DECIDE not in dialog.action_buttons  # the commune decides under «Quyết định»
    assert "«Quyết định»" in dialog.next_step.text()


def test_a_province_award_is_proposed_and_its_answer_recorded(qtbot: QtBot, services: Services, tmp_path: Path,
                                                              errors: list[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    nomination_id = ldtt(services, rating="htxs", award="BK_TINH")
    subject_id = services.nominations.detail(nomination_id).row.subject_id
    for year in (2024, 2025):
        services.history.save(subject_id, AwardRecord("CSTDCS", year, decision_number=f"{year}/QĐ",
                                                      decision_date=date(year + 1, 1, 10)))
    voted(services, nomination_id)
    services.nominations.post_notice([nomination_id], date(2026, 2, 12))
    dates = iter([date(2026, 2, 25), date(2026, 2, 26)])
    monkeypatch.setattr(nomination_dialog, "ask_date", lambda *_args: next(dates))
    dialog = open_dialog(qtbot, services, nomination_id, tmp_path)
    dialog.action_buttons[Action.PROPOSE].click()  # the last day of the notice: refused
    assert "Chưa hết thời gian niêm yết" in errors[0]
    dialog.action_buttons[Action.PROPOSE].click()
    assert dialog.state_text.text().startswith("Trạng thái: Đã trình cấp trên")
    monkeypatch.setattr(nomination_dialog, "ask_outcome", lambda *_args: OutcomeAnswer(
        True, "88/QĐ-UBND", date(2026, 3, 20), "Chủ tịch UBND tỉnh", ""))
    dialog.action_buttons[Action.APPROVE].click()
    assert dialog.state_text.text().startswith("Trạng thái: Cấp trên đã khen thưởng")
    assert "88/QĐ-UBND" in {a.decision_number for a in services.history.of(subject_id).awards}
    assert dialog.action_buttons == {} and "Đề nghị đã kết thúc." in dialog.next_step.text()


def test_unsaved_edits_are_not_lost_on_close(qtbot: QtBot, services: Services, tmp_path: Path,
                                             errors: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    nomination_id = ldtt(services)
    answers = iter([None, 0])
    monkeypatch.setattr(nomination_dialog, "choose", lambda *_args: next(answers))
    dialog = open_dialog(qtbot, services, nomination_id, tmp_path)
    dialog.summary.setPlainText("Hoàn thành tốt; dẫn đầu khối thi đua")
    dialog.reject()  # «Hủy» in the question: the dialog stays
    assert dialog.isVisible()
    dialog.reject()  # «Lưu»
    assert not dialog.isVisible()
    assert services.nominations.detail(nomination_id).achievement_summary == "Hoàn thành tốt; dẫn đầu khối thi đua"


def test_a_viewer_sees_but_cannot_act(qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    nomination_id = ldtt(services)
    viewer = Services.create(services.sessions, Actor(None, "xem", "Người xem", Role.VIEWER))
    dialog = open_dialog(qtbot, viewer, nomination_id, tmp_path)
    assert not dialog.check_button.isEnabled()
    assert not dialog.add_file_button.isEnabled()
    assert not dialog.action_buttons[Action.RETURN].isEnabled()
    assert dialog.summary.isReadOnly()
    for button in (dialog.check_button, dialog.save_button, dialog.add_file_button, dialog.remove_file_button,
                   dialog.action_buttons[Action.RETURN]):
        assert button.isHidden()  # what a viewer cannot do is not offered at all
    assert not dialog.open_file_button.isHidden()


def gdvh(services: Services, name: str) -> int:
    household = services.subjects.create(HouseholdData(name)).id
    return services.nominations.create(subject_id=household, award_code="GDVH", year=2025,
                                       planned_decision_date=TODAY)


def test_a_gdvh_dialog_asks_the_two_facts_and_checking_after_saving_them_makes_it_checked(
        qtbot: QtBot, services: Services, tmp_path: Path, errors: list[str]) -> None:
    nomination_id = gdvh(services, "Hộ ông Vàng A Dình")
    dialog = open_dialog(qtbot, services, nomination_id, tmp_path)
    form = dialog.declared
    shown = [name for name, field in form.fields.items() if field.isVisibleTo(dialog)]
    assert shown == ["assessment_passed", "public_notice_days"]
    form.assessment_passed.set_value(True)
    form.public_notice_days.set_value(10)
    assert dialog.is_dirty()
    with qtbot.waitSignal(dialog.changed):
        dialog.save_button.click()
    assert errors == [] and not dialog.is_dirty()
    assert services.nominations.detail(nomination_id).declared_facts.public_notice_days == 10
    with qtbot.waitSignal(dialog.changed):
        dialog.check_button.click()
    assert errors == []
    assert dialog.state_text.text().startswith("Trạng thái: Đã kiểm tra điều kiện")
    assert not form.public_notice_days.isEnabled()  # checked: the facts stay as checked


def test_checking_with_unsaved_days_saves_them_first_and_nine_days_keeps_the_draft(
        qtbot: QtBot, services: Services, tmp_path: Path, errors: list[str]) -> None:
    dialog = open_dialog(qtbot, services, gdvh(services, "Hộ bà Sùng Thị Mỷ"), tmp_path)
    dialog.declared.assessment_passed.set_value(True)
    dialog.declared.public_notice_days.set_value(9)
    dialog.check_button.click()
    assert errors == ["Không đủ điều kiện"]
    assert dialog.state_text.text().startswith("Trạng thái: Dự thảo")
    assert dialog.declared.public_notice_days.value() == 9


def test_an_ldtt_dialog_shows_no_declared_facts(qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, services, ldtt(services), tmp_path)
    assert not any(field.isVisibleTo(dialog) for field in dialog.declared.fields.values())


def test_a_bằng_khen_dialog_cites_the_subject_s_own_awards(qtbot: QtBot, services: Services, tmp_path: Path,
                                                         errors: list[str]) -> None:
    nomination_id = ldtt(services, rating="htxs", award="BK_TINH")
    subject_id = services.nominations.detail(nomination_id).row.subject_id
    for year in (2024, 2025):
        services.history.save(subject_id, AwardRecord("CSTDCS", year, f"{year}/QĐ-UBND", date(year + 1, 1, 15)))
    dialog = open_dialog(qtbot, services, nomination_id, tmp_path)
    shown = [name for name, field in dialog.declared.fields.items() if field.isVisibleTo(dialog)]
    assert shown == ["basis_award_uuids"]
    awards = dialog.declared.basis_award_uuids
    assert [awards.item(row).text() for row in range(awards.count())] == [
        "Chiến sĩ thi đua cơ sở năm 2024 (QĐ số 2024/QĐ-UBND)", "Chiến sĩ thi đua cơ sở năm 2025 (QĐ số 2025/QĐ-UBND)"]
    awards.item(1).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(dialog.changed):
        dialog.save_button.click()
    assert errors == []
    assert services.nominations.detail(nomination_id).cited_awards == (
        "Chiến sĩ thi đua cơ sở năm 2025 (QĐ số 2025/QĐ-UBND)",)
    assert dialog.declared.basis_award_uuids.value() == services.nominations.detail(
        nomination_id).declared_facts.basis_award_uuids


def test_save_is_offered_only_once_something_was_changed(qtbot: QtBot, services: Services, tmp_path: Path,
                                                         errors: list[str]) -> None:
    nomination_id = ldtt(services)
    dialog = open_dialog(qtbot, services, nomination_id, tmp_path)
    assert not dialog.save_button.isEnabled()
    dialog.summary.setPlainText("Hoàn thành tốt; dẫn đầu khối thi đua")
    assert dialog.save_button.isEnabled()
    dialog.summary.setPlainText("Hoàn thành tốt")  # typed back as it was
    assert not dialog.save_button.isEnabled()
    dialog.planned_date.set_value(date(2026, 1, 25))
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.changed):
        dialog.save_button.click()
    assert errors == [] and not dialog.save_button.isEnabled()
    assert services.nominations.detail(nomination_id).planned_decision_date == date(2026, 1, 25)


def test_declared_facts_changed_offer_save(qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, services, gdvh(services, "Hộ ông Lò Văn Pọm"), tmp_path)
    assert not dialog.save_button.isEnabled()
    days = dialog.declared.public_notice_days.value()
    dialog.declared.public_notice_days.set_value(10)
    assert dialog.save_button.isEnabled()
    dialog.declared.public_notice_days.set_value(days)  # back as it was: nothing to save, nothing asked
    assert not dialog.save_button.isEnabled()


def test_without_files_open_and_remove_wait_and_the_page_says_how_to_attach(
        qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    nomination_id = ldtt(services)
    dialog = open_dialog(qtbot, services, nomination_id, tmp_path)
    assert not dialog.open_file_button.isEnabled() and not dialog.remove_file_button.isEnabled()
    assert not dialog.no_files.isHidden() and "Đính kèm tệp" in dialog.no_files.text()
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    first.write_bytes(PDF)
    second.write_bytes(PDF.replace(b"bao", b"BAO"))
    services.nominations.attach(nomination_id, first, "", tmp_path)
    services.nominations.attach(nomination_id, second, "", tmp_path)
    dialog.reload()
    assert dialog.no_files.isHidden()
    assert not dialog.open_file_button.isEnabled()  # two files: which one?
    dialog.file_table.selectRow(1)
    assert dialog.open_file_button.isEnabled() and dialog.remove_file_button.isEnabled()


def test_a_viewer_is_told_there_are_no_files_without_being_asked_to_attach(
        qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    viewer = Services.create(services.sessions, Actor(None, "xem", "Người xem", Role.VIEWER))
    dialog = open_dialog(qtbot, viewer, ldtt(services), tmp_path)
    assert dialog.no_files.text() == nomination_dialog.NO_FILES
    assert not dialog.save_button.isEnabled()


def test_typing_not_saved_is_saved_before_a_file_is_attached(qtbot: QtBot, services: Services, tmp_path: Path,
                                                              errors: list[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    nomination_id = ldtt(services)
    scan = tmp_path / "to_trinh.pdf"
    scan.write_bytes(PDF)
    monkeypatch.setattr(nomination_dialog, "pick_file", lambda _parent: scan)
    monkeypatch.setattr(nomination_dialog, "pick_part", lambda _parent, _choices: "")
    asked: list[object] = []
    monkeypatch.setattr(nomination_dialog, "choose", lambda *args: asked.append(args) or 1)
    typed = "Hoàn thành tốt; dẫn đầu phong trào chuyển đổi số của xã"
    dialog = open_dialog(qtbot, services, nomination_id, tmp_path)
    dialog.summary.setPlainText(typed)
    dialog.planned_date.set_value(date(2026, 1, 27))
    dialog.add_file_button.click()
    assert errors == [] and dialog.files.rowCount() == 1
    assert dialog.summary.value() == typed and dialog.planned_date.value() == date(2026, 1, 27)
    stored = services.nominations.detail(nomination_id)
    assert (stored.achievement_summary, stored.planned_decision_date) == (typed, date(2026, 1, 27))
    assert not dialog.is_dirty()
    dialog.reject()
    assert asked == [] and not dialog.isVisible()


def test_typing_not_saved_is_saved_before_returning_and_removing_a_file(
        qtbot: QtBot, services: Services, tmp_path: Path, errors: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    nomination_id = ldtt(services)
    scan = tmp_path / "a.pdf"
    scan.write_bytes(PDF)
    services.nominations.attach(nomination_id, scan, "", tmp_path)
    monkeypatch.setattr(nomination_dialog, "ask_reason", lambda *_args: "Bổ sung bản quét rõ hơn")
    dialog = open_dialog(qtbot, services, nomination_id, tmp_path)
    dialog.summary.setPlainText("Hoàn thành tốt; sáng kiến cải cách thủ tục một cửa")
    dialog.remove_file_button.click()
    assert errors == [] and dialog.files.rowCount() == 0
    assert services.nominations.detail(nomination_id).achievement_summary == (
        "Hoàn thành tốt; sáng kiến cải cách thủ tục một cửa")
    dialog.summary.setPlainText("Hoàn thành tốt; sáng kiến một cửa liên thông")
    dialog.action_buttons[Action.RETURN].click()
    assert errors == []
    detail = services.nominations.detail(nomination_id)
    assert (detail.row.state, detail.achievement_summary) == ("returned", "Hoàn thành tốt; sáng kiến một cửa liên thông")
    assert dialog.summary.value() == detail.achievement_summary and not dialog.is_dirty()


def test_a_step_waits_when_the_typing_cannot_be_saved_and_the_typing_stays(
        qtbot: QtBot, services: Services, tmp_path: Path, errors: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    subject_id = services.subjects.create(IndividualData("Lò Văn Dũng", "male")).id
    nomination_id = services.nominations.create(
        subject_id=subject_id, award_code="GK_XA", year=2025, procedure="simplified",
        event_date=date(2025, 8, 3), achievement_summary="Cứu người đuối nước")
    monkeypatch.setattr(nomination_dialog, "ask_reason", lambda *_args: "Thiếu xác nhận của thôn")
    dialog = open_dialog(qtbot, services, nomination_id, tmp_path)
    dialog.summary.setPlainText("Cứu hai cháu nhỏ đuối nước ở suối Nậm Pồ")
    dialog.event_date.set_value(None)  # the simplified procedure needs it: the save is refused
    dialog.action_buttons[Action.RETURN].click()
    assert len(errors) == 1 and "ngày lập thành tích đột xuất" in errors[0]
    detail = services.nominations.detail(nomination_id)
    assert (detail.row.state, detail.achievement_summary) == ("draft", "Cứu người đuối nước")  # nothing changed
    assert dialog.summary.value() == "Cứu hai cháu nhỏ đuối nước ở suối Nậm Pồ" and dialog.is_dirty()
    assert Action.RETURN in dialog.action_buttons
    asked: list[str] = []
    monkeypatch.setattr(nomination_dialog, "choose", lambda _parent, _title, message, _answers:
                        asked.append(message) or 1)  # «Bỏ thay đổi»
    dialog.reject()
    assert asked and asked[0].startswith(nomination_dialog.UNSAVED) and not dialog.isVisible()


def test_before_the_reform_the_answer_form_speaks_of_the_upper_level_and_names_the_district(
        qtbot: QtBot, services: Services, tmp_path: Path, errors: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    subject_id = services.subjects.create(IndividualData(
        "Đỗ Văn Nam", "male", employment="cong_chuc", employment_start=date(2015, 3, 1))).id
    for year in range(2021, 2025):
        services.history.save(subject_id, RatingRecord(year, "htxs"))
        services.history.save(subject_id, AwardRecord("LDTT", year, decision_number=f"{year}/QĐ-UBND",
                                                      decision_date=date(year + 1, 1, 15)))
    services.history.save(subject_id, InitiativeRecord(
        2024, "Số hóa hồ sơ một cửa", recognised_by="Hội đồng sáng kiến xã", decision_number="5/QĐ-UBND",
        decision_date=date(2024, 11, 1)))
    nomination_id = services.nominations.create(subject_id=subject_id, award_code="CSTDCS", year=2024,
                                                planned_decision_date=date(2025, 3, 10))
    voted(services, nomination_id, date(2025, 3, 5))
    ends = services.nominations.post_notice([nomination_id], date(2025, 3, 12))
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(nomination_dialog, "ask_date",
                        lambda _parent, title, message, _default: asked.append((title, message)) or ends + timedelta(1))
    dialog = NominationDialog(services, nomination_id, tmp_path, today=lambda: date(2025, 5, 20))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.action_buttons[Action.PROPOSE].text() == "Trình cấp trên…"
    dialog.action_buttons[Action.PROPOSE].click()
    assert errors == [] and asked == [("Trình cấp trên", "Ngày gửi tờ trình đề nghị lên cấp trên:")]
    assert dialog.state_text.text().startswith("Trạng thái: Đã trình cấp trên")
    shown: dict[str, object] = {}

    def answer() -> None:  # the real form, as the officer sees and fills it
        form = QApplication.activeModalWidget()
        assert isinstance(form, QDialog)
        number, issuer = form.findChild(QLineEdit, "decision_number"), form.findChild(QLineEdit, "issuer")
        shown.update(title=form.windowTitle(), choices=[b.text() for b in form.findChildren(QRadioButton)],
                     issuer=issuer.text())
        number.setText("88/QĐ-UBND")
        form.accept()

    QTimer.singleShot(0, answer)
    dialog.action_buttons[Action.APPROVE].click()
    assert shown == {"title": "Kết quả cấp trên giải quyết",
                     "choices": ["Cấp trên khen thưởng", "Cấp trên không khen thưởng"],
                     "issuer": "Chủ tịch UBND huyện"}  # who answered before 01/07/2025
    assert errors == [] and dialog.state_text.text().startswith("Trạng thái: Cấp trên đã khen thưởng")
    assert ("88/QĐ-UBND", "Chủ tịch UBND huyện") in {
        (a.decision_number, a.issuer) for a in services.history.of(subject_id).awards}


def test_without_a_date_given_the_dialog_uses_the_services_date(qtbot: QtBot, services: Services, tmp_path: Path,
                                                               errors: list[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    nomination_id = ldtt(services)
    on_the_day = Services.create(services.sessions, services.actor,
                                 clock=lambda: datetime(2026, 2, 2, 18, 30, tzinfo=UTC))  # 03/02 in Việt Nam
    monkeypatch.setattr(nomination_dialog, "ask_reason", lambda *_args: "Nhầm danh hiệu")
    dialog = NominationDialog(on_the_day, nomination_id, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.action_buttons[Action.RETURN].click()
    assert errors == [] and dialog.events.item(0).text().startswith("03/02/2026: ")
