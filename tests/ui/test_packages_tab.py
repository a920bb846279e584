"""The «Gửi tỉnh» tab: the packages newest first with the ones waiting too long counted and
highlighted, the records of the package chosen with its full SHA-256 to copy, a package file
checked (good and tampered), the folder opened (or the copy kept once the USB stick is gone),
the wizard's package added, and a viewer offered neither export, import nor taking back.
Acknowledgements and packages taken back: test_packages_tab_answers.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWizard
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.package.export import ExportResult
from app.package.recording import SENT_FOLDER
from app.roles import Actor, Role
from app.services import Services
from tests.app.package.package_rows import package_rows, proposed_sudden
from tests.ui.package_tab_helpers import TIMEOUT_MS, choose, open_tab, package_texts, record_texts, run, window
from ui import packages_tab
from ui.package_tables import OVERDUE_BACKGROUND, PackageColumn, RecordColumn
from ui.settings import Settings

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_packages_newest_first_with_the_records_of_the_one_chosen(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path, usb: Path,
        read_pool: QThreadPool, write_pool: QThreadPool, qtmodeltester: ModelTester) -> None:
    second = proposed_sudden(demo_services, "Trần Văn Hải")
    demo_services.packages.export([second], usb, tmp_path)
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool)
    qtmodeltester.check(tab.packages)
    assert tab.summary.text() == "Đã xuất 2 gói hồ sơ gửi tỉnh; 2 gói chưa có biên nhận."
    assert not tab.overdue.isVisibleTo(tab)
    assert package_texts(tab) == [
        ["2", "20/11/2026", "goi-ho-so-26503-0002-20261120.zip", "1", "Chờ biên nhận", "0"],
        ["1", "20/11/2026", "goi-ho-so-26503-0001-20261120.zip", "1", "Chờ biên nhận", "0"]]
    assert tab.records_caption.text() == "Chọn một gói ở trên để xem các hồ sơ trong gói."
    choose(qtbot, tab, 1)
    qtmodeltester.check(tab.records)
    assert tab.records_caption.text() == "Hồ sơ trong gói số 1 (xuất ngày 20/11/2026):"
    assert record_texts(tab) == [["Vũ Đình Thắng", "Bằng khen của Chủ tịch UBND tỉnh", "2026", "1", "",
                                  "Đã xuất gói, chờ biên nhận", ""]]


def test_packages_without_acknowledgement_after_n_days_are_counted_and_highlighted(
        qtbot: QtBot, demo_services: Services, tmp_path: Path, read_pool: QThreadPool, write_pool: QThreadPool,
        settings: Settings) -> None:
    old = proposed_sudden(demo_services, "Trần Văn Hải")
    package_rows(demo_services, [old], created_at="2026-11-01T09:00:00+07:00")  # 19 days before the demo's day
    recent = proposed_sudden(demo_services, "Lê Văn Sơn")
    package_rows(demo_services, [recent], created_at="2026-11-16T09:00:00+07:00")
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool, settings)
    assert tab.days.value() == 14
    assert tab.overdue.text() == "1 gói chưa có biên nhận quá 14 ngày"
    assert tab.overdue.isVisibleTo(tab)
    model = tab.packages
    assert [(model.row(i).sequence, model.is_overdue(i)) for i in range(model.rowCount())] == [(2, False), (1, True)]
    assert model.index(1, PackageColumn.WAITING).data() == "19"
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "chưa có biên nhận của tỉnh sau 19 ngày" in model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole)

    with qtbot.waitSignal(tab.loaded):
        tab.days.setValue(3)
    assert tab.overdue.text() == "2 gói chưa có biên nhận quá 3 ngày"
    with qtbot.waitSignal(tab.loaded):
        tab.days.setValue(30)
    assert not tab.overdue.isVisibleTo(tab)
    assert settings.unacknowledged_days == 30
    again = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool, settings)
    assert again.days.value() == 30  # remembered


def test_checking_a_good_package_says_ok_and_a_tampered_one_names_the_problem(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path,
        read_pool: QThreadPool, write_pool: QThreadPool) -> None:
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool)
    text = run(qtbot, tab, lambda: tab.files.verify(exported.path))
    assert window(tab).ok
    assert f"Gói {exported.path.name} hợp lệ." in text
    assert f"Mã SHA-256 của tệp gói: {exported.file_sha256}." in text

    tampered = tmp_path / "sua" / exported.path.name
    tampered.parent.mkdir()
    data = bytearray(exported.path.read_bytes())
    at = data.index(b"%PDF") + 200  # inside a stored PDF: the zip still opens, the hash no longer matches
    data[at] ^= 0x01
    tampered.write_bytes(bytes(data))
    text = run(qtbot, tab, lambda: tab.files.verify(tampered))
    assert not window(tab).ok
    assert "KHÔNG hợp lệ" in text
    assert ".pdf" in text.split("KHÔNG hợp lệ", 1)[1]  # the damaged document is named


def test_the_package_chosen_shows_its_full_sha256_to_copy_into_the_cover_letter(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path,
        read_pool: QThreadPool, write_pool: QThreadPool) -> None:
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool)
    assert not tab.hash_box.isVisibleTo(tab)  # no package chosen
    choose(qtbot, tab, 0)
    box = tab.hash_box
    assert box.isVisibleTo(tab)
    assert box.caption.text() == f"Mã SHA-256 của tệp gói số 1 ({exported.path.name}):"
    assert box.code.text() == exported.file_sha256 and len(box.code.text()) == 64  # whole, never cut
    assert box.code.isReadOnly()
    assert "công văn (tờ trình)" in box.advice.text() and "tỉnh đối chiếu" in box.advice.text()
    QGuiApplication.clipboard().clear()
    box.copy_button.click()
    assert box.copy_button.text() == "Sao chép mã SHA-256"
    assert QGuiApplication.clipboard().text() == exported.file_sha256
    assert box.copied.text() == "Đã sao chép mã vào bộ nhớ tạm."


def test_the_buttons_ask_for_a_file_and_open_the_folder_or_the_copy_kept_once_it_is_gone(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path, usb: Path,
        read_pool: QThreadPool, write_pool: QThreadPool, monkeypatch: pytest.MonkeyPatch) -> None:
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool)
    assert not tab.folder_button.isEnabled()  # no package chosen
    choose(qtbot, tab, 0)
    opened: list[QUrl] = []
    monkeypatch.setattr(packages_tab.QDesktopServices, "openUrl", staticmethod(opened.append))
    assert tab.folder_button.toolTip() == f"Mở thư mục {usb}"
    tab.folder_button.click()
    assert opened == [QUrl.fromLocalFile(str(usb))]
    assert tab.folder_note.text() == f"Đã mở thư mục {usb}."

    asked: list[str] = []

    def chosen(_parent: object, caption: str, _start: str, _filter: str) -> tuple[str, str]:
        asked.append(caption)
        return str(exported.path), ""

    monkeypatch.setattr(packages_tab.QFileDialog, "getOpenFileName", staticmethod(chosen))
    with qtbot.waitSignal(tab.task_finished, timeout=TIMEOUT_MS):
        tab.verify_button.click()
    assert asked == ["Chọn tệp gói hồ sơ cần kiểm tra"] and window(tab).ok

    kept = tmp_path / SENT_FOLDER
    assert packages_tab.KEPT_FOLDER == SENT_FOLDER  # where the export keeps its copy
    if not (kept / exported.path.name).is_file():  # the export keeps one; this test does not rely on it
        kept.mkdir(exist_ok=True)
        shutil.copyfile(exported.path, kept / exported.path.name)
    shutil.rmtree(usb)  # the USB stick taken away
    with qtbot.waitSignal(tab.loaded):
        tab.reload()
    assert tab.folder_button.isEnabled()
    assert tab.folder_button.toolTip() == (f"Thư mục {usb} không còn tệp gói (USB đã rút ra?): "
                                           f"mở bản lưu trên máy, {kept}")
    tab.folder_button.click()
    assert opened[-1] == QUrl.fromLocalFile(str(kept))
    assert tab.folder_note.text() == f"Đã mở bản lưu trên máy ({kept}): thư mục {usb} không còn tệp gói."

    shutil.rmtree(kept)
    with qtbot.waitSignal(tab.loaded):
        tab.reload()
    assert not tab.folder_button.isEnabled()
    assert tab.folder_button.toolTip() == (f"Thư mục {usb} không còn tệp gói (USB đã rút ra?), "
                                           "trên máy cũng không có bản lưu")


def test_the_wizard_opened_from_the_tab_adds_the_package_it_exports(
        qtbot: QtBot, demo_services: Services, tmp_path: Path, usb: Path, read_pool: QThreadPool,
        write_pool: QThreadPool) -> None:
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool)
    assert tab.summary.text().startswith("Chưa xuất gói hồ sơ nào gửi tỉnh. Bấm «Xuất gói hồ sơ…»")
    tab.export_button.click()
    wizard = tab.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.choose_page.model.rowCount() == 1)
    wizard.choose_page.all_button.click()
    wizard.next()
    wizard.folder_page.set_folder(usb)
    with qtbot.waitSignal(tab.changed, timeout=TIMEOUT_MS), qtbot.waitSignal(tab.records_loaded, timeout=TIMEOUT_MS):
        wizard.next()
    assert [row[PackageColumn.SEQUENCE] for row in package_texts(tab)] == ["1"]
    assert tab.selected() is not None and tab.selected().sequence == 1  # the new package is chosen
    assert record_texts(tab)[0][RecordColumn.SUBJECT] == "Vũ Đình Thắng"
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert not wizard.isVisible()


def test_a_viewer_sees_the_packages_and_may_check_a_file_but_not_export_import_or_take_back(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path,
        read_pool: QThreadPool, write_pool: QThreadPool) -> None:
    viewer = Services.create(demo_services.sessions, Actor(None, "xem", "Người xem", Role.VIEWER))
    tab = open_tab(qtbot, viewer, tmp_path, read_pool, write_pool)
    assert not tab.export_button.isVisibleTo(tab)
    assert not tab.ack_button.isVisibleTo(tab)
    assert not tab.adopt_button.isVisibleTo(tab)
    assert tab.verify_button.isVisibleTo(tab) and tab.folder_button.isVisibleTo(tab)
    assert len(package_texts(tab)) == 1
