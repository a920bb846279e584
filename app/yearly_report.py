"""Stored yearly reports: make one from today's figures, write it as PDF or Excel any time later.

`make(year)` reads the figures (app/statistics.py), copies the page's commune details, and
stores both as canonical JSON with its SHA-256 in `stored_reports` (append-only, guarded by
triggers) together with an audit entry, in one transaction. `write(report_id, path)` draws
from the stored JSON only, PDF invariant and the workbook with fixed times, so a copy written
later is the same file byte for byte even after the register has changed. `verify` recomputes
the hash; `write` refuses a report whose figures no longer match it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import AuditTrail, Clock, utc_now
from app.commune import CommuneService
from app.errors import DomainError, NotFoundError, SetupRequiredError, ValidationError
from app.local_time import local_date, stored_now
from app.package.format import canonical_json, offset_time, sha256_hex
from app.printing import PrintService
from app.roles import Actor, Permission, require
from app.safe_files import atomic_path
from app.statistics import Statistics
from app.yearly_report_content import KIND, ReportContent, from_json, page_of, statistics_of, stored_json
from db.models import StoredReport

SUFFIXES = (".pdf", ".xlsx")


class FigureSource(Protocol):
    """What the report needs of app.statistics.StatisticsService."""

    def figures(self, year_from: int, year_to: int | None = None) -> Statistics: ...


class ReportTamperedError(DomainError):
    """The stored figures no longer match the hash stored with them."""


@dataclass(frozen=True)
class StoredReportRow:
    id: int
    uuid: str
    kind: str
    year_from: int
    year_to: int
    figures_sha256: str
    created_at: datetime  # naive UTC, as stored
    created_by: str

    @classmethod
    def of(cls, report: StoredReport) -> StoredReportRow:
        return cls(report.id, report.uuid, report.kind, report.year_from, report.year_to,
                   report.figures_sha256, report.created_at, report.created_by)

    @property
    def period(self) -> str:
        if self.year_from == self.year_to:
            return f"năm {self.year_from}"
        return f"giai đoạn {self.year_from} - {self.year_to}"


class ReportService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 statistics: FigureSource, printing: PrintService, commune: CommuneService,
                 clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._statistics = statistics
        self._printing = printing
        self._commune = commune
        self._clock = clock

    def make(self, year: int, assessment: str | None = None) -> StoredReportRow:
        """Store the report of `year` as it stands now; `assessment` replaces the prefilled
        paragraph of section III."""
        require(self._actor, Permission.RUN_EMULATION)
        if year > local_date(self._clock).year:
            raise ValidationError(f"Chưa thể lập báo cáo năm {year}: năm đó chưa đến.", "year")
        setup = self._commune.get()
        if setup is None:
            raise SetupRequiredError("Hãy thiết lập xã (tên xã, người ký) trước khi lập báo cáo.")
        stored = self._statistics.figures(year).as_json()
        figures = statistics_of(stored)
        page = page_of(setup, local_date(self._clock), figures, assessment)
        content = ReportContent(figures, page)
        data = canonical_json(stored_json(stored, page))
        digest = sha256_hex(data)
        with self._sessions.begin() as session:
            report = StoredReport(kind=KIND, year_from=figures.year_from, year_to=figures.year_to,
                                  figures=data.decode("utf-8"), figures_sha256=digest,
                                  created_at=stored_now(self._clock), created_by=self._actor.username)
            session.add(report)
            session.flush()
            self._audit.record(session, self._actor, "create", "stored_report", report.uuid,
                               f"Lập báo cáo kết quả công tác thi đua, khen thưởng {content.period}",
                               new={"year_from": figures.year_from, "year_to": figures.year_to,
                                    "figures_sha256": digest})
            return StoredReportRow.of(report)

    def reports(self) -> list[StoredReportRow]:
        """Every stored report, newest first."""
        with self._sessions() as session:
            return [StoredReportRow.of(report) for report in session.scalars(
                select(StoredReport).order_by(StoredReport.id.desc()))]

    def verify(self, report_id: int) -> bool:
        """Whether the stored figures still have the hash stored with them."""
        with self._sessions() as session:
            report = self._get(session, report_id)
            return sha256_hex(report.figures.encode("utf-8")) == report.figures_sha256

    def content(self, report_id: int) -> tuple[StoredReportRow, ReportContent]:
        """The stored report and what it prints (ReportTamperedError if the hash fails)."""
        with self._sessions() as session:
            report = self._get(session, report_id)
            if sha256_hex(report.figures.encode("utf-8")) != report.figures_sha256:
                raise ReportTamperedError(
                    f"Số liệu của báo cáo số {report.id} đã bị sửa sau khi lập (mã kiểm tra SHA-256 "
                    "không khớp). Không ghi bản sao từ số liệu này; hãy lập báo cáo mới.")
            return StoredReportRow.of(report), from_json(json.loads(report.figures))

    def write(self, report_id: int, path: Path) -> StoredReportRow:
        """Write the stored report as .pdf or .xlsx, the same bytes each time."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in SUFFIXES:
            raise DomainError(f"Tệp báo cáo phải có đuôi .pdf hoặc .xlsx, không phải “{path.name}”.")
        row, content = self.content(report_id)
        data = self._pdf(row, content) if suffix == ".pdf" else self._xlsx(row, content)
        with atomic_path(path, "trình xem PDF" if suffix == ".pdf" else "Excel") as partial:
            partial.write_bytes(data)
        return row

    def _pdf(self, row: StoredReportRow, content: ReportContent) -> bytes:
        from app.documents.pdf import pdf_bytes  # ReportLab's layout engine, only when drawing
        from app.documents.yearly_report import yearly_report

        # The copy names its stored report, so the one sent can be matched to its figures.
        stamp = f"Báo cáo lưu số {row.id}; mã kiểm tra số liệu (SHA-256): {row.figures_sha256}."
        return pdf_bytes([yearly_report(content, stamp)], self._printing.font(), author=content.page.author,
                         invariant=True)

    def _xlsx(self, row: StoredReportRow, content: ReportContent) -> bytes:
        from app.yearly_report_workbook import workbook_bytes

        created_at = offset_time(row.created_at.replace(tzinfo=UTC))
        return workbook_bytes(content, created_at, row.figures_sha256)

    def _get(self, session: Session, report_id: int) -> StoredReport:
        report = session.get(StoredReport, report_id)
        if report is None:
            raise NotFoundError(f"Không có báo cáo đã lập số {report_id}.")
        return report
