from __future__ import annotations

from datetime import date

import pytest

from app.history import RatingRecord
from app.nomination_deadlines import DeadlineKind
from app.nomination_states import State
from app.services import Services
from app.year_overview import (
    NextStep,
    Tab,
    YearOverview,
    next_steps,
)
from db.models import Movement, ReviewCandidate, WorkCalendarDay
from tests.app.year_builders import AT, TODAY, YEAR, add_proposal_events, build_year, nomination, people


def overview(services: Services, year: int = YEAR, today: date = TODAY) -> YearOverview:
    return services.year_overview.overview(year, today)


def texts(steps: list[NextStep]) -> list[tuple[str, Tab]]:
    return [(step.text, step.tab) for step in steps]


# --- counts ------------------------------------------------------------------------------


def test_movements_are_counted_by_state_with_the_regular_movements_step(services: Services) -> None:
    build_year(services)
    movements = overview(services).movements
    assert dict(movements.by_state) == {"draft": 1, "launched": 0, "running": 1, "midterm": 0,
                                        "final": 0, "closed": 0}
    assert (movements.regular_count, movements.thematic_count, movements.total) == (1, 1, 2)
    assert movements.regular_name == "Phong trào thi đua yêu nước năm 2026"
    assert movements.regular_state == "running"


def test_registrations_of_the_years_movements_only(services: Services) -> None:
    build_year(services)
    result = overview(services)
    assert result.registrations == 4  # the 2025 movement's registration is not counted
    assert result.registered_subjects == 3
    assert result.registrations_by_award == (("LDTT", 2), ("CSTDCS", 1), ("TTLDTT", 1))


def test_ratings_count_staff_and_collectives_who_should_be_rated(services: Services) -> None:
    build_year(services)
    ratings = overview(services).ratings
    # The farmer's rating is not one of those expected; last year's rating is not this year's.
    assert (ratings.individuals_rated, ratings.individuals_expected) == (2, 3)
    assert (ratings.collectives_rated, ratings.collectives_expected) == (1, 2)
    assert ratings.missing == 2


def test_review_candidates_kept_removed_missing_information_and_not_nominated(services: Services) -> None:
    build_year(services)
    candidates = overview(services).candidates
    assert (candidates.kept, candidates.removed, candidates.waiting_total, candidates.total) == (3, 1, 1, 5)
    assert candidates.waiting == (("TTLDTT", 1),)  # waits for information; not removed
    assert candidates.missing_information == 1
    assert candidates.not_nominated == 2
    assert candidates.by_award == (("LDTT", 2), ("TTLDTT", 1))


def test_candidates_waiting_for_information_lead_to_completing_it(services: Services) -> None:
    staff, farmer, _collectives = people(services)
    with services.sessions.begin() as session:
        for subject_id, code, reason in ((staff[0], "LDTT", ""), (staff[1], "LDTT", ""),
                                         # the officer's removal keeps its reason: removed
                                         (staff[2], "LDTT", "Chuyển công tác trong năm"),
                                         (farmer, "CSTDCS", "")):
            session.add(ReviewCandidate(year=YEAR, subject_id=subject_id, award_code=code, source="checker",
                                        verdict="missing_information", included=False, reason=reason,
                                        created_at=AT, updated_at=AT))
    result = overview(services, today=date(2026, 6, 1))
    assert (result.candidates.kept, result.candidates.removed) == (0, 1)
    assert result.candidates.waiting == (("LDTT", 2), ("CSTDCS", 1))
    steps = texts(next_steps(result))
    assert ("Bổ sung thông tin cho 2 cá nhân để xét Lao động tiên tiến", Tab.REVIEW) in steps
    assert ("Bổ sung thông tin cho 1 cá nhân để xét Chiến sĩ thi đua cơ sở", Tab.REVIEW) in steps
    assert ("Chạy đề xuất bình xét", Tab.REVIEW) not in steps


