"""«Nhật ký thay đổi»: entries written by real service calls, filtered, paged, detailed, and
checked for tampering."""

from __future__ import annotations

import sqlite3
import time as clock
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from app.audit import PAGE, AuditEvent, AuditRow, AuditTrail
from app.roles import SYSTEM_ACTOR
from app.services import Services
from app.subject_data import IndividualData
from db.migrate import Database
from tests.conftest import ADMIN, OFFICER, account
from ui.audit_table import (
    AuditColumn,
    AuditTableModel,
    ChangeColumn,
    ChangeTableModel,
    action_label,
    local_time,
    utc_offset,
    value_text,
    who,
)
from ui.audit_view import AuditView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

AN = IndividualData("Nguyễn Văn An", "male", date(1985, 9, 5))
BINH = IndividualData("Trần Thị Bình", "female", date(1990, 3, 2))


@pytest.fixture
def changed(services: Services) -> Services:
    """Two people added and the first one's birth date corrected, as the officer."""
    an = services.subjects.create(AN)
    services.subjects.create(BINH)
    services.subjects.update(an.id, IndividualData("Nguyễn Văn An", "male", date(1985, 9, 6),
                                                   job_title="Trưởng thôn"))
    return services


def open_view(qtbot: QtBot, services: Services, read_pool: QThreadPool) -> AuditView:
    view = AuditView(services, read_pool)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded):
        pass
    return view


def summaries(view: AuditView) -> list[str]:
    proxy = view.table.proxy
    return [proxy.index(row, AuditColumn.SUMMARY).data() for row in range(proxy.rowCount())]


def refiltered(qtbot: QtBot, view: AuditView, change: object) -> list[str]:
    with qtbot.waitSignal(view.loaded):
        change()  # type: ignore[operator]
    return summaries(view)


def test_entry_and_change_models_pass_the_model_tester(qtmodeltester: object, changed: Services) -> None:
    entries = AuditTableModel()
    entries.set_rows(changed.audit.entries())
    qtmodeltester.check(entries)  # type: ignore[attr-defined]
    changes = ChangeTableModel()
    changes.set_entry(changed.audit.entries()[0])
    qtmodeltester.check(changes)  # type: ignore[attr-defined]
    assert changes.rowCount() > 0


def test_times_are_shown_in_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    clock.tzset()
    try:
        moment = datetime(2026, 11, 24, 17, 5, 9, tzinfo=UTC)
        assert local_time(moment) == "25/11/2026 00:05:09"
        assert utc_offset(moment) == "UTC+07:00"
    finally:
        monkeypatch.undo()
        clock.tzset()


def test_codes_are_worded_and_unknown_ones_shown_as_they_are() -> None:
    assert action_label("sign_in_failed") == "Đăng nhập sai"
    assert action_label("restore") == "Khôi phục dữ liệu"
    assert action_label("something_new") == "something_new"
    assert value_text("birth_date", "1985-09-05") == "05/09/1985"
    assert value_text("gender", "female") == "Nữ"
    assert value_text("role", "approver") == "Chủ tịch / Phó Chủ tịch"
    assert value_text("direct_labour", False) == "Không"
    assert value_text("note", "") == "—"
    system = AuditRow(1, datetime.now(UTC), None, SYSTEM_ACTOR.username, SYSTEM_ACTOR.full_name, "restore",
                      "database", None, "Khôi phục", None, None, None, "0" * 64)
    assert who(system) == "Hệ thống"
    assert who(replace(system, full_name="")) == "hệ thống"  # a name typed at a failed sign-in


