"""Local accounts: signing in, the first administrator, user administration, passwords.

Passwords are compared in NFC (Vietnamese keyboards may send either form) and stored as
Argon2id hashes (argon2-cffi's RFC 9106 defaults); a hash made with older parameters is
replaced at the next successful sign-in. A wrong user name and a wrong password get the
same message. Every LOCK_AFTER consecutive failures lock the account for a while, twice as
long each time up to MAX_LOCK; failures, lockouts and sign-ins go into the audit trail.

Accounts are never deleted, only deactivated, and there is always at least one active
administrator. An administrator cannot change their own role, admin flag or activity (the
signed-in `Actor` would no longer tell the truth); another administrator can.
All times here are UTC; the `users` table stores them naive.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import AuditTrail, Clock, utc_now
from app.errors import AuthenticationError, NotFoundError, PermissionDeniedError, ValidationError
from app.roles import ROLE_LABELS, Actor, Permission, Role, require
from app.vietnamese import clean, nfc
from db.models import User

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 8
MAX_USERNAME_LENGTH = 50
MAX_FULL_NAME_LENGTH = 100
LOCK_AFTER = 5
FIRST_LOCK = timedelta(seconds=30)
MAX_LOCK = timedelta(minutes=15)
WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."
_USERNAME_MARKS = "._-"


@dataclass(frozen=True)
class UserRow:
    id: int
    uuid: str
    username: str
    full_name: str
    role: Role
    is_admin: bool
    active: bool
    must_change_password: bool
    locked_until: datetime | None  # aware, UTC

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role] + (", quản trị" if self.is_admin else "")


UNKNOWN_USER = "(không rõ)"


def username_key(username: str) -> str:
    """What two user names must share to be the same account: NFC, case-folded."""
    return nfc(clean(username).casefold())


def lock_delay(lockouts: int) -> timedelta:
    """How long the `lockouts`-th lockout in a row lasts: 30 s, 1 min, 2 min... at most 15 min."""
    return min(FIRST_LOCK * 2 ** (lockouts - 1), MAX_LOCK)


def checked_password(password: str) -> str:
    password = nfc(password)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.", "password")
    return password


def checked_username(username: str) -> str:
    name = clean(username)
    if not name:
        raise ValidationError("Hãy nhập tên đăng nhập.", "username")
    if len(name) > MAX_USERNAME_LENGTH or not all(c.isalnum() or c in _USERNAME_MARKS for c in name):
        raise ValidationError(
            f"Tên đăng nhập chỉ gồm chữ, số và các dấu . _ - (không có khoảng trắng), "
            f"tối đa {MAX_USERNAME_LENGTH} ký tự.", "username")
    return name


def checked_full_name(full_name: str) -> str:
    name = clean(full_name)
    if not name:
        raise ValidationError("Hãy nhập họ và tên người dùng.", "full_name")
    if len(name) > MAX_FULL_NAME_LENGTH:
        raise ValidationError(f"Họ và tên dài quá {MAX_FULL_NAME_LENGTH} ký tự.", "full_name")
    return name


class Accounts:
    """What works before anyone is signed in, and each user's own password."""

    def __init__(self, sessions: sessionmaker[Session], audit: AuditTrail, clock: Clock = utc_now,
                 hasher: PasswordHasher | None = None) -> None:
        self._sessions = sessions
        self._audit = audit
        self._clock = clock
        self._hasher = hasher or PasswordHasher()

    def has_users(self) -> bool:
        with self._sessions() as session:
            return session.scalar(select(User.id).limit(1)) is not None

    def create_first_admin(self, username: str, full_name: str, password: str,
                           role: Role = Role.OFFICER) -> Actor:
        """The first account, an administrator; refused once any account exists."""
        name, full_name = checked_username(username), checked_full_name(full_name)
        password_hash = self._hasher.hash(checked_password(password))
        with self._sessions.begin() as session:
            if session.scalar(select(User.id).limit(1)) is not None:
                raise PermissionDeniedError(
                    "Cơ sở dữ liệu đã có tài khoản; chỉ quản trị viên mới tạo được tài khoản mới.")
            user = _new_user(name, full_name, Role(role), True, password_hash, _naive(self._clock()))
            session.add(user)
            session.flush()
            actor = actor_of(user)
            self._audit.record(session, actor, "create", "user", user.uuid,
                               f"Tạo quản trị viên đầu tiên «{name}» ({full_name})", new=_values(user))
        log.info("first administrator %s created", name)
        return actor

    def sign_in(self, username: str, password: str) -> Actor:
        """The signed-in user, or AuthenticationError (the failure is recorded all the same)."""
        with self._sessions.begin() as session:
            user = session.scalar(select(User).where(User.username_key == username_key(username)))
            outcome = self._attempt(session, user, username, password)
        if isinstance(outcome, AuthenticationError):
            raise outcome
        return outcome

    def change_password(self, actor: Actor, old: str, new: str) -> Actor:
        """Change the signed-in user's own password; returns the actor without the reset flag."""
        new = checked_password(new)
        with self._sessions.begin() as session:
            user = session.get(User, actor.user_id) if actor.user_id is not None else None
            if user is None:
                raise PermissionDeniedError("Tài khoản hệ thống không có mật khẩu để đổi.")
            now = _naive(self._clock())
            # Wrong current passwords count towards the lockout, as at sign-in: otherwise an
            # unattended session would let anyone guess the password here.
            if user.locked_until is not None and now < user.locked_until:
                refused: AuthenticationError | None = AuthenticationError(
                    _locked_message(user.locked_until - now))
            elif not self._matches(user.password_hash, old):
                refused = self._failed(session, user, actor, now)
                if str(refused) == WRONG_CREDENTIALS:  # not locked yet: say what was wrong
                    refused = AuthenticationError("Mật khẩu hiện tại không đúng.")
            else:
                refused = None
        if refused is not None:  # raised after the commit, so the failure stays counted
            raise refused
        with self._sessions.begin() as session:
            user = session.get_one(User, actor.user_id)
            if self._matches(user.password_hash, new):
                raise ValidationError("Mật khẩu mới phải khác mật khẩu hiện tại.", "password")
            user.password_hash = self._hasher.hash(new)
            user.must_change_password = False
            user.updated_at = _naive(self._clock())
            self._audit.record(session, actor, "password_change", "user", user.uuid,
                               f"Đổi mật khẩu của «{user.username}»")
            return actor_of(user)

    def _attempt(self, session: Session, user: User | None, typed: str,
                 password: str) -> Actor | AuthenticationError:
        now = _naive(self._clock())
        if user is None:
            self._matches(self._dummy_hash, password)  # the same time as a real check
            # What was typed is not kept: people type their password into the name field,
            # and the log can never be cleaned.
            stranger = Actor(None, UNKNOWN_USER, "", Role.VIEWER)
            self._audit.record(session, stranger, "sign_in_failed", "user", None,
                               "Đăng nhập sai: tên đăng nhập không có trong danh sách tài khoản")
            return AuthenticationError(WRONG_CREDENTIALS)
        actor = actor_of(user)
        if user.locked_until is not None and now < user.locked_until:
            self._audit.record(session, actor, "sign_in_failed", "user", user.uuid,
                               f"Đăng nhập khi tài khoản «{user.username}» đang tạm khóa")
            return AuthenticationError(_locked_message(user.locked_until - now))
        if not self._matches(user.password_hash, password):
            return self._failed(session, user, actor, now)
        if not user.active:
            self._audit.record(session, actor, "sign_in_failed", "user", user.uuid,
                               f"Đăng nhập vào tài khoản đã ngừng hoạt động «{user.username}»")
            return AuthenticationError(
                f"Tài khoản «{user.username}» đã ngừng hoạt động. Hãy nhờ quản trị viên cho hoạt động lại.")
        user.failed_attempts = 0
        user.locked_until = None
        if self._hasher.check_needs_rehash(user.password_hash):
            user.password_hash = self._hasher.hash(nfc(password))
        self._audit.record(session, actor, "sign_in", "user", user.uuid, f"Đăng nhập «{user.username}»")
        return actor

    def _failed(self, session: Session, user: User, actor: Actor, now: datetime) -> AuthenticationError:
        user.failed_attempts += 1
        self._audit.record(session, actor, "sign_in_failed", "user", user.uuid,
                           f"Đăng nhập sai mật khẩu «{user.username}» (lần {user.failed_attempts} liên tiếp)")
        if user.failed_attempts % LOCK_AFTER:
            return AuthenticationError(WRONG_CREDENTIALS)
        delay = lock_delay(user.failed_attempts // LOCK_AFTER)
        user.locked_until = now + delay
        self._audit.record(session, actor, "lockout", "user", user.uuid,
                           f"Tạm khóa «{user.username}» {_duration(delay)} sau {LOCK_AFTER} lần nhập sai")
        return AuthenticationError(f"{WRONG_CREDENTIALS} {_locked_message(delay)}")

    def _matches(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, nfc(password))
        except VerificationError:
            return False
        except InvalidHashError:
            log.error("a stored password hash is not an Argon2 hash")
            return False

    @cached_property
    def _dummy_hash(self) -> str:
        return self._hasher.hash("không phải mật khẩu của ai")


class UserService:
    """Account administration on behalf of a signed-in administrator."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 clock: Clock = utc_now, hasher: PasswordHasher | None = None) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._clock = clock
        self._hasher = hasher or PasswordHasher()

    def users(self) -> list[UserRow]:
        require(self._actor, Permission.MANAGE_USERS)
        with self._sessions() as session:
            return [_row(u) for u in session.scalars(select(User).order_by(User.username_key))]

    def create(self, username: str, full_name: str, role: Role, password: str,
               is_admin: bool = False, must_change_password: bool = True) -> UserRow:
        """A new active account; by default the user must choose their own password at the
        first sign-in."""
        require(self._actor, Permission.MANAGE_USERS)
        name, full_name = checked_username(username), checked_full_name(full_name)
        password_hash = self._hasher.hash(checked_password(password))
        with self._sessions.begin() as session:
            if session.scalar(select(User.id).where(User.username_key == username_key(name))):
                raise ValidationError(f"Đã có tài khoản «{name}».", "username")
            user = _new_user(name, full_name, Role(role), is_admin, password_hash, _naive(self._clock()))
            user.must_change_password = must_change_password
            session.add(user)
            session.flush()
            self._audit.record(session, self._actor, "create", "user", user.uuid,
                               f"Tạo tài khoản «{name}» ({full_name}, {_role_label(user)})", new=_values(user))
            return _row(user)

    def update(self, user_id: int, full_name: str, role: Role, is_admin: bool) -> UserRow:
        """Change a user's full name, role and administrator flag."""
        require(self._actor, Permission.MANAGE_USERS)
        full_name = checked_full_name(full_name)
        with self._sessions.begin() as session:
            user = self._user(session, user_id)
            if user.id == self._actor.user_id and (Role(role) != user.role or is_admin != user.is_admin):
                raise PermissionDeniedError(
                    "Không tự đổi vai trò hoặc quyền quản trị của chính mình được; hãy nhờ một "
                    "quản trị viên khác.")
            if user.is_admin and not is_admin:
                _keep_an_admin(session, user)
            old = _values(user)
            user.full_name, user.role, user.is_admin = full_name, Role(role).value, is_admin
            return self._changed(session, user, old, "update", f"Sửa tài khoản «{user.username}»")

    def reset_password(self, user_id: int, password: str) -> UserRow:
        """Set a temporary password and unlock; the user must change it at next sign-in."""
        require(self._actor, Permission.MANAGE_USERS)
        password_hash = self._hasher.hash(checked_password(password))
        with self._sessions.begin() as session:
            user = self._user(session, user_id)
            old = _values(user)
            user.password_hash = password_hash
            user.must_change_password = True
            user.failed_attempts = 0
            user.locked_until = None
            return self._changed(session, user, old, "password_reset",
                                 f"Đặt lại mật khẩu của «{user.username}»")

    def deactivate(self, user_id: int) -> UserRow:
        """Stop an account from signing in; its name stays in the audit trail."""
        return self._set_active(user_id, False)

    def reactivate(self, user_id: int) -> UserRow:
        return self._set_active(user_id, True)

    def _set_active(self, user_id: int, active: bool) -> UserRow:
        require(self._actor, Permission.MANAGE_USERS)
        with self._sessions.begin() as session:
            user = self._user(session, user_id)
            if user.id == self._actor.user_id:
                raise PermissionDeniedError("Không tự ngừng hoạt động tài khoản đang đăng nhập được.")
            if user.active == active:
                return _row(user)
            if not active and user.is_admin:
                _keep_an_admin(session, user)
            old = _values(user)
            user.active = active
            user.failed_attempts = 0
            user.locked_until = None
            action, verb = ("reactivate", "Cho hoạt động lại") if active else ("deactivate", "Ngừng hoạt động")
            return self._changed(session, user, old, action, f"{verb} tài khoản «{user.username}»")

    def _changed(self, session: Session, user: User, old: dict[str, object], action: str,
                 summary: str) -> UserRow:
        user.updated_at = _naive(self._clock())
        self._audit.record(session, self._actor, action, "user", user.uuid, summary,
                           old=old, new=_values(user))
        return _row(user)

    @staticmethod
    def _user(session: Session, user_id: int) -> User:
        user = session.get(User, user_id)
        if user is None:
            raise NotFoundError("Không tìm thấy tài khoản.")
        return user


def actor_of(user: User) -> Actor:
    return Actor(user.id, user.username, user.full_name, Role(user.role), user.is_admin,
                 user.must_change_password)


def _new_user(name: str, full_name: str, role: Role, is_admin: bool, password_hash: str,
              now: datetime) -> User:
    return User(username=name, username_key=username_key(name), full_name=full_name, role=role.value,
                is_admin=is_admin, password_hash=password_hash, failed_attempts=0,
                must_change_password=False, active=True, created_at=now, updated_at=now)


def _keep_an_admin(session: Session, leaving: User) -> None:
    others = session.scalar(select(func.count(User.id)).where(
        User.is_admin, User.active, User.id != leaving.id))
    if not others:
        raise ValidationError(
            "Phải luôn còn ít nhất một quản trị viên đang hoạt động; hãy cấp quyền quản trị cho "
            "tài khoản khác trước.", "is_admin")


def _values(user: User) -> dict[str, object]:
    """What the audit trail keeps of an account: never the password hash."""
    return {"username": user.username, "full_name": user.full_name, "role": user.role,
            "is_admin": user.is_admin, "active": user.active,
            "must_change_password": user.must_change_password}


def _row(user: User) -> UserRow:
    locked = user.locked_until.replace(tzinfo=UTC) if user.locked_until is not None else None
    return UserRow(user.id, user.uuid, user.username, user.full_name, Role(user.role), user.is_admin,
                   user.active, user.must_change_password, locked)


def _role_label(user: User) -> str:
    return _row(user).role_label


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _duration(delay: timedelta) -> str:
    seconds = -int(-delay.total_seconds() // 1)  # rounded up: never 'try again after 0 s'
    return f"{seconds} giây" if seconds < 60 else f"{-(-seconds // 60)} phút"


def _locked_message(remaining: timedelta) -> str:
    return (f"Tài khoản đang tạm khóa vì nhập sai mật khẩu {LOCK_AFTER} lần liên tiếp; "
            f"hãy thử lại sau {_duration(remaining)}.")
