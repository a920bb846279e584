"""The value of one rule setting as the officer enters it: typed for numbers, picked for
yes/no and ratings, in parts for a council vote threshold.

`text()` is what `RuleSettingService.set` reads; the service checks it and says what is
wrong, so this widget only shapes the input.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QStackedWidget, QWidget

from app.catalogue import RATINGS
from app.eligibility.rule_settings import (
    BOOL,
    COEFFICIENT,
    DENOMINATORS,
    KIND_HINTS,
    OPTIONAL_PERCENT,
    PERCENT,
    RATING,
    THRESHOLD,
    VoteThreshold,
    parse_value,
)
from app.rule_setting_service import canonical_text, describe_value

BOOL_CHOICES = {"true": "Có", "false": "Không"}
RELATIONS = {">=": "từ", ">": "trên"}


class SettingValueEditor(QStackedWidget):
    """One page per way of entering a value; `set_value` shows the right one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind = ""
        self.line = QLineEdit()
        self.choice = QComboBox()
        self.relation = QComboBox()
        for code, label in RELATIONS.items():
            self.relation.addItem(label, code)
        self.percent = QLineEdit()
        self.percent.setMaximumWidth(80)
        self.denominator = QComboBox()
        for code, label in DENOMINATORS.items():
            self.denominator.addItem(label, code)
        threshold = QWidget()
        parts = QHBoxLayout(threshold)
        parts.setContentsMargins(0, 0, 0, 0)
        parts.addWidget(self.relation)
        parts.addWidget(self.percent)
        parts.addWidget(QLabel("%"))
        parts.addWidget(self.denominator, 1)
        for page in (self.line, self.choice, threshold):
            self.addWidget(page)

    def set_value(self, kind: str, text: str) -> None:
        """Show the editor for `kind`, filled with the stored `text`."""
        self._kind = kind
        if kind in (BOOL, RATING):
            self.choice.clear()
            for code, label in (BOOL_CHOICES if kind == BOOL else RATINGS).items():
                self.choice.addItem(label, code)
            self.choice.setCurrentIndex(max(self.choice.findData(text), 0))
            self.setCurrentWidget(self.choice)
        elif kind == THRESHOLD:
            threshold = parse_value(kind, text)
            assert isinstance(threshold, VoteThreshold)
            self.relation.setCurrentIndex(self.relation.findData(">" if threshold.strict else ">="))
            self.percent.setText(describe_value(PERCENT, format(threshold.percent, "f")))
            self.denominator.setCurrentIndex(self.denominator.findData(threshold.denominator))
            self.setCurrentWidget(self.percent.parentWidget())
        else:
            self.line.setText("" if kind == OPTIONAL_PERCENT and text == "" else describe_value(kind, text))
            self.line.setPlaceholderText(KIND_HINTS[kind])
            self.setCurrentWidget(self.line)

    def text(self) -> str:
        """The value in the text form the service reads (it refuses what is wrong); a
        threshold's percentage is checked here, as the officer typed only that part."""
        if self._kind in (BOOL, RATING):
            return str(self.choice.currentData())
        if self._kind == THRESHOLD:
            percent = canonical_text(PERCENT, self.percent.text())
            return f"{self.relation.currentData()}{percent}% {self.denominator.currentData()}"
        return self.line.text()

    def hint(self) -> str:
        """What to enter, in the terms of the editor shown."""
        if self._kind in (BOOL, RATING):
            return "Chọn trong danh sách."
        if self._kind == THRESHOLD:
            return "Chọn “từ” hoặc “trên”, nhập tỷ lệ phần trăm từ 0 đến 100 và chọn cơ sở tính tỷ lệ."
        if self._kind == COEFFICIENT:  # the table shows a decimal comma; both are read
            return "Nhập hệ số không âm, ví dụ 0,3 hoặc 1,5."
        return f"Nhập {KIND_HINTS[self._kind]}." if self._kind else ""

    def focus_input(self) -> None:
        widget = self.percent if self._kind == THRESHOLD else self.currentWidget()
        widget.setFocus()
        if isinstance(widget, QLineEdit):
            widget.selectAll()
