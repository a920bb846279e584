"""The `tdkt` command line: headless commands, exit codes and messages."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.services import Services
from app.subject_data import IndividualData, VillageData
from tests.conftest import DatabaseFile, as_officer
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
