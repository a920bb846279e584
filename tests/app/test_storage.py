"""The data-folder warning: network drives (Linux mounts, Windows shares and mapped drives) and
sync folders (by name and by the OneDrive environment variables)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from app.storage import DRIVE_REMOTE, network_location, storage_warning, sync_service

MOUNTS = """\
/dev/sda2 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
/dev/sda3 /home ext4 rw,relatime 0 0
//nas/chung /mnt/nas cifs rw,relatime,vers=3.1.1 0 0
nas:/export/tdkt /srv/nfs nfs4 rw,relatime,vers=4.2 0 0
can-bo@may-chu:/du-lieu /home/an/xa fuse.sshfs rw,nosuid,nodev 0 0
drvfs /mnt/c 9p rw,noatime,aname=drvfs 0 0
onedrive: /home/an/Đám\\040mây fuse.rclone rw,nosuid,nodev 0 0
/dev/sdb1 /mnt/nas/o-cung-rieng ext4 rw,relatime 0 0
"""
NO_ENV: dict[str, str] = {}
DRIVE_FIXED = 3


def _z_is_mapped(root: str) -> int:
    """GetDriveTypeW of a PC with a share mapped as Z:."""
    return DRIVE_REMOTE if root == "Z:\\" else DRIVE_FIXED


def _warning_on_linux(folder: str, environ: dict[str, str] = NO_ENV) -> str | None:
    return storage_warning(PurePosixPath(folder), mounts=MOUNTS, environ=environ)


def _warning_on_windows(folder: str, environ: dict[str, str] = NO_ENV) -> str | None:
    return storage_warning(PureWindowsPath(folder), environ=environ, drive_type=_z_is_mapped)


@pytest.mark.parametrize("folder", ["/home/an/tdkt", "/var/lib/tdkt", "/mnt/nas/o-cung-rieng/tdkt"])
def test_local_linux_folder_has_no_warning(folder: str) -> None:
    assert _warning_on_linux(folder) is None


@pytest.mark.parametrize(("folder", "fs_type"), [
    ("/mnt/nas/tdkt", "cifs"),
    ("/mnt/nas", "cifs"),
    ("/srv/nfs/xa/2025", "nfs4"),
    ("/home/an/xa/tdkt", "fuse.sshfs"),
    ("/mnt/c/Users/An/tdkt", "9p"),
    ("/home/an/Đám mây/tdkt", "fuse.rclone"),
])
def test_linux_network_mount_is_warned_about(folder: str, fs_type: str) -> None:
    warning = _warning_on_linux(folder)

    assert warning is not None
    assert warning.startswith(f"Thư mục dữ liệu {folder} nằm trên ổ mạng")
    assert f"kiểu {fs_type}" in warning
    assert "một máy tính khác" in warning  # why
    assert "ổ đĩa của chính máy này" in warning  # what to do


def test_mount_point_with_an_escaped_space_is_matched() -> None:
    where = network_location(PurePosixPath("/home/an/Đám mây"), MOUNTS)

    assert where == "onedrive: gắn vào /home/an/Đám mây, kiểu fuse.rclone"


def test_missing_mount_table_means_no_network_warning(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("app.storage.MOUNTS_FILE", tmp_path / "khong-co")

    assert network_location(PurePosixPath("/mnt/nas/tdkt")) is None


@pytest.mark.parametrize("folder", [
    r"\\may-chu\chung\TDKT",
    "//nas/du-lieu/tdkt",
    r"\\?\UNC\nas\du-lieu\tdkt",
    r"Z:\TDKT",
])
def test_windows_share_or_mapped_drive_is_warned_about(folder: str) -> None:
    warning = _warning_on_windows(folder)

    assert warning is not None
    assert "nằm trên ổ mạng" in warning


@pytest.mark.parametrize("folder", [r"C:\Users\An\AppData\Local\TDKT", r"\\?\C:\TDKT", "D:/TDKT"])
def test_local_windows_folder_has_no_warning(folder: str) -> None:
    assert storage_warning(PureWindowsPath(folder), environ=NO_ENV,
                           drive_type=lambda root: DRIVE_FIXED) is None


def test_unc_share_is_named_in_the_warning() -> None:
    assert network_location(PureWindowsPath(r"\\?\UNC\nas\du-lieu\tdkt")) == r"\\nas\du-lieu"
    assert network_location(PureWindowsPath(r"\\may-chu\chung\TDKT")) == r"\\may-chu\chung"


@pytest.mark.parametrize(("folder", "service"), [
    (r"C:\Users\An\OneDrive\TDKT", "OneDrive"),
    (r"C:\Users\An\OneDrive - UBND xã Tân Hòa\Tài liệu\TDKT", "OneDrive"),
    (r"D:\Dropbox\TDKT", "Dropbox"),
    (r"D:\Dropbox (Cá nhân)\TDKT", "Dropbox"),
    (r"G:\My Drive\TDKT", "Google Drive"),
    (r"G:\Drive của tôi\TDKT", "Google Drive"),
    (r"C:\Users\An\Google Drive\TDKT", "Google Drive"),
    (r"C:\Users\An\iCloudDrive\TDKT", "iCloud Drive"),
    (r"C:\Users\An\Nextcloud\TDKT", "Nextcloud"),
    (r"C:\Users\An\ownCloud\TDKT", "ownCloud"),
    (r"P:\pCloud Drive\TDKT", "pCloud"),
])
def test_windows_sync_folder_is_warned_about(folder: str, service: str) -> None:
    warning = _warning_on_windows(folder)

    assert warning is not None
    assert warning.startswith(f"Thư mục dữ liệu {PureWindowsPath(folder)} nằm trong thư mục đồng bộ {service}.")
    assert "ghi một nửa" in warning  # why
    assert f"ra ngoài thư mục {service}" in warning  # what to do


@pytest.mark.parametrize("folder", ["/home/an/Dropbox/tdkt", "/home/an/Nextcloud/xa", "/home/an/pCloudDrive/x"])
def test_linux_sync_folder_is_warned_about(folder: str) -> None:
    warning = _warning_on_linux(folder)

    assert warning is not None
    assert "thư mục đồng bộ" in warning


@pytest.mark.parametrize("variable", ["OneDrive", "OneDriveCommercial", "OneDriveConsumer"])
def test_onedrive_folder_under_any_name_is_found_through_the_environment(variable: str) -> None:
    environ = {variable: r"D:\Đám mây của xã"}

    assert sync_service(PureWindowsPath(r"d:\đám mây của xã\TDKT"), environ) == "OneDrive"
    assert _warning_on_windows(r"D:\Đám mây của xã\TDKT", environ) is not None
    assert _warning_on_windows(r"D:\TDKT", environ) is None


def test_names_that_only_contain_a_sync_word_are_not_sync_folders() -> None:
    assert _warning_on_windows(r"C:\Users\An\Tài liệu\Dropbox cũ đã gỡ\ghi chú") is None
    assert _warning_on_windows(r"C:\Users\An\Documents\TDKT OneDrive") is None


def test_network_warning_comes_before_the_sync_one() -> None:
    warning = _warning_on_linux("/mnt/nas/Dropbox/tdkt")

    assert warning is not None and "ổ mạng" in warning


def test_real_local_folder_has_no_warning(tmp_path: Path) -> None:
    assert storage_warning(tmp_path, environ=NO_ENV) is None
