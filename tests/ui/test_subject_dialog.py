"""The subject editor: fields per kind, errors at their field, duplicates, members, history."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from app.history import AwardRecord, DisciplineRecord, RatingRecord
from app.services import Services
from app.subject_data import CollectiveData, HouseholdData, IndividualData, MemberData, VillageData
from ui.form import ChoiceField, CodeField, DateField
from ui.history_editor import RecordDialog
from ui.household_members import PersonPicker
from ui.subject_dialog import SubjectDialog

# Vietnamese text is entered with QLineEdit.insert(), which types at the cursor;
# QTest.keyClicks knows only ASCII.
# The offscreen platform warns that it cannot size windows to their hints.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Questions asked through ui.dialogs.confirm and ask_reason, answered 'yes' (with a
    reason); a real box would block."""
    asked: list[str] = []

    def answer(_parent: object, _title: str, message: str, _action: str, **_keep: str) -> bool:
        asked.append(message)
        return True

    def reason(_parent: object, _title: str, message: str, _action: str) -> str:
        asked.append(message)
        return "Ghi nhầm"

    monkeypatch.setattr("ui.form.confirm", answer)
    monkeypatch.setattr("ui.history_editor.ask_reason", reason)
    return asked


def open_dialog(qtbot: QtBot, services: Services, write_pool: QThreadPool, kind: str,
                subject_id: int | None = None) -> SubjectDialog:
    dialog = SubjectDialog(services, write_pool, kind, subject_id)
    qtbot.addWidget(dialog, before_close_func=lambda _d: write_pool.waitForDone())
    dialog.show()
    return dialog


def save(qtbot: QtBot, dialog: SubjectDialog | RecordDialog) -> None:
    with qtbot.waitSignal(dialog.saved):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_a_person_typed_in_is_stored(qtbot: QtBot, services: Services, write_pool: QThreadPool) -> None:
    [village] = services.subjects.create_many([VillageData("Thôn Đông")])
    dialog = open_dialog(qtbot, services, write_pool, "individual")
    assert dialog.windowTitle() == "Thêm cá nhân"
    form = dialog.form
    form.field("full_name").insert("Đặng Thị Ánh")
    form.field("gender").set_value("female")
    form.field("birth_date").set_value(date(1985, 3, 9))
    form.field("citizen_id").insert("075185000123")
    form.field("employment").set_value("cong_chuc")
    form.field("village_id").lineEdit().insert("thon dong")  # picked by typing, no diacritics
    form.field("direct_labour").setChecked(True)
    save(qtbot, dialog)

    assert not dialog.isVisible()
    [row] = services.subjects.rows("individual")
    assert services.subjects.data(row.id) == IndividualData(
        "Đặng Thị Ánh", "female", date(1985, 3, 9), citizen_id="075185000123", employment="cong_chuc",
        village_id=village, direct_labour=True,
    )


def test_a_refused_name_is_shown_at_its_field_and_kept(qtbot: QtBot, services: Services,
                                                         write_pool: QThreadPool, questions: list[str]) -> None:
    dialog = open_dialog(qtbot, services, write_pool, "individual")
    dialog.form.field("full_name").insert("Nguyễn")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.isVisible()
    assert dialog.form.error_text("full_name") == "Họ và tên phải có ít nhất họ và tên (hai từ)."
    assert dialog.form.field("full_name").text() == "Nguyễn"
    assert services.subjects.count() == 0

    dialog.form.field("full_name").insert(" Văn An")
    dialog.form.field("citizen_id").insert("12345")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.form.error_text("citizen_id") == "Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số."
    assert dialog.form.field("full_name").text() == "Nguyễn Văn An"
    assert services.subjects.count() == 0
    assert questions == []


def test_a_corrected_field_loses_its_old_error(qtbot: QtBot, services: Services,
                                               write_pool: QThreadPool) -> None:
    dialog = open_dialog(qtbot, services, write_pool, "individual")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.form.error_text("full_name") == "Họ và tên không được để trống."
    dialog.form.field("full_name").insert("Nguyễn Văn An")
    dialog.form.field("citizen_id").insert("12345")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.form.error_text("citizen_id") == "Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số."
    assert dialog.form.error_text("full_name") == ""


