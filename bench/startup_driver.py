"""Child process of the startup and memory benchmarks: start a window, say when it is up.

`--bare`: a plain QMainWindow, the floor any PySide6 program pays.
Otherwise: the real entry point, `ui.main.main(["--db", database, "--user", user])` as
`tdkt --db … --user …` runs it (password in TDKT_PASSWORD),
with ui.gui's MainWindow swapped for a subclass that
reports once `show()` has been processed, then again once the individuals tab lists
`--expect` rows. Each report is one line on stdout, "<event> <VmRSS kB> <VmHWM kB> [rows]";
the parent times the lines. The window then closes itself.

Qt settings go to bench/out/config (XDG_CONFIG_HOME set by the parent), not the user's.
"""

from __future__ import annotations

import argparse
import importlib.abc
import importlib.util
import sys
from collections.abc import Callable
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

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


def run_app(database: Path, expect: int, user: str) -> int:
    # Exactly the `tdkt` entry point: ui.main parses the arguments and starts the integrity
    # check, and only then imports ui.gui. The timed window is swapped in as ui.gui finishes
    # loading, so the benchmark imports nothing earlier than the real program does.
    from ui import main as entry_point

    sys.meta_path.insert(0, _PatchOnLoad("ui.gui", _install_timed_window, expect))
    # Signed in the way `tdkt --user` does it, with TDKT_PASSWORD set by the parent.
    return entry_point.main(["--db", str(database), "--user", user])


class _PatchOnLoad(importlib.abc.MetaPathFinder):
    """Calls `patch(module, *args)` right after the module `name` has been executed."""

    def __init__(self, name: str, patch: Callable[..., None], *args: object) -> None:
        self._name, self._patch, self._args = name, patch, args

    def find_spec(self, fullname: str, path: object, target: object = None) -> ModuleSpec | None:
        if fullname != self._name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        assert spec is not None and spec.loader is not None
        loader, patch, args = spec.loader, self._patch, self._args

        class Loader(importlib.abc.Loader):
            def create_module(self, spec: ModuleSpec) -> ModuleType | None:
                return loader.create_module(spec)

            def exec_module(self, module: ModuleType) -> None:
                loader.exec_module(module)
                patch(module, *args)

        spec.loader = Loader()
        return spec


def _install_timed_window(gui: ModuleType, expect: int) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    class TimedMainWindow(gui.MainWindow):  # type: ignore[misc, name-defined]
        def show(self) -> None:
            super().show()
            QTimer.singleShot(0, self._on_shown)

        def _on_shown(self) -> None:
            say("shown")
            self._poll = QTimer(self)
            self._poll.timeout.connect(self._on_poll_timeout)
            self._poll.start(POLL_MS)

        def _on_poll_timeout(self) -> None:
            if self.workspace is None:  # still opening the database
                return
            rows = self.workspace.register.pages["individual"].model.rowCount()
            if rows >= expect:
                self._poll.stop()
                QApplication.processEvents()  # let the view lay out the new rows
                say("listed", rows)
                self.close()

    gui.MainWindow = TimedMainWindow


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--database", type=Path)
    parser.add_argument("--expect", type=int, default=0, help="individuals the window must list")
    parser.add_argument("--user", help="account to sign in with; the password is in TDKT_PASSWORD")
    args = parser.parse_args()
    return run_bare() if args.bare else run_app(args.database, args.expect, args.user)


if __name__ == "__main__":
    sys.exit(main())
