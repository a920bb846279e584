"""Verifying a package: a valid one passes; every hostile or damaged one is refused with its
precise reason, naming the file; nothing is ever extracted."""

from __future__ import annotations

import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from app.package import verify as verify_module
from app.package import zip_safety
from app.package.format import AUDIT_PATH, MANIFEST_PATH, record_path
from app.package.verify import Verification, verify_package
from app.package.zip_writer import Written
from tests.app.package import hostile
from tests.app.package.hostile import (
    COMMUNE,
    RECORD_A,
    RECORD_B,
    TO_TRINH_A,
    chain_for,
    fixed_uuid,
    package_uuid,
    valid_package,
)

Variant = Callable[[Path, Path], Path]


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> Written:
    return valid_package(tmp_path_factory.mktemp("valid"))


def refused(verification: Verification, code: str, *named: str) -> None:
    """Refused for exactly this reason, every message naming what it is about."""
    assert not verification.ok
    assert verification.codes == {code}, verification.lines()
    for text in named:
        assert all(text in problem.message for problem in verification.problems), verification.lines()


def test_a_valid_package_verifies_with_its_counts(valid: Written) -> None:
    before = sorted(valid.path.parent.iterdir())
    seen: list[tuple[int, int]] = []
    chain = chain_for(1, manifest_sha256={1: valid.manifest_sha256})
    result = verify_package(valid.path, chain, lambda done, total: seen.append((done, total)))
    assert result.ok and result.problems == ()
    assert result.file_sha256 == valid.file_sha256 and result.manifest_sha256 == valid.manifest_sha256
    assert result.manifest is not None and result.manifest["package_uuid"] == package_uuid(1)
    assert result.lines() == [
        "Gói goi-1.zip hợp lệ.",
        "Gói số 1 của Xã Phú Lợi (mã 26734), lập lúc 17:42 ngày 24/11/2026, định dạng 1.0.",
        "2 hồ sơ của 2 đối tượng, 5 văn bản, 1 tệp đính kèm; cả 10 tệp đều đúng kích thước và mã SHA-256.",
        f"Mã SHA-256 của tệp gói: {valid.file_sha256}.",
    ]
    assert seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert sorted(valid.path.parent.iterdir()) == before  # nothing extracted


def test_the_package_this_database_exported_verifies_against_its_chain(valid: Written, tmp_path: Path) -> None:
    assert verify_package(valid.path, chain_for(1, manifest_sha256={1: valid.manifest_sha256})).ok
    second = valid_package(tmp_path, 2)
    assert verify_package(second.path, chain_for(1, 2, manifest_sha256={2: second.manifest_sha256})).ok
    assert verify_package(second.path).ok  # without a database: consistent in itself


RESTORED = ("dữ liệu có thể đã được khôi phục từ một bản sao lưu cũ hơn, hoặc gói đã ghi mà chưa kịp lưu; "
            "hãy «Nhận lại gói»")


def test_a_package_newer_than_every_known_one_is_unknown_here(valid: Written, tmp_path: Path) -> None:
    """The database was restored from a backup older than the package (or the export was
    cut between writing and recording): the package is genuine but this database lost it,
    and a new export would reuse its number."""
    second = valid_package(tmp_path, 2)
    refused(verify_package(second.path, chain_for(1)), "unknown_package",
            f"manifest.json, package_uuid: gói số 2 của xã này không có trong dữ liệu này: {RESTORED}.")
    refused(verify_package(valid.path, chain_for()), "unknown_package",
            f"gói số 1 của xã này không có trong dữ liệu này: {RESTORED}.")


