"""`tdkt report YEAR --out FILE` and `tdkt report --stored ID --out FILE` on the small demo."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import sessionmaker

from app import report_commands
from app.cli import run
from app.roles import Role
from app.services import Services
from app.yearly_report import ReportService
from db.migrate import open_database
from tests.app.pdf_reading import read_pdf
from tests.app.report_statistics import FakeStatistics, sample
from tests.conftest import ADMIN, as_officer, account

VIEWER = ("xem", "Người Xem", "xem-matkhau")


@pytest.fixture
def demo_file(small_demo_database: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(small_demo_database, path)
    return path


def tdkt(argv: list[str]) -> int:
    """The `tdkt` options the command uses, with `report` registered on fixed figures."""
    parser = argparse.ArgumentParser(prog="tdkt")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--user")
    commands = parser.add_subparsers(dest="command", required=True)
    statistics = FakeStatistics({2025: sample(2025)})
    report_commands.add_commands(commands, lambda services: ReportService(
        services.sessions, services.actor, services.audit, statistics, services.printing, services.commune))
    return run(parser.parse_args(argv))


def test_a_report_is_made_and_written_as_pdf_and_its_copy_is_the_same(
        demo_file: Path, officer_password: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bao-cao.pdf"
    assert tdkt([*as_officer(demo_file), "report", "2025", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Đã lập báo cáo số 1 (năm 2025), mã kiểm tra SHA-256 của số liệu: " in printed
    assert f"Đã ghi báo cáo ra {out}." in printed
    assert "Kết quả công tác thi đua, khen thưởng năm 2025" in read_pdf(out).text
    copy = tmp_path / "ban-sao.pdf"
    assert tdkt([*as_officer(demo_file), "report", "--stored", "1", "--out", str(copy)]) == 0
    assert "Ghi lại báo cáo số 1 (năm 2025)" in capsys.readouterr().out
    assert copy.read_bytes() == out.read_bytes()


def test_a_report_is_written_as_excel(demo_file: Path, officer_password: None, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.xlsx"
    assert tdkt([*as_officer(demo_file), "report", "2025", "--out", str(out)]) == 0
    assert load_workbook(out)["Tổng hợp"].cell(5, 2).value == 12


def test_a_wrong_suffix_is_refused_before_anything_is_stored(
        demo_file: Path, officer_password: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert tdkt([*as_officer(demo_file), "report", "2025", "--out", str(tmp_path / "bao-cao.docx")]) == 1
    assert "phải có đuôi .pdf hoặc .xlsx" in capsys.readouterr().err
    assert tdkt([*as_officer(demo_file), "report", "--out", str(tmp_path / "bao-cao.pdf")]) == 1
    assert "Hãy cho năm báo cáo" in capsys.readouterr().err
    assert tdkt([*as_officer(demo_file), "report", "--stored", "1", "--out", str(tmp_path / "a.pdf")]) == 1
    assert "Không có báo cáo đã lập số 1." in capsys.readouterr().err


def test_a_viewer_is_refused(demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    database = open_database(demo_file)
    try:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        Services.create(sessions, account(sessions, ADMIN[0])).users.create(
            *VIEWER[:2], Role.VIEWER, VIEWER[2], must_change_password=False)
    finally:
        database.close()
    monkeypatch.setenv("TDKT_PASSWORD", VIEWER[2])
    out = tmp_path / "bao-cao.pdf"
    assert tdkt(["--db", str(demo_file), "--user", VIEWER[0], "report", "2025", "--out", str(out)]) == 1
    assert "không có quyền" in capsys.readouterr().err
    assert not out.exists()


def test_the_real_command_reports_the_demo_and_refuses_a_missing_folder_before_storing(
        demo_file: Path, officer_password: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ui.main import main

    assert main([*as_officer(demo_file), "report", "2025", "--out", str(tmp_path / "khong-co" / "a.pdf")]) == 1
    assert "Không tìm thấy thư mục" in capsys.readouterr().err
    out = tmp_path / "bao-cao.xlsx"
    assert main([*as_officer(demo_file), "report", "2025", "--out", str(out)]) == 0
    assert "Đã lập báo cáo số 1 (năm 2025)" in capsys.readouterr().out  # the refused one stored nothing
    blocked = tmp_path / "la-thu-muc.pdf"
    blocked.mkdir()  # a folder where the file should go: the write fails after the report is stored
    assert main([*as_officer(demo_file), "report", "2025", "--out", str(blocked)]) == 1
    assert ("Đã lập báo cáo số 2 nhưng chưa ghi được tệp" in capsys.readouterr().err)
    assert main([*as_officer(demo_file), "report", "--stored", "2", "--out", str(tmp_path / "b.pdf")]) == 0
