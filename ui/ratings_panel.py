"""«Xếp loại cuối năm»: the year's ratings of staff and collectives (every person on
request), typed in a table or imported from Excel. «Lưu» sends only the rows changed;
ratings typed and not saved stay while the officer filters or searches, and are asked
about before the year changes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.annual_review import RATING_LISTS, RATING_PAGE
from app.errors import DomainError
from app.roles import Permission
from app.services import Services
from ui.background import Task
from ui.dialogs import choose, show_error
from ui.ratings_table import SORT_ROLE, RatingColumn, RatingDelegate, RatingsTableModel
from ui.review_job_dialog import JobDialog

EXCEL_FILTER = "Tệp Excel (*.xlsx)"
MORE_ROWS = f"Chỉ hiện {RATING_PAGE} dòng đầu; hãy chọn loại hoặc gõ tên, số CCCD để tìm."
IMPORT_INTRO = ("Chương trình đọc toàn bộ tệp, tìm từng đối tượng trong sổ (theo mã, số CCCD hoặc "
                "họ tên và ngày sinh) và chỉ ghi khi mọi dòng đều đúng.")


class RatingsPanel(QWidget):
    saved = Signal()  # ratings were written (typed or imported)

    def __init__(self, services: Services, write_pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._pool = write_pool
        self._year: int | None = None
        self._saving = False
        self._sent: tuple[int | None, list[tuple[int, str | None]]] = (None, [])  # what the running save sends
        self._import_dialog: JobDialog | None = None
        self.kind = QComboBox()
        for code, label in RATING_LISTS.items():
            self.kind.addItem(label, code)
        self.kind.currentIndexChanged.connect(self.reload)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo tên hoặc số CCCD (không cần gõ dấu)")
        self.search.returnPressed.connect(self.reload)
        self.search.textChanged.connect(self.reload)
        self.model = RatingsTableModel(self)
        self.model.dataChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setItemDelegateForColumn(RatingColumn.RATING, RatingDelegate(self.table))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.save_button = QPushButton("Lưu")
        self.save_button.clicked.connect(self.save)
        self.discard_button = QPushButton("Bỏ thay đổi")
        self.discard_button.clicked.connect(self._on_discard_clicked)
        self.import_button = QPushButton("Nhập từ Excel…")
        self.import_button.clicked.connect(self._on_import_clicked)
        self.template_button = QPushButton("Lưu tệp mẫu…")
        self.template_button.clicked.connect(self._on_template_clicked)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("Hiện:"))
        filters.addWidget(self.kind)
        filters.addWidget(self.search, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.template_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self._update_buttons()

    @property
    def year(self) -> int | None:
        return self._year

    def has_unsaved_changes(self) -> bool:
        return self.model.has_changes()

    def set_year(self, year: int) -> None:
        self._year = year
        self.model.discard_changes()
        self.reload()

    def reload(self) -> None:
        """Show the rows the filters ask for; ratings typed and not saved are kept."""
        if self._year is None:
            return
        rows = self._services.review.ratings(self._year, self.kind.currentData(), self.search.text())
        self.model.set_rows(rows)
        self.note.setText(MORE_ROWS if len(rows) >= RATING_PAGE else "")

    def confirm_leave(self) -> bool:
        """True when there is nothing unsaved or the officer chose to save or drop it."""
        if not self.has_unsaved_changes():
            return True
        answer = choose(self, "Xếp loại chưa lưu",
                        f"Có {len(self.model.changes())} xếp loại năm {self._year} đã sửa mà chưa lưu.",
                        ["Lưu", "Bỏ các thay đổi"])
        if answer is None:
            return False
        if answer == 0:
            return self._save_now()
        self.model.discard_changes()
        return True

    def save(self) -> None:
        """Write the changed rows in the background."""
        if self._year is None or not self.has_unsaved_changes() or self._saving:
            return
        year, changes = self._year, self.model.changes()
        review = self._services.review
        task = Task(lambda _report: review.set_ratings(year, changes), self._pool)
        task.succeeded.connect(self._on_save_succeeded)
        task.failed.connect(self._on_save_failed)
        self._saving = True
        self._sent = (year, changes)
        self._update_buttons()
        task.start(self._pool)

    def _save_now(self) -> bool:
        """Save before leaving, at once: a handful of rows, after any write already queued."""
        assert self._year is not None
        self._pool.waitForDone()
        changes = self.model.changes()
        try:
            self._services.review.set_ratings(self._year, changes)
        except DomainError as error:
            show_error(self, "Không lưu được xếp loại", str(error))
            return False
        self.model.forget_saved(changes)
        self.saved.emit()
        return True

    def _on_save_succeeded(self, count: int) -> None:
        """The table stays editable while saving: only what was sent is taken as saved."""
        self._saving = False
        year, sent = self._sent
        if year == self._year:  # the year's edits were asked about and dropped or saved when it changed
            self.model.forget_saved(sent)
        self.reload()
        self.note.setText(f"Đã lưu {count} xếp loại.")
        self.saved.emit()

    def _on_save_failed(self, error: Exception) -> None:
        self._saving = False
        self._update_buttons()
        if not isinstance(error, DomainError):
            raise error
        show_error(self, "Không lưu được xếp loại", str(error))

    def _on_discard_clicked(self) -> None:
        self.model.discard_changes()
        self._update_buttons()

    def _on_import_clicked(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, "Chọn tệp Excel xếp loại", "", EXCEL_FILTER)
        if chosen:
            self.import_file(Path(chosen))

    def import_file(self, path: Path) -> JobDialog | None:
        """Import the year's ratings from `path` in the background, in a dialog."""
        if self._year is None or not self.confirm_leave():
            return None
        from app.rating_import import import_ratings

        services, year = self._services, self._year
        if self._import_dialog is not None and not self._import_dialog.is_busy():
            self._import_dialog.deleteLater()  # the last import's dialog, closed
        self._import_dialog = dialog = JobDialog(f"Nhập xếp loại năm {year}", IMPORT_INTRO,
                           lambda report: import_ratings(services, path, year, report),
                           lambda result: result.lines(), self._pool, self)
        dialog.completed.connect(self._on_import_completed)
        dialog.setModal(True)
        dialog.show()
        dialog.start()
        return dialog

    def _on_import_completed(self, result: object) -> None:
        if not getattr(result, "errors", ()):
            self.reload()
            self.saved.emit()

    def _on_template_clicked(self) -> None:
        if self._year is None:
            return
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Lưu tệp mẫu xếp loại", f"xep-loai-{self._year}.xlsx", EXCEL_FILTER)
        if not chosen:
            return
        from app.rating_import import write_template

        try:
            write_template(Path(chosen), self._year)
        except DomainError as error:
            show_error(self, "Không lưu được tệp mẫu", str(error))

    def _update_buttons(self) -> None:
        can_edit = (self._services.actor.can(Permission.EDIT_REGISTER)
                    and self._services.actor.can(Permission.RUN_EMULATION))
        changed = self.has_unsaved_changes()
        self.save_button.setEnabled(can_edit and changed and not self._saving)
        self.discard_button.setEnabled(changed and not self._saving)
        self.import_button.setEnabled(can_edit and self._year is not None)
        if not can_edit:
            self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
