"""An export refused, cancelled or failing leaves nothing behind: no package file (an earlier
one intact), no copy in the data folder, no row, no audit entry; each refusal names its reason,
and says so when the written file could not be deleted. Exported rows are frozen."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from app import safe_files
from app.audit import AuditTrail
from app.documents.kinds import Kind, Owner
from app.errors import CancelledError, FileWriteError, PermissionDeniedError
from app.package import export
from app.package.format import PackageError
from app.package.verify import Code, Problem, Verification
from app.roles import Actor, Role
from app.services import Services
from db.engine import StorageError
from db.models import AuditEntry, Nomination, Package, PackageRecord
from tests.app.package.export_builders import RESCUER, STANDARD_NAME, proposed_standard
from tests.app.package.package_rows import context


def counts(services: Services) -> tuple[int, int, int]:
    with services.sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[return-value]
                     for model in (Package, PackageRecord, AuditEntry))


def refused(services: Services, usb: Path, error: type[Exception], match: str, ids: Sequence[int],
            data_folder: Path, actor: Actor | None = None) -> None:
    """The export raises `error` matching `match`, and nothing was written or recorded."""
    before = counts(services)
    with pytest.raises(error, match=match):
        export.export(context(services, actor), ids, usb, data_folder)
    assert counts(services) == before
    assert list(usb.iterdir()) == []
    assert kept(data_folder) == []


def kept(data_folder: Path) -> list[str]:
    """The copies of sent packages in the data folder."""
    folder = data_folder / "goi-ho-so"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_exported_rows_refuse_update_and_delete(demo_services: Services, two: tuple[int, int], usb: Path,
                                                tmp_path: Path) -> None:
    export.export(context(demo_services), two, usb, tmp_path)
    for statement in ("UPDATE packages SET size = 1", "DELETE FROM packages",
                      "UPDATE package_records SET content_sha256 = 'x'", "DELETE FROM package_records"):
        with demo_services.sessions.begin() as session, pytest.raises(DBAPIError):
            session.execute(text(statement))
    assert counts(demo_services)[:2] == (1, 2)


def test_a_viewer_cannot_export(demo_services: Services, two: tuple[int, int], usb: Path, tmp_path: Path) -> None:
    viewer = Actor(user_id=None, username="xem", full_name="Người Xem", role=Role.VIEWER)
    refused(demo_services, usb, PermissionDeniedError, "không có quyền", two, tmp_path, viewer)


def test_nothing_chosen_unknown_or_not_ready_nominations_are_refused(demo_services: Services, two: tuple[int, int],
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


def test_a_missing_folder_or_commune_setup_is_refused(demo_services: Services, services: Services, two: tuple[int, int],
                                                      usb: Path, tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="Không tìm thấy thư mục"):
        export.export(context(demo_services), two, usb / "rút ra", tmp_path)
    refused(services, usb, PackageError, "Chưa thiết lập xã", [1], tmp_path)


def test_a_package_file_of_the_same_name_is_never_overwritten(demo_services: Services, two: tuple[int, int],
                                                               usb: Path, tmp_path: Path) -> None:
    """A damaged file named as the next package: refused before anything is drawn."""
    commune = demo_services.commune.get()
    assert commune is not None
    other = usb / f"goi-ho-so-{commune.commune_code}-0001-20261120.zip"
    other.write_bytes(b"package 1 as sent before the restore")
    before = counts(demo_services)
    with pytest.raises(PackageError, match=f"có tệp {other.name}, theo tên là gói hồ sơ số 1 của xã, nhưng không "
                                           "đọc được .*dữ liệu này không biết gói số 1"):
        export.export(context(demo_services), two, usb, tmp_path)
    assert counts(demo_services) == before
    assert list(usb.iterdir()) == [other] and other.read_bytes() == b"package 1 as sent before the restore"


def test_a_scan_gone_from_the_data_folder_is_named(demo_services: Services, two: tuple[int, int], usb: Path,
                                                   tmp_path: Path) -> None:
    for scan in (tmp_path / "attachments").iterdir():
        scan.unlink()
    refused(demo_services, usb, PackageError,
            f"Tệp đính kèm «xac-nhan-sang-kien.pdf» của hồ sơ {STANDARD_NAME} không còn trong thư mục dữ liệu",
            two, tmp_path)


@pytest.mark.parametrize("after", [0, 1, 3, 6, 9])
def test_cancelling_at_any_step_leaves_nothing(demo_services: Services, two: tuple[int, int], usb: Path,
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


def test_cancelling_while_verifying_deletes_the_written_file(demo_services: Services, two: tuple[int, int], usb: Path,
                                                             tmp_path: Path) -> None:
    late = []
    before = counts(demo_services)
    with pytest.raises(CancelledError):
        export.export(context(demo_services), two, usb, tmp_path,
                      report=lambda done, total: late.append(done >= 0.9 * total), cancelled=lambda: any(late))
    assert counts(demo_services) == before
    assert list(usb.iterdir()) == []


def test_a_full_disk_is_told_and_leaves_the_earlier_package(demo_services: Services, two: tuple[int, int],
                                                            usb: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Package 2 fails on a full stick: package 1 beside it, and its copy, stay as they were."""
    standard, rescuer = two
    first = export.export(context(demo_services), [rescuer], usb, tmp_path).path
    sent = first.read_bytes()

    def full(_path: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe_files, "fsync_file", full)
    before = counts(demo_services)
    with pytest.raises(FileWriteError, match="ổ đĩa đã đầy"):
        export.export(context(demo_services), [standard], usb, tmp_path)
    assert counts(demo_services) == before
    assert list(usb.iterdir()) == [first] and first.read_bytes() == sent
    assert kept(tmp_path) == [first.name]


