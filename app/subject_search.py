"""Reading the register of subjects: searching as the officer types, listing, counting,
picker choices and likely duplicates. Everything here only reads; callers get the plain rows
of `app.subject_data`, and `SubjectService` (app.subjects) delegates its reading methods here.

The search uses the FTS5 table `subjects_fts`; `_page` picks the ids of one page first, by the
index that suits how many subjects match, so the joins of `_ROWS` run only for the rows shown.
"""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.errors import NotFoundError
from app.subject_data import Choice, IndividualData, SubjectRow, fts_query
from app.vietnamese import clean, fold
from db.models import Collective, Household, Individual, Subject, Village

SEARCH_PAGE = 200  # results shown as the officer types; more means: type more
DENSE_MATCHES = 2000
_FTS_IDS = text("SELECT rowid FROM subjects_fts WHERE subjects_fts MATCH :m")
_FTS_COUNT = text(f"SELECT count(*) FROM ({_FTS_IDS.text} LIMIT :cap)")  # stops counting early
SUBJECTS = Subject.__table__
PEOPLE = Individual.__table__


class SubjectSearch:
    """Read-only queries over the register; each method is one short read transaction."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def row(self, subject_id: int) -> SubjectRow:
        with self._sessions() as session:
            found = session.execute(_ROWS.where(SUBJECTS.c.id == subject_id)).first()
        if found is None:
            raise NotFoundError("Không tìm thấy đối tượng.")
        return SubjectRow(*found)

    def rows(self, kind: str | None = None) -> list[SubjectRow]:
        """The whole register (or one kind) in Vietnamese order."""
        query = _ROWS.order_by(SUBJECTS.c.sort_key)
        if kind is not None:
            query = query.where(SUBJECTS.c.kind == kind)
        with self._sessions() as session:
            return [SubjectRow(*r) for r in session.execute(query)]

    def search(self, typed: str, kind: str | None = None,
               limit: int | None = SEARCH_PAGE) -> list[SubjectRow]:
        """The first `limit` subjects (all with None), in Vietnamese order, whose every typed
        word starts a word of the name or the citizen ID."""
        match = fts_query(typed, kind)
        with self._sessions() as session:
            if match is None:
                return _page(session, None, kind, limit)
            found = session.scalar(_FTS_COUNT, {"m": match, "cap": DENSE_MATCHES + 1})
            return _page(session, match, kind, limit, dense=found > DENSE_MATCHES) if found else []

    def count(self, kind: str | None = None) -> int:
        query = select(func.count(SUBJECTS.c.id))
        if kind is not None:
            query = query.where(SUBJECTS.c.kind == kind)
        with self._sessions() as session:
            return session.scalar(query) or 0

    def choices(self, kind: str) -> list[Choice]:
        """Id and name of every subject of a kind, for pickers (units, villages)."""
        query = select(SUBJECTS.c.id, SUBJECTS.c.name).where(SUBJECTS.c.kind == kind).order_by(SUBJECTS.c.sort_key)
        with self._sessions() as session:
            return [Choice(*r) for r in session.execute(query)]

    def likely_duplicates(self, data: IndividualData, exclude_id: int | None = None) -> list[SubjectRow]:
        """People with the same citizen ID, or the same name and date of birth."""
        conditions = []
        if data.citizen_id:
            conditions.append(PEOPLE.c.citizen_id == data.citizen_id)
        if data.birth_date is not None:
            conditions.append(
                (SUBJECTS.c.search_text.like(fold(clean(data.full_name)) + "%"))
                & (PEOPLE.c.birth_date == data.birth_date)
            )
        if not conditions:
            return []
        query = _ROWS.where(or_(*conditions))
        if exclude_id is not None:
            query = query.where(SUBJECTS.c.id != exclude_id)
        with self._sessions() as session:
            rows = [SubjectRow(*r) for r in session.execute(query)]
        name = fold(clean(data.full_name))
        return [
            r for r in rows
            if (data.citizen_id and r.citizen_id == data.citizen_id) or fold(r.name) == name
        ]


def _page(session: Session, match: str | None, kind: str | None, limit: int | None,
          dense: bool = False) -> list[SubjectRow]:
    """One page of rows: ids chosen first, so the joins run only for the rows shown.

    Few matches are sorted directly; many (a letter or two typed) are found by walking
    the sort-key index in order until the page is full, instead of sorting them all.
    """
    # SQLAlchemy renders no SQLite index hints, hence text. NOT INDEXED leaves SQLite only
    # the rowid lookups of the few matches; otherwise it may walk a whole index.
    sql = "SELECT id FROM subjects"
    if dense or match is None:
        sql += " INDEXED BY " + ("ix_subjects_kind_sort_key" if kind else "ix_subjects_sort_key")
    else:
        sql += " NOT INDEXED"
    conditions = [c for c, wanted in ((f"id IN ({_FTS_IDS.text})", match), ("kind = :k", kind))
                  if wanted is not None]
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    sql += " ORDER BY sort_key" + (" LIMIT :n" if limit is not None else "")
    query = _ROWS.where(SUBJECTS.c.id.in_(text(sql))).order_by(SUBJECTS.c.sort_key)
    rows = session.execute(query, {"m": match, "k": kind, "n": limit})
    return [SubjectRow(*r) for r in rows]


def _rows_query() -> Select:
    """Subjects with their kind-specific columns and the names they refer to.

    Built on the tables, not the mapped subclasses, so SQLite sees plain left joins.
    """
    subjects = Subject.__table__
    person = Individual.__table__
    collective = Collective.__table__
    household = Household.__table__
    village = Village.__table__
    unit = subjects.alias("unit")
    parent = subjects.alias("parent")
    place = subjects.alias("place")
    village_id = func.coalesce(person.c.village_id, collective.c.village_id, household.c.village_id)
    return (
        select(
            subjects.c.id,
            subjects.c.uuid,
            subjects.c.kind,
            subjects.c.name,
            person.c.gender,
            person.c.birth_date,
            person.c.citizen_id,
            func.coalesce(person.c.employment, collective.c.collective_kind, village.c.village_kind, ""),
            func.coalesce(unit.c.name, parent.c.name, ""),
            func.coalesce(place.c.name, ""),
            subjects.c.sort_key,
        )
        .select_from(subjects)
        .outerjoin(person, person.c.id == subjects.c.id)
        .outerjoin(collective, collective.c.id == subjects.c.id)
        .outerjoin(household, household.c.id == subjects.c.id)
        .outerjoin(village, village.c.id == subjects.c.id)
        .outerjoin(unit, unit.c.id == person.c.unit_id)
        .outerjoin(parent, parent.c.id == collective.c.parent_id)
        .outerjoin(place, place.c.id == village_id)
    )


_ROWS = _rows_query()  # built once: every list and search starts from it
