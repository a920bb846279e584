"""The officer's values for the eligibility rule settings, each from an effective date.

The settings themselves, their documented defaults and how a date picks a value are in
`app/eligibility/rule_settings.py`; this module stores the officer's values (one per key
and date), audits every change and describes the settings for the settings screen.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import AuditTrail
from app.catalogue import RATINGS
from app.errors import NotFoundError, ValidationError
from app.eligibility.rule_settings import (
    BOOL,
    BY_KEY,
    COEFFICIENT,
    DEFINITIONS,
    KIND_HINTS,
    MONEY,
    OPTIONAL_PERCENT,
    PERCENT,
    RATING,
    THRESHOLD,
    RuleSettings,
    SettingDefinition,
    SettingEntry,
    VoteThreshold,
    definition,
    parse_value,
)
from app.roles import Actor, Permission, require
from app.subjects import required_reason
from app.vietnamese import clean
from db.models import RuleSettingValue

FIRST_EFFECTIVE_DATE = date(2017, 1, 1)  # the oldest rules the checker knows (NĐ 91/2017)
MAX_VALUE_LENGTH = 100  # RuleSettingValue.value
ENTITY = "rule_setting"  # the audit trail's name for an officer's value

DEFAULT, OFFICER = "default", "officer"  # where a value comes from
_GROUPED_MONEY = re.compile(r"^\d{1,3}(\.\d{3})+$")


@dataclass(frozen=True)
class SettingRow:
    """One setting as the settings screen shows it on a date."""

    key: str
    label: str
    unit: str
    kind: str
    value: str  # the canonical text in force
    value_label: str  # the same as the officer reads it, without the unit (`describe_value`)
    origin: str  # DEFAULT or OFFICER
    effective_from: date
    source: str  # the default's source, or the officer's note


@dataclass(frozen=True)
class SettingHistoryRow:
    """One dated value of a setting: a documented default or an officer's value."""

    key: str
    effective_from: date
    value: str
    value_label: str
    origin: str  # DEFAULT or OFFICER
    source: str  # the default's source, or the officer's note
    id: int | None = None  # officer values only


def canonical_text(kind: str, text: str) -> str:
    """The one text form stored for a value, or ValidationError: '010' -> '10', '0.30' -> '0.3'.

    Also reads the forms the screen shows: a decimal comma ('0,3') and grouped money
    ('2.340.000').
    """
    # NFKC turns full-width digits (typed with a Vietnamese IME) into ASCII ones.
    text = unicodedata.normalize("NFKC", text).strip()
    if kind in (PERCENT, OPTIONAL_PERCENT, COEFFICIENT) and text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    elif kind == MONEY and _GROUPED_MONEY.match(text):
        text = text.replace(".", "")
    value = parse_value(kind, text)
    if value is None:
        canonical = ""
    elif isinstance(value, bool):
        canonical = "true" if value else "false"
    elif isinstance(value, Decimal):
        canonical = _decimal_text(value, kind, text)
    elif isinstance(value, VoteThreshold):
        canonical = (f"{'>' if value.strict else '>='}{_decimal_text(value.percent, kind, text)}% "
                     f"{value.denominator}")
    else:
        canonical = str(value)
    if len(canonical) > MAX_VALUE_LENGTH:
        raise ValidationError(f"Giá trị dài quá {MAX_VALUE_LENGTH} ký tự.", "value")
    return canonical


def describe_value(kind: str, text: str, unit: str = "") -> str:
    """A stored value as the officer reads it: 'Có', 'Hoàn thành tốt nhiệm vụ', '0,3',
    '2.340.000 đồng' (with `unit`)."""
    if kind == BOOL:
        return "Có" if text == "true" else "Không"
    if kind == RATING:
        return RATINGS.get(text, text)
    if kind == THRESHOLD:
        threshold = parse_value(kind, text)
        assert isinstance(threshold, VoteThreshold)
        return threshold.label()
    if kind == OPTIONAL_PERCENT and text == "":
        return "không giới hạn"
    if kind == MONEY:
        shown = f"{int(text):,}".replace(",", ".")  # Vietnamese digit grouping
    else:
        shown = text.replace(".", ",")  # Vietnamese decimal comma
    if unit in ("", "%"):
        return f"{shown}{unit}"
    return f"{shown} {unit}"


