"""The danh sách trích ngang of a council session or a decision, printed from the small demo."""

from __future__ import annotations

from datetime import date

import pytest

from app.catalogue import award_label
from app.council import SessionDetail
from app.council_tally import format_percent
from app.document_style import format_date
from app.documents.kinds import Kind, Owner
from app.documents.layout import MARGINS
from app.documents.model import DocumentError
from app.services import Services
from tests.app.pdf_reading import read_pdf
from tests.app.test_proposal import flat, sessions, table_rows

HEADER = ["STT", "Họ và tên", "Năm sinh Nam", "Năm sinh Nữ", "Chức vụ, đơn vị", "Dân tộc",
          "Danh hiệu, hình thức khen thưởng"]


def summary_bytes(services: Services, owner: Owner, **texts: str) -> bytes:
    if texts:
        services.printing.save_texts(Kind.SUMMARY, owner, texts)
    return services.printing.pdf(Kind.SUMMARY, [owner])


def mixed_session(services: Services) -> SessionDetail:
    """A session after the reform that voted on collectives and individuals."""
    return next(d for d in sessions(services) if d.session.held_on >= date(2025, 7, 1)
                and {c.subject_kind for c in d.candidates} >= {"collective", "individual"})


def test_session_list_is_landscape_with_header_title_and_abstract(demo_services: Services) -> None:
    detail = mixed_session(demo_services)
    pdf = read_pdf(summary_bytes(demo_services, Owner("session", detail.session.id),
                                 date="03/02/2026"))
    page = pdf.pages[0]
    assert all((round(p.width_mm), round(p.height_mm)) == (297, 210) for p in pdf.pages)
    assert page.line("ỦY BAN NHÂN DÂN").font.endswith("-Bold")
    assert page.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").size == 12
    assert page.line("Độc lập - Tự do - Hạnh phúc").size == 13
    assert page.line("Phước An, ngày 03 tháng 02 năm 2026").font.endswith("-Italic")
    title = page.line("DANH SÁCH TRÍCH NGANG")
    assert title.size == 14 and title.font.endswith("-Bold")
    text = flat(page.lines)
    assert "được Hội đồng Thi đua - Khen thưởng xã biểu quyết đề nghị khen thưởng" in text
    assert f"(phiên họp {format_date(detail.session.held_on)})" in text
    assert not any(line.text.isdigit() for line in page.lines if line.top_mm < MARGINS.top)
    for later in pdf.pages[1:]:
        assert later.lines[0].text == str(later.number) and later.lines[0].top_mm < MARGINS.top
    for p in pdf.pages:
        for line in p.lines:
            assert MARGINS.left - 0.5 <= line.left_mm and line.right_mm <= 297 - MARGINS.right + 0.5


def test_session_list_has_a_row_per_candidate_voted_through_with_the_vote(demo_services: Services) -> None:
    detail = mixed_session(demo_services)
    rows = table_rows(summary_bytes(demo_services, Owner("session", detail.session.id)))
    assert rows[0] == [*HEADER, "Kết quả biểu quyết (số phiếu đồng ý, tỷ lệ)", "Ghi chú"]
    body = [row for row in rows if row[0] != "STT"]
    voted = [r for r in detail.tally.candidates if r.voted]
    assert sorted(row[1] for row in body) == sorted(r.candidate.name for r in voted)
    assert [row[0] for row in body] == [str(i) for i in range(1, len(body) + 1)]
    by_name = {row[1]: row for row in body}
    for result in voted:
        percent = format_percent(result.percent) if result.percent is not None else ""
        assert by_name[result.candidate.name][7] == f"{result.candidate.votes}/{result.base} phiếu ({percent}%)"
    kinds = [next(c.subject_kind for c in detail.candidates if c.subject_name == row[1]) for row in body]
    # Within each award, collectives before individuals.
    person = next(row for row, kind in zip(body, kinds) if kind == "individual")
    assert person[2] or person[3]  # the birth year under the person's sex
    assert person[5] == "Kinh"
    assert {row[8] for row in body} <= {"Xã khen thưởng", "Trình cấp trên khen thưởng"}


def test_list_is_signed_by_its_preparer_and_the_chairman(demo_services: Services) -> None:
    owner = Owner("session", mixed_session(demo_services).session.id)
    last = read_pdf(summary_bytes(demo_services, owner)).pages[-1]
    preparer, authority = last.line("NGƯỜI LẬP DANH SÁCH"), last.line("TM. ỦY BAN NHÂN DÂN")
    assert preparer.right_mm < authority.left_mm and preparer.font.endswith("-Bold")
    assert last.line("Đặng Xuân Hòa").left_mm < last.line("Đào Quang Hòa").left_mm
    last = read_pdf(summary_bytes(demo_services, owner, preparer_name="")).pages[-1]
    assert "NGƯỜI LẬP DANH SÁCH" not in last.text and last.line("CHỦ TỊCH")


def test_decision_list_gives_the_decision_number_and_revoked_items(demo_services: Services) -> None:
    decision = next(d for d in demo_services.decisions.decisions(2024) if d.revoked_count)
    detail = demo_services.decisions.detail(decision.id)
    source = summary_bytes(demo_services, Owner("decision", decision.id))
    pdf = read_pdf(source)
    assert ("Các cá nhân được khen thưởng theo Quyết định số 01/QĐ-UBND ngày 16 tháng 01 năm 2025 "
            "của Chủ tịch Ủy ban nhân dân xã Phước An") in flat(pdf.pages[0].lines)
    assert pdf.pages[0].line("Phước An, ngày 16 tháng 01 năm 2025")
    rows = table_rows(source)
    assert rows[0] == [*HEADER, "Số, ngày quyết định", "Ghi chú"]
    body = [row for row in rows if row[0] != "STT"]
    assert sorted(row[1] for row in body) == sorted(item.subject_name for item in detail.items)
    assert {row[7] for row in body} == {"01/QĐ-UBND ngày 16/01/2025"}
    revoked = next(item for item in detail.items if item.revoked_on)
    assert next(row for row in body if row[1] == revoked.subject_name)[8] == \
        f"Đã thu hồi ngày {revoked.revoked_on:%d/%m/%Y}"


def test_a_corrected_session_and_a_bad_date_are_refused(demo_services: Services) -> None:
    corrected = next(row for year in (2024, 2025, 2026) for row in demo_services.council.sessions(year)
                     if row.corrected_by_id is not None)
    with pytest.raises(DocumentError, match="đã được điều chỉnh bằng phiên họp"):
        demo_services.printing.pdf(Kind.SUMMARY, [Owner("session", corrected.id)])
    owner = Owner("session", mixed_session(demo_services).session.id)
    demo_services.printing.save_texts(Kind.SUMMARY, owner, {"date": "32/01/2026"})
    with pytest.raises(DocumentError, match="Ngày lập danh sách “32/01/2026” không đúng"):
        demo_services.printing.pdf(Kind.SUMMARY, [owner])


def test_candidates_not_voted_through_are_not_listed(demo_services: Services) -> None:
    detail = next(d for d in sessions(demo_services) if not all(r.voted for r in d.tally.candidates))
    rows = table_rows(summary_bytes(demo_services, Owner("session", detail.session.id)))
    listed = {(row[1], row[6]) for row in rows if row[0] != "STT"}
    for result in detail.tally.candidates:
        pair = (result.candidate.name, f"Danh hiệu {award_label(result.candidate.award_code)}")
        assert (pair in listed) == result.voted, pair
