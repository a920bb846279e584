"""Working days (ngày làm việc) in Vietnam, for notice periods and answer deadlines.

Public holidays, lunar Tết and the government's swapped days come from the maintained
`holidays` library (Bộ luật Lao động 2019 Điều 112 and each year's announcements as the
library records them). The officer adds what the library cannot know in advance: an extra
day off announced for the year, or a weekend day worked in exchange (table
`work_calendar_days`, app/work_calendar_service.py). Those entries win over the library.
Pure: no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache

import holidays

OFF, WORK = "off", "work"
KIND_LABELS = {OFF: "Ngày nghỉ thêm", WORK: "Ngày làm việc bù (thứ Bảy, Chủ nhật)"}
_MAX_SEARCH = 366 * 3  # no real count spans more; guards against a calendar of only days off


@lru_cache(maxsize=1)
def _public_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("VN", language="vi")


def holiday_name(day: date) -> str | None:
    """The public holiday on `day` in Vietnamese, or None."""
    return _public_holidays().get(day)


class WorkCalendar:
    """Vietnam's working days with the officer's own additions (`adjustments`: day → off/work)."""

    def __init__(self, adjustments: Mapping[date, str] | None = None) -> None:
        self._adjustments = dict(adjustments or {})

    def is_working_day(self, day: date) -> bool:
        kind = self._adjustments.get(day)
        if kind is not None:
            return kind == WORK
        return _public_holidays().is_working_day(day)

    def nth_working_day(self, start: date, n: int) -> date:
        """The n-th working day of a period beginning on `start` (day 1 is `start` itself
        when it is a working day): the last day of an n-working-day notice posted on `start`."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day, counted = start, 0
        for _ in range(_MAX_SEARCH):
            if self.is_working_day(day):
                counted += 1
                if counted == n:
                    return day
            day += timedelta(days=1)
        raise ValueError("no working day found")

    def add_working_days(self, start: date, n: int) -> date:
        """The date `n` working days after `start` (not counting `start`): a deadline of
        n working days from receipt on `start`."""
        return self.nth_working_day(start + timedelta(days=1), n) if n > 0 else start

    def count_between(self, first: date, last: date) -> int:
        """Working days from `first` to `last`, both included (0 when `last` is earlier)."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count
