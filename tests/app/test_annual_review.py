"""ReviewService: year-end ratings, the checker's proposal, the officer's changes, nominations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.annual_review import CandidateRow
from app.audit import AuditFilter
from app.eligibility.outcome import Verdict
from app.errors import CancelledError, NotFoundError, PermissionDeniedError, ValidationError
from app.history import AwardRecord, RatingRecord
from app.roles import Role
from app.services import Services
from app.subject_data import CollectiveData, HouseholdData, IndividualData, VillageData
from db.models import (
    AnnualRating,
    EligibilityCheck,
    Movement,
    Nomination,
    Registration,
    ReviewCandidate,
)
from tests.conftest import ADMIN, account

YEAR = 2025
DECIDED = date(2026, 1, 20)
RECRUITED = date(2015, 1, 1)


def _person(services: Services, name: str, rating: str | None = "tot", *,
            recruited: date | None = RECRUITED, citizen_id: str | None = None) -> int:
    subject_id = services.subjects.create(IndividualData(
        name, "female", birth_date=date(1990, 5, 1), employment="cong_chuc", employment_start=recruited,
        citizen_id=citizen_id)).id
    if rating is not None:
        services.history.save(subject_id, RatingRecord(YEAR, rating))
    return subject_id


@pytest.fixture
def register(services: Services) -> dict[str, int]:
    """A small register: a person rated 'tốt' (LĐTT), one rated 'xuất sắc' with LĐTT streaks
    (LĐTT and CSTĐCS), one with no recruitment date (missing information), one not finishing
    her duty (not eligible), one unrated, a household and a village."""
    good = _person(services, "Nguyễn Thị Tốt", "tot")
    best = _person(services, "Trần Văn Giỏi", "htxs")
    for year in (2023, 2024):
        services.history.save(best, AwardRecord("LDTT", year, f"{year}/QĐ-UBND", date(year + 1, 1, 15)))
    unknown = _person(services, "Lê Thị Thiếu", "tot", recruited=None)
    failing = _person(services, "Phạm Văn Kém", "kht")
    unrated = _person(services, "Hoàng Văn Chưa", None)
    household = services.subjects.create(HouseholdData("Hộ ông Đinh Văn Hộ")).id
    village = services.subjects.create(VillageData("Thôn Tân Lập")).id
    return {"good": good, "best": best, "unknown": unknown, "failing": failing, "unrated": unrated,
            "household": household, "village": village}


def _by(rows: list[CandidateRow]) -> dict[tuple[int, str], CandidateRow]:
    return {(r.subject_id, r.award_code): r for r in rows}


def _count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


# --- ratings ------------------------------------------------------------------------------

def test_ratings_lists_people_and_collectives_with_the_year_s_rating(
        services: Services, register: dict[str, int]) -> None:
    unit = services.subjects.create(CollectiveData("Văn phòng UBND xã")).id
    rows = {r.subject_id: r for r in services.review.ratings(YEAR)}
    assert rows[register["good"]].rating == "tot"
    assert rows[register["unrated"]].rating is None
    assert rows[unit].kind == "collective" and rows[unit].rating is None
    assert register["household"] not in rows and register["village"] not in rows
    assert [r.subject_id for r in services.review.ratings(YEAR, "collective")] == [unit]
    assert [r.subject_id for r in services.review.ratings(YEAR, text="giỏi")] == [register["best"]]
    assert len(services.review.ratings(YEAR, limit=2)) == 2
    with pytest.raises(ValidationError, match="Chỉ cá nhân và tập thể"):
        services.review.ratings(YEAR, "household")


def test_ratings_list_staff_and_collectives_unless_everyone_is_asked_for(
        services: Services, register: dict[str, int]) -> None:
    unit = services.subjects.create(CollectiveData("Văn phòng UBND xã")).id
    farmer = services.subjects.create(IndividualData("Đặng Văn Nông", "male", employment="nong_dan")).id
    child = services.subjects.create(IndividualData("Đặng Bé Na", "female", birth_date=date(2014, 3, 2))).id
    retiree = services.subjects.create(IndividualData("Lý Văn Hưu", "male", employment="other")).id
    rated_farmer = services.subjects.create(IndividualData("Mai Thị Vườn", "female", employment="nong_dan")).id
    services.history.save(rated_farmer, RatingRecord(YEAR, "tot"))  # rated by mistake: still shown
    staff = {register[k] for k in ("good", "best", "unknown", "failing", "unrated")}
    assert {r.subject_id for r in services.review.ratings(YEAR)} == staff | {unit, rated_farmer}
    assert {r.subject_id for r in services.review.ratings(YEAR, "staff")} == staff | {rated_farmer}
    everyone = {r.subject_id for r in services.review.ratings(YEAR, "all_individuals")}
    assert everyone == staff | {farmer, child, retiree, rated_farmer}
    assert [r.subject_id for r in services.review.ratings(YEAR, "all_individuals", text="nông")] == [farmer]
    assert services.review.ratings(YEAR, text="nông") == []


def test_set_ratings_adds_changes_and_clears_in_one_audited_batch(
        services: Services, sessions: sessionmaker[Session], register: dict[str, int]) -> None:
    before = services.audit.last_id()
    changed = services.review.set_ratings(YEAR, [
        (register["unrated"], "htxs"), (register["good"], "ht"), (register["failing"], None),
        (register["best"], "htxs")])  # unchanged: no entry
    assert changed == 3
    ratings = {r.subject_id: r.rating for r in services.review.ratings(YEAR)}
    assert ratings[register["unrated"]] == "htxs" and ratings[register["good"]] == "ht"
    assert ratings[register["failing"]] is None and ratings[register["best"]] == "htxs"
    entries = services.audit.entries(AuditFilter(entity="annual_rating"))
    new = [e for e in entries if e.id > before]
    assert sorted(e.action for e in new) == ["create", "delete", "update"]
    deleted = next(e for e in new if e.action == "delete")
    assert "Phạm Văn Kém" in deleted.summary and deleted.reason


def test_a_bad_rating_refuses_the_whole_batch_naming_the_subject(
        services: Services, sessions: sessionmaker[Session], register: dict[str, int]) -> None:
    before = services.audit.last_id()
    with pytest.raises(ValidationError, match="Hoàng Văn Chưa.*Mức xếp loại không hợp lệ"):
        services.review.set_ratings(YEAR, [(register["good"], "ht"), (register["unrated"], "xuat sac")])
    assert {r.subject_id: r.rating for r in services.review.ratings(YEAR)}[register["good"]] == "tot"
    assert services.audit.last_id() == before
    with pytest.raises(ValidationError, match="Không tìm thấy đối tượng"):
        services.review.set_ratings(YEAR, [(999_999, "tot")])
    with pytest.raises(ValidationError, match="hai xếp loại"):
        services.review.set_ratings(YEAR, [(register["good"], "ht"), (register["good"], "tot")])


def test_a_viewer_can_neither_rate_nor_review(services: Services, sessions: sessionmaker[Session],
                                              register: dict[str, int]) -> None:
    admin = Services.create(sessions, account(sessions, ADMIN[0]))
    admin.users.create("xem", "Người Xem", Role.VIEWER, "xem-matkhau-123", must_change_password=False)
    viewer = Services.create(sessions, account(sessions, "xem"))
    with pytest.raises(PermissionDeniedError):
        viewer.review.set_ratings(YEAR, [(register["unrated"], "tot")])
    with pytest.raises(PermissionDeniedError):
        viewer.review.propose(YEAR, DECIDED)
    with pytest.raises(PermissionDeniedError):
        viewer.review.add(YEAR, register["good"], "LDTT", "Có thành tích")
    services.review.propose(YEAR, DECIDED)
    kept = [r.id for r in services.review.candidates(YEAR) if r.included]
    for refused in (lambda: viewer.review.remove(kept[0], "Thử"), lambda: viewer.review.restore(kept[0]),
                    lambda: viewer.review.make_nominations(YEAR, kept, DECIDED)):
        with pytest.raises(PermissionDeniedError):
            refused()
    assert all(r.included and r.nomination_id is None for r in viewer.review.candidates(YEAR)
               if r.id in kept)
    assert viewer.review.ratings(YEAR)  # reading is allowed
    with sessions() as session:
        assert session.scalar(select(AnnualRating).filter_by(subject_id=register["unrated"])) is None


# --- the proposal -------------------------------------------------------------------------

def test_propose_includes_eligible_lists_unknown_and_leaves_out_the_ineligible(
        services: Services, sessions: sessionmaker[Session], register: dict[str, int]) -> None:
    progress: list[tuple[int, int]] = []
    summary = services.review.propose(YEAR, DECIDED, report=lambda done, total: progress.append((done, total)))
    rows = _by(services.review.candidates(YEAR))

    good = rows[(register["good"], "LDTT")]
    assert good.included and good.verdict == Verdict.ELIGIBLE and good.source == "checker"
    assert good.verdict_label == "Đủ điều kiện" and good.check_id is not None
    assert rows[(register["best"], "CSTDCS")].included
    unknown = rows[(register["unknown"], "LDTT")]
    assert not unknown.included and unknown.verdict == Verdict.MISSING_INFORMATION
    assert "tuyển dụng" in unknown.reason or "thời gian" in unknown.reason.lower()
    household = rows[(register["household"], "GDVH")]
    assert not household.included and household.reason  # the assessment is not in the register
    assert (register["village"], "THON_VH") in rows
    assert (register["failing"], "LDTT") not in rows and (register["good"], "CSTDCS") not in rows
    assert all(subject != register["unrated"] for subject, _ in rows)

    assert summary.subjects_checked == 6  # four rated people, the household and the village
    assert summary.counts["LDTT"].included == 2 and summary.counts["LDTT"].not_eligible == 1
    assert summary.counts["LDTT"].missing_information == 1
    assert progress[-1] == (6, 6)
    outcome = services.review.check_outcome(good.id)
    assert outcome is not None and outcome.verdict is Verdict.ELIGIBLE
    assert _count(sessions, EligibilityCheck) == len(rows)
    assert services.audit.entries(AuditFilter(entity="review_candidate"))


def test_registration_required_limits_the_proposal_to_registered_subjects(
        services: Services, sessions: sessionmaker[Session], register: dict[str, int]) -> None:
    services.rule_settings.set("registration_required", "true", date(2025, 1, 1), "Quy định của tỉnh")
    now = datetime(2025, 2, 1)
    with sessions.begin() as session:
        movement = Movement(year=YEAR, kind="regular", name="Phong trào thi đua năm 2025",
                            state="running", created_at=now, updated_at=now)
        session.add(movement)
        session.flush()
        session.add(Registration(movement_id=movement.id, subject_id=register["best"], award_code="CSTDCS",
                                 registered_on=date(2025, 2, 1), created_at=now))
    services.review.propose(YEAR, DECIDED)
    rows = _by(services.review.candidates(YEAR))
    # CSTĐCS registered: LĐTT, which it requires, is checked too; nobody else is.
    assert set(rows) == {(register["best"], "LDTT"), (register["best"], "CSTDCS")}
    assert all(r.included for r in rows.values())


def test_rerun_keeps_the_officer_s_removal_and_updates_the_checker_s_verdicts(
        services: Services, register: dict[str, int]) -> None:
    services.review.propose(YEAR, DECIDED)
    rows = _by(services.review.candidates(YEAR))
    removed = services.review.remove(rows[(register["good"], "LDTT")].id, "Vi phạm nội quy cơ quan")
    assert not removed.included and removed.reason == "Vi phạm nội quy cơ quan"
    services.review.set_ratings(YEAR, [(register["best"], "kht")])

    summary = services.review.propose(YEAR, DECIDED)
    rows = _by(services.review.candidates(YEAR))
    kept = rows[(register["good"], "LDTT")]
    assert not kept.included and kept.reason == "Vi phạm nội quy cơ quan"
    assert (register["best"], "LDTT") not in rows and (register["best"], "CSTDCS") not in rows
    assert summary.dropped == 2


def test_rerun_drops_the_checker_s_candidate_once_its_rating_is_removed(
        services: Services, register: dict[str, int]) -> None:
    services.review.propose(YEAR, DECIDED)
    services.review.set_ratings(YEAR, [(register["good"], None)])
    services.review.propose(YEAR, DECIDED)
    assert (register["good"], "LDTT") not in _by(services.review.candidates(YEAR))


def test_cancelled_proposal_writes_nothing(services: Services, sessions: sessionmaker[Session],
                                           register: dict[str, int]) -> None:
    before = services.audit.last_id()

    def stop_halfway(done: int, total: int) -> None:
        if done >= 3:
            raise CancelledError("Đã hủy")

    with pytest.raises(CancelledError):
        services.review.propose(YEAR, DECIDED, report=stop_halfway)
    with pytest.raises(CancelledError):
        services.review.propose(YEAR, DECIDED, cancelled=lambda: True)
    assert services.audit.last_id() == before
    assert _count(sessions, ReviewCandidate) == 0 and _count(sessions, EligibilityCheck) == 0


def test_propose_refuses_a_decision_date_before_the_year(services: Services) -> None:
    with pytest.raises(ValidationError, match="sau ngày quyết định"):
        services.review.propose(2026, date(2025, 12, 31))


# --- the officer's changes ----------------------------------------------------------------

def test_add_and_remove_need_a_reason(services: Services, register: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="lý do thêm"):
        services.review.add(YEAR, register["failing"], "LDTT", "  ")
    added = services.review.add(YEAR, register["failing"], "LDTT", "Có thành tích đột xuất trong năm")
    assert added.included and added.source == "officer" and added.verdict_label == "Chưa kiểm tra"
    with pytest.raises(ValidationError, match="đã có trong danh sách"):
        services.review.add(YEAR, register["failing"], "LDTT", "Lần nữa")
    with pytest.raises(ValidationError, match="lý do loại"):
        services.review.remove(added.id, "")
    removed = services.review.remove(added.id, "Hội đồng không đồng ý")
    assert not removed.included
    restored = services.review.restore(added.id)
    assert restored.included
    with pytest.raises(ValidationError, match="không dành cho hộ gia đình"):
        services.review.add(YEAR, register["household"], "LDTT", "Thử")
    with pytest.raises(NotFoundError):
        services.review.remove(999_999, "Không có")
    entry = services.audit.entries(AuditFilter(entity="review_candidate"))[-1]
    assert entry.entity_uuid


def test_officer_added_candidate_survives_a_rerun(services: Services, register: dict[str, int]) -> None:
    added = services.review.add(YEAR, register["failing"], "LDTT", "Có thành tích đột xuất")
    services.review.propose(YEAR, DECIDED)
    row = _by(services.review.candidates(YEAR))[(register["failing"], "LDTT")]
    assert row.id == added.id and row.included and row.verdict == Verdict.NOT_ELIGIBLE
    assert row.reason == "Có thành tích đột xuất"


# --- nominations ----------------------------------------------------------------------------

def test_make_nominations_drafts_once_and_links_the_candidate(
        sessions: sessionmaker[Session], register: dict[str, int]) -> None:
    services = Services.create(sessions, account(sessions, "canbo"),
                               clock=lambda: datetime(2026, 1, 10, 3, tzinfo=UTC))
    services.review.propose(YEAR, DECIDED)
    kept = [r.id for r in services.review.candidates(YEAR) if r.included]
    assert services.review.make_nominations(YEAR, kept, DECIDED) == len(kept) == 3
    assert services.review.make_nominations(YEAR, kept, DECIDED) == 0
    rows = [r for r in services.review.candidates(YEAR) if r.included]
    assert all(r.nomination_id is not None for r in rows)
    with sessions() as session:
        nominations = session.scalars(select(Nomination)).all()
        assert {(n.subject_id, n.award_code, n.state) for n in nominations} == {
            (r.subject_id, r.award_code, "draft") for r in rows}
        assert all(n.planned_decision_date == DECIDED for n in nominations)
        check = session.get(EligibilityCheck, rows[0].check_id)
        assert check is not None and check.nomination_id == rows[0].nomination_id
    with pytest.raises(ValidationError, match="đã được lập đề nghị"):
        services.review.remove(rows[0].id, "Thử loại")


def test_make_nominations_refuses_a_subject_with_an_open_nomination(
        services: Services, sessions: sessionmaker[Session], register: dict[str, int]) -> None:
    from app.nomination_flow import new_nomination
    with sessions.begin() as session:
        new_nomination(session, services.audit, services.actor, datetime(2026, 1, 5),
                       subject_id=register["good"], award_code="LDTT", year=YEAR)
    services.review.propose(YEAR, DECIDED)
    kept = [r.id for r in services.review.candidates(YEAR) if r.included]
    before = _count(sessions, Nomination)
    with pytest.raises(ValidationError, match="Nguyễn Thị Tốt.*đang xử lý"):
        services.review.make_nominations(YEAR, kept, DECIDED)
    assert _count(sessions, Nomination) == before
    assert all(r.nomination_id is None for r in services.review.candidates(YEAR))


def test_make_nominations_refuses_a_removed_candidate(services: Services, register: dict[str, int]) -> None:
    services.review.propose(YEAR, DECIDED)
    row = _by(services.review.candidates(YEAR))[(register["good"], "LDTT")]
    services.review.remove(row.id, "Không đồng ý")
    with pytest.raises(ValidationError, match="đã bị loại"):
        services.review.make_nominations(YEAR, [row.id], DECIDED)


def test_each_check_the_proposal_keeps_has_its_own_audit_entry(
        services: Services, sessions: sessionmaker[Session], register: dict[str, int]) -> None:
    services.review.propose(YEAR, DECIDED)
    with sessions() as session:
        uuids = set(session.scalars(select(EligibilityCheck.uuid)))
    entries = services.audit.entries(AuditFilter(entity="eligibility_check"))
    assert uuids and {e.entity_uuid for e in entries} == uuids and len(entries) == len(uuids)
    assert any("Nguyễn Thị Tốt: Đủ điều kiện" in e.summary for e in entries)
    assert services.audit.verify().ok
