"""The backup, restore, recovery and data-check dialogs and the automatic backup, driven
as an officer would."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from app.backup_policy import AutoBackupSchedule
from app.backups import BackupFolders, BackupInfo, BackupKind, BackupService, backup_name
from app.data_check import DataChecker
from app.restore import RestoreReport
from app.roles import Actor, Role
from db.integrity import DatabaseDamagedError
from db.migrate import Database, open_database
from tests.app.sample_rows import add_village
from tests.conftest import ADMIN, OFFICER, account
from ui.auto_backup import AutoBackup
from ui.backup_dialog import BackupDialog
from ui.backup_table import BackupColumn, BackupTableModel
from ui.data_check_dialog import DataCheckDialog
from ui.recovery_dialog import RecoveryDialog
from ui.restore_dialog import RestoreDialog

NOW = datetime(2026, 11, 24, 10, 15, 30)
VIEWER = Actor(user_id=None, username="xem", full_name="Người xem", role=Role.VIEWER)


def village_names(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM subjects ORDER BY name")]
    finally:
        connection.close()


@pytest.fixture
def admin(sessions: sessionmaker[Session]) -> Actor:
    return account(sessions, ADMIN[0])


@pytest.fixture
def officer(sessions: sessionmaker[Session]) -> Actor:
    return account(sessions, OFFICER[0])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "backups"


def backup_at(database: Database, folder: Path, actor: Actor, at: datetime) -> Path:
    return BackupService(actor, database.path, folder, clock=lambda: at).back_up().backup.path


def test_backup_model_passes_the_model_tester(qtmodeltester: object, tmp_path: Path) -> None:
    model = BackupTableModel()
    model.set_rows([BackupInfo(tmp_path / backup_name(NOW), NOW, 3 * 1024 * 1024),
                    BackupInfo(tmp_path / "b.sqlite", NOW - timedelta(days=1), 2048,
                               BackupKind.BEFORE_RESTORE)])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.index(0, BackupColumn.TAKEN_AT).data() == "10:15:30 ngày 24/11/2026"
    assert model.index(0, BackupColumn.SIZE).data() == "3,0 MB"
    assert model.index(1, BackupColumn.KIND).data() == "Trước khi khôi phục"


# --- backup dialog --------------------------------------------------------------------


def test_backup_now_adds_a_backup_to_the_list(qtbot: QtBot, database: Database, officer: Actor,
                                              folder: Path, write_pool: QThreadPool) -> None:
    backup_at(database, folder, officer, NOW - timedelta(days=1))
    dialog = BackupDialog(BackupService(officer, database.path, folder), write_pool)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    with qtbot.waitSignal(dialog.backed_up, timeout=10_000) as made:
        dialog.start_backup()
    assert made.args[0].backup.verified is True
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    qtbot.waitUntil(lambda: not dialog.is_busy())
    assert "Đã sao lưu vào" in dialog.status.text()


def test_changing_folders_is_announced_and_used(qtbot: QtBot, database: Database, officer: Actor,
                                                folder: Path, tmp_path: Path,
                                                write_pool: QThreadPool) -> None:
    dialog = BackupDialog(BackupService(officer, database.path, folder), write_pool)
    qtbot.addWidget(dialog)
    usb = tmp_path / "usb"
    usb.mkdir()
    with qtbot.waitSignal(dialog.folders_changed) as changed:
        dialog.set_mirror_folder(usb)
    assert changed.args[0] == BackupFolders(folder, usb)
    with qtbot.waitSignal(dialog.backed_up, timeout=10_000) as made:
        dialog.start_backup()
    assert made.args[0].mirror_path.parent == usb
    qtbot.waitUntil(lambda: not dialog.is_busy())


def test_a_viewer_cannot_start_a_backup(qtbot: QtBot, database: Database, folder: Path,
                                        write_pool: QThreadPool) -> None:
    dialog = BackupDialog(BackupService(VIEWER, database.path, folder), write_pool)
    qtbot.addWidget(dialog)
    assert not dialog.backup_button.isEnabled()
    assert "không có quyền sao lưu" in dialog.status.text()


# --- restore dialog -------------------------------------------------------------------


class Hooks:
    """The close/reopen hooks the main window would give, on the test's database."""

    def __init__(self, database: Database) -> None:
        self.database: Database | None = database
        self.calls: list[str] = []

    def close(self) -> None:
        self.calls.append("close")
        assert self.database is not None
        self.database.close()
        self.database = None

    def reopen(self, path: Path) -> None:
        self.calls.append("reopen")
        self.database = open_database(path)


