"""Quyết định khen thưởng of the commune chairman (NĐ30 Mẫu 1.2/1.3 practice), with the list.

Printed for a decision: a draft with a blank number and date line for the clerk to write in,
an issued one with the number and date it took from the register. The text is what was
decided: Điều 1 the awards (with the list attached), Điều 2 each award's money and the total
from the items' reward amounts, Điều 3 who carries it out.

A revoked item stays in the decision as it was signed (revoking is a later act of its own,
L2022 chương VII): Điều 1 and 2 count it and the list keeps its row, marked «Đã thu hồi ngày …»
so a reprint cannot be mistaken for a standing award.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalogue import AWARDS, award_label
from app.commune import CommuneSetup
from app.council import FINAL, NOT_MOVED_NOTE
from app.decisions import ISSUED, issuer_text, signing_authority
from app.document_style import BLANK_NUMBER, format_money, format_number
from app.documents.builder import (BASIS_LABEL, BuildContext, commune_header, date_line, in_words,
                                   legal_basis, number_line, recipients, signature, typed_lines)
from app.documents.kinds import Kind, Owner, TextField
from app.documents.model import Appendix, Column, Document, DocumentError, Para, Table
from app.documents.nominees import (Nominee, commune_words, count_phrase, decision_rows, formal,
                                    two_digits, upper_first, verb)
from app.errors import NotFoundError
from db.models import CouncilSession, CouncilVote, Decision, DecisionItem, DocumentText, Subject

BASIS_REASONS = {"sudden": "đã có thành tích đột xuất",
                 "thematic": "đã có thành tích trong phong trào thi đua"}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


@dataclass(frozen=True)
class Item:
    """A line of the decision: who and what (as the other lists read it) and the money."""

    nominee: Nominee
    amount: int  # đồng


@dataclass(frozen=True)
class Minutes:
    """A council session that voted items of the decision, and the minutes' number if typed."""

    held_on: date
    number: str  # '03/BB-HĐTĐKT' or ''


@dataclass(frozen=True)
class DecisionSource:
    setup: CommuneSetup
    issued: bool
    number: str  # '05/QĐ-UBND' once issued
    decided_on: date | None
    year: int
    abstract: str
    sign_mode: str
    signer_title: str
    signer_name: str
    recipients: str
    items: tuple[Item, ...]
    minutes: tuple[Minutes, ...]


class DecisionTextBuilder:
    kind = Kind.DECISION

    def load(self, session: Session, owner: Owner, context: BuildContext) -> DecisionSource:
        decision = session.get(Decision, owner.id)
        if decision is None:
            raise NotFoundError("Không tìm thấy quyết định; có thể đã bị xóa.")
        # The list reads subjects as the other lists do (app/documents/nominees.py); the money is
        # matched back by nomination, award, year and name, which one decision never repeats.
        stored = session.execute(
            select(DecisionItem, Subject.name).join(Subject, Subject.id == DecisionItem.subject_id)
            .where(DecisionItem.decision_id == decision.id)).all()
        if not stored:
            raise DocumentError("Quyết định chưa có tập thể, cá nhân nào được khen thưởng. Hãy thêm "
                                "trước khi in.")
        amounts = {(i.nomination_id, i.award_code, i.year, name): i.reward_amount for i, name in stored}
        items = tuple(Item(n, amounts[(n.nomination_id, n.award_code, n.year, n.name)])
                      for n in decision_rows(session, decision))
        return DecisionSource(
            setup=context.setup, issued=decision.state == ISSUED, number=decision.number,
            decided_on=decision.decided_on, year=decision.year, abstract=decision.abstract,
            sign_mode=decision.sign_mode, signer_title=decision.signer_title,
            signer_name=decision.signer_name, recipients=decision.recipients,
            items=items,
            minutes=_minutes(session, [i.nomination_id for i, _name in stored if i.nomination_id],
                             decision.decided_on, context.setup))

    def fields(self, source: DecisionSource) -> list[TextField]:
        year = source.decided_on.year if source.decided_on else source.year
        return [
            TextField("basis", BASIS_LABEL, "\n".join(_basis(source)), multiline=True),
            TextField("article1", "Điều 1", _article1(source), multiline=True),
            TextField("funds", "Nguồn kinh phí khen thưởng",
                      f"Quỹ thi đua, khen thưởng của {commune_words(source.setup)} năm {year}"),
            TextField("article3", "Điều 3", _ARTICLE3, multiline=True),
            TextField("signer_authority", "Thẩm quyền ký (TM., KT.)", signing_authority(source.sign_mode)),
            TextField("signer_title", "Chức vụ người ký", source.signer_title or "CHỦ TỊCH"),
            TextField("signer_name", "Họ và tên người ký", source.signer_name, required=True),
            TextField("recipients", "Nơi nhận", source.recipients, multiline=True),
        ]

    def build(self, source: DecisionSource, texts: Mapping[str, str]) -> list[Document]:
        setup = source.setup
        header = commune_header(setup, _number_line(source),
                                date_line(setup.place_name, source.decided_on))
        body: list[Para] = [Para(f"CHỦ TỊCH ỦY BAN NHÂN DÂN {setup.issuing_body}", align="center",
                                 bold=True, indent=False)]
        body += [Para(line, italic=True) for line in typed_lines(texts["basis"])]
        body.append(Para("QUYẾT ĐỊNH:", align="center", bold=True, indent=False))
        body += _numbered("Điều 1.", texts["article1"])
        body += _article2(source, texts["funds"])
        body += _numbered("Điều 3.", texts["article3"])
        return [Document(
            kind=Kind.DECISION.value, header=header, type_name="QUYẾT ĐỊNH",
            abstract=source.abstract, body=tuple(body), signatures=(signature(texts),),
            recipients=recipients(texts["recipients"]), appendices=(_appendix(source),),
            title=f"Quyết định {source.number or '(dự thảo)'} {source.abstract}")]


