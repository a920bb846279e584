"""The register of subjects (sổ theo dõi): storing people, collectives, households and
villages. Callers exchange the plain data of `app.subject_data`; ORM objects stay inside this
module. Finding and listing live in `app.subject_search`; the service delegates its reading
methods there, so callers keep one service.

Every write goes through `add_many_in`, `update_in` or `delete`: each checks that the acting
user may edit the register and writes the audit entries in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import datetime
from itertools import groupby

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from app import catalogue
from app.audit import AuditEvent, AuditTrail, plain
from app.errors import NotFoundError, ValidationError
from app.roles import Actor, Permission, require
from app.subject_data import (
    KIND_OF,
    Choice,
    CollectiveData,
    HouseholdData,
    IndividualData,
    MemberData,
    VillageData,
    SubjectData,
    SubjectRow,
    display_name,
    field_names,
    search_text,
    sort_key,
    validate,
)
from app.subject_search import SEARCH_PAGE, SubjectSearch
from app.vietnamese import clean
from db.models import (
    Collective,
    EligibilityCheck,
    Household,
    HouseholdMember,
    Individual,
    Nomination,
    Subject,
    Village,
    new_uuid,
)

SUBJECTS = Subject.__table__
MEMBERS = HouseholdMember.__table__
_IN_CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit


_MODEL_FOR = {
    IndividualData: Individual,
    CollectiveData: Collective,
    HouseholdData: Household,
    VillageData: Village,
}


class SubjectService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._search = SubjectSearch(sessions)

    def create(self, data: SubjectData) -> SubjectRow:
        with self._sessions.begin() as session:
            subject_id = self.add_in(session, data)
        return self.row(subject_id)

    def create_many(self, items: Iterable[SubjectData]) -> list[int]:
        """Insert all or nothing; returns the new ids in order."""
        with self._sessions.begin() as session:
            return self.add_many_in(session, list(items))

    def add_in(self, session: Session, data: SubjectData) -> int:
        """Add one subject inside the caller's transaction; returns its id."""
        return self.add_many_in(session, [data])[0]

    def add_many_in(self, session: Session, items: Sequence[SubjectData],
                    uuids: Sequence[str | None] | None = None) -> list[int]:
        """Add subjects inside the caller's transaction in a few statements; their ids in order.

        Every new subject is written here. A broken rule refuses the whole batch before
        anything is written, with `ValidationError.item` naming the item. `uuids` keeps the
        UUID an imported row carries (None: a new one), so history exported with it still
        finds its subject in this register. One audit entry per subject, in one insert.
        """
        require(self._actor, Permission.EDIT_REGISTER)
        checked = _validated(items)
        _check_references(session, checked)
        given = [uuid or new_uuid() for uuid in uuids] if uuids is not None else [new_uuid() for _ in checked]
        now = datetime.now()
        ids: list[int] = []
        for data_type, run in groupby(zip(checked, given), lambda pair: type(pair[0])):
            batch = list(run)
            ids += _insert(session, data_type, [data for data, _uuid in batch],
                           [uuid for _data, uuid in batch], now)
        self._audit.record_many(session, self._actor, [
            AuditEvent("create", "subject", uuid, f"Thêm {_described(data)}", new=plain(data))
            for data, uuid in zip(checked, given)
        ])
        return ids

    def update(self, subject_id: int, data: SubjectData) -> SubjectRow:
        with self._sessions.begin() as session:
            self.update_in(session, subject_id, data)
        return self.row(subject_id)

    def data_in(self, session: Session, subject_id: int) -> SubjectData:
        """The editable fields of one subject, read inside the caller's transaction."""
        subject = session.get(Subject, subject_id)
        if subject is None:
            raise NotFoundError("Không tìm thấy đối tượng; có thể đã bị xóa.")
        return _to_data(session, subject)

    def update_in(self, session: Session, subject_id: int, data: SubjectData) -> None:
        """Validate and apply new fields inside the caller's transaction (used by imports).

        Nothing changed, nothing recorded; otherwise one audit entry with old and new values.
        """
        require(self._actor, Permission.EDIT_REGISTER)
        data = validate(data)
        subject = session.get(_MODEL_FOR[type(data)], subject_id)
        if subject is None:
            raise NotFoundError("Không tìm thấy đối tượng cần sửa; có thể đã bị xóa.")
        _check_references(session, [data])
        if isinstance(data, CollectiveData):
            _check_no_cycle(session, subject_id, data.parent_id)
        old = _to_data(session, subject)
        if old == data:
            return
        _apply(subject, data, datetime.now())
        if isinstance(data, HouseholdData):
            _set_members(session, subject_id, data.members)
        self._audit.record(session, self._actor, "update", "subject", subject.uuid,
                           f"Sửa {_described(data)}", old=plain(old), new=plain(data))

    def delete(self, subject_id: int, reason: str) -> None:
        """Remove a subject and its history; `reason` is required and kept in the audit trail."""
        require(self._actor, Permission.EDIT_REGISTER)
        reason = required_reason(reason)
        with self._sessions.begin() as session:
            subject = session.get(Subject, subject_id)
            if subject is None:
                raise NotFoundError("Không tìm thấy đối tượng cần xóa.")
            nominations = session.scalar(select(func.count()).select_from(Nomination)
                                         .where(Nomination.subject_id == subject_id))
            if nominations:
                raise ValidationError(
                    f"Không xóa được «{subject.name}»: đối tượng có {nominations} đề nghị khen thưởng, "
                    "là hồ sơ phải lưu giữ. Hãy để đối tượng lại trong sổ theo dõi.")
            old = _to_data(session, subject)
            records = sum(map(len, (subject.ratings, subject.awards, subject.initiatives, subject.disciplines)))
            checks = session.scalars(select(EligibilityCheck.uuid).filter_by(subject_id=subject_id)).all()
            summary = f"Xóa {_described(old)}" + (f" cùng {records} bản ghi lịch sử" if records else "") + (
                f" và {len(checks)} kết quả kiểm tra điều kiện đã lưu" if checks else "")
            removed = {**plain(old), "saved_eligibility_checks": list(checks)} if checks else plain(old)
            self._audit.record(session, self._actor, "delete", "subject", subject.uuid, summary,
                               old=removed, reason=reason)
            session.delete(subject)

    def data(self, subject_id: int) -> SubjectData:
        """The editable fields of one subject."""
        with self._sessions() as session:
            subject = session.get(Subject, subject_id)
            if subject is None:
                raise NotFoundError("Không tìm thấy đối tượng.")
            return _to_data(session, subject)

    def row(self, subject_id: int) -> SubjectRow:
        return self._search.row(subject_id)

    def rows(self, kind: str | None = None) -> list[SubjectRow]:
        """The whole register (or one kind) in Vietnamese order."""
        return self._search.rows(kind)

    def search(self, typed: str, kind: str | None = None,
               limit: int | None = SEARCH_PAGE) -> list[SubjectRow]:
        """The first `limit` subjects (all with None), in Vietnamese order, whose every typed
        word starts a word of the name or the citizen ID."""
        return self._search.search(typed, kind, limit)

    def count(self, kind: str | None = None) -> int:
        return self._search.count(kind)

    def choices(self, kind: str) -> list[Choice]:
        """Id and name of every subject of a kind, for pickers (units, villages)."""
        return self._search.choices(kind)

    def likely_duplicates(self, data: IndividualData, exclude_id: int | None = None) -> list[SubjectRow]:
        """People with the same citizen ID, or the same name and date of birth."""
        return self._search.likely_duplicates(data, exclude_id)


