"""The audit trail: every change recorded with old and new values, append-only, hash-chained,
tampering named precisely; and role enforcement at the service layer."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.audit import GENESIS_HASH, AuditFilter, AuditTrail, entry_hash
from app.commune import CommuneSetup, OfficialData
from app.errors import PermissionDeniedError, ValidationError
from app.excel_import import import_file
from app.history import AwardRecord, RatingRecord
from app.roles import Role
from app.services import Services
from app.subject_data import IndividualData, VillageData
from db.migrate import Database
from tests.app.test_excel_import import filled_template

SETUP = CommuneSetup(province_code=75, commune_code=26377, place_name="Phước Tân",
                     officials=(OfficialData("chairman", "Nguyễn Văn Bình"),))


def as_role(services: Services, role: Role) -> Services:
    return Services.create(services.sessions, replace(services.actor, role=role))


def raw(database: Database) -> sqlite3.Connection:
    """The file opened with plain sqlite3, as someone tampering with it would."""
    connection = sqlite3.connect(database.path, isolation_level=None)
    return connection


def test_every_change_writes_an_entry_with_old_and_new_values(services: Services) -> None:
    before = services.audit.count()
    village = services.subjects.create(VillageData("Thôn Đông"))
    person = services.subjects.create(IndividualData("Nguyễn Văn An", "male", date(1980, 5, 1)))
    services.subjects.update(person.id, IndividualData("Nguyễn Văn An", "male", date(1980, 5, 2),
                                                       village_id=village.id))
    services.subjects.update(person.id, IndividualData("Nguyễn Văn An", "male", date(1980, 5, 2),
                                                       village_id=village.id))  # unchanged: no entry
    rating = services.history.save(person.id, RatingRecord(2024, "tot"))
    services.history.save(person.id, replace(rating, rating="htxs"))
    services.history.delete(RatingRecord, rating.id, "Ghi nhầm năm")  # type: ignore[arg-type]
    services.commune.save(SETUP)
    services.subjects.delete(village.id, "Sáp nhập vào thôn Tây")

    entries = services.audit.entries()
    assert services.audit.count() == before + 8
    assert [(e.action, e.entity, e.summary) for e in reversed(entries[:8])] == [
        ("create", "subject", "Thêm thôn, tổ dân phố «Thôn Đông»"),
        ("create", "subject", "Thêm cá nhân «Nguyễn Văn An»"),
        ("update", "subject", "Sửa cá nhân «Nguyễn Văn An»"),
        ("create", "annual_rating", "Thêm xếp loại năm 2024 của cá nhân «Nguyễn Văn An»"),
        ("update", "annual_rating", "Sửa xếp loại năm 2024 của cá nhân «Nguyễn Văn An»"),
        ("delete", "annual_rating", "Xóa xếp loại năm 2024 của cá nhân «Nguyễn Văn An»"),
        ("create", "commune", f"Thiết lập {services.commune.get().commune_name}"),  # type: ignore[union-attr]
        ("delete", "subject", "Xóa thôn, tổ dân phố «Thôn Đông»"),
    ]
    update = entries[5]
    assert (update.entity_uuid, update.old_values["birth_date"], update.new_values["birth_date"]) == (  # type: ignore[index]
        person.uuid, "1980-05-01", "1980-05-02")
    assert (update.old_values["village_id"], update.new_values["village_id"]) == (None, village.id)  # type: ignore[index]
    rating_change = entries[3]
    assert (rating_change.old_values["rating"], rating_change.new_values["rating"]) == ("tot", "htxs")  # type: ignore[index]
    deleted = entries[0]
    assert (deleted.reason, deleted.old_values["name"], deleted.new_values) == (  # type: ignore[index]
        "Sáp nhập vào thôn Tây", "Thôn Đông", None)
    assert {(e.user_id, e.username, e.full_name) for e in entries[:8]} == {
        (services.actor.user_id, services.actor.username, services.actor.full_name)}
    assert services.audit.verify().ok


def test_deleting_needs_a_reason_and_writes_nothing_without_one(services: Services) -> None:
    person = services.subjects.create(IndividualData("Nguyễn Văn An", "male"))
    rating = services.history.save(person.id, RatingRecord(2024, "tot"))
    entries = services.audit.count()
    with pytest.raises(ValidationError, match="Hãy ghi lý do xóa"):
        services.subjects.delete(person.id, "  ")
    with pytest.raises(ValidationError, match="Hãy ghi lý do xóa"):
        services.history.delete(RatingRecord, rating.id, "")  # type: ignore[arg-type]
    assert services.subjects.count() == 1 and len(services.history.of(person.id).ratings) == 1
    assert services.audit.count() == entries


def test_the_change_and_its_entry_commit_together_or_not_at_all(services: Services) -> None:
    person = services.subjects.create(IndividualData("Nguyễn Văn An", "male"))
    entries = services.audit.count()
    with pytest.raises(ValidationError):
        with services.sessions.begin() as session:
            services.history.save_in(session, person.id, RatingRecord(2024, "tot"))
            services.history.save_in(session, person.id, RatingRecord(2024, "ht"))  # the same year again
    assert services.audit.count() == entries
    assert services.history.of(person.id).ratings == ()
    assert services.audit.verify().ok


def test_a_bulk_import_writes_one_entry_per_record(services: Services, tmp_path: Path) -> None:
    path = filled_template(tmp_path, "individuals", [
        ["Lê Văn Nam", "Nam", "02/01/1985"], ["Trần Thị Hoa", "Nữ", "01/02/1990"]])
    entries = services.audit.count()
    import_file(services, "individuals", path)
    created = services.audit.entries(AuditFilter(action="create", entity="subject"))
    assert services.audit.count() == entries + 2
    assert {e.summary for e in created} == {"Thêm cá nhân «Lê Văn Nam»", "Thêm cá nhân «Trần Thị Hoa»"}
    assert services.audit.verify().ok


WRITES: dict[str, Callable[[Services, int], object]] = {
    "SubjectService.create": lambda s, _id: s.subjects.create(IndividualData("Lê Văn Mới", "male")),
    "SubjectService.create_many": lambda s, _id: s.subjects.create_many([VillageData("Thôn Mới")]),
    "SubjectService.update": lambda s, person: s.subjects.update(person, IndividualData("Lê Văn Sửa", "male")),
    "SubjectService.delete": lambda s, person: s.subjects.delete(person, "Thử"),
    "HistoryService.save": lambda s, person: s.history.save(person, RatingRecord(2024, "tot")),
    "HistoryService.delete": lambda s, person: s.history.delete(
        AwardRecord, s.history.of(person).awards[0].id, "Thử"),
    "CommuneService.save": lambda s, _id: s.commune.save(SETUP),
    "Excel import": lambda s, _id: import_file(s, "villages", _VILLAGES_FILE[0]),
}
_VILLAGES_FILE: list[Path] = []


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("role", [Role.VIEWER, Role.APPROVER, Role.CLERK])
def test_roles_without_the_right_change_nothing(services: Services, tmp_path: Path, write: str,
                                                role: Role) -> None:
    person = services.subjects.create(IndividualData("Nguyễn Văn An", "male"))
    services.history.save(person.id, AwardRecord("LDTT", 2023))
    _VILLAGES_FILE[:] = [filled_template(tmp_path, "villages", [["Thôn Nhập"]])]
    entries, subjects = services.audit.count(), services.subjects.rows()
    with pytest.raises(PermissionDeniedError, match="không có quyền"):
        WRITES[write](as_role(services, role), person.id)
    assert services.audit.count() == entries
    assert services.subjects.rows() == subjects
    assert services.commune.get() is None
    assert len(services.history.of(person.id).awards) == 1


def test_viewers_still_read(services: Services) -> None:
    person = services.subjects.create(IndividualData("Nguyễn Văn An", "male"))
    viewer = as_role(services, Role.VIEWER)
    assert [r.name for r in viewer.subjects.search("an")] == ["Nguyễn Văn An"]
    assert viewer.history.of(person.id).ratings == ()
    assert viewer.audit.entries(limit=1)[0].summary == "Thêm cá nhân «Nguyễn Văn An»"


def test_entries_filter_in_sql_newest_first(sessions: sessionmaker[Session], services: Services) -> None:
    moments = iter(datetime(2026, 1, day, 3, tzinfo=UTC) for day in range(1, 10))
    trail = AuditTrail(sessions, lambda: next(moments))
    clocked = replace(services, audit=trail)
    people = [services.subjects.create(IndividualData(name, "male"))
              for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường")]
    for person in people:
        with sessions.begin() as session:
            trail.record(session, services.actor, "update", "subject", person.uuid, f"Sửa cá nhân «{person.name}»")
    everything = AuditFilter(since=datetime(2026, 1, 1, tzinfo=UTC), until=datetime(2026, 1, 10, tzinfo=UTC))
    assert [e.summary for e in clocked.audit.entries(everything)] == [
        "Sửa cá nhân «Lê Văn Cường»", "Sửa cá nhân «Trần Thị Bình»", "Sửa cá nhân «Nguyễn Văn An»"]
    assert [e.at.day for e in trail.entries(everything)] == [3, 2, 1]
    window = AuditFilter(since=datetime(2026, 1, 2, tzinfo=UTC), until=datetime(2026, 1, 3, tzinfo=UTC))
    assert [e.summary for e in trail.entries(window)] == ["Sửa cá nhân «Trần Thị Bình»"]
    assert trail.count(AuditFilter(entity_uuid=people[0].uuid)) == 2  # the creation and the edit
    assert [e.summary for e in trail.entries(AuditFilter(text="Bình", action="update"))] == [
        "Sửa cá nhân «Trần Thị Bình»"]
    assert trail.count(AuditFilter(text="100%")) == 0
    assert trail.count(AuditFilter(user_id=services.actor.user_id, entity="subject")) == 6
    assert [e.summary for e in trail.entries(AuditFilter(action="update"), limit=1, offset=1)] == [
        "Sửa cá nhân «Trần Thị Bình»"]
    assert trail.entries(AuditFilter(since=datetime.now(UTC) + timedelta(days=1))) == []


def test_excerpt_carries_the_entries_and_their_hashes(services: Services) -> None:
    an = services.subjects.create(IndividualData("Nguyễn Văn An", "male"))
    services.subjects.create(IndividualData("Trần Thị Bình", "female"))
    rating = services.history.save(an.id, RatingRecord(2024, "tot"))
    services.history.save(an.id, replace(rating, rating="htxs"))
    with services.sessions() as session:
        rating_uuid = session.scalar(text("SELECT uuid FROM annual_ratings"))
    excerpt = services.audit.excerpt([an.uuid, rating_uuid])
    assert [(e["action"], e["entity"]) for e in excerpt] == [
        ("create", "subject"), ("create", "annual_rating"), ("update", "annual_rating")]
    assert all(entry_hash(e) == e["hash"] for e in excerpt)
    assert excerpt[2]["old_values"] == '{"note":"","rating":"tot","year":2024}'


def test_triggers_refuse_to_change_or_remove_entries(services: Services, database: Database) -> None:
    services.subjects.create(IndividualData("Nguyễn Văn An", "male"))
    connection = raw(database)
    try:
        for statement in ("UPDATE audit_entries SET summary = 'khác' WHERE id = 1",
                          "DELETE FROM audit_entries WHERE id = 1",
                          "UPDATE audit_head SET last_id = 1"):
            with pytest.raises(sqlite3.IntegrityError, match="chỉ được ghi thêm"):
                connection.execute(statement)
    finally:
        connection.close()
    with services.sessions.begin() as session, pytest.raises(Exception, match="chỉ được ghi thêm"):
        session.execute(text("DELETE FROM audit_entries"))
    assert services.audit.verify().ok


def tamper(database: Database, *statements: str) -> None:
    """Drop the guarding triggers and run `statements`, as someone with a SQLite tool would."""
    connection = raw(database)
    try:
        connection.execute("DROP TRIGGER audit_entries_no_update")
        connection.execute("DROP TRIGGER audit_entries_no_delete")
        connection.execute("DROP TRIGGER audit_head_no_rewind")
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


@pytest.fixture
def logged(services: Services) -> Services:
    """Six more entries after the template's, numbered 3 to 8."""
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Đỗ Thị Gấm"):
        services.subjects.create(IndividualData(name, "male"))
    assert services.audit.count() == 8
    return services


