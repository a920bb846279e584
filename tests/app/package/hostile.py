"""A small valid package built with write_package, and the hostile variants the verifier must
refuse: each made with zipfile's low-level writing (ZipInfo) or by patching the zip's own
headers, the way an attacker or a damaged USB stick would produce them."""

from __future__ import annotations

import json
import struct
import uuid
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl import Workbook

from app.audit import GENESIS_HASH, entry_hash
from app.package.format import (
    AUDIT_PATH,
    LISTING_PATH,
    MANIFEST_PATH,
    attachment_path,
    canonical_json,
    document_path,
    minutes_path,
    record_path,
    sha256_hex,
)
from app.package.verify import ChainFacts, KnownPackage
from app.package.zip_writer import PackageFile, PackageHeader, Written, fixed_zip, write_package

COMMUNE = {"code": 26734, "name": "Xã Phú Lợi", "province_code": 75, "province_name": "Tỉnh Đồng Nai"}
CREATED_AT = "2026-11-24T17:42:21+07:00"
_NAMESPACE = uuid.UUID("6f1c2a34-8d1e-4b5a-9c3f-2e7d9a0b1c4d")


def fixed_uuid(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, name))


RECORD_A, RECORD_B = fixed_uuid("record-a"), fixed_uuid("record-b")
NOMINATION_A, NOMINATION_B = fixed_uuid("nomination-a"), fixed_uuid("nomination-b")
OLD_RECORD_B = fixed_uuid("record-b-version-1")
SESSION = fixed_uuid("council-session")
ATTACHMENT = fixed_uuid("attachment")
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 60
ZIP_TIME = (2026, 11, 24, 17, 42, 20)
MiB = 1024 * 1024


def package_uuid(sequence: int) -> str:
    return fixed_uuid(f"package-{sequence}")


def listing_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["STT", "Họ và tên"])
    workbook.active.append([1, "Nguyễn Văn Cứu"])
    from io import BytesIO

    out = BytesIO()
    workbook.save(out)
    return fixed_zip(out.getvalue(), CREATED_AT)


def audit_entry(number: int, entity_uuid: str, summary: str) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": number, "uuid": fixed_uuid(f"audit-{number}"), "at": "2026-11-20T03:00:00.000000+00:00",
        "user_id": 2, "username": "canbo", "full_name": "Nguyễn Thị Cán", "action": "propose",
        "entity": "nomination", "entity_uuid": entity_uuid, "summary": summary,
        "old_values": '{"state":"voted"}', "new_values": '{"state":"proposed"}', "reason": None,
        "prev_hash": GENESIS_HASH,
    }
    entry["hash"] = entry_hash(entry)
    return entry


def record_body(record: str, nomination: str, version: int, supersedes: str | None,
                documents: list[str], attachments: list[dict[str, object]]) -> dict[str, object]:
    """A record as app/package/records.py writes one: every section with its required fields,
    a history item of each type, a check, and the council's vote when minutes are listed."""
    def named(what: str) -> str:
        return fixed_uuid(f"{what}-{record}")

    voted = any(path.startswith("bien-ban/") for path in documents)
    return {
        "record": {"uuid": record, "nomination_uuid": nomination, "version": version, "supersedes": supersedes},
        "nomination": {
            "uuid": nomination, "year": 2025, "award_code": "BK_TINH", "award_label": "Bằng khen của Chủ tịch UBND tỉnh",
            "procedure": "standard", "basis_kind": "annual_duty", "route": "initiatives", "action": "propose",
            "state": "proposed", "achievement_summary": "Hai năm liền hoàn thành xuất sắc nhiệm vụ.",
            "proposed_on": "2026-11-05",
            "events": [{"action": "propose", "from_state": "public_notice", "to_state": "proposed",
                        "on": "2026-11-05", "at": "2026-11-05T09:00:00+07:00", "reason": ""}]},
        "subject": {"uuid": named("subject"), "kind": "individual", "kind_label": "Cá nhân",
                    "name": "Nguyễn Văn Cứu"},
        "history": [
            {"type": "rating", "uuid": named("rating"), "year": 2025, "rating": "htxs"},
            {"type": "award", "uuid": named("award"), "year": 2024, "award_code": "GK_XA", "award_label": "Giấy khen",
             "decision_number": "12/QĐ-UBND", "decision_date": "2024-12-20", "issuer": "Chủ tịch UBND xã",
             "revoked_on": None},
            {"type": "initiative", "uuid": named("initiative"), "year": 2025, "title": "Số hóa hồ sơ một cửa",
             "scope": "base", "decision_number": "25/QĐ-UBND", "decision_date": "2025-12-01"},
            {"type": "discipline", "uuid": named("discipline"), "year": 2021, "form": "khien_trach",
             "decided_on": "2021-03-01", "ends_on": "2021-09-01"},
        ],
        "checks": [{"uuid": named("check"), "award_code": "BK_TINH", "verdict": "eligible", "rule_set": "2025-ND152",
                    "engine_version": "1", "checked_at": "2026-10-20T08:00:00+07:00", "reporting_years": [2024, 2025],
                    "result": {"verdict": "eligible"}}],
        "council": None if not voted else {
            "session_uuid": SESSION, "held_on": "2026-10-21", "members": 3, "present": 3,
            "member_list": [{"full_name": "Trần Văn An", "present": True}] * 3, "votes_for": 3, "votes_not_for": 0,
            "passed": True, "result": "Đạt", "vote_uuid": named("vote")},
        "decisions": [{"uuid": named("decision"), "number": "12/QĐ-UBND", "decided_on": "2024-12-20",
                       "items": [{"uuid": named("decision-item"), "award_code": "GK_XA", "year": 2024}]}],
        "documents": [{"kind": "bien-ban" if path.startswith("bien-ban/") else path.rsplit("/", 1)[1][:-4],
                       "label": "Văn bản", "path": path} for path in documents],
        "attachments": attachments,
    }


