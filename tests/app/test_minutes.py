"""Biên bản họp Hội đồng TĐKT: the council header and number series, attendance, the ballot
result as the council screen counts it, and the two signers, read back from the PDF."""

from __future__ import annotations

from datetime import date

import pytest

from app.council_tally import format_percent
from app.documents.kinds import Kind, Owner
from app.documents.layout import MARGINS
from app.documents.model import DocumentError
from app.services import Services
from tests.app.pdf_reading import Page, Pdf, read_pdf


def session_on(services: Services, held_on: date) -> Owner:
    rows = [row for year in (held_on.year - 1, held_on.year)
            for row in services.council.sessions(year) if row.held_on == held_on]
    assert len(rows) == 1, rows
    return Owner("session", rows[0].id)


def minutes(services: Services, owner: Owner, **edits: str) -> Pdf:
    if edits:
        services.printing.save_texts(Kind.MINUTES, owner, edits)
    return read_pdf(services.printing.pdf(Kind.MINUTES, [owner]))


def row_text(page: Page, starting: str) -> str:
    """A table row's text: every segment on the baseline of the line starting with `starting`."""
    top = page.line(starting).top_mm
    return " ".join(line.text for line in page.lines if abs(line.top_mm - top) < 0.5)


def find_row(pdf: Pdf, starting: str) -> str:
    for page in pdf.pages:
        if any(line.text.startswith(starting) for line in page.lines):
            return row_text(page, starting)
    raise AssertionError(f"no row starting {starting!r}")


def assert_inside_margins(pdf: Pdf) -> None:
    for page in pdf.pages:
        assert (round(page.width_mm), round(page.height_mm)) == (210, 297)
        for line in page.lines:
            assert line.left_mm >= MARGINS.left - 0.5, line
            assert line.right_mm <= 210 - MARGINS.right + 0.5, line
            if line.text != str(page.number):
                assert line.top_mm >= MARGINS.top - 1, line


def test_header_is_the_councils_with_its_number_series_and_the_session_date(demo_services: Services) -> None:
    owner = session_on(demo_services, date(2026, 1, 8))
    page = minutes(demo_services, owner).pages[0]
    parent, council, council2 = page.line("UBND XÃ PHƯỚC AN"), page.line("HỘI ĐỒNG THI ĐUA"), \
        page.line("KHEN THƯỞNG")
    assert parent.size == 13 and not parent.font.endswith("-Bold")
    assert council.size == council2.size == 13
    assert council.font.endswith("-Bold") and council2.font.endswith("-Bold")
    assert parent.top_mm < council.top_mm < council2.top_mm
    assert page.line("Số:").text == "Số: /BB-HĐTĐKT"  # blank for the clerk to write in
    day = page.line("Phước An, ngày 08 tháng 01 năm 2026")
    assert day.font.endswith("-Italic") and day.size == 14
    national = page.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert national.size == 12 and national.font.endswith("-Bold")
    title = page.line("BIÊN BẢN")
    assert title.size == 14 and title.font.endswith("-Bold")
    assert "Họp Hội đồng Thi đua - Khen thưởng xã Phước An xét danh hiệu thi đua năm 2025" in \
        " ".join(line.text for line in page.lines)
    numbered = minutes(demo_services, owner, number="3").pages[0]
    assert numbered.line("Số:").text == "Số: 03/BB-HĐTĐKT"


def test_attendance_names_the_chair_secretary_and_members_present_and_absent(demo_services: Services) -> None:
    owner = session_on(demo_services, date(2026, 1, 8))
    detail = demo_services.council.detail(owner.id)
    text = minutes(demo_services, owner).text
    assert "- Chủ tọa: Đào Quang Hòa, Chủ tịch Hội đồng." in text
    assert "- Thư ký: Đặng Xuân Hòa, Ủy viên, Thư ký Hội đồng." in text
    assert "Tổng số thành viên Hội đồng: 07; có mặt: 06; vắng mặt: 01." in text
    present = text[text.index("- Thành viên có mặt:"):text.index("- Thành viên vắng mặt:")]
    absent = text[text.index("- Thành viên vắng mặt:"):text.index("II. NỘI DUNG")]
    for member in detail.members:
        assert (member.full_name in present) == member.present, member
        assert (member.full_name in absent) == (not member.present), member
    assert "1. Lê Minh Hương, Ủy viên (Hiệu trưởng)." in absent


