"""Biên bản họp Hội đồng Thi đua - Khen thưởng xã (NĐ30 Mẫu 1.9), printed for a council session.

The council issues the minutes in its own name under the commune's UBND, in its own number
series (`Số: 03/BB-HĐTĐKT`); the number is left blank unless the officer types it. The ballot
figures (votes, percentage, the denominator the threshold is taken on, rank within a quota)
come from `CouncilService.detail`, so the paper says exactly what the council screen shows.

An open session prints too, from its live count, so the secretary can read the draft out
before the result is finalised; no "DỰ THẢO" mark is added, because the page the council signs
is the one printed after finalising, and the figures on both are the same count. A session
later corrected still prints as it was held; a correcting session says which session it
corrects and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import AuditTrail
from app.catalogue import AWARDS, award_label
from app.commune import CommuneSetup
from app.council import COUNCIL_ROLES, DEFAULT_QUOTA_NOTE, CouncilService, MemberRow, SessionDetail
from app.council_tally import CandidateResult, format_percent
from app.documents.builder import (BuildContext, council_header, date_line, in_words, number_line)
from app.documents.kinds import Kind, Owner, TextField
from app.documents.model import Column, Document, Para, Signature, Table
from app.documents.nominees import (Nominee, commune_words, count_phrase, formal, nomination_rows,
                                    two_digits, upper_first, verb)
from app.eligibility.rule_sets import authority, rule_set_on
from app.errors import ValidationError
from app.roles import SYSTEM_ACTOR
from app.rule_setting_service import RuleSettingService
from db.models import CouncilSession, Nomination

TIME_BLANK = "…… giờ …… phút"
# What the "Tính trên" column says after the figure, by the threshold's denominator.
BASE_WORDS = {"total_members": "tổng số thành viên", "present": "số thành viên có mặt",
              "valid_ballots": "số phiếu hợp lệ"}
# The upper levels a commune proposes to, as the minutes name them.
UPPER_DECIDERS = frozenset({"district_chairman", "province_chairman"})


@dataclass(frozen=True)
class MinutesSource:
    setup: CommuneSetup
    detail: SessionDetail
    corrects: tuple[date, str] | None  # the corrected session's date and title
    carried: tuple[Nominee, ...]  # voted through, in the order the conclusion lists them


class MinutesBuilder:
    kind = Kind.MINUTES

    def load(self, session: Session, owner: Owner, context: BuildContext) -> MinutesSource:
        detail = _council_detail(session, owner.id)
        row = detail.session
        corrects = None
        if row.corrects_id is not None:
            earlier = session.get_one(CouncilSession, row.corrects_id)
            corrects = (earlier.held_on, earlier.title)
        voted = [c.nomination_id for c in detail.candidates
                 if detail.tally.result(c.nomination_id).voted]
        nominations = list(session.scalars(select(Nomination).where(Nomination.id.in_(voted))))
        carried = nomination_rows(session, nominations) if nominations else []
        return MinutesSource(context.setup, detail, corrects, tuple(carried))

    def fields(self, source: MinutesSource) -> list[TextField]:
        row = source.detail.session
        members = source.detail.members
        return [
            TextField("number", "Số biên bản (để trống để ghi tay)", ""),
            TextField("abstract", "Trích yếu", _abstract(source)),
            TextField("start_time", "Giờ bắt đầu", TIME_BLANK),
            TextField("place", "Địa điểm",
                      row.location or f"Trụ sở Ủy ban nhân dân {commune_words(source.setup)}"),
            TextField("chair_name", "Họ và tên chủ tọa", _chair(members), required=True),
            TextField("secretary_name", "Họ và tên thư ký", _secretary(members), required=True),
            TextField("agenda", "Nội dung cuộc họp", _agenda(source), multiline=True),
            TextField("discussion", "Ý kiến thảo luận", _DISCUSSION, multiline=True),
            TextField("conclusion", "Kết luận", _conclusion(source), multiline=True),
            TextField("end_time", "Giờ kết thúc", TIME_BLANK),
        ]

    def build(self, source: MinutesSource, texts: Mapping[str, str]) -> list[Document]:
        setup = source.setup
        row = source.detail.session
        header = council_header(setup, number_line(texts["number"], "BB", setup.council_symbol),
                                date_line(setup.place_name, row.held_on))
        body = [*_opening(source, texts), *_content(source, texts), *_closing(texts)]
        return [Document(
            kind=Kind.MINUTES.value, header=header, type_name="BIÊN BẢN",
            abstract=texts["abstract"], body=tuple(body),
            signatures=(Signature("THƯ KÝ", texts["secretary_name"]),
                        Signature("CHỦ TỌA", texts["chair_name"])),
            title=f"Biên bản họp Hội đồng TĐKT ngày {row.held_on:%d/%m/%Y}")]


BUILDER = MinutesBuilder()

_DISCUSSION = ("Công chức phụ trách công tác thi đua, khen thưởng báo cáo kết quả kiểm tra hồ sơ và "
               "tiêu chuẩn của từng trường hợp đề nghị. Các thành viên Hội đồng thảo luận, thống nhất "
               "đưa các trường hợp nêu trên ra biểu quyết.")


# Reading

def _council_detail(session: Session, session_id: int) -> SessionDetail:
    """The session as the council screen shows it, read through `CouncilService.detail` on the
    caller's session (borrowed, not closed), so the minutes and the screen share one count."""
    def borrowed() -> Any:
        return nullcontext(session)

    sessions = cast(Any, borrowed)
    audit = AuditTrail(sessions)
    settings = RuleSettingService(sessions, SYSTEM_ACTOR, audit)
    return CouncilService(sessions, SYSTEM_ACTOR, audit, settings).detail(session_id)


