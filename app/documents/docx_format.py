"""Low-level Word XML for the Word copy (`docx_copy.py`): defaults, paragraph formats, borders,
the PAGE field, fixed-width tables and their row flags, and text measures.

python-docx covers most of the layout, but not document defaults, borders, table cell padding,
row flags or fields; those are written here as raw WordprocessingML. Elements inserted into a
properties element must follow the schema order, so each insertion names the children that
may follow it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from itertools import cycle

from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.documents import layout as L
from app.vietnamese import nfc

FONT = "Times New Roman"  # every office PC with Word has it; Word substitutes it elsewhere
RULE_SIZE = 6  # eighths of a point: the short rules
GRID_SIZE = 4  # eighths of a point: table borders (0.5 pt, as in the PDF)

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
# Schema order: the children that follow the element we insert, among those python-docx's
# template and the Word copy write.
AFTER_PBDR = ("w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr")
AFTER_PGNUMTYPE = ("w:cols", "w:titlePg", "w:docGrid")
_AFTER_TBLBORDERS = ("w:tblLayout", "w:tblCellMar", "w:tblLook")


def text_width_mm(text: str, size: float, bold: bool = False) -> float:
    """Width of the widest line of `text` in Times New Roman, in millimetres.

    Measured with the Times metrics ReportLab carries, on the letters without their marks
    (Times New Roman gives a marked letter its base letter's advance).
    """
    face = "Times-Bold" if bold else "Times-Roman"
    return max(stringWidth(_base_letters(line), face, size) for line in nfc(text).split("\n")) / L.MM


def _base_letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def set_defaults(word: WordDocument) -> None:
    """Times New Roman 14 pt, Vietnamese, no spacing unless asked, for everything Word adds."""
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = run_defaults.find(qn("w:rFonts"))
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    for tag in ("w:sz", "w:szCs"):
        run_defaults.find(qn(tag)).set(qn("w:val"), str(round(L.BODY_SIZE * 2)))
    run_defaults.find(qn("w:lang")).set(qn("w:val"), "vi-VN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    # A justified line ending in a line break is not stretched, as in the PDF.
    compat = word.settings.element.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        word.settings.element.append(compat)
    compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))
    # Word 2013 table placement: a table's border, not its text, starts at the margin.
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def format_paragraph(paragraph: Paragraph, size: float, align: str = "left", before: float = 0,
                     after: float = 0, exact: float | None = None) -> None:
    layout = paragraph.paragraph_format
    layout.alignment = _ALIGN[align]
    layout.space_before, layout.space_after = Pt(before), Pt(after)
    layout.line_spacing = Pt(exact if exact is not None else size * L.LINE_SPACING)
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY if exact is not None \
        else WD_LINE_SPACING.AT_LEAST  # at least: Word never clips stacked Vietnamese marks
    layout.widow_control = True


def page_number(paragraph: Paragraph) -> None:
    """A PAGE field, centred, 13 pt: Word and LibreOffice compute it on every page."""
    format_paragraph(paragraph, L.PAGE_NUMBER_SIZE, "center")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("end", None)):
        run = paragraph.add_run()
        run.font.name = FONT
        run.font.size = Pt(L.PAGE_NUMBER_SIZE)
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
        run._r.append(element)


def border(tag: str, size: int, value: str = "single") -> OxmlElement:
    element = OxmlElement(tag)
    element.set(qn("w:val"), value)
    element.set(qn("w:sz"), str(size))
    element.set(qn("w:space"), "0")
    element.set(qn("w:color"), "000000" if value != "nil" else "auto")
    return element


def fixed_table(word: WordDocument, widths_mm: Sequence[float], rows: int, border_size: int | None,
                padding: tuple[float, float, float, float]) -> WordTable:
    """A table of fixed column widths, ruled with `border_size` (eighths of a point) or
    borderless (None), with cell padding (top, left, bottom, right in points)."""
    table = word.add_table(rows=rows, cols=len(widths_mm))
    table.autofit = False
    properties = table._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(Mm(sum(widths_mm)).twips))
    borders, margins = OxmlElement("w:tblBorders"), OxmlElement("w:tblCellMar")
    for side in ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"):
        borders.append(border(side, border_size or 0, "single" if border_size else "nil"))
    for side, points in zip(("w:top", "w:left", "w:bottom", "w:right"), padding):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), str(round(points * 20)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.insert_element_before(borders, *_AFTER_TBLBORDERS)
    properties.insert_element_before(margins, "w:tblLook")
    for column, size in zip(table.columns, widths_mm):
        column.width = Mm(size)
    for cell_width, size in zip(table._tbl.iter(qn("w:tcW")), cycle(widths_mm)):
        cell_width.set(qn("w:type"), "dxa")
        cell_width.set(qn("w:w"), str(Mm(size).twips))
    return table


def row_flags(row: object, *tags: str) -> None:
    """Row properties such as w:cantSplit and w:tblHeader, in schema order (as given)."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    for tag in tags:
        properties.append(OxmlElement(tag))


def drop_first_paragraph(*cells: _Cell) -> None:
    """Remove the empty paragraph a new cell starts with, once the cell has its own."""
    for cell in cells:
        paragraphs = cell._tc.findall(qn("w:p"))
        if len(paragraphs) > 1 and len(paragraphs[0]) == 0:
            cell._tc.remove(paragraphs[0])
