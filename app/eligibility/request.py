"""What is asked: one title or award for one subject, its achievement period and decision date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# How the commune acts on the request: decide itself, or propose to a higher level.
DECIDE, PROPOSE = "decide", "propose"


@dataclass(frozen=True)
class Facts:
    """What the officer declares for this request that the history cannot tell.

    None means "not given"; a check that needs it reports missing information.
    """

    achievement_summary: str = ""  # sudden feat or thematic movement: the short summary
    event_date: date | None = None  # sudden feat: when it happened
    movement: str = ""  # thematic movement: its name
    assessment_passed: bool | None = None  # GĐVH / thôn văn hóa: assessed as meeting NĐ 86 criteria
    public_notice_days: int | None = None  # days the list was posted publicly before the decision
    registered: bool | None = None  # registered for the title at the start of the year
    cluster_leading: bool | None = None  # Cờ thi đua tỉnh: led its cụm/khối thi đua in the year
    cluster_name: str = ""
    basis_award_uuids: tuple[str, ...] = field(default=())  # earlier awards cited as the basis


@dataclass(frozen=True)
class CheckRequest:
    award_code: str  # app.catalogue.AWARDS
    period_end: int  # the achievement year, or the last year of a multi-year period
    decision_date: date
    route: str | None = None  # which criteria: see app.eligibility.rules.ROUTES
    action: str | None = None  # DECIDE or PROPOSE; None: whatever the authority on the date allows
    facts: Facts = field(default_factory=Facts)
