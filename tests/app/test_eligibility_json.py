"""The checker's JSON format: round trips, and strict reading with the field path named."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.eligibility.checker import check
from app.eligibility.json_format import (
    canonical_json,
    outcome_from_dict,
    outcome_to_dict,
    read_check_file,
    request_from_dict,
    request_to_dict,
    snapshot_from_dict,
    snapshot_to_dict,
)
from app.eligibility.outcome import Verdict
from app.eligibility.request import PROPOSE, CheckRequest, Facts
from app.eligibility.rule_settings import RuleSettings
from app.eligibility.snapshot import (
    DisciplinePeriod,
    Leave,
    Member,
    PastAward,
    PastInitiative,
    SubjectSnapshot,
    YearRating,
)
from app.errors import FileFormatError, ValidationError

PERSON = SubjectSnapshot(
    kind="individual", name="Lê Thị Hằng", uuid="0b7c2a52-6f0e-4a59-9d36-3f8d3a1d2c11",
    gender="female", employment="vien_chuc", employment_start=date(2018, 9, 1),
    ratings=(YearRating(2023, "htxs"), YearRating(2024, "htxs"), YearRating(2025, "tot")),
    awards=(PastAward("CSTDCS", 2023, decision_number="12/QĐ-UBND", decision_date=date(2024, 1, 10),
                      issuer="UBND huyện", legal_basis="Luật TĐKT 2003", uuid="a1"),
            PastAward("CSTDCS", 2024, revoked_on=date(2025, 5, 2), decision_date=date(2025, 1, 8)),
            PastAward("GK_XA", 2025, period_start=2024, basis_kind="thematic")),
    initiatives=(PastInitiative(2024, "Số hóa hồ sơ một cửa", scope="province", recognised_by="UBND tỉnh",
                                decision_number="7/QĐ-UBND", decision_date=date(2024, 11, 3), uuid="i1"),),
    disciplines=(DisciplinePeriod("khien_trach", date(2021, 3, 1), date(2022, 3, 1), uuid="d1"),
                 DisciplinePeriod("pending", date(2025, 12, 1))),
    leaves=(Leave("maternity", date(2025, 2, 1), date(2025, 7, 31)),),
)
REQUEST = CheckRequest(
    "GK_XA", 2025, date(2026, 1, 15), route="sudden", action=PROPOSE,
    facts=Facts(achievement_summary="Cứu người đuối nước", event_date=date(2025, 8, 2), movement="",
                assessment_passed=True, public_notice_days=5, registered=False, cluster_leading=None,
                cluster_name="Cụm 3", basis_award_uuids=("a1", "b2")),
)


def _file(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "check.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _error(call, *args) -> ValidationError:  # noqa: ANN001 - any reader
    with pytest.raises(ValidationError) as raised:
        call(*args)
    return raised.value


def test_request_round_trips_with_every_fact() -> None:
    assert request_from_dict(json.loads(json.dumps(request_to_dict(REQUEST)))) == REQUEST


def test_minimal_request_takes_the_defaults() -> None:
    request = request_from_dict({"award_code": "LDTT", "period_end": 2025, "decision_date": "2026-01-20"})
    assert request == CheckRequest("LDTT", 2025, date(2026, 1, 20))


def test_snapshot_round_trips_with_nested_members() -> None:
    member = SubjectSnapshot("individual", "Trần Văn Bình", ratings=(YearRating(2025, "tot"),))
    collective = SubjectSnapshot(
        "collective", "Văn phòng HĐND và UBND", uuid="c1", ratings=(YearRating(2025, "htxs"),),
        members=(Member(PERSON, date(2019, 1, 1)), Member(member, None, date(2025, 6, 30))))
    assert snapshot_from_dict(json.loads(json.dumps(snapshot_to_dict(collective)))) == collective


def test_outcome_round_trips_through_canonical_json() -> None:
    subject = SubjectSnapshot("individual", "Lê Thị Hằng", employment="cong_chuc",
                              employment_start=date(2015, 1, 1), ratings=(YearRating(2025, "tot"),))
    outcome = check(CheckRequest("LDTT", 2025, date(2026, 1, 20)), subject, RuleSettings(date(2026, 1, 20)))
    stored = canonical_json(outcome_to_dict(outcome))
    assert outcome_from_dict(json.loads(stored)) == outcome
    data = json.loads(stored)
    assert data["verdict"] == "eligible" and data["verdict_label"] == "Đủ điều kiện"
    assert data["authority"] == {
        "decider": "commune_chairman", "label": "Chủ tịch UBND xã", "commune_decides": True,
        "basis": outcome.authority.basis}
    assert data["rule_set"]["code"] == "2025-ND152"
    assert {c["code"]: c["status_label"] for c in data["checks"]}["rating"] == "Đạt"
    assert data["settings_used"]["ldtt_min_months"] == "6"
    assert data["request"]["decision_date"] == "2026-01-20"


def test_outcome_with_settings_source_and_no_reward_round_trips() -> None:
    subject = SubjectSnapshot("individual", "An", employment="cong_chuc")
    outcome = check(CheckRequest("CSTD_TINH", 2025, date(2026, 1, 20)), subject, RuleSettings(date(2026, 1, 20)))
    data = outcome_to_dict(outcome, "defaults")
    assert data["settings_source"] == "defaults"
    assert outcome_from_dict(json.loads(canonical_json(data))) == outcome
    assert outcome.verdict is Verdict.NOT_ELIGIBLE


def test_canonical_json_sorts_keys_and_keeps_vietnamese_letters() -> None:
    assert canonical_json({"b": "Đạt", "a": [1, 2]}) == '{"a":[1,2],"b":"Đạt"}'


@pytest.mark.parametrize(("data", "field"), [
    ({"award_code": "LDTT", "period_end": 2025, "decision_date": "2026-01-20", "perod_end": 1}, "request.perod_end"),
    ({"award_code": "LDTT", "period_end": 2025, "decision_date": "2026-01-20", "facts": {"registerd": True}},
     "request.facts.registerd"),
])
def test_unknown_request_keys_are_refused_with_their_path(data: dict, field: str) -> None:
    error = _error(request_from_dict, data)
    assert error.field == field
    assert f"“{field}”" in str(error) and "gõ sai tên" in str(error)


def test_unknown_key_deep_in_a_member_names_the_whole_path() -> None:
    data = {"kind": "collective", "name": "Tổ 1", "members": [
        {"person": {"kind": "individual", "name": "A"}},
        {"person": {"kind": "individual", "name": "B", "awards": [{"award_code": "LDTT", "year": 2024,
                                                                  "revokd_on": "2025-01-01"}]}}]}
    assert _error(snapshot_from_dict, data).field == "subject.members[1].person.awards[0].revokd_on"


@pytest.mark.parametrize("text", ["2026-1-20", "20/01/2026", "2026-02-30", "20260120", "2026-01-20T00:00"])
def test_malformed_or_impossible_dates_are_refused(text: str) -> None:
    error = _error(request_from_dict, {"award_code": "LDTT", "period_end": 2025, "decision_date": text})
    assert error.field == "request.decision_date"
    assert "YYYY-MM-DD" in str(error) and text in str(error)


def test_bad_date_in_history_names_its_place() -> None:
    data = {"kind": "individual", "name": "A", "disciplines": [{"form": "canh_cao", "decided_on": "2024-13-01"}]}
    assert _error(snapshot_from_dict, data).field == "subject.disciplines[0].decided_on"


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"period_end": 2025, "decision_date": "2026-01-20"}, "request.award_code", "Thiếu trường bắt buộc"),
    ({"award_code": "LDTX", "period_end": 2025, "decision_date": "2026-01-20"}, "request.award_code",
     "không hợp lệ"),
    ({"award_code": "LDTT", "period_end": "2025", "decision_date": "2026-01-20"}, "request.period_end",
     "số nguyên"),
    ({"award_code": "LDTT", "period_end": True, "decision_date": "2026-01-20"}, "request.period_end",
     "số nguyên"),
    ({"award_code": "LDTT", "period_end": 20255, "decision_date": "2026-01-20"}, "request.period_end",
     "từ 1900 đến 2100"),
    ({"award_code": "LDTT", "period_end": 2025, "decision_date": "2026-01-20", "action": "approve"},
     "request.action", "không hợp lệ"),
    ({"award_code": "LDTT", "period_end": 2025, "decision_date": "2026-01-20",
      "facts": {"registered": "yes"}}, "request.facts.registered", "true hoặc false"),
    ({"award_code": "LDTT", "period_end": 2025, "decision_date": None}, "request.decision_date", "ngày"),
])
def test_bad_request_values_name_the_field(data: dict, field: str, words: str) -> None:
    error = _error(request_from_dict, data)
    assert error.field == field and words in str(error)


@pytest.mark.parametrize(("data", "field"), [
    ({"kind": "person", "name": "A"}, "subject.kind"),
    ({"kind": "individual"}, "subject.name"),
    ({"kind": "individual", "name": "A", "ratings": [{"year": 2024, "rating": "gioi"}]},
     "subject.ratings[0].rating"),
    ({"kind": "individual", "name": "A", "ratings": [{"year": 2024, "rating": "tot"},
                                                     {"year": 2024, "rating": "ht"}]}, "subject.ratings[1].year"),
    ({"kind": "individual", "name": "A", "awards": {"award_code": "LDTT"}}, "subject.awards"),
    ({"kind": "individual", "name": "A", "awards": [{"award_code": "LDTT", "year": 2024,
                                                     "period_start": 2025}]}, "subject.awards[0].period_start"),
    ({"kind": "individual", "name": "A", "leaves": [{"kind": "maternity", "starts_on": "2025-05-01",
                                                     "ends_on": "2025-04-01"}]}, "subject.leaves[0].ends_on"),
    ({"kind": "collective", "name": "T", "members": [{"person": {"kind": "household", "name": "H"}}]},
     "subject.members[0].person.kind"),
    ({"kind": "collective", "name": "T", "members": [{"joined_on": "2024-01-01"}]},
     "subject.members[0].person"),
])
def test_bad_snapshot_values_name_the_field(data: dict, field: str) -> None:
    assert _error(snapshot_from_dict, data).field == field


def test_check_file_is_read_with_request_and_subject(tmp_path: Path) -> None:
    path = _file(tmp_path, {"request": request_to_dict(REQUEST), "subject": snapshot_to_dict(PERSON)})
    assert read_check_file(path) == (REQUEST, PERSON)


def test_check_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    text = json.dumps({"request": request_to_dict(REQUEST), "subject": snapshot_to_dict(PERSON)})
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_check_file(path)[0] == REQUEST


@pytest.mark.parametrize(("data", "field"), [
    ({"request": {"award_code": "LDTT", "period_end": 2025, "decision_date": "2026-01-20"}}, "subject"),
    ({"request": {}, "subject": {}, "note": "x"}, "note"),
])
def test_check_file_needs_exactly_request_and_subject(tmp_path: Path, data: dict, field: str) -> None:
    assert _error(read_check_file, _file(tmp_path, data)).field == field


def test_repeated_key_in_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.json"
    path.write_text('{"request": {}, "request": {}, "subject": {}}', encoding="utf-8")
    assert "hai lần" in str(_error(read_check_file, path))


def test_file_that_is_not_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "request": {,\n}', encoding="utf-8")
    with pytest.raises(FileFormatError, match="dòng 2, cột 15"):
        read_check_file(path)


def test_missing_file_is_a_vietnamese_error(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="Không tìm thấy tệp"):
        read_check_file(tmp_path / "khong-co.json")
