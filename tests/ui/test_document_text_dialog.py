"""Editing a document's printed text: one editor per field, required and edited ones marked;
saving keeps the edit and the preview is made again with it; cancelling and restoring ask."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.documents.kinds import Kind, Owner
from app.roles import Role
from app.services import Services
from tests.app.pdf_reading import read_pdf
from tests.conftest import demo_clock
from tests.ui.test_document_preview import open_preview, printable_nominations
from ui import document_text_dialog
from ui.document_preview import PreviewDialog
from ui.document_text_dialog import DocumentTextDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

EDIT = "Ông đã hoàn thành xuất sắc nhiệm vụ được giao, được nhân dân tin yêu – đoạn sửa để thử."


@pytest.fixture
def pool(qapp: object) -> Iterator[QThreadPool]:
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    yield pool
    pool.waitForDone()


def open_texts(qtbot: QtBot, services: Services, pool: QThreadPool,
               owner: Owner | None = None) -> tuple[DocumentTextDialog, Owner]:
    owner = owner or printable_nominations(services, 1)[0]
    dialog = DocumentTextDialog(services.printing, Kind.REPORT, owner, services.printing.fields(Kind.REPORT, owner),
                                pool, "Báo cáo thành tích — thử")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, owner


def answer(monkeypatch: pytest.MonkeyPatch, reply: bool) -> list[str]:
    """Answer the dialog's questions with `reply`; the questions asked, by title."""
    asked: list[str] = []

    def confirm(_parent: object, title: str, _text: str, _action: str, keep: str = "Hủy") -> bool:
        asked.append(title)
        return reply

    monkeypatch.setattr(document_text_dialog, "confirm", confirm)
    return asked


def discard(dialog: DocumentTextDialog, monkeypatch: pytest.MonkeyPatch) -> None:
    """Close a dialog left with typing, answering its question, so the test ends clean."""
    answer(monkeypatch, True)
    dialog.reject()
    assert not dialog.isVisible()


def open_from_preview(qtbot: QtBot, preview: PreviewDialog) -> DocumentTextDialog:
    with qtbot.waitSignal(preview.task_finished, timeout=30_000):
        preview.edit_texts()
    dialog = preview.text_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def multiline_key(dialog: DocumentTextDialog) -> str:
    return next(editor.field.key for editor in dialog.editors
                if editor.field.multiline and not editor.field.required)


def required_key(dialog: DocumentTextDialog) -> str:
    return next(editor.field.key for editor in dialog.editors
                if editor.field.required and not editor.field.multiline)