def test_a_package_that_fails_verification_is_deleted(demo_services: Services, two: tuple[int, int], usb: Path,
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path, chain: object = None, report: object = None) -> Verification:
        return Verification(path, (Problem(Code.HASH, "records/x.json: mã SHA-256 không khớp."),), None, "", "")

    monkeypatch.setattr(export, "verify_package", broken)
    refused(demo_services, usb, PackageError, "không qua được kiểm tra: .*mã SHA-256 không khớp. Đã xóa tệp "
            r"goi-ho-so-\d+-0001-20261120.zip vừa ghi; hãy lập gói lại.$", two, tmp_path)


def test_a_package_that_cannot_be_deleted_after_failing_is_named(
        demo_services: Services, two: tuple[int, int], usb: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The stick pulled out after writing: reading it back fails, and so does deleting it."""
    real_unlink = Path.unlink

    def gone(self: Path, missing_ok: bool = False) -> None:
        if self.parent == usb:
            raise OSError(5, "Input/output error", str(self))
        real_unlink(self, missing_ok)

    def unreadable(path: Path, chain: object = None, report: object = None) -> Verification:
        return Verification(path, (Problem(Code.UNREADABLE, f"Không đọc được tệp {path.name}: I/O error."),),
                            None, "", "")

    monkeypatch.setattr(export, "verify_package", unreadable)
    monkeypatch.setattr(Path, "unlink", gone)
    before = counts(demo_services)
    with pytest.raises(PackageError, match=r"Không đọc được tệp .* Không xóa được tệp goi-ho-so-\d+-0001-20261120.zip "
                                           "vừa ghi: tệp có thể vẫn còn trên USB; đừng gửi tệp đó cho tỉnh.$"):
        export.export(context(demo_services), two, usb, tmp_path)
    assert counts(demo_services) == before


@pytest.mark.parametrize("failure", [
    OSError(5, "disk I/O error"),
    OperationalError("INSERT INTO audit_log …", {}, sqlite3.OperationalError("database is locked")),
    StorageError("Cơ sở dữ liệu đang bận (một chương trình khác đang ghi). Hãy thử lại sau ít phút; thao tác "
                 "vừa rồi không được ghi."),
], ids=["os-error", "sqlalchemy", "storage"])
def test_a_package_that_cannot_be_recorded_is_deleted_and_told(demo_services: Services, two: tuple[int, int],
                                                               usb: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               failure: Exception) -> None:
    def failing(*_args: object, **_kwargs: object) -> None:
        raise failure

    monkeypatch.setattr(AuditTrail, "record", failing)
    refused(demo_services, usb, PackageError, "^Không ghi nhận được gói số 1 vào dữ liệu.*Đã xóa tệp "
            r"goi-ho-so-\d+-0001-20261120.zip vừa ghi", two, tmp_path)


def test_a_nomination_changed_while_the_package_is_made_refuses_it(
        demo_services: Services, two: tuple[int, int], usb: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Another window edits the rescuer's tờ trình while the first record's documents are
    drawn: the package's parts would disagree, and the stored hash would be the old one."""
    standard, rescuer = two
    draw = demo_services.printing.pdf

    def drawing(kind: Kind, owners: list[Owner], **options: object) -> bytes:
        if owners == [Owner("nomination", standard)] and kind is Kind.PROPOSAL:
            demo_services.printing.save_texts(Kind.PROPOSAL, Owner("nomination", rescuer),
                                              {"signer_name": "Lê Văn Ký Thay"})
        return draw(kind, owners, **options)

    monkeypatch.setattr(demo_services.printing, "pdf", drawing)
    before = counts(demo_services)
    with pytest.raises(PackageError, match=f"^Đề nghị {RESCUER} \\(Bằng khen của Chủ tịch UBND tỉnh năm 2026\\) đã "
                                           "thay đổi trong lúc lập gói, nên gói không được ghi nhận. Đã xóa tệp"):
        export.export(context(demo_services), two, usb, tmp_path)
    assert counts(demo_services)[:2] == before[:2]  # the edit itself is audited
    assert list(usb.iterdir()) == [] and kept(tmp_path) == []
