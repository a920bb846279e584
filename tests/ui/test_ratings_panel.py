"""The ratings panel while «Lưu» runs in the background: the table stays editable, and a
rating typed meanwhile is neither lost nor taken as saved."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot

from app.history import RatingRecord
from app.services import Services
from app.subject_data import IndividualData
from ui.ratings_panel import RatingsPanel
from ui.ratings_table import RatingColumn

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

YEAR = 2025


@pytest.fixture
def panel(qtbot: QtBot, services: Services, write_pool: QThreadPool) -> RatingsPanel:
    for name, rating in (("Nguyễn Thị Tốt", "tot"), ("Trần Văn Chưa", None), ("Lê Văn Kém", "kht")):
        subject_id = services.subjects.create(IndividualData(
            name, "female", employment="cong_chuc", employment_start=date(2015, 1, 1))).id
        if rating:
            services.history.save(subject_id, RatingRecord(YEAR, rating))
    widget = RatingsPanel(services, write_pool)
    qtbot.addWidget(widget, before_close_func=lambda _w: write_pool.waitForDone())
    widget.show()
    widget.set_year(YEAR)
    return widget


def _rate(panel: RatingsPanel, name: str, code: str) -> None:
    model = panel.model
    row = next(i for i, r in enumerate(model.rows()) if r.name == name)
    assert model.setData(model.index(row, RatingColumn.RATING), code)


def _stored(services: Services) -> dict[str, str | None]:
    return {r.name: r.rating for r in services.review.ratings(YEAR)}


def _typed(panel: RatingsPanel) -> dict[str, str | None]:
    names = {r.subject_id: r.name for r in panel.model.rows()}
    return {names[subject_id]: code for subject_id, code in panel.model.changes()}


def test_ratings_typed_while_saving_stay_unsaved_after_the_save(qtbot: QtBot, panel: RatingsPanel,
                                                                services: Services) -> None:
    _rate(panel, "Trần Văn Chưa", "htxs")
    _rate(panel, "Nguyễn Thị Tốt", "htxs")
    with qtbot.waitSignal(panel.saved):
        panel.save()  # the write runs on the pool; its result comes back through the event loop
        assert panel.table.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
        _rate(panel, "Lê Văn Kém", "tot")  # another person, typed meanwhile
        _rate(panel, "Nguyễn Thị Tốt", "ht")  # one being saved, changed again
    assert _stored(services) == {"Nguyễn Thị Tốt": "htxs", "Trần Văn Chưa": "htxs", "Lê Văn Kém": "kht"}
    assert _typed(panel) == {"Lê Văn Kém": "tot", "Nguyễn Thị Tốt": "ht"}
    assert panel.save_button.isEnabled()
    with qtbot.waitSignal(panel.saved):
        panel.save_button.click()
    assert _stored(services) == {"Nguyễn Thị Tốt": "ht", "Trần Văn Chưa": "htxs", "Lê Văn Kém": "tot"}
    assert not panel.has_unsaved_changes() and not panel.save_button.isEnabled()


def test_a_rating_saved_then_typed_back_to_the_same_value_is_taken_as_saved(qtbot: QtBot, panel: RatingsPanel,
                                                                            services: Services) -> None:
    _rate(panel, "Trần Văn Chưa", "tot")
    with qtbot.waitSignal(panel.saved):
        panel.save()
        _rate(panel, "Trần Văn Chưa", "ht")
        _rate(panel, "Trần Văn Chưa", "tot")  # back to what is being saved
    assert _stored(services)["Trần Văn Chưa"] == "tot"
    assert not panel.has_unsaved_changes()
