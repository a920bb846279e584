"""Emulation movements (phong trào thi đua): the plan, the dated life cycle, results and
exemplary models (điển hình tiên tiến), L2022 Điều 16–17.

Life cycle: draft → launched → running → midterm (sơ kết, may be skipped) → final (tổng kết)
→ closed. Each step keeps its date; a step's date is never before the previous step's.
A year has at most one regular movement (phong trào thường xuyên); thematic movements
(theo chuyên đề, đợt) are as many as the commune launches. A regular movement's period lies
within its year. Only a draft without registrations may be deleted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import AuditTrail, Clock, plain, utc_now
from app.errors import NotFoundError, ValidationError
from app.local_time import stored_now
from app.roles import Actor, Permission, require
from app.subjects import required_reason
from app.vietnamese import clean
from db.models import ExemplaryModel, Movement, Registration, Subject

REGULAR, THEMATIC = "regular", "thematic"
KIND_LABELS = {REGULAR: "Thường xuyên", THEMATIC: "Theo chuyên đề, theo đợt"}

DRAFT, LAUNCHED, RUNNING, MIDTERM, FINAL, CLOSED = (
    "draft", "launched", "running", "midterm", "final", "closed")
STATES = (DRAFT, LAUNCHED, RUNNING, MIDTERM, FINAL, CLOSED)
STATE_LABELS = {
    DRAFT: "Dự thảo kế hoạch",
    LAUNCHED: "Đã phát động",
    RUNNING: "Đang triển khai",
    MIDTERM: "Đã sơ kết",
    FINAL: "Đã tổng kết",
    CLOSED: "Đã kết thúc",
}
# What the officer does to reach each state, as a button or menu says it.
STEP_LABELS = {
    LAUNCHED: "Phát động",
    RUNNING: "Bắt đầu triển khai",
    MIDTERM: "Sơ kết",
    FINAL: "Tổng kết",
    CLOSED: "Kết thúc phong trào",
}
DATE_FIELDS = {LAUNCHED: "launched_on", RUNNING: "running_on", MIDTERM: "midterm_on",
               FINAL: "final_on", CLOSED: "closed_on"}
_NEXT = {DRAFT: (LAUNCHED,), LAUNCHED: (RUNNING,), RUNNING: (MIDTERM, FINAL),  # sơ kết is optional
         MIDTERM: (FINAL,), FINAL: (CLOSED,), CLOSED: ()}
OPEN_FOR_REGISTRATION = (LAUNCHED, RUNNING)

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_NAME = 300
MAX_PLAN_NUMBER = 50
# "Số: 02/KH-UBND", "02/KH-UBND", "15/KH-HĐTĐKT": a number, '/', then the document's symbol.
_PLAN_NUMBER = re.compile(r"^(?:số\s*:?\s*)?(\d{1,4})\s*/\s*([A-ZĐ]{1,10}(?:-[A-ZĐ0-9]{1,15}){0,3})$",
                          re.IGNORECASE)


def next_steps(state: str) -> tuple[str, ...]:
    """The states a movement in `state` may move to, the usual one first."""
    return _NEXT[state]


def normalised_plan_number(text: str) -> str:
    """'02/kh-ubnd' → 'Số: 02/KH-UBND'; '' stays ''; ValidationError for anything else."""
    text = clean(text)
    if not text:
        return ""
    found = _PLAN_NUMBER.match(text)
    if found is None or len(text) > MAX_PLAN_NUMBER:
        raise ValidationError(
            f"Số kế hoạch «{text}» không đúng dạng; hãy ghi như «Số: 02/KH-UBND» "
            "(số thứ tự, dấu /, ký hiệu văn bản).", "plan_number")
    number, symbol = found.groups()
    return f"Số: {int(number):02d}/{symbol.upper()}"


@dataclass(frozen=True)
class MovementPlan:
    """The plan (kế hoạch) of a movement as the officer writes it."""

    year: int
    kind: str
    name: str
    plan_number: str = ""
    objectives: str = ""
    criteria: str = ""
    participants: str = ""
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass(frozen=True)
class MovementRow:
    id: int
    uuid: str
    year: int
    kind: str
    name: str
    plan_number: str
    objectives: str
    criteria: str
    participants: str
    starts_on: date | None
    ends_on: date | None
    state: str
    launched_on: date | None
    running_on: date | None
    midterm_on: date | None
    final_on: date | None
    closed_on: date | None
    results: str
    registrations: int = 0

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def plan(self) -> MovementPlan:
        return MovementPlan(self.year, self.kind, self.name, self.plan_number, self.objectives,
                            self.criteria, self.participants, self.starts_on, self.ends_on)

    def step_date(self, state: str) -> date | None:
        return getattr(self, DATE_FIELDS[state]) if state in DATE_FIELDS else None

    @property
    def last_step_date(self) -> date | None:
        """The date of the latest step taken (None for a draft)."""
        taken = [d for d in (self.step_date(s) for s in STATES[1:]) if d is not None]
        return max(taken, default=None)

    @property
    def open_for_registration(self) -> bool:
        return self.state in OPEN_FOR_REGISTRATION


@dataclass(frozen=True)
class ExemplaryModelData:
    """An exemplary model (điển hình tiên tiến) found in a movement; `subject_id` when it is a
    subject of the register."""

    name: str
    recorded_on: date
    description: str = ""
    subject_id: int | None = None


@dataclass(frozen=True)
class ExemplaryModelRow:
    id: int
    uuid: str
    movement_id: int
    name: str
    recorded_on: date
    description: str
    subject_id: int | None
    subject_name: str

    @property
    def data(self) -> ExemplaryModelData:
        return ExemplaryModelData(self.name, self.recorded_on, self.description, self.subject_id)


def validate_plan(plan: MovementPlan) -> MovementPlan:
    """The plan cleaned, or ValidationError naming the field."""
    if not isinstance(plan.year, int) or not FIRST_YEAR <= plan.year <= LAST_YEAR:
        raise ValidationError(f"Năm {plan.year} không hợp lệ (từ {FIRST_YEAR} đến {LAST_YEAR}).", "year")
    if plan.kind not in KIND_LABELS:
        raise ValidationError("Loại phong trào không hợp lệ.", "kind")
    name = clean(plan.name)
    if not name:
        raise ValidationError("Hãy ghi tên phong trào.", "name")
    if len(name) > MAX_NAME:
        raise ValidationError(f"Tên phong trào dài quá {MAX_NAME} ký tự.", "name")
    starts_on, ends_on = plan.starts_on, plan.ends_on
    if plan.kind == REGULAR:
        # The regular movement runs the whole year unless the plan says otherwise.
        starts_on = starts_on or date(plan.year, 1, 1)
        ends_on = ends_on or date(plan.year, 12, 31)
    if starts_on is None:
        raise ValidationError("Hãy ghi ngày bắt đầu của phong trào.", "starts_on")
    if ends_on is None:
        raise ValidationError("Hãy ghi ngày kết thúc của phong trào.", "ends_on")
    if ends_on < starts_on:
        raise ValidationError(
            f"Ngày kết thúc ({ends_on:%d/%m/%Y}) không được trước ngày bắt đầu ({starts_on:%d/%m/%Y}).",
            "ends_on")
    if starts_on.year != plan.year:
        raise ValidationError(
            f"Ngày bắt đầu ({starts_on:%d/%m/%Y}) phải thuộc năm {plan.year} của phong trào.", "starts_on")
    if plan.kind == REGULAR and ends_on.year != plan.year:
        raise ValidationError(
            f"Phong trào thường xuyên của năm {plan.year} phải kết thúc trong năm {plan.year} "
            f"(ngày kết thúc đang là {ends_on:%d/%m/%Y}).", "ends_on")
    return replace(plan, name=name, plan_number=normalised_plan_number(plan.plan_number),
                   objectives=clean(plan.objectives), criteria=clean(plan.criteria),
                   participants=clean(plan.participants), starts_on=starts_on, ends_on=ends_on)


def validate_exemplary_model(data: ExemplaryModelData) -> ExemplaryModelData:
    name = clean(data.name)
    if not name:
        raise ValidationError("Hãy ghi tên điển hình tiên tiến.", "name")
    if len(name) > MAX_NAME:
        raise ValidationError(f"Tên điển hình dài quá {MAX_NAME} ký tự.", "name")
    if not isinstance(data.recorded_on, date):
        raise ValidationError("Hãy ghi ngày ghi nhận điển hình.", "recorded_on")
    return replace(data, name=name, description=clean(data.description))


class MovementService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail,
                 clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit
        self._clock = clock

    # --- reading -------------------------------------------------------------------

    def rows(self, year: int | None = None) -> list[MovementRow]:
        """The movements of a year (all with None): the regular one first, then by start date."""
        counts = (select(Registration.movement_id, func.count().label("n"))
                  .group_by(Registration.movement_id).subquery())
        query = (select(Movement, func.coalesce(counts.c.n, 0))
                 .outerjoin(counts, counts.c.movement_id == Movement.id)
                 .order_by(Movement.year, Movement.kind, Movement.starts_on, Movement.id))
        if year is not None:
            query = query.where(Movement.year == year)
        with self._sessions() as session:
            return [_row(movement, count) for movement, count in session.execute(query)]

    def row(self, movement_id: int) -> MovementRow:
        with self._sessions() as session:
            return _row(_movement(session, movement_id), _registrations(session, movement_id))

    def years(self) -> list[int]:
        """Years that have at least one movement, newest first."""
        with self._sessions() as session:
            return list(session.scalars(select(Movement.year).distinct().order_by(Movement.year.desc())))

    def exemplary_models(self, movement_id: int) -> list[ExemplaryModelRow]:
        query = (select(ExemplaryModel, Subject.name)
                 .outerjoin(Subject, Subject.id == ExemplaryModel.subject_id)
                 .where(ExemplaryModel.movement_id == movement_id)
                 .order_by(ExemplaryModel.recorded_on, ExemplaryModel.id))
        with self._sessions() as session:
            return [_model_row(model, name) for model, name in session.execute(query)]

    # --- the plan ------------------------------------------------------------------

    def create(self, plan: MovementPlan) -> MovementRow:
        """A new movement in draft."""
        require(self._actor, Permission.RUN_EMULATION)
        plan = validate_plan(plan)
        with self._sessions.begin() as session:
            _check_one_regular(session, plan)
            now = stored_now(self._clock)
            movement = Movement(**plain(plan), state=DRAFT, created_at=now, updated_at=now)
            session.add(movement)
            session.flush()
            self._audit.record(session, self._actor, "create", "movement", movement.uuid,
                               f"Thêm phong trào «{plan.name}» năm {plan.year}", new=plain(plan))
            return _row(movement, 0)

    def update(self, movement_id: int, plan: MovementPlan) -> MovementRow:
        """Change the plan; year and kind are fixed once the movement has been launched."""
        require(self._actor, Permission.RUN_EMULATION)
        plan = validate_plan(plan)
        with self._sessions.begin() as session:
            movement = _movement(session, movement_id)
            old = _row(movement, 0).plan
            if movement.state != DRAFT and (plan.year, plan.kind) != (old.year, old.kind):
                raise ValidationError(
                    "Phong trào đã phát động: không đổi được năm hoặc loại phong trào.",
                    "year" if plan.year != old.year else "kind")
            if movement.state == CLOSED:
                raise ValidationError("Phong trào đã kết thúc; không sửa kế hoạch được nữa.")
            _check_one_regular(session, plan, movement_id)
            if plain(plan) == plain(old):  # saved unchanged: nothing to record
                return _row(movement, _registrations(session, movement_id))
            for name, value in plain(plan).items():
                setattr(movement, name, value)
            movement.updated_at = stored_now(self._clock)
            self._audit.record(session, self._actor, "update", "movement", movement.uuid,
                               f"Sửa kế hoạch phong trào «{plan.name}»", old=plain(old), new=plain(plan))
            return _row(movement, _registrations(session, movement_id))

    def advance(self, movement_id: int, step: str, on: date) -> MovementRow:
        """Take the next step of the life cycle on `on` (sơ kết may be skipped)."""
        require(self._actor, Permission.RUN_EMULATION)
        with self._sessions.begin() as session:
            movement = _movement(session, movement_id)
            current = _row(movement, 0)
            if step not in next_steps(movement.state):
                allowed = " hoặc ".join(f"«{STEP_LABELS[s]}»" for s in next_steps(movement.state))
                now = f"; bước tiếp theo chỉ có thể là {allowed}" if allowed else ""
                wanted = STEP_LABELS.get(step, step)
                raise ValidationError(
                    f"Phong trào «{movement.name}» đang ở trạng thái «{STATE_LABELS[movement.state]}»: "
                    f"không thể «{wanted}»{now}.", "step")
            if not isinstance(on, date):
                raise ValidationError("Hãy chọn ngày của bước này.", "on")
            previous = current.last_step_date
            if previous is not None and on < previous:
                raise ValidationError(
                    f"Ngày {STEP_LABELS[step].lower()} ({on:%d/%m/%Y}) không được trước ngày của bước "
                    f"trước ({previous:%d/%m/%Y}).", "on")
            if step == LAUNCHED and not movement.plan_number:
                raise ValidationError(
                    "Hãy ghi số kế hoạch (ví dụ «Số: 02/KH-UBND») trước khi phát động phong trào.",
                    "plan_number")
            old = {"state": movement.state}
            movement.state = step
            setattr(movement, DATE_FIELDS[step], on)
            movement.updated_at = stored_now(self._clock)
            skipped = " (không sơ kết)" if step == FINAL and current.state == RUNNING else ""
            self._audit.record(
                session, self._actor, "update", "movement", movement.uuid,
                f"Phong trào «{movement.name}»: {STEP_LABELS[step].lower()} ngày {on:%d/%m/%Y}{skipped}",
                old=old, new={"state": step, DATE_FIELDS[step]: on})
            return _row(movement, _registrations(session, movement_id))

    def set_results(self, movement_id: int, results: str) -> MovementRow:
        """The results (kết quả) of the movement, written at sơ kết or tổng kết."""
        require(self._actor, Permission.RUN_EMULATION)
        results = clean(results)
        with self._sessions.begin() as session:
            movement = _movement(session, movement_id)
            if movement.state == DRAFT:
                raise ValidationError("Phong trào chưa phát động nên chưa có kết quả để ghi.", "results")
            old = {"results": movement.results}
            movement.results = results
            movement.updated_at = stored_now(self._clock)
            self._audit.record(session, self._actor, "update", "movement", movement.uuid,
                               f"Ghi kết quả phong trào «{movement.name}»", old=old,
                               new={"results": results})
            return _row(movement, _registrations(session, movement_id))

    def delete(self, movement_id: int, reason: str) -> None:
        """Delete a draft movement that nobody has registered for."""
        require(self._actor, Permission.RUN_EMULATION)
        reason = required_reason(reason)
        with self._sessions.begin() as session:
            movement = _movement(session, movement_id)
            if movement.state != DRAFT:
                raise ValidationError(
                    f"Phong trào «{movement.name}» đã phát động nên không xóa được; chỉ xóa được "
                    "kế hoạch còn ở dạng dự thảo.")
            if _registrations(session, movement_id):
                raise ValidationError(f"Phong trào «{movement.name}» đã có đăng ký thi đua nên không xóa được.")
            old = _row(movement, 0)
            self._audit.record(session, self._actor, "delete", "movement", movement.uuid,
                               f"Xóa phong trào «{movement.name}» năm {movement.year}",
                               old=plain(old.plan), reason=reason)
            session.delete(movement)

    # --- exemplary models ----------------------------------------------------------

    def add_exemplary_model(self, movement_id: int, data: ExemplaryModelData) -> ExemplaryModelRow:
        require(self._actor, Permission.RUN_EMULATION)
        data = validate_exemplary_model(data)
        with self._sessions.begin() as session:
            movement = _movement(session, movement_id)
            if movement.state == DRAFT:
                raise ValidationError("Phong trào chưa phát động nên chưa có điển hình tiên tiến.")
            _refuse_closed(movement)
            subject_name = _subject_name(session, data.subject_id)
            model = ExemplaryModel(movement_id=movement_id, **plain(data))
            session.add(model)
            session.flush()
            self._audit.record(session, self._actor, "create", "exemplary_model", model.uuid,
                               f"Thêm điển hình tiên tiến «{data.name}» của phong trào «{movement.name}»",
                               new=plain(data))
            return _model_row(model, subject_name)

    def update_exemplary_model(self, model_id: int, data: ExemplaryModelData) -> ExemplaryModelRow:
        require(self._actor, Permission.RUN_EMULATION)
        data = validate_exemplary_model(data)
        with self._sessions.begin() as session:
            model = _model(session, model_id)
            _refuse_closed(_movement(session, model.movement_id))
            subject_name = _subject_name(session, data.subject_id)
            old = _model_row(model, "").data
            if plain(old) == plain(data):  # saved unchanged: nothing to record
                return _model_row(model, subject_name)
            for name, value in plain(data).items():
                setattr(model, name, value)
            self._audit.record(session, self._actor, "update", "exemplary_model", model.uuid,
                               f"Sửa điển hình tiên tiến «{data.name}»", old=plain(old), new=plain(data))
            return _model_row(model, subject_name)

    def remove_exemplary_model(self, model_id: int, reason: str) -> None:
        require(self._actor, Permission.RUN_EMULATION)
        reason = required_reason(reason)
        with self._sessions.begin() as session:
            model = _model(session, model_id)
            _refuse_closed(_movement(session, model.movement_id))
            self._audit.record(session, self._actor, "delete", "exemplary_model", model.uuid,
                               f"Xóa điển hình tiên tiến «{model.name}»",
                               old=plain(_model_row(model, "").data), reason=reason)
            session.delete(model)


def _check_one_regular(session: Session, plan: MovementPlan, own_id: int | None = None) -> None:
    if plan.kind != REGULAR:
        return
    other = session.scalars(select(Movement).where(
        Movement.year == plan.year, Movement.kind == REGULAR, Movement.id != (own_id or -1))).first()
    if other is not None:
        raise ValidationError(
            f"Năm {plan.year} đã có phong trào thi đua thường xuyên «{other.name}»; mỗi năm chỉ có "
            "một phong trào thường xuyên. Phong trào khác hãy chọn loại «theo chuyên đề, theo đợt».",
            "kind")


def _movement(session: Session, movement_id: int) -> Movement:
    movement = session.get(Movement, movement_id)
    if movement is None:
        raise NotFoundError("Không tìm thấy phong trào thi đua.")
    return movement


def _refuse_closed(movement: Movement) -> None:
    """A closed movement's exemplary models are part of its final record (tổng kết)."""
    if movement.state == CLOSED:
        raise ValidationError(
            f"Phong trào «{movement.name}» đã kết thúc; danh sách điển hình tiên tiến được giữ nguyên, "
            "không thêm, sửa hay xóa được.", "state")


