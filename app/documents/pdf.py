"""Lays `Document`s out as PDF with ReportLab, in the layout of NĐ 30/2020 Phụ lục I.

Page 1 carries the header blocks and no number; later pages are numbered from 2, centred in
the top margin. Several documents can go into one PDF (batch printing): each starts on a new
page and numbers its own pages. Text flows onto further pages; anything that cannot flow (a
header line wider than its column, one table cell taller than a page) is refused with a
`DocumentError` naming it, never cut.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, KeepTogether,
                                NextPageTemplate, PageTemplate, Paragraph, Spacer)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle
from reportlab.platypus.doctemplate import FrameBreak, LayoutError

from app.documents import layout as L
from app.documents.model import (Appendix, Block, Document, DocumentError, PageBreak, Para,
                                 Signature, Table)
from app.documents.pdf_blocks import AbstractRule, Addressee, HeaderBlock
from app.fonts import PrintFont
from app.safe_files import atomic_path
from app.vietnamese import nfc

Report = Callable[[int, int], None]

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


def render_pdf(documents: Sequence[Document], font: PrintFont, path: Path,
               report: Report | None = None, author: str = "") -> int:
    """Write the documents as one PDF through a temporary file; returns the page count."""
    with atomic_path(Path(path), "trình xem PDF") as partial:
        with open(partial, "wb") as out:
            pages = _build(documents, font, out, report, author)
    return pages


def pdf_bytes(documents: Sequence[Document], font: PrintFont, report: Report | None = None,
              author: str = "", invariant: bool = False) -> bytes:
    """The PDF in memory, for the preview; `invariant` leaves out the time and random file id,
    so the same documents give the same bytes (the package for the province is reproducible)."""
    out = io.BytesIO()
    _build(documents, font, out, report, author, invariant)
    return out.getvalue()


def _build(documents: Sequence[Document], font: PrintFont, out: io.BufferedIOBase | io.BytesIO,
           report: Report | None, author: str, invariant: bool = False) -> int:
    if not documents:
        raise DocumentError("Không có văn bản nào để in.")
    for document in documents:
        document.check_required()
        font.require(nfc(document.text()))
    styles = _Styles(font)
    pages = _Pages(font)
    story: list[Flowable] = []
    for index, document in enumerate(documents):
        if index:
            story += [NextPageTemplate("first_wide" if document.landscape else "first"),
                      RLPageBreak()]
        story += [_DocumentStart(pages, index, len(documents), report)]
        story += _document_story(document, styles, font)
    first = documents[0]
    template = _Template(out, pages, title=nfc(first.title or f"{first.type_name} {first.abstract}"),
                         author=nfc(author), landscape_first=first.landscape, invariant=invariant)
    try:
        template.build(story)
    except LayoutError as error:
        raise DocumentError(
            "Một đoạn hoặc một ô của bảng dài hơn cả một trang nên không in được. Hãy chia nhỏ "
            "đoạn văn đó rồi in lại.") from error
    if report:
        report(len(documents), len(documents))
    return pages.count


class _Pages:
    """Page templates: the first page of a document (no number), the later ones (numbered),
    landscape pages for wide lists."""

    def __init__(self, font: PrintFont) -> None:
        self.font = font
        self.document_first_page = 1
        self.count = 0

    def number(self, canvas: object, doc: BaseDocTemplate) -> None:
        page = canvas.getPageNumber() - self.document_first_page + 1  # type: ignore[attr-defined]
        width, height = canvas._pagesize  # type: ignore[attr-defined]
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(self.font.face(), L.PAGE_NUMBER_SIZE)  # type: ignore[attr-defined]
        canvas.drawCentredString(  # type: ignore[attr-defined]
            L.MARGINS.left * L.MM + (width - (L.MARGINS.left + L.MARGINS.right) * L.MM) / 2,
            height - L.MARGINS.top * L.MM / 2 - L.PAGE_NUMBER_SIZE / 3, str(page))
        canvas.restoreState()  # type: ignore[attr-defined]

    def counted(self, canvas: object, doc: BaseDocTemplate) -> None:
        self.count = canvas.getPageNumber()  # type: ignore[attr-defined]


_FRAME_BREAK = type(FrameBreak)  # ReportLab's FrameBreak is an instance of a private class


class _KeepWithStart(KeepTogether):
    """The group ReportLab makes of keep_with_next paragraphs and the block they introduce.

    ReportLab's own group moves to the next page whenever it is taller than the space left, so
    a heading in front of a table or paragraph longer than that left the page above nearly
    empty. This one flows on where it stands when the headings and the block's start (its
    header row and two rows, or two lines of a paragraph) fit; otherwise they move on together.
    A short block keeps the old behaviour: it stays whole with its headings."""

    def split(self, aW: float, aH: float) -> list[Flowable]:
        parts = super().split(aW, aH)
        if parts and isinstance(parts[0], _FRAME_BREAK) and self._start_height(aW, aH) <= aH:
            return parts[1:]
        return parts

    def _start_height(self, width: float, height: float) -> float:
        """The headings and the least of the last block worth starting a page with; more than
        any page when that block cannot be started and continued."""
        *headings, last = self._content
        total = sum(f.wrap(width, height)[1] + f.getSpaceBefore() for f in headings)
        last.wrap(width, height)
        if isinstance(last, RLTable) and len(last._rowHeights) > last.repeatRows + 2:
            return total + last.getSpaceBefore() + sum(last._rowHeights[:last.repeatRows + 2])
        if isinstance(last, Paragraph) and last.height > 4 * last.style.leading:
            # Two lines here and at least three there: allowOrphans/allowWidows never refuse it.
            return total + last.getSpaceBefore() + 2 * last.style.leading
        return float("inf")


class _Template(BaseDocTemplate):
    def __init__(self, out: object, pages: _Pages, title: str, author: str,
                 landscape_first: bool, invariant: bool = False) -> None:
        super().__init__(out, pagesize=A4, leftMargin=L.MARGINS.left * L.MM,
                         rightMargin=L.MARGINS.right * L.MM, topMargin=L.MARGINS.top * L.MM,
                         bottomMargin=L.MARGINS.bottom * L.MM, title=title, author=author,
                         creator="TĐKT Xã", lang="vi", keepTogetherClass=_KeepWithStart,
                         invariant=1 if invariant else None)
        portrait = _frame(A4)
        wide = _frame(landscape(A4))

        def first(canvas: object, doc: BaseDocTemplate) -> None:
            pages.counted(canvas, doc)

        def later(canvas: object, doc: BaseDocTemplate) -> None:
            pages.counted(canvas, doc)
            pages.number(canvas, doc)

        templates = [
            PageTemplate("first", [portrait], onPage=first, pagesize=A4, autoNextPageTemplate="later"),
            PageTemplate("later", [portrait], onPage=later, pagesize=A4),
            PageTemplate("first_wide", [wide], onPage=first, pagesize=landscape(A4),
                         autoNextPageTemplate="wide"),
            PageTemplate("wide", [wide], onPage=later, pagesize=landscape(A4)),
        ]
        if landscape_first:  # the first template added is the one page 1 uses
            templates.insert(0, templates.pop(2))
        self.addPageTemplates(templates)


def _frame(size: tuple[float, float]) -> Frame:
    width, height = size
    return Frame(L.MARGINS.left * L.MM, L.MARGINS.bottom * L.MM,
                 width - (L.MARGINS.left + L.MARGINS.right) * L.MM,
                 height - (L.MARGINS.top + L.MARGINS.bottom) * L.MM,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


# The height of a portrait page's frame. A landscape frame is lower (170 mm), but a quarter
# of this one (64 mm) still leaves room there for the closing.
_FRAME_HEIGHT = (L.PAGE_HEIGHT_MM - L.MARGINS.top - L.MARGINS.bottom) * L.MM


def _text_width(landscape_page: bool) -> float:
    width = (L.PAGE_HEIGHT_MM if landscape_page else L.PAGE_WIDTH_MM)
    return (width - L.MARGINS.left - L.MARGINS.right) * L.MM


class _DocumentStart(Flowable):
    """Marks where a document begins, so its pages are numbered from its own first page."""

    def __init__(self, pages: _Pages, index: int, total: int, report: Report | None) -> None:
        super().__init__()
        self._pages, self._index, self._total, self._report = pages, index, total, report

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self._pages.document_first_page = self.canv.getPageNumber()
        if self._report:
            self._report(self._index, self._total)


@dataclass(frozen=True)
class _Styles:
    font: PrintFont

    def para(self, size: float, align: str = "justify", bold: bool = False, italic: bool = False,
             indent: float = 0, space_before: float = L.PARAGRAPH_SPACE) -> ParagraphStyle:
        return ParagraphStyle(
            "p", fontName=self.font.face(bold, italic), fontSize=size,
            leading=size * L.LINE_SPACING, alignment=_ALIGN[align], firstLineIndent=indent,
            spaceBefore=space_before, allowWidows=0, allowOrphans=0)


def _document_story(document: Document, styles: _Styles, font: PrintFont) -> list[Flowable]:
    story: list[Flowable] = []
    story.append(HeaderBlock(document.header, font, _text_width(document.landscape)))
    if document.type_name:
        story.append(Paragraph(_markup(document.type_name),
                               styles.para(L.TYPE_NAME_SIZE, "center", bold=True, space_before=18)))
    if document.abstract:
        story.append(Paragraph(_markup(document.abstract),
                               styles.para(L.ABSTRACT_SIZE, "center", bold=True, space_before=0)))
        story.append(AbstractRule(document.abstract, font))
    if document.addressee:
        story.append(Addressee(document.addressee, font, _text_width(document.landscape)))
    body = _blocks(document.body, styles, _text_width(document.landscape))
    closing = KeepTogether(_with_last_block(body, _closing(document, styles, font),
                                            _text_width(document.landscape)))
    story += [*body, closing]
    for appendix in document.appendices:
        story += _appendix(appendix, styles)
    return story


def _with_last_block(body: list[Flowable], closing: list[Flowable], width: float) -> list[Flowable]:
    """The closing with the body's last paragraph or short table (and the headings kept with
    it) taken out of `body`, so the signer never stands alone on a page. One group: a
    KeepTogether inside another always measures as too tall and jumps to a new page. A long
    last block stays where it is: grouped, it would split and could split the closing too."""
    if not body or not isinstance(body[-1], (Paragraph, RLTable)):
        return closing
    _width, height = body[-1].wrap(width, _FRAME_HEIGHT)
    if height > _FRAME_HEIGHT / 4:
        return closing
    group = [body.pop()]
    while body and isinstance(body[-1], Paragraph) and body[-1].style.keepWithNext:
        group.insert(0, body.pop())
    return group + closing


def _blocks(blocks: Sequence[Block], styles: _Styles, width: float) -> list[Flowable]:
    story: list[Flowable] = []
    for block in blocks:
        if isinstance(block, Para):
            indent = L.FIRST_LINE_INDENT_MM * L.MM if block.indent else 0
            style = styles.para(L.BODY_SIZE, block.align, block.bold, block.italic, indent)
            style.keepWithNext = block.keep_with_next
            lead = f"<b>{_markup(block.lead)}</b> " if block.lead else ""
            story.append(Paragraph(lead + _markup(block.text), style))
        elif isinstance(block, Table):
            story.append(_table(block, styles, width))
        elif isinstance(block, PageBreak):
            story.append(RLPageBreak())
    return story


def _table(table: Table, styles: _Styles, width: float) -> RLTable:
    total = sum(column.width for column in table.columns)
    widths = [width * column.width / total for column in table.columns]
    head = [Paragraph(_markup(column.title), styles.para(table.font_size, "center", bold=True,
                                                          space_before=0))
            for column in table.columns]
    body = [[Paragraph(_markup(cell), styles.para(table.font_size, column.align, space_before=0))
             for cell, column in zip(row, table.columns)] for row in table.rows]
    result = RLTable([head, *body], colWidths=widths, repeatRows=1,
                     spaceBefore=L.PARAGRAPH_SPACE)
    result.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return result


def _appendix(appendix: Appendix, styles: _Styles) -> list[Flowable]:
    template = "wide" if appendix.landscape else "later"
    story: list[Flowable] = [NextPageTemplate(template), RLPageBreak()]
    story.append(Paragraph(_markup(appendix.title),
                           styles.para(L.TYPE_NAME_SIZE, "center", bold=True, space_before=0)))
    if appendix.subtitle:
        story.append(Paragraph(_markup(appendix.subtitle),
                               styles.para(L.BODY_SIZE, "center", italic=True, space_before=0)))
    story += _blocks(appendix.blocks, styles, _text_width(appendix.landscape))
    return story


def _closing(document: Document, styles: _Styles, font: PrintFont) -> list[Flowable]:
    """Recipients bottom left and the signer right; with two signers, one on each side, their
    names level with each other whatever the lines above them."""
    signatures = document.signatures
    if len(signatures) > 2:
        raise DocumentError("Một văn bản chỉ có tối đa hai chữ ký.")
    width = _text_width(document.landscape)
    if len(signatures) == 2:
        rows = [[_signer_heading(signature, styles) for signature in signatures],
                [Spacer(1, L.SIGNING_SPACE_MM * L.MM), ""],
                [_signer_name(signature, styles) for signature in signatures]]
        widths = [width * 0.5, width * 0.5]
    else:
        right = signatures[0] if signatures else None
        rows = [[_recipients(document.recipients, styles),
                 [*_signer_heading(right, styles), Spacer(1, L.SIGNING_SPACE_MM * L.MM),
                  _signer_name(right, styles)] if right else ""]]
        widths = [width * 0.45, width * 0.55]
    table = RLTable(rows, colWidths=widths)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    closing: list[Flowable] = [Spacer(1, 12), table]
    if len(signatures) == 2 and document.recipients:
        closing += [Spacer(1, 12), *_recipients(document.recipients, styles)]
    return closing


def _signer_heading(signature: Signature, styles: _Styles) -> list[Flowable]:
    """Authority (TM., KT.), title and caption of a signer block."""
    style = styles.para(L.SIGNER_SIZE, "center", bold=True, space_before=0)
    lines: list[Flowable] = []
    if signature.authority:
        lines.append(Paragraph(_markup(signature.authority), style))
    lines.append(Paragraph(_markup(signature.title), style))
    if signature.caption:
        lines.append(Paragraph(_markup(signature.caption),
                               styles.para(L.BODY_SIZE, "center", italic=True, space_before=0)))
    return lines


def _signer_name(signature: Signature, styles: _Styles) -> Paragraph:
    return Paragraph(_markup(signature.name),
                     styles.para(L.SIGNER_SIZE, "center", bold=True, space_before=0))


def _recipients(recipients: Sequence[str], styles: _Styles) -> list[Flowable]:
    if not recipients:
        return []
    label = styles.para(L.RECIPIENTS_LABEL_SIZE, "left", bold=True, italic=True, space_before=0)
    line = styles.para(L.RECIPIENTS_SIZE, "left", space_before=0)
    return [Paragraph("Nơi nhận:", label)] + [Paragraph(_markup(text), line) for text in recipients]


def _markup(text: str) -> str:
    """Plain text as ReportLab paragraph markup: NFC, escaped, line breaks kept."""
    return escape(nfc(text)).replace("\n", "<br/>")
