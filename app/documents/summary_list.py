"""Danh sách trích ngang: a landscape list of the nominations a council session voted
through, or of the items of a decision, one line each with the facts a dossier asks for
(name, birth year under the sex, position and unit, ethnicity, award, vote or decision).

Signed on the left by who drew it up (the commune's TĐKT officer, «NGƯỜI LẬP DANH SÁCH»)
and on the right by the chairman for the UBND, as lists sent with a dossier are; emptying
the preparer's name leaves the left block out. Rows are ordered as app/documents/nominees.py
orders them: by award, collectives before individuals, then name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.commune import CommuneSetup
from app.documents.builder import (BuildContext, commune_header, date_line, day_text, in_words,
                                   parse_day, signature, signer_fields)
from app.documents.kinds import Kind, Owner, TextField
from app.documents.model import Column, Document, DocumentError, Signature, Table
from app.documents.nominees import (Nominee, carried, commune_words, decision_rows, final_session,
                                    movement_of, ordered, review_phrase, upper_first, whom)
from app.errors import NotFoundError
from db.models import Decision

PREPARER_TITLE = "NGƯỜI LẬP DANH SÁCH"


@dataclass(frozen=True)
class SummarySource:
    setup: CommuneSetup
    owner_type: str  # session / decision
    nominees: tuple[Nominee, ...]
    day: date  # default date of the list: the decision's, else today
    abstract: str  # prefilled
    decision_number: str  # "01/QĐ-UBND ngày 16/01/2025" for a decision; "" otherwise


class SummaryListBuilder:
    kind = Kind.SUMMARY

    def load(self, session: Session, owner: Owner, context: BuildContext) -> SummarySource:
        setup = context.setup
        if owner.type == "session":
            council = final_session(session, owner.id)
            nominees = carried(session, council)
            if not nominees:
                raise DocumentError(f"Phiên họp ngày {council.held_on:%d/%m/%Y} không có đề nghị nào "
                                    "được Hội đồng biểu quyết đạt, nên không có danh sách trích ngang.")
            review = review_phrase(movement_of(session, nominees, council.year), council.year)
            abstract = (f"Các {whom(nominees)} được Hội đồng Thi đua - Khen thưởng xã biểu quyết đề "
                        f"nghị khen thưởng {review} (phiên họp {in_words(council.held_on)})")
            return SummarySource(setup, "session", tuple(nominees), context.today, abstract, "")
        if owner.type == "decision":
            decision = session.get(Decision, owner.id)
            if decision is None:
                raise NotFoundError("Không tìm thấy quyết định; có thể đã bị xóa.")
            nominees = decision_rows(session, decision)
            if not nominees:
                raise DocumentError("Quyết định chưa có tập thể, cá nhân nào được khen thưởng, nên "
                                    "không có danh sách trích ngang.")
            issued = bool(decision.number) and decision.decided_on is not None
            number = f"{decision.number} ngày {decision.decided_on:%d/%m/%Y}" if issued else ""
            chairman = f"Chủ tịch Ủy ban nhân dân {commune_words(setup)}"
            abstract = (f"Các {whom(nominees)} được khen thưởng theo Quyết định số {decision.number} "
                        f"{in_words(decision.decided_on)} của {chairman}" if issued else
                        f"Các {whom(nominees)} đề nghị khen thưởng (dự thảo quyết định của {chairman})")
            return SummarySource(setup, "decision", tuple(nominees),
                                 decision.decided_on or context.today, abstract, number)
        raise DocumentError(f"Danh sách trích ngang không in cho {owner}.")

    def fields(self, source: SummarySource) -> list[TextField]:
        officer = source.setup.people("officer")
        return [
            TextField("date", "Ngày lập danh sách (ngày/tháng/năm; để trống để ghi tay)",
                      day_text(source.day)),
            TextField("abstract", "Trích yếu (dòng dưới tên danh sách)", source.abstract,
                      multiline=True, required=True),
            TextField("preparer_title", "Người lập danh sách: chức danh", PREPARER_TITLE),
            TextField("preparer_name", "Người lập danh sách: họ và tên (để trống thì không in)",
                      officer[0].full_name if officer else ""),
            *signer_fields(source.setup),
        ]

    def build(self, source: SummarySource, texts: Mapping[str, str]) -> list[Document]:
        setup = source.setup
        day = parse_day(texts["date"], "Ngày lập danh sách")
        signatures: tuple[Signature, ...] = (signature(texts),)
        if texts["preparer_name"].strip():
            signatures = (Signature(texts["preparer_title"].strip() or PREPARER_TITLE,
                                    texts["preparer_name"].strip()), *signatures)
        table = Table(_columns(source.owner_type), _rows(source), font_size=12)
        return [Document(
            kind=self.kind.value, header=commune_header(setup, "", date_line(setup.place_name, day)),
            type_name="DANH SÁCH TRÍCH NGANG", abstract=" ".join(texts["abstract"].split()),
            body=(table,), signatures=signatures, landscape=True,
            title=f"Danh sách trích ngang {texts['abstract'].strip()}")]


def _columns(owner_type: str) -> tuple[Column, ...]:
    result = ("Kết quả biểu quyết (số phiếu đồng ý, tỷ lệ)" if owner_type == "session"
              else "Số, ngày quyết định")
    return (Column("STT", 12, "center"), Column("Họ và tên", 46), Column("Năm sinh Nam", 15, "center"),
            Column("Năm sinh Nữ", 15, "center"), Column("Chức vụ, đơn vị", 56),
            Column("Dân tộc", 15, "center"), Column("Danh hiệu, hình thức khen thưởng", 42),
            Column(result, 32, "center"), Column("Ghi chú", 30))


def _rows(source: SummarySource) -> tuple[tuple[str, ...], ...]:
    rows = []
    for serial, nominee in enumerate(ordered(source.nominees), start=1):
        born = str(nominee.birth_year) if nominee.birth_year else ""
        result = nominee.vote_text if source.owner_type == "session" else source.decision_number
        rows.append((str(serial), nominee.name, "" if nominee.female else born,
                     born if nominee.female else "", nominee.position, nominee.ethnicity,
                     upper_first(nominee.award), result, _note(source.owner_type, nominee)))
    return tuple(rows)


def _note(owner_type: str, nominee: Nominee) -> str:
    if nominee.revoked_on:
        return f"Đã thu hồi ngày {nominee.revoked_on:%d/%m/%Y}"
    if owner_type == "session":
        return "Trình cấp trên khen thưởng" if nominee.action == "propose" else "Xã khen thưởng"
    return ""


BUILDER = SummaryListBuilder()
