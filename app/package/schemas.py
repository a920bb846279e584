"""Checking a package's JSON files and an acknowledgement against the schemas we ship.

The schemas in resources/schemas/ are the reference: the province can run any JSON Schema
2020-12 validator on them. jsonschema is imported on first use only, so starting the
program does not pay for it. Each problem is one Vietnamese line naming the file and the
field, e.g. "manifest.json, files[3].sha256: giá trị «xyz» không đúng dạng: cần mã SHA-256…".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from app.paths import resources_dir

SCHEMA_NAMES = ("manifest", "record", "audit", "acknowledgement")

_TYPE_NAMES = {
    "string": "chuỗi", "integer": "số nguyên", "number": "số", "object": "đối tượng",
    "array": "mảng", "boolean": "true/false", "null": "null",
}


def schema_path_of(name: str) -> str:
    """Where a schema lives, relative to resources/ (for messages and the docs)."""
    return f"schemas/{name}.schema.json"


@lru_cache(maxsize=None)
def schema_document(name: str) -> dict[str, Any]:
    """The schema as shipped (resources/schemas/<name>.schema.json), read once."""
    if name not in SCHEMA_NAMES:
        raise ValueError(f"no schema called {name!r}")
    return json.loads((resources_dir() / schema_path_of(name)).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema_document(name))


def known_fields_only(name: str, document: object) -> object:
    """`document` without the fields schema `name` does not know, wherever the schema is closed
    (additionalProperties false): how a 1.x reader judges a newer 1.y file, whose minor version
    may only add fields (docs/package-format.md § Versions)."""
    schema = schema_document(name)
    return _known(document, schema, schema)


def _known(value: object, part: dict[str, Any], root: dict[str, Any]) -> object:
    while "$ref" in part:  # only local references ("#/$defs/x") in our schemas
        part = root["$defs"][part["$ref"].rsplit("/", 1)[1]]
    if isinstance(value, dict):
        properties = part.get("properties", {})
        closed = part.get("additionalProperties") is False
        return {key: _known(item, properties[key], root) if key in properties else item
                for key, item in value.items() if key in properties or not closed}
    if isinstance(value, list) and isinstance(part.get("items"), dict):
        return [_known(item, part["items"], root) for item in value]
    return value


def schema_problems(name: str, document: object, where: str) -> list[str]:
    """Every way `document` breaks the schema `name`, sorted by position; [] when it is valid."""
    lines = sorted((_position(error), f"{_located(where, error.absolute_path)}: {_explained(error)}.")
                   for error in _validator(name).iter_errors(document))
    return list(dict.fromkeys(line for _position_key, line in lines))


def _position(error: Any) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, part) if isinstance(part, int) else (1, str(part)) for part in error.absolute_path)


def _located(where: str, path: Iterable[object]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return f"{where}, {text}" if text else where


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"«{text[:57]}…»" if len(text) > 60 else f"«{text}»"


def _type_of(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "số nguyên"
    if isinstance(value, float):
        return "số"
    if isinstance(value, str):
        return "chuỗi"
    return "mảng" if isinstance(value, list) else "đối tượng"


def _explained(error: Any) -> str:
    """The error in Vietnamese; the schema's `description` says what was expected."""
    keyword, expected, value = error.validator, error.validator_value, error.instance
    wanted = error.schema.get("description") if isinstance(error.schema, dict) else None
    if keyword == "required":
        missing = [name for name in expected if isinstance(value, dict) and name not in value]
        return "thiếu trường " + ", ".join(f"«{name}»" for name in missing)
    if keyword == "additionalProperties":
        known = error.schema.get("properties", {})
        extra = sorted(name for name in value if name not in known)
        return "có trường không thuộc định dạng: " + ", ".join(f"«{name}»" for name in extra)
    if keyword == "type":
        types = expected if isinstance(expected, list) else [expected]
        need = " hoặc ".join(_TYPE_NAMES.get(t, t) for t in types)
        return f"cần kiểu {need}{f' ({wanted})' if wanted else ''}, đang là {_type_of(value)}"
    if keyword == "pattern":
        need = wanted or f"khớp mẫu {expected}"
        return f"giá trị {_shown(value)} không đúng dạng: cần {need}"
    if keyword == "const":
        return f"cần đúng {_shown(expected)}, đang là {_shown(value)}"
    if keyword == "enum":
        return f"giá trị {_shown(value)} không thuộc các giá trị cho phép: " + ", ".join(map(_shown, expected))
    if keyword == "minimum":
        return f"giá trị {_shown(value)} nhỏ hơn mức tối thiểu {expected}"
    if keyword == "maximum":
        return f"giá trị {_shown(value)} lớn hơn mức tối đa {expected}"
    if keyword == "minLength":
        return "không được để trống" if expected == 1 else f"cần ít nhất {expected} ký tự"
    if keyword == "maxLength":
        return f"dài quá {expected} ký tự"
    if keyword == "minItems":
        return "danh sách không được rỗng" if expected == 1 else f"cần ít nhất {expected} phần tử"
    if keyword == "maxItems":
        return f"có quá {expected} phần tử"
    if keyword == "uniqueItems":
        return "có phần tử lặp lại"
    if keyword == "not":
        if isinstance(expected, dict) and "const" in expected:
            return f"không được là {_shown(expected['const'])}"
        return f"không được có ở đây ({wanted})" if wanted else "không được có ở đây"
    return f"không hợp lệ ({error.message})"