def test_entries_of_real_changes_are_listed_newest_first(qtbot: QtBot, changed: Services,
                                                         read_pool: QThreadPool) -> None:
    view = open_view(qtbot, changed, read_pool)
    shown = summaries(view)
    assert shown[:3] == ["Sửa cá nhân «Nguyễn Văn An»", "Thêm cá nhân «Trần Thị Bình»",
                         "Thêm cá nhân «Nguyễn Văn An»"]
    assert len(shown) == changed.audit.count()
    first = view.table.proxy.index(0, AuditColumn.WHO).data()
    assert first == f"{OFFICER[1]} ({OFFICER[0]})"
    assert view.table.proxy.index(0, AuditColumn.ACTION).data() == "Sửa"
    assert view.table.proxy.index(0, AuditColumn.ENTITY).data() == "Đối tượng"
    assert view.more_button.isHidden()


def test_each_filter_narrows_the_list(qtbot: QtBot, changed: Services, read_pool: QThreadPool) -> None:
    view = open_view(qtbot, changed, read_pool)
    everything = summaries(view)

    by_kind = refiltered(qtbot, view, lambda: view.entity.setCurrentIndex(view.entity.findData("subject")))
    assert len(by_kind) == 3
    by_action = refiltered(qtbot, view, lambda: view.action.setCurrentIndex(view.action.findData("update")))
    assert by_action == ["Sửa cá nhân «Nguyễn Văn An»"]
    refiltered(qtbot, view, lambda: view.entity.setCurrentIndex(0))
    refiltered(qtbot, view, lambda: view.action.setCurrentIndex(0))
    assert summaries(view) == everything

    # The template's accounts were made by the administrator; the officer made the rest.
    officer_id = changed.actor.user_id
    by_user = refiltered(qtbot, view, lambda: view.user.setCurrentIndex(view.user.findData(officer_id)))
    assert by_user == everything[:3]
    refiltered(qtbot, view, lambda: view.user.setCurrentIndex(0))

    by_text = refiltered(qtbot, view, lambda: view.text.setText("Bình"))  # after the debounce
    assert by_text == ["Thêm cá nhân «Trần Thị Bình»"]
    refiltered(qtbot, view, view.text.clear)

    today = date.today()
    assert refiltered(qtbot, view, lambda: view.since.set_value(today)) == everything
    assert refiltered(qtbot, view, lambda: view.since.set_value(today + timedelta(days=1))) == []
    assert view.status.text() == "Không có dòng nhật ký nào khớp bộ lọc."
    refiltered(qtbot, view, lambda: view.since.set_value(None))
    assert refiltered(qtbot, view, lambda: view.until.set_value(today)) == everything
    assert refiltered(qtbot, view, lambda: view.until.set_value(today - timedelta(days=1))) == []


def test_the_user_filter_lists_every_account_for_an_administrator(
        qtbot: QtBot, sessions: sessionmaker[Session], changed: Services, read_pool: QThreadPool) -> None:
    admin = Services.create(sessions, account(sessions, ADMIN[0]))
    view = open_view(qtbot, admin, read_pool)
    qtbot.waitUntil(lambda: view.user.count() == 3)
    assert [view.user.itemText(i) for i in range(view.user.count())] == [
        "Tất cả", f"{OFFICER[1]} ({OFFICER[0]})", f"{ADMIN[1]} ({ADMIN[0]})"]


def test_the_detail_pane_shows_old_and_new_values_of_an_update(qtbot: QtBot, changed: Services,
                                                               read_pool: QThreadPool) -> None:
    view = open_view(qtbot, changed, read_pool)
    view.table.selectRow(0)
    changes = view.changes
    rows = {changes.index(row, ChangeColumn.FIELD).data(): (changes.change(row).old, changes.change(row).new,
                                                             changes.change(row).changed)
            for row in range(changes.rowCount())}
    assert rows["Ngày sinh"] == ("05/09/1985", "06/09/1985", True)
    assert rows["Chức vụ, chức danh"] == ("—", "Trưởng thôn", True)
    assert rows["Họ và tên"] == ("Nguyễn Văn An", "Nguyễn Văn An", False)
    assert changes.index(0, ChangeColumn.FIELD).data() == "Họ và tên"  # the form's order
    changed_row = next(row for row in range(changes.rowCount()) if changes.change(row).changed)
    assert changes.index(changed_row, ChangeColumn.NEW).data(Qt.ItemDataRole.BackgroundRole) is not None
    entry = changed.audit.entries()[0]
    assert view.hash.text() == f"Mã kiểm tra (SHA-256): {entry.hash}"
    assert view.heading.text().startswith(f"Dòng số {entry.id} — {local_time(entry.at)}")

    view.table.selectRow(2)  # a record added: new values only, nothing marked changed
    assert all(changes.change(row).old is None and not changes.change(row).changed
               for row in range(changes.rowCount()))


