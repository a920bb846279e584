"""A hand-built emulation year for the overview tests (app and UI).

Subjects and ratings go through the services that exist; the emulation-year rows are written
with the ORM models in one session, so the counts below are known exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from app.history import RatingRecord
from app.services import Services
from app.subject_data import CollectiveData, IndividualData
from db.models import (
    CouncilSession,
    Decision,
    DecisionItem,
    Movement,
    Nomination,
    NominationEvent,
    Registration,
    ReviewCandidate,
)

YEAR = 2026
TODAY = date(2026, 12, 10)  # a Thursday
AT = datetime(2026, 12, 1, 8, 0)


@dataclass(frozen=True)
class BuiltYear:
    staff: tuple[int, int, int]  # three công chức
    farmer: int
    collectives: tuple[int, int]
    regular_movement: int
    nominations: dict[str, int]  # name used below → id


def people(services: Services) -> tuple[tuple[int, int, int], int, tuple[int, int]]:
    ids = services.subjects.create_many([
        IndividualData("Nguyễn Văn An", "male", employment="cong_chuc"),
        IndividualData("Trần Thị Bình", "female", employment="cong_chuc"),
        IndividualData("Lê Văn Cường", "male", employment="vien_chuc"),
        IndividualData("Phạm Thị Dung", "female", employment="nong_dan"),
        CollectiveData("Văn phòng HĐND và UBND xã", "agency"),
        CollectiveData("Trường Tiểu học xã", "school"),
    ])
    return (ids[0], ids[1], ids[2]), ids[3], (ids[4], ids[5])


def nomination(subject_id: int, award_code: str, state: str, *, year: int = YEAR,
               procedure: str = "standard", action: str = "",
               notice_ends_on: date | None = None) -> Nomination:
    return Nomination(year=year, subject_id=subject_id, award_code=award_code, procedure=procedure,
                      action=action, state=state, notice_ends_on=notice_ends_on,
                      created_at=AT, updated_at=AT)


def add_proposal_events(session: Session, nomination_id: int, proposed_on: date) -> None:
    """The events of a nomination proposed on `proposed_on`: an earlier proposal was returned
    and reopened, so only the latest 'propose' counts for the answer deadline."""
    earlier = date(proposed_on.year - 1, 6, 1)
    for action, before, after, on in (
            ("propose", "public_notice", "proposed", earlier),
            ("return", "proposed", "returned", earlier),
            ("propose", "public_notice", "proposed", proposed_on)):
        session.add(NominationEvent(nomination_id=nomination_id, action=action, from_state=before,
                                    to_state=after, on=on, at=AT))


def build_year(services: Services) -> BuiltYear:
    """The year 2026 as of TODAY, with every count known (see the tests for the numbers)."""
    staff, farmer, collectives = people(services)
    an, binh, cuong = staff
    office, school = collectives
    for subject_id, year, rating in ((an, YEAR, "htxs"), (binh, YEAR, "tot"), (farmer, YEAR, "ht"),
                                     (office, YEAR, "htxs"), (an, YEAR - 1, "tot")):
        services.history.save(subject_id, RatingRecord(year, rating))
    with services.sessions.begin() as session:
        regular = Movement(year=YEAR, kind="regular", name="Phong trào thi đua yêu nước năm 2026",
                           state="running", created_at=AT, updated_at=AT)
        thematic = Movement(year=YEAR, kind="thematic", name="Chung sức xây dựng nông thôn mới",
                            state="draft", created_at=AT, updated_at=AT)
        older = Movement(year=YEAR - 1, kind="regular", name="Phong trào năm 2025", state="closed",
                         created_at=AT, updated_at=AT)
        session.add_all([regular, thematic, older])
        session.flush()
        for subject_id, code, movement in ((an, "LDTT", regular), (binh, "LDTT", regular),
                                           (an, "CSTDCS", regular), (office, "TTLDTT", regular),
                                           (cuong, "LDTT", older)):
            session.add(Registration(movement_id=movement.id, subject_id=subject_id, award_code=code,
                                     registered_on=date(movement.year, 1, 15), created_at=AT))
        named = {
            # notice ended two days ago, the commune decides
            "an_ldtt": nomination(an, "LDTT", "public_notice", action="decide",
                                  notice_ends_on=date(2026, 12, 8)),
            # notice ends in five days
            "binh_cstdcs": nomination(binh, "CSTDCS", "public_notice", action="decide",
                                      notice_ends_on=date(2026, 12, 15)),
            # notice ends in three weeks: not listed yet
            "binh_ldtt": nomination(binh, "LDTT", "public_notice", action="decide",
                                    notice_ends_on=date(2026, 12, 31)),
            "cuong_bk": nomination(cuong, "BK_TINH", "proposed", action="propose"),
            "office_ttldtt": nomination(office, "TTLDTT", "checked", action="decide"),
            "farmer_gk": nomination(farmer, "GK_XA", "draft"),
            "school_gk": nomination(school, "GK_XA", "voted", action="decide"),
            "cuong_sudden": nomination(cuong, "GK_XA", "checked", procedure="simplified",
                                       action="propose"),
            "an_gk": nomination(an, "GK_XA", "decided", action="decide"),
            "older": nomination(an, "LDTT", "draft", year=YEAR - 1),
        }
        session.add_all(named.values())
        session.flush()
        # Proposed on Monday 02/11/2026: 20 working days (24/11, Ngày Văn hóa Việt Nam, is a day
        # off) end on Tuesday 01/12/2026, now past.
        add_proposal_events(session, named["cuong_bk"].id, date(2026, 11, 2))
        for subject_id, code, verdict, included, nominated in (
                (an, "LDTT", "eligible", True, named["an_ldtt"].id),
                (binh, "LDTT", "missing_information", True, None),
                (cuong, "LDTT", "not_eligible", False, None),
                (office, "TTLDTT", "eligible", True, None),
                # left out by the checker until its missing facts are given
                (school, "TTLDTT", "missing_information", False, None)):
            session.add(ReviewCandidate(year=YEAR, subject_id=subject_id, award_code=code,
                                        source="checker", verdict=verdict, included=included,
                                        nomination_id=nominated, created_at=AT, updated_at=AT))
        session.add_all([
            CouncilSession(year=YEAR, held_on=date(2026, 11, 20), title="Phiên họp xét danh hiệu",
                           state="final", created_at=AT, updated_at=AT),
            CouncilSession(year=YEAR, held_on=date(2026, 12, 9), title="Phiên họp bổ sung",
                           state="open", created_at=AT, updated_at=AT),
        ])
        issued = Decision(year=YEAR, state="issued", number="12/QĐ-UBND", decided_on=date(2026, 12, 5),
                          created_at=AT, updated_at=AT)
        draft = Decision(year=YEAR, state="draft", created_at=AT, updated_at=AT)
        session.add_all([issued, draft])
        session.flush()
        for subject_id, code, amount, revoked in ((an, "GK_XA", 500_000, None),
                                                  (office, "GK_XA", 1_000_000, None),
                                                  (binh, "GK_XA", 500_000, date(2026, 12, 7))):
            session.add(DecisionItem(decision_id=issued.id, subject_id=subject_id, award_code=code,
                                     year=YEAR, reward_amount=amount, revoked_on=revoked))
        session.add(DecisionItem(decision_id=draft.id, subject_id=school, award_code="GK_XA",
                                 year=YEAR, reward_amount=700_000))
        return BuiltYear(staff, farmer, collectives, regular.id,
                         {name: item.id for name, item in named.items()})