def test_sessions_nominations_and_decisions(services: Services) -> None:
    build_year(services)
    result = overview(services)
    assert (result.open_sessions, result.final_sessions) == (1, 1)
    assert dict(result.nominations.by_state) == {
        State.DRAFT: 1, State.CHECKED: 2, State.VOTED: 1, State.PUBLIC_NOTICE: 3, State.DECIDED: 1,
        State.PROPOSED: 1, State.APPROVED: 0, State.NOT_APPROVED: 0, State.RETURNED: 0}
    assert [state for state, _count in result.nominations.by_state] == list(State)
    assert result.nominations.total == 9  # the 2025 draft is another year's
    assert result.nominations.awaiting_vote == 1  # the simplified one is never voted on
    assert result.nominations.ready_to_decide == 1  # the notice that ended; not those still running
    assert result.nominations.ready_to_propose == 1  # the simplified sudden feat
    decisions = result.decisions
    assert (decisions.drafts, decisions.issued) == (1, 1)
    # A revoked item stops counting; a draft's items are not awarded yet.
    assert (decisions.items, decisions.reward_total, decisions.revoked_items) == (2, 1_500_000, 1)


def test_an_empty_year_counts_zero_everywhere(services: Services) -> None:
    result = overview(services, 2030, date(2030, 1, 5))
    assert result.movements.total == 0 and result.movements.regular_state == ""
    assert all(count == 0 for _state, count in result.movements.by_state)
    assert (result.registrations, result.registered_subjects, result.registrations_by_award) == (0, 0, ())
    assert result.ratings.missing == 0
    assert (result.candidates.total, result.candidates.by_award) == (0, ())
    assert (result.open_sessions, result.final_sessions) == (0, 0)
    assert len(result.nominations.by_state) == len(State)
    assert result.nominations.total == 0
    assert result.decisions.items == result.decisions.reward_total == result.decisions.drafts == 0
    assert result.deadlines == ()
    assert texts(next_steps(result)) == [
        ("Lập kế hoạch phong trào thi đua thường xuyên năm 2030", Tab.MOVEMENTS)]


def test_another_years_data_does_not_show_in_an_empty_year(services: Services) -> None:
    build_year(services)
    result = overview(services, 2030, date(2030, 1, 5))
    assert result.nominations.total == result.candidates.total == result.registrations == 0
    assert result.ratings.individuals_rated == 0 and result.ratings.missing == 5


# --- deadlines ---------------------------------------------------------------------------


def test_deadlines_list_notices_ending_soon_and_answers_overdue_earliest_first(services: Services) -> None:
    built = build_year(services)
    deadlines = overview(services).deadlines
    listed = [(d.nomination_id, d.kind, d.due_on, d.days_left, d.overdue) for d in deadlines]
    assert listed == [
        # 20 working days after Monday 02/11/2026, the latest proposal (an older one was returned),
        # Ngày Văn hóa Việt Nam (24/11) off
        (built.nominations["cuong_bk"], DeadlineKind.PROVINCE_ANSWER, date(2026, 12, 1), -9, True),
        (built.nominations["an_ldtt"], DeadlineKind.NOTICE_END, date(2026, 12, 8), -2, False),
        (built.nominations["binh_cstdcs"], DeadlineKind.NOTICE_END, date(2026, 12, 15), 5, False),
    ]  # the notice ending 31/12 is more than 7 days away
    assert deadlines[0].subject_name == "Lê Văn Cường" and deadlines[0].award_code == "BK_TINH"
    assert deadlines[1].past


def _proposed_across_tet(services: Services) -> int:
    """A 2026 nomination proposed to the province on Monday 01/02/2027, days before Tết."""
    staff, _farmer, _collectives = people(services)
    with services.sessions.begin() as session:
        item = nomination(staff[0], "CSTD_TINH", "proposed", action="propose")
        session.add(item)
        session.flush()
        add_proposal_events(session, item.id, date(2027, 2, 1))
        return item.id