def test_a_picker_text_naming_nothing_is_refused(qtbot: QtBot, services: Services, write_pool: QThreadPool,
                                                  questions: list[str]) -> None:
    services.subjects.create_many([CollectiveData("Trạm Y tế xã")])
    dialog = open_dialog(qtbot, services, write_pool, "individual")
    dialog.form.field("full_name").insert("Phạm An")
    unit = dialog.form.field("unit_id")
    assert isinstance(unit, ChoiceField)
    unit.lineEdit().insert("Trường học")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "Không có “Trường học” trong danh sách" in dialog.form.error_text("unit_id")
    assert services.subjects.count("individual") == 0


def test_a_likely_duplicate_is_offered_to_open(qtbot: QtBot, services: Services, write_pool: QThreadPool,
                                                monkeypatch: pytest.MonkeyPatch, questions: list[str]) -> None:
    existing = services.subjects.create(IndividualData("Đặng Văn An", "male", citizen_id="075090000001"))
    answers = iter([0, 1])
    warnings: list[str] = []
    monkeypatch.setattr("ui.subject_dialog.choose",
                        lambda _p, _t, message, _actions: warnings.append(message) or next(answers))
    dialog = open_dialog(qtbot, services, write_pool, "individual")
    dialog.form.field("full_name").insert("Đặng Văn Ân")
    dialog.form.field("citizen_id").insert("075090000001")

    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()  # "Mở người đã có"
    assert "Đặng Văn An, CCCD 075090000001" in warnings[0]
    [other] = [d for d in dialog.findChildren(SubjectDialog) if d is not dialog]
    assert other.subject_id == existing.id
    assert services.subjects.count("individual") == 1
    assert dialog.form.field("full_name").text() == "Đặng Văn Ân"  # nothing typed is lost
    other.reject()

    save(qtbot, dialog)  # "Vẫn lưu"
    assert services.subjects.count("individual") == 2


