"""`tdkt movements` and `tdkt registrations`: the year's movements and the registration import.

    tdkt --db … --user … movements [--year NĂM]
    tdkt --db … --user … registrations import TỆP --movement SỐ [--dry-run]
    tdkt registrations template TỆP

An import with any wrong row prints every error on stderr, writes nothing and exits with 1.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING

from app.cli import EXIT_OK, EXIT_USER_ERROR, signed_in_services
from app.roles import Permission

if TYPE_CHECKING:
    from app.movements import MovementRow
# app.movements (SQLAlchemy, the models) is imported where a command runs: the window parses
# its arguments through this module too and must not wait for it.


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `movements` and `registrations` on the `tdkt` parser."""
    movements = commands.add_parser("movements", help="liệt kê các phong trào thi đua của một năm")
    movements.add_argument("--year", type=int, metavar="NĂM", help="năm (mặc định: năm nay)")
    movements.set_defaults(handler=_cmd_movements)

    registrations = commands.add_parser("registrations", help="đăng ký thi đua: nhập từ Excel, tệp mẫu")
    actions = registrations.add_subparsers(dest="action", metavar="LỆNH", title="lệnh", required=True,
                                           parser_class=type(registrations))
    imported = actions.add_parser(
        "import", help="nhập đăng ký thi đua từ tệp Excel (kiểm tra toàn bộ tệp trước; có lỗi thì không ghi gì)")
    imported.add_argument("file", type=Path, metavar="TỆP", help="tệp .xlsx cần nhập")
    imported.add_argument("--movement", type=int, required=True, metavar="SỐ",
                          help="số (id) của phong trào, xem lệnh “tdkt movements”")
    imported.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và báo kết quả, không ghi gì")
    imported.set_defaults(handler=_cmd_import)
    template = actions.add_parser("template", help="lưu tệp Excel mẫu để nhập đăng ký thi đua")
    template.add_argument("file", type=Path, metavar="TỆP", help="tệp .xlsx sẽ tạo")
    template.set_defaults(handler=_cmd_template)


def movement_lines(rows: list[MovementRow]) -> list[str]:
    """One block of lines per movement: what `tdkt movements` prints."""
    from app.movements import STATES

    lines = []
    for row in rows:
        plan = f", {row.plan_number}" if row.plan_number else ""
        lines.append(f"[{row.id}] {row.name} ({row.kind_label.lower()}{plan})")
        lines.append(f"    Trạng thái: {row.state_label}; thời gian: {_day(row.starts_on)} – {_day(row.ends_on)}; "
                     f"đăng ký: {row.registrations}")
        steps = [f"{_STEP_NAMES[state]} {_day(row.step_date(state))}" for state in STATES[1:]
                 if row.step_date(state) is not None]
        if steps:
            lines.append("    " + "; ".join(steps))
    return lines


_STEP_NAMES = {"launched": "phát động", "running": "triển khai", "midterm": "sơ kết", "final": "tổng kết",
               "closed": "kết thúc"}


def _day(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day is not None else "…"


def _cmd_movements(args: argparse.Namespace) -> int:
    year = args.year or date.today().year
    with signed_in_services(args) as services:
        rows = services.movements.rows(year)
    if not rows:
        print(f"Năm {year} chưa có phong trào thi đua nào.")
        return EXIT_OK
    print(f"Phong trào thi đua năm {year}:")
    for line in movement_lines(rows):
        print(line)
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from app.excel_year_sheets import import_registrations

    with signed_in_services(args, None if args.dry_run else Permission.RUN_EMULATION) as services:
        found = import_registrations(services, args.movement, args.file, dry_run=args.dry_run)
    if found.errors:
        for line in found.lines():
            print(line, file=sys.stderr)
        return EXIT_USER_ERROR
    for line in found.lines():
        print(line)
    if args.dry_run:
        print("Chạy thử (--dry-run): chưa ghi gì vào cơ sở dữ liệu.")
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from app.excel_year_sheets import write_registration_template

    write_registration_template(args.file)
    print(f"Đã lưu tệp mẫu «Đăng ký thi đua» tại {args.file}")
    return EXIT_OK