def _model(session: Session, model_id: int) -> ExemplaryModel:
    model = session.get(ExemplaryModel, model_id)
    if model is None:
        raise NotFoundError("Không tìm thấy điển hình tiên tiến.")
    return model


def _subject_name(session: Session, subject_id: int | None) -> str:
    if subject_id is None:
        return ""
    name = session.scalar(select(Subject.name).where(Subject.id == subject_id))
    if name is None:
        raise NotFoundError("Không tìm thấy đối tượng được chọn làm điển hình.")
    return name


def _registrations(session: Session, movement_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Registration)
                          .where(Registration.movement_id == movement_id)) or 0


def _row(movement: Movement, registrations: int) -> MovementRow:
    return MovementRow(
        movement.id, movement.uuid, movement.year, movement.kind, movement.name, movement.plan_number,
        movement.objectives, movement.criteria, movement.participants, movement.starts_on,
        movement.ends_on, movement.state, movement.launched_on, movement.running_on,
        movement.midterm_on, movement.final_on, movement.closed_on, movement.results, registrations)


def _model_row(model: ExemplaryModel, subject_name: str | None) -> ExemplaryModelRow:
    return ExemplaryModelRow(model.id, model.uuid, model.movement_id, model.name, model.recorded_on,
                             model.description, model.subject_id, subject_name or "")
