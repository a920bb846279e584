"""The annual review (bình xét) tab of the «Năm thi đua» view: «Xếp loại cuối năm» and
«Đề xuất bình xét».

Ratings typed and not saved are never lost silently: changing the year, or leaving the
ratings page or the tab (the year view asks `confirm_leave()` first), asks to save or drop
them.
"""

from __future__ import annotations

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from app.services import Services
from ui.candidates_panel import CandidatesPanel
from ui.ratings_panel import RatingsPanel

RATINGS_PAGE, CANDIDATES_PAGE = 0, 1


class ReviewTab(QWidget):
    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None,
                 write_pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        if write_pool is None:  # standalone: a single-writer pool of its own
            write_pool = QThreadPool(self)
            write_pool.setMaxThreadCount(1)
        self._pool = write_pool
        self.heading = QLabel()
        self.ratings = RatingsPanel(services, write_pool)
        self.candidates = CandidatesPanel(services, write_pool)
        self.pages = QTabWidget()
        self.pages.addTab(self.ratings, "Xếp loại cuối năm")
        self.pages.addTab(self.candidates, "Đề xuất bình xét")
        self.pages.currentChanged.connect(self._on_page_changed)
        self.ratings.saved.connect(self.changed)
        self.candidates.changed.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.pages, 1)

    def set_year(self, year: int) -> None:
        """Show `year`; unsaved ratings of the year shown are asked about first (kept when
        the officer cancels, the earlier year staying on screen)."""
        if self.ratings.year == year:  # the same year again: fresh rows, typed ratings kept
            self.ratings.reload()
            self.candidates.set_year(year)
            return
        if not self.ratings.confirm_leave():
            return
        self.heading.setText(f"Bình xét năm {year}")
        self.ratings.set_year(year)
        self.candidates.set_year(year)

    @property
    def year(self) -> int | None:
        return self.ratings.year

    def confirm_leave(self) -> bool:
        """Ask about ratings typed and not saved; False when the officer chose to stay."""
        return self.ratings.confirm_leave()

    def _on_page_changed(self, index: int) -> None:
        if index != CANDIDATES_PAGE:
            return
        # The checker reads saved ratings only: ask before the officer runs it on stale ones.
        if not self.ratings.confirm_leave():
            self.pages.setCurrentIndex(RATINGS_PAGE)
            return
        self.candidates.reload()