def problems(services: Services) -> list[str]:
    return [str(p) for p in services.audit.verify().problems]


def test_an_altered_entry_is_named(logged: Services, database: Database) -> None:
    tamper(database, """UPDATE audit_entries SET new_values = replace(new_values, 'Lê Văn Cường', 'Lê Văn Cương')
                        WHERE id = 5""")
    assert problems(logged) == ["Dòng nhật ký số 5 đã bị sửa sau khi ghi (nội dung không khớp mã kiểm tra)."]


def test_removed_entries_are_named(logged: Services, database: Database) -> None:
    tamper(database, "DELETE FROM audit_entries WHERE id = 4", "DELETE FROM audit_entries WHERE id IN (6, 7)")
    assert problems(logged) == ["Dòng nhật ký số 4 đã bị xóa.", "Các dòng nhật ký số 6 đến 7 đã bị xóa."]
    assert logged.audit.verify().entries == 5


def test_entries_removed_from_the_end_are_named(logged: Services, database: Database) -> None:
    tamper(database, "DELETE FROM audit_entries WHERE id >= 7")
    assert problems(logged) == ["Các dòng nhật ký số 7 đến 8 ở cuối nhật ký đã bị xóa."]


def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_chain(logged: Services, database: Database) -> None:
    [entry] = logged.audit.excerpt([logged.subjects.search("Cuong")[0].uuid])
    forged = {**entry, "summary": "Thêm cá nhân «Lê Văn Khác»"}
    forged["hash"] = entry_hash(forged)
    tamper(database, f"UPDATE audit_entries SET summary = '{forged['summary']}', hash = '{forged['hash']}' "
                     f"WHERE id = {entry['id']}")
    assert problems(logged) == [
        "Chuỗi nhật ký bị đứt tại dòng số 6: dòng này không nối tiếp dòng trước nó "
        "(có dòng bị thay thế hoặc chèn vào)."]


def test_the_chain_starts_from_the_genesis_value(logged: Services) -> None:
    [first] = [e for e in logged.audit.excerpt([]) if e["id"] == 1] or [None]
    assert first is None  # the excerpt only carries what was asked for
    with logged.sessions() as session:
        prev_hash, head = session.execute(text(
            "SELECT prev_hash, (SELECT last_id FROM audit_head) FROM audit_entries WHERE id = 1")).one()
    assert (prev_hash, head) == (GENESIS_HASH, 8)
    assert logged.audit.verify().entries == 8


def test_every_nomination_step_and_decision_action_has_a_vietnamese_label() -> None:
    from app.audit import ACTION_LABELS
    from app.nomination_states import Action

    assert {action.value for action in Action} | {"finalise", "issue", "revoke"} <= set(ACTION_LABELS)
