"""ORM models: the commune profile, the register of subjects (sổ theo dõi) and their history.

Everything that may travel to the province carries a UUID assigned at creation.
Enumerated values are stored as short English codes; their Vietnamese labels live in
`app/catalogue.py`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class CommuneProfile(Base):
    """The one row describing this commune (thiết lập xã)."""

    __tablename__ = "commune_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[int]
    province_name: Mapped[str] = mapped_column(String(100))
    commune_code: Mapped[int]
    commune_name: Mapped[str] = mapped_column(String(100))
    commune_kind: Mapped[str] = mapped_column(String(20))  # xã / phường / đặc khu
    place_name: Mapped[str] = mapped_column(String(100))  # used on the date line
    issuer_symbol: Mapped[str] = mapped_column(String(30), default="UBND")
    council_symbol: Mapped[str] = mapped_column(String(30), default="HĐTĐKT")
    updated_at: Mapped[datetime]


class Official(Base):
    """A named person holding a role in the commune's TĐKT work."""

    __tablename__ = "officials"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(30))  # chairman, vice_chairman, council_member, officer
    full_name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(150), default="")
    position: Mapped[int] = mapped_column(default=0)


class Subject(Base):
    """Anything that can receive a title or award: a person, collective, household or village."""

    __tablename__ = "subjects"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('individual', 'collective', 'household', 'village')", name="kind"
        ),
        # Lists, pickers and dense searches walk one kind in Vietnamese order.
        Index("ix_subjects_kind_sort_key", "kind", "sort_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    # Derived on write by app/vietnamese.py: diacritic-free text for search and a
    # binary-sortable key in Vietnamese order.
    search_text: Mapped[str] = mapped_column(String(400))
    sort_key: Mapped[str] = mapped_column(String(600), index=True)
    note: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __mapper_args__ = {"polymorphic_on": "kind"}

    ratings: Mapped[list[AnnualRating]] = relationship(
        back_populates="subject", cascade="all, delete-orphan", order_by="AnnualRating.year"
    )
    awards: Mapped[list[Award]] = relationship(
        back_populates="subject", cascade="all, delete-orphan", order_by="Award.year"
    )
    initiatives: Mapped[list[Initiative]] = relationship(
        back_populates="subject", cascade="all, delete-orphan", order_by="Initiative.year"
    )
    disciplines: Mapped[list[Discipline]] = relationship(
        back_populates="subject", cascade="all, delete-orphan", order_by="Discipline.decided_on"
    )


class Village(Subject):
    """Thôn, tổ dân phố (or ấp, bản...): a place and a subject of 'Thôn văn hóa'."""

    __tablename__ = "villages"

    id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), primary_key=True)
    village_kind: Mapped[str] = mapped_column(String(20))  # thon / to_dan_pho / ap / ban / other
    difficult_area: Mapped[bool] = mapped_column(default=False)
    ethnic_minority_area: Mapped[bool] = mapped_column(default=False)

    __mapper_args__ = {"polymorphic_identity": "village"}


class Collective(Subject):
    """A collective (tập thể): an office, unit, team, organisation, school..."""

    __tablename__ = "collectives"

    id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), primary_key=True)
    collective_kind: Mapped[str] = mapped_column(String(30))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("collectives.id", ondelete="SET NULL"), index=True
    )
    village_id: Mapped[int | None] = mapped_column(
        ForeignKey("villages.id", ondelete="SET NULL"), index=True
    )

    __mapper_args__ = {
        "polymorphic_identity": "collective",
        "inherit_condition": id == Subject.id,
    }


