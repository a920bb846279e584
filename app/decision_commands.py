"""`tdkt decisions` and `tdkt sessions`: the commune's award decisions and council sessions of a
year (their ids are what `tdkt print` takes), and the document register."""

from __future__ import annotations

import argparse
from datetime import date

from app.cli import EXIT_OK, signed_in_services
from app.document_style import format_money


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `tdkt decisions` on the `tdkt` parser."""
    decisions = commands.add_parser(
        "decisions", help="liệt kê quyết định khen thưởng của xã trong một năm (kèm danh sách với --items)")
    decisions.add_argument("--year", type=int, metavar="NĂM",
                           help="năm thi đua (mặc định: năm nay)")
    decisions.add_argument("--items", action="store_true", help="in cả danh sách được khen thưởng")
    decisions.add_argument("--register", action="store_true",
                           help="in sổ đăng ký văn bản của năm (theo năm ban hành) thay cho danh sách quyết định")
    decisions.set_defaults(handler=_cmd_decisions)

    sessions = commands.add_parser(
        "sessions", help="liệt kê các phiên họp Hội đồng TĐKT của một năm (mã dùng cho tdkt print)")
    sessions.add_argument("--year", type=int, metavar="NĂM", help="năm thi đua (mặc định: năm nay)")
    sessions.set_defaults(handler=_cmd_sessions)


def _cmd_decisions(args: argparse.Namespace) -> int:
    year = args.year or date.today().year
    with signed_in_services(args) as services:
        if args.register:
            rows = services.register.rows(year)
            for row in rows:
                signer = f" — {row.signer}" if row.signer else ""
                print(f"{row.number_text}\t{row.issued_on:%d/%m/%Y}\t{row.abstract}{signer}")
            print(f"Sổ đăng ký văn bản năm {year}: {len(rows)} văn bản.")
            return EXIT_OK
        decisions = services.decisions.decisions(year)
        for decision in decisions:
            number = decision.number or "(dự thảo)"
            day = f"{decision.decided_on:%d/%m/%Y}" if decision.decided_on else "—"
            revoked = f", {decision.revoked_count} thu hồi" if decision.revoked_count else ""
            print(f"{decision.id}\t{number}\t{day}\t{decision.abstract}\t{decision.item_count} được khen{revoked}\t"
                  f"{format_money(decision.total)} đồng\t{decision.state_label}")
            if args.items:
                for item in services.decisions.detail(decision.id).items:
                    mark = f" (thu hồi ngày {item.revoked_on:%d/%m/%Y}: {item.revoked_reason})" \
                        if item.revoked_on else ""
                    print(f"  - {item.subject_name}: {item.award_label} năm {item.year}, "
                          f"{format_money(item.reward_amount)} đồng{mark}")
        print(f"Năm {year}: {len(decisions)} quyết định khen thưởng của xã.")
    return EXIT_OK


def _cmd_sessions(args: argparse.Namespace) -> int:
    year = args.year or date.today().year
    with signed_in_services(args) as services:
        rows = services.council.sessions(year)
        for row in rows:
            state = "đã chốt" if row.is_final else "đang họp"
            print(f"{row.id}\t{row.held_on:%d/%m/%Y}\t{row.title}\t{row.candidates} đề nghị\t{state}")
        print(f"Năm {year}: {len(rows)} phiên họp Hội đồng.")
    return EXIT_OK

