"""Importing a sheet of the register: preview first, then an all-or-nothing commit.

`preview_import` reads and checks every row and writes nothing. `commit_import` refuses a
preview with errors, then writes every row in one transaction; an error on any row, or a
cancelled `report`, rolls everything back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session

from app.errors import FileFormatError, ValidationError
from app.excel_cells import CellError, CellReader
from app.excel_columns import Column, SheetKind, sheet_kind
from app.excel_history import HistoryRows, HistoryWriter
from app.excel_preview import (
    Duplicate,
    ImportPreview,
    ImportResult,
    ParsedRow,
    Resolution,
    RowError,
    RowProblems,
    at_row,
    resolutions_or_skip,
)
from app.excel_reader import MergedRange, SheetReader
from app.excel_register import RegisterIndex, name_key, record_keys
from app.excel_subject_rows import DATA_TYPES, NAME_FIELDS, SubjectRows, SubjectWriter
from app.services import Services

log = logging.getLogger(__name__)

Report = Callable[[int, int], None]
REPORT_EVERY = 200
REQUIRED = "ô bắt buộc, không được để trống."
Key = tuple[object, ...]


class Writer(Protocol):
    """SubjectWriter or HistoryWriter; `create` takes (row, values) pairs in file order and
    names the row of any rule broken."""

    def create(self, rows: Sequence[tuple[int, Mapping[str, object]]]) -> None: ...
    def update(self, target: tuple[str, int], overlay: Mapping[str, object]) -> None: ...


class Rows(Protocol):
    """The per-sheet rules: SubjectRows or HistoryRows."""

    def parse(self, row: int, cells: Mapping[str, object]) -> ParsedRow: ...
    def keys(self, parsed: ParsedRow) -> list[tuple[Key, str]]: ...
    def existing(self, parsed: ParsedRow, keys: list[tuple[Key, str]]) -> tuple[str, int, str, str] | None: ...
    def remember(self, parsed: ParsedRow) -> None: ...


def preview_import(services: Services, kind_code: str, path: Path,
                   report: Report | None = None) -> ImportPreview:
    """Read and check every row of the file; nothing is written."""
    kind = sheet_kind(kind_code)
    rules = _rules(services, kind)
    cells_reader = CellReader()
    parsed_rows: list[ParsedRow] = []
    errors: list[RowError] = []
    duplicates: list[Duplicate] = []
    seen: dict[Key, _Target] = {}
    with SheetReader(path, kind) as sheet:
        errors += (_merged_error(m, sheet.columns) for m in sheet.merged)
        columns = [(i, c) for i, c in enumerate(sheet.columns) if c is not None]
        total = sheet.total_rows
        rows_read = 0
        for number, raw in sheet.rows():
            rows_read += 1
            if report is not None and rows_read % REPORT_EVERY == 0:
                report(rows_read, max(total, rows_read))
            cells, problems = _read_cells(number, raw, columns, cells_reader)
            if not problems:
                try:
                    parsed = rules.parse(number, cells)
                except RowProblems as found:
                    problems = found.errors
            if problems:
                errors += problems
                continue
            duplicate = _duplicate(rules, parsed, seen)
            if duplicate is None:
                rules.remember(parsed)
            else:
                duplicates.append(duplicate)
            parsed_rows.append(parsed)
    if rows_read == 0:
        raise FileFormatError(
            f"Trang «{sheet.sheet_title}» của tệp {Path(path).name} không có dòng dữ liệu nào "
            "(chỉ có dòng tiêu đề)."
        )
    if report is not None:
        report(rows_read, rows_read)
    errors.sort(key=lambda e: e.row)
    return ImportPreview(kind.code, Path(path), tuple(parsed_rows), tuple(errors),
                         tuple(duplicates), rows_read)


def _read_cells(number: int, raw: tuple[object, ...], columns: list[tuple[int, Column]],
                reader: CellReader) -> tuple[dict[str, object], list[RowError]]:
    """The filled cells of a row as typed values by field, and what could not be read."""
    cells: dict[str, object] = {}
    problems: list[RowError] = []
    for index, column in columns:
        value = raw[index]
        if value is not None:
            try:
                value = reader.read(column, value)
            except CellError as error:
                problems.append(RowError(number, column.header, str(error)))
                continue
        if value is not None:
            cells[column.field] = value
        elif column.required:
            problems.append(RowError(number, column.header, REQUIRED))
    return cells, problems


def commit_import(services: Services, preview: ImportPreview,
                  resolutions: Mapping[int, Resolution] | None = None,
                  report: Report | None = None) -> ImportResult:
    """Write the previewed rows in one transaction; duplicates are skipped unless merged."""
    if preview.errors:
        raise ValidationError(
            f"Tệp còn {len(preview.errors)} lỗi nên chưa nhập được; hãy sửa trong tệp Excel rồi "
            "kiểm tra lại. Chưa có dữ liệu nào được ghi."
        )
    if not preview.rows:
        raise ValidationError("Không có dòng nào để nhập.")
    plan = _Plan.of(preview, resolutions_or_skip(preview, resolutions))
    total = len(plan.creates) + len(plan.updates)
    kind = sheet_kind(preview.kind)
    creates = list(plan.creates.items())
    with services.sessions.begin() as session:
        writer = _writer(services, kind, session, plan)
        done = 0
        for start in range(0, len(creates), REPORT_EVERY):
            chunk = creates[start:start + REPORT_EVERY]
            writer.create(chunk)
            done += len(chunk)
            if report is not None:
                report(done, total)
        for target, (row, overlay) in plan.updates.items():
            with at_row(row):
                writer.update(target, overlay)
            done += 1
            if report is not None and done % REPORT_EVERY == 0:
                report(done, total)
        if report is not None:
            report(total, total)  # the last chance to cancel before the commit
    result = ImportResult(len(plan.creates), len(plan.updates), plan.skipped)
    log.info("imported %s from %s: %s", preview.kind, preview.path, result)
    return result


def import_file(services: Services, kind_code: str, path: Path, merge_duplicates: bool = False,
                report: Report | None = None) -> tuple[ImportPreview, ImportResult]:
    """Preview then commit in one call (the CLI without --dry-run)."""
    preview = preview_import(services, kind_code, path, report)
    return preview, commit_import(services, preview, preview.resolutions(merge_duplicates), report)


@dataclass
class _Plan:
    """New rows in file order, and overlays for existing subjects or records."""

    creates: dict[int, dict[str, object]]
    updates: dict[tuple[str, int], tuple[int, dict[str, object]]]
    skipped: int

    @classmethod
    def of(cls, preview: ImportPreview, resolutions: Mapping[int, Resolution]) -> _Plan:
        duplicates = {d.row: d for d in preview.duplicates}
        plan = cls({}, {}, 0)
        for parsed in preview.rows:
            duplicate = duplicates.get(parsed.row)
            if duplicate is None:
                plan.creates[parsed.row] = dict(parsed.values)
            elif resolutions[parsed.row] is not Resolution.MERGE:
                plan.skipped += 1
            elif duplicate.target is not None:
                _first_row, overlay = plan.updates.setdefault(duplicate.target, (parsed.row, {}))
                _overlay(overlay, parsed.values)
            else:
                assert duplicate.earlier_row is not None
                _overlay(plan.creates[duplicate.earlier_row], parsed.values)
        return plan


def _overlay(values: dict[str, object], more: Mapping[str, object]) -> None:
    """Write a merged row's cells over another's; a name equal but for case or accents stays."""
    for key, value in more.items():
        if key in NAME_FIELDS and key in values and name_key(str(values[key])) == name_key(str(value)):
            continue
        values[key] = value


def _rules(services: Services, kind: SheetKind) -> Rows:
    register = RegisterIndex.load(services.sessions)
    if kind.subject_kind is None:
        return HistoryRows(register, record_keys(services.sessions))
    return SubjectRows(kind, register)


def _writer(services: Services, kind: SheetKind, session: Session, plan: _Plan) -> Writer:
    if kind.subject_kind is None:
        rows = [*plan.creates.values(), *(overlay for _row, overlay in plan.updates.values())]
        return HistoryWriter(services.history, session, rows)
    return SubjectWriter(services.subjects, session, DATA_TYPES[kind.subject_kind])


@dataclass(frozen=True)
class _Target:
    """What later rows with the same key repeat: a register entry or the row that came first."""

    match: str
    existing_kind: str = ""
    existing_id: int | None = None
    earlier_row: int | None = None


def _duplicate(rules: Rows, parsed: ParsedRow, seen: dict[Key, _Target]) -> Duplicate | None:
    """The register entry or earlier row this row repeats; records its keys for later rows."""
    keys = rules.keys(parsed)
    target: _Target | None = None
    reason = ""
    existing = rules.existing(parsed, keys)
    if existing is not None:
        kind, target_id, match, reason = existing
        target = _Target(match, kind, target_id)
    else:
        target, reason = next(((seen[k], r) for k, r in keys if k in seen), (None, ""))
    first = _Target(f"dòng {parsed.row} ({parsed.name})", earlier_row=parsed.row)
    for key, _reason in keys:
        seen.setdefault(key, target or first)
    if target is None:
        return None
    return Duplicate(parsed.row, parsed.name, reason, target.match, target.existing_kind,
                     target.existing_id, target.earlier_row)


def _merged_error(merged: MergedRange, columns: tuple[Column | None, ...]) -> RowError:
    index = merged.first_column - 1
    column = columns[index] if index < len(columns) else None
    rows = (f"dòng {merged.first_row}" if merged.first_row == merged.last_row
            else f"dòng {merged.first_row}–{merged.last_row}")
    return RowError(
        merged.first_row,
        column.header if column is not None else None,
        f"các ô {merged.ref} ({rows}) được gộp. Hãy bỏ gộp ô (Unmerge) và ghi giá trị vào từng dòng.",
    )

