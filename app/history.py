"""A subject's history by year: ratings, titles and awards, initiatives, discipline.

Entered by hand or imported for past years, so that next year's streak rules have data.
Every write checks that the acting user may edit the register and writes its audit entry
in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import catalogue
from app.audit import AuditEvent, AuditTrail, plain
from app.errors import NotFoundError, ValidationError
from app.roles import Actor, Permission, require
from app.subjects import required_reason
from app.vietnamese import clean
from db.models import AnnualRating, Award, Discipline, Initiative, Subject, new_uuid

FIRST_YEAR = 1945


@dataclass(frozen=True)
class RatingRecord:
    year: int
    rating: str
    note: str = ""
    id: int | None = None


@dataclass(frozen=True)
class AwardRecord:
    award_code: str
    year: int
    decision_number: str = ""
    decision_date: date | None = None
    issuer: str = ""
    legal_basis: str = ""
    basis_kind: str = "annual_duty"
    period_start: int | None = None
    revoked_on: date | None = None
    revoked_reason: str = ""
    id: int | None = None


@dataclass(frozen=True)
class InitiativeRecord:
    year: int
    title: str
    scope: str = "base"
    recognised_by: str = ""
    decision_number: str = ""
    decision_date: date | None = None
    id: int | None = None


@dataclass(frozen=True)
class DisciplineRecord:
    form: str
    decided_on: date
    ends_on: date | None = None
    note: str = ""
    id: int | None = None


HistoryRecord = RatingRecord | AwardRecord | InitiativeRecord | DisciplineRecord

_MODELS: dict[type, type] = {
    RatingRecord: AnnualRating,
    AwardRecord: Award,
    InitiativeRecord: Initiative,
    DisciplineRecord: Discipline,
}
ENTITIES: dict[type, str] = {  # the audit trail's name for each kind of record
    RatingRecord: "annual_rating",
    AwardRecord: "award",
    InitiativeRecord: "initiative",
    DisciplineRecord: "discipline",
}


@dataclass(frozen=True)
class SubjectHistory:
    ratings: tuple[RatingRecord, ...]
    awards: tuple[AwardRecord, ...]
    initiatives: tuple[InitiativeRecord, ...]
    disciplines: tuple[DisciplineRecord, ...]


def validate_record(record: HistoryRecord, subject_kind: str) -> HistoryRecord:
    """Cleaned record or a ValidationError in Vietnamese; nothing is written here."""
    texts = {f.name: clean(getattr(record, f.name)) for f in fields(record)
             if isinstance(getattr(record, f.name), str)}
    record = replace(record, **texts)
    this_year = date.today().year
    year = getattr(record, "year", None)
    if year is not None and not FIRST_YEAR <= year <= this_year + 1:
        raise ValidationError(f"Năm {year} không hợp lệ (từ {FIRST_YEAR} đến {this_year + 1}).", "year")
    if isinstance(record, RatingRecord) and record.rating not in catalogue.RATINGS:
        raise ValidationError("Mức xếp loại không hợp lệ.", "rating")
    if isinstance(record, AwardRecord):
        kind = catalogue.AWARDS.get(record.award_code)
        if kind is None:
            raise ValidationError("Danh hiệu hoặc hình thức khen thưởng không hợp lệ.", "award_code")
        if subject_kind not in kind.subject_kinds:
            raise ValidationError(
                f"“{kind.label}” không dành cho {catalogue.SUBJECT_KINDS[subject_kind].lower()}.",
                "award_code",
            )
        if record.basis_kind not in catalogue.BASIS_KINDS:
            raise ValidationError("Loại thành tích không hợp lệ.", "basis_kind")
        if record.period_start is not None and record.period_start > record.year:
            raise ValidationError("Năm bắt đầu giai đoạn phải trước năm thành tích.", "period_start")
        if record.decision_date and record.decision_date.year < (record.period_start or record.year):
            raise ValidationError("Ngày quyết định phải sau thời gian đạt thành tích.", "decision_date")
        if record.revoked_on and record.decision_date and record.revoked_on < record.decision_date:
            raise ValidationError("Ngày thu hồi phải sau ngày quyết định.", "revoked_on")
        if record.revoked_on and not record.revoked_reason:
            raise ValidationError("Hãy ghi lý do thu hồi.", "revoked_reason")
    if isinstance(record, InitiativeRecord):
        if not record.title:
            raise ValidationError("Tên sáng kiến không được để trống.", "title")
        if record.scope not in catalogue.INITIATIVE_SCOPES:
            raise ValidationError("Phạm vi ảnh hưởng không hợp lệ.", "scope")
    if isinstance(record, DisciplineRecord):
        if record.form not in catalogue.DISCIPLINE_FORMS:
            raise ValidationError("Hình thức kỷ luật không hợp lệ.", "form")
        if record.ends_on is not None and record.ends_on < record.decided_on:
            raise ValidationError("Ngày hết hiệu lực phải sau ngày quyết định.", "ends_on")
    return record


def describe(record: HistoryRecord) -> str:
    """'xếp loại năm 2024': a record named in a sentence."""
    if isinstance(record, RatingRecord):
        return f"xếp loại năm {record.year}"
    if isinstance(record, AwardRecord):
        return f"{catalogue.AWARDS[record.award_code].label} năm {record.year}"
    if isinstance(record, InitiativeRecord):
        return f"sáng kiến “{record.title}” năm {record.year}"
    return f"kỷ luật ngày {record.decided_on:%d/%m/%Y}"


def record_values(record: HistoryRecord) -> dict[str, object]:
    """What the audit trail keeps of a record (its local id aside)."""
    values = plain(record)
    del values["id"]
    return values


class HistoryService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit

    def of(self, subject_id: int) -> SubjectHistory:
        with self._sessions() as session:
            return SubjectHistory(*(
                tuple(_to_record(record_type, m) for m in session.scalars(
                    select(model).where(model.subject_id == subject_id).order_by(model.id)))
                for record_type, model in _MODELS.items()
            ))

    def save(self, subject_id: int, record: HistoryRecord) -> HistoryRecord:
        """Insert (id None) or update one record; returns it with its id."""
        with self._sessions.begin() as session:
            saved = self.save_in(session, subject_id, record)
            session.flush()
            return replace(record, id=saved.id)

    def save_in(self, session: Session, subject_id: int, record: HistoryRecord) -> object:
        """Validate and write one record inside the caller's transaction, with its audit entry."""
        require(self._actor, Permission.EDIT_REGISTER)
        row, event = self._write(session, subject_id, record)
        self._audit.record_many(session, self._actor, [event] if event else [])
        return row

    def grant_in(self, session: Session, subject_id: int, record: AwardRecord) -> Award:
        """Write an award granted by a decision inside the caller's transaction, with its
        audit entry. The caller (decisions, a province outcome) has checked its own
        permission: recording a decision is not editing the register by hand."""
        row, event = self._write(session, subject_id, record)
        self._audit.record_many(session, self._actor, [event] if event else [])
        return row  # type: ignore[return-value]

    def save_many_in(self, session: Session, items: Sequence[tuple[int, HistoryRecord]]) -> list[object]:
        """Write (subject id, record) pairs inside the caller's transaction, with one audit
        insert for all; a broken rule raises ValidationError with `item` naming the pair."""
        require(self._actor, Permission.EDIT_REGISTER)
        rows, events = [], []
        for index, (subject_id, record) in enumerate(items):
            try:
                row, event = self._write(session, subject_id, record)
            except (ValidationError, NotFoundError) as error:
                raise ValidationError(str(error), getattr(error, "field", None), item=index) from error
            rows.append(row)
            if event is not None:
                events.append(event)
        self._audit.record_many(session, self._actor, events)
        return rows

    def _write(self, session: Session, subject_id: int,
               record: HistoryRecord) -> tuple[object, AuditEvent | None]:
        """Validate and write one record; the audit event it calls for (None: nothing changed)."""
        subject = session.get(Subject, subject_id)
        if subject is None:
            raise NotFoundError("Không tìm thấy đối tượng của bản ghi này.")
        record = validate_record(record, subject.kind)
        model = _MODELS[type(record)]
        if isinstance(record, RatingRecord):
            existing = session.scalar(
                select(AnnualRating).filter_by(subject_id=subject_id, year=record.year)
            )
            if existing is not None and existing.id != record.id:
                raise ValidationError(f"Năm {record.year} đã có xếp loại.", "year")
        old: HistoryRecord | None = None
        if record.id is None:
            row = model(subject_id=subject_id, uuid=new_uuid())
            session.add(row)
        else:
            row = session.get(model, record.id)
            if row is None or row.subject_id != subject_id:
                raise NotFoundError("Không tìm thấy bản ghi cần sửa.")
            old = _to_record(type(record), row)
            if old == record:
                return row, None
        for f in fields(record):
            if f.name != "id":
                setattr(row, f.name, getattr(record, f.name))
        what = f"{describe(record)} của {_subject_named(subject)}"
        return row, AuditEvent(
            "create" if old is None else "update", ENTITIES[type(record)], row.uuid,
            f"Thêm {what}" if old is None else f"Sửa {what}",
            old=None if old is None else record_values(old), new=record_values(record),
        )

    def record_in(self, session: Session, record_type: type, record_id: int) -> HistoryRecord:
        """One record read inside the caller's transaction (used by imports that merge)."""
        row = session.get(_MODELS[record_type], record_id)
        if row is None:
            raise NotFoundError("Không tìm thấy bản ghi; có thể đã bị xóa.")
        return _to_record(record_type, row)

    def delete(self, record_type: type, record_id: int, reason: str) -> None:
        """Remove one record; `reason` is required and kept in the audit trail."""
        with self._sessions.begin() as session:
            self.delete_many_in(session, record_type, [record_id], reason)

    def delete_many_in(self, session: Session, record_type: type, record_ids: Sequence[int],
                       reason: str) -> int:
        """Remove records of one kind inside the caller's transaction, each with its audit
        entry (one insert for all) carrying the required `reason`; returns how many. A
        missing record refuses the whole batch."""
        require(self._actor, Permission.EDIT_REGISTER)
        reason = required_reason(reason)
        events = []
        for record_id in record_ids:
            row = session.get(_MODELS[record_type], record_id)
            if row is None:
                raise NotFoundError("Không tìm thấy bản ghi cần xóa.")
            old = _to_record(record_type, row)
            events.append(AuditEvent("delete", ENTITIES[record_type], row.uuid,
                                     f"Xóa {describe(old)} của {_subject_named(row.subject)}",
                                     old=record_values(old), reason=reason))
            session.delete(row)
        self._audit.record_many(session, self._actor, events)
        return len(events)


def _subject_named(subject: Subject) -> str:
    return f"{catalogue.SUBJECT_KINDS[subject.kind].lower()} «{subject.name}»"


def _to_record(record_type: type, row: object) -> HistoryRecord:
    return record_type(**{f.name: getattr(row, f.name) for f in fields(record_type)})
