"""The thông báo công khai of the candidates a council session voted through, printed from
the small demo and read back from the PDF."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from app.council import SessionDetail
from app.documents.kinds import Kind, Owner
from app.documents.layout import MARGINS
from app.documents.model import DocumentError
from app.nomination_states import State
from app.services import Services
from db.models import CouncilVote, Nomination
from tests.app.pdf_reading import Pdf, read_pdf
from tests.app.test_proposal import flat, sessions, table_rows


def notice_session(services: Services) -> SessionDetail:
    """The latest session: its candidates are being posted now (clock 20/11/2026)."""
    return next(d for d in sessions(services)
                if any(c.state == State.PUBLIC_NOTICE for c in d.candidates)
                and d.session.held_on.year == 2026 and d.session.held_on.month > 6)


def notice_bytes(services: Services, owner: Owner, **texts: str) -> bytes:
    if texts:
        services.printing.save_texts(Kind.NOTICE, owner, texts)
    return services.printing.pdf(Kind.NOTICE, [owner])


def text_of(pdf: Pdf) -> str:
    return " ".join(flat(page.lines) for page in pdf.pages)


def test_notice_has_header_number_date_type_and_abstract(demo_services: Services) -> None:
    detail = notice_session(demo_services)
    pdf = read_pdf(notice_bytes(demo_services, Owner("session", detail.session.id), number="3"))
    page = pdf.pages[0]
    assert round(page.width_mm) == 210
    assert page.line("ỦY BAN NHÂN DÂN").font.endswith("-Bold")
    assert page.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").size == 12
    number = page.line("Số: 03/TB-UBND")
    assert number.size == 13
    # The notice is dated the day it is posted: the period recorded on the nominations.
    assert page.line("Phước An, ngày 18 tháng 11 năm 2026").font.endswith("-Italic")
    title = page.line("THÔNG BÁO")
    assert title.size == 14 and title.font.endswith("-Bold")
    text = text_of(pdf)
    assert ("Công khai danh sách đề nghị khen thưởng trong phong trào thi đua «Toàn dân đoàn kết xây "
            "dựng đời sống văn hóa ở khu dân cư»") in text
    assert "Kính gửi" not in text
    assert ("Căn cứ kết quả họp Hội đồng Thi đua - Khen thưởng xã ngày 06 tháng 11 năm 2026, Ủy ban "
            "nhân dân xã Phước An thông báo công khai danh sách 01 tập thể, 01 thôn và 01 hộ gia đình "
            "được Hội đồng biểu quyết đề nghị khen thưởng như sau:") in text
    for p in pdf.pages:
        for line in p.lines:
            assert MARGINS.left - 0.5 <= line.left_mm and line.right_mm <= 210 - MARGINS.right + 0.5


def test_notice_lists_every_candidate_voted_through(demo_services: Services) -> None:
    detail = notice_session(demo_services)
    rows = table_rows(notice_bytes(demo_services, Owner("session", detail.session.id)))
    assert rows[0] == ["STT", "Họ và tên (tên tập thể)", "Chức vụ, đơn vị",
                       "Hình thức đề nghị khen thưởng"]
    body = [row for row in rows if row[0] != "STT"]
    voted = sorted(r.candidate.name for r in detail.tally.candidates if r.voted)
    assert sorted(row[1] for row in body) == voted and len(voted) == 3
    assert {row[3] for row in body} == {"Giấy khen của Chủ tịch Ủy ban nhân dân xã"}
    assert any(row[2].startswith("Số 173, Thôn Tân Long") for row in body)  # a household's address


def test_notice_gives_the_period_where_to_comment_and_the_signer(demo_services: Services) -> None:
    owner = Owner("session", notice_session(demo_services).session.id)
    pdf = read_pdf(notice_bytes(demo_services, owner))
    text = text_of(pdf)
    assert ("Thời gian công khai: 05 ngày làm việc, từ ngày 18/11/2026 đến hết ngày 25/11/2026.") in text
    assert "niêm yết tại trụ sở Ủy ban nhân dân xã Phước An" in text
    assert ("mọi ý kiến phản ánh (nếu có) xin gửi về Ủy ban nhân dân xã Phước An (qua công chức phụ "
            "trách thi đua, khen thưởng Đặng Xuân Hòa)") in text
    last = pdf.pages[-1]
    assert last.line("TM. ỦY BAN NHÂN DÂN").font.endswith("-Bold")
    assert last.line("CHỦ TỊCH") and last.line("Đào Quang Hòa")
    assert last.line("Nơi nhận:").size == 12
    assert last.line("- Lưu: VT, TĐKT.").size == 11
    edited = read_pdf(notice_bytes(demo_services, owner, feedback="Ý kiến gửi Văn phòng UBND xã.",
                                   notice_to="27/11/2026"))
    assert "Ý kiến gửi Văn phòng UBND xã." in text_of(edited)
    # 24/11/2026 is a day off (Ngày Văn hóa Việt Nam in the holiday calendar).
    assert "07 ngày làm việc, từ ngày 18/11/2026 đến hết ngày 27/11/2026." in text_of(edited)


def test_without_a_recorded_notice_the_period_starts_after_the_session_and_not_in_the_past(
        demo_services: Services) -> None:
    detail = notice_session(demo_services)
    with demo_services.sessions.begin() as session:
        ids = session.scalars(select(CouncilVote.nomination_id)
                              .where(CouncilVote.session_id == detail.session.id)).all()
        session.execute(update(Nomination).where(Nomination.id.in_(ids))
                        .values(notice_starts_on=None, notice_ends_on=None))
    fields = {f.field.key: f.value for f in
              demo_services.printing.fields(Kind.NOTICE, Owner("session", detail.session.id))}
    # Held 06/11/2026, printed 20/11/2026 (a Friday): 5 working days from today, 24/11/2026
    # (Ngày Văn hóa Việt Nam) being a day off.
    assert detail.session.held_on == date(2026, 11, 6)
    assert (fields["notice_from"], fields["notice_to"], fields["date"]) == \
        ("20/11/2026", "27/11/2026", "20/11/2026")


@pytest.mark.parametrize(("texts", "words"), [
    ({"number": "5a"}, "Số văn bản “5a” không đúng"),
    ({"date": "2026-11-18"}, "Ngày thông báo “2026-11-18” không đúng"),
    ({"notice_to": "10/11/2026"}, "ngày kết thúc 10/11/2026 trước ngày bắt đầu 18/11/2026"),
    ({"signer_name": ""}, "Chưa có họ và tên người ký"),
])
def test_bad_input_is_refused_with_a_message(demo_services: Services, texts: dict[str, str],
                                             words: str) -> None:
    owner = Owner("session", notice_session(demo_services).session.id)
    demo_services.printing.save_texts(Kind.NOTICE, owner, texts)
    with pytest.raises(DocumentError, match=words):
        demo_services.printing.pdf(Kind.NOTICE, [owner])


def test_a_session_not_finalised_or_a_decision_is_refused(demo_services: Services) -> None:
    year = demo_services.council.sessions(2026)[0].year
    open_id = demo_services.council.create(year, date(2026, 11, 20), "Phiên họp thử")
    with pytest.raises(DocumentError, match="chưa chốt kết quả biểu quyết"):
        demo_services.printing.pdf(Kind.NOTICE, [Owner("session", open_id)])
    with pytest.raises(DocumentError, match="không in cho quyết định"):
        demo_services.printing.pdf(Kind.NOTICE, [Owner("decision", 1)])


def test_a_long_list_flows_onto_numbered_pages_with_its_header_row_repeated(demo_services: Services) -> None:
    detail = max(sessions(demo_services), key=lambda d: sum(r.voted for r in d.tally.candidates))
    source = notice_bytes(demo_services, Owner("session", detail.session.id))
    pdf = read_pdf(source)
    assert len(pdf.pages) >= 2
    assert not any(line.text.isdigit() for line in pdf.pages[0].lines if line.top_mm < MARGINS.top)
    for page in pdf.pages[1:]:
        number = page.lines[0]
        assert number.text == str(page.number) and number.top_mm < MARGINS.top
        assert abs((number.left_mm + number.right_mm) / 2 - (MARGINS.left + 210 - MARGINS.right) / 2) < 1
    rows = table_rows(source)
    headers = [row for row in rows if row[0] == "STT"]
    assert len(headers) >= 2  # repeated on the page the table flows onto
    assert len(rows) - len(headers) == sum(r.voted for r in detail.tally.candidates)
