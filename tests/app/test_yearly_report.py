"""The stored yearly report: made once, written as PDF and Excel from what was stored."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from app.audit import AuditFilter
from app.errors import PermissionDeniedError, ValidationError
from app.history import AwardRecord
from app.roles import Actor, Role
from app.services import Services
from app.yearly_report import ReportService, ReportTamperedError
from app.statistics import Figure, StatisticsService
from app.yearly_report_content import share_text, statistics_of
from db.models import Subject
from tests.app.pdf_reading import read_pdf
from tests.app.report_statistics import FakeStatistics, sample
from tests.conftest import demo_clock


def service(services: Services, statistics: object, actor: Actor | None = None) -> ReportService:
    return ReportService(services.sessions, actor or services.actor, services.audit, statistics,
                         services.printing, services.commune, demo_clock)


@pytest.fixture
def statistics() -> FakeStatistics:
    return FakeStatistics({2025: sample(2025)})


def test_shares_have_one_decimal_and_a_vietnamese_comma() -> None:
    assert share_text(Figure("priority:women", "Nữ", 1, 8)) == "12,5%"
    assert share_text(Figure("priority:women", "Nữ", 2, 3)) == "66,7%"
    assert share_text(Figure("priority:women", "Nữ", 0, 0)) == "–"
    assert share_text(Figure("priority:women", "Nữ", 3)) == "–"


def test_the_pdf_carries_the_headings_and_the_figures(demo_services: Services, statistics: FakeStatistics,
                                                      tmp_path: Path) -> None:
    reports = service(demo_services, statistics)
    row = reports.make(2025)
    out = tmp_path / "bao-cao.pdf"
    reports.write(row.id, out)
    pdf = read_pdf(out).text
    flat = " ".join(pdf.split())
    for heading in ("BÁO CÁO", "Kết quả công tác thi đua, khen thưởng năm 2025", "/BC-UBND",
                    "I. CÔNG TÁC TỔ CHỨC CÁC PHONG TRÀO THI ĐUA", "II. KẾT QUẢ CÔNG TÁC KHEN THƯỞNG",
                    "III. ĐÁNH GIÁ CHUNG", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nơi nhận:"):
        assert heading in pdf, heading
    assert ("Tổng số danh hiệu thi đua, hình thức khen thưởng đã trao: 12 lượt (không tính các khen thưởng đã "
            "bị thu hồi), trong đó 7 danh hiệu thi đua và 5 hình thức khen thưởng.") in flat
    # A row's cells read back in order (a wrapped label's second line follows them).
    assert "1 Lao động tiên tiến 7 2 Giấy khen của Chủ tịch UBND xã 5 Tổng cộng 12" in flat
    assert "1 Cá nhân 8 2 Tập thể 4" in flat
    assert " 3 8 37,5% " in flat  # women: 3 of the 8 individuals
    assert " 0 8 0,0% 2 " in flat  # ethnic minorities: 0 of 8, 2 not known
    assert "3 Khen thưởng đột xuất 1 – –" in flat  # no denominator, no share
    assert "- Phong trào phát động: 2." in pdf
    assert "- Số sáng kiến được công nhận: 3." in pdf
    assert "- 2 cá nhân không rõ dân tộc." in pdf
    assert "- Lưu: VT, TĐKT." in pdf


def test_the_workbook_reads_back_counts_and_shares(demo_services: Services, statistics: FakeStatistics,
                                                   tmp_path: Path) -> None:
    reports = service(demo_services, statistics)
    row = reports.make(2025)
    out = tmp_path / "bao-cao.xlsx"
    reports.write(row.id, out)
    book = load_workbook(out)
    assert book.sheetnames == ["Tổng hợp", "Theo danh hiệu", "Theo cấp", "Theo đối tượng", "Nhóm ưu tiên"]
    awards = book["Theo danh hiệu"]
    assert [[cell.value for cell in line] for line in awards.iter_rows(min_row=5, max_col=3)] == [
        [1, "Lao động tiên tiến", 7], [2, "Giấy khen của Chủ tịch UBND xã", 5], [None, "Tổng cộng", 12]]
    assert awards.freeze_panes == "A5"
    priority = book["Nhóm ưu tiên"]
    women = [cell.value for cell in priority[5]]
    assert women[:5] == [1, "Nữ (trên số cá nhân được khen thưởng)", 3, 8, 0.375]
    assert priority.cell(5, 5).number_format == "0.0%"
    assert priority.cell(7, 5).value == "–"  # no denominator: no share
    assert book["Tổng hợp"].cell(5, 2).value == 12
    assert row.figures_sha256 in " ".join(str(c.value) for c in book["Tổng hợp"]["A"] if c.value)


def test_the_same_stored_report_is_written_twice_byte_for_byte(
        demo_services: Services, statistics: FakeStatistics, tmp_path: Path) -> None:
    reports = service(demo_services, statistics)
    row = reports.make(2025)
    for suffix in ("pdf", "xlsx"):
        first, second = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
        reports.write(row.id, first)
        reports.write(row.id, second)
        assert first.read_bytes() == second.read_bytes(), suffix


def test_a_later_change_does_not_change_the_stored_report(
        demo_services: Services, statistics: FakeStatistics, tmp_path: Path) -> None:
    reports = service(demo_services, statistics)
    row = reports.make(2025)
    before = {suffix: tmp_path / f"before.{suffix}" for suffix in ("pdf", "xlsx")}
    for path in before.values():
        reports.write(row.id, path)
    statistics.years[2025] = dataclasses.replace(sample(2025), total=99)
    setup = demo_services.commune.get()
    officials = tuple(dataclasses.replace(o, full_name="Người Khác") if o.role == "chairman" else o
                      for o in setup.officials)
    demo_services.commune.save(dataclasses.replace(setup, officials=officials))
    for suffix, path in before.items():
        after = tmp_path / f"after.{suffix}"
        reports.write(row.id, after)
        assert after.read_bytes() == path.read_bytes(), suffix
    newer = reports.make(2025)
    assert newer.figures_sha256 != row.figures_sha256
    assert [r.id for r in reports.reports()] == [newer.id, row.id]


def test_a_year_without_data_says_so(demo_services: Services, tmp_path: Path) -> None:
    reports = service(demo_services, FakeStatistics({}))
    row = reports.make(2019)
    out = tmp_path / "trong.pdf"
    reports.write(row.id, out)
    pdf = " ".join(read_pdf(out).text.split())
    assert "Trong năm 2019 chưa có danh hiệu thi đua, hình thức khen thưởng nào được ghi nhận" in pdf
    assert "Không có số liệu." in pdf
    assert "Năm 2019 chưa có số liệu khen thưởng." in pdf
    # The copy names the stored report it was drawn from, so the one sent can be matched.
    assert f"Báo cáo lưu số {row.id}; mã kiểm tra số liệu (SHA-256): {row.figures_sha256}." in pdf
    book = load_workbook(tmp_path / _written(reports, row.id, tmp_path / "trong.xlsx"))
    assert book["Theo danh hiệu"].cell(5, 2).value == "Không có số liệu."


def test_a_report_of_a_year_to_come_or_a_mistyped_year_is_refused(demo_services: Services) -> None:
    """A typo would become a stored report nobody can delete (the table is append-only)."""
    reports = demo_services.reports
    with pytest.raises(ValidationError, match="Chưa thể lập báo cáo năm 2030: năm đó chưa đến"):
        reports.make(2030)
    with pytest.raises(ValidationError, match="Năm 1800 không hợp lệ: hãy chọn một năm từ 1945 đến 2100"):
        reports.make(1800)
    assert reports.reports() == []


def _written(reports: ReportService, report_id: int, path: Path) -> Path:
    reports.write(report_id, path)
    return path


def test_a_viewer_cannot_make_a_report(demo_services: Services, statistics: FakeStatistics) -> None:
    viewer = Actor(None, "xem", "Người xem", Role.VIEWER)
    with pytest.raises(PermissionDeniedError):
        service(demo_services, statistics, viewer).make(2025)
    assert service(demo_services, statistics).reports() == []


def test_making_a_report_is_audited(demo_services: Services, statistics: FakeStatistics) -> None:
    row = service(demo_services, statistics).make(2025)
    entries = demo_services.audit.entries(AuditFilter())
    entry = next(e for e in entries if e.entity == "stored_report")
    assert entry.entity_uuid == row.uuid


def test_stored_reports_refuse_update_and_a_tampered_one_is_detected(
        demo_services: Services, statistics: FakeStatistics, tmp_path: Path) -> None:
    reports = service(demo_services, statistics)
    row = reports.make(2025)
    assert reports.verify(row.id)
    with pytest.raises(DatabaseError, match="chỉ được ghi thêm"):
        with demo_services.sessions.begin() as session:
            session.execute(text("UPDATE stored_reports SET figures = replace(figures, '\"total\": 12', "
                                 "'\"total\": 13') WHERE id = :id"), {"id": row.id})
    assert reports.verify(row.id)
    with demo_services.sessions.begin() as session:  # someone editing the file with another tool
        session.execute(text("DROP TRIGGER stored_reports_no_update"))
        session.execute(text("UPDATE stored_reports SET figures = replace(figures, '\"total\": 12', "
                             "'\"total\": 13') WHERE id = :id"), {"id": row.id})
    assert not reports.verify(row.id)
    with pytest.raises(ReportTamperedError, match="không khớp"):
        reports.write(row.id, tmp_path / "sua.pdf")
    assert not (tmp_path / "sua.pdf").exists()


def test_the_workbook_is_a_zip_with_fixed_times(demo_services: Services, statistics: FakeStatistics,
                                                tmp_path: Path) -> None:
    reports = service(demo_services, statistics)
    row = reports.make(2025)
    out = _written(reports, row.id, tmp_path / "bao-cao.xlsx")
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 20, 10, 0, 0)}


def test_the_stored_figures_read_back_as_the_statistics() -> None:
    assert statistics_of(sample(2025).as_json()) == sample(2025)


def test_the_demo_figures_print_and_a_later_award_changes_only_a_new_report(
        demo_services: Services, tmp_path: Path) -> None:
    statistics = StatisticsService(demo_services.sessions)
    reports = service(demo_services, statistics)
    counted = statistics.figures(2025)
    assert counted.total > 0
    row = reports.make(2025)
    first = _written(reports, row.id, tmp_path / "truoc.pdf")
    flat = " ".join(read_pdf(first).text.split())
    assert f"đã trao: {counted.total} lượt" in flat
    for figure in counted.priority:  # a row's cells read back in order
        assert f" {figure.count} {figure.denominator} {share_text(figure)} " in flat, figure
    book = load_workbook(_written(reports, row.id, tmp_path / "truoc.xlsx"))
    priority = book["Nhóm ưu tiên"]
    read_back = [(line[1].value, line[2].value, line[3].value, line[4].value)
                 for line in priority.iter_rows(min_row=5, max_row=4 + len(counted.priority))]
    assert read_back == [(f.label, f.count, f.denominator, "–" if f.share is None else pytest.approx(f.share))
                         for f in counted.priority]

    with demo_services.sessions() as session:
        subject_id = session.scalars(select(Subject.id).where(Subject.kind == "individual")
                                     .order_by(Subject.id)).first()
    demo_services.history.save(subject_id, AwardRecord("GK_XA", 2025, "99/QĐ-UBND", date(2025, 12, 30)))
    assert statistics.figures(2025).total == counted.total + 1
    again = _written(reports, row.id, tmp_path / "sau.pdf")
    assert again.read_bytes() == first.read_bytes()
    newer = reports.make(2025)
    assert f"đã trao: {counted.total + 1} lượt" in " ".join(
        read_pdf(_written(reports, newer.id, tmp_path / "moi.pdf")).text.split())
