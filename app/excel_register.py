"""The register as the Excel code needs it, read in a few bulk queries.

`RegisterIndex` resolves names, citizen IDs and duplicates for an import without one
query per row; `sheet_values` gives the rows of an export as typed values by column field.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from app import catalogue
from app.excel_cells import CellError, PersonRef
from app.vietnamese import clean, fold
from db.models import (
    AnnualRating,
    Award,
    Collective,
    Discipline,
    Household,
    HouseholdMember,
    Individual,
    Initiative,
    Subject,
    Village,
)

SUBJECTS = Subject.__table__
PEOPLE = Individual.__table__
COLLECTIVES = Collective.__table__
HOUSEHOLDS = Household.__table__
VILLAGES = Village.__table__
MEMBERS = HouseholdMember.__table__
_CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit


def name_key(name: str) -> str:
    """How names are matched: NFC, spaces collapsed, case and diacritics ignored."""
    return fold(clean(name))


@dataclass(frozen=True, slots=True)
class Known:
    """A subject already in the register, as much as matching needs."""

    id: int
    kind: str
    name: str
    birth_date: date | None
    citizen_id: str | None
    village_id: int | None
    head_id: int | None = None  # households: the head, which tells same-named ones apart
    uuid: str = ""

    def describe(self) -> str:
        born = f", sinh {self.birth_date:%d/%m/%Y}" if self.birth_date else ""
        return f"«{self.name}»{born}"


class RegisterIndex:
    """All subjects by kind and name, people by citizen ID; loaded once per import."""

    def __init__(self, subjects: list[Known]) -> None:
        self.by_id = {s.id: s for s in subjects}
        self._keys: dict[str, str] = {}
        self._by_name: dict[tuple[str, str], list[Known]] = defaultdict(list)
        self._by_citizen_id: dict[str, Known] = {}
        self._by_uuid = {s.uuid: s for s in subjects}
        for subject in subjects:
            self._by_name[subject.kind, name_key(subject.name)].append(subject)
            if subject.citizen_id:
                self._by_citizen_id[subject.citizen_id] = subject

    @classmethod
    def load(cls, sessions: sessionmaker[Session]) -> RegisterIndex:
        village_id = func.coalesce(PEOPLE.c.village_id, COLLECTIVES.c.village_id, HOUSEHOLDS.c.village_id)
        head_id = (
            select(MEMBERS.c.individual_id)
            .where(MEMBERS.c.household_id == SUBJECTS.c.id, MEMBERS.c.is_head)
            .limit(1)
            .scalar_subquery()
        )
        query = (
            select(SUBJECTS.c.id, SUBJECTS.c.kind, SUBJECTS.c.name, PEOPLE.c.birth_date,
                   PEOPLE.c.citizen_id, village_id, head_id, SUBJECTS.c.uuid)
            .select_from(SUBJECTS)
            .outerjoin(PEOPLE, PEOPLE.c.id == SUBJECTS.c.id)
            .outerjoin(COLLECTIVES, COLLECTIVES.c.id == SUBJECTS.c.id)
            .outerjoin(HOUSEHOLDS, HOUSEHOLDS.c.id == SUBJECTS.c.id)
        )
        with sessions() as session:
            return cls([Known(*row) for row in session.execute(query)])

    def named(self, kind: str, name: str) -> list[Known]:
        return self._by_name.get((kind, self.key(name)), [])

    def key(self, name: str) -> str:
        """name_key, remembered: the same unit and village names come on every row."""
        found = self._keys.get(name)
        if found is None:
            found = self._keys[name] = name_key(name)
        return found

    def with_citizen_id(self, citizen_id: str) -> Known | None:
        return self._by_citizen_id.get(citizen_id)

    def with_uuid(self, uuid: str) -> Known | None:
        return self._by_uuid.get(uuid)

    def person(self, ref: PersonRef) -> Known:
        """The one person a cell names, or a CellError saying why there is none."""
        if ref.citizen_id:
            known = self.with_citizen_id(ref.citizen_id)
            if known is None:
                raise CellError(f"không có người nào mang số CCCD {ref.citizen_id} trong sổ.")
            if ref.name and name_key(ref.name) != name_key(known.name):
                raise CellError(
                    f"số CCCD {ref.citizen_id} là của «{known.name}», không phải «{ref.name}»."
                )
            return known
        found = self.named("individual", ref.name)
        if ref.birth_date is not None:
            found = [k for k in found if k.birth_date == ref.birth_date]
        if len(found) == 1:
            return found[0]
        who = ref.name + (f", sinh {ref.birth_date:%d/%m/%Y}" if ref.birth_date else "")
        if not found:
            raise CellError(
                f"không có «{who}» trong danh sách cá nhân của sổ. Hãy nhập danh sách cá nhân trước."
            )
        wanted = "số CCCD" if ref.birth_date else "ngày sinh hoặc số CCCD"
        raise CellError(f"có {len(found)} người tên «{who}» trong sổ; hãy ghi thêm {wanted} để chọn đúng người.")

    def one_named(self, kind: str, name: str) -> Known | None:
        """The subject of a kind with this name; None if there is none; CellError if several."""
        found = self.named(kind, name)
        if len(found) > 1:
            label = catalogue.SUBJECT_KINDS[kind].lower()
            raise CellError(
                f"có {len(found)} {label} cùng tên «{name}» trong sổ; hãy đặt tên khác nhau "
                "trong sổ rồi nhập lại."
            )
        return found[0] if found else None


def pinned_subjects(session: Session, ids: Iterable[int]) -> list[Subject]:
    """Load these subjects into the session in a few queries; keep the list while writing.

    The session's identity map holds objects weakly: without a strong reference every
    `session.get` of a unit or village would query (and autoflush) again, once per row.
    """
    wanted = sorted(set(ids))
    loaded: list[Subject] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        loaded += session.scalars(select(Subject).where(Subject.id.in_(chunk)))
    return loaded


def record_keys(sessions: sessionmaker[Session]) -> dict[tuple[object, ...], tuple[int, int]]:
    """Every history record by its duplicate key (see excel_history.record_key): (subject, id)."""
    keys: dict[tuple[object, ...], tuple[int, int]] = {}
    with sessions() as session:
        for subject_id, year, record_id in session.execute(
            select(AnnualRating.subject_id, AnnualRating.year, AnnualRating.id)
        ):
            keys["rating", subject_id, year] = (subject_id, record_id)
        for subject_id, code, year, record_id in session.execute(
            select(Award.subject_id, Award.award_code, Award.year, Award.id)
        ):
            keys["award", subject_id, code, year] = (subject_id, record_id)
        for subject_id, year, title, record_id in session.execute(
            select(Initiative.subject_id, Initiative.year, Initiative.title, Initiative.id)
        ):
            keys["initiative", subject_id, year, name_key(title)] = (subject_id, record_id)
        for subject_id, form, decided_on, record_id in session.execute(
            select(Discipline.subject_id, Discipline.form, Discipline.decided_on, Discipline.id)
        ):
            keys["discipline", subject_id, form, decided_on] = (subject_id, record_id)
    return keys


# --- export ---------------------------------------------------------------------------


def sheet_values(sessions: sessionmaker[Session], kind_code: str) -> list[dict[str, object]]:
    """The register's rows for one sheet kind, as typed values keyed by column field."""
    with sessions() as session:
        if kind_code == "history":
            return _history_values(session)
        if kind_code == "households":
            return _household_values(session)
        if kind_code == "collectives":
            return _collective_values(session)
        query = {"villages": _village_query, "individuals": _individual_query}[kind_code]()
        return [dict(row._mapping) for row in session.execute(query)]


