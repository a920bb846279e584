"""Báo cáo kết quả công tác thi đua, khen thưởng: the yearly report of the commune's UBND
(NĐ30 type BÁO CÁO, symbol BC), drawn from a stored report's content only.

Sections: I. movements and initiatives; II. results, with a table by title/award, by the
level that decided, by subject kind and the priority groups (count, denominator, share);
III. assessment (a paragraph the officer may edit). Missing data is said plainly: a year
without awards, a table without rows, records whose category is not known («không rõ»),
a period that spans two rule sets (the notes from app/statistics.py, printed as they are).
The provincial template is UNCONFIRMED: the layout follows NĐ30 and common commune practice.
"""

from __future__ import annotations

from app.catalogue import AWARDS
from app.documents.builder import date_line, number_line, recipients
from app.documents.model import Block, Column, Document, Header, Para, Signature, Table
from app.statistics import Figure
from app.yearly_report_content import ReportContent, share_text

TYPE_SYMBOL = "BC"
TYPE_NAME = "BÁO CÁO"
NO_ROWS = "Không có số liệu."
COUNT_COLUMNS = (Column("STT", 10, "center"), Column("Nội dung", 90), Column("Số lượng", 22, "center"))
UNKNOWN_COLUMN = Column("Không rõ", 20, "center")  # only on tables with «không rõ» records
PRIORITY_COLUMNS = (Column("STT", 11, "center"), Column("Nhóm ưu tiên", 74),
                    Column("Số lượt khen thưởng", 19, "center"), Column("Trên tổng số", 17, "center"),
                    Column("Tỷ lệ", 15, "center"), Column("Không rõ", 14, "center"))
# The tables of section II: (heading, attribute of Figures).
COUNT_TABLES = (("Theo danh hiệu thi đua, hình thức khen thưởng", "by_award"),
                ("Theo cấp quyết định khen thưởng", "by_level"),
                ("Theo đối tượng được khen thưởng", "by_subject_kind"))


def abstract(content: ReportContent) -> str:
    return f"Kết quả công tác thi đua, khen thưởng {content.period}"


def yearly_report(content: ReportContent, stamp: str = "") -> Document:
    """The report as a `Document`, for app/documents/pdf.py; `stamp`, when given, closes the
    body in small italics (the stored report's number and hash)."""
    page = content.page
    # The header as stored with the report, not as the commune setup says today.
    header = Header(issuing_body=page.issuing_body, number=number_line("", TYPE_SYMBOL, page.issuer_symbol),
                    place_date=date_line(page.place_name, page.day))
    return Document(
        kind="bao-cao-tdkt", header=header, type_name=TYPE_NAME, abstract=abstract(content),
        body=tuple(_body(content)) + ((Para(stamp, align="left", italic=True, indent=False),) if stamp else ()),
        signatures=(Signature(page.signer_title, page.signer_name, page.signer_authority),),
        recipients=recipients("\n".join(page.recipients)), title=f"Báo cáo {abstract(content).lower()}")


def _is_title(key: str) -> bool:
    """Whether the figure "award:CODE" counts a title (danh hiệu thi đua) rather than a form."""
    kind = AWARDS.get(key.removeprefix("award:"))
    return kind is not None and kind.is_title


def _body(content: ReportContent) -> list[Block]:
    figures, page = content.figures, content.page
    blocks: list[Block] = [Para(
        f"Thực hiện chế độ báo cáo công tác thi đua, khen thưởng, Ủy ban nhân dân {page.commune} báo "
        f"cáo kết quả công tác thi đua, khen thưởng {content.period} như sau:")]
    blocks.append(_heading("I. CÔNG TÁC TỔ CHỨC CÁC PHONG TRÀO THI ĐUA"))
    if figures.movements:
        blocks += [Para(f"- {figure.label}: {figure.count}.") for figure in figures.movements]
    else:
        blocks.append(Para("- Không có số liệu về phong trào thi đua."))
    blocks.append(Para(f"- Số sáng kiến được công nhận: {figures.initiatives}."))

    blocks.append(_heading("II. KẾT QUẢ CÔNG TÁC KHEN THƯỞNG"))
    if figures.total == 0:
        blocks.append(Para(f"Trong {content.period} chưa có danh hiệu thi đua, hình thức khen thưởng "
                           "nào được ghi nhận trong cơ sở dữ liệu."))
    else:
        titles = sum(f.count for f in figures.by_award if _is_title(f.key))
        blocks.append(Para(f"Tổng số danh hiệu thi đua, hình thức khen thưởng đã trao: {figures.total} "
                           f"lượt (không tính các khen thưởng đã bị thu hồi), trong đó {titles} danh hiệu thi "
                           f"đua và {figures.total - titles} hình thức khen thưởng."))
    for number, (title, attribute) in enumerate(COUNT_TABLES, start=1):
        blocks.append(_heading(f"{number}. {title}", bold=False, italic=True))
        blocks += _count_table(getattr(figures, attribute))
    blocks.append(_heading(f"{len(COUNT_TABLES) + 1}. Các nhóm đối tượng ưu tiên theo Chỉ thị số "
                           "41-CT/TW", bold=False, italic=True))
    blocks += _priority_table(figures.priority)
    if figures.notes:
        blocks.append(_heading("Ghi chú về số liệu:", bold=False, italic=True))
        blocks += [Para(f"- {note}") for note in figures.notes]

    blocks.append(_heading("III. ĐÁNH GIÁ CHUNG"))
    blocks += [Para(line.strip()) for line in page.assessment.splitlines() if line.strip()]
    blocks.append(Para(f"Trên đây là báo cáo kết quả công tác thi đua, khen thưởng {content.period} "
                       f"của Ủy ban nhân dân {page.commune}./."))
    return blocks


def _heading(text: str, bold: bool = True, italic: bool = False) -> Para:
    return Para(text, bold=bold, italic=italic, keep_with_next=True)


def _count_table(items: tuple[Figure, ...]) -> list[Block]:
    if not items:
        return [Para(NO_ROWS)]
    unknown = any(figure.unknown for figure in items)
    rows = [(str(serial), figure.label, str(figure.count)) + ((str(figure.unknown or ""),) if unknown else ())
            for serial, figure in enumerate(items, start=1)]
    rows.append(("", "Tổng cộng", str(sum(figure.count for figure in items))) + (("",) if unknown else ()))
    return [Table(COUNT_COLUMNS + ((UNKNOWN_COLUMN,) if unknown else ()), tuple(rows))]


def _priority_table(items: tuple[Figure, ...]) -> list[Block]:
    if not items:
        return [Para(NO_ROWS)]
    rows = tuple((str(serial), figure.label, str(figure.count),
                  "–" if figure.denominator is None else str(figure.denominator), share_text(figure),
                  str(figure.unknown) if figure.unknown else "")
                 for serial, figure in enumerate(items, start=1))
    return [Table(PRIORITY_COLUMNS, rows),
            Para("Tỷ lệ = số lượt khen thưởng của nhóm chia cho tổng số ghi ở cột «Trên tổng số»; "
                 "«–» khi không có tổng số để chia.", italic=True)]
