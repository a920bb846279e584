"""Lays `Document`s out as a Word file: the same content and NĐ30 layout as `pdf.py`, editable.

Units and the province edit achievement reports and proposal letters in Word, so the copy uses
Word's own structures rather than drawn shapes that move when text is edited: the header blocks
and the closing are borderless two-column tables; the short rules under the issuing body, the
motto and the abstract are bottom borders of empty paragraphs indented to the rule's length;
page numbers are PAGE fields in the header of every page but the first (a section with a
different first page). Each document is a section restarting its numbering; each appendix is a
section of its own, landscape when wide, starting on a new page.

Word lays the text out itself, so nothing can be cut: long text wraps and flows. Rule lengths
and the "Kính gửi" indent are measured with the Times metrics ReportLab carries
(`docx_format.text_width_mm`). The raw Word XML this needs (defaults, borders, the PAGE field,
table padding and row flags) is in `docx_format.py`; this module decides what goes where.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import deepcopy
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENTATION, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from app.documents import layout as L
from app.documents.docx_format import (AFTER_PBDR, AFTER_PGNUMTYPE, FONT, GRID_SIZE, RULE_SIZE,
                                       border, drop_first_paragraph, fixed_table,
                                       format_paragraph, page_number, row_flags,
                                       set_defaults, text_width_mm)
from app.documents.model import (Appendix, Block, Document, DocumentError, Header, PageBreak,
                                 Para, Signature, Table)
from app.safe_files import atomic_path
from app.vietnamese import nfc

__all__ = ["render_docx", "text_width_mm"]

HEADER_DISTANCE_MM = 7.5  # puts the page number's baseline near the middle of the top margin
LABEL = "Kính gửi:"


def render_docx(documents: Sequence[Document], font_name: str, path: Path) -> None:
    """Write the documents as one .docx through a temporary file.

    `font_name` is the PDF's print font; the Word copy names Times New Roman whatever it is,
    because the copy is opened on Windows office PCs, which have it.
    """
    if not documents:
        raise DocumentError("Không có văn bản nào để xuất ra tệp Word.")
    for document in documents:
        document.check_required()
        if len(document.signatures) > 2:
            raise DocumentError("Một văn bản chỉ có tối đa hai chữ ký.")
    writer = _Writer()
    for index, document in enumerate(documents):
        writer.document(document, first=index == 0)
    _describe(writer.word, documents[0])
    with atomic_path(Path(path), "Word") as partial:
        writer.word.save(str(partial))


def _describe(word: WordDocument, first: Document) -> None:
    """The file's properties: title, language, this app as author (not python-docx)."""
    properties = word.core_properties
    properties.title = nfc(first.title or f"{first.type_name} {first.abstract}".strip())
    properties.author = properties.last_modified_by = "TĐKT Xã"
    properties.comments = ""
    properties.language = "vi-VN"
    properties.created = properties.modified = datetime.now(UTC).replace(tzinfo=None)
    properties.revision = 1
    package_rels = word.part.package.rels
    for rel_id in [key for key, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[rel_id]  # python-docx's template picture, not this document


def _frame_width(landscape: bool) -> float:
    width = L.PAGE_HEIGHT_MM if landscape else L.PAGE_WIDTH_MM
    return width - L.MARGINS.left - L.MARGINS.right


class _Writer:
    """One Word document being filled, section by section."""

    def __init__(self) -> None:
        self.word: WordDocument = docx.Document()
        self._page_break = False  # a PageBreak block waits for the next body paragraph
        self._paragraph_formats: dict[tuple[object, ...], OxmlElement] = {}
        self._run_formats: dict[tuple[object, ...], OxmlElement] = {}
        set_defaults(self.word)

    def document(self, document: Document, first: bool) -> None:
        self._section(document.landscape, starts_document=True, first=first)
        width = _frame_width(document.landscape)
        self._header(document.header, width)
        if document.type_name:
            self.paragraph(self.word, document.type_name, L.TYPE_NAME_SIZE, "center", bold=True,
                           before=18)
        if document.abstract:
            self.paragraph(self.word, document.abstract, L.ABSTRACT_SIZE, "center", bold=True)
            length = max(L.ABSTRACT_RULE_MIN_MM,
                         min(text_width_mm(document.abstract, L.ABSTRACT_SIZE, True), 120)
                         * L.ABSTRACT_RULE_SHARE)
            self.rule(self.word, length, width, 6)
        if document.addressee:
            self._addressee(document.addressee, width)
        body = list(document.body)
        if body and isinstance(body[-1], Para):  # the signer never stands alone on a page
            body[-1] = replace(body[-1], keep_with_next=True)
        self.blocks(body, width)
        self._closing(document, width)
        for appendix in document.appendices:
            self._appendix(appendix)

    # Sections and page numbers

    def _section(self, landscape: bool, starts_document: bool, first: bool = False) -> Section:
        if first:
            section = self.word.sections[0]
        else:
            section = self.word.add_section(WD_SECTION.NEW_PAGE)
            # The paragraph carrying the previous section's break: as thin as Word allows, so a
            # full last page does not spill an empty line onto a page of its own.
            format_paragraph(self.word.paragraphs[-1], 1, exact=1)
        width, height = (L.PAGE_HEIGHT_MM, L.PAGE_WIDTH_MM) if landscape else \
            (L.PAGE_WIDTH_MM, L.PAGE_HEIGHT_MM)
        section.orientation = WD_ORIENTATION.LANDSCAPE if landscape else WD_ORIENTATION.PORTRAIT
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.top_margin, section.bottom_margin = Mm(L.MARGINS.top), Mm(L.MARGINS.bottom)
        section.left_margin, section.right_margin = Mm(L.MARGINS.left), Mm(L.MARGINS.right)
        section.header_distance = Mm(HEADER_DISTANCE_MM)
        section.gutter = Mm(0)
        sect_pr = section._sectPr
        for old in sect_pr.findall(qn("w:pgNumType")):
            sect_pr.remove(old)
        if starts_document:  # page 1 unnumbered, the next pages numbered from 2
            numbering = OxmlElement("w:pgNumType")
            numbering.set(qn("w:start"), "1")
            sect_pr.insert_element_before(numbering, *AFTER_PGNUMTYPE)
        section.different_first_page_header_footer = starts_document
        section.header.is_linked_to_previous = False
        page_number(section.header.paragraphs[0])
        if starts_document:
            section.first_page_header.is_linked_to_previous = False
            format_paragraph(section.first_page_header.paragraphs[0], L.PAGE_NUMBER_SIZE, "center")
        return section

    def _appendix(self, appendix: Appendix) -> None:
        self._page_break = False  # the section starts on a new page anyway
        self._section(appendix.landscape, starts_document=False)
        self.paragraph(self.word, appendix.title, L.TYPE_NAME_SIZE, "center", bold=True, before=0)
        if appendix.subtitle:
            self.paragraph(self.word, appendix.subtitle, L.BODY_SIZE, "center", italic=True,
                           before=0)
        self.blocks(appendix.blocks, _frame_width(appendix.landscape))

    # Paragraphs and rules

    def paragraph(self, container: WordDocument | _Cell, text: str, size: float,
                  align: str = "left", bold: bool = False, italic: bool = False,
                  before: float = 0, after: float = 0, first_indent_mm: float = 0,
                  keep: bool = False) -> Paragraph:
        """A paragraph of one run; `keep` keeps it on the page of the next one."""
        paragraph = container.add_paragraph()
        key = (size, align, before, after, first_indent_mm, keep)
        if key not in self._paragraph_formats:  # formatted once: long tables stay quick
            model = Paragraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
            format_paragraph(model, size, align, before=before, after=after)
            if first_indent_mm:
                model.paragraph_format.first_line_indent = Mm(first_indent_mm)
            model.paragraph_format.keep_with_next = keep or None
            self._paragraph_formats[key] = model._p.pPr
        paragraph._p.insert(0, deepcopy(self._paragraph_formats[key]))
        self._take_page_break(container, paragraph)
        if text:
            self.run(paragraph, text, size, bold, italic)
        return paragraph

    def run(self, paragraph: Paragraph, text: str, size: float, bold: bool = False,
            italic: bool = False) -> None:
        """One run in Times New Roman for every script Word tells apart; '\\n' → line break."""
        key = (size, bold, italic)
        if key not in self._run_formats:
            model = Paragraph(OxmlElement("w:p"), None).add_run()  # type: ignore[arg-type]
            model.font.name = FONT
            fonts = model._element.get_or_add_rPr().get_or_add_rFonts()
            fonts.set(qn("w:eastAsia"), FONT)
            fonts.set(qn("w:cs"), FONT)
            model.font.size = Pt(size)
            model.font.bold = bold or None
            model.font.italic = italic or None
            self._run_formats[key] = model._r.rPr
        run = paragraph.add_run()
        run._r.insert(0, deepcopy(self._run_formats[key]))
        run.text = nfc(text)
        for piece in run._r.iter(qn("w:t")):  # blanks to fill by hand ("Số:      /TTr") stay
            piece.set(qn("xml:space"), "preserve")

    def rule(self, container: WordDocument | _Cell, length_mm: float, width_mm: float,
             height: float) -> Paragraph:
        """A centred horizontal rule `length_mm` long, `height` points below the text above."""
        paragraph = container.add_paragraph()
        format_paragraph(paragraph, 1, exact=height)
        side = Mm(max(0.0, (width_mm - length_mm) / 2))
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
        borders = OxmlElement("w:pBdr")
        borders.append(border("w:bottom", RULE_SIZE))
        paragraph._p.get_or_add_pPr().insert_element_before(borders, *AFTER_PBDR)
        return paragraph

    def spacer(self, height: float, keep: bool = False) -> Paragraph:
        """Space as an empty paragraph; it also keeps two tables from merging into one."""
        paragraph = self.word.add_paragraph()
        format_paragraph(paragraph, 1, exact=height)
        paragraph.paragraph_format.keep_with_next = keep or None
        self._take_page_break(self.word, paragraph)
        return paragraph

    def _take_page_break(self, container: WordDocument | _Cell, paragraph: Paragraph) -> None:
        if self._page_break and container is self.word:
            paragraph.paragraph_format.page_break_before = True
            self._page_break = False

    # The parts of a document

    def _header(self, header: Header, width: float) -> None:
        """Parent and issuing body with their rule left, national name and motto with its rule
        right; then, on a row of their own so they stand level (NĐ30 ô 3 and ô 4), the number
        left and the place and date right."""
        right = L.RIGHT_COLUMN_MM
        left = width - right
        table = self._layout_table((left, right), rows=2)
        left_cell, right_cell = table.rows[0].cells
        if header.parent_body:
            self.paragraph(left_cell, header.parent_body, L.PARENT_BODY_SIZE, "center")
        for line in header.issuing_body:
            self.paragraph(left_cell, line, L.ISSUING_BODY_SIZE, "center", bold=True)
        widest = max((text_width_mm(line, L.ISSUING_BODY_SIZE, True) for line in header.issuing_body),
                     default=0.0)
        self.rule(left_cell, widest * L.ISSUING_RULE_SHARE, left, 4)
        self.paragraph(right_cell, L.NATIONAL_NAME, L.NATIONAL_NAME_SIZE, "center", bold=True)
        self.paragraph(right_cell, L.MOTTO, L.MOTTO_SIZE, "center", bold=True)
        self.rule(right_cell, text_width_mm(L.MOTTO, L.MOTTO_SIZE, True), right, 2)
        number_cell, date_cell = table.rows[1].cells
        for cell in (number_cell, date_cell):  # one line each: level at the bottom
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        if header.number:
            self.paragraph(number_cell, header.number, L.NUMBER_SIZE, "center", before=4)
        if header.place_date:
            self.paragraph(date_cell, header.place_date, L.PLACE_DATE_SIZE, "center",
                           italic=True, before=4)
        drop_first_paragraph(left_cell, right_cell, number_cell, date_cell)

    def _addressee(self, lines: Sequence[str], width: float) -> None:
        """'Kính gửi: …' centred as a block; further lines start under the first name (the
        hanging indent is also the tab stop after the label)."""
        label = text_width_mm(LABEL + " ", L.BODY_SIZE)
        widest = text_width_mm("\n".join(lines), L.BODY_SIZE)
        start = max(0.0, (width - label - widest) / 2)
        paragraph = self.paragraph(self.word, "", L.BODY_SIZE, "left", before=L.PARAGRAPH_SPACE,
                                   after=L.PARAGRAPH_SPACE)
        layout = paragraph.paragraph_format
        layout.left_indent, layout.first_line_indent = Mm(start + label), Mm(-label)
        layout.tab_stops.add_tab_stop(Mm(start + label))
        self.run(paragraph, LABEL + "\t" + "\n".join(lines), L.BODY_SIZE)

    def blocks(self, blocks: Iterable[Block], width: float) -> None:
        for block in blocks:
            if isinstance(block, Para):
                paragraph = self.paragraph(
                    self.word, "" if block.lead else block.text, L.BODY_SIZE, block.align,
                    block.bold, block.italic, before=L.PARAGRAPH_SPACE,
                    first_indent_mm=L.FIRST_LINE_INDENT_MM if block.indent else 0,
                    keep=block.keep_with_next)
                if block.lead:
                    self.run(paragraph, block.lead + " ", L.BODY_SIZE, True, block.italic)
                    self.run(paragraph, block.text, L.BODY_SIZE, block.bold, block.italic)
            elif isinstance(block, Table):
                self.spacer(L.PARAGRAPH_SPACE)
                self._table(block, width)
            elif isinstance(block, PageBreak):
                self._page_break = True

    def _table(self, table: Table, width: float) -> None:
        total = sum(column.width for column in table.columns)
        widths = [width * column.width / total for column in table.columns]
        result = self._grid_table(widths, len(table.rows) + 1)
        rows = result.rows
        head = rows[0]
        row_flags(head, "w:cantSplit", "w:tblHeader")  # repeated on every page
        for row in rows[1:]:  # a row moves whole to the next page, as in the PDF
            row_flags(row, "w:cantSplit")
        for cell, column in zip(head.cells, table.columns):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            self.paragraph(cell, column.title, table.font_size, "center", bold=True)
            drop_first_paragraph(cell)
        for row, values in zip(rows[1:], table.rows):
            for cell, value, column in zip(row.cells, values, table.columns):
                self.paragraph(cell, value, table.font_size, column.align)
                drop_first_paragraph(cell)

    def _closing(self, document: Document, width: float) -> None:
        """Recipients bottom left and the signer right; with two signers, one on each side,
        their names level in a row of their own, and the recipients under them. Rows do not
        split and keep with what follows, so the closing stays on one page like the PDF's."""
        signatures = document.signatures
        self.spacer(12, keep=True)
        if len(signatures) == 2:
            table = self._layout_table((width / 2, width / 2), rows=2)
            for heading, name, signature in zip(table.rows[0].cells, table.rows[1].cells,
                                                signatures):
                self._signer_heading(heading, signature)
                self._signer_name(name, signature, keep=bool(document.recipients))
        else:
            table = self._layout_table((width * 0.45, width * 0.55))
            left, right = table.rows[0].cells
            self._recipients(left, document.recipients)
            if signatures:
                self._signer_heading(right, signatures[0], keep=False)
                self._signer_name(right, signatures[0])
        for row in table.rows:
            row_flags(row, "w:cantSplit")
            drop_first_paragraph(*row.cells)
        if len(signatures) == 2 and document.recipients:
            self._recipients(self.word, document.recipients, before=12)

    def _signer_heading(self, cell: _Cell, signature: Signature, keep: bool = True) -> None:
        """Authority (TM., KT.), title and caption of a signer block."""
        if signature.authority:
            self.paragraph(cell, signature.authority, L.SIGNER_SIZE, "center", bold=True, keep=keep)
        self.paragraph(cell, signature.title, L.SIGNER_SIZE, "center", bold=True, keep=keep)
        if signature.caption:
            self.paragraph(cell, signature.caption, L.BODY_SIZE, "center", italic=True, keep=keep)

    def _signer_name(self, cell: _Cell, signature: Signature, keep: bool = False) -> None:
        self.paragraph(cell, signature.name, L.SIGNER_SIZE, "center", bold=True,
                       before=L.SIGNING_SPACE_MM * L.MM, keep=keep)

    def _recipients(self, container: WordDocument | _Cell, recipients: Sequence[str],
                    before: float = 0) -> None:
        if not recipients:
            return
        self.paragraph(container, "Nơi nhận:", L.RECIPIENTS_LABEL_SIZE, bold=True, italic=True,
                       before=before, keep=True)
        for index, line in enumerate(recipients, 1):
            self.paragraph(container, line, L.RECIPIENTS_SIZE, keep=index < len(recipients))

    def _layout_table(self, widths_mm: Sequence[float], rows: int = 1) -> WordTable:
        """A borderless table for side-by-side blocks, no cell padding."""
        return fixed_table(self.word, widths_mm, rows, None, (0, 0, 0, 0))

    def _grid_table(self, widths_mm: Sequence[float], rows: int) -> WordTable:
        """A ruled table with the PDF's cell padding (top, left, bottom, right in points)."""
        return fixed_table(self.word, widths_mm, rows, GRID_SIZE, (2, 3, 4, 3))
