"""Goals in the export dialog's contents tree: shared ones start ticked, private ones start
unticked and marked private, the counts follow the one selection rule, and what is ticked is
what the PDF prints."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pdf_sample import Sample, add_review, build_sample, pdf_text
from portfolio_app.domain.enums import Visibility
from portfolio_app.domain.records import Goal
from portfolio_app.services import AppServices
from portfolio_app.ui.export_dialog import PRIVATE_ROLE, ExportDialog

from .conftest import FakePrompts

TODAY = date(2027, 1, 5)  # the default period (last 12 months) covers the sample's year
SECRET = "PRIVATE: I am thinking of leaving the council"
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def sample(services: AppServices) -> Sample:
    sample = build_sample(services)
    add_review(services)  # agrees "Goalmarker: ...", shared
    services.goals.create(Goal("Goalprivate leave", ("police",), notes=SECRET))
    services.goals.create(
        Goal("Goalshared reach", ("police",), notes="Goalsharednotes", visibility=Visibility.SHARED)
    )
    return sample


def goal_id(services: AppServices, title_start: str) -> int:
    goal = next(g for g in services.goals.list_all() if g.title.startswith(title_start))
    assert goal.id is not None
    return goal.id


def make_dialog(qtbot: QtBot, sample: Sample, prompts: FakePrompts) -> ExportDialog:
    dialog = ExportDialog(sample.services, None, prompts, today=TODAY)
    qtbot.addWidget(dialog)
    return dialog


def test_goals_are_listed_shared_ticked_private_unticked(
    qtbot: QtBot, sample: Sample, prompts: FakePrompts
) -> None:
    dialog = make_dialog(qtbot, sample, prompts)
    services = sample.services
    private = dialog.model.find_item(("goal", goal_id(services, "Goalprivate")))
    shared = dialog.model.find_item(("goal", goal_id(services, "Goalshared")))
    agreed = dialog.model.find_item(("goal", goal_id(services, "Goalmarker")))
    assert private is not None and shared is not None and agreed is not None
    assert private.checkState() == Qt.CheckState.Unchecked
    assert private.text().endswith("(private)") and private.data(PRIVATE_ROLE) is True
    assert "Private goal" in private.toolTip()
    assert shared.checkState() == Qt.CheckState.Checked and "(private)" not in shared.text()
    assert agreed.checkState() == Qt.CheckState.Checked and "agreed at the review" in agreed.text()
    options = dialog.options()
    assert options is not None and options.selection is not None
    assert options.selection.goal_ids == {
        goal_id(services, "Goalshared"),
        goal_id(services, "Goalmarker"),
    }
    assert dialog.contents_summary.text() == ("1 activity, 2 lessons and 2 goals will be included.")


def test_ticking_a_private_goal_counts_it_and_prints_it(
    qtbot: QtBot, sample: Sample, prompts: FakePrompts, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, sample, prompts)
    out = tmp_path / "default.pdf"
    prompts.save_path, prompts.confirm_answer = out, False
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30_000)
    text = pdf_text(out)
    assert "Goalshared" in text and "Goalsharednotes" in text and "Goalmarker" in text
    assert "Goalprivate" not in text and "leaving the council" not in text

    item = dialog.model.find_item(("goal", goal_id(sample.services, "Goalprivate")))
    assert item is not None
    index = dialog.model.indexFromItem(item)
    assert dialog.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert dialog.contents_summary.text() == (
        "1 activity, 2 lessons and 3 goals will be included, with 1 private item you ticked."
    )
    out = tmp_path / "with-goal.pdf"
    prompts.save_path = out
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30_000)
    assert prompts.errors == []
    text = pdf_text(out)
    assert "Goalprivate" in text and "leaving the council" in text

    dialog.model.reset_to_shared()
    assert item is not dialog.model.find_item(("goal", goal_id(sample.services, "Goalprivate")))
    again = dialog.model.find_item(("goal", goal_id(sample.services, "Goalprivate")))
    assert again is not None and again.checkState() == Qt.CheckState.Unchecked
