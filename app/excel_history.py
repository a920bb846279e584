"""Rows of the history sheet: one rating, award, initiative or discipline per row.

The subject is found in the register by its UUID (the «Mã đối tượng» an export writes, which
tells same-named households and collectives apart), else by citizen ID, by name and date of
birth, or by name;
the record is checked with `app.history.validate_record` and written with
`HistoryService.save_many_in` / `save_in`, so the rules (and the audit entries) live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields, replace
from datetime import date

from sqlalchemy.orm import Session

from app import catalogue
from app.errors import ValidationError
from app.excel_cells import CellError, PersonRef
from app.excel_columns import (
    CONTENT_VOCABULARIES,
    HISTORY,
    RATING_ALIASES,
    RECORD_TYPES,
    code_or_alias,
)
from app.excel_preview import ParsedRow, RowError, RowProblems, at_row
from app.excel_register import Known, RegisterIndex, name_key, pinned_subjects
from app.history import (
    AwardRecord,
    DisciplineRecord,
    HistoryRecord,
    HistoryService,
    InitiativeRecord,
    RatingRecord,
    describe,
    validate_record,
)

RECORD_CLASSES: dict[str, type] = {
    "rating": RatingRecord,
    "award": AwardRecord,
    "initiative": InitiativeRecord,
    "discipline": DisciplineRecord,
}
# Which sheet column fills which record field, for each record type.
RECORD_COLUMNS: dict[str, dict[str, str]] = {
    "rating": {"year": "year", "content": "rating", "note": "note"},
    "award": {
        "year": "year", "content": "award_code", "decision_number": "decision_number",
        "decision_date": "decision_date", "issuer": "issuer", "legal_basis": "legal_basis",
        "basis_kind": "basis_kind", "period_start": "period_start", "revoked_on": "revoked_on",
        "revoked_reason": "revoked_reason",
    },
    "initiative": {
        "year": "year", "content": "title", "scope": "scope", "issuer": "recognised_by",
        "decision_number": "decision_number", "decision_date": "decision_date",
    },
    "discipline": {"content": "form", "decision_date": "decided_on", "ends_on": "ends_on",
                   "note": "note"},
}
# Columns a record type cannot do without (beyond the sheet's own required columns).
NEEDED = {
    "rating": ("year", "content"),
    "award": ("year", "content"),
    "initiative": ("year", "content"),
    "discipline": ("content", "decision_date"),
}
_SUBJECT_COLUMNS = ("subject_kind", "name", "birth_date", "citizen_id", "record_type", "uuid")
_CONTENT_ALIASES = {"rating": RATING_ALIASES}
Key = tuple[object, ...]


class HistoryRows:
    """Parse and duplicate rules for the history sheet; see excel_import for the flow."""

    def __init__(self, register: RegisterIndex, existing: Mapping[Key, tuple[int, int]]) -> None:
        self._register = register
        self._existing = existing
        self._contents: dict[tuple[str, str], str | None] = {}

    def parse(self, row: int, cells: Mapping[str, object]) -> ParsedRow:
        subject = self._subject(row, cells)
        record_type = str(cells["record_type"])
        used = RECORD_COLUMNS[record_type]
        label = RECORD_TYPES[record_type].lower()
        problems = []
        for field in NEEDED[record_type]:
            if cells.get(field) is None:
                problems.append(RowError(row, HISTORY.column(field).header, f"{label} cần ghi ô này."))
        for field, value in cells.items():
            if field in _SUBJECT_COLUMNS or field in used:
                continue
            if field == "year" and record_type == "discipline":
                decided = cells.get("decision_date")
                if isinstance(decided, date) and decided.year != value:
                    problems.append(RowError(row, HISTORY.column("year").header,
                                             f"năm {value} khác năm của ngày quyết định kỷ luật."))
                continue
            problems.append(RowError(row, HISTORY.column(field).header,
                                     f"{label} không có thông tin này; hãy để trống ô."))
        values: dict[str, object] = {"subject_id": subject.id, "subject_kind": subject.kind,
                                     "record_type": record_type}
        for column_field, record_field in used.items():
            if cells.get(column_field) is None:
                continue
            value = cells[column_field]
            if column_field == "content" and record_type in CONTENT_VOCABULARIES:
                try:
                    value = self._content(record_type, str(value))
                except CellError as error:
                    problems.append(RowError(row, HISTORY.column("content").header, str(error)))
            values[record_field] = value
        if problems:
            raise RowProblems(problems)
        try:
            record = validate_record(build_record(values), subject.kind)
        except ValidationError as error:
            column = _column_for(record_type, error.field)
            raise RowProblems([RowError(row, column, str(error))]) from None
        return ParsedRow(row, f"{subject.describe()}: {describe(record)}", values)

    def keys(self, parsed: ParsedRow) -> list[tuple[Key, str]]:
        return [record_key(parsed.values)]

    def existing(self, parsed: ParsedRow, keys: list[tuple[Key, str]]) -> tuple[str, int, str, str] | None:
        [(key, reason)] = keys
        found = self._existing.get(key)
        if found is None:
            return None
        return str(parsed.values["record_type"]), found[1], "bản ghi đã có trong sổ", reason

    def remember(self, parsed: ParsedRow) -> None:
        """History rows are never referred to by later rows."""

    def _subject(self, row: int, cells: Mapping[str, object]) -> Known:
        kind = str(cells.get("subject_kind") or "individual")
        name = str(cells["name"])
        if cells.get("uuid"):
            return self._subject_by_uuid(row, kind, name, str(cells["uuid"]))
        try:
            if kind == "individual":
                ref = PersonRef(name, cells.get("birth_date"), cells.get("citizen_id"))  # type: ignore[arg-type]
                return self._register.person(ref)
            found = self._register.one_named(kind, name)
        except CellError as error:
            column = "citizen_id" if cells.get("citizen_id") else "name"
            raise RowProblems([RowError(row, HISTORY.column(column).header, str(error))]) from None
        if found is None:
            label = catalogue.SUBJECT_KINDS[kind].lower()
            raise RowProblems([RowError(row, HISTORY.column("name").header,
                                        f"không có {label} «{name}» trong sổ.")])
        return found

    def _subject_by_uuid(self, row: int, kind: str, name: str, uuid: str) -> Known:
        """The subject the UUID names, if it is the row's kind and name too.

        The name check catches rows copied from another register's export, whose UUIDs
        may happen to name a different subject here.
        """
        found = self._register.with_uuid(uuid)
        header = HISTORY.column("uuid").header
        if found is None:
            raise RowProblems([RowError(
                row, header, f"không có đối tượng nào mang mã {uuid} trong sổ; nếu dòng được "
                "chép từ tệp của sổ khác, hãy để trống ô này.")])
        if found.kind != kind or name_key(found.name) != name_key(name):
            found_as = catalogue.SUBJECT_KINDS[found.kind].lower()
            named_as = catalogue.SUBJECT_KINDS[kind].lower()
            raise RowProblems([RowError(
                row, header, f"mã {uuid} là của {found_as} «{found.name}», không phải {named_as} "
                f"«{name}»; nếu dòng được chép từ tệp khác, hãy để trống ô này.")])
        return found

    def _content(self, record_type: str, text: str) -> str:
        key = (record_type, text)
        if key not in self._contents:
            vocabulary = CONTENT_VOCABULARIES[record_type]
            self._contents[key] = code_or_alias(vocabulary, text, _CONTENT_ALIASES.get(record_type))
        code = self._contents[key]
        if code is None:
            choices = "; ".join(CONTENT_VOCABULARIES[record_type].values())
            raise CellError(f"“{text}” không phải {RECORD_TYPES[record_type].lower()} hợp lệ ({choices}).")
        return code


class HistoryWriter:
    """Writes planned rows inside one transaction through HistoryService.save_in."""

    def __init__(self, history: HistoryService, session: Session,
                 rows: Iterable[Mapping[str, object]]) -> None:
        """`rows` are every planned row: their subjects are loaded now, in a few queries."""
        self._history = history
        self._session = session
        self._pinned = pinned_subjects(session, (int(v["subject_id"]) for v in rows))  # type: ignore[call-overload]

    def create(self, rows: Sequence[tuple[int, Mapping[str, object]]]) -> None:
        records = [(int(values["subject_id"]), build_record(values)) for _row, values in rows]  # type: ignore[call-overload]
        try:
            self._history.save_many_in(self._session, records)
        except ValidationError as error:
            if error.item is None:
                raise
            with at_row(rows[error.item][0]):
                raise

    def update(self, target: tuple[str, int], overlay: Mapping[str, object]) -> None:
        subject_id = int(overlay["subject_id"])  # type: ignore[arg-type]
        current = self._history.record_in(self._session, RECORD_CLASSES[target[0]], target[1])
        names = {f.name for f in fields(current)} - {"id"}
        changes = {k: v for k, v in overlay.items() if k in names}
        self._history.save_in(self._session, subject_id, replace(current, **changes))


def build_record(values: Mapping[str, object]) -> HistoryRecord:
    record_class = RECORD_CLASSES[str(values["record_type"])]
    names = {f.name for f in fields(record_class)} - {"id"}
    return record_class(**{k: v for k, v in values.items() if k in names})


def record_key(values: Mapping[str, object]) -> tuple[Key, str]:
    """What makes two rows the same record (matches excel_register.record_keys)."""
    subject = values["subject_id"]
    record_type = values["record_type"]
    if record_type == "rating":
        return ("rating", subject, values["year"]), "cùng đối tượng và năm xếp loại"
    if record_type == "award":
        return ("award", subject, values["award_code"], values["year"]), \
            "cùng đối tượng, danh hiệu hoặc hình thức và năm"
    if record_type == "initiative":
        return ("initiative", subject, values["year"], name_key(str(values["title"]))), \
            "cùng đối tượng, tên sáng kiến và năm"
    return ("discipline", subject, values["form"], values["decided_on"]), \
        "cùng đối tượng, hình thức và ngày quyết định kỷ luật"


def _column_for(record_type: str, record_field: str | None) -> str | None:
    for column_field, field in RECORD_COLUMNS[record_type].items():
        if field == record_field:
            return HISTORY.column(column_field).header
    return None
