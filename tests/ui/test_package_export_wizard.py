"""«Xuất gói hồ sơ gửi tỉnh»: the wizard offers only the ready nominations (the others greyed
with their reason), remembers the folder, writes and verifies a real package on the write
pool, and after a cancel or a failure writes nothing and can be tried again."""

from __future__ import annotations

import shutil
from collections import namedtuple
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWizard
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.nomination_states import Procedure
from app.package.export import ExportResult
from app.services import Services
from app.subject_data import IndividualData
from ui import package_export_wizard
from ui.package_candidates import NO_CANDIDATES, CandidateColumn
from ui.package_export_wizard import CANCELLED, PackageExportWizard
from ui.settings import Settings

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
EXPORT_TIMEOUT_MS = 60_000


def checked_not_proposed(services: Services) -> int:
    """A rescuer's Bằng khen tỉnh checked but not yet proposed: not ready for the province."""
    subject_id = services.subjects.create(IndividualData("Đỗ Văn Chưa", "male", employment="nong_dan")).id
    nomination_id = services.nominations.create(
        subject_id=subject_id, award_code="BK_TINH", year=2026, procedure=Procedure.SIMPLIFIED,
        event_date=date(2026, 10, 5), achievement_summary="Cứu một em nhỏ đuối nước")
    services.nominations.check(nomination_id, date(2026, 10, 12))
    return nomination_id


def open_wizard(qtbot: QtBot, services: Services, tmp_path: Path, write_pool: QThreadPool,
                read_pool: QThreadPool, settings: Settings | None = None) -> PackageExportWizard:
    wizard = PackageExportWizard(services, tmp_path, read_pool, write_pool, settings)
    qtbot.addWidget(wizard)
    with qtbot.waitSignal(wizard.choose_page.loaded):
        wizard.show()
    return wizard


def rows(wizard: PackageExportWizard) -> list[list[str]]:
    model = wizard.choose_page.model
    return [[model.index(row, column).data() for column in CandidateColumn] for row in range(model.rowCount())]


