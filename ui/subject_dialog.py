"""The editor of one subject: its fields, which differ by kind, and once saved its history and
its eligibility checks."""

from __future__ import annotations

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QScrollArea, QTabWidget, QWidget

from app import catalogue
from app.errors import ValidationError
from app.services import Services
from app.subject_data import (
    CollectiveData,
    HouseholdData,
    IndividualData,
    SubjectData,
    SubjectRow,
    VillageData,
    display_name,
    validate,
)
from app.subjects import SubjectService
from ui.dialogs import choose
from ui.eligibility_panel import TAB_TITLE as ELIGIBILITY_TAB_TITLE
from ui.eligibility_panel import EligibilityPanel
from ui.form import BoolField, ChoiceField, CodeField, DateField, Form, FormDialog, NoteField, TextField
from ui.history_editor import HistoryEditor
from ui.household_members import MembersField

NEW_TITLES = {
    "individual": "Thêm cá nhân",
    "collective": "Thêm tập thể",
    "household": "Thêm hộ gia đình",
    "village": "Thêm thôn, tổ dân phố",
}
# An empty subject of each kind: the dataclass defaults fill a new form.
_BLANK: dict[str, SubjectData] = {
    "individual": IndividualData(full_name="", gender="male"),
    "collective": CollectiveData(name=""),
    "household": HouseholdData(name=""),
    "village": VillageData(name=""),
}
HISTORY_AFTER_SAVE = "Bấm “Áp dụng” để lưu thông tin, rồi nhập lịch sử xếp loại, khen thưởng ở đây."


def build_form(kind: str, subjects: SubjectService, own_id: int | None) -> Form:
    """The fields of one kind of subject, named as in its dataclass."""
    form = Form()
    if kind == "individual":
        form.add("full_name", "Họ và tên", TextField(100))
        form.add("gender", "Giới tính", CodeField(catalogue.GENDERS))
        form.add("birth_date", "Ngày sinh", DateField())
        form.add("citizen_id", "Số CCCD (định danh)", TextField(12, "12 chữ số"))
        form.add("ethnicity", "Dân tộc", TextField(50))
        form.add("religion", "Tôn giáo", TextField(50))
        form.add("home_town", "Quê quán", TextField())
        form.add("residence", "Nơi ở hiện nay", TextField())
        form.add("employment", "Đối tượng", CodeField(catalogue.EMPLOYMENT))
        form.add("job_title", "Chức vụ, chức danh", TextField(150))
        form.add("unit_id", "Đơn vị công tác", ChoiceField(subjects.choices("collective")))
        form.add("village_id", "Thôn, tổ dân phố", ChoiceField(subjects.choices("village")))
        form.add("employment_start", "Ngày bắt đầu công tác", DateField())
        form.add("direct_labour", "", BoolField("Lao động trực tiếp"))
        form.add("ethnic_minority", "", BoolField("Người dân tộc thiểu số"))
        form.add("difficult_area", "", BoolField("Sống, làm việc ở vùng đặc biệt khó khăn"))
    elif kind == "collective":
        parents = [c for c in subjects.choices("collective") if c.id != own_id]
        form.add("name", "Tên tập thể", TextField())
        form.add("collective_kind", "Loại", CodeField(catalogue.COLLECTIVE_KINDS))
        form.add("parent_id", "Trực thuộc", ChoiceField(parents))
        form.add("village_id", "Thôn, tổ dân phố", ChoiceField(subjects.choices("village")))
    elif kind == "household":
        form.add("name", "Tên hộ", TextField(200, "ví dụ Hộ ông Nguyễn Văn An"))
        form.add("village_id", "Thôn, tổ dân phố", ChoiceField(subjects.choices("village")))
        form.add("address", "Địa chỉ", TextField())
        form.add("members", "Thành viên", MembersField(subjects))
    else:
        form.add("name", "Tên", TextField(200, "ví dụ Thôn 1, Tổ dân phố Bình Minh"))
        form.add("village_kind", "Loại", CodeField(catalogue.VILLAGE_KINDS))
        form.add("difficult_area", "", BoolField("Vùng đặc biệt khó khăn"))
        form.add("ethnic_minority_area", "", BoolField("Vùng đồng bào dân tộc thiểu số"))
    form.add("note", "Ghi chú", NoteField())
    return form


