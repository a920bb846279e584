"""The Word copy (.docx) of a document: the same text as the PDF, in the NĐ30 layout, read back
with python-docx (text in NFC and in order, fonts and sizes, sections, rules, page numbers)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENTATION, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from reportlab.pdfbase.pdfmetrics import registerFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from sqlalchemy import select

from app.documents import layout as L
from app.documents.docx_copy import render_docx, text_width_mm
from app.documents.kinds import Kind, Owner
from app.documents.model import (Appendix, Column, Document, DocumentError, Header, PageBreak,
                                 Para, Signature, Table)
from app.errors import FileWriteError
from app.services import Services
from db.models import Individual, Nomination

TNR = "Times New Roman"
LONG = ("Căn cứ kết quả bình xét của Hội đồng Thi đua - Khen thưởng xã, Ủy ban nhân dân xã "
        "kính đề nghị Chủ tịch Ủy ban nhân dân tỉnh xem xét, khen thưởng. ")
NAMES = [f"Nguyễn Thị Hường {index:02d}" for index in range(1, 41)]
# Liberation Serif is metric-compatible with Times New Roman: it measures what Word will draw.
LIBERATION_BOLD = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def rich(**changes: object) -> Document:
    """A report with every part: header, addressee, long text, a 40-row table, two signers,
    recipients and a landscape appendix. Some text is given decomposed (NFD) on purpose."""
    values: dict[str, object] = dict(
        kind="bao-cao-thanh-tich",
        header=Header(("ỦY BAN NHÂN DÂN", "XÃ PHƯỚC TÂN"), "Số: 05/BC-UBND",
                      "Phước Tân, ngày 05 tháng 02 năm 2026", parent_body="UBND TỈNH ĐỒNG NAI"),
        type_name="BÁO CÁO THÀNH TÍCH",
        abstract=nfd("Đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"),
        addressee=("Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai", "Sở Nội vụ tỉnh Đồng Nai"),
        body=(
            Para("I. SƠ LƯỢC LÝ LỊCH", align="left", bold=True, indent=False, keep_with_next=True),
            Para(nfd("- Họ và tên: Trần Thị Ngọc Ánh")),
            Para(LONG * 60),
            Table((Column("STT", 1, "center"), Column("Họ và tên", 4), Column("Danh hiệu", 4)),
                  tuple((str(index), name, "Chiến sĩ thi đua cơ sở")
                        for index, name in enumerate(NAMES, 1))),
            Para("Ghi chú cuối báo cáo.", align="center", italic=True, indent=False),
        ),
        signatures=(Signature("THỦ TRƯỞNG ĐƠN VỊ", "Lê Văn Đức", caption="(Ký, đóng dấu)"),
                    Signature("NGƯỜI BÁO CÁO", "Trần Thị Ngọc Ánh", caption="(Ký, ghi rõ họ tên)")),
        recipients=("- Như trên;", "- Lưu: VT, TĐKT."),
        appendices=(Appendix("DANH SÁCH\nKÈM THEO BÁO CÁO", "(Kèm theo Báo cáo số 05/BC-UBND)",
                             (Table((Column("STT", 1), Column("Tên sáng kiến", 8)),
                                    (("1", "Số hóa hồ sơ thi đua, khen thưởng"),)),),
                             landscape=True),),
    )
    values.update(changes)
    return Document(**values)  # type: ignore[arg-type]


def letter(**changes: object) -> Document:
    values: dict[str, object] = dict(
        kind="to-trinh",
        header=Header(("ỦY BAN NHÂN DÂN", "XÃ PHƯỚC TÂN"), "Số: 07/TTr-UBND",
                      "Phước Tân, ngày 20 tháng 11 năm 2026"),
        type_name="TỜ TRÌNH", abstract="Về việc đề nghị tặng Bằng khen",
        addressee=("Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai",),
        body=(Para(LONG),),
        signatures=(Signature("CHỦ TỊCH", "Nguyễn Văn Ánh", "TM. ỦY BAN NHÂN DÂN"),),
        recipients=("- Như trên;", "- Lưu: VT, TĐKT."),
    )
    values.update(changes)
    return Document(**values)  # type: ignore[arg-type]


def written(tmp_path: Path, *documents: Document) -> WordDocument:
    path = tmp_path / "copy.docx"
    render_docx(list(documents), "Liberation Serif", path)
    assert not path.with_name("copy.docx.part").exists()
    return docx.Document(str(path))


def paragraphs(word: WordDocument) -> Iterator[Paragraph]:
    """Every paragraph of the body in reading order, table cells row by row."""
    for item in word.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item
        else:
            yield from table_paragraphs(item)


def table_paragraphs(table: WordTable) -> Iterator[Paragraph]:
    for row in table.rows:
        for cell in row.cells:
            yield from cell.paragraphs


def texts(word: WordDocument) -> list[str]:
    return [p.text for p in paragraphs(word) if p.text]


def section_texts(word: WordDocument) -> list[list[str]]:
    """The body's text per section (a section ends with the paragraph carrying its sectPr)."""
    result: list[list[str]] = [[]]
    for child in word.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, word)
            if paragraph.text:
                result[-1].append(paragraph.text)
            if child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                result.append([])
        elif child.tag == qn("w:tbl"):
            result[-1] += [p.text for p in table_paragraphs(WordTable(child, word)) if p.text]
    return result


