"""The officer's additions to the working-day calendar (lịch ngày nghỉ, ngày làm bù).

The holiday library (app/working_days.py) knows the public holidays, lunar Tết and the swaps
announced when it was released; each year the government may announce more: an extra day
off, or a Saturday worked in exchange. The officer records those here, and every notice
period and deadline counts with them (`calendar()`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import AuditTrail, Clock, utc_now
from app.errors import NotFoundError, ValidationError
from app.local_time import stored_now
from app.roles import Actor, Permission, require
from app.subjects import required_reason
from app.vietnamese import clean
from app.working_days import KIND_LABELS, OFF, WORK, WorkCalendar, holiday_name
from db.models import WorkCalendarDay

WEEKDAY_LABELS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
MAX_NOTE = 300
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class WorkCalendarRow:
    id: int
    uuid: str
    day: date
    kind: str
    note: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def weekday_label(self) -> str:
        return WEEKDAY_LABELS[self.day.weekday()]


@dataclass(frozen=True)
class PublicHoliday:
    day: date
    name: str

    @property
    def weekday_label(self) -> str:
        return WEEKDAY_LABELS[self.day.weekday()]


def public_holidays(year: int) -> list[PublicHoliday]:
    """The library's public holidays (days off) of `year`, in date order."""
    day, found = date(year, 1, 1), []
    while day.year == year:
        name = holiday_name(day)
        if name is not None:
            found.append(PublicHoliday(day, name))
        day += timedelta(days=1)
    return found


def describe(day: date) -> str:
    return f"{WEEKDAY_LABELS[day.weekday()]} {day:%d/%m/%Y}"


class WorkCalendarService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._clock = clock

    def rows(self, year: int) -> list[WorkCalendarRow]:
        query = (select(WorkCalendarDay)
                 .where(WorkCalendarDay.day >= date(year, 1, 1), WorkCalendarDay.day <= date(year, 12, 31))
                 .order_by(WorkCalendarDay.day))
        with self._sessions() as session:
            return [_row(entry) for entry in session.scalars(query)]

    def calendar(self) -> WorkCalendar:
        """Working days with every stored addition: what notices and deadlines count with."""
        with self._sessions() as session:
            stored = session.execute(select(WorkCalendarDay.day, WorkCalendarDay.kind))
            return WorkCalendar({day: kind for day, kind in stored})

    def add(self, day: date, kind: str, note: str = "") -> WorkCalendarRow:
        """Record an extra day off ('off') or a weekend day worked in exchange ('work')."""
        require(self._actor, Permission.EDIT_SETUP)
        note = clean(note)
        _validate(day, kind, note)
        with self._sessions.begin() as session:
            if session.scalar(select(WorkCalendarDay.id).where(WorkCalendarDay.day == day)) is not None:
                raise ValidationError(f"Ngày {describe(day)} đã có trong lịch; hãy xóa dòng cũ nếu cần đổi.", "day")
            entry = WorkCalendarDay(day=day, kind=kind, note=note, created_at=stored_now(self._clock))
            session.add(entry)
            session.flush()
            self._audit.record(session, self._actor, "create", "work_calendar_day", entry.uuid,
                               f"Thêm {KIND_LABELS[kind].lower()}: {describe(day)}",
                               new={"day": day, "kind": kind, "note": note})
            return _row(entry)

    def remove(self, entry_id: int, reason: str) -> None:
        require(self._actor, Permission.EDIT_SETUP)
        reason = required_reason(reason)
        with self._sessions.begin() as session:
            entry = session.get(WorkCalendarDay, entry_id)
            if entry is None:
                raise NotFoundError("Không tìm thấy ngày này trong lịch.")
            self._audit.record(session, self._actor, "delete", "work_calendar_day", entry.uuid,
                               f"Xóa {KIND_LABELS[entry.kind].lower()}: {describe(entry.day)}",
                               old={"day": entry.day, "kind": entry.kind, "note": entry.note}, reason=reason)
            session.delete(entry)


def _validate(day: date, kind: str, note: str) -> None:
    if not isinstance(day, date):
        raise ValidationError("Hãy chọn ngày.", "day")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(f"Năm {day.year} nằm ngoài lịch ({FIRST_YEAR}–{LAST_YEAR}).", "day")
    if kind not in KIND_LABELS:
        raise ValidationError("Loại ngày không hợp lệ.", "kind")
    if len(note) > MAX_NOTE:
        raise ValidationError(f"Ghi chú dài quá {MAX_NOTE} ký tự.", "note")
    library = WorkCalendar()
    weekend = day.weekday() >= 5
    if kind == WORK:
        if not weekend:
            raise ValidationError(
                f"{describe(day)} vốn là ngày làm việc; ngày làm bù chỉ có thể là thứ Bảy hoặc Chủ nhật.", "day")
        if library.is_working_day(day):
            raise ValidationError(f"{describe(day)} đã là ngày làm bù trong lịch nghỉ lễ chính thức.", "day")
    if kind == OFF:
        holiday = holiday_name(day)
        if holiday is not None:
            raise ValidationError(f"{describe(day)} đã là ngày nghỉ lễ ({holiday}).", "day")
        if weekend:
            raise ValidationError(f"{describe(day)} là ngày nghỉ cuối tuần, không cần thêm.", "day")
        if not library.is_working_day(day):
            raise ValidationError(f"{describe(day)} đã là ngày nghỉ trong lịch chính thức.", "day")


def _row(entry: WorkCalendarDay) -> WorkCalendarRow:
    return WorkCalendarRow(entry.id, entry.uuid, entry.day, entry.kind, entry.note)
