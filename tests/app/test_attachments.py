"""Attachments: only PDF/JPG/PNG by their bytes, copied and hashed, changes on disk found."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.attachments import (
    MAX_SIZE,
    AttachmentChangedError,
    AttachmentStore,
    check_attachments,
    size_text,
    stored_file,
)
from app.audit import AuditTrail
from app.errors import CancelledError, FileFormatError, NotFoundError, PermissionDeniedError, ValidationError
from app.roles import Actor, Permission, Role
from db.migrate import Database

NOW = datetime(2026, 11, 24, 10, 15, 30)
OFFICER = Actor(user_id=None, username="canbo", full_name="Cán bộ", role=Role.OFFICER)
VIEWER = Actor(user_id=None, username="xem", full_name="Người xem", role=Role.VIEWER)
OWNER = "7d3c1f0e-0000-4000-8000-000000000001"
PDF = b"%PDF-1.7\n" + b"quyet dinh khen thuong\n" * 100 + b"%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300


@pytest.fixture
def sessions(database: Database) -> sessionmaker[Session]:
    return sessionmaker(database.engine, expire_on_commit=False)


@pytest.fixture
def data_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def store(sessions: sessionmaker[Session], data_folder: Path, actor: Actor = OFFICER) -> AttachmentStore:
    return AttachmentStore(sessions, actor, AuditTrail(sessions), data_folder, clock=lambda: NOW)


def source(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_pdf_is_copied_hashed_and_recorded(sessions: sessionmaker[Session], data_folder: Path,
                                             tmp_path: Path, database: Database) -> None:
    row = store(sessions, data_folder).add(OWNER, source(tmp_path, "Quyết định 12.pdf", PDF))
    assert row.stored_path == f"attachments/{row.uuid}.pdf"
    assert (row.file_name, row.media_type, row.size, row.added_at) == (
        "Quyết định 12.pdf", "application/pdf", len(PDF), NOW)
    assert stored_file(data_folder, row).read_bytes() == PDF
    assert store(sessions, data_folder).rows(OWNER) == [row]
    assert store(sessions, data_folder).verify(row) is None
    assert list((data_folder / "attachments").glob("*.part")) == []
    connection = sqlite3.connect(database.path)
    entity = connection.execute("SELECT entity, entity_uuid FROM audit_entries WHERE entity = 'attachment'").fetchall()
    connection.close()
    assert entity == [("attachment", row.uuid)]


def test_the_type_comes_from_the_bytes_not_the_name(sessions: sessionmaker[Session],
                                                    data_folder: Path, tmp_path: Path) -> None:
    row = store(sessions, data_folder).add(OWNER, source(tmp_path, "anh-chup.dat", PNG))
    assert (row.media_type, row.stored_path.endswith(".png")) == ("image/png", True)
    with pytest.raises(FileFormatError, match="không phải PDF, JPG hoặc PNG"):
        store(sessions, data_folder).add(OWNER, source(tmp_path, "gia.pdf", b"MZ\x90\x00 virus"))
    assert len(list((data_folder / "attachments").iterdir())) == 1
    assert len(store(sessions, data_folder).rows(OWNER)) == 1


def test_a_viewer_may_not_attach(sessions: sessionmaker[Session], data_folder: Path, tmp_path: Path) -> None:
    with pytest.raises(PermissionDeniedError):
        store(sessions, data_folder, VIEWER).add(OWNER, source(tmp_path, "a.pdf", PDF))
    assert not (data_folder / "attachments").exists()


def test_cancelling_a_copy_leaves_no_file_and_no_row(sessions: sessionmaker[Session],
                                                     data_folder: Path, tmp_path: Path) -> None:
    def cancel(_done: int, _total: int) -> None:
        raise CancelledError("hủy")

    with pytest.raises(CancelledError):
        store(sessions, data_folder).add(OWNER, source(tmp_path, "a.pdf", PDF), cancel)
    assert list((data_folder / "attachments").iterdir()) == []
    assert store(sessions, data_folder).rows(OWNER) == []


def test_a_file_changed_on_disk_is_detected_and_not_opened(sessions: sessionmaker[Session],
                                                           data_folder: Path, tmp_path: Path) -> None:
    attachments = store(sessions, data_folder)
    row = attachments.add(OWNER, source(tmp_path, "qd.pdf", PDF))
    path = stored_file(data_folder, row)
    assert attachments.open(row) == path
    path.write_bytes(PDF.replace(b"khen", b"KHEN"))  # same size, other content
    problem = attachments.verify(row)
    assert problem is not None and "không khớp mã kiểm tra SHA-256" in problem.message
    with pytest.raises(AttachmentChangedError):
        attachments.open(row)


def test_missing_resized_and_escaping_files_are_reported(sessions: sessionmaker[Session],
                                                         data_folder: Path, tmp_path: Path) -> None:
    attachments = store(sessions, data_folder)
    missing = attachments.add(OWNER, source(tmp_path, "mat.pdf", PDF))
    resized = attachments.add(OWNER, source(tmp_path, "cat.pdf", PDF))
    intact = attachments.add(OWNER, source(tmp_path, "con.png", PNG))
    stored_file(data_folder, missing).unlink()
    stored_file(data_folder, resized).write_bytes(PDF[:100])
    with sessions.begin() as session:
        session.connection().exec_driver_sql(
            "UPDATE attachments SET stored_path = '../../etc/passwd' WHERE id = ?", (intact.id,))
    messages = [problem.message for problem in check_attachments(sessions, data_folder)]
    assert len(messages) == 3
    assert "không còn trong thư mục dữ liệu" in messages[0]
    assert "lúc đính kèm" in messages[1] and "100 byte" in messages[1]
    assert "ngoài thư mục dữ liệu" in messages[2]


def test_a_file_over_20_mb_is_refused_with_its_size_and_the_limit(sessions: sessionmaker[Session],
                                                                  data_folder: Path, tmp_path: Path) -> None:
    big = source(tmp_path, "Ho so day du.pdf", PDF)
    os.truncate(big, MAX_SIZE + 1)  # sparse; still starts like a PDF
    with pytest.raises(FileFormatError, match=r"Ho so day du.pdf dài 20\.971\.521 byte, lớn hơn giới hạn 20 MB"):
        store(sessions, data_folder).add(OWNER, big)
    assert not (data_folder / "attachments").exists()
    assert store(sessions, data_folder).rows(OWNER) == []
    exactly = source(tmp_path, "Vua du.pdf", PDF)
    os.truncate(exactly, MAX_SIZE)
    assert store(sessions, data_folder).add(OWNER, exactly).size == MAX_SIZE


def test_sizes_are_written_as_an_officer_reads_them() -> None:
    assert (size_text(21 * 1024 * 1024), size_text(int(20.5 * 1024 * 1024)), size_text(3000)) == (
        "21 MB", "20,5 MB", "3 KB")


def test_the_dossier_part_is_stored_with_the_file(sessions: sessionmaker[Session], data_folder: Path,
                                                  tmp_path: Path) -> None:
    row = store(sessions, data_folder).add(OWNER, source(tmp_path, "tt.pdf", PDF), dossier_part="to_trinh")
    assert row.dossier_part == "to_trinh"
    assert store(sessions, data_folder).rows(OWNER)[0].dossier_part == "to_trinh"


def test_remove_needs_a_reason_and_deletes_the_file_after_the_row(sessions: sessionmaker[Session],
                                                                  data_folder: Path, tmp_path: Path,
                                                                  database: Database) -> None:
    attachments = store(sessions, data_folder)
    row = attachments.add(OWNER, source(tmp_path, "qd.pdf", PDF))
    path = stored_file(data_folder, row)
    with pytest.raises(ValidationError, match="lý do xóa"):
        attachments.remove(row.id, "  ")
    assert path.exists() and attachments.rows(OWNER) == [row]
    attachments.remove(row.id, "Đính kèm nhầm")
    assert not path.exists() and attachments.rows(OWNER) == []
    with pytest.raises(NotFoundError):
        attachments.remove(row.id, "Lần nữa")
    connection = sqlite3.connect(database.path)
    entries = connection.execute("SELECT action, reason FROM audit_entries WHERE entity = 'attachment'").fetchall()
    connection.close()
    assert entries == [("create", None), ("delete", "Đính kèm nhầm")]


def test_the_store_asks_for_the_permission_it_was_given(sessions: sessionmaker[Session], data_folder: Path,
                                                        tmp_path: Path) -> None:
    clerk = Actor(user_id=None, username="vt", full_name="Văn thư", role=Role.CLERK)
    emulation = AttachmentStore(sessions, OFFICER, AuditTrail(sessions), data_folder,
                                permission=Permission.RUN_EMULATION)
    row = emulation.add(OWNER, source(tmp_path, "a.pdf", PDF))
    refused = AttachmentStore(sessions, clerk, AuditTrail(sessions), data_folder,
                              permission=Permission.RUN_EMULATION)
    with pytest.raises(PermissionDeniedError):
        refused.remove(row.id, "Lý do")
    assert emulation.rows(OWNER) == [row]
