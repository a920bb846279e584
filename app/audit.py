"""The audit trail (nhật ký thao tác): who changed what and when, with old and new values.

Rules callers must follow: a service writes the entry for a change with `record` (or
`record_many` for a batch) on the session of that change, so that both commit or neither.

How the log protects itself:
- entries are numbered 1, 2, 3… (`id`); each keeps the hash of the one before (`prev_hash`;
  the first keeps GENESIS_HASH) and its own `hash` over `prev_hash` and every other stored
  field (see `entry_hash`);
- triggers made by migration 0002 refuse UPDATE and DELETE on `audit_entries`;
- `audit_head` keeps the number and hash of the newest entry and a trigger refuses to move
  it back, so entries removed from the end are noticed as well as entries removed between.

`verify` recomputes the chain and names each altered entry, each run of removed entries and
each place where the chain breaks. Its limit: the log lives in the same file as the data, so
someone who drops the triggers, rewrites entries, recomputes every later hash and moves
`audit_head` to match leaves a chain that verifies. It catches the edits people actually
make with a SQLite tool (a value changed, a row deleted); the excerpt that travels in the
province package and older backups keep copies of the hashes outside this file.

Times: `at` is UTC as fixed-width ISO 8601 text ending in '+00:00' (text order is time
order, whatever the PC's time zone); `AuditRow.at` is an aware datetime for the viewer to
show in local time.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime
from enum import Enum
from functools import cache
from itertools import count
from typing import NamedTuple

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.roles import Actor
from db.models import AuditEntry, AuditHead

GENESIS_HASH = "0" * 64
HASHED_FIELDS = ("id", "uuid", "at", "user_id", "username", "full_name", "action", "entity",
                 "entity_uuid", "summary", "reason")  # then old_values and new_values
STORED_FIELDS = (*HASHED_FIELDS, "old_values", "new_values", "prev_hash", "hash")
ENTRIES = AuditEntry.__table__
HEAD = AuditHead.__table__
_VALUES_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                               default=lambda value: _json_value(value))
_FIELDS_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_ADVANCE_HEAD = "UPDATE audit_head SET last_id = last_id + ? WHERE id = 1 RETURNING last_id, last_hash"
_SET_HEAD_HASH = "UPDATE audit_head SET last_hash = ? WHERE id = 1"
_INSERT = (f"INSERT INTO audit_entries ({', '.join(STORED_FIELDS)}) "
           f"VALUES ({', '.join('?' * len(STORED_FIELDS))})")
PAGE = 200
_IN_CHUNK = 500
_VERIFY_BATCH = 5000

ACTION_LABELS = {
    "create": "Thêm",
    "update": "Sửa",
    "delete": "Xóa",
    "sign_in": "Đăng nhập",
    "sign_in_failed": "Đăng nhập sai",
    "lockout": "Tạm khóa tài khoản",
    "password_change": "Đổi mật khẩu",
    "password_reset": "Đặt lại mật khẩu",
    "deactivate": "Ngừng hoạt động tài khoản",
    "reactivate": "Cho hoạt động lại tài khoản",
    "finalise": "Chốt kết quả",
    "issue": "Ban hành",
    "revoke": "Thu hồi",
    # A nomination's steps (app/nomination_states.py Action).
    "check": "Kiểm tra điều kiện",
    "vote": "Ghi kết quả biểu quyết",
    "post_notice": "Niêm yết công khai",
    "decide": "Quyết định khen thưởng",
    "propose": "Trình cấp trên",
    "approve": "Cấp trên khen thưởng",
    "not_approve": "Cấp trên không khen thưởng",
    "return": "Trả lại",
    "reopen": "Mở lại để sửa",
    "print": "In",
    # The packages for the province (app/package/).
    "export": "Xuất gói gửi tỉnh",
    "acknowledge": "Nhập biên nhận của tỉnh",
    "adopt": "Nhận lại gói đã gửi",
}
ENTITY_LABELS = {
    "subject": "Đối tượng",
    "annual_rating": "Xếp loại",
    "award": "Danh hiệu, khen thưởng",
    "initiative": "Sáng kiến",
    "discipline": "Kỷ luật",
    "collective_member": "Thành viên tập thể",
    "commune": "Thiết lập xã",
    "user": "Tài khoản",
    "rule_setting": "Thiết lập quy tắc",
    "eligibility_check": "Kiểm tra điều kiện khen thưởng",
    "attachment": "Tệp đính kèm",
    "movement": "Phong trào thi đua",
    "exemplary_model": "Điển hình tiên tiến",
    "registration": "Đăng ký thi đua",
    "review_candidate": "Bình xét",
    "nomination": "Đề nghị khen thưởng",
    "council_session": "Phiên họp Hội đồng",
    "work_calendar_day": "Lịch ngày làm việc",
    "register_entry": "Sổ đăng ký văn bản",
    "decision": "Quyết định khen thưởng",
    "decision_item": "Khen thưởng trong quyết định",
    "document_text": "Nội dung văn bản in",
    "certificate": "Giấy khen",
    "printer_calibration": "Căn lề máy in",
    "package": "Gói hồ sơ gửi tỉnh",
}

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class AuditEvent(NamedTuple):
    """One change to record; `old` and `new` are plain values (see `plain`).

    A named tuple, not a frozen data class: an import makes ten thousand of them, and a
    frozen data class takes three times as long to build.
    """

    action: str
    entity: str
    entity_uuid: str | None
    summary: str
    old: Mapping[str, object] | None = None
    new: Mapping[str, object] | None = None
    reason: str | None = None


@dataclass(frozen=True)
class AuditRow:
    """One entry as the viewer shows it."""

    id: int
    at: datetime
    user_id: int | None
    username: str
    full_name: str
    action: str
    entity: str
    entity_uuid: str | None
    summary: str
    old_values: dict[str, object] | None
    new_values: dict[str, object] | None
    reason: str | None
    hash: str


@dataclass(frozen=True)
class AuditFilter:
    """What the viewer asks for; empty fields do not filter. `since` and `until` are a
    half-open time range (a naive datetime is taken as local time)."""

    user_id: int | None = None
    entity: str | None = None
    entity_uuid: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str = ""


@dataclass(frozen=True)
class AuditProblem:
    kind: str  # altered / removed / broken / head
    first_id: int
    last_id: int
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class AuditVerification:
    entries: int
    problems: tuple[AuditProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def plain(data: object) -> dict[str, object]:
    """A data class as a shallow dict for `old` / `new` (nested values serialise later)."""
    return {name: getattr(data, name) for name in _field_names(type(data))}


def canonical(values: Mapping[str, object] | None) -> str | None:
    """The stored form of old or new values: sorted keys, compact, UTF-8, dates as ISO."""
    return None if values is None else _VALUES_JSON.encode(values)


def entry_hash(entry: Mapping[str, object]) -> str:
    """The `hash` of a stored entry, as `record_many` computed it."""
    return _digest(str(entry["prev_hash"]), tuple(entry[name] for name in HASHED_FIELDS),
                   entry["old_values"], entry["new_values"])  # type: ignore[arg-type]


def _digest(previous: str, meta: tuple[object, ...], old: str | None, new: str | None) -> str:
    """SHA-256 of the UTF-8 text

        prev_hash + JSON array of the HASHED_FIELDS values + "\n" + old_values + "\n" + new_values

    with `null` for absent values. old_values and new_values go in as stored (canonical
    JSON, which never holds a raw line break) rather than escaped again: importing ten
    thousand rows writes ten thousand entries, and this halves the encoding.
    """
    text = f"{previous}{_FIELDS_JSON.encode(meta)}\n{old or 'null'}\n{new or 'null'}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stamp(moment: datetime) -> str:
    """`moment` as the fixed-width UTC text stored in `at`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


