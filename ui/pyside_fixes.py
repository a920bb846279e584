"""Work-arounds for bugs of the PySide6 release we pin, each applied only when detected.

PySide6 6.12.0 on Python < 3.12: `SignalInstance.emit()` returns `True` without the
reference its caller owns, so every emit made from Python takes one reference away from
`True`; after a few thousand emits Python aborts with "bool_dealloc: deallocating True".
(Python 3.12 made `True` immortal, which hides the bug there.) `install()` checks whether
emitting loses references and, only if it does, wraps `emit` to give the reference back.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance

log = logging.getLogger(__name__)
_PROBES = 20


class _Probe(QObject):
    fired = Signal()


def emit_loses_references() -> bool:
    """Whether `emit()` here returns a bool its caller does not own."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.fired.emit()
    lost = before - sys.getrefcount(True) >= _PROBES
    probe.deleteLater()
    return lost


def install() -> None:
    """Apply the work-arounds this PySide6 needs; safe to call more than once."""
    if getattr(SignalInstance.emit, "_gives_reference_back", False) or not emit_loses_references():
        return
    real_emit = SignalInstance.emit
    keep = ctypes.pythonapi.Py_IncRef
    keep.argtypes = [ctypes.py_object]

    def emit(self: SignalInstance, *args: object) -> bool:
        result = real_emit(self, *args)
        if result is True or result is False:
            keep(result)  # the reference PySide failed to give us
        return result

    emit._gives_reference_back = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit  # type: ignore[method-assign]
    log.info("PySide6 emit() reference bug detected; work-around installed")