@pytest.mark.parametrize(("today", "days_left", "overdue"), [
    (date(2027, 3, 5), 3, False),
    (date(2027, 3, 8), 0, False),  # due today is not late yet
    (date(2027, 3, 9), -1, True),
])
def test_province_answer_due_counts_working_days_across_tet(
        services: Services, today: date, days_left: int, overdue: bool) -> None:
    nomination_id = _proposed_across_tet(services)
    # 02–03/02, then Tết from 04/02 to 10/02/2027, then 11/02 onward: the 20th is 08/03/2027
    # (a count in calendar days, or without Tết, would say 01/03).
    (deadline,) = overview(services, today=today).deadlines
    assert (deadline.nomination_id, deadline.due_on) == (nomination_id, date(2027, 3, 8))
    assert (deadline.days_left, deadline.overdue) == (days_left, overdue)
    steps = texts(next_steps(overview(services, today=today)))
    assert (("Hỏi cấp trên về 1 hồ sơ quá hạn", Tab.NOMINATIONS) in steps) is overdue


def test_an_answer_due_more_than_a_week_ahead_is_not_listed(services: Services) -> None:
    _proposed_across_tet(services)
    assert overview(services, today=date(2027, 2, 26)).deadlines == ()


def test_the_officers_extra_day_off_moves_the_answer_deadline(services: Services) -> None:
    _proposed_across_tet(services)
    with services.sessions.begin() as session:
        session.add(WorkCalendarDay(day=date(2027, 2, 11), kind="off", note="Nghỉ thêm sau Tết",
                                    created_at=AT))
    (deadline,) = overview(services, today=date(2027, 3, 5)).deadlines
    assert deadline.due_on == date(2027, 3, 9)


def test_the_answer_days_setting_in_force_on_the_proposal_date_applies(services: Services) -> None:
    _proposed_across_tet(services)
    services.rule_settings.set("province_answer_days", "10", date(2027, 1, 1), "Thủ tục mới của tỉnh")
    services.rule_settings.set("province_answer_days", "30", date(2027, 2, 2), "Sau ngày trình: không áp dụng")
    (deadline,) = overview(services, today=date(2027, 2, 20)).deadlines
    # 02, 03, 11, 12, 15–19, 22/02/2027
    assert deadline.due_on == date(2027, 2, 22)


# --- next steps --------------------------------------------------------------------------


def test_next_steps_of_the_built_year_in_the_order_of_the_work(services: Services) -> None:
    build_year(services)
    assert texts(next_steps(overview(services))) == [
        ("Nhập xếp loại cuối năm (còn 2 đối tượng)", Tab.REVIEW),
        ("Bổ sung thông tin cho 1 tập thể để xét Tập thể lao động tiên tiến", Tab.REVIEW),
        ("Lập hồ sơ đề nghị cho 2 ứng viên đã chọn", Tab.NOMINATIONS),
        ("Kiểm tra điều kiện 1 hồ sơ dự thảo", Tab.NOMINATIONS),
        ("Họp Hội đồng xét 1 hồ sơ đã kiểm tra", Tab.COUNCIL),
        ("Hoàn tất 1 phiên họp Hội đồng chưa chốt kết quả", Tab.COUNCIL),
        ("Niêm yết công khai 1 hồ sơ đã biểu quyết", Tab.NOMINATIONS),
        ("Lập quyết định khen thưởng (1 hồ sơ)", Tab.DECISIONS),
        ("Ban hành 1 quyết định dự thảo", Tab.DECISIONS),
        ("Trình cấp trên 1 hồ sơ", Tab.NOMINATIONS),
        ("Hỏi cấp trên về 1 hồ sơ quá hạn", Tab.NOMINATIONS),
    ]


def _movement(services: Services, state: str) -> None:
    with services.sessions.begin() as session:
        session.add(Movement(year=YEAR, kind="regular", name="Thi đua yêu nước 2026", state=state,
                             created_at=AT, updated_at=AT))


