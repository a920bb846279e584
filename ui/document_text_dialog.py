"""«Sửa nội dung văn bản»: the text a document prints, prefilled from the data, for the officer
to correct before printing.

One editor per field the document's builder offers (a line, or a box for paragraphs and lists
of lines). Required fields carry «*», and a field whose text differs from what the program
prepared is marked «đã sửa». Saving keeps the edits with the nomination, session or decision
(`PrintService.save_texts`) on the write pool, then builds the document once to catch what
would stop it printing (a date typed wrongly): the dialog stays open with the message and the
text typed, and `unprintable` tells the preview that what it shows is no longer what is stored.
The edits change only the printed text, never the data they were prefilled from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.documents.kinds import KIND_LABELS, FieldValue, Kind, Owner, TextField
from app.documents.model import DocumentError
from app.errors import CancelledError, DomainError
from app.printing import PrintService
from db.engine import StorageError
from ui.background import Task
from ui.dialogs import button_box, confirm
from ui.form import ERROR_STYLE, UNSAVED_QUESTION
from ui.task_dialog import TaskDialog

RESTORE = "Khôi phục nội dung soạn sẵn"
RESTORE_QUESTION = ("Trả mọi mục về nội dung chương trình soạn sẵn từ dữ liệu? Những chỗ đã sửa, "
                    "kể cả chỗ vừa gõ, sẽ mất.")
EDITED_MARK = "đã sửa"
EDITED_STYLE = "color: #1a5fb4; font-style: italic;"
INTRO = ("Nội dung dưới đây được soạn sẵn từ dữ liệu của chương trình. Sửa ở đây chỉ đổi chữ in ra "
         "trên văn bản này, không đổi dữ liệu gốc. Mục có dấu * là bắt buộc; mục ghi «đã sửa» khác "
         "nội dung soạn sẵn.")
LINE_CHARS = 90  # characters in a line of a text box, to size it to its text
MIN_LINES, MAX_LINES = 3, 12
DIALOG_WIDTH, DIALOG_HEIGHT = 780, 680  # px


class FieldEditor(QWidget):
    """One field: its label («*» when required, «đã sửa» when it differs from the prefilled
    text), its editor and the place for its error."""

    changed = Signal()

    def __init__(self, value: FieldValue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field: TextField = value.field
        self.label = QLabel(self.field.label + (" *" if self.field.required else ""))
        self.edited_mark = QLabel(EDITED_MARK)
        self.edited_mark.setStyleSheet(EDITED_STYLE)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.editor: QLineEdit | QPlainTextEdit
        if self.field.multiline:
            self.editor = QPlainTextEdit()
            self.editor.setTabChangesFocus(True)
            self.editor.setPlainText(value.value)
            self.editor.setFixedHeight(_box_height(self.editor, value.value))
            self.editor.textChanged.connect(self._update_mark)
        else:
            self.editor = QLineEdit(value.value)
            self.editor.setCursorPosition(0)
            self.editor.textChanged.connect(self._update_mark)
        self.label.setBuddy(self.editor)
        heading = QHBoxLayout()
        heading.addWidget(self.label)
        heading.addWidget(self.edited_mark)
        heading.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(2)
        layout.addLayout(heading)
        layout.addWidget(self.editor)
        layout.addWidget(self.error)
        self._update_mark()

    def text(self) -> str:
        if isinstance(self.editor, QPlainTextEdit):
            return self.editor.toPlainText()
        return self.editor.text()

    def set_text(self, text: str) -> None:
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.setPlainText(text)
        else:
            self.editor.setText(text)
            self.editor.setCursorPosition(0)

    @property
    def edited(self) -> bool:
        return self.text() != self.field.default

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def _update_mark(self) -> None:
        self.edited_mark.setVisible(self.edited)
        self.changed.emit()


def _box_height(editor: QPlainTextEdit, text: str) -> int:
    """Room for the text as it wraps (roughly), between a few lines and a dozen."""
    lines = sum(max(1, -(-len(line) // LINE_CHARS)) for line in text.splitlines() or [""])
    lines = min(max(lines, MIN_LINES), MAX_LINES)
    return editor.fontMetrics().lineSpacing() * lines + 14


class DocumentTextDialog(TaskDialog):
    """Edit one document's printed text; `saved` once the edits (or the restore) are stored
    and the document can be made from them, `unprintable(problem)` once they are stored but
    the document cannot be made from them."""

    saved = Signal()
    unprintable = Signal(str)

    def __init__(self, printing: PrintService, kind: Kind, owner: Owner, values: list[FieldValue],
                 write_pool: QThreadPool, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._printing = printing
        self._kind = kind
        self._owner = owner
        self._write_pool = write_pool
        self.setWindowTitle(f"Sửa nội dung: {title or KIND_LABELS[kind]}")
        self.resize(DIALOG_WIDTH, DIALOG_HEIGHT)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.editors = [FieldEditor(value) for value in values]
        fields = QWidget()
        column = QVBoxLayout(fields)
        for editor in self.editors:
            column.addWidget(editor)
        column.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(fields)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.restore_button = QPushButton(RESTORE + "…")
        self.restore_button.setToolTip("Bỏ mọi chỗ đã sửa của văn bản này (chương trình hỏi lại trước)")
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.buttons = button_box(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.restore_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        self._stored = self.texts()
        for editor in self.editors:
            editor.changed.connect(self._update_restore)
        self._update_restore()

    def texts(self) -> dict[str, str]:
        return {editor.field.key: editor.text() for editor in self.editors}

    def editor(self, key: str) -> FieldEditor:
        return next(editor for editor in self.editors if editor.field.key == key)

    def is_dirty(self) -> bool:
        return self.texts() != self._stored

    def save(self) -> None:
        """Check the required fields, then store the edits in the background."""
        self._clear_messages()
        missing = [editor for editor in self.editors if editor.field.required and not editor.text().strip()]
        for editor in missing:
            editor.show_error(f"Hãy nhập {editor.field.label.lower()}: văn bản không in được khi thiếu mục này.")
        if missing:
            self.scroll.ensureWidgetVisible(missing[0])
            missing[0].editor.setFocus()
            return
        texts = self.texts()
        printing, kind, owner = self._printing, self._kind, self._owner

        def work(_report: Callable[[int, int], None]) -> str:
            printing.save_texts(kind, owner, texts)
            try:
                printing.documents(kind, [owner])
            except DocumentError as error:
                return str(error)
            return ""

        self.start_task(Task(work), self._write_pool, lambda problem: self._on_saved(texts, problem),
                        self._on_failed)

    def _on_saved(self, texts: dict[str, str], problem: str) -> None:
        self._stored = texts
        if problem:  # kept: the preview must not print its older text any more
            self._show(f"Đã lưu, nhưng văn bản chưa in được: {problem} Hãy sửa rồi bấm «Lưu» lại.")
            self.unprintable.emit(problem)
            return
        self.saved.emit()
        self.accept()

    def restore(self) -> None:
        """Forget every edit of the document (the question is asked by the button)."""
        self._clear_messages()
        printing, kind, owner = self._printing, self._kind, self._owner
        self.start_task(Task(lambda _report: printing.reset_texts(kind, owner)), self._write_pool,
                        self._on_restored, self._on_failed)

    def _on_restored(self, _result: Any) -> None:
        for editor in self.editors:
            editor.set_text(editor.field.default)
        self._stored = self.texts()
        self.saved.emit()
        self.accept()

    def _on_failed(self, error: Exception) -> None:
        if isinstance(error, CancelledError):
            return
        if isinstance(error, DomainError | StorageError):
            self._show(f"Chưa lưu được: {error} Nội dung vừa gõ vẫn còn trên màn hình.")
            return
        self._show("Chưa lưu được do lỗi không mong muốn. Nội dung vừa gõ vẫn còn trên màn hình.")
        raise error

    def reject(self) -> None:
        if self.is_busy():
            return  # a save runs: its result must reach the screen
        if self.is_dirty() and not confirm(self, "Bỏ thay đổi?", UNSAVED_QUESTION, "Bỏ thay đổi",
                                           keep="Tiếp tục sửa"):
            return
        super().reject()

    def _set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        self._update_restore()

    def _update_restore(self) -> None:
        """Restoring is offered while anything differs from the prefilled text, typed or stored."""
        stored = any(self._stored[editor.field.key] != editor.field.default for editor in self.editors)
        self.restore_button.setEnabled(not self.is_busy() and (stored or any(e.edited for e in self.editors)))

    def _on_save_clicked(self) -> None:
        self.save()

    def _on_restore_clicked(self) -> None:
        if confirm(self, RESTORE, RESTORE_QUESTION, "Khôi phục", keep="Giữ nội dung đã sửa"):
            self.restore()

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _clear_messages(self) -> None:
        self.message.hide()
        for editor in self.editors:
            editor.clear_error()
