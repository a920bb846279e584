"""Driving the «Gửi tỉnh» tab in tests: open it on real services, choose a package, read its
tables, run a file task and read the window it leaves, and the province's acknowledgement of
a package really exported."""

from __future__ import annotations

import json
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from app.package.acks import ack_document
from app.package.export import ExportResult
from app.package.format import canonical_json
from app.services import Services
from tests.app.package.package_rows import PROVINCE
from ui.package_dialogs import ResultDialog
from ui.package_tables import PackageColumn, RecordColumn
from ui.packages_tab import PackagesTab
from ui.settings import Settings

TIMEOUT_MS = 60_000
ISSUED_AT = "2026-11-20T15:00:00+07:00"


def open_tab(qtbot: QtBot, services: Services, data_folder: Path, read_pool: QThreadPool,
             write_pool: QThreadPool, settings: Settings | None = None) -> PackagesTab:
    tab = PackagesTab(services, data_folder, read_pool, write_pool, settings)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    with qtbot.waitSignal(tab.loaded):
        tab.reload()
    return tab


def choose(qtbot: QtBot, tab: PackagesTab, position: int) -> None:
    with qtbot.waitSignal(tab.records_loaded):
        tab.table.select_position(position)


def package_texts(tab: PackagesTab) -> list[list[str]]:
    return [[tab.table.model().index(row, column).data() for column in PackageColumn]
            for row in range(tab.table.model().rowCount())]


def record_texts(tab: PackagesTab) -> list[list[str]]:
    return [[tab.records.index(row, column).data() for column in RecordColumn] for row in range(tab.records.rowCount())]


def ack(folder: Path, result: ExportResult, answer: dict, name: str = "bien-nhan.json") -> Path:
    """The province's acknowledgement giving `answer` to every record of the package written."""
    with zipfile.ZipFile(result.path) as package:
        manifest = json.loads(package.read("manifest.json"))
    document = ack_document(manifest, {record["uuid"]: answer for record in manifest["records"]},
                            ack_uuid=str(uuid.uuid4()), issued_at=ISSUED_AT, issuer=PROVINCE,
                            package_sha256=result.file_sha256)
    path = folder / name
    path.write_bytes(canonical_json(document))
    return path


def window(tab: PackagesTab) -> ResultDialog:
    """The window the last file task left open."""
    dialog = tab.files.result_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def run(qtbot: QtBot, tab: PackagesTab, start: Callable[[], object]) -> str:
    """Start a file task (check, acknowledgement, package taken back), wait for its end, and
    return what its window says."""
    with qtbot.waitSignal(tab.task_finished, timeout=TIMEOUT_MS):
        start()
    return window(tab).text()


def answer(qtbot: QtBot, tab: PackagesTab, apply: bool) -> str:
    """Click «Áp dụng» / «Nhận lại» (True) or «Không» in the window asking; after applying,
    wait for the task and return what its result says."""
    asking = window(tab)
    assert asking.apply_button is not None and asking.no_button is not None
    if not apply:
        asking.no_button.click()
        assert not asking.isVisible() and not tab.files.busy
        return ""
    return run(qtbot, tab, asking.apply_button.click)
