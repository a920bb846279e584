"""The «Họp Hội đồng» part of the emulation year: the year's council sessions, a new session,
opening one, a correcting session for a final one, and the session's printed documents (biên
bản, thông báo công khai, tờ trình, danh sách trích ngang) from «In ▾»."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.council import SessionRow
from app.documents.kinds import Kind, Owner
from app.errors import DomainError, ValidationError
from app.roles import Permission
from app.services import Services
from ui.council_session_dialog import CouncilSessionDialog
from ui.council_tables import SORT_ROLE, SessionColumn, SessionTableModel
from ui.dialogs import button_box
from ui.form import ERROR_STYLE, DateField, Form, TextField
from ui.print_actions import PrintActions, print_button
from ui.table_columns import fit_columns

CORRECTION_WIDTH = 300  # px
FORM_WIDTH = 620  # px
NO_SESSIONS = "Chưa có phiên họp Hội đồng nào xét năm {year}."
# What the «In» menu prints for a session, and the word for it in the preview's title.
SESSION_DOCUMENTS = (
    ("Biên bản…", Kind.MINUTES, "Biên bản"),
    ("Thông báo công khai…", Kind.NOTICE, "Thông báo công khai"),
    ("Tờ trình đề nghị tỉnh…", Kind.PROPOSAL, "Tờ trình"),
    ("Danh sách trích ngang…", Kind.SUMMARY, "Danh sách trích ngang"),
)
NEW_SESSION_HINT = (" Bấm «Phiên họp mới…»: thành viên lấy từ thiết lập xã; đưa vào phiên các đề nghị đã kiểm tra "
                    "điều kiện, ghi số phiếu rồi chốt kết quả.")


class SessionFormDialog(QDialog):
    """Asks for a new session (date, title, place) or a correcting one (date, reason), and
    runs `store(values)`; a refusal shows at its field and keeps what was typed."""

    def __init__(self, title: str, fields: list[tuple[str, str, QWidget]],
                 store: Callable[[dict[str, object]], int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(FORM_WIDTH)  # a session's title is long: shown whole as it is typed
        self.form = Form(self)
        for name, label, field in fields:
            self.form.add(name, label, field)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self._store = store
        self.session_id: int | None = None
        buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _on_accepted(self) -> None:
        self.form.clear_errors()
        self.message.hide()
        try:
            self.session_id = self._store(self.form.values())
        except ValidationError as error:
            if not self.form.show_error(error.field, str(error)):
                self._show(str(error))
            return
        except DomainError as error:
            self._show(str(error))
            return
        self.accept()

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()


class CouncilTab(QWidget):
    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None, *,
                 read_pool: QThreadPool | None = None, write_pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.printer = PrintActions(services, self, read_pool, write_pool)
        self._year = date.today().year
        self.heading = QLabel()
        self.model = SessionTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(SessionColumn.HELD_ON, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        fit_columns(self.view, SessionColumn.TITLE)
        # The correction note is often empty and long when not: a fixed share, cut with «…».
        self.view.horizontalHeader().setSectionResizeMode(
            SessionColumn.CORRECTION, QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(SessionColumn.CORRECTION, CORRECTION_WIDTH)
        self.new_button = QPushButton("Phiên họp mới…")
        self.open_button = QPushButton("Mở phiên họp")
        self.correct_button = QPushButton("Lập phiên điều chỉnh…")
        self.print_button, self.print_actions = print_button(
            [(text, kind.value) for text, kind, _word in SESSION_DOCUMENTS], self._on_print_triggered, self)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        can_change = services.actor.can(Permission.RUN_EMULATION)
        self.new_button.setVisible(can_change)
        self.correct_button.setVisible(can_change)

        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.correct_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.correct_button.clicked.connect(self._on_correct_clicked)
        self.set_year(self._year)

    def set_year(self, year: int) -> None:
        self._year = year
        self.heading.setText(f"Các phiên họp Hội đồng Thi đua - Khen thưởng xét năm {year}")
        self.reload()

    def reload(self) -> None:
        selected = self.selected()
        self.model.set_rows(self._services.council.sessions(self._year))
        can = self._services.actor.can(Permission.RUN_EMULATION)
        self.empty.setText(NO_SESSIONS.format(year=self._year) + (NEW_SESSION_HINT if can else ""))
        self.empty.setVisible(self.model.rowCount() == 0)
        if selected is not None:
            self.select(selected.id)
        self._update_buttons()

    def selected(self) -> SessionRow | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row(self.proxy.mapToSource(rows[0]))

    def select(self, session_id: int) -> None:
        for position, row in enumerate(self.model.rows()):
            if row.id == session_id:
                self.view.selectRow(self.proxy.mapFromSource(self.model.index(position, 0)).row())
                return

    def open_session(self, session_id: int) -> CouncilSessionDialog:
        """Show one session (modal); returns the dialog after it closes (tests look at it)."""
        dialog = self.session_dialog(session_id)
        dialog.exec()
        return dialog

    def session_dialog(self, session_id: int) -> CouncilSessionDialog:
        dialog = CouncilSessionDialog(self._services, session_id, self)
        dialog.changed.connect(self._on_session_changed)
        return dialog

    def new_session_dialog(self) -> SessionFormDialog:
        held_on = DateField(optional=False)
        title = TextField(300)
        title.set_value(f"Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm {self._year}")
        location = TextField(200, "Hội trường UBND xã")
        return SessionFormDialog(
            "Phiên họp mới", [("held_on", "Ngày họp", held_on), ("title", "Tên phiên họp", title),
                              ("location", "Địa điểm", location)],
            lambda v: self._services.council.create(self._year, v["held_on"], v["title"], v["location"]),
            self)

    def correction_dialog(self, row: SessionRow) -> SessionFormDialog:
        held_on = DateField(optional=False)
        reason = TextField(500, "Ví dụ: kiểm phiếu nhầm, ghi sai số phiếu")
        return SessionFormDialog(
            f"Lập phiên điều chỉnh phiên «{row.title}»",
            [("held_on", "Ngày họp điều chỉnh", held_on), ("reason", "Lý do điều chỉnh", reason)],
            lambda v: self._services.council.correct(row.id, v["reason"], v["held_on"]), self)

    def _update_buttons(self) -> None:
        row = self.selected()
        self.open_button.setEnabled(row is not None)
        self.correct_button.setEnabled(row is not None and row.is_final and row.corrected_by_id is None)
        self.print_button.setEnabled(row is not None)

    def _on_print_triggered(self, action: QAction) -> None:
        row = self.selected()
        if row is None:
            return
        kind = Kind(action.data())
        word = next(word for _text, known, word in SESSION_DOCUMENTS if known is kind)
        self.printer.preview(kind, [Owner("session", row.id)], f"{word} — {row.title}")

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        self.open_session(self.model.row(self.proxy.mapToSource(index)).id)

    def _on_open_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_session(row.id)

    def _on_new_clicked(self) -> None:
        self._run_form(self.new_session_dialog())

    def _on_correct_clicked(self) -> None:
        row = self.selected()
        if row is not None and row.is_final:
            self._run_form(self.correction_dialog(row))

    def _run_form(self, dialog: SessionFormDialog) -> None:
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.session_id is None:
            return
        self._on_session_changed()
        self.select(dialog.session_id)
        self.open_session(dialog.session_id)

    def _on_session_changed(self) -> None:
        self.reload()
        self.changed.emit()
