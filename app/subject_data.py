"""What the register holds, as plain data: the subjects' fields, their validation, and the
derived search text and Vietnamese sort key. No database here: widgets, importers and the
service all share these definitions.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from functools import cache

from app import catalogue
from app.errors import ValidationError
from app.vietnamese import clean, fold, name_sort_key, person_sort_key

MIN_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class IndividualData:
    full_name: str
    gender: str
    birth_date: date | None = None
    ethnicity: str = "Kinh"
    religion: str = "Không"
    home_town: str = ""
    residence: str = ""
    citizen_id: str | None = None
    job_title: str = ""
    unit_id: int | None = None
    village_id: int | None = None
    employment: str = "other"
    direct_labour: bool = False
    employment_start: date | None = None
    ethnic_minority: bool = False
    difficult_area: bool = False
    note: str = ""


@dataclass(frozen=True)
class CollectiveData:
    name: str
    collective_kind: str = "other"
    parent_id: int | None = None
    village_id: int | None = None
    note: str = ""


@dataclass(frozen=True)
class MemberData:
    individual_id: int
    relation: str = ""
    is_head: bool = False


@dataclass(frozen=True)
class HouseholdData:
    name: str
    village_id: int | None = None
    address: str = ""
    members: tuple[MemberData, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class VillageData:
    name: str
    village_kind: str = "thon"
    difficult_area: bool = False
    ethnic_minority_area: bool = False
    note: str = ""


SubjectData = IndividualData | CollectiveData | HouseholdData | VillageData

KIND_OF = {IndividualData: "individual", CollectiveData: "collective",
             HouseholdData: "household", VillageData: "village"}


@dataclass(frozen=True, slots=True)
class SubjectRow:
    """One line of the register as lists and search results show it."""

    id: int
    uuid: str
    kind: str
    name: str
    gender: str | None
    birth_date: date | None
    citizen_id: str | None
    category: str  # employment / collective kind / village kind code
    unit: str  # unit of a person, parent of a collective
    village: str
    sort_key: str


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


# --- validation -----------------------------------------------------------------------


@cache
def field_names(data_type: type) -> tuple[str, ...]:
    """The fields of a data class, looked up once: imports ask for them for every row."""
    return tuple(f.name for f in fields(data_type))


def validate(data: SubjectData) -> SubjectData:
    """Cleaned data (NFC, trimmed) or a ValidationError naming the field in Vietnamese."""
    texts = {name: clean(value) for name in field_names(type(data)) if isinstance(value := getattr(data, name), str)}
    changed = {name: value for name, value in texts.items() if value != getattr(data, name)}
    if changed:  # replace() costs more than the checks, and imports validate every row
        data = replace(data, **changed)
    if isinstance(data, IndividualData):
        return _validate_individual(data)
    name = data.name
    if not name:
        raise ValidationError("Tên không được để trống.", "name")
    if isinstance(data, CollectiveData) and data.collective_kind not in catalogue.COLLECTIVE_KINDS:
        raise ValidationError("Loại tập thể không hợp lệ.", "collective_kind")
    if isinstance(data, VillageData) and data.village_kind not in catalogue.VILLAGE_KINDS:
        raise ValidationError("Loại thôn, tổ dân phố không hợp lệ.", "village_kind")
    if isinstance(data, HouseholdData):
        heads = sum(m.is_head for m in data.members)
        if heads > 1:
            raise ValidationError("Một hộ chỉ có một chủ hộ.", "members")
        ids = [m.individual_id for m in data.members]
        if len(ids) != len(set(ids)):
            raise ValidationError("Một người được ghi hai lần trong hộ.", "members")
    return data


def _validate_individual(data: IndividualData) -> IndividualData:
    if not data.full_name:
        raise ValidationError("Họ và tên không được để trống.", "full_name")
    if len(data.full_name.split()) < 2:
        raise ValidationError("Họ và tên phải có ít nhất họ và tên (hai từ).", "full_name")
    if data.gender not in catalogue.GENDERS:
        raise ValidationError("Giới tính phải là Nam hoặc Nữ.", "gender")
    today = date.today()
    if data.birth_date is not None and not (
        date(MIN_BIRTH_YEAR, 1, 1) <= data.birth_date <= today
    ):
        raise ValidationError(
            f"Ngày sinh {data.birth_date:%d/%m/%Y} không hợp lệ.", "birth_date"
        )
    citizen_id = data.citizen_id or None
    if citizen_id is not None and not (citizen_id.isdigit() and len(citizen_id) == 12):
        raise ValidationError("Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số.", "citizen_id")
    if data.employment not in catalogue.EMPLOYMENT:
        raise ValidationError("Đối tượng (cán bộ, công chức…) không hợp lệ.", "employment")
    if data.employment_start is not None:
        if data.employment_start > today:
            raise ValidationError("Ngày bắt đầu công tác ở tương lai.", "employment_start")
        if data.birth_date is not None and data.employment_start <= data.birth_date:
            raise ValidationError("Ngày bắt đầu công tác phải sau ngày sinh.", "employment_start")
    return data if data.citizen_id == citizen_id else replace(data, citizen_id=citizen_id)


def search_text(data: SubjectData) -> str:
    """What the search box matches: the name folded, plus the citizen ID."""
    if isinstance(data, IndividualData):
        return " ".join(filter(None, (fold(data.full_name), data.citizen_id)))
    return fold(data.name)


def sort_key(data: SubjectData) -> str:
    if isinstance(data, IndividualData):
        return person_sort_key(data.full_name)
    return name_sort_key(data.name)


def display_name(data: SubjectData) -> str:
    return data.full_name if isinstance(data, IndividualData) else data.name


def fts_query(text_: str, kind: str | None = None) -> str | None:
    """An FTS5 query matching every typed word as a prefix of a word of the name (diacritics
    and đ ignored), and the kind when given; None when nothing searchable was typed."""
    words = ["".join(ch if ch.isalnum() else " " for ch in w).split() for w in fold(text_).split()]
    tokens = [t for group in words for t in group]
    if not tokens:
        return None
    terms = [f'search_text:"{t}"*' for t in tokens]
    if kind is not None:
        terms.append(f'kind:"{kind}"')
    return " ".join(terms)


# --- the service ----------------------------------------------------------------------
