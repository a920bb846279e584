"""`tdkt template`, `tdkt import`, `tdkt export`: output, exit codes, nothing written on errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import sessionmaker

from app.roles import SYSTEM_ACTOR
from app.services import Services
from app.subject_data import IndividualData
from db.migrate import open_database
from tests.conftest import DatabaseFile, as_officer
from tests.app.test_excel_import import filled_template
from ui.main import main

pytestmark = pytest.mark.usefixtures("officer_password")


@pytest.fixture
def register(database_file: DatabaseFile) -> Path:
    return database_file(
        lambda services: services.subjects.create(IndividualData("Lê Văn Nam", "male", citizen_id="001085000001")))


def people(register: Path) -> list[str]:
    database = open_database(register)
    try:
        services = Services.create(sessionmaker(database.engine, expire_on_commit=False), SYSTEM_ACTOR)
        return [row.name for row in services.subjects.rows("individual")]
    finally:
        database.close()


def test_template_command_writes_the_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mau.xlsx"
    assert main(["template", "villages", str(path)]) == 0
    assert load_workbook(path).sheetnames[0] == "Thôn, tổ dân phố"
    assert "Đã lưu tệp mẫu «Thôn, tổ dân phố»" in capsys.readouterr().out


def test_import_commits_and_skips_duplicates_by_default(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = filled_template(tmp_path, "individuals", [
        ["Lê Văn Nam", "Nam", None, "001085000001", None, None, None, "Xóm 9"],
        ["Trần Thị Hoa", "Nữ", "01/02/1990"],
    ])

    assert main([*as_officer(register), "import", "individuals", str(path)]) == 0

    out = capsys.readouterr().out
    assert "Dòng 2: «Lê Văn Nam» trùng với «Lê Văn Nam» đã có trong sổ (cùng số CCCD 001085000001)." in out
    assert "Đã nhập 1 mục mới, bỏ qua 1 dòng trùng." in out
    assert people(register) == ["Trần Thị Hoa", "Lê Văn Nam"]


def test_import_can_merge_duplicates(register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = filled_template(tmp_path, "individuals", [["Lê Văn Nam", "Nam", None, "001085000001"]])
    assert main([*as_officer(register), "import", "individuals", str(path), "--merge-duplicates"]) == 0
    assert "Đã nhập 0 mục mới, cập nhật 1 mục đã có." in capsys.readouterr().out


def test_dry_run_writes_nothing(register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = filled_template(tmp_path, "individuals", [["Trần Thị Hoa", "Nữ", "01/02/1990"]])
    assert main([*as_officer(register), "import", "individuals", str(path), "--dry-run"]) == 0
    assert "Đã đọc 1 dòng: 1 dòng mới." in capsys.readouterr().out
    assert people(register) == ["Lê Văn Nam"]


def test_file_with_errors_exits_1_with_the_errors_on_stderr(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = filled_template(tmp_path, "individuals", [
        ["Trần Thị Hoa", "Nữ", "01/02/1990"],
        ["Phạm Văn Tư", "Nam", "31/02/1980"],
    ])

    assert main([*as_officer(register), "import", "individuals", str(path)]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Dòng 3, cột «Ngày sinh»: ngày 31/02/1980 không tồn tại." in captured.err
    assert people(register) == ["Lê Văn Nam"]


def test_unreadable_file_exits_1(register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ds.xlsx"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    assert main([*as_officer(register), "import", "villages", str(path)]) == 1
    assert capsys.readouterr().err.startswith("Lỗi: Tệp ds.xlsx không phải bảng tính Excel .xlsx")


def test_unknown_kind_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["import", "people", str(tmp_path / "x.xlsx")])
    assert raised.value.code == 2
    assert "people" in capsys.readouterr().err


def test_missing_file_argument_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as raised:
        main(["export", "villages"])
    assert raised.value.code == 2


def test_export_command_writes_the_register(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ca-nhan.xlsx"
    assert main([*as_officer(register), "export", "individuals", str(path)]) == 0
    assert "Đã xuất 1 dòng «Cá nhân»" in capsys.readouterr().out
    rows = list(load_workbook(path)["Cá nhân"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[3]) for r in rows] == [("Lê Văn Nam", "Nam", "001085000001")]
