"""The «Gửi tỉnh» tab: the packages newest first with the ones waiting too long counted and
highlighted, the records of the package chosen, a package file checked (good and tampered),
acknowledgements imported (applied, repeated, contradicting, refused), the folder opened,
and a viewer offered neither export nor import."""

from __future__ import annotations

import json
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool, QUrl
from PySide6.QtWidgets import QWizard
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.package.acks import ack_document
from app.package.format import canonical_json
from app.package.export import ExportResult
from app.roles import Actor, Role
from app.services import Services
from tests.app.package.package_rows import PROVINCE, approved, package_rows, proposed_sudden
from ui import packages_tab
from ui.package_tables import OVERDUE_BACKGROUND, PackageColumn, RecordColumn
from ui.packages_tab import PackagesTab
from ui.settings import Settings

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
TIMEOUT_MS = 60_000
NOT_APPROVED = {"status": "not_approved", "reason": "Đề nghị xã khen bằng Giấy khen"}


@pytest.fixture
def read_pool() -> Iterator[QThreadPool]:
    pool = QThreadPool()
    pool.setMaxThreadCount(2)
    yield pool
    pool.waitForDone()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture
def exported(demo_services: Services, usb: Path, tmp_path: Path) -> ExportResult:
    """The demo's nomination proposed to the province, exported for real into `usb`."""
    ready = [row.nomination_id for row in demo_services.packages.candidates() if row.ready]
    return demo_services.packages.export(ready, usb, tmp_path)


def open_tab(qtbot: QtBot, services: Services, tmp_path: Path, read_pool: QThreadPool,
             write_pool: QThreadPool, settings: Settings | None = None) -> PackagesTab:
    tab = PackagesTab(services, tmp_path, read_pool, write_pool, settings)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    with qtbot.waitSignal(tab.loaded):
        tab.reload()
    return tab


def choose(qtbot: QtBot, tab: PackagesTab, position: int) -> None:
    with qtbot.waitSignal(tab.records_loaded):
        tab.table.select_position(position)


def package_texts(tab: PackagesTab) -> list[list[str]]:
    return [[tab.table.model().index(row, column).data() for column in PackageColumn]
            for row in range(tab.table.model().rowCount())]


def record_texts(tab: PackagesTab) -> list[list[str]]:
    return [[tab.records.index(row, column).data() for column in RecordColumn] for row in range(tab.records.rowCount())]


def ack(folder: Path, result: ExportResult, answer: dict, name: str = "bien-nhan.json") -> Path:
    """The province's acknowledgement giving `answer` to every record of the package written."""
    with zipfile.ZipFile(result.path) as package:
        manifest = json.loads(package.read("manifest.json"))
    document = ack_document(manifest, {record["uuid"]: answer for record in manifest["records"]},
                            ack_uuid=str(uuid.uuid4()), issued_at="2026-11-20T15:00:00+07:00", issuer=PROVINCE,
                            package_sha256=result.file_sha256)
    path = folder / name
    path.write_bytes(canonical_json(document))
    return path


def run(qtbot: QtBot, tab: PackagesTab, start: object) -> str:
    """Start a file task (verify, import) and return what its result window says."""
    with qtbot.waitSignal(tab.task_finished, timeout=TIMEOUT_MS):
        start()
    assert tab.result_dialog is not None
    return tab.result_dialog.text()


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
    text = run(qtbot, tab, lambda: tab.verify_file(exported.path))
    assert tab.result_dialog.ok
    assert f"Gói {exported.path.name} hợp lệ." in text
    assert f"Mã SHA-256 của tệp gói: {exported.file_sha256}." in text

    tampered = tmp_path / "sua" / exported.path.name
    tampered.parent.mkdir()
    data = bytearray(exported.path.read_bytes())
    at = data.index(b"%PDF") + 200  # inside a stored PDF: the zip still opens, the hash no longer matches
    data[at] ^= 0x01
    tampered.write_bytes(bytes(data))
    text = run(qtbot, tab, lambda: tab.verify_file(tampered))
    assert not tab.result_dialog.ok
    assert "KHÔNG hợp lệ" in text
    assert ".pdf" in text.split("KHÔNG hợp lệ", 1)[1]  # the damaged document is named