def run_with(word: WordDocument, text: str) -> Run:
    return next(run for p in paragraphs(word) for run in p.runs if run.text.startswith(text))


def paragraph_with(word: WordDocument, text: str) -> Paragraph:
    return next(p for p in paragraphs(word) if p.text.startswith(text))


def in_order(haystack: list[str], needles: list[str]) -> bool:
    position = 0
    for needle in needles:
        while position < len(haystack) and needle not in haystack[position]:
            position += 1
        if position == len(haystack):
            return False
    return True


def rule_width_mm(paragraph: Paragraph, cell_width_mm: float) -> float:
    layout = paragraph.paragraph_format
    return cell_width_mm - layout.left_indent.mm - layout.right_indent.mm


def rules(word: WordDocument) -> list[Paragraph]:
    return [p for p in paragraphs(word)
            if p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None]


def test_the_text_is_nfc_and_in_the_order_of_the_pdf(tmp_path: Path) -> None:
    word = written(tmp_path, rich())
    lines = texts(word)
    assert all(unicodedata.is_normalized("NFC", line) for line in lines)
    assert in_order(lines, [
        "UBND TỈNH ĐỒNG NAI", "ỦY BAN NHÂN DÂN", "XÃ PHƯỚC TÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 05/BC-UBND",
        "Phước Tân, ngày 05 tháng 02 năm 2026", "BÁO CÁO THÀNH TÍCH",
        "Đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "Kính gửi:\tChủ tịch Ủy ban nhân dân tỉnh Đồng Nai\nSở Nội vụ tỉnh Đồng Nai",
        "I. SƠ LƯỢC LÝ LỊCH", "- Họ và tên: Trần Thị Ngọc Ánh", LONG * 60, "STT", "Họ và tên",
        "Danh hiệu", *NAMES, "Ghi chú cuối báo cáo.", "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, đóng dấu)",
        "NGƯỜI BÁO CÁO", "(Ký, ghi rõ họ tên)", "Lê Văn Đức", "Trần Thị Ngọc Ánh", "Nơi nhận:",
        "- Như trên;", "- Lưu: VT, TĐKT.", "DANH SÁCH\nKÈM THEO BÁO CÁO",
        "(Kèm theo Báo cáo số 05/BC-UBND)", "Số hóa hồ sơ thi đua, khen thưởng"])
    # The very long paragraph is one paragraph, whole: Word flows it, nothing is cut.
    assert lines.count(LONG * 60) == 1
    assert word.core_properties.title.startswith("BÁO CÁO THÀNH TÍCH Đề nghị tặng")
    assert word.core_properties.language == "vi-VN"


