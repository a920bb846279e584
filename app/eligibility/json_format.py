"""Requests, subjects and outcomes of the checker as plain dicts (JSON), read strictly.

Reading refuses unknown keys, wrong types, unknown codes and malformed dates with a
Vietnamese `ValidationError` whose `field` is the offending path, e.g.
`subject.awards[2].revoked_on`: a typo in a hand-written file must never silently drop a
fact. Dates are ISO `YYYY-MM-DD`. The format is described in docs/eligibility-check.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from app.catalogue import (
    AWARDS,
    BASIS_KINDS,
    DISCIPLINE_FORMS,
    EMPLOYMENT,
    GENDERS,
    INITIATIVE_SCOPES,
    RATINGS,
    SUBJECT_KINDS,
)
from app.eligibility.outcome import (
    DECIDERS,
    STATUS_LABELS,
    VERDICT_LABELS,
    Authority,
    Check,
    DossierPart,
    Outcome,
    Reward,
    Status,
    Verdict,
)
from app.eligibility.request import DECIDE, PROPOSE, CheckRequest, Facts
from app.eligibility.snapshot import (
    LEAVE_KINDS,
    DisciplinePeriod,
    Leave,
    Member,
    PastAward,
    PastInitiative,
    SubjectSnapshot,
    YearRating,
)
from app.errors import FileFormatError, ValidationError
from app.vietnamese import nfc

ACTIONS = {DECIDE: "Xã quyết định", PROPOSE: "Xã đề nghị cấp trên"}
# Where the settings of an outcome came from: the documented defaults only (`tdkt check
# FILE`), or the defaults with the officer's values stored in the database.
SETTINGS_SOURCES = {"defaults": "Giá trị mặc định", "database": "Thiết lập trong cơ sở dữ liệu"}
FIRST_YEAR, LAST_YEAR = 1900, 2100

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ABSENT = object()
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_json(data: object) -> str:
    """The stored form: sorted keys, compact, UTF-8 text (the same dict gives the same text)."""
    return _CANONICAL.encode(data)


def pretty_json(data: object) -> str:
    """The printed form: indented, Vietnamese letters as they are."""
    return json.dumps(data, indent=2, ensure_ascii=False)


# --- reading ------------------------------------------------------------------------------


def _fail(path: str, problem: str) -> ValidationError:
    return ValidationError(f"Trường “{path}” {problem}.", path)


def _codes(vocabulary: Mapping[str, object]) -> str:
    return ", ".join(vocabulary)


class _Object:
    """One JSON object being read; keys outside `keys` are refused at once."""

    def __init__(self, data: object, path: str, keys: tuple[str, ...]) -> None:
        if not isinstance(data, dict):
            raise _fail(path, "phải là một đối tượng JSON ({…})")
        unknown = sorted(set(data) - set(keys))
        if unknown:
            where = self._at(path, unknown[0])
            raise ValidationError(
                f"Trường “{where}” không có trong định dạng (gõ sai tên?). "
                f"Các trường được dùng ở đây: {', '.join(keys)}.", where)
        self._data: dict[str, Any] = data
        self.path = path

    @staticmethod
    def _at(path: str, key: str) -> str:
        return f"{path}.{key}" if path else key

    def at(self, key: str) -> str:
        return self._at(self.path, key)

    def raw(self, key: str, required: bool) -> object:
        if key in self._data:
            return self._data[key]
        if required:
            raise ValidationError(f"Thiếu trường bắt buộc “{self.at(key)}”.", self.at(key))
        return _ABSENT

    def _value(self, key: str, default: object, required: bool, nullable: bool,
               accept: Callable[[object], bool], wanted: str) -> Any:
        value = self.raw(key, required)
        if value is _ABSENT:
            return default
        if value is None and nullable:
            return None
        if not accept(value):
            raise _fail(self.at(key), f"phải là {wanted}" + (" hoặc null" if nullable else ""))
        return value

    def text(self, key: str, default: str = "", required: bool = False) -> str:
        return nfc(self._value(key, default, required, False, lambda v: isinstance(v, str), "một chuỗi"))

    def optional_text(self, key: str) -> str | None:
        value = self._value(key, None, False, True, lambda v: isinstance(v, str), "một chuỗi")
        return None if value is None else nfc(value)

    def code(self, key: str, vocabulary: Mapping[str, object], default: str | None = None,
             required: bool = False, nullable: bool = False) -> Any:
        value = self._value(key, default, required, nullable, lambda v: isinstance(v, str), "một mã")
        if value is None or value in vocabulary:
            return value
        raise _fail(self.at(key), f"có mã “{value}” không hợp lệ; dùng một trong: {_codes(vocabulary)}")

    def integer(self, key: str, default: int | None = None, required: bool = False,
                nullable: bool = False) -> Any:
        return self._value(key, default, required, nullable,
                           lambda v: isinstance(v, int) and not isinstance(v, bool), "một số nguyên")

    def year(self, key: str, required: bool = False, nullable: bool = False) -> Any:
        value = self.integer(key, None, required, nullable)
        if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
            raise _fail(self.at(key), f"phải là một năm từ {FIRST_YEAR} đến {LAST_YEAR}, không phải {value}")
        return value

    def boolean(self, key: str, default: bool | None = None, required: bool = False,
                nullable: bool = False) -> Any:
        return self._value(key, default, required, nullable, lambda v: isinstance(v, bool),
                           "true hoặc false")

    def day(self, key: str, required: bool = False, nullable: bool = True) -> Any:
        value = self._value(key, None, required, nullable, lambda v: isinstance(v, str),
                            "một ngày dạng YYYY-MM-DD")
        if value is None:
            return None
        try:
            if not _DATE.match(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            raise _fail(self.at(key), f"phải là một ngày có thật dạng YYYY-MM-DD (ví dụ 2026-01-15), "
                                      f"không phải “{value}”") from None

    def items(self, key: str, required: bool = False) -> list[tuple[object, str]]:
        """Each element of a list with its path, e.g. (…, 'subject.awards[0]')."""
        value = self._value(key, [], required, False, lambda v: isinstance(v, list), "một danh sách ([…])")
        return [(item, f"{self.at(key)}[{index}]") for index, item in enumerate(value)]

    def texts(self, key: str) -> tuple[str, ...]:
        found = []
        for item, path in self.items(key):
            if not isinstance(item, str):
                raise _fail(path, "phải là một chuỗi")
            found.append(nfc(item))
        return tuple(found)


def _ordered(first: object, last: object, path: str, problem: str) -> None:
    if first is not None and last is not None and last < first:  # type: ignore[operator]
        raise _fail(path, problem)


_FACTS_KEYS = ("achievement_summary", "event_date", "movement", "assessment_passed",
               "public_notice_days", "registered", "cluster_leading", "cluster_name",
               "basis_award_uuids")
_REQUEST_KEYS = ("award_code", "period_end", "decision_date", "route", "action", "facts")


def request_from_dict(data: object, path: str = "request") -> CheckRequest:
    """The request a dict describes, or a ValidationError naming the field."""
    item = _Object(data, path, _REQUEST_KEYS)
    facts = Facts()
    if item.raw("facts", False) is not _ABSENT:
        facts = _facts(item.raw("facts", True), item.at("facts"))
    return CheckRequest(
        award_code=item.code("award_code", AWARDS, required=True),
        period_end=item.year("period_end", required=True),
        decision_date=item.day("decision_date", required=True, nullable=False),
        route=item.optional_text("route"),
        action=item.code("action", ACTIONS, nullable=True),
        facts=facts,
    )


def _facts(data: object, path: str) -> Facts:
    item = _Object(data, path, _FACTS_KEYS)
    days = item.integer("public_notice_days", nullable=True)
    if days is not None and days < 0:
        raise _fail(item.at("public_notice_days"), "không được âm")
    return Facts(
        achievement_summary=item.text("achievement_summary"),
        event_date=item.day("event_date"),
        movement=item.text("movement"),
        assessment_passed=item.boolean("assessment_passed", nullable=True),
        public_notice_days=days,
        registered=item.boolean("registered", nullable=True),
        cluster_leading=item.boolean("cluster_leading", nullable=True),
        cluster_name=item.text("cluster_name"),
        basis_award_uuids=item.texts("basis_award_uuids"),
    )


_SUBJECT_KEYS = ("kind", "name", "uuid", "gender", "employment", "employment_start", "ratings",
                 "awards", "initiatives", "disciplines", "leaves", "members")
_RATING_KEYS = ("year", "rating")
_AWARD_KEYS = ("award_code", "year", "period_start", "basis_kind", "decision_number",
               "decision_date", "issuer", "legal_basis", "revoked_on", "uuid")
_INITIATIVE_KEYS = ("year", "title", "scope", "recognised_by", "decision_number", "decision_date",
                    "uuid")
_DISCIPLINE_KEYS = ("form", "decided_on", "ends_on", "uuid")
_LEAVE_KEYS = ("kind", "starts_on", "ends_on")
_MEMBER_KEYS = ("person", "joined_on", "left_on")


def snapshot_from_dict(data: object, path: str = "subject") -> SubjectSnapshot:
    """The subject a dict describes, members included, or a ValidationError naming the field."""
    item = _Object(data, path, _SUBJECT_KEYS)
    ratings: list[YearRating] = []
    for value, where in item.items("ratings"):
        rating = _rating(value, where)
        if any(r.year == rating.year for r in ratings):
            raise _fail(f"{where}.year", f"trùng năm: năm {rating.year} đã có xếp loại")
        ratings.append(rating)
    return SubjectSnapshot(
        kind=item.code("kind", SUBJECT_KINDS, required=True),
        name=item.text("name", required=True),
        uuid=item.text("uuid"),
        gender=item.code("gender", GENDERS, nullable=True),
        employment=item.code("employment", EMPLOYMENT, nullable=True),
        employment_start=item.day("employment_start"),
        ratings=tuple(ratings),
        awards=tuple(_award(value, where) for value, where in item.items("awards")),
        initiatives=tuple(_initiative(value, where) for value, where in item.items("initiatives")),
        disciplines=tuple(_discipline(value, where) for value, where in item.items("disciplines")),
        leaves=tuple(_leave(value, where) for value, where in item.items("leaves")),
        members=tuple(_member(value, where) for value, where in item.items("members")),
    )


def _rating(data: object, path: str) -> YearRating:
    item = _Object(data, path, _RATING_KEYS)
    return YearRating(item.year("year", required=True), item.code("rating", RATINGS, required=True))


def _award(data: object, path: str) -> PastAward:
    item = _Object(data, path, _AWARD_KEYS)
    award = PastAward(
        award_code=item.code("award_code", AWARDS, required=True),
        year=item.year("year", required=True),
        period_start=item.year("period_start", nullable=True),
        basis_kind=item.code("basis_kind", BASIS_KINDS, default="annual_duty"),
        decision_number=item.text("decision_number"),
        decision_date=item.day("decision_date"),
        issuer=item.text("issuer"),
        legal_basis=item.text("legal_basis"),
        revoked_on=item.day("revoked_on"),
        uuid=item.text("uuid"),
    )
    _ordered(award.period_start, award.year, item.at("period_start"), "không được sau năm thành tích (year)")
    _ordered(award.decision_date, award.revoked_on, item.at("revoked_on"),
             "không được trước ngày quyết định (decision_date)")
    return award


def _initiative(data: object, path: str) -> PastInitiative:
    item = _Object(data, path, _INITIATIVE_KEYS)
    return PastInitiative(
        year=item.year("year", required=True),
        title=item.text("title", required=True),
        scope=item.code("scope", INITIATIVE_SCOPES, default="base"),
        recognised_by=item.text("recognised_by"),
        decision_number=item.text("decision_number"),
        decision_date=item.day("decision_date"),
        uuid=item.text("uuid"),
    )


def _discipline(data: object, path: str) -> DisciplinePeriod:
    item = _Object(data, path, _DISCIPLINE_KEYS)
    period = DisciplinePeriod(
        form=item.code("form", DISCIPLINE_FORMS, required=True),
        decided_on=item.day("decided_on", required=True, nullable=False),
        ends_on=item.day("ends_on"),
        uuid=item.text("uuid"),
    )
    _ordered(period.decided_on, period.ends_on, item.at("ends_on"), "không được trước ngày quyết định (decided_on)")
    return period


def _leave(data: object, path: str) -> Leave:
    item = _Object(data, path, _LEAVE_KEYS)
    leave = Leave(
        kind=item.code("kind", LEAVE_KINDS, required=True),
        starts_on=item.day("starts_on", required=True, nullable=False),
        ends_on=item.day("ends_on", required=True, nullable=False),
    )
    _ordered(leave.starts_on, leave.ends_on, item.at("ends_on"), "không được trước ngày bắt đầu (starts_on)")
    return leave


def _member(data: object, path: str) -> Member:
    item = _Object(data, path, _MEMBER_KEYS)
    person = snapshot_from_dict(item.raw("person", True), item.at("person"))
    if person.kind != "individual":
        raise _fail(item.at("person.kind"), "của thành viên tập thể phải là individual (cá nhân)")
    member = Member(person, item.day("joined_on"), item.day("left_on"))
    _ordered(member.joined_on, member.left_on, item.at("left_on"), "không được trước ngày vào (joined_on)")
    return member


# --- writing ------------------------------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def request_to_dict(request: CheckRequest) -> dict[str, object]:
    facts = request.facts
    return {
        "award_code": request.award_code,
        "period_end": request.period_end,
        "decision_date": request.decision_date.isoformat(),
        "route": request.route,
        "action": request.action,
        "facts": {
            "achievement_summary": facts.achievement_summary,
            "event_date": _iso(facts.event_date),
            "movement": facts.movement,
            "assessment_passed": facts.assessment_passed,
            "public_notice_days": facts.public_notice_days,
            "registered": facts.registered,
            "cluster_leading": facts.cluster_leading,
            "cluster_name": facts.cluster_name,
            "basis_award_uuids": list(facts.basis_award_uuids),
        },
    }


def snapshot_to_dict(subject: SubjectSnapshot) -> dict[str, object]:
    return {
        "kind": subject.kind,
        "name": subject.name,
        "uuid": subject.uuid,
        "gender": subject.gender,
        "employment": subject.employment,
        "employment_start": _iso(subject.employment_start),
        "ratings": [{"year": r.year, "rating": r.rating} for r in subject.ratings],
        "awards": [{
            "award_code": a.award_code, "year": a.year, "period_start": a.period_start,
            "basis_kind": a.basis_kind, "decision_number": a.decision_number,
            "decision_date": _iso(a.decision_date), "issuer": a.issuer, "legal_basis": a.legal_basis,
            "revoked_on": _iso(a.revoked_on), "uuid": a.uuid,
        } for a in subject.awards],
        "initiatives": [{
            "year": i.year, "title": i.title, "scope": i.scope, "recognised_by": i.recognised_by,
            "decision_number": i.decision_number, "decision_date": _iso(i.decision_date), "uuid": i.uuid,
        } for i in subject.initiatives],
        "disciplines": [{
            "form": d.form, "decided_on": d.decided_on.isoformat(), "ends_on": _iso(d.ends_on),
            "uuid": d.uuid,
        } for d in subject.disciplines],
        "leaves": [{
            "kind": leave.kind, "starts_on": leave.starts_on.isoformat(),
            "ends_on": leave.ends_on.isoformat(),
        } for leave in subject.leaves],
        "members": [{
            "person": snapshot_to_dict(m.person), "joined_on": _iso(m.joined_on),
            "left_on": _iso(m.left_on),
        } for m in subject.members],
    }


def outcome_to_dict(outcome: Outcome, settings_source: str | None = None) -> dict[str, object]:
    """Everything in `outcome`, with the Vietnamese label next to each code; `settings_source`
    (SETTINGS_SOURCES) says where the settings came from, when known."""
    authority, reward = outcome.authority, outcome.reward
    data: dict[str, object] = {
        "verdict": outcome.verdict.value,
        "verdict_label": VERDICT_LABELS[outcome.verdict],
        "award_label": AWARDS[outcome.request.award_code].label,
        "checks": [{
            "code": c.code, "status": c.status.value, "status_label": STATUS_LABELS[c.status],
            "message": c.message, "basis": c.basis,
        } for c in outcome.checks],
        "rule_set": {"code": outcome.rule_set, "label": outcome.rule_set_label},
        "engine_version": outcome.engine_version,
        "authority": {
            "decider": authority.decider, "label": authority.label,
            "commune_decides": authority.commune_decides, "basis": authority.basis,
        },
        "action": outcome.action,
        "action_label": ACTIONS.get(outcome.action, outcome.action),
        "route": outcome.route,
        "reporting_years": list(outcome.reporting_years),
        "dossier": [{"code": p.code, "label": p.label, "basis": p.basis} for p in outcome.dossier],
        "reward": None if reward is None else {
            "coefficient": reward.coefficient, "base_salary": reward.base_salary,
            "amount": reward.amount, "basis": reward.basis,
        },
        "settings_used": dict(outcome.settings_used),
        "request": request_to_dict(outcome.request),
    }
    if settings_source is not None:
        if settings_source not in SETTINGS_SOURCES:
            raise ValueError(f"unknown settings source {settings_source!r}")
        data["settings_source"] = settings_source
    return data


_VERDICTS = {verdict.value: verdict for verdict in Verdict}
_STATUSES = {status.value: status for status in Status}
_OUTCOME_KEYS = ("verdict", "verdict_label", "award_label", "checks", "rule_set", "engine_version",
                 "authority", "action", "action_label", "route", "reporting_years", "dossier",
                 "reward", "settings_used", "request", "settings_source")


def outcome_from_dict(data: object, path: str = "outcome") -> Outcome:
    """The outcome a dict from `outcome_to_dict` describes (labels are derived, not read back)."""
    item = _Object(data, path, _OUTCOME_KEYS)
    for label in ("verdict_label", "award_label", "action_label"):
        item.text(label)
    item.code("settings_source", SETTINGS_SOURCES, nullable=True)
    rule_set = _Object(item.raw("rule_set", True), item.at("rule_set"), ("code", "label"))
    authority = _Object(item.raw("authority", True), item.at("authority"),
                        ("decider", "label", "commune_decides", "basis"))
    authority.text("label")
    years = []
    for value, where in item.items("reporting_years", required=True):
        if not isinstance(value, int) or isinstance(value, bool):
            raise _fail(where, "phải là một số nguyên")
        years.append(value)
    return Outcome(
        request=request_from_dict(item.raw("request", True), item.at("request")),
        verdict=Verdict(item.code("verdict", _VERDICTS, required=True)),
        checks=tuple(_check(value, where) for value, where in item.items("checks", required=True)),
        rule_set=rule_set.text("code", required=True),
        rule_set_label=rule_set.text("label", required=True),
        engine_version=item.text("engine_version", required=True),
        authority=Authority(
            authority.code("decider", DECIDERS, required=True),
            authority.boolean("commune_decides", required=True),
            authority.text("basis", required=True),
        ),
        action=item.text("action", required=True),
        route=item.text("route", required=True),
        reporting_years=tuple(years),
        dossier=tuple(_dossier_part(value, where) for value, where in item.items("dossier", required=True)),
        reward=_reward(item.raw("reward", True), item.at("reward")),
        settings_used=_settings_used(item.raw("settings_used", True), item.at("settings_used")),
    )


def _check(data: object, path: str) -> Check:
    item = _Object(data, path, ("code", "status", "status_label", "message", "basis"))
    item.text("status_label")
    return Check(
        code=item.text("code", required=True),
        status=Status(item.code("status", _STATUSES, required=True)),
        message=item.text("message", required=True),
        basis=item.text("basis", required=True),
    )


def _dossier_part(data: object, path: str) -> DossierPart:
    item = _Object(data, path, ("code", "label", "basis"))
    return DossierPart(item.text("code", required=True), item.text("label", required=True),
                       item.text("basis", required=True))


def _reward(data: object, path: str) -> Reward | None:
    if data is None:
        return None
    item = _Object(data, path, ("coefficient", "base_salary", "amount", "basis"))
    return Reward(
        coefficient=item.text("coefficient", required=True),
        base_salary=item.integer("base_salary", required=True),
        amount=item.integer("amount", required=True),
        basis=item.text("basis", required=True),
    )


def _settings_used(data: object, path: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(data, dict):
        raise _fail(path, "phải là một đối tượng JSON ({…})")
    for key, value in data.items():
        if not isinstance(value, str):
            raise _fail(f"{path}.{key}", "phải là một chuỗi")
    return tuple(data.items())


# --- files --------------------------------------------------------------------------------


def _refuse_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in pairs:
        if key in found:
            raise ValidationError(f"Trường “{key}” xuất hiện hai lần trong cùng một đối tượng.", key)
        found[key] = value
    return found


def _refuse_constant(name: str) -> object:
    raise ValidationError(f"Giá trị {name} không được dùng trong tệp kiểm tra.")


def loads(text: str, source: str) -> object:
    """JSON text read strictly: no repeated keys, no NaN or Infinity; `source` names it in errors."""
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicates, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise FileFormatError(f"{source} không phải JSON hợp lệ: lỗi ở dòng {error.lineno}, "
                              f"cột {error.colno}.") from None


def read_check_file(path: Path) -> tuple[CheckRequest, SubjectSnapshot]:
    """The request and subject of a file `{"request": {...}, "subject": {...}}` (UTF-8)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise FileFormatError(f"Không tìm thấy tệp {path}.") from None
    except UnicodeDecodeError:
        raise FileFormatError(f"Tệp {path} không phải văn bản UTF-8.") from None
    except OSError as error:
        raise FileFormatError(f"Không đọc được tệp {path} ({error.strerror}).") from None
    data = loads(text, f"Tệp {path}")
    if not isinstance(data, dict):
        raise ValidationError(f"Tệp {path} phải chứa một đối tượng JSON "
                              "{\"request\": {…}, \"subject\": {…}}.")
    item = _Object(data, "", ("request", "subject"))
    return (request_from_dict(item.raw("request", True), "request"),
            snapshot_from_dict(item.raw("subject", True), "subject"))
