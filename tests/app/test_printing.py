"""The print service: prefilled text, the officer's edits kept with the owner, required fields."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit import AuditFilter
from app.documents.builder import BuildContext, commune_header, date_line
from app.documents.kinds import Kind, Owner, TextField
from app.document_texts import DocumentTexts, with_edits
from app.documents.model import Document, DocumentError, Para, Signature
from app.errors import PermissionDeniedError
from app.printing import PrintService
from app.roles import Role
from app.services import Services
from db.models import Decision, DocumentText
from tests.app.pdf_reading import read_pdf


@dataclass(frozen=True)
class _Source:
    number: str
    chairman: str
    context: BuildContext


class _FakeDecision:
    """A stand-in builder: the decision's number and the chairman, two editable fields."""

    kind = Kind.DECISION

    def load(self, session: Session, owner: Owner, context: BuildContext) -> _Source:
        decision = session.get_one(Decision, owner.id)
        chairman = context.setup.people("chairman")[0].full_name
        return _Source(decision.number, chairman, context)

    def fields(self, source: _Source) -> list[TextField]:
        return [TextField("body", "Nội dung", f"Quyết định {source.number}.", multiline=True),
                TextField("signer_name", "Họ và tên người ký", source.chairman, required=True)]

    def build(self, source: _Source, texts: Mapping[str, str]) -> list[Document]:
        setup = source.context.setup
        return [Document(kind="quyet-dinh", header=commune_header(setup, "Số: 01/QĐ-UBND",
                                                                  date_line(setup.place_name, None)),
                         type_name="QUYẾT ĐỊNH", abstract="Về việc thử", body=(Para(texts["body"]),),
                         signatures=(Signature("CHỦ TỊCH", texts["signer_name"], "TM. ỦY BAN NHÂN DÂN"),))]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.documents.catalogue.builder", lambda kind: _FakeDecision())


def first_decision(services: Services) -> Owner:
    with services.sessions() as session:
        return Owner("decision", session.scalars(select(Decision.id).order_by(Decision.id)).first())


def test_fields_are_prefilled_and_edits_are_kept_with_the_owner(demo_services: Services, fake: Any) -> None:
    owner = first_decision(demo_services)
    printing = demo_services.printing
    values = {value.field.key: value for value in printing.fields(Kind.DECISION, owner)}
    assert values["body"].value == "Quyết định 01/QĐ-UBND." and not values["body"].edited
    printing.save_texts(Kind.DECISION, owner, {"body": "Nội dung đã sửa.",
                                               "signer_name": values["signer_name"].value})
    values = {value.field.key: value for value in printing.fields(Kind.DECISION, owner)}
    assert values["body"].value == "Nội dung đã sửa." and values["body"].edited
    assert not values["signer_name"].edited
    with demo_services.sessions() as session:
        stored = session.scalars(select(DocumentText)).one()
        assert stored.decision_id == owner.id and stored.fields == '{"body": "Nội dung đã sửa."}'
    assert "Nội dung đã sửa." in read_pdf(printing.pdf(Kind.DECISION, [owner])).text


def test_saving_and_resetting_write_audit_entries_naming_the_fields(demo_services: Services, fake: Any) -> None:
    owner = first_decision(demo_services)
    demo_services.printing.save_texts(Kind.DECISION, owner, {"body": "Khác."})
    demo_services.printing.reset_texts(Kind.DECISION, owner)
    entries = demo_services.audit.entries(AuditFilter(entity="document_text"))
    assert [e.summary for e in entries] == [
        f"Trả quyết định khen thưởng (quyết định #{owner.id}) về nội dung soạn sẵn",
        f"Sửa nội dung quyết định khen thưởng (quyết định #{owner.id}): Nội dung",
    ]
    with demo_services.sessions() as session:
        assert session.scalar(select(func.count(DocumentText.id))) == 0
    assert demo_services.audit.verify().ok