@pytest.fixture
def hooks(database: Database) -> Hooks:
    made = Hooks(database)
    yield made
    if made.database is not None and made.database is not database:
        made.database.close()


def restore_dialog(qtbot: QtBot, actor: Actor, database: Database, folder: Path, hooks: Hooks,
                   pool: QThreadPool) -> RestoreDialog:
    dialog = RestoreDialog(actor, database.path, folder, pool, hooks.close,
                           lambda: hooks.reopen(database.path))
    qtbot.addWidget(dialog)
    return dialog


def test_restore_shows_the_report_then_restores(qtbot: QtBot, database: Database, admin: Actor,
                                                folder: Path, hooks: Hooks, write_pool: QThreadPool,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    questions: list[str] = []
    monkeypatch.setattr("ui.restore_dialog.confirm", lambda _p, _t, message, *_a: questions.append(message) or True)
    monkeypatch.setattr("ui.restore_dialog.show_info", lambda *_args: None)
    add_village(database, "Thôn Cũ")
    backup = backup_at(database, folder, admin, NOW)
    add_village(database, "Thôn Mới")
    dialog = restore_dialog(qtbot, admin, database, folder, hooks, write_pool)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    with qtbot.waitSignal(dialog.checked, timeout=10_000) as checked:
        dialog.table.selectRow(0)
    assert isinstance(checked.args[0], RestoreReport)
    assert "KHÔNG CÒN: 1 đối tượng" in dialog.report_text.toPlainText()
    qtbot.waitUntil(lambda: dialog.restore_button.isEnabled())
    with qtbot.waitSignal(dialog.restored, timeout=10_000) as restored:
        dialog.start_restore()
    assert restored.args[0].restored_from == backup
    assert hooks.calls == ["close", "reopen"]
    assert "1 đối tượng" in questions[0] and "10:15:30 ngày 24/11/2026" in questions[0]
    assert village_names(database.path) == ["Thôn Cũ"]


def test_a_damaged_backup_is_explained_and_cannot_be_restored(qtbot: QtBot, database: Database,
                                                              admin: Actor, folder: Path,
                                                              hooks: Hooks,
                                                              write_pool: QThreadPool) -> None:
    folder.mkdir()
    (folder / backup_name(NOW)).write_bytes(b"SQLite format 3\x00" + b"\xee" * 9000)
    dialog = restore_dialog(qtbot, admin, database, folder, hooks, write_pool)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    with qtbot.waitSignal(dialog.checked, timeout=10_000):
        dialog.table.selectRow(0)
    qtbot.waitUntil(lambda: not dialog.is_busy())
    assert "Không dùng được bản sao lưu này" in dialog.report_text.toPlainText()
    assert not dialog.restore_button.isEnabled()
    assert hooks.calls == []


def test_an_officer_who_is_not_admin_cannot_restore(qtbot: QtBot, database: Database, officer: Actor,
                                                    folder: Path, hooks: Hooks,
                                                    write_pool: QThreadPool) -> None:
    backup_at(database, folder, officer, NOW)
    dialog = restore_dialog(qtbot, officer, database, folder, hooks, write_pool)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    with qtbot.waitSignal(dialog.checked, timeout=10_000):
        dialog.table.selectRow(0)
    qtbot.waitUntil(lambda: not dialog.is_busy())
    assert not dialog.restore_button.isEnabled()


# --- recovery at start-up ---------------------------------------------------------------


def damage(path: Path) -> None:
    with open(path, "r+b") as file:
        file.seek(0)
        file.write(b"\x00" * 4096)


def test_recovery_offers_the_newest_valid_backup_and_restores_it(
        qtbot: QtBot, database: Database, admin: Actor, folder: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ui.recovery_dialog.show_info", lambda *_args: None)
    add_village(database, "Thôn Cũ")
    good = backup_at(database, folder, admin, NOW - timedelta(hours=1))
    (folder / backup_name(NOW)).write_bytes(b"hong")
    database.close()
    damage(database.path)
    dialog = RecoveryDialog(DatabaseDamagedError("hỏng", "database disk image is malformed"),
                            database.path, folder, clock=lambda: NOW)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=10_000)
    assert dialog.offered == good
    assert "09:15:30 ngày 24/11/2026" in dialog.offer.text()
    assert "database disk image is malformed" in dialog.explanation.text()
    with qtbot.waitSignal(dialog.recovered, timeout=10_000):
        dialog.recover()
    assert village_names(database.path) == ["Thôn Cũ"]
    aside = database.path.with_name("tdkt.hong-2026-11-24_101530.sqlite")
    assert aside.read_bytes()[:4096] == b"\x00" * 4096


def test_recovery_without_a_backup_only_lets_the_officer_quit(qtbot: QtBot, tmp_path: Path) -> None:
    damaged = tmp_path / "tdkt-xa.sqlite"
    damaged.write_bytes(b"\x00" * 8192)
    dialog = RecoveryDialog(DatabaseDamagedError("hỏng"), damaged, tmp_path / "backups")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=10_000)
    assert dialog.offered is None
    assert not dialog.restore_button.isEnabled()
    assert dialog.quit_button.isEnabled()
    dialog.reject()
    assert damaged.read_bytes() == b"\x00" * 8192  # untouched, no empty database made


