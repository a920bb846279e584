"""`tdkt check`: a file or a subject of the register, judged and printed as JSON."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from app.catalogue import AWARD_KINDS
from app.eligibility.checker import ROUTE_LABELS
from app.eligibility.json_format import outcome_from_dict
from app.eligibility.rule_settings import DEFINITIONS
from app.history import RatingRecord
from app.roles import Role
from app.services import Services
from app.subject_data import IndividualData
from db.migrate import open_database
from tests.conftest import ADMIN, OFFICER, DatabaseFile, account, as_officer
from ui.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "check-ldtt.json"
SUBJECT_ARGS = ["--award", "LDTT", "--period", "2025", "--decision-date", "2026-01-20"]
VIEWER = ("xem", "Phạm Văn Xem", "mat-khau-xem")


@pytest.fixture
def register(database_file: DatabaseFile) -> tuple[Path, int, str]:
    """A database with one rated person; (path, subject id, subject uuid)."""
    made: list[tuple[int, str]] = []

    def fill(services: Services) -> None:
        row = services.subjects.create(IndividualData(
            "Ngô Thị Thu", "female", employment="cong_chuc", employment_start=date(2016, 4, 1)))
        services.history.save(row.id, RatingRecord(2025, "tot"))
        admin = Services.create(services.sessions, account(services.sessions, ADMIN[0]))
        admin.users.create(VIEWER[0], VIEWER[1], Role.VIEWER, VIEWER[2], must_change_password=False)
        made.append((row.id, row.uuid))

    path = database_file(fill)
    return path, *made[0]


def _file(tmp_path: Path, request: dict, subject: dict) -> Path:
    path = tmp_path / "check.json"
    path.write_text(json.dumps({"request": request, "subject": subject}, ensure_ascii=False), encoding="utf-8")
    return path


def _saved(path: Path, subject_id: int) -> list:
    opened = open_database(path)
    try:
        sessions = sessionmaker(opened.engine, expire_on_commit=False)
        return Services.create(sessions, account(sessions, OFFICER[0])).eligibility.saved_for(subject_id)
    finally:
        opened.close()


def test_example_file_runs_without_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "khong-mo.sqlite"
    assert main(["--db", str(missing), "check", str(EXAMPLE)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["verdict"], data["verdict_label"]) == ("eligible", "Đủ điều kiện")
    assert data["settings_source"] == "defaults"
    assert data["rule_set"]["code"] == "2025-ND152"
    assert data["authority"]["commune_decides"] is True
    assert data["reward"]["amount"] == 710000
    assert outcome_from_dict(data).request.award_code == "LDTT"
    assert not missing.exists()


def test_not_eligible_is_a_result_with_exit_code_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path, {"award_code": "LDTT", "period_end": 2025, "decision_date": "2026-01-20"},
                 {"kind": "individual", "name": "Lâm Văn Hải", "employment": "cong_chuc",
                  "employment_start": "2010-01-01", "ratings": [{"year": 2025, "rating": "ht"}]})
    assert main(["check", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["verdict"], data["verdict_label"]) == ("not_eligible", "Không đủ điều kiện")
    assert {c["code"]: c["status"] for c in data["checks"]}["rating"] == "failed"


def test_unknown_award_code_in_a_file_is_exit_1_with_the_field(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path, {"award_code": "LDTX", "period_end": 2025, "decision_date": "2026-01-20"},
                 {"kind": "individual", "name": "A"})
    assert main(["check", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("Lỗi: Trường “request.award_code” có mã “LDTX” không hợp lệ")


def test_a_typo_in_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path, {"award_code": "LDTT", "period_end": 2025, "decision_date": "2026-01-20"},
                 {"kind": "individual", "name": "A", "ratngs": []})
    assert main(["check", str(path)]) == 1
    assert "“subject.ratngs”" in capsys.readouterr().err


def test_award_without_rules_is_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path, {"award_code": "HC_LD3", "period_end": 2025, "decision_date": "2026-01-20"},
                 {"kind": "individual", "name": "A"})
    assert main(["check", str(path)]) == 1
    assert "Chưa có quy tắc kiểm tra" in capsys.readouterr().err


@pytest.mark.usefixtures("officer_password")
def test_subject_of_the_register_is_checked_with_its_settings(
        register: tuple[Path, int, str], capsys: pytest.CaptureFixture[str]) -> None:
    path, subject_id, uuid = register
    assert main([*as_officer(path), "check", "--subject", str(subject_id), *SUBJECT_ARGS]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "eligible" and data["settings_source"] == "database"
    assert data["subject"] == {"id": subject_id, "uuid": uuid, "kind": "individual", "name": "Ngô Thị Thu"}
    assert "saved" not in data
    assert _saved(path, subject_id) == []


@pytest.mark.usefixtures("officer_password")
def test_save_stores_the_result_found_by_uuid(
        register: tuple[Path, int, str], capsys: pytest.CaptureFixture[str]) -> None:
    path, subject_id, uuid = register
    assert main([*as_officer(path), "check", "--subject", uuid, *SUBJECT_ARGS,
                 "--action", "propose", "--save"]) == 0
    data = json.loads(capsys.readouterr().out)
    (stored,) = _saved(path, subject_id)
    assert data["saved"] == {"id": stored.id, "uuid": stored.uuid}
    assert stored.outcome.action == "propose" and stored.checked_by_name == OFFICER[1]


def test_viewer_may_check_but_not_save(register: tuple[Path, int, str], monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path, subject_id, _uuid = register
    monkeypatch.setenv("TDKT_PASSWORD", VIEWER[2])
    viewer = ["--db", str(path), "--user", VIEWER[0], "check", "--subject", str(subject_id), *SUBJECT_ARGS]
    assert main(viewer) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "eligible"
    assert main([*viewer, "--save"]) == 1
    assert "không có quyền sửa sổ theo dõi" in capsys.readouterr().err
    assert _saved(path, subject_id) == []


@pytest.mark.usefixtures("officer_password")
@pytest.mark.parametrize(("arguments", "message"), [
    (["--subject", "1", "--award", "XYZ", "--period", "2025", "--decision-date", "2026-01-20"],
     "Lỗi: Không có danh hiệu, hình thức khen thưởng mã “XYZ”"),
    (["--subject", "99999", *SUBJECT_ARGS], "Lỗi: Không tìm thấy đối tượng “99999”"),
    (["--subject", "1", "--award", "LDTT", "--period", "2027", "--decision-date", "2026-01-20"],
     "Lỗi: Năm thành tích 2027 sau ngày quyết định"),
])
def test_subject_mode_problems_are_exit_1_in_vietnamese(
        register: tuple[Path, int, str], capsys: pytest.CaptureFixture[str], arguments: list[str],
        message: str) -> None:
    assert main([*as_officer(register[0]), "check", *arguments]) == 1
    assert capsys.readouterr().err.startswith(message)


def test_subject_mode_needs_a_signed_in_user(register: tuple[Path, int, str],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(register[0]), "check", "--subject", "1", *SUBJECT_ARGS]) == 1
    assert "Hãy cho biết tài khoản đăng nhập" in capsys.readouterr().err


@pytest.mark.parametrize("arguments", [
    ["--award", "LDTT"],
    ["x.json", "--subject", "1"],
    ["x.json", "--award", "LDTT"],
    ["--subject", "1", "--award", "LDTT"],
    ["--list-awards", "--save"],
    ["--subject", "1", "--award", "LDTT", "--period", "2025", "--decision-date", "20/01/2026"],
])
def test_wrong_combinations_are_usage_errors(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["check", *arguments])
    assert raised.value.code == 2
    assert "lỗi cú pháp" in capsys.readouterr().err


def test_list_awards_names_codes_routes_and_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--list-awards"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "LDTT\tLao động tiên tiến\tcá nhân\tcó quy tắc kiểm tra" in lines
    assert "\ttuyến initiatives: Điểm d: 2 năm liên tục hoàn thành xuất sắc nhiệm vụ và 2 sáng kiến" in lines
    assert "HC_LD3\tHuân chương Lao động hạng Ba\tcá nhân, tập thể\tchưa có quy tắc kiểm tra" in lines
    assert ("BK_TINH\tBằng khen của Chủ tịch UBND tỉnh\tcá nhân, tập thể, hộ gia đình, thôn, tổ dân phố\t"
            "có quy tắc kiểm tra cho cá nhân") in lines


def test_docs_show_the_example_file_and_its_real_output(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "docs" / "eligibility-check.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL)
    assert json.loads(blocks[0]) == json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert main(["check", str(EXAMPLE)]) == 0
    assert json.loads(blocks[1]) == json.loads(capsys.readouterr().out)


def test_docs_name_every_award_code_route_and_setting() -> None:
    text = (ROOT / "docs" / "eligibility-check.md").read_text(encoding="utf-8")
    named = [*(kind.code for kind in AWARD_KINDS), *ROUTE_LABELS, *(item.key for item in DEFINITIONS)]
    assert [name for name in named if f"`{name}`" not in text] == []
