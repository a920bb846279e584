"""The drawn parts of NĐ 30/2020's first page: the header blocks with their rules, the short
rule under the abstract and the "Kính gửi" lines.

They are measured in `__init__` so that a line too wide for its place is refused with a
`DocumentError` before anything is drawn (nothing is cut).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from app.documents import layout as L
from app.documents.model import DocumentError, Header
from app.fonts import PrintFont
from app.vietnamese import nfc


class HeaderBlock(Flowable):
    """Issuing body (left), national name and motto (right), each with the rule NĐ30 asks for
    drawn as a line, not an underline; below both, on one row (Phụ lục I, ô 3 and ô 4), the
    number left and the place-and-date line right, whether the issuing body takes two lines
    (a commune) or three (the council under its UBND)."""

    def __init__(self, header: Header, font: PrintFont, width: float) -> None:
        super().__init__()
        self.header, self.font, self.width = header, font, width
        self.right = L.RIGHT_COLUMN_MM * L.MM
        self.left = width - self.right
        for text, size, bold in self._left_lines():
            if stringWidth(nfc(text), font.face(bold), size) > self.left:
                raise DocumentError(
                    f"Dòng “{nfc(text)}” của tên cơ quan dài hơn chỗ dành cho nó ở đầu văn bản. "
                    "Hãy viết ngắn lại hoặc xuống dòng trong phần thiết lập xã.")
        number = nfc(header.number)
        if stringWidth(number, font.face(), L.NUMBER_SIZE) > self.left:
            symbol = number.split("/", 1)[-1]
            raise DocumentError(
                f"Dòng “{number}” dài hơn chỗ dành cho số, ký hiệu ở đầu văn bản. Hãy rút ngắn "
                f"ký hiệu “{symbol}” (ký hiệu của cơ quan ban hành trong phần thiết lập xã).")
        if stringWidth(nfc(header.place_date), font.face(italic=True), L.PLACE_DATE_SIZE) > self.right:
            raise DocumentError("Địa danh ở dòng ngày tháng quá dài. Hãy sửa trong thiết lập xã.")

    def _left_lines(self) -> list[tuple[str, float, bool]]:
        lines: list[tuple[str, float, bool]] = []
        if self.header.parent_body:
            lines.append((self.header.parent_body, L.PARENT_BODY_SIZE, False))
        lines += [(text, L.ISSUING_BODY_SIZE, True) for text in self.header.issuing_body]
        return lines

    # Space above and below each rule.
    _RULE_GAP = 4.0
    # The number (13 pt) and the date line (14 pt) share a baseline in a row as high as the larger.
    _ROW_SIZE = max(L.NUMBER_SIZE, L.PLACE_DATE_SIZE)

    def _blocks_height(self) -> float:
        """Down to the lower of the two rules, with the gap under it."""
        left = sum(size for _text, size, _bold in self._left_lines()) * L.LINE_SPACING
        right = (L.NATIONAL_NAME_SIZE + L.MOTTO_SIZE) * L.LINE_SPACING
        return max(left, right) + 2 * self._RULE_GAP

    def _row_height(self) -> float:
        return self._ROW_SIZE * L.LINE_SPACING if self.header.number or self.header.place_date else 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.height = self._blocks_height() + self._row_height()
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        canvas.setLineWidth(0.6)
        # Left column: parent body, issuing body and its short rule.
        left_centre = self.left / 2
        y = top
        widest = 0.0
        for text, size, bold in self._left_lines():
            y -= size * L.LINE_SPACING
            canvas.setFont(self.font.face(bold), size)
            canvas.drawCentredString(left_centre, y + size * 0.2, nfc(text))
            if bold:
                widest = max(widest, stringWidth(nfc(text), self.font.face(bold), size))
        rule = widest * L.ISSUING_RULE_SHARE
        y -= self._RULE_GAP
        canvas.line(left_centre - rule / 2, y, left_centre + rule / 2, y)
        # Right column: national name, motto with a rule as long as it.
        right_centre = self.left + self.right / 2
        y = top - L.NATIONAL_NAME_SIZE * L.LINE_SPACING
        canvas.setFont(self.font.face(True), L.NATIONAL_NAME_SIZE)
        canvas.drawCentredString(right_centre, y + L.NATIONAL_NAME_SIZE * 0.2, L.NATIONAL_NAME)
        y -= L.MOTTO_SIZE * L.LINE_SPACING
        canvas.setFont(self.font.face(True), L.MOTTO_SIZE)
        canvas.drawCentredString(right_centre, y + L.MOTTO_SIZE * 0.2, L.MOTTO)
        motto = stringWidth(L.MOTTO, self.font.face(True), L.MOTTO_SIZE)
        canvas.line(right_centre - motto / 2, y - self._RULE_GAP,
                    right_centre + motto / 2, y - self._RULE_GAP)
        # The row under both rules: number left, place and date right, on one baseline.
        baseline = top - self._blocks_height() - self._row_height() + self._ROW_SIZE * 0.2
        if self.header.number:
            canvas.setFont(self.font.face(), L.NUMBER_SIZE)
            canvas.drawCentredString(left_centre, baseline, nfc(self.header.number))
        if self.header.place_date:
            canvas.setFont(self.font.face(italic=True), L.PLACE_DATE_SIZE)
            canvas.drawCentredString(right_centre, baseline, nfc(self.header.place_date))


class AbstractRule(Flowable):
    """The short rule under the abstract, centred."""

    def __init__(self, abstract: str, font: PrintFont) -> None:
        super().__init__()
        self.length = max(L.ABSTRACT_RULE_MIN_MM * L.MM,
                          min(stringWidth(nfc(abstract), font.face(True), L.ABSTRACT_SIZE),
                              120 * L.MM) * L.ABSTRACT_RULE_SHARE)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.available = available_width
        return available_width, 6

    def draw(self) -> None:
        self.canv.setLineWidth(0.6)
        centre = self.available / 2
        self.canv.line(centre - self.length / 2, 0, centre + self.length / 2, 0)


class Addressee(Flowable):
    """'Kính gửi: ...' centred as a block, further lines aligned under the first name."""

    def __init__(self, lines: Sequence[str], font: PrintFont, width: float) -> None:
        super().__init__()
        self.lines = [nfc(line) for line in lines]
        self.font = font
        face = font.face()
        if stringWidth(self.LABEL, face, L.BODY_SIZE) + max(
                stringWidth(line, face, L.BODY_SIZE) for line in self.lines) > width:
            raise DocumentError("Dòng “Kính gửi” dài hơn một dòng. Hãy viết ngắn lại.")

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.available = available_width
        self.height = len(self.lines) * L.BODY_SIZE * L.LINE_SPACING + L.PARAGRAPH_SPACE * 2
        return available_width, self.height

    LABEL = "Kính gửi: "

    def draw(self) -> None:
        label = self.LABEL
        face = self.font.face()
        label_width = stringWidth(label, face, L.BODY_SIZE)
        widest = max(stringWidth(line, face, L.BODY_SIZE) for line in self.lines)
        x = (self.available - label_width - widest) / 2
        y = self.height - L.PARAGRAPH_SPACE - L.BODY_SIZE
        self.canv.setFont(face, L.BODY_SIZE)
        self.canv.drawString(x, y, label)
        for line in self.lines:
            self.canv.drawString(x + label_width, y, line)
            y -= L.BODY_SIZE * L.LINE_SPACING