def _village_query() -> Select:
    return (
        select(SUBJECTS.c.name, VILLAGES.c.village_kind, VILLAGES.c.difficult_area,
               VILLAGES.c.ethnic_minority_area, SUBJECTS.c.note, SUBJECTS.c.uuid)
        .join(VILLAGES, VILLAGES.c.id == SUBJECTS.c.id)
        .order_by(SUBJECTS.c.sort_key)
    )


def _collective_values(session: Session) -> list[dict[str, object]]:
    parent = SUBJECTS.alias("parent")
    place = SUBJECTS.alias("place")
    rows = session.execute(
        select(SUBJECTS.c.id, COLLECTIVES.c.parent_id.label("parent"), SUBJECTS.c.name,
               COLLECTIVES.c.collective_kind, parent.c.name.label("parent_id"),
               place.c.name.label("village_id"), SUBJECTS.c.note, SUBJECTS.c.uuid)
        .join(COLLECTIVES, COLLECTIVES.c.id == SUBJECTS.c.id)
        .outerjoin(parent, parent.c.id == COLLECTIVES.c.parent_id)
        .outerjoin(place, place.c.id == COLLECTIVES.c.village_id)
        .order_by(SUBJECTS.c.sort_key)
    ).all()
    # Every parent before its children, so that the file imports back in one pass.
    children: dict[int | None, list] = defaultdict(list)
    for row in rows:
        children[row.parent].append(row)
    ordered: list[dict[str, object]] = []
    pending = list(reversed(children[None]))
    while pending:
        row = pending.pop()
        values = dict(row._mapping)
        ordered.append(values)
        pending.extend(reversed(children.get(values.pop("id"), [])))
        values.pop("parent")
    return ordered


