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
