"""Judging a zip before trusting it, and reading its entries without trusting their headers.

Every entry is judged from the central directory first (name, type, flags, declared sizes,
position); a zip with any unsafe entry is not read further. Reading never extracts to disk:
an entry is read in chunks, hashed on the way, and abandoned as soon as it passes the size
the manifest gives it, so a bomb costs at most that many bytes.
"""

from __future__ import annotations

import hashlib
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.package.format import MAX_ENTRIES, MAX_ENTRY_SIZE, MAX_JSON_SIZE, MAX_RATIO, MAX_TOTAL_SIZE, RATIO_FLOOR
from app.package.problems import Code, Problem

CHUNK = 256 * 1024
_END = b"PK\x05\x06"
_END_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"
_MAX_COMMENT = 65535
_MAX_DIRECTORY = MAX_ENTRIES * 512  # a central directory record of ours is under 300 bytes
_LOCAL_HEADER = 30
_AES = 99  # WinZip AES: encryption disguised as a compression method
# Names Windows opens as devices whatever the suffix ("con.pdf"), compared in lower case;
# it counts the superscript digits ¹ ² ³ as port numbers too.
_PORTS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³")
_DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", "conin$", "conout$", "clock$",
                           *(f"com{n}" for n in _PORTS), *(f"lpt{n}" for n in _PORTS)})
_DRIVE = re.compile(r"^[A-Za-z]:[/\\]")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def directory_problem(path: Path) -> Problem | None:
    """Refuse a zip whose central directory claims too many entries or too many bytes, before
    zipfile builds an object for each of them."""
    with open(path, "rb") as reader:
        reader.seek(0, 2)
        size = reader.tell()
        tail_start = max(0, size - _END_SIZE - _MAX_COMMENT)
        reader.seek(tail_start)
        tail = reader.read()
        at = tail.rfind(_END)
        if at < 0 or len(tail) - at < _END_SIZE:
            return None  # zipfile says "not a zip"
        entries, directory_size = struct.unpack("<xxxxxxxxxxHI", tail[at:at + 16])
        locator = tail.rfind(_ZIP64_LOCATOR, 0, at)
        if locator >= 0 and at - locator == 20:
            (end64_at,) = struct.unpack("<Q", tail[locator + 8:locator + 16])
            reader.seek(end64_at)
            record = reader.read(56)
            if len(record) == 56 and record[:4] == _ZIP64_END:
                entries, directory_size = struct.unpack("<QQ", record[32:48])
    if entries > MAX_ENTRIES or directory_size > _MAX_DIRECTORY:
        return Problem(Code.TOO_MANY_ENTRIES,
                       f"Tệp có {entries} mục ({_mb(directory_size)} mục lục), vượt giới hạn {MAX_ENTRIES} "
                       "mục của một gói hồ sơ: không đọc tiếp.")
    return None


def path_problem(name: str) -> Problem | None:
    """Why an entry name could escape the folder it is read into, or name another file."""
    shown = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in name)
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return Problem(Code.ABSOLUTE_PATH,
                       f"Mục «{shown}» trong gói có đường dẫn tuyệt đối: tệp trong gói phải có đường dẫn tương đối.")
    reason = _unsafe_reason(name)
    if reason:
        return Problem(Code.UNSAFE_PATH, f"Mục «{shown}» trong gói có đường dẫn không an toàn: {reason}.")
    return None