class Individual(Subject):
    """A person on the register."""

    __tablename__ = "individuals"
    __table_args__ = (
        CheckConstraint("gender IN ('male', 'female')", name="gender"),
        Index("ix_individuals_citizen_id", "citizen_id"),
        Index("ix_individuals_birth_date", "birth_date"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), primary_key=True)
    gender: Mapped[str] = mapped_column(String(10))
    birth_date: Mapped[date | None]
    ethnicity: Mapped[str] = mapped_column(String(50), default="Kinh")
    religion: Mapped[str] = mapped_column(String(50), default="Không")
    home_town: Mapped[str] = mapped_column(String(200), default="")
    residence: Mapped[str] = mapped_column(String(200), default="")
    citizen_id: Mapped[str | None] = mapped_column(String(12))
    job_title: Mapped[str] = mapped_column(String(150), default="")  # chức vụ, chức danh
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("collectives.id", ondelete="SET NULL"), index=True
    )
    village_id: Mapped[int | None] = mapped_column(
        ForeignKey("villages.id", ondelete="SET NULL"), index=True
    )
    employment: Mapped[str] = mapped_column(String(30))  # app.catalogue.EMPLOYMENT
    direct_labour: Mapped[bool] = mapped_column(default=False)
    employment_start: Mapped[date | None]
    ethnic_minority: Mapped[bool] = mapped_column(default=False)
    difficult_area: Mapped[bool] = mapped_column(default=False)

    __mapper_args__ = {
        "polymorphic_identity": "individual",
        "inherit_condition": id == Subject.id,
    }


class Household(Subject):
    """A household (hộ gia đình), subject of 'Gia đình văn hóa'."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), primary_key=True)
    village_id: Mapped[int | None] = mapped_column(
        ForeignKey("villages.id", ondelete="SET NULL"), index=True
    )
    address: Mapped[str] = mapped_column(String(200), default="")

    __mapper_args__ = {
        "polymorphic_identity": "household",
        "inherit_condition": id == Subject.id,
    }


class HouseholdMember(Base):
    __tablename__ = "household_members"
    __table_args__ = (UniqueConstraint("household_id", "individual_id", name="member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True
    )
    individual_id: Mapped[int] = mapped_column(
        ForeignKey("individuals.id", ondelete="CASCADE"), index=True
    )
    relation: Mapped[str] = mapped_column(String(50), default="")  # chủ hộ, vợ, con...
    is_head: Mapped[bool] = mapped_column(default=False)


class CollectiveMember(Base):
    """Membership of a person in a collective over a period (needed for the collective ratios)."""

    __tablename__ = "collective_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(
        ForeignKey("collectives.id", ondelete="CASCADE"), index=True
    )
    individual_id: Mapped[int] = mapped_column(
        ForeignKey("individuals.id", ondelete="CASCADE"), index=True
    )
    joined_on: Mapped[date | None]
    left_on: Mapped[date | None]


class AnnualRating(Base):
    """Year-end rating (xếp loại): htxs / tot / ht / kht."""

    __tablename__ = "annual_ratings"
    __table_args__ = (UniqueConstraint("subject_id", "year", name="subject_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"))
    year: Mapped[int]
    rating: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(default="")

    subject: Mapped[Subject] = relationship(back_populates="ratings")


class Award(Base):
    """A title (danh hiệu) or form of commendation (hình thức khen thưởng) received.

    `year` is the achievement year; multi-year awards also give `period_start`.
    `legal_basis` keeps the law it was granted under (L2022 Điều 95).
    """

    __tablename__ = "awards"
    __table_args__ = (Index("ix_awards_subject_year", "subject_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"))
    award_code: Mapped[str] = mapped_column(String(30))  # app.catalogue.AWARDS
    year: Mapped[int]
    period_start: Mapped[int | None]
    basis_kind: Mapped[str] = mapped_column(String(30), default="annual_duty")
    decision_number: Mapped[str] = mapped_column(String(50), default="")
    decision_date: Mapped[date | None]
    issuer: Mapped[str] = mapped_column(String(200), default="")
    legal_basis: Mapped[str] = mapped_column(String(200), default="")
    revoked_on: Mapped[date | None]
    revoked_reason: Mapped[str] = mapped_column(default="")

    subject: Mapped[Subject] = relationship(back_populates="awards")


class Initiative(Base):
    """A recognised initiative (sáng kiến) or research result."""

    __tablename__ = "initiatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subjects.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    scope: Mapped[str] = mapped_column(String(20), default="base")  # base / province / national
    recognised_by: Mapped[str] = mapped_column(String(200), default="")
    decision_number: Mapped[str] = mapped_column(String(50), default="")
    decision_date: Mapped[date | None]

    subject: Mapped[Subject] = relationship(back_populates="initiatives")


class Discipline(Base):
    """A discipline period or a pending review (NĐ98 Điều 4 k4).

    A pending review has `form='pending'` and no end date until it is resolved.
    """

    __tablename__ = "disciplines"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subjects.id", ondelete="CASCADE"), index=True
    )
    form: Mapped[str] = mapped_column(String(30))
    decided_on: Mapped[date]
    ends_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(default="")

    subject: Mapped[Subject] = relationship(back_populates="disciplines")


class User(Base):
    """A local account. Never deleted, only deactivated, so the audit trail keeps its names.

    `username` keeps the spelling the administrator typed (NFC); `username_key` is its
    case-folded form, unique, and what sign-in compares.
    """

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('officer', 'approver', 'clerk', 'viewer')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    username: Mapped[str] = mapped_column(String(50))
    username_key: Mapped[str] = mapped_column(String(50), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))  # app.roles.Role
    is_admin: Mapped[bool] = mapped_column(default=False)
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]  # UTC, naive
    must_change_password: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AuditEntry(Base):
    """One line of the append-only, hash-chained audit trail (nhật ký thao tác).

    `id` is the sequence number, consecutive from 1. `at` is UTC as fixed-width ISO text
    (`2026-03-01T02:03:04.000000+00:00`) so text order is time order. `user_id` has no
    foreign key: the entry must outlive any change to the account, which is why the user
    name and full name are copied in. Triggers made by migration 0002 refuse UPDATE and
    DELETE; `app/audit.py` computes `hash` over `prev_hash` and every other stored field.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_entity_uuid", "entity_uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    at: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[int | None]
    username: Mapped[str] = mapped_column(String(50))
    full_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(30))
    entity: Mapped[str] = mapped_column(String(30))
    entity_uuid: Mapped[str | None] = mapped_column(String(36))
    summary: Mapped[str] = mapped_column(String(300))
    old_values: Mapped[str | None]  # canonical JSON
    new_values: Mapped[str | None]  # canonical JSON
    reason: Mapped[str | None]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The one row remembering the newest audit entry, so that removing entries from the
    end of the log is noticed too (a trigger refuses to move it backwards)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int]
    last_hash: Mapped[str] = mapped_column(String(64))


