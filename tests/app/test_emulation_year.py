"""One emulation year driven end to end through the services, as the officer works it:
launch → register → rate → propose → check → vote → notice → decide → history → next year.

Year 2025 is reviewed in January 2026, under the post-reform authority (the commune chairman
decides LĐTT and CSTĐCS from 01/07/2025); Tết 2026 (16–20/02) falls in the notice period.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.commune import CommuneSetup, OfficialData
from app.eligibility.outcome import Status, Verdict
from app.eligibility.request import CheckRequest
from app.history import AwardRecord, RatingRecord
from app.movements import MovementPlan
from app.nomination_states import State
from app.registrations import RegistrationItem
from app.services import Services
from app.subject_data import CollectiveData, IndividualData

YEAR = 2025
COUNCIL_DAY = date(2026, 2, 10)
NOTICE_START = date(2026, 2, 11)
DECISION_DAY = date(2026, 3, 2)


def set_up(services: Services) -> None:
    services.commune.save(CommuneSetup(
        province_code=75, commune_code=26377, place_name="Phước Tân",
        officials=(OfficialData("chairman", "Nguyễn Văn An"),
                   OfficialData("vice_chairman", "Trần Thị Bình"),
                   *(OfficialData("council_member", name, "Đại diện đoàn thể") for name in (
                       "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Gấm", "Đỗ Văn Hùng")),
                   OfficialData("officer", "Ngô Thị Lan", "Công chức Văn phòng - Thống kê"))))


def staff(services: Services, name: str, gender: str, unit_id: int) -> int:
    return services.subjects.create(IndividualData(
        name, gender, date(1985, 4, 2), employment="cong_chuc", unit_id=unit_id,
        employment_start=date(2012, 8, 1))).id


@pytest.fixture
def commune(services: Services) -> dict[str, int]:
    set_up(services)
    unit = services.subjects.create(CollectiveData("Văn phòng HĐND và UBND xã", "agency")).id
    people = {
        "mai": staff(services, "Trần Thị Mai", "female", unit),  # CSTĐCS 2024 already: a streak starts
        "nam": staff(services, "Lê Văn Nam", "male", unit),
        "oanh": staff(services, "Phạm Thị Oanh", "female", unit),  # rated only "hoàn thành"
    }
    for subject_id in people.values():
        for year in (2022, 2023, 2024):
            services.history.save(subject_id, RatingRecord(year, "htxs"))
    services.history.save(people["mai"], AwardRecord(
        "CSTDCS", 2024, decision_number="15/QĐ-UBND", decision_date=date(2025, 1, 20),
        issuer="Chủ tịch UBND huyện Long Thành"))
    return {**people, "unit": unit}


def test_a_whole_year_from_the_plan_to_next_year_s_streak(services: Services, commune: dict[str, int]) -> None:
    mai, nam, oanh = commune["mai"], commune["nam"], commune["oanh"]

    # Plan and launch the regular movement, collect registrations.
    movement = services.movements.create(MovementPlan(
        YEAR, "regular", "Thi đua thực hiện thắng lợi nhiệm vụ năm 2025", "02/KH-UBND",
        objectives="Hoàn thành các chỉ tiêu kinh tế - xã hội năm 2025"))
    services.movements.advance(movement.id, "launched", date(2025, 1, 10))
    services.movements.advance(movement.id, "running", date(2025, 2, 1))
    registered = services.registrations.add_many(movement.id, [
        RegistrationItem(mai, "CSTDCS", date(2025, 1, 20)),
        RegistrationItem(nam, "LDTT", date(2025, 1, 20)),
        RegistrationItem(oanh, "LDTT", date(2025, 1, 20)),
    ])
    assert registered == 3

    # Year-end ratings, then the checker's proposal.
    services.review.set_ratings(YEAR, [(mai, "htxs"), (nam, "tot"), (oanh, "ht")])
    services.review.propose(YEAR, DECISION_DAY)
    proposed = {(c.subject_id, c.award_code): c for c in services.review.candidates(YEAR)}
    assert proposed[(mai, "CSTDCS")].included and proposed[(nam, "LDTT")].included
    assert (oanh, "LDTT") not in proposed  # "hoàn thành nhiệm vụ" is not enough for LĐTT
    wanted = [proposed[(mai, "CSTDCS")].id, proposed[(mai, "LDTT")].id, proposed[(nam, "LDTT")].id]
    assert services.review.make_nominations(YEAR, wanted, DECISION_DAY) == 3
    nominations = {(row.subject_id, row.award_code): row.id for row in services.nominations.rows(YEAR)}
    for nomination_id in nominations.values():
        assert services.nominations.check(nomination_id).verdict is Verdict.ELIGIBLE

    # The council votes by secret ballot, 7 of its 8 members present.
    session_id = services.council.create(YEAR, COUNCIL_DAY, "Họp xét khen thưởng năm 2025")
    members = services.council.detail(session_id).members
    assert len(members) == 8
    services.council.add_nominations(session_id, list(nominations.values()))
    services.council.record(session_id, attendance={members[-2].id: False}, ballots=(7, 7, 7),
                            votes={nomination_id: 7 for nomination_id in nominations.values()})
    services.council.finalise(session_id)
    assert {services.nominations.detail(n).row.state for n in nominations.values()} == {State.VOTED}

    # Public notice of five working days across Tết 2026, then the chairman's decision.
    assert services.nominations.post_notice(list(nominations.values()), NOTICE_START) == date(2026, 2, 24)
    ready = [row.id for row in services.decisions.decidable(YEAR, DECISION_DAY)]
    assert sorted(ready) == sorted(nominations.values())
    draft = services.decisions.create_draft(YEAR, ready, "Về việc khen thưởng năm 2025", "Nguyễn Văn An",
                                            "CHỦ TỊCH", "TM")
    issued = services.decisions.issue(draft.id, DECISION_DAY)
    assert issued.number == "01/QĐ-UBND"
    assert {services.nominations.detail(n).row.state for n in nominations.values()} == {State.DECIDED}

    # The history shows the titles at once, with the decision that granted them.
    titles = {(a.award_code, a.year, a.decision_number) for a in services.history.of(mai).awards}
    assert ("CSTDCS", 2025, "01/QĐ-UBND") in titles and ("LDTT", 2025, "01/QĐ-UBND") in titles
    assert [(a.award_code, a.year) for a in services.history.of(nam).awards] == [("LDTT", 2025)]
    assert services.history.of(oanh).awards == ()

    # Next year's checker sees the two consecutive CSTĐCS (2024 by the district, 2025 by the
    # commune) as the basis of a provincial Bằng khen.
    outcome = services.eligibility.check_subject(
        mai, CheckRequest("BK_TINH", 2025, date(2026, 4, 1), route="two_cstdcs"))
    streak = next(c for c in outcome.checks if c.code == "streak")
    assert streak.status is Status.PASSED, streak.message

    # Revoking the CSTĐCS line takes it out of the streak again.
    item = next(i for i in services.decisions.detail(draft.id).items
                if i.subject_id == mai and i.award_code == "CSTDCS")
    services.decisions.revoke_item(item.id, "Kê khai thành tích không đúng", date(2026, 5, 4))
    outcome = services.eligibility.check_subject(
        mai, CheckRequest("BK_TINH", 2025, date(2026, 6, 1), route="two_cstdcs"))
    assert next(c for c in outcome.checks if c.code == "streak").status is Status.FAILED

    overview = services.year_overview.overview(YEAR, date(2026, 5, 5))
    assert overview.nominations.count(State.DECIDED) == 3
    assert services.audit.verify().ok
