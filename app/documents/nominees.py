"""Who a list document names: the nominations a council session carried, the items of a
decision, or one nomination, read once into plain rows with what the lists print about them
(name, birth year, position and unit, ethnicity, award, the vote).

Used by the tờ trình (app/documents/proposal.py), the thông báo công khai
(app/documents/public_notice.py) and the danh sách trích ngang (app/documents/summary_list.py).
Rows are ordered by award as the catalogue lists them, then collectives, villages and
households before individuals (tờ trình practice: collectives first), then by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, with_polymorphic

from app.catalogue import AWARDS, VILLAGE_KINDS, award_label
from app.commune import CommuneSetup
from app.council import FINAL, NOT_MOVED_NOTE
from app.council_tally import format_percent
from app.documents.model import DocumentError
from app.errors import NotFoundError
from app.nomination_states import Action, State
from db.models import (Collective, CouncilSession, CouncilVote, Decision, DecisionItem, Household,
                       Individual, Movement, Nomination, NominationEvent, Subject, Village)

KIND_ORDER = {"collective": 0, "village": 1, "household": 2, "individual": 3}
KIND_WORDS = {"collective": "tập thể", "village": "thôn, tổ dân phố", "household": "hộ gia đình",
              "individual": "cá nhân"}
# Nominations taken back after the vote (returned, reopened): no longer on any list.
TAKEN_BACK = frozenset({State.RETURNED, State.DRAFT, State.CHECKED})
# Titles a commune or district recognises (công nhận) rather than awards (tặng).
RECOGNISED = frozenset({"GDVH", "THON_VH"})


@dataclass(frozen=True)
class Nominee:
    """One line of a list: a subject and the award it is proposed for or was given."""

    nomination_id: int | None
    name: str
    kind: str  # individual / collective / household / village
    birth_year: int | None
    female: bool
    position: str  # chức vụ, đơn vị (or the address of a household)
    ethnicity: str
    award_code: str
    year: int
    basis_kind: str
    action: str  # decide / propose ('' before the check)
    summary: str  # tóm tắt thành tích, as the nomination holds it
    movement_id: int | None = None
    notice_starts_on: date | None = None
    notice_ends_on: date | None = None
    proposed_on: date | None = None  # the «Trình cấp trên» step, when taken
    votes: int | None = None
    base: int | None = None
    revoked_on: date | None = None
    sort_key: str = ""  # the register's name order (Vietnamese: given name first)
    word: str = ""  # what counts call it: 'cá nhân', 'tập thể', 'thôn', 'tổ dân phố'…

    @property
    def award(self) -> str:
        """The award as a document writes it: 'danh hiệu Lao động tiên tiến', no 'UBND'."""
        label = formal(award_label(self.award_code))
        kind = AWARDS.get(self.award_code)
        return f"danh hiệu {label}" if kind and kind.is_title else label

    @property
    def vote_text(self) -> str:
        """'7/7 phiếu (100%)': votes for out of the base the threshold was taken on."""
        if self.votes is None:
            return ""
        if not self.base:
            return f"{self.votes} phiếu"
        percent = format_percent(Decimal(self.votes) * 100 / self.base)
        return f"{self.votes}/{self.base} phiếu ({percent}%)"


@dataclass(frozen=True)
class MovementInfo:
    name: str
    kind: str  # regular / thematic
    plan_number: str  # "09/KH-UBND"
    results: str


def formal(text: str) -> str:
    """Award labels spell 'UBND' out in documents (NĐ30 writes names in full)."""
    return text.replace("UBND", "Ủy ban nhân dân")


def commune_words(setup: CommuneSetup) -> str:
    """'xã Phước An' for sentences ('Ủy ban nhân dân xã Phước An')."""
    name = setup.commune_name or "xã"
    return name[:1].lower() + name[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def two_digits(count: int) -> str:
    """Counts in documents keep a leading zero below 10 ('02 cá nhân'), as numbers do."""
    return f"{count:02d}"


def _words(nominees: Sequence[Nominee]) -> dict[str, int]:
    """{'tập thể': 2, 'cá nhân': 3}: how many of each word, collectives first."""
    counts: dict[str, int] = {}
    for nominee in sorted(nominees, key=lambda n: KIND_ORDER.get(n.kind, 9)):
        word = nominee.word or KIND_WORDS.get(nominee.kind, nominee.kind)
        counts[word] = counts.get(word, 0) + 1
    return counts


def count_phrase(nominees: Sequence[Nominee]) -> str:
    """'02 tập thể và 03 cá nhân', collectives first."""
    parts = [f"{two_digits(n)} {word}" for word, n in _words(nominees).items()]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} và {parts[-1]}"


def whom(nominees: Sequence[Nominee]) -> str:
    """'tập thể, cá nhân': the kinds of subject the list holds, collectives first."""
    return ", ".join(_words(nominees))


def verb(award_code: str) -> str:
    return "công nhận" if award_code in RECOGNISED else "tặng"


def by_award(nominees: Sequence[Nominee]) -> list[tuple[str, list[Nominee]]]:
    """[(award code, its nominees)] in the catalogue's order; nominees already ordered."""
    groups: dict[str, list[Nominee]] = {}
    for nominee in ordered(nominees):
        groups.setdefault(nominee.award_code, []).append(nominee)
    return list(groups.items())


