from __future__ import annotations

from datetime import date

import pytest

from app.document_style import (
    BLANK_NUMBER,
    format_date,
    format_date_line,
    format_money,
    format_number,
    is_valid_symbol,
    normalize_symbol,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (date(2026, 1, 31), "ngày 31 tháng 01 năm 2026"),
        (date(2025, 3, 9), "ngày 09 tháng 3 năm 2025"),
        (date(2025, 9, 10), "ngày 10 tháng 9 năm 2025"),
        (date(2025, 12, 1), "ngày 01 tháng 12 năm 2025"),
        (date(2025, 10, 15), "ngày 15 tháng 10 năm 2025"),
    ],
)
def test_date_pads_days_below_ten_and_only_the_first_two_months(day: date, expected: str) -> None:
    assert format_date(day) == expected


def test_date_line_starts_with_the_cleaned_place_name() -> None:
    assert format_date_line("  Phước   Tân ", date(2026, 2, 5)) == "Phước Tân, ngày 05 tháng 02 năm 2026"


def test_number_gets_a_leading_zero_below_ten() -> None:
    assert format_number(5, "TTr", "UBND") == "Số: 05/TTr-UBND"
    assert format_number(3, "BB", "HĐTĐKT") == "Số: 03/BB-HĐTĐKT"
    assert format_number(10, "QĐ", "UBND") == "Số: 10/QĐ-UBND"
    assert format_number(125, "QĐ", "UBND") == "Số: 125/QĐ-UBND"


def test_official_letter_has_no_type_symbol() -> None:
    assert format_number(12, None, "UBND-VP") == "Số: 12/UBND-VP"
    assert format_number(12, "", "UBND-VP") == "Số: 12/UBND-VP"


def test_unnumbered_draft_leaves_a_blank_for_the_clerk() -> None:
    assert format_number(None, "TTr", "UBND") == f"Số: {BLANK_NUMBER}/TTr-UBND"


def test_number_zero_is_refused() -> None:
    with pytest.raises(ValueError):
        format_number(0, "TTr", "UBND")


@pytest.mark.parametrize("symbol", ["UBND", "HĐTĐKT", "UBND-VP", "HĐ2"])
def test_valid_symbols(symbol: str) -> None:
    assert is_valid_symbol(symbol)


@pytest.mark.parametrize("symbol", ["", "UBND XÃ", "UBND XA", "ubnd", "UBND-", "-UBND", "UBND--VP", "UBND/VP"])
def test_invalid_symbols(symbol: str) -> None:
    assert not is_valid_symbol(symbol)


def test_normalize_symbol_upper_cases_and_trims() -> None:
    assert normalize_symbol("  hđtđkt ") == "HĐTĐKT"
    assert normalize_symbol("ubnd xã") == "UBND XÃ"


def test_money_is_grouped_with_dots_as_vietnamese_documents_write_it() -> None:
    assert format_money(15_620_000) == "15.620.000"
    assert format_money(710_000) == "710.000"
    assert format_money(0) == "0"
