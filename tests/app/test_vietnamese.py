"""Folding for search and Vietnamese collation of names."""

from __future__ import annotations

import unicodedata

import pytest

from app.subject_data import fts_query
from app.vietnamese import clean, fold, name_sort_key, person_sort_key


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đặng", "dang"),
        ("Đức", "duc"),
        ("đ", "d"),
        ("NGUYỄN THỊ ÁNH", "nguyen thi anh"),
        ("Ưng Hoàng Phúc", "ung hoang phuc"),
        ("Thôn Ơn Đồng", "thon on dong"),
    ],
)
def test_fold_removes_every_diacritic_including_d_stroke(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_is_the_same_for_composed_and_decomposed_input() -> None:
    name = "Phạm Thị Hường"
    assert fold(unicodedata.normalize("NFD", name)) == fold(name) == "pham thi huong"


def test_clean_normalises_to_nfc_and_collapses_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "  Lê   Văn  Tám ")
    assert clean(decomposed) == "Lê Văn Tám"
    assert unicodedata.is_normalized("NFC", clean(decomposed))


def test_fts_query_makes_each_word_a_prefix() -> None:
    assert fts_query("Đặng đ") == 'search_text:"dang"* search_text:"d"*'
    assert fts_query("  ") is None
    assert fts_query('"; DROP') == 'search_text:"drop"*'
    assert fts_query("an", "village") == 'search_text:"an"* kind:"village"'


def _sorted(names: list[str]) -> list[str]:
    return sorted(names, key=person_sort_key)


def test_people_sort_by_given_name_then_middle_then_family() -> None:
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn An", "Phạm An"]
    assert _sorted(names) == ["Phạm An", "Nguyễn Thị An", "Lê Văn An", "Trần Văn Bình"]


def test_vietnamese_letters_follow_the_alphabet_not_unicode() -> None:
    # a < ă < â, d < đ, o < ô < ơ, u < ư: Unicode order would put Đ after every Latin letter.
    names = ["Lê Đào", "Lê Dung", "Lê Ân", "Lê Ăn", "Lê An", "Lê Em", "Lê Ơn", "Lê Ôn", "Lê On"]
    assert _sorted(names) == ["Lê An", "Lê Ăn", "Lê Ân", "Lê Dung", "Lê Đào", "Lê Em",
                              "Lê On", "Lê Ôn", "Lê Ơn"]


def test_tones_break_ties_only_within_the_same_letters() -> None:
    # ngang, huyền, hỏi, ngã, sắc, nặng
    names = ["Lê Vị", "Lê Ví", "Lê Vĩ", "Lê Vỉ", "Lê Vì", "Lê Vi"]
    assert _sorted(names) == ["Lê Vi", "Lê Vì", "Lê Vỉ", "Lê Vĩ", "Lê Ví", "Lê Vị"]
    # Every "Anh" before every "Ánh", whatever the middle name.
    assert _sorted(["Trần Thị Ánh", "Lê Văn Anh"]) == ["Lê Văn Anh", "Trần Thị Ánh"]


def test_shorter_given_name_comes_first() -> None:
    assert _sorted(["Lê Anh", "Lê An"]) == ["Lê An", "Lê Anh"]


def test_single_word_and_empty_names_do_not_fail() -> None:
    assert person_sort_key("") == ""
    assert person_sort_key("Vân") < person_sort_key("Xuân")


def test_collective_names_sort_word_by_word() -> None:
    names = ["Trường Tiểu học Đông Hòa", "Trường Mầm non Sơn Ca", "Trạm Y tế"]
    assert sorted(names, key=name_sort_key) == [
        "Trạm Y tế", "Trường Mầm non Sơn Ca", "Trường Tiểu học Đông Hòa"
    ]


def test_numbers_in_names_sort_by_value() -> None:
    names = ["Tổ dân phố 10", "Tổ dân phố 2", "Tổ dân phố 1", "Tổ dân phố 12", "Tổ dân phố 02A",
             "Thôn 3", "Tổ dân phố Bắc"]
    assert sorted(names, key=name_sort_key) == [
        "Thôn 3", "Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 02A", "Tổ dân phố 10",
        "Tổ dân phố 12", "Tổ dân phố Bắc",
    ]
