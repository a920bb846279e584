"""Simple per-year Excel sheets: one row per subject of the register, then the row's own
columns (a registration, a rating…). Registrations are read here; the annual review reads
ratings with the same reader (`year_sheet`, `read_year_sheet`).

Subject columns (every year sheet starts with them; headers match ignoring case, accents and
a trailing '*'):
- «Loại đối tượng»: Cá nhân / Tập thể / Hộ gia đình / Thôn, tổ dân phố. May stay empty when
  the name is unique in the register.
- «Họ và tên / Tên đối tượng» (also accepted: «Họ và tên», «Họ tên», «Tên đối tượng»): the
  name exactly as in the register (case and accents may differ).
- «Ngày sinh» (dd/mm/yyyy): tells apart people of the same name.
- «Số CCCD» (12 digits): finds the person by citizen ID (the name, if given, must match).
- «Mã đối tượng»: the UUID an export of the register writes; wins over everything else.
A row needs a name, a CCCD or a Mã đối tượng.

Registration sheet («Đăng ký thi đua», `tdkt registrations import FILE --movement ID`):
- «Danh hiệu đăng ký» (required; also «Danh hiệu»): the title's label or code, e.g. «Lao
  động tiên tiến» or LDTT; it must suit the subject's kind.
- «Ngày đăng ký» (required, dd/mm/yyyy): within the movement's year.
- «Ghi chú».
The movement must be launched or running. Every row is checked first; if any row is wrong
nothing is written and every error is reported with its row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app import catalogue
from app.errors import FileFormatError, ValidationError
from app.excel_cells import CellError, CellReader, PersonRef
from app.excel_columns import CellType, Column, SheetKind
from app.excel_export import write_sheet
from app.excel_preview import MAX_ERRORS_SHOWN, RowError
from app.excel_reader import TEMPLATE_ADVICE, SheetReader
from app.excel_register import Known, RegisterIndex, name_key
from app.registrations import RegistrationItem
from app.services import Services
from app.vietnamese import clean

Report = Callable[[int, int], None]
REPORT_EVERY = 200
_SUBJECT_FIELDS = ("subject_kind", "name", "birth_date", "citizen_id", "uuid")

NAME_HEADER = "Họ và tên / Tên đối tượng"
SUBJECT_COLUMNS = (
    Column("Loại đối tượng", "subject_kind", CellType.CODE, vocabulary=catalogue.SUBJECT_KINDS, width=16,
           hint="Cá nhân, Tập thể, Hộ gia đình hoặc Thôn, tổ dân phố. Để trống nếu tên không trùng."),
    Column(NAME_HEADER, "name", required=True, width=30,
           hint="Họ tên cá nhân hoặc tên tập thể, hộ, thôn đúng như trong sổ."),
    Column("Ngày sinh", "birth_date", CellType.DATE, width=12,
           hint="Với cá nhân trùng tên: ghi ngày sinh (dd/mm/yyyy) hoặc số CCCD."),
    Column("Số CCCD", "citizen_id", CellType.CITIZEN_ID, width=16, hint="Với cá nhân: 12 chữ số."),
)
UUID_COLUMN = Column("Mã đối tượng", "uuid", CellType.UUID, width=38,
                     hint="Mã do chương trình ghi khi xuất sổ; để trống nếu không có.")
NAME_ALIASES = ("Họ và tên", "Họ tên", "Tên đối tượng")


def year_sheet(code: str, label: str, columns: Sequence[Column], note: str = "",
               aliases: Mapping[str, Sequence[str]] | None = None) -> YearSheet:
    """A year sheet: the subject columns, then `columns`, then «Mã đối tượng»; `aliases` are
    other headers accepted for a field."""
    # subject_kind "" (not None): the sheet names subjects of any kind, and it is no history sheet.
    kind = SheetKind(code, label, "", (*SUBJECT_COLUMNS, *columns, UUID_COLUMN), note)
    return YearSheet(kind, {"name": NAME_ALIASES, **(aliases or {})})


@dataclass(frozen=True)
class YearSheet:
    kind: SheetKind  # the template's columns
    aliases: Mapping[str, Sequence[str]]

    def reading_kind(self) -> SheetKind:
        """The columns a file may have: the template's and their aliases, none required by
        header (the fields with aliases are checked in `read_year_sheet`)."""
        columns = [replace(c, required=False) if c.field in self.aliases else c for c in self.kind.columns]
        for field, headers in self.aliases.items():
            original = self.kind.column(field)
            columns += [replace(original, header=header, required=False) for header in headers]
        return replace(self.kind, columns=tuple(columns))


@dataclass(frozen=True)
class SheetRow:
    """A row whose subject was found: the subject and the row's own cells as typed values."""

    row: int
    subject: Known
    cells: Mapping[str, object]


