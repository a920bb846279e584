"""What a báo cáo thành tích needs from the database, read once into plain data.

`app/documents/achievement_report.py` turns this into the editable fields and the document;
this module is its only database access. Choices the law leaves open, and why:

- Skeleton: Mẫu 03 (cá nhân) for a person; Mẫu 02 (tập thể) for a collective, and also for a
  household or village, which report as a group (their "Sơ lược đặc điểm, tình hình" lines
  are adapted: head of household, address, members; households of the village).
- Reporting window: `reporting_years:<award>` (app/eligibility/rule_settings.py) years ending
  at the nomination's year, read on the decision date the checker uses (the planned date, else
  the latest check's date, else today). A sudden feat reports its year only (as the checker);
  a household's Giấy khen covers at least its run of Gia đình văn hóa years.
- History (section III): the subject's awards in the window, revoked ones left out, and the
  award this nomination asks for (same award and year) too: it is not yet "đã ghi nhận".
- Header and signers: a person working in a unit, or a collective, reports under the unit's
  own name and is confirmed by its head (name typed by the officer: the register does not
  know it); everyone else, and the commune's own staff, under the commune's UBND, confirmed by
  its chairman.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from reportlab.pdfbase.pdfmetrics import stringWidth
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.catalogue import AWARDS, COLLECTIVE_KINDS, GENDERS, INITIATIVE_SCOPES, VILLAGE_KINDS, award_label
from app.commune import CommuneSetup
from app.documents.builder import BuildContext, day_text
from app.documents.kinds import Owner
from app.eligibility.rule_settings import BY_KEY, RuleSettings, SettingEntry
from app.errors import NotFoundError
from app.vietnamese import fold
from db.models import (Award, Collective, CollectiveMember, EligibilityCheck, Household,
                       HouseholdMember, Individual, Initiative, Nomination, RuleSettingValue,
                       Subject, Village)

# Header lines are wrapped to fit the left column (70 mm) with room for a wider fallback
# font; Times metrics stand in for Times New Roman and Liberation Serif (same widths).
_HEADER_MM = 62.0
_MM = 72 / 25.4


@dataclass(frozen=True)
class ProfileLine:
    """One line of section I: printed '- label: value'; an empty value leaves dots to fill."""

    key: str
    label: str
    value: str
    multiline: bool = False
    same_line: bool = False  # printed after the previous line's value ("; Giới tính: Nữ")


@dataclass(frozen=True)
class HistoryRow:
    """One row of section III: years, title or form, decision (number, date, issuer)."""

    years: str
    label: str
    decision: str
    is_title: bool


@dataclass(frozen=True)
class Signer:
    authority: str
    title: str
    caption: str
    name: str
    name_label: str  # what the field and a refusal call the missing name


@dataclass(frozen=True)
class ReportSource:
    nomination_id: int
    individual: bool  # Mẫu 03; otherwise Mẫu 02
    subject_name: str
    award: str  # the exact award: "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai"
    is_title: bool
    years: tuple[int, ...]  # the reporting window, oldest first
    name_line: ProfileLine | None  # a group's full name, printed above section I
    profile: tuple[ProfileLine | str, ...]  # section I: lines and sub-headings
    achievements: str
    history: tuple[HistoryRow, ...]
    issuing_body: tuple[str, ...]
    parent_body: str
    place: str
    left: Signer | None  # None: the commune's UBND reports on itself and signs alone
    right: Signer


def load_report(session: Session, owner: Owner, context: BuildContext) -> ReportSource:
    """Read the nomination, its subject, history and window (NotFoundError when it is gone)."""
    nomination = session.get(Nomination, owner.id)
    if nomination is None:
        raise NotFoundError("Không tìm thấy đề nghị khen thưởng này; có thể nó đã bị xóa.")
    setup = context.setup
    subject = session.get_one(Subject, nomination.subject_id)
    years = _window(session, nomination, context.today)
    unit = _unit(session, subject, setup)
    kind = AWARDS.get(nomination.award_code)
    commune_signer = _chairman(setup)
    if unit is not None:
        issuing, parent = _block(unit.name, setup), _parent(session, unit, setup)
    else:
        issuing, parent = ("ỦY BAN NHÂN DÂN", setup.issuing_body), ""
    if isinstance(subject, Individual):
        name_line, profile = None, _person(session, subject)
        # Two lines above each name, so both names print at one height.
        left = commune_signer if unit is None else Signer(
            "", "THỦ TRƯỞNG ĐƠN VỊ", "(Xác nhận, ký, đóng dấu)", "",
            "Họ và tên thủ trưởng đơn vị xác nhận")
        right = Signer("", "NGƯỜI BÁO CÁO THÀNH TÍCH", "(Ký, ghi rõ họ và tên)", subject.name,
                       "Họ và tên người báo cáo thành tích")
    elif isinstance(subject, Collective) and _is_commune_body(subject.name, setup):
        name_line, profile, _ = _group(session, subject, setup, nomination.year)
        left, right = None, commune_signer
    else:
        name_line, profile, right = _group(session, subject, setup, nomination.year)
        left = commune_signer
    return ReportSource(
        nomination_id=nomination.id, individual=isinstance(subject, Individual),
        subject_name=subject.name, award=award_name(nomination.award_code, setup),
        is_title=bool(kind and kind.is_title), years=years, name_line=name_line,
        profile=tuple(profile), achievements=_achievements(session, nomination, years),
        history=_history(session, nomination, years), issuing_body=tuple(issuing),
        parent_body=parent, place=setup.place_name, left=left, right=right)


def award_name(code: str, setup: CommuneSetup) -> str:
    """The award as a title names it, with the commune or province that gives it."""
    label = award_label(code).replace("UBND", "Ủy ban nhân dân")
    if code == "GK_XA" and setup.commune_name:
        return f"{label[:-len(' xã')]} {_lower_first(setup.commune_name)}"
    if code == "BK_TINH" and setup.province_name:
        return f"{label[:-len(' tỉnh')]} {setup.province_title}"
    kind = AWARDS.get(code)
    return f"danh hiệu “{label}”" if kind and kind.is_title else label


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _window(session: Session, nomination: Nomination, today: date) -> tuple[int, ...]:
    """The years the report covers, from the settings on the decision date."""
    if nomination.route == "sudden" or nomination.basis_kind == "sudden":
        return (nomination.year,)
    day = nomination.planned_decision_date or session.scalar(
        select(EligibilityCheck.decision_date).where(EligibilityCheck.nomination_id == nomination.id)
        .order_by(EligibilityCheck.checked_at.desc(), EligibilityCheck.id.desc()).limit(1)) or today
    entries = [SettingEntry(row.key, row.value, row.effective_from) for row in session.scalars(
        select(RuleSettingValue).order_by(RuleSettingValue.key, RuleSettingValue.effective_from))]
    settings = RuleSettings(day, entries)
    key = f"reporting_years:{nomination.award_code}"
    span = int(settings.value(key)) if key in BY_KEY else 1  # type: ignore[arg-type]
    if nomination.route == "household":
        span = max(span, int(settings.value("gk_household_gdvh_years")))  # type: ignore[arg-type]
    return tuple(range(nomination.year - span + 1, nomination.year + 1))


def _is_commune_body(name: str, setup: CommuneSetup) -> bool:
    """Whether a collective is the commune's UBND itself (its staff report under the commune)."""
    commune = fold(setup.commune_name)
    return fold(name) in (f"uy ban nhan dan {commune}", f"ubnd {commune}")