@pytest.mark.parametrize(("known", "sequence", "missing"), [
    ((1, 2), 4, "gói số 3 trước nó cũng không có (dữ liệu chỉ có đến gói số 2)"),
    ((1,), 5, "các gói số 2, 3 và 4 trước nó cũng không có (dữ liệu chỉ có đến gói số 1)"),
    ((1, 2, 3), 12, "các gói số 4 đến 11 trước nó cũng không có (dữ liệu chỉ có đến gói số 3)"),
    ((), 3, "các gói số 1 và 2 trước nó cũng không có (dữ liệu chưa có gói nào)"),
])
def test_a_gap_in_the_numbers_is_the_same_loss_and_says_which(tmp_path: Path, known: tuple[int, ...],
                                                               sequence: int, missing: str) -> None:
    later = valid_package(tmp_path, sequence)
    first_missing = max(known, default=0) + 1
    refused(verify_package(later.path, chain_for(*known)), "unknown_package",
            f"gói số {sequence} của xã này không có trong dữ liệu này, {missing}: {RESTORED}, lần lượt từ gói số "
            f"{first_missing}.")


def test_an_unknown_package_not_following_the_known_one_is_also_out_of_chain(tmp_path: Path) -> None:
    stray = valid_package(tmp_path, 2, previous_uuid=fixed_uuid("not the first"))
    result = verify_package(stray.path, chain_for(1))
    assert result.codes == {"unknown_package", "previous"}, result.lines()