@dataclass(frozen=True)
class SheetReading:
    path: Path
    rows: tuple[SheetRow, ...]
    errors: tuple[RowError, ...]
    rows_read: int


def read_year_sheet(sessions: sessionmaker[Session], sheet: YearSheet, path: Path,
                    report: Report | None = None) -> SheetReading:
    """Every row of the file with its subject found, or the row's errors; writes nothing."""
    reading = sheet.reading_kind()
    register = RegisterIndex.load(sessions)
    cells_reader = CellReader()
    rows: list[SheetRow] = []
    errors: list[RowError] = []
    rows_read = 0
    with SheetReader(path, reading) as source:
        _check_aliased_headers(sheet, source)
        errors += (RowError(m.first_row, None, f"các ô {m.ref} được gộp; hãy bỏ gộp ô (Unmerge).")
                   for m in source.merged)
        columns = [(i, c) for i, c in enumerate(source.columns) if c is not None]
        total = source.total_rows
        for number, raw in source.rows():
            rows_read += 1
            if report is not None and rows_read % REPORT_EVERY == 0:
                report(rows_read, max(total, rows_read))
            cells, problems = _read_cells(number, raw, columns, cells_reader)
            subject = None
            if not any(p.column in _headers(sheet, _SUBJECT_FIELDS) for p in problems):
                try:
                    subject = _subject(register, sheet, cells)
                except CellError as error:
                    problems.append(RowError(number, _subject_column(sheet, cells), str(error)))
            if problems:
                errors += problems
            elif subject is not None:
                own = {k: v for k, v in cells.items() if k not in _SUBJECT_FIELDS}
                rows.append(SheetRow(number, subject, own))
    if rows_read == 0:
        raise FileFormatError(f"Tệp {Path(path).name} không có dòng dữ liệu nào (chỉ có dòng tiêu đề).")
    if report is not None:
        report(rows_read, rows_read)
    errors.sort(key=lambda e: e.row)
    return SheetReading(Path(path), tuple(rows), tuple(errors), rows_read)


def _check_aliased_headers(sheet: YearSheet, source: SheetReader) -> None:
    present = {c.field for c in source.columns if c is not None}
    found_fields = [c.field for c in source.columns if c is not None]
    for field, headers in sheet.aliases.items():
        wanted = (sheet.kind.column(field).header, *headers)
        if found_fields.count(field) > 1:
            raise FileFormatError(
                f"Tệp {source.path.name} có nhiều cột cùng ý nghĩa ({_quoted(wanted)}); hãy giữ một cột. "
                f"{TEMPLATE_ADVICE}")
        if field not in present and sheet.kind.column(field).required:
            raise FileFormatError(
                f"Dòng tiêu đề của tệp {source.path.name} thiếu cột {_quoted(wanted[:1])} "
                f"(hoặc {_quoted(wanted[1:])}). {TEMPLATE_ADVICE}")


def _quoted(items: Sequence[str]) -> str:
    return ", ".join(f"«{item}»" for item in items)


