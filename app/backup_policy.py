"""When to back up and which backups to keep: pure rules over timestamps, no files touched.

The clock is always passed in (`now`), so the rules are tested with a frozen clock.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThinningPolicy:
    """How many backups survive thinning; each rule keeps the newest backup of its slot.

    Defaults: every backup of the last 24 hours (at most 48 of them), the newest of each of
    the 7 most recent days, 5 most recent ISO weeks and 12 most recent months that have a
    backup. Slots count days that *have* backups, so a commune that leaves the app unused
    for a year keeps its old backups when the first new one is made. The rules add up: a
    backup kept by any rule stays, and the newest backup always stays.
    """

    recent_hours: int = 24
    recent_cap: int = 48
    daily: int = 7
    weekly: int = 5
    monthly: int = 12


def kept_indices(stamps: Sequence[datetime], now: datetime,
                 policy: ThinningPolicy = ThinningPolicy()) -> frozenset[int]:
    """Positions in `stamps` of the backups to keep; all others may be deleted."""
    order = sorted(range(len(stamps)), key=lambda i: stamps[i], reverse=True)
    if not order:
        return frozenset()
    kept = {order[0]}
    window = timedelta(hours=policy.recent_hours)
    recent = [i for i in order if now - stamps[i] < window]  # a future stamp (clock set back) too
    kept.update(recent[: policy.recent_cap])
    kept.update(_newest_per_slot(order, stamps, _day, policy.daily))
    kept.update(_newest_per_slot(order, stamps, _iso_week, policy.weekly))
    kept.update(_newest_per_slot(order, stamps, _month, policy.monthly))
    return frozenset(kept)


def _newest_per_slot(order: list[int], stamps: Sequence[datetime],
                     slot: Callable[[datetime], Hashable], count: int) -> list[int]:
    """The newest backup of each of the `count` most recent slots that hold one."""
    chosen: list[int] = []
    last: Hashable = None
    for i in order:
        if len(chosen) >= count:
            break
        current = slot(stamps[i])
        if current != last:
            chosen.append(i)
            last = current
    return chosen


def _day(stamp: datetime) -> Hashable:
    return stamp.date()


def _iso_week(stamp: datetime) -> Hashable:
    year, week, _weekday = stamp.isocalendar()
    return (year, week)


def _month(stamp: datetime) -> Hashable:
    return (stamp.year, stamp.month)


class AutoBackupSchedule:
    """Debounced automatic backups: due after `quiet_seconds` without a further change, but
    no later than `longest_wait_minutes` after the first change not yet backed up.

    Defaults: 2 minutes of quiet, at most 15 minutes. A failed backup is retried after
    `retry_minutes` (default 15) rather than at the next quiet moment, so a full disk does
    not turn into a failure every two minutes.
    """

    def __init__(self, quiet_seconds: float = 120, longest_wait_minutes: float = 15,
                 retry_minutes: float = 15) -> None:
        self.quiet = timedelta(seconds=quiet_seconds)
        self.longest_wait = timedelta(minutes=longest_wait_minutes)
        self.retry_delay = timedelta(minutes=retry_minutes)
        self._first_change: datetime | None = None
        self._last_change: datetime | None = None
        self._not_before: datetime | None = None

    @property
    def pending(self) -> bool:
        """Whether a change has not been backed up yet."""
        return self._first_change is not None

    def note_change(self, now: datetime) -> None:
        if self._first_change is None:
            self._first_change = now
        self._last_change = now

    def due_at(self) -> datetime | None:
        """When the next backup falls due (None when nothing is pending)."""
        if self._first_change is None or self._last_change is None:
            return None
        due = min(self._last_change + self.quiet, self._first_change + self.longest_wait)
        return max(due, self._not_before) if self._not_before is not None else due

    def due(self, now: datetime) -> bool:
        due_at = self.due_at()
        return due_at is not None and now >= due_at

    def note_backup_started(self) -> None:
        """The pending changes are being backed up; changes from now on count for the next one."""
        self._first_change = self._last_change = None
        self._not_before = None

    def note_backup_failed(self, now: datetime, started_after: datetime) -> None:
        """A backup that began at `started_after` failed: its changes are pending again."""
        if self._first_change is None:
            self._first_change = self._last_change = started_after
        self._not_before = now + self.retry_delay
