"""The one place nominations are made and moved: what it refuses, whoever calls it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.errors import ValidationError
from app.nomination_flow import apply_action, new_nomination
from app.nomination_states import Action, State
from app.services import Services
from app.subject_data import HouseholdData, IndividualData
from db.models import Nomination

AT = datetime(2026, 1, 20, 8, 0)


def create(services: Services, subject_id: int, award: str = "LDTT", year: int = 2025) -> int:
    with services.sessions.begin() as session:
        return new_nomination(session, services.audit, services.actor, AT, subject_id=subject_id,
                              award_code=award, year=year).id


def test_an_award_not_for_the_subject_s_kind_or_an_impossible_year_is_refused(services: Services) -> None:
    household = services.subjects.create(HouseholdData("Hộ ông Trần Văn Hòa")).id
    person = services.subjects.create(IndividualData("Lê Thị Hoa", "female")).id
    entries = services.audit.last_id()
    with pytest.raises(ValidationError, match="không xét cho hộ gia đình"):
        create(services, household, "LDTT")
    for year in (1999, 2027):
        with pytest.raises(ValidationError, match=f"Năm thành tích {year} không hợp lệ"):
            create(services, person, year=year)
    assert services.audit.last_id() == entries
    assert create(services, household, "GDVH") > 0


def test_a_returned_nomination_is_not_reopened_beside_a_newer_one(services: Services) -> None:
    person = services.subjects.create(IndividualData("Lê Thị Hoa", "female")).id
    first = create(services, person)
    with services.sessions.begin() as session:
        apply_action(session, services.audit, services.actor, session.get_one(Nomination, first),
                     Action.RETURN, date(2026, 1, 21), AT, "Thiếu báo cáo thành tích")
    second = create(services, person)
    with pytest.raises(ValidationError, match=f"đã có đề nghị «Lao động tiên tiến» năm 2025 đang xử lý \\(số {second}\\)"):
        with services.sessions.begin() as session:
            apply_action(session, services.audit, services.actor, session.get_one(Nomination, first),
                         Action.REOPEN, date(2026, 1, 22), AT)
    with services.sessions() as session:
        assert session.get_one(Nomination, first).state == State.RETURNED
