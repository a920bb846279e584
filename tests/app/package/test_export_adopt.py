"""A package the database does not know: after a restore from a backup made before it was
sent (or a power cut between writing and recording it), the export refuses to reuse its
number before drawing anything, and «Nhận lại gói đã gửi» records it so the chain goes on."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import sessionmaker

from app.errors import PermissionDeniedError
from app.package import adopt, export
from app.package.format import PackageError
from app.roles import Actor, Role
from app.services import Services
from db.migrate import open_database
from db.models import AuditEntry, CommuneProfile, Package, PackageRecord
from tests.app.package.export_builders import tampered_copy
from tests.app.package.package_rows import context
from tests.conftest import DEMO_NOW, OFFICER, account, demo_clock

LATER = DEMO_NOW + timedelta(days=3)  # the restored database exports on another day


@pytest.fixture
def backup(demo_services: Services, two: tuple[int, int], tmp_path: Path) -> Path:
    """The database as it was before package 1: both nominations proposed, nothing sent."""
    path = tmp_path / "sao-luu.sqlite"
    with demo_services.sessions() as session:
        session.connection().exec_driver_sql(f"VACUUM INTO '{path}'")
    return path


@contextmanager
def restored(backup: Path) -> Iterator[Services]:
    """The officer's services on the backup, as after «Khôi phục»."""
    opened = open_database(backup)
    try:
        sessions = sessionmaker(opened.engine, expire_on_commit=False)
        yield Services.create(sessions, account(sessions, OFFICER[0]), demo_clock)
    finally:
        opened.close()


def counts(services: Services) -> tuple[int, int, int]:
    with services.sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[return-value]
                     for model in (Package, PackageRecord, AuditEntry))


