"""«Căn lề phôi»: how far one printer shifts the text on one type of pre-printed blank.

Printers do not all put the sheet in the same place: the text meant for the blank's empty
lines comes out a few millimetres off. The officer prints the calibration page on plain
paper, measures where its cross landed and saves the shift for this printer and blank type;
every later print on that blank through that printer is moved by it. The box either takes
the shift typed directly or works it out from the two measures of the cross.

Reading and saving the shift go to the dialog's pool (the write pool: saving writes an audit
entry too), never the UI thread; the box is `busy` meanwhile, its fields disabled, and what
was typed stays on screen when a save is refused.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.certificates import MAX_OFFSET_MM, CertificateService
from app.documents.certificate_layouts import CALIBRATION_POINT
from app.errors import DomainError
from db.engine import StorageError
from ui.background import Task
from ui.form import ERROR_STYLE

POINT_X, POINT_Y = CALIBRATION_POINT
HOW_TO = (f"Cách căn: bấm «In trang căn chỉnh…», in lên giấy trắng cùng khổ với phôi, đặt giấy vào "
          f"khay đúng như khi in phôi. Đo bằng thước từ mép trái và từ mép trên tờ giấy đến tâm dấu "
          f"cộng «GỐC ĐO» (đúng ra là {POINT_X:g} mm và {POINT_Y:g} mm), nhập hai số đo rồi bấm «Tính "
          f"độ lệch» — hoặc tự nhập độ lệch: chữ in lệch sang phải 2 mm thì bớt 2 mm ở độ lệch ngang. "
          f"Lưu rồi in lại trang để kiểm tra.")
NO_PRINTER = "Chưa có máy in nên chưa căn lề được."
LOADING = "Đang đọc độ lệch đã lưu…"
SAVING = "Đang lưu độ lệch…"


def _spin(low: float, high: float, value: float = 0.0) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(1)
    spin.setSingleStep(0.5)
    spin.setSuffix(" mm")
    spin.setValue(value)
    spin.setKeyboardTracking(False)
    return spin


class OffsetsBox(QGroupBox):
    """The saved shift of the chosen printer and blank type, editable by those who print;
    `calibration_requested` asks the dialog to print the calibration page, `busy_changed`
    says a read or a save started or ended."""

    calibration_requested = Signal()
    busy_changed = Signal(bool)

    def __init__(self, certificates: CertificateService, may_edit: bool, pool: QThreadPool,
                 parent: QWidget | None = None) -> None:
        super().__init__("Căn lề phôi cho máy in đã chọn", parent)
        self._certificates = certificates
        self._may_edit = may_edit
        self._pool = pool
        self._printer = ""
        self._blank_type = ""
        self._saved = (0.0, 0.0)
        self._task: Task | None = None
        self._loaded = False  # the saved shift of `_printer` and `_blank_type` is on screen
        self._wanted: tuple[str, str] | None = None  # a printer and blank chosen while busy
        self._after_save: Callable[[], None] | None = None
        self.x_mm = _spin(-MAX_OFFSET_MM, MAX_OFFSET_MM)
        self.x_mm.setToolTip("Dương: dịch chữ sang phải; âm: sang trái")
        self.y_mm = _spin(-MAX_OFFSET_MM, MAX_OFFSET_MM)
        self.y_mm.setToolTip("Dương: dịch chữ xuống dưới; âm: lên trên")
        self.measured_x = _spin(0, 100, POINT_X)
        self.measured_x.setToolTip("Khoảng cách đo được từ mép trái tờ giấy đến tâm dấu cộng «GỐC ĐO»")
        self.measured_y = _spin(0, 100, POINT_Y)
        self.measured_y.setToolTip("Khoảng cách đo được từ mép trên tờ giấy đến tâm dấu cộng «GỐC ĐO»")
        self.compute_button = QPushButton("Tính độ lệch")
        self.compute_button.setToolTip("Tính độ lệch mới từ hai số đo trên trang căn chỉnh vừa in")
        self.compute_button.clicked.connect(self._on_compute_clicked)
        self.save_button = QPushButton("Lưu độ lệch")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.calibrate_button = QPushButton("In trang căn chỉnh…")
        self.calibrate_button.clicked.connect(self.calibration_requested)
        for button in (self.compute_button, self.save_button, self.calibrate_button):
            button.setAutoDefault(False)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.how_to = QLabel(HOW_TO)
        self.how_to.setWordWrap(True)
        for spin in (self.x_mm, self.y_mm):
            spin.valueChanged.connect(self._show_state)

        grid = QGridLayout()
        grid.addWidget(QLabel("Độ lệch ngang (sang phải +)"), 0, 0)
        grid.addWidget(self.x_mm, 0, 1)
        grid.addWidget(QLabel("Số đo từ mép trái"), 0, 2)
        grid.addWidget(self.measured_x, 0, 3)
        grid.addWidget(QLabel("Độ lệch dọc (xuống dưới +)"), 1, 0)
        grid.addWidget(self.y_mm, 1, 1)
        grid.addWidget(QLabel("Số đo từ mép trên"), 1, 2)
        grid.addWidget(self.measured_y, 1, 3)
        grid.addWidget(self.compute_button, 1, 4)
        grid.setColumnStretch(5, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.calibrate_button)
        buttons.addWidget(self.state, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addWidget(self.how_to)
        self._update_enabled()

    @property
    def busy(self) -> bool:
        return self._task is not None

    def load(self, printer: str, blank_type: str) -> None:
        """Show the saved shift of `printer` ("" when none is installed) on `blank_type`, read
        in the background; asked while busy, it is read once the running job has ended."""
        if self.busy:
            self._wanted = (printer, blank_type)
            return
        if self._loaded and (printer, blank_type) == (self._printer, self._blank_type):
            return  # shown already (the mode changed): keep what is typed
        self._printer, self._blank_type = printer, blank_type
        self._loaded = False
        if not printer:
            self._show_saved((0.0, 0.0))
            return
        certificates = self._certificates
        self._start(Task(lambda _report: certificates.offsets(printer, blank_type)), LOADING,
                    self._show_saved, lambda error: self._show_saved((0.0, 0.0), str(error)))

    def _show_saved(self, saved: tuple[float, float], error: str = "") -> None:
        self._saved = saved
        self._loaded = True
        for spin, value in zip((self.x_mm, self.y_mm), saved, strict=True):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        self.measured_x.setValue(POINT_X)
        self.measured_y.setValue(POINT_Y)
        self._update_enabled()
        self._show_state()
        if error:
            self._show_error(error)

    def values(self) -> tuple[float, float]:
        return round(self.x_mm.value(), 1), round(self.y_mm.value(), 1)

    def is_dirty(self) -> bool:
        return self.values() != self._saved

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Store the shift on screen for the printer and blank type in the background, then
        call `then`; a refusal is said in the box (and `then` not called), the typing kept."""
        if self.busy:
            return
        values = self.values()
        certificates, printer, blank_type = self._certificates, self._printer, self._blank_type
        self._after_save = then
        self._start(Task(lambda _report: certificates.save_offsets(printer, blank_type, *values)), SAVING,
                    lambda _result: self._on_saved(values), self._on_save_failed)

    def save_if_changed(self, then: Callable[[], None]) -> None:
        """Before printing on blanks: the shift typed is the one meant, so keep it first."""
        if self.is_dirty():
            self.save(then)
        else:
            then()

    def _on_saved(self, values: tuple[float, float]) -> None:
        self._saved = values
        self._show_state()
        then, self._after_save = self._after_save, None
        if then is not None:
            then()

    def _on_save_failed(self, error: Exception) -> None:
        self._after_save = None
        self._show_error(f"Chưa lưu độ lệch: {error}")

    def _start(self, task: Task, step: str, on_succeeded: Callable[[object], None],
               on_failed: Callable[[Exception], None]) -> None:
        """Run the box's one read or save on the pool, its fields disabled meanwhile."""
        self._task = task
        task.succeeded.connect(on_succeeded)
        task.failed.connect(lambda error: self._on_task_failed(error, on_failed))
        task.finished.connect(self._on_task_finished)
        self.state.setStyleSheet("")
        self.state.setText(step)
        self._update_enabled()
        self.busy_changed.emit(True)
        task.start(self._pool)

    def _on_task_failed(self, error: Exception, on_failed: Callable[[Exception], None]) -> None:
        if not isinstance(error, DomainError | StorageError):
            self._show_error("Gặp lỗi không mong muốn (đã ghi vào nhật ký).")
            raise error
        on_failed(error)

    def _on_task_finished(self) -> None:
        self._task = None
        self._update_enabled()
        self.busy_changed.emit(False)
        wanted, self._wanted = self._wanted, None
        if wanted is not None:
            self.load(*wanted)

    def _update_enabled(self) -> None:
        usable = self._may_edit and bool(self._printer) and not self.busy
        for widget in (self.x_mm, self.y_mm, self.measured_x, self.measured_y, self.compute_button,
                       self.save_button, self.calibrate_button):
            widget.setEnabled(usable)

    def _show_state(self) -> None:
        self.state.setStyleSheet("")
        if not self._printer:
            self.state.setText(NO_PRINTER)
        elif self.is_dirty():
            self.state.setText("Độ lệch đã sửa, chưa lưu (sẽ được lưu khi in lên phôi).")
        elif self._saved == (0.0, 0.0):
            self.state.setText("Máy in này chưa căn lề cho loại phôi này (độ lệch 0).")
        else:
            self.state.setText("Đã lưu cho máy in và loại phôi này.")

    def _show_error(self, text: str) -> None:
        self.state.setText(text)
        self.state.setStyleSheet(ERROR_STYLE)

    def _on_compute_clicked(self) -> None:
        try:
            x_mm, y_mm = self._certificates.adjusted_offsets(
                self._printer, self._blank_type, self.measured_x.value(), self.measured_y.value())
        except (DomainError, StorageError) as error:
            self._show_error(str(error))
            return
        self.x_mm.setValue(x_mm)
        self.y_mm.setValue(y_mm)
        if abs(x_mm) > MAX_OFFSET_MM or abs(y_mm) > MAX_OFFSET_MM:
            self._show_error(f"Độ lệch tính được ({x_mm:g} mm, {y_mm:g} mm) vượt quá {MAX_OFFSET_MM:g} mm: "
                             "hãy kiểm tra cách đặt giấy và số đo.")

    def _on_save_clicked(self) -> None:
        self.save()
