"""Tờ trình đề nghị khen thưởng: the commune's proposal to the upper level's chairman, with
the attached danh sách (NĐ30 Mẫu 1.4 practice; domain reference §6).

Printed for a council session (the nominations it voted through that the upper level decides:
action «propose») or for one nomination (the simplified procedure has no session). Before
01/07/2025 the upper level was the district, since then the province (domain reference §5):
the addressee, the recipients and the legal basis follow the document's date, all editable.

The attached list is landscape and grouped by award in the catalogue's order; inside each
award collectives, villages and households come before individuals, then names (as
app/documents/nominees.py orders them), in one table whose column «Hình thức đề nghị» names
the award of each row. (Headings between per-award tables were tried: the renderer cannot keep
a heading with the table under it, so one could be left alone at the foot of a page.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.commune import CommuneSetup
from app.document_style import BLANK_NUMBER
from app.documents.builder import (BASIS_LABEL, NEW_DECREE_FROM, BuildContext, commune_header,
                                   date_line, day_text, in_words, legal_basis, number_line, parse_day,
                                   recipients, signature, signer_fields, typed_lines)
from app.documents.kinds import Kind, Owner, TextField
from app.documents.model import Appendix, Column, Document, DocumentError, Para, Table
from app.documents.nominees import (Nominee, awards_phrase, by_award, carried, carrying_session,
                                    commune_words, count_phrase, final_session, movement_of,
                                    movement_sentence, nomination_rows, ordered, upper_first,
                                    verb)
from app.errors import NotFoundError
from app.nomination_states import STATE_LABELS, Procedure, State
from db.models import Nomination

TYPE_SYMBOL = "TTr"
# States in which a nomination may have its tờ trình: voted (and posted) under the standard
# procedure, checked under the simplified one, and later states for a reprint.
_STANDARD_STATES = frozenset({State.VOTED, State.PUBLIC_NOTICE, State.PROPOSED, State.APPROVED,
                              State.NOT_APPROVED})
_SIMPLIFIED_STATES = frozenset({State.CHECKED, State.PROPOSED, State.APPROVED, State.NOT_APPROVED})

COLUMNS = (Column("STT", 11, "center"), Column("Họ và tên (tên tập thể)", 48),
           Column("Chức vụ, đơn vị", 50), Column("Hình thức đề nghị", 45),
           Column("Tóm tắt thành tích", 66))


@dataclass(frozen=True)
class ProposalSource:
    setup: CommuneSetup
    nominees: tuple[Nominee, ...]
    day: date  # the default date: the «Trình cấp trên» step when taken, else today
    held_on: date | None  # the council session that voted them through
    summary: str  # prefilled summary of the movement and the review


class ProposalBuilder:
    kind = Kind.PROPOSAL

    def load(self, session: Session, owner: Owner, context: BuildContext) -> ProposalSource:
        if owner.type == "session":
            council = final_session(session, owner.id)
            nominees = [n for n in carried(session, council) if n.action == "propose"]
            if not nominees:
                raise DocumentError(
                    f"Phiên họp ngày {council.held_on:%d/%m/%Y} không có đề nghị nào được Hội đồng "
                    "biểu quyết đạt để trình cấp trên khen thưởng, nên không lập tờ trình. Các "
                    "đề nghị thuộc thẩm quyền của xã được khen thưởng bằng quyết định của xã.")
            held_on: date | None = council.held_on
            year = council.year
        elif owner.type == "nomination":
            nomination = _proposable(session, owner.id)
            voted_at = carrying_session(session, nomination.id)
            held_on = voted_at.held_on if voted_at else None
            nominees = nomination_rows(session, [nomination])
            year = nomination.year
        else:
            raise DocumentError(f"Tờ trình không in cho {owner}.")
        proposed = [n.proposed_on for n in nominees if n.proposed_on]
        day = max(proposed) if proposed else context.today
        movement = movement_of(session, nominees, year)
        summary = _summary(context.setup, nominees, held_on, movement_sentence(movement, context.setup))
        return ProposalSource(context.setup, tuple(nominees), day, held_on, summary)

    def fields(self, source: ProposalSource) -> list[TextField]:
        setup, day = source.setup, source.day
        upper = _upper(setup, day)
        basis = legal_basis(day)
        if source.held_on:
            basis.append("Căn cứ Biên bản họp Hội đồng Thi đua - Khen thưởng "
                         f"{commune_words(setup)} {in_words(source.held_on)};")
        return [
            TextField("number", "Số tờ trình (để trống để ghi tay)", ""),
            TextField("date", "Ngày tờ trình (ngày/tháng/năm; để trống để ghi tay)", day_text(day)),
            TextField("abstract", "Trích yếu", f"Về việc đề nghị tặng {_abstract_awards(source)}",
                      required=True),
            TextField("addressee", "Kính gửi", f"Chủ tịch Ủy ban nhân dân {upper}", required=True),
            TextField("basis", BASIS_LABEL, "\n".join(basis), multiline=True),
            TextField("summary", "Tóm tắt phong trào và kết quả bình xét", source.summary,
                      multiline=True),
            TextField("closing", "Câu kết",
                      f"Ủy ban nhân dân {commune_words(setup)} kính trình Chủ tịch Ủy ban nhân dân "
                      f"{upper.split(' ')[0]} xem xét, quyết định./.", multiline=True),
            *signer_fields(setup),
            TextField("recipients", "Nơi nhận (mỗi dòng một nơi)", "\n".join(_recipients(setup, day)),
                      multiline=True),
        ]

    def build(self, source: ProposalSource, texts: Mapping[str, str]) -> list[Document]:
        setup = source.setup
        number = number_line(texts["number"], TYPE_SYMBOL, setup.issuer_symbol)
        day = parse_day(texts["date"], "Ngày của tờ trình")
        body = [Para(line) for line in typed_lines(texts["basis"])]
        body += [Para(line) for line in typed_lines(texts["summary"])]
        body.append(Para(_request(source, texts["addressee"].strip())))
        body += [Para(line) for line in typed_lines(texts["closing"])]
        when = in_words(day) if day else f"ngày {BLANK_NUMBER} tháng {BLANK_NUMBER} năm {BLANK_NUMBER}"
        attached = Appendix(
            title=f"DANH SÁCH\n{upper_first(_list_subject(source))}",
            subtitle=f"(Kèm theo Tờ trình {number.replace('Số: ', 'số ')} {when} của Ủy ban nhân "
                     f"dân {commune_words(setup)})",
            blocks=(Table(COLUMNS, _rows(source.nominees)),), landscape=True)
        return [Document(
            kind=self.kind.value, header=commune_header(setup, number, date_line(setup.place_name, day)),
            type_name="TỜ TRÌNH", abstract=texts["abstract"].strip(), body=tuple(body),
            signatures=(signature(texts),), recipients=recipients(texts["recipients"]),
            addressee=tuple(typed_lines(texts["addressee"])), appendices=(attached,),
            title=f"Tờ trình {texts['abstract'].strip()}")]


def _proposable(session: Session, nomination_id: int) -> Nomination:
    """The nomination, when the upper level decides it and it has reached its proposal."""
    nomination = session.get(Nomination, nomination_id)
    if nomination is None:
        raise NotFoundError("Không tìm thấy đề nghị khen thưởng này; có thể nó đã bị xóa.")
    if nomination.action == "decide":
        raise DocumentError("Đề nghị này thuộc thẩm quyền quyết định của Chủ tịch Ủy ban nhân dân "
                            "xã, không lập tờ trình lên cấp trên.")
    state = State(nomination.state)
    allowed = _SIMPLIFIED_STATES if nomination.procedure == Procedure.SIMPLIFIED else _STANDARD_STATES
    if nomination.action != "propose" or state not in allowed:
        raise DocumentError(
            f"Đề nghị đang ở bước «{STATE_LABELS[state]}», chưa lập được tờ trình: tờ trình lập sau "
            "khi Hội đồng biểu quyết đạt (thủ tục đơn giản: sau khi kiểm tra điều kiện) và đề nghị "
            "thuộc thẩm quyền của cấp trên.")
    return nomination


def _upper(setup: CommuneSetup, day: date) -> str:
    """'tỉnh Đồng Nai'; before the reform the district, whose name the officer writes in."""
    if day < NEW_DECREE_FROM:
        return "huyện …"
    return f"tỉnh {setup.province_name}" if setup.province_name else "tỉnh …"


def _recipients(setup: CommuneSetup, day: date) -> list[str]:
    office = "Phòng Nội vụ huyện" if day < NEW_DECREE_FROM else \
        f"Sở Nội vụ tỉnh {setup.province_name}".strip()
    return ["Như trên", office, "Lưu: VT, TĐKT."]


def _abstract_awards(source: ProposalSource) -> str:
    """The awards of the abstract, with the year when all are one year's achievements."""
    nominees = source.nominees
    years = {n.year for n in nominees}
    yearly = len(years) == 1 and all(n.basis_kind == "annual_duty" for n in nominees)
    return awards_phrase(nominees) + (f" năm {years.pop()}" if yearly else "")