def test_the_number_and_the_date_line_share_a_row_under_both_rules(tmp_path: Path) -> None:
    header = written(tmp_path, rich()).tables[0]
    assert len(header.rows) == 2
    number, day = header.rows[1].cells
    assert number.text == "Số: 05/BC-UBND" and day.text == "Phước Tân, ngày 05 tháng 02 năm 2026"
    assert number.vertical_alignment == day.vertical_alignment == WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    assert "Số:" not in header.rows[0].cells[0].text


def test_header_blocks_have_the_fonts_sizes_and_styles_of_nd30(tmp_path: Path) -> None:
    word = written(tmp_path, rich())
    expected = {  # text: (size, bold, italic)
        "UBND TỈNH ĐỒNG NAI": (13, False, False),
        "ỦY BAN NHÂN DÂN": (13, True, False),
        "XÃ PHƯỚC TÂN": (13, True, False),
        "Số: 05/BC-UBND": (13, False, False),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": (12, True, False),
        "Độc lập - Tự do - Hạnh phúc": (13, True, False),
        "Phước Tân, ngày 05 tháng 02 năm 2026": (14, False, True),
        "BÁO CÁO THÀNH TÍCH": (14, True, False),
        "Đề nghị tặng Bằng khen": (14, True, False),
        "Nơi nhận:": (12, True, True),
        "- Như trên;": (11, False, False),
        "THỦ TRƯỞNG ĐƠN VỊ": (14, True, False),
        "Lê Văn Đức": (14, True, False),
    }
    for text, (size, bold, italic) in expected.items():
        run = run_with(word, text)
        assert run.font.size.pt == size, text
        assert bool(run.font.bold) is bold and bool(run.font.italic) is italic, text
        fonts = run._element.rPr.rFonts
        assert [fonts.get(qn(f"w:{name}")) for name in ("ascii", "hAnsi", "eastAsia", "cs")] \
            == [TNR] * 4, text
    header = word.tables[0]
    closing = next(t for t in word.tables if "NGƯỜI BÁO CÁO" in t.rows[0].cells[-1].text)
    left, right = header.rows[0].cells
    assert left.paragraphs[0].text == "UBND TỈNH ĐỒNG NAI"
    assert [p.text for p in right.paragraphs if p.text][0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert abs(right.width.mm - L.RIGHT_COLUMN_MM) < 0.1
    for table in (header, closing):  # borderless layout tables
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert {border.get(qn("w:val")) for border in borders} == {"nil"}
    for text in ("ỦY BAN NHÂN DÂN", "CỘNG HÒA", "BÁO CÁO THÀNH TÍCH", "Đề nghị tặng"):
        assert paragraph_with(word, text).alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert word.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}"
                                    f"/{qn('w:lang')}").get(qn("w:val")) == "vi-VN"


def test_body_is_justified_14_pt_with_first_line_indent_and_paragraph_space(tmp_path: Path) -> None:
    word = written(tmp_path, rich())
    body = paragraph_with(word, LONG)
    layout = body.paragraph_format
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(layout.first_line_indent.mm - L.FIRST_LINE_INDENT_MM) < 0.1
    assert layout.space_before.pt >= 6
    assert layout.line_spacing_rule == WD_LINE_SPACING.AT_LEAST
    assert layout.line_spacing.pt == pytest.approx(L.BODY_SIZE * L.LINE_SPACING)
    assert all(run.font.size.pt == 14 and not run.font.bold for run in body.runs)
    heading = paragraph_with(word, "I. SƠ LƯỢC LÝ LỊCH")
    assert heading.alignment == WD_ALIGN_PARAGRAPH.LEFT and heading.runs[0].font.bold
    assert not heading.paragraph_format.first_line_indent
    assert heading.paragraph_format.keep_with_next and not layout.keep_with_next
    note = paragraph_with(word, "Ghi chú cuối")
    assert note.alignment == WD_ALIGN_PARAGRAPH.CENTER and note.runs[0].font.italic
    # "Kính gửi": the further lines start under the first name (a hanging indent).
    addressee = paragraph_with(word, "Kính gửi:").paragraph_format
    assert addressee.first_line_indent.mm < 0
    assert addressee.left_indent.mm == pytest.approx(-addressee.first_line_indent.mm
                                                     + (165 - text_width_mm(
                                                         "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai",
                                                         14)) / 2, abs=0.5)


