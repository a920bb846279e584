"""Thông báo công khai: the UBND's notice (NĐ30 type THÔNG BÁO, symbol TB) posting the
candidates a council session voted through, so anyone may comment before the award is
decided or proposed (domain reference §4.3).

The notice period is the one recorded on the nominations («Niêm yết công khai»: earliest start,
latest end when they differ); when none is recorded yet it starts on the first working day
after the session, or today if that is later (a notice is posted when printed, not in the
past), and lasts `public_notice_days` working days (the setting in force on that day,
app/working_days.py). Both dates are editable; the printed line counts the working days
between them with the officer's work calendar.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.commune import CommuneSetup
from app.document_style import BLANK_NUMBER
from app.documents.builder import (BuildContext, commune_header, date_line, day_text, in_words,
                                   number_line, parse_day, recipients, signature, signer_fields,
                                   typed_lines)
from app.documents.kinds import Kind, Owner, TextField
from app.documents.model import Column, Document, DocumentError, Para, Table
from app.documents.nominees import (Nominee, carried, commune_words, count_phrase, final_session,
                                    movement_of, ordered, review_phrase, upper_first)
from app.eligibility.rule_settings import RuleSettings, SettingEntry
from app.nomination_deadlines import calendar_in
from app.working_days import WorkCalendar
from db.models import RuleSettingValue

TYPE_SYMBOL = "TB"
NOTICE_DAYS = "public_notice_days"
COLUMNS = (Column("STT", 11, "center"), Column("Họ và tên (tên tập thể)", 50),
           Column("Chức vụ, đơn vị", 55), Column("Hình thức đề nghị khen thưởng", 45))
RECIPIENTS = ("Thường trực Đảng ủy, HĐND xã", "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
              "Thành viên Hội đồng TĐKT xã", "Các thôn, tổ dân phố (niêm yết)",
              "Lưu: VT, TĐKT.")


@dataclass(frozen=True)
class NoticeSource:
    setup: CommuneSetup
    held_on: date  # the council session
    nominees: tuple[Nominee, ...]
    starts_on: date
    ends_on: date
    review: str  # 'năm 2025' or 'trong phong trào thi đua «…»'
    calendar: WorkCalendar  # the officer's working days, to count the edited period


class PublicNoticeBuilder:
    kind = Kind.NOTICE

    def load(self, session: Session, owner: Owner, context: BuildContext) -> NoticeSource:
        if owner.type != "session":
            raise DocumentError(f"Thông báo công khai không in cho {owner}.")
        council = final_session(session, owner.id)
        nominees = carried(session, council)
        if not nominees:
            raise DocumentError(f"Phiên họp ngày {council.held_on:%d/%m/%Y} không có đề nghị nào được "
                                "Hội đồng biểu quyết đạt, nên không có danh sách để thông báo công khai.")
        calendar = calendar_in(session)
        starts = [n.notice_starts_on for n in nominees if n.notice_starts_on]
        ends = [n.notice_ends_on for n in nominees if n.notice_ends_on]
        if starts and ends:
            starts_on, ends_on = min(starts), max(ends)
        else:
            starts_on = calendar.nth_working_day(max(council.held_on + timedelta(days=1),
                                                     context.today), 1)
            ends_on = calendar.nth_working_day(starts_on, _notice_days(session, starts_on))
        review = review_phrase(movement_of(session, nominees, council.year), council.year)
        return NoticeSource(context.setup, council.held_on, tuple(nominees), starts_on, ends_on,
                            review, calendar)

    def fields(self, source: NoticeSource) -> list[TextField]:
        setup, nominees = source.setup, source.nominees
        commune = commune_words(setup)
        officer = setup.people("officer")
        through = "công chức phụ trách thi đua, khen thưởng" + (f" {officer[0].full_name}" if officer else "")
        return [
            TextField("number", "Số thông báo (để trống để ghi tay)", ""),
            TextField("date", "Ngày thông báo (ngày/tháng/năm; để trống để ghi tay)",
                      day_text(source.starts_on)),
            TextField("abstract", "Trích yếu",
                      f"Công khai danh sách đề nghị khen thưởng {source.review}",
                      required=True),
            TextField("intro", "Nội dung thông báo",
                      f"Căn cứ kết quả họp Hội đồng Thi đua - Khen thưởng xã {in_words(source.held_on)}, "
                      f"Ủy ban nhân dân {commune} thông báo công khai danh sách {count_phrase(nominees)} "
                      "được Hội đồng biểu quyết đề nghị khen thưởng như sau:",
                      multiline=True, required=True),
            TextField("notice_from", "Công khai từ ngày (ngày/tháng/năm)", day_text(source.starts_on)),
            TextField("notice_to", "Công khai đến hết ngày (ngày/tháng/năm)", day_text(source.ends_on)),
            TextField("posting", "Hình thức công khai",
                      f"Hình thức công khai: niêm yết tại trụ sở Ủy ban nhân dân {commune}, nhà văn hóa các thôn, tổ dân phố "
                      "và thông báo trên hệ thống truyền thanh của xã.", multiline=True),
            TextField("feedback", "Nơi nhận ý kiến phản ánh",
                      f"Trong thời gian công khai, mọi ý kiến phản ánh (nếu có) xin gửi về Ủy ban nhân "
                      f"dân {commune} (qua {through}) để tổng hợp, báo cáo Hội đồng Thi đua - Khen "
                      "thưởng xã xem xét trước khi quyết định hoặc trình cấp trên khen thưởng.",
                      multiline=True, required=True),
            TextField("closing", "Câu kết",
                      f"Ủy ban nhân dân {commune} thông báo để các tập thể, cá nhân và Nhân dân trên "
                      "địa bàn xã biết, tham gia ý kiến./.", multiline=True),
            *signer_fields(setup),
            TextField("recipients", "Nơi nhận (mỗi dòng một nơi)", "\n".join(RECIPIENTS),
                      multiline=True),
        ]

    def build(self, source: NoticeSource, texts: Mapping[str, str]) -> list[Document]:
        setup = source.setup
        number = number_line(texts["number"], TYPE_SYMBOL, setup.issuer_symbol)
        day = parse_day(texts["date"], "Ngày thông báo")
        body = [Para(line) for line in typed_lines(texts["intro"])]
        body.append(Table(COLUMNS, _rows(source.nominees)))
        body.append(Para(_period(source.calendar, texts["notice_from"], texts["notice_to"])))
        body += [Para(line) for line in typed_lines(texts["posting"])]
        body += [Para(line) for line in typed_lines(texts["feedback"])]
        body += [Para(line) for line in typed_lines(texts["closing"])]
        return [Document(
            kind=self.kind.value, header=commune_header(setup, number, date_line(setup.place_name, day)),
            type_name="THÔNG BÁO", abstract=texts["abstract"].strip(), body=tuple(body),
            signatures=(signature(texts),), recipients=recipients(texts["recipients"]),
            title=f"Thông báo {texts['abstract'].strip()}")]


def _notice_days(session: Session, day: date) -> int:
    """`public_notice_days` in force on `day`: the officer's value, else the default."""
    entries = [SettingEntry(key, value, since) for key, value, since in session.execute(
        select(RuleSettingValue.key, RuleSettingValue.value, RuleSettingValue.effective_from)
        .where(RuleSettingValue.key == NOTICE_DAYS)
        .order_by(RuleSettingValue.effective_from, RuleSettingValue.id))]
    value = RuleSettings(day, entries).value(NOTICE_DAYS)
    assert isinstance(value, int)
    return value


