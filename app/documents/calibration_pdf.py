"""The calibration page of a pre-printed blank: a grid labelled in millimetres from the sheet's
edges, a cross at the measuring point and the blank's boxes, drawn with a printer's saved
offsets, and instructions in Vietnamese to measure how far that printer still shifts the text.

Printed on plain paper of the blank's size and measured with a ruler, or laid on a blank
against the light; the officer then saves corrected offsets (`CertificateService.save_offsets`).
"""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.lib.colors import Color, black, white
from reportlab.pdfgen.canvas import Canvas

from app.documents.certificate_design import RED
from app.documents.certificate_layouts import CALIBRATION_POINT, FIELD_LABELS, BlankLayout
from app.documents.certificate_pdf import pdf_canvas
from app.documents.layout import MM
from app.fonts import PrintFont
from app.vietnamese import nfc

GRID = Color(0.55, 0.55, 0.55)
GUIDE = Color(0.15, 0.35, 0.75)


def calibration_pdf(blank: BlankLayout, font: PrintFont, printer: str,
                    offset: tuple[float, float]) -> bytes:
    """A 10 mm grid labelled in mm from the sheet's edges, a cross at the measuring point and
    the blank's boxes, all shifted by `offset`, with instructions to measure the shift."""
    width, height = blank.paper
    dx, dy = offset
    lines = _calibration_text(blank, printer, offset)
    font.require(nfc("\n".join(lines)))
    out = io.BytesIO()
    canvas = pdf_canvas(out, blank.paper, f"Trang căn lề máy in – {blank.label}", "")

    def at(x: float, y: float) -> tuple[float, float]:
        return (x + dx) * MM, (height - y - dy) * MM

    canvas.setFont(font.face(), 7)
    for x in range(0, int(width) + 1, 10):
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.6 if x % 50 == 0 else 0.25)
        canvas.line(*at(x, 0), *at(x, height))
        if 20 <= x < width:  # 10 would sit on the left column of labels
            canvas.setFillColor(black)
            canvas.drawCentredString(at(x, 0)[0], at(0, 14)[1], str(x))
    for y in range(0, int(height) + 1, 10):
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.6 if y % 50 == 0 else 0.25)
        canvas.line(*at(0, y), *at(width, y))
        if 20 <= y < height:
            canvas.setFillColor(black)
            canvas.drawRightString(at(15, 0)[0], at(0, y)[1] - 2.5, str(y))
    _draw_guides(canvas, font, blank, at)
    px, py = CALIBRATION_POINT
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(0.8)
    canvas.line(*at(px - 8, py), *at(px + 8, py))
    canvas.line(*at(px, py - 8), *at(px, py + 8))
    canvas.circle(*at(px, py), 2 * MM)
    canvas.setFillColor(RED)
    canvas.setFont(font.face(bold=True), 9)
    canvas.drawString(*at(px + 3, py - 3), "GỐC ĐO")
    # The instructions on a white panel between the measuring point and the name's box.
    left, top, panel_width, pitch = 60.0, 33.0, 214.0, 4.45
    panel_height = 6 + pitch * len(lines)
    canvas.setFillColor(white)
    canvas.setStrokeColor(black)
    canvas.setLineWidth(0.6)
    x0, y0 = at(left, top + panel_height)
    canvas.rect(x0, y0, panel_width * MM, panel_height * MM, stroke=1, fill=1)
    canvas.setFillColor(black)
    y = top + 6
    for index, line in enumerate(lines):
        canvas.setFont(font.face(bold=index == 0), 11 if index == 0 else 9.5)
        canvas.drawString(*at(left + 4, y), nfc(line))
        y += pitch
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw_guides(canvas: Canvas, font: PrintFont, blank: BlankLayout,
                 at: Callable[[float, float], tuple[float, float]]) -> None:
    """The blank's boxes, dashed, with their names: lay the page on a blank to check them."""
    canvas.setStrokeColor(GUIDE)
    canvas.setFillColor(GUIDE)
    canvas.setLineWidth(0.5)
    canvas.setDash(2, 2)
    canvas.setFont(font.face(italic=True), 7)
    for key in ("name", "detail", "reason", "decision_number", "decision_date", "book_number",
                "place_date", "signer_name", "issuer", "signer_authority", "signer_title"):
        box = getattr(blank, key)
        if box is None:
            continue
        x0, y0 = at(box.x, box.top + box.height)
        canvas.rect(x0, y0, box.width * MM, box.height * MM, stroke=1, fill=0)
        canvas.drawString(x0 + 1, y0 + 1, FIELD_LABELS[key])
    canvas.setDash()


def _calibration_text(blank: BlankLayout, printer: str, offset: tuple[float, float]) -> list[str]:
    px, py = CALIBRATION_POINT
    dx, dy = offset
    return [
        f"TRANG CĂN LỀ MÁY IN – {blank.label.upper()}",
        f"Máy in: {printer or '(chưa chọn)'}. Độ lệch đang áp dụng: ngang {_mm(dx)}, dọc {_mm(dy)}.",
        "1. In trang này lên giấy trắng cùng khổ với phôi, đặt giấy vào khay đúng như khi in phôi.",
        f"2. Đo bằng thước từ mép trái tờ giấy đến tâm dấu cộng GỐC ĐO (đúng là {px:g} mm),",
        f"    rồi từ mép trên tờ giấy đến tâm dấu cộng (đúng là {py:g} mm).",
        f"3. Độ lệch ngang mới = độ lệch ngang đang áp dụng − (số đo từ mép trái − {px:g}).",
        f"    Độ lệch dọc mới = độ lệch dọc đang áp dụng − (số đo từ mép trên − {py:g}).",
        f"    Ví dụ: đang áp dụng 0 mm, đo được {px + 2:g} mm từ mép trái thì nhập độ lệch ngang −2 mm.",
        "4. Lưu độ lệch mới rồi in lại trang này: dấu cộng phải cách mép trái và mép trên đúng như trên.",
        "Khung nét đứt màu xanh là chỗ in từng nội dung; đặt trang in chồng lên phôi, soi trước đèn",
        "để kiểm tra. Số ghi trên lưới là khoảng cách (mm) tính từ mép trái và mép trên tờ giấy.",
    ]


def _mm(value: float) -> str:
    """'+1,5 mm', '−2 mm', '0 mm' (Vietnamese decimal comma)."""
    if abs(value) < 0.05:
        return "0 mm"
    sign = "+" if value > 0 else "−"
    return f"{sign}{abs(value):.1f}".rstrip("0").rstrip(".").replace(".", ",") + " mm"
