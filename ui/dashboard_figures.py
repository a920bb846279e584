"""Figures of the dashboard in words: a count with its share, and the priority groups as a
grid of links that open the records behind each."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from app.statistics import Figure, percent_text
from ui.register_view import number

FIGURE_STYLE = ("QPushButton { text-align: left; padding: 3px 6px; color: #1a4f8b; border: none; }"
                "QPushButton:hover { text-decoration: underline; }")
COLUMNS = 2


def figure_text(figure: Figure) -> str:
    """'Nữ (…): 45/120 (37,5%)', with the records of unknown category when there are any."""
    if figure.denominator is None:
        text = f"{figure.label}: {number(figure.count)}"
    elif figure.share is None:
        text = f"{figure.label}: {number(figure.count)}/{number(figure.denominator)} (chưa có mẫu số)"
    else:
        text = (f"{figure.label}: {number(figure.count)}/{number(figure.denominator)} "
                f"({percent_text(figure.share)})")
    return text + (f" — không rõ: {number(figure.unknown)}" if figure.unknown else "")


class FigureLinks(QWidget):
    """One link per figure, in `COLUMNS` columns; `figure_clicked(key, label)` on a click."""

    figure_clicked = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.buttons: list[QPushButton] = []

    def set_figures(self, figures: Sequence[Figure]) -> None:
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        for position, figure in enumerate(figures):
            button = QPushButton(figure_text(figure))
            button.setStyleSheet(FIGURE_STYLE)
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip("Xem danh sách khen thưởng của nhóm này")
            button.clicked.connect(lambda _checked=False, figure=figure:
                                   self.figure_clicked.emit(figure.key, figure.label))
            self._grid.addWidget(button, position // COLUMNS, position % COLUMNS)
            self.buttons.append(button)
