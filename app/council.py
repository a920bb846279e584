"""Council sessions (họp Hội đồng Thi đua - Khen thưởng xã): attendance, ballots, votes,
quotas, and the result that moves each nomination on.

Rules callers rely on:
- a session is open until it is finalised; a final session never changes again. A mistake
  is corrected by a new session that names the one it corrects (`correct`), and its result
  replaces the earlier one for the nominations it holds;
- no recording may leave numbers that cannot be true (ballots beyond the members present,
  votes beyond the valid ballots): it is refused and nothing changes. A session without
  quorum, a vote the tie rule cannot settle at the quota boundary, or a threshold on valid
  ballots without ballots recorded only blocks finalising;
- finalising moves every nomination through `app.nomination_flow.apply_action` in the same
  transaction: voted when it passed within the quota, returned with the reason in words
  otherwise.
The count itself is pure and lives in app/council_tally.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker, with_polymorphic

from app import catalogue
from app.audit import AuditTrail, Clock, utc_now
from app.council_tally import (
    FEMALE_COLLECTIVE_PERCENT,
    Candidate,
    SessionTally,
    TallyInput,
    award_label,
    tally,
)
from app.eligibility.rule_settings import THRESHOLD, RuleSettings, VoteThreshold, parse_value
from app.eligibility.outcome import Verdict
from app.eligibility_service import EligibilityService
from app.errors import NotFoundError, ValidationError
from app.nomination_checks import NominationChecks, set_route_in, why_not
from app.nomination_context import default_calendar
from app.nomination_flow import apply_action, describe
from app.nomination_states import OPEN_STATES, STATE_LABELS, Action, Procedure, State
from app.roles import Actor, Permission, require
from app.rule_setting_service import RuleSettingService
from app.vietnamese import clean
from db.models import (
    CollectiveMember,
    CouncilMember,
    CouncilQuota,
    CouncilSession,
    CouncilVote,
    Individual,
    Nomination,
    Official,
    Subject,
    User,
)

ENTITY = "council_session"  # the audit trail's name for a session
OPEN, FINAL = "open", "final"
STATE_WORDS = {OPEN: "Đang họp (chưa chốt)", FINAL: "Đã chốt kết quả"}
# How an official of the commune setup sits on the council (ui/commune_form.py: the
# chairman chairs, the TĐKT officer is the secretary).
COUNCIL_ROLES = {
    "chairman": "Chủ tịch Hội đồng",
    "vice_chairman": "Phó Chủ tịch Hội đồng",
    "council_member": "Ủy viên",
    "officer": "Ủy viên, Thư ký Hội đồng",
}
# Starts the note of the CSTĐCS quota stored at finalising from the default share; a
# correction does not copy it, so its own LĐTT result sets the share again.
DEFAULT_QUOTA_NOTE = "Mặc định: "
# Starts the note of a vote a correcting session passed but could not carry out, because the
# checker run again at the correction found the nomination not eligible: it stays where it
# was, and counts as not voted (a later session may vote on it again).
NOT_MOVED_NOTE = "Chưa chuyển bước: "
_IN_CHUNK = 500  # ids per IN (...) list, below SQLite's parameter limit
NO_MEMBERS = ("Thiết lập xã chưa có thành viên Hội đồng TĐKT. Hãy thêm ở menu Tệp → Thiết lập xã…, "
              "mục «Thành viên khác của Hội đồng TĐKT», rồi lập phiên họp.")


@dataclass(frozen=True)
class SessionRow:
    id: int
    uuid: str
    year: int
    held_on: date
    title: str
    location: str
    state: str
    finalised_at: datetime | None  # UTC, naive
    finalised_by: str
    corrects_id: int | None
    corrects_title: str
    correction_reason: str
    corrected_by_id: int | None  # the session that corrects this one, if any
    candidates: int
    voted: int  # passed within quota (final sessions only)

    @property
    def is_final(self) -> bool:
        return self.state == FINAL


@dataclass(frozen=True)
class MemberRow:
    id: int
    full_name: str
    council_role: str
    present: bool


@dataclass(frozen=True)
class CandidateRow:
    nomination_id: int
    subject_name: str
    subject_kind: str
    award_code: str
    award_label: str
    state: str  # the nomination's state now
    votes: int


@dataclass(frozen=True)
class QuotaRow:
    award_code: str
    quota: int
    note: str


@dataclass(frozen=True)
class SessionDetail:
    session: SessionRow
    ballots_issued: int | None
    ballots_returned: int | None
    ballots_valid: int | None
    members: tuple[MemberRow, ...]
    candidates: tuple[CandidateRow, ...]
    quotas: tuple[QuotaRow, ...]  # set by the officer (and, once final, the default CSTĐCS one)
    tally_input: TallyInput  # for a live preview while the officer types
    tally: SessionTally  # a final session shows its stored result


@dataclass(frozen=True)
class NominationChoice:
    """A nomination that may be added to a session."""

    id: int
    subject_name: str
    award_code: str
    award_label: str


class CouncilService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 rule_settings: RuleSettingService, clock: Clock = utc_now,
                 checks: NominationChecks | None = None) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._rule_settings = rule_settings
        self._clock = clock
        # The checker a correction runs before it moves a nomination through «check» again;
        # the services pass the officer's work calendar.
        self._checks = checks or NominationChecks(
            rule_settings, EligibilityService(sessions, actor, audit, rule_settings, clock), default_calendar)

    # Reading

    def sessions(self, year: int) -> list[SessionRow]:
        with self._sessions() as session:
            rows = session.scalars(select(CouncilSession).where(CouncilSession.year == year)
                                   .order_by(CouncilSession.held_on, CouncilSession.id))
            return [_session_row(session, s) for s in rows]

    def detail(self, session_id: int) -> SessionDetail:
        with self._sessions() as session:
            return self._detail(session, self._get(session, session_id))

    def tally(self, session_id: int) -> SessionTally:
        """The count as recorded now (a final session: its stored result)."""
        return self.detail(session_id).tally

    def available_nominations(self, session_id: int) -> list[NominationChoice]:
        """The year's checked nominations (standard procedure) this session could take."""
        with self._sessions() as session:
            council = self._get(session, session_id)
            rows = session.execute(
                select(Nomination, Subject.name).join(Subject, Subject.id == Nomination.subject_id)
                .where(Nomination.year == council.year, Nomination.state == State.CHECKED,
                       Nomination.procedure == Procedure.STANDARD)
                .order_by(Nomination.award_code, Subject.sort_key)).all()
            sessions_of = _sessions_of(session, [n.id for n, _name in rows])
            return [NominationChoice(n.id, name, n.award_code, award_label(n.award_code))
                    for n, name in rows if not _why_not_addable(council, n, sessions_of.get(n.id, []))]

    # Changing an open session

    def create(self, year: int, held_on: date, title: str, location: str = "") -> int:
        """A new open session whose members are the council named in the commune setup."""
        require(self._actor, Permission.RUN_EMULATION)
        title, location = clean(title), clean(location)
        _check_date(year, held_on)
        if not title:
            raise ValidationError("Hãy nhập tên phiên họp.", "title")
        with self._sessions.begin() as session:
            officials = list(session.scalars(select(Official).order_by(Official.position)))
            if not any(o.role == "council_member" for o in officials):
                raise ValidationError(NO_MEMBERS, "members")
            now = self._now()
            council = CouncilSession(year=year, held_on=held_on, title=title, location=location,
                                     state=OPEN, created_at=now, updated_at=now)
            session.add(council)
            session.flush()
            for position, official in enumerate(o for o in officials if o.role in COUNCIL_ROLES):
                role = COUNCIL_ROLES[official.role]
                if official.role == "council_member" and official.title:
                    role = f"{role} ({official.title})"
                session.add(CouncilMember(session_id=council.id, official_id=official.id,
                                          full_name=official.full_name, council_role=role[:150],
                                          present=True, position=position))
            session.flush()
            members = len(_members(session, council.id))
            self._record(session, council, "create", f"Lập {_name(council)}, {members} thành viên",
                         new={"year": year, "held_on": held_on.isoformat(), "title": title,
                              "location": location, "members": members})
            return council.id

    def set_attendance(self, session_id: int, present: Mapping[int, bool]) -> SessionDetail:
        return self.record(session_id, attendance=present)

    def set_ballots(self, session_id: int, issued: int | None, returned: int | None,
                    valid: int | None) -> SessionDetail:
        return self.record(session_id, ballots=(issued, returned, valid))

    def set_votes(self, session_id: int, votes: Mapping[int, int]) -> SessionDetail:
        return self.record(session_id, votes=votes)

    def record(self, session_id: int, *, attendance: Mapping[int, bool] | None = None,
               ballots: tuple[int | None, int | None, int | None] | None = None,
               votes: Mapping[int, int] | None = None) -> SessionDetail:
        """Attendance ({member id: present}), ballots (issued, returned, valid; all or none)
        and votes ({nomination id: votes for}) in one change: refused as a whole, nothing
        changed, when the numbers cannot be true together."""
        require(self._actor, Permission.RUN_EMULATION)
        if ballots is not None:
            _check_ballots(ballots)
        for count in (votes or {}).values():
            if not isinstance(count, int) or count < 0:
                raise ValidationError("Số phiếu đồng ý phải là số nguyên không âm.", "votes")
        with self._sessions.begin() as session:
            council = self._open(session, session_id)
            old = _sheet(session, council)
            members = {m.id: m for m in _members(session, council.id)}
            for member_id, present in (attendance or {}).items():
                if member_id not in members:
                    raise NotFoundError("Không tìm thấy thành viên trong phiên họp này.")
                members[member_id].present = bool(present)
            if ballots is not None:
                council.ballots_issued, council.ballots_returned, council.ballots_valid = ballots
            rows = {v.nomination_id: v for v in _votes(session, council.id)}
            for nomination_id, count in (votes or {}).items():
                if nomination_id not in rows:
                    raise NotFoundError("Đề nghị này không có trong phiên họp.")
                rows[nomination_id].votes_for = count
            session.flush()
            new = _sheet(session, council)
            if new == old:
                return self._detail(session, council)
            data = self._input(session, council)
            problems = tally(data).entry_problems
            if problems:
                raise ValidationError(" ".join(problems), "votes")
            council.updated_at = self._now()
            self._record(session, council, "update", f"Ghi kết quả {_name(council)}", old=old, new=new)
            return self._detail(session, council, data)

    def add_nominations(self, session_id: int, nomination_ids: Iterable[int]) -> SessionDetail:
        """Put nominations to the vote: only the session year's checked nominations of the
        standard procedure, not already in an open session or passed at a final one."""
        require(self._actor, Permission.RUN_EMULATION)
        with self._sessions.begin() as session:
            council = self._open(session, session_id)
            wanted = list(dict.fromkeys(nomination_ids))
            found = _nominations(session, wanted)
            sessions_of = _sessions_of(session, wanted)
            settings = self._rule_settings.on(council.held_on)
            added = []
            for nomination_id in wanted:
                nomination = found.get(nomination_id)
                if nomination is None:
                    raise NotFoundError("Không tìm thấy đề nghị; có thể đã bị xóa.")
                why = _why_not_addable(council, nomination, sessions_of.get(nomination_id, []))
                if why:
                    raise ValidationError(f"Không đưa {describe(session, nomination)} ra Hội đồng: {why}",
                                          "nominations")
                _threshold(settings, nomination.award_code)
                session.add(CouncilVote(session_id=council.id, nomination_id=nomination.id, votes_for=0))
                added.append(nomination)
            if not added:
                return self._detail(session, council)
            session.flush()
            council.updated_at = self._now()
            self._record(session, council, "update",
                         f"Đưa {len(added)} đề nghị ra {_name(council)}",
                         new={"nominations": [n.uuid for n in added]})
            return self._detail(session, council)

    def remove_nomination(self, session_id: int, nomination_id: int) -> SessionDetail:
        require(self._actor, Permission.RUN_EMULATION)
        with self._sessions.begin() as session:
            council = self._open(session, session_id)
            vote = next((v for v in _votes(session, council.id) if v.nomination_id == nomination_id), None)
            if vote is None:
                raise NotFoundError("Đề nghị này không có trong phiên họp.")
            nomination = session.get_one(Nomination, nomination_id)
            session.delete(vote)
            session.flush()
            council.updated_at = self._now()
            self._record(session, council, "update",
                         f"Bỏ {describe(session, nomination)} khỏi {_name(council)}",
                         old={"nomination": nomination.uuid, "votes_for": vote.votes_for})
            return self._detail(session, council)

    def set_quota(self, session_id: int, award_code: str, quota: int | None, note: str = "") -> SessionDetail:
        """The most nominations of `award_code` the session may pass; None removes the quota.

        Without a quota of its own, CSTĐCS gets a default when the setting
        `cstdcs_quota_percent` has a value on the session date: that share of the LĐTT
        candidates passing in the same session, rounded down, because the rule caps CSTĐCS
        at no more than the share (15 % of 7 LĐTT allows 1, not 2). A session with no LĐTT
        candidate gets no default (its LĐTT were voted elsewhere; set the quota by hand).
        """
        require(self._actor, Permission.RUN_EMULATION)
        if award_code not in catalogue.AWARDS:
            raise ValidationError(f"Không có danh hiệu, hình thức khen thưởng mã “{award_code}”.", "award_code")
        if quota is not None and (not isinstance(quota, int) or quota < 0):
            raise ValidationError("Chỉ tiêu phải là số nguyên không âm.", "quota")
        with self._sessions.begin() as session:
            council = self._open(session, session_id)
            row = session.scalar(select(CouncilQuota).where(CouncilQuota.session_id == council.id,
                                                            CouncilQuota.award_code == award_code))
            old = None if row is None else {"quota": row.quota, "note": row.note}
            if quota is None:
                if row is None:
                    return self._detail(session, council)
                session.delete(row)
            else:
                if row is None:
                    row = CouncilQuota(session_id=council.id, award_code=award_code, quota=quota)
                    session.add(row)
                row.quota, row.note = quota, clean(note)
            session.flush()
            new = None if quota is None else {"quota": quota, "note": clean(note)}
            if new == old:
                return self._detail(session, council)
            council.updated_at = self._now()
            self._record(session, council, "update",
                         f"Chỉ tiêu «{award_label(award_code)}» của {_name(council)}: "
                         f"{'không giới hạn' if quota is None else quota}",
                         old={"award_code": award_code, **(old or {})},
                         new={"award_code": award_code, **(new or {})})
            return self._detail(session, council)

    # Finalising and correcting

    def finalise(self, session_id: int) -> SessionDetail:
        """Lock the session and move each nomination on (voted, or returned with the reason);
        refused, nothing changed, while the count has problems."""
        require(self._actor, Permission.RUN_EMULATION)
        with self._sessions.begin() as session:
            council = self._open(session, session_id)
            # Held to the end, so naming each nomination as it moves on needs no query.
            loaded = _candidates(session, [vote.nomination_id for vote in _votes(session, council.id)])
            result = self._tally(session, council)
            if result.problems:
                raise ValidationError("Chưa chốt được kết quả: " + " ".join(result.problems), "problems")
            now = self._now()
            earlier = _earlier_results(session, council)
            moves = [_move(session, council, loaded[vote.nomination_id][0], result, earlier)
                     for vote in _votes(session, council.id)]
            refused = [m for m in moves if isinstance(m, str)]
            if refused:
                raise ValidationError("Chưa chốt được kết quả: " + " ".join(refused), "problems")
            held_back = self._check_again(session, council, moves)  # type: ignore[arg-type]
            for quota in result.quotas:
                if quota.is_default:
                    session.add(CouncilQuota(session_id=council.id, award_code=quota.award_code,
                                             quota=quota.quota, note=DEFAULT_QUOTA_NOTE + quota.note))
            for vote in _votes(session, council.id):
                judged = result.result(vote.nomination_id)
                vote.threshold = judged.threshold.text()
                vote.base = judged.base
                vote.passed = judged.passed
                vote.rank = judged.rank
                vote.within_quota = judged.within_quota
                vote.note = held_back.get(vote.nomination_id, judged.reason)
            council.state = FINAL
            council.finalised_at = now
            council.finalised_by = self._actor.user_id
            council.updated_at = now
            session.flush()
            for move in moves:
                assert not isinstance(move, str)
                nomination, actions, reason = move
                if nomination.id in held_back:
                    continue
                for action in actions:
                    apply_action(session, self._audit, self._actor, nomination, action,
                                 council.held_on, now, reason)
            voted = sum(c.voted for c in result.candidates) - len(held_back)
            kept = f"; {len(held_back)} đề nghị không còn đủ điều kiện, chưa chuyển bước" if held_back else ""
            self._record(session, council, "finalise",
                         f"Chốt kết quả {_name(council)}: {voted}/{len(result.candidates)} đề nghị đạt{kept}",
                         old={"state": OPEN}, new={"state": FINAL, "voted": voted,
                                                   "candidates": len(result.candidates),
                                                   **({"held_back": len(held_back)} if held_back else {})})
            return self._detail(session, council)

    def correct(self, session_id: int, reason: str, held_on: date) -> int:
        """A new open session correcting a final one: same members, attendance, ballots,
        quotas and nominations with their votes, to be changed where the earlier was wrong.
        Finalising it replaces the earlier result for those nominations."""
        require(self._actor, Permission.RUN_EMULATION)
        reason = clean(reason)
        if not reason:
            raise ValidationError("Hãy ghi lý do lập phiên điều chỉnh.", "reason")
        with self._sessions.begin() as session:
            earlier = self._get(session, session_id)
            if earlier.state != FINAL:
                raise ValidationError("Phiên họp chưa chốt kết quả thì sửa trực tiếp, không cần "
                                      "phiên điều chỉnh.", "state")
            later = session.scalar(select(CouncilSession).where(CouncilSession.corrects_id == earlier.id))
            if later is not None:
                raise ValidationError(f"{_upper_first(_name(earlier))} đã có phiên điều chỉnh "
                                      f"«{later.title}» ngày {_day(later.held_on)}; hãy điều chỉnh "
                                      "từ phiên đó.", "state")
            _check_date(earlier.year, held_on)
            if held_on < earlier.held_on:
                raise ValidationError("Phiên điều chỉnh không thể họp trước phiên họp được điều chỉnh "
                                      f"({_day(earlier.held_on)}).", "held_on")
            now = self._now()
            council = CouncilSession(
                year=earlier.year, held_on=held_on, title=f"Điều chỉnh: {earlier.title}"[:300],
                location=earlier.location, ballots_issued=earlier.ballots_issued,
                ballots_returned=earlier.ballots_returned, ballots_valid=earlier.ballots_valid,
                state=OPEN, corrects_id=earlier.id, correction_reason=reason,
                created_at=now, updated_at=now)
            session.add(council)
            session.flush()
            for member in _members(session, earlier.id):
                session.add(CouncilMember(session_id=council.id, official_id=member.official_id,
                                          full_name=member.full_name, council_role=member.council_role,
                                          present=member.present, position=member.position))
            for vote in _votes(session, earlier.id):
                session.add(CouncilVote(session_id=council.id, nomination_id=vote.nomination_id,
                                        votes_for=vote.votes_for))
            for quota in session.scalars(select(CouncilQuota).where(CouncilQuota.session_id == earlier.id)):
                if quota.note.startswith(DEFAULT_QUOTA_NOTE):
                    continue
                session.add(CouncilQuota(session_id=council.id, award_code=quota.award_code,
                                         quota=quota.quota, note=quota.note))
            session.flush()
            self._record(session, council, "create",
                         f"Lập {_name(council)} điều chỉnh {_name(earlier)}",
                         new={"corrects": earlier.uuid, "held_on": held_on.isoformat()}, reason=reason)
            return council.id

    # Inside a transaction

    def _check_again(self, session: Session, council: CouncilSession, moves: Sequence[Move]) -> dict[int, str]:
        """Before a correction moves a nomination through «check» again (reopened or a draft
        the council now passes), run the checker on the planned decision date (the session's
        date when none) and keep the result: so every check step has a check behind it. An
        eligible nomination takes the route the check gives; one that is not stays where it
        is: {nomination id: the vote's note saying why}."""
        held_back: dict[int, str] = {}
        for nomination, actions, _reason in moves:
            if Action.CHECK not in actions:
                continue
            day = nomination.planned_decision_date or council.held_on
            outcome = self._checks.run_in(session, [nomination], day)[nomination.id]
            if outcome.verdict is Verdict.ELIGIBLE:
                set_route_in(session, self._audit, self._actor, nomination, outcome)
                continue
            held_back[nomination.id] = (
                f"{NOT_MOVED_NOTE}Hội đồng biểu quyết đạt nhưng kiểm tra lại điều kiện ngày {_day(day)}: "
                f"{why_not(outcome)}; đề nghị vẫn ở bước «{STATE_LABELS[State(nomination.state)]}». Hãy "
                "bổ sung thông tin, kiểm tra lại rồi đưa ra Hội đồng xét lại.")[:500]
        return held_back

    def _get(self, session: Session, session_id: int) -> CouncilSession:
        council = session.get(CouncilSession, session_id)
        if council is None:
            raise NotFoundError("Không tìm thấy phiên họp Hội đồng; có thể đã bị xóa.")
        return council

    def _open(self, session: Session, session_id: int) -> CouncilSession:
        council = self._get(session, session_id)
        if council.state == FINAL:
            raise ValidationError(
                f"{_upper_first(_name(council))} đã chốt kết quả, không sửa được. Nếu có sai sót, hãy "
                "lập phiên điều chỉnh.", "state")
        return council

    def _tally(self, session: Session, council: CouncilSession) -> SessionTally:
        return tally(self._input(session, council))

    def _input(self, session: Session, council: CouncilSession) -> TallyInput:
        settings = self._rule_settings.on(council.held_on)
        members = _members(session, council.id)
        votes = _votes(session, council.id)
        loaded = _candidates(session, [vote.nomination_id for vote in votes])
        final = council.state == FINAL
        thresholds: dict[str, VoteThreshold] = {}
        candidates = []
        for vote in votes:
            nomination, subject = loaded[vote.nomination_id]
            code = nomination.award_code
            if final and vote.threshold:  # the threshold the result was reached with
                stored = parse_value(THRESHOLD, vote.threshold)
                assert isinstance(stored, VoteThreshold)
                thresholds[code] = stored
            elif code not in thresholds:
                thresholds[code] = _threshold(settings, code)
            candidates.append(Candidate(
                nomination.id, subject.name, code, vote.votes_for,
                is_female=isinstance(subject, Individual) and subject.gender == "female",
                female_collective=subject.kind == "collective"
                and _female_collective(session, subject.id, council.held_on)))
        quotas = {q.award_code: q.quota for q in
                  session.scalars(select(CouncilQuota).where(CouncilQuota.session_id == council.id))}
        quorum = settings.value("council_quorum_percent")
        share = None if final else settings.value("cstdcs_quota_percent")
        assert isinstance(quorum, Decimal) and (share is None or isinstance(share, Decimal))
        return TallyInput(
            members_total=len(members), members_present=sum(m.present for m in members),
            quorum_percent=quorum, ballots_issued=council.ballots_issued,
            ballots_returned=council.ballots_returned, ballots_valid=council.ballots_valid,
            candidates=tuple(candidates), thresholds=thresholds, quotas=quotas,
            cstdcs_quota_percent=share)

    def _detail(self, session: Session, council: CouncilSession,
                data: TallyInput | None = None) -> SessionDetail:
        """The session as the screens show it; `data` when the caller has just read it."""
        data = data or self._input(session, council)
        result = tally(data)
        votes = _votes(session, council.id)
        if council.state == FINAL:  # as it was finalised, whatever changed since
            stored = {v.nomination_id: v for v in votes}
            result = replace(result, problems=(), entry_problems=(), candidates=tuple(
                replace(c, passed=bool(stored[c.candidate.nomination_id].passed),
                        rank=stored[c.candidate.nomination_id].rank,
                        within_quota=stored[c.candidate.nomination_id].within_quota,
                        base=stored[c.candidate.nomination_id].base,
                        reason=stored[c.candidate.nomination_id].note)
                for c in result.candidates))
        loaded = _candidates(session, [vote.nomination_id for vote in votes])
        candidates = []
        for vote in votes:
            nomination, subject = loaded[vote.nomination_id]
            candidates.append(CandidateRow(nomination.id, subject.name, subject.kind, nomination.award_code,
                                           award_label(nomination.award_code), nomination.state,
                                           vote.votes_for))
        quotas = session.scalars(select(CouncilQuota).where(CouncilQuota.session_id == council.id)
                                 .order_by(CouncilQuota.award_code))
        return SessionDetail(
            session=_session_row(session, council), ballots_issued=council.ballots_issued,
            ballots_returned=council.ballots_returned, ballots_valid=council.ballots_valid,
            members=tuple(MemberRow(m.id, m.full_name, m.council_role, m.present)
                          for m in _members(session, council.id)),
            candidates=tuple(candidates),
            quotas=tuple(QuotaRow(q.award_code, q.quota, q.note) for q in quotas),
            tally_input=data, tally=result)

    def _record(self, session: Session, council: CouncilSession, action: str, summary: str, *,
                old: Mapping[str, object] | None = None, new: Mapping[str, object] | None = None,
                reason: str | None = None) -> None:
        self._audit.record(session, self._actor, action, ENTITY, council.uuid, summary[:300],
                           old=old, new=new, reason=reason)

    def _now(self) -> datetime:
        return self._clock().replace(tzinfo=None)