def _decider(award_code: str, held_on: date) -> str:
    """Who the commune proposes an award to on the session's date (before 01/07/2025 the
    district chairman for some titles, the province chairman after)."""
    try:
        who = authority(rule_set_on(held_on), award_code)
    except ValidationError:
        return "cấp có thẩm quyền"
    if who.decider not in UPPER_DECIDERS:
        return "cấp có thẩm quyền"
    return formal(who.label)


def _chair(members: tuple[MemberRow, ...]) -> str:
    """The council chairman if present, else the first vice-chairman present (who chairs in
    his place), else empty for the officer to fill."""
    for role in (COUNCIL_ROLES["chairman"], COUNCIL_ROLES["vice_chairman"]):
        for member in members:
            if member.present and member.council_role.startswith(role):
                return member.full_name
    return ""


def _secretary(members: tuple[MemberRow, ...]) -> str:
    """The council's secretary if present; when absent someone else took the minutes and the
    officer must name them (the field is required)."""
    return next((m.full_name for m in members if m.present and "Thư ký" in m.council_role), "")


# Prefilled text

def _abstract(source: MinutesSource) -> str:
    """'Họp Hội đồng Thi đua - Khen thưởng xã Phước An xét …' from the session's title."""
    title = source.detail.session.title.strip()
    if source.corrects is not None:
        title = source.corrects[1].strip()
    council = "Hội đồng Thi đua - Khen thưởng"
    named = f"{council} {commune_words(source.setup)}"
    if council in title and named not in title:
        title = title.replace(council, named, 1)
    elif council not in title:
        title = f"Họp {named} {title[:1].lower()}{title[1:]}"
    if source.corrects is not None:
        title += " (điều chỉnh)"
    return title


def _agenda(source: MinutesSource) -> str:
    counts: dict[str, int] = {}
    for candidate in source.detail.candidates:
        counts[candidate.award_code] = counts.get(candidate.award_code, 0) + 1
    parts = [f"{_award_words(code)} ({two_digits(n)} trường hợp)" for code, n in counts.items()]
    verb = "Xem xét lại và biểu quyết" if source.corrects else "Xem xét và biểu quyết"
    if not parts:
        return f"{verb} đề nghị khen thưởng."
    return f"{verb} đề nghị khen thưởng {two_digits(sum(counts.values()))} trường hợp: {', '.join(parts)}."


