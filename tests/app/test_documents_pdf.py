"""The NĐ 30/2020 layout of every printed document, measured on the PDF read back."""

from __future__ import annotations

import errno
import io
import unicodedata
from pathlib import Path
from typing import BinaryIO

import pdfplumber
import pytest

from app import fonts
from app.documents.layout import MARGINS
from app.documents.model import (Appendix, Column, Document, DocumentError, Header, Para,
                                 Signature, Table)
from app.documents.pdf import pdf_bytes, render_pdf
from app.errors import FileWriteError
from tests.app.pdf_reading import Line, read_pdf

LONG = ("Căn cứ kết quả bình xét của Hội đồng Thi đua - Khen thưởng xã, Ủy ban nhân dân xã "
        "kính đề nghị Chủ tịch Ủy ban nhân dân tỉnh xem xét, khen thưởng. ")


@pytest.fixture(scope="module")
def font() -> fonts.PrintFont:
    return fonts.print_font()


def letter(body_paragraphs: int = 3, **changes: object) -> Document:
    values: dict[str, object] = dict(
        kind="to-trinh",
        header=Header(("ỦY BAN NHÂN DÂN", "XÃ PHƯỚC TÂN"), "Số: 05/TTr-UBND",
                      "Phước Tân, ngày 05 tháng 02 năm 2026"),
        type_name="TỜ TRÌNH",
        abstract="Về việc đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        addressee=("Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai",),
        body=tuple(Para(LONG * 3) for _ in range(body_paragraphs)),
        signatures=(Signature("CHỦ TỊCH", "Nguyễn Văn Ánh", "TM. ỦY BAN NHÂN DÂN"),),
        recipients=("- Như trên;", "- Lưu: VT, TĐKT."),
    )
    values.update(changes)
    return Document(**values)  # type: ignore[arg-type]


def test_header_blocks_have_the_sizes_styles_and_places_of_nd30(font: fonts.PrintFont) -> None:
    page = read_pdf(pdf_bytes([letter()], font)).pages[0]
    national = page.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    motto = page.line("Độc lập - Tự do - Hạnh phúc")
    body = page.line("ỦY BAN NHÂN DÂN")
    number = page.line("Số: 05/TTr-UBND")
    day = page.line("Phước Tân, ngày 05 tháng 02 năm 2026")
    assert 12 <= national.size <= 13 and national.font.endswith("-Bold")
    assert motto.size == national.size + 1 and motto.font.endswith("-Bold")
    assert 12 <= body.size <= 13 and body.font.endswith("-Bold")
    assert number.size == 13 and not number.font.endswith(("-Bold", "-Italic"))
    assert 13 <= day.size <= 14 and day.font.endswith("-Italic")
    # The national name and motto sit top right, the issuing body top left, both on page 1's top.
    assert national.left_mm > body.right_mm
    assert abs(national.top_mm - body.top_mm) < 2
    assert motto.top_mm > national.top_mm and day.top_mm > motto.top_mm
    type_name = page.line("TỜ TRÌNH")
    abstract = page.line("Về việc đề nghị tặng Bằng khen")
    assert type_name.size == 14 and type_name.font.endswith("-Bold")
    assert abstract.size == 14 and abstract.font.endswith("-Bold")
    assert abs((type_name.left_mm + type_name.right_mm) / 2 - (MARGINS.left + 210 - MARGINS.right) / 2) < 1


def test_rules_under_the_issuing_body_motto_and_abstract(font: fonts.PrintFont) -> None:
    pdf = read_pdf(pdf_bytes([letter()], font))
    page, rules = pdf.pages[0], pdf.rules[0]
    body = page.line("ỦY BAN NHÂN DÂN")
    motto = page.line("Độc lập - Tự do - Hạnh phúc")
    issuing_rule = next(r for r in rules if r[1] < 105)
    length = issuing_rule[1] - issuing_rule[0]
    widest = body.right_mm - body.left_mm
    assert widest / 3 <= length <= widest / 2
    centre = (body.left_mm + body.right_mm) / 2
    assert abs((issuing_rule[0] + issuing_rule[1]) / 2 - centre) < 0.5
    motto_rule = next(r for r in rules if r[0] > 105 and r[2] < 40)
    assert abs((motto_rule[1] - motto_rule[0]) - (motto.right_mm - motto.left_mm)) < 0.5
    assert motto_rule[2] > motto.top_mm  # below the motto, not through it
    abstract_rule = next(r for r in rules if r[2] > page.line("Về việc").top_mm)
    assert 25 < abstract_rule[1] - abstract_rule[0] < 60