# Reading helpers

def _members(session: Session, session_id: int) -> list[CouncilMember]:
    return list(session.scalars(select(CouncilMember).where(CouncilMember.session_id == session_id)
                                .order_by(CouncilMember.position, CouncilMember.id)))


def _votes(session: Session, session_id: int) -> list[CouncilVote]:
    """The session's candidates in a stable order: award as the catalogue lists them, then name."""
    order = {code: i for i, code in enumerate(catalogue.AWARDS)}
    rows = session.execute(
        select(CouncilVote, Nomination.award_code, Subject.sort_key)
        .join(Nomination, Nomination.id == CouncilVote.nomination_id)
        .join(Subject, Subject.id == Nomination.subject_id)
        .where(CouncilVote.session_id == session_id)).all()
    rows.sort(key=lambda r: (order.get(r.award_code, len(order)), r.sort_key, r[0].id))
    return [r[0] for r in rows]


def _nominations(session: Session, nomination_ids: Sequence[int]) -> dict[int, Nomination]:
    """{id: nomination} for those that exist, in one query per chunk of ids."""
    found: dict[int, Nomination] = {}
    for start in range(0, len(nomination_ids), _IN_CHUNK):
        found.update((n.id, n) for n in session.scalars(
            select(Nomination).where(Nomination.id.in_(nomination_ids[start:start + _IN_CHUNK]))))
    return found


