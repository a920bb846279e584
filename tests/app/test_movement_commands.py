"""`tdkt movements` and `tdkt registrations import|template`: output, exit codes, nothing
written when a row is wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import sessionmaker

from app.movements import LAUNCHED, RUNNING, MovementPlan
from app.roles import SYSTEM_ACTOR
from app.services import Services
from app.subject_data import IndividualData
from db.migrate import open_database
from tests.app.test_excel_year_sheets import template
from tests.conftest import DatabaseFile, as_officer
from ui.main import main

pytestmark = pytest.mark.usefixtures("officer_password")


def fill(services: Services) -> None:
    services.subjects.create(IndividualData("Lê Thị Hoa", "female"))
    regular = services.movements.create(MovementPlan(2026, "regular", "Thi đua yêu nước 2026", "02/KH-UBND"))
    services.movements.advance(regular.id, LAUNCHED, date(2026, 1, 10))
    services.movements.advance(regular.id, RUNNING, date(2026, 1, 20))
    services.movements.create(MovementPlan(2026, "thematic", "Chuyển đổi số", starts_on=date(2026, 5, 1),
                                           ends_on=date(2026, 10, 31)))


@pytest.fixture
def database(database_file: DatabaseFile) -> Path:
    return database_file(fill)


def registrations(path: Path) -> list[tuple[str, str]]:
    opened = open_database(path)
    try:
        services = Services.create(sessionmaker(opened.engine, expire_on_commit=False), SYSTEM_ACTOR)
        return [(r.subject_name, r.award_code) for r in services.registrations.rows_for_year(2026)]
    finally:
        opened.close()


def test_movements_lists_the_year(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*as_officer(database), "movements", "--year", "2026"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Phong trào thi đua năm 2026:",
        "[1] Thi đua yêu nước 2026 (thường xuyên, Số: 02/KH-UBND)",
        "    Trạng thái: Đang triển khai; thời gian: 01/01/2026 – 31/12/2026; đăng ký: 0",
        "    phát động 10/01/2026; triển khai 20/01/2026",
        "[2] Chuyển đổi số (theo chuyên đề, theo đợt)",
        "    Trạng thái: Dự thảo kế hoạch; thời gian: 01/05/2026 – 31/10/2026; đăng ký: 0",
    ]
    assert main([*as_officer(database), "movements", "--year", "2024"]) == 0
    assert capsys.readouterr().out == "Năm 2024 chưa có phong trào thi đua nào.\n"


def test_import_writes_a_good_file(database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = template(tmp_path, [[None, "Lê Thị Hoa", None, None, "Lao động tiên tiến", "15/01/2026"]])
    assert main([*as_officer(database), "registrations", "import", str(path), "--movement", "1"]) == 0
    assert "Đã ghi 1 đăng ký vào phong trào «Thi đua yêu nước 2026»." in capsys.readouterr().out
    assert registrations(database) == [("Lê Thị Hoa", "LDTT")]


def test_dry_run_writes_nothing(database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = template(tmp_path, [[None, "Lê Thị Hoa", None, None, "LDTT", "15/01/2026"]])
    assert main([*as_officer(database), "registrations", "import", str(path), "--movement", "1", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Đã đọc 1 dòng: 1 đăng ký hợp lệ." in out and "chưa ghi gì" in out
    assert registrations(database) == []


def test_a_wrong_row_exits_1_with_the_errors_and_writes_nothing(database: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = template(tmp_path, [
        [None, "Lê Thị Hoa", None, None, "LDTT", "15/01/2026"],
        [None, "Không Có Ai", None, None, "LDTT", "15/01/2026"],
    ])
    assert main([*as_officer(database), "registrations", "import", str(path), "--movement", "1"]) == 1
    err = capsys.readouterr().err
    assert "Dòng 3, cột «Họ và tên / Tên đối tượng»: không có đối tượng «Không Có Ai» trong sổ." in err
    assert registrations(database) == []


def test_a_draft_movement_or_unknown_id_is_refused(database: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = template(tmp_path, [[None, "Lê Thị Hoa", None, None, "LDTT", "15/01/2026"]])
    assert main([*as_officer(database), "registrations", "import", str(path), "--movement", "2"]) == 1
    assert "«Dự thảo kế hoạch»" in capsys.readouterr().err
    assert main([*as_officer(database), "registrations", "import", str(path), "--movement", "9"]) == 1
    assert "Không tìm thấy phong trào thi đua." in capsys.readouterr().err


def test_template_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mau.xlsx"
    assert main(["registrations", "template", str(path)]) == 0
    assert load_workbook(path).sheetnames[0] == "Đăng ký thi đua"
    assert "Đã lưu tệp mẫu «Đăng ký thi đua»" in capsys.readouterr().out
