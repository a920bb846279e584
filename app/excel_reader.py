"""Opening an officer's .xlsx file safely: format checks, the header row, merged cells.

The workbook is read with openpyxl in read-only mode; anything that is not a readable
.xlsx becomes a FileFormatError with a Vietnamese message saying what to do.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from app.errors import FileFormatError
from app.excel_columns import Column, SheetKind, header_key
from app.vietnamese import fold

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls files, and .xlsx files protected by a password
TEMPLATE_ADVICE = "Hãy dùng tệp mẫu của chương trình (nút «Lưu tệp mẫu» hoặc lệnh “tdkt template”)."
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\"")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class MergedRange:
    ref: str
    first_row: int
    last_row: int
    first_column: int
    last_column: int


class SheetReader:
    """The data sheet of one kind in one file; use as a context manager.

    `columns[i]` is the template column of the i-th cell of a row (None when that
    header cell is empty); `rows()` yields (row number, values) for non-empty rows.
    """

    def __init__(self, path: Path, kind: SheetKind) -> None:
        self.path = Path(path)
        self.kind = kind
        _check_format(self.path)
        self._file: BinaryIO = self.path.open("rb")
        try:
            # data_only: a formula cell gives the value Excel last computed, not its text.
            self._workbook = load_workbook(self._file, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for a damaged package
            self._file.close()
            raise FileFormatError(
                f"Không đọc được tệp {self.path.name}: tệp không phải bảng tính Excel .xlsx hợp lệ "
                f"hoặc đã bị hỏng ({type(error).__name__})."
            ) from error
        try:
            self._sheet = self._data_sheet()
            self.sheet_title: str = self._sheet.title
            self.columns = self._read_header()
            self.merged = self._merged_ranges()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> SheetReader:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._workbook.close()
        self._file.close()

    @property
    def total_rows(self) -> int:
        """Data rows according to the sheet's stored size; 0 when the file does not say."""
        max_row = self._sheet.max_row
        return max(max_row - 1, 0) if max_row else 0

    def rows(self) -> Iterator[tuple[int, tuple[object, ...]]]:
        width = len(self.columns)
        for number, values in enumerate(
            self._sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2
        ):
            # A cell holding only spaces looks empty to the officer, so the row is blank.
            if any(v is not None and not (isinstance(v, str) and not v.strip()) for v in values):
                yield number, values

    def _data_sheet(self):  # noqa: ANN202 - openpyxl's read-only sheet type is private
        sheets = self._workbook.worksheets
        if not sheets:
            raise FileFormatError(f"Tệp {self.path.name} không có trang tính nào.")
        wanted = fold(self.kind.label)
        named = next((s for s in sheets if fold(s.title) == wanted), None)
        # Officers rename sheets and put a cover sheet first: then look for the header row.
        return named or next((s for s in sheets if self._has_required_headers(s)), sheets[0])

    def _has_required_headers(self, sheet) -> bool:  # noqa: ANN001 - read-only sheet type is private
        first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        keys = {header_key(cell) for cell in first if cell is not None}
        return all(c.key in keys for c in self.kind.columns if c.required)

    def _read_header(self) -> tuple[Column | None, ...]:
        first = next(self._sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        cells = list(first)
        while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
            cells.pop()
        if not cells:
            raise FileFormatError(
                f"Trang «{self._sheet.title}» của tệp {self.path.name} trống: dòng 1 phải là "
                f"dòng tiêu đề cột. {TEMPLATE_ADVICE}"
            )
        by_key = {c.key: c for c in self.kind.columns}
        columns: list[Column | None] = []
        unknown: list[str] = []
        repeated: list[str] = []
        for cell in cells:
            if cell is None or str(cell).strip() == "":
                columns.append(None)
                continue
            column = by_key.get(header_key(cell))
            if column is None:
                unknown.append(str(cell).strip())
            elif column in columns:
                repeated.append(column.header)
            columns.append(column)
        missing = [c.header for c in self.kind.columns if c.required and c not in columns]
        problems = []
        if missing:
            problems.append("thiếu cột " + _quoted(missing))
        if unknown:
            problems.append("cột " + _quoted(unknown) + " không có trong mẫu "
                            f"«{self.kind.label}»")
        if repeated:
            problems.append("cột " + _quoted(repeated) + " ghi hai lần")
        if problems:
            raise FileFormatError(
                f"Dòng tiêu đề (dòng 1) của trang «{self._sheet.title}» trong tệp "
                f"{self.path.name} không đúng mẫu: {'; '.join(problems)}. {TEMPLATE_ADVICE}"
            )
        return tuple(columns)

    def _merged_ranges(self) -> tuple[MergedRange, ...]:
        """Merged cells, found by scanning the sheet's XML (read-only mode does not parse them)."""
        part = getattr(self._sheet, "_worksheet_path", None)
        if part is None:
            return ()
        found: list[MergedRange] = []
        with zipfile.ZipFile(self.path) as archive, archive.open(part) as source:
            tail = b""
            while chunk := source.read(_CHUNK):
                text = tail + chunk
                for match in _MERGE.finditer(text):
                    ref = match.group(1).decode()
                    first_col, first_row, last_col, last_row = range_boundaries(ref)
                    found.append(MergedRange(ref, first_row, last_row, first_col, last_col))
                # Keep the unfinished end, which may hold the start of a tag.
                cut = text.rfind(b"<")
                tail = text[cut:] if cut >= 0 else b""
                if len(tail) > 200:
                    tail = b""
        unique = {m.ref: m for m in found}
        merged = tuple(sorted(unique.values(), key=lambda m: (m.first_row, m.first_column)))
        in_header = [m.ref for m in merged if m.first_row == 1]
        if in_header:
            raise FileFormatError(
                f"Dòng tiêu đề của trang «{self._sheet.title}» có ô gộp ({', '.join(in_header)}). "
                f"Mỗi cột phải có tiêu đề riêng trong một ô. {TEMPLATE_ADVICE}"
            )
        return merged

    def header_of(self, index: int) -> str:
        column = self.columns[index] if index < len(self.columns) else None
        return column.header if column else get_column_letter(index + 1)


def _quoted(items: list[str]) -> str:
    return ", ".join(f"«{item}»" for item in items)


def _check_format(path: Path) -> None:
    """Refuse early, with a useful message, what openpyxl would fail on obscurely."""
    if not path.is_file():
        raise FileFormatError(f"Không tìm thấy tệp {path}.")
    try:
        with path.open("rb") as file:
            start = file.read(512)
    except OSError as error:
        raise FileFormatError(
            f"Không mở được tệp {path.name}: tệp có thể đang bị chương trình khác khóa hoặc "
            "không có quyền đọc."
        ) from error
    if start.startswith(OLE_MAGIC):
        raise FileFormatError(
            f"Tệp {path.name} là bảng tính Excel 97-2003 (.xls) hoặc đã được đặt mật khẩu; "
            "chương trình chỉ đọc được tệp .xlsx không đặt mật khẩu. Hãy mở tệp bằng Excel, "
            "chọn Lưu thành (Save As) → “Excel Workbook (*.xlsx)” rồi nhập lại."
        )
    if not zipfile.is_zipfile(path):
        kind = "tệp CSV hoặc văn bản" if _looks_like_text(start) else "tệp loại khác"
        raise FileFormatError(
            f"Tệp {path.name} không phải bảng tính Excel .xlsx (có vẻ là {kind} được đổi tên). "
            "Hãy mở tệp bằng Excel và lưu lại dạng “Excel Workbook (*.xlsx)”."
        )


def _looks_like_text(start: bytes) -> bool:
    try:
        # Not final: the sample may end inside a multi-byte character.
        codecs.getincrementaldecoder("utf-8")().decode(start, final=False)
    except UnicodeDecodeError:
        return False
    return b"\x00" not in start
