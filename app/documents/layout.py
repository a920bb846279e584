"""The measures of Nghị định 30/2020 Phụ lục I that the PDF and Word renderers share.

Sizes are in points, lengths in millimetres. Where NĐ30 gives a range we take one value inside
it and say so; tests measure the printed PDFs against the ranges.
"""

from __future__ import annotations

from dataclasses import dataclass

MM = 72 / 25.4  # points per millimetre

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0


@dataclass(frozen=True)
class Margins:
    """Top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm (NĐ30 Phụ lục I, mục I.4)."""

    top: float = 20.0
    bottom: float = 20.0
    left: float = 30.0
    right: float = 15.0


MARGINS = Margins()

# Header blocks (NĐ30 Phụ lục I, ô 1–4). The national name at 12 pt (range 12–13) fits the
# right column; the motto is one size larger (13, range 13–14), as the decree asks.
PARENT_BODY_SIZE = 13.0
ISSUING_BODY_SIZE = 13.0
NUMBER_SIZE = 13.0
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_NAME_SIZE = 12.0
MOTTO = "Độc lập - Tự do - Hạnh phúc"
MOTTO_SIZE = 13.0
PLACE_DATE_SIZE = 14.0
# The right column holds the national name; the left one gets what is left of the line.
RIGHT_COLUMN_MM = 95.0
# The rule under the issuing body is 1/3–1/2 of its widest line; we draw 40 %.
ISSUING_RULE_SHARE = 0.4
# The rule under the abstract is short: a third of the abstract's last line, at least 30 mm.
ABSTRACT_RULE_SHARE = 1 / 3
ABSTRACT_RULE_MIN_MM = 30.0

TYPE_NAME_SIZE = 14.0
ABSTRACT_SIZE = 14.0
BODY_SIZE = 14.0  # 13–14
LINE_SPACING = 1.2  # single to 1.5 lines
PARAGRAPH_SPACE = 6.0  # at least 6 pt between paragraphs
FIRST_LINE_INDENT_MM = 10.0
SIGNER_SIZE = 14.0
SIGNING_SPACE_MM = 28.0  # room for the signature and the seal
RECIPIENTS_LABEL_SIZE = 12.0
RECIPIENTS_SIZE = 11.0
PAGE_NUMBER_SIZE = 13.0
TABLE_SIZE = 12.0
