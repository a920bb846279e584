"""Drawing Giấy khen: the full design, the text on a pre-printed blank shifted by a printer's
offsets, long text shrunk then wrapped then refused, and the calibration page."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date

import pytest

from app import fonts
from app.documents.calibration_pdf import calibration_pdf
from app.documents.certificate_layouts import BLANK_LAYOUTS, FULL_DESIGN, CertificateFace
from app.documents.certificate_pdf import certificates_pdf, fit
from app.documents.model import DocumentError, Signature
from tests.app.pdf_reading import read_pdf

BLANK = BLANK_LAYOUTS["gk-a4-ngang"]


@pytest.fixture(scope="module")
def font() -> fonts.PrintFont:
    return fonts.print_font()


def face(**changes: object) -> CertificateFace:
    values: dict[str, object] = dict(
        subject_name="Bà Nguyễn Thị Linh", detail="Thôn Thuận Hưng, xã Phước An",
        reason="Đã có thành tích xuất sắc trong phong trào thi đua “Chung sức xây dựng nông thôn mới” năm 2025.",
        issuer="CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ PHƯỚC AN", decision_number="03/QĐ-UBND",
        decision_date=date(2025, 12, 17), book_number=12, place_date="Phước An, ngày 17 tháng 12 năm 2025",
        signer=Signature("CHỦ TỊCH", "Đào Quang Hòa"))  # the chairman's own decision: no "TM."
    values.update(changes)
    return CertificateFace(**values)  # type: ignore[arg-type]


def test_the_full_design_carries_every_part_of_a_giay_khen(font: fonts.PrintFont) -> None:
    pdf = read_pdf(certificates_pdf([face()], font, "full", BLANK, title="Giấy khen", author="UBND Xã Phước An"))
    page = pdf.pages[0]
    assert (round(page.width_mm), round(page.height_mm)) == (297, 210)
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ PHƯỚC AN", "GIẤY KHEN", "Tặng", "Bà Nguyễn Thị Linh",
                 "Thôn Thuận Hưng, xã Phước An", "Quyết định số 03/QĐ-UBND ngày 17 tháng 12 năm 2025",
                 "Số vào sổ: 12", "Phước An, ngày 17 tháng 12 năm 2025",
                 "CHỦ TỊCH", "Đào Quang Hòa"):
        assert page.line(text)
    assert "TM." not in page.text  # signed as the decision is: by the chairman in his own name
    assert "“Chung sức xây dựng nông thôn mới” năm 2025." in page.text
    title, name = page.line("GIẤY KHEN"), page.line("Bà Nguyễn Thị Linh")
    assert title.size == 48 and title.font.endswith("-Bold")
    assert name.size == 28 and name.font.endswith("-Bold")
    assert page.line("Phước An, ngày").font.endswith("-Italic")
    # Top to bottom in the order of the form; the name is centred on the sheet.
    tops = [page.line(t).top_mm for t in ("CỘNG HÒA", "CHỦ TỊCH ỦY BAN", "GIẤY KHEN", "Tặng",
                                          "Bà Nguyễn", "Thôn Thuận", "Đã có thành tích")]
    assert tops == sorted(tops)
    assert abs((name.left_mm + name.right_mm) / 2 - 148.5) < 0.5
    # The signer on the right, the decision and book number on the left, inside the border.
    assert page.line("Đào Quang Hòa").left_mm > 150 > page.line("Số vào sổ").right_mm
    assert all(13 < line.left_mm and line.right_mm < 284 and 13 < line.top_mm < 197 for line in page.lines)
    assert pdf.rules[0]  # the rule under the motto
    assert pdf.metadata["Title"] == "Giấy khen" and pdf.metadata["Author"] == "UBND Xã Phước An"


def test_one_page_per_certificate_with_progress(font: fonts.PrintFont) -> None:
    steps: list[tuple[int, int]] = []
    faces = [face(subject_name=f"Ông Người Số {n}", book_number=n) for n in range(1, 4)]
    pdf = read_pdf(certificates_pdf(faces, font, "full", BLANK, report=lambda d, t: steps.append((d, t))))
    assert [p.line("Ông Người").text for p in pdf.pages] == ["Ông Người Số 1", "Ông Người Số 2", "Ông Người Số 3"]
    assert [p.line("Số vào sổ").text for p in pdf.pages] == ["Số vào sổ: 1", "Số vào sổ: 2", "Số vào sổ: 3"]
    assert steps == [(1, 3), (2, 3), (3, 3)]
    with pytest.raises(DocumentError, match="Không có Giấy khen"):
        certificates_pdf([], font, "full", BLANK)


def test_a_blank_gets_only_the_variable_text_in_its_boxes(font: fonts.PrintFont) -> None:
    page = read_pdf(certificates_pdf([face()], font, "blank", BLANK)).pages[0]
    assert "GIẤY KHEN" not in page.text and "CỘNG HÒA" not in page.text and "Tặng" not in page.text
    assert "CHỦ TỊCH" not in page.text  # issuer and signer's title are pre-printed on this blank
    for text in ("Bà Nguyễn Thị Linh", "Thôn Thuận Hưng, xã Phước An", "03/QĐ-UBND", "17/12/2025", "12",
                 "Phước An, ngày 17 tháng 12 năm 2025", "Đào Quang Hòa"):
        assert page.line(text)
    name = page.line("Bà Nguyễn Thị Linh")
    box = BLANK.name
    assert box.top < name.top_mm and name.top_mm + 10 < box.top + box.height
    assert abs((name.left_mm + name.right_mm) / 2 - (box.x + box.width / 2)) < 0.3
    number = page.line("03/QĐ-UBND")
    assert abs(number.left_mm - BLANK.decision_number.x) < 0.3


def test_the_printers_offsets_move_every_text_on_the_blank_by_exactly_that_much(font: fonts.PrintFont) -> None:
    plain = read_pdf(certificates_pdf([face()], font, "blank", BLANK)).pages[0]
    moved = read_pdf(certificates_pdf([face()], font, "blank", BLANK, offset=(2.5, -1.5))).pages[0]
    for text in ("Bà Nguyễn Thị Linh", "03/QĐ-UBND", "Đào Quang Hòa", "Phước An, ngày"):
        before, after = plain.line(text), moved.line(text)
        assert after.left_mm - before.left_mm == pytest.approx(2.5, abs=0.01)
        assert after.top_mm - before.top_mm == pytest.approx(-1.5, abs=0.01)
    # The full design is not shifted: it brings its own border.
    full = read_pdf(certificates_pdf([face()], font, "full", BLANK, offset=(2.5, -1.5))).pages[0]
    reference = read_pdf(certificates_pdf([face()], font, "full", BLANK)).pages[0]
    assert full.line("Bà Nguyễn").left_mm == pytest.approx(reference.line("Bà Nguyễn").left_mm)


def test_text_comes_back_in_nfc_from_decomposed_input(font: fonts.PrintFont) -> None:
    decomposed = unicodedata.normalize("NFD", "Bà Nguyễn Thị Hường")
    assert decomposed != "Bà Nguyễn Thị Hường"
    page = read_pdf(certificates_pdf([face(subject_name=decomposed)], font, "full", BLANK)).pages[0]
    assert page.line("Bà Nguyễn").text == "Bà Nguyễn Thị Hường"


def test_characters_without_a_glyph_are_refused(font: fonts.PrintFont) -> None:
    with pytest.raises(fonts.FontError, match="漢"):
        certificates_pdf([face(subject_name="Ông 漢 Văn")], font, "full", BLANK)


def test_a_long_name_shrinks_to_the_minimum_then_wraps_then_is_refused(font: fonts.PrintFont) -> None:
    long = "Hội Liên hiệp Phụ nữ xã Phước An và Chi hội Phụ nữ Thôn Thuận Hưng"
    fitted = fit(long, FULL_DESIGN.name, font)
    assert fitted is not None and len(fitted.lines) == 1
    assert FULL_DESIGN.name.min_size <= fitted.size < FULL_DESIGN.name.size
    page = read_pdf(certificates_pdf([face(subject_name=long)], font, "full", BLANK)).pages[0]
    assert page.line("Hội Liên hiệp").text == long and page.line("Hội Liên hiệp").size == fitted.size

    longer = long + " cùng toàn thể hội viên phụ nữ các thôn trong xã"
    fitted = fit(longer, FULL_DESIGN.name, font)
    assert fitted is not None and len(fitted.lines) == 2 and FULL_DESIGN.name.min_size <= fitted.size < 20
    text = read_pdf(certificates_pdf([face(subject_name=longer)], font, "full", BLANK)).text
    assert " ".join(text.split()).count(longer) == 1  # every word printed, none cut

    longest = longer + ", Ban Chấp hành Đoàn Thanh niên và Hội Cựu chiến binh xã Phước An"
    assert fit(longest, FULL_DESIGN.name, font) is None
    with pytest.raises(DocumentError, match="Giấy khen của «Hội Liên hiệp Phụ nữ.*tên người được khen"):
        certificates_pdf([face(), face(subject_name=longest)], font, "full", BLANK)


def test_a_long_reason_wraps_balanced_shrinks_and_is_refused_when_too_long(font: fonts.PrintFont) -> None:
    fitted = fit(face().reason, FULL_DESIGN.reason, font)
    assert fitted is not None and fitted.size == FULL_DESIGN.reason.size and len(fitted.lines) == 2
    # Balanced: the last line is not a lone word.
    assert fitted.lines[1] == "“Chung sức xây dựng nông thôn mới” năm 2025."
    sentence = "Đã tích cực vận động nhân dân hiến đất, góp công, góp của làm đường giao thông nông thôn. "
    fitted = fit(sentence * 4, FULL_DESIGN.reason, font)
    assert fitted is not None and fitted.size < FULL_DESIGN.reason.size
    with pytest.raises(DocumentError, match="lý do khen thưởng dài quá"):
        certificates_pdf([face(reason=sentence * 12)], font, "blank", BLANK)


def test_calibration_page_has_a_labelled_grid_the_cross_and_instructions(font: fonts.PrintFont) -> None:
    pdf = read_pdf(calibration_pdf(BLANK, font, "HP LaserJet M402", (1.5, -2.0)))
    page = pdf.pages[0]
    assert len(pdf.pages) == 1 and (round(page.width_mm), round(page.height_mm)) == (297, 210)
    words = page.text.split()
    assert all(str(mm) in words for mm in range(20, 300, 10))  # along the top
    assert page.line("GỐC ĐO")
    assert page.line("TRANG CĂN LỀ MÁY IN – PHÔI GIẤY KHEN A4 NGANG")
    line = page.line("Máy in: HP LaserJet M402").text
    assert "ngang +1,5 mm" in line and "dọc −2 mm" in line
    assert "Độ lệch ngang mới = độ lệch ngang đang áp dụng − (số đo từ mép trái − 30)." in page.text
    # The grid lies on the sheet's millimetres shifted by the offsets: 10 mm apart, 2 mm higher.
    tops = sorted({round(top, 2) for _x0, _x1, top in pdf.rules[0] if _x1 - _x0 > 250})
    assert tops[:3] == [pytest.approx(-2.0, abs=0.01), pytest.approx(8.0, abs=0.01),
                        pytest.approx(18.0, abs=0.01)]
    plain = read_pdf(calibration_pdf(BLANK, font, "HP", (0.0, 0.0))).pages[0]
    assert plain.line("GỐC ĐO").left_mm + 1.5 == pytest.approx(page.line("GỐC ĐO").left_mm, abs=0.01)
    assert plain.line("GỐC ĐO").top_mm - 2.0 == pytest.approx(page.line("GỐC ĐO").top_mm, abs=0.01)
    assert "Độ lệch đang áp dụng: ngang 0 mm, dọc 0 mm." in plain.text


def test_a_blank_may_print_its_signer_block_when_the_layout_says_so(font: fonts.PrintFont) -> None:
    with_signer = replace(BLANK, signer_title=replace(BLANK.signer_name, top=154), signer_authority=None)
    page = read_pdf(certificates_pdf([face()], font, "blank", with_signer)).pages[0]
    assert page.line("CHỦ TỊCH") and "TM. ỦY BAN" not in page.text


def test_a_blank_with_the_chairmans_block_printed_refuses_another_signer(font: fonts.PrintFont) -> None:
    vice = face(signer=Signature("PHÓ CHỦ TỊCH", "Lê Văn Phó", "KT. CHỦ TỊCH"))
    with pytest.raises(DocumentError, match="in sẵn «CHỦ TỊCH» nhưng Giấy khen do "
                                            "«KT. CHỦ TỊCH / PHÓ CHỦ TỊCH» ký"):
        certificates_pdf([vice], font, "blank", BLANK)
    assert certificates_pdf([vice], font, "full", BLANK).startswith(b"%PDF")
    vice_block = replace(BLANK, signer_authority=replace(BLANK.signer_name, top=148),
                         signer_title=replace(BLANK.signer_name, top=154))
    page = read_pdf(certificates_pdf([vice], font, "blank", vice_block)).pages[0]
    assert page.line("KT. CHỦ TỊCH") and page.line("PHÓ CHỦ TỊCH")
