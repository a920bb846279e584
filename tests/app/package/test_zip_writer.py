"""Writing a package: the same content gives the same bytes, and a failed write leaves nothing
behind but the file that was already there."""

from __future__ import annotations

import errno
import io
import json
import zipfile
from collections import namedtuple
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.errors import CancelledError, FileWriteError
from app.package import zip_writer
from app.package.format import MANIFEST_PATH, PackageError, sha256_hex
from app.package.zip_writer import PackageFile, fixed_zip, manifest_bytes, write_package
from tests.app.package.hostile import CREATED_AT, JPEG, package_parts

OLD = b"the package written last week, kept byte for byte"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".part")


def test_the_same_content_gives_identical_manifest_and_zip_bytes(tmp_path: Path) -> None:
    header, files = package_parts(tmp_path / "a")
    first = write_package(header, files, tmp_path / "a" / "goi.zip")
    header2, files2 = package_parts(tmp_path / "b")
    second = write_package(header2, list(reversed(files2)), tmp_path / "b" / "goi.zip")
    assert manifest_bytes(header, files) == manifest_bytes(header2, list(reversed(files2)))
    assert first.manifest_sha256 == second.manifest_sha256
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.file_sha256 == second.file_sha256 == sha256_hex(first.path.read_bytes())
    assert first.size == first.path.stat().st_size


def test_record_order_in_the_header_does_not_matter(tmp_path: Path) -> None:
    header, files = package_parts(tmp_path)
    swapped = replace(header, records=tuple(reversed(header.records)), rule_sets=("2025-ND152", "2025-ND152"))
    assert manifest_bytes(header, files) == manifest_bytes(swapped, files)


def test_zip_holds_the_manifest_first_then_every_file_in_path_order(tmp_path: Path) -> None:
    header, files = package_parts(tmp_path)
    written = write_package(header, files, tmp_path / "goi.zip")
    with zipfile.ZipFile(written.path) as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        assert names == [MANIFEST_PATH, *sorted(file.path for file in files)]
        assert {info.date_time for info in infos} == {(2026, 11, 24, 17, 42, 20)}
        assert {info.create_system for info in infos} == {3}
        kinds = {info.filename.rsplit(".", 1)[1]: info.compress_type for info in infos}
        assert kinds == {"json": zipfile.ZIP_DEFLATED, "xlsx": zipfile.ZIP_DEFLATED,
                         "pdf": zipfile.ZIP_STORED, "jpg": zipfile.ZIP_STORED}
        manifest_data = archive.read(MANIFEST_PATH)
        for file in files:
            assert archive.read(file.path) == (file.data if file.data is not None else JPEG)
    assert sha256_hex(manifest_data) == written.manifest_sha256
    manifest = json.loads(manifest_data)
    assert [f["path"] for f in manifest["files"]] == sorted(f.path for f in files)
    assert manifest["counts"] == {"records": 2, "subjects": 2, "documents": 5, "attachments": 1, "files": 10}
    assert [r["path"] for r in manifest["records"]] == sorted(r["path"] for r in header.records)
    assert manifest["created_at"] == CREATED_AT and manifest["format_version"] == "1.0"


def test_progress_is_reported_in_bytes_up_to_the_total(tmp_path: Path) -> None:
    header, files = package_parts(tmp_path)
    seen: list[tuple[int, int]] = []
    write_package(header, files, tmp_path / "goi.zip", report=lambda done, total: seen.append((done, total)))
    total = len(manifest_bytes(header, files)) + sum(file.size for file in files)
    assert seen[-1] == (total, total)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_an_attachment_changed_on_disk_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    header, files = package_parts(tmp_path)
    target = tmp_path / "goi.zip"
    target.write_bytes(OLD)
    (tmp_path / "scan.jpg").write_bytes(JPEG[:-1] + b"\x00")  # same size, another byte
    with pytest.raises(PackageError, match=r"scan\.jpg .*đã thay đổi sau khi được kiểm tra"):
        write_package(header, files, target)
    assert target.read_bytes() == OLD and leftovers(tmp_path) == []
    (tmp_path / "scan.jpg").write_bytes(JPEG + b"more")  # grew
    with pytest.raises(PackageError, match="đã thay đổi"):
        write_package(header, files, target)
    assert target.read_bytes() == OLD and leftovers(tmp_path) == []


