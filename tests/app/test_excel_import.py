"""Importing the register from Excel: templates filled in, previews, duplicates, all-or-nothing."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from app.errors import CancelledError, FileFormatError, ValidationError
from app.excel_export import write_template
from app.excel_import import commit_import, import_file, preview_import
from app.excel_preview import Resolution
from app.history import AwardRecord, DisciplineRecord, InitiativeRecord, RatingRecord
from app.services import Services
from app.subject_data import CollectiveData, HouseholdData, IndividualData, MemberData, VillageData


def filled_template(folder: Path, kind: str, rows: Sequence[Sequence[object]],
                    name: str | None = None) -> Path:
    """The program's own template of `kind` with `rows` typed under the header."""
    path = folder / (name or f"{kind}.xlsx")
    write_template(path, kind)
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def plain_workbook(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    workbook.save(path)
    return path


def counts(services: Services) -> tuple[int, int]:
    """Subjects and history records: what must not change when an import is refused."""
    records = 0
    for row in services.subjects.rows():
        history = services.history.of(row.id)
        records += sum(map(len, (history.ratings, history.awards, history.initiatives,
                                 history.disciplines)))
    return services.subjects.count(), records


@pytest.fixture
def places(services: Services) -> dict[str, int]:
    """A small register: two villages, a commune office with one department."""
    village = services.subjects.create(VillageData("Thôn Đông Hải")).id
    street = services.subjects.create(VillageData("Tổ dân phố Trung Hòa", "to_dan_pho")).id
    office = services.subjects.create(CollectiveData("UBND xã", "agency")).id
    return {"village": village, "street": street, "office": office}


def person_id(services: Services, name: str) -> int:
    [row] = [r for r in services.subjects.rows("individual") if r.name == name]
    return row.id


# --- subject sheets ---------------------------------------------------------------------


def test_individuals_template_filled_in_imports_every_field(
    services: Services, places: dict[str, int], tmp_path: Path
) -> None:
    path = filled_template(tmp_path, "individuals", [
        ["Nguyễn Văn An", "Nam", datetime(1980, 5, 1), "001080012345", "Tày", None, "Hà Nam",
         "Thôn Đông Hải", "Chủ tịch UBND", "ubnd xa", "thon dong hai", "Cán bộ", "Không",
         "01/02/2005", "Có", "x", "ghi chú"],
        # Labels without diacritics, a text date, an ID typed as a number (leading zero lost).
        ["  Trần   Thị Bình ", "nu", "09/03/1992", 1092000111, None, None, None, None, None,
         None, "To dan pho Trung Hoa", "nong dan", "co"],
    ])
    preview = preview_import(services, "individuals", path)
    assert preview.errors == ()
    assert preview.duplicates == ()
    assert len(preview.rows) == 2

    result = commit_import(services, preview)

    assert (result.created, result.updated, result.skipped) == (2, 0, 0)
    an = services.subjects.data(person_id(services, "Nguyễn Văn An"))
    assert an == IndividualData(
        full_name="Nguyễn Văn An", gender="male", birth_date=date(1980, 5, 1), ethnicity="Tày",
        religion="Không", home_town="Hà Nam", residence="Thôn Đông Hải",
        citizen_id="001080012345", job_title="Chủ tịch UBND", unit_id=places["office"],
        village_id=places["village"], employment="can_bo", direct_labour=False,
        employment_start=date(2005, 2, 1), ethnic_minority=True, difficult_area=True,
        note="ghi chú",
    )
    binh = services.subjects.data(person_id(services, "Trần Thị Bình"))
    assert binh.gender == "female"
    assert binh.birth_date == date(1992, 3, 9)
    assert binh.citizen_id == "001092000111"
    assert binh.village_id == places["street"]
    assert binh.employment == "nong_dan"
    assert binh.direct_labour is True
    assert binh.ethnicity == "Kinh"


def test_villages_import_with_kinds_and_flags(services: Services, tmp_path: Path) -> None:
    path = filled_template(tmp_path, "villages", [
        ["Thôn 1", "Thôn", "Có", None, "vùng cao"],
        ["Tổ dân phố 5", "to dan pho", None, "Không"],
        ["Ấp Bình Lợi"],
    ])

    import_file(services, "villages", path)

    data = {services.subjects.data(r.id).name: services.subjects.data(r.id)
            for r in services.subjects.rows("village")}
    assert data["Thôn 1"] == VillageData("Thôn 1", "thon", True, False, "vùng cao")
    assert data["Tổ dân phố 5"].village_kind == "to_dan_pho"
    assert data["Ấp Bình Lợi"].village_kind == "thon"  # the default when the cell is empty


def test_collective_parent_may_be_an_earlier_row_of_the_same_file(
    services: Services, places: dict[str, int], tmp_path: Path
) -> None:
    path = filled_template(tmp_path, "collectives", [
        ["Đảng ủy xã", "Cơ quan"],
        ["Chi bộ thôn Đông Hải", "Tổ, đội", "dang uy xa", "Thôn Đông Hải"],
        ["Văn phòng UBND", "Bộ phận, phòng ban", "UBND xã"],
    ])

    import_file(services, "collectives", path)

    ids = {r.name: r.id for r in services.subjects.rows("collective")}
    branch = services.subjects.data(ids["Chi bộ thôn Đông Hải"])
    assert branch == CollectiveData("Chi bộ thôn Đông Hải", "team", ids["Đảng ủy xã"], places["village"])
    assert services.subjects.data(ids["Văn phòng UBND"]).parent_id == places["office"]


def test_collective_parent_on_a_later_row_is_an_error(services: Services, tmp_path: Path) -> None:
    path = filled_template(tmp_path, "collectives", [
        ["Chi bộ thôn 1", "Tổ, đội", "Đảng ủy xã"],
        ["Đảng ủy xã", "Cơ quan"],
    ])
    preview = preview_import(services, "collectives", path)
    assert [str(e) for e in preview.errors] == [
        "Dòng 2, cột «Tập thể cấp trên»: không có tập thể «Đảng ủy xã» trong sổ hay ở các dòng "
        "phía trên của tệp."
    ]


def test_households_name_head_and_members_by_birth_date_or_citizen_id(
    services: Services, places: dict[str, int], tmp_path: Path
) -> None:
    create = services.subjects.create
    father = create(IndividualData("Lê Văn Hùng", "male", date(1970, 1, 2))).id
    mother = create(IndividualData("Phạm Thị Hoa", "female", citizen_id="001172000222")).id
    son = create(IndividualData("Lê Văn Minh", "male", date(2001, 6, 7))).id
    path = filled_template(tmp_path, "households", [
        ["Hộ ông Lê Văn Hùng", "Thôn Đông Hải", "Xóm 2", "Lê Văn Hùng, 02/01/1970",
         "001172000222, vợ; le van minh, 07/06/2001, con"],
    ])

    import_file(services, "households", path)

    [row] = services.subjects.rows("household")
    assert services.subjects.data(row.id) == HouseholdData(
        "Hộ ông Lê Văn Hùng", places["village"], "Xóm 2",
        (MemberData(father, "Chủ hộ", True), MemberData(mother, "vợ"), MemberData(son, "con")),
    )


def test_household_member_not_in_the_register_is_named_in_the_error(
    services: Services, places: dict[str, int], tmp_path: Path
) -> None:
    services.subjects.create(IndividualData("Lê Văn Hùng", "male", date(1970, 1, 2)))
    services.subjects.create(IndividualData("Lê Văn Hùng", "male", date(1975, 3, 4)))
    path = filled_template(tmp_path, "households", [
        ["Hộ ông Hùng", None, None, "Lê Văn Hùng", "Ngô Thị Mai, 01/01/1990"],
    ])
    preview = preview_import(services, "households", path)
    assert [str(e) for e in preview.errors] == [
        "Dòng 2, cột «Chủ hộ»: có 2 người tên «Lê Văn Hùng» trong sổ; hãy ghi thêm ngày sinh "
        "hoặc số CCCD để chọn đúng người.",
        "Dòng 2, cột «Thành viên khác»: không có «Ngô Thị Mai, sinh 01/01/1990» trong danh sách "
        "cá nhân của sổ. Hãy nhập danh sách cá nhân trước.",
    ]


# --- history ----------------------------------------------------------------------------


def test_history_rows_become_the_right_records(
    services: Services, places: dict[str, int], tmp_path: Path
) -> None:
    an = services.subjects.create(
        IndividualData("Nguyễn Văn An", "male", date(1980, 5, 1), citizen_id="001080012345")).id
    binh = services.subjects.create(IndividualData("Trần Thị Bình", "female", date(1992, 3, 9))).id
    path = filled_template(tmp_path, "history", [
        [None, "Nguyễn Văn An", None, "001080012345", "Xếp loại", 2023, "HTXS"],
        ["Cá nhân", "Nguyễn Văn An", None, None, "xep loai", 2024, "Hoàn thành tốt nhiệm vụ",
         None, None, None, None, None, None, None, None, None, None, "đạt"],
        ["Cá nhân", "Trần Thị Bình", "09/03/1992", None, "Danh hiệu, khen thưởng", "2024",
         "Lao động tiên tiến", "15/QĐ-UBND", "10/01/2025", "UBND xã", "Luật TĐKT 2022"],
        [None, "Trần Thị Bình", datetime(1992, 3, 9), None, "Sáng kiến", 2024,
         "Số hóa hồ sơ một cửa", "07/QĐ-HĐSK", "20/12/2024", "Hội đồng sáng kiến xã", None, None,
         None, "Cơ sở"],
        [None, "Nguyễn Văn An", "01/05/1980", None, "Kỷ luật", None, "Khiển trách", None,
         "01/06/2022", None, None, None, None, None, "01/06/2023", None, None, "chậm báo cáo"],
        ["Tập thể", "ubnd xa", None, None, "khen thưởng", 2024, "Tập thể lao động tiên tiến",
         "20/QĐ-UBND", "15/01/2025"],
    ])

    preview = preview_import(services, "history", path)
    assert preview.errors == ()
    commit_import(services, preview)

    an_history = services.history.of(an)
    assert [(r.year, r.rating, r.note) for r in an_history.ratings] == [(2023, "htxs", ""), (2024, "tot", "đạt")]
    [discipline] = an_history.disciplines
    assert discipline == DisciplineRecord("khien_trach", date(2022, 6, 1), date(2023, 6, 1),
                                          "chậm báo cáo", id=discipline.id)
    binh_history = services.history.of(binh)
    [award] = binh_history.awards
    assert award == AwardRecord("LDTT", 2024, "15/QĐ-UBND", date(2025, 1, 10), "UBND xã",
                                "Luật TĐKT 2022", id=award.id)
    [initiative] = binh_history.initiatives
    assert initiative == InitiativeRecord(2024, "Số hóa hồ sơ một cửa", "base", "Hội đồng sáng kiến xã",
                                          "07/QĐ-HĐSK", date(2024, 12, 20), id=initiative.id)
    [office_award] = services.history.of(places["office"]).awards
    assert office_award.award_code == "TTLDTT"


def test_history_errors_name_row_and_column(
    services: Services, places: dict[str, int], tmp_path: Path
) -> None:
    services.subjects.create(IndividualData("Nguyễn Văn An", "male", date(1980, 5, 1)))
    path = filled_template(tmp_path, "history", [
        [None, "Nguyễn Văn An", "01/05/1980", None, "Xếp loại", "hai nghìn", "HTXS"],
        [None, "Nguyễn Văn An", "01/05/1980", None, "Xếp loại", 2023, "Xuất sắc"],
        [None, "Nguyễn Văn An", "01/05/1980", None, "Danh hiệu", 2023, "Gia đình văn hóa"],
        [None, "Nguyễn Văn Ba", None, None, "Xếp loại", 2023, "HTXS"],
        [None, "Nguyễn Văn An", "01/05/1980", None, "Kỷ luật", None, "Cảnh cáo"],
        [None, "Nguyễn Văn An", "01/05/1980", None, "Xếp loại", 2023, "HTXS", "12/QĐ"],
    ])
    errors = [str(e) for e in preview_import(services, "history", path).errors]
    assert errors == [
        "Dòng 2, cột «Năm»: “hai nghìn” không phải là số nguyên.",
        "Dòng 3, cột «Nội dung»: “Xuất sắc” không phải xếp loại hợp lệ (Hoàn thành xuất sắc "
        "nhiệm vụ; Hoàn thành tốt nhiệm vụ; Hoàn thành nhiệm vụ; Không hoàn thành nhiệm vụ).",
        "Dòng 4, cột «Nội dung»: “Gia đình văn hóa” không dành cho cá nhân.",
        "Dòng 5, cột «Tên đối tượng»: không có «Nguyễn Văn Ba» trong danh sách cá nhân của sổ. "
        "Hãy nhập danh sách cá nhân trước.",
        "Dòng 6, cột «Ngày quyết định»: kỷ luật cần ghi ô này.",
        "Dòng 7, cột «Số quyết định»: xếp loại không có thông tin này; hãy để trống ô.",
    ]


def _history_row(name: str, uuid: object, kind: str = "Hộ gia đình") -> list[object]:
    """A history row with its «Mã đối tượng» (the last column) filled."""
    return [kind, name, None, None, "Danh hiệu, khen thưởng", 2024, "Gia đình văn hóa",
            *([None] * 11), uuid]


def test_history_uuid_unknown_to_the_register_names_row_and_column(
    services: Services, places: dict[str, int], tmp_path: Path
) -> None:
    services.subjects.create(HouseholdData("Hộ ông Lâm", places["village"]))
    unknown = "0b6c1d9e-3f1a-4c55-9a7e-2d4c8f0e1a2b"
    path = filled_template(tmp_path, "history", [
        _history_row("Hộ ông Lâm", unknown),
        _history_row("Hộ ông Lâm", "HĐ-17"),
    ])

    errors = [str(e) for e in preview_import(services, "history", path).errors]

    assert errors == [
        f"Dòng 2, cột «Mã đối tượng»: không có đối tượng nào mang mã {unknown} trong sổ; nếu "
        "dòng được chép từ tệp của sổ khác, hãy để trống ô này.",
        "Dòng 3, cột «Mã đối tượng»: “HĐ-17” không phải mã đối tượng do chương trình ghi; hãy "
        "để trống ô này (dòng mới không cần mã).",
    ]


def test_history_uuid_of_a_subject_with_another_name_names_row_and_column(
    services: Services, places: dict[str, int], tmp_path: Path
) -> None:
    lam = services.subjects.create(HouseholdData("Hộ ông Lâm", places["village"]))
    path = filled_template(tmp_path, "history", [
        _history_row("Hộ ông Lâm", lam.uuid.upper()),
        _history_row("Hộ bà Hoa", lam.uuid),
        _history_row("Hộ ông Lâm", lam.uuid, kind="Tập thể"),
    ])

    preview = preview_import(services, "history", path)

    assert [str(e) for e in preview.errors] == [
        f"Dòng 3, cột «Mã đối tượng»: mã {lam.uuid} là của hộ gia đình «Hộ ông Lâm», không phải "
        "hộ gia đình «Hộ bà Hoa»; nếu dòng được chép từ tệp khác, hãy để trống ô này.",
        f"Dòng 4, cột «Mã đối tượng»: mã {lam.uuid} là của hộ gia đình «Hộ ông Lâm», không phải "
        "tập thể «Hộ ông Lâm»; nếu dòng được chép từ tệp khác, hãy để trống ô này.",
    ]
    assert [row.values["subject_id"] for row in preview.rows] == [lam.id]


def test_history_row_repeating_a_rating_can_be_merged(
    services: Services, tmp_path: Path
) -> None:
    an = services.subjects.create(IndividualData("Nguyễn Văn An", "male", date(1980, 5, 1))).id
    services.history.save(an, RatingRecord(2023, "ht", "cũ"))
    path = filled_template(tmp_path, "history", [
        [None, "Nguyễn Văn An", "01/05/1980", None, "Xếp loại", 2023, "HTXS"],
    ])
    preview = preview_import(services, "history", path)
    [duplicate] = preview.duplicates
    assert str(duplicate) == (
        "Dòng 2: «Nguyễn Văn An», sinh 01/05/1980: xếp loại năm 2023 trùng với bản ghi đã có "
        "trong sổ (cùng đối tượng và năm xếp loại)."
    )

    commit_import(services, preview, {2: Resolution.MERGE})

    [rating] = services.history.of(an).ratings
    assert (rating.rating, rating.note) == ("htxs", "cũ")


# --- duplicates -------------------------------------------------------------------------


@pytest.fixture
def known_person(services: Services, places: dict[str, int]) -> int:
    return services.subjects.create(IndividualData(
        "Nguyễn Văn An", "male", date(1980, 5, 1), citizen_id="001080012345",
        job_title="Chủ tịch UBND", residence="Xóm 1")).id


def _repeat_of_known_person(tmp_path: Path) -> Path:
    return filled_template(tmp_path, "individuals", [
        ["Nguyễn Văn An", "Nam", None, "001080012345", None, None, None, "Xóm 3"],
        ["Lê Thị Cúc", "Nữ", "02/02/1990"],
    ])


def test_row_with_a_known_citizen_id_is_a_likely_duplicate(
    services: Services, known_person: int, tmp_path: Path
) -> None:
    preview = preview_import(services, "individuals", _repeat_of_known_person(tmp_path))
    [duplicate] = preview.duplicates
    assert duplicate.existing_id == known_person
    assert str(duplicate) == (
        "Dòng 2: «Nguyễn Văn An» trùng với «Nguyễn Văn An», sinh 01/05/1980 đã có trong sổ "
        "(cùng số CCCD 001080012345)."
    )


def test_skipped_duplicate_leaves_the_known_person_unchanged(
    services: Services, known_person: int, tmp_path: Path
) -> None:
    before = services.subjects.data(known_person)
    preview = preview_import(services, "individuals", _repeat_of_known_person(tmp_path))

    result = commit_import(services, preview, {2: Resolution.SKIP})

    assert (result.created, result.updated, result.skipped) == (1, 0, 1)
    assert services.subjects.data(known_person) == before
    assert services.subjects.count("individual") == 2


def test_merged_duplicate_updates_only_the_filled_cells(
    services: Services, known_person: int, tmp_path: Path
) -> None:
    preview = preview_import(services, "individuals", _repeat_of_known_person(tmp_path))

    result = commit_import(services, preview, {2: Resolution.MERGE})

    assert (result.created, result.updated, result.skipped) == (1, 1, 0)
    merged = services.subjects.data(known_person)
    assert merged.residence == "Xóm 3"
    assert merged.job_title == "Chủ tịch UBND"  # empty in the file: kept
    assert merged.birth_date == date(1980, 5, 1)


def test_same_name_and_birth_date_twice_in_one_file(services: Services, tmp_path: Path) -> None:
    path = filled_template(tmp_path, "individuals", [
        ["Phạm Văn Đông", "Nam", "03/04/1975", None, None, None, "Nam Định"],
        ["Lê Thị Cúc", "Nữ", "02/02/1990"],
        ["pham van dong", "Nam", "03/04/1975", None, None, None, None, "Xóm 4"],
    ])
    preview = preview_import(services, "individuals", path)
    [duplicate] = preview.duplicates
    assert (duplicate.row, duplicate.earlier_row) == (4, 2)
    assert "cùng họ tên và ngày sinh" in str(duplicate)

    commit_import(services, preview, {4: Resolution.MERGE})

    dong = services.subjects.data(person_id(services, "Phạm Văn Đông"))  # spelling of row 2 kept
    assert (dong.home_town, dong.residence) == ("Nam Định", "Xóm 4")
    assert services.subjects.count("individual") == 2


def test_person_without_birth_date_or_citizen_id_imported_again_is_a_likely_duplicate(
    services: Services, tmp_path: Path
) -> None:
    path = filled_template(tmp_path, "individuals", [["Phạm Văn Đông", "Nam"]])
    import_file(services, "individuals", path)

    again = filled_template(tmp_path, "individuals", [["pham  van dong", "Nam"], ["Phạm Văn Đông", "Nam"]],
                            name="lan-2.xlsx")
    preview = preview_import(services, "individuals", again)

    assert [(d.row, d.existing_id) for d in preview.duplicates] == [
        (2, person_id(services, "Phạm Văn Đông")), (3, person_id(services, "Phạm Văn Đông"))]
    assert "cùng họ tên, không có ngày sinh và số CCCD" in str(preview.duplicates[0])
    import_file(services, "individuals", again)
    assert services.subjects.count("individual") == 1


def test_merge_that_breaks_a_rule_writes_nothing(
    services: Services, known_person: int, tmp_path: Path
) -> None:
    # Alone the row is valid; merged with the known birth date (1980) it is not.
    path = filled_template(tmp_path, "individuals", [
        ["Lê Thị Cúc", "Nữ", "02/02/1990"],
        ["Nguyễn Văn An", "Nam", None, "001080012345", None, None, None, None, None, None, None,
         None, None, "01/01/1979"],
    ])
    preview = preview_import(services, "individuals", path)
    before = counts(services)

    with pytest.raises(ValidationError, match="^Dòng 3: Ngày bắt đầu công tác phải sau ngày sinh"):
        commit_import(services, preview, {3: Resolution.MERGE})

    assert counts(services) == before



def test_unit_deleted_after_the_preview_names_its_row_and_writes_nothing(
    services: Services, places: dict[str, int], tmp_path: Path
) -> None:
    path = filled_template(tmp_path, "individuals", [
        ["Lê Thị Cúc", "Nữ"],
        ["Lê Văn Đạt", "Nam"],
        ["Lê Văn Em", "Nam", None, None, None, None, None, None, None, "UBND xã"],
    ])
    preview = preview_import(services, "individuals", path)
    services.subjects.delete(places["office"], "Sáp nhập")
    before = counts(services)

    with pytest.raises(ValidationError, match="^Dòng 4: Đơn vị công tác đã chọn không còn trong sổ"):
        commit_import(services, preview)

    assert counts(services) == before

# --- bad input --------------------------------------------------------------------------


def test_error_on_the_last_row_refuses_the_whole_file(services: Services, tmp_path: Path) -> None:
    rows = [[f"Nguyễn Văn Số{i}", "Nam", "01/01/1990"] for i in range(30)]
    rows.append(["Trần Thị Cuối", "Nữ", "31/02/1980"])
    preview = preview_import(services, "individuals", filled_template(tmp_path, "individuals", rows))
    assert [str(e) for e in preview.errors] == ["Dòng 32, cột «Ngày sinh»: ngày 31/02/1980 không tồn tại."]
    assert not preview.can_commit

    with pytest.raises(ValidationError, match="còn 1 lỗi"):
        commit_import(services, preview)

    assert services.subjects.count() == 0


def test_every_bad_cell_of_a_row_is_reported(services: Services, tmp_path: Path) -> None:
    path = filled_template(tmp_path, "individuals", [
        [None, "Nam giới", "1980", "12345", None, None, None, None, None, None, None, "Bộ đội",
         "có lẽ"],
        ["An", "Nam"],
    ])
    errors = [str(e) for e in preview_import(services, "individuals", path).errors]
    assert errors == [
        "Dòng 2, cột «Họ và tên»: ô bắt buộc, không được để trống.",
        "Dòng 2, cột «Giới tính»: “Nam giới” không có trong danh sách (Nam; Nữ).",
        "Dòng 2, cột «Ngày sinh»: “1980” không phải là ngày; hãy ghi theo dạng dd/mm/yyyy.",
        "Dòng 2, cột «Đối tượng»: “Bộ đội” không có trong danh sách (Cán bộ; Công chức; Viên chức; "
        "Người lao động; Công nhân; Nông dân; Khác).",
        "Dòng 2, cột «Lao động trực tiếp»: “có lẽ” không hợp lệ; hãy ghi Có hoặc Không.",
        "Dòng 3, cột «Họ và tên»: Họ và tên phải có ít nhất họ và tên (hai từ).",
    ]


def test_citizen_id_of_the_wrong_length_is_reported_by_the_register_rule(
    services: Services, tmp_path: Path
) -> None:
    path = filled_template(tmp_path, "individuals", [["Lê Văn Tám", "Nam", None, "12345"]])
    [error] = preview_import(services, "individuals", path).errors
    assert str(error) == "Dòng 2, cột «Số CCCD»: Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số."


def test_missing_and_unknown_headers_are_named(services: Services, tmp_path: Path) -> None:
    path = plain_workbook(tmp_path / "sai.xlsx", [
        ["Họ và tên", "Ngày sinhh", "Số CCCD"],
        ["Lê Văn Tám", "01/01/1990", None],
    ])
    with pytest.raises(FileFormatError) as raised:
        preview_import(services, "individuals", path)
    message = str(raised.value)
    assert "thiếu cột «Giới tính»" in message
    assert "cột «Ngày sinhh» không có trong mẫu «Cá nhân»" in message
    assert "tdkt template" in message


def test_headers_match_without_diacritics_case_or_required_mark(
    services: Services, tmp_path: Path
) -> None:
    path = plain_workbook(tmp_path / "tay.xlsx", [
        ["HO VA TEN *", "gioi  tinh (*)", "Ngày Sinh"],
        ["Lê Văn Tám", "Nam", "01/01/1990"],
    ])
    import_file(services, "individuals", path)
    assert [r.name for r in services.subjects.rows("individual")] == ["Lê Văn Tám"]


def test_merged_cells_are_refused(services: Services, places: dict[str, int], tmp_path: Path) -> None:
    path = filled_template(tmp_path, "individuals", [
        ["Lê Văn Tám", "Nam", None, None, None, None, None, None, None, "UBND xã"],
        ["Lê Văn Chín", "Nam"],
    ])
    workbook = load_workbook(path)
    workbook.worksheets[0].merge_cells("J2:J3")
    workbook.save(path)

    preview = preview_import(services, "individuals", path)

    assert [str(e) for e in preview.errors] == [
        "Dòng 2, cột «Đơn vị công tác»: các ô J2:J3 (dòng 2–3) được gộp. Hãy bỏ gộp ô (Unmerge) "
        "và ghi giá trị vào từng dòng."
    ]
    assert not preview.can_commit


def test_merged_header_cells_are_refused(services: Services, tmp_path: Path) -> None:
    path = filled_template(tmp_path, "villages", [["Thôn 1"]])
    workbook = load_workbook(path)
    workbook.worksheets[0].merge_cells("D1:E1")
    workbook.save(path)
    with pytest.raises(FileFormatError, match="có ô gộp \\(D1:E1\\)"):
        preview_import(services, "villages", path)


def test_data_on_a_renamed_second_sheet_is_found_by_its_header(
    services: Services, tmp_path: Path
) -> None:
    workbook = Workbook()
    workbook.active.title = "Ghi chú"
    workbook.active.append(["Danh sách do văn phòng lập ngày 02/01/2025"])
    sheet = workbook.create_sheet("Danh sách thôn")
    sheet.append(["Loại", "Tên thôn, tổ dân phố"])
    sheet.append(["Tổ dân phố", "Tổ dân phố 5"])
    path = tmp_path / "hai-trang.xlsx"
    workbook.save(path)

    preview = preview_import(services, "villages", path)

    assert (preview.errors, [r.name for r in preview.rows]) == ((), ["«Tổ dân phố 5»"])


def test_xls_file_is_refused_with_advice(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "cu.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(FileFormatError, match=r"Excel 97-2003 \(\.xls\).*Lưu thành"):
        preview_import(services, "villages", path)


def test_csv_renamed_to_xlsx_is_refused(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "danh-sach.xlsx"
    path.write_text("Tên thôn, tổ dân phố;Loại\nThôn 1;Thôn\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="không phải bảng tính Excel .xlsx.*CSV"):
        preview_import(services, "villages", path)


def test_zip_that_is_not_a_workbook_is_refused(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "nen.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "không phải bảng tính")
    with pytest.raises(FileFormatError, match="không phải bảng tính Excel .xlsx hợp lệ"):
        preview_import(services, "villages", path)


def test_missing_file_is_reported(services: Services, tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="Không tìm thấy tệp"):
        preview_import(services, "villages", tmp_path / "khong-co.xlsx")


def test_empty_sheet_is_refused(services: Services, tmp_path: Path) -> None:
    path = plain_workbook(tmp_path / "trong.xlsx", [])
    with pytest.raises(FileFormatError, match="trống: dòng 1 phải là dòng tiêu đề cột"):
        preview_import(services, "villages", path)


def test_header_without_data_is_refused(services: Services, tmp_path: Path) -> None:
    path = filled_template(tmp_path, "villages", [[], [None, None]])
    with pytest.raises(FileFormatError, match="không có dòng dữ liệu nào"):
        preview_import(services, "villages", path)


def test_blank_rows_between_data_are_skipped(services: Services, tmp_path: Path) -> None:
    path = filled_template(tmp_path, "villages", [["Thôn 1"], [], ["  ", "", " "], ["Thôn 2"]])
    preview = preview_import(services, "villages", path)
    assert [r.row for r in preview.rows] == [2, 5]
    assert preview.errors == ()


# --- progress and cancellation ----------------------------------------------------------


def test_cancelling_during_the_commit_writes_nothing(services: Services, tmp_path: Path) -> None:
    rows = [[f"Thôn {i}"] for i in range(1, 1001)]
    preview = preview_import(services, "villages", filled_template(tmp_path, "villages", rows))
    seen: list[tuple[int, int]] = []

    def report(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 600:
            raise CancelledError("Đã hủy.")

    with pytest.raises(CancelledError):
        commit_import(services, preview, report=report)

    assert seen[0] == (200, 1000)
    assert services.subjects.count() == 0


def test_cancelling_after_the_last_row_still_writes_nothing(services: Services, tmp_path: Path) -> None:
    preview = preview_import(services, "villages", filled_template(tmp_path, "villages", [["Thôn 1"]]))

    def report(done: int, total: int) -> None:
        raise CancelledError("Đã hủy.")

    with pytest.raises(CancelledError):
        commit_import(services, preview, report=report)
    assert services.subjects.count() == 0


def test_preview_reports_progress_and_can_be_cancelled(services: Services, tmp_path: Path) -> None:
    path = filled_template(tmp_path, "villages", [[f"Thôn {i}"] for i in range(1, 501)])
    seen: list[tuple[int, int]] = []
    preview_import(services, "villages", path, lambda done, total: seen.append((done, total)))
    assert seen[-1] == (500, 500)
    assert [done for done, _ in seen[:2]] == [200, 400]

    def cancel(done: int, total: int) -> None:
        raise CancelledError("Đã hủy.")

    with pytest.raises(CancelledError):
        preview_import(services, "villages", path, cancel)


@pytest.mark.slow
def test_fifty_thousand_rows_import_in_one_go(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "lon.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Cá nhân")
    sheet.append(["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD"])
    for i in range(50_000):
        sheet.append([f"Nguyễn Văn Số{i}", "Nam", date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                      f"{i:012d}"])
    workbook.save(path)

    preview, result = import_file(services, "individuals", path)

    assert preview.errors == ()
    assert result.created == 50_000
    assert services.subjects.count("individual") == 50_000
