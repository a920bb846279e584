"""A nomination's dossier (hồ sơ): the parts the latest check names as a completeness
checklist, and the scanned files (PDF/JPG/PNG, at most 20 MB) kept for it inside the data
folder, the database file's folder (app/attachments.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import catalogue
from app.attachments import AttachmentRow, AttachmentStore, Report
from app.eligibility.checker import ROUTES
from app.eligibility.dossier import dossier_parts
from app.eligibility_service import latest_for_nomination_in
from app.errors import NotFoundError, ValidationError
from app.nomination_context import NominationContext, get_nomination
from app.nomination_rows import final_vote_session
from app.nomination_states import FINAL_STATES, STATE_LABELS, State
from app.roles import Permission, require
from db.models import Attachment, Nomination

# The council minutes parts: present once a finalised council session voted on the nomination.
MINUTES_PARTS = frozenset({"bien_ban_binh_xet", "bien_ban_xet"})
OTHER_PART = "Tài liệu khác"


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str
    basis: str
    present: bool
    files: tuple[str, ...]  # the attached files standing for it
    note: str = ""  # e.g. the council session whose minutes count


class NominationDossier:
    def __init__(self, ctx: NominationContext) -> None:
        self._ctx = ctx

    def checklist(self, nomination_id: int) -> list[ChecklistItem]:
        """The dossier parts the latest check names, each present when a file stands for it
        (the council minutes also once a finalised session voted on the nomination)."""
        with self._ctx.sessions() as session:
            nomination = get_nomination(session, nomination_id)
            stored = latest_for_nomination_in(session, nomination.id)
            if stored is None:
                return []
            files: dict[str, list[str]] = {}
            for part, name in session.execute(
                    select(Attachment.dossier_part, Attachment.file_name)
                    .where(Attachment.owner_uuid == nomination.uuid).order_by(Attachment.id)):
                files.setdefault(part, []).append(name)
            council = final_vote_session(session, nomination.id)
            items = []
            for part in stored.outcome.dossier:
                attached = tuple(files.get(part.code, ()))
                note = ""
                if part.code in MINUTES_PARTS and council is not None:
                    note = f"Biên bản phiên họp Hội đồng «{council.title}» ngày {council.held_on:%d/%m/%Y}"
                items.append(ChecklistItem(part.code, part.label, part.basis, bool(attached or note),
                                           attached, note))
            return items

    def dossier_choices(self, nomination_id: int) -> list[tuple[str, str]]:
        """(code, label) of the parts a file may stand for: the latest check's parts, or
        every part the checker knows before the first check; ("", "Tài liệu khác") last."""
        items = self.checklist(nomination_id)
        choices = [(item.code, item.label) for item in items] if items else list(known_parts().items())
        return [*choices, ("", OTHER_PART)]

    def attachments(self, nomination_id: int) -> list[AttachmentRow]:
        with self._ctx.sessions() as session:
            owner = get_nomination(session, nomination_id).uuid
            return [AttachmentRow.of(a) for a in session.scalars(
                select(Attachment).where(Attachment.owner_uuid == owner).order_by(Attachment.added_at,
                                                                                 Attachment.id))]

    def attach(self, nomination_id: int, source: Path, dossier_part: str, data_folder: Path,
               report: Report | None = None) -> AttachmentRow:
        """Copy a scanned PDF/JPG/PNG (at most 20 MB) into the data folder for the nomination,
        as the dossier part `dossier_part` ("" for another document)."""
        require(self._ctx.actor, Permission.RUN_EMULATION)
        if dossier_part and dossier_part not in known_parts():
            raise ValidationError(f"Không có thành phần hồ sơ mã “{dossier_part}”.", "dossier_part")

        def still_open(session: Session) -> None:
            _refuse_final(get_nomination(session, nomination_id), "không đính kèm thêm tệp")

        with self._ctx.sessions() as session:  # refused before copying a large file, and again below
            nomination = get_nomination(session, nomination_id)
            still_open(session)
            owner = nomination.uuid
        return self._store(data_folder).add(owner, source, report or _ignore_progress, dossier_part,
                                            guard=still_open)

    def remove_attachment(self, nomination_id: int, attachment_id: int, reason: str,
                          data_folder: Path) -> AttachmentRow:
        """Remove one of the nomination's files with a reason; not once the nomination is final."""
        require(self._ctx.actor, Permission.RUN_EMULATION)

        def still_open(session: Session) -> None:
            nomination = get_nomination(session, nomination_id)
            attachment = session.get(Attachment, attachment_id)
            if attachment is None or attachment.owner_uuid != nomination.uuid:
                raise NotFoundError("Không tìm thấy tệp đính kèm này của đề nghị; có thể nó đã bị xóa.")
            _refuse_final(nomination, "không xóa tệp")

        return self._store(data_folder).remove(attachment_id, reason, guard=still_open)

    def open_attachment(self, attachment: AttachmentRow, data_folder: Path) -> Path:
        """The stored file's path after verifying its hash (AttachmentChangedError if not)."""
        return self._store(data_folder).open(attachment)

    # --- inside

    def _store(self, data_folder: Path) -> AttachmentStore:
        return AttachmentStore(self._ctx.sessions, self._ctx.actor, self._ctx.audit, data_folder,
                               permission=Permission.RUN_EMULATION)


def _refuse_final(nomination: Nomination, what: str) -> None:
    state = State(nomination.state)
    if state in FINAL_STATES:
        raise ValidationError(f"Đề nghị đã kết thúc (bước «{STATE_LABELS[state]}»); hồ sơ được giữ nguyên, "
                              f"{what}.", "state")


def known_parts() -> dict[str, str]:
    """Every dossier part code the checker can name, with its first label."""
    parts: dict[str, str] = {}
    for code, routes in ROUTES.items():
        for route in routes:
            for kind in catalogue.AWARDS[code].subject_kinds:
                for uses_initiative in (False, True):
                    for part in dossier_parts(code, route, kind, uses_initiative):
                        parts.setdefault(part.code, part.label)
    return parts


def _ignore_progress(_done: int, _total: int) -> None:
    pass
