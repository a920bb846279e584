"""Rows of the subject sheets (villages, collectives, individuals, households).

Parsing resolves names to subjects and checks the row with `app.subjects.validate`;
writing goes through `SubjectService.add_many_in` / `update_in`, so the rules live in one place.
A row carrying a UUID (an export's «Mã đối tượng») repeats the subject with that UUID; a new
subject keeps the row's UUID, so the history exported with it imports into this register too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields, replace
from functools import cache

from sqlalchemy.orm import Session

from app import catalogue
from app.errors import ValidationError
from app.excel_cells import CellError, PersonRef
from app.excel_columns import CellType, Column, SheetKind
from app.excel_preview import FileRow, ParsedRow, RowError, RowProblems, at_row
from app.excel_register import Known, RegisterIndex, name_key
from app.subject_data import (
    CollectiveData,
    HouseholdData,
    IndividualData,
    MemberData,
    SubjectData,
    VillageData,
    display_name,
    validate,
)
from app.subjects import SubjectService

DATA_TYPES: dict[str, type] = {
    "village": VillageData,
    "collective": CollectiveData,
    "individual": IndividualData,
    "household": HouseholdData,
}
HEAD_RELATION = "Chủ hộ"
NAME_FIELDS = ("name", "full_name")
_LOAD_FIRST = {
    "village": "Hãy nhập danh sách thôn, tổ dân phố trước.",
    "collective": "Hãy nhập danh sách tập thể trước.",
}
Key = tuple[object, ...]
NewId = Callable[[FileRow], "int | None"]


class SubjectRows:
    """Parse and duplicate rules for one subject sheet; see excel_import for the flow."""

    def __init__(self, kind: SheetKind, register: RegisterIndex) -> None:
        assert kind.subject_kind is not None
        self.kind = kind
        self._subject_kind = kind.subject_kind
        self._register = register
        self._data_type = DATA_TYPES[kind.subject_kind]
        # Subjects created by earlier rows of the file, by name (parents of collectives).
        self._file_names: dict[str, int] = {}
        self._column_of_field = {c.field: c for c in kind.columns}
        self._linking = [c for c in kind.columns
                         if c.type in (CellType.REF, CellType.PERSON, CellType.PEOPLE)]

    def parse(self, row: int, cells: Mapping[str, object]) -> ParsedRow:
        values = dict(cells)
        problems = []
        other = self._register.with_uuid(str(cells.get("uuid")))
        if other is not None and other.kind != self._subject_kind:
            label = catalogue.SUBJECT_KINDS[other.kind].lower()
            problems.append(RowError(row, self.kind.column("uuid").header,
                                     f"mã {cells['uuid']} là của {label} «{other.name}»; "
                                     "hãy để trống ô này."))
        for column in self._linking:
            value = cells.get(column.field)
            if value is None:
                continue
            try:
                if column.type is CellType.REF:
                    values[column.field] = self._reference(column, str(value))
                elif column.type is CellType.PERSON:
                    assert isinstance(value, PersonRef)
                    values[column.field] = self._member(value, head=True)
                else:
                    values[column.field] = tuple(self._member(p) for p in value)  # type: ignore[attr-defined]
            except CellError as error:
                problems.append(RowError(row, column.header, str(error)))
        if problems:
            raise RowProblems(problems)
        try:
            data = validate(build_data(self._data_type, values, lambda ref: None))
        except ValidationError as error:
            column = self._column_of_field.get(error.field or "")
            raise RowProblems([RowError(row, column.header if column else None, str(error))]) from None
        return ParsedRow(row, f"«{display_name(data)}»", values)

    def keys(self, parsed: ParsedRow) -> list[tuple[Key, str]]:
        """What makes two rows the same subject, each with its reason in words.

        Rows with different UUIDs are different subjects even when their names are equal
        (same-named collectives, say); only a UUID unknown to the register falls back to the
        name keys, in `existing`.
        """
        if parsed.values.get("uuid"):
            return [(("uuid", parsed.values["uuid"]), "cùng mã đối tượng")]
        return self._name_keys(parsed.values)

    def _name_keys(self, values: Mapping[str, object]) -> list[tuple[Key, str]]:
        name = self._register.key(_name(values))
        if self._subject_kind == "individual":
            keys: list[tuple[Key, str]] = []
            if values.get("citizen_id"):
                keys.append((("citizen_id", values["citizen_id"]), f"cùng số CCCD {values['citizen_id']}"))
            if values.get("birth_date"):
                keys.append((("person", name, values["birth_date"]), "cùng họ tên và ngày sinh"))
            elif not keys:
                # Nothing else tells such a person apart; without this key every re-import copies them.
                keys.append((("person", name, None), "cùng họ tên, không có ngày sinh và số CCCD"))
            return keys
        if self._subject_kind == "household":
            head_id = _head_id(values)
            reason = "cùng tên hộ và thôn, tổ dân phố" + (", cùng chủ hộ" if head_id else "")
            return [(("household", name, values.get("village_id"), head_id), reason)]
        return [((self._subject_kind, name), "cùng tên")]

    def existing(self, parsed: ParsedRow, keys: list[tuple[Key, str]]) -> tuple[str, int, str, str] | None:
        """The register subject this row repeats: (kind, id, description, reason)."""
        values = parsed.values
        if values.get("uuid") and self._register.with_uuid(str(values["uuid"])) is None:
            keys = self._name_keys(values)
        for key, reason in keys:
            found = self._find(key, values)
            if found is not None:
                return found.kind, found.id, f"{found.describe()} đã có trong sổ", reason
        return None

    def remember(self, parsed: ParsedRow) -> None:
        self._file_names.setdefault(self._register.key(_name(parsed.values)), parsed.row)

    def _find(self, key: Key, values: Mapping[str, object]) -> Known | None:
        if key[0] == "uuid":
            return self._register.with_uuid(str(key[1]))
        if key[0] == "citizen_id":
            return self._register.with_citizen_id(str(key[1]))
        candidates = self._register.named(self._subject_kind, _name(values))
        if key[0] == "person":
            candidates = [k for k in candidates if k.birth_date == values.get("birth_date")]
        elif key[0] == "household":
            head_id = _head_id(values)
            # Same-named households of one village are told apart by their heads.
            candidates = [k for k in candidates if k.village_id == values.get("village_id")
                          and (head_id is None or k.head_id in (None, head_id))]
        return candidates[0] if candidates else None

    def _reference(self, column: Column, name: str) -> int | FileRow:
        assert column.ref_kind is not None
        found = self._register.one_named(column.ref_kind, name)
        if found is not None:
            return found.id
        label = catalogue.SUBJECT_KINDS[column.ref_kind].lower()
        if column.ref_kind == self._subject_kind:
            earlier = self._file_names.get(self._register.key(name))
            if earlier is not None:
                return FileRow(earlier)
            raise CellError(f"không có {label} «{name}» trong sổ hay ở các dòng phía trên của tệp.")
        raise CellError(f"không có {label} «{name}» trong sổ. {_LOAD_FIRST[column.ref_kind]}")

    def _member(self, person: PersonRef, head: bool = False) -> MemberData:
        known = self._register.person(person)
        return MemberData(known.id, HEAD_RELATION if head else person.relation, head)


class SubjectWriter:
    """Writes planned rows inside one transaction; FileRow references become new ids.

    New rows go to `add_many_in` in batches; a batch is cut where a row names an earlier
    row of the same batch, whose id is needed first.
    """

    def __init__(self, subjects: SubjectService, session: Session, data_type: type) -> None:
        self._subjects = subjects
        self._session = session
        self._data_type = data_type
        self._ids: dict[int, int] = {}  # file row -> id of the subject it created
        self._pending: list[tuple[int, SubjectData, str | None]] = []

    def create(self, rows: Sequence[tuple[int, Mapping[str, object]]]) -> None:
        for row, values in rows:
            data = build_data(self._data_type, values, self._new_id)
            self._pending.append((row, data, values.get("uuid")))  # type: ignore[arg-type]
        self._write_pending()

    def update(self, target: tuple[str, int], overlay: Mapping[str, object]) -> None:
        subject_id = target[1]
        current = self._subjects.data_in(self._session, subject_id)
        self._subjects.update_in(self._session, subject_id, merged_data(current, overlay, self._new_id))

    def _new_id(self, ref: FileRow) -> int:
        if ref.row not in self._ids:
            self._write_pending()  # the row named is waiting in this batch
        return self._ids[ref.row]

    def _write_pending(self) -> None:
        rows = [row for row, _data, _uuid in self._pending]
        try:
            ids = self._subjects.add_many_in(self._session, [data for _row, data, _uuid in self._pending],
                                             [uuid for _row, _data, uuid in self._pending])
        except ValidationError as error:
            if error.item is None:
                raise
            with at_row(rows[error.item]):
                raise
        self._ids.update(zip(rows, ids))
        self._pending.clear()


def build_data(data_type: type, values: Mapping[str, object], new_id: NewId) -> SubjectData:
    """A data class from a row's values: defaults for empty cells, FileRow through `new_id`."""
    names = _field_names(data_type)
    changes = {k: _resolved(v, new_id) for k, v in values.items() if k in names}
    if data_type is HouseholdData:
        head = values.get("head")
        changes["members"] = ((head,) if head else ()) + tuple(values.get("members") or ())  # type: ignore[arg-type]
    return data_type(**changes)


