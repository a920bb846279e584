"""The plan for an acknowledgement's answers: what is new, what is already known, what contradicts.

A new answer is written; the same answer again is "unchanged"; an answer that contradicts what
is recorded (another final status, other decision details, a nomination no longer waiting
for the province, a final answer for a version since superseded) is a conflict. The plan
reads a fixed handful of statements whatever the number of records, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalogue import award_label
from app.local_time import VIETNAM_TIME
from app.nomination_context import proposed_on
from app.nomination_states import STATE_LABELS, State
from app.package.format import PackageError
from app.package.status import FINAL_STATUSES, RecordStatus
from db.models import Nomination, Package, PackageAck, PackageAnswer, PackageRecord


class AckConflictError(PackageError):
    """The acknowledgement contradicts what is recorded; nothing was applied."""

    def __init__(self, conflicts: Sequence[str]) -> None:
        self.conflicts = tuple(conflicts)
        super().__init__("Biên nhận mâu thuẫn với kết quả đã ghi, không nhập gì:\n"
                         + "\n".join(f"- {line}" for line in self.conflicts))


@dataclass(frozen=True)
class Answer:
    """The province's answer for one record, as the acknowledgement gives it (cleaned)."""

    record_uuid: str
    status: RecordStatus
    reason: str = ""
    number: str = ""
    decided_on: date | None = None
    issuer: str = ""


@dataclass(frozen=True)
class PlannedAnswer:
    answer: Answer
    record_id: int
    nomination_uuid: str
    line: str          # the record and the answer, in words
    unchanged: bool    # already known: the answer or the nomination's state says so
    write_row: bool    # a PackageAnswer row to add
    transition: bool   # the nomination takes the step the answer calls for


@dataclass(frozen=True)
class Plan:
    items: tuple[PlannedAnswer, ...]
    conflicts: tuple[str, ...]


def plan_answers(session: Session, package: Package, answers: Sequence[Answer], today: date) -> Plan:
    """Sort the answers; PackageError for an answer that is wrong whatever was recorded."""
    records = {r.uuid: r for r in session.scalars(select(PackageRecord).where(PackageRecord.package_id == package.id))}
    _check_answers(package, records, answers, today)
    mine = [records[a.record_uuid] for a in answers]
    recorded = _recorded(session, [r.id for r in mine])
    newest = _newest(session, {r.nomination_uuid for r in mine})
    nominations = {n.uuid: n for n in session.scalars(
        select(Nomination).where(Nomination.uuid.in_({r.nomination_uuid for r in mine})))}
    items: list[PlannedAnswer] = []
    conflicts: list[str] = []
    for answer, record in zip(answers, mine, strict=True):
        who = f"«{record.subject_name}» — {award_label(record.award_code)} năm {record.year}"
        line = f"{who}: {what(answer)}"

        def planned(unchanged: bool, write_row: bool, transition: bool = False) -> PlannedAnswer:
            return PlannedAnswer(answer, record.id, record.nomination_uuid, line, unchanged, write_row, transition)

        known = recorded.get(record.id, {})
        if answer.status is RecordStatus.RECEIVED:
            items.append(planned(RecordStatus.RECEIVED in known, RecordStatus.RECEIVED not in known))
            continue
        final = next((row for status, row in known.items() if status in FINAL_STATUSES), None)
        if final is not None:
            earlier = _as_answer(answer.record_uuid, final[0])
            if earlier == answer:
                items.append(planned(True, False))
            else:
                conflicts.append(f"{who}: biên nhận ngày {final[1]} đã ghi «{what(earlier)}», "
                                 f"biên nhận này lại ghi «{what(answer)}».")
            continue
        version, sequence = newest[record.nomination_uuid]
        if version > record.version:
            conflicts.append(f"{who}: phiên bản {record.version} (gói số {package.sequence}) đã được thay bằng "
                             f"phiên bản {version} (gói số {sequence}); không ghi «{what(answer)}» cho "
                             "phiên bản cũ.")
            continue
        nomination = nominations.get(record.nomination_uuid)
        if nomination is None:
            conflicts.append(f"{who}: đề nghị không còn trong dữ liệu của xã; không ghi được «{what(answer)}».")
            continue
        state = State(nomination.state)
        if state is State.PROPOSED:
            problem = _before_proposal(session, nomination, answer)
            if problem:
                conflicts.append(f"{who}: {problem}")
            else:
                items.append(planned(False, True, True))
        elif _already(nomination, answer):
            items.append(planned(True, True))
        else:
            held = (f" (quyết định số {nomination.outcome_decision_number} ngày "
                    f"{nomination.outcome_decision_date:%d/%m/%Y})"
                    if state is State.APPROVED and nomination.outcome_decision_date else "")
            conflicts.append(f"{who}: đề nghị đang ở bước «{STATE_LABELS[state]}»{held}, không còn chờ "
                             f"kết quả của tỉnh; biên nhận ghi «{what(answer)}».")
    return Plan(tuple(items), tuple(conflicts))


