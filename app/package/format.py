"""The package format's fixed parts: names, paths inside the zip, media types, limits, and the
canonical JSON every JSON file of a package is written in.

The specification is docs/package-format.md; the JSON Schemas are in resources/schemas/.
A reader refuses anything beyond the limits before reading it, so a hostile zip (a "zip
bomb", thousands of entries) costs the officer nothing but a message.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import date, datetime
from pathlib import PurePosixPath

from app.errors import DomainError
from app.local_time import VIETNAM_TIME


class PackageError(DomainError):
    """A package or acknowledgement refused, or one that cannot be built; nothing changed."""


FORMAT_NAME = "tdkt-xa-goi-ho-so"
FORMAT_VERSION = "1.0"
ACK_FORMAT_NAME = "tdkt-xa-bien-nhan"
ACK_FORMAT_VERSION = "1.0"
TEMPLATE_VERSION = "nd30-2020/1"

MANIFEST_PATH = "manifest.json"
LISTING_PATH = "danh-sach.xlsx"
AUDIT_PATH = "nhat-ky.json"
RECORDS_FOLDER = "records"
DOCUMENTS_FOLDER = "ho-so"
MINUTES_FOLDER = "bien-ban"
ATTACHMENTS_FOLDER = "dinh-kem"

JSON_TYPE = "application/json"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
JPEG_TYPE = "image/jpeg"
PNG_TYPE = "image/png"
MEDIA_TYPES = {".json": JSON_TYPE, ".xlsx": XLSX_TYPE, ".pdf": PDF_TYPE, ".jpg": JPEG_TYPE, ".png": PNG_TYPE}
_SUFFIXES = {PDF_TYPE: ".pdf", JPEG_TYPE: ".jpg", PNG_TYPE: ".png"}  # of an attachment

MiB = 1024 * 1024
# Limits a reader enforces (docs/package-format.md § Limits). A year of a commune's dossiers
# is a few hundred records, each with a few PDFs and scans of at most 20 MB (app/attachments.py).
MAX_ENTRIES = 20_000  # zip entries, manifest included
MAX_ENTRY_SIZE = 64 * MiB  # one file, uncompressed
MAX_TOTAL_SIZE = 4 * 1024 * MiB  # all files together, uncompressed, and the .zip itself
MAX_RATIO = 100  # uncompressed / compressed size of one entry ...
RATIO_FLOOR = 1 * MiB  # ... once it is larger than this (small files cannot be a bomb)
MAX_JSON_SIZE = 32 * MiB  # manifest.json, a record, nhat-ky.json: parsed in memory
MAX_ACK_SIZE = 8 * MiB  # an acknowledgement file
MAX_JSON_DEPTH = 64  # nested objects and arrays in one JSON file (ours nest about 8 deep)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_KIND = re.compile(r"^[a-z][a-z0-9-]*$")


def _uuid(value: str) -> str:
    if not _UUID.match(value):
        raise ValueError(f"not a lower-case UUID: {value!r}")
    return value


def record_path(record_uuid: str) -> str:
    return f"{RECORDS_FOLDER}/{_uuid(record_uuid)}.json"


def document_path(record_uuid: str, kind: str) -> str:
    """A printed document of a record; `kind` is an app.documents.kinds.Kind value."""
    if not _KIND.match(kind):
        raise ValueError(f"not a document kind: {kind!r}")
    return f"{DOCUMENTS_FOLDER}/{_uuid(record_uuid)}/{kind}.pdf"


def minutes_path(session_uuid: str) -> str:
    return f"{MINUTES_FOLDER}/{_uuid(session_uuid)}.pdf"


def attachment_path(record_uuid: str, attachment_uuid: str, media_type: str) -> str:
    suffix = _SUFFIXES.get(media_type)
    if suffix is None:
        raise ValueError(f"not an attachment media type: {media_type!r}")
    return f"{ATTACHMENTS_FOLDER}/{_uuid(record_uuid)}/{_uuid(attachment_uuid)}{suffix}"


def media_type_of(path: str) -> str:
    """The media type a file of the package has, by its suffix."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise ValueError(f"no media type for {path!r}")
    return MEDIA_TYPES[suffix]


def _nfc(value: object) -> object:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc(key): _nfc(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_nfc(item) for item in value]
    return value


def canonical_json(value: object) -> bytes:
    """The one byte form of a JSON value in a package: sorted keys, 2-space indent, strings
    in NFC, letters as they are (not \\u escapes), one final line break; NaN refused."""
    text = json.dumps(_nfc(value), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


class JsonError(ValueError):
    """Bytes that are not strict JSON. str() names the file (`where`) and the reason in
    Vietnamese; `kind` ("encoding", "syntax", "depth") lets a reader add its own advice."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def strict_json(data: bytes, where: str, *, bom: bool = False) -> object:
    """The one JSON reader for packages and acknowledgements: UTF-8 (with `bom`, a leading
    byte-order mark is allowed), no key twice in one object (two readers could see two
    different documents), no NaN or Infinity, at most MAX_JSON_DEPTH levels deep."""
    try:
        text = data.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as error:
        raise JsonError(f"{where} không phải văn bản UTF-8 (byte thứ {error.start + 1})", "encoding") from None
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise JsonError(f"{where} không phải JSON hợp lệ (dòng {error.lineno}, cột {error.colno}: {error.msg})",
                        "syntax") from None
    except _Refused as error:
        raise JsonError(f"{where} không phải JSON hợp lệ: {error}", "syntax") from None
    except RecursionError:
        value = None
    else:
        if _depth_within(value, MAX_JSON_DEPTH):
            return value
    raise JsonError(f"{where} lồng quá nhiều tầng (giới hạn {MAX_JSON_DEPTH} tầng)", "depth")


class _Refused(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in pairs:
        if key in found:
            raise _Refused(f"khóa «{key}» xuất hiện hai lần trong cùng một đối tượng")
        found[key] = value
    return found


def _no_constant(name: str) -> object:
    raise _Refused(f"có giá trị «{name}», JSON chuẩn không cho phép")


def _depth_within(value: object, limit: int) -> bool:
    """Walked without recursion, containers only."""
    stack: list[tuple[object, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        children = item.values() if isinstance(item, dict) else item  # type: ignore[union-attr]
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return True


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def offset_time(moment: datetime) -> str:
    """An aware moment as Việt Nam time to the second: "2026-11-24T17:42:21+07:00"."""
    if moment.tzinfo is None:
        raise ValueError("offset_time needs an aware datetime")
    return moment.astimezone(VIETNAM_TIME).replace(microsecond=0).isoformat()


def package_file_name(commune_code: int, sequence: int, on: date) -> str:
    """ "goi-ho-so-26734-0003-20261124.zip": sorts by commune, then sequence."""
    return f"goi-ho-so-{commune_code}-{sequence:04d}-{on:%Y%m%d}.zip"