def test_an_acknowledgement_updates_the_package_and_its_records_and_twice_changes_nothing(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path,
        read_pool: QThreadPool, write_pool: QThreadPool) -> None:
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool)
    choose(qtbot, tab, 0)
    path = ack(tmp_path, exported, approved())
    with qtbot.waitSignal(tab.changed), qtbot.waitSignal(tab.records_loaded, timeout=TIMEOUT_MS):
        text = run(qtbot, tab, lambda: tab.import_ack_file(path))
    assert tab.result_dialog.ok
    assert text.startswith("Đã nhập biên nhận của gói số 1: 1 hồ sơ được cập nhật, 0 hồ sơ không đổi.")
    assert ("«Vũ Đình Thắng» — Bằng khen của Chủ tịch UBND tỉnh năm 2026: tỉnh khen thưởng, quyết định số "
            "1234/QĐ-UBND ngày 18/11/2026 của Chủ tịch UBND tỉnh Đồng Nai") in text
    assert package_texts(tab)[0][PackageColumn.STATE:] == ["Tỉnh đã trả lời đủ", ""]
    assert record_texts(tab)[0][RecordColumn.STATUS:] == [
        "Tỉnh đã khen thưởng", "Quyết định số 1234/QĐ-UBND ngày 18/11/2026 của Chủ tịch UBND tỉnh Đồng Nai"]

    text = run(qtbot, tab, lambda: tab.import_ack_file(path))
    assert text.startswith("Biên nhận này của gói số 1 đã được nhập trước đây; không có gì thay đổi.")


def test_a_contradicting_acknowledgement_is_shown_as_a_conflict_and_nothing_is_applied(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path,
        read_pool: QThreadPool, write_pool: QThreadPool) -> None:
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool)
    run(qtbot, tab, lambda: tab.import_ack_file(ack(tmp_path, exported, approved())))
    contradicting = ack(tmp_path, exported, NOT_APPROVED, name="bien-nhan-2.json")
    text = run(qtbot, tab, lambda: tab.import_ack_file(contradicting))
    dialog = tab.result_dialog
    assert not dialog.ok and dialog.windowTitle() == "Biên nhận mâu thuẫn"
    assert text.startswith("Biên nhận mâu thuẫn với kết quả đã ghi nhận trước đây (1 điểm). "
                           "Không áp dụng nội dung nào của biên nhận này")
    assert "Vũ Đình Thắng" in dialog.lines.toPlainText()
    choose(qtbot, tab, 0)
    assert record_texts(tab)[0][RecordColumn.STATUS] == "Tỉnh đã khen thưởng"  # the first answer stands


def test_a_file_that_is_no_acknowledgement_is_refused_with_its_reason(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path,
        read_pool: QThreadPool, write_pool: QThreadPool) -> None:
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool)
    wrong = tmp_path / "khac.json"
    wrong.write_text('{"format": "khac"}', encoding="utf-8")
    text = run(qtbot, tab, lambda: tab.import_ack_file(wrong))
    assert not tab.result_dialog.ok and tab.result_dialog.windowTitle() == "Không nhập được biên nhận"
    assert text.startswith("Không nhập được biên nhận; không có gì thay đổi.\n")
    assert len(text.splitlines()) >= 2  # the service's reason follows
    assert package_texts(tab)[0][PackageColumn.STATE] == "Chờ biên nhận"


def test_the_buttons_ask_for_a_file_and_open_the_folder_while_it_exists(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path, usb: Path,
        read_pool: QThreadPool, write_pool: QThreadPool, monkeypatch: pytest.MonkeyPatch) -> None:
    tab = open_tab(qtbot, demo_services, tmp_path, read_pool, write_pool)
    assert not tab.folder_button.isEnabled()  # no package chosen
    choose(qtbot, tab, 0)
    opened: list[QUrl] = []
    monkeypatch.setattr(packages_tab.QDesktopServices, "openUrl", staticmethod(opened.append))
    tab.folder_button.click()
    assert opened == [QUrl.fromLocalFile(str(usb))]

    asked: list[str] = []

    def chosen(_parent: object, caption: str, _start: str, _filter: str) -> tuple[str, str]:
        asked.append(caption)
        return str(exported.path), ""

    monkeypatch.setattr(packages_tab.QFileDialog, "getOpenFileName", staticmethod(chosen))
    with qtbot.waitSignal(tab.task_finished, timeout=TIMEOUT_MS):
        tab.verify_button.click()
    assert asked == ["Chọn tệp gói hồ sơ cần kiểm tra"] and tab.result_dialog.ok

    for file in usb.iterdir():
        file.unlink()
    usb.rmdir()  # the USB stick taken away
    with qtbot.waitSignal(tab.loaded):
        tab.reload()
    assert not tab.folder_button.isEnabled()
    assert "không còn" in tab.folder_button.toolTip()


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


def test_a_viewer_sees_the_packages_and_may_check_a_file_but_not_export_or_import(
        qtbot: QtBot, demo_services: Services, exported: ExportResult, tmp_path: Path,
        read_pool: QThreadPool, write_pool: QThreadPool) -> None:
    viewer = Services.create(demo_services.sessions, Actor(None, "xem", "Người xem", Role.VIEWER))
    tab = open_tab(qtbot, viewer, tmp_path, read_pool, write_pool)
    assert not tab.export_button.isVisibleTo(tab)
    assert not tab.ack_button.isVisibleTo(tab)
    assert tab.verify_button.isVisibleTo(tab) and tab.folder_button.isVisibleTo(tab)
    assert len(package_texts(tab)) == 1
