"""The «Đề nghị khen thưởng» tab of the emulation year: the year's nominations with their
state, who decides, the latest check, the files and where each stands with the province
(ui/nomination_table.py); a filter by state with the counts; the deadlines coming up (by the
services' date); adding a nomination and opening one; from «In ▾» the achievement reports
of the nominations chosen (several make one PDF) or the proposal letter of one.

The list is read on the read pool (a commune may have thousands of nominations over the
years); without one (tests) it is read at once. A reload keeps the filter and the
nomination chosen; the result of an older reload (another year) is dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.documents.kinds import KIND_LABELS, Kind, Owner
from app.errors import DomainError
from app.nomination_states import STATE_LABELS, State
from app.nominations import Deadline, NominationRow
from app.roles import Permission
from app.services import Services
from ui.background import Task
from ui.new_nomination_dialog import NewNominationDialog
from ui.nomination_dialog import NominationDialog
from ui.nomination_table import SORT_ROLE, NominationColumn, NominationTableModel
from ui.print_actions import PrintActions, print_button
from ui.table_columns import fit_columns

TAB_TITLE = "Đề nghị khen thưởng"
ALL_STATES = "Tất cả trạng thái"
NO_NOMINATIONS = "Năm {year} chưa có đề nghị khen thưởng nào."
MAKE_HINT = (" Đề nghị danh hiệu hằng năm được lập từ danh sách bình xét (thẻ «Bình xét», «Lập đề nghị…»); "
             "thành tích đột xuất hay khen theo phong trào: bấm «Thêm đề nghị…».")
LOADING = "Đang đọc danh sách đề nghị năm {year}…"
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class NominationsPage:
    """What the tab shows of one year, read together off the UI thread."""
    year: int
    rows: list[NominationRow]
    counts: dict[str, int]
    deadlines: list[Deadline]
    sent: dict[str, str]  # the sending status to the province, by nomination UUID


def read_page(services: Services, year: int, today: date) -> NominationsPage:
    service = services.nominations
    rows = service.rows(year)
    return NominationsPage(year, rows, service.counts(year), service.deadlines(today, DUE_SOON_DAYS, year),
                           services.packages.nomination_status([row.uuid for row in rows]))


class NominationsTab(QWidget):
    """One year's nominations; `changed` after any change the user makes here or in a
    nomination's dialog, `loaded` once a reload is shown."""

    changed = Signal()
    loaded = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None, *,
                 data_folder: Path | None = None, read_pool: QThreadPool | None = None,
                 write_pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._data_folder = data_folder
        self._read_pool = read_pool
        self.printer = PrintActions(services, self, read_pool, write_pool)
        self._year: int | None = None
        self._generation = 0  # bumped by every reload; older results are dropped
        self.dialog: NominationDialog | None = None
        self.new_dialog: NewNominationDialog | None = None
        self.state_filter = QComboBox()
        self.state_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.deadlines = QLabel()
        self.deadlines.setWordWrap(True)
        self.nominations = NominationTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.nominations)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(NominationColumn.STATE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NominationColumn.SUBJECT, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several nominations may be chosen: their achievement reports print as one PDF.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        fit_columns(self.table, NominationColumn.SUBJECT)
        # The sending status may carry the province's reason: it shares the room left with the
        # names, cut with «…» and whole in its tooltip.
        self.table.horizontalHeader().setSectionResizeMode(NominationColumn.SENT, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.new_button = QPushButton("Thêm đề nghị…")
        self.new_button.clicked.connect(self._on_new_clicked)
        self.new_button.setVisible(services.actor.can(Permission.RUN_EMULATION))
        self.open_button = QPushButton("Xem, xử lý…")
        self.open_button.clicked.connect(self._on_open_clicked)
        self.open_button.setEnabled(False)  # until a nomination is chosen
        self.print_button, actions = print_button([
            ("Báo cáo thành tích…", Kind.REPORT.value),
            ("Tờ trình (đề nghị này)…", Kind.PROPOSAL.value),
        ], self._on_print_triggered, self)
        self.report_action, self.proposal_action = actions[Kind.REPORT.value], actions[Kind.PROPOSAL.value]
        self.print_button.setEnabled(False)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.hide()
        top = QHBoxLayout()
        top.addWidget(QLabel("Trạng thái:"))
        top.addWidget(self.state_filter)
        top.addWidget(self.counts, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.deadlines)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._fill_filter({})

    def set_year(self, year: int) -> None:
        if year != self._year:
            self.nominations.set_rows([])  # another year's rows are not acted on while the new ones load
            self._on_selection_changed()
        self._year = year
        self.reload()

    def reload(self) -> None:
        """Read the year's list again, on the read pool when there is one."""
        if self._year is None:
            return
        self._generation += 1
        generation, year, services = self._generation, self._year, self._services
        today = services.nominations.today()
        self.counts.setText(LOADING.format(year=year))
        if self._read_pool is None:
            self._on_loaded(generation, read_page(services, year, today))
            return
        task = Task(lambda _report: read_page(services, year, today), parent=self)
        task.succeeded.connect(lambda page: self._on_loaded(generation, page))
        task.failed.connect(lambda error: self._on_load_failed(generation, error))
        task.start(self._read_pool)

    def _on_loaded(self, generation: int, page: NominationsPage) -> None:
        if generation != self._generation:
            return
        chosen = self.selected()
        self.nominations.set_rows(page.rows, page.sent)
        counts = page.counts
        self._fill_filter(counts)
        if chosen is not None:
            self._select(chosen.id)
        total = sum(counts.values())
        self.counts.setText(f"Năm {page.year}: {total} đề nghị"
                            + (": " + ", ".join(f"{STATE_LABELS[State(state)].lower()} {counts[state]}"
                                                for state in State if state in counts) if total else "."))
        can = self._services.actor.can(Permission.RUN_EMULATION)
        self.empty.setText(NO_NOMINATIONS.format(year=page.year) + (MAKE_HINT if can else ""))
        self.empty.setVisible(total == 0)
        self._on_selection_changed()
        self.deadlines.setText("\n".join(d.text for d in page.deadlines))
        self.deadlines.setVisible(bool(page.deadlines))
        self.loaded.emit()

    def _on_load_failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        self.counts.setText(f"Không đọc được danh sách đề nghị năm {self._year}: {error}")
        if not isinstance(error, DomainError):
            raise error

    def _select(self, nomination_id: int) -> None:
        """Choose the nomination again after a reload (when the filter still shows it)."""
        for position, row in enumerate(self.nominations.rows()):
            if row.id == nomination_id:
                index = self.proxy.mapFromSource(self.nominations.index(position, 0))
                if index.isValid():
                    self.table.selectRow(index.row())
                return

    def open_nomination(self, nomination_id: int) -> NominationDialog:
        """Open a nomination in a window-modal dialog; the tab reloads after each change."""
        self.dialog = NominationDialog(self._services, nomination_id, self._data_folder, self,
                                       today=self._services.nominations.today)
        self.dialog.changed.connect(self._on_dialog_changed)
        self.dialog.open()
        return self.dialog

    def selected(self) -> NominationRow | None:
        """The nomination chosen (the current one when several are)."""
        selection = self.table.selectionModel()
        current = selection.currentIndex()
        if current.isValid() and selection.isRowSelected(current.row()):
            return self.nominations.row(self.proxy.mapToSource(current))
        rows = selection.selectedRows()
        return self.nominations.row(self.proxy.mapToSource(rows[0])) if rows else None

    def selected_rows(self) -> list[NominationRow]:
        """Every nomination chosen, in the order the table shows them."""
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda index: index.row())
        return [self.nominations.row(self.proxy.mapToSource(index)) for index in rows]

    def _fill_filter(self, counts: dict[str, int]) -> None:
        current = self.state_filter.currentData()
        self.state_filter.blockSignals(True)
        self.state_filter.clear()
        self.state_filter.addItem(ALL_STATES, None)
        for state in State:
            self.state_filter.addItem(f"{STATE_LABELS[state]} ({counts.get(state, 0)})", state.value)
        self.state_filter.setCurrentIndex(max(self.state_filter.findData(current), 0))
        self.state_filter.blockSignals(False)
        self._on_filter_changed()

    def _on_filter_changed(self) -> None:
        state = self.state_filter.currentData()
        label = STATE_LABELS[State(state)] if state else ""
        self.proxy.setFilterRegularExpression(f"^{re.escape(label)}$" if label else "")

    def _on_selection_changed(self) -> None:
        chosen = len(self.selected_rows())
        self.open_button.setEnabled(chosen > 0)
        self.print_button.setEnabled(chosen > 0)
        self.report_action.setText("Báo cáo thành tích…" if chosen < 2
                                   else f"Báo cáo thành tích ({chosen} đề nghị, một tệp)…")
        self.proposal_action.setEnabled(chosen == 1)

    def _on_print_triggered(self, action: QAction) -> None:
        """Achievement reports of every nomination chosen (one PDF), or the proposal letter
        of the one chosen."""
        kind, rows = Kind(action.data()), self.selected_rows()
        if not rows or (kind is Kind.PROPOSAL and len(rows) > 1):
            return
        word = KIND_LABELS[kind] if kind is Kind.REPORT else "Tờ trình"
        title = (f"{word} — {rows[0].subject_name}" if len(rows) == 1
                 else f"{word} — {len(rows)} đề nghị năm {self._year}")
        self.printer.preview(kind, [Owner("nomination", row.id) for row in rows], title)

    def _on_new_clicked(self) -> None:
        if self._year is None:
            return
        self.new_dialog = NewNominationDialog(self._services, self._year, self)
        self.new_dialog.accepted.connect(self._on_new_accepted)
        self.new_dialog.open()

    def _on_new_accepted(self) -> None:
        assert self.new_dialog is not None
        self.reload()
        self.changed.emit()
        if self.new_dialog.created_id is not None:
            self.open_nomination(self.new_dialog.created_id)

    def _on_open_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_nomination(row.id)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.open_nomination(self.nominations.row(self.proxy.mapToSource(index)).id)

    def _on_dialog_changed(self) -> None:
        self.reload()
        self.changed.emit()