def package_parts(folder: Path, sequence: int = 1) -> tuple[PackageHeader, list[PackageFile]]:
    """Two records (a first version with a scan and minutes, a second version of another
    nomination), the listing and the audit excerpt; the scan is streamed from `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    scan = folder / "scan.jpg"
    scan.write_bytes(JPEG)
    scan_path = attachment_path(RECORD_A, ATTACHMENT, "image/jpeg")
    docs_a = [document_path(RECORD_A, "to-trinh"), document_path(RECORD_A, "bao-cao-thanh-tich"), minutes_path(SESSION)]
    docs_b = [document_path(RECORD_B, "to-trinh"), document_path(RECORD_B, "bao-cao-thanh-tich")]
    scan_item = {"uuid": ATTACHMENT, "dossier_part": "xac_nhan_sang_kien", "file_name": "xac-nhan.jpg",
                 "path": scan_path, "media_type": "image/jpeg", "size": len(JPEG), "sha256": sha256_hex(JPEG)}
    files = [
        PackageFile.of_bytes(record_path(RECORD_A), canonical_json(
            record_body(RECORD_A, NOMINATION_A, 1, None, docs_a, [scan_item]))),
        PackageFile.of_bytes(record_path(RECORD_B), canonical_json(
            record_body(RECORD_B, NOMINATION_B, 2, OLD_RECORD_B, docs_b, []))),
        *(PackageFile.of_bytes(path, PDF + path.encode()) for path in docs_a + docs_b),
        PackageFile(scan_path, "image/jpeg", len(JPEG), sha256_hex(JPEG), source=scan),
        PackageFile.of_bytes(LISTING_PATH, listing_bytes()),
        PackageFile.of_bytes(AUDIT_PATH, canonical_json({"entries": [
            audit_entry(7, NOMINATION_A, "Gửi đề nghị lên tỉnh"), audit_entry(9, NOMINATION_B, "Gửi lại")]})),
    ]
    records = (
        {"uuid": RECORD_A, "nomination_uuid": NOMINATION_A, "version": 1, "supersedes": None,
         "path": record_path(RECORD_A)},
        {"uuid": RECORD_B, "nomination_uuid": NOMINATION_B, "version": 2, "supersedes": OLD_RECORD_B,
         "path": record_path(RECORD_B)},
    )
    header = PackageHeader(
        uuid=package_uuid(sequence), sequence=sequence,
        previous_uuid=package_uuid(sequence - 1) if sequence > 1 else None, created_at=CREATED_AT,
        commune=COMMUNE, app_version="0.1.0", rule_sets=("2025-ND152",), engine_version="1",
        template_version="nd30-2020/1", records=records, subjects=2)
    return header, files


def valid_package(folder: Path, sequence: int = 1, **changes: object) -> Written:
    """The package, with header fields changed if asked (another uuid, previous...)."""
    header, files = package_parts(folder, sequence)
    return write_package(replace(header, **changes), files, folder / f"goi-{sequence}.zip")


def chain_for(*sequences: int, manifest_sha256: dict[int, str] | None = None) -> ChainFacts:
    """This commune's database knowing the packages of these sequence numbers."""
    hashes = manifest_sha256 or {}
    return ChainFacts(COMMUNE["code"], COMMUNE["name"], tuple(
        KnownPackage(package_uuid(n), n, hashes.get(n, sha256_hex(f"manifest {n}".encode())), CREATED_AT)
        for n in sequences))


# --- rewriting a package ---------------------------------------------------------------------