def test_rules_under_the_issuing_body_motto_and_abstract(tmp_path: Path) -> None:
    word = written(tmp_path, rich())
    issuing, motto, abstract = rules(word)
    left = 165 - L.RIGHT_COLUMN_MM
    widest = text_width_mm("ỦY BAN NHÂN DÂN", L.ISSUING_BODY_SIZE, bold=True)
    assert widest / 3 <= rule_width_mm(issuing, left) <= widest / 2
    # The motto's rule is as long as the motto as Times New Roman draws it (Liberation Serif
    # has the same metrics), within a millimetre.
    registerFont(TTFont("LiberationSerif-Bold-test", LIBERATION_BOLD))
    drawn = stringWidth(L.MOTTO, "LiberationSerif-Bold-test", L.MOTTO_SIZE) / L.MM
    assert abs(rule_width_mm(motto, L.RIGHT_COLUMN_MM) - drawn) < 1
    assert 30 <= rule_width_mm(abstract, 165) <= 60
    for rule in (issuing, motto, abstract):  # centred: the same indent on both sides
        layout = rule.paragraph_format
        assert layout.left_indent == layout.right_indent
        assert layout.line_spacing_rule == WD_LINE_SPACING.EXACTLY


def test_sections_have_a4_margins_orientation_and_numbering_from_page_two(tmp_path: Path) -> None:
    word = written(tmp_path, rich())
    main, appendix = word.sections
    for section, landscape in ((main, False), (appendix, True)):
        width, height = (297, 210) if landscape else (210, 297)
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (width, height)
        assert section.orientation == (WD_ORIENTATION.LANDSCAPE if landscape
                                       else WD_ORIENTATION.PORTRAIT)
        assert round(section.top_margin.mm) == L.MARGINS.top
        assert round(section.bottom_margin.mm) == L.MARGINS.bottom
        assert round(section.left_margin.mm) == L.MARGINS.left
        assert round(section.right_margin.mm) == L.MARGINS.right
        assert section.header_distance.mm < L.MARGINS.top / 2  # the number sits in the top margin
        assert "PAGE" in page_field(section.header._element)
        number = section.header.paragraphs[0]
        assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.font.size.pt == L.PAGE_NUMBER_SIZE for run in number.runs)
    # Page 1 shows no number; the numbering starts at 1 with the document, and the appendix
    # (a new page) goes on counting.
    assert main.different_first_page_header_footer
    assert not main.first_page_header.is_linked_to_previous
    assert page_field(main.first_page_header._element) == ""
    assert page_start(main) == "1"
    assert appendix.start_type == WD_SECTION.NEW_PAGE
    assert not appendix.different_first_page_header_footer and page_start(appendix) is None
    body, attached = section_texts(word)[:2]
    assert body[-1] == "- Lưu: VT, TĐKT." and attached[0] == "DANH SÁCH\nKÈM THEO BÁO CÁO"


def page_field(header: object) -> str:
    return "".join(node.text or "" for node in header.iter(qn("w:instrText")))  # type: ignore[attr-defined]


def page_start(section: object) -> str | None:
    numbering = section._sectPr.find(qn("w:pgNumType"))  # type: ignore[attr-defined]
    return None if numbering is None else numbering.get(qn("w:start"))


