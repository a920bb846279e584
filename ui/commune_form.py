"""The commune setup form, in three sections shared by the first-run wizard and the settings dialog.

The wizard shows one section per page; the dialog shows them as tabs. `CommuneForm` wires
them together, turns them into a `CommuneSetup` and routes a ValidationError to the
section holding the field.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app import divisions
from app.commune import OFFICIAL_ROLES, CommuneSetup, OfficialData
from app.divisions import Division
from app.document_style import (
    SYMBOL_RULE,
    format_date_line,
    format_number,
    is_valid_symbol,
    normalize_symbol,
)
from app.errors import ValidationError
from ui.division_picker import DivisionCombo
from ui.official_table import OfficialList

DEFAULT_ISSUER_SYMBOL = CommuneSetup.issuer_symbol
DEFAULT_COUNCIL_SYMBOL = CommuneSetup.council_symbol


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class Section(QWidget):
    """A part of the form with its own line for the message of a refused field."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        # A message about a field is stale once the officer edits the section.
        self.changed.connect(self.clear_error)

    def show_error(self, message: str, field: str | None) -> None:
        self.error.setText(message)
        self.error.show()
        widget = self.widget_for(field)
        if widget is not None:
            widget.setFocus()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def widget_for(self, field: str | None) -> QWidget | None:
        """The input that holds a field, to put the cursor there after an error."""
        return None


class DivisionSection(Section):
    """Province and commune, picked from the official post-2025 list with their codes."""

    FIELDS = ("province", "commune")
    commune_changed = Signal(object)  # Division | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.province = DivisionCombo("Gõ vài chữ của tên, ví dụ: dong nai", self)
        self.commune = DivisionCombo("Gõ vài chữ của tên, ví dụ: phuoc tan", self)
        self.province.set_divisions(divisions.provinces())
        self.province_code_label = QLabel()
        self.commune_code_label = QLabel()

        form = QFormLayout()
        form.addRow("Tỉnh, thành phố:", self.province)
        form.addRow("", self.province_code_label)
        form.addRow("Xã, phường, đặc khu:", self.commune)
        form.addRow("", self.commune_code_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            _hint(
                "Danh sách theo đơn vị hành chính từ ngày 01/07/2025 (34 tỉnh, thành phố; "
                "không còn cấp huyện), kèm mã đơn vị hành chính chính thức. Gõ tên có dấu "
                "hoặc không dấu đều tìm được."
            )
        )
        layout.addWidget(self.error)
        layout.addStretch()

        self.province.division_changed.connect(self._on_province_changed)
        self.commune.division_changed.connect(self._on_commune_changed)
        self._on_province_changed(None)

    def select(self, province_code: int, commune_code: int) -> None:
        if self.province.select(province_code):
            self.commune.select(commune_code)

    def province_code(self) -> int:
        """The chosen province's code, 0 while none is chosen."""
        chosen = self.province.division()
        return chosen.code if chosen else 0

    def commune_code(self) -> int:
        chosen = self.commune.division()
        return chosen.code if chosen else 0

    def widget_for(self, field: str | None) -> QWidget | None:
        return self.province if field == "province" else self.commune

    def _on_province_changed(self, province: Division | None) -> None:
        self.province_code_label.setText(_code_text(province, "Chưa chọn tỉnh, thành phố."))
        self.commune.set_divisions(divisions.communes(province.code) if province else ())
        self.commune.setEnabled(province is not None)
        self.changed.emit()

    def _on_commune_changed(self, commune: Division | None) -> None:
        self.commune_code_label.setText(_code_text(commune, "Chưa chọn xã, phường."))
        self.commune_changed.emit(commune)
        self.changed.emit()


def _code_text(division: Division | None, missing: str) -> str:
    if division is None:
        return missing
    return f"Mã đơn vị hành chính: {division.code} ({division.kind})"