def _unsafe_reason(name: str) -> str:
    if not name:
        return "tên rỗng"
    if any(ord(ch) < 32 or ord(ch) == 127 or unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        return "có ký tự điều khiển"
    if "\\" in name:
        return "có dấu «\\»"
    if ":" in name:
        return "có dấu «:»"
    for segment in name.rstrip("/").split("/"):
        if segment == "..":
            return "có «..» (ra ngoài thư mục của gói)"
        if segment in ("", "."):
            return "có đoạn đường dẫn rỗng hoặc «.»"
        if segment.endswith((".", " ")):
            return f"đoạn «{segment}» kết thúc bằng dấu chấm hoặc dấu cách"
        if segment.split(".", 1)[0].lower() in _DEVICE_NAMES:
            return f"đoạn «{segment}» là tên thiết bị của Windows"
    return ""


def _kind_problem(info: zipfile.ZipInfo) -> Problem | None:
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if info.is_dir() or kind == stat.S_IFDIR:
        return Problem(Code.DIRECTORY, f"Mục «{info.filename}» trong gói là một thư mục: gói hồ sơ chỉ chứa tệp.")
    if kind == stat.S_IFLNK:
        return Problem(Code.LINK, f"Mục «{info.filename}» trong gói là một liên kết (symlink), không phải tệp.")
    if kind and kind != stat.S_IFREG:
        return Problem(Code.LINK, f"Mục «{info.filename}» trong gói là một tệp đặc biệt (thiết bị, ống), không phải tệp thường.")
    return None


def _content_problem(info: zipfile.ZipInfo) -> Problem | None:
    name = info.filename
    if info.flag_bits & 0x41 or info.compress_type == _AES:
        return Problem(Code.ENCRYPTED, f"Tệp «{name}» trong gói bị mã hóa (đặt mật khẩu): gói hồ sơ không được mã hóa.")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return Problem(Code.COMPRESSION, f"Tệp «{name}» trong gói dùng kiểu nén số {info.compress_type}; "
                                         "gói hồ sơ chỉ dùng kiểu lưu nguyên (stored) hoặc deflate.")
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        return Problem(Code.RATIO, f"Tệp «{name}» trong gói nén {_mb(info.compress_size)} thành {_mb(info.file_size)} "
                                   f"(gấp {ratio} lần, giới hạn {MAX_RATIO} lần): dấu hiệu «bom zip», không đọc.")
    limit = MAX_JSON_SIZE if name.lower().endswith(".json") else MAX_ENTRY_SIZE
    if info.file_size > limit:
        return Problem(Code.ENTRY_TOO_LARGE, f"Tệp «{name}» trong gói ghi kích thước {_mb(info.file_size)}, "
                                             f"vượt giới hạn {_mb(limit)} cho một tệp.")
    return None


def _duplicate_problems(infos: Sequence[zipfile.ZipInfo]) -> list[Problem]:
    seen: dict[str, str] = {}
    found: list[Problem] = []
    for info in infos:
        key = unicodedata.normalize("NFC", info.filename).casefold()
        if key not in seen:
            seen[key] = info.filename
            continue
        first = seen[key]
        how = "trùng tên" if first == info.filename else "trùng tên nếu không phân biệt chữ hoa/thường hoặc cách ghi dấu"
        found.append(Problem(Code.DUPLICATE_NAME, f"Mục «{info.filename}» và mục «{first}» trong gói {how}."))
    return found


def _raw_name_length(info: zipfile.ZipInfo) -> int:
    try:
        return len(info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437"))
    except UnicodeEncodeError:
        return 0


def _overlap_problems(infos: Sequence[zipfile.ZipInfo], directory_start: int) -> list[Problem]:
    """Entries whose data runs into the next entry or the directory (at least the fixed header,
    the name and the compressed data must fit between two header offsets)."""
    ordered = sorted(infos, key=lambda info: info.header_offset)
    found: list[Problem] = []
    for info, following in zip(ordered, [*ordered[1:], None]):
        end = info.header_offset + _LOCAL_HEADER + _raw_name_length(info) + info.compress_size
        limit = following.header_offset if following else directory_start
        if end > limit:
            other = f"mục «{following.filename}»" if following else "mục lục của tệp zip"
            found.append(Problem(Code.OVERLAP, f"Dữ liệu của mục «{info.filename}» trong gói chồng lên {other}: "
                                               "tệp zip bị làm giả (một cách tạo «bom zip»)."))
    return found


def entry_problems(archive: zipfile.ZipFile) -> list[Problem]:
    """Everything unsafe about the entries, judged from the central directory alone."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        return [Problem(Code.TOO_MANY_ENTRIES, f"Gói có {len(infos)} mục, vượt giới hạn {MAX_ENTRIES} mục.")]
    found: list[Problem] = []
    for info in infos:
        problem = path_problem(info.filename) or _kind_problem(info) or _content_problem(info)
        if problem:
            found.append(problem)
    found += _duplicate_problems(infos)
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_SIZE:
        found.append(Problem(Code.TOTAL_TOO_LARGE, f"Các tệp trong gói cộng lại {_mb(total)} khi giải nén, "
                                                   f"vượt giới hạn {_mb(MAX_TOTAL_SIZE)} của một gói."))
    found += _overlap_problems(infos, getattr(archive, "start_dir", 0) or _directory_start(infos))
    return found


def _directory_start(infos: Sequence[zipfile.ZipInfo]) -> int:
    return max((info.header_offset + _LOCAL_HEADER + info.compress_size for info in infos), default=0)


class ReadFailure(Exception):
    """An entry that could not be read as declared; str() is the Vietnamese reason, `code` its kind."""

    def __init__(self, code: Code, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Read:
    size: int
    sha256: str
    data: bytes | None  # kept only when asked for (JSON files)


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, keep: bool,
               progress: Callable[[int], None]) -> Read:
    """Read one entry in chunks, hashing it; stop as soon as it passes `cap` bytes."""
    digest, size = hashlib.sha256(), 0
    kept: list[bytes] = []
    try:
        with archive.open(info) as reader:
            while chunk := reader.read(CHUNK):
                size += len(chunk)
                if size > cap:
                    raise ReadFailure(Code.SIZE, f"Tệp «{info.filename}» trong gói dài hơn {cap} byte "
                                                 "như manifest.json ghi: đã dừng đọc.")
                digest.update(chunk)
                if keep:
                    kept.append(chunk)
                progress(len(chunk))
    except zipfile.BadZipFile as error:
        reason = "mã CRC không khớp nội dung" if "CRC" in str(error) else "cấu trúc zip hỏng"
        raise ReadFailure(Code.CRC, f"Tệp «{info.filename}» trong gói bị hỏng ({reason}).") from error
    except (zlib.error, EOFError) as error:
        raise ReadFailure(Code.CRC, f"Tệp «{info.filename}» trong gói bị hỏng (dữ liệu nén bị cắt hoặc "
                                    "không giải nén được).") from error
    except (NotImplementedError, RuntimeError, ValueError) as error:
        raise ReadFailure(Code.CRC, f"Không đọc được tệp «{info.filename}» trong gói ({error}).") from error
    return Read(size, digest.hexdigest(), b"".join(kept) if keep else None)
