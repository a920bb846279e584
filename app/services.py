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
from app.annual_review import ReviewService
from app.audit import AuditTrail, Clock, utc_now
from app.certificates import CertificateService
from app.commune import CommuneService
from app.council import CouncilService
from app.decisions import DecisionService
from app.document_register import DocumentRegister
from app.document_texts import DocumentTexts
from app.eligibility_service import EligibilityService
from app.history import HistoryService
from app.movements import MovementService
from app.nomination_checks import NominationChecks
from app.nominations import NominationService
from app.package.context import PackageContext
from app.package.service import PackageService
from app.printing import PrintService
from app.registrations import RegistrationService
from app.roles import Actor
from app.rule_setting_service import RuleSettingService
from app.statistics import StatisticsService
from app.yearly_report import ReportService
from app.subjects import SubjectService
from app.work_calendar_service import WorkCalendarService
from app.year_overview import YearOverviewService


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
    movements: MovementService
    registrations: RegistrationService
    work_calendar: WorkCalendarService
    register: DocumentRegister
    decisions: DecisionService
    review: ReviewService
    nominations: NominationService
    year_overview: YearOverviewService
    council: CouncilService
    printing: PrintService
    certificates: CertificateService
    packages: PackageService
    statistics: StatisticsService
    reports: ReportService

    @classmethod
    def create(cls, sessions: sessionmaker[Session], actor: Actor, clock: Clock = utc_now) -> Services:
        audit = AuditTrail(sessions, clock)
        rule_settings = RuleSettingService(sessions, actor, audit)
        commune = CommuneService(sessions, actor, audit)
        history = HistoryService(sessions, actor, audit)
        register = DocumentRegister(sessions, actor, audit, clock)
        registrations = RegistrationService(sessions, actor, audit, clock)
        eligibility = EligibilityService(sessions, actor, audit, rule_settings, clock)
        work_calendar = WorkCalendarService(sessions, actor, audit, clock)
        checks = NominationChecks(rule_settings, eligibility, work_calendar.calendar)
        texts = DocumentTexts(sessions, actor, audit, clock)
        printing = PrintService(sessions, texts, commune, clock)
        statistics = StatisticsService(sessions)
        nominations = NominationService(sessions, actor, audit, rule_settings, eligibility, history,
                                        work_calendar.calendar, clock)
        return cls(
            sessions=sessions,
            actor=actor,
            audit=audit,
            accounts=Accounts(sessions, audit, clock),
            users=UserService(sessions, actor, audit, clock),
            commune=commune,
            subjects=SubjectService(sessions, actor, audit),
            history=history,
            rule_settings=rule_settings,
            eligibility=eligibility,
            movements=MovementService(sessions, actor, audit, clock),
            registrations=registrations,
            work_calendar=work_calendar,
            register=register,
            decisions=DecisionService(sessions, actor, audit, register, commune, history, rule_settings,
                                      clock, checks),
            review=ReviewService(sessions, actor, audit, history, rule_settings, registrations, eligibility,
                                 clock),
            nominations=nominations,
            year_overview=YearOverviewService(sessions),
            council=CouncilService(sessions, actor, audit, rule_settings, clock, checks),
            printing=printing,
            certificates=CertificateService(sessions, actor, audit, texts, commune, clock,
                                            font_source=printing.font),
            packages=PackageService(PackageContext(sessions, actor, audit, commune, printing, nominations,
                                                   history, clock)),
            statistics=statistics,
            reports=ReportService(sessions, actor, audit, statistics, printing, commune, clock),
        )
