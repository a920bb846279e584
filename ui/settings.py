"""User preferences kept by Qt (window geometry and the like): one typed property each."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings


class Settings:
    def __init__(self, store: QSettings) -> None:
        self._store = store

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self._store.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)

    @property
    def last_folder(self) -> str:
        return str(self._store.value("files/last_folder", ""))

    @last_folder.setter
    def last_folder(self, value: str) -> None:
        self._store.setValue("files/last_folder", value)

    @property
    def backup_folder(self) -> str:
        """The folder of automatic and manual backups; empty: `backups` beside the database."""
        return str(self._store.value("backup/folder", ""))

    @backup_folder.setter
    def backup_folder(self, value: str) -> None:
        self._store.setValue("backup/folder", value)

    @property
    def mirror_folder(self) -> str:
        """A second folder (USB stick, other disk) that receives a copy of each backup; empty: none."""
        return str(self._store.value("backup/mirror", ""))

    @mirror_folder.setter
    def mirror_folder(self, value: str) -> None:
        self._store.setValue("backup/mirror", value)

    @property
    def package_folder(self) -> str:
        """Where the last package for the province was written (often a USB stick); empty: none yet."""
        return str(self._store.value("packages/folder", ""))

    @package_folder.setter
    def package_folder(self, value: str) -> None:
        self._store.setValue("packages/folder", value)

    @property
    def unacknowledged_days(self) -> int:
        """After how many days without an acknowledgement a package is pointed out (default 14)."""
        try:
            days = int(self._store.value("packages/unacknowledged_days", 14))
        except (TypeError, ValueError):
            return 14
        return days if 1 <= days <= 365 else 14

    @unacknowledged_days.setter
    def unacknowledged_days(self, value: int) -> None:
        self._store.setValue("packages/unacknowledged_days", value)