def test_a_long_table_repeats_its_header_row_and_has_borders(tmp_path: Path) -> None:
    word = written(tmp_path, rich())
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "STT")
    assert len(table.rows) == 41
    flags = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
             for row in table.rows]
    assert flags == [True] + [False] * 40
    # Rows move whole to the next page, as in the PDF.
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert [row.cells[1].text for row in table.rows[1:]] == NAMES
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {border.get(qn("w:val")) for border in borders} == {"single"}
    assert sum(cell.width.mm for cell in table.rows[0].cells) == pytest.approx(165, abs=0.2)
    head = table.rows[0].cells[1].paragraphs[0]
    assert head.runs[0].font.bold and head.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert table.rows[5].cells[1].paragraphs[0].runs[0].font.size.pt == 12
    assert table.rows[5].cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    # Landscape appendix: its table spans the wide frame.
    wide = word.tables[-1]
    assert sum(cell.width.mm for cell in wide.rows[0].cells) == pytest.approx(252, abs=0.2)


def test_two_signers_stand_left_and_right_with_the_recipients_under_them(tmp_path: Path) -> None:
    word = written(tmp_path, rich())
    closing = next(t for t in word.tables if "NGƯỜI BÁO CÁO" in t.rows[0].cells[1].text)
    headings, names = closing.rows
    assert [p.text for p in headings.cells[0].paragraphs] == ["THỦ TRƯỞNG ĐƠN VỊ", "(Ký, đóng dấu)"]
    assert [p.text for p in headings.cells[1].paragraphs] == ["NGƯỜI BÁO CÁO", "(Ký, ghi rõ họ tên)"]
    # The names share a row, so they stand level whatever the lines above them.
    assert [cell.text for cell in names.cells] == ["Lê Văn Đức", "Trần Thị Ngọc Ánh"]
    assert [round(cell.width.mm, 1) for cell in headings.cells] == [82.5, 82.5]
    for cell in names.cells:
        space = cell.paragraphs[0].paragraph_format.space_before
        assert space.mm == pytest.approx(L.SIGNING_SPACE_MM, abs=0.1)
    cells = [*headings.cells, *names.cells]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for cell in cells for p in cell.paragraphs)
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in closing.rows)
    # Kept on one page: the headings with the names, the names with the recipients under them.
    assert all(p.paragraph_format.keep_with_next for cell in cells for p in cell.paragraphs)
    recipients = [paragraph_with(word, text) for text in ("Nơi nhận:", "- Như trên;", "- Lưu: VT")]
    assert [bool(p.paragraph_format.keep_with_next) for p in recipients] == [True, True, False]
    assert recipients[0].paragraph_format.space_before.pt == 12


def test_one_signer_stands_right_with_the_recipients_left(tmp_path: Path) -> None:
    word = written(tmp_path, letter(header=Header(("ỦY BAN NHÂN DÂN", "XÃ PHƯỚC TÂN"),
                                                  "Số:       /TTr-UBND", "Phước Tân, ngày")))
    # The blanks left to fill by hand keep their width.
    number = run_with(word, "Số:")._r.find(qn("w:t"))
    assert number.text == "Số:       /TTr-UBND" and number.get(qn("xml:space")) == "preserve"
    left, right = word.tables[-1].rows[0].cells
    assert [p.text for p in left.paragraphs] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT, TĐKT."]
    assert [p.text for p in right.paragraphs] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Ánh"]
    assert paragraph_with(word, "Kính gửi:").text == "Kính gửi:\tChủ tịch Ủy ban nhân dân tỉnh Đồng Nai"


