"""UI tests run with the garbage collector the GUI uses: on the UI thread only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from ui.garbage import MainThreadGarbageCollector


@pytest.fixture(autouse=True, scope="session")
def main_thread_garbage_collector(qapp: QApplication) -> Iterator[MainThreadGarbageCollector]:
    collector = MainThreadGarbageCollector(qapp)
    yield collector
    collector.stop()
