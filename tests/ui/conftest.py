"""Fixtures of the UI tests, which run with the garbage collector the GUI uses."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication
from sqlalchemy.orm import sessionmaker

from app.services import Services
from db.migrate import open_database
from tests.conftest import OFFICER, account, demo_clock
from ui import pyside_fixes
from ui.garbage import MainThreadGarbageCollector
from ui.settings import Settings

if TYPE_CHECKING:
    from app.package.export import ExportResult

pyside_fixes.install()  # before any test emits a signal


@pytest.fixture(autouse=True, scope="session")
def main_thread_garbage_collector(qapp: QApplication) -> Iterator[MainThreadGarbageCollector]:
    collector = MainThreadGarbageCollector(qapp)
    yield collector
    collector.stop()


@pytest.fixture
def write_pool(qapp: QApplication) -> Iterator[QThreadPool]:
    """The single-writer pool, as ui/gui.py makes it."""
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    yield pool
    pool.waitForDone()


@pytest.fixture
def read_pool(qapp: QApplication) -> Iterator[QThreadPool]:
    """A pool of readers, like the one ui/workspace.py makes."""
    pool = QThreadPool()
    pool.setMaxThreadCount(2)
    yield pool
    pool.waitForDone()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The user's settings, in a file of the test's own."""
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))



@pytest.fixture
def exported(demo_services: Services, usb: Path, tmp_path: Path) -> ExportResult:
    """The demo's nomination proposed to the province, exported for real into `usb` (the
    data folder being `tmp_path`)."""
    ready = [row.nomination_id for row in demo_services.packages.candidates() if row.ready]
    return demo_services.packages.export(ready, usb, tmp_path)


@pytest.fixture
def restored(small_demo_database: Path, tmp_path: Path) -> Iterator[Services]:
    """The same demo as `demo_services` restored from a backup made before anything was
    exported: it knows no package. Its data folder is tmp_path / "restored"."""
    folder = tmp_path / "restored"
    folder.mkdir()
    shutil.copyfile(small_demo_database, folder / "demo.sqlite")
    opened = open_database(folder / "demo.sqlite")
    sessions = sessionmaker(opened.engine, expire_on_commit=False)
    yield Services.create(sessions, account(sessions, OFFICER[0]), demo_clock)
    opened.close()
