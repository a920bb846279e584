"""Verifying a package file: is it safe to open, is it complete and unchanged, is it ours.

Run by the export (the written file is re-opened and verified before success is reported),
by `tdkt package verify FILE` and by the window. Nothing is extracted: entries are read in
chunks, hashed, and abandoned at the size the manifest declares. The checks and their codes
are listed in docs/package-format.md § Verification; a zip with any unsafe entry, a manifest
that is not ours or breaks its schema, stops the checks that would rely on it.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.audit import entry_hash
from app.package.context import Report, no_report
from app.package.format import (
    AUDIT_PATH,
    MANIFEST_PATH,
    MAX_JSON_SIZE,
    MAX_TOTAL_SIZE,
    JsonError,
    sha256_hex,
    strict_json,
)
from app.package.manifest_checks import (
    ChainFacts,
    KnownPackage,
    chain_problems,
    format_problem,
    layout_problems,
    newer_minor,
)
from app.package.problems import Code, Problem
from app.package.schemas import known_fields_only, schema_problems
from app.package.zip_safety import ReadFailure, directory_problem, entry_problems, read_entry

__all__ = ["ChainFacts", "Code", "KnownPackage", "Problem", "Verification", "verify_package"]

_HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Verification:
    path: Path
    problems: tuple[Problem, ...]
    manifest: dict | None  # as read, when it could be parsed
    file_sha256: str  # "" when the file could not be read
    manifest_sha256: str  # "" without a readable manifest

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(problem.code for problem in self.problems)

    def lines(self) -> list[str]:
        """What the officer reads: the package and its counts, or every problem found."""
        if self.problems:
            count = len(self.problems)
            return [f"Gói {self.path.name} KHÔNG hợp lệ ({count} lỗi); không dùng gói này:",
                    *(f"– {problem.message}" for problem in self.problems)]
        assert self.manifest is not None
        commune, counts = self.manifest["commune"], self.manifest["counts"]
        return [
            f"Gói {self.path.name} hợp lệ.",
            f"Gói số {self.manifest['sequence']} của {commune['name']} (mã {commune['code']}), lập lúc "
            f"{_moment(self.manifest['created_at'])}, định dạng {self.manifest['format_version']}.",
            f"{counts['records']} hồ sơ của {counts['subjects']} đối tượng, {counts['documents']} văn bản, "
            f"{counts['attachments']} tệp đính kèm; cả {counts['files']} tệp đều đúng kích thước và mã SHA-256.",
            f"Mã SHA-256 của tệp gói: {self.file_sha256}.",
        ]


def _moment(text: str) -> str:
    return f"{datetime.fromisoformat(text):%H:%M ngày %d/%m/%Y}"


class _Progress:
    def __init__(self, report: Report, total: int) -> None:
        self.report, self.total, self.done = report, max(total, 1), 0

    def add(self, count: int) -> None:
        self.done = min(self.done + count, self.total)
        self.report(self.done, self.total)


def verify_package(path: Path, chain: ChainFacts | None = None, report: Report = no_report) -> Verification:
    """Every check of the format on the file at `path`; with `chain`, also whether it belongs to
    this commune's sequence of packages. Progress in bytes read."""
    path = Path(path)
    run = _Run(path, report)
    problems = run.check(chain)
    return Verification(path, tuple(problems), run.manifest, run.file_sha256, run.manifest_sha256)