def test_text_stays_inside_the_margins_and_body_is_14pt_justified(font: fonts.PrintFont) -> None:
    pdf = read_pdf(pdf_bytes([letter(body_paragraphs=12)], font))
    assert len(pdf.pages) >= 2
    for page in pdf.pages:
        assert (round(page.width_mm), round(page.height_mm)) == (210, 297)
        for line in page.lines:
            assert line.left_mm >= MARGINS.left - 0.5, line
            assert line.right_mm <= 210 - MARGINS.right + 0.5, line
            if line.text != str(page.number):
                assert line.top_mm >= MARGINS.top - 1, line
    body_lines = [line for line in pdf.pages[0].lines if line.text.startswith("kính đề nghị")
                  or line.text.startswith("Căn cứ kết quả")]
    assert body_lines and all(line.size == 14 for line in body_lines)
    # Justified: full lines reach the right margin.
    full = [line for line in pdf.pages[1].lines if line.size == 14 and line.left_mm < 31]
    assert full and max(line.right_mm for line in full) > 210 - MARGINS.right - 0.5


def test_pages_are_numbered_from_two_in_the_top_margin(font: fonts.PrintFont) -> None:
    pdf = read_pdf(pdf_bytes([letter(body_paragraphs=12)], font))
    assert not any(line.text == "1" for line in pdf.pages[0].lines)
    for page in pdf.pages[1:]:
        number = page.lines[0]
        assert number.text == str(page.number)
        assert number.top_mm < MARGINS.top and number.size in (13, 14)
        assert abs((number.left_mm + number.right_mm) / 2 - (MARGINS.left + 210 - MARGINS.right) / 2) < 1


def test_documents_printed_together_number_their_own_pages(font: fonts.PrintFont) -> None:
    pdf = read_pdf(pdf_bytes([letter(body_paragraphs=12), letter(body_paragraphs=12)], font))
    firsts = [page.number for page in pdf.pages if page.lines[0].text.startswith("CỘNG HÒA")
              or any(line.text.startswith("CỘNG HÒA") for line in page.lines[:2])]
    assert len(firsts) == 2 and firsts[0] == 1
    second = firsts[1]
    assert not any(line.text.isdigit() and line.top_mm < 20 for line in pdf.pages[second - 1].lines)
    assert pdf.pages[second].lines[0].text == "2"


def test_closing_has_recipients_left_and_signer_right(font: fonts.PrintFont) -> None:
    pdf = read_pdf(pdf_bytes([letter()], font))
    last = pdf.pages[-1]
    label = last.line("Nơi nhận:")
    assert label.size == 12 and label.font.endswith("-BoldItalic")
    assert last.line("- Như trên;").size == 11
    authority = last.line("TM. ỦY BAN NHÂN DÂN")
    name = last.line("Nguyễn Văn Ánh")
    assert authority.font.endswith("-Bold") and name.font.endswith("-Bold")
    assert authority.left_mm > label.right_mm
    assert name.top_mm - authority.top_mm > 25  # room for the signature and the seal


def test_wide_lists_print_on_landscape_pages_with_the_header_row_repeated(font: fonts.PrintFont) -> None:
    rows = tuple((str(i), f"Trần Thị Ánh {i}", "Hội Phụ nữ xã", "Giấy khen") for i in range(1, 61))
    table = Table((Column("STT", 1, "center"), Column("Họ và tên", 4), Column("Đơn vị", 4),
                   Column("Hình thức", 3)), rows)
    document = letter(appendices=(Appendix("DANH SÁCH", "(Kèm theo Tờ trình số 05/TTr-UBND)",
                                           (table,), landscape=True),))
    pdf = read_pdf(pdf_bytes([document], font))
    wide = [page for page in pdf.pages if page.width_mm > page.height_mm]
    assert len(wide) >= 2
    for page in wide:
        texts = {line.text for line in page.lines}
        assert {"STT", "Họ và tên", "Đơn vị", "Hình thức"} <= texts
    names = [line.text for page in wide for line in page.lines if "Trần Thị Ánh" in line.text]
    assert len(names) == 60  # every row, none cut