def _candidates(session: Session, nomination_ids: Sequence[int]) -> dict[int, tuple[Nomination, Subject]]:
    """{nomination id: (nomination, its subject)} in one query per chunk, a person's gender
    loaded with it; the objects stay in the session, so `describe` needs no query after."""
    subjects = with_polymorphic(Subject, [Individual])
    found: dict[int, tuple[Nomination, Subject]] = {}
    for start in range(0, len(nomination_ids), _IN_CHUNK):
        for nomination, subject in session.execute(
                select(Nomination, subjects).join(subjects, subjects.id == Nomination.subject_id)
                .where(Nomination.id.in_(nomination_ids[start:start + _IN_CHUNK]))):
            found[nomination.id] = (nomination, subject)
    return found


def _sessions_of(session: Session, nomination_ids: Sequence[int],
                 ) -> dict[int, list[tuple[CouncilSession, CouncilVote]]]:
    """{nomination id: [(session, its vote)]}, the latest session first."""
    found: dict[int, list[tuple[CouncilSession, CouncilVote]]] = {}
    for start in range(0, len(nomination_ids), _IN_CHUNK):
        for other, vote in session.execute(
                select(CouncilSession, CouncilVote)
                .join(CouncilVote, CouncilVote.session_id == CouncilSession.id)
                .where(CouncilVote.nomination_id.in_(nomination_ids[start:start + _IN_CHUNK]))
                .order_by(CouncilSession.id.desc())):
            found.setdefault(vote.nomination_id, []).append((other, vote))
    return found


