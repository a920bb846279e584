"""Form fields as laid out in a wide form: a date keeps its natural width at the left of its
row, while text and choices still take the whole row."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QFormLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.form import CodeField, DateField, Form, TextField

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_a_date_keeps_its_natural_width_at_the_left_of_a_wide_row(qtbot: QtBot) -> None:
    form = Form()
    form.add("name", "Tên", TextField())
    form.add("kind", "Loại", CodeField({"regular": "Thường xuyên", "thematic": "Chuyên đề"}))
    form.add("starts_on", "Ngày bắt đầu", DateField())
    form.add("ends_on", "Ngày kết thúc", DateField(optional=False))
    qtbot.addWidget(form)
    form.resize(900, 300)
    form.show()
    qtbot.waitExposed(form)
    name, kind = form.field("name"), form.field("kind")
    starts, ends = form.field("starts_on"), form.field("ends_on")
    assert name.width() > 600 and kind.width() == name.width()  # other kinds still fill the row
    for field in (starts, ends):
        assert field.width() == field.sizeHint().width() < name.width() // 2
        assert field.mapTo(form, field.rect().topLeft()).x() == name.mapTo(form, name.rect().topLeft()).x()
    assert ends.width() < starts.width()  # no tick box when a date is required


def test_a_date_is_readable_whole_and_still_reads_and_writes(qtbot: QtBot) -> None:
    field = DateField()
    qtbot.addWidget(field)
    field.set_value(date(2025, 12, 31))
    edit = field._edit
    assert edit.sizeHint().width() >= edit.fontMetrics().horizontalAdvance("31/12/2025")
    assert field.value() == date(2025, 12, 31)
    field.set_value(None)
    assert field.value() is None


def test_a_date_in_a_plain_form_layout_does_not_grow_either(qtbot: QtBot) -> None:
    page = QWidget()
    layout = QFormLayout(page)
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    day, text = DateField(), TextField()
    layout.addRow("Ngày:", day)
    layout.addRow("Ghi chú:", text)
    qtbot.addWidget(page)
    page.resize(800, 200)
    page.show()
    qtbot.waitExposed(page)
    assert day.width() == day.sizeHint().width() < text.width() // 2
