"""«Năm thi đua»: one emulation year, from the overview to each step's tab.

The year chosen at the top is shown by every tab. A change made in a tab reloads the
overview, and the other tabs read the year again when next shown (a council vote moves
nominations, a decision closes them). A next step or a deadline clicked in the overview
opens the tab, or the nomination, that does it. The last tab, «Gửi tỉnh», lists the packages
sent to the province over all years: it is read each time it is shown, and an
acknowledgement imported there makes every step's tab read its year again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services import Services
from app.year_overview import Tab
from ui.council_tab import CouncilTab
from ui.decisions_tab import DecisionsTab
from ui.movements_tab import MovementsTab
from ui.nominations_tab import NominationsTab
from ui.packages_tab import TAB_TITLE as PACKAGES_TITLE
from ui.packages_tab import PackagesTab
from ui.registrations_tab import RegistrationsTab
from ui.review_tab import ReviewTab
from ui.settings import Settings
from ui.year_overview_panel import YearOverviewPanel

OVERVIEW_TITLE = "Tổng quan"
StepTab = MovementsTab | RegistrationsTab | ReviewTab | CouncilTab | NominationsTab | DecisionsTab
TAB_TITLES = {
    Tab.MOVEMENTS: "Phong trào",
    Tab.REGISTRATIONS: "Đăng ký",
    Tab.REVIEW: "Bình xét",
    Tab.COUNCIL: "Họp Hội đồng",
    Tab.NOMINATIONS: "Đề nghị",
    Tab.DECISIONS: "Quyết định",
}


class YearView(QWidget):
    def __init__(self, services: Services, data_folder: Path, read_pool: QThreadPool | None = None,
                 write_pool: QThreadPool | None = None, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None, *, settings: Settings | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._today = today
        self.overview = YearOverviewPanel(services, read_pool, today)
        self.movements = MovementsTab(services)
        self.registrations = RegistrationsTab(services, write_pool=write_pool)
        self.review = ReviewTab(services, write_pool=write_pool)
        self.council = CouncilTab(services, read_pool=read_pool, write_pool=write_pool)
        self.nominations = NominationsTab(services, data_folder=data_folder, read_pool=read_pool,
                                          write_pool=write_pool)
        self.decisions = DecisionsTab(services, read_pool=read_pool, write_pool=write_pool)
        self.packages = PackagesTab(services, data_folder, read_pool, write_pool, settings)
        self.step_tabs: dict[Tab, StepTab] = {
            Tab.MOVEMENTS: self.movements, Tab.REGISTRATIONS: self.registrations, Tab.REVIEW: self.review,
            Tab.COUNCIL: self.council, Tab.NOMINATIONS: self.nominations, Tab.DECISIONS: self.decisions,
        }
        self._stale: set[Tab] = set()  # tabs to read again when next shown

        self.year_box = QComboBox()
        self.year_box.setToolTip("Năm thi đua (năm thành tích) mà mọi thẻ bên dưới hiển thị")
        self.reload_button = QPushButton("Tải lại")
        self.reload_button.clicked.connect(self.reload)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.overview, OVERVIEW_TITLE)
        self._pages: dict[Tab, QScrollArea] = {}
        for key, tab in self.step_tabs.items():
            page = self._pages[key] = _scrolling(tab)
            self.tabs.addTab(page, TAB_TITLES[key])
            tab.changed.connect(lambda key=key: self._on_tab_changed(key))
        self.packages_page = _scrolling(self.packages)
        self.tabs.addTab(self.packages_page, PACKAGES_TITLE)
        self.packages.changed.connect(self._on_packages_changed)

        top = QHBoxLayout()
        top.addWidget(QLabel("Năm thi đua:"))
        top.addWidget(self.year_box)
        top.addWidget(self.reload_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

        self._year = today().year
        self._fill_years()
        self.year_box.currentIndexChanged.connect(self._on_year_box_changed)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.overview.step_requested.connect(self.show_tab)
        self.overview.nomination_requested.connect(self.open_nomination)
        self._show_year(self._year)

    @property
    def year(self) -> int:
        return self._year

    def set_year(self, year: int) -> None:
        """Show `year` in every tab (added to the list when it has no data yet)."""
        if self.year_box.findData(year) < 0:
            self._fill_years(extra=year)
        self.year_box.setCurrentIndex(self.year_box.findData(year))

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentWidget(self._pages[Tab(key)])

    def current_tab(self) -> QWidget:
        """The overview or the step's tab shown now."""
        page = self.tabs.currentWidget()
        return page.widget() if isinstance(page, QScrollArea) else page

    def open_nomination(self, nomination_id: int) -> None:
        self.show_tab(Tab.NOMINATIONS)
        self.nominations.open_nomination(nomination_id)

    def confirm_leave(self) -> bool:
        """Ask about work typed and not saved (the year's ratings); False: the officer stays."""
        return self.review.confirm_leave()

    def reload(self) -> None:
        """Read the year again: the overview and the tab shown now, the others when shown.
        A change made elsewhere (the register, the rule settings) shows too."""
        self._fill_years()
        self._stale = set(self.step_tabs)
        self.overview.reload()
        self._refresh_current()

    def show_packages(self) -> None:
        self.tabs.setCurrentWidget(self.packages_page)

    # --- slots -------------------------------------------------------------------------

    def _on_year_box_changed(self, _index: int) -> None:
        year = self.year_box.currentData()
        if year is None or year == self._year:
            return
        if not self.confirm_leave():
            self.year_box.blockSignals(True)
            self.year_box.setCurrentIndex(self.year_box.findData(self._year))
            self.year_box.blockSignals(False)
            return
        self._show_year(year)

    def _on_tab_changed(self, key: Tab) -> None:
        self._stale |= set(self.step_tabs) - {key}
        self._fill_years()  # a movement or session of a new year makes the year choosable
        self.overview.reload()

    def _on_packages_changed(self) -> None:
        """An acknowledgement moved nominations (a package exported changes their sending status)."""
        self._stale = set(self.step_tabs)
        self.overview.reload()

    def _on_tabs_current_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.overview:
            self.overview.reload()  # the register or the settings may have changed meanwhile
        elif self.tabs.currentWidget() is self.packages_page:
            self.packages.reload()  # packages of every year: an export elsewhere, a new nomination
        else:
            self._refresh_current()

    # --- helpers -----------------------------------------------------------------------

    def _show_year(self, year: int) -> None:
        self._year = year
        self._stale.clear()
        self.overview.set_year(year)
        for tab in self.step_tabs.values():
            tab.set_year(year)

    def _refresh_current(self) -> None:
        if self.current_tab() is self.packages:
            self.packages.reload()
        for key, tab in self.step_tabs.items():
            if tab is self.current_tab() and key in self._stale:
                self._stale.discard(key)
                tab.set_year(self._year)

    def _fill_years(self, extra: int | None = None) -> None:
        """The years with data, the current year and the year shown, newest first."""
        years = set(self._services.year_overview.years(self._today())) | {self._year}
        if extra is not None:
            years.add(extra)
        wanted = sorted(years, reverse=True)
        if [self.year_box.itemData(i) for i in range(self.year_box.count())] == wanted:
            return
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in wanted:
            self.year_box.addItem(str(year), year)
        self.year_box.setCurrentIndex(self.year_box.findData(self._year))
        self.year_box.blockSignals(False)


def _scrolling(tab: QWidget) -> QScrollArea:
    """A tab in a scroll area: one wider than a small screen scrolls instead of widening the window."""
    page = QScrollArea()
    page.setWidgetResizable(True)
    page.setFrameShape(QFrame.Shape.NoFrame)
    page.setWidget(tab)
    return page