def _sheet(session: Session, council: CouncilSession) -> dict[str, object]:
    """What `record` changes, as plain values for the audit trail."""
    return {
        "present": sorted(m.full_name for m in _members(session, council.id) if m.present),
        "ballots": [council.ballots_issued, council.ballots_returned, council.ballots_valid],
        "votes": {str(v.nomination_id): v.votes_for for v in _votes(session, council.id)},
    }


def _session_row(session: Session, council: CouncilSession) -> SessionRow:
    corrects = session.get(CouncilSession, council.corrects_id) if council.corrects_id else None
    corrected_by = session.scalar(select(CouncilSession.id).where(CouncilSession.corrects_id == council.id))
    user = session.get(User, council.finalised_by) if council.finalised_by else None
    votes = _votes(session, council.id)
    return SessionRow(
        id=council.id, uuid=council.uuid, year=council.year, held_on=council.held_on,
        title=council.title, location=council.location, state=council.state,
        finalised_at=council.finalised_at, finalised_by=user.full_name if user else "",
        corrects_id=council.corrects_id, corrects_title=corrects.title if corrects else "",
        correction_reason=council.correction_reason, corrected_by_id=corrected_by,
        candidates=len(votes), voted=sum(_carried(v) for v in votes))


def _carried(vote: CouncilVote) -> bool:
    """The vote passed within the quota and the nomination moved on with it."""
    return bool(vote.passed and vote.within_quota) and not vote.note.startswith(NOT_MOVED_NOTE)