def test_a_planned_movement_is_to_be_launched(services: Services) -> None:
    _movement(services, "draft")
    assert texts(next_steps(overview(services, today=date(2026, 1, 5)))) == [
        ("Phát động phong trào «Thi đua yêu nước 2026»", Tab.MOVEMENTS)]


def test_a_launched_movement_without_registrations_asks_for_them(services: Services) -> None:
    _movement(services, "launched")
    assert texts(next_steps(overview(services, today=date(2026, 1, 5)))) == [
        ("Thu đăng ký thi đua", Tab.REGISTRATIONS)]


def test_ratings_are_asked_for_from_november_or_once_some_are_entered(services: Services) -> None:
    staff, _farmer, _collectives = people(services)
    _movement(services, "running")
    asked = ("Nhập xếp loại cuối năm (còn 5 đối tượng)", Tab.REVIEW)
    assert asked not in texts(next_steps(overview(services, today=date(2026, 10, 31))))
    assert asked in texts(next_steps(overview(services, today=date(2026, 11, 1))))
    services.history.save(staff[0], RatingRecord(YEAR, "tot"))
    steps = texts(next_steps(overview(services, today=date(2026, 6, 1))))
    assert ("Nhập xếp loại cuối năm (còn 4 đối tượng)", Tab.REVIEW) in steps
    # Ratings entered and no candidate yet: the checker's proposal is next.
    assert ("Chạy đề xuất bình xét", Tab.REVIEW) in steps


def test_candidates_proposed_stop_asking_for_the_review_run(services: Services) -> None:
    staff, _farmer, _collectives = people(services)
    services.history.save(staff[0], RatingRecord(YEAR, "tot"))
    with services.sessions.begin() as session:
        session.add(ReviewCandidate(year=YEAR, subject_id=staff[0], award_code="LDTT", source="checker",
                                    verdict="eligible", included=False, reason="Không đăng ký",
                                    created_at=AT, updated_at=AT))
    steps = texts(next_steps(overview(services)))
    assert ("Chạy đề xuất bình xét", Tab.REVIEW) not in steps
    assert not any(tab is Tab.NOMINATIONS for _text, tab in steps)  # the removed one needs nothing


def test_returned_nominations_are_to_be_looked_at_again(services: Services) -> None:
    staff, _farmer, _collectives = people(services)
    with services.sessions.begin() as session:
        session.add(nomination(staff[0], "LDTT", "returned"))
    assert ("Xem lại 1 hồ sơ bị trả lại", Tab.NOMINATIONS) in texts(next_steps(overview(services)))


# --- years -------------------------------------------------------------------------------


def test_years_with_data_and_the_current_year_newest_first(services: Services) -> None:
    service = services.year_overview
    assert service.years(date(2027, 1, 5)) == [2027]
    build_year(services)
    assert service.years(date(2027, 1, 5)) == [2027, 2026, 2025]
    assert service.years(date(2026, 3, 1)) == [2026, 2025]



def test_a_closed_movement_no_longer_asks_for_registrations(services: Services) -> None:
    _movement(services, "closed")
    assert next_steps(overview(services, today=date(2026, 6, 1))) == []


def test_counting_takes_the_same_statements_however_many_rows(services: Services) -> None:
    """Aggregates, not a query per row: ten times the nominations and candidates cost nothing more."""
    from sqlalchemy import event

    built = build_year(services)
    statements: list[str] = []
    engine = services.sessions.kw["bind"]

    def listener(_connection: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        overview(services)
        first = len(statements)
        with services.sessions.begin() as session:
            for number in range(30):
                item = nomination(built.farmer, "GK_XA", "proposed", year=YEAR, action="propose")
                session.add(item)
                session.flush()
                add_proposal_events(session, item.id, date(2026, 12, 1 + number % 5))
        statements.clear()
        result = overview(services)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert result.nominations.count(State.PROPOSED) == 31
    assert len(statements) == first