class AuditTrail:
    def __init__(self, sessions: sessionmaker[Session], clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    def record(self, session: Session, actor: Actor, action: str, entity: str,
               entity_uuid: str | None, summary: str, old: Mapping[str, object] | None = None,
               new: Mapping[str, object] | None = None, reason: str | None = None) -> None:
        """Append one entry inside the caller's transaction."""
        self.record_many(session, actor, [AuditEvent(action, entity, entity_uuid, summary, old, new, reason)])

    def record_many(self, session: Session, actor: Actor, events: Sequence[AuditEvent]) -> None:
        """Append entries inside the caller's transaction: one executemany INSERT.

        Moving `audit_head` first takes SQLite's write lock, so no other writer can chain
        onto the same entry before this transaction commits.
        """
        if not events:
            return
        # Plain SQL at the driver, tuples included: an import calls this for every 200 rows,
        # and SQLAlchemy's per-row parameter handling would cost more than the hashing.
        connection = session.connection()
        last_id, previous = connection.exec_driver_sql(_ADVANCE_HEAD, (len(events),)).one()
        first_id = last_id - len(events) + 1
        at = stamp(self._clock())
        rows = []
        for number, event, uuid in zip(count(first_id), events, _new_uuids(len(events))):
            meta = (number, uuid, at, actor.user_id, actor.username, actor.full_name, event.action,
                    event.entity, event.entity_uuid, event.summary, event.reason)  # HASHED_FIELDS
            old, new = canonical(event.old), canonical(event.new)
            digest = _digest(previous, meta, old, new)
            rows.append((*meta, old, new, previous, digest))  # STORED_FIELDS
            previous = digest
        connection.exec_driver_sql(_INSERT, rows)
        connection.exec_driver_sql(_SET_HEAD_HASH, (previous,))

    def entries(self, wanted: AuditFilter = AuditFilter(), limit: int | None = PAGE,
                offset: int = 0) -> list[AuditRow]:
        """Entries matching `wanted`, newest first, one page at a time."""
        query = _filtered(select(ENTRIES), wanted).order_by(ENTRIES.c.id.desc()).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self._sessions() as session:
            return [_row(r) for r in session.execute(query).mappings()]

    def last_id(self) -> int:
        """The newest entry's number: it grows with every change, so a caller polling it
        learns that something changed (the automatic backup does)."""
        with self._sessions() as session:
            return session.scalar(select(func.max(ENTRIES.c.id))) or 0

    def count(self, wanted: AuditFilter = AuditFilter()) -> int:
        with self._sessions() as session:
            return session.scalar(_filtered(select(func.count(ENTRIES.c.id)), wanted)) or 0

    def excerpt(self, entity_uuids: Iterable[str]) -> list[dict[str, object]]:
        """Every stored field of the entries about these records, oldest first: with their
        hashes, so the province can check each entry the package carries."""
        wanted = sorted(set(entity_uuids))
        found: list[dict[str, object]] = []
        with self._sessions() as session:
            for start in range(0, len(wanted), _IN_CHUNK):
                query = select(ENTRIES).where(ENTRIES.c.entity_uuid.in_(wanted[start:start + _IN_CHUNK]))
                found += (dict(r) for r in session.execute(query).mappings())
        found.sort(key=lambda entry: entry["id"])  # type: ignore[arg-type, return-value]
        return found

    def verify(self) -> AuditVerification:
        return verify(self._sessions)


def verify(sessions: sessionmaker[Session]) -> AuditVerification:
    """Recompute the whole chain; every problem is named in Vietnamese."""
    problems: list[AuditProblem] = []
    expected, previous, read = 1, GENESIS_HASH, 0
    with sessions() as session:
        head = session.execute(select(HEAD.c.last_id, HEAD.c.last_hash)).one()
        query = (select(ENTRIES).where(ENTRIES.c.id <= head.last_id).order_by(ENTRIES.c.id)
                 .execution_options(yield_per=_VERIFY_BATCH))
        for entry in session.execute(query).mappings():
            read += 1
            number = entry["id"]
            if number > expected:
                problems.append(_removed(expected, number - 1))
            elif entry["prev_hash"] != previous:
                problems.append(AuditProblem(
                    "broken", number, number,
                    f"Chuỗi nhật ký bị đứt tại dòng số {number}: dòng này không nối tiếp dòng "
                    "trước nó (có dòng bị thay thế hoặc chèn vào).",
                ))
            if entry_hash(entry) != entry["hash"]:
                problems.append(AuditProblem(
                    "altered", number, number,
                    f"Dòng nhật ký số {number} đã bị sửa sau khi ghi (nội dung không khớp mã kiểm tra).",
                ))
            expected, previous = number + 1, entry["hash"]
        if expected <= head.last_id:
            problems.append(_removed(expected, head.last_id, at_end=True))
        elif head.last_id and previous != head.last_hash:
            problems.append(AuditProblem(
                "head", head.last_id, head.last_id,
                f"Dòng nhật ký cuối (số {head.last_id}) không khớp với mã kiểm tra đã lưu cho nó.",
            ))
        extra = session.scalar(select(func.count(ENTRIES.c.id)).where(ENTRIES.c.id > head.last_id))
        still = session.scalar(select(HEAD.c.last_id))
        if extra and still == head.last_id:  # not a change committed while we read
            problems.append(AuditProblem(
                "head", head.last_id + 1, head.last_id + extra,
                f"Có {extra} dòng nhật ký sau dòng số {head.last_id} không do chương trình ghi.",
            ))
    return AuditVerification(read, tuple(problems))


def _removed(first: int, last: int, at_end: bool = False) -> AuditProblem:
    where = " ở cuối nhật ký" if at_end else ""
    if first == last:
        message = f"Dòng nhật ký số {first}{where} đã bị xóa."
    else:
        message = f"Các dòng nhật ký số {first} đến {last}{where} đã bị xóa."
    return AuditProblem("removed", first, last, message)


def _filtered(query: Select, wanted: AuditFilter) -> Select:
    columns = ENTRIES.c
    for column, value in ((columns.user_id, wanted.user_id), (columns.entity, wanted.entity),
                          (columns.entity_uuid, wanted.entity_uuid), (columns.action, wanted.action)):
        if value is not None:
            query = query.where(column == value)
    if wanted.since is not None:
        query = query.where(columns.at >= stamp(wanted.since))
    if wanted.until is not None:
        query = query.where(columns.at < stamp(wanted.until))
    text = wanted.text.strip()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(*(c.like(pattern, escape="\\") for c in
                                  (columns.summary, columns.username, columns.full_name))))
    return query


