"""The facts the officer declares on a nomination for the checker, one row per fact in the
dialog's form, shown only for the facts the nomination's award and route need (app/eligibility/declared_facts.py
decides which, for this form and the subject page's check form alike)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QListWidget, QListWidgetItem, QWidget

from app.eligibility.declared_facts import FACT_CHOICES, FACT_LABELS, MAX_NAME, DeclaredFacts
from app.nominations import CitableAward
from ui.check_request_form import DaysField, OptionField
from ui.form import TextField

DAYS_WIDTH = 160  # px
NO_AWARDS = "Lịch sử chưa có khen thưởng nào để nêu làm căn cứ."


class CitedAwardList(QListWidget):
    """The subject's awards, each ticked when cited as the basis."""

    def set_awards(self, awards: Sequence[CitableAward], cited: Sequence[str]) -> None:
        self.clear()
        for award in awards:
            item = QListWidgetItem(award.text)
            item.setData(Qt.ItemDataRole.UserRole, award.uuid)
            item.setCheckState(Qt.CheckState.Checked if award.uuid in cited else Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setToolTip("" if awards else NO_AWARDS)

    def value(self) -> tuple[str, ...]:
        return tuple(str(self.item(row).data(Qt.ItemDataRole.UserRole)) for row in range(self.count())
                     if self.item(row).checkState() == Qt.CheckState.Checked)


class DeclaredFactFields:
    """The fields, added as rows to the caller's form so they line up with its own rows."""

    def __init__(self, layout: QFormLayout) -> None:
        self.assessment_passed = OptionField(FACT_CHOICES["assessment_passed"])
        self.public_notice_days = DaysField()
        self.public_notice_days.setMaximumWidth(DAYS_WIDTH)  # a number of days: no need for the whole row
        self.cluster_leading = OptionField(FACT_CHOICES["cluster_leading"])
        self.cluster_name = TextField(MAX_NAME, "ví dụ Cụm thi đua số 3")
        self.basis_award_uuids = CitedAwardList()
        self.basis_award_uuids.setMaximumHeight(110)
        self.fields: dict[str, QWidget] = {
            "assessment_passed": self.assessment_passed, "public_notice_days": self.public_notice_days,
            "cluster_leading": self.cluster_leading, "cluster_name": self.cluster_name,
            "basis_award_uuids": self.basis_award_uuids}
        self._layout = layout
        for name, field in self.fields.items():
            self._layout.addRow(f"{FACT_LABELS[name]}:", field)
        self._shown: tuple[str, ...] = ()

    def set_facts(self, facts: DeclaredFacts, needed: tuple[str, ...],
                  citable: Sequence[CitableAward] = ()) -> None:
        """Show `facts`, only the rows in `needed`; `citable` are the awards offered for citing."""
        self._shown = needed
        self.assessment_passed.set_value(facts.assessment_passed)
        self.public_notice_days.set_value(facts.public_notice_days)
        self.cluster_leading.set_value(facts.cluster_leading)
        self.cluster_name.set_value(facts.cluster_name)
        self.basis_award_uuids.set_awards(citable, facts.basis_award_uuids)
        for name, field in self.fields.items():
            self._layout.setRowVisible(field, name in needed)

    def connect_changed(self, slot: Callable[[], None]) -> None:
        """Call `slot` after any change the officer makes to a fact."""
        self.assessment_passed.changed.connect(slot)
        self.public_notice_days.changed.connect(slot)
        self.cluster_leading.changed.connect(slot)
        self.cluster_name.changed.connect(slot)
        self.basis_award_uuids.itemChanged.connect(lambda _item: slot())

    def set_editable(self, editable: bool) -> None:
        for field in self.fields.values():
            field.setEnabled(editable)

    def is_shown(self, name: str) -> bool:
        return name in self._shown

    def facts(self) -> DeclaredFacts:
        """The facts of the rows shown (a hidden row gives nothing)."""
        shown = self._shown
        return DeclaredFacts(
            assessment_passed=self.assessment_passed.value() if "assessment_passed" in shown else None,  # type: ignore[arg-type]
            public_notice_days=self.public_notice_days.value() if "public_notice_days" in shown else None,
            cluster_leading=self.cluster_leading.value() if "cluster_leading" in shown else None,  # type: ignore[arg-type]
            cluster_name=self.cluster_name.value() if "cluster_name" in shown else "",
            basis_award_uuids=self.basis_award_uuids.value() if "basis_award_uuids" in shown else ())