def _unit(session: Session, subject: Subject, setup: CommuneSetup) -> Collective | None:
    """The unit whose name heads the report: the collective itself, or the person's unit.

    None for the commune's UBND and, for a person, the UBND's own offices (kind 'department':
    their staff are the commune's civil servants, confirmed by its chairman)."""
    unit: Collective | None = None
    if isinstance(subject, Collective):
        unit = subject
    elif isinstance(subject, Individual) and subject.unit_id is not None:
        unit = session.get(Collective, subject.unit_id)
        parent = session.get(Collective, unit.parent_id) if unit and unit.parent_id else None
        if unit and unit.collective_kind == "department" and parent and _is_commune_body(parent.name, setup):
            return None
    return None if unit is None or _is_commune_body(unit.name, setup) else unit


def _block(name: str, setup: CommuneSetup) -> list[str]:
    """A unit's name as header lines: the commune's name on its own last line, the rest
    wrapped to the column ('TRƯỜNG TIỂU HỌC' / 'LẠC TRUNG')."""
    upper = " ".join(name.upper().split())
    tail = setup.commune_name.upper()
    lines: list[str] = []
    if tail and upper.endswith(" " + tail) and upper != tail:
        upper, lines = upper[:-len(tail)].strip(), [tail]
    return _wrap(upper) + lines