def _row(entry: Mapping[str, object]) -> AuditRow:
    return AuditRow(
        id=entry["id"], at=datetime.fromisoformat(str(entry["at"])),  # type: ignore[arg-type]
        user_id=entry["user_id"], username=entry["username"],  # type: ignore[arg-type]
        full_name=entry["full_name"], action=entry["action"], entity=entry["entity"],  # type: ignore[arg-type]
        entity_uuid=entry["entity_uuid"], summary=entry["summary"],  # type: ignore[arg-type]
        old_values=_loaded(entry["old_values"]), new_values=_loaded(entry["new_values"]),
        reason=entry["reason"], hash=entry["hash"],  # type: ignore[arg-type]
    )


def _loaded(stored: object) -> dict[str, object] | None:
    return None if stored is None else json.loads(str(stored))


def _new_uuids(n: int) -> list[str]:
    """`n` random (version 4) UUIDs from one read of the system's random source: one
    `uuid.uuid4()` each costs a system call, as much as hashing the entry."""
    random = bytearray(os.urandom(16 * n))
    uuids = []
    for start in range(0, 16 * n, 16):
        random[start + 6] = random[start + 6] & 0x0F | 0x40  # version 4
        random[start + 8] = random[start + 8] & 0x3F | 0x80  # RFC 4122 variant
        h = random[start:start + 16].hex()
        uuids.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return uuids


@cache
def _field_names(data_type: type) -> tuple[str, ...]:
    assert is_dataclass(data_type)
    return tuple(f.name for f in fields(data_type))


def _json_value(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return plain(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot record {type(value).__name__} in the audit trail")
