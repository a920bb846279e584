"""`tdkt package export|verify|ack|list` on a copy of the small demo, as a script runs them."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from app.audit import utc_now
from app.package.acks import ack_document
from app.package.format import offset_time, sha256_hex
from app.services import Services
from db.migrate import open_database
from app.roles import Role
from tests.app.package.export_builders import tampered_copy
from tests.conftest import ADMIN, as_officer
from tests.conftest import account as account_of
from ui.main import main

@pytest.fixture
def demo_file(small_demo_database: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(small_demo_database, path)
    return path


def exported(demo_file: Path, usb: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main([*as_officer(demo_file), "package", "export", "--out", str(usb)]) == 0
    out = capsys.readouterr()
    assert "Đã xuất gói số 1 (1 hồ sơ)" in out.out and "hợp lệ" in out.out
    assert "Đang xuất gói: 100%" in out.err
    (package,) = usb.iterdir()
    return package


def test_export_writes_a_verified_package_of_every_ready_nomination(
        demo_file: Path, usb: Path, officer_password: None, capsys: pytest.CaptureFixture[str]) -> None:
    package = exported(demo_file, usb, capsys)
    assert package.name.startswith("goi-ho-so-") and package.suffix == ".zip"
    assert main([*as_officer(demo_file), "package", "list"]) == 0
    assert "Gói số 1" in capsys.readouterr().out
    # Nothing is ready any more: the one proposal waits for its acknowledgement.
    assert main([*as_officer(demo_file), "package", "export", "--out", str(usb)]) == 1
    assert "Chưa có đề nghị nào sẵn sàng gửi tỉnh" in capsys.readouterr().err
    assert list(usb.iterdir()) == [package]


def test_verify_passes_a_good_file_and_names_a_tampered_one(
        demo_file: Path, usb: Path, tmp_path: Path, officer_password: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    package = exported(demo_file, usb, capsys)
    assert main([*as_officer(demo_file), "package", "verify", str(package)]) == 0
    assert "hợp lệ" in capsys.readouterr().out
    tampered = tampered_copy(package, tmp_path / "sua")
    assert main([*as_officer(demo_file), "package", "verify", str(tampered)]) == 1
    assert "to-trinh.pdf" in capsys.readouterr().err


def test_an_acknowledgement_is_imported_once(
        demo_file: Path, usb: Path, tmp_path: Path, officer_password: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    package = exported(demo_file, usb, capsys)
    with zipfile.ZipFile(package) as opened:
        manifest = json.loads(opened.read("manifest.json"))
    (record,) = manifest["records"]
    ack = ack_document(manifest, {record["uuid"]: {"status": "received"}},
                       ack_uuid="9b2f8a31-7c4e-4d6a-9e1b-0c3d5f7a9b2e", issued_at=offset_time(utc_now()),
                       issuer="Sở Nội vụ tỉnh Đồng Nai", package_sha256=sha256_hex(package.read_bytes()))
    receipt = tmp_path / "bien-nhan.json"
    receipt.write_text(json.dumps(ack, ensure_ascii=False), encoding="utf-8")
    assert main([*as_officer(demo_file), "package", "ack", str(receipt)]) == 0
    assert "Đã nhập biên nhận của gói số 1" in capsys.readouterr().out
    assert main([*as_officer(demo_file), "package", "ack", str(receipt)]) == 0
    assert "đã được nhập trước đây; không thay đổi gì" in capsys.readouterr().out
    assert main([*as_officer(demo_file), "package", "list", "--older-than", "0"]) == 0
    assert "Không có gói nào chờ biên nhận" in capsys.readouterr().out


def test_a_relative_out_folder_is_stored_resolved(demo_file: Path, usb: Path, tmp_path: Path,
                                                  officer_password: None, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([*as_officer(demo_file), "package", "export", "--out", "usb"]) == 0
    assert f"ra {usb.resolve()}" in capsys.readouterr().out
    with sqlite3.connect(demo_file) as connection:
        assert connection.execute("SELECT folder FROM packages").fetchall() == [(str(usb.resolve()),)]


def test_a_package_lost_with_a_restore_is_adopted_then_the_chain_goes_on(
        demo_file: Path, usb: Path, tmp_path: Path, officer_password: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    backup = tmp_path / "sao-luu.sqlite"
    shutil.copyfile(demo_file, backup)
    package = exported(demo_file, usb, capsys)
    shutil.copyfile(backup, demo_file)  # restored: package 1 is on the stick, not in the data
    assert main([*as_officer(demo_file), "package", "export", "--out", str(usb)]) == 1
    err = capsys.readouterr().err
    assert f"có tệp {package.name}, là gói hồ sơ số 1 của xã" in err and "tdkt package adopt" in err
    assert list(usb.iterdir()) == [package]

    assert main([*as_officer(demo_file), "package", "adopt", str(package)]) == 0
    assert capsys.readouterr().out == (f"Đã nhận lại gói số 1 (1 hồ sơ) từ {package.resolve()}; gói lập tiếp theo "
                                       "sẽ mang số 2.\n")
    assert main([*as_officer(demo_file), "package", "list"]) == 0
    assert "Gói số 1" in capsys.readouterr().out
    assert main([*as_officer(demo_file), "package", "adopt", str(package)]) == 1
    assert "đã có trong dữ liệu này; không cần nhận lại" in capsys.readouterr().err


def test_a_viewer_may_verify_but_not_export(demo_file: Path, usb: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    database = open_database(demo_file)
    try:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        admin = Services.create(sessions, account_of(sessions, ADMIN[0]))
        admin.users.create("xem-thu", "Người Xem", Role.VIEWER, "xem-mat-khau", must_change_password=False)
    finally:
        database.close()
    monkeypatch.setenv("TDKT_PASSWORD", "xem-mat-khau")
    viewer = ["--db", str(demo_file), "--user", "xem-thu"]
    assert main([*viewer, "package", "export", "--out", str(usb)]) == 1
    assert "quyền" in capsys.readouterr().err
    assert list(usb.iterdir()) == []
    assert main([*viewer, "package", "list"]) == 0
