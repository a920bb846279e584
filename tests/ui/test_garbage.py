"""Cyclic garbage is collected by the UI thread's timer, never by a worker thread."""

from __future__ import annotations

import gc
import weakref

from pytestqt.qtbot import QtBot

from ui.garbage import INTERVAL_MS, MainThreadGarbageCollector


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_collection_is_off_and_the_timer_collects_cycles(
        qtbot: QtBot, main_thread_garbage_collector: MainThreadGarbageCollector) -> None:
    assert not gc.isenabled()
    first, second = Node(), Node()
    first.other, second.other = second, first
    watcher = weakref.ref(first)
    del first, second
    _junk = [[Node()] for _ in range(2000)]  # enough allocations to fill generation 0
    assert watcher() is not None
    qtbot.waitUntil(lambda: watcher() is None, timeout=INTERVAL_MS * 5)
