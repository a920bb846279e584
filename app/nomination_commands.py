"""`tdkt nominations` and `tdkt nomination show`: where the nominations stand, for an IT
helper's scripts and for reading a nomination without opening the window.

    tdkt --db … --user … nominations [--year NĂM] [--state TRẠNG_THÁI]
    tdkt --db … --user … nomination show SỐ_HOẶC_UUID

Output is plain text, one nomination per line for the list (tab-separated), so it can be
piped into other tools. Reading needs no permission beyond signing in.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli import EXIT_OK, signed_in_services
from app.nomination_states import STATE_LABELS, State

if TYPE_CHECKING:
    from app.nomination_deadlines import Deadline
    from app.nominations import ChecklistItem, NominationDetail, NominationEventRow


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `nominations` and `nomination show` on the `tdkt` parser."""
    listing = commands.add_parser(
        "nominations", help="liệt kê đề nghị khen thưởng của một năm (số, đối tượng, danh hiệu, trạng thái)",
        description="Liệt kê đề nghị khen thưởng của một năm thành tích, mỗi dòng một đề nghị "
                    "(các cột cách nhau bằng dấu tab).")
    listing.add_argument("--year", type=int, metavar="NĂM",
                         help="năm thành tích (mặc định: năm trước năm hiện tại)")
    listing.add_argument("--state", choices=[state.value for state in State], metavar="TRẠNG_THÁI",
                         help="chỉ các đề nghị ở trạng thái này: "
                              + ", ".join(f"{state.value} ({STATE_LABELS[state]})" for state in State))
    listing.set_defaults(handler=_cmd_list)

    nomination = commands.add_parser("nomination", help="xem một đề nghị khen thưởng (tdkt nomination show SỐ)")
    actions = nomination.add_subparsers(dest="nomination_command", metavar="VIỆC", required=True)
    show = actions.add_parser("show", help="trạng thái, thủ tục, đối tượng, danh hiệu, các bước, hồ sơ và hạn")
    show.add_argument("reference", metavar="SỐ_HOẶC_UUID", help="số hoặc mã UUID của đề nghị")
    show.set_defaults(handler=_cmd_show)


def _cmd_list(args: argparse.Namespace) -> int:
    with signed_in_services(args) as services:
        year = args.year if args.year is not None else services.nominations.today().year - 1
        rows = services.nominations.rows(year, args.state)
    if not rows:
        print(f"Năm {year} chưa có đề nghị khen thưởng nào"
              + (f" ở trạng thái «{STATE_LABELS[State(args.state)]}»." if args.state else "."))
        return EXIT_OK
    for row in rows:
        print("\t".join((str(row.id), row.subject_name, row.award_label, row.procedure_label,
                         row.state_label, row.action_label, row.verdict_label,
                         f"{row.attachment_count} tệp")))
    return EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    with signed_in_services(args) as services:
        nominations = services.nominations
        nomination_id = nominations.find(args.reference)
        detail = nominations.detail(nomination_id)
        events = nominations.events(nomination_id)
        checklist = nominations.checklist(nomination_id)
        deadlines = [d for d in nominations.deadlines(nominations.today()) if d.nomination_id == nomination_id]
    for line in _detail_lines(detail, events, checklist, deadlines):
        print(line)
    return EXIT_OK


def _detail_lines(detail: NominationDetail, events: list[NominationEventRow], checklist: list[ChecklistItem],
                  deadlines: list[Deadline]) -> list[str]:
    row = detail.row
    lines = [
        f"Đề nghị số {row.id} ({row.uuid})",
        f"Trạng thái: {row.state_label}",
        f"Thủ tục: {row.procedure_label}",
        f"Đối tượng: {row.subject_name}",
        f"Danh hiệu, hình thức: {row.award_label} năm {row.year}",
    ]
    if row.action_label:
        lines.append(f"Thẩm quyền: {row.action_label}")
    if detail.movement_name:
        lines.append(f"Phong trào: {detail.movement_name}")
    if detail.event_date:
        lines.append(f"Ngày lập thành tích: {detail.event_date:%d/%m/%Y}")
    if detail.achievement_summary:
        lines.append(f"Tóm tắt thành tích: {detail.achievement_summary}")
    if detail.declarable:
        lines.append("Thông tin cán bộ kê khai cho kiểm tra điều kiện:")
        lines += [f"  {label}: {text}" for label, text in detail.declared_lines()]
    if detail.latest_check is not None:
        check = detail.latest_check
        lines.append(f"Kiểm tra điều kiện: {row.verdict_label} (ngày quyết định "
                     f"{check.decision_date:%d/%m/%Y}, kiểm tra lúc {check.checked_at:%d/%m/%Y %H:%M} UTC)")
    lines += detail.date_lines()
    if detail.outcome_decision_number:
        lines.append(f"Quyết định của cấp trên: số {detail.outcome_decision_number}"
                     + (f" ngày {detail.outcome_decision_date:%d/%m/%Y}" if detail.outcome_decision_date else "")
                     + (f", {detail.outcome_issuer}" if detail.outcome_issuer else ""))
    if detail.state is State.RETURNED and detail.returned_reason:
        lines.append(f"Lý do trả lại: {detail.returned_reason}")
    lines.append("Các bước:")
    lines += [f"  {event.text}" for event in events] or ["  (chưa có bước nào)"]
    lines.append("Hồ sơ:")
    if checklist:
        lines += [f"  [{'x' if item.present else ' '}] {item.label}"
                  + (f": {', '.join(item.files)}" if item.files else "")
                  + (f" ({item.note})" if item.note else "") for item in checklist]
    else:
        lines.append("  (chưa kiểm tra điều kiện: chưa biết thành phần hồ sơ)")
    lines.append("Hạn trong 7 ngày tới:")
    lines += [f"  {deadline.text}" for deadline in deadlines] or ["  (không có)"]
    return lines
