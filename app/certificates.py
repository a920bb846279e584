"""Giấy khen of the commune chairman's decisions: the certificate book (sổ Giấy khen) and its
numbers, the print and reprint log, and each printer's offsets for pre-printed blanks.

Only the Giấy khen items of a decision get a certificate here: «Lao động tiên tiến» has no
certificate form (Bộ Nội vụ's answer of 14/11/2023), and the other titles carry their own
papers (giấy chứng nhận, giấy công nhận), not a Giấy khen.

Rules callers rely on:
- the first printing of a certificate (on paper or to a file, in either mode) enters it in the
  book of the decision date's year with the next number after that year's highest; reprints
  keep the number;
- every printing logs one `CertificatePrint` per certificate; a reprint needs a reason;
- numbers, log rows and audit entries are written in one transaction that also draws the PDF
  (and writes the file), so a failure anywhere leaves no number and no log (the book's part is
  in `app/certificate_book.py`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app import catalogue
from app import certificate_book as book
from app import certificate_wording as wording
from app.audit import AuditTrail, Clock, utc_now
from app.certificate_book import MODES
from app.certificate_wording import CertificateItem, CertificateSource
from app.commune import CommuneService, CommuneSetup
from app.document_texts import DocumentTexts, with_edits
from app.documents.certificate_layouts import BLANK_LAYOUTS, CALIBRATION_POINT, CertificateFace
from app.documents.kinds import FieldValue, Kind, Owner
from app.documents.model import DocumentError
from app.errors import NotFoundError, SetupRequiredError, ValidationError
from app.fonts import PrintFont
from app.local_time import VIETNAM_TIME, stored_now
from app.roles import Actor, Permission, require
from app.safe_files import atomic_path
from app.vietnamese import clean
from db.models import (Certificate, CertificatePrint, Decision, DecisionItem, Movement, Nomination,
                       PrinterCalibration, Subject, User)

Report = Callable[[int, int], None]
FontSource = Callable[[], PrintFont]

BLANK_TYPES: dict[str, str] = {code: layout.label for code, layout in BLANK_LAYOUTS.items()}
DEFAULT_BLANK = "gk-a4-ngang"
CERTIFICATE_AWARDS = frozenset({"GK_XA"})
MAX_OFFSET_MM = 30.0


@dataclass(frozen=True)
class CertificateRow:
    item_id: int
    subject_name: str
    award_label: str
    book_year: int | None
    book_number: int | None  # None until first printed
    prints: int
    revoked: bool


@dataclass(frozen=True)
class PrintLogRow:
    book_year: int
    book_number: int
    subject_name: str
    award_label: str
    decision_number: str
    mode: str  # full / blank
    printer: str  # "" when written to a file
    reason: str  # "" for a first printing
    printed_at: datetime  # aware, in Việt Nam's time
    printed_by: str


class CertificateService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 texts: DocumentTexts, commune: CommuneService, clock: Clock = utc_now, *,
                 font_source: FontSource) -> None:
        """`font_source` is the print service's `font` (resolved once, under its lock)."""
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._texts = texts
        self._commune = commune
        self._clock = clock
        self._font_source = font_source

    # --- reading -------------------------------------------------------------------------

    def rows(self, decision_id: int) -> list[CertificateRow]:
        """The decision's Giấy khen with their book numbers and how often each was printed."""
        with self._sessions() as session:
            return [CertificateRow(i.id, i.subject_name, catalogue.award_label(i.award_code),
                                   i.book_year, i.book_number, i.prints, i.revoked_on is not None)
                    for i in self._load(session, decision_id).items]

    def needs_reason(self, item_ids: Sequence[int]) -> bool:
        """Whether any of the items was printed before (a reprint needs a reason)."""
        with self._sessions() as session:
            return book.printed_count(session, item_ids) > 0

    def log(self, year: int) -> list[PrintLogRow]:
        """Every printing of the certificates in `year`'s book, in the order they were printed."""
        with self._sessions() as session:
            rows = session.execute(
                select(CertificatePrint, Certificate, Subject.name, DecisionItem.award_code,
                       Decision.number, User.full_name)
                .join(Certificate, Certificate.id == CertificatePrint.certificate_id)
                .join(DecisionItem, DecisionItem.id == Certificate.decision_item_id)
                .join(Decision, Decision.id == DecisionItem.decision_id)
                .join(Subject, Subject.id == DecisionItem.subject_id)
                .outerjoin(User, User.id == CertificatePrint.printed_by)
                .where(Certificate.book_year == year)
                .order_by(CertificatePrint.printed_at, CertificatePrint.id)).all()
        return [PrintLogRow(c.book_year, c.book_number, name, catalogue.award_label(award), number,
                            p.mode, p.printer, p.reason,
                            p.printed_at.replace(tzinfo=UTC).astimezone(VIETNAM_TIME), by or "")
                for p, c, name, award, number, by in rows]

    def printable(self, decision_id: int) -> list[int]:
        """The decision's items that are not revoked; DocumentError naming the decision when
        none is left (the command line prints them all)."""
        with self._sessions() as session:
            return book.printable(self._load(session, decision_id))

    # --- the certificate's wording ---------------------------------------------------------

    def fields(self, decision_id: int) -> list[FieldValue]:
        """The editable wording of the decision's certificates with what will print."""
        saved = self._texts.get(Kind.CERTIFICATE, _owner(decision_id))
        with self._sessions() as session:
            return with_edits(wording.fields(self._load(session, decision_id), self._setup()), saved)

    def save_texts(self, decision_id: int, values: Mapping[str, str]) -> None:
        """Keep the officer's edits (only those that differ from the prefilled wording)."""
        fields = [value.field for value in self.fields(decision_id)]
        self._texts.save_changed(Kind.CERTIFICATE, _owner(decision_id), fields, values, "Giấy khen")

    def reset_texts(self, decision_id: int) -> None:
        self._texts.reset(Kind.CERTIFICATE, _owner(decision_id))

    # --- printing ------------------------------------------------------------------------

    def preview(self, decision_id: int, item_ids: Sequence[int], mode: str, printer: str = "",
                blank_type: str = DEFAULT_BLANK) -> bytes:
        """The PDF as it would print, with the book numbers unnumbered items would get;
        nothing is recorded."""
        _check_choice(mode, blank_type)
        setup, saved = self._setup(), self._texts.get(Kind.CERTIFICATE, _owner(decision_id))
        with self._sessions() as session:
            source = self._load(session, decision_id)
            chosen = book.chosen(source, item_ids)
            numbers = book.numbers(session, source, chosen)
            faces = wording.faces(source, chosen, numbers, setup, saved)
            offset = _offset(session, clean(printer), blank_type) if mode == "blank" else (0.0, 0.0)
        return self._draw(faces, mode, blank_type, offset, None, source, setup)

    def record_print(self, decision_id: int, item_ids: Sequence[int], mode: str, printer: str,
                     reason: str = "", blank_type: str = DEFAULT_BLANK,
                     report: Report | None = None) -> bytes:
        """Enter the certificates in the book, log the printing and return the PDF to send to
        `printer`, all in one transaction (see the module's rules)."""
        return self._record(decision_id, item_ids, mode, clean(printer)[:200], reason, blank_type,
                            report, None)[0]

    def write(self, decision_id: int, item_ids: Sequence[int], mode: str, path: Path,
              reason: str = "", blank_type: str = DEFAULT_BLANK, report: Report | None = None) -> int:
        """As `record_print`, to a PDF file written through a temporary file; returns pages."""
        def deliver(pdf: bytes) -> None:
            with atomic_path(Path(path), "trình xem PDF") as partial:
                partial.write_bytes(pdf)

        return self._record(decision_id, item_ids, mode, "", reason, blank_type, report, deliver)[1]

    # --- printer calibration ---------------------------------------------------------------

    def offsets(self, printer: str, blank_type: str) -> tuple[float, float]:
        """The saved shift (mm, right and down positive) for this printer and blank; 0 if none."""
        with self._sessions() as session:
            return _offset(session, clean(printer), blank_type)

    def adjusted_offsets(self, printer: str, blank_type: str, measured_x_mm: float,
                         measured_y_mm: float) -> tuple[float, float]:
        """The offsets to save after measuring the calibration page's cross from the left and
        top edges of the sheet (it was drawn with the saved offsets applied)."""
        x, y = self.offsets(printer, blank_type)
        px, py = CALIBRATION_POINT
        return round(x - (measured_x_mm - px), 1), round(y - (measured_y_mm - py), 1)

    def save_offsets(self, printer: str, blank_type: str, x_mm: float, y_mm: float) -> None:
        """Keep the printer's shift for this blank type, with an audit entry."""
        require(self._actor, Permission.NUMBER_DOCUMENTS)
        printer = clean(printer)[:200]
        if not printer:
            raise ValidationError("Hãy chọn máy in cần căn lề.", "printer")
        _check_choice("blank", blank_type)
        for value, label, field in ((x_mm, "ngang", "x_mm"), (y_mm, "dọc", "y_mm")):
            if not math.isfinite(value) or abs(value) > MAX_OFFSET_MM:
                raise ValidationError(
                    f"Độ lệch {label} phải trong khoảng −{MAX_OFFSET_MM:g} mm đến +{MAX_OFFSET_MM:g} mm; "
                    "lệch nhiều hơn thì hãy kiểm tra lại cách đặt giấy vào khay rồi in lại trang căn lề.",
                    field)
        x_mm, y_mm = round(x_mm, 1), round(y_mm, 1)
        with self._sessions.begin() as session:
            row = session.scalars(select(PrinterCalibration).filter_by(
                printer=printer, blank_type=blank_type)).one_or_none()
            old = {"offset_x_mm": row.offset_x_mm, "offset_y_mm": row.offset_y_mm} if row else None
            new = {"offset_x_mm": x_mm, "offset_y_mm": y_mm}
            if old == new:
                return
            if row is None:
                row = PrinterCalibration(printer=printer, blank_type=blank_type)
                session.add(row)
            row.offset_x_mm, row.offset_y_mm = x_mm, y_mm
            row.updated_at = stored_now(self._clock)
            self._audit.record(
                session, self._actor, "update" if old else "create", "printer_calibration", None,
                f"Căn lề máy in «{printer}» cho {BLANK_TYPES[blank_type].lower()}: ngang {x_mm:g} mm, "
                f"dọc {y_mm:g} mm"[:300], old=old, new={"printer": printer, "blank_type": blank_type, **new})

    def calibration_page(self, blank_type: str, printer: str) -> bytes:
        """The grid page to print on plain paper and measure, drawn with the saved offsets."""
        from app.documents.calibration_pdf import calibration_pdf  # ReportLab, only when drawing

        _check_choice("blank", blank_type)
        return calibration_pdf(BLANK_LAYOUTS[blank_type], self._font_source(), clean(printer),
                               self.offsets(printer, blank_type))

    # --- inside -------------------------------------------------------------------------

    def _record(self, decision_id: int, item_ids: Sequence[int], mode: str, printer: str, reason: str,
                blank_type: str, report: Report | None,
                deliver: Callable[[bytes], None] | None) -> tuple[bytes, int]:
        """The PDF and its page count; numbers, log and audit commit only if all went well."""
        require(self._actor, Permission.NUMBER_DOCUMENTS)
        _check_choice(mode, blank_type)
        reason = clean(reason)
        setup, saved = self._setup(), self._texts.get(Kind.CERTIFICATE, _owner(decision_id))
        try:
            with self._sessions.begin() as session:
                book.take_write_lock(session)
                source = self._load(session, decision_id)
                chosen = book.chosen(source, item_ids)
                book.check_reason(chosen, reason)
                numbers = book.numbers(session, source, chosen)
                faces = wording.faces(source, chosen, numbers, setup, saved)
                offset = _offset(session, printer, blank_type) if mode == "blank" else (0.0, 0.0)
                book.enter(session, self._audit, self._actor, stored_now(self._clock), source, chosen,
                           numbers, mode, printer, reason)
                pdf = self._draw(faces, mode, blank_type, offset, report, source, setup)
                if deliver:
                    deliver(pdf)
                return pdf, len(faces)
        except IntegrityError as error:  # another program entered the same certificate or number
            raise DocumentError(book.TAKEN_ELSEWHERE) from error

    def _draw(self, faces: Sequence[CertificateFace], mode: str, blank_type: str,
              offset: tuple[float, float], report: Report | None, source: CertificateSource,
              setup: CommuneSetup) -> bytes:
        from app.documents.certificate_pdf import certificates_pdf  # ReportLab, only when drawing

        return certificates_pdf(faces, self._font_source(), mode, BLANK_LAYOUTS[blank_type], offset,  # type: ignore[arg-type]
                                report, title=f"Giấy khen – Quyết định số {source.number}",
                                author=f"UBND {setup.commune_name}")

    def _setup(self) -> CommuneSetup:
        setup = self._commune.get()
        if setup is None:
            raise SetupRequiredError("Hãy thiết lập xã (tên xã, người ký) trước khi in Giấy khen.")
        return setup

    def _load(self, session: Session, decision_id: int) -> CertificateSource:
        """The issued decision's Giấy khen items with their book entries (DocumentError for a
        decision not issued yet)."""
        decision = session.get(Decision, decision_id)
        if decision is None:
            raise NotFoundError("Không tìm thấy quyết định; có thể đã bị xóa.")
        if decision.state != "issued" or decision.decided_on is None:
            raise DocumentError("Quyết định chưa ban hành nên chưa in Giấy khen được: hãy ban hành "
                                "quyết định (có số và ngày) trước.")
        rows = session.execute(
            select(DecisionItem, Subject).join(Subject, Subject.id == DecisionItem.subject_id)
            .where(DecisionItem.decision_id == decision_id,
                   DecisionItem.award_code.in_(CERTIFICATE_AWARDS))
            .order_by(DecisionItem.award_code, Subject.sort_key, DecisionItem.id)).all()
        ids = [item.id for item, _subject in rows]
        certificates = {c.decision_item_id: c for c in session.scalars(
            select(Certificate).where(Certificate.decision_item_id.in_(ids)))}
        prints = dict(session.execute(
            select(Certificate.decision_item_id, func.count(CertificatePrint.id))
            .join(CertificatePrint, CertificatePrint.certificate_id == Certificate.id)
            .where(Certificate.decision_item_id.in_(ids)).group_by(Certificate.decision_item_id)).all())
        nominations = {n.id: n for n in session.scalars(select(Nomination).where(
            Nomination.id.in_([item.nomination_id for item, _s in rows if item.nomination_id])))}
        setup = self._setup()
        items = []
        for item, subject in rows:
            nomination = nominations.get(item.nomination_id) if item.nomination_id else None
            entry = certificates.get(item.id)
            items.append(CertificateItem(
                item.id, subject.name, wording.printed_name(subject), wording.detail(session, subject, setup),
                item.award_code, item.year, item.basis_kind, nomination.achievement_summary if nomination else "",
                item.revoked_on, entry.book_year if entry else None, entry.book_number if entry else None,
                prints.get(item.id, 0)))
        movement_id = decision.movement_id or next(
            (n.movement_id for n in nominations.values() if n.movement_id), None)
        movement = session.get(Movement, movement_id) if movement_id else None
        return CertificateSource(decision.id, decision.number, decision.decided_on, decision.sign_mode,
                                 decision.signer_title, decision.signer_name,
                                 movement.name if movement else "", tuple(items))


def _owner(decision_id: int) -> Owner:
    return Owner("decision", decision_id)


def _check_choice(mode: str, blank_type: str) -> None:
    if mode not in MODES:
        raise DocumentError(f"Cách in “{mode}” không có; hãy chọn in trên giấy trắng hoặc lên phôi.")
    if blank_type not in BLANK_LAYOUTS:
        raise DocumentError(f"Loại phôi “{blank_type}” không có trong danh sách phôi.")


def _offset(session: Session, printer: str, blank_type: str) -> tuple[float, float]:
    row = session.scalars(select(PrinterCalibration).filter_by(
        printer=printer, blank_type=blank_type)).one_or_none()
    return (row.offset_x_mm, row.offset_y_mm) if row else (0.0, 0.0)
