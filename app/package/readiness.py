"""Whether a nomination may go into the next package for the province, and why not.

A nomination goes when it has been proposed (Trình cấp trên), its latest check passes, its
dossier has every part the check names (the tờ trình, the report and the council minutes
are drawn into the package itself), and either it was never sent or what was sent has been
answered "returned" or has changed since. One that was sent and has not changed waits for
the province's acknowledgement instead of going twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from app.catalogue import award_label
from app.documents.kinds import KIND_LABELS, Kind, Owner
from app.eligibility.outcome import Verdict
from app.errors import DomainError
from app.nomination_dossier import MINUTES_PARTS
from app.nomination_states import STATE_LABELS, State
from app.package.context import PackageContext
from app.package.records import RECORD_KINDS, RecordContent, verdict_label
from app.package.status import LatestVersion, RecordStatus

# The dossier parts the package draws itself: the tờ trình and the report (or the sudden
# feat's summary report) of every record.
DRAWN_PARTS = frozenset({"to_trinh", "bao_cao_thanh_tich", "bao_cao_tom_tat"})
SENT_WORDS = {
    RecordStatus.AWAITING: "chờ biên nhận",
    RecordStatus.RECEIVED: "tỉnh đã nhận, chờ kết quả",
    RecordStatus.RETURNED: "tỉnh trả lại",
    RecordStatus.APPROVED: "tỉnh đã khen thưởng",
    RecordStatus.NOT_APPROVED: "tỉnh không khen thưởng",
}


@dataclass(frozen=True)
class Candidate:
    nomination_id: int
    nomination_uuid: str
    year: int
    subject_name: str
    award_label: str
    state_label: str
    verdict_label: str
    ready: bool
    reasons: tuple[str, ...]  # why not ready, each a clause without a final full stop
    last_sent: str  # "Gói số 3 ngày 24/11/2026: chờ biên nhận"; "" if never sent
    new_version: bool  # ready and superseding an earlier version


def assess(ctx: PackageContext, content: RecordContent, latest: LatestVersion | None,
           draw_check: bool = True) -> Candidate:
    """The candidate `content` makes; `draw_check` also builds its documents (without drawing)
    to name one that cannot be printed."""
    reasons: list[str] = []
    state = State(content.state)
    if state is not State.PROPOSED:
        reasons.append(f"Chưa trình cấp trên: đề nghị đang ở bước «{STATE_LABELS[state]}»")
    if not content.verdict:
        reasons.append("Chưa kiểm tra điều kiện khen thưởng")
    elif content.verdict != Verdict.ELIGIBLE:
        reasons.append(f"Kết quả kiểm tra điều kiện gần nhất là «{verdict_label(content.verdict)}»; "
                       "hãy bổ sung rồi kiểm tra lại")
    missing = missing_parts(content)
    if missing:
        reasons.append("Hồ sơ còn thiếu: " + "; ".join(missing) + " (hãy đính kèm bản scan)")
    if draw_check and state is State.PROPOSED:
        reasons += document_problems(ctx, content)
    new_version = False
    last_sent = ""
    if latest is not None:
        last_sent = f"Gói số {latest.package_sequence} ngày {sent_on(latest):%d/%m/%Y}: {SENT_WORDS[latest.status]}"
        if latest.status in (RecordStatus.AWAITING, RecordStatus.RECEIVED):
            if latest.content_sha256 == content.content_sha256:
                reasons.append(f"Đã gửi trong gói số {latest.package_sequence} ngày {sent_on(latest):%d/%m/%Y}, "
                               f"{SENT_WORDS[latest.status]}; nội dung chưa thay đổi từ đó")
            new_version = True
        elif latest.status is RecordStatus.RETURNED:
            new_version = True
        else:
            reasons.append(f"Tỉnh đã trả lời hồ sơ gửi trong gói số {latest.package_sequence}: "
                           f"{SENT_WORDS[latest.status]}")
    ready = not reasons
    return Candidate(content.nomination_id, content.nomination_uuid, content.year, content.subject_name,
                     award_label(content.award_code), STATE_LABELS[state],
                     verdict_label(content.verdict) if content.verdict else "Chưa kiểm tra",
                     ready, tuple(reasons), last_sent, ready and new_version)


def missing_parts(content: RecordContent) -> list[str]:
    """The labels of the dossier parts the latest check names that nothing stands for: as
    NominationDossier.checklist judges them (an attached file for the part, or for the
    minutes a finalised council vote), less the parts the package draws itself."""
    checks: Sequence[Mapping] = content.content["checks"]  # type: ignore[assignment]
    if not checks:
        return []
    dossier = checks[0]["result"].get("dossier", [])
    attached = {row.dossier_part for row in content.attachments}
    missing = []
    for part in dossier:
        code = part.get("code") if isinstance(part, dict) else None
        if not code or code in DRAWN_PARTS or code in attached:
            continue
        if code in MINUTES_PARTS and content.council is not None:
            continue
        missing.append(str(part.get("label") or code))
    return missing


def document_problems(ctx: PackageContext, content: RecordContent) -> list[str]:
    """Why a document of the record cannot be built (a required text left empty, no setup)."""
    owners: list[tuple[Kind, Owner]] = [(kind, Owner("nomination", content.nomination_id)) for kind in RECORD_KINDS]
    if content.council is not None:
        owners.append((Kind.MINUTES, Owner("session", content.council[0])))
    problems = []
    for kind, owner in owners:
        try:
            ctx.printing.documents(kind, [owner])
        except DomainError as error:  # DocumentError, SetupRequiredError, NotFoundError
            problems.append(f"Không lập được «{KIND_LABELS[kind]}»: {str(error).rstrip('.')}")
    return problems


def sent_on(latest: LatestVersion) -> date:
    """The day (Việt Nam time) the package holding `latest` was made."""
    return date.fromisoformat(latest.package_created_at[:10])
