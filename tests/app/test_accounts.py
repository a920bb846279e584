"""Accounts: Argon2id hashes, sign-in, lockout with a frozen clock, user administration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher, Type, extract_parameters
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.accounts import LOCK_AFTER, UNKNOWN_USER, WRONG_CREDENTIALS, Accounts, UserService, lock_delay
from app.audit import AuditFilter, AuditTrail
from app.errors import AuthenticationError, PermissionDeniedError, ValidationError
from app.roles import SYSTEM_ACTOR, Actor, Permission, Role
from app.services import Services
from db.models import User
from tests.conftest import ADMIN, OFFICER, account


class FrozenClock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def accounts(sessions: sessionmaker[Session], clock: FrozenClock) -> Accounts:
    return Accounts(sessions, AuditTrail(sessions, clock), clock)


@pytest.fixture
def admin(sessions: sessionmaker[Session], clock: FrozenClock) -> Services:
    return Services.create(sessions, account(sessions, ADMIN[0]), clock)


def stored_hash(sessions: sessionmaker[Session], username: str) -> str:
    with sessions() as session:
        return session.scalars(select(User.password_hash).filter_by(username=username)).one()


def test_passwords_are_stored_as_argon2id_hashes(sessions: sessionmaker[Session]) -> None:
    stored = stored_hash(sessions, OFFICER[0])
    assert stored.startswith("$argon2id$")
    assert extract_parameters(stored).type is Type.ID
    assert OFFICER[2] not in stored


def test_sign_in_gives_the_actor_and_is_recorded(accounts: Accounts, sessions: sessionmaker[Session]) -> None:
    actor = accounts.sign_in("  CanBo ", OFFICER[2])  # user names ignore case and spaces around
    assert (actor.username, actor.full_name, actor.role, actor.is_admin) == (
        OFFICER[0], OFFICER[1], Role.OFFICER, False)
    [entry] = AuditTrail(sessions).entries(AuditFilter(action="sign_in"))
    assert (entry.user_id, entry.username, entry.summary) == (actor.user_id, "canbo", "Đăng nhập «canbo»")


def test_wrong_password_and_unknown_user_get_the_same_message(accounts: Accounts,
                                                              sessions: sessionmaker[Session]) -> None:
    with pytest.raises(AuthenticationError) as wrong_password:
        accounts.sign_in(OFFICER[0], "khong-dung-mat-khau")
    with pytest.raises(AuthenticationError) as unknown_user:
        accounts.sign_in(OFFICER[2], OFFICER[2])  # the password typed into the name field
    assert str(wrong_password.value) == str(unknown_user.value) == WRONG_CREDENTIALS
    failures = AuditTrail(sessions).entries(AuditFilter(action="sign_in_failed"))
    assert [e.username for e in failures] == [UNKNOWN_USER, "canbo"]
    assert all(OFFICER[2] not in f"{e.summary} {e.username}" for e in failures)  # never kept


def test_password_is_compared_in_nfc(admin: Services, accounts: Accounts) -> None:
    decomposed = "me\u0302\u0323t-kho\u0302ng-mo\u031b\u0301i"  # 'mệt-không-mới' as some keyboards send it
    admin.users.create("vanthu", "Lê Thị Hoa", Role.CLERK, decomposed)
    assert accounts.sign_in("vanthu", "mệt-không-mới").role is Role.CLERK


def test_five_failures_lock_the_account_for_a_growing_delay(accounts: Accounts, clock: FrozenClock,
                                                            sessions: sessionmaker[Session]) -> None:
    for _ in range(LOCK_AFTER - 1):
        with pytest.raises(AuthenticationError, match=f"^{WRONG_CREDENTIALS}$"):
            accounts.sign_in(OFFICER[0], "sai-mat-khau")
    with pytest.raises(AuthenticationError, match="tạm khóa .* thử lại sau 30 giây"):
        accounts.sign_in(OFFICER[0], "sai-mat-khau")
    clock.advance(seconds=29)
    with pytest.raises(AuthenticationError, match="thử lại sau 1 giây"):
        accounts.sign_in(OFFICER[0], OFFICER[2])  # locked: even the right password waits

    clock.advance(seconds=1)
    for _ in range(LOCK_AFTER - 1):
        with pytest.raises(AuthenticationError, match=f"^{WRONG_CREDENTIALS}$"):
            accounts.sign_in(OFFICER[0], "sai-mat-khau")
    with pytest.raises(AuthenticationError, match="thử lại sau 1 phút"):  # the second lock lasts twice as long
        accounts.sign_in(OFFICER[0], "sai-mat-khau")
    clock.advance(minutes=1)
    assert accounts.sign_in(OFFICER[0], OFFICER[2]).username == OFFICER[0]

    lockouts = AuditTrail(sessions).entries(AuditFilter(action="lockout"))
    assert [e.summary for e in lockouts] == [
        "Tạm khóa «canbo» 1 phút sau 5 lần nhập sai", "Tạm khóa «canbo» 30 giây sau 5 lần nhập sai"]
    with sessions() as session:
        user = session.scalars(select(User).filter_by(username="canbo")).one()
        assert (user.failed_attempts, user.locked_until) == (0, None)


def test_lock_delay_doubles_up_to_fifteen_minutes() -> None:
    assert [lock_delay(n).total_seconds() for n in range(1, 8)] == [30, 60, 120, 240, 480, 900, 900]


def test_inactive_user_cannot_sign_in(admin: Services, accounts: Accounts, sessions: sessionmaker[Session]) -> None:
    officer = account(sessions, OFFICER[0])
    admin.users.deactivate(officer.user_id)  # type: ignore[arg-type]
    with pytest.raises(AuthenticationError, match="đã ngừng hoạt động"):
        accounts.sign_in(OFFICER[0], OFFICER[2])
    with pytest.raises(AuthenticationError, match=f"^{WRONG_CREDENTIALS}$"):  # says nothing without the password
        accounts.sign_in(OFFICER[0], "sai-mat-khau")
    admin.users.reactivate(officer.user_id)  # type: ignore[arg-type]
    assert accounts.sign_in(OFFICER[0], OFFICER[2]).user_id == officer.user_id


def test_old_hash_parameters_are_upgraded_at_sign_in(sessions: sessionmaker[Session], clock: FrozenClock) -> None:
    cheap = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    audit = AuditTrail(sessions, clock)
    admin = UserService(sessions, account(sessions, ADMIN[0]), audit, clock, hasher=cheap)
    admin.create("xem", "Phạm Văn Minh", Role.VIEWER, "mat-khau-xem")
    assert extract_parameters(stored_hash(sessions, "xem")).memory_cost == 8 * 1024

    Accounts(sessions, audit, clock).sign_in("xem", "mat-khau-xem")
    upgraded = stored_hash(sessions, "xem")
    assert extract_parameters(upgraded) == extract_parameters(PasswordHasher().hash("x"))
    assert PasswordHasher().verify(upgraded, "mat-khau-xem")


def test_first_admin_only_in_a_database_without_accounts(accounts: Accounts) -> None:
    assert accounts.has_users()
    with pytest.raises(PermissionDeniedError, match="đã có tài khoản"):
        accounts.create_first_admin("khach", "Khách", "mat-khau-khach")


def test_first_admin_of_a_new_database(tmp_path) -> None:  # noqa: ANN001 - pytest's tmp_path
    from db.migrate import open_database

    database = open_database(tmp_path / "moi.sqlite")
    try:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        accounts = Accounts(sessions, AuditTrail(sessions))
        assert not accounts.has_users()
        with pytest.raises(ValidationError, match="ít nhất 8 ký tự"):
            accounts.create_first_admin("quantri", "Trần Văn Quản", "ngan")
        with pytest.raises(ValidationError, match="Tên đăng nhập chỉ gồm"):
            accounts.create_first_admin("quan tri", "Trần Văn Quản", "du-dai-roi")
        admin = accounts.create_first_admin("quantri", "Trần Văn Quản", "du-dai-roi", Role.APPROVER)
        assert (admin.role, admin.is_admin) == (Role.APPROVER, True)
        assert admin.can(Permission.MANAGE_USERS) and admin.can(Permission.APPROVE)
        assert accounts.sign_in("QUANTRI", "du-dai-roi") == admin
    finally:
        database.close()


def test_admin_creates_users_who_change_their_password_first(admin: Services, accounts: Accounts) -> None:
    created = admin.users.create("ChuTich", "Trần Văn Hùng", Role.APPROVER, "tam-thoi-1")
    assert (created.username, created.must_change_password, created.role_label) == (
        "ChuTich", True, "Chủ tịch / Phó Chủ tịch")
    with pytest.raises(ValidationError, match="Đã có tài khoản «chutich»"):
        admin.users.create("chutich", "Người khác", Role.VIEWER, "tam-thoi-2")

    signed_in = accounts.sign_in("chutich", "tam-thoi-1")
    assert signed_in.must_change_password
    with pytest.raises(AuthenticationError, match="Mật khẩu hiện tại không đúng"):
        accounts.change_password(signed_in, "sai", "moi-cua-toi")
    with pytest.raises(ValidationError, match="ít nhất 8"):
        accounts.change_password(signed_in, "tam-thoi-1", "ngan")
    changed = accounts.change_password(signed_in, "tam-thoi-1", "moi-cua-toi")
    assert not changed.must_change_password
    assert accounts.sign_in("chutich", "moi-cua-toi") == changed
    assert [u.username for u in admin.users.users()] == ["canbo", "ChuTich", "quantri"]


def test_reset_password_unlocks_and_asks_for_a_new_one(admin: Services, accounts: Accounts,
                                                       sessions: sessionmaker[Session]) -> None:
    for _ in range(LOCK_AFTER):
        with pytest.raises(AuthenticationError):
            accounts.sign_in(OFFICER[0], "sai-mat-khau")
    officer_id = account(sessions, OFFICER[0]).user_id
    row = admin.users.reset_password(officer_id, "mat-khau-tam")  # type: ignore[arg-type]
    assert (row.must_change_password, row.locked_until) == (True, None)
    assert accounts.sign_in(OFFICER[0], "mat-khau-tam").must_change_password
    [reset] = admin.audit.entries(AuditFilter(action="password_reset"))
    assert reset.summary == "Đặt lại mật khẩu của «canbo»"
    assert "password_hash" not in (reset.new_values or {})


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(admin: Services,
                                                                sessions: sessionmaker[Session]) -> None:
    me = admin.actor
    system = Services.create(sessions, SYSTEM_ACTOR)
    with pytest.raises(ValidationError, match="ít nhất một quản trị viên"):
        system.users.update(me.user_id, me.full_name, Role.OFFICER, False)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="ít nhất một quản trị viên"):
        system.users.deactivate(me.user_id)  # type: ignore[arg-type]

    officer = account(sessions, OFFICER[0])
    admin.users.update(officer.user_id, officer.full_name, Role.OFFICER, True)  # type: ignore[arg-type]
    changed = system.users.update(me.user_id, "Trần Văn Quản", Role.CLERK, False)  # type: ignore[arg-type]
    assert (changed.role, changed.is_admin) == (Role.CLERK, False)
    with pytest.raises(ValidationError, match="ít nhất một quản trị viên"):  # the officer is the last one now
        system.users.deactivate(officer.user_id)  # type: ignore[arg-type]

    [update] = system.audit.entries(AuditFilter(action="update", entity="user"), limit=1)
    assert update.old_values == {"username": "quantri", "full_name": "Trần Văn Quản", "role": "officer",
                                 "is_admin": True, "active": True, "must_change_password": False}
    assert update.new_values == {**update.old_values, "role": "clerk", "is_admin": False}
    assert update.username == SYSTEM_ACTOR.username


def test_an_admin_cannot_change_their_own_role_or_activity(admin: Services) -> None:
    me = admin.actor
    with pytest.raises(PermissionDeniedError, match="chính mình"):
        admin.users.update(me.user_id, me.full_name, Role.OFFICER, False)  # type: ignore[arg-type]
    with pytest.raises(PermissionDeniedError, match="chính mình"):
        admin.users.update(me.user_id, me.full_name, Role.VIEWER, True)  # type: ignore[arg-type]
    with pytest.raises(PermissionDeniedError, match="đang đăng nhập"):
        admin.users.deactivate(me.user_id)  # type: ignore[arg-type]
    assert admin.users.update(me.user_id, "Trần Quản Trị", Role.OFFICER, True).full_name == "Trần Quản Trị"  # type: ignore[arg-type]


def test_user_administration_needs_an_administrator(services: Services, sessions: sessionmaker[Session]) -> None:
    entries = services.audit.count()
    officer_id = services.actor.user_id
    for attempt in (
        lambda: services.users.users(),
        lambda: services.users.create("khach", "Khách", Role.VIEWER, "mat-khau-khach"),
        lambda: services.users.update(officer_id, "Tên khác", Role.OFFICER, True),
        lambda: services.users.reset_password(officer_id, "mat-khau-moi"),
        lambda: services.users.deactivate(officer_id),
        lambda: services.users.reactivate(officer_id),
    ):
        with pytest.raises(PermissionDeniedError, match="quản lý tài khoản"):
            attempt()
    assert services.audit.count() == entries
    with sessions() as session:
        assert session.scalars(select(User.username).order_by(User.id)).all() == ["quantri", "canbo"]


def test_the_system_actor_has_no_password_to_change(accounts: Accounts) -> None:
    system = Actor(None, "hệ thống", "Hệ thống", Role.OFFICER, True)
    with pytest.raises(PermissionDeniedError):
        accounts.change_password(system, "x", "mat-khau-moi")


def test_guessing_the_current_password_at_a_password_change_locks_the_account(
        accounts: Accounts, sessions: sessionmaker[Session]) -> None:
    actor = accounts.sign_in(OFFICER[0], OFFICER[2])
    for _ in range(LOCK_AFTER - 1):
        with pytest.raises(AuthenticationError, match="Mật khẩu hiện tại không đúng"):
            accounts.change_password(actor, "doan-mo-123", "moi-hoan-toan")
    with pytest.raises(AuthenticationError, match="tạm khóa"):
        accounts.change_password(actor, "doan-mo-123", "moi-hoan-toan")
    with pytest.raises(AuthenticationError, match="tạm khóa"):  # even with the right one now
        accounts.change_password(actor, OFFICER[2], "moi-hoan-toan")
    with pytest.raises(AuthenticationError, match="tạm khóa"):
        accounts.sign_in(OFFICER[0], OFFICER[2])