BUILDER = DecisionTextBuilder()

_ARTICLE3 = ("Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Hội đồng nhân dân và "
             "Ủy ban nhân dân xã, công chức phụ trách công tác thi đua, khen thưởng, các cơ quan, "
             "đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi "
             "hành Quyết định này./.")


# Reading

def _minutes(session: Session, nomination_ids: Sequence[int], decided_on: date | None,
             setup: CommuneSetup) -> tuple[Minutes, ...]:
    """The final sessions whose vote carried the items: for each nomination the latest final
    session that voted on it (a correction replaces the session it corrects)."""
    latest: dict[int, tuple[CouncilSession, CouncilVote]] = {}
    for council, vote in session.execute(
            select(CouncilSession, CouncilVote)
            .join(CouncilVote, CouncilVote.session_id == CouncilSession.id)
            .where(CouncilVote.nomination_id.in_(nomination_ids), CouncilSession.state == FINAL)
            .order_by(CouncilSession.held_on, CouncilSession.id)):
        if decided_on is None or council.held_on <= decided_on:
            latest[vote.nomination_id] = (council, vote)
    councils = {council.id: council for council, vote in latest.values()
                if vote.passed and vote.within_quota and not vote.note.startswith(NOT_MOVED_NOTE)}
    numbers = dict(session.execute(select(DocumentText.session_id, DocumentText.fields).where(
        DocumentText.kind == Kind.MINUTES.value, DocumentText.session_id.in_(list(councils)))).all())
    result = [Minutes(council.held_on, _minutes_number(numbers.get(council.id, "{}"), setup))
              for council in councils.values()]
    return tuple(sorted(result, key=lambda m: m.held_on))


def _minutes_number(fields: str, setup: CommuneSetup) -> str:
    """The number the officer typed on the session's minutes, '' when none (or not a number)."""
    typed = str(json.loads(fields).get("number", "")).strip()
    if not typed.isdigit() or int(typed) < 1:
        return ""
    return format_number(int(typed), "BB", setup.council_symbol).removeprefix("Số: ")


# Prefilled text

def _basis(source: DecisionSource) -> list[str]:
    council = f"Hội đồng Thi đua - Khen thưởng {commune_words(source.setup)}"
    lines = legal_basis(source.decided_on)
    for minutes in source.minutes:
        lines.append(f"Căn cứ Biên bản số {minutes.number} {in_words(minutes.held_on)} của {council};"
                     if minutes.number else
                     f"Căn cứ Biên bản họp {council} {in_words(minutes.held_on)};")
    lines.append("Theo đề nghị của Công chức phụ trách công tác thi đua, khen thưởng.")
    return lines


def _article1(source: DecisionSource) -> str:
    """One sentence per award: who is given what, for which achievement, list attached."""
    sentences = [_award_sentence(source, [i.nominee for i in items])
                 for items in _by_award(source.items).values()]
    if len(sentences) == 1:
        return f"{sentences[0]} (có danh sách kèm theo)."
    lines = ["Khen thưởng các tập thể, cá nhân sau (có danh sách kèm theo):"]
    lines += [f"{n}. {s}{'.' if n == len(sentences) else ';'}" for n, s in enumerate(sentences, start=1)]
    return "\n".join(lines)


def _award_sentence(source: DecisionSource, nominees: list[Nominee]) -> str:
    first = nominees[0]
    given = f"{upper_first(verb(first.award_code))} {_award_words(first.award_code)}"
    if _is_title(first.award_code):
        return f"{given} năm {first.year} cho {count_phrase(nominees)}"
    return f"{given} cho {count_phrase(nominees)} {_reason(source, first)}"


def _reason(source: DecisionSource, nominee: Nominee) -> str:
    """What a Giấy khen is for: from the abstract ('Về việc khen thưởng thành tích …') when it
    says so, else from the kind of achievement."""
    words = source.abstract.strip().removeprefix("Về việc khen thưởng").strip()
    if words.startswith("thành tích"):
        return f"đã có {words}"
    return BASIS_REASONS.get(nominee.basis_kind,
                             f"đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {nominee.year}")


# Body

def _number_line(source: DecisionSource) -> str:
    if source.issued and source.number:
        return f"Số: {source.number}"
    return number_line("", "QĐ", source.setup.issuer_symbol)