def test_text_is_printed_in_nfc_whatever_form_it_was_typed_in(font: fonts.PrintFont) -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
    document = letter(signatures=(Signature("CHỦ TỊCH", decomposed, "TM. ỦY BAN NHÂN DÂN"),))
    text = read_pdf(pdf_bytes([document], font)).text
    assert "Nguyễn Thị Hường" in text
    assert unicodedata.normalize("NFC", text) == text


def test_a_long_paragraph_flows_onto_further_pages_whole(font: fonts.PrintFont) -> None:
    words = [f"từ{i}" for i in range(3000)]
    document = letter(body=(Para(" ".join(words)),))
    pdf = read_pdf(pdf_bytes([document], font))
    assert len(pdf.pages) >= 3
    printed = " ".join(pdf.text.split())
    assert all(f" {word} " in f" {printed} " for word in words[::97] + words[-3:])


def test_a_missing_signer_name_is_named_before_anything_is_drawn(font: fonts.PrintFont, tmp_path: Path) -> None:
    document = letter(signatures=(Signature("CHỦ TỊCH", " ", "TM. ỦY BAN NHÂN DÂN"),))
    with pytest.raises(DocumentError, match="họ và tên người ký"):
        render_pdf([document], font, tmp_path / "x.pdf")
    assert not list(tmp_path.iterdir())


def test_an_issuing_body_line_too_wide_for_its_column_is_refused(font: fonts.PrintFont) -> None:
    header = Header(("ỦY BAN NHÂN DÂN", "XÃ CÓ MỘT CÁI TÊN RẤT RẤT DÀI KHÔNG VỪA CỘT"), "Số: 01/TTr-UBND", "X")
    with pytest.raises(DocumentError, match="dài hơn chỗ dành cho nó"):
        pdf_bytes([letter(header=header)], font)


def test_characters_the_font_lacks_are_refused_not_printed_as_boxes(font: fonts.PrintFont) -> None:
    with pytest.raises(fonts.FontError, match="không có các ký tự: ก"):
        pdf_bytes([letter(body=(Para("Tên gõ nhầm bảng mã: ก"),))], font)