def _wrap(text: str) -> list[str]:
    """Fewest lines that fit, without a last word alone: a place name keeps its two words
    ('TRƯỜNG TIỂU HỌC' / 'LẠC TRUNG', not 'TRƯỜNG TIỂU HỌC LẠC' / 'TRUNG')."""
    lines: list[list[str]] = []
    for word in text.split():
        if lines and _width(" ".join([*lines[-1], word]), bold=True) <= _HEADER_MM:
            lines[-1].append(word)
        else:
            lines.append([word])
    if len(lines) >= 2 and len(lines[-1]) == 1 and len(lines[-2]) >= 3:
        lines[-1].insert(0, lines[-2].pop())
    return [" ".join(line) for line in lines]


def _width(text: str, bold: bool) -> float:
    plain = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    plain = plain.replace("Đ", "D").replace("đ", "d")
    return stringWidth(plain, "Times-Bold" if bold else "Times-Roman", 13) / _MM


def _parent(session: Session, unit: Collective, setup: CommuneSetup) -> str:
    """The line above the unit's name: 'UBND XÃ …' under the commune's UBND, else the parent's
    name when it fits on one line, else nothing (the officer may type it)."""
    parent = session.get(Collective, unit.parent_id) if unit.parent_id else None
    if parent is None:
        return ""
    if _is_commune_body(parent.name, setup):
        return f"UBND {setup.issuing_body}"
    text = " ".join(parent.name.upper().split())
    return text if _width(text, bold=False) <= _HEADER_MM else ""


def _chairman(setup: CommuneSetup) -> Signer:
    chairman = setup.people("chairman")
    return Signer("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", chairman[0].full_name if chairman else "",
                  "Họ và tên Chủ tịch Ủy ban nhân dân ký xác nhận")


def _person(session: Session, person: Individual) -> list[ProfileLine | str]:
    unit = session.get(Collective, person.unit_id) if person.unit_id else None
    return [
        ProfileLine("full_name", "Họ và tên", person.name),
        ProfileLine("birth_date", "Sinh ngày, tháng, năm", day_text(person.birth_date)),
        ProfileLine("sex", "Giới tính", GENDERS.get(person.gender, ""), same_line=True),
        ProfileLine("ethnicity", "Dân tộc", person.ethnicity),
        ProfileLine("religion", "Tôn giáo", person.religion, same_line=True),
        ProfileLine("home_town", "Quê quán", person.home_town),
        ProfileLine("residence", "Nơi thường trú", person.residence),
        ProfileLine("unit", "Đơn vị công tác", unit.name if unit else ""),
        ProfileLine("position", "Chức vụ (Đảng, chính quyền, đoàn thể)", person.job_title),
        ProfileLine("political_level", "Trình độ lý luận chính trị", ""),
        ProfileLine("professional_level", "Trình độ chuyên môn, nghiệp vụ", ""),
        ProfileLine("degrees", "Học hàm, học vị, danh hiệu, giải thưởng", ""),
    ]


def _group(session: Session, subject: Subject, setup: CommuneSetup,
           year: int) -> tuple[ProfileLine, list[ProfileLine | str], Signer]:
    """Name line, section I and the reporting signer of a collective, household or village."""
    commune = _lower_first(setup.commune_name)
    if setup.province_name:
        commune = f"{commune}, {setup.province_title}"
    if isinstance(subject, Household):
        village = session.get(Village, subject.village_id) if subject.village_id else None
        members = session.execute(
            select(Individual.name, HouseholdMember.is_head).join(
                HouseholdMember, HouseholdMember.individual_id == Individual.id)
            .where(HouseholdMember.household_id == subject.id)).all()
        head = next((name for name, is_head in members if is_head), "")
        address = subject.address or (f"{village.name}, {commune}" if village else "")
        return (ProfileLine("full_name", "Tên hộ gia đình", subject.name), [
            ProfileLine("head", "Chủ hộ", head),
            ProfileLine("address", "Địa chỉ", address),
            ProfileLine("members", "Số nhân khẩu", f"{len(members)} người" if members else ""),
            ProfileLine("features", "Hoàn cảnh, đặc điểm của gia đình", "", multiline=True),
        ], Signer("", "CHỦ HỘ", "(Ký, ghi rõ họ và tên)", head, "Họ và tên chủ hộ"))
    if isinstance(subject, Village):
        households = session.scalar(select(func.count()).select_from(Household)
                                    .where(Household.village_id == subject.id)) or 0
        word = VILLAGE_KINDS.get(subject.village_kind, "Thôn")
        head = "TỔ TRƯỞNG TỔ DÂN PHỐ" if subject.village_kind == "to_dan_pho" else f"TRƯỞNG {word.upper()}"
        return (ProfileLine("full_name", "Tên thôn, tổ dân phố", subject.name), [
            ProfileLine("address", "Địa bàn", commune),
            ProfileLine("households", "Số hộ gia đình", f"{households} hộ" if households else ""),
            ProfileLine("features", "Đặc điểm, tình hình", "", multiline=True),
        ], Signer("", head, "(Ký, ghi rõ họ và tên)", "", f"Họ và tên {head.lower()}"))
    assert isinstance(subject, Collective)
    return (ProfileLine("full_name", "Tên tập thể (ghi đầy đủ, không viết tắt)", subject.name), [
        "1. Đặc điểm, tình hình:",
        ProfileLine("address", "Địa chỉ trụ sở", ""),
        ProfileLine("contacts", "Điện thoại, thư điện tử", ""),
        ProfileLine("features", "Quá trình thành lập, đặc điểm, cơ cấu tổ chức, cơ sở vật chất",
                    _collective_facts(session, subject, year), multiline=True),
        ProfileLine("organisations", "Tổ chức Đảng, đoàn thể", "", multiline=True),
        "2. Chức năng, nhiệm vụ:",
        ProfileLine("functions", "Chức năng, nhiệm vụ được giao", "", multiline=True),
    ], Signer("", "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, đóng dấu, ghi rõ họ và tên)", "",
              "Họ và tên thủ trưởng đơn vị báo cáo"))


