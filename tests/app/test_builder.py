"""The helpers every document kind shares: typed numbers and dates, and the căn cứ field."""

from __future__ import annotations

from datetime import date

import pytest

from app.documents.builder import BASIS_LABEL, number_line, parse_day
from app.documents.model import DocumentError


@pytest.mark.parametrize("text", ["05/02/26", "5/2/226", "05/02/1999", "05/02/2101", "05/02/02026",
                                  "05/02/2026/1", "05/02/²⁰²⁶"])
def test_a_date_needs_a_four_digit_year_in_a_plausible_range(text: str) -> None:
    with pytest.raises(DocumentError, match=f"Ngày “{text}” không đúng"):
        parse_day(text, "Ngày")


def test_a_date_as_typed_day_month_year() -> None:
    assert parse_day(" 5/2/2026 ", "Ngày") == date(2026, 2, 5)
    assert parse_day("31/12/2100", "Ngày") == date(2100, 12, 31)
    assert parse_day("０５/０２/２０２６", "Ngày") == date(2026, 2, 5)  # as a Vietnamese IME may type
    assert parse_day("", "Ngày") is None


@pytest.mark.parametrize("text", ["²", "①", "5²", "٥", "-5", "5.0"])
def test_a_number_with_anything_but_digits_is_refused_in_vietnamese(text: str) -> None:
    with pytest.raises(DocumentError, match="Số văn bản .* không đúng"):
        number_line(text, "TTr", "UBND")


def test_a_number_typed_in_fullwidth_digits_prints_in_ascii() -> None:
    assert number_line("０５", "TTr", "UBND") == "Số: 05/TTr-UBND"
    assert number_line(" 5 ", "TTr", "UBND") == "Số: 05/TTr-UBND"


def test_the_basis_field_tells_the_officer_to_check_the_decree() -> None:
    assert "kiểm tra" in BASIS_LABEL and "Nghị định" in BASIS_LABEL
