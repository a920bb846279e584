"""The certificate book (sổ Giấy khen) inside a print transaction: which items may print, the
numbers they take, and their entries, print log rows and audit entries.

`app/certificates.py` calls these inside the one transaction that also draws the PDF, so a
failure anywhere leaves no number and no log. Numbers are the next after the book year's
highest; the transaction holds SQLite's write lock before that highest number is read, so
another program writing to the same file (the command line while the window prints) waits
instead of reading the same number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit import AuditEvent, AuditTrail
from app.certificate_wording import CertificateItem, CertificateSource
from app.documents.model import DocumentError
from app.roles import Actor
from db.models import Certificate, CertificatePrint, new_uuid

MODES = {"full": "In đủ mẫu trên giấy trắng", "blank": "In chữ lên phôi in sẵn"}
TAKEN_ELSEWHERE = "Sổ Giấy khen vừa được ghi ở nơi khác; hãy in lại."

# A write that changes nothing, to a row the transaction's audit entry moves anyway: it takes
# SQLite's write lock (the driver opens the transaction before its first write) before the
# book is read, as AuditTrail.record_many does when it moves `audit_head` first.
_TAKE_WRITE_LOCK = "UPDATE audit_head SET last_id = last_id WHERE id = 1"


def take_write_lock(session: Session) -> None:
    """Make the caller's transaction the only writer from here to its commit."""
    session.connection().exec_driver_sql(_TAKE_WRITE_LOCK)


def chosen(source: CertificateSource, item_ids: Sequence[int]) -> list[CertificateItem]:
    """The chosen items in the decision's order; refuses others, revoked ones and none."""
    wanted = set(item_ids)
    if not wanted:
        raise DocumentError("Hãy chọn ít nhất một Giấy khen để in.")
    items = [item for item in source.items if item.id in wanted]
    if len(items) < len(wanted):
        raise DocumentError(f"Có dòng được chọn không phải Giấy khen của quyết định số "
                            f"{source.number}; hãy tải lại danh sách rồi chọn lại.")
    for item in items:
        if item.revoked_on is not None:
            raise DocumentError(f"Giấy khen của «{item.subject_name}» đã bị thu hồi ngày "
                                f"{item.revoked_on:%d/%m/%Y} nên không in được; hãy bỏ chọn dòng này.")
    return items


def printable(source: CertificateSource) -> list[int]:
    """Every item not revoked (what the command line prints); a message naming the decision
    when there is none, since nothing can be chosen there."""
    ids = [item.id for item in source.items if item.revoked_on is None]
    if not ids:
        raise DocumentError(f"Quyết định số {source.number} không có Giấy khen nào để in "
                            "(hoặc đều đã bị thu hồi).")
    return ids


def check_reason(items: Sequence[CertificateItem], reason: str) -> None:
    """A reprint needs a reason: names the first certificates printed before."""
    printed = [item for item in items if item.prints]
    if printed and not reason:
        names = ", ".join(f"«{item.subject_name}» (số vào sổ {item.book_number}/{item.book_year})"
                          for item in printed[:3])
        more = f" và {len(printed) - 3} Giấy khen khác" if len(printed) > 3 else ""
        raise DocumentError(f"Giấy khen của {names}{more} đã in trước đây. Hãy ghi lý do in lại "
                            "(ví dụ: in hỏng, làm mất, sai thông tin) rồi in lại.")


def numbers(session: Session, source: CertificateSource, items: Sequence[CertificateItem]) -> dict[int, int]:
    """Each item's book number: its own, or the next ones after the year's highest."""
    highest = session.scalar(select(func.max(Certificate.book_number))
                             .where(Certificate.book_year == source.decided_on.year)) or 0
    result = {}
    for item in items:
        if item.book_number is not None:
            result[item.id] = item.book_number
        else:
            highest += 1
            result[item.id] = highest
    return result


def printed_count(session: Session, item_ids: Sequence[int]) -> int:
    return session.scalar(
        select(func.count(CertificatePrint.id))
        .join(Certificate, Certificate.id == CertificatePrint.certificate_id)
        .where(Certificate.decision_item_id.in_(list(item_ids)))) or 0


def enter(session: Session, audit: AuditTrail, actor: Actor, now: datetime, source: CertificateSource,
          items: Sequence[CertificateItem], book_numbers: Mapping[int, int], mode: str, printer: str,
          reason: str) -> None:
    """Book entries for the new certificates, a log row and an audit entry for each."""
    where = f"máy in «{printer}»" if printer else "tệp PDF"
    entered = {c.decision_item_id: c for c in session.scalars(select(Certificate).where(
        Certificate.decision_item_id.in_([item.id for item in items])))}
    events = []
    for item in items:
        certificate = entered.get(item.id)
        if certificate is None:
            certificate = Certificate(uuid=new_uuid(), decision_item_id=item.id,
                                      book_year=source.decided_on.year, book_number=book_numbers[item.id],
                                      created_at=now)
            session.add(certificate)
            session.flush()
        again = item.prints > 0
        session.add(CertificatePrint(uuid=new_uuid(), certificate_id=certificate.id, mode=mode,
                                     printer=printer, reason=reason if again else "", printed_at=now,
                                     printed_by=actor.user_id))
        events.append(AuditEvent(
            "print", "certificate", certificate.uuid,
            f"{'In lại' if again else 'In'} Giấy khen số vào sổ {certificate.book_number}/"
            f"{certificate.book_year} cho «{item.subject_name}» (quyết định số {source.number}, "
            f"{MODES[mode].lower()}, {where})"[:300],
            new={"book_year": certificate.book_year, "book_number": certificate.book_number,
                 "decision_item_id": item.id, "mode": mode, "printer": printer},
            reason=reason if again else None))
    session.flush()
    audit.record_many(session, actor, events)
