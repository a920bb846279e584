"""`tdkt nominations` and `tdkt nomination show`: what an IT helper's script reads."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.eligibility.declared_facts import DeclaredFacts
from app.history import RatingRecord
from app.services import Services
from app.subject_data import HouseholdData, IndividualData
from tests.conftest import DatabaseFile, as_officer
from ui.main import main


@pytest.fixture
def register(database_file: DatabaseFile) -> tuple[Path, int, str]:
    """A database with one checked LĐTT nomination and one returned; (path, checked id, its uuid)."""
    made: list[tuple[int, str]] = []

    def fill(services: Services) -> None:
        people = services.subjects.create_many([
            IndividualData("Ngô Thị Thu", "female", employment="cong_chuc", employment_start=date(2016, 4, 1)),
            IndividualData("Đặng Văn Lâm", "male", employment="cong_chuc", employment_start=date(2016, 4, 1))])
        for subject_id in people:
            services.history.save(subject_id, RatingRecord(2025, "tot"))
        checked = services.nominations.create(subject_id=people[0], award_code="LDTT", year=2025,
                                              planned_decision_date=date(2026, 1, 20),
                                              achievement_summary="Hoàn thành tốt nhiệm vụ")
        services.nominations.check(checked)
        returned = services.nominations.create(subject_id=people[1], award_code="LDTT", year=2025)
        services.nominations.return_(returned, "Trùng với đề nghị của đơn vị", date(2026, 1, 10))
        made.append((checked, services.nominations.detail(checked).row.uuid))

    path = database_file(fill)
    return path, *made[0]


def test_nominations_lists_the_year(register: tuple[Path, int, str], officer_password: None,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    path, checked, _uuid = register
    assert main([*as_officer(path), "nominations", "--year", "2025"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:5] for line in lines] == [
        ["2", "Đặng Văn Lâm", "Lao động tiên tiến", "Thủ tục thông thường", "Bị trả lại"],
        [str(checked), "Ngô Thị Thu", "Lao động tiên tiến", "Thủ tục thông thường", "Đã kiểm tra điều kiện"]]
    assert lines[1].split("\t")[5:] == ["Xã quyết định", "Đủ điều kiện", "0 tệp"]


def test_nominations_filters_by_state_and_says_when_there_are_none(
        register: tuple[Path, int, str], officer_password: None, capsys: pytest.CaptureFixture[str]) -> None:
    path, _checked, _uuid = register
    assert main([*as_officer(path), "nominations", "--year", "2025", "--state", "returned"]) == 0
    assert [line.split("\t")[1] for line in capsys.readouterr().out.splitlines()] == ["Đặng Văn Lâm"]
    assert main([*as_officer(path), "nominations", "--year", "2025", "--state", "proposed"]) == 0
    assert capsys.readouterr().out.strip() == "Năm 2025 chưa có đề nghị khen thưởng nào ở trạng thái «Đã trình cấp trên»."


def test_an_unknown_state_is_a_usage_error(register: tuple[Path, int, str], officer_password: None,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path, _checked, _uuid = register
    with pytest.raises(SystemExit) as stopped:
        main([*as_officer(path), "nominations", "--state", "done"])
    assert stopped.value.code == 2


def test_show_prints_state_events_checklist_and_deadlines(register: tuple[Path, int, str],
                                                          officer_password: None,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path, checked, uuid = register
    assert main([*as_officer(path), "nomination", "show", uuid]) == 0
    out = capsys.readouterr().out
    by_number = main([*as_officer(path), "nomination", "show", str(checked)])
    assert by_number == 0 and capsys.readouterr().out == out
    lines = out.splitlines()
    assert lines[:6] == [f"Đề nghị số {checked} ({uuid})", "Trạng thái: Đã kiểm tra điều kiện",
                         "Thủ tục: Thủ tục thông thường", "Đối tượng: Ngô Thị Thu",
                         "Danh hiệu, hình thức: Lao động tiên tiến năm 2025", "Thẩm quyền: Xã quyết định"]
    assert "Tóm tắt thành tích: Hoàn thành tốt nhiệm vụ" in lines
    assert not any(line.startswith("Thông tin cán bộ kê khai") for line in lines)  # LĐTT needs none
    steps = lines.index("Các bước:")
    assert lines[steps + 1].startswith("  20/01/2026: Kiểm tra điều kiện: Dự thảo → Đã kiểm tra điều kiện")
    dossier = lines.index("Hồ sơ:")
    assert lines[dossier + 1:dossier + 4] == ["  [ ] Tờ trình đề nghị", "  [ ] Báo cáo thành tích (Mẫu 03)",
                                              "  [ ] Biên bản bình xét thi đua"]
    assert lines[-2:] == ["Hạn trong 7 ngày tới:", "  (không có)"]


def test_show_of_a_returned_nomination_gives_the_reason(register: tuple[Path, int, str], officer_password: None,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path, _checked, _uuid = register
    assert main([*as_officer(path), "nomination", "show", "2"]) == 0
    out = capsys.readouterr().out
    assert "Lý do trả lại: Trùng với đề nghị của đơn vị" in out
    assert "(chưa kiểm tra điều kiện: chưa biết thành phần hồ sơ)" in out


def test_show_of_an_unknown_nomination_is_a_user_error(register: tuple[Path, int, str], officer_password: None,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path, _checked, _uuid = register
    assert main([*as_officer(path), "nomination", "show", "999"]) == 1
    assert "Không tìm thấy đề nghị “999”" in capsys.readouterr().err


def test_show_prints_the_declared_facts_the_award_needs(database_file: DatabaseFile, officer_password: None,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    def fill(services: Services) -> None:
        household = services.subjects.create(HouseholdData("Hộ bà Lường Thị Én")).id
        nomination_id = services.nominations.create(subject_id=household, award_code="GDVH", year=2025)
        services.nominations.update(nomination_id, declared_facts=DeclaredFacts(assessment_passed=True))

    path = database_file(fill)
    assert main([*as_officer(path), "nomination", "show", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = lines.index("Thông tin cán bộ kê khai cho kiểm tra điều kiện:")
    assert lines[start + 1:start + 3] == ["  Kết quả bình xét: Đạt các tiêu chí",
                                          "  Số ngày công khai danh sách: Chưa ghi"]