def _collective_facts(session: Session, collective: Collective, year: int) -> str:
    """What the register knows of a collective: its kind, the body above it, its members at
    the end of the nomination's year."""
    parts = [f"Loại hình: {COLLECTIVE_KINDS.get(collective.collective_kind, 'Khác').lower()}"]
    parent = session.get(Collective, collective.parent_id) if collective.parent_id else None
    if parent is not None:
        parts.append(f"đơn vị cấp trên: {parent.name}")
    end = date(year, 12, 31)
    members = session.scalar(select(func.count()).select_from(CollectiveMember).where(
        CollectiveMember.collective_id == collective.id,
        or_(CollectiveMember.joined_on.is_(None), CollectiveMember.joined_on <= end),
        or_(CollectiveMember.left_on.is_(None), CollectiveMember.left_on >= end))) or 0
    if members:
        parts.append(f"số thành viên cuối năm {year}: {members} người")
    return "; ".join(parts) + "."


def _achievements(session: Session, nomination: Nomination, years: tuple[int, ...]) -> str:
    """The nomination's summary and the initiatives recognised in the window, one per line."""
    lines = [line.strip() for line in nomination.achievement_summary.splitlines() if line.strip()]
    initiatives = session.scalars(select(Initiative).where(
        Initiative.subject_id == nomination.subject_id, Initiative.year.in_(years))
        .order_by(Initiative.year, Initiative.id)).all()
    if initiatives:
        lines.append("Sáng kiến, đề tài, giải pháp được công nhận trong thời gian báo cáo:")
    for item in initiatives:
        text = f"- Năm {item.year}: “{item.title}”"
        decision = _decision(item.decision_number, item.decision_date, item.recognised_by)
        if decision:
            text += f", công nhận theo {decision[:1].lower()}{decision[1:]}"
        lines.append(f"{text}; phạm vi ảnh hưởng: {INITIATIVE_SCOPES.get(item.scope, item.scope).lower()}.")
    return "\n".join(lines)


def _history(session: Session, nomination: Nomination, years: tuple[int, ...]) -> tuple[HistoryRow, ...]:
    awards = session.scalars(select(Award).where(
        Award.subject_id == nomination.subject_id, Award.year.in_(years), Award.revoked_on.is_(None))
        .order_by(Award.year, Award.decision_date, Award.id)).all()
    rows = []
    for award in awards:
        if award.award_code == nomination.award_code and award.year == nomination.year:
            continue  # the award this report asks for
        kind = AWARDS.get(award.award_code)
        span = f"{award.period_start} - {award.year}" if award.period_start and \
            award.period_start < award.year else str(award.year)
        rows.append(HistoryRow(span, award_label(award.award_code),
                               _decision(award.decision_number, award.decision_date, award.issuer),
                               bool(kind and kind.is_title)))
    return tuple(rows)


def _decision(number: str, day: date | None, issuer: str) -> str:
    """'Quyết định số 12/QĐ-UBND ngày 04/01/2023 của Chủ tịch UBND xã Phước An'."""
    if not (number or day or issuer):
        return ""
    text = "Quyết định"
    if number:
        text += f" số {number}"
    if day:
        text += f" ngày {day:%d/%m/%Y}"
    if issuer:
        text += f" của {issuer}"
    return text


