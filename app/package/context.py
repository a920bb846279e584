"""What the package modules share: the database, the acting user and the services they reuse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from app.audit import AuditTrail, Clock
from app.commune import CommuneService
from app.history import HistoryService
from app.nominations import NominationService
from app.printing import PrintService
from app.roles import Actor

Report = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class PackageContext:
    sessions: sessionmaker[Session]
    actor: Actor
    audit: AuditTrail
    commune: CommuneService
    printing: PrintService
    nominations: NominationService
    history: HistoryService
    clock: Clock

    def now(self) -> datetime:
        return self.clock()


def never_cancelled() -> bool:
    return False


def no_report(_done: int, _total: int) -> None:
    pass