def _headers(sheet: YearSheet, fields: Sequence[str]) -> set[str]:
    found = {sheet.kind.column(f).header for f in fields}
    for field in fields:
        found.update(sheet.aliases.get(field, ()))
    return found


def _read_cells(number: int, raw: tuple[object, ...], columns: list[tuple[int, Column]],
                reader: CellReader) -> tuple[dict[str, object], list[RowError]]:
    cells: dict[str, object] = {}
    problems: list[RowError] = []
    for index, column in columns:
        try:
            value = reader.read(column, raw[index])
        except CellError as error:
            problems.append(RowError(number, column.header, str(error)))
            continue
        if value is not None:
            cells[column.field] = value
        elif column.required and column.field not in _SUBJECT_FIELDS:
            problems.append(RowError(number, column.header, "ô bắt buộc, không được để trống."))
    return cells, problems


def _subject_column(sheet: YearSheet, cells: Mapping[str, object]) -> str:
    field = "uuid" if cells.get("uuid") else "citizen_id" if cells.get("citizen_id") else "name"
    return sheet.kind.column(field).header


def _subject(register: RegisterIndex, sheet: YearSheet, cells: Mapping[str, object]) -> Known:
    """The one subject a row names, or CellError saying why there is none."""
    kind = cells.get("subject_kind")
    name = str(cells.get("name") or "")
    uuid, citizen_id, born = cells.get("uuid"), cells.get("citizen_id"), cells.get("birth_date")
    if uuid:
        found = register.with_uuid(str(uuid))
        if found is None:
            raise CellError(f"không có đối tượng nào mang mã {uuid} trong sổ.")
        if (kind and found.kind != kind) or (name and name_key(found.name) != name_key(name)):
            raise CellError(f"mã {uuid} là của {catalogue.SUBJECT_KINDS[found.kind].lower()} «{found.name}», "
                            f"không phải «{name}».")
        return found
    if not name and not citizen_id:
        raise CellError("hãy ghi tên đối tượng, số CCCD hoặc mã đối tượng.")
    if citizen_id or born or kind == "individual":
        if kind not in (None, "individual"):
            raise CellError("ngày sinh và số CCCD chỉ ghi cho cá nhân.")
        return register.person(PersonRef(name, born, citizen_id))  # type: ignore[arg-type]
    if kind:
        found = register.one_named(str(kind), name)
        if found is None:
            raise CellError(f"không có {catalogue.SUBJECT_KINDS[str(kind)].lower()} «{name}» trong sổ.")
        return found
    candidates = [k for code in catalogue.SUBJECT_KINDS for k in register.named(code, name)]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise CellError(f"không có đối tượng «{clean(name)}» trong sổ.")
    if all(c.kind == "individual" for c in candidates):
        return register.person(PersonRef(name))  # names the ambiguity and what to add
    kinds = ", ".join(sorted({catalogue.SUBJECT_KINDS[c.kind].lower() for c in candidates}))
    raise CellError(f"có {len(candidates)} đối tượng tên «{name}» trong sổ ({kinds}); hãy ghi cột "
                    f"«{sheet.kind.column('subject_kind').header}».")


# --- registrations ------------------------------------------------------------------------

_AWARDS = {kind.code: kind.label for kind in catalogue.AWARD_KINDS}
REGISTRATIONS = year_sheet(
    "registrations", "Đăng ký thi đua",
    (
        Column("Danh hiệu đăng ký", "award_code", CellType.CODE, required=True, vocabulary=_AWARDS, width=32,
               hint="Tên danh hiệu (hoặc mã, ví dụ LDTT) phù hợp với loại đối tượng."),
        Column("Ngày đăng ký", "registered_on", CellType.DATE, required=True, width=12,
               hint="Ngày dd/mm/yyyy, trong năm của phong trào."),
        Column("Ghi chú", "note", width=30),
    ),
    note="Đối tượng phải có sẵn trong sổ. Mỗi dòng là một đăng ký của một đối tượng.",
    aliases={"award_code": ("Danh hiệu",)},
)
_ITEM_COLUMNS = {"award_code": "award_code", "registered_on": "registered_on"}


