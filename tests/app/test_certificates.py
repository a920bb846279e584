"""The certificate service: book numbers per year, the reprint log, printers' offsets, the
wording of a decision's Giấy khen, and all or nothing when something fails."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from app import fonts
from app.audit import AuditFilter
from app.certificates import BLANK_TYPES, DEFAULT_BLANK, CertificateService
from app.document_texts import DocumentTexts
from app.documents.certificate_layouts import BLANK_LAYOUTS
from app.documents.model import DocumentError
from app.errors import FileWriteError, PermissionDeniedError, ValidationError
from app.roles import Actor, Role
from app.services import Services
from db.models import Certificate, CertificatePrint, Decision
from tests.app.pdf_reading import read_pdf
from tests.conftest import demo_clock

# The small demo's decisions with Giấy khen: 02/QĐ-UBND of 25/08/2025 (one sudden feat),
# 03/QĐ-UBND of 17/12/2025 (six, a movement) and 05/QĐ-UBND of 29/04/2026 (one sudden feat).
SUDDEN_2025, MOVEMENT_2025, SUDDEN_2026 = "02/QĐ-UBND", "03/QĐ-UBND", "05/QĐ-UBND"


@pytest.fixture(scope="module")
def font() -> fonts.PrintFont:
    return fonts.print_font()


def service(services: Services, font: fonts.PrintFont, actor: Actor | None = None) -> CertificateService:
    actor = actor or services.actor
    texts = DocumentTexts(services.sessions, actor, services.audit, demo_clock)
    return CertificateService(services.sessions, actor, services.audit, texts, services.commune, demo_clock,
                              font_source=lambda: font)


def decision_id(services: Services, number: str, year: int) -> int:
    with services.sessions() as session:
        return session.scalars(select(Decision.id).where(Decision.number == number,
                                                         Decision.decided_on >= date(year, 1, 1),
                                                         Decision.decided_on <= date(year, 12, 31))).one()


def item_ids(certificates: CertificateService, decision: int) -> list[int]:
    return [row.item_id for row in certificates.rows(decision)]


def counts(services: Services) -> tuple[int, int, int]:
    """Certificates in the book, print log rows, audit entries."""
    with services.sessions() as session:
        return (session.scalar(select(func.count(Certificate.id))) or 0,
                session.scalar(select(func.count(CertificatePrint.id))) or 0,
                services.audit.last_id())


@pytest.fixture
def certificates(demo_services: Services, font: fonts.PrintFont) -> CertificateService:
    return service(demo_services, font)


def test_rows_are_the_giay_khen_of_an_issued_decision(demo_services: Services,
                                                      certificates: CertificateService) -> None:
    rows = certificates.rows(decision_id(demo_services, MOVEMENT_2025, 2025))
    assert len(rows) == 6
    assert {row.award_label for row in rows} == {"Giấy khen của Chủ tịch UBND xã"}
    assert all(row.book_number is None and row.prints == 0 and not row.revoked for row in rows)
    assert "Đoàn Thanh niên Cộng sản Hồ Chí Minh xã Phước An" in {row.subject_name for row in rows}
    # Lao động tiên tiến has no certificate form: its decision has no Giấy khen to print.
    assert certificates.rows(decision_id(demo_services, "01/QĐ-UBND", 2025)) == []


def test_a_draft_decision_has_no_certificates_yet(demo_services: Services,
                                                  certificates: CertificateService) -> None:
    with demo_services.sessions.begin() as session:  # as a draft would be
        decision = session.get_one(Decision, decision_id(demo_services, SUDDEN_2026, 2026))
        decision.state = "draft"
    with pytest.raises(DocumentError, match="chưa ban hành"):
        certificates.rows(decision.id)


def test_book_numbers_are_given_once_per_year_and_kept_on_reprint(demo_services: Services,
                                                                  certificates: CertificateService) -> None:
    movement = decision_id(demo_services, MOVEMENT_2025, 2025)
    sudden_2025 = decision_id(demo_services, SUDDEN_2025, 2025)
    sudden_2026 = decision_id(demo_services, SUDDEN_2026, 2026)
    ids = item_ids(certificates, movement)
    # The preview shows the numbers they would get, and records nothing.
    preview = read_pdf(certificates.preview(movement, ids[:2], "full"))
    assert [page.line("Số vào sổ").text for page in preview.pages] == ["Số vào sổ: 1", "Số vào sổ: 2"]
    assert counts(demo_services)[:2] == (0, 0)

    certificates.record_print(movement, ids[:2], "full", "HP LaserJet")
    certificates.record_print(sudden_2025, item_ids(certificates, sudden_2025), "blank", "HP LaserJet")
    pdf = read_pdf(certificates.record_print(movement, ids, "full", "HP LaserJet", reason="In hỏng hai tờ đầu"))
    certificates.record_print(sudden_2026, item_ids(certificates, sudden_2026), "full", "Canon")

    rows = {row.item_id: row for row in certificates.rows(movement)}
    assert [(rows[i].book_year, rows[i].book_number, rows[i].prints) for i in ids] == [
        (2025, 1, 2), (2025, 2, 2), (2025, 4, 1), (2025, 5, 1), (2025, 6, 1), (2025, 7, 1)]
    assert [(r.book_year, r.book_number) for r in certificates.rows(sudden_2025)] == [(2025, 3)]
    assert [(r.book_year, r.book_number) for r in certificates.rows(sudden_2026)] == [(2026, 1)]
    assert [page.line("Số vào sổ").text for page in pdf.pages] == [
        f"Số vào sổ: {n}" for n in (1, 2, 4, 5, 6, 7)]


def test_a_reprint_without_a_reason_is_refused_and_nothing_is_logged(demo_services: Services,
                                                                     certificates: CertificateService) -> None:
    movement = decision_id(demo_services, MOVEMENT_2025, 2025)
    ids = item_ids(certificates, movement)
    assert not certificates.needs_reason(ids)
    certificates.record_print(movement, ids[:1], "full", "HP")
    assert certificates.needs_reason(ids) and not certificates.needs_reason(ids[1:])
    before = counts(demo_services)
    with pytest.raises(DocumentError, match=r"«Đoàn Thanh niên.*» \(số vào sổ 1/2025\) đã in trước đây.*lý do"):
        certificates.record_print(movement, ids, "full", "HP", reason="   ")
    assert counts(demo_services) == before
    assert [row.book_number for row in certificates.rows(movement)] == [1, None, None, None, None, None]


def test_the_log_lists_every_printing_of_the_years_book(demo_services: Services,
                                                        certificates: CertificateService) -> None:
    movement = decision_id(demo_services, MOVEMENT_2025, 2025)
    ids = item_ids(certificates, movement)
    certificates.record_print(movement, ids[:1], "full", "HP LaserJet")
    certificates.record_print(movement, ids[:1], "blank", "Canon LBP", reason="Giấy khen bị rách")
    log = certificates.log(2025)
    assert [(r.book_number, r.mode, r.printer, r.reason) for r in log] == [
        (1, "full", "HP LaserJet", ""), (1, "blank", "Canon LBP", "Giấy khen bị rách")]
    first = log[0]
    assert first.subject_name == "Đoàn Thanh niên Cộng sản Hồ Chí Minh xã Phước An"
    assert first.decision_number == MOVEMENT_2025 and first.award_label == "Giấy khen của Chủ tịch UBND xã"
    assert first.printed_by == "Nguyễn Thị Cán" and first.book_year == 2025
    assert first.printed_at.utcoffset().total_seconds() == 7 * 3600  # type: ignore[union-attr]
    assert (first.printed_at.date(), first.printed_at.hour) == (date(2026, 11, 20), 10)
    assert certificates.log(2026) == []
    entries = demo_services.audit.entries(AuditFilter(entity="certificate"))
    assert [e.action for e in entries] == ["print", "print"]
    assert entries[0].reason == "Giấy khen bị rách" and entries[0].summary.startswith("In lại Giấy khen số vào sổ 1/2025")
    assert entries[1].summary.startswith("In Giấy khen số vào sổ 1/2025 cho «Đoàn Thanh niên")


def test_written_to_a_file_with_pages_and_the_log_shows_no_printer(demo_services: Services,
                                                                   certificates: CertificateService,
                                                                   tmp_path: Path) -> None:
    movement = decision_id(demo_services, MOVEMENT_2025, 2025)
    path = tmp_path / "giay-khen.pdf"
    steps: list[tuple[int, int]] = []
    assert certificates.write(movement, item_ids(certificates, movement), "full", path,
                              report=lambda d, t: steps.append((d, t))) == 6
    assert len(read_pdf(path).pages) == 6 and not list(tmp_path.glob("*.part"))
    assert steps[-1] == (6, 6)
    assert {row.printer for row in certificates.log(2025)} == {""}


def test_text_is_read_back_in_nfc_with_the_decision_and_book_number(demo_services: Services,
                                                                    certificates: CertificateService) -> None:
    sudden = decision_id(demo_services, SUDDEN_2025, 2025)
    page = read_pdf(certificates.record_print(sudden, item_ids(certificates, sudden), "full", "HP")).pages[0]
    assert page.line("Ông Trần Văn Tùng").size == 28
    assert page.line("Hiệu trưởng Trường Trung học cơ sở Hậu Hưng")
    assert page.line("CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ PHƯỚC AN")
    assert page.line("Quyết định số 02/QĐ-UBND ngày 25 tháng 8 năm 2025")
    assert page.line("Số vào sổ: 1")
    assert page.line("Phước An, ngày 25 tháng 8 năm 2025")
    assert page.line("Đào Quang Hòa")
    # The sudden feat's summary from the nomination completes the reason, after the colon.
    assert ("Đã có thành tích xuất sắc đột xuất năm 2025: kịp thời dập tắt đám cháy nhà dân, cứu 3 người "
            "mắc kẹt tại Thôn Lợi Đức ngày 22/07/2025.") in " ".join(page.text.split())
    blank = read_pdf(certificates.preview(sudden, item_ids(certificates, sudden), "blank")).pages[0]
    for text in ("Ông Trần Văn Tùng", "02/QĐ-UBND", "25/08/2025", "1", "Đào Quang Hòa"):
        assert blank.line(text)


def test_edited_wording_prints_and_a_required_field_emptied_is_named(demo_services: Services,
                                                                     certificates: CertificateService) -> None:
    movement = decision_id(demo_services, MOVEMENT_2025, 2025)
    ids = item_ids(certificates, movement)
    values = {value.field.key: value for value in certificates.fields(movement)}
    assert values["reason"].value == ("Đã có thành tích xuất sắc trong phong trào thi đua “Chung sức xây "
                                      "dựng nông thôn mới” năm 2025.")
    assert values["day"].value == "17/12/2025" and values["signer_name"].value == "Đào Quang Hòa"
    certificates.save_texts(movement, {"reason": "Đã có nhiều đóng góp xây dựng nông thôn mới năm 2025.",
                                       "signer_authority": "KT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH",
                                       "signer_name": "Lê Văn Phó", "day": "18/12/2025"})
    page = read_pdf(certificates.preview(movement, ids[:1], "full")).pages[0]
    assert page.line("Đã có nhiều đóng góp xây dựng nông thôn mới năm 2025.")
    assert page.line("KT. CHỦ TỊCH") and page.line("PHÓ CHỦ TỊCH") and page.line("Lê Văn Phó")
    assert page.line("Phước An, ngày 18 tháng 12 năm 2025")
    certificates.save_texts(movement, {"signer_name": "  "})
    with pytest.raises(DocumentError, match="Chưa có họ và tên người ký"):
        certificates.record_print(movement, ids[:1], "full", "HP")
    certificates.reset_texts(movement)
    assert not any(value.edited for value in certificates.fields(movement))
    with pytest.raises(DocumentError, match="không có mục"):
        certificates.save_texts(movement, {"body": "x"})


def test_an_overflowing_reason_shrinks_then_is_refused_naming_the_person(demo_services: Services,
                                                                         certificates: CertificateService) -> None:
    movement = decision_id(demo_services, MOVEMENT_2025, 2025)
    ids = item_ids(certificates, movement)
    sentence = "Đã tích cực vận động nhân dân hiến đất, góp công, góp của làm đường giao thông nông thôn. "
    certificates.save_texts(movement, {"reason": sentence * 4})
    page = read_pdf(certificates.preview(movement, ids[:1], "full")).pages[0]
    assert 13 <= page.line("Đã tích cực").size < 17
    certificates.save_texts(movement, {"reason": sentence * 12})
    before = counts(demo_services)
    with pytest.raises(DocumentError, match="Giấy khen của «Đoàn Thanh niên.*lý do khen thưởng dài quá"):
        certificates.record_print(movement, ids, "full", "HP")
    assert counts(demo_services) == before  # all or nothing: no number, no log, no audit


def test_a_failure_while_drawing_or_writing_leaves_no_number_and_no_log(
        demo_services: Services, certificates: CertificateService, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    movement = decision_id(demo_services, MOVEMENT_2025, 2025)
    ids = item_ids(certificates, movement)
    before = counts(demo_services)

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("máy tính hết bộ nhớ")

    with monkeypatch.context() as patch:
        patch.setattr("app.documents.certificate_pdf.certificates_pdf", broken)
        with pytest.raises(RuntimeError):
            certificates.record_print(movement, ids, "full", "HP")
    assert counts(demo_services) == before
    with pytest.raises(FileWriteError):
        certificates.write(movement, ids, "full", tmp_path / "no-such-folder" / "giay-khen.pdf")
    assert counts(demo_services) == before
    assert all(row.book_number is None for row in certificates.rows(movement))


def test_a_revoked_award_is_not_printed(demo_services: Services, certificates: CertificateService) -> None:
    movement = decision_id(demo_services, MOVEMENT_2025, 2025)
    ids = item_ids(certificates, movement)
    demo_services.decisions.revoke_item(ids[1], "Khai man thành tích", date(2026, 3, 2))
    rows = certificates.rows(movement)
    assert [row.revoked for row in rows] == [False, True, False, False, False, False]
    with pytest.raises(DocumentError, match=r"«Hộ ông Nguyễn Thanh Định» đã bị thu hồi ngày 02/03/2026"):
        certificates.record_print(movement, ids, "full", "HP")
    with pytest.raises(DocumentError, match="thu hồi"):
        certificates.preview(movement, ids[1:2], "full")
    assert counts(demo_services)[:2] == (0, 0)


def test_items_of_another_decision_or_none_are_refused(demo_services: Services,
                                                       certificates: CertificateService) -> None:
    movement = decision_id(demo_services, MOVEMENT_2025, 2025)
    other = item_ids(certificates, decision_id(demo_services, SUDDEN_2025, 2025))
    with pytest.raises(DocumentError, match="không phải Giấy khen của quyết định số 03/QĐ-UBND"):
        certificates.record_print(movement, other, "full", "HP")
    with pytest.raises(DocumentError, match="ít nhất một"):
        certificates.preview(movement, [], "full")
    with pytest.raises(DocumentError, match="Cách in"):
        certificates.preview(movement, other, "colour")
    with pytest.raises(DocumentError, match="Loại phôi"):
        certificates.preview(movement, other, "blank", blank_type="a5")


def test_offsets_are_saved_bounded_audited_and_move_the_blank_text(demo_services: Services,
                                                                   certificates: CertificateService) -> None:
    assert BLANK_TYPES[DEFAULT_BLANK] == "Phôi Giấy khen A4 ngang"
    sudden = decision_id(demo_services, SUDDEN_2025, 2025)
    ids = item_ids(certificates, sudden)
    assert certificates.offsets("HP LaserJet", DEFAULT_BLANK) == (0.0, 0.0)
    before = read_pdf(certificates.preview(sudden, ids, "blank", "HP LaserJet")).pages[0].line("Ông Trần")
    certificates.save_offsets("HP LaserJet", DEFAULT_BLANK, 3.5, -2.0)
    assert certificates.offsets("HP LaserJet", DEFAULT_BLANK) == (3.5, -2.0)
    assert certificates.offsets("Canon", DEFAULT_BLANK) == (0.0, 0.0)
    after = read_pdf(certificates.record_print(sudden, ids, "blank", "HP LaserJet")).pages[0].line("Ông Trần")
    assert after.left_mm - before.left_mm == pytest.approx(3.5, abs=0.01)
    assert after.top_mm - before.top_mm == pytest.approx(-2.0, abs=0.01)
    other = read_pdf(certificates.preview(sudden, ids, "blank", "Canon")).pages[0].line("Ông Trần")
    assert other.left_mm == pytest.approx(before.left_mm, abs=0.01)

    with pytest.raises(ValidationError, match="Độ lệch ngang phải trong khoảng −30 mm đến \\+30 mm"):
        certificates.save_offsets("HP LaserJet", DEFAULT_BLANK, 30.5, 0)
    with pytest.raises(ValidationError, match="Độ lệch dọc"):
        certificates.save_offsets("HP LaserJet", DEFAULT_BLANK, 0, float("nan"))
    with pytest.raises(ValidationError, match="máy in"):
        certificates.save_offsets("  ", DEFAULT_BLANK, 1, 1)
    assert certificates.offsets("HP LaserJet", DEFAULT_BLANK) == (3.5, -2.0)
    entries = demo_services.audit.entries(AuditFilter(entity="printer_calibration"))
    assert len(entries) == 1 and entries[0].new_values == {
        "printer": "HP LaserJet", "blank_type": DEFAULT_BLANK, "offset_x_mm": 3.5, "offset_y_mm": -2.0}
    certificates.save_offsets("HP LaserJet", DEFAULT_BLANK, 3.5, -2.0)  # unchanged: no entry
    certificates.save_offsets("HP LaserJet", DEFAULT_BLANK, 1.0, -2.0)
    entries = demo_services.audit.entries(AuditFilter(entity="printer_calibration"))
    assert [e.action for e in entries] == ["update", "create"]
    assert entries[0].old_values == {"offset_x_mm": 3.5, "offset_y_mm": -2.0}


def test_the_calibration_page_is_drawn_with_the_saved_offsets(demo_services: Services,
                                                              certificates: CertificateService) -> None:
    plain = read_pdf(certificates.calibration_page(DEFAULT_BLANK, "HP LaserJet")).pages[0]
    assert "ngang 0 mm, dọc 0 mm" in plain.text
    certificates.save_offsets("HP LaserJet", DEFAULT_BLANK, -1.5, 2.0)
    page = read_pdf(certificates.calibration_page(DEFAULT_BLANK, "HP LaserJet")).pages[0]
    assert page.line("Máy in: HP LaserJet. Độ lệch đang áp dụng: ngang −1,5 mm, dọc +2 mm.")
    assert page.line("GỐC ĐO").left_mm - plain.line("GỐC ĐO").left_mm == pytest.approx(-1.5, abs=0.01)
    assert page.line("GỐC ĐO").top_mm - plain.line("GỐC ĐO").top_mm == pytest.approx(2.0, abs=0.01)
    words = page.text.split()
    assert all(str(mm) in words for mm in range(20, 210, 10))
    # The cross measured 31.5 mm from the left and 29 mm from the top: corrected by the difference.
    assert certificates.adjusted_offsets("HP LaserJet", DEFAULT_BLANK, 31.5, 29.0) == (-3.0, 3.0)
    assert set(BLANK_TYPES) == set(BLANK_LAYOUTS)


def test_a_viewer_may_preview_but_not_print_or_calibrate(demo_services: Services, font: fonts.PrintFont) -> None:
    viewer = service(demo_services, font, replace(demo_services.actor, role=Role.VIEWER))
    movement = decision_id(demo_services, MOVEMENT_2025, 2025)
    ids = item_ids(viewer, movement)
    assert viewer.preview(movement, ids, "full").startswith(b"%PDF")
    assert viewer.calibration_page(DEFAULT_BLANK, "HP").startswith(b"%PDF")
    before = counts(demo_services)
    with pytest.raises(PermissionDeniedError):
        viewer.record_print(movement, ids, "full", "HP")
    with pytest.raises(PermissionDeniedError):
        viewer.write(movement, ids, "full", Path("/nonexistent/x.pdf"))
    with pytest.raises(PermissionDeniedError):
        viewer.save_offsets("HP", DEFAULT_BLANK, 1, 1)
    assert counts(demo_services) == before


def test_a_clerk_may_print_and_calibrate(demo_services: Services, font: fonts.PrintFont) -> None:
    clerk = service(demo_services, font, replace(demo_services.actor, role=Role.CLERK))
    sudden = decision_id(demo_services, SUDDEN_2026, 2026)
    clerk.record_print(sudden, item_ids(clerk, sudden), "full", "HP")
    clerk.save_offsets("HP", DEFAULT_BLANK, 1, 1)
    assert [row.book_number for row in clerk.rows(sudden)] == [1]


def test_numbering_holds_the_write_lock_before_reading_the_highest_number(
        demo_services: Services, certificates: CertificateService) -> None:
    """Another program (the CLI while the window prints) cannot enter a number between the
    moment the highest one is read and the commit."""
    movement = decision_id(demo_services, MOVEMENT_2025, 2025)
    engine = demo_services.sessions.kw["bind"]
    other_writer: list[str] = []

    def on_execute(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "max(certificates.book_number)" in statement and not other_writer:
            other = sqlite3.connect(engine.url.database, timeout=0)
            try:
                other.execute("BEGIN IMMEDIATE")
                other_writer.append("got the write lock")
                other.rollback()
            except sqlite3.OperationalError as error:
                other_writer.append(str(error))
            finally:
                other.close()

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        certificates.record_print(movement, item_ids(certificates, movement)[:1], "full", "HP")
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    assert other_writer == ["database is locked"]


def test_a_number_taken_elsewhere_at_commit_is_a_message_not_a_traceback(
        demo_services: Services, certificates: CertificateService) -> None:
    movement = decision_id(demo_services, MOVEMENT_2025, 2025)
    with demo_services.sessions.begin() as session:  # as the unique (year, number) index answers
        session.connection().exec_driver_sql(
            "CREATE TRIGGER taken_elsewhere BEFORE INSERT ON certificates BEGIN "
            "SELECT RAISE(ABORT, 'UNIQUE constraint failed: certificates.book_year, certificates.book_number'); END")
    before = counts(demo_services)
    with pytest.raises(DocumentError, match="^Sổ Giấy khen vừa được ghi ở nơi khác; hãy in lại.$"):
        certificates.record_print(movement, item_ids(certificates, movement), "full", "HP")
    assert counts(demo_services) == before


def test_the_printable_items_of_a_decision_or_a_message_naming_it(
        demo_services: Services, certificates: CertificateService) -> None:
    movement = decision_id(demo_services, MOVEMENT_2025, 2025)
    ids = item_ids(certificates, movement)
    demo_services.decisions.revoke_item(ids[1], "Khai man thành tích", date(2026, 3, 2))
    assert certificates.printable(movement) == ids[:1] + ids[2:]
    with pytest.raises(DocumentError, match=r"^Quyết định số 01/QĐ-UBND không có Giấy khen nào để in "
                                            r"\(hoặc đều đã bị thu hồi\)\.$"):
        certificates.printable(decision_id(demo_services, "01/QĐ-UBND", 2025))
    sudden = decision_id(demo_services, SUDDEN_2025, 2025)
    demo_services.decisions.revoke_item(item_ids(certificates, sudden)[0], "Khai man thành tích", date(2026, 3, 2))
    with pytest.raises(DocumentError, match="Quyết định số 02/QĐ-UBND không có Giấy khen nào"):
        certificates.printable(sudden)


def test_the_font_comes_from_the_print_service_each_time_not_a_copy_kept_here(
        demo_services: Services, font: fonts.PrintFont) -> None:
    """The print service resolves the font once, under its lock; a second cache here would
    bypass that lock."""
    asked: list[int] = []

    def source() -> fonts.PrintFont:
        asked.append(1)
        return font

    texts = DocumentTexts(demo_services.sessions, demo_services.actor, demo_services.audit, demo_clock)
    certificates = CertificateService(demo_services.sessions, demo_services.actor, demo_services.audit, texts,
                                      demo_services.commune, demo_clock, font_source=source)
    sudden = decision_id(demo_services, SUDDEN_2025, 2025)
    certificates.preview(sudden, item_ids(certificates, sudden), "full")
    certificates.calibration_page(DEFAULT_BLANK, "HP")
    assert len(asked) == 2 and not hasattr(certificates, "font")


def test_certificates_are_signed_like_their_decision_by_the_chairman_in_his_own_name(
        demo_services: Services, certificates: CertificateService) -> None:
    decision = decision_id(demo_services, "03/QĐ-UBND", 2025)
    values = {value.field.key: value.value for value in certificates.fields(decision)}
    assert (values["signer_authority"], values["signer_title"]) == ("", "CHỦ TỊCH")
    text = read_pdf(certificates.preview(decision, item_ids(certificates, decision)[:1], "blank")).text
    assert "TM." not in text  # the blank takes the chairman's block as printed on it
