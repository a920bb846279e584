"""A printed document as plain data, in the parts Nghị định 30/2020 (NĐ30) Phụ lục I names.

Builders (one module per kind) turn database rows into a `Document`; `pdf.render_pdf` and
`docx_copy.render_docx` lay the same `Document` out, so the PDF and the Word copy cannot
drift apart. All text is NFC (`Document.text()` is what the glyph check reads).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Union

from app.errors import DomainError

Align = Literal["left", "center", "right", "justify"]


class DocumentError(DomainError):
    """A document cannot be produced as asked (a required field is missing, text does not fit)."""


@dataclass(frozen=True)
class Header:
    """The blocks above the type name (NĐ30 Phụ lục I, ô 1–4).

    `issuing_body` lines are bold, with a short rule under the last one; `parent_body` (cơ quan
    chủ quản) is upright above them. `number` is "Số: 05/TTr-UBND" (empty for documents that
    carry none); `place_date` the italic line under the national motto.
    """

    issuing_body: tuple[str, ...]
    number: str
    place_date: str
    parent_body: str = ""


@dataclass(frozen=True)
class Para:
    """A paragraph of body text. `indent` is the first-line indent (on for ordinary prose);
    `keep_with_next` keeps a heading on the page of what follows it; `lead` is a bold start
    such as "Điều 1." before the text."""

    text: str
    align: Align = "justify"
    bold: bool = False
    italic: bool = False
    indent: bool = True
    keep_with_next: bool = False
    lead: str = ""


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # relative weight; the renderer scales to the frame
    align: Align = "left"


@dataclass(frozen=True)
class Table:
    """A table with a header row repeated on every page it flows onto."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    font_size: float = 12


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Union[Para, Table, PageBreak]


@dataclass(frozen=True)
class Signature:
    """One signer block: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH" / (space to sign) / name.

    `caption` is an optional italic line such as "(Ký, ghi rõ họ và tên)".
    """

    title: str
    name: str
    authority: str = ""
    caption: str = ""


@dataclass(frozen=True)
class Appendix:
    """An attached list (danh sách kèm theo) starting on a new page, landscape when wide."""

    title: str
    subtitle: str
    blocks: tuple[Block, ...]
    landscape: bool = False


@dataclass(frozen=True)
class Document:
    kind: str
    header: Header
    type_name: str  # TỜ TRÌNH, QUYẾT ĐỊNH, BIÊN BẢN... (empty for a công văn)
    abstract: str  # trích yếu, under the type name
    body: tuple[Block, ...]
    signatures: tuple[Signature, ...]  # one (right) or two (left, right)
    recipients: tuple[str, ...] = ()  # "Nơi nhận" lines, bottom left of the last page
    addressee: tuple[str, ...] = ()  # "Kính gửi: ..." lines
    appendices: tuple[Appendix, ...] = ()
    landscape: bool = False
    title: str = ""  # the PDF's title; defaults to type name and abstract
    required: tuple[tuple[str, str], ...] = field(default=())  # (label, value) that must be filled

    def text(self) -> str:
        """Every character that will be printed, for the glyph check."""
        return "\n".join(self._texts())

    def _texts(self) -> Iterator[str]:
        header = self.header
        yield from (header.parent_body, *header.issuing_body, header.number, header.place_date)
        yield from (self.type_name, self.abstract, *self.addressee)
        yield from _block_texts(self.body)
        for signature in self.signatures:
            yield from (signature.authority, signature.title, signature.name, signature.caption)
        yield from self.recipients
        for appendix in self.appendices:
            yield from (appendix.title, appendix.subtitle)
            yield from _block_texts(appendix.blocks)

    def check_required(self) -> None:
        """Name the first missing required field before anything is drawn."""
        for label, value in self.required:
            if not value.strip():
                raise DocumentError(f"Chưa có {label}. Hãy nhập trước khi in.")
        for signature in self.signatures:
            if not signature.name.strip():
                raise DocumentError(
                    f"Chưa có họ và tên người ký ({signature.title.lower()}). Hãy nhập trước khi in.")


def _block_texts(blocks: tuple[Block, ...]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Para):
            yield f"{block.lead} {block.text}" if block.lead else block.text
        elif isinstance(block, Table):
            yield from (column.title for column in block.columns)
            for row in block.rows:
                yield from row
