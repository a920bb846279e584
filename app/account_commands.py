"""`tdkt user add-admin` and `tdkt audit verify`: accounts and the audit trail without a window."""

from __future__ import annotations

import argparse
import sys

from app.cli import (
    EXIT_OK,
    EXIT_USER_ERROR,
    PASSWORD_VARIABLE,
    database_path,
    opened_database,
    read_password,
    signed_in_services,
)
from app.errors import ValidationError
from app.roles import ROLE_LABELS, Role

_ROLES_HELP = "; ".join(f"{role.value}: {label}" for role, label in ROLE_LABELS.items())


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register the account and audit subcommands on the `tdkt` parser."""
    user = commands.add_parser("user", help="tài khoản người dùng")
    user_commands = user.add_subparsers(dest="user_command", metavar="LỆNH", title="lệnh",
                                        required=True, parser_class=type(user))
    add_admin = user_commands.add_parser(
        "add-admin", help="tạo quản trị viên đầu tiên (chỉ khi cơ sở dữ liệu chưa có tài khoản nào)")
    add_admin.add_argument("username", metavar="TÊN", help="tên đăng nhập")
    add_admin.add_argument("--full-name", metavar="HỌ_TÊN", help="họ và tên (mặc định: tên đăng nhập)")
    add_admin.add_argument("--role", choices=[r.value for r in Role], default=Role.OFFICER.value,
                           metavar="VAI_TRÒ", help=f"vai trò (mặc định officer): {_ROLES_HELP}")
    add_admin.set_defaults(handler=_cmd_add_admin)

    audit = commands.add_parser("audit", help="nhật ký thao tác")
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="LỆNH", title="lệnh",
                                          required=True, parser_class=type(audit))
    verify = audit_commands.add_parser(
        "verify", help="kiểm tra nhật ký thao tác còn nguyên vẹn (không dòng nào bị sửa hay xóa)")
    verify.set_defaults(handler=_cmd_verify)


def _cmd_add_admin(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import sessionmaker

    from app.accounts import Accounts
    from app.audit import AuditTrail

    password = read_password(f"Mật khẩu cho {args.username}: ")
    if password != read_password(f"Nhập lại mật khẩu cho {args.username}: "):
        raise ValidationError("Hai lần nhập mật khẩu không giống nhau; chưa tạo tài khoản.")
    with opened_database(args) as database:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        admin = Accounts(sessions, AuditTrail(sessions)).create_first_admin(
            args.username, args.full_name or args.username, password, Role(args.role))
    print(f"Đã tạo quản trị viên «{admin.username}» ({ROLE_LABELS[admin.role]}) trong {database_path(args)}. "
          f"Đăng nhập: tdkt --user {admin.username} … (mật khẩu từ {PASSWORD_VARIABLE} hoặc được hỏi).")
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    with signed_in_services(args) as services:
        result = services.audit.verify()
    if result.ok:
        print(f"Nhật ký thao tác nguyên vẹn: {result.entries} dòng, không dòng nào bị sửa hay xóa.")
        return EXIT_OK
    print(f"Nhật ký thao tác có {len(result.problems)} vấn đề ({result.entries} dòng đã đọc):",
          file=sys.stderr)
    for problem in result.problems:
        print(f"  - {problem}", file=sys.stderr)
    return EXIT_USER_ERROR