def _conclusion(source: MinutesSource) -> str:
    """One line per award and addressee: who the council proposes for what, by name."""
    if not source.carried:
        return "Không có trường hợp nào đạt kết quả biểu quyết đề nghị khen thưởng."
    commune = f"Chủ tịch Ủy ban nhân dân {commune_words(source.setup)}"
    held_on = source.detail.session.held_on
    groups: dict[tuple[str, str, int], list[Nominee]] = {}
    for nominee in source.carried:
        groups.setdefault((nominee.action, nominee.award_code, nominee.year), []).append(nominee)
    lines = ["Hội đồng thống nhất:"]
    for (action, code, year), nominees in groups.items():
        award = _award_words(code) + (f" năm {year}" if _is_title(code) else "")
        who = f"{commune} trình {_decider(code, held_on)} xét," if action == "propose" else commune
        names = ", ".join(nominee.name for nominee in nominees)
        lines.append(f"- Đề nghị {who} {verb(code)} {award} cho {count_phrase(nominees)}: {names}.")
    return "\n".join(lines)


# Body

def _opening(source: MinutesSource, texts: Mapping[str, str]) -> list[Para]:
    detail = source.detail
    row = detail.session
    tally = detail.tally
    present = [m for m in detail.members if m.present]
    absent = [m for m in detail.members if not m.present]
    quorum = (f"đủ số lượng theo quy định (từ {format_percent(tally.quorum_percent)}% tổng số "
              "thành viên trở lên)" if tally.quorum_met else
              f"chưa đủ số lượng theo quy định (cần ít nhất {_count(tally.quorum_needed)} thành viên)")
    paras = [
        _heading("I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN"),
        Para(f"1. Thời gian: bắt đầu lúc {texts['start_time']}, {in_words(row.held_on)}."),
        Para(f"2. Địa điểm: {texts['place']}."),
        _label("3. Thành phần:"),
        Para(f"- Chủ tọa: {texts['chair_name']}{_role_of(texts['chair_name'], detail.members)}."),
        Para(f"- Thư ký: {texts['secretary_name']}{_role_of(texts['secretary_name'], detail.members)}."),
        Para(f"- Tổng số thành viên Hội đồng: {_count(len(detail.members))}; có mặt: "
             f"{_count(len(present))}; vắng mặt: {_count(len(absent))}. "
             f"Số thành viên có mặt {quorum}."),
        _label("- Thành viên có mặt:") if present else Para("- Không có thành viên nào có mặt."),
    ]
    paras += [_member_line(i, m, i == len(present)) for i, m in enumerate(present, start=1)]
    if absent:
        paras.append(_label("- Thành viên vắng mặt:"))
        paras += [_member_line(i, m, i == len(absent)) for i, m in enumerate(absent, start=1)]
    return paras


def _content(source: MinutesSource, texts: Mapping[str, str]) -> list[Para | Table]:
    detail = source.detail
    blocks: list[Para | Table] = [_heading("II. NỘI DUNG")]
    if source.corrects is not None:
        blocks.append(Para(f"Cuộc họp điều chỉnh kết quả phiên họp Hội đồng {in_words(source.corrects[0])}."
                           f" Lý do điều chỉnh: {detail.session.correction_reason.rstrip('.')}."))
    blocks += [_label("1. Nội dung cuộc họp:"), *_paras(texts["agenda"])]
    blocks += [_label("2. Ý kiến thảo luận:"), *_paras(texts["discussion"])]
    blocks += [_label("3. Kết quả biểu quyết:"), Para(_ballots(source))]
    if detail.tally.candidates:
        # Only the line right above the table goes along with it: a longer chain made the
        # group too tall to start low on a page, and it left the page above nearly empty.
        *notes, last = _thresholds(source)
        blocks += [*(Para(line) for line in notes), _label(last), _vote_table(source)]
    else:
        blocks.append(Para("Chưa có trường hợp nào được đưa ra biểu quyết."))
    blocks += [_heading("III. KẾT LUẬN"), *_paras(texts["conclusion"])]
    return blocks


def _closing(texts: Mapping[str, str]) -> list[Para]:
    return [Para(f"Cuộc họp kết thúc lúc {texts['end_time']} cùng ngày. Biên bản đã được đọc lại "
                 "trước cuộc họp và các thành viên dự họp nhất trí thông qua./.")]


