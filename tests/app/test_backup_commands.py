"""`tdkt backup`, `restore`, `recover` and `check`: signed in, exit codes, messages."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.subject_data import VillageData
from tests.conftest import ADMIN, OFFICER, DatabaseFile
from ui.main import main


@pytest.fixture
def register(database_file: DatabaseFile) -> Path:
    return database_file(lambda services: services.subjects.create(VillageData("Thôn Cũ")))


def as_user(monkeypatch: pytest.MonkeyPatch, account: tuple[str, str, str]) -> list[str]:
    monkeypatch.setenv("TDKT_PASSWORD", account[2])
    return ["--user", account[0]]


def village_names(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM subjects ORDER BY name")]
    finally:
        connection.close()


def add_village(path: Path, name: str) -> None:
    connection = sqlite3.connect(path)
    connection.execute(
        "INSERT INTO subjects (uuid, kind, name, search_text, sort_key, note, created_at, updated_at) "
        "VALUES (lower(hex(randomblob(16))), 'village', ?, ?, ?, '', '2026-11-24', '2026-11-24')",
        (name, name, name))
    connection.execute("INSERT INTO villages (id, village_kind, difficult_area, ethnic_minority_area) "
                       "VALUES (last_insert_rowid(), 'thon', 0, 0)")
    connection.commit()
    connection.close()


def backup_of(register: Path, monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["--db", str(register), *as_user(monkeypatch, OFFICER), "backup"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Đã sao lưu vào ")
    [backup] = (register.parent / "backups").glob("tdkt-xa-*.sqlite")
    return backup


def test_backup_writes_a_verified_copy_beside_the_database(register: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    backup = backup_of(register, monkeypatch, capsys)
    assert village_names(backup) == ["Thôn Cũ"]


def test_backup_to_an_unplugged_mirror_exits_1_but_keeps_the_backup(
        register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", str(register), *as_user(monkeypatch, OFFICER), "backup",
                 "--to", str(tmp_path / "bk"), "--mirror", str(tmp_path / "usb")])
    assert code == 1
    assert "USB" in capsys.readouterr().out
    assert len(list((tmp_path / "bk").glob("*.sqlite"))) == 1


def test_restore_prints_the_report_and_restores(register: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    backup = backup_of(register, monkeypatch, capsys)
    add_village(register, "Thôn Mới")
    code = main(["--db", str(register), *as_user(monkeypatch, ADMIN), "restore", str(backup), "--yes"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "KHÔNG CÒN: 1 đối tượng" in out
    assert "Dữ liệu trước khi khôi phục được giữ tại" in out
    assert village_names(register) == ["Thôn Cũ"]


def test_restore_and_check_take_paths_relative_to_the_current_folder(
        register: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    backup = backup_of(register, monkeypatch, capsys)
    add_village(register, "Thôn Mới")
    monkeypatch.chdir(register.parent)
    relative = ["--db", register.name, *as_user(monkeypatch, ADMIN)]
    assert main([*relative, "check"]) == 0
    assert main([*relative, "restore", f"backups/{backup.name}", "--yes"]) == 0, capsys.readouterr()
    assert village_names(register) == ["Thôn Cũ"]


def test_restore_without_yes_off_a_terminal_changes_nothing(register: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    backup = backup_of(register, monkeypatch, capsys)
    add_village(register, "Thôn Mới")
    assert main(["--db", str(register), *as_user(monkeypatch, ADMIN), "restore", str(backup)]) == 1
    assert "--yes" in capsys.readouterr().err
    assert village_names(register) == ["Thôn Cũ", "Thôn Mới"]


def test_restore_by_an_officer_who_is_not_admin_is_refused(register: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    backup = backup_of(register, monkeypatch, capsys)
    add_village(register, "Thôn Mới")
    assert main(["--db", str(register), *as_user(monkeypatch, OFFICER), "restore", str(backup), "--yes"]) == 1
    assert "không có quyền khôi phục" in capsys.readouterr().err
    assert village_names(register) == ["Thôn Cũ", "Thôn Mới"]


def test_check_exits_0_when_sound_and_1_with_a_problem(register: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    user = as_user(monkeypatch, OFFICER)
    assert main(["--db", str(register), *user, "check"]) == 0
    assert "Không phát hiện vấn đề nào" in capsys.readouterr().out
    connection = sqlite3.connect(register)
    connection.execute("INSERT INTO annual_ratings (uuid, subject_id, year, rating, note) "
                       "VALUES ('x', 999, 2025, 'tot', '')")
    connection.commit()
    connection.close()
    assert main(["--db", str(register), *user, "check"]) == 1
    assert "annual_ratings" in capsys.readouterr().out


def test_recover_sets_the_damaged_file_aside_and_uses_the_newest_backup(
        register: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    backup_of(register, monkeypatch, capsys)
    with open(register, "r+b") as file:
        file.write(b"\x00" * 4096)
    assert main(["--db", str(register), "recover"]) == 0
    out = capsys.readouterr().out
    assert "Tệp hỏng được để riêng tại" in out
    assert village_names(register) == ["Thôn Cũ"]
    assert len(list(register.parent.glob(f"{register.stem}.hong-*.sqlite"))) == 1


def test_recover_refuses_a_sound_database(register: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(register), "recover"]) == 1
    assert "không bị hỏng" in capsys.readouterr().err
