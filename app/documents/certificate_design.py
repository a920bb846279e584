"""The fixed parts of the full Giấy khen design on blank A4 landscape paper: the red and gold
border, the national name and motto, «GIẤY KHEN» with its flourish, and «Tặng».

`certificate_pdf.py` places the variable text in its boxes around these; the positions here
are millimetres from the sheet's top-left corner, like the boxes'.
"""

from __future__ import annotations

from reportlab.lib.colors import Color, black
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.documents.layout import MM, MOTTO, NATIONAL_NAME
from app.fonts import PrintFont

RED = Color(0.70, 0.08, 0.08)
GOLD = Color(0.74, 0.56, 0.18)


def draw_design(canvas: Canvas, font: PrintFont, paper: tuple[float, float]) -> None:
    """The fixed parts of the full design: border, national name and motto, title, «Tặng»."""
    width, height = paper
    centre = width / 2 * MM

    def y(top_mm: float) -> float:
        return (height - top_mm) * MM

    _draw_border(canvas, width, height)
    canvas.setFillColor(black)
    canvas.setFont(font.face(bold=True), 14)
    canvas.drawCentredString(centre, y(24), NATIONAL_NAME)
    canvas.setFont(font.face(bold=True), 15)
    canvas.drawCentredString(centre, y(31), MOTTO)
    motto = stringWidth(MOTTO, font.face(bold=True), 15)
    canvas.setStrokeColor(black)
    canvas.setLineWidth(0.7)
    canvas.line(centre - motto / 2, y(32.6), centre + motto / 2, y(32.6))
    canvas.setFillColor(RED)
    canvas.setFont(font.face(bold=True), 48)
    canvas.drawCentredString(centre, y(70), "GIẤY KHEN")
    _draw_flourish(canvas, centre, y(75.5), 45 * MM)
    canvas.setFillColor(black)
    canvas.setFont(font.face(italic=True), 18)
    canvas.drawCentredString(centre, y(86), "Tặng")


def _draw_border(canvas: Canvas, width: float, height: float) -> None:
    """A double red frame, a double gold one inside it, red diamonds on the corners and gold
    brackets inside them."""
    outer, inner = 8.0, 12.5
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(2.6)
    canvas.rect(outer * MM, outer * MM, (width - 2 * outer) * MM, (height - 2 * outer) * MM)
    canvas.setLineWidth(0.9)
    canvas.rect((outer + 1.6) * MM, (outer + 1.6) * MM, (width - 2 * outer - 3.2) * MM,
                (height - 2 * outer - 3.2) * MM)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.rect(inner * MM, inner * MM, (width - 2 * inner) * MM, (height - 2 * inner) * MM)
    canvas.setLineWidth(0.4)
    canvas.rect((inner + 1.2) * MM, (inner + 1.2) * MM, (width - 2 * inner - 2.4) * MM,
                (height - 2 * inner - 2.4) * MM)
    canvas.setFillColor(RED)
    for cx, cy in ((inner, inner), (width - inner, inner), (inner, height - inner),
                   (width - inner, height - inner)):
        _diamond(canvas, cx * MM, cy * MM, 2.6 * MM)
    # A gold bracket inside each corner, its point marked by a small diamond.
    canvas.setStrokeColor(GOLD)
    canvas.setFillColor(GOLD)
    canvas.setLineWidth(1.1)
    for sx, sy in ((1, 1), (-1, 1), (1, -1), (-1, -1)):
        cx = (inner + 4 if sx > 0 else width - inner - 4) * MM
        cy = (inner + 4 if sy > 0 else height - inner - 4) * MM
        canvas.line(cx, cy, cx + sx * 14 * MM, cy)
        canvas.line(cx, cy, cx, cy + sy * 14 * MM)
        _diamond(canvas, cx, cy, 1.2 * MM)


def _draw_flourish(canvas: Canvas, centre: float, y: float, half: float) -> None:
    """A rule on each side of a red diamond, under the title."""
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.9)
    canvas.line(centre - half, y, centre - 3 * MM, y)
    canvas.line(centre + 3 * MM, y, centre + half, y)
    canvas.setFillColor(RED)
    _diamond(canvas, centre, y, 1.8 * MM)
    canvas.setFillColor(GOLD)
    _diamond(canvas, centre - half, y, 0.9 * MM)
    _diamond(canvas, centre + half, y, 0.9 * MM)


def _diamond(canvas: Canvas, cx: float, cy: float, radius: float) -> None:
    path = canvas.beginPath()
    path.moveTo(cx, cy + radius)
    path.lineTo(cx + radius, cy)
    path.lineTo(cx, cy - radius)
    path.lineTo(cx - radius, cy)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
