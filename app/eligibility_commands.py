"""`tdkt check`: the eligibility checker from the command line, printing JSON.

    tdkt check FILE.json          a request and a subject from a file; no database, no
                                  sign-in, the documented default settings only
    tdkt --db … --user … check --subject ID --award CODE --period YEAR --decision-date DATE
                                  a subject of the register, with the settings stored
                                  there; --save keeps the result
    tdkt check --list-awards      the award codes, their routes, which ones have rules
    tdkt check                    without any of these: the data check («Kiểm tra dữ liệu»,
                                  app/backup_commands.py), as before the checker existed

A verdict of "không đủ điều kiện" is a result, not an error: the exit code is 0.
"""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path

from app.cli import EXIT_OK, signed_in_services
from app.errors import ValidationError
from app.roles import Permission

_MODES = "chọn một trong: TỆP, --subject hoặc --list-awards (không có gì: kiểm tra dữ liệu)"
_SUBJECT_OPTIONS = ("award", "period", "decision_date", "route", "action", "save")


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `check` on the `tdkt` parser."""
    parser = commands.add_parser(
        "check", help="kiểm tra điều kiện khen thưởng (TỆP hoặc --subject, in kết quả JSON); "
                      "không tham số: kiểm tra dữ liệu (tệp cơ sở dữ liệu, liên kết, nhật ký, tệp đính kèm)",
        description="Kiểm tra điều kiện danh hiệu, hình thức khen thưởng. Định dạng tệp và kết quả: "
                    "docs/eligibility-check.md. Không có TỆP, --subject hay --list-awards: kiểm tra dữ liệu.")
    parser.add_argument("file", type=Path, nargs="?", metavar="TỆP",
                        help="tệp JSON {\"request\": …, \"subject\": …}; dùng giá trị mặc định của các "
                             "thiết lập, không mở cơ sở dữ liệu")
    parser.add_argument("--list-awards", action="store_true",
                        help="liệt kê mã danh hiệu, hình thức khen thưởng, tuyến xét và việc đã có quy tắc")
    parser.add_argument("--subject", metavar="SỐ_HOẶC_UUID", help="đối tượng trong sổ theo dõi (cần --user)")
    parser.add_argument("--award", metavar="MÃ", help="mã danh hiệu, hình thức khen thưởng (xem --list-awards)")
    parser.add_argument("--period", type=int, metavar="NĂM", help="năm thành tích (năm cuối của giai đoạn)")
    parser.add_argument("--decision-date", type=_iso_date, metavar="YYYY-MM-DD", help="ngày quyết định")
    parser.add_argument("--route", metavar="TUYẾN", help="tuyến xét (mặc định: tuyến đầu tiên của mã)")
    parser.add_argument("--action", choices=("decide", "propose"),
                        help="xã quyết định (decide) hay đề nghị cấp trên (propose); mặc định theo thẩm quyền")
    parser.add_argument("--save", action="store_true", help="lưu kết quả vào cơ sở dữ liệu (cần quyền sửa sổ)")
    parser.set_defaults(handler=_cmd_eligibility, usage_error=parser.error)


def _iso_date(text: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày “{text}” phải là ngày có thật dạng YYYY-MM-DD") from None


def _cmd_eligibility(args: argparse.Namespace) -> int:
    given = [name for name in _SUBJECT_OPTIONS if getattr(args, name) not in (None, False)]
    modes = [mode for mode, chosen in (("TỆP", args.file is not None), ("--subject", args.subject is not None),
                                       ("--list-awards", args.list_awards)) if chosen]
    if not modes and not given:
        from app.backup_commands import check_data_command

        return check_data_command(args)
    if len(modes) != 1:
        args.usage_error(_MODES)
    if args.list_awards:
        if given:
            args.usage_error("--list-awards không dùng cùng các tùy chọn khác")
        return _list_awards()
    if args.file is not None:
        if given:
            args.usage_error(f"khi kiểm tra từ TỆP, không dùng --{given[0].replace('_', '-')}")
        return _check_file(args.file)
    missing = [f"--{name.replace('_', '-')}" for name in ("award", "period", "decision_date")
               if getattr(args, name) is None]
    if missing:
        args.usage_error(f"--subject cần thêm {', '.join(missing)}")
    return _check_subject(args)


def _list_awards() -> int:
    from app.catalogue import AWARD_KINDS, SUBJECT_KINDS
    from app.eligibility.checker import ROUTE_LABELS, ROUTES, checkable

    for kind in AWARD_KINDS:
        routes = ROUTES.get(kind.code, ())
        subjects = ", ".join(SUBJECT_KINDS[code].lower() for code in kind.subject_kinds)
        checked = [code for code in kind.subject_kinds if checkable(kind.code, code)]
        if not checked:
            rules = "chưa có quy tắc kiểm tra"
        elif len(checked) == len(kind.subject_kinds):
            rules = "có quy tắc kiểm tra"
        else:
            rules = f"có quy tắc kiểm tra cho {', '.join(SUBJECT_KINDS[code].lower() for code in checked)}"
        print(f"{kind.code}\t{kind.label}\t{subjects}\t{rules}")
        for route in routes:
            print(f"\ttuyến {route}: {ROUTE_LABELS.get(route, route)}")
    return EXIT_OK


def _check_file(path: Path) -> int:
    from app.eligibility.checker import check
    from app.eligibility.json_format import outcome_to_dict, pretty_json, read_check_file
    from app.eligibility.rule_settings import RuleSettings

    request, subject = read_check_file(path)
    outcome = check(request, subject, RuleSettings(request.decision_date))
    print(pretty_json(outcome_to_dict(outcome, "defaults")))
    return EXIT_OK


def _check_subject(args: argparse.Namespace) -> int:
    from app.catalogue import award_code_for_label
    from app.eligibility.checker import SUPPORTED
    from app.eligibility.json_format import outcome_to_dict, pretty_json
    from app.eligibility.request import CheckRequest

    code = award_code_for_label(args.award)
    if code is None:
        raise ValidationError(f"Không có danh hiệu, hình thức khen thưởng mã “{args.award}”. Các mã có quy "
                              f"tắc kiểm tra: {', '.join(SUPPORTED)} (xem tdkt check --list-awards).", "award")
    request = CheckRequest(code, args.period, args.decision_date, args.route, args.action)
    with signed_in_services(args, Permission.EDIT_REGISTER if args.save else None) as services:
        subject = services.eligibility.find_subject(args.subject)
        outcome = services.eligibility.check_subject(subject.id, request)
        data = outcome_to_dict(outcome, "database")
        data["subject"] = {"id": subject.id, "uuid": subject.uuid, "kind": subject.kind, "name": subject.name}
        if args.save:
            stored = services.eligibility.save(subject.id, outcome)
            data["saved"] = {"id": stored.id, "uuid": stored.uuid}
    print(pretty_json(data))
    return EXIT_OK
