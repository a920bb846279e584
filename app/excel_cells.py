"""Cell values to typed values and back, one column type at a time.

Reading accepts what officers actually type: labels in any case and without diacritics,
dates as real Excel dates or as dd/mm/yyyy text, citizen IDs stored as numbers.
Errors are CellError with a Vietnamese message that the importer prefixes with the row
and column.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from app.excel_columns import BOOLEAN, CellType, Column, code_or_alias
from app.vietnamese import clean, fold

CITIZEN_ID_DIGITS = 12
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TRUE = {"co", "x", "1", "true", "dung", "yes"}
_FALSE = {"khong", "0", "false", "sai", "no"}
PEOPLE_SEPARATORS = re.compile(r"[;\n]")


class CellError(Exception):
    """A cell that cannot be read as its column's type; the message is Vietnamese."""


@dataclass(frozen=True)
class PersonRef:
    """A person named in a cell: name, date of birth and/or citizen ID, relation to the head."""

    name: str = ""
    birth_date: date | None = None
    citizen_id: str | None = None
    relation: str = ""


class CellReader:
    """Converts raw openpyxl values; remembers vocabulary look-ups (the same labels repeat)."""

    def __init__(self) -> None:
        self._codes: dict[tuple[str, str], str | None] = {}
        self._bools: dict[object, bool] = {}

    def read(self, column: Column, raw: object) -> object | None:
        """The typed value of a cell, None when the cell is empty."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        kind = column.type
        if kind is CellType.DATE:
            return read_date(raw)
        if kind is CellType.INTEGER:
            return read_integer(raw)
        if kind is CellType.BOOL:
            if raw not in self._bools:
                self._bools[raw] = read_bool(raw)
            return self._bools[raw]
        if kind is CellType.CITIZEN_ID:
            return read_citizen_id(raw)
        if kind is CellType.UUID:
            return read_uuid(raw)
        if kind in (CellType.PERSON, CellType.PEOPLE) and _is_number(raw):
            # Only a citizen ID typed alone becomes a number cell, and loses its leading zeros.
            raw = read_citizen_id(raw)
        text = read_text(raw)
        if kind is CellType.CODE:
            return self._code(column, text)
        if kind is CellType.PERSON:
            return read_person(text)
        if kind is CellType.PEOPLE:
            # Split before cleaning: cleaning turns the line breaks between people into spaces.
            parts = PEOPLE_SEPARATORS.split(raw if isinstance(raw, str) else text)
            people = tuple(read_person(part) for part in parts if part.strip())
            return people or None
        return text

    def _code(self, column: Column, text: str) -> str:
        assert column.vocabulary is not None
        key = (column.field, text)
        if key not in self._codes:
            self._codes[key] = code_or_alias(column.vocabulary, text, column.aliases)
        code = self._codes[key]
        if code is None:
            raise CellError(
                f"“{text}” không có trong danh sách ({'; '.join(column.vocabulary.values())})."
            )
        return code


def read_text(raw: object) -> str:
    if isinstance(raw, bool):
        return BOOLEAN["yes"] if raw else BOOLEAN["no"]
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return f"{raw:%d/%m/%Y}"
    return clean(str(raw))


def read_integer(raw: object) -> int:
    if isinstance(raw, bool):
        raise CellError(f"“{read_text(raw)}” không phải là số.")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = read_text(raw)
    if text.isdigit():
        return int(text)
    raise CellError(f"“{text}” không phải là số nguyên.")


def read_date(raw: object) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = read_text(raw)
    if isinstance(raw, str):
        for pattern, order in ((_DMY, (2, 1, 0)), (_YMD, (0, 1, 2))):
            found = pattern.match(text)
            if found:
                year, month, day = (int(found.group(i + 1)) for i in order)
                try:
                    return date(year, month, day)
                except ValueError:
                    raise CellError(f"ngày {text} không tồn tại.") from None
    raise CellError(f"“{text}” không phải là ngày; hãy ghi theo dạng dd/mm/yyyy.")


def read_bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = read_text(raw)
    folded = fold(text)
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError(f"“{text}” không hợp lệ; hãy ghi Có hoặc Không.")


def _is_number(raw: object) -> bool:
    return isinstance(raw, int | float) and not isinstance(raw, bool)


def read_citizen_id(raw: object) -> str:
    # A number cell loses leading zeros (most IDs start with 0): put them back.
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < 10**CITIZEN_ID_DIGITS:
        return f"{raw:0{CITIZEN_ID_DIGITS}d}"
    return read_text(raw).replace(" ", "").replace(".", "")


def read_uuid(raw: object) -> str:
    """A subject's UUID in the form the register stores: lower case, with hyphens."""
    text = read_text(raw)
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise CellError(
            f"“{text}” không phải mã đối tượng do chương trình ghi; hãy để trống ô này "
            "(dòng mới không cần mã)."
        ) from None


def read_person(text: str) -> PersonRef:
    """'Họ tên, dd/mm/yyyy, CCCD, quan hệ': a name only first, then date, ID and relation."""
    name, relation = "", ""
    birth_date: date | None = None
    citizen_id: str | None = None
    parts = [clean(p) for p in text.split(",") if p.strip()]
    for position, part in enumerate(parts):
        compact = part.replace(" ", "").replace(".", "")
        if compact.isdigit() and not _DMY.match(part):
            if len(compact) != CITIZEN_ID_DIGITS:
                raise CellError(f"số CCCD “{part}” phải gồm đúng 12 chữ số.")
            citizen_id = compact
        elif _DMY.match(part) or _YMD.match(part):
            birth_date = read_date(part)
        elif position == 0:
            name = part
        elif not relation:
            relation = part
        else:
            raise CellError(
                f"không hiểu “{clean(text)}”; hãy ghi “Họ tên, ngày sinh” hoặc số CCCD của người đó."
            )
    if not name and citizen_id is None:
        raise CellError(f"“{clean(text)}” thiếu họ tên hoặc số CCCD.")
    return PersonRef(name, birth_date, citizen_id, relation)


def format_person(person: PersonRef, with_relation: bool = True) -> str:
    parts = [person.name]
    if person.birth_date is not None:
        parts.append(f"{person.birth_date:%d/%m/%Y}")
    if person.citizen_id:
        parts.append(person.citizen_id)
    if with_relation and person.relation:
        parts.append(person.relation)
    return ", ".join(p for p in parts if p)


def cell_value(column: Column, value: object) -> object:
    """What an export writes for a typed value: labels for codes, text for people."""
    if value is None:
        return None
    kind = column.type
    if kind is CellType.CODE:
        vocabulary: Mapping[str, str] = column.vocabulary or {}
        return vocabulary.get(str(value), value)
    if kind is CellType.BOOL:
        return BOOLEAN["yes"] if value else BOOLEAN["no"]
    if kind is CellType.PERSON:
        assert isinstance(value, PersonRef)
        return format_person(value, with_relation=False)
    if kind is CellType.PEOPLE:
        return "; ".join(format_person(p) for p in value)  # type: ignore[attr-defined]
    return value