# --- data check -------------------------------------------------------------------------


def test_data_check_dialog_reports_no_problem(qtbot: QtBot, database: Database,
                                              sessions: sessionmaker[Session], tmp_path: Path) -> None:
    pool = QThreadPool()
    checker = DataChecker(database.path, sessions, tmp_path)
    dialog = DataCheckDialog(checker, pool)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert dialog.result is not None and dialog.result.ok
    assert dialog.summary.text().startswith("Không phát hiện vấn đề nào")
    pool.waitForDone()


# --- automatic backup -------------------------------------------------------------------


def test_auto_backup_runs_after_a_quiet_moment_and_on_exit(qtbot: QtBot, database: Database,
                                                           officer: Actor, folder: Path,
                                                           write_pool: QThreadPool) -> None:
    auto = AutoBackup(BackupService(officer, database.path, folder), write_pool,
                      AutoBackupSchedule(quiet_seconds=0.05, longest_wait_minutes=1))
    with qtbot.waitSignal(auto.backed_up, timeout=10_000) as made:
        auto.note_change()
    assert made.args[0].backup.path.exists()
    qtbot.waitUntil(lambda: not auto.is_running())
    assert not auto.pending
    assert auto.finish() is None  # nothing changed since
    auto.note_change()
    result = auto.finish()
    assert result is not None and result.backup.path.exists()


def test_a_failed_auto_backup_is_reported(qtbot: QtBot, database: Database, folder: Path,
                                          write_pool: QThreadPool) -> None:
    auto = AutoBackup(BackupService(VIEWER, database.path, folder), write_pool,
                      AutoBackupSchedule(quiet_seconds=0.05, longest_wait_minutes=1))
    with qtbot.waitSignal(auto.failed, timeout=10_000) as failed:
        auto.note_change()
    assert "không có quyền sao lưu" in failed.args[0]
    qtbot.waitUntil(lambda: not auto.is_running())
    assert auto.pending  # retried later
