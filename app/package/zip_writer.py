"""Writing a package: the manifest and the files into one .zip, the same bytes every time.

Deterministic so that the same content gives the same package (docs/package-format.md §
Determinism): entries in path order after manifest.json, every timestamp the package's
created_at, fixed permissions and "made on Unix", no extra fields. Attachments are streamed
from the data folder and hashed again as they are copied, so a scan changed on disk since
it was listed never goes out under the old hash. The .zip is written through a .part file
and renamed: a full USB stick or a drive pulled out leaves the earlier file intact.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.errors import CancelledError
from app.package.context import Cancelled, Report, never_cancelled, no_report
from app.package.format import (
    ATTACHMENTS_FOLDER,
    DOCUMENTS_FOLDER,
    FORMAT_NAME,
    FORMAT_VERSION,
    JSON_TYPE,
    MANIFEST_PATH,
    MINUTES_FOLDER,
    XLSX_TYPE,
    PackageError,
    canonical_json,
    media_type_of,
    sha256_hex,
)
from app.safe_files import atomic_path, ensure_free_space, file_sha256

CHUNK = 1024 * 1024
_FILE_ATTRIBUTES = 0o100644 << 16  # a regular file, rw-r--r--
_UNIX = 3
_COMPRESSED = frozenset({JSON_TYPE, XLSX_TYPE})  # PDFs and scans are compressed already
_ZIP_OVERHEAD = 200  # bytes per entry: local and central headers, roughly
# Left free on the target: a USB stick holds the package, not the database, so it needs only
# room for its file system's own bookkeeping, not safe_files.SPARE_BYTES.
TARGET_SPARE = 4 * 1024 * 1024


@dataclass(frozen=True)
class PackageFile:
    """One file of the package except the manifest: its bytes, or a file streamed from disk."""

    path: str
    media_type: str
    size: int
    sha256: str
    data: bytes | None = None
    source: Path | None = None

    def __post_init__(self) -> None:
        if (self.data is None) == (self.source is None):
            raise ValueError(f"{self.path}: give either data or source")
        if self.path == MANIFEST_PATH:
            raise ValueError("manifest.json is written by write_package")

    @classmethod
    def of_bytes(cls, path: str, data: bytes) -> PackageFile:
        return cls(path, media_type_of(path), len(data), sha256_hex(data), data=data)


@dataclass(frozen=True)
class PackageHeader:
    """What the manifest says besides the file list (docs/package-format.md § manifest.json)."""

    uuid: str
    sequence: int
    previous_uuid: str | None
    created_at: str  # Việt Nam time, app.package.format.offset_time
    commune: Mapping[str, object]  # code, name, province_code, province_name
    app_version: str
    rule_sets: tuple[str, ...]
    engine_version: str
    template_version: str
    records: tuple[Mapping[str, object], ...]  # uuid, nomination_uuid, version, supersedes, path
    subjects: int  # distinct subjects among the records, for the counts


@dataclass(frozen=True)
class Written:
    path: Path
    size: int
    file_sha256: str
    manifest_sha256: str


def _sorted_files(files: Sequence[PackageFile]) -> list[PackageFile]:
    ordered = sorted(files, key=lambda file: file.path)
    for before, after in zip(ordered, ordered[1:]):
        if before.path == after.path:
            raise ValueError(f"{after.path} is listed twice")
    return ordered


def _in_folder(files: Sequence[PackageFile], *folders: str) -> int:
    return sum(1 for file in files if file.path.split("/", 1)[0] in folders)


def manifest_bytes(header: PackageHeader, files: Sequence[PackageFile]) -> bytes:
    """manifest.json for these files: records and files sorted by path, counts computed."""
    ordered = _sorted_files(files)
    listed = {file.path for file in ordered}
    records = sorted(({key: record[key] for key in ("uuid", "nomination_uuid", "version", "supersedes", "path")}
                      for record in header.records), key=lambda record: str(record["path"]))
    for record in records:
        if record["path"] not in listed:
            raise ValueError(f"record {record['uuid']} has no file {record['path']}")
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "package_uuid": header.uuid,
        "sequence": header.sequence,
        "previous_package_uuid": header.previous_uuid,
        "created_at": header.created_at,
        "commune": {key: header.commune[key] for key in ("code", "name", "province_code", "province_name")},
        "app_version": header.app_version,
        "rule_sets": sorted(set(header.rule_sets)),
        "engine_version": header.engine_version,
        "template_version": header.template_version,
        "counts": {
            "records": len(records),
            "subjects": header.subjects,
            "documents": _in_folder(ordered, DOCUMENTS_FOLDER, MINUTES_FOLDER),
            "attachments": _in_folder(ordered, ATTACHMENTS_FOLDER),
            "files": len(ordered),
        },
        "records": records,
        "files": [{"path": f.path, "size": f.size, "sha256": f.sha256, "media_type": f.media_type}
                  for f in ordered],
    }
    return canonical_json(manifest)


def zip_time(created_at: str) -> tuple[int, int, int, int, int, int]:
    """The wall-clock time of created_at, as every entry's timestamp."""
    moment = datetime.fromisoformat(created_at)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _entry(path: str, date_time: tuple[int, int, int, int, int, int], media_type: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time)
    info.compress_type = zipfile.ZIP_DEFLATED if media_type in _COMPRESSED else zipfile.ZIP_STORED
    info.create_system = _UNIX
    info.external_attr = _FILE_ATTRIBUTES
    info.file_size = size  # decides ZIP64 before writing, the same way every time
    return info