def _list_subject(source: ProposalSource) -> str:
    return f"đề nghị tặng {_abstract_awards(source)}"


def _summary(setup: CommuneSetup, nominees: list[Nominee], held_on: date | None,
             movement: str) -> str:
    """The prefilled summary: the movement, then the council's review or the feat."""
    if held_on is not None:
        review = (f"{upper_first(in_words(held_on))}, Hội đồng Thi đua - Khen thưởng xã đã họp xét; "
                  f"{count_phrase(nominees)} dưới đây được Hội đồng biểu quyết đạt tỷ lệ phiếu đồng "
                  "ý theo quy định, đủ điều kiện, tiêu chuẩn đề nghị cấp trên khen thưởng.")
        starts = [n.notice_starts_on for n in nominees if n.notice_starts_on]
        ends = [n.notice_ends_on for n in nominees if n.notice_ends_on]
        if starts and ends:
            review += (f" Danh sách đã được công khai từ {in_words(min(starts))} đến "
                       f"{in_words(max(ends))}.")
        return "\n".join(part for part in (movement, review) if part)
    nominee = nominees[0]
    who = nominee.name + (f" ({nominee.position})" if nominee.position else "")
    feat = nominee.summary.strip() or "…"
    return (f"{who} đã lập thành tích: {feat.rstrip('.')}. Trường hợp trên đủ điều kiện, tiêu chuẩn "
            "đề nghị khen thưởng theo thủ tục đơn giản (Điều 85 Luật Thi đua, khen thưởng).")


def _request(source: ProposalSource, addressee: str) -> str:
    """'Ủy ban nhân dân xã … kính đề nghị … xem xét, tặng … cho 02 tập thể và 03 cá nhân; …'."""
    parts = [f"{verb(code)} {group[0].award} cho {count_phrase(group)}"
             for code, group in by_award(source.nominees)]
    return (f"Ủy ban nhân dân {commune_words(source.setup)} kính đề nghị {addressee} xem xét, "
            f"{'; '.join(parts)} (có danh sách kèm theo).")


def _rows(nominees: tuple[Nominee, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple((str(serial), nominee.name, nominee.position, upper_first(nominee.award),
                  nominee.summary)
                 for serial, nominee in enumerate(ordered(nominees), start=1))


BUILDER = ProposalBuilder()