class _Run:
    def __init__(self, path: Path, report: Report) -> None:
        self.path, self.report = path, report
        self.manifest: dict | None = None
        self.file_sha256 = ""
        self.manifest_sha256 = ""

    def check(self, chain: ChainFacts | None) -> list[Problem]:
        name = self.path.name
        try:
            size = self.path.stat().st_size
            if size > MAX_TOTAL_SIZE:
                return [Problem(Code.TOO_BIG, f"Tệp {name} lớn {size // (1024 * 1024)} MB, vượt giới hạn "
                                              f"{MAX_TOTAL_SIZE // (1024 * 1024)} MB của một gói hồ sơ.")]
            early = directory_problem(self.path)
            if early:
                return [early]
            archive = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as error:
            return [Problem(Code.NOT_ZIP, f"Tệp {name} không phải tệp zip hợp lệ hoặc đã bị cắt cụt ({error}).")]
        except OSError as error:
            return [Problem(Code.UNREADABLE, f"Không đọc được tệp {name}: {error.strerror or error}.")]
        with archive:
            infos = archive.infolist()
            progress = _Progress(self.report, size + sum(min(i.file_size, MAX_TOTAL_SIZE) for i in infos))
            try:
                self.file_sha256 = _file_hash(self.path, progress.add)
            except OSError as error:
                return [Problem(Code.UNREADABLE, f"Không đọc được tệp {name}: {error.strerror or error}.")]
            unsafe = entry_problems(archive)
            if unsafe:
                return unsafe
            problems = self._contents(archive, progress, chain)
        self.report(progress.total, progress.total)
        return problems

    def _contents(self, archive: zipfile.ZipFile, progress: _Progress, chain: ChainFacts | None) -> list[Problem]:
        entries = {info.filename: info for info in archive.infolist()}
        if MANIFEST_PATH not in entries:
            return [Problem(Code.MANIFEST_MISSING, f"Gói không có tệp {MANIFEST_PATH} (bảng kê các tệp): "
                                                   "không phải gói hồ sơ hoặc gói không đầy đủ.")]
        try:
            data = read_entry(archive, entries[MANIFEST_PATH], MAX_JSON_SIZE, True, progress.add).data
        except ReadFailure as failure:
            return [Problem(failure.code, str(failure))]
        assert data is not None
        self.manifest_sha256 = sha256_hex(data)
        try:
            manifest = strict_json(data, MANIFEST_PATH)
        except JsonError as error:
            return [Problem(Code.MANIFEST_JSON, f"{error}.")]
        if not isinstance(manifest, dict):
            return [Problem(Code.MANIFEST_JSON, f"{MANIFEST_PATH} phải là một đối tượng JSON.")]
        self.manifest = manifest
        wrong = format_problem(manifest)
        if wrong:
            return [wrong]
        newer = newer_minor(manifest)
        broken = schema_problems("manifest", known_fields_only("manifest", manifest) if newer else manifest,
                                 MANIFEST_PATH)
        if broken:
            return [Problem(Code.SCHEMA, line) for line in broken]
        problems = layout_problems(manifest)
        problems += self._files(archive, entries, manifest, newer, progress)
        if chain is not None:
            problems += chain_problems(manifest, self.manifest_sha256, chain)
        return problems

    def _files(self, archive: zipfile.ZipFile, entries: Mapping[str, zipfile.ZipInfo],
               manifest: Mapping[str, Any], newer: bool, progress: _Progress) -> list[Problem]:
        """Each listed file present, of its size and hash; nothing else in the zip."""
        listed = {file["path"]: file for file in manifest["files"]}
        records = {record["path"]: record for record in manifest["records"]}
        problems = [Problem(Code.MISSING_FILE, f"Thiếu tệp {path}: {MANIFEST_PATH} liệt kê tệp này nhưng gói không có.")
                    for path in sorted(listed) if path not in entries]
        problems += [Problem(Code.UNEXPECTED_FILE, f"Tệp {name} có trong gói nhưng {MANIFEST_PATH} không liệt kê.")
                     for name in sorted(entries) if name != MANIFEST_PATH and name not in listed]
        present = sorted((entries[path] for path in listed if path in entries), key=lambda info: info.header_offset)
        for info in present:
            problems += self._file(archive, info, listed[info.filename], records, manifest, newer, progress.add)
        return problems

    def _file(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: Mapping[str, Any],
              records: Mapping[str, Mapping[str, Any]], manifest: Mapping[str, Any], newer: bool,
              progress: Callable[[int], None]) -> list[Problem]:
        path, size = info.filename, file["size"]
        if info.file_size != size:
            return [Problem(Code.SIZE, f"Tệp {path}: {MANIFEST_PATH} ghi {size} byte, tệp trong gói có "
                                       f"{info.file_size} byte.")]
        is_json = path == AUDIT_PATH or path in records
        try:
            read = read_entry(archive, info, min(size, MAX_JSON_SIZE) if is_json else size, is_json, progress)
        except ReadFailure as failure:
            return [Problem(failure.code, str(failure))]
        if read.size != size:
            return [Problem(Code.SIZE, f"Tệp {path}: {MANIFEST_PATH} ghi {size} byte, đọc được {read.size} byte.")]
        if read.sha256 != file["sha256"]:
            return [Problem(Code.HASH, f"Tệp {path} đã bị thay đổi: mã SHA-256 là {read.sha256}, {MANIFEST_PATH} "
                                       f"ghi {file['sha256']}.")]
        if path in records:
            assert read.data is not None
            return record_problems(path, read.data, records[path], manifest, newer)
        if path == AUDIT_PATH:
            assert read.data is not None
            return audit_problems(read.data, newer)
        return []


