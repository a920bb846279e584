"""`tdkt package`: export a package for the province, verify a package file, import an
acknowledgement, list the packages, take back a package the database lost — the same
services as the «Gửi tỉnh» tab, headless."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import EXIT_OK, EXIT_USER_ERROR, database_path, signed_in_services
from app.errors import ValidationError

DEFAULT_OVERDUE_DAYS = 14


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `tdkt package …` on the `tdkt` parser."""
    package = commands.add_parser("package", help="gói hồ sơ gửi tỉnh: xuất, kiểm tra, nhập biên nhận")
    actions = package.add_subparsers(dest="package_command", metavar="VIỆC", title="việc",
                                     parser_class=type(package), required=True)

    export = actions.add_parser("export", help="xuất các đề nghị đã sẵn sàng thành một gói .zip")
    export.add_argument("--out", type=Path, required=True, metavar="THƯ_MỤC",
                        help="thư mục ghi gói (ổ USB chẳng hạn)")
    export.add_argument("--nominations", metavar="MÃ", help="mã đề nghị, cách nhau bằng dấu phẩy "
                        "(mặc định: mọi đề nghị đã sẵn sàng gửi tỉnh)")
    export.set_defaults(handler=_cmd_export)

    verify = actions.add_parser("verify", help="kiểm tra một tệp gói: mã băm, cấu trúc, số thứ tự, an toàn")
    verify.add_argument("file", type=Path, metavar="TỆP")
    verify.set_defaults(handler=_cmd_verify)

    ack = actions.add_parser("ack", help="nhập biên nhận (.json) của tỉnh cho một gói đã gửi")
    ack.add_argument("file", type=Path, metavar="TỆP")
    ack.set_defaults(handler=_cmd_ack)

    adopt = actions.add_parser("adopt", help="nhận lại một gói đã gửi mà dữ liệu không còn biết (sau khi khôi "
                               "phục từ bản sao lưu, hoặc mất điện lúc xuất gói)")
    adopt.add_argument("file", type=Path, metavar="TỆP")
    adopt.set_defaults(handler=_cmd_adopt)

    listing = actions.add_parser("list", help="các gói đã xuất và trạng thái của chúng")
    listing.add_argument("--older-than", type=int, default=None, metavar="NGÀY",
                         help="chỉ các gói chưa có biên nhận sau từng ấy ngày trở lên")
    listing.set_defaults(handler=_cmd_list)


def _cmd_export(args: argparse.Namespace) -> int:
    with signed_in_services(args) as services:
        candidates = services.packages.candidates()
        if args.nominations is not None:
            ids = list(dict.fromkeys(services.nominations.find(part.strip())
                                     for part in args.nominations.split(",") if part.strip()))
            if not ids:
                raise ValidationError("Hãy cho mã đề nghị cần gửi tỉnh.", "nominations")
        else:
            ids = [c.nomination_id for c in candidates if c.ready]
            if not ids:
                waiting = [c for c in candidates if not c.ready]
                lines = [f"  - {c.subject_name}, {c.award_label} {c.year}: {'; '.join(c.reasons)}"
                         for c in waiting]
                raise ValidationError("Chưa có đề nghị nào sẵn sàng gửi tỉnh."
                                      + ("\n" + "\n".join(lines) if lines else ""), "nominations")
        result = services.packages.export(ids, args.out, database_path(args).parent, _progress())
    print(f"Đã xuất gói số {result.sequence} ({result.record_count} hồ sơ"
          + (f", {result.superseding} phiên bản thay thế" if result.superseding else "")
          + f") ra {result.path}")
    print(f"Kích thước {result.size:,} byte; SHA-256 {result.file_sha256}".replace(",", "."))
    for line in result.verification.lines():
        print(line)
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    with signed_in_services(args) as services:
        verification = services.packages.verify(args.file)
    for line in verification.lines():
        print(line, file=sys.stdout if verification.ok else sys.stderr)
    return EXIT_OK if verification.ok else EXIT_USER_ERROR


def _cmd_ack(args: argparse.Namespace) -> int:
    with signed_in_services(args) as services:
        result = services.packages.import_ack(args.file)
    if result.already_imported:
        print(f"Biên nhận này của gói số {result.package_sequence} đã được nhập trước đây; không thay đổi gì.")
        return EXIT_OK
    print(f"Đã nhập biên nhận của gói số {result.package_sequence}.")
    for line in result.applied:
        print(f"  - {line}")
    if result.unchanged:
        print(f"Không đổi ({len(result.unchanged)}):")
        for line in result.unchanged:
            print(f"  - {line}")
    return EXIT_OK


def _cmd_adopt(args: argparse.Namespace) -> int:
    with signed_in_services(args) as services:
        result = services.packages.adopt(args.file, database_path(args).parent)
    print(f"Đã nhận lại gói số {result.sequence} ({result.record_count} hồ sơ) từ {result.path}; gói lập tiếp "
          f"theo sẽ mang số {result.sequence + 1}.")
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> int:
    with signed_in_services(args) as services:
        if args.older_than is not None:
            if args.older_than < 0:
                raise ValidationError("Số ngày phải từ 0 trở lên.", "older_than")
            rows = services.packages.unacknowledged(args.older_than)
        else:
            rows = services.packages.packages()
    if not rows:
        print("Không có gói nào." if args.older_than is None
              else f"Không có gói nào chờ biên nhận từ {args.older_than} ngày trở lên.")
        return EXIT_OK
    for row in rows:
        print(f"Gói số {row.sequence}  {row.exported_on:%d/%m/%Y}  {row.record_count} hồ sơ  "
              f"{row.state_label}" + (f" ({row.days_waiting} ngày)" if not row.ack_count else "")
              + f"  {row.file_name}")
    return EXIT_OK


def _progress():  # noqa: ANN202 - a report callable
    """The export's progress on stderr, as a percentage on one line."""
    shown = [-1]

    def report(done: int, total: int) -> None:
        percent = done * 100 // total if total else 100
        if percent != shown[0]:
            shown[0] = percent
            print(f"\rĐang xuất gói: {percent}%", end="" if percent < 100 else "\n", file=sys.stderr)
    return report
