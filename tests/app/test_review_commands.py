"""`tdkt ratings import` and `tdkt review propose`: output, exit codes, nothing written on errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy.orm import sessionmaker

from app.history import RatingRecord
from app.roles import SYSTEM_ACTOR
from app.services import Services
from app.subject_data import IndividualData
from db.migrate import Database, open_database
from tests.conftest import DatabaseFile, as_officer
from ui.main import main

pytestmark = pytest.mark.usefixtures("officer_password")


def _fill(services: Services) -> None:
    rated = services.subjects.create(IndividualData(
        "Lê Văn Nam", "male", citizen_id="001085000001", employment="cong_chuc",
        employment_start=date(2015, 1, 1))).id
    services.history.save(rated, RatingRecord(2025, "tot"))
    services.subjects.create(IndividualData("Trần Thị Hoa", "female", birth_date=date(1990, 2, 1),
                                            employment="cong_chuc", employment_start=date(2016, 1, 1)))


@pytest.fixture
def register(database_file: DatabaseFile) -> Path:
    return database_file(_fill)


def _opened(path: Path) -> tuple[Services, Database]:
    database = open_database(path)
    return Services.create(sessionmaker(database.engine, expire_on_commit=False), SYSTEM_ACTOR), database


def _ratings(path: Path) -> dict[str, str | None]:
    services, database = _opened(path)
    try:
        return {r.name: r.rating for r in services.review.ratings(2025)}
    finally:
        database.close()


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    book.active.append(["Họ và tên / Tên đối tượng", "Ngày sinh", "Số CCCD", "Xếp loại"])
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_ratings_import_writes_the_year(register: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = _sheet(tmp_path / "xl.xlsx", [["Trần Thị Hoa", "01/02/1990", None, "Hoàn thành tốt nhiệm vụ"]])
    assert main([*as_officer(register), "ratings", "import", str(path), "--year", "2025"]) == 0
    assert "Đã ghi 1 xếp loại" in capsys.readouterr().out
    assert _ratings(register)["Trần Thị Hoa"] == "tot"


def test_ratings_import_dry_run_and_errors_write_nothing(register: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    good = _sheet(tmp_path / "ok.xlsx", [["Trần Thị Hoa", None, None, "htxs"]])
    assert main([*as_officer(register), "ratings", "import", str(good), "--year", "2025", "--dry-run"]) == 0
    assert "chưa ghi gì" in capsys.readouterr().out
    bad = _sheet(tmp_path / "bad.xlsx", [["Trần Thị Hoa", None, None, "htxs"], ["Ai Đó", None, None, "tot"]])
    assert main([*as_officer(register), "ratings", "import", str(bad), "--year", "2025"]) == 1
    err = capsys.readouterr().err
    assert "Dòng 3" in err and "Ai Đó" in err
    assert _ratings(register)["Trần Thị Hoa"] is None


def test_review_propose_prints_counts_per_title(register: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*as_officer(register), "review", "propose", "--year", "2025",
                 "--decision-date", "20/01/2026"]) == 0
    out = capsys.readouterr().out
    assert "Đã kiểm tra 1 đối tượng cho năm 2025" in out
    assert "Lao động tiên tiến: 1 đủ điều kiện" in out
    assert "1 mới" in out
    services, database = _opened(register)
    try:
        assert [(r.subject_name, r.award_code, r.included) for r in services.review.candidates(2025)] == [
            ("Lê Văn Nam", "LDTT", True)]
    finally:
        database.close()


def test_review_propose_refuses_a_bad_date(register: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([*as_officer(register), "review", "propose", "--year", "2025", "--decision-date", "2026-01-20"])
    assert stopped.value.code == 2
    assert "DD/MM/YYYY" in capsys.readouterr().err