def _file_hash(path: Path, progress: Callable[[int], None]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as reader:
        while chunk := reader.read(_HASH_CHUNK):
            digest.update(chunk)
            progress(len(chunk))
    return digest.hexdigest()


def record_problems(path: str, data: bytes, entry: Mapping[str, Any], manifest: Mapping[str, Any],
                    newer: bool = False) -> list[Problem]:
    """A records/<uuid>.json file: valid, and saying what the manifest says about it."""
    record, invalid = _valid_json(data, path, "record", Code.RECORD_JSON, newer)
    if invalid:
        return invalid
    problems = [Problem(Code.RECORDS, f"{path}, record.{key}: ghi «{record['record'][key]}», {MANIFEST_PATH} ghi "
                                      f"«{entry[key]}».")
                for key in ("uuid", "nomination_uuid", "version", "supersedes") if record["record"][key] != entry[key]]
    if record["nomination"]["uuid"] != record["record"]["nomination_uuid"]:
        problems.append(Problem(Code.RECORDS, f"{path}, nomination.uuid: ghi «{record['nomination']['uuid']}», "
                                              f"khác record.nomination_uuid «{record['record']['nomination_uuid']}»."))
    files = {file["path"]: file for file in manifest["files"]}
    for section in ("documents", "attachments"):
        for index, item in enumerate(record[section]):
            listed = files.get(item["path"])
            if listed is None:
                problems.append(Problem(Code.RECORDS, f"{path}, {section}[{index}].path: tệp {item['path']} không có "
                                                      f"trong danh sách files của {MANIFEST_PATH}."))
            elif section == "attachments" and (listed["sha256"], listed["size"]) != (item["sha256"], item["size"]):
                problems.append(Problem(Code.RECORDS, f"{path}, {section}[{index}]: kích thước và mã SHA-256 của tệp "
                                                      f"{item['path']} khác với {MANIFEST_PATH}."))
    return problems


def _valid_json(data: bytes, path: str, schema: str, unreadable: Code, newer: bool) -> tuple[Any, list[Problem]]:
    """The file's JSON and its problems: unreadable, or each way it breaks its schema (the
    fields a newer minor version added are dropped first)."""
    try:
        document = strict_json(data, f"Tệp {path}")
    except JsonError as error:
        return None, [Problem(unreadable, f"{error}.")]
    if newer:
        document = known_fields_only(schema, document)
    return document, [Problem(Code.SCHEMA, line) for line in schema_problems(schema, document, path)]


def audit_problems(data: bytes, newer: bool = False) -> list[Problem]:
    """nhat-ky.json: valid, and every entry still matching its own hash."""
    excerpt, invalid = _valid_json(data, AUDIT_PATH, "audit", Code.AUDIT_JSON, newer)
    if invalid:
        return invalid
    return [Problem(Code.AUDIT, f"{AUDIT_PATH}, entries[{index}]: dòng nhật ký số {entry['id']} không khớp mã kiểm "
                                "tra của nó (đã bị sửa sau khi ghi).")
            for index, entry in enumerate(excerpt["entries"]) if entry_hash(entry) != entry["hash"]]
