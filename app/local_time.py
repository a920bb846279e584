"""The two readings of a service's clock (app/audit.py `Clock`): the date of the work in
Việt Nam, and the moment stored in the database.

A clock gives an aware moment. The commune works on Việt Nam's calendar (+07:00, no
daylight saving), whatever time zone the PC is set to: a step taken at 23:30 on 31/12
belongs to 31/12, not to the UTC date. Stored times are naive UTC, like the audit trail's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from app.audit import Clock

VIETNAM_TIME = timezone(timedelta(hours=7), "+07:00")


def local_date(clock: Clock) -> date:
    """The date in Việt Nam at the clock's moment."""
    return clock().astimezone(VIETNAM_TIME).date()


def stored_now(clock: Clock) -> datetime:
    """The clock's moment as naive UTC, the way times are stored."""
    return clock().astimezone(UTC).replace(tzinfo=None)