class SubjectDialog(FormDialog):
    """Adds (subject_id None) or edits one subject; `saved` carries its register line."""

    saved = Signal(object)  # SubjectRow

    def __init__(self, services: Services, write_pool: QThreadPool, kind: str, subject_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        form = build_form(kind, services.subjects, subject_id)
        buttons = (QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Apply
                   | QDialogButtonBox.StandardButton.Cancel)
        super().__init__(write_pool, form, buttons, parent)
        self._services = services
        self._write_pool = write_pool
        self._kind = kind
        self._subject_id = subject_id
        self.resize(800, 720)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(form)
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, "Thông tin")
        self.tabs.addTab(QLabel(HISTORY_AFTER_SAVE, alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True),
                         "Lịch sử")
        self.set_content(self.tabs)
        data = services.subjects.data(subject_id) if subject_id is not None else _BLANK[kind]
        form.set_values(data)
        self.mark_clean()
        self._show_title(display_name(data) if subject_id is not None else None)
        if subject_id is not None:
            self._show_history()
        self.buttons.accepted.connect(lambda: self._save(close=True))
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(lambda: self._save(close=False))

    @property
    def subject_id(self) -> int | None:
        return self._subject_id

    @property
    def history(self) -> HistoryEditor | None:
        widget = self.tabs.widget(1)
        return widget if isinstance(widget, HistoryEditor) else None

    @property
    def eligibility(self) -> EligibilityPanel | None:
        widget = self.tabs.widget(2)
        return widget if isinstance(widget, EligibilityPanel) else None

    def open_existing(self, subject_id: int) -> SubjectDialog:
        """Open another subject over this editor, keeping what is typed here."""
        other = SubjectDialog(self._services, self._write_pool, "individual", subject_id, self)
        other.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        other.saved.connect(self.saved)
        other.open()
        return other

    def _save(self, close: bool) -> None:
        try:
            data = validate(type(_BLANK[self._kind])(**self.form.values()))
        except ValidationError as error:
            self.show_error(error)
            return
        is_new_person = self._subject_id is None and isinstance(data, IndividualData)
        if is_new_person and not self._may_save_despite_duplicates(data):
            return
        subjects, subject_id = self._services.subjects, self._subject_id
        if subject_id is None:
            self.submit(lambda: subjects.create(data), lambda row: self._on_saved(row, close))
        else:
            self.submit(lambda: subjects.update(subject_id, data), lambda row: self._on_saved(row, close))

    def _may_save_despite_duplicates(self, data: IndividualData) -> bool:
        found = self._services.subjects.likely_duplicates(data)
        if not found:
            return True
        lines = "\n".join(f"• {_describe(row)}" for row in found[:5])
        answer = choose(
            self, "Có thể trùng người đã có",
            f"Sổ theo dõi đã có:\n{lines}\n\nCó thể đây là cùng một người. "
            "Mở người đã có để xem, hay vẫn lưu thành người mới?",
            ["Mở người đã có", "Vẫn lưu"],
        )
        if answer == 0:
            self.open_existing(found[0].id)
        return answer == 1

    def _on_saved(self, row: SubjectRow, close: bool) -> None:
        self.mark_clean()
        first_save = self._subject_id is None
        self._subject_id = row.id
        self.saved.emit(row)
        if close:
            self.accept()
            return
        self._show_title(row.name)
        if first_save:
            self._show_history()
        elif self.eligibility is not None:
            self.eligibility.mark_stale()

    def _show_history(self) -> None:
        assert self._subject_id is not None
        editor = HistoryEditor(self._services, self._write_pool, self._subject_id, self._kind)
        self.tabs.removeTab(1)
        self.tabs.addTab(editor, "Lịch sử")
        panel = EligibilityPanel(self._services, self._write_pool, self._subject_id, self._kind)
        for record_list in editor.lists.values():
            record_list.changed.connect(panel.mark_stale)  # a result checked before no longer holds
        self.tabs.addTab(panel, ELIGIBILITY_TAB_TITLE)

    def _show_title(self, name: str | None) -> None:
        kind = catalogue.SUBJECT_KINDS[self._kind]
        self.setWindowTitle(f"{name} — {kind}" if name else NEW_TITLES[self._kind])


def _describe(row: SubjectRow) -> str:
    parts = [row.name]
    if row.birth_date:
        parts.append(f"sinh {row.birth_date:%d/%m/%Y}")
    if row.citizen_id:
        parts.append(f"CCCD {row.citizen_id}")
    if row.village:
        parts.append(row.village)
    return ", ".join(parts)
