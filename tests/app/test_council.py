"""Council sessions through the service: members from the setup, refusals that change nothing,
finalising that moves nominations, corrections, the CSTĐCS default quota, the audit trail."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.audit import AuditFilter
from app.commune import CommuneSetup, OfficialData
from app.errors import ValidationError
from app.history import RatingRecord
from app.nomination_flow import apply_action, new_nomination
from tests.app.nomination_builders import record_passing_check
from app.nomination_states import Action, State
from app.services import Services
from app.subject_data import CollectiveData, IndividualData
from db.models import AuditEntry, CollectiveMember, EligibilityCheck, Nomination, NominationEvent

YEAR = 2026
HELD = date(2026, 12, 15)
AT = datetime(2026, 12, 1, 8, 0)
MEMBERS = ("Lê Văn Cường", "Võ Thị Em", "Đỗ Văn Giang", "Bùi Thị Hoa", "Ngô Văn Khoa", "Mai Thị Lan")


def set_up_commune(services: Services, members: tuple[str, ...] = MEMBERS) -> None:
    """Nine members: chairman, two vice-chairmen, six others; the officer is the secretary."""
    services.commune.save(CommuneSetup(
        province_code=75, commune_code=26377, place_name="Phước Tân",
        officials=(OfficialData("chairman", "Nguyễn Văn An"),
                   OfficialData("vice_chairman", "Trần Thị Bình"),
                   *(OfficialData("council_member", name, "Đại diện đoàn thể") for name in members),
                   OfficialData("officer", "Phạm Thị Dung", "Công chức Văn phòng - Thống kê"))))


def person(services: Services, name: str, gender: str = "male") -> int:
    """A civil servant rated «hoàn thành tốt» in the session's year: eligible for LĐTT when a
    correction runs the checker again."""
    subject_id = services.subjects.create(IndividualData(
        full_name=name, gender=gender, employment="cong_chuc", employment_start=date(2015, 3, 1))).id
    services.history.save(subject_id, RatingRecord(YEAR, "tot"))
    return subject_id


def checked(services: Services, subject_id: int, award: str = "LDTT", route: str = "decide") -> int:
    """A nomination moved to «checked» the way the nominations service would."""
    with services.sessions.begin() as session:
        nomination = new_nomination(session, services.audit, services.actor, AT,
                                    subject_id=subject_id, award_code=award, year=YEAR)
        nomination.action = route
        record_passing_check(session, nomination, AT.date(), AT)
        apply_action(session, services.audit, services.actor, nomination, Action.CHECK, AT.date(), AT)
        return nomination.id


def state(services: Services, nomination_id: int) -> str:
    with services.sessions() as session:
        nomination = session.get_one(Nomination, nomination_id)
        return nomination.state


def reason(services: Services, nomination_id: int) -> str:
    with services.sessions() as session:
        return session.get_one(Nomination, nomination_id).returned_reason


def last_check(services: Services, nomination_id: int) -> tuple[date, str]:
    """(decision date, verdict) of the check stored last for the nomination."""
    with services.sessions() as session:
        row = session.execute(select(EligibilityCheck.decision_date, EligibilityCheck.verdict)
                              .where(EligibilityCheck.nomination_id == nomination_id)
                              .order_by(EligibilityCheck.id.desc()).limit(1)).one()
        return row.decision_date, row.verdict


def audit_count(services: Services) -> int:
    with services.sessions() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


@pytest.fixture
def council(services: Services) -> Services:
    set_up_commune(services)
    return services


def test_create_copies_the_council_from_the_commune_setup(council: Services) -> None:
    session_id = council.council.create(YEAR, HELD, " Họp xét danh hiệu năm 2026 ", "Hội trường UBND")
    detail = council.council.detail(session_id)
    assert detail.session.title == "Họp xét danh hiệu năm 2026"
    assert [m.full_name for m in detail.members] == [
        "Nguyễn Văn An", "Trần Thị Bình", *MEMBERS, "Phạm Thị Dung"]
    roles = [m.council_role for m in detail.members]
    assert roles[0] == "Chủ tịch Hội đồng" and roles[1] == "Phó Chủ tịch Hội đồng"
    assert roles[2] == "Ủy viên (Đại diện đoàn thể)" and roles[-1] == "Ủy viên, Thư ký Hội đồng"
    assert all(m.present for m in detail.members)
    assert detail.session.state == "open" and council.council.sessions(YEAR)[0].id == session_id


def test_setup_without_council_members_is_refused_saying_where_to_add_them(services: Services) -> None:
    set_up_commune(services, members=())
    before = audit_count(services)
    with pytest.raises(ValidationError, match="Thiết lập xã…"):
        services.council.create(YEAR, HELD, "Họp")
    assert services.council.sessions(YEAR) == [] and audit_count(services) == before


def test_session_date_outside_the_year_is_refused(council: Services) -> None:
    with pytest.raises(ValidationError, match="họp trong năm 2026"):
        council.council.create(YEAR, date(2025, 12, 1), "Họp")


def test_only_checked_standard_nominations_of_the_year_are_put_to_the_vote(council: Services) -> None:
    session_id = council.council.create(YEAR, HELD, "Họp")
    ready = checked(council, person(council, "Nguyễn Văn Một"))
    with council.sessions.begin() as session:
        draft = new_nomination(session, council.audit, council.actor, AT,
                               subject_id=person(council, "Trần Văn Hai"), award_code="LDTT", year=YEAR).id
    assert [c.id for c in council.council.available_nominations(session_id)] == [ready]
    with pytest.raises(ValidationError, match="Dự thảo"):
        council.council.add_nominations(session_id, [draft])
    detail = council.council.add_nominations(session_id, [ready])
    assert [c.nomination_id for c in detail.candidates] == [ready]
    with pytest.raises(ValidationError, match="đã có trong phiên họp này"):
        council.council.add_nominations(session_id, [ready])
    other = council.council.create(YEAR, HELD, "Họp khác")
    with pytest.raises(ValidationError, match="phiên họp chưa chốt «Họp»"):
        council.council.add_nominations(other, [ready])
    council.council.remove_nomination(session_id, ready)
    assert council.council.detail(session_id).candidates == ()


def test_votes_beyond_valid_ballots_are_refused_and_nothing_changes(council: Services) -> None:
    session_id = council.council.create(YEAR, HELD, "Họp")
    nomination = checked(council, person(council, "Nguyễn Văn Một"))
    council.council.add_nominations(session_id, [nomination])
    council.council.record(session_id, ballots=(9, 9, 8), votes={nomination: 7})
    before = audit_count(council)
    with pytest.raises(ValidationError, match=r"\(9\) nhiều hơn số phiếu hợp lệ \(8\)"):
        council.council.set_votes(session_id, {nomination: 9})
    with pytest.raises(ValidationError, match="nhiều hơn số phiếu thu về"):
        council.council.set_ballots(session_id, 9, 7, 8)
    with pytest.raises(ValidationError, match="ghi đủ số phiếu"):
        council.council.set_ballots(session_id, 9, None, 8)
    detail = council.council.detail(session_id)
    assert detail.candidates[0].votes == 7 and detail.ballots_returned == 9
    assert audit_count(council) == before


def test_ballots_beyond_members_present_are_refused(council: Services) -> None:
    session_id = council.council.create(YEAR, HELD, "Họp")
    detail = council.council.set_ballots(session_id, 9, 9, 9)
    absent = detail.members[-1].id
    with pytest.raises(ValidationError, match=r"phát ra \(9\) nhiều hơn số thành viên có mặt \(8\)"):
        council.council.set_attendance(session_id, {absent: False})
    assert all(m.present for m in council.council.detail(session_id).members)
    # Recorded together, the smaller ballot count makes the absence acceptable.
    detail = council.council.record(session_id, attendance={absent: False}, ballots=(8, 8, 8))
    assert detail.tally.members_present == 8


def test_session_without_quorum_cannot_be_finalised(council: Services) -> None:
    session_id = council.council.create(YEAR, HELD, "Họp")
    nomination = checked(council, person(council, "Nguyễn Văn Một"))
    detail = council.council.add_nominations(session_id, [nomination])
    away = {m.id: False for m in detail.members[:4]}  # 5 of 9 present
    council.council.record(session_id, attendance=away, votes={nomination: 5})
    before = audit_count(council)
    with pytest.raises(ValidationError, match="Không đủ số thành viên dự họp: có mặt 5/9"):
        council.council.finalise(session_id)
    assert council.council.detail(session_id).session.state == "open"
    assert state(council, nomination) == State.CHECKED and audit_count(council) == before


def test_finalise_votes_passing_nominations_and_returns_the_others_with_the_reason(council: Services) -> None:
    session_id = council.council.create(YEAR, HELD, "Họp")
    strong = checked(council, person(council, "Nguyễn Văn Một"))
    weak = checked(council, person(council, "Trần Văn Hai"), award="CSTDCS")
    council.council.add_nominations(session_id, [strong, weak])
    council.council.set_votes(session_id, {strong: 9, weak: 5})
    detail = council.council.finalise(session_id)
    assert detail.session.is_final and detail.session.finalised_by
    assert state(council, strong) == State.VOTED and state(council, weak) == State.RETURNED
    assert reason(council, weak) == ("Không đạt ngưỡng biểu quyết: 5/9 phiếu (55,56%), cần từ 70% "
                                     "tổng số thành viên Hội đồng")
    stored = {c.candidate.nomination_id: c for c in detail.tally.candidates}
    assert (stored[strong].passed, stored[strong].rank, stored[strong].within_quota) == (True, 1, True)
    assert stored[weak].passed is False and stored[weak].base == 9
    with council.sessions() as session:
        events = session.scalars(select(NominationEvent).where(NominationEvent.nomination_id == strong)
                                 .order_by(NominationEvent.id)).all()
    assert [e.action for e in events][-1] == Action.VOTE and events[-1].on == HELD
    entries = council.audit.entries(AuditFilter(entity="council_session"))
    assert [e.action for e in entries][:1] == ["finalise"]


def test_final_session_refuses_every_change(council: Services) -> None:
    session_id = council.council.create(YEAR, HELD, "Họp")
    nomination = checked(council, person(council, "Nguyễn Văn Một"))
    detail = council.council.add_nominations(session_id, [nomination])
    council.council.set_votes(session_id, {nomination: 8})
    council.council.finalise(session_id)
    before = audit_count(council)
    for change in (lambda: council.council.set_votes(session_id, {nomination: 1}),
                   lambda: council.council.set_attendance(session_id, {detail.members[0].id: False}),
                   lambda: council.council.set_ballots(session_id, 9, 9, 9),
                   lambda: council.council.set_quota(session_id, "LDTT", 1),
                   lambda: council.council.remove_nomination(session_id, nomination),
                   lambda: council.council.finalise(session_id)):
        with pytest.raises(ValidationError, match="đã chốt kết quả, không sửa được"):
            change()
    assert audit_count(council) == before
    assert council.council.detail(session_id).candidates[0].votes == 8


def test_quota_ranks_out_with_the_rank_in_the_reason_and_the_tie_rule_prefers_women(council: Services) -> None:
    session_id = council.council.create(YEAR, HELD, "Họp")
    man = checked(council, person(council, "Nguyễn Văn Một"))
    woman = checked(council, person(council, "Trần Thị Hai", "female"))
    best = checked(council, person(council, "Lê Văn Ba"))
    council.council.add_nominations(session_id, [man, woman, best])
    council.council.set_votes(session_id, {man: 7, woman: 7, best: 9})
    council.council.set_quota(session_id, "LDTT", 2)
    council.council.finalise(session_id)
    assert state(council, best) == State.VOTED and state(council, woman) == State.VOTED
    assert state(council, man) == State.RETURNED
    assert reason(council, man) == "Ngoài chỉ tiêu: xếp thứ 3, chỉ tiêu 2"


def test_collective_of_women_is_preferred_at_equal_votes(council: Services) -> None:
    teams = []
    for name, women in (("Tổ Một", 7), ("Tổ Hai", 6)):
        team = council.subjects.create(CollectiveData(name=name)).id
        people = [person(council, f"{name} nữ {i}", "female") for i in range(women)]
        people += [person(council, f"{name} nam {i}") for i in range(10 - women)]
        with council.sessions.begin() as session:
            session.add_all(CollectiveMember(collective_id=team, individual_id=p) for p in people)
        teams.append(checked(council, team, award="TTLDTT"))
    session_id = council.council.create(YEAR, HELD, "Họp")
    council.council.add_nominations(session_id, teams)
    council.council.set_votes(session_id, dict.fromkeys(teams, 8))
    council.council.set_quota(session_id, "TTLDTT", 1)
    result = council.council.tally(session_id)
    assert result.can_finalise
    assert result.result(teams[0]).within_quota and result.result(teams[0]).priority == "tập thể từ 70% nữ"
    assert not result.result(teams[1]).within_quota


def test_unbreakable_tie_at_the_quota_boundary_is_refused(council: Services) -> None:
    session_id = council.council.create(YEAR, HELD, "Họp")
    ids = [checked(council, person(council, name)) for name in ("Nguyễn Văn Một", "Trần Văn Hai")]
    council.council.add_nominations(session_id, ids)
    council.council.set_votes(session_id, dict.fromkeys(ids, 7))
    council.council.set_quota(session_id, "LDTT", 1)
    with pytest.raises(ValidationError, match="biểu quyết lại"):
        council.council.finalise(session_id)
    assert [state(council, n) for n in ids] == [State.CHECKED, State.CHECKED]


def test_cstdcs_default_quota_is_a_floored_share_of_ldtt_passing(council: Services) -> None:
    council.rule_settings.set("cstdcs_quota_percent", "15", date(2026, 1, 1))
    session_id = council.council.create(YEAR, HELD, "Họp")
    ldtt = [checked(council, person(council, f"Người {i}")) for i in range(7)]
    cstdcs = [checked(council, person(council, f"Chiến sĩ {i}"), award="CSTDCS") for i in range(2)]
    council.council.add_nominations(session_id, ldtt + cstdcs)
    council.council.set_votes(session_id, {**dict.fromkeys(ldtt, 8), cstdcs[0]: 9, cstdcs[1]: 8})
    result = council.council.tally(session_id)
    quota = next(q for q in result.quotas if q.award_code == "CSTDCS")
    assert (quota.quota, quota.is_default) == (1, True)  # 15 % of 7 = 1.05
    detail = council.council.finalise(session_id)
    assert state(council, cstdcs[0]) == State.VOTED and state(council, cstdcs[1]) == State.RETURNED
    assert [(q.award_code, q.quota) for q in detail.quotas] == [("CSTDCS", 1)]
    assert detail.quotas[0].note.startswith("Mặc định: 15% của 7 Lao động tiên tiến")
    # A correction works the share out again from its own LĐTT result.
    corrected = council.council.correct(session_id, "Ghi nhầm phiếu", date(2026, 12, 20))
    assert council.council.detail(corrected).quotas == ()
    council.council.set_votes(corrected, {ldtt[0]: 2})
    result = council.council.tally(corrected)
    assert next(q for q in result.quotas if q.award_code == "CSTDCS").quota == 0  # 15 % of 6


def test_correction_returns_what_it_rejects_and_revotes_what_it_passes(council: Services) -> None:
    session_id = council.council.create(YEAR, HELD, "Họp")
    wrongly_passed = checked(council, person(council, "Nguyễn Văn Một"))
    wrongly_failed = checked(council, person(council, "Trần Văn Hai"))
    council.council.add_nominations(session_id, [wrongly_passed, wrongly_failed])
    council.council.set_votes(session_id, {wrongly_passed: 6, wrongly_failed: 3})
    council.council.finalise(session_id)
    with pytest.raises(ValidationError, match="lý do"):
        council.council.correct(session_id, "  ", date(2026, 12, 20))
    corrected = council.council.correct(session_id, "Kiểm phiếu nhầm hai đề nghị", date(2026, 12, 20))
    detail = council.council.detail(corrected)
    assert detail.session.corrects_id == session_id and detail.session.correction_reason
    assert {c.nomination_id: c.votes for c in detail.candidates} == {wrongly_passed: 6, wrongly_failed: 3}
    assert len(detail.members) == 9
    with pytest.raises(ValidationError, match="đã có phiên điều chỉnh"):
        council.council.correct(session_id, "Lần nữa", date(2026, 12, 21))
    council.council.set_votes(corrected, {wrongly_passed: 3, wrongly_failed: 6})
    council.council.finalise(corrected)
    assert state(council, wrongly_passed) == State.RETURNED
    assert reason(council, wrongly_passed).startswith("Theo phiên họp điều chỉnh «Điều chỉnh: Họp» ngày 20/12/2026")
    assert state(council, wrongly_failed) == State.VOTED
    with council.sessions() as session:
        actions = [e.action for e in session.scalars(
            select(NominationEvent).where(NominationEvent.nomination_id == wrongly_failed)
            .order_by(NominationEvent.id))]
        reasons = [e.reason for e in session.scalars(
            select(NominationEvent).where(NominationEvent.nomination_id == wrongly_failed)
            .order_by(NominationEvent.id))][-3:]
    assert actions[-4:] == [Action.RETURN, Action.REOPEN, Action.CHECK, Action.VOTE]
    assert all("Điều chỉnh: Họp" in r for r in reasons)
    # Its check step rests on a check made then (on the correction's date: no planned date).
    assert last_check(council, wrongly_failed) == (date(2026, 12, 20), "eligible")
    rows = {r.id: r for r in council.council.sessions(YEAR)}
    assert rows[session_id].corrected_by_id == corrected


def test_a_correction_leaves_returned_what_the_checker_no_longer_finds_eligible(council: Services) -> None:
    session_id = council.council.create(YEAR, HELD, "Họp")
    subject_id = person(council, "Trần Văn Hai")
    nomination = checked(council, subject_id)
    council.council.add_nominations(session_id, [nomination])
    council.council.set_votes(session_id, {nomination: 3})
    council.council.finalise(session_id)
    assert state(council, nomination) == State.RETURNED
    rating = council.history.of(subject_id).ratings[-1]
    council.history.save(subject_id, replace(rating, rating="ht"))  # the rating was corrected since
    corrected = council.council.correct(session_id, "Kiểm phiếu nhầm", date(2026, 12, 20))
    council.council.set_votes(corrected, {nomination: 6})
    detail = council.council.finalise(corrected)
    assert state(council, nomination) == State.RETURNED
    [judged] = detail.tally.candidates
    assert judged.reason.startswith("Chưa chuyển bước: Hội đồng biểu quyết đạt nhưng kiểm tra lại điều kiện "
                                    "ngày 20/12/2026: không đủ điều kiện")
    assert "vẫn ở bước «Bị trả lại»" in judged.reason
    assert {r.id: r.voted for r in council.council.sessions(YEAR)}[corrected] == 0
    assert last_check(council, nomination) == (date(2026, 12, 20), "not_eligible")
    with council.sessions() as session:
        actions = list(session.scalars(select(NominationEvent.action).where(
            NominationEvent.nomination_id == nomination).order_by(NominationEvent.id)))
    assert actions == [Action.CHECK, Action.RETURN]  # no check step without a passing check
    # Corrected data and a later correction carry it through.
    council.history.save(subject_id, replace(rating, rating="tot"))
    again = council.council.correct(corrected, "Xét lại sau khi sửa xếp loại", date(2026, 12, 22))
    council.council.finalise(again)
    assert state(council, nomination) == State.VOTED


def test_correction_cannot_return_a_nomination_already_decided(council: Services) -> None:
    session_id = council.council.create(YEAR, HELD, "Họp")
    nomination = checked(council, person(council, "Nguyễn Văn Một"))
    council.council.add_nominations(session_id, [nomination])
    council.council.set_votes(session_id, {nomination: 8})
    council.council.finalise(session_id)
    with council.sessions.begin() as session:
        row = session.get_one(Nomination, nomination)
        for action in (Action.POST_NOTICE, Action.DECIDE):
            apply_action(session, council.audit, council.actor, row, action, HELD, AT)
    corrected = council.council.correct(session_id, "Kiểm phiếu nhầm", date(2026, 12, 20))
    council.council.set_votes(corrected, {nomination: 2})
    with pytest.raises(ValidationError, match="Đã có quyết định của xã"):
        council.council.finalise(corrected)
    assert council.council.detail(corrected).session.state == "open"
    assert state(council, nomination) == State.DECIDED


def test_passed_nomination_cannot_be_put_to_another_vote(council: Services) -> None:
    session_id = council.council.create(YEAR, HELD, "Họp")
    nomination = checked(council, person(council, "Nguyễn Văn Một"))
    council.council.add_nominations(session_id, [nomination])
    council.council.set_votes(session_id, {nomination: 8})
    council.council.finalise(session_id)
    with council.sessions.begin() as session:  # taken back and checked again by mistake
        row = session.get_one(Nomination, nomination)
        apply_action(session, council.audit, council.actor, row, Action.RETURN, HELD, AT, "Sửa hồ sơ")
        apply_action(session, council.audit, council.actor, row, Action.REOPEN, HELD, AT)
        apply_action(session, council.audit, council.actor, row, Action.CHECK, HELD, AT)
    other = council.council.create(YEAR, HELD, "Họp lần hai")
    with pytest.raises(ValidationError, match="đã biểu quyết đạt tại phiên «Họp»"):
        council.council.add_nominations(other, [nomination])


def test_every_change_is_audited_on_the_session(council: Services) -> None:
    session_id = council.council.create(YEAR, HELD, "Họp")
    nomination = checked(council, person(council, "Nguyễn Văn Một"))
    detail = council.council.add_nominations(session_id, [nomination])
    council.council.set_attendance(session_id, {detail.members[0].id: False})
    council.council.set_votes(session_id, {nomination: 7})
    council.council.set_votes(session_id, {nomination: 7})  # no change, no entry
    council.council.set_quota(session_id, "LDTT", 3)
    council.council.finalise(session_id)
    entries = council.audit.entries(AuditFilter(entity="council_session"))
    uuid = detail.session.uuid
    assert all(e.entity_uuid == uuid for e in entries)
    assert [e.action for e in reversed(entries)] == [
        "create", "update", "update", "update", "update", "finalise"]
    vote_entry = [e for e in reversed(entries) if e.action == "update"][2]
    assert vote_entry.old_values["votes"] == {str(nomination): 0}
    assert vote_entry.new_values["votes"] == {str(nomination): 7}


def test_viewer_cannot_change_a_session(council: Services) -> None:
    from app.errors import PermissionDeniedError
    from app.roles import Actor, Role
    session_id = council.council.create(YEAR, HELD, "Họp")
    viewer = Services.create(council.sessions, Actor(None, "xem", "Người xem", Role.VIEWER))
    with pytest.raises(PermissionDeniedError):
        viewer.council.set_ballots(session_id, 1, 1, 1)
