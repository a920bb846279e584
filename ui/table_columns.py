"""Column widths of the emulation year's tables: short columns as wide as their content, one
name column taking the room left, one line per row, and a long text cut with «…» showing
whole in its tooltip.

Without this, a table left to Qt's defaults gives every column 100 px: the award and state
wrap into two lines while the name column takes half the width.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QWidget,
)

ModelIndex = QModelIndex | QPersistentModelIndex


class ElidingDelegate(QStyledItemDelegate):
    """Draws as usual; a cell whose text does not fit shows the whole text as its tooltip
    (unless the model gives a tooltip of its own)."""

    def full_text(self, option: QStyleOptionViewItem, index: ModelIndex) -> str:
        """The cell's text when it is cut in `option.rect`, "" when it fits."""
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if text is None:
            return ""
        text = str(text)
        view_option = QStyleOptionViewItem(option)
        self.initStyleOption(view_option, index)
        needed = self.sizeHint(view_option, index).width()
        return text if needed > option.rect.width() else ""

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,  # noqa: N802
                  index: ModelIndex) -> bool:
        if event.type() == QHelpEvent.Type.ToolTip and index.isValid() \
                and not index.data(Qt.ItemDataRole.ToolTipRole):
            text = self.full_text(option, index)
            if text:
                QToolTip.showText(event.globalPos(), text, view)
                return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().helpEvent(event, view, option, index)


def fit_columns(view: QTableView, stretch: int | None, parent: QWidget | None = None) -> None:
    """Every column as wide as its content; `stretch` (a name or text column) takes what
    is left and cuts its text with «…»; rows keep one line."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setItemDelegate(ElidingDelegate(parent or view))
