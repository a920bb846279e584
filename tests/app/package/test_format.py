"""The package format's fixed parts and the shipped JSON Schemas."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.package import format as fmt
from app.package.format import (
    MAX_JSON_DEPTH,
    JsonError,
    PackageError,
    attachment_path,
    canonical_json,
    document_path,
    media_type_of,
    minutes_path,
    offset_time,
    package_file_name,
    record_path,
    sha256_hex,
    strict_json,
)
from app.package.manifest_checks import layout_problems
from app.package.problems import Code
from app.package.schemas import SCHEMA_NAMES, schema_document, schema_problems
from app.errors import DomainError
from tests.app.package.hostile import record_body

R = "0b6f3c1e-9a2d-4e5f-8a7b-1c2d3e4f5a6b"
A = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
SHA = "a" * 64


def test_paths_inside_the_package_follow_the_layout() -> None:
    assert record_path(R) == f"records/{R}.json"
    assert document_path(R, "to-trinh") == f"ho-so/{R}/to-trinh.pdf"
    assert minutes_path(A) == f"bien-ban/{A}.pdf"
    assert attachment_path(R, A, "image/jpeg") == f"dinh-kem/{R}/{A}.jpg"
    assert attachment_path(R, A, "image/png").endswith(".png")
    assert attachment_path(R, A, "application/pdf").endswith(".pdf")


@pytest.mark.parametrize("call", [
    lambda: record_path("../../etc"),
    lambda: record_path(R.upper()),
    lambda: document_path(R, "../x"),
    lambda: minutes_path(""),
    lambda: attachment_path(R, A, "image/gif"),
    lambda: media_type_of("a/b.exe"),
])
def test_a_path_that_could_leave_the_layout_is_a_programming_error(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        call()


def test_media_types_by_suffix() -> None:
    assert media_type_of("manifest.json") == "application/json"
    assert media_type_of("danh-sach.xlsx") == fmt.XLSX_TYPE
    assert media_type_of("x/Y.PDF") == "application/pdf"
    assert media_type_of("a.jpg") == "image/jpeg"
    assert media_type_of("a.png") == "image/png"


def test_canonical_json_is_one_byte_form() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Cứu")
    data = canonical_json({"b": [1, {"z": decomposed, "a": None}], "a": "Xã"})
    assert data == ('{\n  "a": "Xã",\n  "b": [\n    1,\n    {\n      "a": null,\n      "z": "Nguyễn Văn Cứu"\n'
                    '    }\n  ]\n}\n').encode("utf-8")
    assert canonical_json({"a": "Xã", "b": [1, {"a": None, "z": "Nguyễn Văn Cứu"}]}) == data
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


@pytest.mark.parametrize(("data", "kind", "message"), [
    (b'{"a": 1, "a": 2}', "syntax", "x.json không phải JSON hợp lệ: khóa «a» xuất hiện hai lần trong cùng một đối tượng"),
    (b'{"a": {"b": [1, {"c": 1, "c": 1}]}}', "syntax", "khóa «c» xuất hiện hai lần"),
    (b'{"a": NaN}', "syntax", "x.json không phải JSON hợp lệ: có giá trị «NaN», JSON chuẩn không cho phép"),
    (b'[Infinity]', "syntax", "«Infinity»"),
    (b'{"a": -Infinity}', "syntax", "«-Infinity»"),
    (b'{"a": ', "syntax", "x.json không phải JSON hợp lệ (dòng 1, cột 7: Expecting value)"),
    ("{\"a\": \"Xã\"}".encode("utf-16"), "encoding", "x.json không phải văn bản UTF-8 (byte thứ 1)"),
    (b"\xef\xbb\xbf{}", "syntax", "x.json không phải JSON hợp lệ (dòng 1, cột 1: Unexpected UTF-8 BOM"),
    (b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1), "depth",
     f"x.json lồng quá nhiều tầng (giới hạn {MAX_JSON_DEPTH} tầng)"),
    (b'{"a": ' * 100_000, "depth", "x.json lồng quá nhiều tầng"),
])
def test_strict_json_refuses_what_two_readers_could_read_differently(data: bytes, kind: str, message: str) -> None:
    with pytest.raises(JsonError) as raised:
        strict_json(data, "x.json")
    assert raised.value.kind == kind
    assert message in str(raised.value) and str(raised.value).startswith("x.json ")


def test_strict_json_reads_what_is_strict() -> None:
    nested = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    assert strict_json(nested, "x.json") is not None
    assert strict_json('{"a": "NaN", "b": [1.5, null]}'.encode(), "x.json") == {"a": "NaN", "b": [1.5, None]}
    assert strict_json(b"\xef\xbb\xbf{\"a\": 1}", "x.json", bom=True) == {"a": 1}  # an acknowledgement may have one


def test_times_are_vietnam_time_to_the_second() -> None:
    moment = datetime(2026, 11, 24, 10, 42, 21, 987654, tzinfo=UTC)
    assert offset_time(moment) == "2026-11-24T17:42:21+07:00"
    assert offset_time(moment.astimezone(timezone(timedelta(hours=-5)))) == "2026-11-24T17:42:21+07:00"
    with pytest.raises(ValueError):
        offset_time(datetime(2026, 11, 24, 10, 42))


def test_file_name_sorts_by_commune_then_sequence() -> None:
    assert package_file_name(26734, 3, date(2026, 11, 24)) == "goi-ho-so-26734-0003-20261124.zip"
    assert sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_package_error_is_a_domain_error_and_limits_are_ordered() -> None:
    assert issubclass(PackageError, DomainError)
    assert fmt.MAX_ACK_SIZE <= fmt.MAX_JSON_SIZE <= fmt.MAX_ENTRY_SIZE <= fmt.MAX_TOTAL_SIZE
    assert fmt.RATIO_FLOOR < fmt.MAX_ENTRY_SIZE and fmt.MAX_RATIO > 10


# --- schemas -----------------------------------------------------------------------------


def manifest() -> dict:
    return {
        "format": "tdkt-xa-goi-ho-so", "format_version": "1.0", "package_uuid": A, "sequence": 1,
        "previous_package_uuid": None, "created_at": "2026-11-24T17:42:21+07:00",
        "commune": {"code": 26734, "name": "Xã Phú Lợi", "province_code": 75, "province_name": "Tỉnh Đồng Nai"},
        "app_version": "0.1.0", "rule_sets": ["2025-ND152"], "engine_version": "1",
        "template_version": "nd30-2020/1",
        "counts": {"records": 1, "subjects": 1, "documents": 0, "attachments": 0, "files": 1},
        "records": [{"uuid": R, "nomination_uuid": A, "version": 1, "supersedes": None, "path": record_path(R)}],
        "files": [{"path": record_path(R), "size": 10, "sha256": SHA, "media_type": "application/json"}],
    }


def record() -> dict:
    body = record_body(R, A, 1, None, [], [])
    body["nomination"]["anything"] = 1  # the sections are open: a 1.x may add fields
    body["subject"]["more"] = [1]
    return body


def ack() -> dict:
    return {"format": "tdkt-xa-bien-nhan", "format_version": "1.0", "ack_uuid": R, "package_uuid": A,
            "commune_code": 26734, "issued_at": "2026-12-01T09:00:00+07:00", "issuer": "Sở Nội vụ tỉnh Đồng Nai",
            "received": {"package_sha256": SHA, "manifest_sha256": SHA},
            "records": [{"record_uuid": R, "status": "approved",
                         "decision": {"number": "123/QĐ-UBND", "date": "2026-12-01", "issuer": "UBND tỉnh"}}]}


def test_shipped_schemas_are_valid_draft_2020_12_with_versioned_ids() -> None:
    from jsonschema import Draft202012Validator

    for name in SCHEMA_NAMES:
        schema = schema_document(name)
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == f"https://tdkt-xa.example/schemas/{name}-1.0.json"
        assert schema["additionalProperties"] is False


def test_valid_documents_have_no_problems() -> None:
    assert schema_problems("manifest", manifest(), "manifest.json") == []
    assert schema_problems("record", record(), "records/x.json") == []
    assert schema_problems("acknowledgement", ack(), "bien-nhan.json") == []
    assert schema_problems("audit", {"entries": []}, "nhat-ky.json") == []


def test_each_problem_names_the_file_and_the_field_in_vietnamese() -> None:
    bad = manifest()
    bad["files"][0]["sha256"] = "XYZ"
    bad["created_at"] = "2026-11-24T10:42:21Z"
    bad["surprise"] = 1
    del bad["counts"]
    problems = schema_problems("manifest", bad, "manifest.json")
    assert problems == [
        "manifest.json: có trường không thuộc định dạng: «surprise».",
        "manifest.json: thiếu trường «counts».",
        "manifest.json, created_at: giá trị «2026-11-24T10:42:21Z» không đúng dạng: cần thời điểm giờ Việt Nam "
        "dạng 2026-11-24T17:42:21+07:00.",
        "manifest.json, files[0].sha256: giá trị «XYZ» không đúng dạng: cần mã SHA-256 gồm 64 chữ số thập lục "
        "phân viết thường.",
    ]


def test_problems_are_sorted_by_position_with_numeric_indexes() -> None:
    bad = manifest()
    bad["files"] = [dict(bad["files"][0], size=-1) for _ in range(12)]
    lines = schema_problems("manifest", bad, "manifest.json")
    assert [line.split(":")[0] for line in lines] == [f"manifest.json, files[{i}].size" for i in range(12)]


def test_manifest_paths_and_versions_are_strict() -> None:
    bad = manifest()
    bad["files"][0]["path"] = "../../x"
    bad["records"][0].update(version=2, supersedes=None)
    bad["files"].append(dict(bad["files"][0], path="manifest.json"))
    lines = schema_problems("manifest", bad, "manifest.json")
    assert any(line.startswith("manifest.json, files[0].path: giá trị «../../x» không đúng dạng") for line in lines)
    assert "manifest.json, files[1].path: không được là «manifest.json»." in lines
    assert any(line.startswith("manifest.json, records[0].supersedes: cần kiểu chuỗi") for line in lines)


def test_record_header_is_strict_and_sections_are_open() -> None:
    bad = record()
    bad["record"]["extra"] = True
    bad["record"].update(version=0, supersedes=A)
    del bad["council"]
    bad["history"] = {}
    assert schema_problems("record", bad, "records/x.json") == [
        "records/x.json: thiếu trường «council».",
        "records/x.json, history: cần kiểu mảng (xếp loại, khen thưởng, sáng kiến, kỷ luật trong các năm báo "
        "cáo), đang là đối tượng.",
        "records/x.json, record: có trường không thuộc định dạng: «extra».",
        "records/x.json, record.version: giá trị «0» nhỏ hơn mức tối thiểu 1.",
    ]


def test_acknowledgement_answers_say_why_and_name_their_decision() -> None:
    bad = ack()
    bad["records"] = [
        {"record_uuid": R, "status": "approved"},
        {"record_uuid": R, "status": "returned"},
        {"record_uuid": R, "status": "not_approved", "reason": "  "},
        {"record_uuid": R, "status": "received",
         "decision": {"number": "1", "date": "2026-12-01", "issuer": "UBND tỉnh"}},
        {"record_uuid": R, "status": "lost"},
    ]
    assert schema_problems("acknowledgement", bad, "bien-nhan.json") == [
        "bien-nhan.json, records[0]: thiếu trường «decision».",
        "bien-nhan.json, records[1]: thiếu trường «reason».",
        "bien-nhan.json, records[2].reason: giá trị «  » không đúng dạng: cần khớp mẫu \\S.",
        "bien-nhan.json, records[3].decision: không được có ở đây (chỉ hồ sơ có status approved mới có decision).",
        "bien-nhan.json, records[4].status: giá trị «lost» không thuộc các giá trị cho phép: «received», "
        "«returned», «approved», «not_approved».",
    ]


def test_audit_entries_carry_every_stored_field() -> None:
    entry = {"id": 1, "uuid": R, "at": "2026-11-20T03:00:00.000000+00:00", "user_id": None, "username": "canbo",
             "full_name": "Nguyễn Thị Cán", "action": "propose", "entity": "nomination", "entity_uuid": A,
             "summary": "", "old_values": None, "new_values": "{}", "reason": None, "prev_hash": SHA, "hash": SHA}
    assert schema_problems("audit", {"entries": [entry]}, "nhat-ky.json") == []
    del entry["hash"]
    assert schema_problems("audit", {"entries": [entry]}, "nhat-ky.json") == [
        "nhat-ky.json, entries[0]: thiếu trường «hash»."]


def test_an_unknown_schema_name_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        schema_problems("manifests", {}, "x")


def test_jsonschema_is_imported_only_when_a_document_is_checked() -> None:
    code = ("import sys, app.package.schemas, app.package.verify, app.package.zip_writer; "
            "print('jsonschema' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout.strip().lower()) is False


# --- the specification ---------------------------------------------------------------------


def spec_examples() -> tuple[str, dict, dict]:
    text = (Path(__file__).resolve().parents[3] / "docs" / "package-format.md").read_text(encoding="utf-8")
    blocks = [json.loads(block.split("```", 1)[0]) for block in text.split("```json\n")[1:]]
    manifest_example = next(b for b in blocks if b.get("format") == fmt.FORMAT_NAME)
    ack_example = next(b for b in blocks if b.get("format") == fmt.ACK_FORMAT_NAME)
    return text, manifest_example, ack_example


def test_the_specifications_examples_are_valid_and_answer_each_other() -> None:
    _text, manifest_example, ack_example = spec_examples()
    assert schema_problems("manifest", manifest_example, "manifest.json") == []
    assert layout_problems(manifest_example) == []
    assert schema_problems("acknowledgement", ack_example, "bien-nhan.json") == []
    assert ack_example["package_uuid"] == manifest_example["package_uuid"]
    assert ack_example["received"]["manifest_sha256"] == sha256_hex(canonical_json(manifest_example))
    assert {r["record_uuid"] for r in ack_example["records"]} <= {r["uuid"] for r in manifest_example["records"]}


def test_the_specification_lists_every_problem_code() -> None:
    text, _manifest, _ack = spec_examples()
    assert [code.value for code in Code if f"| `{code.value}` |" not in text] == []