def _ballots(source: MinutesSource) -> str:
    detail = source.detail
    if detail.ballots_issued is None:
        return "Hình thức biểu quyết: biểu quyết công khai (giơ tay)."
    parts = [f"số phiếu phát ra: {_count(detail.ballots_issued)}"]
    if detail.ballots_returned is not None:
        parts.append(f"số phiếu thu về: {_count(detail.ballots_returned)}")
    if detail.ballots_valid is not None:
        parts.append(f"số phiếu hợp lệ: {_count(detail.ballots_valid)}")
        if detail.ballots_returned is not None:
            invalid = detail.ballots_returned - detail.ballots_valid
            parts.append(f"số phiếu không hợp lệ: {_count(invalid)}")
    return f"Hình thức biểu quyết: bỏ phiếu kín; {'; '.join(parts)}."


def _thresholds(source: MinutesSource) -> list[str]:
    """The threshold each award was judged against, and any quota, in words."""
    lines: list[str] = []
    seen: set[str] = set()
    for result in source.detail.tally.candidates:
        code = result.candidate.award_code
        if code not in seen:
            seen.add(code)
            lines.append(f"- {upper_first(_award_words(code))}: đạt khi số phiếu đồng ý "
                         f"{result.threshold.label()}.")
    notes = {q.award_code: q.note for q in source.detail.quotas}
    for quota in source.detail.tally.quotas:
        note = notes.get(quota.award_code, quota.note).removeprefix(DEFAULT_QUOTA_NOTE)
        lines.append(f"- Số lượng tối đa được đề nghị {_award_words(quota.award_code)}: "
                     f"{_count(quota.quota)}{f' ({note})' if note else ''}; xét theo thứ tự số phiếu.")
    return lines


def _vote_table(source: MinutesSource) -> Table:
    quota_codes = {q.award_code for q in source.detail.tally.quotas}
    rows = []
    for number, result in enumerate(source.detail.tally.candidates, start=1):
        base = "—" if result.base is None else \
            f"{result.base} ({BASE_WORDS[result.threshold.denominator]})"
        percent = "—" if result.percent is None else format_percent(result.percent)
        rows.append((str(number), result.candidate.name,
                     formal(award_label(result.candidate.award_code)),
                     str(result.candidate.votes), percent, base,
                     _verdict(result, result.candidate.award_code in quota_codes)))
    return Table(columns=(Column("STT", 0.7, "center"), Column("Họ và tên", 3.0),
                          Column("Danh hiệu, hình thức", 2.2), Column("Số phiếu đồng ý", 1.0, "center"),
                          Column("Tỷ lệ (%)", 0.9, "center"), Column("Tính trên", 1.4, "center"),
                          Column("Kết quả", 1.3, "center")),
                 rows=tuple(rows), font_size=12)


def _verdict(result: CandidateResult, has_quota: bool) -> str:
    if not result.passed:
        return "Không đạt"
    rank = f" (xếp thứ {result.rank})" if has_quota and result.rank is not None else ""
    if result.within_quota is False:
        return f"Không đạt: ngoài số lượng tối đa{rank}"
    return f"Đạt{rank}"


# Words

def _heading(text: str) -> Para:
    return Para(text, align="left", bold=True, indent=False, keep_with_next=True)


def _label(text: str) -> Para:
    """A line introducing what follows ('1. Nội dung cuộc họp:'), kept on its page."""
    return Para(text, keep_with_next=True)


def _count(number: int) -> str:
    """A count that can be nought: '0' reads better than '00' ('vắng mặt: 0'); others '01'."""
    return two_digits(number) if number else "0"


def _paras(text: str) -> list[Para]:
    """Each typed line a paragraph; an empty field prints nothing rather than a stray blank."""
    return [Para(line.strip()) for line in text.splitlines() if line.strip()]


def _member_line(index: int, member: MemberRow, last: bool) -> Para:
    role = f", {member.council_role}" if member.council_role else ""
    return Para(f"{index}. {member.full_name}{role}{'.' if last else ';'}")


def _role_of(name: str, members: tuple[MemberRow, ...]) -> str:
    role = next((m.council_role for m in members if m.full_name == name.strip()), "")
    return f", {role}" if role else ""


def _award_words(code: str) -> str:
    """'danh hiệu “Lao động tiên tiến”' or 'Giấy khen của Chủ tịch Ủy ban nhân dân xã'."""
    label = formal(award_label(code))
    return f"danh hiệu “{label}”" if _is_title(code) else label


def _is_title(code: str) -> bool:
    kind = AWARDS.get(code)
    return bool(kind and kind.is_title)