def test_a_missing_attachment_is_named_not_mistaken_for_a_full_disk(tmp_path: Path) -> None:
    header, files = package_parts(tmp_path)
    (tmp_path / "scan.jpg").unlink()
    with pytest.raises(PackageError, match=r"Không đọc được tệp .*scan\.jpg \(để ghi dinh-kem/"):
        write_package(header, files, tmp_path / "goi.zip")
    assert not (tmp_path / "goi.zip").exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("after_checks", [0, 3, 10])
def test_cancelling_leaves_nothing_behind(tmp_path: Path, after_checks: int) -> None:
    header, files = package_parts(tmp_path)
    target = tmp_path / "goi.zip"
    target.write_bytes(OLD)
    asked = iter(range(100))
    with pytest.raises(CancelledError, match="Đã hủy"):
        write_package(header, files, target, cancelled=lambda: next(asked) >= after_checks)
    assert target.read_bytes() == OLD and leftovers(tmp_path) == []


class FullDisk(io.FileIO):
    """A file on a USB stick that fills up after `room` bytes."""

    room = 20_000

    def write(self, data) -> int:  # type: ignore[no-untyped-def, override]
        if self.tell() + len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)


def test_a_full_disk_mid_write_keeps_the_earlier_file_and_says_so(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    header, files = package_parts(tmp_path)
    target = tmp_path / "goi.zip"
    target.write_bytes(OLD)

    def opened(path, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith(".part") and "w" in mode:
            return FullDisk(path, "wb")
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(zip_writer, "open", opened, raising=False)
    with pytest.raises(FileWriteError, match="ổ đĩa đã đầy") as caught:
        write_package(header, files, target)
    assert isinstance(caught.value.__cause__, OSError) and caught.value.__cause__.errno == errno.ENOSPC
    assert target.read_bytes() == OLD and leftovers(tmp_path) == []


def test_too_little_free_space_is_refused_before_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    header, files = package_parts(tmp_path)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr("app.safe_files.shutil.disk_usage", lambda _folder: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(FileWriteError, match="không đủ để ghi"):
        write_package(header, files, tmp_path / "goi.zip")
    assert not (tmp_path / "goi.zip").exists() and leftovers(tmp_path) == []


def test_a_usb_stick_with_room_for_the_package_is_not_refused(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The database's 50 MB reserve is not asked of a stick that only holds the package."""
    header, files = package_parts(tmp_path)
    usage = namedtuple("usage", "total used free")
    free = 6 * 1024 * 1024
    monkeypatch.setattr("app.safe_files.shutil.disk_usage", lambda _folder: usage(64 * 1024 * 1024, 0, free))
    written = write_package(header, files, tmp_path / "goi.zip")
    assert written.size < free - zip_writer.TARGET_SPARE


def test_files_are_given_once_each_by_bytes_or_by_source(tmp_path: Path) -> None:
    header, files = package_parts(tmp_path)
    with pytest.raises(ValueError, match="listed twice"):
        manifest_bytes(header, [*files, files[0]])
    with pytest.raises(ValueError):
        PackageFile("a.pdf", "application/pdf", 1, "0" * 64)
    with pytest.raises(ValueError):
        PackageFile("a.pdf", "application/pdf", 1, "0" * 64, data=b"x", source=tmp_path)
    with pytest.raises(ValueError):
        PackageFile.of_bytes(MANIFEST_PATH, b"{}")
    with pytest.raises(ValueError, match="has no file"):
        manifest_bytes(header, files[1:])  # the first record's JSON is missing


def xlsx_saved_at(moment: datetime) -> bytes:
    workbook = Workbook()
    workbook.active.append(["STT", "Họ và tên"])
    workbook.properties.created = moment
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_fixed_zip_makes_an_xlsx_independent_of_when_it_was_saved() -> None:
    early, late = xlsx_saved_at(datetime(2020, 1, 1, 8, 0)), xlsx_saved_at(datetime(2026, 5, 5, 9, 30))
    fixed = fixed_zip(early, CREATED_AT)
    assert fixed == fixed_zip(late, CREATED_AT)
    with zipfile.ZipFile(io.BytesIO(early)) as before, zipfile.ZipFile(io.BytesIO(fixed)) as after:
        assert [i.filename for i in before.infolist()] == [i.filename for i in after.infolist()]
        assert {i.date_time for i in after.infolist()} == {(2026, 11, 24, 17, 42, 20)}
        core = after.read("docProps/core.xml").decode()
    assert core.count("2026-11-24T10:42:21Z") == 2  # created and modified, in UTC as OOXML writes them
    assert fixed_zip(fixed, CREATED_AT) == fixed
