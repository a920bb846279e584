"""The document register (sổ đăng ký văn bản): each issuer's documents numbered per year.

NĐ 30/2020/NĐ-CP Điều 15: a document's number is its serial within the calendar year,
from 01 on 1 January to 31 December; all document types of one issuer (UBND, HĐTĐKT…)
share one sequence. A number is taken once: a number already used by the issuer in that
year is refused, whether it comes from the sequence or was already written on paper. Numbers
follow the dates: a new number is not dated before the issuer's latest entry of the year, and
a number written on paper sits in date order between its neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app import document_style
from app.audit import AuditTrail, Clock, utc_now
from app.errors import ValidationError
from app.roles import Actor, Permission, require
from app.vietnamese import clean
from db.models import RegisterEntry, new_uuid

# Document types kept in the register (NĐ30 Phụ lục III), in the order offered to the officer.
DOC_TYPES = {
    "QĐ": "Quyết định",
    "TTr": "Tờ trình",
    "BB": "Biên bản",
    "BC": "Báo cáo",
    "KH": "Kế hoạch",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "GM": "Giấy mời",
}
MAX_ABSTRACT = 500
MAX_SIGNER = 100


@dataclass(frozen=True)
class RegisterRow:
    id: int
    uuid: str
    issuer: str
    year: int
    number: int
    doc_type: str
    issued_on: date
    abstract: str
    signer: str

    @property
    def number_text(self) -> str:
        return format_number(self)

    @property
    def doc_type_label(self) -> str:
        return DOC_TYPES.get(self.doc_type, self.doc_type)

    @classmethod
    def of(cls, entry: RegisterEntry) -> RegisterRow:
        return cls(entry.id, entry.uuid, entry.issuer, entry.year, entry.number, entry.doc_type,
                   entry.issued_on, entry.abstract, entry.signer)


def format_number(entry: RegisterEntry | RegisterRow) -> str:
    """'05/QĐ-UBND': the number with a leading 0 under 10, the type and the issuer (NĐ30)."""
    return number_text(entry.number, entry.doc_type, entry.issuer)


def number_text(number: int, doc_type: str, issuer: str) -> str:
    return document_style.format_number(number, doc_type, issuer).removeprefix("Số: ")


class DocumentRegister:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._clock = clock

    def next_number(self, issuer: str, year: int) -> int:
        """The number the issuer's next document of `year` takes (1 in a new year)."""
        with self._sessions() as session:
            return next_number_in(session, document_style.normalize_symbol(issuer), year)

    def is_used(self, issuer: str, year: int, number: int) -> bool:
        with self._sessions() as session:
            return _used(session, document_style.normalize_symbol(issuer), year, number)

    def take_in(self, session: Session, actor: Actor, *, issuer: str, doc_type: str, issued_on: date,
                abstract: str, signer: str, number: int | None = None) -> RegisterEntry:
        """Enter a document in the register inside the caller's transaction, with its audit
        entry. `number` None takes the next one; a given number (already written on paper)
        must not be used yet by the issuer that year. ValidationError otherwise."""
        require(actor, Permission.NUMBER_DOCUMENTS)
        issuer = document_style.normalize_symbol(issuer)
        if not document_style.is_valid_symbol(issuer):
            raise ValidationError(
                f"Ký hiệu cơ quan ban hành “{issuer}” không đúng: {document_style.SYMBOL_RULE}.", "issuer")
        if doc_type not in DOC_TYPES:
            raise ValidationError(f"Không có loại văn bản “{doc_type}” trong sổ.", "doc_type")
        abstract, signer = clean(abstract), clean(signer)
        if not abstract:
            raise ValidationError("Hãy nhập trích yếu nội dung văn bản.", "abstract")
        if len(abstract) > MAX_ABSTRACT:
            raise ValidationError(f"Trích yếu dài quá {MAX_ABSTRACT} ký tự.", "abstract")
        if len(signer) > MAX_SIGNER:
            raise ValidationError(f"Tên người ký dài quá {MAX_SIGNER} ký tự.", "signer")
        year = issued_on.year
        if number is None:
            latest = session.scalars(select(RegisterEntry).filter_by(issuer=issuer, year=year).order_by(
                RegisterEntry.issued_on.desc(), RegisterEntry.number.desc()).limit(1)).first()
            if latest is not None and issued_on < latest.issued_on:
                raise ValidationError(
                    f"Ngày văn bản {issued_on:%d/%m/%Y} trước ngày của văn bản đã vào sổ gần nhất: "
                    f"{_entry_text(latest)}. Số văn bản cấp theo thứ tự thời gian, nên văn bản mới "
                    "không mang ngày sớm hơn; hãy kiểm tra lại ngày (văn bản đã ký trên giấy từ trước "
                    "thì ghi đúng số đã cấp).", "issued_on")
            number = next_number_in(session, issuer, year)
        elif number < 1:
            raise ValidationError("Số văn bản bắt đầu từ 01.", "number")
        elif _used(session, issuer, year, number):
            used = session.scalars(select(RegisterEntry).filter_by(
                issuer=issuer, year=year, number=number)).one()
            raise ValidationError(
                f"Số {format_number(used)} năm {year} đã được cấp cho văn bản ngày "
                f"{used.issued_on:%d/%m/%Y} «{used.abstract}»; mỗi số chỉ cấp một lần "
                f"(số tiếp theo còn trống: {next_number_in(session, issuer, year):02d}).", "number")
        else:
            _check_order(session, issuer, year, number, issued_on)
        entry = RegisterEntry(
            uuid=new_uuid(), issuer=issuer, year=year, number=number, doc_type=doc_type,
            issued_on=issued_on, abstract=abstract, signer=signer,
            created_at=self._clock().astimezone(UTC).replace(tzinfo=None), created_by=actor.user_id)
        session.add(entry)
        session.flush()
        self._audit.record(
            session, actor, "create", "register_entry", entry.uuid,
            f"Vào sổ văn bản số {format_number(entry)} ngày {issued_on:%d/%m/%Y}: {abstract}"[:300],
            new={"issuer": issuer, "year": year, "number": number, "doc_type": doc_type,
                 "issued_on": issued_on.isoformat(), "abstract": abstract, "signer": signer})
        return entry

    def register(self, *, issuer: str, doc_type: str, issued_on: date, abstract: str, signer: str,
                 number: int | None = None) -> RegisterRow:
        """Enter a document other than a decision (tờ trình, kế hoạch…) in its own transaction."""
        require(self._actor, Permission.NUMBER_DOCUMENTS)
        with self._sessions.begin() as session:
            entry = self.take_in(session, self._actor, issuer=issuer, doc_type=doc_type,
                                 issued_on=issued_on, abstract=abstract, signer=signer, number=number)
            return RegisterRow.of(entry)

    def rows(self, year: int, issuer: str | None = None) -> list[RegisterRow]:
        """The register of `year` (one issuer or all), by issuer and number."""
        query = select(RegisterEntry).where(RegisterEntry.year == year)
        if issuer is not None:
            query = query.where(RegisterEntry.issuer == document_style.normalize_symbol(issuer))
        with self._sessions() as session:
            return [RegisterRow.of(e) for e in session.scalars(
                query.order_by(RegisterEntry.issuer, RegisterEntry.number))]


