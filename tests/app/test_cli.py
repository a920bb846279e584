"""The `tdkt` command line: headless commands, exit codes and messages."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from app.roles import Role
from app.services import Services
from app.subject_data import IndividualData, VillageData
from db.migrate import open_database
from tests.app.test_excel_import import filled_template
from tests.conftest import ADMIN, OFFICER, DatabaseFile, account, as_officer
from ui.main import main

pytestmark = pytest.mark.usefixtures("officer_password")


@pytest.fixture
def register(database_file: DatabaseFile) -> Path:
    def fill(services: Services) -> None:
        village = services.subjects.create(VillageData("Thôn Đông Hải"))
        services.subjects.create(
            IndividualData("Đặng Thị Đức", "female", date(1990, 5, 17), village_id=village.id))
        services.subjects.create(IndividualData("Lê Văn Nam", "male", date(1985, 1, 2)))

    return database_file(fill)


def test_find_prints_matches_one_per_line(register: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*as_officer(register), "find", "dang duc"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Đặng Thị Đức\tCá nhân\t17/05/1990\tThôn Đông Hải\t")


def test_find_without_match_prints_nothing(register: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*as_officer(register), "find", "khong co ai"]) == 0
    assert capsys.readouterr().out == ""


def test_self_test_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["self-test"]) == 0
    assert "Tự kiểm tra hoàn tất." in capsys.readouterr().out


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["khong-co-lenh-nay"])
    assert raised.value.code == 2


def test_newer_database_gives_exit_1_and_a_vietnamese_message(
    register: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(register) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00dfeed'")
    connection.close()
    assert main([*as_officer(register), "find", "dang"]) == 1
    assert "phiên bản TĐKT Xã mới hơn" in capsys.readouterr().err


def test_headless_commands_do_not_load_qt(register: Path) -> None:
    script = (
        "import sys; from ui.main import main; code = main([*sys.argv[1:], 'find', 'nam']);"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported';"
        "sys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", script, *as_officer(register)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Lê Văn Nam" in result.stdout


def test_parsing_the_windows_arguments_loads_no_database_layer() -> None:
    """The window parses its arguments through every command's module before it is shown: none
    of them may pull in SQLAlchemy, the models or a service (start-up time)."""
    script = (
        "import sys; from app.cli import build_parser; build_parser().parse_args(['--db', 'x.sqlite']);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'db', 'alembic', 'openpyxl')"
        " or m in ('app.services', 'app.movements', 'app.yearly_report', 'app.statistics')))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_find_into_a_closed_pipe_ends_quietly(database_file: DatabaseFile) -> None:
    register = database_file(lambda services: services.subjects.create_many(  # more than a pipe holds
        IndividualData(f"Nguyễn Văn Số {i}", "male", date(1980, 1, 1)) for i in range(2000)
    ))
    finder = subprocess.Popen([sys.executable, "-m", "ui", *as_officer(register), "find", "nguyen"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert finder.stdout is not None and finder.stderr is not None
    finder.stdout.readline()
    finder.stdout.close()  # like `| head -1`
    errors = finder.stderr.read()
    finder.stderr.close()
    assert finder.wait(timeout=60) == 0
    assert b"Traceback" not in errors


def test_wrong_password_exits_1_with_the_vietnamese_message(
    register: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TDKT_PASSWORD", "khong-phai-mat-khau")
    assert main([*as_officer(register), "find", "dang"]) == 1
    assert capsys.readouterr().err == "Lỗi: Tên đăng nhập hoặc mật khẩu không đúng.\n"


def test_commands_on_a_database_need_a_user(register: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(register), "find", "dang"]) == 1
    assert "tdkt --user TÊN" in capsys.readouterr().err


def test_the_password_is_asked_for_when_not_in_the_environment(
    register: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TDKT_PASSWORD")
    prompts: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or OFFICER[2])
    assert main([*as_officer(register), "find", "dang duc"]) == 0
    assert prompts == ["Mật khẩu của canbo: "]


def test_a_locked_account_exits_1_and_says_so(register: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TDKT_PASSWORD", "khong-phai-mat-khau")
    for _ in range(5):
        main([*as_officer(register), "find", "dang"])
    monkeypatch.setenv("TDKT_PASSWORD", OFFICER[2])
    capsys.readouterr()
    assert main([*as_officer(register), "find", "dang"]) == 1
    assert "tạm khóa" in capsys.readouterr().err


def test_a_password_reset_by_an_administrator_must_be_changed_before_any_command(
        register: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    database = open_database(register)
    try:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        admin = Services.create(sessions, account(sessions, ADMIN[0]))
        officer = next(u for u in admin.users.users() if u.username == OFFICER[0])
        admin.users.reset_password(officer.id, "tam-thoi-123")
    finally:
        database.close()
    monkeypatch.setenv("TDKT_PASSWORD", "tam-thoi-123")
    assert main([*as_officer(register), "find", "dang"]) == 1
    assert "đặt mật khẩu mới" in capsys.readouterr().err


def test_a_viewer_cannot_import(register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    database = open_database(register)
    try:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        Services.create(sessions, account(sessions, ADMIN[0])).users.create(
            "xem", "Phạm Văn Minh", Role.VIEWER, "mat-khau-xem", must_change_password=False)
    finally:
        database.close()
    path = filled_template(tmp_path, "villages", [["Thôn Mới"]])
    monkeypatch.setenv("TDKT_PASSWORD", "mat-khau-xem")
    assert main(["--db", str(register), "--user", "xem", "import", "villages", str(path)]) == 1
    assert "không có quyền sửa sổ theo dõi đối tượng" in capsys.readouterr().err
    assert main(["--db", str(register), "--user", "xem", "find", "dang duc"]) == 0  # reading is allowed


def test_audit_verify_exits_0_when_intact_and_1_naming_each_problem(
    register: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*as_officer(register), "audit", "verify"]) == 0
    assert "Nhật ký thao tác nguyên vẹn: 6 dòng" in capsys.readouterr().out  # 2 accounts, 3 subjects, 1 sign-in

    with sqlite3.connect(register) as connection:
        connection.execute("DROP TRIGGER audit_entries_no_update")
        connection.execute("DROP TRIGGER audit_entries_no_delete")
        connection.execute("UPDATE audit_entries SET summary = 'Thêm cá nhân «Ai đó»' WHERE id = 4")
        connection.execute("DELETE FROM audit_entries WHERE id = 2")
    connection.close()
    assert main([*as_officer(register), "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "  - Dòng nhật ký số 2 đã bị xóa.\n" in err
    assert "  - Dòng nhật ký số 4 đã bị sửa sau khi ghi" in err


def test_add_admin_makes_the_first_account_of_a_new_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "moi.sqlite"
    monkeypatch.setenv("TDKT_PASSWORD", "mat-khau-quan-tri")
    assert main(["--db", str(path), "find", "an"]) == 1
    assert "chưa có tài khoản nào" in capsys.readouterr().err
    assert main(["--db", str(path), "user", "add-admin", "quantri", "--full-name", "Trần Văn Quản"]) == 0
    assert "Đã tạo quản trị viên «quantri» (Cán bộ TĐKT)" in capsys.readouterr().out
    assert main(["--db", str(path), "--user", "QuanTri", "audit", "verify"]) == 0
    assert main(["--db", str(path), "user", "add-admin", "nguoikhac"]) == 1
    assert "đã có tài khoản" in capsys.readouterr().err


def test_add_admin_asks_twice_and_refuses_different_passwords(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TDKT_PASSWORD")
    answers = iter(["mat-khau-mot", "mat-khau-hai"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    assert main(["--db", str(tmp_path / "moi.sqlite"), "user", "add-admin", "quantri"]) == 1
    assert "không giống nhau" in capsys.readouterr().err
