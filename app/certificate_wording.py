"""What a decision's Giấy khen say: the wording the officer may edit (prefilled from the
decision), and each certificate's face built from it, as plain data.

The reason is one text per decision. `ACHIEVEMENT` in it is replaced by each person's
achievement summary from the nomination, so sudden feats read as what each person did.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.commune import CommuneSetup
from app.decisions import signing_authority
from app.document_style import format_date_line
from app.documents.builder import date_line, day_text, merged, parse_day
from app.documents.certificate_layouts import CertificateFace
from app.documents.kinds import TextField
from app.documents.model import DocumentError, Signature
from app.vietnamese import clean
from db.models import Collective, Household, Individual, Subject, Village

ACHIEVEMENT = "[thành tích]"
@dataclass(frozen=True)
class CertificateItem:
    """A Giấy khen item of a decision: what its certificate prints and its book entry."""

    id: int
    subject_name: str
    printed_name: str  # "Ông Trần Văn Tùng"
    detail: str
    award_code: str
    year: int
    basis_kind: str
    achievement: str  # the nomination's summary, "" when none
    revoked_on: date | None
    book_year: int | None
    book_number: int | None
    prints: int


@dataclass(frozen=True)
class CertificateSource:
    """An issued decision and its Giấy khen items, in the decision's order."""

    decision_id: int
    number: str  # "03/QĐ-UBND"
    decided_on: date
    sign_mode: str  # TM / KT
    signer_title: str
    signer_name: str
    movement: str  # the emulation movement's name, "" when none
    items: tuple[CertificateItem, ...]


def fields(source: CertificateSource, setup: CommuneSetup) -> list[TextField]:
    """The editable wording of the decision's certificates, prefilled."""
    return [
        TextField("issuer", "Dòng người tặng (in trên giấy trắng)",
                  f"CHỦ TỊCH ỦY BAN NHÂN DÂN {setup.issuing_body}", required=True),
        TextField("reason", f"Lý do khen thưởng ({ACHIEVEMENT} được thay bằng tóm tắt thành tích "
                  "của từng người)", default_reason(source), multiline=True, required=True),
        TextField("day", "Ngày ghi trên Giấy khen (để trống để viết tay)", day_text(source.decided_on)),
        TextField("signer_authority", "Thẩm quyền ký (TM., KT.)", signing_authority(source.sign_mode)),
        TextField("signer_title", "Chức vụ người ký", source.signer_title or "CHỦ TỊCH"),
        TextField("signer_name", "Họ và tên người ký", source.signer_name, required=True),
    ]


def default_reason(source: CertificateSource) -> str:
    """'Đã có thành tích …' for what most of the decision's Giấy khen were given for."""
    items = source.items
    basis = Counter(i.basis_kind for i in items).most_common(1)[0][0] if items else "other"
    year = Counter(i.year for i in items).most_common(1)[0][0] if items else source.decided_on.year
    movement = source.movement
    if basis == "sudden":
        return f"Đã có thành tích xuất sắc đột xuất năm {year}: {ACHIEVEMENT}."
    if basis == "thematic" and movement:
        if movement.lower().startswith("phong trào"):
            named = movement[:1].lower() + movement[1:]
            return f"Đã có thành tích xuất sắc trong {named}{'' if str(year) in movement else f' năm {year}'}."
        return f"Đã có thành tích xuất sắc trong phong trào thi đua “{movement}” năm {year}."
    if basis == "annual_duty":
        return f"Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {year}."
    if basis == "contribution_period":
        return "Đã có nhiều đóng góp trong quá trình công tác, cống hiến."
    return f"Đã có thành tích xuất sắc năm {year}."


def faces(source: CertificateSource, chosen: Sequence[CertificateItem], numbers: Mapping[int, int],
          setup: CommuneSetup, saved: Mapping[str, str]) -> list[CertificateFace]:
    """The face of each chosen certificate with the saved edits; names a missing field."""
    wording = fields(source, setup)
    texts = merged(wording, saved)
    for field in wording:
        if field.required and not texts[field.key].strip():
            raise DocumentError(f"Chưa có {field.label.lower()} của Giấy khen. Hãy nhập trước khi in.")
    day = parse_day(texts["day"], "Ngày ghi trên Giấy khen")
    place_date = format_date_line(setup.place_name, day) if day else date_line(setup.place_name, None)
    signer = Signature(texts["signer_title"].strip(), texts["signer_name"].strip(),
                       texts["signer_authority"].strip())
    return [CertificateFace(
        subject_name=item.printed_name, detail=item.detail, reason=_reason(texts["reason"].strip(), item),
        issuer=texts["issuer"].strip(), decision_number=source.number, decision_date=source.decided_on,
        book_number=numbers[item.id], place_date=place_date, signer=signer) for item in chosen]


def printed_name(subject: Subject) -> str:
    """'Ông Trần Văn Tùng' / 'Bà …' for a person; other subjects by their name."""
    if isinstance(subject, Individual):
        return f"{'Bà' if subject.gender == 'female' else 'Ông'} {subject.name}"
    return subject.name


def detail(session: Session, subject: Subject, setup: CommuneSetup) -> str:
    """The line under the name: a person's position and unit (else where they live), a
    household's address; nothing for collectives and villages."""
    commune = setup.commune_name[:1].lower() + setup.commune_name[1:]
    if isinstance(subject, Individual):
        unit = session.get(Collective, subject.unit_id) if subject.unit_id else None
        village = session.get(Village, subject.village_id) if subject.village_id else None
        job = clean(subject.job_title)
        if unit is not None:
            return f"{job} {unit.name}".strip()
        if village is not None:
            return f"{job}, {village.name}" if job else f"{village.name}, {commune}"
        return job
    if isinstance(subject, Household):
        if subject.address:
            return subject.address
        village = session.get(Village, subject.village_id) if subject.village_id else None
        return f"{village.name}, {commune}" if village else ""
    return ""


def _reason(template: str, item: CertificateItem) -> str:
    """The reason with `ACHIEVEMENT` replaced by the item's summary, as a clause."""
    if ACHIEVEMENT not in template:
        return template
    summary = clean(item.achievement).rstrip(" .;")
    if not summary:
        raise DocumentError(f"«{item.subject_name}» chưa có tóm tắt thành tích để thay vào {ACHIEVEMENT} "
                            "trong lý do khen thưởng. Hãy ghi tóm tắt thành tích trong đề nghị, hoặc sửa "
                            "lý do khen thưởng của Giấy khen.")
    words = summary.split()
    # A sentence's capital becomes lower case after the colon; a name at the start ("Thôn Lợi
    # Đức …") keeps it: its second word is capitalised too.
    if len(words) < 2 or not words[1][:1].isupper():
        summary = summary[:1].lower() + summary[1:]
    return template.replace(ACHIEVEMENT, summary)
