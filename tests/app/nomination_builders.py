"""Test data for the steps after the checker: a stored passing check for a nomination.

Council, decision and flow tests move nominations along without building a history that
the real checker would pass for every award; they record the checker's "eligible" result
as a stored check instead, exactly the row `NominationService.check` leaves behind.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from app.eligibility.checker import ENGINE_VERSION
from app.eligibility.outcome import Verdict
from db.models import EligibilityCheck, Nomination


def record_passing_check(session: Session, nomination: Nomination, on: date, at: datetime) -> None:
    session.add(EligibilityCheck(
        subject_id=nomination.subject_id, award_code=nomination.award_code, route=nomination.route,
        period_end=nomination.year, decision_date=on, verdict=Verdict.ELIGIBLE, rule_set="2025-ND152",
        engine_version=ENGINE_VERSION, result_json="{}", checked_at=at.replace(tzinfo=None),
        nomination_id=nomination.id))
    session.flush()
