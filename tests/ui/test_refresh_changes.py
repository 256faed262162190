"""A command refreshes only the views its kind of entry affects (services/changes.py); an
import or another program's change refreshes everything."""

from __future__ import annotations

from collections import Counter

import pytest

from portfolio_app.domain.records import Goal, Lesson, Organisation
from portfolio_app.services import AppServices
from portfolio_app.ui.main_window import MainWindow

from .conftest import MakeWindowType


class Refreshes:
    """Which views the window refreshed since the last `take`."""

    def __init__(self, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: Counter[str] = Counter()
        for page in window.all_pages():
            page.model.modelAboutToBeReset.connect(lambda view=page.view: self.seen.update([view]))
        monkeypatch.setattr(window.breadth_page, "reload", lambda: self.seen.update(["score"]))

    def take(self) -> set[str]:
        seen, self.seen = set(self.seen), Counter()
        return seen


def test_each_kind_refreshes_only_the_views_it_affects(
    demo_services: AppServices, make_window: MakeWindowType, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(demo_services)
    refreshes = Refreshes(window, monkeypatch)
    organisations = window.organisations_page.model.rowCount()

    window.add_record("organisation", Organisation("Ysgol Siân", "education"))
    assert refreshes.take() == {"organisations", "activities", "contacts", "score"}
    assert window.organisations_page.model.rowCount() == organisations + 1
    assert f"{organisations + 1} organisations" in window.count_label.text()
    assert window.organisations_page.current_id() is not None  # the new one, selected

    window.add_record("goal", Goal("Reach Zoë's police force", ("police",)))
    assert refreshes.take() == {"score"}

    lessons = window.lessons_page.model.rowCount()
    window.add_record("lesson", Lesson("Łukasz's handover"))
    assert refreshes.take() == {"lessons", "activities"}
    assert window.lessons_page.model.rowCount() == lessons + 1
    window.undo_stack.undo()
    assert refreshes.take() == {"lessons", "activities"}
    assert window.lessons_page.model.rowCount() == lessons

    window.reload()  # imports and other programs' changes: everything
    assert refreshes.take() == {"activities", "lessons", "organisations", "contacts", "score"}


def test_a_refresh_keeps_each_pages_selection(
    demo_services: AppServices, make_window: MakeWindowType
) -> None:
    window = make_window(demo_services)
    chosen = {}
    for page in window.all_pages():
        record_id = page.model.id_at(page.model.rowCount() - 1)
        assert record_id is not None
        page.select_id(record_id)
        chosen[page.view] = record_id
    window.add_record("organisation", Organisation("Zoë's new trust", "acute-trusts"))
    window.organisations_page.select_id(chosen["organisations"])
    window.reload()
    assert {page.view: page.current_id() for page in window.all_pages()} == chosen
