"""The windows the «Gửi tỉnh» tab answers with: a package file checked, an acknowledgement
imported or refused. Each is a headline in green (all well) or red (refused, a problem) over
the lines the service gave, which the officer can select and copy into a message to the
province."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.eligibility.outcome import Status
from ui.check_table import STATUS_COLOURS
from ui.dialogs import button_box

if TYPE_CHECKING:
    from app.package.acks import AckResult
    from app.package.verify import Verification

OK_COLOUR = STATUS_COLOURS[Status.PASSED].name()
PROBLEM_COLOUR = STATUS_COLOURS[Status.FAILED].name()


class ResultDialog(QDialog):
    """A headline and the lines under it; `ok` says which colour the headline took."""

    def __init__(self, title: str, headline: str, lines: Sequence[str], ok: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 360)
        self.ok = ok
        self.headline = QLabel(headline)
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet(f"font-weight: bold; color: {OK_COLOUR if ok else PROBLEM_COLOUR};")
        self.lines = QPlainTextEdit("\n".join(lines))
        self.lines.setReadOnly(True)
        self.lines.setStyleSheet(f"color: {OK_COLOUR if ok else PROBLEM_COLOUR};")
        self.lines.setVisible(bool(lines))
        buttons = button_box(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.lines, 1)
        if not lines:  # a sentence alone: a small window, the sentence on top
            layout.addStretch(1)
            self.resize(560, 140)
        layout.addWidget(buttons)

    def text(self) -> str:
        """The headline and the lines, as the officer reads them."""
        return "\n".join(filter(None, (self.headline.text(), self.lines.toPlainText())))


def verification_dialog(verification: Verification, parent: QWidget | None = None) -> ResultDialog:
    name = verification.path.name
    if verification.ok:
        headline = f"Tệp gói «{name}» nguyên vẹn, đúng định dạng và đúng thứ tự các gói của xã."
    else:
        count = len(verification.problems)
        headline = (f"Tệp gói «{name}» có {count} lỗi; không dùng được tệp này. "
                    "Hãy xuất lại gói hoặc lấy bản đã ghi trước đó.")
    return ResultDialog("Kiểm tra tệp gói hồ sơ", headline, verification.lines(), verification.ok, parent)


def ack_dialog(result: AckResult, parent: QWidget | None = None) -> ResultDialog:
    if result.already_imported:
        headline = (f"Biên nhận này của gói số {result.package_sequence} đã được nhập trước đây; "
                    "không có gì thay đổi.")
    else:
        headline = (f"Đã nhập biên nhận của gói số {result.package_sequence}: "
                    f"{len(result.applied)} hồ sơ được cập nhật, {len(result.unchanged)} hồ sơ không đổi.")
    lines = []
    if result.applied:
        lines += ["Cập nhật:", *(f"  • {line}" for line in result.applied)]
    if result.unchanged:
        lines += ["Không đổi (đã ghi nhận trước đây):", *(f"  • {line}" for line in result.unchanged)]
    return ResultDialog("Nhập biên nhận của tỉnh", headline, lines, True, parent)


def ack_conflict_dialog(conflicts: Sequence[str], parent: QWidget | None = None) -> ResultDialog:
    headline = (f"Biên nhận mâu thuẫn với kết quả đã ghi nhận trước đây ({len(conflicts)} điểm). "
                "Không áp dụng nội dung nào của biên nhận này; hãy liên hệ Sở Nội vụ để làm rõ.")
    return ResultDialog("Biên nhận mâu thuẫn", headline, [f"• {line}" for line in conflicts], False, parent)


def ack_refused_dialog(reason: str, parent: QWidget | None = None) -> ResultDialog:
    headline = "Không nhập được biên nhận; không có gì thay đổi."
    return ResultDialog("Không nhập được biên nhận", headline, [reason], False, parent)
