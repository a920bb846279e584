"""The register's table: SubjectRow lines with the columns each kind of subject shows.

QSortFilterProxyModel sorts by calling `data()` once per comparison, which takes ~12 s for
100 000 rows from Python; so the proxy hands sorting to the model, which sorts its list with
the same keys it publishes under SORT_ROLE.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from operator import attrgetter

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from app import catalogue
from app.subject_data import SubjectRow
from app.vietnamese import name_sort_key

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SIZING_ROWS = 100  # rows measured to fit the columns (Qt's default of 1000 takes 0.4 s)
MAX_COLUMN_WIDTH = 260  # px; wider text is elided so the last columns stay on screen
ModelIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    """Every column the register knows; each kind shows some of them (see COLUMNS)."""

    NAME = 0
    GENDER = 1
    BIRTH_DATE = 2
    CATEGORY = 3
    UNIT = 4
    VILLAGE = 5
    CITIZEN_ID = 6


COLUMNS: dict[str, tuple[tuple[Column, str], ...]] = {
    "individual": (
        (Column.NAME, "Họ và tên"),
        (Column.GENDER, "Giới tính"),
        (Column.BIRTH_DATE, "Ngày sinh"),
        (Column.CATEGORY, "Đối tượng"),
        (Column.UNIT, "Đơn vị"),
        (Column.VILLAGE, "Thôn, tổ dân phố"),
        (Column.CITIZEN_ID, "CCCD"),
    ),
    "collective": (
        (Column.NAME, "Tên tập thể"),
        (Column.CATEGORY, "Loại"),
        (Column.UNIT, "Trực thuộc"),
        (Column.VILLAGE, "Thôn, tổ dân phố"),
    ),
    "household": ((Column.NAME, "Tên hộ"), (Column.VILLAGE, "Thôn, tổ dân phố")),
    "village": ((Column.NAME, "Tên"), (Column.CATEGORY, "Loại")),
}

# The stored value each text column shows, for caching its sort key.
_STORED: dict[Column, Callable[[SubjectRow], object]] = {
    Column.GENDER: attrgetter("gender"),
    Column.CATEGORY: attrgetter("category"),
    Column.UNIT: attrgetter("unit"),
    Column.VILLAGE: attrgetter("village"),
}

_CATEGORY_LABELS = {
    "individual": catalogue.EMPLOYMENT,
    "collective": catalogue.COLLECTIVE_KINDS,
    "household": {},
    "village": catalogue.VILLAGE_KINDS,
}


class SubjectTableModel(QAbstractTableModel):
    """Rows of one kind of subject, in the service's Vietnamese order until sorted otherwise."""

    def __init__(self, kind: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = [column for column, _ in COLUMNS[kind]]
        self._headers = [header for _, header in COLUMNS[kind]]
        self._categories = _CATEGORY_LABELS[kind]
        self._rows: list[SubjectRow] = []
        self._sort: tuple[Column, Qt.SortOrder] | None = None  # None: the service's order

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._key(column)(row)
        return None

    # --- the rows ----------------------------------------------------------------------

    def set_rows(self, rows: Sequence[SubjectRow]) -> None:
        """Replace every row; `rows` come in the service's order and keep the chosen sort."""
        self.beginResetModel()
        self._rows = list(rows)
        if self._sort is not None:
            self._resort()
        self.endResetModel()

    def row(self, index: int) -> SubjectRow:
        return self._rows[index]

    def index_of(self, subject_id: int) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.id == subject_id), None)

    def put(self, changed: SubjectRow) -> None:
        """Show a created or edited subject in its sorted place."""
        self.remove(changed.id)
        position = self._position_for(changed)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, changed)
        self.endInsertRows()

    def remove(self, subject_id: int) -> None:
        position = self.index_of(subject_id)
        if position is None:
            return
        self.beginRemoveRows(QModelIndex(), position, position)
        del self._rows[position]
        self.endRemoveRows()

    # --- sorting -----------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column; column -1 (a cleared sort indicator) returns to the service's order."""
        self.layoutAboutToBeChanged.emit()
        old_ids = self._persistent_ids()
        self._sort = (self._columns[column], order) if 0 <= column < len(self._columns) else None
        self._resort()
        self._restore_persistent(old_ids)
        self.layoutChanged.emit()

    def _resort(self) -> None:
        column, order = self._sort or (Column.NAME, Qt.SortOrder.AscendingOrder)
        self._rows.sort(key=self._key(column), reverse=order == Qt.SortOrder.DescendingOrder)

    def _key(self, column: Column) -> Callable[[SubjectRow], object]:
        """Sort key of a column: Vietnamese order for text, the date for dates.

        Text keys are computed once per distinct stored value (a few units, villages...).
        """
        match column:
            case Column.NAME:
                return attrgetter("sort_key")
            case Column.BIRTH_DATE:
                return lambda row: row.birth_date.toordinal() if row.birth_date else 0
            case Column.CITIZEN_ID:
                return lambda row: row.citizen_id or ""
        stored = _STORED[column]
        keys: dict[object, str] = {}

        def key(row: SubjectRow) -> str:
            value = stored(row)
            if value not in keys:
                keys[value] = name_sort_key(self._text(row, column))
            return keys[value]

        return key

    def _position_for(self, new: SubjectRow) -> int:
        """Where `new` goes in the sorted rows (after equal keys): a binary search."""
        column, order = self._sort or (Column.NAME, Qt.SortOrder.AscendingOrder)
        key = self._key(column)
        wanted = key(new)
        descending = order == Qt.SortOrder.DescendingOrder
        low, high = 0, len(self._rows)
        while low < high:
            middle = (low + high) // 2
            found = key(self._rows[middle])
            goes_after = not (found < wanted) if descending else not (wanted < found)
            if goes_after:
                low = middle + 1
            else:
                high = middle
        return low

    def _persistent_ids(self) -> list[tuple[QModelIndex, int]]:
        return [(index, self._rows[index.row()].id) for index in self.persistentIndexList()]

    def _restore_persistent(self, old: list[tuple[QModelIndex, int]]) -> None:
        if not old:
            return
        positions = {row.id: i for i, row in enumerate(self._rows)}
        self.changePersistentIndexList(
            [index for index, _ in old],
            [self.index(positions[subject_id], index.column()) for index, subject_id in old],
        )

    # --- cells -------------------------------------------------------------------------

    def _text(self, row: SubjectRow, column: Column) -> str:
        match column:
            case Column.NAME:
                return row.name
            case Column.GENDER:
                return catalogue.GENDERS.get(row.gender or "", "")
            case Column.BIRTH_DATE:
                return f"{row.birth_date:%d/%m/%Y}" if row.birth_date else ""
            case Column.CATEGORY:
                return self._categories.get(row.category, row.category)
            case Column.UNIT:
                return row.unit
            case Column.VILLAGE:
                return row.village
            case Column.CITIZEN_ID:
                return row.citizen_id or ""


