"""Which print font is chosen, and that no chosen font prints Vietnamese letters as boxes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from app import fonts

LIBERATION = Path("/usr/share/fonts/truetype/liberation2")
FACES = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "BoldItalic"}
TIMES_FILES = {"regular": "times.ttf", "bold": "timesbd.ttf", "italic": "timesi.ttf",
               "bold_italic": "timesbi.ttf"}

needs_liberation = pytest.mark.skipif(not (LIBERATION / "LiberationSerif-Regular.ttf").exists(),
                                      reason="fonts-liberation2 is not installed")


def liberation(face: str) -> Path:
    return LIBERATION / f"LiberationSerif-{FACES[face]}.ttf"


@pytest.fixture(scope="session")
def noto_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of the cut Noto Serif instances for the whole run (cutting takes seconds)."""
    return tmp_path_factory.mktemp("font-cache")


@needs_liberation
def test_times_new_roman_comes_first(tmp_path: Path) -> None:
    windows = tmp_path / "Windows" / "Fonts"
    windows.mkdir(parents=True)
    for face, name in TIMES_FILES.items():  # Times-metric stand-ins under Windows' file names
        shutil.copyfile(liberation(face), windows / name)
    family = fonts.resolve([LIBERATION, windows])
    assert family.label == "Times New Roman"
    assert family.files["bold"] == windows / "timesbd.ttf"


@needs_liberation
def test_liberation_serif_2_when_times_new_roman_is_missing(tmp_path: Path) -> None:
    family = fonts.resolve([LIBERATION])
    assert family.label == "Liberation Serif"
    font = fonts.register(family)
    assert fonts.REQUIRED_CHARACTERS <= font.characters


@needs_liberation
def test_a_family_without_vietnamese_letters_is_passed_over_for_noto(tmp_path: Path, noto_cache: Path) -> None:
    old = tmp_path / "liberation1"
    old.mkdir()
    for face in FACES:  # Liberation Serif 1.x had no Vietnamese: cut the 2.x files to ASCII
        font = TTFont(liberation(face))
        cutter = subset.Subsetter()
        cutter.populate(unicodes=range(0x20, 0x7F))
        cutter.subset(font)
        font.save(old / liberation(face).name)
    family = fonts.resolve([old], cache_dir=noto_cache)
    assert family.label == "Noto Serif"


def test_noto_serif_is_cut_into_static_faces_once_and_cached(noto_cache: Path) -> None:
    family = fonts.resolve([], cache_dir=noto_cache)
    assert family.label == "Noto Serif"
    assert set(family.files) == set(FACES)
    for path in family.files.values():
        assert path.parent == noto_cache
        with TTFont(path) as font:
            assert "fvar" not in font  # static: ReportLab would use only the default instance
    bold = TTFont(family.files["bold"])
    assert bold["OS/2"].usWeightClass == 700
    assert bold["OS/2"].fsSelection & 0b100000  # the bold bit
    italic = TTFont(family.files["italic"])
    assert italic["OS/2"].fsSelection & 0b1  # the italic bit
    stamps = {path: path.stat().st_mtime_ns for path in family.files.values()}
    again = fonts.resolve([], cache_dir=noto_cache)
    assert {path: path.stat().st_mtime_ns for path in again.files.values()} == stamps
    font = fonts.register(family)
    assert fonts.REQUIRED_CHARACTERS <= font.characters


def test_missing_characters_are_named_in_order(noto_cache: Path) -> None:
    font = fonts.register(fonts.resolve([], cache_dir=noto_cache))
    assert font.missing("Nguyễn Văn Ánh") == []
    assert font.missing("x\u0e01y\u0e02\u0e01") == ["\u0e01", "\u0e02"]
    with pytest.raises(fonts.FontError, match="bảng mã khác Unicode"):
        font.require("Lê Thị \u0e01")


def test_no_usable_font_at_all_gives_a_clear_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(__import__("sys").modules, "fontpkg_noto_serif", None)  # not installed
    with pytest.raises(fonts.FontError, match="Times New Roman"):
        fonts.resolve([tmp_path], cache_dir=tmp_path / "cache")


def test_a_damaged_cached_face_is_cut_again(noto_cache: Path) -> None:
    family = fonts.resolve([], cache_dir=noto_cache)
    damaged = family.files["italic"]
    damaged.write_bytes(b"\0" * 100)
    again = fonts.resolve([], cache_dir=noto_cache)
    assert again.label == "Noto Serif" and again.files["italic"] == damaged
    with TTFont(damaged) as font:
        assert ord("ự") in font.getBestCmap()
