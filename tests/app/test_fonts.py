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


@pytest.fixture
def quick_cut(monkeypatch: pytest.MonkeyPatch, noto_cache: Path, tmp_path: Path) -> None:
    """Cutting takes seconds: hand out the faces already cut into `noto_cache` instead, and
    keep this run's temporary font folder inside the test's own folder."""
    fonts.resolve([], cache_dir=noto_cache)  # fills the session cache once
    faces = {(source, weight): face for face, (source, weight) in fonts._NOTO_INSTANCES.items()}
    version = fonts._package_version()

    def instance(source: Path, weight: int) -> TTFont:
        return TTFont(noto_cache / f"NotoSerif-{version}-{faces[source.name, weight]}.ttf")

    monkeypatch.setattr(fonts, "_instance", instance)
    monkeypatch.setattr(fonts, "_run_folder", None)
    monkeypatch.setattr(fonts.tempfile, "tempdir", str(tmp_path))


def test_an_unwritable_cache_folder_falls_back_to_a_temporary_folder(
        quick_cut: None, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocked = tmp_path / "profile-file"
    blocked.write_text("a file where the cache folder should be")
    family = fonts.resolve([], cache_dir=blocked / "fonts")
    assert family.label == "Noto Serif"
    folders = {path.parent for path in family.files.values()}
    assert len(folders) == 1 and folders.pop().name.startswith("tdkt-fonts-")
    assert "cannot be written" in caplog.text
    assert fonts.register(family).characters >= fonts.REQUIRED_CHARACTERS
    again = fonts.resolve([], cache_dir=blocked / "fonts")  # found there, not cut again
    assert again.files == family.files


def test_no_writable_folder_at_all_names_the_cache_folder(quick_cut: None, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "profile-file"
    blocked.write_text("")
    monkeypatch.setattr(fonts.tempfile, "tempdir", str(blocked))  # the temp folder fails too
    with pytest.raises(fonts.FontError, match="không ghi được vào thư mục .*profile-file"):
        fonts.resolve([], cache_dir=blocked / "fonts")


def test_a_failing_cut_gives_a_font_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from fontTools.ttLib import TTLibError
    from fontTools.varLib import instancer

    def fail(*args: object, **kwargs: object) -> None:
        raise TTLibError("damaged table")

    monkeypatch.setattr(instancer, "instantiateVariableFont", fail)
    with pytest.raises(fonts.FontError, match="Không tạo được phông chữ dự phòng Noto Serif"):
        fonts.resolve([], cache_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_missing_files_of_the_font_package_are_named(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    import fontpkg_noto_serif

    monkeypatch.setattr(fontpkg_noto_serif, "ROOT", tmp_path / "broken-bundle")
    with pytest.raises(fonts.FontError, match=r"Thiếu tệp phông chữ dự phòng NotoSerif\[.*cài lại"):
        fonts.resolve([], cache_dir=tmp_path / "cache")


def test_a_stale_part_file_of_another_process_does_not_block_the_cut(quick_cut: None,
                                                                      tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    version = fonts._package_version()
    # Another process is writing (or died writing) the fixed-name temporary file.
    (cache / f"NotoSerif-{version}-regular.ttf.part").mkdir(parents=True)
    family = fonts.resolve([], cache_dir=cache)
    assert {path.parent for path in family.files.values()} == {cache}
    leftovers = sorted(path.name for path in cache.iterdir() if path.suffix == ".part")
    assert leftovers == [f"NotoSerif-{version}-regular.ttf.part"]  # only the other one's


def test_a_face_written_meanwhile_by_another_process_is_used(
        quick_cut: None, tmp_path: Path, noto_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"

    def replace_while_the_other_holds_it(source: str, target: str) -> None:
        shutil.copyfile(noto_cache / Path(target).name, target)  # the other process won
        raise PermissionError(13, "The process cannot access the file", target)

    monkeypatch.setattr(fonts.os, "replace", replace_while_the_other_holds_it)
    family = fonts.resolve([], cache_dir=cache)
    assert {path.parent for path in family.files.values()} == {cache}
    assert sorted(path.suffix for path in cache.iterdir()) == [".ttf"] * 4  # no temp file left
