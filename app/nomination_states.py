"""The life of a nomination (đề nghị khen thưởng) as a state machine: pure, no database.

Standard procedure (L2022 Điều 84):
    draft → checked → voted → public_notice → decided        (the commune chairman decides)
                                            → proposed → approved | not_approved  (the province)
Simplified procedure for sudden feats (L2022 Điều 85, thủ tục đơn giản): no council vote
and no public notice, the commune decides or proposes right after the check:
    draft → checked → decided | proposed → approved | not_approved

Any step not yet final may be returned with a reason (trả lại); a returned nomination is
reopened as a draft. Decided, approved and not approved are final: a decided award is
undone only by revoking the decision item (app/decisions.py), never by a state change.
"""

from __future__ import annotations

from enum import StrEnum

from app.errors import ValidationError


class State(StrEnum):
    DRAFT = "draft"
    CHECKED = "checked"
    VOTED = "voted"
    PUBLIC_NOTICE = "public_notice"
    DECIDED = "decided"
    PROPOSED = "proposed"
    APPROVED = "approved"
    NOT_APPROVED = "not_approved"
    RETURNED = "returned"


class Action(StrEnum):
    CHECK = "check"
    VOTE = "vote"
    POST_NOTICE = "post_notice"
    DECIDE = "decide"
    PROPOSE = "propose"
    APPROVE = "approve"
    NOT_APPROVE = "not_approve"
    RETURN = "return"
    REOPEN = "reopen"


class Procedure(StrEnum):
    STANDARD = "standard"
    SIMPLIFIED = "simplified"


class Route(StrEnum):
    """Who decides, from the checker's authority on the planned decision date."""

    DECIDE = "decide"    # the commune chairman
    PROPOSE = "propose"  # the provincial chairman, on the commune's proposal


STATE_LABELS = {
    State.DRAFT: "Dự thảo",
    State.CHECKED: "Đã kiểm tra điều kiện",
    State.VOTED: "Hội đồng đã biểu quyết",
    State.PUBLIC_NOTICE: "Đang niêm yết công khai",
    State.DECIDED: "Đã có quyết định của xã",
    State.PROPOSED: "Đã trình cấp trên",
    State.APPROVED: "Cấp trên đã khen thưởng",
    State.NOT_APPROVED: "Cấp trên không khen thưởng",
    State.RETURNED: "Bị trả lại",
}

ACTION_LABELS = {
    Action.CHECK: "Kiểm tra điều kiện",
    Action.VOTE: "Ghi kết quả biểu quyết",
    Action.POST_NOTICE: "Niêm yết công khai",
    Action.DECIDE: "Quyết định khen thưởng",
    Action.PROPOSE: "Trình cấp trên",
    Action.APPROVE: "Ghi kết quả: cấp trên khen thưởng",
    Action.NOT_APPROVE: "Ghi kết quả: cấp trên không khen thưởng",
    Action.RETURN: "Trả lại",
    Action.REOPEN: "Mở lại để sửa",
}

PROCEDURE_LABELS = {
    Procedure.STANDARD: "Thủ tục thông thường",
    Procedure.SIMPLIFIED: "Thủ tục đơn giản (đột xuất)",
}

FINAL_STATES = frozenset({State.DECIDED, State.APPROVED, State.NOT_APPROVED})
# States in which the nomination still counts as one for its subject, award and year.
OPEN_STATES = frozenset(State) - {State.RETURNED, State.NOT_APPROVED}
# Actions that need a reason the officer types.
NEEDS_REASON = frozenset({Action.RETURN, Action.NOT_APPROVE})

_STANDARD: dict[tuple[State, Action], State] = {
    (State.DRAFT, Action.CHECK): State.CHECKED,
    (State.CHECKED, Action.CHECK): State.CHECKED,  # checked again after a change of data
    (State.CHECKED, Action.VOTE): State.VOTED,
    (State.VOTED, Action.POST_NOTICE): State.PUBLIC_NOTICE,
    (State.PUBLIC_NOTICE, Action.DECIDE): State.DECIDED,
    (State.PUBLIC_NOTICE, Action.PROPOSE): State.PROPOSED,
}
_SIMPLIFIED: dict[tuple[State, Action], State] = {
    (State.DRAFT, Action.CHECK): State.CHECKED,
    (State.CHECKED, Action.CHECK): State.CHECKED,
    (State.CHECKED, Action.DECIDE): State.DECIDED,
    (State.CHECKED, Action.PROPOSE): State.PROPOSED,
}
_BOTH: dict[tuple[State, Action], State] = {
    (State.PROPOSED, Action.APPROVE): State.APPROVED,
    (State.PROPOSED, Action.NOT_APPROVE): State.NOT_APPROVED,
    **{(state, Action.RETURN): State.RETURNED
       for state in (State.DRAFT, State.CHECKED, State.VOTED, State.PUBLIC_NOTICE, State.PROPOSED)},
    (State.RETURNED, Action.REOPEN): State.DRAFT,
}
TRANSITIONS: dict[Procedure, dict[tuple[State, Action], State]] = {
    Procedure.STANDARD: {**_STANDARD, **_BOTH},
    Procedure.SIMPLIFIED: {**_SIMPLIFIED, **_BOTH},
}


def next_state(state: State, action: Action, procedure: Procedure, route: Route | None) -> State:
    """The state after `action`, or a ValidationError in Vietnamese saying why not.

    `route` is who decides; DECIDE needs the commune's authority and PROPOSE the province's
    (None: not checked yet, so neither is possible).
    """
    target = TRANSITIONS[procedure].get((state, action))
    if target is None:
        raise ValidationError(_refusal(state, action, procedure), "state")
    if action is Action.DECIDE and route is not Route.DECIDE:
        raise ValidationError(
            "Danh hiệu, hình thức này không thuộc thẩm quyền quyết định của Chủ tịch UBND xã "
            "vào ngày quyết định; hãy trình cấp trên.", "state")
    if action is Action.PROPOSE and route is not Route.PROPOSE:
        raise ValidationError(
            "Danh hiệu, hình thức này do Chủ tịch UBND xã quyết định; không trình cấp trên.", "state")
    return target


def allowed_actions(state: State, procedure: Procedure, route: Route | None) -> list[Action]:
    """The actions `next_state` accepts from `state`, in the order of `Action`."""
    allowed = []
    for action in Action:
        try:
            next_state(state, action, procedure, route)
        except ValidationError:
            continue
        allowed.append(action)
    return allowed


def _refusal(state: State, action: Action, procedure: Procedure) -> str:
    label = f"«{ACTION_LABELS[action]}»"
    where = f"đề nghị đang ở bước «{STATE_LABELS[state]}»"
    if state in FINAL_STATES:
        return f"Không thể {label.lower()}: {where}, đã kết thúc."
    if procedure is Procedure.SIMPLIFIED and action in (Action.VOTE, Action.POST_NOTICE):
        return (f"Không thể {label.lower()}: đề nghị theo thủ tục đơn giản không qua biểu quyết "
                "của Hội đồng và niêm yết công khai.")
    return f"Không thể {label.lower()} khi {where}."
