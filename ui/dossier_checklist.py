"""The dossier checklist: each part the eligibility check names, ✓ when a file stands for it
(or the council minutes of a finalised session), ✗ while it is missing."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.nominations import ChecklistItem

PRESENT, MISSING = "✓", "✗"
NOT_CHECKED = "Chưa kiểm tra điều kiện: thành phần hồ sơ hiện ra sau lần kiểm tra đầu tiên."


def item_text(item: ChecklistItem) -> str:
    mark = PRESENT if item.present else MISSING
    source = ", ".join(item.files)
    if item.note:
        source = f"{source}; {item.note}" if source else item.note
    return f"{mark} {item.label}" + (f" — {source}" if source else " — chưa có")


class DossierChecklist(QWidget):
    """A short fixed list (a few parts), so an item widget rather than a model."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.list = QListWidget()
        self.list.setMaximumHeight(130)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.list)
        self.set_items([])

    def set_items(self, items: Sequence[ChecklistItem]) -> None:
        self.list.clear()
        for item in items:
            entry = QListWidgetItem(item_text(item))
            entry.setToolTip(f"Căn cứ: {item.basis}")
            self.list.addItem(entry)
        self.list.setVisible(bool(items))
        if not items:
            self.summary.setText(NOT_CHECKED)
        else:
            done = sum(item.present for item in items)
            self.summary.setText(f"Hồ sơ có {done}/{len(items)} thành phần"
                                 + ("." if done < len(items) else ": đủ."))

    def texts(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]