def test_more_entries_load_in_pages_without_repeating_any(qtbot: QtBot, services: Services,
                                                          sessions: sessionmaker[Session],
                                                          read_pool: QThreadPool) -> None:
    def record(count: int, start: int) -> None:
        with sessions.begin() as session:
            AuditTrail(sessions).record_many(session, SYSTEM_ACTOR, [
                AuditEvent("create", "subject", None, f"Mục {start + i}") for i in range(count)])

    record(PAGE + 20, 0)
    total = services.audit.count()
    view = open_view(qtbot, services, read_pool)
    assert view.model.rowCount() == PAGE
    assert not view.more_button.isHidden()
    assert view.status.text() == f"Hiện {PAGE} / {total} dòng, mới nhất trước."

    record(7, 1000)  # written meanwhile: they push the next page down
    with qtbot.waitSignal(view.loaded):
        view.more_button.click()
    ids = [entry.id for entry in view.model.entries()]
    assert len(ids) == len(set(ids)) == total
    assert ids == sorted(ids, reverse=True)
    assert view.more_button.isHidden()

    with qtbot.waitSignal(view.loaded):
        view.reload()
    assert summaries(view)[0] == "Mục 1006"


def test_reload_keeps_the_selected_entry(qtbot: QtBot, changed: Services, read_pool: QThreadPool) -> None:
    view = open_view(qtbot, changed, read_pool)
    view.table.selectRow(1)
    chosen = view.table.selected()
    changed.subjects.create(IndividualData("Lê Văn Cường", "male"))
    with qtbot.waitSignal(view.loaded):
        view.reload()
    assert summaries(view)[0] == "Thêm cá nhân «Lê Văn Cường»"
    assert view.table.selected() == chosen


def test_the_integrity_check_reports_an_intact_chain(qtbot: QtBot, changed: Services,
                                                     read_pool: QThreadPool) -> None:
    view = open_view(qtbot, changed, read_pool)
    with qtbot.waitSignal(view.verified) as verified:
        view.verify_button.click()
    assert verified.args[0].ok
    count = changed.audit.count()
    assert view.verdict.text().startswith(f"Nhật ký nguyên vẹn: đã kiểm tra {count} dòng")
    assert view.problems.isHidden()
    assert view.verify_button.isEnabled()


def test_the_integrity_check_lists_a_tampered_entry(qtbot: QtBot, changed: Services, database: Database,
                                                    read_pool: QThreadPool) -> None:
    connection = sqlite3.connect(database.path)
    connection.execute("DROP TRIGGER audit_entries_no_update")
    connection.execute("UPDATE audit_entries SET summary = 'Đã sửa' "
                       "WHERE id = (SELECT max(id) - 1 FROM audit_entries)")
    connection.commit()
    connection.close()
    view = open_view(qtbot, changed, read_pool)
    with qtbot.waitSignal(view.verified) as verified:
        view.verify_button.click()
    assert not verified.args[0].ok
    assert view.verdict.text().startswith("Phát hiện 1 vấn đề trong nhật ký")
    assert not view.problems.isHidden()
    altered = changed.audit.count() - 1
    assert view.problems.toPlainText() == (
        f"– Dòng nhật ký số {altered} đã bị sửa sau khi ghi (nội dung không khớp mã kiểm tra).")