def never_drawn(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    def drawing(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("drew a document before refusing")

    monkeypatch.setattr(services.printing, "pdf", drawing)
    monkeypatch.setattr(services.printing, "documents", drawing)


def test_a_lost_package_on_the_stick_refuses_the_export_before_drawing(
        demo_services: Services, two: tuple[int, int], backup: Path, usb: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    first = export.export(context(demo_services), two, usb, tmp_path).path
    elsewhere = tmp_path / "may-khac"  # a data folder without the kept copy: only the stick knows
    elsewhere.mkdir()
    with restored(backup) as services:
        never_drawn(services, monkeypatch)
        before = counts(services)
        with pytest.raises(PackageError) as refused:
            export.export(context(services, clock=lambda: LATER), two, usb, elsewhere)
        assert counts(services) == before
    message = str(refused.value)
    assert message.startswith(f"Thư mục {usb} có tệp {first.name}, là gói hồ sơ số 1 của xã lập lúc "
                              "10:00 ngày 20/11/2026 mà dữ liệu này không biết (theo dữ liệu, gói tiếp theo mang "
                              "số 1).")
    assert "khôi phục từ một bản sao lưu" in message and "mất điện" in message
    assert message.endswith("Hãy nhận lại gói đó trước: «Nhận lại gói đã gửi…» ở thẻ «Gửi tỉnh» (dòng lệnh: "
                            "tdkt package adopt «tệp»), rồi lập gói.")
    assert list(usb.iterdir()) == [first]


def test_the_kept_copy_refuses_it_on_another_stick(demo_services: Services, two: tuple[int, int], backup: Path,
                                                   usb: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The stick went to the province; the data folder still has the copy."""
    first = export.export(context(demo_services), two, usb, tmp_path).path
    other = tmp_path / "usb-moi"
    other.mkdir()
    with restored(backup) as services:
        never_drawn(services, monkeypatch)
        with pytest.raises(PackageError, match=f"Thư mục {tmp_path / 'goi-ho-so'} có tệp {first.name}, là gói hồ "
                                               "sơ số 1 của xã"):
            export.export(context(services, clock=lambda: LATER), two, other, tmp_path)
    assert list(other.iterdir()) == []


def test_adopting_the_lost_package_lets_the_chain_go_on(demo_services: Services, two: tuple[int, int],
                                                        backup: Path, usb: Path, tmp_path: Path) -> None:
    standard, rescuer = two
    first = export.export(context(demo_services), [rescuer], usb, tmp_path)
    with zipfile.ZipFile(first.path) as archive:
        (record,) = json.loads(archive.read("manifest.json"))["records"]
    with restored(backup) as services:
        result = adopt.adopt(context(services), first.path, tmp_path)
        assert result == adopt.AdoptResult(1, first.package_uuid, 1, first.path)
        with services.sessions() as session:
            package = session.scalars(select(Package)).one()
            row = session.scalars(select(PackageRecord)).one()
            entry = session.scalars(select(AuditEntry).where(AuditEntry.entity_uuid == package.uuid)).one()
        assert (package.uuid, package.sequence, package.previous_uuid, package.file_name, package.folder,
                package.size, package.file_sha256, package.record_count, package.exported_by) == (
            first.package_uuid, 1, None, first.path.name, str(usb.resolve()), first.size, first.file_sha256, 1,
            OFFICER[0])
        assert package.manifest_sha256 == first.verification.manifest_sha256
        assert (row.uuid, row.nomination_uuid, row.version, row.supersedes_uuid, row.subject_name, row.year) == (
            record["uuid"], record["nomination_uuid"], 1, None, "Trần Văn Hải", 2026)
        assert (entry.action, entry.entity, entry.summary) == (
            "adopt", "package", "Nhận lại gói hồ sơ số 1 đã gửi tỉnh (1 đề nghị)")
        assert services.packages.verify(first.path).ok

        second = export.export(context(services, clock=lambda: LATER), [standard], usb, tmp_path)
        assert (second.sequence, second.verification.ok) == (2, True)
        with zipfile.ZipFile(second.path) as archive:
            assert json.loads(archive.read("manifest.json"))["previous_package_uuid"] == first.package_uuid
        # The adopted record's hash cannot be the export's own: the rescuer may go again, as a new version.
        again = next(c for c in export.candidates(context(services), None) if c.nomination_id == rescuer)
        assert (again.last_sent, again.new_version) == ("Gói số 1 ngày 20/11/2026: chờ biên nhận", True)


def test_packages_are_taken_back_in_order(demo_services: Services, two: tuple[int, int], backup: Path, usb: Path,
                                          tmp_path: Path) -> None:
    """Package 2 first would leave package 1 for ever unadoptable (older than the newest)."""
    standard, rescuer = two
    first = export.export(context(demo_services), [rescuer], usb, tmp_path)
    second = export.export(context(demo_services), [standard], usb, tmp_path)
    with restored(backup) as services:
        with pytest.raises(PackageError, match=f"^Tệp {second.path.name} là gói số 2, nhưng dữ liệu này chưa có gói "
                                               "nào: hãy nhận lại lần lượt từ gói số 1 trước"):
            adopt.adopt(context(services), second.path, tmp_path)
        assert counts(services)[:2] == (0, 0)
        assert [adopt.adopt(context(services), package.path, tmp_path).sequence
                for package in (first, second)] == [1, 2]
        with services.sessions() as session:
            assert session.scalars(select(Package.previous_uuid).order_by(Package.sequence)).all() == [
                None, first.package_uuid]


def test_adopting_from_the_kept_copy_keeps_it_as_it_is(demo_services: Services, two: tuple[int, int],
                                                       backup: Path, usb: Path, tmp_path: Path) -> None:
    first = export.export(context(demo_services), [two[1]], usb, tmp_path)
    copy = tmp_path / "goi-ho-so" / first.path.name
    with restored(backup) as services:
        assert adopt.adopt(context(services), copy, tmp_path).sequence == 1
    assert copy.read_bytes() == first.path.read_bytes()
    assert [p.name for p in copy.parent.iterdir()] == [copy.name]



def test_adopt_refuses_a_tampered_file(demo_services: Services, two: tuple[int, int], backup: Path, usb: Path,
                                       tmp_path: Path) -> None:
    first = export.export(context(demo_services), [two[1]], usb, tmp_path)
    tampered = tampered_copy(first.path, tmp_path / "sua")
    elsewhere = tmp_path / "may-khac"
    elsewhere.mkdir()
    with restored(backup) as services:
        before = counts(services)
        with pytest.raises(PackageError, match=f"^Không nhận gói {tampered.name} vì tệp không hợp lệ: – Tệp "
                                               r"ho-so/[0-9a-f-]+/to-trinh.pdf đã bị thay đổi"):
            adopt.adopt(context(services), tampered, elsewhere)
        assert counts(services) == before
    assert list(elsewhere.iterdir()) == []  # no copy kept


def test_adopt_refuses_another_commune_s_package(demo_services: Services, two: tuple[int, int], backup: Path,
                                                 usb: Path, tmp_path: Path) -> None:
    first = export.export(context(demo_services), [two[1]], usb, tmp_path)
    commune = demo_services.commune.get()
    assert commune is not None
    with restored(backup) as services:
        with services.sessions.begin() as session:
            session.execute(update(CommuneProfile).values(commune_code=99999, commune_name="Xã Bên Cạnh"))
        before = counts(services)
        with pytest.raises(PackageError, match=f"^Tệp {first.path.name} là gói hồ sơ của {commune.commune_name} "
                                               f"\\(mã {commune.commune_code}\\), không phải của Xã Bên Cạnh "
                                               r"\(mã 99999\); không nhận gói này.$"):
            adopt.adopt(context(services), first.path, tmp_path)
        assert counts(services) == before


def test_adopt_refuses_a_package_the_database_has(demo_services: Services, two: tuple[int, int], usb: Path,
                                                  tmp_path: Path) -> None:
    first = export.export(context(demo_services), [two[1]], usb, tmp_path)
    before = counts(demo_services)
    with pytest.raises(PackageError, match=f"^Gói số 1 \\({first.path.name}\\) đã có trong dữ liệu này; không cần "
                                           "nhận lại.$"):
        adopt.adopt(context(demo_services), first.path, tmp_path)
    assert counts(demo_services) == before


def test_adopt_refuses_a_number_used_by_another_package(demo_services: Services, two: tuple[int, int],
                                                        backup: Path, usb: Path, tmp_path: Path) -> None:
    """The restored database already sent its own package 1 (from another data folder)."""
    first = export.export(context(demo_services), [two[1]], usb, tmp_path)
    elsewhere, other = tmp_path / "may-khac", tmp_path / "usb-khac"
    elsewhere.mkdir()
    other.mkdir()
    with restored(backup) as services:
        own = export.export(context(services, clock=lambda: LATER), [two[1]], other, elsewhere)
        before = counts(services)
        with pytest.raises(PackageError, match=f"^Số thứ tự 1 đã dùng cho một gói khác trong dữ liệu này \\(mã "
                                               f"{own.package_uuid}\\); tệp {first.path.name} không phải gói bị "
                                               "thiếu nên không nhận.$"):
            adopt.adopt(context(services), first.path, elsewhere)
        assert counts(services) == before


def test_a_viewer_cannot_adopt(demo_services: Services, two: tuple[int, int], backup: Path, usb: Path,
                               tmp_path: Path) -> None:
    first = export.export(context(demo_services), [two[1]], usb, tmp_path)
    viewer = Actor(user_id=None, username="xem", full_name="Người Xem", role=Role.VIEWER)
    with restored(backup) as services:
        with pytest.raises(PermissionDeniedError):
            adopt.adopt(context(services, viewer), first.path, tmp_path)
        assert counts(services)[:2] == (0, 0)


def test_adopting_a_copy_that_differs_from_the_kept_one_is_refused(
        demo_services: Services, two: tuple[int, int], backup: Path, usb: Path, tmp_path: Path) -> None:
    """Never overwrite a kept copy: it is the commune's proof of what it sent."""
    first = export.export(context(demo_services), [two[1]], usb, tmp_path)
    (tmp_path / "goi-ho-so" / first.path.name).write_bytes(b"another file of that name")
    with restored(backup) as services:
        with pytest.raises(PackageError, match=f"đã có tệp {first.path.name} khác với gói này; không ghi đè"):
            adopt.adopt(context(services), first.path, tmp_path)
        assert counts(services)[:2] == (0, 0)
