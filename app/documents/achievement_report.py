"""Báo cáo thành tích (achievement report) of one nomination, NĐ 98/2023 Phụ lục I skeletons:
Mẫu 03 for a person, Mẫu 02 for a collective, household or village (domain reference §6).

The report is the nominee's own account, so nearly all of it is editable: the header block,
the date, the title, every line of section I, the texts of section II and both signers. The
tables of section III (titles and commendations in the reporting window) come from the
register and are not: a wrong row is corrected in the subject's history. What the register
does not know prints as dots for the officer to fill in before printing or by hand after.
Why the header, window and signers are what they are: `achievement_report_source`.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from app.documents.achievement_report_source import (HistoryRow, ProfileLine, ReportSource, Signer,
                                                     load_report)
from app.documents.builder import BuildContext, date_line, parse_day
from app.documents.kinds import Kind, Owner, TextField
from app.documents.layout import TABLE_SIZE
from app.documents.model import Block, Column, Document, Header, Para, Signature, Table

# A blank to fill by hand: after a label (short, so it joins the label's line when it fits)
# and as a whole line under a heading.
DOTS = "…" * 12
DOTS_LINE = "…" * 30
BLANK_LINES = 3

_DECISION_COLUMN = "Số, ngày, tháng, năm của quyết định {what}; cơ quan ban hành quyết định"


class AchievementReport:
    kind = Kind.REPORT

    def load(self, session: Session, owner: Owner, context: BuildContext) -> ReportSource:
        return load_report(session, owner, context)

    def fields(self, source: ReportSource) -> list[TextField]:
        fields = [
            TextField("issuing_body", "Tên cơ quan, đơn vị ở đầu báo cáo (mỗi dòng in một dòng)",
                      "\n".join(source.issuing_body), multiline=True, required=True),
            TextField("parent_body", "Cơ quan cấp trên (dòng trên tên đơn vị; để trống nếu không có)",
                      source.parent_body),
            TextField("report_date", "Ngày báo cáo (ngày/tháng/năm; để trống để ghi tay khi ký)", ""),
            TextField("award", "Tên báo cáo (đề nghị tặng …)", _title(source), required=True),
            TextField("window_note", "Thời gian báo cáo", _window_note(source.years)),
        ]
        if source.name_line is not None:
            fields.append(_field(source.name_line))
        fields += [_field(line) for line in source.profile if isinstance(line, ProfileLine)]
        if source.individual:
            fields.append(TextField("duties", "Quyền hạn, nhiệm vụ được giao hoặc đảm nhận", "",
                                    multiline=True))
        fields.append(TextField("achievements", "Thành tích đạt được", source.achievements,
                                multiline=True))
        if source.left is not None:
            fields += _signer_fields("left", source.left, "bên trái")
        fields += _signer_fields("right", source.right, "bên phải")
        return fields

    def build(self, source: ReportSource, texts: Mapping[str, str]) -> list[Document]:
        header = Header(
            issuing_body=tuple(line.strip() for line in texts["issuing_body"].splitlines() if line.strip()),
            number="",
            place_date=date_line(source.place, parse_day(texts["report_date"], "Ngày báo cáo")),
            parent_body=texts["parent_body"].strip())
        body: list[Block] = []
        if texts["window_note"].strip():
            body.append(Para(texts["window_note"].strip(), align="center", italic=True, indent=False))
        if source.name_line is not None:
            body += _line(source.name_line, texts)
        body.append(_heading("I. SƠ LƯỢC LÝ LỊCH" if source.individual
                             else "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH"))
        for item in source.profile:
            if isinstance(item, str):
                body.append(_heading(item, upper=False))
            elif item.same_line and isinstance(body[-1], Para):
                body[-1] = _joined(body[-1], item, texts)
            else:
                body += _line(item, texts)
        body.append(_heading("II. THÀNH TÍCH ĐẠT ĐƯỢC"))
        if source.individual:
            body.append(_heading("1. Quyền hạn, nhiệm vụ được giao hoặc đảm nhận:", upper=False))
            body += _prose(texts["duties"])
            body.append(_heading("2. Thành tích đạt được:", upper=False))
        body += _prose(texts["achievements"])
        body.append(_heading("III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN"))
        body.append(_heading("1. Danh hiệu thi đua:", upper=False))
        body.append(_history_table([row for row in source.history if row.is_title], "Danh hiệu thi đua",
                                   "công nhận danh hiệu thi đua"))
        body.append(_heading("2. Hình thức khen thưởng:", upper=False))
        body.append(_history_table([row for row in source.history if not row.is_title],
                                   "Hình thức khen thưởng", "khen thưởng"))
        signatures = (_signature(source.right, texts, "right"),)
        if source.left is not None:
            signatures = (_signature(source.left, texts, "left"), *signatures)
        return [Document(
            kind=str(Kind.REPORT), header=header, type_name="BÁO CÁO THÀNH TÍCH",
            abstract=texts["award"].strip(), body=tuple(body),
            signatures=signatures,
            title=f"Báo cáo thành tích - {source.subject_name}")]


BUILDER = AchievementReport()


def _title(source: ReportSource) -> str:
    """'ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI', upper case as the
    forms print it (the officer may write TRUY TẶNG or CÔNG NHẬN instead)."""
    return f"ĐỀ NGHỊ TẶNG {source.award.upper()}"


def _window_note(years: tuple[int, ...]) -> str:
    if len(years) == 1:
        return f"(Thời gian báo cáo: năm {years[0]})"
    return f"(Thời gian báo cáo: từ năm {years[0]} đến năm {years[-1]})"


def _field(line: ProfileLine) -> TextField:
    return TextField(line.key, line.label, line.value, multiline=line.multiline)


def _signer_fields(prefix: str, signer: Signer, side: str) -> list[TextField]:
    return [
        TextField(f"{prefix}_authority", f"Thẩm quyền ký {side} (TM., KT.; có thể để trống)",
                  signer.authority),
        TextField(f"{prefix}_title", f"Chức danh ký {side}", signer.title, required=True),
        TextField(f"{prefix}_name", signer.name_label, signer.name, required=True),
    ]


def _signature(signer: Signer, texts: Mapping[str, str], prefix: str) -> Signature:
    return Signature(title=texts[f"{prefix}_title"].strip(), name=texts[f"{prefix}_name"].strip(),
                     authority=texts[f"{prefix}_authority"].strip(), caption=signer.caption)


def _heading(text: str, upper: bool = True) -> Para:
    """Section headings (I., II., III.) bold; their numbered parts (1., 2.) bold too, as
    the forms print them, indented like the text under them."""
    return Para(text, bold=True, indent=not upper, align="left")


def _line(line: ProfileLine, texts: Mapping[str, str]) -> list[Block]:
    """'- Họ và tên: Nguyễn Văn A'; a multi-line value continues in paragraphs of its own.
    A line left to fill is aligned left: justified, its dots would stretch the words apart."""
    paragraphs = [part.strip() for part in texts[line.key].splitlines() if part.strip()]
    first = paragraphs[0] if paragraphs else DOTS
    blocks: list[Block] = [Para(f"- {line.label}: {first}", align="justify" if paragraphs else "left")]
    if line.multiline and not paragraphs:
        blocks += [Para(DOTS_LINE, indent=False, align="left") for _ in range(BLANK_LINES - 1)]
    blocks += [Para(part) for part in paragraphs[1:]]
    return blocks


def _joined(previous: Para, line: ProfileLine, texts: Mapping[str, str]) -> Para:
    """'- Sinh ngày, tháng, năm: 26/05/1993; Giới tính: Nữ' (one line, as the forms have it)."""
    value = " ".join(texts[line.key].split()) or DOTS
    return Para(f"{previous.text}; {line.label}: {value}", align="left")


def _prose(text: str) -> list[Block]:
    """Each line of an edited text is a paragraph; nothing typed leaves lines to fill by hand."""
    paragraphs = [part.strip() for part in text.splitlines() if part.strip()]
    if not paragraphs:
        return [Para(DOTS_LINE, indent=False, align="left") for _ in range(BLANK_LINES)]
    return [Para(part) for part in paragraphs]


def _history_table(rows: list[HistoryRow], what: str, decided: str) -> Table:
    """Year | title or form | decision; one 'Không có' row when the window holds none."""
    columns = (Column("Năm", 1.3, "center"), Column(what, 3.0),
               Column(_DECISION_COLUMN.format(what=decided), 5.2))
    body = tuple((row.years, row.label, row.decision) for row in rows) or (("", "Không có", ""),)
    return Table(columns, body, font_size=TABLE_SIZE)
