"""Vietnamese text: NFC normalisation, diacritic folding for search, and collation.

Collation is hand-written because the rule is small and fixed (29 letters, 6 tones)
and the only library that implements it, PyICU, has no reliable Windows wheels.
Order: base letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y compare first;
tones (ngang, huyền, hỏi, ngã, sắc, nặng) only break ties within a word, as in dictionaries.
People are sorted by given name, then middle names, then family name.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# Foreign letters (f, j, w, z) appear in some names; they take their Latin places.
_ORDER = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
WORD_SEPARATOR = "\x03"
LEVEL_SEPARATOR = "\x02"
# Tone marks are the secondary level; the other combining marks form letters (ă, â, ơ...).
TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng

_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str | None) -> str:
    """NFC with surrounding and repeated inner spaces removed: how every typed name is stored."""
    return " ".join(nfc(text or "").split())


def fold(text: str) -> str:
    """Lower case without any diacritic, đ included: 'Đặng Đức' -> 'dang duc'."""
    decomposed = unicodedata.normalize("NFD", text.lower().translate(_FOLD_TABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=8192)
def _letters_and_tones(word: str) -> tuple[str, str]:
    """Primary key (letters in alphabet order) and secondary key (tones) of one word.

    Cached: names repeat the same few hundred words, and an import sorts thousands of them.
    """
    primary: list[str] = []
    tones: list[str] = []
    for cluster in _clusters(unicodedata.normalize("NFD", word.lower())):
        if cluster.isdecimal():  # one whole number: see _clusters
            primary.append(_number_rank(cluster))
            tones.append("0" * len(cluster))
            continue
        base, marks = cluster[0], cluster[1:]
        tone = 0
        letter = base
        for mark in marks:
            if mark in TONE_MARKS:
                tone = TONE_MARKS[mark]
            elif mark == "\u0306" and base == "a":
                letter = "ă"
            elif mark == "\u0302" and base in "aeo":
                letter = {"a": "â", "e": "ê", "o": "ô"}[base]
            elif mark == "\u031b" and base in "ou":
                letter = {"o": "ơ", "u": "ư"}[base]
        primary.append(_rank(letter))
        tones.append(chr(0x30 + tone))
    return "".join(primary), "".join(tones)


def _clusters(decomposed: str) -> list[str]:
    """Letters with their combining marks, and each run of digits as one number."""
    clusters: list[str] = []
    for ch in decomposed:
        if clusters and (unicodedata.combining(ch)
                         or (ch.isdecimal() and clusters[-1].isdecimal())):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def _rank(letter: str) -> str:
    """A character whose code point order is the Vietnamese letter order.

    Letters in ALPHABET order (numbers, see _number_rank, come before them), anything else after.
    """
    index = _ORDER.find(letter)
    if index >= 0:
        return chr(0x100 + index)
    return chr(0x200 + ord(letter))


def _number_rank(digits: str) -> str:
    """Numbers sort by value and before letters: 'Tổ dân phố 2' before 'Tổ dân phố 10'.

    The count of significant digits comes first, so a shorter number is a smaller one.
    """
    significant = digits.lstrip("0") or "0"
    return chr(0x40 + min(len(significant), 0x1F)) + "".join(chr(0x60 + int(d)) for d in significant)


def collation_key(words: list[str]) -> str:
    """Binary-sortable key for a sequence of words compared in the given order.

    Each word is compared whole (letters, then its tones) before the next word, so every
    "Anh" comes before every "Ánh" and people with the same given name stay together.
    """
    # The separators sort below every letter, so 'An' < 'An Bình' < 'Anh'.
    return WORD_SEPARATOR.join(
        primary + LEVEL_SEPARATOR + tones for primary, tones in map(_letters_and_tones, words)
    )


def person_sort_key(full_name: str) -> str:
    """Vietnamese order for a full name: given name, then middle names, then family name."""
    words = clean(full_name).split()
    if not words:
        return ""
    reordered = [words[-1], *words[1:-1], words[0]] if len(words) > 1 else words
    return collation_key(reordered)


def name_sort_key(name: str) -> str:
    """Vietnamese order for a collective, household or village name, word by word."""
    return collation_key(clean(name).split())