def next_number_in(session: Session, issuer: str, year: int) -> int:
    highest = session.scalar(select(func.max(RegisterEntry.number)).where(
        RegisterEntry.issuer == issuer, RegisterEntry.year == year))
    return (highest or 0) + 1


def _check_order(session: Session, issuer: str, year: int, number: int, issued_on: date) -> None:
    """A number given from paper must sit in date order between its neighbours in the register:
    no smaller number dated after it, no larger number dated before it."""
    same = (RegisterEntry.issuer == issuer, RegisterEntry.year == year)
    before = session.scalars(select(RegisterEntry).where(*same, RegisterEntry.number < number)
                             .order_by(RegisterEntry.number.desc()).limit(1)).first()
    after = session.scalars(select(RegisterEntry).where(*same, RegisterEntry.number > number)
                            .order_by(RegisterEntry.number).limit(1)).first()
    if before is not None and before.issued_on > issued_on:
        raise ValidationError(
            f"Số {number:02d} ngày {issued_on:%d/%m/%Y} không đúng thứ tự thời gian: số nhỏ hơn là "
            f"{_entry_text(before)}, ngày sau đó. Hãy kiểm tra lại số và ngày trên văn bản.", "issued_on")
    if after is not None and after.issued_on < issued_on:
        raise ValidationError(
            f"Số {number:02d} ngày {issued_on:%d/%m/%Y} không đúng thứ tự thời gian: số lớn hơn là "
            f"{_entry_text(after)}, ngày trước đó. Hãy kiểm tra lại số và ngày trên văn bản.", "issued_on")


def _entry_text(entry: RegisterEntry) -> str:
    return f"văn bản số {format_number(entry)} ngày {entry.issued_on:%d/%m/%Y} «{entry.abstract}»"


def _used(session: Session, issuer: str, year: int, number: int) -> bool:
    return session.scalar(select(RegisterEntry.id).where(
        RegisterEntry.issuer == issuer, RegisterEntry.year == year,
        RegisterEntry.number == number)) is not None