def test_unsaved_changes_ask_before_closing(qtbot: QtBot, services: Services, write_pool: QThreadPool,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    subject = services.subjects.create(VillageData("Thôn Đông"))
    answers: list[bool] = []
    monkeypatch.setattr("ui.form.confirm", lambda *_args, **_keep: answers.pop(0))
    dialog = open_dialog(qtbot, services, write_pool, "village", subject.id)
    dialog.reject()  # nothing changed: closes without asking
    assert not dialog.isVisible()

    dialog = open_dialog(qtbot, services, write_pool, "village", subject.id)
    dialog.form.field("name").insert(" mới")
    answers.append(False)
    dialog.close()
    assert dialog.isVisible()
    assert dialog.form.field("name").text() == "Thôn Đông mới"
    answers.append(True)
    dialog.reject()
    assert not dialog.isVisible()
    assert services.subjects.data(subject.id).name == "Thôn Đông"


def test_editing_a_collective_offers_every_other_collective_as_parent(
        qtbot: QtBot, services: Services, write_pool: QThreadPool) -> None:
    office, school = services.subjects.create_many([CollectiveData("Ủy ban nhân dân xã"), CollectiveData("Trường Mầm non")])
    dialog = open_dialog(qtbot, services, write_pool, "collective", school)
    parent = dialog.form.field("parent_id")
    assert [parent.itemText(i) for i in range(parent.count())] == ["", "Ủy ban nhân dân xã"]
    parent.set_value(office)
    dialog.form.field("collective_kind").set_value("school")
    save(qtbot, dialog)
    assert services.subjects.data(school) == CollectiveData("Trường Mầm non", "school", parent_id=office)


def test_household_members_are_picked_by_search(qtbot: QtBot, services: Services, write_pool: QThreadPool) -> None:
    husband, wife, _other = services.subjects.create_many(
        [IndividualData("Nguyễn Văn Đức", "male"), IndividualData("Lê Thị Dung", "female"),
         IndividualData("Trần Văn Dũng", "male")])
    dialog = open_dialog(qtbot, services, write_pool, "household")
    dialog.form.field("name").insert("Hộ ông Nguyễn Văn Đức")
    members = dialog.form.field("members")
    for typed, expected in (("duc", "Nguyễn Văn Đức"), ("le dung", "Lê Thị Dung")):
        picker = members.open_picker()
        assert isinstance(picker, PersonPicker)
        picker.search.insert(typed)
        qtbot.waitUntil(lambda: picker.proxy.rowCount() == 1)  # noqa: B023
        assert picker.proxy.index(0, 0).data() == expected
        picker.view.activated.emit(picker.proxy.index(0, 0))
    relation = members.model.index(1, 1)
    members.model.setData(relation, "Vợ")
    save(qtbot, dialog)
    [row] = services.subjects.rows("household")
    assert services.subjects.data(row.id) == HouseholdData(
        "Hộ ông Nguyễn Văn Đức", members=(MemberData(husband, "", True), MemberData(wife, "Vợ", False)))


def test_ticking_a_head_clears_the_other(qtmodeltester, qtbot: QtBot, services: Services,
                                         write_pool: QThreadPool) -> None:
    a, b = services.subjects.create_many([IndividualData("Phạm An", "male"), IndividualData("Lê Bình", "female")])
    household = services.subjects.create(HouseholdData("Hộ Phạm An", members=(MemberData(a, "", True), MemberData(b))))
    dialog = open_dialog(qtbot, services, write_pool, "household", household.id)
    model = dialog.form.field("members").model
    qtmodeltester.check(model)
    model.setData(model.index(1, 2), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert dialog.form.field("members").value() == (MemberData(a, "", False), MemberData(b, "", True))


def test_history_of_a_new_subject_opens_after_apply(qtbot: QtBot, services: Services,
                                                    write_pool: QThreadPool) -> None:
    dialog = open_dialog(qtbot, services, write_pool, "village")
    assert dialog.history is None
    dialog.form.field("name").insert("Thôn Đông")
    with qtbot.waitSignal(dialog.saved):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Apply).click()
    assert dialog.isVisible()
    assert dialog.history is not None
    assert dialog.windowTitle() == "Thôn Đông — Thôn, tổ dân phố"
    dialog.reject()  # saved: closes without asking
    assert not dialog.isVisible()


def test_ratings_are_added_edited_and_deleted(qtmodeltester, qtbot: QtBot, services: Services,
                                              write_pool: QThreadPool, questions: list[str]) -> None:
    person = services.subjects.create(IndividualData("Phạm An", "male"))
    dialog = open_dialog(qtbot, services, write_pool, "individual", person.id)
    ratings = dialog.history.lists[RatingRecord]

    record_dialog = ratings.open_record(None)
    assert record_dialog.form.values()["year"] == date.today().year
    assert record_dialog.form.values()["rating"] == "htxs"
    record_dialog.form.field("year").set_value(2023)
    record_dialog.form.field("rating").set_value("htxs")
    save(qtbot, record_dialog)
    [added] = services.history.of(person.id).ratings
    assert (added.year, added.rating) == (2023, "htxs")
    assert ratings.model.index(0, 1).data() == "Hoàn thành xuất sắc nhiệm vụ"
    assert dialog.history.tabText(0) == "Xếp loại (1)"
    qtmodeltester.check(ratings.model)

    ratings.view.setCurrentIndex(ratings.model.index(0, 0))
    ratings.view.activated.emit(ratings.model.index(0, 0))
    [record_dialog] = [d for d in ratings.findChildren(RecordDialog) if d.isVisible()]
    assert record_dialog.windowTitle() == "Sửa xếp loại"
    record_dialog.form.field("rating").set_value("tot")
    save(qtbot, record_dialog)
    assert services.history.of(person.id).ratings == (RatingRecord(2023, "tot", id=added.id),)

    ratings.view.setCurrentIndex(ratings.model.index(0, 0))
    ratings.delete_selected()
    qtbot.waitUntil(lambda: ratings.model.rowCount() == 0)
    assert len(questions) == 1
    assert services.history.of(person.id).ratings == ()


def test_a_second_rating_for_a_year_is_refused_at_the_year(qtbot: QtBot, services: Services,
                                                           write_pool: QThreadPool, questions: list[str]) -> None:
    person = services.subjects.create(IndividualData("Phạm An", "male"))
    services.history.save(person.id, RatingRecord(2024, "tot"))
    dialog = open_dialog(qtbot, services, write_pool, "individual", person.id)
    record_dialog = dialog.history.lists[RatingRecord].open_record(None)
    record_dialog.form.field("year").set_value(2024)
    with qtbot.waitSignal(record_dialog.buttons.accepted):
        record_dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: record_dialog.form.error_text("year") == "Năm 2024 đã có xếp loại.")
    assert record_dialog.isVisible()
    assert len(services.history.of(person.id).ratings) == 1
    record_dialog.reject()


