"""`tdkt import`, `tdkt export` and `tdkt template`: the register to and from Excel."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import EXIT_OK, EXIT_USER_ERROR, database_path, signed_in_services
from app.excel_columns import SHEET_KINDS
from app.roles import Permission

_KINDS_HELP = "; ".join(f"{code}: {kind.label.lower()}" for code, kind in SHEET_KINDS.items())


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register the Excel subcommands on the `tdkt` parser."""
    template = commands.add_parser("template", help="lưu tệp Excel mẫu để nhập danh sách")
    _add_kind_and_file(template, "tệp .xlsx sẽ tạo")
    template.set_defaults(handler=_cmd_template)

    imported = commands.add_parser(
        "import", help="nhập danh sách từ tệp Excel (kiểm tra toàn bộ tệp trước khi ghi)"
    )
    _add_kind_and_file(imported, "tệp .xlsx cần nhập")
    imported.add_argument("--dry-run", action="store_true",
                          help="chỉ kiểm tra và báo kết quả, không ghi gì")
    imported.add_argument("--merge-duplicates", action="store_true",
                          help="gộp các dòng trùng vào mục đã có (mặc định: bỏ qua dòng trùng)")
    imported.set_defaults(handler=_cmd_import)

    exported = commands.add_parser("export", help="xuất sổ theo dõi ra tệp Excel (cùng cột với tệp mẫu)")
    _add_kind_and_file(exported, "tệp .xlsx sẽ tạo")
    exported.set_defaults(handler=_cmd_export)


def _add_kind_and_file(parser: argparse.ArgumentParser, file_help: str) -> None:
    parser.add_argument("kind", choices=list(SHEET_KINDS), metavar="LOẠI", help=_KINDS_HELP)
    parser.add_argument("file", type=Path, metavar="TỆP", help=file_help)


def _cmd_template(args: argparse.Namespace) -> int:
    from app.excel_export import write_template

    write_template(args.file, args.kind)
    print(f"Đã lưu tệp mẫu «{SHEET_KINDS[args.kind].label}» tại {args.file}")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from app.excel_export import export_register

    with signed_in_services(args) as services:
        count = export_register(services, args.kind, args.file)
    print(f"Đã xuất {count} dòng «{SHEET_KINDS[args.kind].label}» từ {database_path(args)} ra {args.file}")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from app.excel_import import commit_import, preview_import
    from app.excel_preview import report_lines

    with signed_in_services(args, None if args.dry_run else Permission.EDIT_REGISTER) as services:
        preview = preview_import(services, args.kind, args.file)
        if preview.errors:
            for line in report_lines(preview):
                print(line, file=sys.stderr)
            return EXIT_USER_ERROR
        for line in report_lines(preview):
            print(line)
        if args.dry_run:
            print("Chạy thử (--dry-run): chưa ghi gì vào cơ sở dữ liệu.")
            return EXIT_OK
        if preview.duplicates and not args.merge_duplicates:
            print("Các dòng có thể trùng được bỏ qua (dùng --merge-duplicates để gộp vào mục đã có).")
        result = commit_import(services, preview, preview.resolutions(args.merge_duplicates))
    print(result)
    return EXIT_OK