def awards_phrase(nominees: Sequence[Nominee]) -> str:
    """'danh hiệu Tập thể lao động xuất sắc và Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh'."""
    labels = [group[0].award for _code, group in by_award(nominees)]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} và {labels[-1]}"


def ordered(nominees: Iterable[Nominee]) -> list[Nominee]:
    order = {code: i for i, code in enumerate(AWARDS)}
    return sorted(nominees, key=lambda n: (order.get(n.award_code, len(order)),
                                           KIND_ORDER.get(n.kind, 9), n.sort_key or n.name, n.name))


def review_phrase(movement: MovementInfo | None, year: int) -> str:
    """What was reviewed: 'năm 2025' or 'trong phong trào thi đua «Chung sức …»'."""
    if movement is not None and movement.kind == "thematic":
        return f"trong phong trào thi đua «{movement.name}»"
    return f"năm {year}"


def movement_sentence(movement: MovementInfo | None, setup: CommuneSetup) -> str:
    """'Thực hiện Kế hoạch số 09/KH-UBND … về phong trào thi đua …. Kết quả: ….' or ''."""
    if movement is None:
        return ""
    name = movement.name
    about = name[:1].lower() + name[1:] if name.lower().startswith("phong trào") \
        else f"phong trào thi đua «{name}»"
    plan = f"Kế hoạch số {movement.plan_number} của Ủy ban nhân dân {commune_words(setup)}" \
        if movement.plan_number else f"kế hoạch của Ủy ban nhân dân {commune_words(setup)}"
    results = movement.results.strip().rstrip(".")
    return f"Thực hiện {plan} về {about}." + (f" Kết quả: {results}." if results else "")


# Reading

def final_session(session: Session, session_id: int) -> CouncilSession:
    """A finalised session not replaced by a correcting one: the only kind lists print for."""
    council = session.get(CouncilSession, session_id)
    if council is None:
        raise NotFoundError("Không tìm thấy phiên họp Hội đồng; có thể đã bị xóa.")
    if council.state != FINAL:
        raise DocumentError(f"Phiên họp ngày {council.held_on:%d/%m/%Y} chưa chốt kết quả biểu "
                            "quyết. Hãy chốt kết quả trước khi in văn bản theo kết quả đó.")
    later = session.scalar(select(CouncilSession).where(CouncilSession.corrects_id == council.id))
    if later is not None:
        raise DocumentError(
            f"Kết quả phiên họp ngày {council.held_on:%d/%m/%Y} đã được điều chỉnh bằng phiên họp "
            f"ngày {later.held_on:%d/%m/%Y}. Hãy in văn bản từ phiên điều chỉnh đó.")
    return council


def carried(session: Session, council: CouncilSession) -> list[Nominee]:
    """The nominations the session voted through (passed within the quota and moved on), not
    taken back since, with their votes."""
    rows = session.execute(select(CouncilVote, Nomination)
                           .join(Nomination, Nomination.id == CouncilVote.nomination_id)
                           .where(CouncilVote.session_id == council.id)).all()
    kept = [(vote, nomination) for vote, nomination in rows
            if vote.passed and vote.within_quota and not vote.note.startswith(NOT_MOVED_NOTE)
            and State(nomination.state) not in TAKEN_BACK]
    votes = {nomination.id: vote for vote, nomination in kept}
    return [replace(nominee, votes=votes[nominee.nomination_id].votes_for,
                    base=votes[nominee.nomination_id].base)
            for nominee in nomination_rows(session, [n for _v, n in kept])
            if nominee.nomination_id is not None]


def nomination_rows(session: Session, nominations: Sequence[Nomination]) -> list[Nominee]:
    subjects = _subjects(session, [n.subject_id for n in nominations])
    proposed: dict[int, date] = {}
    for chunk in _chunks([n.id for n in nominations]):
        proposed.update(session.execute(
            select(NominationEvent.nomination_id, func.max(NominationEvent.on))
            .where(NominationEvent.action == Action.PROPOSE.value,
                   NominationEvent.nomination_id.in_(chunk))
            .group_by(NominationEvent.nomination_id)).all())
    places = _place_names(session, subjects.values())
    rows = [Nominee(
        nomination_id=n.id, award_code=n.award_code, year=n.year, basis_kind=n.basis_kind,
        action=n.action, summary=n.achievement_summary, movement_id=n.movement_id,
        notice_starts_on=n.notice_starts_on, notice_ends_on=n.notice_ends_on,
        proposed_on=proposed.get(n.id), **_subject_facts(subjects[n.subject_id], places))
        for n in nominations]
    return ordered(rows)