def _article2(source: DecisionSource, funds: str) -> list[Para]:
    """The money: each award and kind of subject at its amount, and the total, in figures."""
    paid = [i for i in source.items if i.amount]
    if not paid:
        return [Para("Các danh hiệu, hình thức khen thưởng tại Điều 1 không kèm theo tiền thưởng.",
                     lead="Điều 2.")]
    groups = list(_groups(paid, lambda i: (i.nominee.award_code, i.nominee.word or i.nominee.kind,
                                           i.amount)).values())
    awards = {i.nominee.award_code for i in paid}
    if len(awards) == 1:  # the award is named once, in the heading
        paras = [_label(f"Tiền thưởng kèm theo {_award_words(paid[0].nominee.award_code)}:")]
    else:
        paras = [_label("Tiền thưởng kèm theo:")]
    for number, items in enumerate(groups, start=1):
        first = items[0]
        award = "" if len(awards) == 1 else \
            f"{upper_first(_award_words(first.nominee.award_code))}: "
        paras.append(Para(
            f"- {award}{count_phrase([i.nominee for i in items])} × {format_money(first.amount)} đồng = "
            f"{format_money(first.amount * len(items))} đồng{'.' if number == len(groups) else ';'}"))
    paras.append(Para(f"Tổng số tiền thưởng: {format_money(sum(i.amount for i in paid))} đồng."))
    if funds.strip():
        paras.append(Para(f"Nguồn kinh phí: {funds.strip().rstrip('.')}."))
    return paras


def _numbered(label: str, text: str) -> list[Para]:
    """'Điều 3. …' on the first typed line; further lines are paragraphs of their own."""
    lines = typed_lines(text) or [""]
    return [Para(lines[0], lead=label), *(Para(line) for line in lines[1:])]


def _appendix(source: DecisionSource) -> Appendix:
    """DANH SÁCH kèm theo: one table per award with its subtotal, a total when several."""
    if source.issued and source.number and source.decided_on:
        reference = f"số {source.number} {in_words(source.decided_on)}"
    else:
        reference = (f"số {BLANK_NUMBER}/QĐ-{source.setup.issuer_symbol} ngày {BLANK_NUMBER} "
                     f"tháng {BLANK_NUMBER} năm {BLANK_NUMBER}")
    issuer = formal(issuer_text(source.setup))
    blocks: list[Para | Table] = []
    groups = _by_award(source.items)
    for index, items in enumerate(groups.values()):
        first = items[0].nominee
        if len(groups) > 1:
            title = upper_first(_award_words(first.award_code)) + (
                f" năm {first.year}" if _is_title(first.award_code) else "")
            blocks.append(Para(f"{ROMAN[index] if index < len(ROMAN) else index + 1}. {title}",
                               align="left", bold=True, indent=False, keep_with_next=True))
        rows = [(str(n), _name_cell(item.nominee), item.nominee.position,
                 formal(award_label(item.nominee.award_code)), format_money(item.amount) if item.amount else "")
                for n, item in enumerate(items, start=1)]
        rows.append(("", "Cộng", "", "", format_money(sum(i.amount for i in items))))
        blocks.append(Table(columns=(
            Column("STT", 0.6, "center"), Column("Họ và tên / tên tập thể", 2.7),
            Column("Chức vụ, đơn vị", 2.8), Column("Danh hiệu, hình thức", 2.1),
            Column("Số tiền thưởng (đồng)", 1.5, "right")), rows=tuple(rows), font_size=12))
    if len(groups) > 1:
        blocks.append(Para(f"Tổng cộng: {two_digits(len(source.items))} trường hợp, "
                           f"{format_money(sum(i.amount for i in source.items))} đồng.",
                           align="left", bold=True, indent=False))
    return Appendix(title="DANH SÁCH", subtitle=f"(Kèm theo Quyết định {reference} của {issuer})",
                    blocks=tuple(blocks))


def _name_cell(nominee: Nominee) -> str:
    if nominee.revoked_on is None:
        return nominee.name
    return f"{nominee.name}\n(Đã thu hồi ngày {nominee.revoked_on:%d/%m/%Y})"


# Words

def _by_award(items: Sequence[Item]) -> dict[Hashable, list[Item]]:
    return _groups(items, lambda i: (i.nominee.award_code, i.nominee.year))


def _groups(items: Sequence[Item], key: Callable[[Item], Hashable]) -> dict[Hashable, list[Item]]:
    """Items by `key`, in the order the keys first appear."""
    groups: dict[Hashable, list[Item]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def _label(text: str) -> Para:
    """Điều 2's opening line, kept with the amounts under it."""
    return Para(text, keep_with_next=True, lead="Điều 2.")


def _is_title(code: str) -> bool:
    kind = AWARDS.get(code)
    return bool(kind and kind.is_title)


def _award_words(code: str) -> str:
    """'danh hiệu “Lao động tiên tiến”' or 'Giấy khen của Chủ tịch Ủy ban nhân dân xã'."""
    label = formal(award_label(code))
    return f"danh hiệu “{label}”" if _is_title(code) else label
