"""The demo accounts: one per role, all with DEMO_PASSWORD, documented in README.md
(«Tài khoản mẫu»).

| user name | role | administrator |
| --- | --- | --- |
| canbo   | Cán bộ TĐKT (officer)             | yes |
| chutich | Chủ tịch / Phó Chủ tịch (approver) | no  |
| vanthu  | Văn thư (clerk)                   | no  |
| xem     | Chỉ xem (viewer)                  | no  |

They are only made in a database with no account and no subject, so a real register never
gets accounts with a published password.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.accounts import Accounts, UserService
from app.audit import AuditTrail
from app.errors import DemoRefusedError
from app.roles import Actor, Role
from db.models import Subject

DEMO_PASSWORD = "tdkt-mau-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role


DEMO_ADMIN = DemoAccount("canbo", "Nguyễn Thị Mai (cán bộ TĐKT, mẫu)", Role.OFFICER)
DEMO_ACCOUNTS = (
    DEMO_ADMIN,
    DemoAccount("chutich", "Trần Văn Hùng (chủ tịch UBND, mẫu)", Role.APPROVER),
    DemoAccount("vanthu", "Lê Thị Hoa (văn thư, mẫu)", Role.CLERK),
    DemoAccount("xem", "Phạm Văn Minh (chỉ xem, mẫu)", Role.VIEWER),
)


def create_demo_accounts(sessions: sessionmaker[Session], audit: AuditTrail) -> Actor:
    """Make the demo accounts in an empty database; returns the officer (an administrator),
    who then builds the demo commune."""
    with sessions() as session:
        if session.scalar(select(func.count(Subject.id))):
            raise DemoRefusedError(
                "Sổ theo dõi đã có dữ liệu; tài khoản mẫu chỉ được tạo trên một cơ sở dữ liệu trống.")
    accounts = Accounts(sessions, audit)
    officer = accounts.create_first_admin(DEMO_ADMIN.username, DEMO_ADMIN.full_name, DEMO_PASSWORD,
                                          DEMO_ADMIN.role)
    users = UserService(sessions, officer, audit)
    for account in DEMO_ACCOUNTS[1:]:
        users.create(account.username, account.full_name, account.role, DEMO_PASSWORD,
                     must_change_password=False)
    return officer
