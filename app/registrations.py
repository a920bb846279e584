"""Registrations (đăng ký thi đua): who aims for which title in a movement of the year.

Entered one by one, in bulk or from Excel (app/excel_year_sheets.py); a batch is written
whole or not at all. The annual review reads `registered(year)`: the titles registered in any
movement of the year, since some titles need a registration (rule `registration_required`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session, sessionmaker

from app import catalogue
from app.audit import AuditEvent, AuditTrail, Clock, plain, utc_now
from app.eligibility.checker import checkable
from app.errors import NotFoundError, ValidationError
from app.movements import CLOSED, OPEN_FOR_REGISTRATION, STATE_LABELS
from app.local_time import stored_now
from app.roles import Actor, Permission, require
from app.subjects import required_reason
from app.vietnamese import clean
from db.models import Individual, Movement, Registration, Subject

SUBJECTS = Subject.__table__
PEOPLE = Individual.__table__
MAX_PROBLEMS_SHOWN = 20
_CHUNK = 500


@dataclass(frozen=True)
class RegistrationItem:
    subject_id: int
    award_code: str
    registered_on: date
    note: str = ""


@dataclass(frozen=True)
class RegistrationRow:
    id: int
    uuid: str
    movement_id: int
    movement_name: str
    subject_id: int
    subject_uuid: str
    subject_kind: str
    subject_name: str
    birth_date: date | None
    award_code: str
    registered_on: date
    note: str

    @property
    def award_label(self) -> str:
        return catalogue.AWARDS[self.award_code].label

    @property
    def subject_kind_label(self) -> str:
        return catalogue.SUBJECT_KINDS[self.subject_kind]


@dataclass(frozen=True)
class ItemProblem:
    """Why the item at `index` (0-based) of a batch cannot be registered."""

    index: int
    message: str
    field: str | None = None  # the RegistrationItem field at fault; None: the whole item


def registrable_awards(subject_kind: str) -> dict[str, str]:
    """Code → label of the titles and awards a subject of this kind may register for."""
    return {kind.code: kind.label for kind in catalogue.AWARD_KINDS if checkable(kind.code, subject_kind)}


class RegistrationService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._clock = clock

    def rows(self, movement_id: int) -> list[RegistrationRow]:
        """The registrations of one movement, by title then in Vietnamese name order."""
        return self._rows(Registration.movement_id == movement_id)

    def rows_for_year(self, year: int) -> list[RegistrationRow]:
        return self._rows(Movement.year == year)

    def registered(self, year: int) -> set[tuple[int, str]]:
        """(subject_id, award_code) registered in any movement of `year`."""
        query = (select(Registration.subject_id, Registration.award_code)
                 .join(Movement, Movement.id == Registration.movement_id)
                 .where(Movement.year == year))
        with self._sessions() as session:
            return {(subject_id, code) for subject_id, code in session.execute(query)}

    def problems(self, movement_id: int, items: Sequence[RegistrationItem]) -> list[ItemProblem]:
        """What is wrong with each item of a batch (empty: the batch may be added). Reads only."""
        with self._sessions() as session:
            movement = _movement(session, movement_id)
            return _problems(session, movement, items)

    def add_many(self, movement_id: int, items: Sequence[RegistrationItem]) -> int:
        """Register every item in one transaction; any bad item refuses the whole batch."""
        require(self._actor, Permission.RUN_EMULATION)
        items = [_cleaned(item) for item in items]
        if not items:
            raise ValidationError("Chưa có đối tượng nào để đăng ký.")
        with self._sessions.begin() as session:
            movement = _movement(session, movement_id)
            found = _problems(session, movement, items)
            if found:
                shown = [f"mục {p.index + 1}: {p.message}" for p in found[:MAX_PROBLEMS_SHOWN]]
                more = f"; và {len(found) - MAX_PROBLEMS_SHOWN} lỗi khác" if len(found) > MAX_PROBLEMS_SHOWN else ""
                raise ValidationError(
                    f"Chưa đăng ký được ({len(found)} lỗi, không có mục nào được ghi): "
                    + "; ".join(shown) + more + ".", item=found[0].index)
            names = _names(session, [item.subject_id for item in items])
            now = stored_now(self._clock)
            rows = [Registration(movement_id=movement_id, created_at=now, **plain(item)) for item in items]
            session.add_all(rows)
            session.flush()
            self._audit.record_many(session, self._actor, [
                AuditEvent("create", "registration", row.uuid,
                           f"Đăng ký «{catalogue.AWARDS[item.award_code].label}» cho «{names[item.subject_id]}» "
                           f"trong phong trào «{movement.name}»",
                           new={"movement": movement.uuid, **plain(item)})
                for row, item in zip(rows, items)])
            return len(rows)

    def remove(self, registration_id: int, reason: str) -> None:
        """Withdraw a registration; the reason is kept in the audit trail."""
        require(self._actor, Permission.RUN_EMULATION)
        reason = required_reason(reason)
        with self._sessions.begin() as session:
            registration = session.get(Registration, registration_id)
            if registration is None:
                raise NotFoundError("Không tìm thấy đăng ký thi đua.")
            movement = _movement(session, registration.movement_id)
            if movement.state == CLOSED:
                raise ValidationError(f"Phong trào «{movement.name}» đã kết thúc; không rút đăng ký được nữa.")
            name = _names(session, [registration.subject_id])[registration.subject_id]
            item = RegistrationItem(registration.subject_id, registration.award_code,
                                    registration.registered_on, registration.note)
            self._audit.record(
                session, self._actor, "delete", "registration", registration.uuid,
                f"Xóa đăng ký «{catalogue.AWARDS[item.award_code].label}» của «{name}» "
                f"trong phong trào «{movement.name}»",
                old={"movement": movement.uuid, **plain(item)}, reason=reason)
            session.delete(registration)

    def _rows(self, condition: object) -> list[RegistrationRow]:
        query = (select(Registration, Movement.name, SUBJECTS.c.uuid, SUBJECTS.c.kind, SUBJECTS.c.name,
                        PEOPLE.c.birth_date)
                 .join(Movement, Movement.id == Registration.movement_id)
                 .join(SUBJECTS, SUBJECTS.c.id == Registration.subject_id)
                 .outerjoin(PEOPLE, PEOPLE.c.id == SUBJECTS.c.id)
                 .where(condition)
                 .order_by(Movement.id, Registration.award_code, SUBJECTS.c.sort_key, Registration.id))
        with self._sessions() as session:
            return [RegistrationRow(r.id, r.uuid, r.movement_id, movement_name, r.subject_id, uuid, kind,
                                    name, born, r.award_code, r.registered_on, r.note)
                    for r, movement_name, uuid, kind, name, born in session.execute(query)]


def _cleaned(item: RegistrationItem) -> RegistrationItem:
    return RegistrationItem(item.subject_id, item.award_code, item.registered_on, clean(item.note))


def _problems(session: Session, movement: Movement, items: Sequence[RegistrationItem]) -> list[ItemProblem]:
    if movement.state not in OPEN_FOR_REGISTRATION:
        message = (f"phong trào «{movement.name}» đang ở trạng thái «{STATE_LABELS[movement.state]}»; "
                   "chỉ đăng ký được khi phong trào đã phát động hoặc đang triển khai")
        return [ItemProblem(index, message, "movement_id") for index in range(len(items))]
    subjects = {sid: (kind, name) for sid, kind, name in _chunked(
        session, select(Subject.id, Subject.kind, Subject.name), [i.subject_id for i in items])}
    existing = {(subject_id, code) for subject_id, code in session.execute(
        select(Registration.subject_id, Registration.award_code)
        .where(Registration.movement_id == movement.id))}
    seen: dict[tuple[int, str], int] = {}
    found: list[ItemProblem] = []
    for index, item in enumerate(items):
        subject = subjects.get(item.subject_id)
        if subject is None:
            found.append(ItemProblem(index, f"không có đối tượng mã số {item.subject_id} trong sổ", "subject_id"))
            continue
        kind, name = subject
        award = catalogue.AWARDS.get(item.award_code)
        key = (item.subject_id, item.award_code)
        if award is None:
            found.append(ItemProblem(index, f"«{name}»: danh hiệu mã «{item.award_code}» không có trong danh mục",
                                     "award_code"))
        elif not checkable(item.award_code, kind):
            found.append(ItemProblem(
                index, f"«{name}»: {catalogue.SUBJECT_KINDS[kind].lower()} không đăng ký được "
                       f"«{award.label}»", "award_code"))
        elif key in existing:
            found.append(ItemProblem(index, f"«{name}» đã đăng ký «{award.label}» trong phong trào này",
                                     "award_code"))
        elif key in seen:
            found.append(ItemProblem(index, f"«{name}» đăng ký «{award.label}» hai lần (trùng mục {seen[key] + 1})",
                                     "award_code"))
        elif not isinstance(item.registered_on, date) or item.registered_on.year != movement.year:
            when = f"{item.registered_on:%d/%m/%Y}" if isinstance(item.registered_on, date) else "trống"
            found.append(ItemProblem(
                index, f"«{name}»: ngày đăng ký ({when}) phải thuộc năm {movement.year} của phong trào",
                "registered_on"))
        seen.setdefault(key, index)
    return found


def _names(session: Session, subject_ids: Sequence[int]) -> dict[int, str]:
    return {sid: name for sid, name in _chunked(session, select(Subject.id, Subject.name), subject_ids)}


def _chunked(session: Session, query: Select, subject_ids: Sequence[int]) -> list[Row]:
    """`query` for these subjects, a chunk of ids at a time (SQLite limits IN (...) lists)."""
    wanted = sorted(set(subject_ids))
    found: list[Row] = []
    for start in range(0, len(wanted), _CHUNK):
        found += session.execute(query.where(Subject.id.in_(wanted[start:start + _CHUNK]))).all()
    return found


def _movement(session: Session, movement_id: int) -> Movement:
    movement = session.get(Movement, movement_id)
    if movement is None:
        raise NotFoundError("Không tìm thấy phong trào thi đua.")
    return movement
