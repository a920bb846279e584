"""The «Gửi tỉnh» tab answering the province and a lost package: an acknowledgement is read
first and shows what it would change, and only «Áp dụng» applies it (once: again it says it
was imported); a contradiction is a red window with nothing to apply; a file changed after it
was shown, or no acknowledgement at all, is refused. A package the database lost with a
restore from an older backup is taken back after a question saying when that is right."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from app.package.export import ExportResult
from app.services import Services
from tests.app.package.package_rows import PROVINCE, approved
from tests.ui.package_tab_helpers import (
    ack,
    answer,
    choose,
    open_tab,
    package_texts,
    record_texts,
    run,
    window,
)
from ui import packages_tab
from ui.package_tables import PackageColumn, RecordColumn

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
NOT_APPROVED = {"status": "not_approved", "reason": "Đề nghị xã khen bằng Giấy khen"}
ABOUT = f"Biên nhận của {PROVINCE} cho gói số 1, lập lúc 15:00 ngày 20/11/2026"
APPROVED_LINE = ("«Vũ Đình Thắng» — Bằng khen của Chủ tịch UBND tỉnh năm 2026: tỉnh khen thưởng, quyết định số "
                 "1234/QĐ-UBND ngày 18/11/2026 của Chủ tịch UBND tỉnh Đồng Nai")


def test_an_acknowledgement_shows_what_it_changes_applies_on_apply_and_twice_changes_nothing(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path,
        read_pool: QThreadPool, write_pool: QThreadPool) -> None:
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool)
    choose(qtbot, tab, 0)
    path = ack(tmp_path, exported, approved())
    text = run(qtbot, tab, lambda: tab.files.import_ack(path))
    asking = window(tab)
    assert asking.windowTitle() == "Nhập biên nhận của tỉnh" and asking.ok is None
    assert asking.headline.text() == f"{ABOUT}: 1 hồ sơ sẽ được cập nhật, 0 hồ sơ không đổi."
    assert asking.lines.toPlainText() == f"Sẽ cập nhật:\n  • {APPROVED_LINE}"
    assert asking.question.text().startswith("Áp dụng biên nhận này?")
    assert [asking.apply_button.text(), asking.no_button.text()] == ["Áp dụng", "Không"]
    assert asking.no_button.isDefault()  # Enter does not apply by mistake
    assert text.startswith(ABOUT)
    assert demo_services.packages.packages()[0].ack_count == 0  # shown, not applied

    with qtbot.waitSignal(tab.changed), qtbot.waitSignal(tab.records_loaded):
        text = answer(qtbot, tab, apply=True)
    assert window(tab).ok
    assert text.startswith("Đã nhập biên nhận của gói số 1: 1 hồ sơ được cập nhật, 0 hồ sơ không đổi.")
    assert APPROVED_LINE in text
    assert package_texts(tab)[0][PackageColumn.STATE:] == ["Tỉnh đã trả lời đủ", ""]
    assert record_texts(tab)[0][RecordColumn.STATUS:] == [
        "Tỉnh đã khen thưởng", "Quyết định số 1234/QĐ-UBND ngày 18/11/2026 của Chủ tịch UBND tỉnh Đồng Nai"]

    text = run(qtbot, tab, lambda: tab.files.import_ack(path))
    assert text == f"{ABOUT}, đã được nhập trước đây; không có gì để áp dụng."
    assert window(tab).apply_button is None  # nothing to apply, only «Đóng»


def test_answering_no_applies_nothing(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path,
        read_pool: QThreadPool, write_pool: QThreadPool, monkeypatch: pytest.MonkeyPatch) -> None:
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool)
    path = ack(tmp_path, exported, approved())
    monkeypatch.setattr(packages_tab.QFileDialog, "getOpenFileName", staticmethod(lambda *_args: (str(path), "")))
    run(qtbot, tab, tab.ack_button.click)
    answer(qtbot, tab, apply=False)
    [package] = demo_services.packages.packages()
    assert package.ack_count == 0
    assert [row.status_label for row in demo_services.packages.records(package.id)] == ["Đã xuất gói, chờ biên nhận"]


def test_a_contradicting_acknowledgement_is_a_red_conflict_window_with_nothing_to_apply(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path,
        read_pool: QThreadPool, write_pool: QThreadPool) -> None:
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool)
    run(qtbot, tab, lambda: tab.files.import_ack(ack(tmp_path, exported, approved())))
    answer(qtbot, tab, apply=True)
    contradicting = ack(tmp_path, exported, NOT_APPROVED, name="bien-nhan-2.json")
    text = run(qtbot, tab, lambda: tab.files.import_ack(contradicting))
    dialog = window(tab)
    assert dialog.ok is False and dialog.windowTitle() == "Biên nhận mâu thuẫn"
    assert dialog.apply_button is None
    assert text.startswith(f"{ABOUT} mâu thuẫn với kết quả đã ghi nhận trước đây (1 điểm). "
                           "Không áp dụng nội dung nào của biên nhận này")
    assert "Vũ Đình Thắng" in dialog.lines.toPlainText()
    choose(qtbot, tab, 0)
    assert record_texts(tab)[0][RecordColumn.STATUS] == "Tỉnh đã khen thưởng"  # the first answer stands


def test_a_file_changed_after_it_was_shown_is_refused_and_nothing_applied(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path,
        read_pool: QThreadPool, write_pool: QThreadPool) -> None:
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool)
    path = ack(tmp_path, exported, approved())
    run(qtbot, tab, lambda: tab.files.import_ack(path))
    ack(tmp_path, exported, NOT_APPROVED)  # another answer written over the file shown
    text = answer(qtbot, tab, apply=True)
    assert window(tab).ok is False and window(tab).windowTitle() == "Không nhập được biên nhận"
    assert text.startswith("Không nhập được biên nhận; không có gì thay đổi.\n")
    assert demo_services.packages.packages()[0].ack_count == 0


def test_a_file_that_is_no_acknowledgement_is_refused_with_its_reason(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path,
        read_pool: QThreadPool, write_pool: QThreadPool) -> None:
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool)
    wrong = tmp_path / "khac.json"
    wrong.write_text('{"format": "khac"}', encoding="utf-8")
    text = run(qtbot, tab, lambda: tab.files.import_ack(wrong))
    assert window(tab).ok is False and window(tab).windowTitle() == "Không nhập được biên nhận"
    assert text.startswith("Không nhập được biên nhận; không có gì thay đổi.\n")
    assert len(text.splitlines()) >= 2  # the service's reason follows
    assert package_texts(tab)[0][PackageColumn.STATE] == "Chờ biên nhận"


def test_a_package_lost_with_a_restore_is_taken_back_after_a_question_saying_when(
        qtbot: QtBot, exported: ExportResult, restored: Services, tmp_path: Path,
        read_pool: QThreadPool, write_pool: QThreadPool, monkeypatch: pytest.MonkeyPatch) -> None:
    data_folder = tmp_path / "restored"
    tab = open_tab(qtbot, restored, data_folder, read_pool, write_pool)
    assert package_texts(tab) == []
    monkeypatch.setattr(packages_tab.QFileDialog, "getOpenFileName",
                        staticmethod(lambda *_args: (str(exported.path), "")))
    tab.adopt_button.click()
    asking = window(tab)
    assert asking.windowTitle() == "Nhận lại gói đã gửi"
    assert asking.headline.text() == f"Nhận lại gói «{exported.path.name}» như một gói xã đã xuất?"
    assert "khôi phục từ một bản sao lưu" in asking.question.text()
    assert "lần xuất bị ngắt" in asking.question.text()
    assert [asking.apply_button.text(), asking.no_button.text()] == ["Nhận lại", "Không"]
    answer(qtbot, tab, apply=False)
    assert restored.packages.packages() == []

    tab.files.adopt(exported.path)
    with qtbot.waitSignal(tab.changed), qtbot.waitSignal(tab.records_loaded):
        text = answer(qtbot, tab, apply=True)
    assert window(tab).ok
    assert text == (f"Đã nhận lại gói số 1 (1 hồ sơ) từ tệp «{exported.path.name}»: các đề nghị trong gói được "
                    "ghi nhận là đã gửi, chờ biên nhận của tỉnh.")
    assert [row[PackageColumn.SEQUENCE] for row in package_texts(tab)] == ["1"]
    assert tab.selected() is not None and tab.selected().uuid == exported.package_uuid  # chosen
    assert tab.hash_box.code.text() == exported.file_sha256

    tab.files.adopt(exported.path)  # the same file again: this database knows it now
    text = answer(qtbot, tab, apply=True)
    assert window(tab).ok is False and window(tab).windowTitle() == "Nhận lại gói đã gửi"
    assert text.startswith("Không nhận lại được gói; không có gì thay đổi.\n")
    assert len(restored.packages.packages()) == 1