def _individual_query() -> Select:
    unit = SUBJECTS.alias("unit")
    place = SUBJECTS.alias("place")
    skipped = {"id", "unit_id", "village_id"}
    return (
        select(SUBJECTS.c.name.label("full_name"),
               *(c for c in PEOPLE.c if c.name not in skipped),
               unit.c.name.label("unit_id"), place.c.name.label("village_id"), SUBJECTS.c.note,
               SUBJECTS.c.uuid)
        .join(PEOPLE, PEOPLE.c.id == SUBJECTS.c.id)
        .outerjoin(unit, unit.c.id == PEOPLE.c.unit_id)
        .outerjoin(place, place.c.id == PEOPLE.c.village_id)
        .order_by(SUBJECTS.c.sort_key)
    )


def _household_values(session: Session) -> list[dict[str, object]]:
    place = SUBJECTS.alias("place")
    households = session.execute(
        select(SUBJECTS.c.id, SUBJECTS.c.name, place.c.name.label("village_id"),
               HOUSEHOLDS.c.address, SUBJECTS.c.note, SUBJECTS.c.uuid)
        .join(HOUSEHOLDS, HOUSEHOLDS.c.id == SUBJECTS.c.id)
        .outerjoin(place, place.c.id == HOUSEHOLDS.c.village_id)
        .order_by(SUBJECTS.c.sort_key)
    ).all()
    people: dict[int, list[tuple[bool, PersonRef]]] = defaultdict(list)
    for household_id, name, born, citizen_id, relation, is_head in session.execute(
        select(MEMBERS.c.household_id, SUBJECTS.c.name, PEOPLE.c.birth_date, PEOPLE.c.citizen_id,
               MEMBERS.c.relation, MEMBERS.c.is_head)
        .join(SUBJECTS, SUBJECTS.c.id == MEMBERS.c.individual_id)
        .join(PEOPLE, PEOPLE.c.id == MEMBERS.c.individual_id)
        .order_by(MEMBERS.c.id)
    ):
        people[household_id].append((is_head, PersonRef(name, born, citizen_id, relation)))
    rows = []
    for household in households:
        values = dict(household._mapping)
        members = people.get(values.pop("id"), [])
        values["head"] = next((p for head, p in members if head), None)
        values["members"] = tuple(p for head, p in members if not head) or None
        rows.append(values)
    return rows


def _history_values(session: Session) -> list[dict[str, object]]:
    subjects = {
        row.id: row
        for row in session.execute(
            select(SUBJECTS.c.id, SUBJECTS.c.kind, SUBJECTS.c.name, PEOPLE.c.birth_date,
                   PEOPLE.c.citizen_id, SUBJECTS.c.sort_key, SUBJECTS.c.uuid)
            .outerjoin(PEOPLE, PEOPLE.c.id == SUBJECTS.c.id)
        )
    }
    rows: list[tuple[tuple[object, ...], dict[str, object]]] = []

    def add(subject_id: int, order: tuple[object, ...], values: dict[str, object]) -> None:
        subject = subjects[subject_id]
        rows.append((
            (subject.sort_key, subject_id, *order),
            {"subject_kind": subject.kind, "name": subject.name, "birth_date": subject.birth_date,
             "citizen_id": subject.citizen_id, "uuid": subject.uuid, **values},
        ))

    for r in session.scalars(select(AnnualRating)):
        add(r.subject_id, (0, r.year, r.id),
            {"record_type": "rating", "year": r.year, "content": catalogue.RATINGS[r.rating],
             "note": r.note})
    for a in session.scalars(select(Award)):
        add(a.subject_id, (1, a.year, a.id), {
            "record_type": "award", "year": a.year, "content": catalogue.AWARDS[a.award_code].label,
            "decision_number": a.decision_number, "decision_date": a.decision_date,
            "issuer": a.issuer, "legal_basis": a.legal_basis, "basis_kind": a.basis_kind,
            "period_start": a.period_start, "revoked_on": a.revoked_on,
            "revoked_reason": a.revoked_reason,
        })
    for i in session.scalars(select(Initiative)):
        add(i.subject_id, (2, i.year, i.id), {
            "record_type": "initiative", "year": i.year, "content": i.title, "scope": i.scope,
            "issuer": i.recognised_by, "decision_number": i.decision_number,
            "decision_date": i.decision_date,
        })
    for d in session.scalars(select(Discipline)):
        add(d.subject_id, (3, d.decided_on.year, d.id), {
            "record_type": "discipline", "content": catalogue.DISCIPLINE_FORMS[d.form],
            "decision_date": d.decided_on,
            "ends_on": d.ends_on, "note": d.note,
        })
    rows.sort(key=lambda item: item[0])
    return [values for _order, values in rows]