class RuleSettingService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit

    def entries(self) -> tuple[SettingEntry, ...]:
        """Every officer value, ordered by key and effective date."""
        with self._sessions() as session:
            return tuple(SettingEntry(row.key, row.value, row.effective_from)
                         for row in session.scalars(_ordered()))

    def on(self, day: date) -> RuleSettings:
        return RuleSettings(day, self.entries())

    def rows(self, day: date) -> list[SettingRow]:
        """One row per setting with the value in force on `day`, in the order of DEFINITIONS."""
        with self._sessions() as session:
            stored = list(session.scalars(_ordered()))
        rows = []
        for item in DEFINITIONS:
            entry = _in_force(item, [r for r in stored if r.key == item.key], day)
            rows.append(SettingRow(
                item.key, item.label, item.unit, item.kind, entry.value,
                describe_value(item.kind, entry.value), entry.origin,
                entry.effective_from, entry.source))
        return rows

    def history(self, key: str) -> list[SettingHistoryRow]:
        """The defaults and officer values of one setting, oldest first (a default before
        the officer's value of the same date, which replaces it)."""
        item = definition(key)
        with self._sessions() as session:
            stored = list(session.scalars(_ordered().where(RuleSettingValue.key == key)))
        rows = [_default_row(item, index) for index in range(len(item.defaults))]
        rows += [_officer_row(item, row) for row in stored]
        return sorted(rows, key=lambda r: (r.effective_from, r.origin == OFFICER))

    def set(self, key: str, value_text: str, effective_from: date, note: str = "") -> SettingEntry:
        """Store the officer's value from `effective_from`; a value already set on the same
        key and date is replaced (the audit entry keeps both)."""
        require(self._actor, Permission.EDIT_SETUP)
        item = definition(key)
        value = canonical_text(item.kind, value_text)
        item.check(parse_value(item.kind, value))
        if effective_from < FIRST_EFFECTIVE_DATE:
            raise ValidationError(
                f"Ngày áp dụng phải từ {FIRST_EFFECTIVE_DATE:%d/%m/%Y} trở đi.", "effective_from")
        note = clean(note)
        with self._sessions.begin() as session:
            row = session.scalar(select(RuleSettingValue).filter_by(key=key, effective_from=effective_from))
            old = None if row is None else _values(row)
            if row is None:
                row = RuleSettingValue(key=key, effective_from=effective_from)
                session.add(row)
            elif (row.value, row.note) == (value, note):
                return SettingEntry(key, value, effective_from)
            row.value, row.note = value, note
            row.created_at, row.created_by = datetime.now(), self._actor.user_id
            session.flush()
            shown = describe_value(item.kind, value, item.unit)
            self._audit.record(
                session, self._actor, "create" if old is None else "update", ENTITY, row.uuid,
                f"{'Đặt' if old is None else 'Sửa'} {item.label}: {shown}"
                f" từ {effective_from:%d/%m/%Y}",
                old=old, new=_values(row))
        return SettingEntry(key, value, effective_from)

    def remove(self, entry_id: int, reason: str) -> None:
        """Delete an officer's value (the defaults are not stored and stay); `reason` is
        required and kept in the audit trail."""
        require(self._actor, Permission.EDIT_SETUP)
        reason = required_reason(reason)
        with self._sessions.begin() as session:
            row = session.get(RuleSettingValue, entry_id)
            if row is None:
                raise NotFoundError("Không tìm thấy giá trị thiết lập cần xóa; có thể đã bị xóa.")
            # A key a later version no longer defines can still be removed.
            label = BY_KEY[row.key].label if row.key in BY_KEY else row.key
            self._audit.record(
                session, self._actor, "delete", ENTITY, row.uuid,
                f"Xóa giá trị {label} từ {row.effective_from:%d/%m/%Y}",
                old=_values(row), reason=reason)
            session.delete(row)


@dataclass(frozen=True)
class _Candidate:
    value: str
    origin: str
    effective_from: date
    source: str


def _in_force(item: SettingDefinition, stored: list[RuleSettingValue], day: date) -> _Candidate:
    """The value `RuleSettings.text` picks on `day`, with where it comes from."""
    candidates = [_Candidate(d.value, DEFAULT, d.effective_from, d.source)
                  for d in item.defaults if d.effective_from <= day]
    candidates += [_Candidate(r.value, OFFICER, r.effective_from, r.note)
                   for r in stored if r.effective_from <= day]
    if not candidates:  # a date before every default: the earliest default applies
        first = item.defaults[0]
        return _Candidate(first.value, DEFAULT, first.effective_from, first.source)
    return max(candidates, key=lambda c: (c.effective_from, c.origin == OFFICER))


def _default_row(item: SettingDefinition, index: int) -> SettingHistoryRow:
    default = item.defaults[index]
    return SettingHistoryRow(item.key, default.effective_from, default.value,
                             describe_value(item.kind, default.value), DEFAULT,
                             default.source)


def _officer_row(item: SettingDefinition, row: RuleSettingValue) -> SettingHistoryRow:
    return SettingHistoryRow(item.key, row.effective_from, row.value,
                             describe_value(item.kind, row.value), OFFICER, row.note,
                             row.id)


def _values(row: RuleSettingValue) -> dict[str, object]:
    """What the audit trail keeps of an officer's value."""
    return {"key": row.key, "value": row.value, "effective_from": row.effective_from, "note": row.note}


def _ordered() -> Select[tuple[RuleSettingValue]]:
    return select(RuleSettingValue).order_by(RuleSettingValue.key, RuleSettingValue.effective_from)


def _decimal_text(value: Decimal, kind: str, typed: str) -> str:
    """Plain decimal notation without trailing zeros; refuses what is not a finite number."""
    if not value.is_finite():  # Decimal reads 'Infinity'
        raise ValidationError(f"Giá trị “{typed}” không hợp lệ cho loại {KIND_HINTS[kind]}.", "value")
    if value == 0:
        return "0"
    text = format(value, "f")  # not normalize(): it rounds to the context's 28 digits
    return text.rstrip("0").rstrip(".") if "." in text else text
