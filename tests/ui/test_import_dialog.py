"""The import dialog driven like an officer would: check a file, resolve duplicates, import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.excel_preview import Duplicate, ImportPreview, Resolution, RowError
from app.services import Services
from app.subject_data import IndividualData
from tests.app.test_excel_import import filled_template
from ui.import_dialog import ImportDialog, start_export
from ui.import_preview import PreviewColumn, PreviewModel, lines_of

# The offscreen platform cannot raise or grab for pop-ups.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def known(services: Services) -> int:
    return services.subjects.create(IndividualData(
        "Lê Văn Nam", "male", date(1985, 1, 2), citizen_id="001085000001", residence="Xóm 1")).id


@pytest.fixture
def dialog(qtbot: QtBot, services: Services, write_pool: QThreadPool,
           monkeypatch: pytest.MonkeyPatch) -> ImportDialog:
    monkeypatch.setattr("ui.import_dialog.confirm", lambda *_args: True)
    shown = ImportDialog(services, write_pool)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def check(qtbot: QtBot, dialog: ImportDialog, kind: str, path: Path) -> ImportPreview:
    with qtbot.waitSignal(dialog.checked, timeout=10_000) as checked:
        dialog.set_kind(kind)
        dialog.set_path(path)
    qtbot.waitUntil(lambda: not dialog.is_busy())
    return checked.args[0]


def test_preview_model_passes_the_model_tester(qtmodeltester: object, tmp_path: Path) -> None:
    model = PreviewModel()
    model.set_rows(lines_of(ImportPreview(
        "individuals", tmp_path / "x.xlsx", (),
        (RowError(3, "Ngày sinh", "ngày 31/02/1980 không tồn tại."), RowError(5, None, "lỗi")),
        (Duplicate(4, "«Lê Văn Nam»", "cùng số CCCD 001085000001", "«Lê Văn Nam» đã có trong sổ",
                   "individual", 1),),
        5,
    )))
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert [model.index(r, PreviewColumn.ROW).data() for r in range(3)] == ["3", "4", "5"]
    action = model.index(1, PreviewColumn.ACTION)
    assert action.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.setData(action, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.resolutions() == {4: Resolution.MERGE}
    assert action.data() == "Gộp vào"
    assert not model.setData(model.index(0, PreviewColumn.ACTION), Qt.CheckState.Checked.value,
                             Qt.ItemDataRole.CheckStateRole)


def test_checking_then_importing_with_a_merged_duplicate(
    qtbot: QtBot, dialog: ImportDialog, services: Services, known: int, tmp_path: Path
) -> None:
    path = filled_template(tmp_path, "individuals", [
        ["Trần Thị Hoa", "Nữ", "01/02/1990"],
        ["Lê Văn Nam", "Nam", None, "001085000001", None, None, None, "Xóm 7"],
    ])

    preview = check(qtbot, dialog, "individuals", path)

    assert len(preview.duplicates) == 1
    assert dialog.summary.text() == "Đã đọc 2 dòng: 1 dòng mới, 1 dòng có thể trùng."
    assert dialog.model.rowCount() == 1
    assert dialog.import_button.isEnabled()
    assert services.subjects.count() == 1  # nothing written by the check

    action = dialog.model.index(0, PreviewColumn.ACTION)
    dialog.model.setData(action, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy())

    result = imported.args[0]
    assert (result.created, result.updated) == (1, 1)
    assert dialog.summary.text() == "Đã nhập 1 mục mới, cập nhật 1 mục đã có. Dữ liệu đã được ghi vào sổ."
    assert not dialog.import_button.isEnabled()
    assert services.subjects.data(known).residence == "Xóm 7"
    assert services.subjects.count() == 2


def test_a_file_with_errors_cannot_be_imported(
    qtbot: QtBot, dialog: ImportDialog, services: Services, tmp_path: Path
) -> None:
    path = filled_template(tmp_path, "individuals", [
        ["Trần Thị Hoa", "Nữ", "01/02/1990"],
        ["Phạm Văn Tư", "Nam", "31/02/1980"],
    ])

    check(qtbot, dialog, "individuals", path)

    assert not dialog.import_button.isEnabled()
    assert "1 lỗi ở 1 dòng" in dialog.summary.text()
    assert dialog.model.index(0, PreviewColumn.MESSAGE).data() == "ngày 31/02/1980 không tồn tại."
    assert dialog.model.index(0, PreviewColumn.COLUMN).data() == "Ngày sinh"
    dialog.start_import()  # refused even when called directly
    assert not dialog.is_busy()
    assert services.subjects.count() == 0


def test_an_unreadable_file_is_explained(qtbot: QtBot, dialog: ImportDialog, tmp_path: Path) -> None:
    path = tmp_path / "ds.xlsx"
    path.write_text("Tên;Loại\n", encoding="utf-8")
    with qtbot.waitSignal(dialog.task_finished, timeout=10_000):
        dialog.set_path(path)
    assert dialog.summary.text().startswith("Tệp ds.xlsx không phải bảng tính Excel .xlsx")
    assert not dialog.import_button.isEnabled()


def test_stopping_a_check_reports_that_nothing_was_written(
    qtbot: QtBot, dialog: ImportDialog, tmp_path: Path
) -> None:
    path = filled_template(tmp_path, "villages", [[f"Thôn {i}"] for i in range(5000)])
    with qtbot.waitSignal(dialog.task_finished, timeout=10_000):
        dialog.set_kind("villages")
        dialog.set_path(path)
        assert dialog.stop_button.isVisible()
        qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text() == "Đã dừng theo yêu cầu; không có dữ liệu nào được ghi."
    assert dialog.preview is None
    assert not dialog.stop_button.isVisible()


def test_changing_the_kind_checks_the_file_again(
    qtbot: QtBot, dialog: ImportDialog, tmp_path: Path
) -> None:
    path = filled_template(tmp_path, "villages", [["Thôn 1"]])
    check(qtbot, dialog, "villages", path)
    with qtbot.waitSignal(dialog.task_finished, timeout=10_000):
        dialog.set_kind("individuals")
    assert "thiếu cột «Họ và tên», «Giới tính»" in dialog.summary.text()
    assert dialog.preview is None


def test_saving_the_template_of_the_chosen_kind(
    dialog: ImportDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("ui.import_dialog.show_info", lambda _parent, _title, text: shown.append(text))
    dialog.set_kind("households")
    dialog.save_template(tmp_path / "ho.xlsx")
    assert load_workbook(tmp_path / "ho.xlsx").sheetnames[0] == "Hộ gia đình"
    assert shown and "Hộ gia đình" in shown[0]


def test_export_runs_in_the_background_and_reports(
    qtbot: QtBot, services: Services, known: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("ui.import_dialog.show_info", lambda _parent, _title, text: shown.append(text))
    parent = QWidget()
    qtbot.addWidget(parent)
    pool = QThreadPool()
    task = start_export(parent, services, "individuals", pool, tmp_path / "ca-nhan.xlsx")
    assert task is not None
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    pool.waitForDone()
    assert shown == [f"Đã xuất 1 dòng «Cá nhân» ra tệp {tmp_path / 'ca-nhan.xlsx'}."]
    rows = list(load_workbook(tmp_path / "ca-nhan.xlsx")["Cá nhân"].iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == "Lê Văn Nam"
