"""Báo cáo thành tích (Mẫu 03 for a person, Mẫu 02 for a group), printed from the small demo
and read back: the register's data, the history in the reporting window, NĐ30 layout, edits."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.documents.kinds import Kind, Owner
from app.documents.layout import MARGINS
from app.documents.model import Document, DocumentError, Table
from app.eligibility.rule_settings import BY_KEY
from app.services import Services
from db.models import Award, Collective, Individual, Nomination, Subject
from tests.app.pdf_reading import Pdf, read_pdf

REPORT = Kind.REPORT
SINCE_ALWAYS = date(2017, 1, 1)


def _owner(services: Services, subject_type: type[Subject], award: str, *, sudden: bool = False,
           unit: bool | None = None) -> Owner:
    """The first demo nomination of this kind of subject and award (ordered by id)."""
    with services.sessions() as session:
        query = select(Nomination.id).join(subject_type, subject_type.id == Nomination.subject_id) \
            .where(Nomination.award_code == award).order_by(Nomination.id)
        query = query.where((Nomination.route == "sudden") if sudden else (Nomination.route != "sudden"))
        if unit is not None and subject_type is Individual:
            query = query.where(Individual.unit_id.is_not(None) if unit else Individual.unit_id.is_(None))
        return Owner("nomination", session.scalars(query).first())  # type: ignore[arg-type]


def _chairman_reports(services: Services) -> Owner:
    """The chairman's own Bằng khen tỉnh (2024–2025): a person of the commune's UBND, with
    titles in both years and an initiative."""
    with services.sessions() as session:
        return Owner("nomination", session.scalars(
            select(Nomination.id).join(Individual, Individual.id == Nomination.subject_id)
            .where(Nomination.award_code == "BK_TINH", Nomination.route != "sudden",
                   Individual.name == "Đào Quang Hòa")).one())


def _report(services: Services, owner: Owner) -> Document:
    (document,) = services.printing.documents(REPORT, [owner])
    return document


def _tables(document: Document) -> list[Table]:
    return [block for block in document.body if isinstance(block, Table)]


def _pdf(services: Services, owner: Owner) -> Pdf:
    return read_pdf(services.printing.pdf(REPORT, [owner]))


def _flat(pdf: Pdf) -> str:
    return " ".join(pdf.text.split())


def _set_window(services: Services, award: str, years: int) -> None:
    services.rule_settings.set(f"reporting_years:{award}", str(years), SINCE_ALWAYS)


def test_person_report_prints_the_register_the_award_and_the_history(demo_services: Services) -> None:
    owner = _chairman_reports(demo_services)
    pdf = _pdf(demo_services, owner)
    page, text = pdf.pages[0], _flat(pdf)
    assert page.line("ỦY BAN NHÂN DÂN").font.endswith("-Bold")
    assert page.line("XÃ PHƯỚC AN").size == 13
    national = page.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert national.size == 12 and national.font.endswith("-Bold")
    assert page.line("Phước An, ngày").font.endswith("-Italic")
    assert not any(line.text.startswith("Số:") for line in page.lines)  # the commune's report has no number
    title = page.line("BÁO CÁO THÀNH TÍCH")
    assert title.size == 14 and title.font.endswith("-Bold")
    assert "ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI" in text
    assert "(Thời gian báo cáo: từ năm 2024 đến năm 2025)" in text
    name = page.line("- Họ và tên: Đào Quang Hòa")
    assert name.size == 14 and not name.font.endswith(("-Bold", "-Italic"))
    assert "- Sinh ngày, tháng, năm: 28/06/1973; Giới tính: Nam" in text
    assert "- Dân tộc: Kinh; Tôn giáo: Phật giáo" in text
    assert "- Chức vụ (Đảng, chính quyền, đoàn thể): Chủ tịch Ủy ban nhân dân" in text
    assert "- Trình độ lý luận chính trị: …" in text  # not in the register: left to fill
    for heading in ("I. SƠ LƯỢC LÝ LỊCH", "II. THÀNH TÍCH ĐẠT ĐƯỢC",
                    "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN"):
        assert heading in text
    # Section II: the nomination's summary and the initiative recognised in the window.
    assert "Hai năm liên tục (2024, 2025) đạt danh hiệu Chiến sĩ thi đua cơ sở." in text
    assert "“Số hóa sổ hộ tịch lưu trữ tại xã Phước An”" in text
    assert "995/QĐ-UBND ngày 27/11/2025" in text
    # Section III: every title of 2024 and 2025, with decision and issuer.
    for number, issuer in (("01/QĐ-UBND ngày 16/01/2025", "Chủ tịch UBND xã Phước An"),
                           ("683/QĐ-UBND ngày 14/02/2025", "Chủ tịch UBND huyện Hòa Lộc"),
                           ("01/QĐ-UBND ngày 16/01/2026", "Chủ tịch UBND xã Phước An"),
                           ("02/QĐ-UBND ngày 16/01/2026", "Chủ tịch UBND xã Phước An")):
        assert f"Quyết định số {number} của {issuer}" in text
    assert "12/QĐ-UBND" not in text and "18/QĐ-UBND" not in text  # 2022 and 2023: outside
    assert "1076/QĐ-UBND" not in text  # the Bằng khen this report asks for
    signers = pdf.pages[-1]
    assert signers.line("TM. ỦY BAN NHÂN DÂN").font.endswith("-Bold")
    assert signers.line("NGƯỜI BÁO CÁO THÀNH TÍCH").font.endswith("-Bold")
    assert signers.line("(Ký, ghi rõ họ và tên)").font.endswith("-Italic")
    assert sum(line.text == "Đào Quang Hòa" for line in signers.lines) == 2  # chairman and reporter


def test_history_tables_split_titles_from_commendations_in_the_window(demo_services: Services) -> None:
    owner = _chairman_reports(demo_services)
    _set_window(demo_services, "BK_TINH", 4)
    titles, forms = _tables(_report(demo_services, owner))
    assert [column.title for column in titles.columns] == [
        "Năm", "Danh hiệu thi đua",
        "Số, ngày, tháng, năm của quyết định công nhận danh hiệu thi đua; cơ quan ban hành quyết định"]
    assert forms.columns[1].title == "Hình thức khen thưởng"
    assert [row[:2] for row in titles.rows] == [
        ("2022", "Lao động tiên tiến"), ("2023", "Lao động tiên tiến"), ("2024", "Lao động tiên tiến"),
        ("2024", "Chiến sĩ thi đua cơ sở"), ("2025", "Lao động tiên tiến"), ("2025", "Chiến sĩ thi đua cơ sở")]
    assert titles.rows[0][2] == "Quyết định số 12/QĐ-UBND ngày 04/01/2023 của Chủ tịch UBND xã Phước An"
    assert forms.rows == (("", "Không có", ""),)


def test_the_window_is_the_award_setting_read_on_the_decision_date(demo_services: Services) -> None:
    owner = _chairman_reports(demo_services)
    assert {row[0] for row in _tables(_report(demo_services, owner))[0].rows} == {"2024", "2025"}
    _set_window(demo_services, "BK_TINH", 1)
    document = _report(demo_services, owner)
    assert {row[0] for row in _tables(document)[0].rows} == {"2025"}
    text = _flat(_pdf(demo_services, owner))
    assert "(Thời gian báo cáo: năm 2025)" in text and "683/QĐ-UBND" not in text
    # A value that takes effect after the planned decision date (30/01/2026) does not count.
    demo_services.rule_settings.set("reporting_years:BK_TINH", "3", date(2026, 6, 1))
    assert {row[0] for row in _tables(_report(demo_services, owner))[0].rows} == {"2025"}


def test_a_revoked_award_is_not_listed(demo_services: Services) -> None:
    with demo_services.sessions() as session:
        revoked = session.scalars(select(Award).join(Individual, Individual.id == Award.subject_id)
                                  .where(Award.revoked_on.is_not(None))).first()
        assert revoked is not None
        nomination = session.scalars(select(Nomination).where(
            Nomination.subject_id == revoked.subject_id, Nomination.year == revoked.year + 1,
            Nomination.award_code == "LDTT")).one()
        kept = session.scalars(select(Award).where(
            Award.subject_id == revoked.subject_id, Award.year == revoked.year - 1)).one()
    _set_window(demo_services, "LDTT", 3)
    owner = Owner("nomination", nomination.id)
    rows = _tables(_report(demo_services, owner))[0].rows
    assert [row[0] for row in rows] == [str(kept.year)]
    text = _flat(_pdf(demo_services, owner))
    assert f"{kept.decision_number} ngày {kept.decision_date:%d/%m/%Y}" in text
    assert f"{revoked.decision_number} ngày {revoked.decision_date:%d/%m/%Y}" not in text


def test_a_sudden_feat_reports_its_year_only(demo_services: Services) -> None:
    owner = _owner(demo_services, Individual, "BK_TINH", sudden=True)
    document = _report(demo_services, owner)
    assert document.body[0].text == "(Thời gian báo cáo: năm 2025)"  # type: ignore[union-attr]


def test_a_unit_reports_under_its_name_and_its_head_must_be_named(demo_services: Services) -> None:
    with demo_services.sessions() as session:
        nomination = session.scalars(
            select(Nomination).join(Collective, Collective.id == Nomination.subject_id)
            .where(Nomination.award_code == "TTLDTT", Nomination.year == 2025)
            .where(Collective.name == "Trường Tiểu học Lạc Trung")).first()
        assert nomination is not None
        name = session.get_one(Subject, nomination.subject_id).name
    owner = Owner("nomination", nomination.id)
    with pytest.raises(DocumentError, match="họ và tên thủ trưởng đơn vị báo cáo"):
        demo_services.printing.pdf(REPORT, [owner])
    demo_services.printing.save_texts(REPORT, owner, {"right_name": "Lê Minh Hương"})
    _set_window(demo_services, "TTLDTT", 2)
    pdf = _pdf(demo_services, owner)
    page, text = pdf.pages[0], _flat(pdf)
    assert page.line("UBND XÃ PHƯỚC AN").size == 13  # the unit's parent body, upright
    assert page.line("TRƯỜNG").font.endswith("-Bold") and page.line("TRƯỜNG").right_mm < 105
    assert "ĐỀ NGHỊ TẶNG DANH HIỆU “TẬP THỂ LAO ĐỘNG TIÊN TIẾN”" in text
    assert f"- Tên tập thể (ghi đầy đủ, không viết tắt): {name}" in text
    assert "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH" in text and "2. Chức năng, nhiệm vụ:" in text
    assert "đơn vị cấp trên: Ủy ban nhân dân xã Phước An" in text
    assert "2024 Tập thể lao động tiên tiến Quyết định số 825/QĐ-UBND" in text
    assert "03/QĐ-UBND" not in text  # 2025: the title this report asks for
    signers = pdf.pages[-1]
    assert signers.line("THỦ TRƯỞNG ĐƠN VỊ").font.endswith("-Bold")
    assert signers.line("Lê Minh Hương") and signers.line("Đào Quang Hòa")


def test_a_person_of_a_unit_is_confirmed_by_its_head(demo_services: Services) -> None:
    owner = _owner(demo_services, Individual, "BK_TINH", sudden=True, unit=True)
    fields = {value.field.key: value for value in demo_services.printing.fields(REPORT, owner)}
    assert fields["left_title"].value == "THỦ TRƯỞNG ĐƠN VỊ" and fields["left_name"].value == ""
    with pytest.raises(DocumentError, match="họ và tên thủ trưởng đơn vị xác nhận"):
        demo_services.printing.pdf(REPORT, [owner])
    demo_services.printing.save_texts(REPORT, owner, {"left_name": "Vũ Thu Tuyết"})
    page = _pdf(demo_services, owner).pages
    assert page[-1].line("Vũ Thu Tuyết")
    assert page[0].line("TRƯỜNG").font.endswith("-Bold")


def test_households_and_villages_use_the_group_skeleton(demo_services: Services) -> None:
    from db.models import Household, Village

    household = _owner(demo_services, Household, "GK_XA")
    fields = {value.field.key: value.value for value in demo_services.printing.fields(REPORT, household)}
    assert fields["right_title"] == "CHỦ HỘ" and fields["right_name"] == fields["head"] != ""
    text = _flat(_pdf(demo_services, household))
    assert f"- Chủ hộ: {fields['head']}" in text and "Gia đình văn hóa" in text
    village = _owner(demo_services, Village, "GK_XA")
    with pytest.raises(DocumentError, match="họ và tên trưởng thôn"):
        demo_services.printing.pdf(REPORT, [village])


def test_fields_cover_every_line_and_signer(demo_services: Services) -> None:
    keys = [value.field.key for value in demo_services.printing.fields(REPORT, _chairman_reports(demo_services))]
    assert keys == ["issuing_body", "parent_body", "report_date", "award", "window_note", "full_name",
                    "birth_date", "sex", "ethnicity", "religion", "home_town", "residence", "unit",
                    "position", "political_level", "professional_level", "degrees", "duties",
                    "achievements", "left_authority", "left_title", "left_name", "right_authority", "right_title",
                    "right_name"]


def test_an_emptied_signer_name_is_refused_naming_it(demo_services: Services) -> None:
    owner = _chairman_reports(demo_services)
    demo_services.printing.save_texts(REPORT, owner, {"right_name": " "})
    with pytest.raises(DocumentError, match="họ và tên người báo cáo thành tích"):
        demo_services.printing.pdf(REPORT, [owner])


def test_edits_print_and_reset_brings_the_register_back(demo_services: Services) -> None:
    owner = _chairman_reports(demo_services)
    printing = demo_services.printing
    printing.save_texts(REPORT, owner, {
        "duties": "Chủ tịch Ủy ban nhân dân xã, phụ trách chung.",
        "political_level": "Cao cấp", "report_date": "05/12/2025",
        "award": "ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"})
    edited = {value.field.key for value in printing.fields(REPORT, owner) if value.edited}
    assert edited == {"duties", "political_level", "report_date", "award"}
    pdf = _pdf(demo_services, owner)
    text = _flat(pdf)
    assert "Chủ tịch Ủy ban nhân dân xã, phụ trách chung." in text
    assert "- Trình độ lý luận chính trị: Cao cấp" in text
    assert pdf.pages[0].line("Phước An, ngày 05 tháng 12 năm 2025")
    assert "ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH" in text and "ĐỒNG NAI" not in text
    printing.save_texts(REPORT, owner, {"report_date": "31/02/2025"})
    with pytest.raises(DocumentError, match="Ngày báo cáo “31/02/2025” không đúng"):
        printing.pdf(REPORT, [owner])
    printing.reset_texts(REPORT, owner)
    assert not any(value.edited for value in printing.fields(REPORT, owner))
    text = _flat(_pdf(demo_services, owner))
    assert "phụ trách chung" not in text and "TỈNH ĐỒNG NAI" in text


def test_a_long_account_flows_onto_numbered_pages_inside_the_margins(demo_services: Services) -> None:
    owner = _chairman_reports(demo_services)
    paragraphs = [f"Đoạn {i:02d}: chỉ đạo hoàn thành vượt mức các chỉ tiêu kinh tế - xã hội, xây dựng "
                  "nông thôn mới nâng cao, cải cách hành chính và chuyển đổi số của xã; tổ chức "
                  "phong trào thi đua yêu nước sâu rộng trong cán bộ, công chức và nhân dân."
                  for i in range(1, 41)]
    demo_services.printing.save_texts(REPORT, owner, {"achievements": "\n".join(paragraphs)})
    pdf = _pdf(demo_services, owner)
    assert len(pdf.pages) >= 3
    text = _flat(pdf)
    assert all(f"Đoạn {i:02d}:" in text for i in range(1, 41))
    assert "1076" not in text and "683/QĐ-UBND ngày 14/02/2025" in text  # the tables follow
    assert all(line.top_mm >= MARGINS.top - 1 for line in pdf.pages[0].lines)  # no number on page 1
    for page in pdf.pages[1:]:
        number = next(line for line in page.lines if line.top_mm < MARGINS.top)
        assert number.text == str(page.number) and abs((number.left_mm + number.right_mm) / 2 - 112.5) < 2
    for page in pdf.pages:
        body = [line for line in page.lines if line.top_mm >= MARGINS.top - 1]
        assert min(line.left_mm for line in body) >= MARGINS.left - 0.5
        assert max(line.right_mm for line in body) <= 210 - MARGINS.right + 0.5
        assert max(line.top_mm for line in body) <= 297 - MARGINS.bottom


def test_every_award_has_a_reporting_window_setting() -> None:
    assert BY_KEY["reporting_years:BK_TTG"].defaults[0].value == "5"
    assert BY_KEY["reporting_years:HC_LD3"].defaults[0].value == "5"
    assert BY_KEY["reporting_years:CSTD_TQ"].defaults[0].value == "6"
    assert "chưa xác nhận" in BY_KEY["reporting_years:BK_TINH"].defaults[0].source
    assert "chưa xác nhận" in BY_KEY["reporting_years:GK_XA"].defaults[0].source


def test_a_long_history_table_flows_with_its_header_repeated(demo_services: Services) -> None:
    owner = _chairman_reports(demo_services)
    with demo_services.sessions.begin() as session:
        subject_id = session.get_one(Nomination, owner.id).subject_id
        session.add_all(Award(subject_id=subject_id, award_code="LDTT", year=year,
                              decision_number=f"{year - 1990:02d}/QĐ-UBND", decision_date=date(year + 1, 1, 10),
                              issuer="Chủ tịch UBND xã Phước An") for year in range(1996, 2022))
    _set_window(demo_services, "BK_TINH", 30)
    pdf = _pdf(demo_services, owner)
    text = _flat(pdf)
    assert all(f"Quyết định số {year - 1990:02d}/QĐ-UBND ngày 10/01/{year + 1}" in text
               for year in range(1996, 2022))
    headed = [page.number for page in pdf.pages if any(line.text == "Danh hiệu thi đua" for line in page.lines)]
    assert len(headed) >= 2  # the header row again on the page the table flows onto