def test_several_documents_each_start_a_section_that_numbers_its_own_pages(tmp_path: Path) -> None:
    word = written(tmp_path, rich(), letter(), rich(appendices=()))
    sections = word.sections
    assert [page_start(section) for section in sections] == ["1", None, "1", "1"]
    assert [section.different_first_page_header_footer for section in sections] == \
        [True, False, True, True]
    assert all(section.start_type == WD_SECTION.NEW_PAGE for section in sections[1:])
    assert [section.orientation for section in sections] == [
        WD_ORIENTATION.PORTRAIT, WD_ORIENTATION.LANDSCAPE, WD_ORIENTATION.PORTRAIT,
        WD_ORIENTATION.PORTRAIT]
    starts = [texts[0] if texts else "" for texts in section_texts(word)]
    assert starts[:4] == ["UBND TỈNH ĐỒNG NAI", "DANH SÁCH\nKÈM THEO BÁO CÁO", "ỦY BAN NHÂN DÂN",
                          "UBND TỈNH ĐỒNG NAI"]
    for section in sections:
        assert "PAGE" in page_field(section.header._element)


def test_a_page_break_block_starts_the_next_paragraph_on_a_new_page(tmp_path: Path) -> None:
    word = written(tmp_path, letter(body=(Para("Trang một."), PageBreak(), Para("Trang hai."))))
    assert not paragraph_with(word, "Trang một.").paragraph_format.page_break_before
    assert paragraph_with(word, "Trang hai.").paragraph_format.page_break_before


def test_a_missing_signer_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "copy.docx"
    unsigned = letter(signatures=(Signature("CHỦ TỊCH", " ", "TM. ỦY BAN NHÂN DÂN"),))
    with pytest.raises(DocumentError, match="người ký"):
        render_docx([unsigned], "Liberation Serif", path)
    with pytest.raises(DocumentError):
        render_docx([], "Liberation Serif", path)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_place_gives_a_message_and_leaves_no_part_file(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError, match="Word"):
        render_docx([letter()], "Liberation Serif", tmp_path / "missing" / "copy.docx")
    assert list(tmp_path.iterdir()) == []


def _report_owner(services: Services) -> Owner:
    with services.sessions() as session:
        return Owner("nomination", session.scalars(
            select(Nomination.id).join(Individual, Individual.id == Nomination.subject_id)
            .where(Nomination.award_code == "BK_TINH", Nomination.route != "sudden")
            .order_by(Nomination.id)).first())  # type: ignore[arg-type]


def _proposal_owner(services: Services) -> Owner:
    """A council session after the reform that sent nominations up to the province."""
    for year in (2025, 2026):
        for row in services.council.sessions(year):
            if not row.is_final or row.corrected_by_id is not None:
                continue
            detail = services.council.detail(row.id)
            if detail.session.held_on >= date(2025, 7, 1) and any(
                    c.state in ("proposed", "approved", "not_approved") for c in detail.candidates):
                return Owner("session", row.id)
    raise AssertionError("the small demo has no session that proposed to the province")


@pytest.mark.parametrize("kind", [Kind.REPORT, Kind.PROPOSAL])
def test_the_word_copy_of_a_report_and_a_proposal_prints_the_pdfs_text(
        demo_services: Services, tmp_path: Path, kind: Kind) -> None:
    owner = _report_owner(demo_services) if kind is Kind.REPORT else _proposal_owner(demo_services)
    path = tmp_path / f"{kind.value}.docx"
    demo_services.printing.write_docx(kind, owner, path)
    word = docx.Document(str(path))
    lines = texts(word)
    flat = "\n".join(lines).replace("Kính gửi:\t", "")
    assert unicodedata.is_normalized("NFC", flat)
    (document,) = demo_services.printing.documents(kind, [owner])
    expected = [line for line in unicodedata.normalize("NFC", document.text()).split("\n")
                if line.strip()]
    missing = [line for line in expected if line not in flat]
    assert missing == []
    assert in_order(lines, [document.header.issuing_body[0], L.NATIONAL_NAME, document.type_name.split("\n")[0]])
    assert len(word.sections) == 1 + len(document.appendices)
    if kind is Kind.PROPOSAL:
        assert word.sections[-1].orientation == WD_ORIENTATION.LANDSCAPE