def _female_collective(session: Session, collective_id: int, on: date) -> bool:
    """At least 70 % women among the collective's members on `on` (each person once)."""
    rows = session.execute(
        select(Individual.id, Individual.gender)
        .join(CollectiveMember, CollectiveMember.individual_id == Individual.id)
        .where(CollectiveMember.collective_id == collective_id,
               (CollectiveMember.joined_on.is_(None)) | (CollectiveMember.joined_on <= on),
               (CollectiveMember.left_on.is_(None)) | (CollectiveMember.left_on >= on))).all()
    people = dict(rows)
    women = sum(gender == "female" for gender in people.values())
    return bool(people) and women * 100 >= FEMALE_COLLECTIVE_PERCENT * len(people)


def _threshold(settings: RuleSettings, award_code: str) -> VoteThreshold:
    """The vote threshold of `award_code` in `settings` (those in force on the session date)."""
    key = f"vote_threshold:{award_code}"
    try:
        value = settings.value(key)
    except ValidationError:
        raise ValidationError(f"Chưa có ngưỡng biểu quyết của Hội đồng cho «{award_label(award_code)}»; "
                              "danh hiệu, hình thức này không xét qua Hội đồng xã.", "nominations") from None
    assert isinstance(value, VoteThreshold)
    return value


def _why_not_addable(council: CouncilSession, nomination: Nomination,
                     others: list[tuple[CouncilSession, CouncilVote]]) -> str:
    """Why a nomination cannot be put to this session's vote, or "" when it can; `others`
    are the sessions it is in, the latest first (`_sessions_of`)."""
    if nomination.year != council.year:
        return f"đề nghị thuộc năm {nomination.year}, phiên họp xét năm {council.year}."
    if nomination.procedure != Procedure.STANDARD:
        return "đề nghị theo thủ tục đơn giản không qua biểu quyết của Hội đồng."
    if nomination.state != State.CHECKED:
        return (f"đề nghị đang ở trạng thái «{STATE_LABELS[State(nomination.state)]}», chỉ đưa ra "
                f"Hội đồng đề nghị «{STATE_LABELS[State.CHECKED]}».")
    for other, _vote in others:
        if other.id == council.id:
            return "đề nghị đã có trong phiên họp này."
        if other.state == OPEN:
            return f"đề nghị đang có trong phiên họp chưa chốt «{other.title}» ngày {_day(other.held_on)}."
    last_final = next((pair for pair in others if pair[0].state == FINAL), None)
    if last_final is not None and _carried(last_final[1]):
        return (f"Hội đồng đã biểu quyết đạt tại phiên «{last_final[0].title}» "
                f"ngày {_day(last_final[0].held_on)}.")
    return ""


