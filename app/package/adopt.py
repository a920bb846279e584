"""Taking back a package the commune sent that this database does not know («Nhận lại gói»).

After a restore from a backup older than a package, or a power cut between writing a
package and recording it, the file exists (on the USB stick, at the province, in the data
folder's copies) but the database has no row for it, and the export refuses to go on
(lost_packages.py). Adopting verifies the file fully and records it as if it had just been
exported, so the next export continues its numbering and names it as the previous package.

The records' `content_sha256` cannot be the export's own (records.py hashes the officer's
document texts too, which the package does not carry): it is the SHA-256 of the canonical
record body without its "record" header, its documents and its attachments' package paths.
It never equals a hash the export computes, so the next export treats those nominations as
changed and may send them again as a new version: safe, where the opposite would not be.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.package.context import PackageContext
from app.package.export import chain_facts
from app.package.format import MAX_JSON_SIZE, PackageError, canonical_json, sha256_hex
from app.package.recording import Sent, Version, add_package, keep_copy
from app.package.problems import Code
from app.package.verify import verify_package
from app.roles import Permission, require
from app.safe_files import remove_quietly

@dataclass(frozen=True)
class AdoptResult:
    sequence: int
    package_uuid: str
    record_count: int
    path: Path


def adopt(ctx: PackageContext, path: Path, data_folder: Path) -> AdoptResult:
    """Verify the package file at `path` and record it (Package, PackageRecord rows, an audit
    entry "adopt") in one transaction, keeping a copy in the data folder like an export.

    Refused with a PackageError naming the reason: a file that fails verification (every
    problem listed), another commune's package, one the database already has, a number
    already used by another package, or one after a number still missing: packages are
    taken back in order, since one skipped could never be taken back (its number would be
    older than the newest known, which the verifier refuses as a replay).
    """
    require(ctx.actor, Permission.RUN_EMULATION)
    path = Path(path).resolve()
    with ctx.sessions() as session:
        chain = chain_facts(session)
    verification = verify_package(path, chain)
    manifest = verification.manifest
    if manifest is not None and _is_package(manifest):
        commune = manifest["commune"]
        if commune["code"] != chain.commune_code:
            raise PackageError(f"Tệp {path.name} là gói hồ sơ của {commune['name']} (mã {commune['code']}), không "
                               f"phải của {chain.commune_name} (mã {chain.commune_code}); không nhận gói này.")
        uuid, sequence = manifest["package_uuid"], manifest["sequence"]
        for known in chain.known:
            if known.uuid == uuid and known.manifest_sha256 == verification.manifest_sha256:
                raise PackageError(f"Gói số {known.sequence} ({path.name}) đã có trong dữ liệu này; không cần "
                                   "nhận lại.")
            if known.uuid != uuid and known.sequence == sequence:
                raise PackageError(f"Số thứ tự {sequence} đã dùng cho một gói khác trong dữ liệu này (mã "
                                   f"{known.uuid}); tệp {path.name} không phải gói bị thiếu nên không nhận.")
        newest = max((known.sequence for known in chain.known), default=0)
        if sequence > newest + 1:
            has = f"dữ liệu này chỉ có đến gói số {newest}" if newest else "dữ liệu này chưa có gói nào"
            raise PackageError(f"Tệp {path.name} là gói số {sequence}, nhưng {has}: hãy nhận lại lần lượt từ gói số "
                               f"{newest + 1} trước, vì gói bị bỏ qua sẽ không nhận lại được nữa.")
    # The one problem a package to adopt has by definition: this commune's, numbered after
    # every package the database knows, with a UUID it does not know.
    problems = [problem for problem in verification.problems if problem.code != Code.UNKNOWN_PACKAGE]
    if problems or manifest is None:
        raise PackageError(f"Không nhận gói {path.name} vì tệp không hợp lệ: "
                           + " ".join(f"– {problem.message}" for problem in problems))
    versions, size = _versions(path, manifest)
    copy = keep_copy(path, data_folder, verification.file_sha256)
    sent = Sent(manifest["package_uuid"], manifest["commune"]["code"], manifest["sequence"],
                manifest["previous_package_uuid"], manifest["created_at"], manifest["format_version"], path,
                size, verification.file_sha256, verification.manifest_sha256)
    try:
        with ctx.sessions.begin() as session:
            add_package(session, ctx, sent, versions, "adopt",
                        f"Nhận lại gói hồ sơ số {sent.sequence} đã gửi tỉnh ({len(versions)} đề nghị)")
    except BaseException:
        if copy is not None:
            remove_quietly(copy)
        raise
    return AdoptResult(sent.sequence, sent.uuid, len(versions), path)


def _is_package(manifest: Mapping[str, Any]) -> bool:
    """The manifest has the fields the checks above read (verify_package reports it otherwise)."""
    commune = manifest.get("commune")
    return (isinstance(commune, dict) and isinstance(commune.get("code"), int)
            and isinstance(manifest.get("package_uuid"), str) and isinstance(manifest.get("sequence"), int))


def _versions(path: Path, manifest: Mapping[str, Any]) -> tuple[list[Version], int]:
    """The PackageRecord rows of the package's records, read from its records/<uuid>.json,
    and the file's size."""
    versions = []
    try:
        size = path.stat().st_size
        with zipfile.ZipFile(path) as archive:
            for entry in manifest["records"]:
                with archive.open(entry["path"]) as reader:
                    body = json.loads(reader.read(MAX_JSON_SIZE + 1))
                nomination, subject = body["nomination"], body["subject"]
                versions.append(Version(entry["uuid"], entry["nomination_uuid"], entry["version"],
                                        entry["supersedes"], content_sha256(body), str(subject["name"]),
                                        str(nomination["award_code"]), int(nomination["year"])))
    except (OSError, zipfile.BadZipFile, ValueError, KeyError, TypeError) as error:
        raise PackageError(f"Không đọc được hồ sơ trong gói {path.name} ({error}); không nhận gói này.") from error
    return versions, size


def content_sha256(body: Mapping[str, Any]) -> str:
    """The adopted record's content hash (see the module's docstring)."""
    content = {key: value for key, value in body.items() if key not in ("record", "documents")}
    content["attachments"] = [{key: value for key, value in item.items() if key != "path"}
                              for item in body.get("attachments", [])]
    return sha256_hex(canonical_json(content))
