"""The decisions tab: draft a decision from the ready nominations, issue it, revoke a line;
refusals shown in the dialog; read-only for viewers; the document register view."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.commune import CommuneSetup, OfficialData
from app.decisions import DecisionRow
from app.nomination_states import State
from app.roles import Role
from app.services import Services
from tests.app.test_decisions import AN_PHUOC, person, ready, state_of
from ui import decision_dialog
from ui.decision_dialog import DecisionDialog, IssueDialog, RevokeDialog
from ui.decision_tables import DecisionTableModel, Line, LineColumn, LineTableModel, RegisterTableModel
from ui.decisions_tab import DecisionsTab

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def commune(services: Services) -> None:
    services.commune.save(CommuneSetup(
        province_code=75, commune_code=AN_PHUOC, place_name="An Phước",
        officials=(OfficialData("chairman", "Nguyễn Văn An"), OfficialData("vice_chairman", "Trần Thị Bình"))))


def open_tab(qtbot: QtBot, services: Services, year: int = 2024) -> DecisionsTab:
    tab = DecisionsTab(services)
    qtbot.addWidget(tab)
    tab.set_year(year)
    tab.show()
    return tab


def tick_all(dialog: DecisionDialog) -> None:
    model = dialog.lines
    for row in range(model.rowCount()):
        assert model.setData(model.index(row, LineColumn.SUBJECT), Qt.CheckState.Checked.value,
                             Qt.ItemDataRole.CheckStateRole)


def select_line(dialog: DecisionDialog, subject_name: str) -> None:
    position = next(i for i, line in enumerate(dialog.lines.rows()) if line.subject_name == subject_name)
    dialog.table.select_position(position)


def test_draft_issue_and_revoke_through_the_tab(qtbot: QtBot, services: Services,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    mai, lan = person(services, "Vũ Thị Mai"), person(services, "Lê Thị Lan")
    ready(services, mai)
    lan_nomination = ready(services, lan, "CSTDCS")
    tab = open_tab(qtbot, services)
    assert "2 đề nghị sẵn sàng" in tab.summary.text()
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.lines.rowCount() == 2 and dialog.lines.included() == []
    tick_all(dialog)
    assert dialog.abstract.value() == ("Về việc khen thưởng Chiến sĩ thi đua cơ sở, Lao động tiên tiến "
                                       "năm 2024")
    assert "3.050.000 đồng" in dialog.total.text()  # 2.340.000 + 710.000 on today's settings
    assert dialog.signer.currentData().name == "Nguyễn Văn An"
    assert dialog.recipients.toPlainText().splitlines()[0] == "Như Điều 3"

    asked: list[DecisionRow] = []

    def answer_issue(_parent: object, _services: Services, decision: DecisionRow,
                     _today: date) -> tuple[date, int | None]:
        asked.append(decision)
        return date(2025, 7, 10), None

    monkeypatch.setattr(decision_dialog, "ask_issue", answer_issue)
    with qtbot.waitSignal(tab.changed):
        qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0].state == "draft"  # saved before asking
    assert dialog.decision is not None and dialog.decision.number == "01/QĐ-UBND"
    assert "đã ban hành" in dialog.heading.text()
    assert dialog.abstract.isReadOnly() and not dialog.lines.checkable
    assert not dialog.save_button.isVisible() and dialog.revoke_button.isVisible()
    assert state_of(services, lan_nomination) == State.DECIDED
    assert [(r.number, r.item_count, r.total) for r in tab.decisions.rows()] == [("01/QĐ-UBND", 2, 3_050_000)]

    assert not dialog.revoke_button.isEnabled()
    select_line(dialog, "Lê Thị Lan")
    assert dialog.revoke_button.isEnabled()
    monkeypatch.setattr(decision_dialog, "ask_revocation",
                        lambda *_args: ("Kê khai thành tích không đúng", date(2025, 8, 1)))
    monkeypatch.setattr(decision_dialog, "confirm", lambda *_args: True)
    with qtbot.waitSignal(tab.changed):
        qtbot.mouseClick(dialog.revoke_button, Qt.MouseButton.LeftButton)
    [award] = services.history.of(lan).awards
    assert (award.revoked_on, award.revoked_reason) == (date(2025, 8, 1), "Kê khai thành tích không đúng")
    revoked = next(line for line in dialog.lines.rows() if line.subject_name == "Lê Thị Lan")
    assert revoked.revoked_on == date(2025, 8, 1)
    assert "710.000 đồng" in dialog.total.text()
    assert tab.decisions.rows()[0].revoked_count == 1


def test_a_refused_issue_is_explained_in_the_dialog_and_nothing_is_issued(
        qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    nomination = ready(services, person(services, "Lê Thị Lan"), "CSTDCS")
    tab = open_tab(qtbot, services)
    dialog = tab.open_decision(None)
    tick_all(dialog)
    monkeypatch.setattr(decision_dialog, "ask_issue", lambda *_args: (date(2025, 6, 30), None))
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    assert "trả lại đề nghị" in dialog.message.text() and "30/06/2025" in dialog.message.text()
    assert dialog.decision is not None and dialog.decision.state == "draft"
    assert state_of(services, nomination) == State.PUBLIC_NOTICE
    assert services.register.rows(2025) == []


def test_a_draft_needs_a_ticked_line_and_revoking_asks_before_acting(
        qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    ready(services, person(services, "Vũ Thị Mai"))
    tab = open_tab(qtbot, services)
    dialog = tab.open_decision(None)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "ít nhất một đề nghị" in dialog.message.text()
    assert services.decisions.decisions(2024) == []
    tick_all(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "" and tab.decisions.rowCount() == 1
    services.decisions.issue(dialog.decision.id, date(2025, 7, 10))  # type: ignore[union-attr]
    issued = tab.open_decision(tab.decisions.rows()[0].id)
    select_line(issued, "Vũ Thị Mai")
    monkeypatch.setattr(decision_dialog, "ask_revocation", lambda *_args: ("Sai sót", date(2025, 8, 1)))
    monkeypatch.setattr(decision_dialog, "confirm", lambda *_args: False)
    qtbot.mouseClick(issued.revoke_button, Qt.MouseButton.LeftButton)
    assert services.decisions.detail(issued.decision.id).items[0].revoked_on is None  # type: ignore[union-attr]


def test_deleting_a_draft_asks_first(qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    ready(services, person(services, "Vũ Thị Mai"))
    tab = open_tab(qtbot, services)
    dialog = tab.open_decision(None)
    tick_all(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.delete_button.isVisible()
    monkeypatch.setattr(decision_dialog, "confirm", lambda *_args: False)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert tab.decisions.rowCount() == 1
    monkeypatch.setattr(decision_dialog, "confirm", lambda *_args: True)
    with qtbot.waitSignal(tab.changed):
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert tab.decisions.rowCount() == 0 and not dialog.isVisible()


def test_issue_dialog_shows_the_number_it_will_take_or_a_paper_number(qtbot: QtBot, services: Services) -> None:
    services.register.register(issuer="UBND", doc_type="TTr", issued_on=date(2025, 7, 1),
                               abstract="Tờ trình", signer="")
    decision = services.decisions.create_draft(2024, [ready(services, person(services))], "Về việc khen thưởng",
                                               "Nguyễn Văn An", "CHỦ TỊCH")
    dialog = IssueDialog(services, decision, date(2025, 7, 10))
    qtbot.addWidget(dialog)
    assert dialog.number.text() == "Số sẽ cấp: 02/QĐ-UBND"
    dialog.decided_on.set_value(date(2026, 1, 3))
    assert dialog.number.text() == "Số sẽ cấp: 01/QĐ-UBND"
    assert dialog.values() == (date(2026, 1, 3), None)
    dialog.paper.setChecked(True)
    dialog.paper_number.setValue(7)
    assert dialog.values() == (date(2026, 1, 3), 7)


def test_revoke_dialog_needs_a_reason(qtbot: QtBot, services: Services) -> None:
    decision = services.decisions.create_draft(2024, [ready(services, person(services))], "Về việc khen thưởng",
                                               "Nguyễn Văn An", "CHỦ TỊCH")
    issued = services.decisions.issue(decision.id, date(2025, 7, 10))
    line = Line(None, 1, "Vũ Thị Mai", "LDTT", 2024, 710_000, True)
    dialog = RevokeDialog(line, issued, date(2025, 8, 1))
    qtbot.addWidget(dialog)
    assert any("01/QĐ-UBND" in label.text() and "Vũ Thị Mai" in label.text()
               for label in dialog.findChildren(QLabel))
    assert not dialog.revoke_button.isEnabled()
    dialog.reason.setText("  ")
    assert not dialog.revoke_button.isEnabled()
    dialog.reason.setText("Kê khai không đúng")
    assert dialog.revoke_button.isEnabled()
    assert dialog.values() == ("Kê khai không đúng", date(2025, 8, 1))


def test_a_viewer_sees_decisions_read_only(qtbot: QtBot, services: Services) -> None:
    decision = services.decisions.create_draft(2024, [ready(services, person(services))], "Về việc khen thưởng",
                                               "Nguyễn Văn An", "CHỦ TỊCH")
    services.decisions.issue(decision.id, date(2025, 7, 10))
    viewer = Services.create(services.sessions, replace(services.actor, role=Role.VIEWER))
    tab = open_tab(qtbot, viewer)
    assert not tab.new_button.isVisible()
    dialog = tab.open_decision(decision.id)
    assert not any(b.isVisible() for b in (dialog.save_button, dialog.issue_button, dialog.delete_button,
                                           dialog.revoke_button))
    assert dialog.abstract.isReadOnly() and not dialog.lines.checkable
    draft = services.decisions.create_draft(2024, [ready(services, person(services, "Lê Thị Lan"))],
                                            "Về việc khen thưởng đợt 2", "Nguyễn Văn An", "CHỦ TỊCH")
    shown = tab.open_decision(draft.id)
    assert not shown.issue_button.isVisible() and not shown.lines.checkable
    clerk = Services.create(services.sessions, replace(services.actor, role=Role.CLERK))
    clerk_view = DecisionDialog(clerk, 2024, draft.id)
    qtbot.addWidget(clerk_view)
    clerk_view.show()
    assert clerk_view.issue_button.isVisible() and not clerk_view.save_button.isVisible()


def test_document_register_view_lists_the_year_and_enters_another_document(
        qtbot: QtBot, services: Services) -> None:
    services.register.register(issuer="UBND", doc_type="KH", issued_on=date(2025, 1, 10),
                               abstract="Kế hoạch phát động thi đua năm 2025", signer="Nguyễn Văn An")
    tab = open_tab(qtbot, services, 2025)
    qtbot.mouseClick(tab.register_button, Qt.MouseButton.LeftButton)
    view = tab.register_view
    assert view is not None and [r.number_text for r in view.rows.rows()] == ["01/KH-UBND"]
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    entry = view.entry_dialog
    assert entry is not None
    entry.issued_on.set_value(date(2025, 3, 5))
    entry.doc_type.set_value("TTr")
    assert entry.number.text() == "Số sẽ cấp: 02/TTr-UBND"
    entry.paper.setChecked(True)
    entry.paper_number.setValue(1)
    entry.abstract.set_value("Đề nghị tặng Bằng khen tỉnh")
    assert entry.abstract.width() > entry.abstract.fontMetrics().horizontalAdvance(entry.abstract.text())
    qtbot.mouseClick(entry.register_button, Qt.MouseButton.LeftButton)
    assert "01/KH-UBND năm 2025 đã được cấp" in entry.message.text()
    assert entry.isVisible() and view.rows.rowCount() == 1
    entry.paper.setChecked(False)
    with qtbot.waitSignal(tab.changed):
        qtbot.mouseClick(entry.register_button, Qt.MouseButton.LeftButton)
    assert [r.number_text for r in view.rows.rows()] == ["01/KH-UBND", "02/TTr-UBND"]
    view.issuer.setCurrentIndex(view.issuer.findData("HĐTĐKT"))
    assert view.rows.rowCount() == 0


def test_models_pass_the_model_tester(qtmodeltester: ModelTester, services: Services) -> None:
    decision = services.decisions.create_draft(2024, [ready(services, person(services))], "Về việc khen thưởng",
                                               "Nguyễn Văn An", "CHỦ TỊCH")
    decisions = DecisionTableModel()
    decisions.set_rows(services.decisions.decisions(2024))
    qtmodeltester.check(decisions)
    lines = LineTableModel(checkable=True)
    lines.set_rows([Line(1, None, "Vũ Thị Mai", "LDTT", 2024, 710_000, False),
                    Line(2, 5, "Lê Thị Lan", "CSTDCS", 2024, 2_340_000, True, date(2025, 8, 1), "Sai")])
    qtmodeltester.check(lines)
    services.decisions.issue(decision.id, date(2025, 7, 10))
    register = RegisterTableModel()
    register.set_rows(services.register.rows(2025))
    qtmodeltester.check(register)
