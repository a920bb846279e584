"""Thousands of emits from Python must not wear out `True` (PySide6 6.12.0 bug)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EMITS = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
{install}
class Sender(QObject):
    sent = Signal(object)

app = QCoreApplication([])
sender = Sender()
sender.sent.connect(lambda value: None)
before = sys.getrefcount(True)
for _ in range(20000):
    sender.sent.emit(1)
print(sys.getrefcount(True) - before)
"""


def run(install: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", EMITS.format(install=install)], cwd=ROOT,
                          capture_output=True, text=True, env={"QT_QPA_PLATFORM": "offscreen"})


def test_twenty_thousand_emits_leave_true_alone_with_the_fixes_installed() -> None:
    result = run("import ui.pyside_fixes; ui.pyside_fixes.install(); ui.pyside_fixes.install()")
    assert result.returncode == 0, result.stderr
    assert abs(int(result.stdout)) < 100


def test_installing_is_idempotent() -> None:
    from PySide6.QtCore import SignalInstance

    import ui.pyside_fixes

    ui.pyside_fixes.install()
    first = SignalInstance.emit
    ui.pyside_fixes.install()
    assert SignalInstance.emit is first
