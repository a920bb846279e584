"""Why a package is refused: one code per kind of failure (docs/package-format.md §
Verification); the message, in Vietnamese, names the file and the field."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Code(StrEnum):
    # The .zip itself
    UNREADABLE = "unreadable"  # the file cannot be opened at all
    NOT_ZIP = "not_zip"  # not a zip, or truncated
    TOO_BIG = "too_big"  # the .zip is larger than MAX_TOTAL_SIZE
    TOO_MANY_ENTRIES = "too_many_entries"
    # One entry of the zip, judged before anything is read from it
    UNSAFE_PATH = "unsafe_path"  # "..", "\\", ":", control characters, empty or "." segments, device names
    ABSOLUTE_PATH = "absolute_path"  # "/x", "C:/x"
    LINK = "link"  # a symbolic link or another special file
    DIRECTORY = "directory"  # a folder entry: a package lists files only
    DUPLICATE_NAME = "duplicate_name"  # equal, or equal ignoring case or Unicode normalisation
    ENCRYPTED = "encrypted"
    COMPRESSION = "compression"  # a method other than stored or deflate
    ENTRY_TOO_LARGE = "entry_too_large"
    RATIO = "ratio"  # compressed far more than real files are: a zip bomb
    TOTAL_TOO_LARGE = "total_too_large"
    OVERLAP = "overlap"  # entries sharing bytes: another zip-bomb trick
    # The manifest
    MANIFEST_MISSING = "manifest_missing"
    MANIFEST_JSON = "manifest_json"
    FORMAT = "format"
    FORMAT_VERSION = "format_version"
    SCHEMA = "schema"
    # The files against the manifest
    MISSING_FILE = "missing_file"
    UNEXPECTED_FILE = "unexpected_file"
    SIZE = "size"
    HASH = "hash"
    CRC = "crc"  # the zip's own check failed, or its compressed data is damaged
    RECORD_JSON = "record_json"
    AUDIT_JSON = "audit_json"
    AUDIT = "audit"  # an audit entry whose hash does not match its content
    RECORDS = "records"  # the manifest's records against the records/ files and the file layout
    COUNTS = "counts"
    PREVIOUS = "previous"  # previous_package_uuid against the sequence and the known chain
    # The package against this commune's packages (ChainFacts)
    COMMUNE = "commune"
    SEQUENCE_REPLAYED = "sequence_replayed"
    # Newer than every package this database knows: it lost them (restored from an older
    # backup, or the package was written but not recorded); numbers skipped are named in
    # the message. The only problem a package may have to be adopted (app/package/adopt.py).
    UNKNOWN_PACKAGE = "unknown_package"
    TAMPERED = "tampered"


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
