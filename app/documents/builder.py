"""What every document kind provides, and the parts the kinds share (header, signer, dates).

A kind is one module with one `Builder`:
- `load(session, owner, context)` reads what the document needs into a frozen dataclass (the
  "source"); it raises `NotFoundError`/`DocumentError` when the owner cannot have this document;
- `fields(source)` lists the text the officer may edit, prefilled from the source;
- `build(source, texts)` returns the `Document`s, using `texts[key]` for every field.
`load` is the only step that touches the database, so building is pure and testable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy.orm import Session

from app.commune import CommuneSetup
from app.document_style import BLANK_NUMBER, format_date, format_date_line, format_number
from app.documents.kinds import Kind, Owner, TextField
from app.documents.model import Document, DocumentError, Header, Signature


@dataclass(frozen=True)
class BuildContext:
    """What every document needs besides its owner: the commune and today's date in Việt Nam."""

    setup: CommuneSetup
    today: date


class Builder(Protocol):
    kind: Kind

    def load(self, session: Session, owner: Owner, context: BuildContext) -> Any: ...

    def fields(self, source: Any) -> list[TextField]: ...

    def build(self, source: Any, texts: Mapping[str, str]) -> list[Document]: ...


# Signer fields most kinds offer, so the officer can correct who signs before printing.
SIGN_AUTHORITY = "TM. ỦY BAN NHÂN DÂN"


def commune_header(setup: CommuneSetup, number: str, place_date: str) -> Header:
    """'ỦY BAN NHÂN DÂN' / 'XÃ PHƯỚC TÂN' (NĐ30 practice for a commune)."""
    return Header(issuing_body=("ỦY BAN NHÂN DÂN", setup.issuing_body), number=number,
                  place_date=place_date)


def council_header(setup: CommuneSetup, number: str, place_date: str) -> Header:
    """The council issues in its own name under the commune's UBND (its own number series)."""
    return Header(issuing_body=("HỘI ĐỒNG THI ĐUA", "KHEN THƯỞNG"), number=number,
                  place_date=place_date, parent_body=f"UBND {setup.issuing_body}")


# Fullwidth digits, which a Vietnamese input method may type, read as ASCII ones. Other
# characters str.isdigit() accepts ('²', '①', Arabic digits) are refused: int() rejects some
# of them and none belongs in a document number.
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_NUMBER = re.compile(r"[0-9]+")
_DAY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
# A 2-digit year ('05/02/26') would print as year 26 and pick the law of year 26; a year
# outside this range is a typing slip for any document the commune prints.
_YEARS = range(2000, 2101)


def number_line(number_text: str, type_symbol: str, issuer_symbol: str) -> str:
    """'Số: 05/TTr-UBND' from what the officer typed ('5', '05' or nothing for a blank)."""
    text = number_text.strip()
    if not text:
        return format_number(None, type_symbol, issuer_symbol)
    digits = text.translate(_FULLWIDTH_DIGITS)
    if not _NUMBER.fullmatch(digits) or int(digits) < 1:
        raise DocumentError(f"Số văn bản “{text}” không đúng: chỉ gõ số thứ tự (ví dụ 5).")
    return format_number(int(digits), type_symbol, issuer_symbol)


def parse_day(text: str, label: str) -> date | None:
    """A date typed as dd/mm/yyyy with a 4-digit year; empty gives None (the line is left
    blank to fill by hand)."""
    text = text.strip()
    if not text:
        return None
    match = _DAY.fullmatch(text.translate(_FULLWIDTH_DIGITS))
    try:
        if not match or int(match[3]) not in _YEARS:
            raise ValueError(text)
        return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError as error:
        raise DocumentError(f"{label} “{text}” không đúng: hãy gõ ngày/tháng/năm với năm đủ bốn "
                            "chữ số, ví dụ 05/02/2026.") from error


def date_line(place: str, day: date | None) -> str:
    """The italic place-and-date line; a blank to fill in by hand when no date is set."""
    if day is None:
        return f"{place}, ngày {BLANK_NUMBER} tháng {BLANK_NUMBER} năm {BLANK_NUMBER}"
    return format_date_line(place, day)


def day_text(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def in_words(day: date) -> str:
    """'ngày 05 tháng 02 năm 2026', for sentences."""
    return format_date(day)


def signature(texts: Mapping[str, str], prefix: str = "signer") -> Signature:
    """The signer block from the `<prefix>_authority`, `_title` and `_name` fields."""
    return Signature(title=texts[f"{prefix}_title"], name=texts[f"{prefix}_name"],
                     authority=texts.get(f"{prefix}_authority", ""))


def signer_fields(setup: CommuneSetup, prefix: str = "signer") -> list[TextField]:
    """The chairman signing for the UBND (TM.), editable to a vice-chairman (KT.)."""
    chairman = setup.people("chairman")
    return [
        TextField(f"{prefix}_authority", "Thẩm quyền ký (TM., KT.)", SIGN_AUTHORITY),
        TextField(f"{prefix}_title", "Chức vụ người ký", "CHỦ TỊCH"),
        TextField(f"{prefix}_name", "Họ và tên người ký", chairman[0].full_name if chairman else "",
                  required=True),
    ]


def recipients(text: str) -> tuple[str, ...]:
    """Recipient lines as NĐ30 writes them: '- ' first, ';' at the end, '.' on the last."""
    lines = [line.strip().lstrip("-").strip().rstrip(";.").strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    return tuple(f"- {line}{'.' if i == len(lines) - 1 else ';'}" for i, line in enumerate(lines))


def merged(fields: Sequence[TextField], saved: Mapping[str, str]) -> dict[str, str]:
    """The text each field prints: the saved edit if any, else the prefilled default."""
    return {field.key: saved.get(field.key, field.default) for field in fields}


# The decree detailing L2022 changed on 01/07/2025 (domain reference §0: NĐ98 until
# 30/06/2025, NĐ152 from 01/07/2025, whose effective date is UNCONFIRMED, hence the editable
# fields every document keeps these lines in).
NEW_DECREE_FROM = date(2025, 7, 1)

# The label of the editable "Căn cứ" field: the decree's title and date come from secondary
# sources (domain reference §0 marks NĐ152 UNCONFIRMED), so the officer is asked to check them.
# Short: the dialog shows it on one line above the field.
BASIS_LABEL = "Căn cứ (mỗi dòng một căn cứ; hãy kiểm tra lại số, ngày, tên Nghị định)"


def legal_basis(day: date | None) -> list[str]:
    """The 'Căn cứ' lines every TĐKT document starts from, for the law in force on `day`.

    The provincial regulation is left with blanks: its number differs by province and the
    officer fills it in (the lines are editable before printing)."""
    decree = ("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định "
              "về phân cấp, phân quyền và chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;"
              if day is None or day >= NEW_DECREE_FROM else
              "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định "
              "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;")
    return [
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        decree,
        "Căn cứ Quyết định số …/…/QĐ-UBND ngày … của Ủy ban nhân dân tỉnh về công tác thi đua, "
        "khen thưởng;",
    ]


def typed_lines(text: str) -> list[str]:
    """The non-empty lines of a multi-line field, each a paragraph of its own."""
    return [line.strip() for line in text.splitlines() if line.strip()]
