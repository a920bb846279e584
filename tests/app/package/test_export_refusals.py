"""An export refused, cancelled or failing leaves nothing behind: no package file (an earlier
one intact), no row, no audit entry; each refusal names its reason. Exported rows are frozen."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app import safe_files
from app.audit import AuditTrail
from app.errors import CancelledError, FileWriteError, PermissionDeniedError
from app.package import export
from app.package.format import PackageError
from app.package.verify import Code, Problem, Verification
from app.roles import Actor, Role
from app.services import Services
from db.models import AuditEntry, Nomination, Package, PackageRecord
from tests.app.package.export_builders import STANDARD_NAME, proposed_standard
from tests.app.package.package_rows import context, proposed_sudden

RESCUER = "Trần Văn Hải"


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture
def two(demo_services: Services, tmp_path: Path) -> list[int]:
    return [proposed_standard(demo_services, tmp_path), proposed_sudden(demo_services, RESCUER)]


def counts(services: Services) -> tuple[int, int, int]:
    with services.sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[return-value]
                     for model in (Package, PackageRecord, AuditEntry))


def refused(services: Services, usb: Path, error: type[Exception], match: str, ids: list[int],
            data_folder: Path, actor: Actor | None = None) -> None:
    """The export raises `error` matching `match`, and nothing was written or recorded."""
    before = counts(services)
    with pytest.raises(error, match=match):
        export.export(context(services, actor), ids, usb, data_folder)
    assert counts(services) == before
    assert list(usb.iterdir()) == []


def test_exported_rows_refuse_update_and_delete(demo_services: Services, two: list[int], usb: Path,
                                                tmp_path: Path) -> None:
    export.export(context(demo_services), two, usb, tmp_path)
    for statement in ("UPDATE packages SET size = 1", "DELETE FROM packages",
                      "UPDATE package_records SET content_sha256 = 'x'", "DELETE FROM package_records"):
        with demo_services.sessions.begin() as session, pytest.raises(DBAPIError):
            session.execute(text(statement))
    assert counts(demo_services)[:2] == (1, 2)


def test_a_viewer_cannot_export(demo_services: Services, two: list[int], usb: Path, tmp_path: Path) -> None:
    viewer = Actor(user_id=None, username="xem", full_name="Người Xem", role=Role.VIEWER)
    refused(demo_services, usb, PermissionDeniedError, "không có quyền", two, tmp_path, viewer)


def test_nothing_chosen_unknown_or_not_ready_nominations_are_refused(demo_services: Services, two: list[int],
                                                                     usb: Path, tmp_path: Path) -> None:
    refused(demo_services, usb, PackageError, "Chưa chọn đề nghị nào", [], tmp_path)
    refused(demo_services, usb, PackageError, "Không tìm thấy đề nghị số 999999", [*two, 999999], tmp_path)
    bare = proposed_standard(demo_services, name="Phạm Văn Tuấn")  # its initiative certificate not attached
    refused(demo_services, usb, PackageError,
            r"Phạm Văn Tuấn \(Bằng khen của Chủ tịch UBND tỉnh năm 2025\): Hồ sơ còn thiếu: Giấy chứng nhận",
            [*two, bare], tmp_path)
    with demo_services.sessions() as session:
        decided = session.scalar(select(func.min(Nomination.id)).where(Nomination.action == "decide"))
    refused(demo_services, usb, PackageError, "thuộc thẩm quyền quyết định của xã, không gửi tỉnh",
            [decided], tmp_path)


def test_a_missing_folder_or_commune_setup_is_refused(demo_services: Services, services: Services, two: list[int],
                                                      usb: Path, tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="Không tìm thấy thư mục"):
        export.export(context(demo_services), two, usb / "rút ra", tmp_path)
    refused(services, usb, PackageError, "Chưa thiết lập xã", [1], tmp_path)


def test_a_package_file_of_the_same_name_is_never_overwritten(demo_services: Services, two: list[int], usb: Path,
                                                               tmp_path: Path) -> None:
    """Package 1 written from this database before it was restored from a backup."""
    commune = demo_services.commune.get()
    assert commune is not None
    other = usb / f"goi-ho-so-{commune.commune_code}-0001-20261120.zip"
    other.write_bytes(b"package 1 as sent before the restore")
    before = counts(demo_services)
    with pytest.raises(PackageError, match=f"đã có tệp {other.name}, một gói số 1 không có trong dữ liệu này"):
        export.export(context(demo_services), two, usb, tmp_path)
    assert counts(demo_services) == before
    assert list(usb.iterdir()) == [other] and other.read_bytes() == b"package 1 as sent before the restore"


def test_a_scan_gone_from_the_data_folder_is_named(demo_services: Services, two: list[int], usb: Path,
                                                   tmp_path: Path) -> None:
    for scan in (tmp_path / "attachments").iterdir():
        scan.unlink()
    refused(demo_services, usb, PackageError,
            f"Tệp đính kèm «xac-nhan-sang-kien.pdf» của hồ sơ {STANDARD_NAME} không còn trong thư mục dữ liệu",
            two, tmp_path)


@pytest.mark.parametrize("after", [0, 1, 3, 6, 9])
def test_cancelling_at_any_step_leaves_nothing(demo_services: Services, two: list[int], usb: Path,
                                               tmp_path: Path, after: int) -> None:
    asked = []

    def cancelled() -> bool:
        asked.append(True)
        return len(asked) > after

    before = counts(demo_services)
    with pytest.raises(CancelledError, match="lập gói hồ sơ"):
        export.export(context(demo_services), two, usb, tmp_path, cancelled=cancelled)
    assert counts(demo_services) == before
    assert list(usb.iterdir()) == []


def test_cancelling_while_verifying_deletes_the_written_file(demo_services: Services, two: list[int], usb: Path,
                                                             tmp_path: Path) -> None:
    late = []
    before = counts(demo_services)
    with pytest.raises(CancelledError):
        export.export(context(demo_services), two, usb, tmp_path,
                      report=lambda done, total: late.append(done >= 0.9 * total), cancelled=lambda: any(late))
    assert counts(demo_services) == before
    assert list(usb.iterdir()) == []


def test_a_full_disk_is_told_and_leaves_the_earlier_file(demo_services: Services, two: list[int], usb: Path,
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    earlier = usb / "goi-ho-so-cu.zip"
    earlier.write_bytes(b"the package sent last month")

    def full(_path: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe_files, "fsync_file", full)
    before = counts(demo_services)
    with pytest.raises(FileWriteError, match="ổ đĩa đã đầy"):
        export.export(context(demo_services), two, usb, tmp_path)
    assert counts(demo_services) == before
    assert list(usb.iterdir()) == [earlier]
    assert earlier.read_bytes() == b"the package sent last month"


def test_a_package_that_fails_verification_is_deleted(demo_services: Services, two: list[int], usb: Path,
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path, chain: object = None, report: object = None) -> Verification:
        return Verification(path, (Problem(Code.HASH, "records/x.json: mã SHA-256 không khớp."),), None, "", "")

    monkeypatch.setattr(export, "verify_package", broken)
    refused(demo_services, usb, PackageError, "không qua được kiểm tra nên đã bị xóa.*mã SHA-256 không khớp",
            two, tmp_path)


def test_a_package_that_cannot_be_recorded_is_deleted(demo_services: Services, two: list[int], usb: Path,
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*_args: object, **_kwargs: object) -> None:
        raise OSError(5, "disk I/O error")

    monkeypatch.setattr(AuditTrail, "record", failing)
    refused(demo_services, usb, OSError, "disk I/O error", two, tmp_path)
