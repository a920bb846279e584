"""Page 1 of the export wizard: the nominations for the province, only the ready ones with a
tick box; the others greyed with the reason each cannot go yet (a column, the tooltip, and the
chosen row's reasons in full under the table); a nomination sent before and changed since is
marked as going again as a new version that replaces the one sent."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from app.errors import DomainError
from db.engine import StorageError
from ui.background import Task
from ui.check_table import SORT_ROLE
from ui.package_tables import RIGHT
from ui.row_table import RowTableModel
from ui.table_columns import fit_columns

if TYPE_CHECKING:
    from app.package.export import Candidate
    from app.package.service import PackageService

ModelIndex = QModelIndex | QPersistentModelIndex
LAST_SENT_WIDTH = 200
NO_CANDIDATES = ("Chưa có đề nghị nào để gửi tỉnh. Đề nghị khen thưởng cấp trên được gửi khi đã ở bước "
                 "«Đã trình cấp trên» (thẻ «Đề nghị khen thưởng»).")


class CandidateColumn(IntEnum):
    SUBJECT = 0
    AWARD = 1
    YEAR = 2
    STATE = 3
    VERDICT = 4
    LAST_SENT = 5
    REASONS = 6


CANDIDATE_HEADERS = {
    CandidateColumn.SUBJECT: "Đối tượng",
    CandidateColumn.AWARD: "Danh hiệu, hình thức",
    CandidateColumn.YEAR: "Năm",
    CandidateColumn.STATE: "Trạng thái",
    CandidateColumn.VERDICT: "Kiểm tra điều kiện",
    CandidateColumn.LAST_SENT: "Lần gửi trước",
    CandidateColumn.REASONS: "Lý do chưa gửi được",
}
NEW_VERSION = "Gửi phiên bản mới thay phiên bản đã gửi"
NOT_READY_COLOUR = QColor("#7a7a7a")
NEW_VERSION_COLOUR = QColor("#1a4f8b")
REASON_COLOUR = QColor("#8a5300")


def last_sent_text(row: Candidate) -> str:
    if row.new_version:
        return f"{NEW_VERSION} ({row.last_sent})" if row.last_sent else NEW_VERSION
    return row.last_sent or "Chưa gửi"


class CandidateTableModel(RowTableModel["Candidate"]):
    """The nominations for the province; only the ready ones carry a tick box. `checked_ids()`
    are the ones ticked, kept across a reload while still ready."""

    columns = CandidateColumn
    headers = CANDIDATE_HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._checked: set[int] = set()

    def set_rows(self, rows: Sequence[Candidate]) -> None:
        ready = {row.nomination_id for row in rows if row.ready}
        self._checked &= ready
        super().set_rows(rows)

    def checked_ids(self) -> list[int]:
        """The nominations ticked, in the order listed."""
        return [row.nomination_id for row in self._rows if row.nomination_id in self._checked]

    def ready_count(self) -> int:
        return sum(1 for row in self._rows if row.ready)

    def check_all_ready(self, checked: bool) -> None:
        self._checked = {row.nomination_id for row in self._rows if row.ready} if checked else set()
        if self._rows:
            self.dataChanged.emit(self.index(0, CandidateColumn.SUBJECT),
                                  self.index(len(self._rows) - 1, CandidateColumn.SUBJECT),
                                  [Qt.ItemDataRole.CheckStateRole])

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == CandidateColumn.SUBJECT and self._rows[index.row()].ready:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if (not index.isValid() or role != Qt.ItemDataRole.CheckStateRole
                or index.column() != CandidateColumn.SUBJECT or not self._rows[index.row()].ready):
            return False
        nomination_id = self._rows[index.row()].nomination_id
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._checked.add(nomination_id)
        else:
            self._checked.discard(nomination_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = CandidateColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            match column:
                case CandidateColumn.SUBJECT:
                    return index.row()  # the service's order
                case CandidateColumn.YEAR:
                    return row.year
            return self._text(row, column)
        if role == Qt.ItemDataRole.CheckStateRole and column is CandidateColumn.SUBJECT and row.ready:
            return Qt.CheckState.Checked if row.nomination_id in self._checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole:
            if column is CandidateColumn.REASONS:
                return REASON_COLOUR
            if not row.ready:
                return NOT_READY_COLOUR
            if row.new_version and column is CandidateColumn.LAST_SENT:
                return NEW_VERSION_COLOUR
        if role == Qt.ItemDataRole.TextAlignmentRole and column is CandidateColumn.YEAR:
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        return None

    def _text(self, row: Candidate, column: CandidateColumn) -> str:
        match column:
            case CandidateColumn.SUBJECT:
                return row.subject_name
            case CandidateColumn.AWARD:
                return row.award_label
            case CandidateColumn.YEAR:
                return str(row.year)
            case CandidateColumn.STATE:
                return row.state_label
            case CandidateColumn.VERDICT:
                return row.verdict_label or "Chưa kiểm tra"
            case CandidateColumn.LAST_SENT:
                return last_sent_text(row)
            case CandidateColumn.REASONS:
                return "" if row.ready else "; ".join(row.reasons)

    def _tooltip(self, row: Candidate) -> str | None:
        if not row.ready:
            return "Chưa gửi được:\n" + "\n".join(f"– {reason}" for reason in row.reasons)
        if row.new_version:
            return f"{NEW_VERSION}. {row.last_sent}".strip()
        return None


class CandidatesPage(QWizardPage):
    """The nominations for the province, read on the read pool; `loaded` once listed."""

    loaded = Signal()

    def __init__(self, packages: PackageService, read_pool: QThreadPool | None) -> None:
        super().__init__()
        self._packages = packages
        self._read_pool = read_pool
        self.setTitle("Chọn đề nghị gửi tỉnh")
        self.setSubTitle("Chỉ chọn được đề nghị đã sẵn sàng. Dòng màu xám chưa gửi được: "
                         "bấm vào dòng để xem đủ lý do.")
        self.model = CandidateTableModel(self)
        self.model.dataChanged.connect(lambda *_: self._on_checks_changed())
        self.model.modelReset.connect(self._on_checks_changed)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(CandidateColumn.SUBJECT, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        fit_columns(self.table, CandidateColumn.REASONS)
        # The reasons take the room left; the last sending is cut at a fixed width. Both show
        # whole in their tooltip, and the chosen row's in full under the table.
        self.table.horizontalHeader().setSectionResizeMode(CandidateColumn.LAST_SENT,
                                                           QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(CandidateColumn.LAST_SENT, LAST_SENT_WIDTH)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show_detail(current))
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel("Đang đọc các đề nghị…")
        self.summary.setWordWrap(True)
        self.all_button = QPushButton("Chọn mọi đề nghị sẵn sàng")
        self.all_button.clicked.connect(lambda: self.model.check_all_ready(True))
        self.none_button = QPushButton("Bỏ chọn hết")
        self.none_button.clicked.connect(lambda: self.model.check_all_ready(False))
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.none_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self._requested = False

    def initializePage(self) -> None:  # noqa: N802
        if self._requested:
            return
        self._requested = True
        packages = self._packages
        if self._read_pool is None:
            self._on_loaded(packages.candidates(None))
            return
        task = Task(lambda _report: packages.candidates(None), parent=self)
        task.succeeded.connect(self._on_loaded)
        task.failed.connect(self._on_failed)
        task.start(self._read_pool)

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.model.checked_ids())

    def checked_ids(self) -> list[int]:
        return self.model.checked_ids()

    def _on_loaded(self, rows: list[Candidate]) -> None:
        self.model.set_rows(rows)
        self.loaded.emit()

    def _on_failed(self, error: Exception) -> None:
        self.summary.setText(f"Không đọc được các đề nghị: {error}")
        if not isinstance(error, DomainError | StorageError):
            raise error

    def _show_detail(self, current: QModelIndex) -> None:
        """The chosen nomination's reasons (or its earlier sending) in full."""
        if not current.isValid():
            self.detail.setText("")
            return
        row = self.model.row(self.table.model().mapToSource(current))
        if not row.ready:
            text = f"{row.subject_name} chưa gửi được: " + "; ".join(row.reasons) + "."
        elif row.new_version:
            text = f"{row.subject_name}: {NEW_VERSION.lower()} ({row.last_sent})."
        else:
            text = ""
        self.detail.setText(text)

    def _on_checks_changed(self) -> None:
        rows = self.model.rows()
        if not rows:
            self.summary.setText(NO_CANDIDATES)
        else:
            ready = [row for row in rows if row.ready]
            new = sum(1 for row in ready if row.new_version)
            again = f" ({new} gửi phiên bản mới thay phiên bản đã gửi)" if new else ""
            self.summary.setText(f"{len(ready)} đề nghị sẵn sàng gửi tỉnh{again}, {len(rows) - len(ready)} "
                                 f"chưa gửi được. Đã chọn {len(self.model.checked_ids())}.")
        self.all_button.setEnabled(self.model.ready_count() > 0)
        self.completeChanged.emit()