def _period(calendar: WorkCalendar, first_text: str, last_text: str) -> str:
    """'Thời gian công khai: 05 ngày làm việc, từ ngày 18/11/2026 đến hết ngày 25/11/2026.'"""
    first = parse_day(first_text, "Ngày bắt đầu công khai")
    last = parse_day(last_text, "Ngày kết thúc công khai")
    if first and last and last < first:
        raise DocumentError(f"Thời gian công khai không đúng: ngày kết thúc {last:%d/%m/%Y} trước ngày "
                            f"bắt đầu {first:%d/%m/%Y}.")
    blank = f"{BLANK_NUMBER}/{BLANK_NUMBER}/{BLANK_NUMBER}"
    span = f"từ ngày {first:%d/%m/%Y}" if first else f"từ ngày {blank}"
    span += f" đến hết ngày {last:%d/%m/%Y}" if last else f" đến hết ngày {blank}"
    if first and last:
        return (f"Thời gian công khai: {calendar.count_between(first, last):02d} ngày làm việc, "
                f"{span}.")
    return f"Thời gian công khai: {span}."


def _rows(nominees: tuple[Nominee, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple((str(serial), nominee.name, nominee.position, upper_first(nominee.award))
                 for serial, nominee in enumerate(ordered(nominees), start=1))


BUILDER = PublicNoticeBuilder()