class SubjectProxyModel(QSortFilterProxyModel):
    """Passes sorting to the source model (see the module docstring)."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def subject_at(self, index: QModelIndex) -> SubjectRow:
        source = self.sourceModel()
        assert isinstance(source, SubjectTableModel)
        return source.row(self.mapToSource(index).row())


class SubjectTableView(QTableView):
    """A read-only table of one kind of subject; one row is selected at a time."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subjects = SubjectTableModel(kind, self)
        self.proxy = SubjectProxyModel(self)
        self.proxy.setSourceModel(self.subjects)
        self.setModel(self.proxy)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        rows = self.verticalHeader()
        rows.hide()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setResizeContentsPrecision(SIZING_ROWS)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order until clicked
        self.setSortingEnabled(True)
        self._sized = False

    def show_rows(self, rows: Sequence[SubjectRow]) -> None:
        self.subjects.set_rows(rows)
        if rows and not self._sized:
            self._size_columns()
            self._sized = True

    def selected(self) -> SubjectRow | None:
        index = self.currentIndex()
        return self.proxy.subject_at(index) if index.isValid() else None

    def select(self, subject_id: int) -> None:
        position = self.subjects.index_of(subject_id)
        if position is None:
            return
        index = self.proxy.mapFromSource(self.subjects.index(position, 0))
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def _size_columns(self) -> None:
        """Fit the columns to what the first screenful shows, names a little wider, and no
        column so wide that the last ones (CCCD) fall off the screen; long text is elided."""
        self.resizeColumnsToContents()
        header = self.horizontalHeader()
        header.resizeSection(Column.NAME, max(header.sectionSize(Column.NAME) + 24, 220))
        for column in range(header.count()):
            if column != Column.NAME and header.sectionSize(column) > MAX_COLUMN_WIDTH:
                header.resizeSection(column, MAX_COLUMN_WIDTH)
