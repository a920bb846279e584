"""Drawing Giấy khen: the full design on blank A4 landscape paper, or only the variable text on
a pre-printed blank (the full design's border and fixed texts are in `certificate_design.py`,
the calibration page in `calibration_pdf.py`).

Every piece of variable text has a `Box` on the sheet. Text that does not fit is first shrunk
towards the box's minimum size, then wrapped inside the box; when it still does not fit, the
certificate is refused with a `DocumentError` naming the person, so nothing is ever cut.
Positions are millimetres from the sheet's top-left corner; a printer's saved offsets
(right and down positive) are added to every position of the blank text and the calibration
page, never to the full design (which brings its own border and needs no registration).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import black
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.document_style import format_date
from app.documents.certificate_design import draw_design
from app.documents.layout import MM
from app.documents.certificate_layouts import (FIELD_LABELS, FULL_DESIGN, BlankLayout, Box,
                                               CertificateFace, Mode)
from app.documents.model import DocumentError
from app.fonts import PrintFont
from app.vietnamese import nfc

Report = Callable[[int, int], None]
LEADING = 1.2  # line pitch as a share of the font size
SHRINK_STEP = 0.5  # pt


@dataclass(frozen=True)
class Fitted:
    lines: tuple[str, ...]
    size: float


def fit(text: str, box: Box, font: PrintFont) -> Fitted | None:
    """The lines and size `text` prints at in `box`, or None when even wrapped at the
    minimum size it does not fit (see `Box`)."""
    face = font.face(box.bold, box.italic)
    width = box.width * MM
    sizes = _sizes(box)
    if not box.paragraph and "\n" not in text:
        for size in sizes:
            if stringWidth(text, face, size) <= width:
                return Fitted((text,), size)
    for size in sizes:
        lines = _wrapped(text, face, size, width)
        fits_across = all(stringWidth(line, face, size) <= width for line in lines)
        if fits_across and len(lines) * size * LEADING <= box.height * MM + 0.01:
            return Fitted(tuple(_balanced(text, face, size, width, len(lines))), size)
    return None


def _wrapped(text: str, face: str, size: float, width: float) -> list[str]:
    return [line for part in text.split("\n") for line in (simpleSplit(part, face, size, width) or [""])]


def _balanced(text: str, face: str, size: float, width: float, count: int) -> list[str]:
    """The same number of lines at the narrowest width that keeps it, so that a last line
    is not left with one word ("2025.") under a full one."""
    narrow, wide = width / count * 0.9, width
    while wide - narrow > 1:
        middle = (narrow + wide) / 2
        if len(_wrapped(text, face, size, middle)) <= count:
            wide = middle
        else:
            narrow = middle
    return _wrapped(text, face, size, wide)


def certificates_pdf(faces: Sequence[CertificateFace], font: PrintFont, mode: Mode,
                     blank: BlankLayout, offset: tuple[float, float] = (0.0, 0.0),
                     report: Report | None = None, title: str = "", author: str = "") -> bytes:
    """One page per certificate: the full design, or the blank's text shifted by `offset`."""
    if not faces:
        raise DocumentError("Không có Giấy khen nào để in.")
    paper = FULL_DESIGN.paper if mode == "full" else blank.paper
    placed = [list(_placed(face, mode, blank, font)) for face in faces]  # refusals before drawing
    out = io.BytesIO()
    canvas = pdf_canvas(out, paper, title, author)
    for index, pieces in enumerate(placed):
        if mode == "full":
            draw_design(canvas, font, paper)
            _draw_pieces(canvas, font, pieces, paper, (0.0, 0.0))
        else:
            _draw_pieces(canvas, font, pieces, paper, offset)
        canvas.showPage()
        if report:
            report(index + 1, len(placed))
    canvas.save()
    return out.getvalue()


# --- inside -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Piece:
    key: str
    box: Box
    fitted: Fitted


def _sizes(box: Box) -> list[float]:
    sizes = []
    size = box.size
    while size >= box.min_size - 1e-9:
        sizes.append(round(size, 2))
        size -= SHRINK_STEP
    return sizes


