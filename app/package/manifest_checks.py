"""What manifest.json must say, beyond its schema: the format and its version, the file layout,
the records against the files, the counts, and the package's place in the commune's sequence.

Pure functions of the parsed manifest (and, for the sequence, of what this database knows):
no zip reading here, so each rule is tested on a dict.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.package.format import (
    ATTACHMENTS_FOLDER,
    AUDIT_PATH,
    DOCUMENTS_FOLDER,
    FORMAT_NAME,
    FORMAT_VERSION,
    LISTING_PATH,
    MANIFEST_PATH,
    MINUTES_FOLDER,
    RECORDS_FOLDER,
    media_type_of,
    record_path,
)
from app.package.problems import Code, Problem

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# The files of a 1.x package; the group is the record a file belongs to, when it has one.
_LAYOUT = (
    re.compile(rf"^(?:{re.escape(LISTING_PATH)}|{re.escape(AUDIT_PATH)})$"),
    re.compile(rf"^{RECORDS_FOLDER}/({_UUID})\.json$"),
    re.compile(rf"^{DOCUMENTS_FOLDER}/({_UUID})/[a-z][a-z0-9-]*\.pdf$"),
    re.compile(rf"^{MINUTES_FOLDER}/{_UUID}\.pdf$"),
    re.compile(rf"^{ATTACHMENTS_FOLDER}/({_UUID})/{_UUID}\.(?:pdf|jpg|png)$"),
)
_VERSION = re.compile(r"^(\d{1,4})\.(\d{1,4})$")
_OUR_MAJOR, _OUR_MINOR = (int(part) for part in FORMAT_VERSION.split("."))
M = MANIFEST_PATH


@dataclass(frozen=True)
class KnownPackage:
    """A package this database exported (db Package row): what a later copy must match."""

    uuid: str
    sequence: int
    manifest_sha256: str
    created_at: str


@dataclass(frozen=True)
class ChainFacts:
    """The commune a package must belong to and the packages it already exported."""

    commune_code: int
    commune_name: str
    known: tuple[KnownPackage, ...]


def format_problem(manifest: Mapping[str, Any]) -> Problem | None:
    """Whether this is our format in a version we read (1.x): checked before anything else."""
    name = manifest.get("format")
    if name != FORMAT_NAME:
        return Problem(Code.FORMAT, f"{M}, format: ghi «{name}», không phải gói hồ sơ TĐKT Xã "
                                    f"(cần «{FORMAT_NAME}»).")
    version = manifest.get("format_version")
    found = _VERSION.match(version) if isinstance(version, str) else None
    if found is None:
        return Problem(Code.FORMAT_VERSION, f"{M}, format_version: «{version}» không phải số phiên bản "
                                            f"dạng {FORMAT_VERSION}.")
    if int(found.group(1)) != _OUR_MAJOR:
        return Problem(Code.FORMAT_VERSION, f"{M}, format_version: gói định dạng {version}, chương trình này "
                                            f"đọc {_OUR_MAJOR}.x. Hãy dùng phiên bản chương trình đọc được định "
                                            "dạng này.")
    return None


def newer_minor(manifest: Mapping[str, Any]) -> bool:
    found = _VERSION.match(str(manifest.get("format_version")))
    return bool(found) and int(found.group(2)) > _OUR_MINOR  # type: ignore[union-attr]


def layout_problems(manifest: Mapping[str, Any]) -> list[Problem]:
    """The manifest against itself: times, paths, media types, records, counts, previous."""
    found: list[Problem] = []
    created = manifest["created_at"]
    try:
        datetime.fromisoformat(created)
    except ValueError:
        found.append(Problem(Code.SCHEMA, f"{M}, created_at: «{created}» không phải một thời điểm có thật."))
    files: list[Mapping[str, Any]] = manifest["files"]
    records: list[Mapping[str, Any]] = manifest["records"]
    record_uuids = {record["uuid"] for record in records}
    for index, file in enumerate(files):
        found += _file_problems(index, file, record_uuids)
    found += _duplicate_paths(files)
    listed = {file["path"] for file in files}
    for required, what in ((LISTING_PATH, "danh sách hồ sơ"), (AUDIT_PATH, "trích nhật ký")):
        if required not in listed:
            found.append(Problem(Code.MISSING_FILE, f"{M} không liệt kê tệp {required} ({what}) mà gói nào cũng có."))
    found += _record_problems(records, listed)
    found += _count_problems(manifest["counts"], files, records)
    found += _previous_problems(manifest)
    return found


def _file_problems(index: int, file: Mapping[str, Any], record_uuids: set[str]) -> list[Problem]:
    path = file["path"]
    where = f"{M}, files[{index}]"
    match = next((found for pattern in _LAYOUT if (found := pattern.match(path))), None)
    if match is None:
        return [Problem(Code.SCHEMA, f"{where}.path: «{path}» không thuộc cấu trúc gói định dạng "
                                     f"{FORMAT_VERSION} (docs/package-format.md).")]
    problems = []
    expected = media_type_of(path)
    if file["media_type"] != expected:
        problems.append(Problem(Code.SCHEMA, f"{where}.media_type: ghi «{file['media_type']}», nhưng tệp {path} "
                                             f"phải là «{expected}»."))
    owner = match.group(1) if match.groups() else None
    if owner is not None and owner not in record_uuids and not path.startswith(RECORDS_FOLDER + "/"):
        problems.append(Problem(Code.RECORDS, f"Tệp {path} thuộc hồ sơ {owner}, nhưng hồ sơ này không có trong "
                                              f"danh sách records của {M}."))
    return problems


def _duplicate_paths(files: Sequence[Mapping[str, Any]]) -> list[Problem]:
    counted = Counter(str(file["path"]).casefold() for file in files)
    return [Problem(Code.SCHEMA, f"{M}, files: đường dẫn «{path}» được liệt kê {times} lần.")
            for path, times in sorted(counted.items()) if times > 1]


def _record_problems(records: Sequence[Mapping[str, Any]], listed: set[str]) -> list[Problem]:
    found: list[Problem] = []
    uuids = Counter(record["uuid"] for record in records)
    nominations = Counter(record["nomination_uuid"] for record in records)
    for index, record in enumerate(records):
        where, uuid = f"{M}, records[{index}]", record["uuid"]
        if uuids[uuid] > 1:
            found.append(Problem(Code.RECORDS, f"{where}: mã hồ sơ {uuid} xuất hiện {uuids[uuid]} lần."))
        if nominations[record["nomination_uuid"]] > 1:
            found.append(Problem(Code.RECORDS, f"{where}: đề nghị {record['nomination_uuid']} có nhiều phiên bản "
                                               "trong cùng một gói."))
        if record["supersedes"] == uuid:
            found.append(Problem(Code.RECORDS, f"{where}.supersedes: hồ sơ không thể thay thế chính nó."))
        if record["path"] != record_path(uuid):
            found.append(Problem(Code.RECORDS, f"{where}.path: ghi «{record['path']}», hồ sơ {uuid} phải ở "
                                               f"{record_path(uuid)}."))
        elif record["path"] not in listed:
            found.append(Problem(Code.RECORDS, f"{where}: tệp {record['path']} của hồ sơ không có trong danh "
                                               "sách files."))
    paths = {record["path"] for record in records}
    for path in sorted(listed):
        if path.startswith(RECORDS_FOLDER + "/") and path not in paths:
            found.append(Problem(Code.RECORDS, f"Tệp {path} có trong danh sách files nhưng không có trong danh "
                                               f"sách records của {M}."))
    return found


def _count_problems(counts: Mapping[str, int], files: Sequence[Mapping[str, Any]],
                    records: Sequence[Mapping[str, Any]]) -> list[Problem]:
    def folder(path: str) -> str:
        return path.split("/", 1)[0]

    actual = {
        "records": len(records),
        "documents": sum(1 for f in files if folder(f["path"]) in (DOCUMENTS_FOLDER, MINUTES_FOLDER)),
        "attachments": sum(1 for f in files if folder(f["path"]) == ATTACHMENTS_FOLDER),
        "files": len(files),
    }
    found = [Problem(Code.COUNTS, f"{M}, counts.{name}: ghi {counts[name]}, nhưng gói có {value}.")
             for name, value in actual.items() if counts[name] != value]
    subjects = counts["subjects"]
    if subjects > len(records) or (records and subjects == 0):
        found.append(Problem(Code.COUNTS, f"{M}, counts.subjects: ghi {subjects} đối tượng cho {len(records)} "
                                          "hồ sơ."))
    return found


def _previous_problems(manifest: Mapping[str, Any]) -> list[Problem]:
    sequence, previous = manifest["sequence"], manifest["previous_package_uuid"]
    if sequence == 1 and previous is not None:
        return [Problem(Code.PREVIOUS, f"{M}, previous_package_uuid: gói số 1 không có gói trước, nhưng trường "
                                       f"này ghi {previous}.")]
    if sequence > 1 and previous is None:
        return [Problem(Code.PREVIOUS, f"{M}, previous_package_uuid: gói số {sequence} phải ghi mã của gói số "
                                       f"{sequence - 1}, nhưng trường này để trống.")]
    if previous is not None and previous == manifest["package_uuid"]:
        return [Problem(Code.PREVIOUS, f"{M}, previous_package_uuid: gói không thể đứng sau chính nó.")]
    return []


def chain_problems(manifest: Mapping[str, Any], manifest_sha256: str, chain: ChainFacts) -> list[Problem]:
    """The package against this commune and the packages this database already exported."""
    commune = manifest["commune"]
    if commune["code"] != chain.commune_code:
        return [Problem(Code.COMMUNE, f"{M}, commune: gói của {commune['name']} (mã {commune['code']}), không "
                                      f"phải của {chain.commune_name} (mã {chain.commune_code}).")]
    uuid, sequence = manifest["package_uuid"], manifest["sequence"]
    by_uuid = {known.uuid: known for known in chain.known}
    by_sequence = {known.sequence: known for known in chain.known}
    found: list[Problem] = []
    if uuid in by_uuid:
        known = by_uuid[uuid]
        if known.manifest_sha256 != manifest_sha256:
            return [Problem(Code.TAMPERED, f"{M}: gói {uuid} là gói số {known.sequence} đã xuất lúc "
                                           f"{_shown(known.created_at)}, nhưng manifest.json của tệp này khác bản đã "
                                           "xuất (mã SHA-256 không khớp): gói đã bị sửa.")]
    elif sequence in by_sequence:
        other = by_sequence[sequence]
        return [Problem(Code.SEQUENCE_REPLAYED, f"{M}, sequence: số thứ tự {sequence} đã dùng cho gói khác "
                                                f"({other.uuid}, xuất lúc {_shown(other.created_at)}): gói này là "
                                                "gói cũ hoặc gói giả.")]
    elif chain.known and sequence < max(by_sequence):
        return [Problem(Code.SEQUENCE_REPLAYED, f"{M}, sequence: gói số {sequence} cũ hơn gói mới nhất đã xuất "
                                                f"(số {max(by_sequence)}).")]
    else:
        found.append(_unknown_package(sequence, max(by_sequence, default=0)))
    before = by_sequence.get(sequence - 1)
    previous = manifest["previous_package_uuid"]
    if before is not None and previous != before.uuid:
        found.append(Problem(Code.PREVIOUS, f"{M}, previous_package_uuid: ghi {previous}, nhưng gói số "
                                            f"{sequence - 1} đã xuất có mã {before.uuid}."))
    return found


def _unknown_package(sequence: int, newest: int) -> Problem:
    """A package of this commune newer than every one this database knows. Numbers skipped
    between them are the same situation (packages lost with the data), named in the message."""
    lost = f"gói số {sequence} của xã này không có trong dữ liệu này"
    start = sequence
    if sequence > newest + 1:
        start = newest + 1
        known = f"dữ liệu chỉ có đến gói số {newest}" if newest else "dữ liệu chưa có gói nào"
        which = "gói" if start == sequence - 1 else "các gói"
        lost += f", {which} số {_numbers(start, sequence - 1)} trước nó cũng không có ({known})"
    advice = "hãy «Nhận lại gói»" + (f", lần lượt từ gói số {start}" if start < sequence else "")
    return Problem(Code.UNKNOWN_PACKAGE, f"{M}, package_uuid: {lost}: dữ liệu có thể đã được khôi phục từ một "
                                         f"bản sao lưu cũ hơn, hoặc gói đã ghi mà chưa kịp lưu; {advice}.")


def _numbers(first: int, last: int) -> str:
    """ "3", "3 và 4", "3, 4 và 5", "3 đến 9"."""
    if last - first > 2:
        return f"{first} đến {last}"
    numbers = [str(n) for n in range(first, last + 1)]
    return numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} và {numbers[-1]}"


def _shown(moment: str) -> str:
    try:
        return f"{datetime.fromisoformat(moment):%H:%M ngày %d/%m/%Y}"
    except ValueError:
        return moment
