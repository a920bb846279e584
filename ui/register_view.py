"""The register (sổ theo dõi): a page per kind of subject, one search box, add / open / delete.

Reading a whole kind takes ~1.5 s at 100 000 people, so every load runs on the read pool;
a result that arrives after the officer typed something else is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QThreadPool, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import catalogue
from app.services import Services
from app.subject_data import SubjectRow, fts_query
from app.subjects import SEARCH_PAGE
from ui.background import Task
from ui.dialogs import ask_reason, show_error
from ui.subject_dialog import SubjectDialog
from ui.subject_table import SubjectTableView

SEARCH_DELAY_MS = 150
KINDS = ("individual", "collective", "household", "village")
# What "N …" counts in the status line, per kind.
COUNTED = {"individual": "cá nhân", "collective": "tập thể", "household": "hộ gia đình",
           "village": "thôn, tổ dân phố"}


def number(value: int) -> str:
    """An integer with Vietnamese thousands separators: 100.000."""
    return f"{value:,}".replace(",", ".")


class SubjectPage(QWidget):
    """The table of one kind of subject and what was last loaded into it."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.view = SubjectTableView(kind)
        self.model = self.view.subjects
        self.proxy = self.view.proxy
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.generation = 0  # bumped by every load; older results are dropped
        self.loaded_text: str | None = None  # search text of the rows shown; None when stale