def _texts(face: CertificateFace, mode: Mode, blank: BlankLayout) -> Iterator[tuple[str, Box, str]]:
    """(key, box, text) of every piece of variable text the mode prints."""
    if mode == "full":
        design = FULL_DESIGN
        yield "issuer", design.issuer, face.issuer
        yield "name", design.name, face.subject_name
        yield "detail", design.detail, face.detail
        yield "reason", design.reason, face.reason
        yield "decision", design.decision, (f"Quyết định số {face.decision_number} "
                                            f"{format_date(face.decision_date)}")
        yield "book", design.book, f"Số vào sổ: {face.book_number}"
        yield "place_date", design.place_date, face.place_date
        yield "authority", design.authority, face.signer.authority
        yield "title", design.title, face.signer.title
        yield "signer_name", design.signer_name, face.signer.name
        return
    optional = (("issuer", blank.issuer, face.issuer),
                ("signer_authority", blank.signer_authority, face.signer.authority),
                ("signer_title", blank.signer_title, face.signer.title))
    yield "name", blank.name, face.subject_name
    yield "detail", blank.detail, face.detail
    yield "reason", blank.reason, face.reason
    yield "decision_number", blank.decision_number, face.decision_number
    yield "decision_date", blank.decision_date, f"{face.decision_date:%d/%m/%Y}"
    yield "book_number", blank.book_number, str(face.book_number)
    yield "place_date", blank.place_date, face.place_date
    yield "signer_name", blank.signer_name, face.signer.name
    for key, box, text in optional:
        if box is not None:
            yield key, box, text


def _placed(face: CertificateFace, mode: Mode, blank: BlankLayout, font: PrintFont) -> Iterator[_Piece]:
    """The certificate's pieces fitted into their boxes; refuses one that does not fit."""
    if mode == "blank":
        _check_printed_signer(face, blank)
    for key, box, text in _texts(face, mode, blank):
        text = nfc(text).strip()
        if not text:
            continue
        font.require(text)
        fitted = fit(text, box, font)
        if fitted is None:
            raise DocumentError(
                f"Giấy khen của «{nfc(face.subject_name)}»: {FIELD_LABELS[key]} dài quá chỗ dành cho "
                f"nó kể cả khi thu nhỏ chữ tới {box.min_size:g} pt và xuống dòng. Hãy viết ngắn lại "
                "rồi in lại.")
        yield _Piece(key, box, fitted)


def _check_printed_signer(face: CertificateFace, blank: BlankLayout) -> None:
    """A blank with the signer's authority and title pre-printed only takes that signer."""
    authority, title = blank.printed_signer
    wrong = [(printed, wanted) for printed, wanted, box in (
        (authority, face.signer.authority, blank.signer_authority), (title, face.signer.title, blank.signer_title))
        if box is None and " ".join(nfc(wanted).upper().split()) != printed]
    if wrong:
        printed = " / ".join(part for part in (authority, title) if part)
        signer = " / ".join(nfc(part) for part in (face.signer.authority, face.signer.title) if part.strip())
        raise DocumentError(
            f"{blank.label} đã in sẵn «{printed}» nhưng Giấy khen do «{signer}» ký. Hãy in trên "
            "giấy trắng, hoặc sửa người ký của Giấy khen cho đúng.")


def pdf_canvas(out: io.BytesIO, paper: tuple[float, float], title: str, author: str) -> Canvas:
    canvas = Canvas(out, pagesize=(paper[0] * MM, paper[1] * MM), pageCompression=1)
    canvas.setTitle(nfc(title))
    canvas.setAuthor(nfc(author))
    canvas.setCreator("TĐKT Xã")
    return canvas


def _draw_pieces(canvas: Canvas, font: PrintFont, pieces: Sequence[_Piece], paper: tuple[float, float],
                 offset: tuple[float, float]) -> None:
    dx, dy = offset
    for piece in pieces:
        box, fitted = piece.box, piece.fitted
        pitch = fitted.size * LEADING
        block = pitch * len(fitted.lines)
        # Baseline of the first line: the block centred in the box, the ascent above it.
        first = (box.top + dy) * MM + (box.height * MM - block) / 2 + fitted.size * 0.9
        canvas.setFont(font.face(box.bold, box.italic), fitted.size)
        canvas.setFillColor(black)
        for index, line in enumerate(fitted.lines):
            y = paper[1] * MM - first - index * pitch
            if box.align == "left":
                canvas.drawString((box.x + dx) * MM, y, line)
            else:
                canvas.drawCentredString((box.x + dx + box.width / 2) * MM, y, line)