def decision_rows(session: Session, decision: Decision) -> list[Nominee]:
    """The decision's items (revoked ones too, with the day they were revoked)."""
    items = list(session.scalars(select(DecisionItem).where(DecisionItem.decision_id == decision.id)))
    subjects = _subjects(session, [item.subject_id for item in items])
    places = _place_names(session, subjects.values())
    nominations = {n.id: n for chunk in _chunks([i.nomination_id for i in items if i.nomination_id])
                   for n in session.scalars(select(Nomination).where(Nomination.id.in_(chunk)))}
    rows = []
    for item in items:
        nomination = nominations.get(item.nomination_id) if item.nomination_id else None
        rows.append(Nominee(
            nomination_id=item.nomination_id, award_code=item.award_code, year=item.year,
            basis_kind=item.basis_kind, action="decide",
            summary=nomination.achievement_summary if nomination else "",
            movement_id=decision.movement_id, revoked_on=item.revoked_on,
            **_subject_facts(subjects[item.subject_id], places)))
    return ordered(rows)


def carrying_session(session: Session, nomination_id: int) -> CouncilSession | None:
    """The latest final session that voted the nomination through, if any."""
    for council, vote in session.execute(
            select(CouncilSession, CouncilVote)
            .join(CouncilVote, CouncilVote.session_id == CouncilSession.id)
            .where(CouncilVote.nomination_id == nomination_id, CouncilSession.state == FINAL)
            .order_by(CouncilSession.held_on.desc(), CouncilSession.id.desc())):
        return council if vote.passed and vote.within_quota \
            and not vote.note.startswith(NOT_MOVED_NOTE) else None
    return None


def movement_of(session: Session, nominees: Sequence[Nominee], year: int) -> MovementInfo | None:
    """The movement the nominees were reviewed under: the one they name (when they all name
    the same), else the year's regular movement."""
    named = {n.movement_id for n in nominees}
    movement = None
    if len(named) == 1 and None not in named:
        movement = session.get(Movement, named.pop())
    if movement is None:
        movement = session.scalar(select(Movement).where(Movement.year == year,
                                                         Movement.kind == "regular")
                                  .order_by(Movement.id))
    if movement is None:
        return None
    number = movement.plan_number.strip()
    number = number.split(":", 1)[1].strip() if number.lower().startswith("số") and ":" in number \
        else number
    return MovementInfo(movement.name, movement.kind, number, movement.results)


def _subjects(session: Session, ids: Sequence[int]) -> dict[int, Subject]:
    every = with_polymorphic(Subject, [Individual, Collective, Household, Village])
    return {s.id: s for chunk in _chunks(sorted(set(ids)))
            for s in session.scalars(select(every).where(every.id.in_(chunk)))}


def _place_names(session: Session, subjects: Iterable[Subject]) -> dict[int, str]:
    """{id: name} of the units and villages the subjects belong to."""
    wanted = set()
    for subject in subjects:
        for attribute in ("unit_id", "parent_id", "village_id"):
            value = getattr(subject, attribute, None)
            if value:
                wanted.add(value)
    return {id_: name for chunk in _chunks(sorted(wanted)) for id_, name in
            session.execute(select(Subject.id, Subject.name).where(Subject.id.in_(chunk)))}


def _chunks(ids: Sequence[int], size: int = 500) -> Iterator[list[int]]:
    """Ids a few hundred at a time, below SQLite's limit on parameters (as app/council.py)."""
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


def _position(job_title: str, unit: str) -> str:
    """'Hiệu trưởng, Trường Tiểu học Lạc Trung'; a title ending where the unit's name begins
    is merged: 'Bí thư Đảng ủy' + 'Đảng ủy xã Phước An' → 'Bí thư Đảng ủy xã Phước An'."""
    if not job_title or not unit:
        return job_title or unit
    words, unit_words = job_title.split(), unit.split()
    for start in range(1, len(words)):
        tail = words[start:]
        if unit_words[:len(tail)] == tail:
            return " ".join(words[:start] + unit_words)
    return f"{job_title}, {unit}"


def _subject_facts(subject: Subject, places: dict[int, str]) -> dict[str, object]:
    """The columns a list prints about a subject, by its kind."""
    facts: dict[str, object] = dict(name=subject.name, kind=subject.kind, birth_year=None,
                                    female=False, position="", ethnicity="",
                                    sort_key=subject.sort_key,
                                    word=KIND_WORDS.get(subject.kind, subject.kind))
    if isinstance(subject, Individual):
        unit = places.get(subject.unit_id or 0) or places.get(subject.village_id or 0) \
            or subject.residence
        facts.update(birth_year=subject.birth_date.year if subject.birth_date else None,
                     female=subject.gender == "female", ethnicity=subject.ethnicity,
                     position=_position(subject.job_title, unit))
    elif isinstance(subject, Collective):
        facts["position"] = places.get(subject.parent_id or 0) or places.get(subject.village_id or 0, "")
    elif isinstance(subject, Village):
        label = VILLAGE_KINDS.get(subject.village_kind, "")
        facts["word"] = label.lower() if subject.village_kind != "other" and label else ""
    elif isinstance(subject, Household):
        facts["position"] = subject.address or places.get(subject.village_id or 0, "")
    return facts