class DocumentSection(Section):
    """The place name of the date line and the symbols of UBND and council documents."""

    FIELDS = ("place_name", "issuer_symbol", "council_symbol")

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._default_place = ""
        self.place_name = QLineEdit(self)
        self.place_name.setPlaceholderText("Ví dụ: Phước Tân")
        self.issuer_symbol = QLineEdit(DEFAULT_ISSUER_SYMBOL, self)
        self.council_symbol = QLineEdit(DEFAULT_COUNCIL_SYMBOL, self)
        self.date_preview = QLabel()
        self.issuer_preview = QLabel()
        self.council_preview = QLabel()

        form = QFormLayout()
        form.addRow("Địa danh ở dòng ngày tháng:", self.place_name)
        form.addRow("", _hint("Thường là tên xã, phường, không kèm chữ “Xã”, “Phường” (Nghị định 30/2020/NĐ-CP)."))
        form.addRow("Ký hiệu của Ủy ban nhân dân:", self.issuer_symbol)
        form.addRow("Ký hiệu của Hội đồng TĐKT:", self.council_symbol)
        form.addRow("", _hint(f"Ký hiệu {SYMBOL_RULE}."))
        preview = QGroupBox("Xem trước trên văn bản")
        preview_layout = QVBoxLayout(preview)
        for label in (self.date_preview, self.issuer_preview, self.council_preview):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            preview_layout.addWidget(label)
        self.date_preview.setStyleSheet("font-style: italic;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(preview)
        layout.addWidget(self.error)
        layout.addStretch()

        for edit in (self.place_name, self.issuer_symbol, self.council_symbol):
            edit.textChanged.connect(self._update_preview)
            edit.textChanged.connect(self.changed)
        self._update_preview()

    def set_commune(self, commune: Division | None) -> None:
        """Offer the commune's own name as place name, unless the officer wrote another one."""
        default = divisions.default_place_name(commune) if commune else ""
        if self.place_name.text().strip() in ("", self._default_place):
            self.place_name.setText(default)
        self._default_place = default

    def set_values(self, place_name: str, issuer_symbol: str, council_symbol: str) -> None:
        self.place_name.setText(place_name)
        self.issuer_symbol.setText(issuer_symbol)
        self.council_symbol.setText(council_symbol)

    def widget_for(self, field: str | None) -> QWidget | None:
        return {"issuer_symbol": self.issuer_symbol, "council_symbol": self.council_symbol}.get(
            field or "", self.place_name
        )

    def _update_preview(self) -> None:
        place = self.place_name.text().strip() or "(địa danh)"
        self.date_preview.setText(format_date_line(place, self._today))
        self.issuer_preview.setText(
            _symbol_preview(self.issuer_symbol.text(), "Tờ trình của UBND", "TTr", 5)
        )
        self.council_preview.setText(
            _symbol_preview(self.council_symbol.text(), "Biên bản họp Hội đồng", "BB", 3)
        )


def _symbol_preview(typed: str, document: str, type_symbol: str, number: int) -> str:
    symbol = normalize_symbol(typed)
    if not is_valid_symbol(symbol):
        return f"{document}: ký hiệu chưa đúng ({SYMBOL_RULE})."
    return f"{document}:   {format_number(number, type_symbol, symbol)}"


class _PersonRow(QWidget):
    """Name and title of the one person holding a role (chairman, TĐKT officer)."""

    def __init__(self, title_hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("Ví dụ: Nguyễn Văn An")
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(f"Ví dụ: {title_hint}")
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Họ và tên:"), 0, 0)
        layout.addWidget(self.name, 0, 1)
        layout.addWidget(QLabel("Chức vụ (nếu cần):"), 0, 2)
        layout.addWidget(self.title, 0, 3)
        layout.setColumnStretch(1, 2)
        layout.setColumnStretch(3, 3)

    def set_person(self, person: OfficialData | None) -> None:
        self.name.setText(person.full_name if person else "")
        self.title.setText(person.title if person else "")

    def person(self, role: str) -> OfficialData:
        return OfficialData(role, self.name.text(), self.title.text())


class PeopleSection(Section):
    """Who signs and who sits on the council (Hội đồng Thi đua - Khen thưởng)."""

    FIELDS = tuple(OFFICIAL_ROLES)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chairman = _PersonRow("Chủ tịch UBND xã", self)
        self.vice_chairmen = OfficialList("vice_chairman", "Phó Chủ tịch UBND xã", self)
        self.council_members = OfficialList("council_member", "Chủ tịch Ủy ban MTTQ xã", self)
        self.officer = _PersonRow("Công chức Văn phòng - Thống kê", self)

        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        for heading, widget in (
            ("Chủ tịch UBND (Chủ tịch Hội đồng TĐKT), bắt buộc", self.chairman),
            ("Phó Chủ tịch UBND", self.vice_chairmen),
            ("Thành viên khác của Hội đồng TĐKT (đại diện Mặt trận, đoàn thể…)", self.council_members),
            ("Công chức phụ trách TĐKT (Thư ký Hội đồng)", self.officer),
        ):
            box = QGroupBox(heading, self)
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(8, 4, 8, 6)
            box_layout.addWidget(widget)
            layout.addWidget(box, 1 if isinstance(widget, OfficialList) else 0)
        layout.addWidget(self.error)

        for edit in (self.chairman.name, self.chairman.title, self.officer.name, self.officer.title):
            edit.textChanged.connect(self.changed)
        self.vice_chairmen.changed.connect(self.changed)
        self.council_members.changed.connect(self.changed)

    def set_officials(self, officials: tuple[OfficialData, ...]) -> None:
        def first(role: str) -> OfficialData | None:
            return next((o for o in officials if o.role == role), None)

        self.chairman.set_person(first("chairman"))
        self.vice_chairmen.set_people([o for o in officials if o.role == "vice_chairman"])
        self.council_members.set_people([o for o in officials if o.role == "council_member"])
        self.officer.set_person(first("officer"))

    def officials(self) -> tuple[OfficialData, ...]:
        """Everyone entered, in printed order: chairman, vice-chairmen, members, officer."""
        return (
            self.chairman.person("chairman"),
            *self.vice_chairmen.people(),
            *self.council_members.people(),
            self.officer.person("officer"),
        )

    def widget_for(self, field: str | None) -> QWidget | None:
        return {
            "chairman": self.chairman.name,
            "vice_chairman": self.vice_chairmen.view,
            "council_member": self.council_members.view,
            "officer": self.officer.name,
        }.get(field or "")


class CommuneForm(QObject):
    """The three sections of the setup and the conversions between them and a CommuneSetup."""

    changed = Signal()

    def __init__(self, today: date, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.division = DivisionSection()
        self.document = DocumentSection(today)
        self.people = PeopleSection()
        self.division.commune_changed.connect(self.document.set_commune)
        for section in self.sections():
            section.changed.connect(self.changed)

    def sections(self) -> tuple[Section, ...]:
        return (self.division, self.document, self.people)

    def load(self, setup: CommuneSetup) -> None:
        self.division.select(setup.province_code, setup.commune_code)
        self.document.set_values(setup.place_name, setup.issuer_symbol, setup.council_symbol)
        self.people.set_officials(setup.officials)

    def setup(self) -> CommuneSetup:
        """What the form holds now, unvalidated; codes are 0 while nothing is chosen."""
        return CommuneSetup(
            province_code=self.division.province_code(),
            commune_code=self.division.commune_code(),
            place_name=self.document.place_name.text(),
            issuer_symbol=self.document.issuer_symbol.text(),
            council_symbol=self.document.council_symbol.text(),
            officials=self.people.officials(),
        )

    def section_for(self, field: str | None) -> Section:
        for section in (self.division, self.document):
            if field in section.FIELDS:
                return section
        return self.people

    def show_error(self, error: ValidationError) -> Section:
        """Show the message in the section holding the refused field and return that section."""
        self.clear_errors()
        section = self.section_for(error.field)
        section.show_error(str(error), error.field)
        return section

    def clear_errors(self) -> None:
        for section in self.sections():
            section.clear_error()
