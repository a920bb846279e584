"""The full SHA-256 of a package file, to copy into the cover letter.

The manifest's hashes prove nothing against a deliberate change: whoever edits the package
can recompute them. The province trusts the file it received only by comparing its SHA-256
with one that came another way, in the commune's công văn or tờ trình. So the whole code is
shown, selectable, with a button that copies it, and the officer is told what it is for.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

COPY = "Sao chép mã SHA-256"
COPIED = "Đã sao chép mã vào bộ nhớ tạm."
ADVICE = ("Ghi đầy đủ mã này vào công văn (tờ trình) gửi kèm gói hồ sơ, để tỉnh đối chiếu với tệp nhận được: "
          "tệp bị sửa dù chỉ một chữ sẽ có mã khác.")


class HashBox(QWidget):
    """A caption, the code in a read-only field, «Sao chép mã SHA-256», and the advice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel("Mã SHA-256 của tệp gói:")
        self.caption.setStyleSheet("font-weight: bold;")
        self.code = QLineEdit()
        self.code.setReadOnly(True)
        self.code.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # not selected as the page's first field
        self.code.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.code.setFixedWidth(self.code.fontMetrics().horizontalAdvance("0" * 64) + 16)  # the 64 digits, whole
        self.copy_button = QPushButton(COPY)
        self.copy_button.setToolTip("Chép mã vào bộ nhớ tạm để dán vào công văn hoặc tờ trình")
        self.copy_button.clicked.connect(self.copy)
        self.copied = QLabel()
        self.advice = QLabel(ADVICE)
        self.advice.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.code)
        row.addWidget(self.copy_button)
        row.addWidget(self.copied, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.addWidget(self.caption)
        layout.addLayout(row)
        layout.addWidget(self.advice)

    def set_hash(self, sha256: str, caption: str) -> None:
        self.caption.setText(caption)
        self.code.setText(sha256)
        self.code.setCursorPosition(0)
        self.copied.clear()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code.text())
        self.copied.setText(COPIED)