def test_a_disk_full_half_way_leaves_the_old_file_and_no_partial_one(
        font: fonts.PrintFont, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "to-trinh.pdf"
    render_pdf([letter()], font, target)
    before = target.read_bytes()

    def disk_full(documents: object, font: object, out: BinaryIO, *args: object) -> int:
        out.write(b"%PDF-1.4 half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("app.documents.pdf._build", disk_full)
    with pytest.raises(FileWriteError, match="ổ đĩa đã đầy"):
        render_pdf([letter(body_paragraphs=1)], font, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["to-trinh.pdf"]


def test_metadata_names_the_document(font: fonts.PrintFont) -> None:
    pdf = read_pdf(pdf_bytes([letter()], font, author="UBND xã Phước Tân"))
    assert pdf.metadata["Title"].startswith("TỜ TRÌNH Về việc đề nghị")
    assert pdf.metadata["Author"] == "UBND xã Phước Tân"


def test_two_signers_sit_side_by_side_with_their_names_level(font: fonts.PrintFont) -> None:
    signatures = (Signature("THƯ KÝ", "Lê Thị Thu"),
                  Signature("CHỦ TỌA", "Nguyễn Văn Ánh", "TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG XÃ PHƯỚC TÂN",
                            "(Ký, ghi rõ họ và tên)"))
    last = read_pdf(pdf_bytes([letter(signatures=signatures)], font)).pages[-1]
    secretary, chair = last.line("Lê Thị Thu"), last.line("Nguyễn Văn Ánh")
    assert abs(secretary.top_mm - chair.top_mm) < 0.5
    assert secretary.right_mm < chair.left_mm
    assert last.line("THƯ KÝ").top_mm < secretary.top_mm - 25
    assert last.line("Nơi nhận:").top_mm > chair.top_mm  # under both signers


def test_a_heading_kept_with_next_never_ends_a_page_alone(font: fonts.PrintFont) -> None:
    table = Table((Column("Năm", 1), Column("Danh hiệu", 3)), (("2025", "Lao động tiên tiến"),))
    for filler in range(20, 34):  # push the heading to every position near the page end
        body = (*(Para(f"Dòng {i}.") for i in range(filler)),
                Para("1. Danh hiệu thi đua:", keep_with_next=True), table)
        pdf = read_pdf(pdf_bytes([letter(body=body)], font))
        heading = next(p for p in pdf.pages if any(line.text == "1. Danh hiệu thi đua:" for line in p.lines))
        assert any(line.text == "Lao động tiên tiến" for line in heading.lines), filler


def test_table_rows_are_never_split_across_pages(font: fonts.PrintFont) -> None:
    table = Table((Column("Năm", 1), Column("Hình thức", 3)), (("", "Không có"),))
    for filler in range(24, 36):
        body = (*(Para(f"Dòng {i}.") for i in range(filler)), table)
        pdf = read_pdf(pdf_bytes([letter(body=body)], font))
        pages = [p.number for p in pdf.pages if any(line.text == "Hình thức" for line in p.lines)]
        assert len(pages) == 1, filler  # the header row is not repeated over an empty remainder


def test_a_table_cell_taller_than_a_page_is_refused_with_a_message(font: fonts.PrintFont) -> None:
    table = Table((Column("Năm", 1), Column("Tóm tắt", 3)), (("2025", "Thành tích rất dài. " * 900),))
    with pytest.raises(DocumentError, match="dài hơn cả một trang"):
        pdf_bytes([letter(body=(table,))], font)


def test_the_signer_never_stands_alone_on_a_page(font: fonts.PrintFont) -> None:
    def paragraphs(filler: int) -> list[int]:
        body = tuple(Para(f"Đoạn {i}: nội dung của tờ trình.") for i in range(filler))
        pdf = read_pdf(pdf_bytes([letter(body=body)], font))
        return [sum(line.text.startswith("Đoạn ") for line in page.lines) for page in pdf.pages]

    capacity = paragraphs(60)[0]  # what page 1 holds when the body alone overflows it
    for filler in range(3, capacity + 3):  # the closing falls before, across or past page 1's end
        counts = paragraphs(filler)
        if len(counts) == 2:  # the signer takes the last paragraph along, page 1 stays full
            assert counts == [min(filler - 1, capacity), filler - min(filler - 1, capacity)], filler
        else:
            assert counts == [filler]


def test_a_bold_lead_starts_an_upright_paragraph(font: fonts.PrintFont) -> None:
    document = letter(body=(Para("Tặng Giấy khen cho 02 cá nhân.", lead="Điều 1."),))
    with pdfplumber.open(io.BytesIO(pdf_bytes([document], font))) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
    text = unicodedata.normalize("NFC", "".join(c["text"] for c in chars))
    start = text.index("Điều1.Tặng")
    fonts_used = [c["fontname"].split("+")[-1] for c in chars[start:start + 10]]
    assert all(name.endswith("-Bold") for name in fonts_used[:6])  # "Điều1."
    assert not any(name.endswith("-Bold") for name in fonts_used[6:])  # "Tặng"


def test_a_closing_after_a_table_takes_the_table_and_its_heading_along(font: fonts.PrintFont) -> None:
    table = Table((Column("Năm", 1), Column("Hình thức", 3)), (("", "Không có"),))
    for filler in range(10, 30):
        body = (*(Para(f"Đoạn {i}.") for i in range(filler)),
                Para("2. Hình thức khen thưởng:", keep_with_next=True), table)
        pdf = read_pdf(pdf_bytes([letter(body=body)], font))
        last = {line.text for line in pdf.pages[-1].lines}
        assert "Nguyễn Văn Ánh" in last
        if len(pdf.pages) > 1:
            assert {"2. Hình thức khen thưởng:", "Không có"} <= last, filler


MM_PER_PT = 25.4 / 72


def em_bottom_mm(line: Line) -> float:
    """Where the line's em box ends: lines of different sizes on one baseline end within a
    fraction of a millimetre of each other (their tops do not)."""
    return line.top_mm + line.size * MM_PER_PT


@pytest.mark.parametrize("header", [
    Header(("ỦY BAN NHÂN DÂN", "XÃ PHƯỚC TÂN"), "Số: 05/TTr-UBND", "Phước Tân, ngày 05 tháng 02 năm 2026"),
    Header(("HỘI ĐỒNG THI ĐUA", "KHEN THƯỞNG"), "Số: 05/BB-HĐTĐKT", "Phước Tân, ngày 05 tháng 02 năm 2026",
           parent_body="UBND XÃ PHƯỚC TÂN"),
])
def test_the_number_and_the_date_line_stand_on_one_row(font: fonts.PrintFont, header: Header) -> None:
    """NĐ30 Phụ lục I: 'Số, ký hiệu' (ô 3) and 'Địa danh, ngày tháng' (ô 4) share a row,
    whether the issuing body takes two lines or three."""
    page = read_pdf(pdf_bytes([letter(header=header)], font)).pages[0]
    number, day = page.line("Số: 05/"), page.line("Phước Tân, ngày 05")
    assert abs(em_bottom_mm(number) - em_bottom_mm(day)) < 0.3, (number, day)
    rules = sorted(read_pdf(pdf_bytes([letter(header=header)], font)).rules[0], key=lambda r: r[2])
    assert number.top_mm > rules[0][2] and number.top_mm > rules[1][2]  # under both rules
    assert page.line("TỜ TRÌNH").top_mm > day.top_mm + 5


def test_a_number_too_wide_for_its_column_is_refused_naming_the_symbol(font: fonts.PrintFont) -> None:
    header = Header(("ỦY BAN NHÂN DÂN", "XÃ PHƯỚC TÂN"), "Số: 05/BB-HĐTĐKT-UBND-XPHUOCTAN-DONGNAI",
                    "Phước Tân, ngày 05 tháng 02 năm 2026")
    with pytest.raises(DocumentError, match="ký hiệu “BB-HĐTĐKT-UBND-XPHUOCTAN-DONGNAI”"):
        pdf_bytes([letter(header=header)], font)


def long_table(rows: int) -> Table:
    return Table((Column("STT", 1), Column("Họ và tên", 3)),
                 tuple((str(i), f"Người thứ {i}") for i in range(1, rows + 1)))


def test_headings_before_a_table_longer_than_the_space_left_do_not_leave_the_page_empty(
        font: fonts.PrintFont) -> None:
    body = (Para("Đoạn mở đầu."), Para("1. Danh sách:", keep_with_next=True),
            Para("Gồm những người sau:", keep_with_next=True), long_table(60))
    page = read_pdf(pdf_bytes([letter(body=body)], font)).pages[0]
    texts = {line.text for line in page.lines}
    assert {"1. Danh sách:", "Gồm những người sau:", "Người thứ 1", "Người thứ 2"} <= texts
    assert page.lines[-1].top_mm > 297 - MARGINS.bottom - 20  # the table fills page 1


def test_headings_before_a_long_table_still_take_its_first_rows_along(font: fonts.PrintFont) -> None:
    for filler in range(20, 34):  # push the headings to every position near the page end
        body = (*(Para(f"Dòng {i}.") for i in range(filler)),
                Para("1. Danh sách:", keep_with_next=True),
                Para("Gồm những người sau:", keep_with_next=True), long_table(60))
        pdf = read_pdf(pdf_bytes([letter(body=body)], font))
        heading = next(p for p in pdf.pages if any(line.text == "1. Danh sách:" for line in p.lines))
        texts = {line.text for line in heading.lines}
        assert {"Gồm những người sau:", "Người thứ 1", "Người thứ 2"} <= texts, filler
        before = pdf.pages[heading.number - 2] if heading.number > 1 else None
        if before is not None:  # moved on only when the headings and two rows (~40 mm) did not fit
            assert before.lines[-1].top_mm > 297 - MARGINS.bottom - 50, filler


def test_a_heading_before_a_long_paragraph_does_not_leave_the_page_empty(font: fonts.PrintFont) -> None:
    body = (Para("Đoạn mở đầu."), Para("1. Nội dung:", keep_with_next=True), Para(LONG * 40))
    page = read_pdf(pdf_bytes([letter(body=body)], font)).pages[0]
    assert any(line.text == "1. Nội dung:" for line in page.lines)
    assert page.lines[-1].top_mm > 297 - MARGINS.bottom - 20