HOSTILE: list[tuple[str, Variant, str, tuple[str, ...]]] = [
    ("tampered byte in a PDF", hostile.tampered_pdf, "hash", (TO_TRINH_A, "đã bị thay đổi")),
    ("flipped byte in the zip", hostile.tampered_raw, "crc", (TO_TRINH_A, "CRC")),
    ("missing file", hostile.missing_file, "missing_file", (f"Thiếu tệp {TO_TRINH_A}",)),
    ("extra file", hostile.extra_file, "unexpected_file", (f"ho-so/{RECORD_A}/ghi-chu.pdf",)),
    ("wrong format name", hostile.manifest_changed(lambda m: m.update(format="zip-khac")), "format",
     ("manifest.json, format", "zip-khac")),
    ("future format version", hostile.manifest_changed(lambda m: m.update(format_version="2.0")), "format_version",
     ("gói định dạng 2.0, chương trình này đọc 1.x",)),
    ("format version not a number", hostile.manifest_changed(lambda m: m.update(format_version="mới")),
     "format_version", ("manifest.json, format_version", "«mới»")),
    ("sha256 not hex", hostile.manifest_changed(lambda m: m["files"][0].update(sha256="Z" * 64)), "schema",
     ("manifest.json, files[0].sha256",)),
    ("created_at without +07:00",
     hostile.manifest_changed(lambda m: m.update(created_at="2026-11-24T10:42:21+00:00")), "schema",
     ("manifest.json, created_at",)),
    ("created_at not a real time",
     hostile.manifest_changed(lambda m: m.update(created_at="2026-13-40T10:42:21+07:00")), "schema",
     ("manifest.json, created_at", "không phải một thời điểm có thật")),
    ("wrong media type", hostile.manifest_changed(lambda m: hostile.listing(m, TO_TRINH_A).update(
        media_type="image/png")), "schema", ("phải là «application/pdf»", TO_TRINH_A)),
    ("counts", hostile.manifest_changed(lambda m: m["counts"].update(documents=4)), "counts",
     ("manifest.json, counts.documents: ghi 4, nhưng gói có 5",)),
    ("previous of the first package", hostile.manifest_changed(lambda m: m.update(
        previous_package_uuid=fixed_uuid("x"))), "previous", ("gói số 1 không có gói trước",)),
    ("manifest missing", hostile.without_manifest, "manifest_missing", (MANIFEST_PATH,)),
    ("manifest not JSON", hostile.manifest_text(b"{\"format\": "), "manifest_json", (MANIFEST_PATH, "dòng 1")),
    ("manifest with a repeated key", hostile.manifest_text(b'{"format": "a", "format": "b"}'), "manifest_json",
     ("«format» xuất hiện hai lần",)),
    ("manifest not UTF-8", hostile.manifest_text("{\"format\": \"Xã\"}".encode("utf-16")), "manifest_json",
     ("UTF-8",)),
    ("manifest NaN", hostile.manifest_text(b'{"sequence": NaN}'), "manifest_json", ("NaN",)),
    ("manifest Infinity", hostile.manifest_text(b'{"sequence": -Infinity}'), "manifest_json", ("«-Infinity»",)),
    ("manifest nested too deep", hostile.manifest_text(b'{"a": ' + b"[" * 64 + b"]" * 64 + b"}"), "manifest_json",
     ("manifest.json lồng quá nhiều tầng (giới hạn 64 tầng)",)),
    ("record header differs from the manifest",
     hostile.json_changed(record_path(RECORD_B), lambda r: r["record"].update(version=3)), "records",
     (f"{record_path(RECORD_B)}, record.version: ghi «3», manifest.json ghi «2»",)),
    ("record breaks its schema", hostile.json_changed(record_path(RECORD_A), lambda r: r.pop("subject")), "schema",
     (f"{record_path(RECORD_A)}: thiếu trường «subject»",)),
    ("record not JSON", hostile.file_changed(record_path(RECORD_A), lambda d: d[:-10]), "record_json",
     (record_path(RECORD_A),)),
    ("record lists a file not in the package",
     hostile.json_changed(record_path(RECORD_B), lambda r: r["documents"][0].update(path="ho-so/khac.pdf")),
     "records", (f"{record_path(RECORD_B)}, documents[0].path",)),
    ("audit entry edited", hostile.json_changed(AUDIT_PATH, lambda a: a["entries"][1].update(summary="Sửa")),
     "audit", ("nhat-ky.json, entries[1]: dòng nhật ký số 9",)),
    ("audit not JSON", hostile.file_changed(AUDIT_PATH, lambda d: b"[" + d), "audit_json", (AUDIT_PATH,)),
    ("size differs", hostile.manifest_changed(lambda m: hostile.listing(m, TO_TRINH_A).update(size=10)), "size",
     (TO_TRINH_A, "ghi 10 byte")),
    ("path ../../x", hostile.named("../../x"), "unsafe_path", ("«../../x»", "..")),
    ("path a/../../x", hostile.named("ho-so/../../x.pdf"), "unsafe_path", ("«ho-so/../../x.pdf»",)),
    ("absolute path /etc/x", hostile.named("/etc/x"), "absolute_path", ("«/etc/x»", "tuyệt đối")),
    ("absolute path C:/x", hostile.named("C:/x"), "absolute_path", ("«C:/x»",)),
    # Windows' zipfile reads "\\" as "/", so there the reason is the "..": either way unsafe
    ("backslash path", hostile.named("ho-so\\..\\x.pdf"), "unsafe_path", ("x.pdf»",)),
    ("drive-relative path", hostile.named("C:x.pdf"), "unsafe_path", ("«C:x.pdf»", "«:»")),
    ("control character", hostile.named("ho-so/x\x07.pdf"), "unsafe_path", ("ký tự điều khiển",)),
    ("dot segment", hostile.named("ho-so/./x.pdf"), "unsafe_path", ("«.»",)),
    ("Windows device name", hostile.named("ho-so/con.pdf"), "unsafe_path", ("tên thiết bị",)),
    ("Windows console device", hostile.named("ho-so/CONIN$.pdf"), "unsafe_path", ("«CONIN$.pdf» là tên thiết bị",)),
    ("Windows console output", hostile.named("ho-so/conout$.pdf"), "unsafe_path", ("tên thiết bị",)),
    ("Windows clock device", hostile.named("CLOCK$"), "unsafe_path", ("tên thiết bị",)),
    ("Windows port with a superscript digit", hostile.named("ho-so/COM¹.pdf"), "unsafe_path", ("«COM¹.pdf»",)),
    ("Windows printer with a superscript digit", hostile.named("lpt³.jpg"), "unsafe_path", ("tên thiết bị",)),
    ("symlink", hostile.named("ho-so/link.pdf", b"/etc/passwd", external_attr=(stat.S_IFLNK | 0o777) << 16),
     "link", ("«ho-so/link.pdf»", "symlink")),
    ("device file", hostile.named("ho-so/dev.pdf", b"", external_attr=(stat.S_IFCHR | 0o600) << 16), "link",
     ("«ho-so/dev.pdf»",)),
    ("directory entry", hostile.named("ho-so/", b""), "directory", ("«ho-so/»",)),
    ("duplicate name", hostile.duplicate(TO_TRINH_A), "duplicate_name", (TO_TRINH_A, "trùng tên")),
    ("names differing only by case", hostile.duplicate(TO_TRINH_A.upper()), "duplicate_name",
     (TO_TRINH_A.upper(), "chữ hoa/thường")),
    ("encrypted flag", hostile.encrypted, "encrypted", (TO_TRINH_A, "bị mã hóa")),
    ("bzip2 compression", hostile.bzip2, "compression", (TO_TRINH_A,)),
    ("overlapping entries", hostile.overlapping, "overlap", (TO_TRINH_A,)),
    ("truncated file", hostile.truncated, "not_zip", ("bi.zip",)),
    ("not a zip", hostile.not_a_zip, "not_zip", ("không phải tệp zip",)),
]


