"""`tdkt ratings import` and `tdkt review propose`: the annual review's headless steps."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from app.cli import EXIT_OK, EXIT_USER_ERROR, signed_in_services
from app.roles import Permission


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `ratings` and `review` on the `tdkt` parser."""
    ratings = commands.add_parser("ratings", help="xếp loại cuối năm của cá nhân, tập thể")
    ratings_commands = ratings.add_subparsers(dest="ratings_command", metavar="LỆNH", title="lệnh",
                                              required=True, parser_class=type(ratings))
    imported = ratings_commands.add_parser(
        "import", help="nhập xếp loại một năm từ tệp Excel (kiểm tra toàn bộ tệp trước khi ghi)")
    imported.add_argument("file", type=Path, metavar="TỆP", help="tệp .xlsx cần nhập")
    imported.add_argument("--year", type=int, required=True, metavar="NĂM", help="năm xếp loại")
    imported.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và báo kết quả, không ghi gì")
    imported.set_defaults(handler=_cmd_ratings_import)
    template = ratings_commands.add_parser("template", help="lưu tệp Excel mẫu để nhập xếp loại")
    template.add_argument("file", type=Path, metavar="TỆP", help="tệp .xlsx sẽ tạo")
    template.add_argument("--year", type=int, required=True, metavar="NĂM", help="năm xếp loại")
    template.set_defaults(handler=_cmd_ratings_template)

    review = commands.add_parser("review", help="bình xét cuối năm")
    review_commands = review.add_subparsers(dest="review_command", metavar="LỆNH", title="lệnh",
                                            required=True, parser_class=type(review))
    propose = review_commands.add_parser(
        "propose", help="chạy kiểm tra điều kiện và lập danh sách đề xuất bình xét của một năm")
    propose.add_argument("--year", type=int, required=True, metavar="NĂM", help="năm thành tích")
    propose.add_argument("--decision-date", type=_day, required=True, metavar="NGÀY",
                         help="ngày quyết định dự kiến, dạng DD/MM/YYYY")
    propose.set_defaults(handler=_cmd_review_propose)


def _day(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày “{text}” không đúng dạng DD/MM/YYYY") from None


def _cmd_ratings_import(args: argparse.Namespace) -> int:
    from app.rating_import import import_ratings

    permission = None if args.dry_run else Permission.EDIT_REGISTER
    with signed_in_services(args, permission) as services:
        result = import_ratings(services, args.file, args.year, dry_run=args.dry_run)
    if result.errors:
        for line in result.lines():
            print(line, file=sys.stderr)
        return EXIT_USER_ERROR
    for line in result.lines():
        print(line)
    if args.dry_run:
        print("Chạy thử (--dry-run): chưa ghi gì vào cơ sở dữ liệu.")
    return EXIT_OK


def _cmd_ratings_template(args: argparse.Namespace) -> int:
    from app.rating_import import write_template

    write_template(args.file, args.year)
    print(f"Đã lưu tệp mẫu xếp loại năm {args.year} tại {args.file}")
    return EXIT_OK


def _cmd_review_propose(args: argparse.Namespace) -> int:
    with signed_in_services(args, Permission.RUN_EMULATION) as services:
        summary = services.review.propose(args.year, args.decision_date)
    for line in summary.lines():
        print(line)
    print(f"Danh sách bình xét: {summary.created} mới, {summary.updated} cập nhật, "
          f"{summary.dropped} không còn đề xuất.")
    return EXIT_OK
