"""The 'Lịch sử' tab of the subject editor: ratings, titles and awards, initiatives, discipline.

Each record is saved or deleted on its own, at once, through `services.history`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import catalogue
from app.errors import ValidationError
from app.history import (
    FIRST_YEAR,
    AwardRecord,
    DisciplineRecord,
    HistoryRecord,
    InitiativeRecord,
    RatingRecord,
    SubjectHistory,
)
from app.services import Services
from ui.background import Task
from ui.dialogs import ask_reason, show_error
from ui.form import CodeField, DateField, Form, FormDialog, NoteField, TextField, YearField

ModelIndex = QModelIndex | QPersistentModelIndex


def _date(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


@dataclass(frozen=True)
class RecordColumn:
    header: str
    text: Callable[[Any], str]


@dataclass(frozen=True)
class RecordKind:
    """How one kind of history record is listed and edited."""

    record_type: type
    title: str  # sub-tab title
    noun: str  # in dialog titles: "Thêm <noun>"
    columns: tuple[RecordColumn, ...]
    build_form: Callable[[Form, str], None]  # (form, subject kind)
    of: Callable[[SubjectHistory], tuple[Any, ...]]
    order: Callable[[Any], object]


def _years(optional: bool = False) -> YearField:
    """A year from FIRST_YEAR to next year; a new record starts at this year (or none)."""
    this_year = date.today().year
    field = YearField(FIRST_YEAR, this_year + 1, optional)
    field.set_value(None if optional else this_year)
    return field


def _rating_form(form: Form, _subject_kind: str) -> None:
    form.add("year", "Năm", _years())
    form.add("rating", "Xếp loại", CodeField(catalogue.RATINGS))
    form.add("note", "Ghi chú", NoteField())


def _award_form(form: Form, subject_kind: str) -> None:
    kinds = {k.code: k.label for k in catalogue.AWARD_KINDS if subject_kind in k.subject_kinds}
    form.add("award_code", "Danh hiệu, hình thức", CodeField(kinds))
    form.add("year", "Năm thành tích", _years())
    form.add("period_start", "Từ năm (nếu nhiều năm)", _years(optional=True))
    form.add("basis_kind", "Loại thành tích", CodeField(catalogue.BASIS_KINDS))
    form.add("decision_number", "Số quyết định", TextField(50, "ví dụ 125/QĐ-UBND"))
    form.add("decision_date", "Ngày quyết định", DateField())
    form.add("issuer", "Cấp quyết định", TextField(200, "ví dụ Chủ tịch UBND xã"))
    form.add("legal_basis", "Căn cứ pháp lý", TextField(200, "ví dụ Luật Thi đua, khen thưởng 2022"))
    form.add("revoked_on", "Ngày thu hồi", DateField())
    form.add("revoked_reason", "Lý do thu hồi", TextField())


def _initiative_form(form: Form, _subject_kind: str) -> None:
    form.add("year", "Năm", _years())
    form.add("title", "Tên sáng kiến", TextField(300))
    form.add("scope", "Phạm vi ảnh hưởng", CodeField(catalogue.INITIATIVE_SCOPES))
    form.add("recognised_by", "Cơ quan công nhận", TextField())
    form.add("decision_number", "Số quyết định", TextField(50))
    form.add("decision_date", "Ngày quyết định", DateField())


def _discipline_form(form: Form, _subject_kind: str) -> None:
    form.add("form", "Hình thức", CodeField(catalogue.DISCIPLINE_FORMS))
    form.add("decided_on", "Ngày quyết định (bắt đầu)", DateField(optional=False))
    form.add("ends_on", "Ngày hết hiệu lực", DateField())
    form.add("note", "Ghi chú", NoteField())


def _award_label(code: str) -> str:
    kind = catalogue.AWARDS.get(code)
    return kind.label if kind else code


RECORD_KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        RatingRecord, "Xếp loại", "xếp loại",
        (
            RecordColumn("Năm", lambda r: str(r.year)),
            RecordColumn("Xếp loại", lambda r: catalogue.RATINGS.get(r.rating, r.rating)),
            RecordColumn("Ghi chú", lambda r: r.note),
        ),
        _rating_form, lambda h: h.ratings, lambda r: r.year,
    ),
    RecordKind(
        AwardRecord, "Danh hiệu, khen thưởng", "danh hiệu, khen thưởng",
        (
            RecordColumn("Năm", lambda r: f"{r.period_start}–{r.year}" if r.period_start else str(r.year)),
            # Marked here too: the "Thu hồi" column is off screen in a dialog of usual width.
            RecordColumn("Danh hiệu, hình thức",
                         lambda r: _award_label(r.award_code) + (" (đã thu hồi)" if r.revoked_on else "")),
            RecordColumn("Số quyết định", lambda r: r.decision_number),
            RecordColumn("Ngày quyết định", lambda r: _date(r.decision_date)),
            RecordColumn("Cấp quyết định", lambda r: r.issuer),
            RecordColumn("Căn cứ pháp lý", lambda r: r.legal_basis),
            RecordColumn("Loại thành tích", lambda r: catalogue.BASIS_KINDS.get(r.basis_kind, r.basis_kind)),
            RecordColumn("Thu hồi", lambda r: f"Đã thu hồi {_date(r.revoked_on)}" if r.revoked_on else ""),
        ),
        _award_form, lambda h: h.awards, lambda r: (r.year, r.decision_date or date.min),
    ),
    RecordKind(
        InitiativeRecord, "Sáng kiến", "sáng kiến",
        (
            RecordColumn("Năm", lambda r: str(r.year)),
            RecordColumn("Tên sáng kiến", lambda r: r.title),
            RecordColumn("Phạm vi ảnh hưởng", lambda r: catalogue.INITIATIVE_SCOPES.get(r.scope, r.scope)),
            RecordColumn("Cơ quan công nhận", lambda r: r.recognised_by),
            RecordColumn("Số quyết định", lambda r: r.decision_number),
            RecordColumn("Ngày quyết định", lambda r: _date(r.decision_date)),
        ),
        _initiative_form, lambda h: h.initiatives, lambda r: r.year,
    ),
    RecordKind(
        DisciplineRecord, "Kỷ luật", "kỷ luật",
        (
            RecordColumn("Hình thức", lambda r: catalogue.DISCIPLINE_FORMS.get(r.form, r.form)),
            RecordColumn("Ngày quyết định", lambda r: _date(r.decided_on)),
            RecordColumn("Hết hiệu lực", lambda r: _date(r.ends_on)),
            RecordColumn("Ghi chú", lambda r: r.note),
        ),
        _discipline_form, lambda h: h.disciplines, lambda r: r.decided_on,
    ),
)


class RecordTableModel(QAbstractTableModel):
    """The records of one kind, oldest first."""

    def __init__(self, columns: tuple[RecordColumn, ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = columns
        self._rows: list[HistoryRecord] = []

    def set_rows(self, rows: list[HistoryRecord]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> HistoryRecord:
        return self._rows[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._columns[index.column()].text(self._rows[index.row()])


RECORD_DIALOG_WIDTH = 640


class RecordDialog(FormDialog):
    """Adds or edits one history record."""

    saved = Signal(object)  # the record with its id

    def __init__(self, services: Services, write_pool: QThreadPool, subject_id: int, subject_kind: str,
                 kind: RecordKind, record: HistoryRecord | None, parent: QWidget | None = None) -> None:
        form = Form()
        kind.build_form(form, subject_kind)
        super().__init__(write_pool, form, QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                         parent)
        self._services = services
        self._subject_id = subject_id
        self._kind = kind
        self._record_id = record.id if record else None
        self.setWindowTitle(f"{'Sửa' if record else 'Thêm'} {kind.noun}")
        self.setMinimumWidth(RECORD_DIALOG_WIDTH)  # legal bases and reasons are long lines
        self.set_content(form)
        if record is not None:
            form.set_values(record)
        self.mark_clean()
        self.buttons.accepted.connect(self._on_save_clicked)

    def _on_save_clicked(self) -> None:
        try:
            record = self._kind.record_type(**self.form.values(), id=self._record_id)
        except ValidationError as error:
            self.show_error(error)
            return
        subject_id = self._subject_id
        self.submit(lambda: self._services.history.save(subject_id, record), self._on_saved)

    def _on_saved(self, record: HistoryRecord) -> None:
        self.mark_clean()
        self.saved.emit(record)
        self.accept()


class RecordList(QWidget):
    """One sub-table with its Thêm / Sửa / Xóa buttons."""

    changed = Signal()

    def __init__(self, services: Services, write_pool: QThreadPool, subject_id: int, subject_kind: str,
                 kind: RecordKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._write_pool = write_pool
        self._subject_id = subject_id
        self._subject_kind = subject_kind
        self.kind = kind
        self.model = RecordTableModel(kind.columns, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.activated.connect(self._on_view_activated)
        add = QPushButton("Thêm…")
        add.clicked.connect(lambda: self.open_record(None))
        edit = QPushButton("Sửa…")
        edit.clicked.connect(self._on_edit_clicked)
        delete = QPushButton("Xóa")
        delete.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        for button in (add, edit, delete):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def set_records(self, records: tuple[HistoryRecord, ...]) -> None:
        self.model.set_rows(sorted(records, key=self.kind.order))

    def selected(self) -> HistoryRecord | None:
        index = self.view.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def open_record(self, record: HistoryRecord | None) -> RecordDialog:
        dialog = RecordDialog(self._services, self._write_pool, self._subject_id, self._subject_kind,
                              self.kind, record, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.changed)
        dialog.open()
        return dialog

    def delete_selected(self) -> None:
        record = self.selected()
        if record is None or record.id is None:
            return
        reason = ask_reason(self, "Xóa bản ghi", f"Xóa bản ghi {self.kind.noun} này khỏi lịch sử?", "Xóa")
        if reason is None:
            return
        record_type, record_id = type(record), record.id
        # Owned by the pool: the editor may be closed before the worker is done with the task.
        task = Task(lambda _report: self._services.history.delete(record_type, record_id, reason),
                    parent=self._write_pool)
        task.succeeded.connect(self.changed)
        task.failed.connect(lambda error: show_error(self, "Không xóa được", str(error)))
        task.start(self._write_pool)

    def _on_edit_clicked(self) -> None:
        record = self.selected()
        if record is not None:
            self.open_record(record)

    def _on_view_activated(self, index: QModelIndex) -> None:
        self.open_record(self.model.record(index.row()))


class HistoryEditor(QTabWidget):
    """Four sub-tables of one subject's history, reloaded after every change."""

    def __init__(self, services: Services, write_pool: QThreadPool, subject_id: int, subject_kind: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._subject_id = subject_id
        self.lists = {
            kind.record_type: RecordList(services, write_pool, subject_id, subject_kind, kind, self)
            for kind in RECORD_KINDS
        }
        for record_list in self.lists.values():
            record_list.changed.connect(self.reload)
            self.addTab(record_list, record_list.kind.title)
        self.reload()

    def reload(self) -> None:
        history = self._services.history.of(self._subject_id)
        for position, record_list in enumerate(self.lists.values()):
            records = record_list.kind.of(history)
            record_list.set_records(records)
            title = record_list.kind.title
            self.setTabText(position, f"{title} ({len(records)})" if records else title)