def _described(data: SubjectData) -> str:
    """'cá nhân «Nguyễn Văn An»': how an audit summary names a subject."""
    return f"{catalogue.SUBJECT_KINDS[KIND_OF[type(data)]].lower()} «{display_name(data)}»"


def required_reason(reason: str) -> str:
    """A deletion's reason, cleaned, or ValidationError when there is none."""
    reason = clean(reason)
    if not reason:
        raise ValidationError("Hãy ghi lý do xóa; lý do được lưu vào nhật ký thao tác.", "reason")
    return reason


def _validated(items: Iterable[SubjectData]) -> list[SubjectData]:
    """Every item through `validate`; an error says which item broke the rule."""
    checked = []
    for index, data in enumerate(items):
        try:
            checked.append(validate(data))
        except ValidationError as error:
            error.item = index
            raise
    return checked


_STORED = {data_type: tuple(n for n in field_names(data_type) if n not in ("members", "full_name"))
           for data_type in KIND_OF}


def _columns(data: SubjectData) -> dict[str, object]:
    """The stored columns that `data` decides, the derived name, search text and sort key included."""
    values = {name: getattr(data, name) for name in _STORED[type(data)]}
    values.update(name=display_name(data), search_text=search_text(data), sort_key=sort_key(data))
    return values


def _apply(subject: Subject, data: SubjectData, now: datetime) -> None:
    for name, value in _columns(data).items():
        setattr(subject, name, value)
    subject.updated_at = now


