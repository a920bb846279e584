"""Where the data folder lives: a network drive or a sync folder puts the database at risk.

SQLite relies on the disk honouring its locks and flushes. A network share may not, and
another computer can open the same file; a sync program (OneDrive, Dropbox...) copies the
file while it is half written and may later copy another computer's version over it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

MOUNTS_FILE = Path("/proc/mounts")
DRIVE_REMOTE = 4  # GetDriveTypeW: a network drive (a mapped share)

# Linux file system types (the third field of /proc/mounts) reached over a network.
NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "9p", "afs", "coda", "davfs", "ceph",
    "glusterfs", "lustre", "gpfs", "beegfs", "ocfs2", "gfs2", "fuse.sshfs", "sshfs",
    "fuse.davfs2", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.glusterfs", "fuse.ceph",
    "fuse.gvfsd-fuse", "fuse.onedriver", "fuse.google-drive-ocamlfuse", "fuse.pcloud",
})

# A path component naming a sync program's folder, folded to lower case, and the program.
SYNC_FOLDERS = {
    "onedrive": "OneDrive",
    "dropbox": "Dropbox",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "drive của tôi": "Google Drive",  # "My Drive" in the Vietnamese Google Drive
    "shared drives": "Google Drive",
    "icloud drive": "iCloud Drive",
    "iclouddrive": "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "pcloud": "pCloud",
    "pcloud drive": "pCloud",
    "pclouddrive": "pCloud",
    "box sync": "Box",
    "megasync": "MEGA",
    "yandex.disk": "Yandex Disk",
    "insync": "Insync",
}
# Names with a suffix: "OneDrive - Công ty", "Dropbox (Cá nhân)", macOS "OneDrive-Personal".
SYNC_PREFIXES = (
    ("onedrive - ", "OneDrive"),
    ("onedrive-", "OneDrive"),
    ("dropbox (", "Dropbox"),
    ("dropbox-", "Dropbox"),
    ("googledrive-", "Google Drive"),
)
# Windows sets these to the OneDrive folder, whatever it is called.
ONEDRIVE_VARIABLES = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")

_ADVICE = (
    "Hãy chuyển thư mục dữ liệu sang ổ đĩa của chính máy này (ví dụ ổ C: hoặc D:){outside}; "
    "muốn giữ bản sao ở nơi khác thì dùng chức năng sao lưu."
)
_NETWORK_WARNING = (
    "Thư mục dữ liệu {folder} nằm trên ổ mạng ({where}). Cơ sở dữ liệu đặt trên ổ mạng có thể bị "
    "hỏng khi mạng chập chờn hoặc khi một máy tính khác mở cùng tệp. " + _ADVICE
)
_SYNC_WARNING = (
    "Thư mục dữ liệu {folder} nằm trong thư mục đồng bộ {service}. Chương trình đồng bộ có thể "
    "sao chép tệp cơ sở dữ liệu khi tệp mới được ghi một nửa, hoặc chép bản của máy tính khác đè "
    "lên, làm hỏng hoặc mất dữ liệu. " + _ADVICE
)

DriveType = Callable[[str], int]


def storage_warning(folder: PurePath, *, mounts: str | None = None,
                    environ: Mapping[str, str] | None = None,
                    drive_type: DriveType | None = None) -> str | None:
    """Vietnamese warning to show when the database folder is on a network drive or in a sync
    folder, else None; `mounts`, `environ` and `drive_type` stand in for the system in tests."""
    folder = _absolute(folder)
    where = network_location(folder, mounts, drive_type)
    if where is not None:
        return _NETWORK_WARNING.format(folder=folder, where=where, outside="")
    service = sync_service(folder, os.environ if environ is None else environ)
    if service is not None:
        return _SYNC_WARNING.format(folder=folder, service=service,
                                    outside=f", ra ngoài thư mục {service}")
    return None


def network_location(folder: PurePath, mounts: str | None = None,
                     drive_type: DriveType | None = None) -> str | None:
    """The share or drive when `folder` is on a network file system, else None."""
    if isinstance(folder, PureWindowsPath):
        if drive_type is None and os.name == "nt":
            drive_type = _system_drive_type
        return _windows_network_drive(folder, drive_type)
    if mounts is None:
        try:
            mounts = MOUNTS_FILE.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None  # not Linux: no mount table to read
    mount = _mount_of(PurePosixPath(folder), mounts)
    if mount is None:
        return None
    device, point, fs_type = mount
    if fs_type in NETWORK_FILESYSTEMS:
        return f"{device} gắn vào {point}, kiểu {fs_type}"
    return None


def sync_service(folder: PurePath, environ: Mapping[str, str]) -> str | None:
    """The sync program whose folder holds `folder`, else None."""
    for variable in ONEDRIVE_VARIABLES:
        root = environ.get(variable, "").strip()
        if root and folder.is_relative_to(type(folder)(root)):
            return "OneDrive"
    for part in folder.parts:
        name = part.strip().casefold()
        if name in SYNC_FOLDERS:
            return SYNC_FOLDERS[name]
        for prefix, service in SYNC_PREFIXES:
            if name.startswith(prefix):
                return service
    return None


def _absolute(folder: PurePath) -> PurePath:
    """A real folder with its links followed (a link may lead onto a share); pure paths as given."""
    if isinstance(folder, Path):
        return Path(os.path.realpath(folder))
    return folder


def _windows_network_drive(folder: PureWindowsPath, drive_type: DriveType | None) -> str | None:
    drive = folder.drive
    if drive.upper().startswith("\\\\?\\UNC\\"):
        return "\\\\" + drive[len("\\\\?\\UNC\\"):]
    if drive.startswith(("\\\\?\\", "\\\\.\\")):
        drive = drive[4:]  # a long-path prefix before a drive letter
    elif drive.startswith("\\\\"):
        return drive
    if len(drive) == 2 and drive[1] == ":" and drive_type is not None:
        if drive_type(drive + "\\") == DRIVE_REMOTE:
            return drive
    return None


def _system_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))


def _mount_of(folder: PurePosixPath, mounts: str) -> tuple[str, str, str] | None:
    """(device, mount point, type) of the innermost mount holding `folder`; a later line
    wins over an earlier one at the same point, as it is mounted on top."""
    found: tuple[str, str, str] | None = None
    depth = -1
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = PurePosixPath(_unescape(fields[1]))
        if folder.is_relative_to(point) and len(point.parts) >= depth:
            found = (_unescape(fields[0]), str(point), fields[2])
            depth = len(point.parts)
    return found


def _unescape(field: str) -> str:
    """/proc/mounts writes a space as \\040, a tab as \\011, a backslash as \\134."""
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), field)
