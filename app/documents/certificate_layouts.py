"""Where the text of a Giấy khen goes: the boxes of the full design and of each type of
pre-printed blank, and what one certificate says. Plain data, without ReportLab, so the
services that list blank types and build certificates load fast; `certificate_pdf.py` draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from app.documents.model import Signature

Mode = Literal["full", "blank"]

PAPER_A4_LANDSCAPE = (297.0, 210.0)


@dataclass(frozen=True)
class Box:
    """Where one piece of text may go: `x`, `top`, `width`, `height` in mm on the sheet.

    Text prints at `size` and may shrink to `min_size` (the documented minimum: 18 pt for
    names on the full design, 10–13 pt elsewhere) before it is wrapped; wrapped lines stay
    inside `height`. The block of lines is centred vertically in the box; each line is
    centred on the box, or starts at `x` when `align` is "left". A `paragraph` box (the
    reason) wraps at full size first and shrinks only when its lines are too many.
    """

    x: float
    top: float
    width: float
    height: float
    size: float
    min_size: float
    bold: bool = False
    italic: bool = False
    align: Literal["left", "center"] = "center"
    paragraph: bool = False


@dataclass(frozen=True)
class CertificateFace:
    """What one certificate says, in NFC; `book_number` is its number in the year's book."""

    subject_name: str  # "Ông Trần Văn Tùng", "Hộ ông Phan Ngọc Long", a collective's name
    detail: str  # position and unit of a person, a household's address; "" for none
    reason: str  # "Đã có thành tích xuất sắc …"
    issuer: str  # "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ PHƯỚC AN"
    decision_number: str  # "05/QĐ-UBND"
    decision_date: date
    book_number: int
    place_date: str  # "Phước An, ngày 29 tháng 4 năm 2026" (italic line above the signer)
    signer: Signature


@dataclass(frozen=True)
class FullDesign:
    """The boxes of the full design (A4 landscape); its fixed texts are drawn around them."""

    issuer: Box
    name: Box
    detail: Box
    reason: Box
    decision: Box  # "Quyết định số 05/QĐ-UBND ngày 29 tháng 4 năm 2026"
    book: Box  # "Số vào sổ: 12"
    place_date: Box
    authority: Box
    title: Box
    signer_name: Box
    paper: tuple[float, float] = PAPER_A4_LANDSCAPE


FULL_DESIGN = FullDesign(
    issuer=Box(28.5, 41, 240, 10, 17, 12, bold=True),
    name=Box(23.5, 89, 250, 16, 28, 18, bold=True),
    detail=Box(38.5, 105, 220, 8, 16, 12),
    reason=Box(33.5, 114, 230, 24, 17, 13, paragraph=True),
    decision=Box(27, 175, 125, 7, 13, 10, italic=True, align="left"),
    book=Box(27, 182, 125, 7, 13, 10, italic=True, align="left"),
    place_date=Box(158, 140, 116, 8, 14, 11, italic=True),
    authority=Box(158, 148, 116, 7, 14, 11, bold=True),
    title=Box(158, 154.5, 116, 7, 14, 11, bold=True),
    signer_name=Box(158, 182, 116, 9, 16, 12, bold=True),
)


@dataclass(frozen=True)
class BlankLayout:
    """One type of pre-printed Giấy khen blank: where it leaves room for each variable text.

    The blank carries everything else pre-printed: border, national name and motto, the
    issuer line, «GIẤY KHEN», «Tặng», the labels «Quyết định số … ngày …» and «Số vào sổ:»,
    and the signer's authority and title. A box set to None is pre-printed on that blank;
    a blank whose signer block is empty sets `signer_authority` and `signer_title`.
    """

    code: str
    label: str
    paper: tuple[float, float]
    name: Box
    detail: Box
    reason: Box
    decision_number: Box  # after the printed «Quyết định số»
    decision_date: Box  # after the printed «ngày», as 29/04/2026
    book_number: Box  # after the printed «Số vào sổ:»
    place_date: Box  # the whole line «Phước An, ngày 29 tháng 4 năm 2026»
    signer_name: Box
    issuer: Box | None = None
    signer_authority: Box | None = None
    signer_title: Box | None = None
    # What the blank has pre-printed where `signer_authority` / `signer_title` are None: a
    # certificate signed otherwise (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH) is refused on this blank.
    printed_signer: tuple[str, str] = ("", "CHỦ TỊCH")


# The common A4 landscape blank sold for commune Giấy khen: its fixed parts sit where the full
# design draws them, so both print alike. Another blank gets its own BlankLayout here.
BLANK_LAYOUTS: dict[str, BlankLayout] = {
    "gk-a4-ngang": BlankLayout(
        code="gk-a4-ngang",
        label="Phôi Giấy khen A4 ngang",
        paper=PAPER_A4_LANDSCAPE,
        name=Box(23.5, 89, 250, 16, 28, 18, bold=True),
        detail=Box(38.5, 105, 220, 8, 16, 12),
        reason=Box(33.5, 114, 230, 24, 17, 13, paragraph=True),
        decision_number=Box(55, 175, 42, 7, 13, 10, align="left"),
        decision_date=Box(108, 175, 40, 7, 13, 10, align="left"),
        book_number=Box(51, 182, 40, 7, 13, 10, align="left"),
        place_date=Box(158, 140, 116, 8, 14, 11, italic=True),
        signer_name=Box(158, 182, 116, 9, 16, 12, bold=True),
    ),
}

# Names of the boxes in refusals («… của Ông X: <label> dài quá …»).
FIELD_LABELS = {
    "issuer": "dòng cơ quan tặng", "name": "tên người được khen", "detail": "dòng chức vụ, đơn vị",
    "reason": "lý do khen thưởng", "decision": "dòng số quyết định", "book": "dòng số vào sổ",
    "place_date": "dòng địa danh, ngày tháng", "authority": "thẩm quyền ký", "title": "chức vụ người ký",
    "signer_name": "tên người ký", "decision_number": "số quyết định", "decision_date": "ngày quyết định",
    "book_number": "số vào sổ", "signer_authority": "thẩm quyền ký", "signer_title": "chức vụ người ký",
}

# The calibration page's cross: the point the officer measures from the sheet's edges (mm).
CALIBRATION_POINT = (30.0, 30.0)
