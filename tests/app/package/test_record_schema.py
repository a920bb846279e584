"""record.schema.json says what a record contains, so a province tool can rely on it and the
verifier refuses a record that lost a field: every record the app writes validates, and a
record missing a required field of any section is refused with the JSON path named."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from app import catalogue
from app.nomination_states import Action, Procedure, Route, State
from app.package.records import RecordHeader, read_contents, record_source
from app.package.schemas import schema_document, schema_problems
from app.services import Services
from db.models import Nomination
from tests.app.package.export_builders import proposed_standard

RECORD = "11111111-1111-4111-8111-111111111111"
WHERE = f"records/{RECORD}.json"


def records_of(services: Services, nomination_ids: list[int]) -> list[dict]:
    with services.sessions() as session:
        contents = read_contents(session, nomination_ids)
    return [json.loads(record_source(content, RecordHeader(RECORD, content.nomination_uuid, 1, None)).data())
            for content in contents.values()]


@pytest.fixture
def standard(demo_services: Services, tmp_path: Path) -> dict:
    """A record with every section filled: history, check, council vote, decisions, a scan."""
    (record,) = records_of(demo_services, [proposed_standard(demo_services, tmp_path)])
    assert record["council"] is not None and record["attachments"] and record["checks"]
    assert {item["type"] for item in record["history"]} == {"rating", "initiative"}
    return record


def test_every_record_the_demo_can_produce_validates(demo_services: Services, standard: dict) -> None:
    assert schema_problems("record", standard, WHERE) == []
    with demo_services.sessions() as session:
        ids = list(session.scalars(select(Nomination.id)))
    records = records_of(demo_services, ids)
    assert len(records) > 50
    assert {item["type"] for record in records for item in record["history"]} >= {"rating", "award"}
    assert any(record["decisions"] for record in records) and any(record["council"] for record in records)
    assert [problem for record in records for problem in schema_problems("record", record, WHERE)] == []


def drop(*path: str | int) -> Callable[[dict], None]:
    def change(record: dict) -> None:
        part = record
        for step in path[:-1]:
            part = part[step]
        del part[path[-1]]
    return change


def put(value: object, *path: str | int) -> Callable[[dict], None]:
    def change(record: dict) -> None:
        part = record
        for step in path[:-1]:
            part = part[step]
        part[path[-1]] = value
    return change


def first_of(kind: str) -> Callable[[dict], int]:
    return lambda record: next(i for i, item in enumerate(record["history"]) if item["type"] == kind)


CASES: list[tuple[str, Callable[[dict], None], str]] = [
    ("nomination award", drop("nomination", "award_code"), "nomination: thiếu trường «award_code»"),
    ("nomination year", drop("nomination", "year"), "nomination: thiếu trường «year»"),
    ("nomination state", put("sent", "nomination", "state"),
     "nomination.state: giá trị «sent» không thuộc các giá trị cho phép"),
    ("nomination procedure", drop("nomination", "procedure"), "nomination: thiếu trường «procedure»"),
    ("nomination action", drop("nomination", "action"), "nomination: thiếu trường «action»"),
    ("an event's date", drop("nomination", "events", 0, "on"), "nomination.events[0]: thiếu trường «on»"),
    ("subject kind", drop("subject", "kind"), "subject: thiếu trường «kind»"),
    ("subject name empty", put("", "subject", "name"), "subject.name: không được để trống"),
    ("a history item's type", drop("history", 0, "type"), "history[0]: thiếu trường «type»"),
    ("a history item's unknown type", put("medal", "history", 0, "type"),
     "history[0].type: giá trị «medal» không thuộc các giá trị cho phép"),
    ("a check's verdict", drop("checks", 0, "verdict"), "checks[0]: thiếu trường «verdict»"),
    ("a check's result", drop("checks", 0, "result"), "checks[0]: thiếu trường «result»"),
    ("a check's time", put("2026-10-20 08:00", "checks", 0, "checked_at"), "checks[0].checked_at: giá trị"),
    ("the council's votes", drop("council", "votes_for"), "council: thiếu trường «votes_for»"),
    ("the council's session", drop("council", "session_uuid"), "council: thiếu trường «session_uuid»"),
    ("the council's result", drop("council", "result"), "council: thiếu trường «result»"),
    ("a document's kind", drop("documents", 0, "kind"), "documents[0]: thiếu trường «kind»"),
    ("an attachment's hash", drop("attachments", 0, "sha256"), "attachments[0]: thiếu trường «sha256»"),
]


@pytest.mark.parametrize(("change", "problem"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_record_missing_what_a_province_relies_on_is_refused(standard: dict, change: Callable[[dict], None],
                                                               problem: str) -> None:
    record = copy.deepcopy(standard)
    change(record)
    problems = schema_problems("record", record, WHERE)
    assert len(problems) == 1 and problems[0].startswith(f"{WHERE}, {problem}"), problems


@pytest.mark.parametrize(("kind", "field"), [("rating", "rating"), ("initiative", "title")])
def test_each_history_item_carries_the_fields_of_its_type(standard: dict, kind: str, field: str) -> None:
    record = copy.deepcopy(standard)
    index = first_of(kind)(record)
    del record["history"][index][field]
    assert schema_problems("record", record, WHERE) == [f"{WHERE}, history[{index}]: thiếu trường «{field}»."]


def test_decisions_name_their_number_and_items(standard: dict) -> None:
    decision = {"uuid": RECORD, "number": "12/QĐ-UBND", "decided_on": "2025-12-20",
                "items": [{"uuid": RECORD, "award_code": "CSTDCS", "year": 2025}]}
    record = copy.deepcopy(standard)
    record["decisions"] = [decision, {k: v for k, v in decision.items() if k != "number"},
                           dict(decision, items=[{"uuid": RECORD, "year": 2025}])]
    assert schema_problems("record", record, WHERE) == [
        f"{WHERE}, decisions[1]: thiếu trường «number».",
        f"{WHERE}, decisions[2].items[0]: thiếu trường «award_code».",
    ]


def test_sections_stay_open_for_fields_a_minor_version_adds(standard: dict) -> None:
    record = copy.deepcopy(standard)
    for section in ("nomination", "subject", "council"):
        record[section]["added_in_1_1"] = True
    record["history"][0]["added_in_1_1"] = [1]
    record["checks"][0]["added_in_1_1"] = {}
    assert schema_problems("record", record, WHERE) == []
    assert schema_problems("record", dict(record, council=None), WHERE) == []


def test_the_schemas_enumerations_follow_the_app() -> None:
    schema = schema_document("record")
    nomination = schema["properties"]["nomination"]["properties"]
    assert schema["$defs"]["state"]["enum"] == [state.value for state in State]
    assert nomination["procedure"]["enum"] == [procedure.value for procedure in Procedure]
    assert nomination["action"]["enum"] == ["", *(route.value for route in Route)]
    assert nomination["events"]["items"]["properties"]["action"]["enum"] == [action.value for action in Action]
    assert schema["properties"]["subject"]["properties"]["kind"]["enum"] == list(catalogue.SUBJECT_KINDS)


def test_the_specification_lists_each_sections_required_fields() -> None:
    """docs/package-format.md § 3 names what the schema requires, section by section."""
    text = (Path(__file__).resolve().parents[3] / "docs" / "package-format.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line for line in text.splitlines() if line.startswith("| `")}
    schema = schema_document("record")

    def required(part: dict) -> set[str]:
        while "$ref" in part:
            part = schema["$defs"][part["$ref"].rsplit("/", 1)[1]]
        found = set(part.get("required", []))
        for branch in part.get("allOf", []):
            found |= set(branch["then"]["required"])
        for child in (part.get("items"), *part.get("properties", {}).values()):
            if isinstance(child, dict):
                found |= required(child)
        return found

    missing = {section: sorted(name for name in required(part) if f"`{name}`" not in rows[section])
               for section, part in schema["properties"].items()}
    assert {section: names for section, names in missing.items() if names} == {}
