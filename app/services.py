"""The services one database offers, built once and handed to the GUI or a command."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app.commune import CommuneService
from app.history import HistoryService
from app.subjects import SubjectService


@dataclass(frozen=True)
class Services:
    sessions: sessionmaker[Session]
    commune: CommuneService
    subjects: SubjectService
    history: HistoryService

    @classmethod
    def create(cls, sessions: sessionmaker[Session]) -> Services:
        return cls(
            sessions=sessions,
            commune=CommuneService(sessions),
            subjects=SubjectService(sessions),
            history=HistoryService(sessions),
        )