def merged_data(current: SubjectData, overlay: Mapping[str, object], new_id: NewId) -> SubjectData:
    """`current` with the row's filled cells written over it (the officer chose to merge)."""
    names = {f.name for f in fields(current)} - {"members"}
    changes = {k: _resolved(v, new_id) for k, v in overlay.items() if k in names}
    for field in NAME_FIELDS:
        # Matched on the name: keep the register's spelling unless the name really changes.
        if field in changes and name_key(str(changes[field])) == name_key(getattr(current, field)):
            del changes[field]
    if isinstance(current, HouseholdData) and ("head" in overlay or "members" in overlay):
        head = overlay.get("head") or next((m for m in current.members if m.is_head), None)
        others = overlay["members"] if "members" in overlay else tuple(
            m for m in current.members if not m.is_head)
        head_id = head.individual_id if isinstance(head, MemberData) else None
        kept = tuple(m for m in others if m.individual_id != head_id)  # type: ignore[attr-defined]
        changes["members"] = ((head,) if head else ()) + kept
    return replace(current, **changes)


@cache
def _field_names(data_type: type) -> frozenset[str]:
    """The plain fields of a data class (members are built from two columns)."""
    return frozenset(f.name for f in fields(data_type)) - {"members"}


def _resolved(value: object, new_id: NewId) -> object:
    return new_id(value) if isinstance(value, FileRow) else value


def _head_id(values: Mapping[str, object]) -> int | None:
    head = values.get("head")
    return head.individual_id if isinstance(head, MemberData) else None


def _name(values: Mapping[str, object]) -> str:
    return str(values.get("full_name") or values.get("name") or "")