def what(answer: Answer) -> str:
    """An answer in words, as the result and the conflicts show it."""
    if answer.status is RecordStatus.RECEIVED:
        return "tỉnh đã nhận"
    if answer.status is RecordStatus.RETURNED:
        return f"tỉnh trả lại — {answer.reason}"
    if answer.status is RecordStatus.APPROVED:
        return (f"tỉnh khen thưởng, quyết định số {answer.number} ngày {answer.decided_on:%d/%m/%Y} "
                f"của {answer.issuer}")
    decided = (f" (quyết định số {answer.number} ngày {answer.decided_on:%d/%m/%Y})"
               if answer.number and answer.decided_on else "")
    return f"tỉnh không khen thưởng{decided} — {answer.reason}"


def _check_answers(package: Package, records: dict[str, PackageRecord], answers: Sequence[Answer],
                   today: date) -> None:
    """Every answer names a record of this package once, with what its status needs."""
    problems: list[str] = []
    seen: set[str] = set()
    for index, answer in enumerate(answers):
        where = f"records[{index}]"
        if answer.record_uuid not in records:
            problems.append(f"{where}: hồ sơ {answer.record_uuid} không có trong gói số {package.sequence}.")
        elif answer.record_uuid in seen:
            problems.append(f"{where}: hồ sơ {answer.record_uuid} được trả lời hai lần.")
        seen.add(answer.record_uuid)
        if answer.status in (RecordStatus.RETURNED, RecordStatus.NOT_APPROVED) and not answer.reason:
            verb = "trả lại" if answer.status is RecordStatus.RETURNED else "không khen thưởng"
            problems.append(f"{where}: thiếu lý do tỉnh {verb}.")
        if answer.status is RecordStatus.APPROVED and not (answer.number and answer.decided_on and answer.issuer):
            problems.append(f"{where}: thiếu số, ngày hoặc cơ quan ban hành quyết định khen thưởng.")
        if answer.decided_on is not None and answer.decided_on > today:
            problems.append(f"{where}: ngày quyết định {answer.decided_on:%d/%m/%Y} chưa đến.")
    if problems:
        raise PackageError("Biên nhận không khớp gói đã gửi, không nhập:\n" + "\n".join(problems))


def _recorded(session: Session, record_ids: list[int]) -> dict[int, dict[str, tuple[PackageAnswer, str]]]:
    """The answers already recorded for these records, with the date of their acknowledgement."""
    found: dict[int, dict[str, tuple[PackageAnswer, str]]] = {}
    query = (select(PackageAnswer, PackageAck.issued_at).join(PackageAck, PackageAck.id == PackageAnswer.ack_id)
             .where(PackageAnswer.record_id.in_(record_ids)))
    for row, issued_at in session.execute(query):
        found.setdefault(row.record_id, {})[row.status] = (row, _day(issued_at))
    return found


def _newest(session: Session, nomination_uuids: set[str]) -> dict[str, tuple[int, int]]:
    """Each nomination's newest exported version and the sequence of its package."""
    newest: dict[str, tuple[int, int]] = {}
    query = (select(PackageRecord.nomination_uuid, PackageRecord.version, Package.sequence)
             .join(Package, Package.id == PackageRecord.package_id)
             .where(PackageRecord.nomination_uuid.in_(nomination_uuids)))
    for uuid, version, sequence in session.execute(query):
        if uuid not in newest or newest[uuid][0] < version:
            newest[uuid] = (version, sequence)
    return newest


def _as_answer(record_uuid: str, row: PackageAnswer) -> Answer:
    return Answer(record_uuid, RecordStatus(row.status), row.reason, row.decision_number, row.decision_date,
                  row.decision_issuer)


def _already(nomination: Nomination, answer: Answer) -> bool:
    """The officer already recorded this very answer on paper (or the commune returned it)."""
    state = State(nomination.state)
    if answer.status is RecordStatus.APPROVED:
        return (state is State.APPROVED and nomination.outcome_decision_number == answer.number
                and nomination.outcome_decision_date == answer.decided_on)
    if answer.status is RecordStatus.NOT_APPROVED:
        return state is State.NOT_APPROVED
    return state is State.RETURNED


def _before_proposal(session: Session, nomination: Nomination, answer: Answer) -> str:
    """Why the province's decision cannot be dated before the commune's proposal."""
    if answer.decided_on is None:
        return ""
    proposed = proposed_on(session, nomination)
    if proposed is None or answer.decided_on >= proposed:
        return ""
    return (f"quyết định của tỉnh ngày {answer.decided_on:%d/%m/%Y} trước ngày xã trình "
            f"({proposed:%d/%m/%Y}); hãy kiểm tra lại biên nhận.")


def _day(issued_at: str) -> str:
    return f"{datetime.fromisoformat(issued_at).astimezone(VIETNAM_TIME):%d/%m/%Y}"
