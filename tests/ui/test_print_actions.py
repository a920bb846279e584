"""Printing from the tabs: the PDF made in the background with progress, cancellable, then the
preview; several nominations' reports in one PDF; a document that cannot be made is said and
opens nothing; the «In» menus of the nominations, council and decisions tabs."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QThreadPool
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.documents.kinds import KIND_LABELS, Kind, Owner
from app.documents.model import DocumentError
from app.errors import CancelledError
from app.services import Services
from db.models import CouncilSession, Decision, Nomination, Subject
from tests.app.pdf_reading import read_pdf
from tests.ui.test_document_preview import printable_nominations
from ui import print_actions
from ui.council_tab import CouncilTab
from ui.decisions_tab import DecisionsTab
from ui.document_preview import PreviewDialog
from ui.nominations_tab import NominationsTab
from ui.print_actions import PrintActions

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def pool(qapp: object) -> Iterator[QThreadPool]:
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    yield pool
    pool.waitForDone()


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The messages PrintActions shows, by title and text."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(print_actions, "show_error", lambda _parent, title, text: shown.append((title, text)))
    return shown


@pytest.fixture
def widget(qtbot: QtBot) -> QWidget:
    """The widget printing (kept by the test: PrintActions lives as its child)."""
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def make_actions(widget: QWidget, services: Services, pool: QThreadPool) -> PrintActions:
    return PrintActions(services, widget, pool, pool)


def opened_preview(qtbot: QtBot, actions: PrintActions, kind: Kind, owners: Sequence[Owner]) -> PreviewDialog:
    with qtbot.waitSignal(actions.opened, timeout=60_000) as opened:
        actions.preview(kind, owners, "Thử")
    dialog = opened.args[0]
    assert isinstance(dialog, PreviewDialog) and dialog.isVisible()
    return dialog  # the widget printing's child: deleted with it


def subject_names(services: Services, owners: Sequence[Owner]) -> list[str]:
    with services.sessions() as session:
        return [session.get_one(Subject, session.get_one(Nomination, owner.id).subject_id).name for owner in owners]


def test_one_document_is_made_then_previewed(qtbot: QtBot, demo_services: Services, pool: QThreadPool,
                                             widget: QWidget,
                                             errors: list[tuple[str, str]]) -> None:
    owners = printable_nominations(demo_services, 1)
    actions = make_actions(widget, demo_services, pool)
    dialog = opened_preview(qtbot, actions, Kind.REPORT, owners)
    assert dialog.page_count() == len(read_pdf(demo_services.printing.pdf(Kind.REPORT, owners)).pages)
    assert dialog.windowTitle() == "Xem trước: Thử" and errors == []
    assert actions.progress is not None and not actions.progress.isVisible()


def test_several_reports_make_one_pdf_with_every_one_and_report_progress(
        qtbot: QtBot, demo_services: Services, pool: QThreadPool, widget: QWidget,
        errors: list[tuple[str, str]]) -> None:
    owners = printable_nominations(demo_services, 3)
    actions = make_actions(widget, demo_services, pool)
    steps: list[tuple[int, int]] = []
    actions.progressed.connect(lambda done, total: steps.append((done, total)))
    dialog = opened_preview(qtbot, actions, Kind.REPORT, owners)
    printed = read_pdf(dialog.data)
    each = [len(read_pdf(demo_services.printing.pdf(Kind.REPORT, [owner])).pages) for owner in owners]
    assert dialog.page_count() == len(printed.pages) == sum(each)
    for name in subject_names(demo_services, owners):
        assert name in printed.text
    assert actions.progress is not None and "3 báo cáo thành tích vào một tệp" in actions.progress.labelText()
    assert len(steps) >= len(owners) and steps[-1][0] == steps[-1][1]
    assert [done for done, _total in steps] == sorted(done for done, _total in steps)


def test_cancelling_stops_and_opens_no_preview(qtbot: QtBot, demo_services: Services, pool: QThreadPool,
                                              widget: QWidget,
                                              errors: list[tuple[str, str]],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    reached: list[int] = []

    def slow_pdf(_kind: Kind, _owners: Sequence[Owner], report: print_actions.Callable[[int, int], None]) -> bytes:
        report(1, 4)
        release.wait(10)
        reached.append(2)
        report(2, 4)  # raises CancelledError once cancelled
        reached.append(3)
        return b""

    monkeypatch.setattr(demo_services.printing, "pdf", slow_pdf)
    actions = make_actions(widget, demo_services, pool)
    failures: list[Exception] = []
    actions.failed.connect(failures.append)
    with qtbot.waitSignal(actions.progressed, timeout=10_000):
        task = actions.preview(Kind.REPORT, [Owner("nomination", 1)])
    assert actions.progress is not None
    cancel = actions.progress.findChild(QPushButton)
    assert cancel.text() == "Hủy"
    cancel.click()
    assert task.cancelled
    with qtbot.waitSignal(task.finished, timeout=10_000):
        release.set()
    assert reached == [2] and actions.dialog is None
    assert errors == [] and failures == []
    with pytest.raises(CancelledError):
        task._report(3, 4)


def test_a_document_that_cannot_be_made_is_said_and_nothing_opens(
        qtbot: QtBot, demo_services: Services, pool: QThreadPool, widget: QWidget,
        errors: list[tuple[str, str]]) -> None:
    owner = printable_nominations(demo_services, 1)[0]
    signer = next(value.field for value in demo_services.printing.fields(Kind.REPORT, owner)
                  if value.field.required and value.field.key.endswith("_name"))
    demo_services.printing.save_texts(Kind.REPORT, owner, {signer.key: ""})
    actions = make_actions(widget, demo_services, pool)
    with qtbot.waitSignal(actions.failed, timeout=30_000):
        actions.preview(Kind.REPORT, [owner])
    qtbot.waitUntil(lambda: bool(errors))
    assert errors[0][0] == "Chưa in được báo cáo thành tích"
    assert errors[0][1].startswith(f"Chưa có {signer.label.lower()}") and "Hãy nhập trước khi in." in errors[0][1]
    assert actions.dialog is None


# --- the tabs' «In» menus -------------------------------------------------------------------


class Recorder:
    """Stands for PrintActions.preview: what a tab asked to print."""

    def __init__(self) -> None:
        self.calls: list[tuple[Kind, list[Owner], str]] = []

    def __call__(self, kind: Kind, owners: Sequence[Owner], title: str = "") -> None:
        self.calls.append((kind, list(owners), title))


def select_nominations(tab: NominationsTab, ids: Sequence[int]) -> None:
    selection = tab.table.selectionModel()
    selection.clearSelection()
    for position, row in enumerate(tab.nominations.rows()):
        if row.id in ids:
            index = tab.proxy.mapFromSource(tab.nominations.index(position, 0))
            flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            selection.select(index, flags)


def nominations_tab(qtbot: QtBot, services: Services, tmp_path: Path, owners: Sequence[Owner],
                    pool: QThreadPool | None = None) -> NominationsTab:
    with services.sessions() as session:
        year = session.get_one(Nomination, owners[0].id).year
    tab = NominationsTab(services, data_folder=tmp_path, write_pool=pool)
    qtbot.addWidget(tab)
    tab.set_year(year)
    tab.show()
    return tab


def same_year(services: Services, count: int) -> list[Owner]:
    owners = printable_nominations(services, 12)
    with services.sessions() as session:
        years = [session.get_one(Nomination, owner.id).year for owner in owners]
    year = max(set(years), key=years.count)
    chosen = [owner for owner, y in zip(owners, years, strict=True) if y == year][:count]
    assert len(chosen) == count
    return chosen


def test_the_nominations_menu_prints_the_reports_chosen_or_the_proposal_of_one(
        qtbot: QtBot, demo_services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    owners = same_year(demo_services, 2)
    tab = nominations_tab(qtbot, demo_services, tmp_path, owners)
    assert not tab.print_button.isEnabled()
    recorder = Recorder()
    monkeypatch.setattr(tab.printer, "preview", recorder)
    assert [action.text() for action in tab.print_button.menu().actions()] == [
        "Báo cáo thành tích…", "Tờ trình (đề nghị này)…"]
    select_nominations(tab, [owner.id for owner in owners])
    assert tab.print_button.isEnabled() and not tab.proposal_action.isEnabled()
    assert tab.report_action.text() == "Báo cáo thành tích (2 đề nghị, một tệp)…"
    tab.report_action.trigger()
    kind, printed, title = recorder.calls[-1]
    assert kind is Kind.REPORT and sorted(printed, key=lambda o: o.id) == sorted(owners, key=lambda o: o.id)
    assert title.startswith("Báo cáo thành tích — 2 đề nghị năm")
    select_nominations(tab, [owners[0].id])
    assert tab.proposal_action.isEnabled() and tab.report_action.text() == "Báo cáo thành tích…"
    tab.proposal_action.trigger()
    name = subject_names(demo_services, owners[:1])[0]
    assert recorder.calls[-1] == (Kind.PROPOSAL, [owners[0]], f"Tờ trình — {name}")


def test_reports_of_several_nominations_print_from_the_tab_as_one_pdf(
        qtbot: QtBot, demo_services: Services, tmp_path: Path, pool: QThreadPool) -> None:
    owners = same_year(demo_services, 2)
    tab = nominations_tab(qtbot, demo_services, tmp_path, owners, pool)
    select_nominations(tab, [owner.id for owner in owners])
    with qtbot.waitSignal(tab.printer.opened, timeout=60_000) as opened:
        tab.report_action.trigger()
    text = read_pdf(opened.args[0].data).text
    assert all(name in text for name in subject_names(demo_services, owners))


def test_the_council_menu_prints_the_session_documents(qtbot: QtBot, demo_services: Services,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_services.sessions() as session:
        chosen = session.scalars(select(CouncilSession).order_by(CouncilSession.id)).first()
        session_id, year, title = chosen.id, chosen.year, chosen.title
    tab = CouncilTab(demo_services)
    qtbot.addWidget(tab)
    tab.set_year(year)
    tab.show()
    recorder = Recorder()
    monkeypatch.setattr(tab.printer, "preview", recorder)
    assert not tab.print_button.isEnabled()
    tab.select(session_id)
    assert tab.print_button.isEnabled()
    menu = tab.print_button.menu().actions()
    assert [action.text() for action in menu] == [
        "Biên bản…", "Thông báo công khai…", "Tờ trình đề nghị tỉnh…", "Danh sách trích ngang…"]
    for action in menu:
        action.trigger()
    owner = Owner("session", session_id)
    assert [(kind, owners) for kind, owners, _title in recorder.calls] == [
        (Kind.MINUTES, [owner]), (Kind.NOTICE, [owner]), (Kind.PROPOSAL, [owner]), (Kind.SUMMARY, [owner])]
    assert recorder.calls[0][2] == f"Biên bản — {title}"


def test_the_decisions_menu_prints_the_decision_its_list_and_opens_the_certificates(
        qtbot: QtBot, demo_services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_services.sessions() as session:
        decision = session.scalars(select(Decision).where(Decision.state == "issued").order_by(Decision.id)).first()
        decision_id, year = decision.id, decision.year
    tab = DecisionsTab(demo_services)
    qtbot.addWidget(tab)
    tab.set_year(year)
    tab.show()
    recorder = Recorder()
    monkeypatch.setattr(tab.printer, "preview", recorder)
    certificates: list[int] = []
    monkeypatch.setattr(tab, "open_certificates", certificates.append)
    position = next(i for i, row in enumerate(tab.decisions.rows()) if row.id == decision_id)
    tab.table.select_position(position)
    row = tab.selected()
    assert row is not None and row.is_issued and tab.print_button.isEnabled()
    menu = tab.print_button.menu().actions()
    assert [action.text() for action in menu] == ["Quyết định…", "Danh sách trích ngang…", "Giấy khen…"]
    assert tab.certificate_action.isEnabled()
    for action in menu:
        action.trigger()
    owner = Owner("decision", decision_id)
    assert recorder.calls == [
        (Kind.DECISION, [owner], f"Quyết định số {row.number}"),
        (Kind.SUMMARY, [owner], f"{KIND_LABELS[Kind.SUMMARY]} — Quyết định số {row.number}")]
    assert certificates == [decision_id]


def printable(services: Services, kind: Kind, owner_type: str, ids: Sequence[int]) -> int:
    """The first owner the kind prints for as prepared (the demo leaves some signers empty)."""
    for owner_id in ids:
        try:
            services.printing.documents(kind, [Owner(owner_type, owner_id)])  # type: ignore[arg-type]
        except DocumentError:
            continue
        return owner_id
    raise AssertionError(f"no {owner_type} prints {kind}")


@pytest.mark.parametrize(("kind", "heading"), [
    (Kind.MINUTES, "BIÊN BẢN"), (Kind.NOTICE, "THÔNG BÁO"), (Kind.PROPOSAL, "TỜ TRÌNH"),
    (Kind.SUMMARY, "DANH SÁCH")])
def test_each_session_entry_previews_its_document(qtbot: QtBot, demo_services: Services, pool: QThreadPool,
                                                  kind: Kind, heading: str) -> None:
    with demo_services.sessions() as session:
        rows = session.execute(select(CouncilSession.id, CouncilSession.year).order_by(CouncilSession.id)).all()
    session_id = printable(demo_services, kind, "session", [row.id for row in rows])
    tab = CouncilTab(demo_services, read_pool=pool, write_pool=pool)
    qtbot.addWidget(tab)
    tab.set_year(next(row.year for row in rows if row.id == session_id))
    tab.select(session_id)
    with qtbot.waitSignal(tab.printer.opened, timeout=60_000) as opened:
        tab.print_actions[kind.value].trigger()
    assert heading in read_pdf(opened.args[0].data).text


@pytest.mark.parametrize(("kind", "heading"), [(Kind.DECISION, "QUYẾT ĐỊNH"), (Kind.SUMMARY, "DANH SÁCH")])
def test_each_decision_entry_previews_its_document(qtbot: QtBot, demo_services: Services, pool: QThreadPool,
                                                   kind: Kind, heading: str) -> None:
    with demo_services.sessions() as session:
        rows = session.execute(select(Decision.id, Decision.year).order_by(Decision.id)).all()
    decision_id = printable(demo_services, kind, "decision", [row.id for row in rows])
    tab = DecisionsTab(demo_services, read_pool=pool, write_pool=pool)
    qtbot.addWidget(tab)
    tab.set_year(next(row.year for row in rows if row.id == decision_id))
    tab.table.select_position(next(i for i, row in enumerate(tab.decisions.rows()) if row.id == decision_id))
    entry = next(action for action in tab.print_button.menu().actions() if action.data() == kind.value)
    with qtbot.waitSignal(tab.printer.opened, timeout=60_000) as opened:
        entry.trigger()
    assert heading in read_pdf(opened.args[0].data).text


def test_the_certificates_entry_opens_the_certificate_dialog_of_the_decision(
        qtbot: QtBot, demo_services: Services, pool: QThreadPool) -> None:
    from ui.certificate_dialog import CertificateDialog

    with demo_services.sessions() as session:
        decision = session.scalars(select(Decision).where(Decision.state == "issued").order_by(Decision.id)).first()
        decision_id, year, number = decision.id, decision.year, decision.number
    tab = DecisionsTab(demo_services, read_pool=pool, write_pool=pool)
    qtbot.addWidget(tab)
    tab.set_year(year)
    tab.table.select_position(next(i for i, row in enumerate(tab.decisions.rows()) if row.id == decision_id))
    tab.certificate_action.trigger()
    dialog = tab.certificate_dialog
    assert isinstance(dialog, CertificateDialog) and dialog.isVisible()
    assert f"Quyết định số {number}" in dialog.heading.text()