@dataclass
class Entry:
    name: str
    data: bytes
    compress_type: int = zipfile.ZIP_STORED
    external_attr: int = 0o100644 << 16


def entries_of(path: Path) -> list[Entry]:
    with zipfile.ZipFile(path) as archive:
        return [Entry(info.filename, archive.read(info), info.compress_type, info.external_attr)
                for info in archive.infolist()]


def write_entries(target: Path, entries: Iterable[Entry]) -> Path:
    """A zip of exactly these entries (duplicates allowed), through ZipInfo."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names; that is the point
        with zipfile.ZipFile(target, "w") as archive:
            for entry in entries:
                info = zipfile.ZipInfo(entry.name, ZIP_TIME)
                info.compress_type = entry.compress_type
                info.external_attr = entry.external_attr
                archive.writestr(info, entry.data)
    return target


def manifest_of(entries: list[Entry]) -> dict:
    return json.loads(next(e.data for e in entries if e.name == MANIFEST_PATH))


def with_manifest(entries: list[Entry], change: Callable[[dict], None]) -> list[Entry]:
    manifest = manifest_of(entries)
    change(manifest)
    return [Entry(e.name, canonical_json(manifest), e.compress_type) if e.name == MANIFEST_PATH else e
            for e in entries]


def listing(manifest: dict, path: str) -> dict:
    return next(file for file in manifest["files"] if file["path"] == path)


def add_listed(entries: list[Entry], name: str, data: bytes, media_type: str = "application/pdf") -> list[Entry]:
    """An extra entry that the manifest lists too (so only its name is hostile)."""
    def change(manifest: dict) -> None:
        manifest["files"].append({"path": name, "size": len(data), "sha256": sha256_hex(data),
                                  "media_type": media_type})
        manifest["counts"]["files"] += 1
        folder = name.split("/", 1)[0]
        if folder == "dinh-kem":
            manifest["counts"]["attachments"] += 1
        elif folder in ("ho-so", "bien-ban"):
            manifest["counts"]["documents"] += 1
    return [*with_manifest(entries, change), Entry(name, data)]


def patch_entry(data: bytes, name: str, *, flag_bits: int | None = None, method: int | None = None,
                crc: int | None = None, file_size: int | None = None, compress_size: int | None = None) -> bytes:
    """The zip bytes with one entry's header fields changed, in the central directory and in its
    local header alike."""
    out = bytearray(data)
    end = data.rfind(b"PK\x05\x06")
    count, _size, offset = struct.unpack("<HII", data[end + 10:end + 20])
    at = offset
    for _ in range(count):
        name_length, extra_length, comment_length = struct.unpack("<HHH", data[at + 28:at + 34])
        (local,) = struct.unpack("<I", data[at + 42:at + 46])
        if data[at + 46:at + 46 + name_length].decode("utf-8") == name:
            for value, central_at, local_at, form in (
                    (flag_bits, 8, 6, "<H"), (method, 10, 8, "<H"), (crc, 16, 14, "<I"),
                    (compress_size, 20, 18, "<I"), (file_size, 24, 22, "<I")):
                if value is not None:
                    struct.pack_into(form, out, at + central_at, value)
                    struct.pack_into(form, out, local + local_at, value)
            return bytes(out)
        at += 46 + name_length + extra_length + comment_length
    raise KeyError(name)


def zeros_deflated(mebibytes: int) -> bytes:
    """A raw deflate stream of that many MiB of zeros, made in milliseconds: each full flush
    resets the compressor, so one compressed MiB repeats."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(MiB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * mebibytes + compressor.flush()


def zeros_crc(mebibytes: int) -> int:
    crc, block = 0, bytes(MiB)
    for _ in range(mebibytes):
        crc = zlib.crc32(block, crc)
    return crc


def bomb(valid: Path, target: Path, mebibytes: int = 200, declared: int | None = None) -> Path:
    """The valid package plus dinh-kem/<record>/<uuid>.pdf: `mebibytes` MiB of zeros deflated
    to about 200 kB. With `declared`, the zip headers and the manifest claim that small size."""
    name = attachment_path(RECORD_A, fixed_uuid("bomb"), "application/pdf")
    stream = zeros_deflated(mebibytes)
    size = declared if declared is not None else mebibytes * MiB
    entries = add_listed(entries_of(valid), name, b"")
    entries = with_manifest(entries, lambda m: listing(m, name).update(size=size, sha256="0" * 64))
    entries[-1] = Entry(name, stream)  # stored as is, then relabelled as deflate below
    data = write_entries(target, entries).read_bytes()
    data = patch_entry(data, name, method=zipfile.ZIP_DEFLATED, file_size=size,
                       crc=zeros_crc(mebibytes) if declared is None else 0)
    target.write_bytes(data)
    return target


