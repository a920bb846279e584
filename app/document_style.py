"""How printed documents write their number, symbol and date line.

The rules are those of Nghị định 30/2020/NĐ-CP on clerical work (NĐ30), Phụ lục I and III:
- "Số" is followed by the document's serial number in the year; numbers below 10 get a
  leading 0, then "/" and the symbol, whose groups are joined by "-" without spaces:
  `Số: 05/TTr-UBND`; a công văn has no type code: `Số: 12/UBND-VP`.
- Symbols are upper-case letters and digits (Đ included).
- The date line reads `<địa danh>, ngày 05 tháng 02 năm 2026`: days below 10 and the months
  1 and 2 get a leading 0, the other months do not (`tháng 3`, `tháng 12`).
"""

from __future__ import annotations

import re
from datetime import date

from app.vietnamese import clean

# Letters of a symbol after upper-casing; accented capitals other than Đ are not allowed.
_SYMBOL = re.compile(r"^[A-ZĐ0-9]+(-[A-ZĐ0-9]+)*$")

# Left for the clerk to write in by hand when a draft is printed before it is numbered.
BLANK_NUMBER = "\u00a0" * 6

# Completes a sentence such as "Ký hiệu ... không đúng: <rule>."
SYMBOL_RULE = "chỉ gồm chữ in hoa, chữ số và dấu “-” giữa các nhóm (ví dụ UBND, HĐTĐKT)"


def normalize_symbol(text: str) -> str:
    """A typed symbol the way it is stored: NFC, no surrounding spaces, upper case."""
    return clean(text).upper()


def is_valid_symbol(symbol: str) -> bool:
    """Whether an already normalized symbol follows NĐ30 (upper-case groups joined by '-')."""
    return bool(_SYMBOL.match(symbol))


def format_date(day: date) -> str:
    """'ngày 05 tháng 02 năm 2026': leading 0 for days below 10 and for months 1 and 2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def format_date_line(place: str, day: date) -> str:
    """The place-and-date line under the national motto: 'Phước Tân, ngày 05 tháng 02 năm 2026'."""
    return f"{clean(place)}, {format_date(day)}"


def format_number(number: int | None, type_symbol: str | None, issuer_symbol: str) -> str:
    """'Số: 05/TTr-UBND'; without a type symbol (công văn) 'Số: 12/UBND-VP'.

    `number` None leaves a blank for the clerk, as on drafts printed before registration.
    """
    if number is not None and number < 1:
        raise ValueError(f"document numbers start at 1, got {number}")
    serial = BLANK_NUMBER if number is None else f"{number:02d}"
    symbol = f"{type_symbol}-{issuer_symbol}" if type_symbol else issuer_symbol
    return f"Số: {serial}/{symbol}"


def format_money(amount: int) -> str:
    """15620000 → '15.620.000': Vietnamese digit grouping, as amounts are written in documents."""
    return f"{amount:,}".replace(",", ".")