def reading_lines(rows_read: int, valid: str, errors: Sequence[RowError],
                  limit: int = MAX_ERRORS_SHOWN) -> list[str]:
    """What a year sheet's reading found, in Vietnamese: the count of valid rows (`valid`
    says what they are) and the first `limit` errors; with errors nothing was written."""
    text = f"Đã đọc {rows_read} dòng: {valid}"
    if errors:
        text += (f", {len(errors)} lỗi ở {len({e.row for e in errors})} dòng. Hãy sửa các lỗi "
                 "trong tệp Excel rồi nhập lại; chưa có gì được ghi.")
    else:
        text += "."
    lines = [text, *(f"  {error}" for error in errors[:limit])]
    if len(errors) > limit:
        lines.append(f"  … và {len(errors) - limit} lỗi khác.")
    return lines


@dataclass(frozen=True)
class RegistrationImport:
    """What an import found (and wrote: `written` is 0 on errors and on a dry run)."""

    movement_name: str
    rows: tuple[tuple[int, str, RegistrationItem], ...]  # (row, subject name, item)
    errors: tuple[RowError, ...]
    rows_read: int
    written: int = 0

    def lines(self, limit: int = MAX_ERRORS_SHOWN) -> list[str]:
        """The result as Vietnamese lines (the CLI prints these; the dialog shows them)."""
        lines = reading_lines(self.rows_read, f"{len(self.rows)} đăng ký hợp lệ", self.errors, limit)
        if self.written:
            lines.append(f"Đã ghi {self.written} đăng ký vào phong trào «{self.movement_name}».")
        return lines


def import_registrations(services: Services, movement_id: int, path: Path, dry_run: bool = False,
                         report: Report | None = None) -> RegistrationImport:
    """Read and check every row; unless `dry_run` or any row is wrong, register them all."""
    registrations = services.registrations
    movement = services.movements.row(movement_id)
    if not movement.open_for_registration:
        raise ValidationError(
            f"Phong trào «{movement.name}» đang ở trạng thái «{movement.state_label}»; chỉ nhập đăng ký "
            "được khi phong trào đã phát động hoặc đang triển khai.")
    reading = read_year_sheet(services.sessions, REGISTRATIONS, path, report)
    errors = list(reading.errors)
    rows: list[tuple[int, str, RegistrationItem]] = []
    first_row: dict[tuple[int, str], int] = {}
    for row in reading.rows:
        item = RegistrationItem(row.subject.id, str(row.cells["award_code"]), row.cells["registered_on"],  # type: ignore[arg-type]
                                str(row.cells.get("note") or ""))
        key = (item.subject_id, item.award_code)
        if key in first_row:
            errors.append(RowError(row.row, REGISTRATIONS.kind.column("award_code").header,
                                   f"{row.subject.describe()} đăng ký «{_AWARDS[item.award_code]}» hai lần "
                                   f"(trùng dòng {first_row[key]})."))
            continue
        first_row[key] = row.row
        rows.append((row.row, row.subject.describe(), item))
    for problem in registrations.problems(movement_id, [item for _row, _name, item in rows]):
        row, _name, _item = rows[problem.index]
        field = _ITEM_COLUMNS.get(problem.field or "")
        column = REGISTRATIONS.kind.column(field).header if field else None
        errors.append(RowError(row, column, problem.message + "."))
    errors.sort(key=lambda e: e.row)
    found = RegistrationImport(movement.name, tuple(rows), tuple(errors), reading.rows_read)
    if errors or dry_run or not rows:
        return found
    written = registrations.add_many(movement_id, [item for _row, _name, item in rows])
    return replace(found, written=written)


def write_registration_template(path: Path) -> Path:
    """A blank registration sheet with hints and drop-down lists, written atomically."""
    return write_sheet(path, REGISTRATIONS.kind, ())