@pytest.mark.parametrize(("variant", "code", "named"), [case[1:] for case in HOSTILE],
                         ids=[case[0] for case in HOSTILE])
def test_a_hostile_package_is_refused_with_its_precise_reason(valid: Written, tmp_path: Path, variant: Variant,
                                                              code: str, named: tuple[str, ...]) -> None:
    path = variant(valid.path, tmp_path / "bi.zip")
    result = verify_package(path)
    refused(result, code, *named)
    lines = result.lines()
    assert lines[0].startswith("Gói bi.zip KHÔNG hợp lệ")
    assert lines[1:] == [f"– {problem.message}" for problem in result.problems]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bi.zip"]  # nothing extracted


def test_names_equal_after_unicode_normalisation_are_duplicates(valid: Written, tmp_path: Path) -> None:
    composed = "ho-so/Tờ-trình.pdf"
    path = hostile.write_entries(tmp_path / "bi.zip", [
        *hostile.entries_of(valid.path), hostile.Entry(composed, b"1"),
        hostile.Entry(unicodedata.normalize("NFD", composed), b"2")])
    refused(verify_package(path), "duplicate_name", "cách ghi dấu")


def test_a_zip_bomb_is_refused_without_being_inflated(valid: Written, tmp_path: Path) -> None:
    path = hostile.bomb(valid.path, tmp_path / "bi.zip", mebibytes=200)
    assert path.stat().st_size < 2 * 1024 * 1024
    seen: list[int] = []
    refused(verify_package(path, report=lambda done, total: seen.append(done)), "ratio", "bom zip", "200,0 MB")
    assert max(seen) <= path.stat().st_size  # the file was hashed, no entry was read


def test_a_zip_bomb_declared_small_stops_at_its_declared_size(valid: Written, tmp_path: Path) -> None:
    path = hostile.bomb(valid.path, tmp_path / "bi.zip", mebibytes=200, declared=1000)
    seen: list[int] = []
    result = verify_package(path, report=lambda done, total: seen.append(done))
    refused(result, "crc", "dinh-kem/", "bị hỏng")
    assert max(seen) < path.stat().st_size + 200_000  # read: the file once, the small files, 1000 bytes


def test_another_communes_package_is_refused(valid: Written, tmp_path: Path) -> None:
    other = dict(COMMUNE, code=99999, name="Xã Khác")
    path = hostile.manifest_changed(lambda m: m.update(commune=other))(valid.path, tmp_path / "bi.zip")
    assert verify_package(path).ok  # consistent in itself ...
    refused(verify_package(path, chain_for(1)), "commune",
            "gói của Xã Khác (mã 99999), không phải của Xã Phú Lợi (mã 26734)")


def test_a_replayed_sequence_number_is_refused(tmp_path: Path) -> None:
    again = valid_package(tmp_path, 2, uuid=fixed_uuid("another package"))
    refused(verify_package(again.path, chain_for(1, 2, 3)), "sequence_replayed",
            "số thứ tự 2 đã dùng cho gói khác", package_uuid(2))