class RegisterView(QWidget):
    """The register area of the main window; its actions go in the 'Sổ theo dõi' menu."""

    def __init__(self, services: Services, read_pool: QThreadPool, write_pool: QThreadPool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._read_pool = read_pool
        self._write_pool = write_pool

        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo họ tên, tên hoặc số CCCD (gõ không dấu cũng được)")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._on_search_return_pressed)

        self.new_action = self._action("Thêm mới…", QKeySequence.StandardKey.New, self.new_subject)
        self.open_action = self._action("Mở…", None, self.open_selected)
        self.delete_action = self._action("Xóa…", QKeySequence.StandardKey.Delete, self.delete_selected)
        self.find_action = self._action("Tìm kiếm", QKeySequence.StandardKey.Find, self.focus_search)
        self.reload_action = self._action("Tải lại", QKeySequence.StandardKey.Refresh, self.reload)

        self.pages = {kind: SubjectPage(kind) for kind in KINDS}
        self.tabs = QTabWidget()
        for page in self.pages.values():
            self.tabs.addTab(page, catalogue.SUBJECT_KINDS[page.kind])
            page.view.activated.connect(self._on_view_activated)
            page.view.selectionModel().currentChanged.connect(self._update_actions)
            page.model.modelReset.connect(self._update_actions)
            page.model.rowsRemoved.connect(self._update_actions)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.status = QLabel()

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for action in (self.new_action, self.open_action, self.delete_action):
            button = QPushButton(action.text())
            button.clicked.connect(action.trigger)
            action.enabledChanged.connect(button.setEnabled)
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

        self.refresh_counts()
        self._update_actions()
        self._load(self.current_page())

    def actions_for_menu(self) -> list[QAction]:
        return [self.new_action, self.open_action, self.delete_action, self.find_action, self.reload_action]

    def current_page(self) -> SubjectPage:
        page = self.tabs.currentWidget()
        assert isinstance(page, SubjectPage)
        return page

    def show_kind(self, kind: str) -> None:
        self.tabs.setCurrentWidget(self.pages[kind])

    # --- commands ----------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def new_subject(self) -> SubjectDialog:
        return self.open_editor(self.current_page().kind, None)

    def open_selected(self) -> SubjectDialog | None:
        row = self.current_page().view.selected()
        return self.open_editor(row.kind, row.id) if row else None

    def open_editor(self, kind: str, subject_id: int | None) -> SubjectDialog:
        dialog = SubjectDialog(self._services, self._write_pool, kind, subject_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._on_subject_saved)
        dialog.open()
        return dialog

    def delete_selected(self) -> None:
        row = self.current_page().view.selected()
        if row is None:
            return
        question = (
            f"Xóa “{row.name}” khỏi sổ theo dõi?\n\nToàn bộ xếp loại, danh hiệu, khen thưởng, sáng kiến "
            "và kỷ luật đã ghi cho đối tượng này cũng bị xóa. Không thể hoàn tác."
        )
        reason = ask_reason(self, "Xóa khỏi sổ theo dõi", question, "Xóa")
        if reason is None:
            return
        subject_id = row.id
        task = Task(lambda _report: self._services.subjects.delete(subject_id, reason), parent=self)
        task.succeeded.connect(lambda _result: self._on_subject_deleted(row))
        task.failed.connect(lambda error: show_error(self, "Không xóa được", str(error)))
        task.start(self._write_pool)

    def reload(self) -> None:
        """Read everything again (after an import, say)."""
        for page in self.pages.values():
            page.loaded_text = None
        self.refresh_counts()
        self._load(self.current_page())

    def refresh_counts(self) -> None:
        for position, page in enumerate(self.pages.values()):
            count = self._services.subjects.count(page.kind)
            self.tabs.setTabText(position, f"{catalogue.SUBJECT_KINDS[page.kind]} ({number(count)})")

    # --- loading -----------------------------------------------------------------------

    def _load(self, page: SubjectPage) -> None:
        text, kind = self.search.text(), page.kind
        page.generation += 1
        generation = page.generation
        page.loaded_text = text
        self.status.setText("Đang tải…")
        # The whole register when nothing is typed; while typing, one page of the best matches.
        limit = SEARCH_PAGE if fts_query(text) else None
        task = Task(lambda _report: self._services.subjects.search(text, kind, limit), parent=self)
        task.succeeded.connect(lambda rows: self._on_rows_loaded(page, generation, rows))
        task.failed.connect(lambda error: self._on_load_failed(page, generation, error))
        task.start(self._read_pool)

    def _on_rows_loaded(self, page: SubjectPage, generation: int, rows: list[SubjectRow]) -> None:
        if generation != page.generation:
            return
        page.view.show_rows(rows)
        if page is self.current_page():
            self._show_status()

    def _on_load_failed(self, page: SubjectPage, generation: int, error: Exception) -> None:
        if generation != page.generation:
            return
        page.loaded_text = None
        self.status.setText(f"Không đọc được sổ theo dõi: {error}")

    def _show_status(self) -> None:
        page = self.current_page()
        shown = page.model.rowCount()
        if page.loaded_text and page.loaded_text.strip():
            typed = page.loaded_text.strip()
            if shown >= SEARCH_PAGE:
                self.status.setText(f"Hiện {number(shown)} kết quả đầu tiên cho “{typed}”; gõ thêm để thu hẹp.")
            elif shown == 0:
                self.status.setText(f"Không có đối tượng nào khớp với “{typed}”.")
            else:
                self.status.setText(f"Tìm thấy {number(shown)} kết quả cho “{typed}”.")
        else:
            self.status.setText(f"{number(shown)} {COUNTED[page.kind]}.")

    def _on_search_timer_timeout(self) -> None:
        for page in self.pages.values():
            page.loaded_text = None
        self._load(self.current_page())

    def _on_search_return_pressed(self) -> None:
        """Enter in the search box moves to the results, on the first one."""
        page = self.current_page()
        if page.proxy.rowCount():
            page.view.setFocus(Qt.FocusReason.OtherFocusReason)
            page.view.selectRow(0)

    def _on_tabs_current_changed(self, _position: int) -> None:
        self._update_actions()
        page = self.current_page()
        if page.loaded_text != self.search.text():
            self._load(page)
        else:
            self._show_status()

    # --- changes -----------------------------------------------------------------------

    def _on_view_activated(self, index: QModelIndex) -> None:
        row = self.current_page().proxy.subject_at(index)
        self.open_editor(row.kind, row.id)

    def _on_subject_saved(self, row: SubjectRow) -> None:
        page = self.pages[row.kind]
        page.model.put(row)
        page.view.select(row.id)
        self._after_change(page)

    def _on_subject_deleted(self, row: SubjectRow) -> None:
        page = self.pages[row.kind]
        page.model.remove(row.id)
        self._after_change(page)

    def _after_change(self, changed: SubjectPage) -> None:
        """Other kinds may show the changed name (a unit, a village): read them again when shown."""
        for page in self.pages.values():
            if page is not changed:
                page.loaded_text = None
        self.refresh_counts()
        if changed is self.current_page():
            self._show_status()

    def _update_actions(self) -> None:
        selected = self.current_page().view.selected() is not None
        self.open_action.setEnabled(selected)
        self.delete_action.setEnabled(selected)

    def _action(self, text: str, shortcut: QKeySequence.StandardKey | None, slot: object) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action