def test_ballots_and_each_nominees_votes_percentage_denominator_and_result(demo_services: Services) -> None:
    owner = session_on(demo_services, date(2026, 1, 8))
    tally = demo_services.council.tally(owner.id)
    pdf = minutes(demo_services, owner)
    text = " ".join(pdf.text.split())
    assert ("Hình thức biểu quyết: bỏ phiếu kín; số phiếu phát ra: 06; số phiếu thu về: 06; "
            "số phiếu hợp lệ: 06; số phiếu không hợp lệ: 0.") in text  # no leading zero on nought
    assert "Danh hiệu “Chiến sĩ thi đua cơ sở”: đạt khi số phiếu đồng ý từ 70% tổng số thành viên " \
        "Hội đồng." in text
    assert len(tally.candidates) == 24
    for number, result in enumerate(tally.candidates, start=1):
        row = find_row(pdf, f"{number} {result.candidate.name.split()[0]}")
        verdict = "Đạt" if result.voted else "Không đạt"
        assert f"{result.candidate.votes} {format_percent(result.percent)} {result.base} (tổng số " \
            f"{verdict}" in row, row
    conclusion = text[text.index("III. KẾT LUẬN"):]
    assert "Đề nghị Chủ tịch Ủy ban nhân dân xã Phước An tặng danh hiệu “Chiến sĩ thi đua cơ sở” " \
        "năm 2025 cho 03 cá nhân: " in conclusion
    for result in tally.candidates:
        assert result.candidate.name in conclusion


def test_a_failed_vote_prints_not_passed_and_stays_out_of_the_conclusion(demo_services: Services) -> None:
    owner = session_on(demo_services, date(2025, 1, 8))
    tally = demo_services.council.tally(owner.id)
    failed = [r for r in tally.candidates if not r.passed]
    assert len(failed) == 1
    pdf = minutes(demo_services, owner, secretary_name="Nguyễn Thị Linh")
    number = tally.candidates.index(failed[0]) + 1
    row = find_row(pdf, f"{number} {failed[0].candidate.name.split()[0]}")
    assert "3 42,86 7 (tổng số Không đạt" in row
    text = " ".join(pdf.text.split())
    conclusion = text[text.index("III. KẾT LUẬN"):]
    soldiers = conclusion[conclusion.index("danh hiệu “Chiến sĩ thi đua cơ sở” năm 2024 cho 02 cá nhân"):]
    assert failed[0].candidate.name not in soldiers.split(".")[0]


def test_signers_are_the_secretary_left_and_the_chair_right(demo_services: Services) -> None:
    owner = session_on(demo_services, date(2026, 1, 8))
    page = minutes(demo_services, owner).pages[-1]
    secretary, chair = page.line("THƯ KÝ"), page.line("CHỦ TỌA")
    assert abs(secretary.top_mm - chair.top_mm) < 0.5 and secretary.right_mm < chair.left_mm
    assert secretary.font.endswith("-Bold") and chair.size == 14
    left, right = page.line("Đặng Xuân Hòa"), page.line("Đào Quang Hòa")
    assert abs(left.top_mm - right.top_mm) < 0.5 and left.right_mm < right.left_mm
    assert left.font.endswith("-Bold") and left.top_mm > secretary.top_mm + 20


def test_an_absent_secretary_must_be_replaced_by_who_took_the_minutes(demo_services: Services) -> None:
    owner = session_on(demo_services, date(2025, 1, 8))  # the secretary was absent
    with pytest.raises(DocumentError, match="họ và tên thư ký"):
        demo_services.printing.pdf(Kind.MINUTES, [owner])
    text = minutes(demo_services, owner, secretary_name="Nguyễn Thị Linh").text
    assert "- Thư ký: Nguyễn Thị Linh, Ủy viên (Chánh Văn phòng)." in text


def test_an_emptied_chair_name_is_refused_naming_it(demo_services: Services) -> None:
    owner = session_on(demo_services, date(2026, 1, 8))
    demo_services.printing.save_texts(Kind.MINUTES, owner, {"chair_name": " "})
    with pytest.raises(DocumentError, match="họ và tên chủ tọa"):
        demo_services.printing.pdf(Kind.MINUTES, [owner])


def test_a_correcting_session_says_which_session_it_corrects_and_why(demo_services: Services) -> None:
    owner = session_on(demo_services, date(2025, 12, 9))
    text = " ".join(minutes(demo_services, owner).text.split())
    assert "phong trào «Chung sức xây dựng nông thôn mới» (điều chỉnh)" in text
    assert "Cuộc họp điều chỉnh kết quả phiên họp Hội đồng ngày 08 tháng 12 năm 2025. " in text
    assert "Lý do điều chỉnh: Thư ký ghi nhầm số phiếu đồng ý của Đoàn Thanh niên Cộng sản Hồ Chí " \
        "Minh xã Phước An" in text
    assert "Phước An, ngày 09 tháng 12 năm 2025" in text