def test_awards_offer_only_kinds_for_the_subject_and_keep_their_details(
        qtbot: QtBot, services: Services, write_pool: QThreadPool) -> None:
    household = services.subjects.create(HouseholdData("Hộ Phạm An"))
    dialog = open_dialog(qtbot, services, write_pool, "household", household.id)
    awards = dialog.history.lists[AwardRecord]
    record_dialog = awards.open_record(None)
    kinds = record_dialog.form.field("award_code")
    assert isinstance(kinds, CodeField)
    offered = [kinds.itemText(i) for i in range(kinds.count())]
    assert "Gia đình văn hóa" in offered
    assert "Lao động tiên tiến" not in offered
    assert "Tập thể lao động xuất sắc" not in offered

    form = record_dialog.form
    form.field("award_code").set_value("GDVH")
    form.field("year").set_value(2024)
    form.field("decision_number").insert("125/QĐ-UBND")
    form.field("decision_date").set_value(date(2024, 12, 20))
    form.field("issuer").insert("Chủ tịch UBND xã")
    form.field("legal_basis").insert("Luật Thi đua, khen thưởng 2022")
    save(qtbot, record_dialog)
    [award] = services.history.of(household.id).awards
    assert award == AwardRecord("GDVH", 2024, "125/QĐ-UBND", date(2024, 12, 20), "Chủ tịch UBND xã",
                                "Luật Thi đua, khen thưởng 2022", id=award.id)
    assert [awards.model.index(0, c).data() for c in range(4)] == ["2024", "Gia đình văn hóa", "125/QĐ-UBND",
                                                                  "20/12/2024"]


def test_a_revoked_award_says_so_beside_its_title(qtbot: QtBot, services: Services,
                                                 write_pool: QThreadPool) -> None:
    person = services.subjects.create(IndividualData("Phạm An", "male"))
    services.history.save(person.id, AwardRecord("LDTT", 2023, "32/QĐ-UBND", date(2024, 1, 10),
                                                 revoked_on=date(2024, 6, 17), revoked_reason="Khai không trung thực"))
    dialog = open_dialog(qtbot, services, write_pool, "individual", person.id)
    awards = dialog.history.lists[AwardRecord]
    # The "Thu hồi" column is off screen in a dialog of usual width; the title is not.
    assert awards.model.index(0, 1).data() == "Lao động tiên tiến (đã thu hồi)"


def test_a_pending_review_is_recorded_as_discipline(qtbot: QtBot, services: Services,
                                                    write_pool: QThreadPool) -> None:
    person = services.subjects.create(IndividualData("Phạm An", "male"))
    dialog = open_dialog(qtbot, services, write_pool, "individual", person.id)
    disciplines = dialog.history.lists[DisciplineRecord]
    record_dialog = disciplines.open_record(None)
    decided = record_dialog.form.field("decided_on")
    assert isinstance(decided, DateField)
    record_dialog.form.field("form").set_value("pending")
    decided.set_value(date(2025, 3, 1))
    save(qtbot, record_dialog)
    assert [(d.form, d.decided_on, d.ends_on) for d in services.history.of(person.id).disciplines] == [
        ("pending", date(2025, 3, 1), None)]
    assert disciplines.model.index(0, 0).data().startswith("Đang xem xét kỷ luật")


def test_the_duplicate_question_reads_in_vietnamese(qtbot: QtBot, services: Services,
                                                     write_pool: QThreadPool) -> None:
    services.subjects.create(IndividualData("Đặng Văn An", "male", date(1980, 5, 1)))
    dialog = open_dialog(qtbot, services, write_pool, "individual")
    dialog.form.field("full_name").insert("Đặng Văn An")
    dialog.form.field("birth_date").set_value(date(1980, 5, 1))
    seen: list[list[str]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append([button.text() for button in box.buttons()])
        [keep] = [b for b in box.buttons() if b.text() == "Vẫn lưu"]
        keep.click()

    QTimer.singleShot(0, answer)
    save(qtbot, dialog)
    assert sorted(seen[0]) == ["Hủy", "Mở người đã có", "Vẫn lưu"]
    assert services.subjects.count("individual") == 2