def next_button(wizard: PackageExportWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def to_export(qtbot: QtBot, wizard: PackageExportWizard, folder: Path) -> None:
    """Tick every ready nomination, choose `folder`, and wait for the export to end."""
    wizard.choose_page.all_button.click()
    wizard.next()
    wizard.folder_page.set_folder(folder)
    with qtbot.waitSignal(wizard.export_page.finished, timeout=EXPORT_TIMEOUT_MS):
        wizard.next()


def test_only_ready_nominations_can_be_ticked_the_others_say_why(
        qtbot: QtBot, demo_services: Services, tmp_path: Path, write_pool: QThreadPool, read_pool: QThreadPool,
        qtmodeltester: ModelTester) -> None:
    checked_not_proposed(demo_services)
    wizard = open_wizard(qtbot, demo_services, tmp_path, write_pool, read_pool)
    model = wizard.choose_page.model
    qtmodeltester.check(model)
    assert rows(wizard) == [  # by year, then name in Vietnamese order
        ["Đỗ Văn Chưa", "Bằng khen của Chủ tịch UBND tỉnh", "2026", "Đã kiểm tra điều kiện", "Đủ điều kiện",
         "Chưa gửi", "Chưa trình cấp trên: đề nghị đang ở bước «Đã kiểm tra điều kiện»"],
        ["Vũ Đình Thắng", "Bằng khen của Chủ tịch UBND tỉnh", "2026", "Đã trình cấp trên", "Đủ điều kiện",
         "Chưa gửi", ""]]
    waiting, ready = model.index(0, CandidateColumn.SUBJECT), model.index(1, CandidateColumn.SUBJECT)
    assert model.flags(ready) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.flags(waiting) & Qt.ItemFlag.ItemIsUserCheckable
    assert waiting.data(Qt.ItemDataRole.CheckStateRole) is None
    assert not model.setData(waiting, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert waiting.data(Qt.ItemDataRole.ToolTipRole) == (
        "Chưa gửi được:\n– Chưa trình cấp trên: đề nghị đang ở bước «Đã kiểm tra điều kiện»")
    assert waiting.data(Qt.ItemDataRole.ForegroundRole) != ready.data(Qt.ItemDataRole.ForegroundRole)
    assert wizard.choose_page.summary.text() == "1 đề nghị sẵn sàng gửi tỉnh, 1 chưa gửi được. Đã chọn 0."
    assert not next_button(wizard)  # nothing ticked yet

    wizard.choose_page.table.selectRow(0)
    assert wizard.choose_page.detail.text() == (
        "Đỗ Văn Chưa chưa gửi được: Chưa trình cấp trên: đề nghị đang ở bước «Đã kiểm tra điều kiện».")
    wizard.choose_page.all_button.click()
    assert model.checked_ids() == [model.row(1).nomination_id]
    assert wizard.choose_page.summary.text().endswith("Đã chọn 1.")
    assert next_button(wizard)
    wizard.choose_page.none_button.click()
    assert not next_button(wizard)


def test_the_export_writes_verifies_and_says_where_then_the_nomination_waits_for_the_province(
        qtbot: QtBot, demo_services: Services, tmp_path: Path, usb: Path, write_pool: QThreadPool,
        read_pool: QThreadPool, settings: Settings) -> None:
    wizard = open_wizard(qtbot, demo_services, tmp_path, write_pool, read_pool, settings)
    exported = []
    wizard.exported.connect(exported.append)
    to_export(qtbot, wizard, usb)

    [written] = list(usb.glob("*.zip"))
    [result] = exported
    assert result.path == written and result.sequence == 1
    text = wizard.result_text()
    assert text.startswith("Đã ghi và kiểm tra lại gói hồ sơ số 1: 1 hồ sơ.")
    assert f"Tệp: {written}" in text
    assert f"Gói {written.name} hợp lệ." in text
    box = wizard.export_page.hash_box
    assert box.isVisibleTo(wizard)
    assert box.caption.text() == "Mã SHA-256 của tệp gói số 1:"
    assert box.code.text() == result.file_sha256 and len(box.code.text()) == 64  # whole, for the cover letter
    assert box.advice.text().startswith("Ghi đầy đủ mã này vào công văn (tờ trình) gửi kèm gói hồ sơ")
    box.copy_button.click()
    assert QGuiApplication.clipboard().text() == result.file_sha256
    assert wizard.export_page.isComplete()
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()  # recorded: no second run
    assert settings.package_folder == str(usb)

    again = open_wizard(qtbot, demo_services, tmp_path, write_pool, read_pool, settings)
    [row] = again.choose_page.model.rows()
    assert not row.ready and row.last_sent == "Gói số 1 ngày 20/11/2026: chờ biên nhận"
    assert rows(again)[0][CandidateColumn.REASONS].startswith("Đã gửi trong gói số 1 ngày 20/11/2026")
    again.next()
    assert again.folder_page.chosen() == usb  # remembered


def test_cancel_writes_nothing_and_the_export_can_run_again(
        qtbot: QtBot, demo_services: Services, tmp_path: Path, usb: Path, write_pool: QThreadPool,
        read_pool: QThreadPool) -> None:
    wizard = open_wizard(qtbot, demo_services, tmp_path, write_pool, read_pool)
    wizard.choose_page.all_button.click()
    wizard.next()
    wizard.folder_page.set_folder(usb)
    with qtbot.waitSignal(wizard.export_page.finished, timeout=EXPORT_TIMEOUT_MS):
        wizard.next()
        assert wizard.export_page.stop_button.isVisible()
        assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()  # one «Hủy»: the page's
        wizard.export_page.stop_button.click()
    assert wizard.result_text() == CANCELLED
    assert list(usb.iterdir()) == []
    assert demo_services.packages.packages() == []
    assert wizard.export_page.retry_button.isVisible()
    assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()

    with qtbot.waitSignal(wizard.export_page.finished, timeout=EXPORT_TIMEOUT_MS):
        wizard.export_page.retry_button.click()
    assert wizard.export_page.isComplete()
    assert [row.sequence for row in demo_services.packages.packages()] == [1]


def test_a_folder_gone_mid_way_is_said_and_another_try_succeeds(
        qtbot: QtBot, demo_services: Services, tmp_path: Path, usb: Path, write_pool: QThreadPool,
        read_pool: QThreadPool) -> None:
    wizard = open_wizard(qtbot, demo_services, tmp_path, write_pool, read_pool)
    wizard.choose_page.all_button.click()
    wizard.next()
    wizard.folder_page.set_folder(usb)
    usb.rmdir()  # the USB stick pulled out after it was chosen
    with qtbot.waitSignal(wizard.export_page.finished, timeout=EXPORT_TIMEOUT_MS):
        wizard.next()
    assert wizard.result_text().startswith(
        f"Chưa xuất được gói hồ sơ: Không tìm thấy thư mục {usb} để ghi gói hồ sơ; hãy chọn thư mục khác.")
    assert "«Thử lại»" in wizard.result_text()
    assert not wizard.export_page.isComplete()
    assert demo_services.packages.packages() == []

    assert not wizard.export_page.hash_box.isVisibleTo(wizard)
    usb.mkdir()  # plugged in again
    with qtbot.waitSignal(wizard.export_page.finished, timeout=EXPORT_TIMEOUT_MS):
        wizard.export_page.retry_button.click()
    assert wizard.export_page.isComplete()
    assert len(list(usb.glob("*.zip"))) == 1


def test_closing_the_wizard_mid_export_cancels_it_first(
        qtbot: QtBot, demo_services: Services, tmp_path: Path, usb: Path, write_pool: QThreadPool,
        read_pool: QThreadPool) -> None:
    wizard = open_wizard(qtbot, demo_services, tmp_path, write_pool, read_pool)
    wizard.choose_page.all_button.click()
    wizard.next()
    wizard.folder_page.set_folder(usb)
    wizard.next()
    with qtbot.waitSignal(wizard.rejected, timeout=EXPORT_TIMEOUT_MS):
        wizard.reject()
        assert wizard.isVisible()  # until the export has stopped
    assert list(usb.iterdir()) == []
    assert demo_services.packages.packages() == []


def test_the_folder_page_shows_free_space_and_warns_when_low(
        qtbot: QtBot, demo_services: Services, tmp_path: Path, usb: Path, write_pool: QThreadPool,
        read_pool: QThreadPool, monkeypatch: pytest.MonkeyPatch) -> None:
    wizard = open_wizard(qtbot, demo_services, tmp_path, write_pool, read_pool)
    wizard.choose_page.all_button.click()
    wizard.next()
    assert not next_button(wizard)  # no folder yet
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(package_export_wizard.shutil, "disk_usage",
                        lambda _path: usage(8 * 1024 ** 3, 8 * 1024 ** 3 - 120 * 1024 ** 2, 120 * 1024 ** 2))
    wizard.folder_page.set_folder(usb)
    assert wizard.folder_page.space.text() == "Ổ chứa thư mục này còn trống 120,0 MB."
    assert wizard.folder_page.warning.isVisibleTo(wizard)
    assert wizard.folder_page.warning.text().startswith("Ổ này chỉ còn 120,0 MB trống")
    assert next_button(wizard)  # a warning, not a refusal: the export itself says when it does not fit
    monkeypatch.setattr(package_export_wizard.shutil, "disk_usage", shutil.disk_usage)
    monkeypatch.setattr(package_export_wizard.QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *_args: str(tmp_path)))
    wizard.folder_page.choose_button.click()
    assert wizard.folder_page.chosen() == tmp_path


def test_nothing_to_send_is_explained(qtbot: QtBot, services: Services, tmp_path: Path,
                                      write_pool: QThreadPool, read_pool: QThreadPool) -> None:
    wizard = open_wizard(qtbot, services, tmp_path, write_pool, read_pool)
    assert wizard.choose_page.summary.text() == NO_CANDIDATES
    assert not wizard.choose_page.all_button.isEnabled()
    assert not next_button(wizard)


def test_a_package_this_database_lost_refuses_the_export_and_points_to_taking_it_back(
        qtbot: QtBot, exported: ExportResult, restored: Services, tmp_path: Path, usb: Path,
        write_pool: QThreadPool, read_pool: QThreadPool) -> None:
    """Restored from a backup older than package 1, the database would number its next one 1
    again: the file in the folder stops it, and the page says how to take that package back."""
    wizard = open_wizard(qtbot, restored, tmp_path / "restored", write_pool, read_pool)
    to_export(qtbot, wizard, usb)
    text = wizard.result_text()
    assert text.startswith("Chưa xuất được gói hồ sơ: ")
    assert exported.path.name in text
    assert "«Nhận lại gói đã gửi…»" in text
    assert wizard.export_page.status.wordWrap()
    assert not wizard.export_page.isComplete() and not wizard.export_page.hash_box.isVisibleTo(wizard)
    assert restored.packages.packages() == []
    assert [path.name for path in usb.iterdir()] == [exported.path.name]  # left as it was