# Finalising helpers

Move = tuple[Nomination, tuple[Action, ...], str]


def _earlier_results(session: Session, council: CouncilSession) -> dict[int, bool]:
    """For a correcting session: {nomination id: voted} as the corrected session decided."""
    if council.corrects_id is None:
        return {}
    return {v.nomination_id: _carried(v) for v in _votes(session, council.corrects_id)}


def _move(session: Session, council: CouncilSession, nomination: Nomination, result: SessionTally,
          earlier: Mapping[int, bool]) -> Move | str:
    """The actions finalising takes on one nomination, or why it cannot be finalised."""
    judged = result.result(nomination.id)
    state = State(nomination.state)
    name = describe(session, nomination)
    if nomination.id not in earlier:  # put to the vote for the first time
        if state != State.CHECKED:
            return (f"{_upper_first(name)} không còn ở trạng thái «{STATE_LABELS[State.CHECKED]}» "
                    f"(nay: «{STATE_LABELS[state]}»); hãy bỏ khỏi phiên họp.")
        if judged.voted:
            return nomination, (Action.VOTE,), ""
        return nomination, (Action.RETURN,), judged.reason
    by = f"Theo phiên họp điều chỉnh «{council.title}» ngày {_day(council.held_on)}"
    if earlier[nomination.id] and not judged.voted:
        if state in (State.VOTED, State.PUBLIC_NOTICE):
            return nomination, (Action.RETURN,), f"{by}: {judged.reason}"
        if state in (State.RETURNED, State.DRAFT, State.CHECKED):  # already taken back
            return nomination, (), ""
        return (f"{_upper_first(name)} đã «{STATE_LABELS[state]}», phiên điều chỉnh không trả lại "
                "được; hãy xử lý theo quyết định (thu hồi) hoặc bỏ đề nghị khỏi phiên điều chỉnh.")
    if not earlier[nomination.id] and judged.voted:
        path = {State.RETURNED: (Action.REOPEN, Action.CHECK, Action.VOTE),
                State.DRAFT: (Action.CHECK, Action.VOTE), State.CHECKED: (Action.VOTE,)}
        if state not in path:
            return nomination, (), ""
        if state == State.RETURNED:
            clash = session.scalar(select(Nomination.id).where(
                Nomination.subject_id == nomination.subject_id, Nomination.award_code == nomination.award_code,
                Nomination.year == nomination.year, Nomination.id != nomination.id,
                Nomination.state.in_([s.value for s in OPEN_STATES])))
            if clash is not None:
                return (f"{_upper_first(name)}: đã có đề nghị khác (số {clash}) cho cùng đối tượng, "
                        "danh hiệu và năm đang xử lý; không mở lại được.")
        return nomination, path[state], f"{by}: Hội đồng biểu quyết đạt"
    return nomination, (), ""


# Checks and words

def _check_date(year: int, held_on: date) -> None:
    if not isinstance(held_on, date):
        raise ValidationError("Hãy nhập ngày họp.", "held_on")
    if held_on.year not in (year, year + 1):
        raise ValidationError(f"Phiên họp xét năm {year} phải họp trong năm {year} hoặc đầu năm "
                              f"{year + 1}.", "held_on")


def _check_ballots(ballots: Sequence[int | None]) -> None:
    if all(b is None for b in ballots):
        return
    if any(b is None for b in ballots):
        raise ValidationError("Hãy ghi đủ số phiếu phát ra, thu về và hợp lệ (hoặc để trống cả ba "
                              "khi biểu quyết giơ tay).", "ballots")
    if any(not isinstance(b, int) or b < 0 for b in ballots):
        raise ValidationError("Số phiếu phải là số nguyên không âm.", "ballots")


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _name(council: CouncilSession) -> str:
    return f"phiên họp «{council.title}» ngày {_day(council.held_on)}"
