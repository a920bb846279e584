"""The `tdkt` command line: argument parsing and the headless subcommands.

Headless commands call the same services as the GUI and never import Qt. Exit codes:
0 done, 1 a problem the user can fix (Vietnamese message on stderr), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from typing import TYPE_CHECKING

from app.errors import DomainError
from app.paths import AppPaths

if TYPE_CHECKING:
    from app.services import Services

# The database layer is imported inside the commands that use it: the GUI path parses its
# arguments here too and starts the integrity check before those modules load.

log = logging.getLogger(__name__)

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]


class _VietnameseHelp(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse API
        super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Vietnamese headings; its error details stay as argparse words them."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(formatter_class=_VietnameseHelp, add_help=False, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi cú pháp: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tdkt",
        description="TĐKT Xã: công tác thi đua, khen thưởng cấp xã. Không có lệnh con: mở cửa sổ chương trình.",
    )
    parser.add_argument("--db", type=Path, metavar="TỆP", help="tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu của người dùng)")
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", title="lệnh", parser_class=_Parser)

    demo = commands.add_parser("demo", help="tạo cơ sở dữ liệu mẫu của một xã")
    demo.add_argument("--individuals", type=int, default=2000, metavar="SỐ",
                      help="số cá nhân (mặc định 2000); số tập thể, hộ và thôn theo cùng tỷ lệ")
    demo.set_defaults(handler=_cmd_demo)

    self_test = commands.add_parser("self-test", help="tự kiểm tra trên một cơ sở dữ liệu tạm")
    self_test.set_defaults(handler=_cmd_self_test)

    find = commands.add_parser("find", help="tìm đối tượng theo tên hoặc số CCCD")
    find.add_argument("text", metavar="NỘI_DUNG", help="nội dung tìm (không cần gõ dấu)")
    find.set_defaults(handler=_cmd_find)

    from app import excel_commands

    excel_commands.add_commands(commands)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run a headless subcommand; problems the user can fix become exit code 1."""
    from db.engine import StorageError
    from db.integrity import DatabaseOpenError

    try:
        return args.handler(args)
    except (DomainError, DatabaseOpenError, StorageError) as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return EXIT_USER_ERROR


def database_path(args: argparse.Namespace) -> Path:
    return args.db if args.db is not None else AppPaths.for_user().database


@contextmanager
def opened_services(args: argparse.Namespace) -> Iterator[Services]:
    """The services on the chosen database, closed (and unlocked) afterwards."""
    from sqlalchemy.orm import sessionmaker

    from app.services import Services
    from db.migrate import open_database

    database = open_database(database_path(args))
    try:
        yield Services.create(sessionmaker(database.engine, expire_on_commit=False))
    finally:
        database.close()


def _cmd_demo(args: argparse.Namespace) -> int:
    from app.demo import DemoSizes, build_demo

    with opened_services(args) as services:
        sizes = DemoSizes.scaled(args.individuals)
        summary = build_demo(services, sizes)
    print(f"Đã tạo dữ liệu mẫu tại {database_path(args)}: {summary}")
    return EXIT_OK


def _cmd_self_test(_args: argparse.Namespace) -> int:
    from app.selftest import run_self_test

    for line in run_self_test():
        print(line)
    return EXIT_OK


def _cmd_find(args: argparse.Namespace) -> int:
    from app.catalogue import SUBJECT_KINDS

    with opened_services(args) as services:
        rows = services.subjects.search(args.text, limit=None)
    for row in rows:
        born = f"\t{row.birth_date:%d/%m/%Y}" if row.birth_date else "\t"
        print(f"{row.name}\t{SUBJECT_KINDS[row.kind]}{born}\t{row.village}\t{row.uuid}")
    return EXIT_OK
