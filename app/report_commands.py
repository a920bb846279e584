"""`tdkt report`: the yearly report (báo cáo kết quả công tác thi đua, khen thưởng) to a file.

    tdkt --db … --user … report NĂM --out TỆP.pdf|TỆP.xlsx
    tdkt --db … --user … report --stored SỐ --out TỆP.pdf|TỆP.xlsx

The first stores a new report from today's figures, then writes it; the second writes a copy
of a report stored earlier, byte for byte the file written then. Both print the report's
number and the SHA-256 of its figures (for the covering letter).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli import EXIT_OK, signed_in_services
from app.errors import DomainError

if TYPE_CHECKING:
    from app.services import Services
    from app.yearly_report import ReportService

ReportsOf = Callable[["Services"], "ReportService"]


def _services_reports(services: Services) -> ReportService:
    return services.reports  # type: ignore[attr-defined]  # Services.reports, wired by the lead


def add_commands(commands: argparse._SubParsersAction, reports_of: ReportsOf = _services_reports) -> None:
    """Register `tdkt report`; `reports_of` picks the ReportService from the services."""
    report = commands.add_parser(
        "report", help="lập báo cáo kết quả công tác thi đua, khen thưởng năm và ghi ra tệp .pdf hoặc .xlsx",
        description="Lập báo cáo từ số liệu hiện có (lưu lại kèm mã SHA-256) rồi ghi ra tệp; với --stored, "
                    "ghi lại bản sao của báo cáo đã lập trước đây, giống hệt bản đã gửi.")
    report.add_argument("year", type=int, nargs="?", metavar="NĂM", help="năm báo cáo")
    report.add_argument("--stored", type=int, metavar="SỐ", help="số của báo cáo đã lập (thay cho NĂM)")
    report.add_argument("--out", type=Path, required=True, metavar="TỆP", help="tệp kết quả: .pdf hoặc .xlsx")
    report.set_defaults(handler=lambda args: _cmd_report(args, reports_of))


def _cmd_report(args: argparse.Namespace, reports_of: ReportsOf) -> int:
    if (args.year is None) == (args.stored is None):
        raise DomainError("Hãy cho năm báo cáo (tdkt report 2025 --out …) hoặc số báo cáo đã lập "
                          "(tdkt report --stored 3 --out …), không cả hai.")
    from app.yearly_report import SUFFIXES  # here, not at the top: the window parses through this module

    if args.out.suffix.lower() not in SUFFIXES:
        raise DomainError(f"Tệp báo cáo phải có đuôi .pdf hoặc .xlsx, không phải “{args.out.name}”.")
    if not args.out.parent.is_dir():
        raise DomainError(f"Không tìm thấy thư mục {args.out.parent} để ghi báo cáo; hãy chọn thư mục khác.")
    with signed_in_services(args) as services:
        reports = reports_of(services)
        report_id = args.stored if args.stored is not None else reports.make(args.year).id
        try:
            row = reports.write(report_id, args.out)
        except DomainError as error:
            if args.stored is not None:
                raise
            raise DomainError(f"Đã lập báo cáo số {report_id} nhưng chưa ghi được tệp: {error} Ghi lại bằng: "
                              f"tdkt report --stored {report_id} --out TỆP") from error
    made = "Ghi lại" if args.stored is not None else "Đã lập"
    print(f"{made} báo cáo số {row.id} ({row.period}), mã kiểm tra SHA-256 của số liệu: {row.figures_sha256}")
    print(f"Đã ghi báo cáo ra {args.out}.")
    return EXIT_OK