def _insert(session: Session, data_type: type, items: list[SubjectData],
            uuids: list[str], now: datetime) -> list[int]:
    """Subjects of one kind in two executemany INSERTs: the shared row, then the kind's own.

    The ids come back matched by the UUIDs given here, because SQLite does not promise the
    order of RETURNING rows (and SQLAlchemy would fall back to one row per statement).
    """
    own = _MODEL_FOR[data_type].__table__
    kind = KIND_OF[data_type]
    rows = [{"uuid": uuid, "kind": kind, "created_at": now, "updated_at": now,
             **_columns(data)} for data, uuid in zip(items, uuids)]
    returned = session.execute(insert(SUBJECTS).returning(SUBJECTS.c.uuid, SUBJECTS.c.id),
                               [_only(row, SUBJECTS) for row in rows])
    id_of: dict[str, int] = dict(returned.all())
    ids = [id_of[row["uuid"]] for row in rows]
    session.execute(insert(own), [{"id": subject_id, **_only(row, own)}
                                  for subject_id, row in zip(ids, rows)])
    if data_type is HouseholdData:
        _add_members(session, [(subject_id, m) for subject_id, data in zip(ids, items)
                               for m in data.members])  # type: ignore[attr-defined]
    return ids


def _only(row: dict[str, object], table: Table) -> dict[str, object]:
    """The values of `row` that go into `table` (the id aside)."""
    return {name: row[name] for name in table.c.keys() if name != "id"}


def _references(data: SubjectData) -> list[tuple[int, str, str]]:
    """(id, required kind, label) of every subject that `data` points at."""
    refs: list[tuple[int | None, str, str]] = []
    if isinstance(data, IndividualData):
        refs = [(data.unit_id, "collective", "Đơn vị công tác"), (data.village_id, "village", "Thôn, tổ dân phố")]
    elif isinstance(data, CollectiveData):
        refs = [(data.parent_id, "collective", "Tập thể cấp trên"), (data.village_id, "village", "Thôn, tổ dân phố")]
    elif isinstance(data, HouseholdData):
        refs = [(data.village_id, "village", "Thôn, tổ dân phố")]
        refs += [(m.individual_id, "individual", "Thành viên hộ") for m in data.members]
    return [(ref_id, kind, label) for ref_id, kind, label in refs if ref_id is not None]


def _check_references(session: Session, items: Sequence[SubjectData]) -> None:
    """Units, parents, villages and members must exist and be of the right kind.

    One query per few hundred referenced ids, however many items; an error names the item.
    """
    wanted = [(index, ref) for index, data in enumerate(items) for ref in _references(data)]
    ids = sorted({ref_id for _index, (ref_id, _kind, _label) in wanted})
    kind_of: dict[int, str] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start:start + _IN_CHUNK]
        # The mapped class, not the table: an ORM query flushes pending objects first.
        kind_of.update(session.execute(select(Subject.id, Subject.kind).where(Subject.id.in_(chunk))).all())
    for index, (ref_id, kind, label) in wanted:
        if kind_of.get(ref_id) != kind:
            raise ValidationError(f"{label} đã chọn không còn trong sổ.", item=index)


def _check_no_cycle(session: Session, own_id: int, parent_id: int | None) -> None:
    """A collective cannot be moved under itself or one of its own sub-collectives."""
    seen = {own_id}
    while parent_id is not None:
        if parent_id in seen:
            raise ValidationError("Tập thể cấp trên không thể là chính nó hoặc tập thể cấp dưới của nó.")
        seen.add(parent_id)
        parent_id = session.scalar(select(Collective.parent_id).where(Collective.id == parent_id))


def _set_members(session: Session, household_id: int, members: Sequence[MemberData]) -> None:
    session.query(HouseholdMember).filter_by(household_id=household_id).delete()
    _add_members(session, [(household_id, m) for m in members])


def _add_members(session: Session, members: Sequence[tuple[int, MemberData]]) -> None:
    """Household members, as (household id, member), in one executemany INSERT."""
    if members:
        session.execute(insert(MEMBERS), [
            {"household_id": household_id, "individual_id": m.individual_id,
             "relation": clean(m.relation), "is_head": m.is_head}
            for household_id, m in members
        ])


def _to_data(session: Session, subject: Subject) -> SubjectData:
    data_type = next(t for t, k in KIND_OF.items() if k == subject.kind)
    values = {f.name: getattr(subject, f.name) for f in fields(data_type)
              if f.name not in ("members", "full_name")}
    if isinstance(subject, Individual):
        values["full_name"] = subject.name
    if isinstance(subject, Household):
        members = session.scalars(
            select(HouseholdMember).filter_by(household_id=subject.id).order_by(HouseholdMember.id)
        )
        values["members"] = tuple(MemberData(m.individual_id, m.relation, m.is_head) for m in members)
    return data_type(**values)

