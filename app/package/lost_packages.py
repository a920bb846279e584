"""Packages of this commune that the database does not know, looked for before an export.

A database restored from a backup made before a package was sent, or a power cut between
writing a package and recording it, leaves a package file the database has no row for. The
next export would then reuse its number, and the province would hold two different packages
numbered alike (or one whose predecessor it never got). So before reading or drawing
anything, the export looks at this commune's package files in the target folder and in the
data folder's copies, reading only each manifest, and refuses while one is unknown: the
officer first takes it back with «Nhận lại gói đã gửi» (app/package/adopt.py).
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.package.format import MANIFEST_PATH, MAX_JSON_SIZE, PackageError
from app.package.verify import ChainFacts

_NAME = re.compile(r"^goi-ho-so-(\d+)-(\d+)-\d{8}\.zip$")
ADOPT_HINT = ("Hãy nhận lại gói đó trước: «Nhận lại gói đã gửi…» ở thẻ «Gửi tỉnh» (dòng lệnh: "
              "tdkt package adopt «tệp»), rồi lập gói.")


@dataclass(frozen=True)
class Peeked:
    """What a package file's manifest says about its place in the sequence."""

    package_uuid: str
    sequence: int
    commune_code: int
    created_at: str


def peek_manifest(path: Path) -> Peeked:
    """The manifest's uuid, sequence, commune and time, read without checking the rest of the
    package (that is verify_package's job); ValueError with a Vietnamese reason."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(MANIFEST_PATH) as reader:
            data = reader.read(MAX_JSON_SIZE + 1)
    except KeyError:
        raise ValueError(f"không có {MANIFEST_PATH}") from None
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError,
            ValueError) as error:
        raise ValueError(f"không phải tệp zip đọc được ({error})") from error
    if len(data) > MAX_JSON_SIZE:
        raise ValueError(f"{MANIFEST_PATH} quá lớn")
    try:
        manifest: Any = json.loads(data.decode("utf-8"))
        commune = manifest["commune"]
        peeked = Peeked(manifest["package_uuid"], manifest["sequence"], commune["code"], manifest["created_at"])
    except (ValueError, RecursionError, KeyError, TypeError):
        raise ValueError(f"{MANIFEST_PATH} không đọc được") from None
    if not (isinstance(peeked.package_uuid, str) and _is_int(peeked.sequence) and _is_int(peeked.commune_code)
            and isinstance(peeked.created_at, str)):
        raise ValueError(f"{MANIFEST_PATH} ghi sai kiểu mã gói, số thứ tự hoặc mã xã")
    return peeked


def refuse_unknown(folders: Iterable[Path], chain: ChainFacts, next_sequence: int) -> None:
    """A PackageError naming the first file of this commune in `folders` whose package this
    database does not know, saying why it matters and what to do."""
    known: Mapping[str, int] = {package.uuid: package.sequence for package in chain.known}
    for folder in folders:
        for path in sorted(Path(folder).glob(f"goi-ho-so-{chain.commune_code}-*.zip")):
            problem = _unknown(path, chain.commune_code, known, next_sequence)
            if problem:
                raise PackageError(f"Thư mục {path.parent} có tệp {path.name}, {problem}")


def _unknown(path: Path, commune_code: int, known: Mapping[str, int], next_sequence: int) -> str:
    named = _NAME.match(path.name)
    if not path.is_file() or named is None or int(named.group(1)) != commune_code:
        return ""
    try:
        peeked = peek_manifest(path)
    except ValueError as error:
        sequence = int(named.group(2))
        if sequence < next_sequence:
            return ""  # damaged, but not in the way of the next number
        return (f"theo tên là gói hồ sơ số {sequence} của xã, nhưng không đọc được ({error}) và dữ liệu này "
                f"không biết gói số {sequence}. Hãy kiểm tra tệp đó («Kiểm tra tệp gói…»; dòng lệnh: tdkt package "
                "verify «tệp»): nếu là gói đã gửi tỉnh, hãy nhận lại nó bằng «Nhận lại gói đã gửi…»; nếu "
                "không, chuyển tệp ra khỏi thư mục rồi lập gói.")
    if peeked.commune_code != commune_code or peeked.package_uuid in known:
        return ""
    sequence, made = peeked.sequence, _moment(peeked.created_at)
    if sequence >= next_sequence:
        return (f"là gói hồ sơ số {sequence} của xã lập lúc {made} mà dữ liệu này không biết (theo dữ liệu, gói "
                f"tiếp theo mang số {next_sequence}). Có thể dữ liệu đã được khôi phục từ một bản sao lưu cũ hơn "
                "gói đó, hoặc máy bị mất điện sau khi ghi tệp mà chưa kịp ghi nhận gói. Lập gói mới lúc này sẽ "
                f"trùng số với gói đó và tỉnh sẽ từ chối. {ADOPT_HINT}")
    return (f"là gói hồ sơ số {sequence} của xã lập lúc {made} mà dữ liệu này không biết, trong khi số {sequence} "
            "đã dùng cho một gói khác: hai gói cùng số (dữ liệu đã được khôi phục, hoặc dùng trên hai máy?). "
            f"Hãy xác định gói nào đã gửi tỉnh, chuyển tệp {path.name} ra khỏi thư mục này (đừng xóa) rồi "
            "lập gói.")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _moment(text: str) -> str:
    try:
        return f"{datetime.fromisoformat(text):%H:%M ngày %d/%m/%Y}"
    except ValueError:
        return text
