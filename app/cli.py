"""The `tdkt` command line: argument parsing and the headless subcommands.

Headless commands call the same services as the GUI and never import Qt. Exit codes:
0 done, 1 a problem the user can fix (Vietnamese message on stderr), 2 wrong usage.
Every command that opens an existing database signs in first (`signed_in_services`):
`--user NAME`, with the password from the TDKT_PASSWORD environment variable or a prompt.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from typing import TYPE_CHECKING

from app.errors import AuthenticationError, DomainError
from app.paths import AppPaths

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from app.roles import Actor, Permission
    from app.services import Services
    from db.migrate import Database

# The database layer is imported inside the commands that use it: the GUI path parses its
# arguments here too and starts the integrity check before those modules load.

log = logging.getLogger(__name__)

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2
PASSWORD_VARIABLE = "TDKT_PASSWORD"

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
    parser.add_argument("--user", metavar="TÊN", help=f"tài khoản đăng nhập; mật khẩu lấy từ biến môi trường "
                        f"{PASSWORD_VARIABLE} hoặc được hỏi")
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", title="lệnh", parser_class=_Parser)

    demo = commands.add_parser("demo", help="tạo cơ sở dữ liệu mẫu của một xã (kèm tài khoản mẫu nếu chưa có tài khoản)")
    demo.add_argument("--individuals", type=int, default=2000, metavar="SỐ",
                      help="số cá nhân (mặc định 2000); số tập thể, hộ và thôn theo cùng tỷ lệ")
    demo.set_defaults(handler=_cmd_demo)

    self_test = commands.add_parser("self-test", help="tự kiểm tra trên một cơ sở dữ liệu tạm")
    self_test.set_defaults(handler=_cmd_self_test)

    find = commands.add_parser("find", help="tìm đối tượng theo tên hoặc số CCCD")
    find.add_argument("text", metavar="NỘI_DUNG", help="nội dung tìm (không cần gõ dấu)")
    find.set_defaults(handler=_cmd_find)

    from app import (
        account_commands,
        backup_commands,
        decision_commands,
        eligibility_commands,
        excel_commands,
        movement_commands,
        nomination_commands,
        print_commands,
        report_commands,
        review_commands,
    )
    from app.package import commands as package_commands

    for module in (excel_commands, account_commands, backup_commands, eligibility_commands,
                   movement_commands, review_commands, nomination_commands, decision_commands,
                   print_commands, package_commands, report_commands):
        module.add_commands(commands)
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
def opened_database(args: argparse.Namespace) -> Iterator[Database]:
    """The chosen database, opened (checked, migrated, locked), closed and unlocked afterwards.

    Without signing in: only for commands that make accounts (`user add-admin`, `demo`).
    """
    from db.migrate import open_database

    database = open_database(database_path(args))
    try:
        yield database
    finally:
        database.close()


@contextmanager
def signed_in_services(args: argparse.Namespace,
                       permission: Permission | None = None) -> Iterator[Services]:
    """Open the chosen database, sign in as `--user` and yield the services acting for them.

    Every command that reads or changes an existing database starts here, e.g.

        with signed_in_services(args, Permission.BACKUP) as services:
            ...

    The password comes from TDKT_PASSWORD or a prompt. A database without accounts, a
    missing --user, a wrong password, a locked or inactive account, or a user without
    `permission` raise a DomainError, which `run` turns into exit code 1 with the message on
    stderr. `database_path(args)` is the file; it is closed and unlocked afterwards.
    """
    from sqlalchemy.orm import sessionmaker

    from app.roles import require
    from app.services import Services

    with opened_database(args) as database:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        actor = sign_in(args, sessions)
        if permission is not None:
            require(actor, permission)
        yield Services.create(sessions, actor)


def sign_in(args: argparse.Namespace, sessions: sessionmaker[Session]) -> Actor:
    """The `--user` account signed in, or AuthenticationError."""
    from app.accounts import Accounts
    from app.audit import AuditTrail

    accounts = Accounts(sessions, AuditTrail(sessions))
    if not accounts.has_users():
        raise AuthenticationError(
            f"Cơ sở dữ liệu {database_path(args)} chưa có tài khoản nào. Hãy tạo quản trị viên "
            "đầu tiên: tdkt --db TỆP user add-admin TÊN (hoặc mở chương trình).")
    if not args.user:
        raise AuthenticationError(
            f"Hãy cho biết tài khoản đăng nhập: tdkt --user TÊN … (mật khẩu lấy từ biến môi "
            f"trường {PASSWORD_VARIABLE} hoặc được hỏi).")
    actor = accounts.sign_in(args.user, read_password(f"Mật khẩu của {args.user}: "))
    if actor.must_change_password:
        raise AuthenticationError(
            "Mật khẩu của bạn vừa được quản trị viên đặt lại. Hãy mở chương trình, đăng nhập và "
            "đặt mật khẩu mới trước khi dùng lệnh.")
    return actor


def read_password(prompt: str) -> str:
    """TDKT_PASSWORD when set, otherwise asked for without echo."""
    given = os.environ.get(PASSWORD_VARIABLE)
    if given is not None:
        return given
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise AuthenticationError(f"Chưa có mật khẩu: hãy nhập khi được hỏi hoặc đặt {PASSWORD_VARIABLE}.") from None


def _cmd_demo(args: argparse.Namespace) -> int:
    """A demo commune; on a database without accounts, the demo accounts too (as their officer)."""
    from sqlalchemy.orm import sessionmaker

    from app.accounts import Accounts
    from app.audit import AuditTrail
    from app.demo import DemoSizes, build_demo
    from app.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts
    from app.roles import ROLE_LABELS
    from app.services import Services

    with opened_database(args) as database:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        audit = AuditTrail(sessions)
        new_accounts = not Accounts(sessions, audit).has_users()
        actor = create_demo_accounts(sessions, audit) if new_accounts else sign_in(args, sessions)
        summary = build_demo(Services.create(sessions, actor), DemoSizes.scaled(args.individuals))
    print(f"Đã tạo dữ liệu mẫu tại {database_path(args)}: {summary}")
    if new_accounts:
        print(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            admin = ", quản trị" if account is DEMO_ACCOUNTS[0] else ""
            print(f"  {account.username}\t{ROLE_LABELS[account.role]}{admin}")
    return EXIT_OK


def _cmd_self_test(_args: argparse.Namespace) -> int:
    from app.selftest import run_self_test

    for line in run_self_test():
        print(line)
    return EXIT_OK


def _cmd_find(args: argparse.Namespace) -> int:
    from app.catalogue import SUBJECT_KINDS

    with signed_in_services(args) as services:
        rows = services.subjects.search(args.text, limit=None)
    for row in rows:
        born = f"\t{row.birth_date:%d/%m/%Y}" if row.birth_date else "\t"
        print(f"{row.name}\t{SUBJECT_KINDS[row.kind]}{born}\t{row.village}\t{row.uuid}")
    return EXIT_OK
