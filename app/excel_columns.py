"""The Excel sheets of the register, declared once: kinds, columns, headers and hints.

Templates, imports and exports all read these declarations, so an exported file has the
columns of the template and imports back. Headers are matched ignoring case, diacritics,
extra spaces and a trailing '*' (the mark of a required column).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from app import catalogue
from app.vietnamese import clean, fold


class CellType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DATE = "date"
    BOOL = "bool"
    CODE = "code"  # one of a vocabulary, typed as its Vietnamese label
    CITIZEN_ID = "citizen_id"  # text of digits; leading zeros matter
    REF = "ref"  # another subject, by name
    PERSON = "person"  # one person of the register: name, date of birth and/or citizen ID
    PEOPLE = "people"  # several such people separated by ';'
    UUID = "uuid"  # a subject's stable identifier, as the export writes it


BOOLEAN = {"yes": "Có", "no": "Không"}
RECORD_TYPES = {
    "rating": "Xếp loại",
    "award": "Danh hiệu, khen thưởng",
    "initiative": "Sáng kiến",
    "discipline": "Kỷ luật",
}
# Other spellings officers use for the record types, folded.
RECORD_TYPE_ALIASES = {
    "xep loai chat luong": "rating",
    "danh hieu": "award",
    "khen thuong": "award",
    "danh hieu - khen thuong": "award",
    "danh hieu/khen thuong": "award",
    "danh hieu thi dua": "award",
    "hinh thuc khen thuong": "award",
    "sang kien kinh nghiem": "initiative",
}
# Abbreviations used in personnel files for the year-end ratings, folded.
RATING_ALIASES = {
    "htxsnv": "htxs",
    "hoan thanh xuat sac": "htxs",
    "httnv": "tot",
    "hoan thanh tot": "tot",
    "htnv": "ht",
    "hoan thanh": "ht",
    "khtnv": "kht",
    "khong hoan thanh": "kht",
}


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    type: CellType = CellType.TEXT
    required: bool = False
    vocabulary: Mapping[str, str] | None = None
    aliases: Mapping[str, str] | None = None  # other accepted spellings, folded, to codes
    ref_kind: str | None = None  # subject kind a REF column names
    hint: str = ""
    width: int = 18

    @property
    def key(self) -> str:
        return header_key(self.header)


@dataclass(frozen=True)
class SheetKind:
    """One kind of sheet: what the CLI calls it, what the officer sees, its columns."""

    code: str
    label: str
    subject_kind: str | None  # None for the history sheet
    columns: tuple[Column, ...]
    note: str = ""

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


def header_key(text: object) -> str:
    """How headers are compared: folded, single-spaced, without the required mark."""
    return " ".join(fold(clean(str(text))).replace("(*)", "").rstrip("*").split())


_DATE_HINT = "Ngày dạng dd/mm/yyyy, ví dụ 05/09/1985."
_BOOL_HINT = "Có hoặc Không (để trống là Không)."


def _labels(vocabulary: Mapping[str, str]) -> str:
    return "; ".join(vocabulary.values())


def _code(header: str, field: str, vocabulary: Mapping[str, str], default: str | None = None,
          required: bool = False, width: int = 22) -> Column:
    hint = f"Chọn trong danh sách: {_labels(vocabulary)}."
    if default is not None:
        hint += f" Để trống là “{vocabulary[default]}”."
    return Column(header, field, CellType.CODE, required, vocabulary, hint=hint, width=width)


def _village(field: str = "village_id") -> Column:
    return Column("Thôn, tổ dân phố", field, CellType.REF, ref_kind="village", width=22,
                  hint="Tên thôn, tổ dân phố đã có trong sổ (nhập danh sách thôn trước).")


_NOTE = Column("Ghi chú", "note", width=30)
# Last, so the columns officers type stay where they were; exports fill it, officers need not.
_UUID = Column(
    "Mã đối tượng", "uuid", CellType.UUID, width=38,
    hint="Chương trình tự ghi khi xuất sổ, để nhận đúng đối tượng khi nhập lại (kể cả khi có "
         "hai đối tượng cùng tên). Dòng mới: để trống.",
)

VILLAGES = SheetKind(
    "villages", "Thôn, tổ dân phố", "village",
    (
        Column("Tên thôn, tổ dân phố", "name", required=True, width=30,
               hint="Bắt buộc. Ví dụ: Thôn 1, Tổ dân phố Trung Hòa."),
        _code("Loại", "village_kind", catalogue.VILLAGE_KINDS, default="thon", width=16),
        Column("Vùng đặc biệt khó khăn", "difficult_area", CellType.BOOL, vocabulary=BOOLEAN,
               hint=_BOOL_HINT),
        Column("Vùng đồng bào dân tộc thiểu số", "ethnic_minority_area", CellType.BOOL,
               vocabulary=BOOLEAN, hint=_BOOL_HINT),
        _NOTE,
        _UUID,
    ),
)

COLLECTIVES = SheetKind(
    "collectives", "Tập thể", "collective",
    (
        Column("Tên tập thể", "name", required=True, width=36,
               hint="Bắt buộc. Ví dụ: Văn phòng HĐND và UBND xã."),
        _code("Loại tập thể", "collective_kind", catalogue.COLLECTIVE_KINDS, default="other"),
        Column("Tập thể cấp trên", "parent_id", CellType.REF, ref_kind="collective", width=30,
               hint="Tên tập thể đã có trong sổ hoặc ở một dòng phía trên của tệp này."),
        _village(),
        _NOTE,
        _UUID,
    ),
)

INDIVIDUALS = SheetKind(
    "individuals", "Cá nhân", "individual",
    (
        Column("Họ và tên", "full_name", required=True, width=26,
               hint="Bắt buộc. Đủ họ, chữ đệm và tên, ví dụ Nguyễn Thị Lan."),
        _code("Giới tính", "gender", catalogue.GENDERS, required=True, width=10),
        Column("Ngày sinh", "birth_date", CellType.DATE, hint=_DATE_HINT, width=12),
        Column("Số CCCD", "citizen_id", CellType.CITIZEN_ID, width=16,
               hint="Số định danh cá nhân: đúng 12 chữ số (nên định dạng ô là văn bản)."),
        Column("Dân tộc", "ethnicity", hint="Để trống là Kinh.", width=10),
        Column("Tôn giáo", "religion", hint="Để trống là Không.", width=10),
        Column("Quê quán", "home_town", width=24),
        Column("Nơi ở hiện nay", "residence", width=24),
        Column("Chức vụ, chức danh", "job_title", width=24),
        Column("Đơn vị công tác", "unit_id", CellType.REF, ref_kind="collective", width=28,
               hint="Tên tập thể đã có trong sổ (nhập danh sách tập thể trước)."),
        _village(),
        _code("Đối tượng", "employment", catalogue.EMPLOYMENT, default="other", width=16),
        Column("Lao động trực tiếp", "direct_labour", CellType.BOOL, vocabulary=BOOLEAN,
               hint=_BOOL_HINT, width=10),
        Column("Ngày bắt đầu công tác", "employment_start", CellType.DATE, hint=_DATE_HINT,
               width=12),
        Column("Người dân tộc thiểu số", "ethnic_minority", CellType.BOOL, vocabulary=BOOLEAN,
               hint=_BOOL_HINT, width=10),
        Column("Vùng đặc biệt khó khăn", "difficult_area", CellType.BOOL, vocabulary=BOOLEAN,
               hint=_BOOL_HINT, width=10),
        _NOTE,
        _UUID,
    ),
)

_PERSON_HINT = (
    "Người đã có trong sổ: “Họ tên, ngày sinh” hoặc số CCCD, có thể thêm quan hệ với chủ hộ, "
    "ví dụ “Trần Văn Bình, 02/03/1990, con”."
)

HOUSEHOLDS = SheetKind(
    "households", "Hộ gia đình", "household",
    (
        Column("Tên hộ", "name", required=True, width=30,
               hint="Bắt buộc. Ví dụ: Hộ ông Nguyễn Văn An."),
        _village(),
        Column("Địa chỉ", "address", width=28),
        Column("Chủ hộ", "head", CellType.PERSON, width=32, hint=_PERSON_HINT),
        Column("Thành viên khác", "members", CellType.PEOPLE, width=48,
               hint=_PERSON_HINT + " Nhiều người cách nhau bằng dấu chấm phẩy (;)."),
        _NOTE,
        _UUID,
    ),
    note="Các thành viên phải có sẵn trong sổ: hãy nhập danh sách cá nhân trước.",
)

HISTORY = SheetKind(
    "history", "Lịch sử thi đua, khen thưởng", None,
    (
        _code("Loại đối tượng", "subject_kind", catalogue.SUBJECT_KINDS, default="individual",
              width=16),
        Column("Tên đối tượng", "name", required=True, width=28,
               hint="Bắt buộc. Họ tên cá nhân hoặc tên tập thể, hộ, thôn đã có trong sổ."),
        Column("Ngày sinh", "birth_date", CellType.DATE, width=12,
               hint="Với cá nhân: ghi ngày sinh hoặc số CCCD để xác định đúng người."),
        Column("Số CCCD", "citizen_id", CellType.CITIZEN_ID, width=16,
               hint="Với cá nhân: 12 chữ số."),
        replace(_code("Loại bản ghi", "record_type", RECORD_TYPES, required=True, width=20),
                aliases=RECORD_TYPE_ALIASES),
        Column("Năm", "year", CellType.INTEGER, width=8,
               hint="Năm đạt thành tích hoặc năm xếp loại, ví dụ 2024."),
        Column("Nội dung", "content", width=36,
               hint="Xếp loại: mức xếp loại. Danh hiệu, khen thưởng: tên danh hiệu, hình thức. "
                    "Sáng kiến: tên sáng kiến. Kỷ luật: hình thức kỷ luật. Xem trang Danh mục."),
        Column("Số quyết định", "decision_number", width=16),
        Column("Ngày quyết định", "decision_date", CellType.DATE, width=12,
               hint=_DATE_HINT + " Bắt buộc với kỷ luật."),
        Column("Cơ quan quyết định", "issuer", width=24,
               hint="Khen thưởng: cơ quan ra quyết định. Sáng kiến: nơi công nhận."),
        Column("Căn cứ pháp lý", "legal_basis", width=24),
        _code("Loại thành tích", "basis_kind", catalogue.BASIS_KINDS, default="annual_duty"),
        Column("Năm bắt đầu giai đoạn", "period_start", CellType.INTEGER, width=10,
               hint="Với khen thưởng cho nhiều năm liên tục."),
        _code("Phạm vi ảnh hưởng", "scope", catalogue.INITIATIVE_SCOPES, default="base",
              width=14),
        Column("Ngày hết hiệu lực", "ends_on", CellType.DATE, width=12,
               hint="Với kỷ luật: ngày hết thời hạn kỷ luật."),
        Column("Ngày thu hồi", "revoked_on", CellType.DATE, width=12, hint=_DATE_HINT),
        Column("Lý do thu hồi", "revoked_reason", width=24),
        _NOTE,
        _UUID,
    ),
    note="Đối tượng phải có sẵn trong sổ. Mỗi dòng là một bản ghi.",
)

SHEET_KINDS: dict[str, SheetKind] = {
    kind.code: kind for kind in (VILLAGES, COLLECTIVES, INDIVIDUALS, HOUSEHOLDS, HISTORY)
}

# The lists the history sheet's "Nội dung" column accepts, by record type.
CONTENT_VOCABULARIES: dict[str, Mapping[str, str]] = {
    "rating": catalogue.RATINGS,
    "award": {kind.code: kind.label for kind in catalogue.AWARD_KINDS},
    "discipline": catalogue.DISCIPLINE_FORMS,
}


def sheet_kind(code: str) -> SheetKind:
    return SHEET_KINDS[code]


def record_type_for(text: str) -> str | None:
    return code_or_alias(RECORD_TYPES, text, RECORD_TYPE_ALIASES)


def code_or_alias(vocabulary: Mapping[str, str], text: str,
                  aliases: Mapping[str, str] | None = None) -> str | None:
    """The code for a typed label (catalogue.code_for_label), then for a known alias."""
    code = catalogue.code_for_label(dict(vocabulary), text)
    if code is None and aliases:
        code = aliases.get(fold(clean(text)))
    return code