# --- the hostile variants: each takes the valid package and writes one bad copy -------------

TO_TRINH_A = document_path(RECORD_A, "to-trinh")


def _changed(valid: Path, target: Path, name: str, change: Callable[[bytes], bytes]) -> list[Entry]:
    return [Entry(e.name, change(e.data), e.compress_type) if e.name == name else e for e in entries_of(valid)]


def tampered_pdf(valid: Path, target: Path) -> Path:
    """One byte of a tờ trình changed and the zip re-packed, so its own CRC is right."""
    def flip(data: bytes) -> bytes:
        return data[:100] + bytes([data[100] ^ 0x01]) + data[101:]
    return write_entries(target, _changed(valid, target, TO_TRINH_A, flip))


def tampered_raw(valid: Path, target: Path) -> Path:
    """One byte flipped inside the stored PDF in the .zip itself, as a bad sector would."""
    data = bytearray(valid.read_bytes())
    at = data.index(PDF + TO_TRINH_A.encode()) + 100
    data[at] ^= 0x01
    target.write_bytes(bytes(data))
    return target


def missing_file(valid: Path, target: Path) -> Path:
    return write_entries(target, [e for e in entries_of(valid) if e.name != TO_TRINH_A])


def extra_file(valid: Path, target: Path) -> Path:
    return write_entries(target, [*entries_of(valid), Entry(f"ho-so/{RECORD_A}/ghi-chu.pdf", PDF)])


def manifest_changed(change: Callable[[dict], None]) -> Callable[[Path, Path], Path]:
    def variant(valid: Path, target: Path) -> Path:
        return write_entries(target, with_manifest(entries_of(valid), change))
    return variant


def file_changed(name: str, change: Callable[[bytes], bytes]) -> Callable[[Path, Path], Path]:
    """A file of the package changed and the manifest updated to match its new size and hash:
    only what the file says is wrong."""
    def variant(valid: Path, target: Path) -> Path:
        entries = _changed(valid, target, name, change)
        data = next(e.data for e in entries if e.name == name)
        entries = with_manifest(entries, lambda m: listing(m, name).update(size=len(data), sha256=sha256_hex(data)))
        return write_entries(target, entries)
    return variant


def json_changed(name: str, change: Callable[[dict], None]) -> Callable[[Path, Path], Path]:
    def edit(data: bytes) -> bytes:
        value = json.loads(data)
        change(value)
        return canonical_json(value)
    return file_changed(name, edit)


def named(name: str, data: bytes = PDF, **attributes: int) -> Callable[[Path, Path], Path]:
    """The valid package plus one more entry of that name (or with those attributes): the
    central directory alone must get it refused."""
    def variant(valid: Path, target: Path) -> Path:
        return write_entries(target, [*entries_of(valid), Entry(name, data, **attributes)])
    return variant


def duplicate(second_name: str) -> Callable[[Path, Path], Path]:
    def variant(valid: Path, target: Path) -> Path:
        entries = entries_of(valid)
        original = next(e for e in entries if e.name == TO_TRINH_A)
        return write_entries(target, [*entries, Entry(second_name, original.data + b"%other")])
    return variant


def encrypted(valid: Path, target: Path) -> Path:
    target.write_bytes(patch_entry(valid.read_bytes(), TO_TRINH_A, flag_bits=0x01))
    return target


def overlapping(valid: Path, target: Path) -> Path:
    """The tờ trình's compressed size claims the bytes of the entries after it."""
    with zipfile.ZipFile(valid) as archive:
        size = archive.getinfo(TO_TRINH_A).compress_size
    target.write_bytes(patch_entry(valid.read_bytes(), TO_TRINH_A, compress_size=size + 50_000,
                                   file_size=size + 50_000))
    return target


def bzip2(valid: Path, target: Path) -> Path:
    return write_entries(target, [Entry(e.name, e.data, zipfile.ZIP_BZIP2 if e.name == TO_TRINH_A else e.compress_type)
                                  for e in entries_of(valid)])


def truncated(valid: Path, target: Path) -> Path:
    data = valid.read_bytes()
    target.write_bytes(data[:len(data) // 2])
    return target


def not_a_zip(valid: Path, target: Path) -> Path:
    target.write_bytes("Đây là một tệp văn bản, không phải gói hồ sơ.\n".encode() * 50)
    return target


def without_manifest(valid: Path, target: Path) -> Path:
    return write_entries(target, [e for e in entries_of(valid) if e.name != MANIFEST_PATH])


def manifest_text(text: bytes) -> Callable[[Path, Path], Path]:
    def variant(valid: Path, target: Path) -> Path:
        return write_entries(target, [Entry(e.name, text) if e.name == MANIFEST_PATH else e
                                      for e in entries_of(valid)])
    return variant
