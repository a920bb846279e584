"""The officer's edits to printed documents, kept with the nomination, session or decision.

Only the fields that differ from the prefilled text are stored, so a document whose data
changes later (a corrected name, a new decision number) still prints the new data wherever
the officer did not write over it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import AuditTrail, Clock, utc_now
from app.documents.kinds import KIND_LABELS, FieldValue, Kind, Owner, TextField
from app.documents.model import DocumentError
from app.local_time import stored_now
from app.roles import Actor, Permission, require
from db.models import DocumentText

_OWNER_COLUMNS = {"nomination": "nomination_id", "session": "session_id", "decision": "decision_id"}


class DocumentTexts:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._clock = clock

    def get(self, kind: Kind, owner: Owner) -> dict[str, str]:
        """The stored edits ({} when the document prints as prefilled)."""
        with self._sessions() as session:
            row = _find(session, kind, owner)
            return dict(json.loads(row.fields)) if row else {}

    def save(self, kind: Kind, owner: Owner, edits: Mapping[str, str],
             labels: Mapping[str, str]) -> None:
        """Replace the stored edits with `edits` (empty forgets them), with an audit entry
        naming the fields that changed (`labels` gives their names in words)."""
        require(self._actor, Permission.RUN_EMULATION)
        with self._sessions.begin() as session:
            row = _find(session, kind, owner)
            old = dict(json.loads(row.fields)) if row else {}
            new = dict(edits)
            if old == new:
                return
            changed = sorted({key for key in old.keys() | new.keys() if old.get(key) != new.get(key)})
            if not new:
                assert row is not None
                session.delete(row)
            else:
                if row is None:
                    row = DocumentText(kind=str(kind), **{_OWNER_COLUMNS[owner.type]: owner.id})
                    session.add(row)
                row.fields = json.dumps(new, ensure_ascii=False, sort_keys=True)
                row.updated_at = stored_now(self._clock)
                row.updated_by = self._actor.user_id
                session.flush()
            names = ", ".join(labels.get(key, key) for key in changed)
            summary = (f"Sửa nội dung {KIND_LABELS[kind].lower()} ({owner}): {names}" if new
                       else f"Trả {KIND_LABELS[kind].lower()} ({owner}) về nội dung soạn sẵn")
            self._audit.record(session, self._actor, "update" if new else "delete", "document_text",
                               row.uuid, summary[:300], old=old or None, new=new or None)

    def save_changed(self, kind: Kind, owner: Owner, fields: Sequence[TextField],
                     values: Mapping[str, str], document: str) -> None:
        """Keep the officer's `values` for the document's `fields`, storing only those that
        differ from the prefilled text; a key that is not a field is refused (`document` names
        the paper in that message: "Văn bản", "Giấy khen")."""
        by_key = {field.key: field for field in fields}
        unknown = set(values) - set(by_key)
        if unknown:
            raise DocumentError(f"{document} không có mục {', '.join(sorted(unknown))}.")
        edits = {key: text for key, text in values.items() if text != by_key[key].default}
        self.save(kind, owner, edits, {key: field.label for key, field in by_key.items()})

    def reset(self, kind: Kind, owner: Owner) -> None:
        """Forget every edit of the document."""
        self.save(kind, owner, {}, {})


def with_edits(fields: Sequence[TextField], saved: Mapping[str, str]) -> list[FieldValue]:
    """Each field with what will print: the saved edit, or the prefilled text."""
    return [FieldValue(field, saved.get(field.key, field.default)) for field in fields]


def _find(session: Session, kind: Kind, owner: Owner) -> DocumentText | None:
    column = getattr(DocumentText, _OWNER_COLUMNS[owner.type])
    return session.scalars(select(DocumentText).where(
        DocumentText.kind == str(kind), column == owner.id)).one_or_none()
