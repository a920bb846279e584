"""Picking a province or a commune by typing part of its name, with or without diacritics."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from app.divisions import Division
from app.vietnamese import fold

ModelIndex = QModelIndex | QPersistentModelIndex

DIVISION_ROLE = Qt.ItemDataRole.UserRole + 1  # the Division itself
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2  # folded name and code, what typing matches


class DivisionListModel(QAbstractListModel):
    """Divisions in the order given (the division list sorts them the Vietnamese way)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Division] = []
        self._search: list[str] = []

    def set_rows(self, rows: tuple[Division, ...] | list[Division]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._search = [f"{fold(d.name)} {d.code}" for d in self._rows]
        self.endResetModel()

    def division(self, row: int) -> Division:
        return self._rows[row]

    def row_of(self, code: int) -> int:
        return next((i for i, d in enumerate(self._rows) if d.code == code), -1)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        division = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return division.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{division.name} (mã {division.code})"
        if role == DIVISION_ROLE:
            return division
        if role == SEARCH_ROLE:
            return self._search[index.row()]
        return None


def matches(search_key: str, typed: str) -> bool:
    """Every typed word starts a word of the key, ignoring case and diacritics.

    'phuoc tan' and 'tan ph' find 'Phước Tân'; 'ha' finds 'Hà Nội' but not 'Thành phố Cần Thơ'.
    """
    words = search_key.split()
    return all(any(word.startswith(part) for word in words) for part in fold(typed).split())


class _FoldFilter(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._typed = ""

    def set_typed(self, typed: str) -> None:
        self.beginFilterChange()
        self._typed = typed
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        key = self.sourceModel().index(source_row, 0, source_parent).data(SEARCH_ROLE)
        return matches(str(key), self._typed)


class DivisionCombo(QComboBox):
    """Editable combo box whose pop-up lists the divisions matching what is typed.

    Leaving the box selects the division when the text names exactly one; otherwise
    `division()` stays None until the officer picks one, so a half-typed name is never
    taken for a choice.
    """

    division_changed = Signal(object)  # Division | None

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = DivisionListModel(self)
        self._filter = _FoldFilter(self)
        self._filter.setSourceModel(self._model)
        self._current: Division | None = None
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setModel(self._model)
        self.setMaxVisibleItems(15)
        self.lineEdit().setPlaceholderText(placeholder)
        completer = QCompleter(self._filter, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)
        self.setCurrentIndex(-1)
        self.lineEdit().textEdited.connect(self._on_text_edited)
        self.lineEdit().editingFinished.connect(self._on_editing_finished)
        self.currentIndexChanged.connect(self._on_row_chosen)
        # Picking the row that was current before typing changes no index, only this fires.
        self.activated.connect(self._on_row_chosen)

    def set_divisions(self, divisions: tuple[Division, ...]) -> None:
        self.blockSignals(True)
        self._model.set_rows(divisions)
        self._filter.set_typed("")
        self.setCurrentIndex(-1)
        self.clearEditText()
        self.blockSignals(False)
        self._set_current(None)

    def division(self) -> Division | None:
        """The chosen division, or None while the text does not name one."""
        return self._current

    def select(self, code: int) -> bool:
        """Choose the division with this code; False (and nothing chosen) if it is not listed."""
        row = self._model.row_of(code)
        self.setCurrentIndex(row)
        if row < 0:
            self.clearEditText()
            self._set_current(None)
        return row >= 0

    def matching(self) -> list[Division]:
        """The divisions the pop-up offers for the current text."""
        return [self._filter.index(r, 0).data(DIVISION_ROLE) for r in range(self._filter.rowCount())]

    def _on_text_edited(self, text: str) -> None:
        self._filter.set_typed(text)
        if self._current is not None and text != self._current.name:
            self._set_current(None)
        if text.strip() and self._filter.rowCount() > 0:
            self.completer().complete()
        else:
            self.completer().popup().hide()

    def _on_editing_finished(self) -> None:
        text = self.currentText()
        if self._current is not None and text == self._current.name or not text.strip():
            return
        exact = [d for d in self.matching() if fold(d.name) == fold(text)]
        candidates = exact or self.matching()
        if len(candidates) == 1:
            row = self._model.row_of(candidates[0].code)
            self.setCurrentIndex(row)
            self._on_row_chosen(row)
            self.completer().popup().hide()

    def _on_row_chosen(self, row: int) -> None:
        self._set_current(self._model.division(row) if row >= 0 else None)

    def _set_current(self, division: Division | None) -> None:
        if division == self._current:
            return
        self._current = division
        self.division_changed.emit(division)
