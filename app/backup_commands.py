"""`tdkt backup`, `tdkt restore`, `tdkt recover` and `tdkt check`: data safety without a window.

Backups go to the `backups` folder beside the database (the user's data folder by default).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import EXIT_OK, EXIT_USER_ERROR, database_path, signed_in_services
from app.roles import Permission

CONFIRM_WORD = "co"


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register the backup, restore, recover and check subcommands on the `tdkt` parser."""
    backup = commands.add_parser("backup", help="sao lưu cơ sở dữ liệu (kiểm tra bản sao trước khi giữ)")
    backup.add_argument("--to", type=Path, metavar="THƯ_MỤC",
                        help="thư mục sao lưu (mặc định: thư mục backups cạnh cơ sở dữ liệu)")
    backup.add_argument("--mirror", type=Path, metavar="THƯ_MỤC",
                        help="thư mục thứ hai nhận thêm một bản (USB, ổ đĩa khác)")
    backup.set_defaults(handler=_cmd_backup)

    restore = commands.add_parser(
        "restore", help="khôi phục từ một bản sao lưu (dữ liệu hiện tại được giữ lại một bản)")
    restore.add_argument("file", type=Path, metavar="TỆP", help="bản sao lưu cần khôi phục")
    restore.add_argument("--yes", action="store_true", help="không hỏi lại trước khi khôi phục")
    restore.set_defaults(handler=_cmd_restore)

    recover = commands.add_parser(
        "recover", help="cơ sở dữ liệu bị hỏng: để riêng tệp hỏng, dùng bản sao lưu tốt mới nhất")
    recover.add_argument("file", type=Path, nargs="?", metavar="TỆP",
                         help="bản sao lưu cần dùng (mặc định: bản tốt mới nhất)")
    recover.set_defaults(handler=_cmd_recover)


def backups_folder(args: argparse.Namespace) -> Path:
    return database_path(args).absolute().parent / "backups"


def _cmd_backup(args: argparse.Namespace) -> int:
    from app.backups import BackupService

    with signed_in_services(args, Permission.BACKUP) as services:
        service = BackupService(services.actor, database_path(args), args.to or backups_folder(args),
                                args.mirror)
        result = service.back_up()
    print(result.summary())
    if result.removed:
        print(f"Đã xóa {len(result.removed)} bản sao lưu cũ theo lịch giữ bản sao lưu.")
    return EXIT_USER_ERROR if result.mirror_error else EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from app.restore import compare_with_backup, restore

    database = database_path(args)
    with signed_in_services(args, Permission.RESTORE) as services:
        actor = services.actor
        report = compare_with_backup(database, args.file)
    for line in report.lines():
        print(line)
    if not args.yes and not _confirmed():
        print("Chưa khôi phục; dữ liệu hiện tại giữ nguyên.")
        return EXIT_USER_ERROR
    result = restore(actor, database, args.file, backups_folder(args))
    print(f"Đã khôi phục {database} từ {result.restored_from}.")
    if result.kept_aside is not None:
        print(f"Dữ liệu trước khi khôi phục được giữ tại {result.kept_aside}.")
    return EXIT_OK


def _confirmed() -> bool:
    if not sys.stdin.isatty():
        print("Hãy thêm --yes để khôi phục khi không chạy trong cửa sổ lệnh tương tác.", file=sys.stderr)
        return False
    answer = input(f"Thay dữ liệu hiện tại bằng bản sao lưu này? Gõ «{CONFIRM_WORD}» để đồng ý: ")
    return answer.strip().lower() in (CONFIRM_WORD, "có")


def _cmd_recover(args: argparse.Namespace) -> int:
    """Only for a damaged database: nobody can sign in to it, and nothing is overwritten."""
    from app.database_files import verify_database_file
    from app.recovery import newest_valid_backup
    from app.restore import recover_from_backup
    from db.integrity import DatabaseDamagedError, check_file

    database = database_path(args).absolute()
    if database.exists():
        try:
            check_file(database)
        except DatabaseDamagedError:
            pass
        else:
            print(f"Cơ sở dữ liệu {database} không bị hỏng; hãy dùng «tdkt restore TỆP» để khôi phục.",
                  file=sys.stderr)
            return EXIT_USER_ERROR
    backup = args.file
    if backup is None:
        found = newest_valid_backup(backups_folder(args))
        if found is None:
            print(f"Không có bản sao lưu dùng được trong {backups_folder(args)}.", file=sys.stderr)
            return EXIT_USER_ERROR
        backup = found.path
    verify_database_file(backup)
    result = recover_from_backup(database, backup, backups_folder(args))
    if result.kept_aside is not None:
        print(f"Tệp hỏng được để riêng tại {result.kept_aside} (không bị xóa).")
    print(f"Đã khôi phục {database} từ {backup}.")
    return EXIT_OK


def check_data_command(args: argparse.Namespace) -> int:
    """`tdkt check` without arguments (registered by app/eligibility_commands.py): the data check."""
    from app.data_check import check_data

    database = database_path(args)
    with signed_in_services(args) as services:
        result = check_data(database, services.sessions, database.absolute().parent)
    for line in result.lines():
        print(line)
    return EXIT_OK if result.ok else EXIT_USER_ERROR
