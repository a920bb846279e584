"""Table columns of the emulation year: short columns fit their content on one line, the name
column takes the rest, and a cut text shows whole in its tooltip."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QStyleOptionViewItem, QTableView
from pytestqt.qtbot import QtBot

from ui.row_table import RowTableModel
from ui.table_columns import ElidingDelegate, fit_columns


@dataclass(frozen=True)
class Line:
    name: str
    award: str
    state: str


class Column(IntEnum):
    NAME = 0
    AWARD = 1
    STATE = 2


class LineModel(RowTableModel[Line]):
    columns = Column
    headers = {Column.NAME: "Đối tượng", Column.AWARD: "Danh hiệu, hình thức", Column.STATE: "Trạng thái"}

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._rows[index.row()]
        return (row.name, row.award, row.state)[index.column()]


LONG_NAME = "Ủy ban Mặt trận Tổ quốc Việt Nam xã Phước An và các đoàn thể chính trị - xã hội"


def table(qtbot: QtBot, width: int) -> QTableView:
    model = LineModel()
    model.set_rows([Line(LONG_NAME, "Giấy khen của Chủ tịch UBND xã", "Đã có quyết định của xã"),
                    Line("Lê Thị An", "Lao động tiên tiến", "Dự thảo")])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.setParent(view)
    fit_columns(view, Column.NAME)
    view.resize(width, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_short_columns_fit_their_content_and_the_name_takes_the_rest(qtbot: QtBot) -> None:
    view = table(qtbot, 900)
    for column in (Column.AWARD, Column.STATE):
        assert view.columnWidth(column) >= view.sizeHintForColumn(column)
    assert not view.wordWrap()
    used = sum(view.columnWidth(column) for column in Column)
    assert used == view.viewport().width()  # no blank strip, no scroll bar


def test_a_cut_name_shows_whole_in_its_tooltip_and_a_fitting_one_has_none(qtbot: QtBot) -> None:
    view = table(qtbot, 520)
    delegate = view.itemDelegate()
    assert isinstance(delegate, ElidingDelegate)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, view.columnWidth(Column.NAME), 30)
    option.font = view.font()
    option.fontMetrics = view.fontMetrics()
    assert delegate.full_text(option, view.model().index(0, Column.NAME)) == LONG_NAME
    assert delegate.full_text(option, view.model().index(1, Column.NAME)) == ""
