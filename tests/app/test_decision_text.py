"""Quyết định khen thưởng: number and date from the register, căn cứ lines, Điều 1–3 with the
money in figures, the signer, Nơi nhận and the attached list, read back from the PDF."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.document_style import format_money as money
from app.documents.kinds import Kind, Owner
from app.documents.layout import MARGINS
from app.documents.model import DocumentError
from app.services import Services
from db.models import Decision
from tests.app.pdf_reading import Line, Pdf, read_pdf


def decision(services: Services, number: str, decided_on: date) -> Owner:
    with services.sessions() as session:
        found = session.scalars(select(Decision.id).where(Decision.number == number,
                                                          Decision.decided_on == decided_on)).one()
    return Owner("decision", found)


def printed(services: Services, owner: Owner, **edits: str) -> Pdf:
    if edits:
        services.printing.save_texts(Kind.DECISION, owner, edits)
    return read_pdf(services.printing.pdf(Kind.DECISION, [owner]))


def exact(lines: tuple[Line, ...], text: str) -> Line:
    found = [line for line in lines if line.text == text]
    assert found, text
    return found[0]


def flat(pdf: Pdf) -> str:
    return " ".join(pdf.text.split())


def test_number_date_and_header_blocks_of_an_issued_decision(demo_services: Services) -> None:
    pdf = printed(demo_services, decision(demo_services, "05/QĐ-UBND", date(2026, 4, 29)))
    page = pdf.pages[0]
    number = page.line("Số:")
    assert number.text == "Số: 05/QĐ-UBND" and number.size == 13
    day = page.line("Phước An, ngày 29 tháng 4 năm 2026")
    assert day.font.endswith("-Italic") and day.size == 14
    for text in ("ỦY BAN NHÂN DÂN", "XÃ PHƯỚC AN"):
        line = page.line(text)
        assert line.size == 13 and line.font.endswith("-Bold")
    national = page.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert national.size == 12 and national.font.endswith("-Bold")
    assert page.line("Độc lập - Tự do - Hạnh phúc").size == 13
    for text in ("QUYẾT ĐỊNH", "Về việc khen thưởng thành tích đột xuất",
                 "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ PHƯỚC AN", "QUYẾT ĐỊNH:"):
        line = page.line(text)
        assert line.size == 14 and line.font.endswith("-Bold"), line
        assert abs((line.left_mm + line.right_mm) / 2 - (MARGINS.left + 210 - MARGINS.right) / 2) < 1
    basis = page.line("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;")
    assert basis.font.endswith("-Italic") and basis.size == 14
    text = flat(pdf)
    assert "Căn cứ Nghị định số 152/2025/NĐ-CP" in text
    assert "Theo đề nghị của Công chức phụ trách công tác thi đua, khen thưởng." in text


def test_articles_money_signer_and_recipients(demo_services: Services) -> None:
    pdf = printed(demo_services, decision(demo_services, "05/QĐ-UBND", date(2026, 4, 29)))
    text = flat(pdf)
    assert ("Điều 1. Tặng Giấy khen của Chủ tịch Ủy ban nhân dân xã cho 01 cá nhân đã có thành "
            "tích đột xuất (có danh sách kèm theo).") in text
    assert ("Điều 2. Tiền thưởng kèm theo Giấy khen của Chủ tịch Ủy ban nhân dân xã: - 01 cá nhân "
            "× 710.000 đồng = 710.000 đồng. Tổng số tiền thưởng: 710.000 đồng. Nguồn kinh phí: "
            "Quỹ thi đua, khen thưởng của xã Phước An năm 2026.") in text
    assert "Điều 3. Quyết định này có hiệu lực kể từ ngày ký." in text
    closing = next(page for page in pdf.pages if any(line.text == "Nơi nhận:" for line in page.lines))
    # The decision is the chairman's own: he signs under his title, not "TM." a collective body.
    assert not any(line.text.startswith("TM.") for line in closing.lines)
    title = exact(closing.lines, "CHỦ TỊCH")
    name = exact(closing.lines, "Đào Quang Hòa")
    assert title.font.endswith("-Bold")
    assert name.font.endswith("-Bold") and name.top_mm > title.top_mm + 20
    label = closing.line("Nơi nhận:")
    assert label.size == 12 and label.font.endswith("-BoldItalic") and label.right_mm < title.left_mm
    assert [line.text for line in closing.lines if line.text.startswith("- ") and line.size == 11] == [
        "- Như Điều 3;", "- TT. Đảng ủy, HĐND xã;", "- Chủ tịch, các PCT UBND xã;", "- Lưu: VT, TĐKT."]


def test_the_attached_list_is_grouped_by_award_with_amounts_and_totals(demo_services: Services) -> None:
    owner = decision(demo_services, "03/QĐ-UBND", date(2025, 12, 17))
    detail = demo_services.decisions.detail(owner.id)
    pdf = printed(demo_services, owner)
    text = flat(pdf)
    assert ("Điều 1. Tặng Giấy khen của Chủ tịch Ủy ban nhân dân xã cho 01 tập thể, 01 thôn, "
            "02 hộ gia đình và 02 cá nhân đã có thành tích trong phong trào thi đua «Chung sức "
            "xây dựng nông thôn mới» năm 2025 (có danh sách kèm theo).") in text
    assert "- 01 tập thể × 1.410.000 đồng = 1.410.000 đồng;" in text
    assert "- 02 cá nhân × 710.000 đồng = 1.420.000 đồng." in text
    assert f"Tổng số tiền thưởng: {money(detail.total)} đồng." in text and money(detail.total) == "4.960.000"
    listing = pdf.pages[-1]
    assert listing.line("DANH SÁCH").font.endswith("-Bold")
    assert "(Kèm theo Quyết định số 03/QĐ-UBND ngày 17 tháng 12 năm 2025 của Chủ tịch Ủy ban nhân " \
        "dân xã Phước An)" in " ".join(line.text for line in listing.lines)
    header = [line.text for line in listing.lines if line.font.endswith("-Bold")]
    assert "STT Họ và tên / tên tập thể" in " ".join(header)
    for item in detail.items:
        assert item.subject_name.split()[0] in text and money(item.reward_amount) in text
    assert any(line.text.startswith("Cộng") for line in listing.lines)
    assert any(line.text.endswith("4.960.000") for line in listing.lines)


def test_the_minutes_of_the_session_that_voted_are_cited_with_their_number(demo_services: Services) -> None:
    owner = decision(demo_services, "03/QĐ-UBND", date(2025, 12, 17))
    text = flat(printed(demo_services, owner))
    # The correcting session of 09/12 replaced the session of 08/12 for these nominations.
    assert ("Căn cứ Biên bản họp Hội đồng Thi đua - Khen thưởng xã Phước An ngày 09 tháng 12 năm "
            "2025;") in text
    assert "ngày 08 tháng 12 năm 2025" not in text
    sessions = [row for row in demo_services.council.sessions(2025) if row.held_on == date(2025, 12, 9)]
    demo_services.printing.save_texts(Kind.MINUTES, Owner("session", sessions[0].id), {"number": "4"})
    demo_services.printing.reset_texts(Kind.DECISION, owner)
    assert ("Căn cứ Biên bản số 04/BB-HĐTĐKT ngày 09 tháng 12 năm 2025 của Hội đồng Thi đua - Khen "
            "thưởng xã Phước An;") in flat(printed(demo_services, owner))


def test_a_revoked_item_stays_in_the_list_marked_and_counted_as_signed(demo_services: Services) -> None:
    owner = decision(demo_services, "01/QĐ-UBND", date(2025, 1, 16))
    detail = demo_services.decisions.detail(owner.id)
    revoked = [item for item in detail.items if item.revoked_on]
    assert len(revoked) == 1 and len(detail.items) == 22
    pdf = printed(demo_services, owner)
    text = flat(pdf)
    assert "cho 22 cá nhân (có danh sách kèm theo)" in text
    assert "Tổng số tiền thưởng: 15.620.000 đồng." in text
    lines = [line for page in pdf.pages for line in page.lines]
    name = next(i for i, line in enumerate(lines) if revoked[0].subject_name in line.text)
    mark = " ".join(line.text for line in lines[name:name + 6])
    assert f"(Đã thu hồi ngày {revoked[0].revoked_on:%d/%m/%Y})" in mark or \
        ("(Đã thu hồi ngày" in mark and f"{revoked[0].revoked_on:%d/%m/%Y})" in mark), mark
    assert "Căn cứ Nghị định số 98/2023/NĐ-CP" in text  # decided before 01/07/2025


def test_a_draft_prints_blanks_for_number_and_date_and_signs_kt(demo_services: Services) -> None:
    choice = demo_services.decisions.decidable(2026)[0]
    row = demo_services.decisions.create_draft(2026, [choice.id], "Về việc khen thưởng thành tích đột xuất",
                                               "Lê Văn Phó", "PHÓ CHỦ TỊCH", sign_mode="KT")
    pdf = printed(demo_services, Owner("decision", row.id))
    page = pdf.pages[0]
    assert page.line("Số:").text == "Số: /QĐ-UBND"
    assert page.line("Phước An, ngày").text == "Phước An, ngày tháng năm"
    text = flat(pdf)
    lines = tuple(line for p in pdf.pages for line in p.lines)
    authority, title = exact(lines, "KT. CHỦ TỊCH"), exact(lines, "PHÓ CHỦ TỊCH")
    signer = exact(lines, "Lê Văn Phó")
    assert authority.top_mm < title.top_mm < signer.top_mm and signer.font.endswith("-Bold")
    assert "(Kèm theo Quyết định số /QĐ-UBND ngày tháng năm của Chủ tịch Ủy ban nhân dân xã " \
        "Phước An)" in text
    assert choice.subject_name in text


def test_a_missing_signer_name_is_refused_naming_it(demo_services: Services) -> None:
    owner = decision(demo_services, "05/QĐ-UBND", date(2026, 4, 29))
    demo_services.printing.save_texts(Kind.DECISION, owner, {"signer_name": ""})
    with pytest.raises(DocumentError, match="họ và tên người ký"):
        demo_services.printing.pdf(Kind.DECISION, [owner])


def test_edits_print_and_pages_keep_margins_and_numbers(demo_services: Services) -> None:
    owner = decision(demo_services, "01/QĐ-UBND", date(2025, 1, 16))
    pdf = printed(demo_services, owner, funds="Ngân sách xã năm 2025",
                  article3="Quyết định này có hiệu lực kể từ ngày ký.\nVăn phòng và các cá nhân có tên "
                           "tại Điều 1 thi hành Quyết định này./.")
    text = flat(pdf)
    assert "Nguồn kinh phí: Ngân sách xã năm 2025." in text
    assert "Điều 3. Quyết định này có hiệu lực kể từ ngày ký." in text
    assert "Văn phòng và các cá nhân có tên tại Điều 1 thi hành Quyết định này./." in text
    assert len(pdf.pages) >= 3
    assert not any(line.text == "1" for line in pdf.pages[0].lines)
    for page in pdf.pages:
        assert (round(page.width_mm), round(page.height_mm)) == (210, 297)
        if page.number > 1:
            assert page.lines[0].text == str(page.number) and page.lines[0].top_mm < MARGINS.top
        for line in page.lines:
            assert MARGINS.left - 0.5 <= line.left_mm and line.right_mm <= 210 - MARGINS.right + 0.5, line
            if line.text != str(page.number):
                assert line.top_mm >= MARGINS.top - 1, line
