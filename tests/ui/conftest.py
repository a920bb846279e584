"""Fixtures of the UI tests, which run with the garbage collector the GUI uses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from ui import pyside_fixes
from ui.garbage import MainThreadGarbageCollector

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
