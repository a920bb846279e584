"""Child process of the startup and memory benchmarks: start a window, say when it is up.

`--bare`: a plain QMainWindow, the floor any PySide6 program pays.
Otherwise: the real entry point, `ui.main.main(["--db", database])` as `tdkt --db` runs it,
with ui.gui's MainWindow swapped for a subclass that
reports once `show()` has been processed, then again once the individuals tab lists
`--expect` rows. Each report is one line on stdout, "<event> <VmRSS kB> <VmHWM kB> [rows]";
the parent times the lines. The window then closes itself.

Qt settings go to bench/out/config (XDG_CONFIG_HOME set by the parent), not the user's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

POLL_MS = 5


def memory_kb() -> tuple[int, int]:
    """Resident set size now and at its peak, from /proc (Linux)."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def say(event: str, *extra: object) -> None:
    rss, peak = memory_kb()
    print(event, rss, peak, *extra, flush=True)


def run_bare() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    qt_app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1200, 760)
    window.show()
    QTimer.singleShot(0, lambda: (say("shown"), window.close()))
    return qt_app.exec()


def run_app(database: Path, expect: int) -> int:
    # The order of the `tdkt` entry point: ui.main (with app.cli and the database layer) first,
    # then the GUI modules it imports when no subcommand is given.
    from ui import main as entry_point
    from ui import gui

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    class TimedMainWindow(gui.MainWindow):  # type: ignore[misc, valid-type]
        def show(self) -> None:
            super().show()
            QTimer.singleShot(0, self._on_shown)

        def _on_shown(self) -> None:
            say("shown")
            self._poll = QTimer(self)
            self._poll.timeout.connect(self._on_poll_timeout)
            self._poll.start(POLL_MS)

        def _on_poll_timeout(self) -> None:
            rows = self.register.pages["individual"].model.rowCount()
            if rows >= expect:
                self._poll.stop()
                QApplication.processEvents()  # let the view lay out the new rows
                say("listed", rows)
                self.close()

    gui.MainWindow = TimedMainWindow
    return entry_point.main(["--db", str(database)])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--database", type=Path)
    parser.add_argument("--expect", type=int, default=0, help="individuals the window must list")
    args = parser.parse_args()
    return run_bare() if args.bare else run_app(args.database, args.expect)


if __name__ == "__main__":
    sys.exit(main())