def test_saving_the_prefilled_text_stores_nothing(demo_services: Services, fake: Any) -> None:
    owner = first_decision(demo_services)
    defaults = {v.field.key: v.value for v in demo_services.printing.fields(Kind.DECISION, owner)}
    demo_services.printing.save_texts(Kind.DECISION, owner, defaults)
    with demo_services.sessions() as session:
        assert session.scalar(select(func.count(DocumentText.id))) == 0
    assert not demo_services.audit.entries(AuditFilter(entity="document_text"))


def test_an_emptied_required_field_is_named_and_nothing_is_written(
        demo_services: Services, fake: Any, tmp_path: Path) -> None:
    owner = first_decision(demo_services)
    demo_services.printing.save_texts(Kind.DECISION, owner, {"signer_name": ""})
    out = tmp_path / "in"
    out.mkdir()
    with pytest.raises(DocumentError, match="Chưa có họ và tên người ký"):
        demo_services.printing.write_pdf(Kind.DECISION, [owner], out / "qd.pdf")
    assert not list(out.iterdir())


def test_unknown_fields_and_wrong_owners_are_refused(demo_services: Services, fake: Any) -> None:
    owner = first_decision(demo_services)
    with pytest.raises(DocumentError, match="không có mục tieu_de"):
        demo_services.printing.save_texts(Kind.DECISION, owner, {"tieu_de": "x"})
    with pytest.raises(DocumentError, match="không in cho phiên họp Hội đồng"):
        demo_services.printing.fields(Kind.DECISION, Owner("session", 1))


def test_a_viewer_may_print_but_not_edit(demo_services: Services, fake: Any) -> None:
    viewer = Services.create(demo_services.sessions, replace(demo_services.actor, role=Role.VIEWER))
    owner = first_decision(viewer)
    assert viewer.printing.pdf(Kind.DECISION, [owner]).startswith(b"%PDF")
    with pytest.raises(PermissionDeniedError):
        viewer.printing.save_texts(Kind.DECISION, owner, {"body": "x"})


def test_progress_runs_from_reading_to_drawing(demo_services: Services, fake: Any) -> None:
    with demo_services.sessions() as session:
        owners = [Owner("decision", i) for i in session.scalars(select(Decision.id).order_by(Decision.id))]
    calls: list[tuple[int, int]] = []
    demo_services.printing.pdf(Kind.DECISION, owners, lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(owners) * 2, len(owners) * 2)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_the_font_is_resolved_once_even_when_threads_ask_together(services: Services) -> None:
    calls: list[int] = []
    started = threading.Event()

    def slow_font() -> Any:
        calls.append(1)
        started.wait(1)  # the other threads ask while the first is still resolving
        return object()

    printing = PrintService(services.sessions, DocumentTexts(services.sessions, services.actor, services.audit),
                            services.commune, font_source=slow_font)
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(printing.font())) for _ in range(4)]
    for thread in threads:
        thread.start()
    started.set()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len({id(result) for result in results}) == 1


def test_edits_are_saved_by_one_helper_for_documents_and_certificates(demo_services: Services) -> None:
    """`DocumentTexts.save_changed` keeps what differs from the prefilled text and refuses
    unknown keys; both print services save through it."""
    owner = first_decision(demo_services)
    texts = DocumentTexts(demo_services.sessions, demo_services.actor, demo_services.audit)
    fields = [TextField("body", "Nội dung", "Soạn sẵn."), TextField("day", "Ngày", "01/02/2026")]
    texts.save_changed(Kind.DECISION, owner, fields, {"body": "Đã sửa.", "day": "01/02/2026"},
                                     "Văn bản")
    assert texts.get(Kind.DECISION, owner) == {"body": "Đã sửa."}
    assert [(v.value, v.edited) for v in with_edits(fields, {"body": "Đã sửa."})] == [
        ("Đã sửa.", True), ("01/02/2026", False)]
    with pytest.raises(DocumentError, match="^Giấy khen không có mục x, y.$"):
        texts.save_changed(Kind.DECISION, owner, fields, {"y": "1", "x": "2"}, "Giấy khen")
    assert texts.get(Kind.DECISION, owner) == {"body": "Đã sửa."}
