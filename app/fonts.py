"""The print font: the one place that finds it, checks it and registers it with ReportLab.

NĐ 30/2020 Phụ lục I asks for Times New Roman. In order we take:
1. Times New Roman installed on the system (every Windows office PC has it);
2. Liberation Serif 2.x (Times-metric; Debian `fonts-liberation2`). Version 1.x lacks most
   Vietnamese letters, so every candidate must pass the glyph check, not a version test;
3. Noto Serif from the `fontpkg-noto-serif` wheel, a variable font: ReportLab embeds only a
   variable font's default instance, so regular, bold, italic and bold italic are cut as static
   fonts with fontTools once and kept in the user's cache folder. When that folder cannot be
   written (a locked-down or offline profile), they are cut into a temporary folder for this run.

A family is accepted only when all four faces have a glyph for every Vietnamese letter; text
is checked again before each document is drawn (`PrintFont.missing`), so nothing prints as boxes.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.errors import DomainError
from app.safe_files import fsync_file, fsync_folder

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont as ToolsFont

log = logging.getLogger(__name__)

FACES = ("regular", "bold", "italic", "bold_italic")

# Every letter of Vietnamese in both cases (the 12 vowels with 5 tone marks, đ/Đ), plus the
# quotation marks and dashes the documents use.
VIETNAMESE_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữự"
    "vxyỳýỷỹỵ"
)
REQUIRED_CHARACTERS = frozenset(
    VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + "0123456789.,;:!?()[]/-–“”‘’…%+=*&@#"
)


class FontError(DomainError):
    """No usable print font, or text the chosen font cannot draw."""


@dataclass(frozen=True)
class FontFamily:
    """One candidate family: a label for people and the file of each face."""

    label: str
    files: dict[str, Path]


@dataclass(frozen=True)
class PrintFont:
    """A family registered with ReportLab under `name` (faces `name`, `name-Bold`, ...)."""

    name: str
    label: str
    files: dict[str, Path]
    characters: frozenset[str]

    def face(self, bold: bool = False, italic: bool = False) -> str:
        suffix = {(False, False): "", (True, False): "-Bold", (False, True): "-Italic",
                  (True, True): "-BoldItalic"}[(bold, italic)]
        return self.name + suffix

    def missing(self, text: str) -> list[str]:
        """Printable characters of `text` the font has no glyph for, in order of appearance."""
        seen: dict[str, None] = {}
        for character in text:
            if character not in self.characters and not character.isspace():
                seen.setdefault(character)
        return list(seen)

    def require(self, text: str) -> None:
        """Refuse text that would print as empty boxes."""
        missing = self.missing(text)
        if missing:
            shown = " ".join(missing[:20])
            raise FontError(
                f"Phông chữ {self.label} không có các ký tự: {shown}. Hãy sửa các ký tự này "
                "(thường do gõ bằng bảng mã khác Unicode) hoặc cài phông Times New Roman.")


# Where each family's files are usually called what (Windows, the msttcorefonts package, macOS).
_TIMES_NAMES = {
    "regular": ("times.ttf", "Times New Roman.ttf", "Times_New_Roman.ttf"),
    "bold": ("timesbd.ttf", "Times New Roman Bold.ttf", "Times_New_Roman_Bold.ttf"),
    "italic": ("timesi.ttf", "Times New Roman Italic.ttf", "Times_New_Roman_Italic.ttf"),
    "bold_italic": ("timesbi.ttf", "Times New Roman Bold Italic.ttf",
                    "Times_New_Roman_Bold_Italic.ttf"),
}
_LIBERATION_NAMES = {
    "regular": ("LiberationSerif-Regular.ttf",),
    "bold": ("LiberationSerif-Bold.ttf",),
    "italic": ("LiberationSerif-Italic.ttf",),
    "bold_italic": ("LiberationSerif-BoldItalic.ttf",),
}
# Static instances cut from Noto Serif's variable fonts: (source file, weight).
_NOTO_INSTANCES = {
    "regular": ("NotoSerif[wdth,wght].ttf", 400),
    "bold": ("NotoSerif[wdth,wght].ttf", 700),
    "italic": ("NotoSerif-Italic[wdth,wght].ttf", 400),
    "bold_italic": ("NotoSerif-Italic[wdth,wght].ttf", 700),
}


def system_font_dirs() -> list[Path]:
    """The folders fonts are installed in on Windows, Linux and macOS."""
    dirs: list[Path] = []
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR", r"C:\Windows")
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    else:
        home = Path.home()
        dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
                 home / ".local" / "share" / "fonts", home / ".fonts",
                 Path("/Library/Fonts"), Path("/System/Library/Fonts/Supplemental"),
                 home / "Library" / "Fonts"]
    return [d for d in dirs if d.is_dir()]


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("TDKT Xa", appauthor=False)) / "fonts"


def find_family(label: str, names: dict[str, Sequence[str]], dirs: Iterable[Path]) -> FontFamily | None:
    """The family whose four faces are found in `dirs` (searched recursively), or None."""
    wanted = {name.lower(): face for face, options in names.items() for name in options}
    found: dict[str, Path] = {}
    for folder in dirs:
        for root, _subdirs, files in os.walk(folder):
            for file in files:
                face = wanted.get(file.lower())
                if face and face not in found:
                    found[face] = Path(root) / file
    if len(found) < len(FACES):
        return None
    return FontFamily(label, found)


def noto_family(cache_dir: Path) -> FontFamily:
    """Noto Serif from the pip package, cut into static instances cached in `cache_dir`."""
    try:
        import fontpkg_noto_serif
    except ImportError as error:
        raise FontError(_NO_FONT) from error
    source_dir = fontpkg_noto_serif.ROOT / "files"
    version = _package_version()
    files = {}
    for face, (source, weight) in _NOTO_INSTANCES.items():
        name = f"NotoSerif-{version}-{face}.ttf"
        # Cut once per cache; a file damaged on disk since it was cut is cut again.
        found = next((folder / name for folder in (cache_dir, _run_folder)
                      if folder is not None and _readable(folder / name)), None)
        files[face] = found or _cut(source_dir / source, weight, cache_dir / name)
    return FontFamily("Noto Serif", files)


def resolve(dirs: Iterable[Path] | None = None, cache_dir: Path | None = None,
            allow_system: bool = True) -> FontFamily:
    """The first complete Vietnamese family: Times New Roman, Liberation Serif 2, Noto Serif."""
    folders = list(system_font_dirs() if dirs is None else dirs)
    if allow_system:
        for label, names in (("Times New Roman", _TIMES_NAMES),
                             ("Liberation Serif", _LIBERATION_NAMES)):
            family = find_family(label, names, folders)
            if family is None:
                continue
            if not _lacking(family):
                return family
            log.info("print font %s skipped: it lacks Vietnamese letters", label)
    family = noto_family(cache_dir or default_cache_dir())
    if _lacking(family):
        raise FontError(_NO_FONT)
    return family


def register(family: FontFamily) -> PrintFont:
    """Register the family with ReportLab (once per process; ReportLab's registry is global)."""
    name = "TDKT-" + "".join(ch for ch in family.label if ch.isalnum())
    faces = {face: f"{name}{suffix}" for face, suffix in
             zip(FACES, ("", "-Bold", "-Italic", "-BoldItalic"))}
    registered = set(pdfmetrics.getRegisteredFontNames())
    fonts = {}
    for face, font_name in faces.items():
        if font_name in registered:
            fonts[face] = pdfmetrics.getFont(font_name)
            continue
        try:
            fonts[face] = TTFont(font_name, str(family.files[face]))
        except (TTFError, OSError) as error:
            raise FontError(f"Không đọc được phông chữ {family.label} "
                            f"({family.files[face].name}): {error}") from error
        pdfmetrics.registerFont(fonts[face])
    pdfmetrics.registerFontFamily(name, normal=faces["regular"], bold=faces["bold"],
                                  italic=faces["italic"], boldItalic=faces["bold_italic"])
    characters = frozenset.intersection(
        *(frozenset(chr(code) for code in font.face.charToGlyph) for font in fonts.values()))
    return PrintFont(name, family.label, dict(family.files), characters)


def print_font(dirs: Iterable[Path] | None = None, cache_dir: Path | None = None) -> PrintFont:
    """Resolve and register the print font."""
    return register(resolve(dirs, cache_dir))


_NO_FONT = ("Không tìm thấy phông chữ có đủ chữ tiếng Việt để in. Hãy cài phông Times New Roman "
            "(có sẵn trên Windows) hoặc Liberation Serif 2 (gói fonts-liberation2) rồi thử lại.")


def _lacking(family: FontFamily) -> set[str]:
    """Required characters missing from any face of the family (empty when it is usable)."""
    lacking: set[str] = set()
    for path in family.files.values():
        codes = _codes(path)
        if codes is None:  # a damaged file is simply not a candidate
            return set(REQUIRED_CHARACTERS)
        lacking |= {ch for ch in REQUIRED_CHARACTERS if ord(ch) not in codes}
    return lacking


def _codes(path: Path) -> set[int] | None:
    """The characters a font file maps, or None when it cannot be read (damaged, not a font)."""
    from fontTools.ttLib import TTFont as ToolsFont

    try:
        with open(path, "rb") as handle:  # closed even when fontTools fails half-way
            return set(ToolsFont(handle, lazy=True).getBestCmap() or {})
    except Exception:  # any damage makes the file unusable
        log.warning("font file %s cannot be read", path, exc_info=True)
        return None


def _readable(path: Path) -> bool:
    try:
        present = path.is_file()
    except OSError:  # a folder we may not even look into
        return False
    return present and bool(_codes(path))


def _cut(source: Path, weight: int, target: Path) -> Path:
    """Cut one static face into `target`, or into this run's temporary folder when the cache
    folder cannot be written; returns where the face now is."""
    static = _instance(source, weight)
    try:
        _save_instance(static, target)
        return target
    except OSError as error:
        if _run_folder is None:  # said once per run, not for each face
            log.warning("font cache folder %s cannot be written (%s); using a temporary folder",
                        target.parent, error)
    try:
        fallback = _temporary_folder() / target.name
        _save_instance(static, fallback)
    except OSError as error:
        raise FontError(
            f"Không tạo được phông chữ dự phòng Noto Serif: không ghi được vào thư mục "
            f"{target.parent} và thư mục tạm của máy ({error}). Hãy kiểm tra quyền ghi và dung "
            "lượng ổ đĩa, hoặc cài phông Times New Roman rồi thử lại.") from error
    return fallback


def _instance(source: Path, weight: int) -> ToolsFont:
    """The static font of `source` (a variable font) at `weight`; FontError when it cannot be cut."""
    from fontTools.ttLib import TTFont as ToolsFont
    from fontTools.varLib import instancer

    if not source.is_file():
        raise FontError(
            f"Thiếu tệp phông chữ dự phòng {source.name} trong thư mục {source.parent} (bản cài "
            "đặt bị hỏng). Hãy cài lại chương trình hoặc cài phông Times New Roman rồi thử lại.")
    log.info("cutting %s at weight %d", source.name, weight)
    try:
        # Read into memory: the cut font loads its untouched tables from the source lazily,
        # when it is saved, so no file handle may be closed under it.
        font = ToolsFont(BytesIO(source.read_bytes()))
        return instancer.instantiateVariableFont(font, {"wght": weight, "wdth": 100},
                                                 updateFontNames=True)
    except Exception as error:  # OSError, MemoryError, TTLibError, or any error of a damaged file
        log.warning("cutting %s failed", source, exc_info=True)
        raise FontError(
            f"Không tạo được phông chữ dự phòng Noto Serif từ tệp {source.name} trong thư mục "
            f"{source.parent} ({type(error).__name__}). Hãy cài lại chương trình hoặc cài phông "
            "Times New Roman rồi thử lại.") from error


def _save_instance(static: ToolsFont, target: Path) -> None:
    """Write a cut face to `target` safely against another process cutting the same file.

    `atomic_path` uses the fixed temporary name `name.part`, which two app instances cutting at
    once would share; here each writer gets its own temporary file in the same folder, then
    renames it over the target. When the rename fails because the other process has just put
    a good file there (Windows refuses to replace a file that is open), that file is used.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=target.name + ".",
                                    suffix=".part")
    os.close(handle)
    partial = Path(name)
    try:
        static.save(partial)
        fsync_file(partial)
        os.replace(partial, target)
        fsync_folder(target.parent)
    except OSError:
        partial.unlink(missing_ok=True)
        if _readable(target):
            log.info("font file %s was written meanwhile by another process", target)
            return
        raise
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


# This run's temporary font folder, made only when the cache folder cannot be written.
_run_folder: Path | None = None
_run_folder_lock = threading.Lock()


def _temporary_folder() -> Path:
    global _run_folder
    with _run_folder_lock:
        if _run_folder is None:
            _run_folder = Path(tempfile.mkdtemp(prefix="tdkt-fonts-"))
            atexit.register(shutil.rmtree, _run_folder, ignore_errors=True)
        return _run_folder


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fontpkg-noto-serif")
    except PackageNotFoundError:  # a frozen bundle without the package's metadata
        return "bundled"
