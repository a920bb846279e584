"""Reading cell values as officers type them, and writing them back."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.excel_cells import (
    CellError,
    CellReader,
    PersonRef,
    cell_value,
    format_person,
    read_citizen_id,
    read_date,
    read_integer,
    read_person,
)
from app.excel_columns import HISTORY, HOUSEHOLDS, INDIVIDUALS


@pytest.mark.parametrize("raw", [datetime(1985, 9, 5), date(1985, 9, 5), "05/09/1985", "5/9/1985",
                                 "05-09-1985", "05.09.1985", "1985-09-05", " 05/09/1985 "])
def test_dates_are_read_from_excel_dates_and_common_text_forms(raw: object) -> None:
    assert read_date(raw) == date(1985, 9, 5)


def test_impossible_date_names_the_date() -> None:
    with pytest.raises(CellError, match="^ngày 31/02/1980 không tồn tại.$"):
        read_date("31/02/1980")


@pytest.mark.parametrize("raw", [1980, 1980.0, "1980", "05/09/85", "hôm qua"])
def test_numbers_and_other_text_are_not_dates(raw: object) -> None:
    with pytest.raises(CellError, match="không phải là ngày; hãy ghi theo dạng dd/mm/yyyy"):
        read_date(raw)


def test_integers_accept_whole_numbers_typed_as_text_or_floats() -> None:
    assert [read_integer(v) for v in (2024, 2024.0, " 2024 ")] == [2024, 2024, 2024]
    for bad in ("2024a", 2024.5, True):
        with pytest.raises(CellError, match="không phải là số"):
            read_integer(bad)


def test_citizen_id_typed_as_a_number_gets_its_leading_zeros_back() -> None:
    assert read_citizen_id(1080012345) == "001080012345"
    assert read_citizen_id(1080012345.0) == "001080012345"
    assert read_citizen_id("001 080 012 345") == "001080012345"


@pytest.mark.parametrize("field", ["head", "members"])
def test_citizen_id_typed_as_a_number_in_a_person_cell_gets_its_leading_zeros_back(
    field: str
) -> None:
    value = CellReader().read(HOUSEHOLDS.column(field), 1080012345)
    person = PersonRef("", None, "001080012345")
    assert value == (person if field == "head" else (person,))


def test_coded_columns_accept_labels_without_diacritics_or_case() -> None:
    reader = CellReader()
    gender = INDIVIDUALS.column("gender")
    employment = INDIVIDUALS.column("employment")
    assert [reader.read(gender, v) for v in ("Nữ", "nu", "NAM")] == ["female", "female", "male"]
    assert reader.read(employment, "cong chuc") == "cong_chuc"
    with pytest.raises(CellError, match="“Bộ đội” không có trong danh sách"):
        reader.read(employment, "Bộ đội")


def test_record_types_accept_common_other_names() -> None:
    reader = CellReader()
    column = HISTORY.column("record_type")
    assert [reader.read(column, v) for v in ("Xếp loại", "khen thưởng", "Danh hiệu", "sang kien")] == [
        "rating", "award", "award", "initiative"]


def test_booleans_and_empty_cells() -> None:
    reader = CellReader()
    column = INDIVIDUALS.column("direct_labour")
    assert [reader.read(column, v) for v in ("Có", "co", "x", 1, True, "Không", 0, False)] == [
        True, True, True, True, True, False, False, False]
    assert reader.read(column, None) is None
    assert reader.read(INDIVIDUALS.column("note"), "   ") is None


def test_text_is_stored_clean() -> None:
    assert CellReader().read(INDIVIDUALS.column("full_name"), "  Nguyễn   Văn  An ") == "Nguyễn Văn An"


def test_people_are_read_by_name_date_citizen_id_and_relation() -> None:
    people = CellReader().read(
        HOUSEHOLDS.column("members"),
        "Trần Văn Bình, 02/03/1990, con; 001172000222, vợ\nLê Thị Cúc",
    )
    assert people == (
        PersonRef("Trần Văn Bình", date(1990, 3, 2), None, "con"),
        PersonRef("", None, "001172000222", "vợ"),
        PersonRef("Lê Thị Cúc"),
    )


@pytest.mark.parametrize(("text", "message"), [
    ("Trần Văn Bình, 12345", "số CCCD “12345” phải gồm đúng 12 chữ số."),
    ("Trần Văn Bình, 31/02/1990", "ngày 31/02/1990 không tồn tại."),
    ("Trần Văn Bình, con, út", "không hiểu “Trần Văn Bình, con, út”"),
])
def test_people_that_cannot_be_read(text: str, message: str) -> None:
    with pytest.raises(CellError, match=message):
        read_person(text)


def test_people_written_back_read_the_same() -> None:
    person = PersonRef("Trần Văn Bình", date(1990, 3, 2), "001090000333", "con")
    assert format_person(person) == "Trần Văn Bình, 02/03/1990, 001090000333, con"
    assert read_person(format_person(person)) == person
    assert cell_value(HOUSEHOLDS.column("head"), person) == "Trần Văn Bình, 02/03/1990, 001090000333"


def test_export_values_use_labels() -> None:
    assert cell_value(INDIVIDUALS.column("gender"), "female") == "Nữ"
    assert cell_value(INDIVIDUALS.column("direct_labour"), False) == "Không"
    assert cell_value(INDIVIDUALS.column("birth_date"), None) is None