def test_pages_keep_the_margins_and_are_numbered_from_two(demo_services: Services) -> None:
    pdf = minutes(demo_services, session_on(demo_services, date(2026, 1, 8)))
    assert len(pdf.pages) >= 3
    assert_inside_margins(pdf)
    assert not any(line.text == "1" for line in pdf.pages[0].lines)
    for page in pdf.pages[1:]:
        assert page.lines[0].text == str(page.number) and page.lines[0].top_mm < MARGINS.top
    body = pdf.pages[0].line("2. Địa điểm: Hội trường UBND xã Phước An.")
    assert body.size == 14 and not body.font.endswith(("-Bold", "-Italic"))


def test_edited_text_prints_and_a_long_discussion_flows_onto_more_pages(demo_services: Services) -> None:
    owner = session_on(demo_services, date(2026, 1, 21))
    short = minutes(demo_services, owner)
    sentence = "Thành viên Hội đồng phát biểu ý kiến về thành tích của từng tập thể được đề nghị. "
    pdf = minutes(demo_services, owner, discussion=sentence * 60 + "Hết ý kiến.",
                  start_time="14 giờ 00 phút", place="Phòng họp số 2")
    assert len(pdf.pages) > len(short.pages)
    text = " ".join(pdf.text.split())
    assert text.count("Thành viên Hội đồng phát biểu ý kiến") == 60 and "Hết ý kiến." in text
    assert "1. Thời gian: bắt đầu lúc 14 giờ 00 phút, ngày 21 tháng 01 năm 2026." in text
    assert "2. Địa điểm: Phòng họp số 2." in text
    assert_inside_margins(pdf)


def test_an_open_session_prints_from_its_live_count(demo_services: Services) -> None:
    session_id = demo_services.council.create(2026, date(2026, 11, 20),
                                              "Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng đột xuất")
    text = " ".join(minutes(demo_services, Owner("session", session_id)).text.split())
    assert "Phước An, ngày 20 tháng 11 năm 2026" in text
    assert "Chưa có trường hợp nào được đưa ra biểu quyết." in text
    assert "DỰ THẢO" not in text


def final_sessions(services: Services) -> list[Owner]:
    return [Owner("session", row.id) for year in (2024, 2025, 2026)
            for row in services.council.sessions(year) if row.is_final]


def test_no_page_but_the_last_is_left_half_empty(demo_services: Services) -> None:
    """The headings in front of the vote table used to take the whole table to a new page,
    leaving the page above with a few lines (the demo's largest session printed 5 pages for 4)."""
    owners = final_sessions(demo_services)
    largest = max(owners, key=lambda o: len(demo_services.council.tally(o.id).candidates))
    assert len(demo_services.council.tally(largest.id).candidates) >= 20
    for owner in owners:
        pdf = minutes(demo_services, owner, secretary_name="Nguyễn Thị Linh")  # one was absent
        for page in pdf.pages[:-1]:
            # The page before the last may keep back room for the closing: its last paragraph
            # goes along with the signers (about 65 mm together).
            room = 60 if page.number < len(pdf.pages) - 1 else 80
            lowest = max(line.top_mm for line in page.lines)
            assert lowest > 297 - MARGINS.bottom - room, (owner, page.number, page.lines[-3:])
        if demo_services.council.tally(owner.id).candidates:
            table = next(p for p in pdf.pages if any(line.text == "STT" for line in p.lines))
            label = next(p for p in pdf.pages
                         if any(line.text.startswith("3. Kết quả biểu quyết") for line in p.lines))
            assert table.number - label.number <= 1, owner


def test_a_count_of_nought_prints_as_0(demo_services: Services) -> None:
    for owner in final_sessions(demo_services):
        detail = demo_services.council.detail(owner.id)
        if all(m.present for m in detail.members):
            break
    else:
        raise AssertionError("the demo has no session with every member present")
    text = " ".join(minutes(demo_services, owner).text.split())
    assert f"có mặt: {len(detail.members):02d}; vắng mặt: 0. " in text
    assert ": 00" not in text


def test_the_number_stands_on_the_row_of_the_date_line(demo_services: Services) -> None:
    """NĐ30 ô 3 and ô 4 share a row, under the council's three-line name too."""
    page = minutes(demo_services, session_on(demo_services, date(2026, 1, 8))).pages[0]
    number, day = page.line("Số:"), page.line("Phước An, ngày")
    # Sizes differ (13 and 14 pt): compare where the em boxes end, which share the baseline.
    assert abs((number.top_mm + number.size * 25.4 / 72) - (day.top_mm + day.size * 25.4 / 72)) < 0.3