def write_package(header: PackageHeader, files: Sequence[PackageFile], target: Path,
                  report: Report = no_report, cancelled: Cancelled = never_cancelled) -> Written:
    """Write the package to `target` (replacing it only once complete); progress in bytes.

    Raises CancelledError when `cancelled()` turns true, PackageError when an attachment
    changed on disk, FileWriteError when the disk is full or the drive is gone; in each case
    nothing is left at `target` but the file that was already there.
    """
    manifest = manifest_bytes(header, files)
    ordered = _sorted_files(files)
    date_time = zip_time(header.created_at)
    total = len(manifest) + sum(file.size for file in ordered)
    target = Path(target)
    ensure_free_space(target.parent, total + _ZIP_OVERHEAD * (len(ordered) + 1), TARGET_SPARE)
    with atomic_path(target) as partial:
        with open(partial, "wb") as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as archive:
            with archive.open(_entry(MANIFEST_PATH, date_time, JSON_TYPE, len(manifest)), "w") as out:
                out.write(manifest)
            done = len(manifest)
            report(done, total)
            for file in ordered:
                _check_cancelled(cancelled)
                with archive.open(_entry(file.path, date_time, file.media_type, file.size), "w") as out:
                    if file.data is not None:
                        out.write(file.data)
                        done += file.size
                        report(done, total)
                    else:
                        done = _copy_source(file, out, done, total, report, cancelled)
        _check_cancelled(cancelled)
        file_hash = file_sha256(partial)
    return Written(target, target.stat().st_size, file_hash, sha256_hex(manifest))


def _check_cancelled(cancelled: Cancelled) -> None:
    if cancelled():
        raise CancelledError("Đã hủy lập gói hồ sơ; không có tệp nào được ghi.")


def _copy_source(file: PackageFile, out: io.BufferedIOBase, done: int, total: int,
                 report: Report, cancelled: Cancelled) -> int:
    """Stream a file from disk into the zip, hashing it; refuse it if it is not what was listed."""
    digest, copied = hashlib.sha256(), 0
    for chunk in _chunks(file):
        copied += len(chunk)
        if copied > file.size:
            break
        digest.update(chunk)
        out.write(chunk)  # an OSError here is the target's: atomic_path words it
        done += len(chunk)
        report(done, total)
        _check_cancelled(cancelled)
    if copied != file.size or digest.hexdigest() != file.sha256:
        raise PackageError(
            f"Tệp {file.source} (để ghi {file.path} vào gói) đã thay đổi sau khi được kiểm tra: "
            "kích thước hoặc mã SHA-256 không còn khớp với dữ liệu đã lưu. Gói chưa được ghi; "
            "hãy kiểm tra tệp đính kèm (Kiểm tra dữ liệu) rồi lập gói lại."
        )
    return done


def _chunks(file: PackageFile) -> Iterator[bytes]:
    """The source's content; a file that cannot be read is the data folder's problem, not the
    target's, so it is not left to atomic_path's "disk full" message."""
    assert file.source is not None
    try:
        with open(file.source, "rb") as reader:
            while True:
                try:
                    chunk = reader.read(CHUNK)
                except OSError as error:
                    raise _unreadable(file, error) from error
                if not chunk:
                    return
                yield chunk
    except OSError as error:  # opening it
        raise _unreadable(file, error) from error


def _unreadable(file: PackageFile, error: OSError) -> PackageError:
    return PackageError(
        f"Không đọc được tệp {file.source} (để ghi {file.path} vào gói): {error.strerror or error}. "
        "Hãy kiểm tra thư mục dữ liệu rồi lập gói lại."
    )


_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def fixed_zip(data: bytes, created_at: str) -> bytes:
    """An OOXML file (the xlsx) re-packed deterministically: the same entries in the same
    order, every timestamp created_at, and docProps/core.xml's created and modified set to it
    (openpyxl writes the time of saving there)."""
    date_time = zip_time(created_at)
    stamp = datetime.fromisoformat(created_at).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = _CORE_TIMES.sub(rb"\g<1>" + stamp + rb"\g<3>", content)
            entry = zipfile.ZipInfo(info.filename, date_time)
            entry.compress_type = info.compress_type
            entry.create_system = _UNIX
            entry.external_attr = _FILE_ATTRIBUTES
            target.writestr(entry, content)
    return out.getvalue()