class Attachment(Base):
    """A file kept with a record (e.g. a scanned document for a nomination).

    `stored_path` is relative to the data folder; `sha256` lets the integrity check find a
    file changed or lost on disk.
    """

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    owner_uuid: Mapped[str] = mapped_column(String(36), index=True)
    # For a nomination's file: the dossier part it is (app/eligibility/dossier.py codes), or "".
    dossier_part: Mapped[str] = mapped_column(String(40), default="")
    file_name: Mapped[str] = mapped_column(String(255))
    stored_path: Mapped[str] = mapped_column(String(500), unique=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime]
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class RuleSettingValue(Base):
    """An officer's value for a rule setting (app/eligibility/rule_settings.py), from a date.

    `value` is the setting's canonical text form; one value per key and effective date.
    """

    __tablename__ = "rule_setting_values"
    __table_args__ = (UniqueConstraint("key", "effective_from", name="key_effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    key: Mapped[str] = mapped_column(String(60), index=True)
    value: Mapped[str] = mapped_column(String(100))
    effective_from: Mapped[date]
    note: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class EligibilityCheck(Base):
    """A stored result of the eligibility checker for one subject, award and period.

    `result_json` is canonical JSON of the outcome, with the rule set and engine version
    that produced it, so an old result can be shown as it was.
    """

    __tablename__ = "eligibility_checks"
    __table_args__ = (
        Index("ix_eligibility_checks_subject_checked_at", "subject_id", "checked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subjects.id", ondelete="CASCADE"), index=True
    )
    award_code: Mapped[str] = mapped_column(String(30))  # app.catalogue.AWARDS
    route: Mapped[str] = mapped_column(String(30))
    period_end: Mapped[int]
    decision_date: Mapped[date]
    verdict: Mapped[str] = mapped_column(String(30))
    rule_set: Mapped[str] = mapped_column(String(20))
    engine_version: Mapped[str] = mapped_column(String(10))
    result_json: Mapped[str]  # canonical JSON
    checked_at: Mapped[datetime]
    checked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set when the check was made for a nomination (issue 5): its latest check is its state.
    nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nominations.id", ondelete="SET NULL"), index=True)


# --- The emulation year (issue 5): movements, registrations, review, council, nominations,
# decisions. State codes and their labels live in the app modules named beside each model.


class Movement(Base):
    """An emulation movement (phong trào thi đua), L2022 Điều 16–17; states in app/movements.py."""

    __tablename__ = "movements"
    __table_args__ = (
        CheckConstraint("kind IN ('regular', 'thematic')", name="kind"),
        CheckConstraint(
            "state IN ('draft', 'launched', 'running', 'midterm', 'final', 'closed')", name="state"),
        Index("ix_movements_year", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    plan_number: Mapped[str] = mapped_column(String(50), default="")  # e.g. "Số: 02/KH-UBND"
    objectives: Mapped[str] = mapped_column(default="")
    criteria: Mapped[str] = mapped_column(default="")
    participants: Mapped[str] = mapped_column(default="")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    state: Mapped[str] = mapped_column(String(20), default="draft")
    # The date each step of the life cycle was taken (None: not yet).
    launched_on: Mapped[date | None]
    running_on: Mapped[date | None]
    midterm_on: Mapped[date | None]  # sơ kết
    final_on: Mapped[date | None]  # tổng kết
    closed_on: Mapped[date | None]
    results: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ExemplaryModel(Base):
    """An exemplary model (điển hình tiên tiến) found in a movement (L2022 Điều 17 k4)."""

    __tablename__ = "exemplary_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("subjects.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(default="")
    recorded_on: Mapped[date]


class Registration(Base):
    """A subject's registration (đăng ký thi đua) for a title in a movement."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("movement_id", "subject_id", "award_code", name="movement_subject_award"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), index=True)
    award_code: Mapped[str] = mapped_column(String(30))  # app.catalogue.AWARDS
    registered_on: Mapped[date]
    note: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime]


class ReviewCandidate(Base):
    """A candidate of the annual review (bình xét): proposed by the checker or added by the
    officer, kept or removed with a reason; `nomination_id` once a nomination is made."""

    __tablename__ = "review_candidates"
    __table_args__ = (
        UniqueConstraint("year", "subject_id", "award_code", name="year_subject_award"),
        CheckConstraint("source IN ('checker', 'officer')", name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    year: Mapped[int] = mapped_column(index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), index=True)
    award_code: Mapped[str] = mapped_column(String(30))
    route: Mapped[str] = mapped_column(String(30), default="")
    source: Mapped[str] = mapped_column(String(10))
    verdict: Mapped[str] = mapped_column(String(30), default="")  # the checker's, when proposed
    included: Mapped[bool] = mapped_column(default=True)
    reason: Mapped[str] = mapped_column(default="")  # why the officer added or removed it
    check_id: Mapped[int | None] = mapped_column(
        ForeignKey("eligibility_checks.id", ondelete="SET NULL"))
    nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nominations.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Nomination(Base):
    """A nomination (đề nghị khen thưởng) of one subject for one title or award.

    States and actions are in app/nomination_states.py; every change of state is a
    NominationEvent. `action` is 'decide' when the commune chairman decides it, 'propose'
    when it goes to the province (from the checker's authority on the decision date).
    """

    __tablename__ = "nominations"
    __table_args__ = (
        CheckConstraint("procedure IN ('standard', 'simplified')", name="procedure"),
        CheckConstraint(
            "state IN ('draft', 'checked', 'voted', 'public_notice', 'decided', 'proposed', "
            "'approved', 'not_approved', 'returned')", name="state"),
        Index("ix_nominations_year_state", "year", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    year: Mapped[int]  # the achievement year (period end)
    # No cascade: a subject with nominations is kept (app/subjects.py refuses to delete it).
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    award_code: Mapped[str] = mapped_column(String(30))
    route: Mapped[str] = mapped_column(String(30), default="")
    movement_id: Mapped[int | None] = mapped_column(
        ForeignKey("movements.id", ondelete="SET NULL"), index=True)
    procedure: Mapped[str] = mapped_column(String(20), default="standard")
    basis_kind: Mapped[str] = mapped_column(String(30), default="annual_duty")
    action: Mapped[str] = mapped_column(String(10), default="")  # decide / propose
    achievement_summary: Mapped[str] = mapped_column(default="")
    event_date: Mapped[date | None]  # the sudden feat's date
    # What the officer declares that the register cannot tell (the checker's Facts: the
    # village assessment, the 10-day posting of NĐ 86, leading the cluster, cited awards),
    # as canonical JSON.
    declared_facts: Mapped[str] = mapped_column(default="{}")
    planned_decision_date: Mapped[date | None]
    state: Mapped[str] = mapped_column(String(20), default="draft")
    notice_starts_on: Mapped[date | None]
    notice_ends_on: Mapped[date | None]  # last working day of the public notice
    returned_reason: Mapped[str] = mapped_column(default="")
    # The province's answer to a proposal.
    outcome_decision_number: Mapped[str] = mapped_column(String(50), default="")
    outcome_decision_date: Mapped[date | None]
    outcome_issuer: Mapped[str] = mapped_column(String(200), default="")
    outcome_note: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class NominationEvent(Base):
    """One step of a nomination's life: the action, the states before and after, when and why."""

    __tablename__ = "nomination_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    on: Mapped[date]  # the date the step took effect (may be typed for paper steps)
    at: Mapped[datetime]  # when it was recorded
    reason: Mapped[str] = mapped_column(default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CouncilSession(Base):
    """A meeting of the commune's Hội đồng TĐKT; final once finalised, corrected only by a
    new session that names it in `corrects_id`."""

    __tablename__ = "council_sessions"
    __table_args__ = (CheckConstraint("state IN ('open', 'final')", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    year: Mapped[int] = mapped_column(index=True)
    held_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(300))
    location: Mapped[str] = mapped_column(String(200), default="")
    ballots_issued: Mapped[int | None]
    ballots_returned: Mapped[int | None]
    ballots_valid: Mapped[int | None]
    state: Mapped[str] = mapped_column(String(10), default="open")
    finalised_at: Mapped[datetime | None]
    finalised_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="RESTRICT"))
    correction_reason: Mapped[str] = mapped_column(default="")
    note: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CouncilMember(Base):
    """A council member at one session, named as on that day (the setup may change later)."""

    __tablename__ = "council_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="CASCADE"), index=True)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id", ondelete="SET NULL"))
    full_name: Mapped[str] = mapped_column(String(100))
    council_role: Mapped[str] = mapped_column(String(150), default="")
    present: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)


class CouncilVote(Base):
    """The votes for one nomination at one session, with the threshold applied and its
    denominator, so the minutes can be printed and the result reproduced."""

    __tablename__ = "council_votes"
    __table_args__ = (UniqueConstraint("session_id", "nomination_id", name="session_nomination"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    votes_for: Mapped[int]
    threshold: Mapped[str] = mapped_column(String(40), default="")  # VoteThreshold.text()
    base: Mapped[int | None]  # the denominator's value used
    passed: Mapped[bool | None]  # set when the session is finalised
    rank: Mapped[int | None]
    within_quota: Mapped[bool | None]
    note: Mapped[str] = mapped_column(default="")


class CouncilQuota(Base):
    """The most nominations of one award a session may pass (e.g. the province's allotment,
    or the CSTĐCS share of LĐTT); passing candidates beyond it are ranked out."""

    __tablename__ = "council_quotas"
    __table_args__ = (UniqueConstraint("session_id", "award_code", name="session_award"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="CASCADE"), index=True)
    award_code: Mapped[str] = mapped_column(String(30))
    quota: Mapped[int]
    note: Mapped[str] = mapped_column(default="")


class WorkCalendarDay(Base):
    """A day the officer adds to the public-holiday calendar: an extra day off announced for
    the year ('off') or a Saturday/Sunday worked in exchange ('work')."""

    __tablename__ = "work_calendar_days"
    __table_args__ = (CheckConstraint("kind IN ('off', 'work')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    day: Mapped[date] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime]


class RegisterEntry(Base):
    """A line of the document register (sổ đăng ký văn bản): each issuer numbers its
    documents per calendar year from 01 (NĐ 30/2020 Điều 15)."""

    __tablename__ = "register_entries"
    __table_args__ = (UniqueConstraint("issuer", "year", "number", name="issuer_year_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    issuer: Mapped[str] = mapped_column(String(30))  # the symbol: UBND, HĐTĐKT
    year: Mapped[int]
    number: Mapped[int]
    doc_type: Mapped[str] = mapped_column(String(10))  # QĐ, TTr, BB, TB, KH
    issued_on: Mapped[date]
    abstract: Mapped[str] = mapped_column(String(500), default="")  # trích yếu
    signer: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Decision(Base):
    """A commune chairman's decision on awards (quyết định khen thưởng); a draft until issued
    with its number from the register."""

    __tablename__ = "decisions"
    __table_args__ = (CheckConstraint("state IN ('draft', 'issued')", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    year: Mapped[int] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(10), default="draft")
    register_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("register_entries.id", ondelete="RESTRICT"), unique=True)
    number: Mapped[str] = mapped_column(String(50), default="")  # "12/QĐ-UBND" once issued
    decided_on: Mapped[date | None]
    abstract: Mapped[str] = mapped_column(String(500), default="")
    signer_name: Mapped[str] = mapped_column(String(100), default="")
    signer_title: Mapped[str] = mapped_column(String(100), default="")  # CHỦ TỊCH, PHÓ CHỦ TỊCH
    sign_mode: Mapped[str] = mapped_column(String(10), default="TM")  # TM. / KT.
    recipients: Mapped[str] = mapped_column(default="")  # nơi nhận, one per line
    movement_id: Mapped[int | None] = mapped_column(ForeignKey("movements.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class DecisionItem(Base):
    """One subject and award in a decision; `award_id` is the history row it created.
    Revoking (L2022 chương VII) marks the item and that award revoked."""

    __tablename__ = "decision_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nominations.id", ondelete="SET NULL"), unique=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    award_code: Mapped[str] = mapped_column(String(30))
    year: Mapped[int]
    basis_kind: Mapped[str] = mapped_column(String(30), default="annual_duty")
    reward_amount: Mapped[int] = mapped_column(default=0)  # đồng
    award_id: Mapped[int | None] = mapped_column(ForeignKey("awards.id", ondelete="SET NULL"))
    revoked_on: Mapped[date | None]
    revoked_reason: Mapped[str] = mapped_column(default="")


class DocumentText(Base):
    """The officer's edits to a printed document's prefilled text, kept with what it is
    printed for (one of nomination, council session or decision) so a reprint is the same."""

    __tablename__ = "document_texts"
    __table_args__ = (
        CheckConstraint(
            "(nomination_id IS NOT NULL) + (session_id IS NOT NULL) + (decision_id IS NOT NULL) = 1",
            name="one_owner"),
        # NULLs never clash in a unique constraint, so each owner column gets its own.
        UniqueConstraint("kind", "nomination_id", name="kind_nomination"),
        UniqueConstraint("kind", "session_id", name="kind_session"),
        UniqueConstraint("kind", "decision_id", name="kind_decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(30))  # app.documents.kinds.Kind
    nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    fields: Mapped[str] = mapped_column(default="{}")  # canonical JSON {key: text}
    updated_at: Mapped[datetime]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Certificate(Base):
    """A Giấy khen entered in the certificate book (sổ khen thưởng) with its book number
    (số vào sổ), given the first time the item's certificate is printed, kept for reprints."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("book_year", "book_number", name="book_year_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    decision_item_id: Mapped[int] = mapped_column(
        ForeignKey("decision_items.id", ondelete="RESTRICT"), unique=True)
    book_year: Mapped[int]
    book_number: Mapped[int]
    created_at: Mapped[datetime]


class CertificatePrint(Base):
    """One printing of a certificate: the first, or a reprint with its reason (sổ in lại)."""

    __tablename__ = "certificate_prints"
    __table_args__ = (CheckConstraint("mode IN ('full', 'blank')", name="mode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificates.id", ondelete="CASCADE"), index=True)
    mode: Mapped[str] = mapped_column(String(10))  # full design, or text on a pre-printed blank
    printer: Mapped[str] = mapped_column(String(200), default="")  # "" when written to a file
    reason: Mapped[str] = mapped_column(default="")  # required for a reprint
    printed_at: Mapped[datetime]
    printed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PrinterCalibration(Base):
    """How far a printer shifts text on one type of pre-printed blank, measured on the
    calibration page and added to every position (millimetres, right and down positive)."""

    __tablename__ = "printer_calibrations"
    __table_args__ = (UniqueConstraint("printer", "blank_type", name="printer_blank"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    printer: Mapped[str] = mapped_column(String(200))
    blank_type: Mapped[str] = mapped_column(String(30))
    offset_x_mm: Mapped[float] = mapped_column(default=0.0)
    offset_y_mm: Mapped[float] = mapped_column(default=0.0)
    updated_at: Mapped[datetime]


# --- Packages for the province (issue 7): what was sent, and what the province answered.
# All four tables are append-only: triggers made by migration 0006 refuse UPDATE and DELETE,
# so a package and its records stay exactly as exported. They hold UUIDs and copied names
# rather than foreign keys to the register, because they must outlive any later change.


class Package(Base):
    """A package of nominations written for the province (gói hồ sơ gửi tỉnh); format in
    docs/package-format.md. `sequence` counts the commune's packages from 1."""

    __tablename__ = "packages"
    __table_args__ = (UniqueConstraint("commune_code", "sequence", name="commune_sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    commune_code: Mapped[int]
    sequence: Mapped[int]
    previous_uuid: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[str] = mapped_column(String(32))  # as in the manifest, with +07:00
    format_version: Mapped[str] = mapped_column(String(10))
    file_name: Mapped[str] = mapped_column(String(255))
    folder: Mapped[str] = mapped_column(default="")  # where it was written, for the officer
    size: Mapped[int]
    file_sha256: Mapped[str] = mapped_column(String(64))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    record_count: Mapped[int]
    exported_at: Mapped[datetime]  # naive UTC
    exported_by: Mapped[str] = mapped_column(String(50))  # user name, copied


class PackageRecord(Base):
    """One nomination as exported: a frozen version of it (phiên bản). A later export of
    the same nomination is a new version naming the one it supersedes."""

    __tablename__ = "package_records"
    __table_args__ = (UniqueConstraint("nomination_uuid", "version", name="nomination_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)  # the record's id in the package
    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id"), index=True)
    nomination_uuid: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int]
    supersedes_uuid: Mapped[str | None] = mapped_column(String(36))
    content_sha256: Mapped[str] = mapped_column(String(64))  # the record's data, for "changed since"
    subject_name: Mapped[str] = mapped_column(String(200))
    award_code: Mapped[str] = mapped_column(String(30))
    year: Mapped[int]


class PackageAck(Base):
    """An acknowledgement (biên nhận) from the province, imported once."""

    __tablename__ = "package_acks"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)  # the acknowledgement's own id
    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))  # of the canonical JSON of its content (format.canonical_json)
    issued_at: Mapped[str] = mapped_column(String(32))  # as in the file, with its offset
    issuer: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(255))
    imported_at: Mapped[datetime]  # naive UTC
    imported_by: Mapped[str] = mapped_column(String(50))


class PackageAnswer(Base):
    """The province's answer about one exported record, from one acknowledgement."""

    __tablename__ = "package_answers"
    __table_args__ = (
        CheckConstraint("status IN ('received', 'returned', 'approved', 'not_approved')", name="status"),
        UniqueConstraint("record_id", "status", name="record_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("package_records.id"), index=True)
    ack_id: Mapped[int] = mapped_column(ForeignKey("package_acks.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(default="")
    decision_number: Mapped[str] = mapped_column(String(50), default="")
    decision_date: Mapped[date | None]
    decision_issuer: Mapped[str] = mapped_column(String(200), default="")


# --- Reports (issue 8): what the commune reported, reproducible from its stored figures.


class StoredReport(Base):
    """A report made for the province (báo cáo kết quả công tác thi đua, khen thưởng), with
    the figures it printed as canonical JSON and their SHA-256, so the copy sent can be made
    again byte for byte from the figures even after the register has changed. Append-only."""

    __tablename__ = "stored_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(30))  # "yearly"
    year_from: Mapped[int]
    year_to: Mapped[int]
    figures: Mapped[str]  # canonical JSON
    figures_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]  # naive UTC
    created_by: Mapped[str] = mapped_column(String(50))  # user name, copied
