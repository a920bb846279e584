"""The commune chairman's award decisions (quyết định khen thưởng) and their revocation.

A decision is drafted from nominations ready for the commune's decision, then issued: in one
transaction it takes its number from the document register, writes each award into the
subject's history (so next year's checks see it) and moves each nomination to «decided».
An issued decision is never edited; an item is revoked with a reason (Luật 06/2022 chương
VII), which marks the history award revoked so the checker no longer counts it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app import catalogue
from app.audit import AuditEvent, AuditTrail, Clock, utc_now
from app.commune import CommuneService, CommuneSetup
from app.document_register import DocumentRegister, format_number, number_text
from app.eligibility.reward import reward_for
from app.eligibility.rule_sets import authority, rule_set_on
from app.eligibility_service import EligibilityService
from app.errors import NotFoundError, SetupRequiredError, ValidationError
from app.history import AwardRecord, HistoryService
from app.local_time import local_date, stored_now
from app.nomination_checks import NominationChecks, failing, why_not
from app.nomination_context import default_calendar
from app.nomination_flow import apply_action, describe
from app.nomination_states import Action, Procedure, Route, State
from app.roles import Actor, Permission, require
from app.rule_setting_service import RuleSettingService
from app.vietnamese import clean
from db.models import Award, Decision, DecisionItem, Nomination, Subject, new_uuid

DRAFT, ISSUED = "draft", "issued"
STATE_LABELS = {DRAFT: "Dự thảo", ISSUED: "Đã ban hành"}
_IN_CHUNK = 500  # ids per IN (...) list, below SQLite's parameter limit
SIGN_MODES = {"TM": "TM. ỦY BAN NHÂN DÂN", "KT": "KT. CHỦ TỊCH"}
SIGNER_TITLES = {"chairman": "CHỦ TỊCH", "vice_chairman": "PHÓ CHỦ TỊCH"}
DEFAULT_RECIPIENTS = ("Như Điều 3", "TT. Đảng ủy, HĐND xã", "Chủ tịch, các PCT UBND xã",
                      "Lưu: VT, TĐKT.")


@dataclass(frozen=True)
class Signer:
    """Who may sign a commune decision, as the commune setup names them."""

    name: str
    title: str  # CHỦ TỊCH / PHÓ CHỦ TỊCH
    sign_mode: str  # TM / KT

    @property
    def label(self) -> str:
        return f"{SIGN_MODES[self.sign_mode]} / {self.title}: {self.name}"


@dataclass(frozen=True)
class DecidableNomination:
    id: int
    subject_id: int
    subject_name: str
    subject_kind: str
    award_code: str
    year: int
    procedure: str
    state: str
    basis_kind: str
    notice_ends_on: date | None

    @property
    def award_label(self) -> str:
        return catalogue.AWARDS[self.award_code].label


@dataclass(frozen=True)
class DraftData:
    """What the officer writes on a decision besides its items."""

    abstract: str
    signer_name: str
    signer_title: str
    sign_mode: str = "TM"
    recipients: str = "\n".join(DEFAULT_RECIPIENTS)
    movement_id: int | None = None


@dataclass(frozen=True)
class DecisionRow:
    id: int
    uuid: str
    year: int
    state: str
    number: str
    decided_on: date | None
    abstract: str
    signer_name: str
    signer_title: str
    sign_mode: str
    recipients: str
    movement_id: int | None
    item_count: int
    revoked_count: int
    total: int  # đồng, revoked items left out

    @property
    def is_issued(self) -> bool:
        return self.state == ISSUED

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class ItemRow:
    id: int
    nomination_id: int | None
    subject_id: int
    subject_name: str
    award_code: str
    year: int
    basis_kind: str
    reward_amount: int
    award_id: int | None
    revoked_on: date | None
    revoked_reason: str

    @property
    def award_label(self) -> str:
        return catalogue.AWARDS[self.award_code].label


@dataclass(frozen=True)
class DecisionDetail:
    decision: DecisionRow
    items: tuple[ItemRow, ...]

    @property
    def total(self) -> int:
        return sum(i.reward_amount for i in self.items if i.revoked_on is None)


def signing_authority(sign_mode: str) -> str:
    """The line above the signer's title on the decision and its certificates. The decision is
    the chairman's own (its issuer line reads "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ …"), so he signs
    under his title alone; "TM." is for signing on behalf of a collective body, "KT." for a
    deputy signing for the head (NĐ 30/2020 Điều 13). Editable before printing."""
    return SIGN_MODES["KT"] if sign_mode == "KT" else ""


def signers(setup: CommuneSetup | None) -> list[Signer]:
    """The chairman (signs TM.) and vice-chairmen (sign KT.) of the commune setup."""
    if setup is None:
        return []
    return [Signer(o.full_name, SIGNER_TITLES[o.role], "TM" if o.role == "chairman" else "KT")
            for role in ("chairman", "vice_chairman") for o in setup.people(role)]


def default_abstract(award_codes: Sequence[str], year: int) -> str:
    """'Về việc khen thưởng Lao động tiên tiến, Chiến sĩ thi đua cơ sở năm 2025'."""
    labels = list(dict.fromkeys(catalogue.AWARDS[c].label for c in award_codes))
    return f"Về việc khen thưởng {', '.join(labels) or 'danh hiệu thi đua'} năm {year}"


def issuer_text(setup: CommuneSetup) -> str:
    """'Chủ tịch UBND xã An Phước': the issuer a decided award keeps in the history."""
    name = setup.commune_name
    return f"Chủ tịch UBND {name[:1].lower()}{name[1:]}" if name else "Chủ tịch UBND xã"


class DecisionService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 register: DocumentRegister, commune: CommuneService, history: HistoryService,
                 rule_settings: RuleSettingService, clock: Clock = utc_now,
                 checks: NominationChecks | None = None) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._register = register
        self._commune = commune
        self._history = history
        self._rule_settings = rule_settings
        self._clock = clock
        # The checker run again on the decision date (app/nomination_checks.py); the services
        # pass the officer's work calendar.
        self._checks = checks or NominationChecks(
            rule_settings, EligibilityService(sessions, actor, audit, rule_settings, clock), default_calendar)

    # --- reading -------------------------------------------------------------------------

    def today(self) -> date:
        """Today's date in Việt Nam by the service's clock."""
        return local_date(self._clock)

    def decidable(self, year: int, on: date | None = None) -> list[DecidableNomination]:
        """Nominations of `year` the commune chairman may decide on `on` (default today) and
        not yet in a decision: route «decide» and either the public notice ended before
        `on`, or the simplified procedure checked."""
        on = on or self.today()
        taken = select(DecisionItem.nomination_id).where(DecisionItem.nomination_id.is_not(None))
        with self._sessions() as session:
            rows = session.execute(
                select(Nomination, Subject.name, Subject.kind).join(Subject, Subject.id == Nomination.subject_id)
                .where(Nomination.year == year, Nomination.action == Route.DECIDE,
                       Nomination.state.in_([State.PUBLIC_NOTICE, State.CHECKED]),
                       Nomination.id.not_in(taken))
                .order_by(Nomination.award_code, Subject.name, Nomination.id)).all()
        return [DecidableNomination(n.id, n.subject_id, name, kind, n.award_code, n.year, n.procedure,
                                    n.state, n.basis_kind, n.notice_ends_on)
                for n, name, kind in rows if _ready(n, on) is None]

    def decisions(self, year: int) -> list[DecisionRow]:
        with self._sessions() as session:
            decisions = session.scalars(select(Decision).where(Decision.year == year)
                                        .order_by(Decision.decided_on.is_(None), Decision.decided_on,
                                                  Decision.id)).all()
            return [_row(session, d) for d in decisions]

    def detail(self, decision_id: int) -> DecisionDetail:
        with self._sessions() as session:
            decision = _get(session, decision_id)
            rows = session.execute(
                select(DecisionItem, Subject.name).join(Subject, Subject.id == DecisionItem.subject_id)
                .where(DecisionItem.decision_id == decision_id)
                .order_by(DecisionItem.award_code, Subject.name, DecisionItem.id)).all()
            items = tuple(ItemRow(i.id, i.nomination_id, i.subject_id, name, i.award_code, i.year,
                                  i.basis_kind, i.reward_amount, i.award_id, i.revoked_on,
                                  i.revoked_reason) for i, name in rows)
            return DecisionDetail(_row(session, decision), items)

    def next_number_text(self, decided_on: date) -> str:
        """The number an issue dated `decided_on` would take: '05/QĐ-UBND'."""
        symbol = self._setup().issuer_symbol
        return number_text(self._register.next_number(symbol, decided_on.year), "QĐ", symbol)

    def signers(self) -> list[Signer]:
        return signers(self._commune.get())

    def estimated_reward(self, award_code: str, subject_kind: str, on: date) -> int:
        """The money an award would carry if decided on `on` (0 when none), for drafts."""
        reward = reward_for(award_code, subject_kind, self._rule_settings.on(on), rule_set_on(on).is_old_law)
        return reward.amount if reward else 0

    # --- drafts --------------------------------------------------------------------------

    def create_draft(self, year: int, nomination_ids: Sequence[int], abstract: str, signer_name: str,
                     signer_title: str, sign_mode: str = "TM",
                     recipients: str = "\n".join(DEFAULT_RECIPIENTS),
                     movement_id: int | None = None) -> DecisionRow:
        """A draft decision of `year` holding the given nominations, with its audit entry."""
        require(self._actor, Permission.RUN_EMULATION)
        if not nomination_ids:
            raise ValidationError("Hãy chọn ít nhất một đề nghị để đưa vào quyết định.", "items")
        data = _clean_draft(DraftData(abstract, signer_name, signer_title, sign_mode, recipients,
                                      movement_id))
        with self._sessions.begin() as session:
            now = self._now()
            decision = Decision(uuid=new_uuid(), year=year, state=DRAFT, created_at=now, updated_at=now,
                                **_draft_fields(data))
            session.add(decision)
            session.flush()
            self._audit.record(session, self._actor, "create", "decision", decision.uuid,
                               f"Lập dự thảo quyết định năm {year}: {data.abstract}"[:300],
                               new=_draft_fields(data))
            self._add(session, decision, nomination_ids)
            return _row(session, decision)

    def update_draft(self, decision_id: int, abstract: str, signer_name: str, signer_title: str,
                     sign_mode: str = "TM", recipients: str = "", movement_id: int | None = None,
                     nomination_ids: Sequence[int] | None = None) -> DecisionRow:
        """Change what a draft says; with `nomination_ids` its items become exactly those
        nominations, all in one transaction. Refused once issued."""
        require(self._actor, Permission.RUN_EMULATION)
        data = _clean_draft(DraftData(abstract, signer_name, signer_title, sign_mode, recipients,
                                      movement_id))
        if nomination_ids is not None and not nomination_ids:
            raise ValidationError("Hãy chọn ít nhất một đề nghị để đưa vào quyết định.", "items")
        with self._sessions.begin() as session:
            decision = _draft(session, decision_id)
            old = _draft_fields_of(decision)
            new = _draft_fields(data)
            if old != new:
                for name, value in new.items():
                    setattr(decision, name, value)
                decision.updated_at = self._now()
                self._audit.record(session, self._actor, "update", "decision", decision.uuid,
                                   f"Sửa dự thảo quyết định: {data.abstract}"[:300], old=old, new=new)
            if nomination_ids is not None:
                wanted = set(nomination_ids)
                items = session.scalars(select(DecisionItem).filter_by(decision_id=decision.id)).all()
                for item in items:
                    if item.nomination_id not in wanted:
                        self._remove(session, item)
                present = {item.nomination_id for item in items}
                self._add(session, decision, [n for n in nomination_ids if n not in present])
                decision.updated_at = self._now()
                session.flush()
            return _row(session, decision)

    def add_items(self, decision_id: int, nomination_ids: Sequence[int]) -> DecisionRow:
        require(self._actor, Permission.RUN_EMULATION)
        with self._sessions.begin() as session:
            decision = _draft(session, decision_id)
            self._add(session, decision, nomination_ids)
            decision.updated_at = self._now()
            return _row(session, decision)

    def remove_item(self, item_id: int) -> DecisionRow:
        require(self._actor, Permission.RUN_EMULATION)
        with self._sessions.begin() as session:
            item = session.get(DecisionItem, item_id)
            if item is None:
                raise NotFoundError("Không tìm thấy dòng cần bỏ khỏi quyết định; có thể đã bị bỏ.")
            decision = _draft(session, item.decision_id)
            self._remove(session, item)
            decision.updated_at = self._now()
            session.flush()
            return _row(session, decision)

    def delete_draft(self, decision_id: int) -> None:
        """Delete a draft and its items (the nominations stay ready for another decision)."""
        require(self._actor, Permission.RUN_EMULATION)
        with self._sessions.begin() as session:
            decision = _draft(session, decision_id)
            items = session.scalars(select(DecisionItem).filter_by(decision_id=decision.id)).all()
            self._audit.record(session, self._actor, "delete", "decision", decision.uuid,
                               f"Xóa dự thảo quyết định năm {decision.year}: {decision.abstract}"[:300],
                               old={**_draft_fields_of(decision), "items": [_item_values(i) for i in items]})
            for item in items:
                session.delete(item)
            session.flush()  # items first: the database would cascade them under the ORM's feet
            session.delete(decision)

    # --- issuing and revoking ------------------------------------------------------------

    def issue(self, decision_id: int, decided_on: date, number: int | None = None) -> DecisionRow:
        """Issue a draft on `decided_on` in one transaction: take its number from the register
        (`number` given: a number already written on paper), write every award into the
        history, move every nomination to «decided». Refused with nothing changed when an
        item is outside the commune chairman's authority on that date, a public notice has
        not ended, or the number is already used."""
        require(self._actor, Permission.NUMBER_DOCUMENTS)
        setup = self._setup()
        if decided_on > self.today():
            raise ValidationError(f"Ngày quyết định {decided_on:%d/%m/%Y} chưa đến.", "decided_on")
        rule_set = rule_set_on(decided_on)
        settings = self._rule_settings.on(decided_on)
        with self._sessions.begin() as session:
            decision = _draft(session, decision_id)
            if decided_on.year < decision.year:
                raise ValidationError(
                    f"Quyết định khen thưởng năm {decision.year} không thể ký trước năm đó "
                    f"(ngày {decided_on:%d/%m/%Y}).", "decided_on")
            if not decision.signer_name:
                raise ValidationError("Hãy chọn người ký quyết định trước khi ban hành.", "signer_name")
            items = session.scalars(select(DecisionItem).filter_by(decision_id=decision.id)
                                    .order_by(DecisionItem.id)).all()
            if not items:
                raise ValidationError("Quyết định chưa có ai được khen thưởng.", "items")
            loaded, subjects = _load(session, [i.nomination_id for i in items if i.nomination_id is not None],
                                     [i.subject_id for i in items])
            nominations = {}
            for item in items:
                self._check_issuable(session, item, rule_set, decided_on)
                if item.nomination_id is not None:
                    nominations[item.id] = loaded[item.nomination_id]
            _refuse_awarded_twice(session, items, subjects)
            # Each award rests on a check made on the decision date, kept with its nomination:
            # a basis revoked or a discipline recorded since the last check stops it here.
            outcomes = self._checks.run_in(session, list(nominations.values()), decided_on, route_fixed=True)
            refused = failing(outcomes)
            if refused:
                raise ValidationError(
                    f"Kiểm tra lại điều kiện ngày {decided_on:%d/%m/%Y}, {len(refused)} đề nghị không còn đủ "
                    "điều kiện: " + "; ".join(f"{describe(session, loaded[i])}: {why_not(outcomes[i])}"
                                              for i in refused)
                    + ". Hãy bỏ các dòng này khỏi dự thảo và trả lại đề nghị.", "items")
            entry = self._register.take_in(
                session, self._actor, issuer=setup.issuer_symbol, doc_type="QĐ", issued_on=decided_on,
                abstract=decision.abstract, signer=decision.signer_name, number=number)
            number_text = format_number(entry)
            now = self._now()
            for item in items:
                subject = subjects[item.subject_id]
                reward = reward_for(item.award_code, subject.kind, settings, rule_set.is_old_law)
                item.reward_amount = reward.amount if reward else 0
                award = self._history.grant_in(session, item.subject_id, AwardRecord(
                    item.award_code, item.year, number_text, decided_on, issuer_text(setup),
                    rule_set.label, item.basis_kind))
                session.flush()
                item.award_id = award.id
                nomination = nominations.get(item.id)
                if nomination is not None:
                    apply_action(session, self._audit, self._actor, nomination, Action.DECIDE,
                                 on=decided_on, at=now)
            decision.state = ISSUED
            decision.number = number_text
            decision.decided_on = decided_on
            decision.register_entry_id = entry.id
            decision.updated_at = now
            session.flush()
            row = _row(session, decision)
            self._audit.record(session, self._actor, "issue", "decision", decision.uuid,
                               f"Ban hành quyết định số {number_text} ngày {decided_on:%d/%m/%Y}: "
                               f"{decision.abstract}"[:300],
                               old={"state": DRAFT},
                               new={"state": ISSUED, "number": number_text,
                                    "decided_on": decided_on.isoformat(), "items": len(items),
                                    "total": row.total, "rule_set": rule_set.code})
            return row

    def revoke_item(self, item_id: int, reason: str, on: date) -> ItemRow:
        """Revoke one item of an issued decision (Luật 06/2022 chương VII): the item and its
        history award are marked revoked on `on` with `reason`, so the award stops counting."""
        require(self._actor, Permission.NUMBER_DOCUMENTS)
        reason = clean(reason)
        if not reason:
            raise ValidationError("Hãy ghi lý do thu hồi.", "reason")
        if on > self.today():
            raise ValidationError(f"Ngày thu hồi {on:%d/%m/%Y} chưa đến.", "revoked_on")
        with self._sessions.begin() as session:
            item = session.get(DecisionItem, item_id)
            if item is None:
                raise NotFoundError("Không tìm thấy dòng quyết định cần thu hồi.")
            decision = _get(session, item.decision_id)
            if decision.state != ISSUED:
                raise ValidationError("Quyết định chưa ban hành: bỏ dòng này khỏi dự thảo thay vì thu hồi.",
                                      "state")
            what = _item_text(session, item)
            if item.revoked_on is not None:
                raise ValidationError(f"{what} đã bị thu hồi ngày {item.revoked_on:%d/%m/%Y}.", "state")
            if decision.decided_on and on < decision.decided_on:
                raise ValidationError(
                    f"Ngày thu hồi phải từ ngày quyết định {decision.decided_on:%d/%m/%Y} trở đi.", "revoked_on")
            if item.award_id is not None and session.get(Award, item.award_id) is not None:
                record = self._history.record_in(session, AwardRecord, item.award_id)
                self._history.grant_in(session, item.subject_id,
                                       replace(record, revoked_on=on, revoked_reason=reason))
            old = _item_values(item)
            item.revoked_on, item.revoked_reason = on, reason
            decision.updated_at = self._now()
            self._audit.record(session, self._actor, "revoke", "decision_item", item.uuid,
                               f"Thu hồi {what} (quyết định số {decision.number})"[:300],
                               old=old, new=_item_values(item), reason=reason)
            session.flush()
            name = session.get_one(Subject, item.subject_id).name
            return ItemRow(item.id, item.nomination_id, item.subject_id, name, item.award_code, item.year,
                           item.basis_kind, item.reward_amount, item.award_id, item.revoked_on,
                           item.revoked_reason)

    # --- inside -------------------------------------------------------------------------

    def _now(self) -> datetime:
        return stored_now(self._clock)

    def _setup(self) -> CommuneSetup:
        setup = self._commune.get()
        if setup is None:
            raise SetupRequiredError("Hãy thiết lập thông tin xã (ký hiệu văn bản, người ký) trước.")
        return setup

    def _add(self, session: Session, decision: Decision, nomination_ids: Sequence[int]) -> None:
        """Add nominations as items with the reward money on today's settings (recomputed
        with the settings of the decision date when issued)."""
        today = self.today()
        settings = self._rule_settings.on(today)
        old_law = rule_set_on(today).is_old_law
        wanted = list(dict.fromkeys(nomination_ids))
        found, subjects = _load(session, wanted)
        taken = _in_decisions(session, wanted)
        events: list[AuditEvent] = []
        for nomination_id in wanted:
            nomination = found.get(nomination_id)
            if nomination is None:
                raise NotFoundError(f"Không tìm thấy đề nghị số {nomination_id}; có thể đã bị xóa.")
            what = describe(session, nomination)
            if nomination.year != decision.year:
                raise ValidationError(f"{what[:1].upper()}{what[1:]} không thuộc năm {decision.year} "
                                      "của quyết định.", "items")
            if nomination.action != Route.DECIDE:
                raise ValidationError(f"{what[:1].upper()}{what[1:]} không do Chủ tịch UBND xã quyết định; "
                                      "hãy trình cấp trên.", "items")
            if nomination.state not in (State.PUBLIC_NOTICE, State.CHECKED) or (
                    nomination.state == State.CHECKED and nomination.procedure != Procedure.SIMPLIFIED):
                raise ValidationError(f"{what[:1].upper()}{what[1:]} chưa sẵn sàng để quyết định "
                                      "(cần niêm yết công khai xong, hoặc thủ tục đơn giản đã kiểm tra).",
                                      "items")
            if nomination.id in taken:
                raise ValidationError(f"{what[:1].upper()}{what[1:]} đã có trong một quyết định khác.",
                                      "items")
            subject = subjects[nomination.subject_id]
            reward = reward_for(nomination.award_code, subject.kind, settings, old_law)
            item = DecisionItem(uuid=new_uuid(), decision_id=decision.id, nomination_id=nomination.id,
                                subject_id=nomination.subject_id, award_code=nomination.award_code,
                                year=nomination.year, basis_kind=nomination.basis_kind,
                                reward_amount=reward.amount if reward else 0)
            session.add(item)
            events.append(AuditEvent("create", "decision_item", item.uuid,
                                     f"Đưa vào dự thảo quyết định: {what}"[:300], new=_item_values(item)))
        session.flush()
        self._audit.record_many(session, self._actor, events)

    def _remove(self, session: Session, item: DecisionItem) -> None:
        self._audit.record(session, self._actor, "delete", "decision_item", item.uuid,
                           f"Bỏ khỏi dự thảo quyết định: {_item_text(session, item)}"[:300],
                           old=_item_values(item))
        session.delete(item)

    def _check_issuable(self, session: Session, item: DecisionItem, rule_set: object,
                        decided_on: date) -> None:
        what = _item_text(session, item)
        decider = authority(rule_set, item.award_code)  # type: ignore[arg-type]
        if not decider.commune_decides:
            outside = (f"{what}: ngày {decided_on:%d/%m/%Y} không thuộc thẩm quyền quyết định của Chủ tịch "
                       f"UBND xã (thuộc {decider.label}; {decider.basis}).")
            if item.nomination_id is None:
                raise ValidationError(f"{outside} Hãy bỏ dòng này và trình cấp trên đề nghị khen thưởng.",
                                      "items")
            # The route (decide / propose) was fixed by the check; it does not change after the vote.
            raise ValidationError(
                f"{outside} Đề nghị đã được xét theo hướng xã quyết định nên không chuyển thẳng sang trình "
                "cấp trên được: hãy bỏ dòng này khỏi dự thảo, trả lại đề nghị, mở lại, sửa ngày dự kiến "
                "quyết định cho đúng rồi kiểm tra lại điều kiện (khi đó đề nghị được xét theo hướng trình "
                f"{decider.label}).", "items")
        if item.nomination_id is None:
            return
        nomination = session.get_one(Nomination, item.nomination_id)
        problem = _ready(nomination, decided_on)
        if problem is not None:
            raise ValidationError(f"{what}: {problem}", "items")


def _refuse_awarded_twice(session: Session, items: Sequence[DecisionItem], subjects: dict[int, Subject]) -> None:
    """One achievement, one award (L2022 Điều 5 k2): refused when the decision names a
    subject twice for the same award and year, or the subject already holds that award for
    that year in its history (revoked awards do not count)."""
    seen: set[tuple[int, str, int]] = set()
    for item in items:
        key = (item.subject_id, item.award_code, item.year)
        if key in seen:
            raise ValidationError(f"Quyết định có hai dòng {_item_text(session, item)}; mỗi thành tích chỉ "
                                  "khen thưởng một lần, hãy bỏ một dòng.", "items")
        seen.add(key)
    ids = sorted({item.subject_id for item in items})
    held: dict[tuple[int, str, int], Award] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        for award in session.scalars(select(Award).where(Award.subject_id.in_(ids[start:start + _IN_CHUNK]),
                                                         Award.revoked_on.is_(None))):
            held.setdefault((award.subject_id, award.award_code, award.year), award)
    for item in items:
        award = held.get((item.subject_id, item.award_code, item.year))
        if award is not None:
            number = f" theo quyết định số {award.decision_number}" if award.decision_number else ""
            when = f" ngày {award.decision_date:%d/%m/%Y}" if award.decision_date else ""
            raise ValidationError(
                f"«{subjects[item.subject_id].name}» đã được tặng «{catalogue.AWARDS[item.award_code].label}» "
                f"năm {item.year}{number}{when}; mỗi thành tích chỉ khen thưởng một lần. Hãy bỏ dòng này "
                "khỏi dự thảo.", "items")


def _load(session: Session, nomination_ids: Iterable[int],
          subject_ids: Iterable[int] = ()) -> tuple[dict[int, Nomination], dict[int, Subject]]:
    """These nominations and subjects (those that exist) by id, read in a few queries. While
    the caller holds them, the session's `get` and `describe` find them without a query (the
    session keeps unchanged objects only as long as someone refers to them)."""
    nominations: dict[int, Nomination] = {}
    wanted = list(dict.fromkeys(nomination_ids))
    for start in range(0, len(wanted), _IN_CHUNK):
        nominations.update((n.id, n) for n in session.scalars(
            select(Nomination).where(Nomination.id.in_(wanted[start:start + _IN_CHUNK]))))
    subjects: dict[int, Subject] = {}
    wanted = list(dict.fromkeys([*subject_ids, *(n.subject_id for n in nominations.values())]))
    for start in range(0, len(wanted), _IN_CHUNK):
        subjects.update((s.id, s) for s in session.scalars(
            select(Subject).where(Subject.id.in_(wanted[start:start + _IN_CHUNK]))))
    return nominations, subjects


def _in_decisions(session: Session, nomination_ids: Sequence[int]) -> set[int]:
    """Those of the nominations already an item of some decision."""
    taken: set[int] = set()
    for start in range(0, len(nomination_ids), _IN_CHUNK):
        taken.update(session.scalars(select(DecisionItem.nomination_id).where(
            DecisionItem.nomination_id.in_(nomination_ids[start:start + _IN_CHUNK]))))
    return taken


def _ready(nomination: Nomination, on: date) -> str | None:
    """None when the nomination may be decided on `on`; otherwise why not."""
    if nomination.action != Route.DECIDE:
        return "không do Chủ tịch UBND xã quyết định."
    if nomination.procedure == Procedure.SIMPLIFIED:
        if nomination.state != State.CHECKED:
            return "đề nghị chưa được kiểm tra điều kiện."
        if nomination.event_date and on < nomination.event_date:
            return f"ngày quyết định trước ngày lập thành tích {nomination.event_date:%d/%m/%Y}."
        return None
    if nomination.state != State.PUBLIC_NOTICE:
        return "đề nghị chưa qua biểu quyết và niêm yết công khai."
    if nomination.notice_ends_on is None or not nomination.notice_ends_on < on:
        ends = f" (hết ngày {nomination.notice_ends_on:%d/%m/%Y})" if nomination.notice_ends_on else ""
        return f"thời gian niêm yết công khai chưa kết thúc trước ngày {on:%d/%m/%Y}{ends}."
    return None


def _get(session: Session, decision_id: int) -> Decision:
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise NotFoundError("Không tìm thấy quyết định; có thể đã bị xóa.")
    return decision


def _draft(session: Session, decision_id: int) -> Decision:
    decision = _get(session, decision_id)
    if decision.state != DRAFT:
        raise ValidationError(
            f"Quyết định số {decision.number} đã ban hành, không sửa được; chỉ có thể thu hồi từng dòng.",
            "state")
    return decision


def _clean_draft(data: DraftData) -> DraftData:
    abstract = clean(data.abstract)
    if not abstract:
        raise ValidationError("Hãy nhập trích yếu của quyết định («Về việc khen thưởng …»).", "abstract")
    if len(abstract) > 500:
        raise ValidationError("Trích yếu dài quá 500 ký tự.", "abstract")
    if data.sign_mode not in SIGN_MODES:
        raise ValidationError("Hình thức ký phải là TM. hoặc KT.", "sign_mode")
    recipients = "\n".join(line for line in (clean(x).strip("-; ") for x in data.recipients.splitlines()) if line)
    return DraftData(abstract, clean(data.signer_name)[:100], clean(data.signer_title)[:100],
                     data.sign_mode, recipients, data.movement_id)


def _draft_fields(data: DraftData) -> dict[str, object]:
    return {"abstract": data.abstract, "signer_name": data.signer_name, "signer_title": data.signer_title,
            "sign_mode": data.sign_mode, "recipients": data.recipients, "movement_id": data.movement_id}


def _draft_fields_of(decision: Decision) -> dict[str, object]:
    return {name: getattr(decision, name) for name in _draft_fields(DraftData("", "", ""))}


def _item_values(item: DecisionItem) -> dict[str, object]:
    return {"nomination_id": item.nomination_id, "subject_id": item.subject_id,
            "award_code": item.award_code, "year": item.year, "basis_kind": item.basis_kind,
            "reward_amount": item.reward_amount,
            "revoked_on": item.revoked_on.isoformat() if item.revoked_on else None,
            "revoked_reason": item.revoked_reason}


def _item_text(session: Session, item: DecisionItem) -> str:
    subject = session.get(Subject, item.subject_id)
    return (f"«{catalogue.AWARDS[item.award_code].label}» năm {item.year} "
            f"cho «{subject.name if subject else '?'}»")


def _row(session: Session, decision: Decision) -> DecisionRow:
    count, revoked, total = session.execute(
        select(func.count(DecisionItem.id), func.count(DecisionItem.revoked_on),
               func.coalesce(func.sum(DecisionItem.reward_amount).filter(DecisionItem.revoked_on.is_(None)), 0))
        .where(DecisionItem.decision_id == decision.id)).one()
    return DecisionRow(decision.id, decision.uuid, decision.year, decision.state, decision.number,
                       decision.decided_on, decision.abstract, decision.signer_name, decision.signer_title,
                       decision.sign_mode, decision.recipients, decision.movement_id, count, revoked, total)
