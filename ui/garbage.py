"""Python's cyclic garbage collector, run on the UI thread only.

Left to itself, the collector runs in whatever thread happens to allocate, including the
worker threads of `ui.background`; when it frees a Qt wrapper there, Qt objects are
destroyed in the wrong thread and the program can crash. So automatic collection is
turned off and a timer on the UI thread collects instead (the approach of calibre and Anki).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class MainThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start(INTERVAL_MS)

    def stop(self) -> None:
        """Give collection back to Python (tests, and the end of the program)."""
        self._timer.stop()
        gc.enable()

    def _on_timer_timeout(self) -> None:
        # Collect the young generations when they are full, as Python itself would.
        first, second, third = gc.get_count()
        if first > self._thresholds[0]:
            generation = 0
            if second > self._thresholds[1]:
                generation = 2 if third > self._thresholds[2] else 1
            gc.collect(generation)