def test_one_editor_per_field_required_and_edited_ones_marked(qtbot: QtBot, demo_services: Services,
                                                             pool: QThreadPool,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    dialog, owner = open_texts(qtbot, demo_services, pool)
    values = demo_services.printing.fields(Kind.REPORT, owner)
    assert [editor.field.key for editor in dialog.editors] == [value.field.key for value in values]
    for editor, value in zip(dialog.editors, values, strict=True):
        assert isinstance(editor.editor, QPlainTextEdit if value.field.multiline else QLineEdit)
        assert editor.text() == value.value
        assert editor.label.text().endswith(" *") == value.field.required
        assert editor.edited_mark.isHidden()
    key = multiline_key(dialog)
    dialog.editor(key).set_text(EDIT)
    assert not dialog.editor(key).edited_mark.isHidden() and dialog.is_dirty()
    assert dialog.restore_button.isEnabled()
    discard(dialog, monkeypatch)


def test_a_saved_edit_is_kept_and_the_preview_shows_it(qtbot: QtBot, demo_services: Services,
                                                       pool: QThreadPool) -> None:
    preview = open_preview(qtbot, demo_services, pool)
    assert EDIT not in read_pdf(preview.data).text
    dialog = open_from_preview(qtbot, preview)
    key = multiline_key(dialog)
    dialog.editor(key).set_text(EDIT)
    with qtbot.waitSignal(preview.regenerated, timeout=30_000):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert not dialog.isVisible()
    assert EDIT in read_pdf(preview.data).text.replace("\n", " ")
    stored = {value.field.key: value for value in demo_services.printing.fields(Kind.REPORT, preview._owners[0])}
    assert stored[key].value == EDIT and stored[key].edited
    assert preview.status.text() == "Đã soạn lại theo nội dung vừa sửa."


def test_an_emptied_required_field_is_named_and_nothing_is_saved(qtbot: QtBot, demo_services: Services,
                                                                pool: QThreadPool,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    dialog, owner = open_texts(qtbot, demo_services, pool)
    key = required_key(dialog)
    dialog.editor(key).set_text("  ")
    dialog.save()
    editor = dialog.editor(key)
    assert not editor.error.isHidden()
    assert editor.error.text().startswith(f"Hãy nhập {editor.field.label.lower()}")
    assert not dialog.is_busy() and dialog.isVisible()
    assert not any(value.edited for value in demo_services.printing.fields(Kind.REPORT, owner))
    discard(dialog, monkeypatch)


def test_a_text_the_document_refuses_is_said_and_the_typing_stays(qtbot: QtBot, demo_services: Services,
                                                                  pool: QThreadPool) -> None:
    dialog, owner = open_texts(qtbot, demo_services, pool)
    dialog.editor("report_date").set_text("31/02/2025")
    saved: list[bool] = []
    dialog.saved.connect(lambda: saved.append(True))
    with qtbot.waitSignal(dialog.task_finished, timeout=30_000):
        dialog.save()
    assert dialog.isVisible() and saved == []  # the preview is not made again from it
    assert dialog.message.text().startswith("Đã lưu, nhưng văn bản chưa in được:")
    assert "31/02/2025" in dialog.message.text()
    assert dialog.editor("report_date").text() == "31/02/2025" and not dialog.is_dirty()


def test_a_refused_save_keeps_everything_typed(qtbot: QtBot, demo_services: Services, pool: QThreadPool,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    viewer = Services.create(demo_services.sessions, replace(demo_services.actor, role=Role.VIEWER), demo_clock)
    dialog, owner = open_texts(qtbot, viewer, pool)
    key = multiline_key(dialog)
    dialog.editor(key).set_text(EDIT)
    with qtbot.waitSignal(dialog.task_finished, timeout=30_000):
        dialog.save()
    assert dialog.isVisible() and dialog.message.text().startswith("Chưa lưu được:")
    assert "vẫn còn trên màn hình" in dialog.message.text()
    assert dialog.editor(key).text() == EDIT and dialog.is_dirty()
    assert not any(value.edited for value in demo_services.printing.fields(Kind.REPORT, owner))
    discard(dialog, monkeypatch)


def test_cancelling_with_typed_changes_asks_first(qtbot: QtBot, demo_services: Services, pool: QThreadPool,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    dialog, owner = open_texts(qtbot, demo_services, pool)
    dialog.editor(multiline_key(dialog)).set_text(EDIT)
    asked = answer(monkeypatch, False)
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert asked == ["Bỏ thay đổi?"] and dialog.isVisible()
    asked = answer(monkeypatch, True)
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert asked == ["Bỏ thay đổi?"] and not dialog.isVisible()
    assert not any(value.edited for value in demo_services.printing.fields(Kind.REPORT, owner))


def test_cancelling_without_changes_closes_at_once(qtbot: QtBot, demo_services: Services, pool: QThreadPool,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    dialog, _owner = open_texts(qtbot, demo_services, pool)
    asked = answer(monkeypatch, False)
    dialog.reject()
    assert asked == [] and not dialog.isVisible()


def test_restoring_the_prepared_text_asks_then_forgets_the_edits(qtbot: QtBot, demo_services: Services,
                                                                 pool: QThreadPool,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    owner = printable_nominations(demo_services, 1)[0]
    fields = {value.field.key: value for value in demo_services.printing.fields(Kind.REPORT, owner)}
    key = next(k for k, value in fields.items() if value.field.multiline and not value.field.required)
    demo_services.printing.save_texts(Kind.REPORT, owner, {key: EDIT})
    dialog, _owner = open_texts(qtbot, demo_services, pool, owner)
    assert dialog.editor(key).text() == EDIT and not dialog.editor(key).edited_mark.isHidden()
    assert dialog.restore_button.isEnabled()
    asked = answer(monkeypatch, False)
    dialog.restore_button.click()
    assert asked == [document_text_dialog.RESTORE] and dialog.isVisible()
    assert {v.field.key: v.value for v in demo_services.printing.fields(Kind.REPORT, owner)}[key] == EDIT
    answer(monkeypatch, True)
    with qtbot.waitSignal(dialog.saved, timeout=30_000):
        dialog.restore_button.click()
    assert not dialog.isVisible()
    assert dialog.editor(key).text() == fields[key].field.default
    assert not any(value.edited for value in demo_services.printing.fields(Kind.REPORT, owner))


def test_the_preview_opens_the_text_of_its_document(qtbot: QtBot, demo_services: Services,
                                                    pool: QThreadPool, monkeypatch: pytest.MonkeyPatch) -> None:
    preview: PreviewDialog = open_preview(qtbot, demo_services, pool)
    read_on: list[threading.Thread] = []
    fields = demo_services.printing.fields
    monkeypatch.setattr(demo_services.printing, "fields",
                        lambda *args: read_on.append(threading.current_thread()) or fields(*args))
    with qtbot.waitSignal(preview.task_finished, timeout=30_000):  # the text is read in the background
        preview.edit_button.click()
        assert not preview.edit_button.isEnabled() and not preview.print_button.isEnabled()
    dialog = preview.text_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Sửa nội dung: Báo cáo thành tích — thử"
    assert len(read_on) == 1 and read_on[0] is not threading.main_thread()  # a session's list is long
    assert len(dialog.editors) == len(fields(Kind.REPORT, preview._owners[0]))


def test_a_saved_text_that_does_not_print_leaves_the_preview_unprintable(qtbot: QtBot, demo_services: Services,
                                                                         pool: QThreadPool) -> None:
    preview = open_preview(qtbot, demo_services, pool)
    dialog = open_from_preview(qtbot, preview)
    dialog.editor("report_date").set_text("31/02/2025")
    with qtbot.waitSignal(dialog.task_finished, timeout=30_000):
        dialog.save()
    dialog.reject()  # stored as typed: closes without a question
    assert not dialog.isVisible()
    # The PDF shown is the older text: it must not be printed or saved any more.
    for button in (preview.print_button, preview.save_pdf_button, preview.save_word_button):
        assert not button.isEnabled(), button.text()
    assert preview.edit_button.isEnabled()
    assert not preview.stale_label.isHidden()
    assert preview.stale_label.text().startswith("Nội dung đã lưu chưa in được:")
    assert "31/02/2025" in preview.stale_label.text()

    # Corrected: the preview is made again from the stored text and may be printed again.
    dialog = open_from_preview(qtbot, preview)
    assert dialog.editor("report_date").text() == "31/02/2025"
    dialog.editor("report_date").set_text("15/01/2025")
    with qtbot.waitSignal(preview.regenerated, timeout=30_000):
        dialog.save()
    assert preview.stale_label.isHidden() and preview.stale == ""
    for button in (preview.print_button, preview.save_pdf_button, preview.save_word_button):
        assert button.isEnabled(), button.text()
    assert "15/01/2025" in read_pdf(preview.data).text or "15 tháng 01 năm 2025" in read_pdf(preview.data).text
