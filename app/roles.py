"""Who may do what: roles, the permissions they carry, and the acting user.

Services receive an `Actor` when they are built and call `require()` before changing
anything, so a hidden button is never the only protection.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.errors import PermissionDeniedError


class Role(StrEnum):
    OFFICER = "officer"    # cán bộ làm công tác TĐKT: prepares registers, nominations, dossiers
    APPROVER = "approver"  # chủ tịch / phó chủ tịch: approves and signs
    CLERK = "clerk"        # văn thư: numbers and issues documents
    VIEWER = "viewer"      # chỉ xem


ROLE_LABELS = {
    Role.OFFICER: "Cán bộ TĐKT",
    Role.APPROVER: "Chủ tịch / Phó Chủ tịch",
    Role.CLERK: "Văn thư",
    Role.VIEWER: "Chỉ xem",
}


class Permission(StrEnum):
    EDIT_REGISTER = "edit_register"  # subjects and their history, Excel import
    EDIT_SETUP = "edit_setup"        # commune setup
    RUN_EMULATION = "run_emulation"  # movements, registrations, review, council, nominations
    APPROVE = "approve"              # approve and sign decisions
    NUMBER_DOCUMENTS = "number_documents"
    BACKUP = "backup"                # make a backup now
    RESTORE = "restore"              # replace the database with a backup
    MANAGE_USERS = "manage_users"    # create users, reset passwords, set roles


PERMISSION_LABELS = {
    Permission.EDIT_REGISTER: "sửa sổ theo dõi đối tượng",
    Permission.EDIT_SETUP: "sửa thiết lập xã",
    Permission.RUN_EMULATION: "quản lý phong trào, bình xét, đề nghị khen thưởng",
    Permission.APPROVE: "phê duyệt, ký",
    Permission.NUMBER_DOCUMENTS: "cấp số văn bản",
    Permission.BACKUP: "sao lưu dữ liệu",
    Permission.RESTORE: "khôi phục dữ liệu từ bản sao lưu",
    Permission.MANAGE_USERS: "quản lý tài khoản",
}

_ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # In most communes one officer also keeps the TĐKT documents' register, so the officer
    # numbers and records the chairman's signed decisions as the clerk can.
    Role.OFFICER: frozenset({Permission.EDIT_REGISTER, Permission.EDIT_SETUP, Permission.RUN_EMULATION,
                             Permission.NUMBER_DOCUMENTS, Permission.BACKUP}),
    Role.APPROVER: frozenset({Permission.APPROVE, Permission.BACKUP}),
    Role.CLERK: frozenset({Permission.NUMBER_DOCUMENTS, Permission.BACKUP}),
    Role.VIEWER: frozenset(),
}
# An administrator (quản trị) additionally manages accounts and restores backups.
_ADMIN_PERMISSIONS = frozenset({Permission.MANAGE_USERS, Permission.RESTORE, Permission.BACKUP})


@dataclass(frozen=True)
class Actor:
    """The signed-in user on whose behalf a service acts."""

    user_id: int | None  # None only for the built-in system actor (migrations, self-test)
    username: str
    full_name: str
    role: Role
    is_admin: bool = False
    # Set after an administrator's reset: the GUI asks for a new password before anything else.
    must_change_password: bool = False

    @property
    def permissions(self) -> frozenset[Permission]:
        granted = _ROLE_PERMISSIONS[self.role]
        return granted | _ADMIN_PERMISSIONS if self.is_admin else granted

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions


def require(actor: Actor, permission: Permission) -> None:
    """Raise `PermissionDeniedError` unless `actor` holds `permission`."""
    if not actor.can(permission):
        raise PermissionDeniedError(
            f"Tài khoản «{actor.username}» ({ROLE_LABELS[actor.role]}) không có quyền "
            f"{PERMISSION_LABELS[permission]}."
        )


SYSTEM_ACTOR = Actor(user_id=None, username="hệ thống", full_name="Hệ thống", role=Role.OFFICER,
                     is_admin=True)
