"""Atomic writes and the free-space check: a failed write never damages the file already there."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import Workbook

from app import safe_files
from app.errors import FileWriteError
from app.excel_export import write_template
from app.safe_files import SPARE_BYTES, atomic_path, ensure_free_space, write_bytes

OLD = b"old content \x00\xff kept byte for byte"
MB = 1024 * 1024


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(OLD)
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def _can_create_in(folder: Path) -> bool:
    try:
        (folder / "probe").touch()
    except OSError:
        return False
    (folder / "probe").unlink()
    return True


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder the OS refuses to write in; root ignores permission bits, so it also gets
    the immutable attribute when that is available."""
    folder = tmp_path / "chi-doc"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = False
    if _can_create_in(folder) and shutil.which("chattr"):
        immutable = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
    try:
        if _can_create_in(folder):
            pytest.skip("this user can write in a read-only folder (root without chattr)")
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_write_bytes_replaces_the_file_and_leaves_no_part(target: Path) -> None:
    write_bytes(target, b"new")

    assert target.read_bytes() == b"new"
    assert _leftovers(target.parent) == []


def test_writer_failing_midway_leaves_the_old_file_unchanged(target: Path) -> None:
    with pytest.raises(RuntimeError, match="hỏng giữa chừng"):
        with atomic_path(target) as partial:
            partial.write_bytes(b"half of the new")
            raise RuntimeError("hỏng giữa chừng")

    assert target.read_bytes() == OLD
    assert _leftovers(target.parent) == []


def test_os_error_while_writing_becomes_a_vietnamese_file_write_error(target: Path) -> None:
    with pytest.raises(FileWriteError, match="^Không ghi được tệp bao-cao.xlsx: tệp có thể đang mở"):
        with atomic_path(target) as partial:
            partial.write_bytes(b"half")
            raise OSError(28, "No space left on device")

    assert target.read_bytes() == OLD
    assert _leftovers(target.parent) == []


def test_a_pulled_out_drive_failing_the_clean_up_too_still_gives_the_vietnamese_message(
        target: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The stick is gone: the write fails, and so does deleting its temporary file."""
    def gone(self: Path, missing_ok: bool = False) -> None:
        raise OSError(5, "Input/output error", str(self))

    monkeypatch.setattr(Path, "unlink", gone)
    with pytest.raises(FileWriteError, match="^Không ghi được tệp bao-cao.xlsx: tệp có thể đang mở") as raised:
        with atomic_path(target) as partial:
            partial.write_bytes(b"half")
            raise OSError(5, "Input/output error")

    assert isinstance(raised.value.__cause__, OSError) and raised.value.__cause__.errno == 5
    assert "could not remove" in caplog.text and "bao-cao.xlsx.part" in caplog.text
    assert target.read_bytes() == OLD


def test_a_failing_clean_up_never_hides_the_writer_s_own_error(target: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def gone(self: Path, missing_ok: bool = False) -> None:
        raise OSError(5, "Input/output error", str(self))

    monkeypatch.setattr(Path, "unlink", gone)
    with pytest.raises(RuntimeError, match="hỏng giữa chừng"):
        with atomic_path(target) as partial:
            partial.write_bytes(b"half")
            raise RuntimeError("hỏng giữa chừng")


def test_failed_rename_leaves_the_old_file_unchanged(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path, other: Path) -> Path:
        raise PermissionError(13, "The process cannot access the file", str(other))

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(FileWriteError):
        write_bytes(target, b"new content")

    assert target.read_bytes() == OLD
    assert _leftovers(target.parent) == []


def test_failed_fsync_leaves_the_old_file_unchanged(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(descriptor: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(safe_files.os, "fsync", failing)
    with pytest.raises(FileWriteError):
        write_bytes(target, b"new content")

    assert target.read_bytes() == OLD
    assert _leftovers(target.parent) == []


def test_read_only_folder_gives_a_vietnamese_message(read_only_folder: Path) -> None:
    with pytest.raises(FileWriteError, match="thư mục không cho phép ghi") as raised:
        write_bytes(read_only_folder / "ket-qua.pdf", b"%PDF")

    assert "ket-qua.pdf" in str(raised.value)
    assert isinstance(raised.value.__cause__, PermissionError)
    assert list(read_only_folder.iterdir()) == []


def _disk_with(free: int) -> Callable[[Path], SimpleNamespace]:
    return lambda folder: SimpleNamespace(total=100 * 1024 * MB, used=0, free=free)


def test_free_space_check_refuses_a_nearly_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_files.shutil, "disk_usage", _disk_with(SPARE_BYTES + 5 * MB))

    with pytest.raises(FileWriteError, match=r"chỉ còn 55 MB trống.*cần khoảng 60 MB"):
        ensure_free_space(tmp_path, 10 * MB)


def test_free_space_check_lets_a_write_that_fits_go_ahead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_files.shutil, "disk_usage", _disk_with(SPARE_BYTES + 11 * MB))

    ensure_free_space(tmp_path, 10 * MB)


def test_free_space_check_can_spare_less_on_a_usb_stick(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_files.shutil, "disk_usage", _disk_with(15 * MB))

    ensure_free_space(tmp_path, 10 * MB, spare=4 * MB)
    with pytest.raises(FileWriteError, match=r"chỉ còn 15 MB trống.*cần khoảng 16 MB"):
        ensure_free_space(tmp_path, 12 * MB, spare=4 * MB)
    with pytest.raises(FileWriteError, match="cần khoảng 60 MB"):
        ensure_free_space(tmp_path, 10 * MB)  # the database's disk keeps its 50 MB


def test_free_space_check_leaves_a_missing_folder_to_the_write_itself(tmp_path: Path) -> None:
    ensure_free_space(tmp_path / "chua-co", 10 * MB)


def test_excel_export_on_a_full_disk_writes_nothing(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_files.shutil, "disk_usage", _disk_with(SPARE_BYTES))

    with pytest.raises(FileWriteError, match="không đủ để ghi"):
        write_template(target, "individuals")

    assert target.read_bytes() == OLD
    assert _leftovers(target.parent) == []


def test_excel_save_failing_midway_keeps_the_old_workbook(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def half_save(self: Workbook, filename: Path) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", half_save)
    with pytest.raises(FileWriteError, match="tệp có thể đang mở trong Excel"):
        write_template(target, "individuals")

    assert target.read_bytes() == OLD
    assert _leftovers(target.parent) == []


@pytest.mark.skipif(os.name == "nt", reason="fsync of a folder exists on POSIX only")
def test_written_file_and_its_folder_are_flushed(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flushed: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(safe_files.os, "fsync", lambda fd: (flushed.append(fd), real_fsync(fd)))

    write_bytes(target, b"new")

    assert len(flushed) == 2  # the temporary file before the rename, the folder after it