def test_an_older_package_unknown_here_is_refused(tmp_path: Path) -> None:
    old = valid_package(tmp_path, 1, uuid=fixed_uuid("old package"))
    chain = chain_for()
    chain = type(chain)(chain.commune_code, chain.commune_name, chain_for(2, 3).known)
    refused(verify_package(old.path, chain), "sequence_replayed", "cũ hơn gói mới nhất đã xuất (số 3)")


def test_a_known_package_with_another_manifest_is_tampered(valid: Written) -> None:
    refused(verify_package(valid.path, chain_for(1)), "tampered", package_uuid(1), "gói đã bị sửa")


def test_previous_must_name_the_known_package_before_it(tmp_path: Path) -> None:
    stray = valid_package(tmp_path, 2, previous_uuid=fixed_uuid("not the first"))
    chain = chain_for(1, 2, manifest_sha256={2: stray.manifest_sha256})
    refused(verify_package(stray.path, chain), "previous", f"đã xuất có mã {package_uuid(1)}")
    unchained = valid_package(tmp_path / "b", 2, previous_uuid=None)
    refused(verify_package(unchained.path), "previous", "gói số 2 phải ghi mã của gói số 1")


def test_a_newer_minor_version_is_read_ignoring_what_it_adds(valid: Written, tmp_path: Path) -> None:
    def newer(manifest: dict) -> None:
        manifest.update(format_version="1.3", signature={"by": "tương lai"})
        manifest["files"][0]["note"] = "thêm"
    record = hostile.json_changed(record_path(RECORD_A), lambda r: r.update(signatures=[]))(
        valid.path, tmp_path / "ban-ghi.zip")
    path = hostile.manifest_changed(newer)(record, tmp_path / "moi.zip")
    assert verify_package(path).ok
    refused(verify_package(record), "schema", f"{record_path(RECORD_A)}: có trường không thuộc định dạng")
    same_version = hostile.manifest_changed(lambda m: m.update(signature={}))(valid.path, tmp_path / "bi.zip")
    refused(verify_package(same_version), "schema", "«signature»")


def test_a_file_outside_the_layout_or_of_an_unknown_record_is_refused(valid: Written, tmp_path: Path) -> None:
    stray = hostile.add_listed(hostile.entries_of(valid.path), "khac/x.pdf", b"%PDF-")
    refused(verify_package(hostile.write_entries(tmp_path / "a.zip", stray)), "schema",
            "«khac/x.pdf» không thuộc cấu trúc gói")
    orphan = hostile.add_listed(hostile.entries_of(valid.path), f"ho-so/{fixed_uuid('nobody')}/to-trinh.pdf", b"%PDF-")
    refused(verify_package(hostile.write_entries(tmp_path / "b.zip", orphan)), "records",
            f"thuộc hồ sơ {fixed_uuid('nobody')}")


def test_an_unreadable_path_and_an_empty_file(tmp_path: Path) -> None:
    refused(verify_package(tmp_path / "khong-co.zip"), "unreadable", "khong-co.zip")
    (tmp_path / "rong.zip").write_bytes(b"")
    refused(verify_package(tmp_path / "rong.zip"), "not_zip", "rong.zip")


def test_limits_refuse_before_reading(valid: Written, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zip_safety, "MAX_ENTRY_SIZE", 5000)
    refused(verify_package(valid.path), "entry_too_large", "vượt giới hạn")
    monkeypatch.undo()
    monkeypatch.setattr(zip_safety, "MAX_TOTAL_SIZE", 20_000)
    refused(verify_package(valid.path), "total_too_large", "cộng lại")
    monkeypatch.undo()
    monkeypatch.setattr(zip_safety, "MAX_ENTRIES", 5)
    refused(verify_package(valid.path), "too_many_entries", "11 mục")
    monkeypatch.undo()
    monkeypatch.setattr(verify_module, "MAX_TOTAL_SIZE", 1000)
    refused(verify_package(valid.path), "too_big", "goi-1.zip")
