"""The services one database offers to one signed-in user, built once and handed to the GUI
or a command.

Every service is bound to the acting user: methods that change data check the user's
permission first and write their audit entry in the same transaction as the change.
Sign in with `Accounts` (no user needed) to get the `Actor`:

    accounts = Accounts(sessions, AuditTrail(sessions))
    actor = accounts.sign_in(username, password)
    services = Services.create(sessions, actor)
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app.accounts import Accounts, UserService
from app.audit import AuditTrail, Clock, utc_now
from app.commune import CommuneService
from app.eligibility_service import EligibilityService
from app.history import HistoryService
from app.roles import Actor
from app.rule_setting_service import RuleSettingService
from app.subjects import SubjectService


@dataclass(frozen=True)
class Services:
    sessions: sessionmaker[Session]
    actor: Actor
    audit: AuditTrail
    accounts: Accounts
    users: UserService
    commune: CommuneService
    subjects: SubjectService
    history: HistoryService
    rule_settings: RuleSettingService
    eligibility: EligibilityService

    @classmethod
    def create(cls, sessions: sessionmaker[Session], actor: Actor, clock: Clock = utc_now) -> Services:
        audit = AuditTrail(sessions, clock)
        rule_settings = RuleSettingService(sessions, actor, audit)
        return cls(
            sessions=sessions,
            actor=actor,
            audit=audit,
            accounts=Accounts(sessions, audit, clock),
            users=UserService(sessions, actor, audit, clock),
            commune=CommuneService(sessions, actor, audit),
            subjects=SubjectService(sessions, actor, audit),
            history=HistoryService(sessions, actor, audit),
            rule_settings=rule_settings,
            eligibility=EligibilityService(sessions, actor, audit, rule_settings, clock),
        )
