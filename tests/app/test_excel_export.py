"""Templates and exports: the layout officers fill in, and export → import round trips."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import sessionmaker

from app import catalogue
from app.errors import CancelledError, FileWriteError
from app.excel_columns import SHEET_KINDS
from app.excel_export import export_register, write_template
from app.excel_import import import_file, preview_import
from app.excel_register import sheet_values
from app.history import AwardRecord, DisciplineRecord, InitiativeRecord, RatingRecord
from app.services import Services
from app.subject_data import CollectiveData, HouseholdData, IndividualData, MemberData, VillageData
from db.migrate import open_database
from tests.conftest import OFFICER, account


@pytest.fixture
def other_services(template_database: Path, tmp_path: Path) -> Iterator[Services]:
    """A second, empty register to import into."""
    path = tmp_path / "other.sqlite"
    shutil.copyfile(template_database, path)
    database = open_database(path)
    sessions = sessionmaker(database.engine, expire_on_commit=False)
    yield Services.create(sessions, account(sessions, OFFICER[0]))
    database.close()


@pytest.fixture
def full_register(services: Services) -> Services:
    """Every kind of subject, references between them, and every kind of record."""
    create = services.subjects.create
    village = create(VillageData("Thôn Đông Hải", "thon", True, False, "ven biển")).id
    create(VillageData("Tổ dân phố Trung Hòa", "to_dan_pho", ethnic_minority_area=True))
    # A collective created before its parent: the export must still list parents first.
    cell = create(CollectiveData("Tổ đảng số 1", "team", None, village)).id
    party = create(CollectiveData("Đảng ủy xã", "agency")).id
    branch = create(CollectiveData("Chi bộ thôn Đông Hải", "team", party, village)).id
    services.subjects.update(cell, CollectiveData("Tổ đảng số 1", "team", branch, village))
    an = create(IndividualData(
        "Nguyễn Văn An", "male", date(1980, 5, 1), "Tày", "Phật giáo", "Hà Nam", "Xóm 1",
        "001080012345", "Bí thư", branch, village, "can_bo", True, date(2005, 2, 1), True, False,
        "ghi chú")).id
    lan = create(IndividualData("Trần Thị Lan", "female", date(1984, 7, 9), village_id=village)).id
    child = create(IndividualData("Nguyễn Thị Mai", "female", citizen_id="001310000111")).id
    household = create(HouseholdData("Hộ ông Nguyễn Văn An", village, "Xóm 1", (
        MemberData(an, "Chủ hộ", True), MemberData(lan, "vợ"), MemberData(child, "con")))).id
    save = services.history.save
    save(an, RatingRecord(2023, "htxs"))
    save(an, RatingRecord(2024, "tot", "đạt"))
    save(an, AwardRecord("CSTDCS", 2023, "12/QĐ-UBND", date(2024, 1, 15), "UBND xã", "Luật TĐKT 2022"))
    save(an, InitiativeRecord(2023, "Số hóa hồ sơ", "province", "Hội đồng sáng kiến tỉnh",
                              "3/QĐ", date(2023, 12, 1)))
    save(lan, DisciplineRecord("khien_trach", date(2022, 6, 1), date(2023, 6, 1), "chậm"))
    save(lan, AwardRecord("GK_XA", 2021, period_start=2019, basis_kind="contribution_period",
                          revoked_on=date(2022, 1, 1), revoked_reason="khai sai"))
    save(household, AwardRecord("GDVH", 2024))
    save(branch, AwardRecord("TTLDTT", 2024))
    return services


def test_template_has_headers_lists_and_hints(tmp_path: Path) -> None:
    path = write_template(tmp_path / "ca-nhan.xlsx", "individuals")

    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Cá nhân", "Hướng dẫn", "Danh mục"]
    sheet = workbook["Cá nhân"]
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in SHEET_KINDS["individuals"].columns]
    assert sheet.max_row == 1
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].number_format == "DD/MM/YYYY"  # Ngày sinh
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["B2"] == "'Danh mục'!$A$2:$A$3"  # Giới tính
    assert set(lists) == {"B2", "L2", "M2", "O2", "P2"}
    catalogue_sheet = workbook["Danh mục"]
    assert [c.value for c in catalogue_sheet["A"] if c.value] == ["Giới tính", "Nam", "Nữ"]
    employment = [c.value for c in catalogue_sheet["B"] if c.value]
    assert employment == ["Đối tượng", *catalogue.EMPLOYMENT.values()]
    hints = {row[0]: row[2] for row in workbook["Hướng dẫn"].iter_rows(values_only=True) if len(row) > 2}
    assert hints["Họ và tên"].startswith("Bắt buộc.")


def test_history_template_lists_the_contents_of_each_record_type(tmp_path: Path) -> None:
    workbook = load_workbook(write_template(tmp_path / "lich-su.xlsx", "history"))
    columns = {col[0].value: [c.value for c in col[1:] if c.value]
               for col in workbook["Danh mục"].iter_cols()}
    assert columns["Nội dung: xếp loại"] == list(catalogue.RATINGS.values())
    assert columns["Nội dung: danh hiệu, khen thưởng"] == [k.label for k in catalogue.AWARD_KINDS]
    assert columns["Loại bản ghi"] == ["Xếp loại", "Danh hiệu, khen thưởng", "Sáng kiến", "Kỷ luật"]


@pytest.mark.parametrize("kind", list(SHEET_KINDS))
def test_blank_template_reads_back_as_empty(services: Services, kind: str, tmp_path: Path) -> None:
    path = write_template(tmp_path / f"{kind}.xlsx", kind)
    with pytest.raises(Exception, match="không có dòng dữ liệu nào"):
        preview_import(services, kind, path)


def test_export_writes_dates_as_dates_and_codes_as_labels(full_register: Services, tmp_path: Path) -> None:
    path = tmp_path / "ca-nhan.xlsx"
    assert export_register(full_register, "individuals", path) == 3

    sheet = load_workbook(path)["Cá nhân"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    an = rows["Nguyễn Văn An"]
    assert an[1].value == "Nam"
    assert an[2].value == datetime(1980, 5, 1)
    assert an[2].number_format == "DD/MM/YYYY"
    assert an[3].value == "001080012345"
    assert an[9].value == "Chi bộ thôn Đông Hải"
    assert an[11].value == "Cán bộ"
    assert an[12].value == "Có"
    assert not (tmp_path / "ca-nhan.xlsx.part").exists()


def test_export_then_import_rebuilds_the_same_register(
    full_register: Services, other_services: Services, tmp_path: Path
) -> None:
    for kind in SHEET_KINDS:  # villages, collectives, individuals, households, history
        path = tmp_path / f"{kind}.xlsx"
        export_register(full_register, kind, path)
        preview, _result = import_file(other_services, kind, path)
        assert preview.errors == () and preview.duplicates == ()

    for kind in SHEET_KINDS:
        assert sheet_values(other_services.sessions, kind) == sheet_values(full_register.sessions, kind)


def test_importing_an_export_into_the_same_register_finds_only_duplicates(
    full_register: Services, tmp_path: Path
) -> None:
    for kind in ("villages", "collectives", "individuals", "households", "history"):
        path = tmp_path / f"{kind}.xlsx"
        export_register(full_register, kind, path)
        preview = preview_import(full_register, kind, path)
        assert preview.errors == ()
        assert len(preview.duplicates) == len(preview.rows), kind


def test_merging_an_export_keeps_two_same_named_households_of_one_village_apart(
    services: Services, tmp_path: Path
) -> None:
    create = services.subjects.create
    village = create(VillageData("Thôn Đông Hải")).id
    households = []
    for born, address in ((date(1989, 11, 19), "Số 110"), (date(1947, 7, 23), "Số 217")):
        head = create(IndividualData("Nguyễn Văn Tài", "male", born)).id
        households.append(create(HouseholdData(
            "Hộ ông Nguyễn Văn Tài", village, address, (MemberData(head, "Chủ hộ", True),))).id)
    before = [services.subjects.data(h) for h in households]
    path = tmp_path / "ho.xlsx"
    export_register(services, "households", path)

    _preview, result = import_file(services, "households", path, merge_duplicates=True)

    assert result.updated == 2
    assert [services.subjects.data(h) for h in households] == before


@pytest.fixture
def namesakes(services: Services) -> Services:
    """Two same-named households in different villages and two same-named collectives."""
    create = services.subjects.create
    save = services.history.save
    for village_name, born in (("Thôn 1", date(1960, 1, 2)), ("Thôn 2", date(1975, 3, 4))):
        village = create(VillageData(village_name)).id
        head = create(IndividualData("Nguyễn Văn Lâm", "male", born, village_id=village)).id
        household = create(HouseholdData("Hộ ông Nguyễn Văn Lâm", village, "",
                                         (MemberData(head, "Chủ hộ", True),))).id
        save(household, AwardRecord("GDVH", 2024))
        collective = create(CollectiveData("Chi hội Phụ nữ", "team", None, village)).id
        save(collective, AwardRecord("TTLDTT", 2023 if village_name == "Thôn 1" else 2024))
    return services


def test_history_of_same_named_subjects_imports_back_into_the_same_register(
    namesakes: Services, tmp_path: Path
) -> None:
    path = tmp_path / "lich-su.xlsx"
    export_register(namesakes, "history", path)

    preview = preview_import(namesakes, "history", path)

    assert preview.errors == ()
    assert len(preview.duplicates) == len(preview.rows) == 4


def test_history_of_same_named_subjects_imports_into_a_new_register_after_its_subjects(
    namesakes: Services, other_services: Services, tmp_path: Path
) -> None:
    for kind in ("villages", "collectives", "individuals", "households", "history"):
        path = tmp_path / f"{kind}.xlsx"
        export_register(namesakes, kind, path)
        preview, _result = import_file(other_services, kind, path)
        assert preview.errors == () and preview.duplicates == (), kind

    for kind in SHEET_KINDS:
        assert sheet_values(other_services.sessions, kind) == sheet_values(namesakes.sessions, kind)


def test_export_writes_each_subjects_uuid(namesakes: Services, tmp_path: Path) -> None:
    path = tmp_path / "tap-the.xlsx"
    export_register(namesakes, "collectives", path)

    sheet = load_workbook(path)["Tập thể"]
    header = [c.value for c in sheet[1]]
    written = [row[header.index("Mã đối tượng")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert written == [r.uuid for r in namesakes.subjects.rows("collective")]


def test_cancelled_export_leaves_the_old_file_alone(full_register: Services, tmp_path: Path) -> None:
    path = tmp_path / "ca-nhan.xlsx"
    path.write_bytes(b"old")

    def cancel(done: int, total: int) -> None:
        raise CancelledError("Đã hủy.")

    with pytest.raises(CancelledError):
        export_register(full_register, "individuals", path, cancel)

    assert path.read_bytes() == b"old"
    assert not (tmp_path / "ca-nhan.xlsx.part").exists()


def test_unwritable_target_gives_a_vietnamese_message(tmp_path: Path) -> None:
    folder = tmp_path / "ca-nhan.xlsx"
    folder.mkdir()  # a folder where the file should go: the final rename fails
    with pytest.raises(FileWriteError, match="^Không ghi được tệp ca-nhan.xlsx"):
        write_template(folder, "individuals")
    assert not (tmp_path / "ca-nhan.xlsx.part").exists()
