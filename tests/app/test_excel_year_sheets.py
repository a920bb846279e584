"""Year sheets: subjects found by UUID, CCCD, name (+ birth date); registrations imported
from the program's template or an officer's own sheet, all or nothing, errors named by row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from app.errors import FileFormatError, ValidationError
from app.excel_year_sheets import (
    NAME_HEADER,
    REGISTRATIONS,
    import_registrations,
    read_year_sheet,
    write_registration_template,
)
from app.movements import LAUNCHED, MovementPlan
from app.services import Services
from app.subject_data import CollectiveData, HouseholdData, IndividualData

HEADER = ["Loại đối tượng", NAME_HEADER, "Ngày sinh", "Số CCCD", "Danh hiệu đăng ký", "Ngày đăng ký",
          "Ghi chú", "Mã đối tượng"]


def template(folder: Path, rows: Sequence[Sequence[object]]) -> Path:
    path = folder / "dang-ky.xlsx"
    write_registration_template(path)
    workbook = load_workbook(path)
    for row in rows:
        workbook.worksheets[0].append(list(row))
    workbook.save(path)
    return path


def own_sheet(folder: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    path = folder / "cua-xa.xlsx"
    workbook = Workbook()
    workbook.active.append(list(header))
    for row in rows:
        workbook.active.append(list(row))
    workbook.save(path)
    return path


@pytest.fixture
def register(services: Services) -> dict[str, int]:
    make = services.subjects.create
    return {
        "an": make(IndividualData("Nguyễn Văn An", "male", birth_date=date(1980, 1, 2),
                                  citizen_id="001080000001")).id,
        "an2": make(IndividualData("Nguyễn Văn An", "male", birth_date=date(1990, 3, 4))).id,
        "hoa": make(IndividualData("Lê Thị Hoa", "female")).id,
        "unit": make(CollectiveData("Trường Mầm non", "school")).id,
        "home": make(HouseholdData("Hộ ông Lê Văn Ba")).id,
        "same_person": make(IndividualData("Đoàn Thanh niên", "male")).id,
        "same_unit": make(CollectiveData("Đoàn Thanh niên", "organisation")).id,
    }


@pytest.fixture
def movement_id(services: Services) -> int:
    row = services.movements.create(MovementPlan(2026, "regular", "Thi đua 2026", "02/KH-UBND"))
    services.movements.advance(row.id, LAUNCHED, date(2026, 1, 10))
    return row.id


def test_the_template_has_the_documented_columns(tmp_path: Path) -> None:
    path = write_registration_template(tmp_path / "mau.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == "Đăng ký thi đua"
    assert [c.value for c in workbook.worksheets[0][1]] == HEADER
    assert not list(tmp_path.glob("*.part"))


def test_a_good_file_is_imported_whole(services: Services, register: dict[str, int], movement_id: int,
                                       tmp_path: Path) -> None:
    uuid = services.subjects.row(register["an2"]).uuid
    path = template(tmp_path, [
        [None, "Nguyễn Văn An", None, "001080000001", "Lao động tiên tiến", "15/01/2026", "Tổ 1"],
        [None, None, None, None, "chien si thi dua co so", datetime(2026, 1, 16), None, uuid],
        [None, "le thi hoa", None, None, "LDTT", date(2026, 1, 16)],
        ["Tập thể", "Trường Mầm non", None, None, "Tập thể lao động tiên tiến", "16/01/2026"],
        [None, "Hộ ông Lê Văn Ba", None, None, "Gia đình văn hóa", "16/01/2026"],
    ])
    found = import_registrations(services, movement_id, path)
    assert (found.errors, found.written, found.rows_read) == ((), 5, 5)
    assert services.registrations.registered(2026) == {
        (register["an"], "LDTT"), (register["an2"], "CSTDCS"), (register["hoa"], "LDTT"),
        (register["unit"], "TTLDTT"), (register["home"], "GDVH")}
    note = {r.subject_id: r.note for r in services.registrations.rows(movement_id)}
    assert note[register["an"]] == "Tổ 1"
    assert found.lines()[-1] == "Đã ghi 5 đăng ký vào phong trào «Thi đua 2026»."


def test_every_bad_row_is_named_and_nothing_is_written(services: Services, register: dict[str, int],
                                                       movement_id: int, tmp_path: Path) -> None:
    path = template(tmp_path, [
        [None, "Lê Thị Hoa", None, None, "Lao động tiên tiến", "15/01/2026"],          # 2: good
        [None, "Nguyễn Văn An", None, None, "Lao động tiên tiến", "15/01/2026"],        # 3: two people
        [None, "Trần Văn Không", None, None, "Lao động tiên tiến", "15/01/2026"],       # 4: unknown
        [None, "Trường Mầm non", None, None, "Lao động tiên tiến", "15/01/2026"],       # 5: wrong kind
        [None, "Lê Thị Hoa", None, None, "Lao động tiên tiến", "16/01/2026"],          # 6: twice
        [None, "Hộ ông Lê Văn Ba", None, None, "Gia đình văn hóa", "15/01/2025"],      # 7: other year
        [None, "Hộ ông Lê Văn Ba", None, None, "Huy hiệu", "15/01/2026"],             # 8: no such title
        [None, "Đoàn Thanh niên", None, None, "Lao động tiên tiến", "15/01/2026"],      # 9: ambiguous kinds
        [None, "Lê Thị Hoa", None, None, "Chiến sĩ thi đua cơ sở", None],             # 10: no date
        [None, "Lê Thị Hoa", "31/02/1990", None, "Chiến sĩ thi đua cơ sở", "15/01/2026"],  # 11: bad date
    ])
    found = import_registrations(services, movement_id, path)
    messages = {e.row: str(e) for e in found.errors}
    assert sorted(messages) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "có 2 người tên «Nguyễn Văn An» trong sổ; hãy ghi thêm ngày sinh hoặc số CCCD" in messages[3]
    assert messages[4] == f"Dòng 4, cột «{NAME_HEADER}»: không có đối tượng «Trần Văn Không» trong sổ."
    assert messages[5] == ("Dòng 5, cột «Danh hiệu đăng ký»: «Trường Mầm non»: tập thể không đăng ký được "
                           "«Lao động tiên tiến».")
    assert "«Lê Thị Hoa» đăng ký «Lao động tiên tiến» hai lần (trùng dòng 2)" in messages[6]
    assert messages[7].startswith("Dòng 7, cột «Ngày đăng ký»: «Hộ ông Lê Văn Ba»: ngày đăng ký (15/01/2025)")
    assert messages[8].startswith("Dòng 8, cột «Danh hiệu đăng ký»: “Huy hiệu” không có trong danh sách")
    assert "(cá nhân, tập thể); hãy ghi cột «Loại đối tượng»" in messages[9]
    assert messages[10] == "Dòng 10, cột «Ngày đăng ký»: ô bắt buộc, không được để trống."
    assert messages[11] == "Dòng 11, cột «Ngày sinh»: ngày 31/02/1990 không tồn tại."
    assert found.written == 0
    assert "chưa có gì được ghi" in found.lines()[0]
    assert services.registrations.rows(movement_id) == []


def test_a_dry_run_checks_without_writing(services: Services, register: dict[str, int], movement_id: int,
                                          tmp_path: Path) -> None:
    path = template(tmp_path, [[None, "Lê Thị Hoa", None, None, "LDTT", "15/01/2026"]])
    found = import_registrations(services, movement_id, path, dry_run=True)
    assert (len(found.rows), found.errors, found.written) == (1, (), 0)
    assert services.registrations.rows(movement_id) == []


def test_a_row_already_registered_is_an_error(services: Services, register: dict[str, int], movement_id: int,
                                              tmp_path: Path) -> None:
    path = template(tmp_path, [[None, "Lê Thị Hoa", None, None, "LDTT", "15/01/2026"]])
    import_registrations(services, movement_id, path)
    again = import_registrations(services, movement_id, path)
    assert [str(e) for e in again.errors] == [
        "Dòng 2, cột «Danh hiệu đăng ký»: «Lê Thị Hoa» đã đăng ký «Lao động tiên tiến» trong phong trào này."]
    assert len(services.registrations.rows(movement_id)) == 1


def test_an_officers_own_sheet_with_other_headers(services: Services, register: dict[str, int],
                                                  movement_id: int, tmp_path: Path) -> None:
    path = own_sheet(tmp_path, ["Họ và tên", "Ngày sinh", "Danh hiệu", "Ngày đăng ký"], [
        ["Nguyễn Văn An", "04/03/1990", "Lao động tiên tiến", "20/01/2026"],
        ["Lê Thị Hoa", None, "Lao động tiên tiến", "20/01/2026"],
    ])
    found = import_registrations(services, movement_id, path)
    assert found.written == 2
    assert (register["an2"], "LDTT") in services.registrations.registered(2026)


def test_a_uuid_of_another_subject_is_refused(services: Services, register: dict[str, int], movement_id: int,
                                              tmp_path: Path) -> None:
    uuid = services.subjects.row(register["hoa"]).uuid
    path = template(tmp_path, [[None, "Nguyễn Văn An", None, None, "LDTT", "15/01/2026", None, uuid]])
    found = import_registrations(services, movement_id, path)
    assert [str(e) for e in found.errors] == [
        f"Dòng 2, cột «Mã đối tượng»: mã {uuid} là của cá nhân «Lê Thị Hoa», không phải «Nguyễn Văn An»."]


@pytest.mark.parametrize(("header", "message"), [
    (["Ngày sinh", "Danh hiệu đăng ký", "Ngày đăng ký"], "thiếu cột «Họ và tên / Tên đối tượng»"),
    (["Họ và tên", "Tên đối tượng", "Danh hiệu đăng ký", "Ngày đăng ký"], "có nhiều cột cùng ý nghĩa"),
    (["Họ và tên", "Ngày đăng ký"], "thiếu cột «Danh hiệu đăng ký»"),
    (["Họ và tên", "Danh hiệu", "Ngày đăng ký", "Số điện thoại"], "«Số điện thoại» không có trong mẫu"),
])
def test_a_wrong_header_is_refused(services: Services, movement_id: int, tmp_path: Path, header: list[str],
                                   message: str) -> None:
    path = own_sheet(tmp_path, header, [["x"] * len(header)])
    with pytest.raises(FileFormatError, match=message):
        import_registrations(services, movement_id, path)


def test_a_draft_movement_refuses_the_import(services: Services, tmp_path: Path) -> None:
    draft = services.movements.create(MovementPlan(2027, "regular", "Thi đua 2027", "01/KH-UBND"))
    path = template(tmp_path, [[None, "Lê Thị Hoa", None, None, "LDTT", "15/01/2027"]])
    with pytest.raises(ValidationError, match="«Dự thảo kế hoạch»; chỉ nhập đăng ký"):
        import_registrations(services, draft.id, path)


def test_the_generic_reader_reports_progress(services: Services, register: dict[str, int], tmp_path: Path) -> None:
    path = template(tmp_path, [[None, "Lê Thị Hoa", None, None, "LDTT", "15/01/2026"]] * 450)
    steps: list[tuple[int, int]] = []
    reading = read_year_sheet(services.sessions, REGISTRATIONS, path, lambda done, total: steps.append((done, total)))
    assert len(reading.rows) == 450 and reading.errors == ()
    assert steps[-1] == (450, 450) and (200, 450) in steps
    assert reading.rows[0].subject.id == register["hoa"]
    assert reading.rows[0].cells == {"award_code": "LDTT", "registered_on": date(2026, 1, 15)}
