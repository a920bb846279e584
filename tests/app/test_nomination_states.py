"""The nomination state machine: every state × action pair, for both procedures and every
route (who decides: the commune, the province, or not known yet), valid and invalid, with
the message the officer reads. The expected table is written out here by hand from the
procedure (L2022 Điều 84, 85), not read from the module under test."""

from __future__ import annotations

import itertools

import pytest

from app.errors import ValidationError
from app.nomination_states import (
    ACTION_LABELS,
    FINAL_STATES,
    NEEDS_REASON,
    OPEN_STATES,
    PROCEDURE_LABELS,
    STATE_LABELS,
    Action,
    Procedure,
    Route,
    State,
    allowed_actions,
    next_state,
)

S, A = State, Action
STANDARD, SIMPLIFIED = Procedure.STANDARD, Procedure.SIMPLIFIED
ROUTES = (None, Route.DECIDE, Route.PROPOSE)

# Steps every route may take, by procedure.
_COMMON = {
    (S.PROPOSED, A.APPROVE): S.APPROVED,
    (S.PROPOSED, A.NOT_APPROVE): S.NOT_APPROVED,
    (S.DRAFT, A.RETURN): S.RETURNED,
    (S.CHECKED, A.RETURN): S.RETURNED,
    (S.VOTED, A.RETURN): S.RETURNED,
    (S.PUBLIC_NOTICE, A.RETURN): S.RETURNED,
    (S.PROPOSED, A.RETURN): S.RETURNED,
    (S.RETURNED, A.REOPEN): S.DRAFT,
    (S.DRAFT, A.CHECK): S.CHECKED,
    (S.CHECKED, A.CHECK): S.CHECKED,
}
EXPECTED = {
    STANDARD: {**_COMMON, (S.CHECKED, A.VOTE): S.VOTED, (S.VOTED, A.POST_NOTICE): S.PUBLIC_NOTICE,
               (S.PUBLIC_NOTICE, A.DECIDE): S.DECIDED, (S.PUBLIC_NOTICE, A.PROPOSE): S.PROPOSED},
    SIMPLIFIED: {**_COMMON, (S.CHECKED, A.DECIDE): S.DECIDED, (S.CHECKED, A.PROPOSE): S.PROPOSED},
}
# DECIDE needs the commune's authority, PROPOSE the province's.
NEEDED_ROUTE = {A.DECIDE: Route.DECIDE, A.PROPOSE: Route.PROPOSE}
NOT_COMMUNE = ("Danh hiệu, hình thức này không thuộc thẩm quyền quyết định của Chủ tịch UBND xã "
               "vào ngày quyết định; hãy trình cấp trên.")
NOT_PROVINCE = "Danh hiệu, hình thức này do Chủ tịch UBND xã quyết định; không trình cấp trên."

CASES = list(itertools.product(Procedure, State, Action, ROUTES))


def expected_message(procedure: Procedure, state: State, action: Action) -> str:
    label = ACTION_LABELS[action].lower()
    if state in FINAL_STATES:
        return f"Không thể «{label}»: đề nghị đang ở bước «{STATE_LABELS[state]}», đã kết thúc."
    if procedure is SIMPLIFIED and action in (A.VOTE, A.POST_NOTICE):
        return (f"Không thể «{label}»: đề nghị theo thủ tục đơn giản không qua biểu quyết của Hội đồng "
                "và niêm yết công khai.")
    return f"Không thể «{label}» khi đề nghị đang ở bước «{STATE_LABELS[state]}»."


def test_the_table_covers_every_pair() -> None:
    assert len(CASES) == 2 * 9 * 9 * 3


@pytest.mark.parametrize(("procedure", "state", "action", "route"), CASES,
                         ids=[f"{p}-{s}-{a}-{r or 'none'}" for p, s, a, r in CASES])
def test_every_state_and_action(procedure: Procedure, state: State, action: Action,
                                route: Route | None) -> None:
    target = EXPECTED[procedure].get((state, action))
    needed = NEEDED_ROUTE.get(action)
    if target is not None and (needed is None or route is needed):
        assert next_state(state, action, procedure, route) is target
        assert action in allowed_actions(state, procedure, route)
        return
    with pytest.raises(ValidationError) as refused:
        next_state(state, action, procedure, route)
    if target is None:
        assert str(refused.value) == expected_message(procedure, state, action)
    else:
        assert str(refused.value) == (NOT_COMMUNE if action is A.DECIDE else NOT_PROVINCE)
    assert refused.value.field == "state"
    assert action not in allowed_actions(state, procedure, route)


@pytest.mark.parametrize("procedure", list(Procedure))
def test_final_states_allow_nothing(procedure: Procedure) -> None:
    for state, route in itertools.product(FINAL_STATES, ROUTES):
        assert allowed_actions(state, procedure, route) == []


def test_allowed_actions_at_each_step_of_the_standard_path() -> None:
    assert allowed_actions(S.DRAFT, STANDARD, None) == [A.CHECK, A.RETURN]
    assert allowed_actions(S.CHECKED, STANDARD, Route.PROPOSE) == [A.CHECK, A.VOTE, A.RETURN]
    assert allowed_actions(S.VOTED, STANDARD, Route.PROPOSE) == [A.POST_NOTICE, A.RETURN]
    assert allowed_actions(S.PUBLIC_NOTICE, STANDARD, Route.PROPOSE) == [A.PROPOSE, A.RETURN]
    assert allowed_actions(S.PUBLIC_NOTICE, STANDARD, Route.DECIDE) == [A.DECIDE, A.RETURN]
    assert allowed_actions(S.PUBLIC_NOTICE, STANDARD, None) == [A.RETURN]
    assert allowed_actions(S.PROPOSED, STANDARD, Route.PROPOSE) == [A.APPROVE, A.NOT_APPROVE, A.RETURN]
    assert allowed_actions(S.RETURNED, STANDARD, Route.PROPOSE) == [A.REOPEN]


def test_the_simplified_path_skips_vote_and_notice() -> None:
    assert allowed_actions(S.CHECKED, SIMPLIFIED, Route.DECIDE) == [A.CHECK, A.DECIDE, A.RETURN]
    assert allowed_actions(S.CHECKED, SIMPLIFIED, Route.PROPOSE) == [A.CHECK, A.PROPOSE, A.RETURN]
    assert S.VOTED not in {next_state(S.CHECKED, a, SIMPLIFIED, Route.PROPOSE)
                           for a in allowed_actions(S.CHECKED, SIMPLIFIED, Route.PROPOSE)}


def test_open_states_are_those_that_block_a_second_nomination() -> None:
    assert OPEN_STATES == {S.DRAFT, S.CHECKED, S.VOTED, S.PUBLIC_NOTICE, S.DECIDED, S.PROPOSED, S.APPROVED}
    assert NEEDS_REASON == {A.RETURN, A.NOT_APPROVE}


def test_every_state_action_and_procedure_has_a_vietnamese_label() -> None:
    assert set(STATE_LABELS) == set(State)
    assert set(ACTION_LABELS) == set(Action)
    assert set(PROCEDURE_LABELS) == set(Procedure)
