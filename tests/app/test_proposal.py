"""The tờ trình to the upper level with its attached list, printed from the small demo and
read back from the PDF."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pdfplumber
import pytest

from app.council import SessionDetail
from app.documents.kinds import Kind, Owner
from app.documents.layout import MARGINS
from app.documents.model import DocumentError
from app.nomination_states import Procedure, State
from app.services import Services
from tests.app.pdf_reading import Line, Page, Pdf, read_pdf

REFORM = date(2025, 7, 1)
SENT_UP = {State.PROPOSED, State.APPROVED, State.NOT_APPROVED}


def sessions(services: Services) -> list[SessionDetail]:
    return [services.council.detail(row.id) for year in (2024, 2025, 2026)
            for row in services.council.sessions(year)
            if row.is_final and row.corrected_by_id is None]


def province_session(services: Services) -> SessionDetail:
    """A session after the reform that sent nominations up to the province."""
    return next(d for d in sessions(services) if d.session.held_on >= REFORM
                and any(c.state in SENT_UP for c in d.candidates))


def proposed_names(detail: SessionDetail) -> list[str]:
    return [c.subject_name for c in detail.candidates if c.state in SENT_UP]


def proposal(services: Services, owner: Owner, **texts: str) -> Pdf:
    return read_pdf(proposal_bytes(services, owner, **texts))


def proposal_bytes(services: Services, owner: Owner, **texts: str) -> bytes:
    if texts:
        services.printing.save_texts(Kind.PROPOSAL, owner, texts)
    return services.printing.pdf(Kind.PROPOSAL, [owner])


def table_rows(source: bytes) -> list[list[str]]:
    """Every ruled table's rows, each cell's wrapped lines joined, NFC; header rows included."""
    rows = []
    with pdfplumber.open(io.BytesIO(source)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows += [[unicodedata.normalize("NFC", " ".join((cell or "").split())) for cell in row]
                         for row in table]
    return rows


def flat(lines: tuple[Line, ...] | list[Line]) -> str:
    return " ".join(line.text for line in lines)


def landscape(pdf: Pdf) -> list[Page]:
    return [page for page in pdf.pages if page.width_mm > page.height_mm]


def test_proposal_of_a_session_has_the_header_number_date_abstract_and_addressee(
        demo_services: Services) -> None:
    detail = province_session(demo_services)
    pdf = proposal(demo_services, Owner("session", detail.session.id), number="7",
                   date="29/01/2026")
    page = pdf.pages[0]
    assert page.line("ỦY BAN NHÂN DÂN").font.endswith("-Bold")
    assert 12 <= page.line("XÃ PHƯỚC AN").size <= 13
    assert page.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").size == 12
    number = page.line("Số: 07/TTr-UBND")
    assert number.size == 13 and not number.font.endswith(("-Bold", "-Italic"))
    day = page.line("Phước An, ngày 29 tháng 01 năm 2026")
    assert day.font.endswith("-Italic")
    assert page.line("TỜ TRÌNH").font.endswith("-Bold")
    text = flat(page.lines)
    assert ("Về việc đề nghị tặng danh hiệu Tập thể lao động xuất sắc và Bằng khen của Chủ tịch "
            "Ủy ban nhân dân tỉnh năm 2025") in text
    assert page.line("Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai").size == 14
    assert ("Căn cứ Biên bản họp Hội đồng Thi đua - Khen thưởng xã Phước An ngày "
            f"{detail.session.held_on.day:02d} tháng 01 năm 2026;") in text
    assert "Nghị định số 152/2025/NĐ-CP" in text


def test_the_basis_field_asks_the_officer_to_check_the_decree(demo_services: Services) -> None:
    owner = Owner("session", province_session(demo_services).session.id)
    basis = next(v.field for v in demo_services.printing.fields(Kind.PROPOSAL, owner)
                 if v.field.key == "basis")
    assert "kiểm tra lại số, ngày, tên Nghị định" in basis.label
    assert "Nghị định số 152/2025/NĐ-CP" in basis.default


def test_request_counts_each_award_and_the_list_has_every_candidate(demo_services: Services) -> None:
    detail = province_session(demo_services)
    source = proposal_bytes(demo_services, Owner("session", detail.session.id), number="7",
                            date="29/01/2026")
    pdf = read_pdf(source)
    text = " ".join(flat(page.lines) for page in pdf.pages)
    assert ("kính đề nghị Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai xem xét, tặng danh hiệu Tập thể "
            "lao động xuất sắc cho 01 tập thể; tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho "
            "02 cá nhân (có danh sách kèm theo).") in text
    wide = landscape(pdf)
    assert wide and all(round(page.width_mm) == 297 for page in wide)
    listing = flat([line for page in wide for line in page.lines])
    assert wide[0].line("DANH SÁCH").size == 14
    assert ("(Kèm theo Tờ trình số 07/TTr-UBND ngày 29 tháng 01 năm 2026 của Ủy ban nhân dân xã "
            "Phước An)") in listing
    rows = table_rows(source)
    assert rows[0] == ["STT", "Họ và tên (tên tập thể)", "Chức vụ, đơn vị", "Hình thức đề nghị",
                       "Tóm tắt thành tích"]
    body = [row for row in rows[1:] if row != rows[0]]
    names = proposed_names(detail)
    assert sorted(row[1] for row in body) == sorted(names)
    # Grouped by award in the catalogue's order (TTLĐXS before Bằng khen), collectives first.
    assert [row[0] for row in body] == ["1", "2", "3"]
    assert body[0][1:4] == ["Ủy ban nhân dân xã Phước An", "",
                            "Danh hiệu Tập thể lao động xuất sắc"]
    assert {row[3] for row in body[1:]} == {"Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"}
    assert all(row[4] == "Hai năm liên tục (2024, 2025) đạt danh hiệu Chiến sĩ thi đua cơ sở."
               for row in body[1:])
    assert any(row[2] == "Hiệu trưởng, Trường Tiểu học Lạc Trung" for row in body)


def test_pages_are_numbered_from_two_and_stay_inside_the_margins(demo_services: Services) -> None:
    pdf = proposal(demo_services, Owner("session", province_session(demo_services).session.id))
    assert len(pdf.pages) >= 2
    assert not any(line.text.isdigit() for line in pdf.pages[0].lines if line.top_mm < MARGINS.top)
    for page in pdf.pages:
        width = page.width_mm
        if page.number > 1:
            assert page.lines[0].text == str(page.number) and page.lines[0].top_mm < MARGINS.top
        for line in page.lines:
            assert line.left_mm >= MARGINS.left - 0.5, line
            assert line.right_mm <= width - MARGINS.right + 0.5, line
            if line.text != str(page.number):
                assert line.top_mm >= MARGINS.top - 1, line
    last_portrait = [page for page in pdf.pages if page.width_mm < page.height_mm][-1]
    assert last_portrait.line("TM. ỦY BAN NHÂN DÂN").font.endswith("-Bold")
    assert last_portrait.line("Đào Quang Hòa")
    assert last_portrait.line("- Sở Nội vụ tỉnh Đồng Nai;").size == 11


def test_date_line_keeps_the_leading_zero_rules(demo_services: Services) -> None:
    owner = Owner("session", province_session(demo_services).session.id)
    page = proposal(demo_services, owner, date="5/3/2026").pages[0]
    assert page.line("Phước An, ngày 05 tháng 3 năm 2026")
    page = proposal(demo_services, owner, date="09/12/2026").pages[0]
    assert page.line("Phước An, ngày 09 tháng 12 năm 2026")


def test_blank_number_and_date_are_left_for_the_clerk(demo_services: Services) -> None:
    owner = Owner("session", province_session(demo_services).session.id)
    page = proposal(demo_services, owner, number="", date="").pages[0]
    assert page.line("Số: /TTr-UBND")
    assert page.line("Phước An, ngày tháng năm")


@pytest.mark.parametrize(("texts", "words"), [
    ({"number": "5a"}, "Số văn bản “5a” không đúng"),
    ({"number": "0"}, "Số văn bản “0” không đúng"),
    ({"date": "31/02/2026"}, "Ngày của tờ trình “31/02/2026” không đúng"),
    ({"date": "hôm nay"}, "Ngày của tờ trình “hôm nay” không đúng"),
])
def test_a_bad_number_or_date_is_refused(demo_services: Services, texts: dict[str, str],
                                         words: str) -> None:
    owner = Owner("session", province_session(demo_services).session.id)
    demo_services.printing.save_texts(Kind.PROPOSAL, owner, texts)
    with pytest.raises(DocumentError, match=words):
        demo_services.printing.pdf(Kind.PROPOSAL, [owner])


def test_a_session_with_nothing_for_the_upper_level_is_refused(demo_services: Services) -> None:
    commune_only = next(d for d in sessions(demo_services)
                        if d.candidates and not any(c.state in SENT_UP for c in d.candidates))
    with pytest.raises(DocumentError, match="không có đề nghị nào được Hội đồng biểu quyết đạt để "
                                            "trình cấp trên khen thưởng"):
        demo_services.printing.pdf(Kind.PROPOSAL, [Owner("session", commune_only.session.id)])


def test_before_the_reform_the_proposal_goes_to_the_district(demo_services: Services) -> None:
    earlier = next(d for d in sessions(demo_services) if d.session.held_on < REFORM
                   and any(c.state in SENT_UP for c in d.candidates))
    pdf = proposal(demo_services, Owner("session", earlier.session.id))
    text = flat(pdf.pages[0].lines)
    assert pdf.pages[0].line("Kính gửi: Chủ tịch Ủy ban nhân dân huyện …")
    assert "Nghị định số 98/2023/NĐ-CP" in text
    names = [row[1] for row in table_rows(proposal_bytes(demo_services, Owner("session", earlier.session.id)))]
    assert sorted(proposed_names(earlier)) == sorted(name for name in names if name != names[0])


def test_one_nomination_of_the_simplified_procedure_has_its_own_proposal(demo_services: Services) -> None:
    rows = [r for year in (2025, 2026) for r in demo_services.nominations.rows(year)]
    sudden = next(r for r in rows if r.procedure == Procedure.SIMPLIFIED and r.state == State.PROPOSED)
    source = proposal_bytes(demo_services, Owner("nomination", sudden.id), number="12")
    pdf = read_pdf(source)
    text = " ".join(flat(page.lines) for page in pdf.pages)
    assert pdf.pages[0].line("Số: 12/TTr-UBND")
    assert "thủ tục đơn giản" in text and "Căn cứ Biên bản" not in text
    assert "tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 01 cá nhân" in text
    assert [row[1] for row in table_rows(source)[1:]] == [sudden.subject_name]


def test_a_nomination_the_commune_decides_has_no_proposal(demo_services: Services) -> None:
    decided = next(r for r in demo_services.nominations.rows(2026) if r.state == State.DECIDED)
    with pytest.raises(DocumentError, match="thẩm quyền quyết định của Chủ tịch Ủy ban nhân dân xã"):
        demo_services.printing.pdf(Kind.PROPOSAL, [Owner("nomination", decided.id)])


def test_edited_summary_prints_whole_across_pages(demo_services: Services) -> None:
    owner = Owner("session", province_session(demo_services).session.id)
    words = [f"ý{i}" for i in range(1500)]
    pdf = proposal(demo_services, owner, summary=" ".join(words))
    printed = " ".join(" ".join(flat(page.lines) for page in pdf.pages).split())
    assert all(f" {word} " in f" {printed} " for word in words[::50] + words[-2:])
    assert len([page for page in pdf.pages if page.width_mm < page.height_mm]) >= 2


def test_the_number_stands_on_the_row_of_the_date_line(demo_services: Services) -> None:
    owner = Owner("session", province_session(demo_services).session.id)
    page = proposal(demo_services, owner, number="7", date="29/01/2026").pages[0]
    number, day = page.line("Số: 07/TTr-UBND"), page.line("Phước An, ngày 29")
    # Sizes differ (13 and 14 pt): compare where the em boxes end, which share the baseline.
    assert abs((number.top_mm + number.size * 25.4 / 72) - (day.top_mm + day.size * 25.4 / 72)) < 0.3
