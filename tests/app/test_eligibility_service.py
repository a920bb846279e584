"""EligibilityService: judge a subject of the register, keep the result, show it again."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import AuditFilter
from app.eligibility.json_format import outcome_from_dict
from app.eligibility.outcome import Status, Verdict
from app.eligibility.request import CheckRequest
from app.errors import NotFoundError, PermissionDeniedError, ValidationError
from app.history import RatingRecord
from app.roles import Actor, Role
from app.services import Services
from app.subject_data import IndividualData, VillageData
from db.models import AuditEntry, EligibilityCheck
from tests.conftest import OFFICER, account

LDTT_2025 = CheckRequest("LDTT", 2025, date(2026, 1, 20))
NOON = datetime(2026, 1, 20, 5, 0, tzinfo=UTC)


@pytest.fixture
def person(services: Services) -> int:
    subject_id = services.subjects.create(IndividualData(
        "Vũ Thị Mai", "female", employment="cong_chuc", employment_start=date(2025, 3, 1))).id
    services.history.save(subject_id, RatingRecord(2025, "tot"))
    return subject_id


def _at(sessions: sessionmaker[Session], moment: datetime) -> Services:
    return Services.create(sessions, account(sessions, OFFICER[0]), clock=lambda: moment)


def _checks(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count(EligibilityCheck.id))) or 0


def test_check_subject_judges_the_stored_history(services: Services, person: int) -> None:
    outcome = services.eligibility.check_subject(person, LDTT_2025)
    assert outcome.verdict is Verdict.ELIGIBLE
    assert {c.code: c.status for c in outcome.checks}["rating"] is Status.PASSED
    assert outcome.rule_set == "2025-ND152"


def test_check_subject_uses_the_officer_s_setting_in_force_on_the_decision_date(
        services: Services, person: int) -> None:
    services.rule_settings.set("ldtt_min_months", "11", date(2026, 1, 1), "Quy định của tỉnh")
    later = services.eligibility.check_subject(person, LDTT_2025)
    assert later.verdict is Verdict.NOT_ELIGIBLE
    assert ("ldtt_min_months", "11") in later.settings_used
    earlier = services.eligibility.check_subject(person, CheckRequest("LDTT", 2025, date(2025, 12, 31)))
    assert ("ldtt_min_months", "6") in earlier.settings_used
    assert earlier.verdict is Verdict.ELIGIBLE


def test_check_subject_reads_only(services: Services, sessions: sessionmaker[Session], person: int) -> None:
    before = services.audit.last_id()
    services.eligibility.check_subject(person, LDTT_2025)
    assert services.audit.last_id() == before and _checks(sessions) == 0


def test_a_request_the_checker_cannot_judge_is_a_validation_error(services: Services) -> None:
    village = services.subjects.create(VillageData("Thôn Tân Lập")).id
    with pytest.raises(ValidationError, match="không xét cho thôn"):
        services.eligibility.check_subject(village, LDTT_2025)


def test_saved_result_round_trips_with_its_row_and_audit_entry(
        sessions: sessionmaker[Session], person: int) -> None:
    services = _at(sessions, NOON)
    outcome = services.eligibility.check_subject(person, LDTT_2025)

    stored = services.eligibility.save(person, outcome)

    assert stored.outcome == outcome
    assert (stored.award_code, stored.route, stored.period_end, stored.decision_date) == (
        "LDTT", "annual", 2025, date(2026, 1, 20))
    assert (stored.verdict, stored.rule_set, stored.engine_version) == ("eligible", "2025-ND152", "1")
    assert stored.checked_at == datetime(2026, 1, 20, 5, 0)  # UTC, naive
    assert stored.checked_by_name == OFFICER[1]
    assert services.eligibility.saved_for(person) == [stored]
    with sessions() as session:
        row = session.get_one(EligibilityCheck, stored.id)
        assert row.checked_by == services.actor.user_id
        assert outcome_from_dict(json.loads(row.result_json)) == outcome
        assert row.result_json == json.dumps(json.loads(row.result_json), sort_keys=True,
                                             ensure_ascii=False, separators=(",", ":"))
    (entry,) = services.audit.entries(AuditFilter(entity="eligibility_check"))
    assert (entry.action, entry.entity_uuid, entry.username) == ("create", stored.uuid, OFFICER[0])
    assert entry.summary == ("Lưu kết quả kiểm tra điều kiện Lao động tiên tiến năm 2025 của "
                             "Vũ Thị Mai: Đủ điều kiện")
    assert entry.new_values is not None
    assert entry.new_values["verdict"] == "eligible" and entry.new_values["decision_date"] == "2026-01-20"
    assert services.audit.verify().ok


def test_saved_for_lists_newest_first_and_only_the_subject_s(
        sessions: sessionmaker[Session], services: Services, person: int) -> None:
    other = services.subjects.create(IndividualData("Tạ Văn Nghĩa", "male", employment="nong_dan")).id
    first = _at(sessions, NOON).eligibility
    first.save(person, first.check_subject(person, LDTT_2025))
    second = _at(sessions, NOON + timedelta(hours=1)).eligibility
    failed = second.check_subject(person, CheckRequest("CSTDCS", 2025, date(2026, 1, 20)))
    second.save(person, failed)
    second.save(other, second.check_subject(other, LDTT_2025))

    saved = services.eligibility.saved_for(person)

    assert [s.award_code for s in saved] == ["CSTDCS", "LDTT"]
    assert saved[0].outcome == failed and saved[0].verdict == "not_eligible"
    assert services.eligibility.saved_for(12345) == []


def test_viewer_cannot_save_and_nothing_is_written(
        sessions: sessionmaker[Session], services: Services, person: int) -> None:
    viewer = Services.create(sessions, Actor(None, "xem", "Người xem", Role.VIEWER))
    outcome = viewer.eligibility.check_subject(person, LDTT_2025)  # reading needs no permission
    before = services.audit.last_id()
    with pytest.raises(PermissionDeniedError, match="không có quyền sửa sổ theo dõi"):
        viewer.eligibility.save(person, outcome)
    assert _checks(sessions) == 0 and services.audit.last_id() == before


def test_saving_for_a_missing_subject_writes_nothing(services: Services, sessions: sessionmaker[Session],
                                                     person: int) -> None:
    outcome = services.eligibility.check_subject(person, LDTT_2025)
    before = services.audit.last_id()
    with pytest.raises(NotFoundError):
        services.eligibility.save(999, outcome)
    assert _checks(sessions) == 0 and services.audit.last_id() == before


def test_find_subject_takes_the_number_or_the_uuid(services: Services, person: int) -> None:
    row = services.subjects.row(person)
    assert services.eligibility.find_subject(str(person)).uuid == row.uuid
    assert services.eligibility.find_subject(f" {row.uuid.upper()} ").id == person
    with pytest.raises(NotFoundError, match="Không tìm thấy đối tượng “không-có”"):
        services.eligibility.find_subject("không-có")


def test_deleting_the_subject_removes_its_saved_results(
        services: Services, sessions: sessionmaker[Session], person: int) -> None:
    services.eligibility.save(person, services.eligibility.check_subject(person, LDTT_2025))
    services.subjects.delete(person, "Nhập trùng")
    assert _checks(sessions) == 0
    with sessions() as session:
        entities = session.scalars(select(AuditEntry.entity)).all()
    assert "eligibility_check" in entities  # the trail keeps the record of the check
    with sessions() as session:
        deletion = session.scalars(select(AuditEntry).filter_by(action="delete", entity="subject")).one()
    assert "1 kết quả kiểm tra điều kiện đã lưu" in deletion.summary
    assert len(json.loads(deletion.old_values or "{}")["saved_eligibility_checks"]) == 1


def test_save_many_in_keeps_each_check_with_its_own_audit_entry_in_order(
        services: Services, sessions: sessionmaker[Session], person: int) -> None:
    village = services.subjects.create(VillageData("Thôn Đồng Tâm")).id
    first = services.eligibility.check_subject(person, LDTT_2025)
    second = services.eligibility.check_subject(
        village, CheckRequest("THON_VH", 2025, date(2026, 1, 20)))
    with sessions.begin() as session:
        rows = services.eligibility.save_many_in(session, [(person, first), (village, second)])
        stored = [(row.subject_id, row.award_code, row.uuid) for row in rows]
    assert [(subject, code) for subject, code, _ in stored] == [(person, "LDTT"), (village, "THON_VH")]
    entries = services.audit.entries(AuditFilter(entity="eligibility_check"))
    assert sorted(e.entity_uuid or "" for e in entries) == sorted(uuid for _, _, uuid in stored)
    assert any("Thôn Đồng Tâm" in e.summary for e in entries)
    assert services.audit.verify().ok


def test_save_many_in_with_a_missing_subject_keeps_none(
        services: Services, sessions: sessionmaker[Session], person: int) -> None:
    outcome = services.eligibility.check_subject(person, LDTT_2025)
    with pytest.raises(NotFoundError), sessions.begin() as session:
        services.eligibility.save_many_in(session, [(person, outcome), (person + 999, outcome)])
    assert _checks(sessions) == 0
    assert services.audit.entries(AuditFilter(entity="eligibility_check")) == []
