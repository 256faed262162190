"""Recording an appraisal review: the review and its objectives come back from `value()`, Save
waits (saying why) until the form is valid, nothing is written, and the next portfolio shows it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from pdf_sample import EXPORT_DAY, PERIOD, build_sample, pdf_text
from portfolio_app.domain.records import Goal, Review
from portfolio_app.domain.validation import InvalidInput
from portfolio_app.export.pdf import ExportOptions, export_pdf
from portfolio_app.services import AppServices
from portfolio_app.ui.dialogs.review_dialog import ReviewDialog

from .helpers import find_by_name, walk_unnamed

TODAY = date(2026, 11, 20)
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def dialog(qtbot: QtBot, with_profile: AppServices) -> ReviewDialog:
    made = ReviewDialog(with_profile, None, today=TODAY)
    qtbot.addWidget(made)
    return made


def fill(dialog: ReviewDialog, qtbot: QtBot) -> None:
    dialog.date_edit.setDate(QDate(2026, 11, 12))
    dialog.name_edit.setText("Sam Okoro")
    dialog.role_edit.setText("Head of adult services")
    dialog.comments_edit.setPlainText("Strong year; go further with the police.")


def add(dialog: ReviewDialog, qtbot: QtBot, title: str, sectors: list[str]) -> None:
    dialog.objective_title.setText(title)
    dialog.objective_sectors.set_selected(sectors)
    dialog.add_button.click()


def test_every_control_has_an_accessible_name(dialog: ReviewDialog) -> None:
    dialog.show()
    assert walk_unnamed(dialog) == []
    for name in ("Date of the review", "Reviewer's name", "Reviewer's role", "Agreed objectives"):
        find_by_name(dialog, name)


def test_save_waits_for_the_reviewers_name_and_says_why(dialog: ReviewDialog) -> None:
    assert not dialog.save_button.isEnabled()
    assert "Reviewer's name is required" in dialog.save_button.toolTip()
    assert not dialog.add_button.isEnabled()
    with pytest.raises(InvalidInput):
        dialog.value()


def test_the_review_and_its_objectives(
    dialog: ReviewDialog, qtbot: QtBot, with_profile: AppServices
) -> None:
    fill(dialog, qtbot)
    add(dialog, qtbot, "Shadow the police hub", ["police"])
    dialog.has_target.setChecked(False)
    add(dialog, qtbot, "Learn how ICBs commission", ["integrated-care-boards", "nhs"])
    assert dialog.save_button.isEnabled(), dialog.save_button.toolTip()
    review, goals = dialog.value()
    assert review == Review(
        date(2026, 11, 12),
        "Sam Okoro",
        "Head of adult services",
        "Strong year; go further with the police.",
    )
    assert goals == [
        Goal("Shadow the police hub", ("police",), date(2027, 11, 20)),
        Goal("Learn how ICBs commission", ("integrated-care-boards", "nhs"), None),
    ]
    assert dialog.objectives_model.rowCount() == 2
    assert "Police" in dialog.objectives_model.item(0).text()
    assert with_profile.reviews.list_all() == [] and with_profile.goals.list_all() == []


def test_an_objective_needs_a_title_and_a_sector(dialog: ReviewDialog, qtbot: QtBot) -> None:
    dialog.objective_title.setText("Reach housing")
    assert not dialog.add_button.isEnabled()
    assert "choose at least one sector" in dialog.add_button.toolTip()
    dialog.objective_sectors.set_selected(["housing-associations"])
    assert dialog.add_button.isEnabled()


def test_an_objective_started_but_not_added_blocks_save(dialog: ReviewDialog, qtbot: QtBot) -> None:
    fill(dialog, qtbot)
    assert dialog.save_button.isEnabled()
    dialog.objective_title.setText("Half typed")
    assert not dialog.save_button.isEnabled()
    assert "Add the objective you started" in dialog.save_button.toolTip()
    dialog.objective_title.clear()
    assert dialog.save_button.isEnabled()


def test_remove_an_objective(dialog: ReviewDialog, qtbot: QtBot) -> None:
    fill(dialog, qtbot)
    add(dialog, qtbot, "One", ["police"])
    add(dialog, qtbot, "Two", ["education"])
    dialog.objectives_view.setCurrentIndex(dialog.objectives_model.index(0, 0))
    assert dialog.remove_button.isEnabled()
    dialog.remove_button.click()
    assert [g.title for g in dialog.value()[1]] == ["Two"]


def test_a_review_cannot_be_in_the_future(dialog: ReviewDialog, qtbot: QtBot) -> None:
    fill(dialog, qtbot)
    dialog.date_edit.setDate(QDate(2026, 12, 1))
    assert not dialog.save_button.isEnabled()
    assert "in the future" in dialog.save_button.toolTip()


def test_names_in_any_script(dialog: ReviewDialog, qtbot: QtBot) -> None:
    fill(dialog, qtbot)
    dialog.name_edit.setText("Siân Łukasz Юлия")
    assert dialog.value()[0].reviewer_name == "Siân Łukasz Юлия"


def test_the_next_portfolio_shows_the_recorded_review(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    build_sample(services)
    dialog = ReviewDialog(services, None, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.date_edit.setDate(QDate(2026, 2, 1))
    dialog.name_edit.setText("Sam Okoro")
    dialog.comments_edit.setPlainText("Commentmarker from the review.")
    add(dialog, qtbot, "Objectivemarker: reach the police", ["police"])
    review, goals = dialog.value()
    services.reviews.create(review, goals)
    out = tmp_path / "next.pdf"
    export_pdf(services, ExportOptions(PERIOD, export_date=EXPORT_DAY), out)
    text = pdf_text(out)
    assert "The last review: 1 Feb 2026" in text
    assert "Reviewer: Sam Okoro" in text
    assert "Commentmarker from the review." in text
    assert "Objectivemarker: reach the police" in text
