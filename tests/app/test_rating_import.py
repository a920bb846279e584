"""Ratings of one year from Excel: every row checked, all or nothing, errors named by row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from app.errors import FileFormatError
from app.history import RatingRecord
from app.rating_import import import_ratings, read_ratings, write_template
from app.services import Services
from app.subject_data import CollectiveData, HouseholdData, IndividualData

YEAR = 2025
HEADER = ["Họ và tên / Tên đối tượng", "Ngày sinh", "Số CCCD", "Xếp loại"]


def _workbook(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def people(services: Services) -> dict[str, int]:
    an = services.subjects.create(IndividualData("Nguyễn Văn An", "male", birth_date=date(1980, 3, 2),
                                                 citizen_id="001080000001")).id
    binh = services.subjects.create(IndividualData("Trần Thị Bình", "female", birth_date=date(1990, 7, 9))).id
    office = services.subjects.create(CollectiveData("Văn phòng UBND xã")).id
    household = services.subjects.create(HouseholdData("Hộ ông Lê Văn Cường")).id
    services.history.save(binh, RatingRecord(YEAR, "ht"))
    return {"an": an, "binh": binh, "office": office, "household": household}


def _ratings(services: Services) -> dict[int, str | None]:
    """Every person's and collective's rating (these people have no work recorded)."""
    rows = services.review.ratings(YEAR, "all_individuals") + services.review.ratings(YEAR, "collective")
    return {r.subject_id: r.rating for r in rows}


def test_import_round_trip_by_citizen_id_name_and_birth_date_labels_and_codes(
        services: Services, people: dict[str, int], tmp_path: Path) -> None:
    path = _workbook(tmp_path / "xep-loai.xlsx", [
        ["", None, "001080000001", "Hoàn thành xuất sắc nhiệm vụ"],
        ["Trần Thị Bình", "09/07/1990", None, "tot"],
        ["Văn phòng UBND xã", None, None, "HTNV"],
    ])
    before = services.audit.last_id()
    result = import_ratings(services, path, YEAR)
    assert not result.errors and result.written == 3
    assert _ratings(services) == {people["an"]: "htxs", people["binh"]: "tot", people["office"]: "ht"}
    assert services.audit.last_id() == before + 3
    again = import_ratings(services, path, YEAR)
    assert again.written == 0 and "Không có xếp loại nào thay đổi." in again.lines()


def test_bad_rows_are_named_and_nothing_is_written(services: Services, people: dict[str, int],
                                                   tmp_path: Path) -> None:
    path = _workbook(tmp_path / "loi.xlsx", [
        ["Nguyễn Văn An", "02/03/1980", None, "htxs"],
        ["Phạm Văn Không Có", None, None, "tot"],
        ["Trần Thị Bình", None, None, "rất giỏi"],
        ["Nguyễn Văn An", None, "001080000001", "tot"],
        ["Hộ ông Lê Văn Cường", None, None, "tot"],
    ])
    before = services.audit.last_id()
    result = import_ratings(services, path, YEAR)
    messages = [str(e) for e in result.errors]
    assert result.written == 0 and services.audit.last_id() == before
    assert _ratings(services)[people["an"]] is None and _ratings(services)[people["binh"]] == "ht"
    assert any(m.startswith("Dòng 3") and "Phạm Văn Không Có" in m for m in messages)
    assert any(m.startswith("Dòng 4, cột «Xếp loại»") and "rất giỏi" in m for m in messages)
    assert any(m.startswith("Dòng 5") and "dòng 2" in m for m in messages)
    assert any(m.startswith("Dòng 6") and "không có xếp loại" in m for m in messages)
    assert "chưa có gì được ghi" in result.lines()[0]


def test_dry_run_checks_without_writing(services: Services, people: dict[str, int], tmp_path: Path) -> None:
    path = _workbook(tmp_path / "thu.xlsx", [["Nguyễn Văn An", None, None, "htxs"]])
    result = import_ratings(services, path, YEAR, dry_run=True)
    assert not result.errors and len(result.rows) == 1 and result.written == 0
    assert _ratings(services)[people["an"]] is None


def test_a_sheet_without_the_rating_column_is_refused(services: Services, people: dict[str, int],
                                                      tmp_path: Path) -> None:
    path = _workbook(tmp_path / "thieu.xlsx", [["Nguyễn Văn An", None, None]], HEADER[:3])
    with pytest.raises(FileFormatError, match="Xếp loại"):
        read_ratings(services, path, YEAR)


def test_template_reads_back_as_an_empty_ratings_sheet(services: Services, tmp_path: Path) -> None:
    path = write_template(tmp_path / "mau.xlsx", YEAR)
    header = [c.value for c in next(load_workbook(path).worksheets[0].iter_rows(max_row=1))]
    assert "Xếp loại" in header and "Họ và tên / Tên đối tượng" in header
    with pytest.raises(FileFormatError, match="không có dòng dữ liệu"):
        read_ratings(services, path, YEAR)
