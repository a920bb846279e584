"""An acknowledgement is its content, not its bytes: re-saved by e-mail or a chat program it is
still the same one. Showing what it will do before applying it (preview_ack): the answers
cannot be undone, so the officer sees them first. The preview writes nothing, lists
conflicts instead of raising them, and the import that follows refuses a file whose content
changed since it was shown."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from app.package.acks import AckConflictError, import_ack, preview_ack
from app.package.format import PackageError, canonical_json, sha256_hex
from app.roles import Actor, Role
from app.services import Services
from tests.app.package.package_rows import (
    ISSUED_AT,
    PROVINCE,
    ack_file,
    approved,
    context,
    counts,
    package_rows,
    proposed_sudden,
)

RETURNED = {"status": "returned", "reason": "Thiếu xác nhận của Công an xã về vụ việc"}
HAI = "«Trần Văn Hải» — Bằng khen của Chủ tịch UBND tỉnh năm 2026"
SON = "«Lê Văn Sơn» — Bằng khen của Chủ tịch UBND tỉnh năm 2026"
APPROVED_LINE = (f"{HAI}: tỉnh khen thưởng, quyết định số 1234/QĐ-UBND ngày 18/11/2026 của Chủ tịch UBND "
                 "tỉnh Đồng Nai")
RETURNED_LINE = f"{SON}: tỉnh trả lại — Thiếu xác nhận của Công an xã về vụ việc"


@pytest.fixture
def two(demo_services: Services) -> tuple[int, int]:
    return proposed_sudden(demo_services, "Trần Văn Hải"), proposed_sudden(demo_services, "Lê Văn Sơn")


def reencoded(document: dict) -> dict[str, bytes]:
    """The same acknowledgement as e-mail, chat programs and portals pass it on."""
    canonical = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False).encode() + b"\n"
    return {
        "compact": json.dumps(document, separators=(",", ":")).encode(),
        "crlf": canonical.replace(b"\n", b"\r\n"),
        "bom": b"\xef\xbb\xbf" + canonical,
        "reindented": json.dumps(dict(reversed(document.items())), indent=4, ensure_ascii=False).encode(),
    }


def test_the_same_acknowledgement_saved_again_differently_changes_nothing(
        demo_services: Services, two: tuple[int, int], tmp_path: Path) -> None:
    hai, son = two
    built = package_rows(demo_services, [hai, son])
    path = ack_file(tmp_path, built, {hai: approved(), son: RETURNED})
    first = import_ack(context(demo_services), path)
    before = counts(demo_services)
    for how, data in reencoded(json.loads(path.read_text(encoding="utf-8"))).items():
        copy = tmp_path / f"{how}.json"
        copy.write_bytes(data)
        again = import_ack(context(demo_services), copy)
        assert (again.ack_uuid, again.already_imported, again.applied, again.unchanged) == (
            first.ack_uuid, True, (), ()), how
    assert counts(demo_services) == before


def test_the_preview_says_what_will_change_and_writes_nothing(demo_services: Services, two: tuple[int, int],
                                                              tmp_path: Path) -> None:
    hai, son = two
    built = package_rows(demo_services, [hai, son])
    path = ack_file(tmp_path, built, {hai: approved(), son: RETURNED})
    before = counts(demo_services)
    viewer = Actor(None, "xem", "Người xem", Role.VIEWER)  # looking needs no permission
    preview = preview_ack(context(demo_services, viewer), path)
    assert counts(demo_services) == before
    document = json.loads(path.read_text(encoding="utf-8"))
    assert preview.ack_uuid == document["ack_uuid"]
    assert preview.sha256 == sha256_hex(canonical_json(document))
    assert (preview.package_sequence, preview.issuer, preview.issued_at) == (built.sequence, PROVINCE, ISSUED_AT)
    assert (sorted(preview.applies), preview.unchanged, preview.conflicts, preview.already_imported) == (
        [RETURNED_LINE, APPROVED_LINE], (), (), False)
    assert demo_services.nominations.detail(hai).row.state == "proposed"

    result = import_ack(context(demo_services), path, preview.sha256)
    assert (sorted(result.applied), result.already_imported) == ([RETURNED_LINE, APPROVED_LINE], False)
    again = preview_ack(context(demo_services), path)
    assert (again.already_imported, again.applies, again.unchanged, again.conflicts) == (True, (), (), ())


def test_the_preview_separates_known_answers(demo_services: Services, two: tuple[int, int], tmp_path: Path) -> None:
    hai, son = two
    built = package_rows(demo_services, [hai, son])
    import_ack(context(demo_services), ack_file(tmp_path, built, {hai: approved()}, name="1.json"))
    preview = preview_ack(context(demo_services), ack_file(tmp_path, built, {hai: approved(), son: RETURNED},
                                                           name="2.json"))
    assert (preview.applies, preview.unchanged, preview.conflicts) == ((RETURNED_LINE,), (APPROVED_LINE,), ())


def test_the_preview_lists_conflicts_the_import_refuses(demo_services: Services, two: tuple[int, int],
                                                        tmp_path: Path) -> None:
    hai, son = two
    built = package_rows(demo_services, [hai, son])
    import_ack(context(demo_services), ack_file(tmp_path, built, {hai: approved()}, name="1.json"))
    path = ack_file(tmp_path, built, {hai: approved("1235/QĐ-UBND"), son: RETURNED}, name="2.json")
    before = counts(demo_services)
    preview = preview_ack(context(demo_services), path)
    assert preview.applies == (RETURNED_LINE,)
    (conflict,) = preview.conflicts
    assert conflict.startswith(f"{HAI}: biên nhận ngày 19/11/2026 đã ghi «tỉnh khen thưởng, quyết định số "
                               "1234/QĐ-UBND")
    with pytest.raises(AckConflictError) as raised:
        import_ack(context(demo_services), path, preview.sha256)
    assert raised.value.conflicts == preview.conflicts
    assert counts(demo_services) == before


def test_the_same_acknowledgement_id_with_other_content_is_a_listed_conflict(
        demo_services: Services, two: tuple[int, int], tmp_path: Path) -> None:
    hai, son = two
    built = package_rows(demo_services, [hai, son])
    ack_uuid = str(uuid.uuid4())
    import_ack(context(demo_services), ack_file(tmp_path, built, {hai: approved()}, ack_uuid=ack_uuid,
                                                name="1.json"))
    preview = preview_ack(context(demo_services), ack_file(tmp_path, built, {hai: approved(), son: RETURNED},
                                                           ack_uuid=ack_uuid, name="2.json"))
    assert (preview.already_imported, preview.applies, preview.conflicts) == (False, (), (
        f"Biên nhận mã {ack_uuid} đã được nhập ngày 20/11/2026 với nội dung khác tệp «2.json»; một biên nhận "
        "không được sửa sau khi đã gửi.",))


def test_a_file_changed_after_the_preview_is_refused(demo_services: Services, two: tuple[int, int],
                                                     tmp_path: Path) -> None:
    hai, son = two
    built = package_rows(demo_services, [hai, son])
    path = ack_file(tmp_path, built, {hai: approved()})
    shown = preview_ack(context(demo_services), path).sha256
    ack_file(tmp_path, built, {hai: approved(), son: RETURNED})  # the same name, other answers
    before = counts(demo_services)
    with pytest.raises(PackageError, match="Tệp biên nhận «bien-nhan.json» đã thay đổi sau khi xem trước; "
                                           "không nhập."):
        import_ack(context(demo_services), path, shown)
    assert counts(demo_services) == before
    assert demo_services.nominations.detail(hai).row.state == "proposed"
    # Re-saved with other line endings it is the same content: accepted.
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert len(import_ack(context(demo_services), path, preview_ack(context(demo_services), path).sha256).applied) == 2


def test_bad_input_is_refused_by_the_preview_too(demo_services: Services, two: tuple[int, int],
                                                 tmp_path: Path) -> None:
    hai, _ = two
    built = package_rows(demo_services, [hai])
    path = ack_file(tmp_path, built, {hai: {"status": "received"}})
    document = json.loads(path.read_text(encoding="utf-8"))
    stranger = str(uuid.uuid4())
    document["records"].append({"record_uuid": stranger, "status": "received"})
    path.write_bytes(canonical_json(document))
    with pytest.raises(PackageError, match=f"records\\[1\\]: hồ sơ {stranger} không có trong gói số 1"):
        preview_ack(context(demo_services), path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(PackageError, match="không phải JSON hợp lệ"):
        preview_ack(context(demo_services), path)
