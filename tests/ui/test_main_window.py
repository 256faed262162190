"""The main window driven as a user would: dialogs, undo, keyboard, search, filters, settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QDialog, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from portfolio_app.domain.enums import ActivityType, Visibility
from portfolio_app.domain.records import Activity, Contact, ContactRole
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog
from portfolio_app.ui.dialogs.contact_dialog import ContactDialog
from portfolio_app.ui.dialogs.lesson_dialog import LessonDialog
from portfolio_app.ui.dialogs.organisation_dialog import OrganisationDialog
from portfolio_app.ui.main_window import MainWindow
from portfolio_app.ui.models.record_table_model import ID_ROLE
from portfolio_app.ui.views.entity_page import EntityPage

from .conftest import FakePrompts
from .helpers import find_by_name

MakeWindow = Callable[[AppServices], MainWindow]


def _dialog(window: MainWindow, kind: type[QDialog]) -> QDialog:
    dialogs = [d for d in window.findChildren(kind) if d.isVisible()]
    assert len(dialogs) == 1, f"expected one open {kind.__name__}, found {len(dialogs)}"
    return dialogs[0]


def _save(qtbot: QtBot, dialog: QDialog) -> None:
    button = find_by_name(dialog, "Save", QPushButton)
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def _titles(page: EntityPage, column: int = 0) -> list[str]:
    proxy = page.model
    return [str(proxy.index(r, column).data()) for r in range(proxy.rowCount())]


def _select(page: EntityPage, record_id: int) -> None:
    page.select_id(record_id)
    assert page.current_id() == record_id


# --- create, edit, delete and undo each kind of record -------------------------------------


def test_activity_create_edit_delete_and_undo(
    qtbot: QtBot, with_profile: AppServices, make_window: MakeWindow, prompts: FakePrompts
) -> None:
    window = make_window(with_profile)
    window.show_page(1)
    page = window.activities_page
    assert page.stack.currentWidget() is page.empty  # a helpful line, not a blank table

    window.new_activity_action.trigger()
    dialog = _dialog(window, ActivityDialog)
    find_by_name(dialog, "Title", QLineEdit).setText("Shadowed a district nurse")
    _save(qtbot, dialog)
    [created] = with_profile.activities.list_all()
    assert created.title == "Shadowed a district nurse"
    assert _titles(page, 2) == ["Shadowed a district nurse"]
    assert page.current_id() == created.id

    assert created.id is not None
    _select(page, created.id)
    window.open_action.trigger()
    dialog = _dialog(window, ActivityDialog)
    find_by_name(dialog, "Title", QLineEdit).setText("Shadowed Siân, a district nurse")
    _save(qtbot, dialog)
    assert with_profile.activities.get(created.id).title == "Shadowed Siân, a district nurse"

    window.delete_action.trigger()
    assert "Shadowed Siân, a district nurse" in prompts.confirmations[-1]
    assert with_profile.activities.list_all() == []

    window.undo_stack.undo()  # the delete
    assert with_profile.activities.get(created.id).title == "Shadowed Siân, a district nurse"
    window.undo_stack.undo()  # the edit
    assert with_profile.activities.get(created.id).title == "Shadowed a district nurse"
    window.undo_stack.undo()  # the add
    assert with_profile.activities.list_all() == []
    assert page.stack.currentWidget() is page.empty
    for _ in range(3):
        window.undo_stack.redo()
    assert with_profile.activities.list_all() == []  # redo re-applied the delete
    window.undo_stack.undo()
    assert _titles(page, 2) == ["Shadowed Siân, a district nurse"]


def test_delete_can_be_cancelled(
    with_profile: AppServices, make_window: MakeWindow, prompts: FakePrompts
) -> None:
    activity = with_profile.activities.create(
        Activity(ActivityType.TRAINING, "Keep me", date(2026, 2, 2))
    )
    window = make_window(with_profile)
    assert activity.id is not None
    _select(window.activities_page, activity.id)
    prompts.confirm_answer = False
    window.delete_action.trigger()
    assert [a.title for a in with_profile.activities.list_all()] == ["Keep me"]
    assert window.undo_stack.count() == 0


def test_lesson_create_edit_delete_and_undo(
    qtbot: QtBot, with_profile: AppServices, make_window: MakeWindow
) -> None:
    window = make_window(with_profile)
    window.show_page(2)
    window.new_lesson_action.trigger()
    dialog = _dialog(window, LessonDialog)
    find_by_name(dialog, "Title", QLineEdit).setText("Agree a glossary first")
    find_by_name(dialog, "What did not work").setPlainText("We used different words for risk.")  # type: ignore[attr-defined]
    find_by_name(dialog, "Next step: share in portfolio", QCheckBox).setChecked(True)
    find_by_name(dialog, "Next step").setPlainText("Draft a shared glossary.")  # type: ignore[attr-defined]
    _save(qtbot, dialog)
    [lesson] = with_profile.lessons.list_all()
    assert lesson.title == "Agree a glossary first"
    assert list(lesson.shared_sections().values()) == ["Draft a shared glossary."]

    page = window.lessons_page
    assert lesson.id is not None
    _select(page, lesson.id)
    window.open_action.trigger()
    dialog = _dialog(window, LessonDialog)
    find_by_name(dialog, "Title", QLineEdit).setText("Agree a glossary in week one")
    _save(qtbot, dialog)
    assert with_profile.lessons.get(lesson.id).title == "Agree a glossary in week one"

    window.delete_action.trigger()
    assert with_profile.lessons.list_all() == []
    window.undo_stack.undo()
    restored = with_profile.lessons.get(lesson.id)
    assert restored.title == "Agree a glossary in week one"
    assert restored.shared_sections() == lesson.shared_sections()
    window.undo_stack.undo()
    assert with_profile.lessons.get(lesson.id).title == "Agree a glossary first"


def test_organisation_create_edit_delete_and_undo(
    qtbot: QtBot, with_profile: AppServices, make_window: MakeWindow, prompts: FakePrompts
) -> None:
    window = make_window(with_profile)
    window.show_page(3)
    window.new_organisation_action.trigger()
    dialog = _dialog(window, OrganisationDialog)
    find_by_name(dialog, "Name", QLineEdit).setText("Łukasz's Care Home")
    save = find_by_name(dialog, "Save", QPushButton)
    assert not save.isEnabled()  # no sector chosen yet
    assert "sector" in save.toolTip().lower()
    find_by_name(dialog, "Sector search", QLineEdit).setText("nursing home")
    dialog.sector_picker.set_selected(["care-homes"])  # type: ignore[attr-defined]
    _save(qtbot, dialog)
    created = with_profile.organisations.find_by_name("Łukasz's Care Home")
    assert created is not None and created.sector_id == "care-homes"
    assert created.id is not None

    activity = with_profile.activities.create(
        Activity(ActivityType.SHADOWING, "Visit", date(2026, 1, 8), organisation_ids=(created.id,))
    )
    page = window.organisations_page
    _select(page, created.id)
    window.open_action.trigger()
    dialog = _dialog(window, OrganisationDialog)
    find_by_name(dialog, "Name", QLineEdit).setText("Łukasz's Nursing Home")
    _save(qtbot, dialog)
    assert with_profile.organisations.get(created.id).name == "Łukasz's Nursing Home"

    window.delete_action.trigger()
    assert "linked to 1 activity" in prompts.confirmations[-1]
    assert with_profile.activities.get(activity.id or 0).organisation_ids == ()
    window.undo_stack.undo()
    assert with_profile.activities.get(activity.id or 0).organisation_ids == (created.id,)
    window.undo_stack.undo()
    assert with_profile.organisations.get(created.id).name == "Łukasz's Care Home"


def test_home_organisation_cannot_be_deleted(
    with_profile: AppServices, make_window: MakeWindow, prompts: FakePrompts
) -> None:
    window = make_window(with_profile)
    home = with_profile.profile.require()
    window.show_page(3)
    _select(window.organisations_page, home.home_organisation_id)
    window.delete_action.trigger()
    assert prompts.errors and "home organisation" in prompts.errors[-1]
    assert with_profile.organisations.get(home.home_organisation_id).name == home.home_organisation


def test_contact_create_edit_delete_and_undo(
    qtbot: QtBot, with_profile: AppServices, make_window: MakeWindow, prompts: FakePrompts
) -> None:
    home = with_profile.profile.require()
    window = make_window(with_profile)
    window.show_page(3)
    window.new_contact_action.trigger()
    dialog = _dialog(window, ContactDialog)
    find_by_name(dialog, "Name", QLineEdit).setText("Zoë Clarke")
    _save(qtbot, dialog)
    [contact] = with_profile.contacts.list_all()
    assert contact.name == "Zoë Clarke" and contact.id is not None

    with_profile.contacts.update(
        Contact(
            "Zoë Clarke", roles=(ContactRole(home.home_organisation_id, "Nurse"),), id=contact.id
        )
    )
    with_profile.activities.create(
        Activity(ActivityType.SHADOWING, "Visit", date(2026, 1, 8), contact_ids=(contact.id,))
    )
    window.reload()
    page = window.contacts_page
    _select(page, contact.id)
    page.table.setFocus()
    window.open_action.trigger()
    dialog = _dialog(window, ContactDialog)
    find_by_name(dialog, "Notes").setPlainText("Moved to the ICB in 2025.")  # type: ignore[attr-defined]
    _save(qtbot, dialog)
    assert with_profile.contacts.get(contact.id).notes == "Moved to the ICB in 2025."

    page.table.setFocus()
    window.delete_action.trigger()
    assert "linked to 1 activity" in prompts.confirmations[-1]
    assert with_profile.contacts.list_all() == []
    window.undo_stack.undo()
    restored = with_profile.contacts.get(contact.id)
    assert restored.roles and restored.notes == "Moved to the ICB in 2025."
    window.undo_stack.undo()
    assert with_profile.contacts.get(contact.id).notes == ""


def test_invalid_input_keeps_save_disabled_with_the_reason(
    with_profile: AppServices, make_window: MakeWindow
) -> None:
    window = make_window(with_profile)
    window.new_activity_action.trigger()
    dialog = _dialog(window, ActivityDialog)
    save = find_by_name(dialog, "Save", QPushButton)
    assert not save.isEnabled()
    assert "Title is required" in save.toolTip()
    find_by_name(dialog, "Title", QLineEdit).setText("Joint visit")
    find_by_name(dialog, "Hours", QLineEdit).setText("-3")
    assert not save.isEnabled()
    assert "0 or more" in save.toolTip()
    find_by_name(dialog, "Hours", QLineEdit).setText("3")
    assert save.isEnabled()
    dialog.reject()
    assert with_profile.activities.list_all() == []


# --- persistence and settings --------------------------------------------------------------


def test_data_and_layout_survive_closing_and_reopening(
    qtbot: QtBot, paths: AppPaths, with_profile: AppServices
) -> None:
    with_profile.activities.create(Activity(ActivityType.TRAINING, "Stays", date(2026, 3, 3)))
    window = MainWindow(with_profile, prompts=FakePrompts())
    qtbot.addWidget(window)
    window.show()
    window.resize(window.width(), 555)  # the offscreen screen is 800 px wide: vary the height
    window.people_splitter.setSizes([300, 700])
    people_sizes = window.people_splitter.sizes()
    window.activities_page.table.setColumnWidth(2, 333)
    window.show_page(1)
    window.nav.setCurrentIndex(window.nav_model.index(1, 0))
    window.close()
    with_profile.close()

    reopened_services = open_services(paths)
    try:
        again = MainWindow(reopened_services, prompts=FakePrompts())
        qtbot.addWidget(again)
        again.show()
        assert again.size().height() == 555
        assert again.people_splitter.sizes() == people_sizes
        assert again.activities_page.table.columnWidth(2) == 333
        assert again.pages.currentIndex() == 1
        assert _titles(again.activities_page, 2) == ["Stays"]
        again.close()
    finally:
        reopened_services.close()


# --- search, filters and sorting -----------------------------------------------------------


def test_search_and_filters_narrow_the_activity_table(
    demo_services: AppServices, make_window: MakeWindow
) -> None:
    window = make_window(demo_services)
    page = window.activities_page
    total = page.model.rowCount()
    assert total == len(demo_services.activities.list_all()) > 30

    page.search.setText("police")
    narrowed = page.model.rowCount()
    assert 0 < narrowed < total
    page.search.setText("police zzzz-no-such-word")
    assert page.model.rowCount() == 0
    assert page.stack.currentWidget() is page.empty
    assert "match" in page.empty.text()
    page.search.setText("")
    assert page.model.rowCount() == total

    page.type_filter.setCurrentIndex(page.type_filter.findData(ActivityType.SECONDMENT.value))
    rows = demo_services.activities.rows()
    expected = sum(1 for r in rows if r.activity.type is ActivityType.SECONDMENT)
    assert page.model.rowCount() == expected >= 1
    page.type_filter.setCurrentIndex(0)

    # A top-level sector includes its sub-sectors.
    page.sector_filter.setCurrentIndex(page.sector_filter.findData("nhs"))
    nhs = page.model.rowCount()
    page.sector_filter.setCurrentIndex(page.sector_filter.findData("integrated-care-boards"))
    icb = page.model.rowCount()
    assert 0 < icb < nhs < total
    page.sector_filter.setCurrentIndex(0)

    page.visibility_filter.setCurrentIndex(page.visibility_filter.findData("shared"))
    shared = sum(1 for r in rows if r.activity.visibility is Visibility.SHARED)
    assert page.model.rowCount() == shared
    page.visibility_filter.setCurrentIndex(0)

    page.dates_enabled.setChecked(True)
    page.date_from.setDate(QDate(2026, 1, 1))
    page.date_to.setDate(QDate(2026, 3, 31))
    in_range = sum(
        1
        for r in rows
        if r.activity.last_day >= date(2026, 1, 1) and r.activity.start <= date(2026, 3, 31)
    )
    assert page.model.rowCount() == in_range
    assert 0 < in_range < total
    page.dates_enabled.setChecked(False)
    assert page.model.rowCount() == total


def test_search_works_on_every_page(demo_services: AppServices, make_window: MakeWindow) -> None:
    window = make_window(demo_services)
    for page, word in (
        (window.lessons_page, "anonymised"),
        (window.organisations_page, "Northshire"),
        (window.contacts_page, "Siân"),
    ):
        total = page.model.rowCount()
        page.search.setText(word)
        assert 0 < page.model.rowCount() <= total, page.name
        page.search.setText("no-such-thing-anywhere")
        assert page.model.rowCount() == 0, page.name


def test_sorting_by_each_column(demo_services: AppServices, make_window: MakeWindow) -> None:
    window = make_window(demo_services)
    page = window.activities_page
    records = demo_services.activities.rows()
    starts = [r.activity.start for r in records]
    shown = [page.model.data(page.model.index(r, 0), ID_ROLE) for r in range(page.model.rowCount())]
    by_id = {r.activity.id: r.activity.start for r in records}
    assert [by_id[i] for i in shown] == sorted(starts, reverse=True)  # newest first by default

    page.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    titles = _titles(page, 2)
    assert titles == sorted(titles, key=str.casefold)
    page.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert _titles(page, 2) == sorted(titles, key=str.casefold, reverse=True)

    organisations = window.organisations_page
    organisations.table.sortByColumn(
        3, Qt.SortOrder.DescendingOrder
    )  # activity counts, numerically
    counts = [int(c) for c in _titles(organisations, 3)]
    assert counts == sorted(counts, reverse=True)


# --- keyboard ------------------------------------------------------------------------------


def test_keyboard_shortcuts(
    qtbot: QtBot, demo_services: AppServices, make_window: MakeWindow, prompts: FakePrompts
) -> None:
    window = make_window(demo_services)
    window.activateWindow()
    page = window.activities_page
    assert window.new_activity_action.shortcut().toString() == "Ctrl+N"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Shift+Z" in [s.toString() for s in window.redo_action.shortcuts()]
    assert window.find_action.shortcut().toString() == "Ctrl+F"

    first = page.model.data(page.model.index(0, 0), ID_ROLE)
    page.select_id(first)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = _dialog(window, ActivityDialog)
    assert dialog.value().id == first  # type: ignore[attr-defined]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    page.table.setFocus()
    prompts.confirm_answer = False
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert prompts.confirmations, "Delete on the table asks for confirmation"


# --- first run and demo --------------------------------------------------------------------


def test_demo_window_is_marked_as_a_demo(qtbot: QtBot, demo_services: AppServices) -> None:
    window = MainWindow(demo_services, prompts=FakePrompts(), demo=True)
    qtbot.addWidget(window)
    assert "DEMO" in window.windowTitle()
    banner = find_by_name(window, "Demo banner")
    assert "demo profile" in banner.text()  # type: ignore[attr-defined]
    plain = MainWindow(demo_services, prompts=FakePrompts())
    qtbot.addWidget(plain)
    assert "DEMO" not in plain.windowTitle()
    with pytest.raises(LookupError):
        find_by_name(plain, "Demo banner")


def test_first_run_dialog_sets_up_the_profile(qtbot: QtBot, services: AppServices) -> None:
    from portfolio_app.ui.first_run import FirstRunChoice, FirstRunDialog

    dialog = FirstRunDialog(services.taxonomy)
    qtbot.addWidget(dialog)
    start = find_by_name(dialog, "Start my portfolio", QPushButton)
    assert not start.isEnabled() and "name" in start.toolTip()
    find_by_name(dialog, "Your name", QLineEdit).setText("Siân Ødegård")
    find_by_name(dialog, "Your role", QLineEdit).setText("Work coach")
    find_by_name(dialog, "Home organisation", QLineEdit).setText("Millbridge Jobcentre")
    dialog.sector.set_selected(["employment-services"])
    assert start.isEnabled()
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    assert dialog.choice is FirstRunChoice.SET_UP
    values = dialog.values()
    services.profile.set_up(
        name=values["name"],
        role=values["role"],
        organisation=values["organisation"],
        sector=values["sector"],
    )
    profile = services.profile.require()
    assert (profile.name, profile.home_sector_id) == ("Siân Ødegård", "employment-services")


def test_open_demo_keeps_sample_data_in_its_own_folder(tmp_path: Path) -> None:
    from portfolio_app.ui.app import open_demo

    paths = AppPaths.resolve(tmp_path / "untouched")  # no database yet, unlike the `paths` fixture
    demo = open_demo(paths, date(2026, 11, 1))
    try:
        assert demo.paths.data_dir == paths.demo_data_dir != paths.data_dir
        count = len(demo.activities.list_all())
        assert count >= 30
    finally:
        demo.close()
    assert not paths.data_dir.exists()  # the real data dir was not touched
    again = open_demo(paths, date(2026, 11, 1))  # reopening does not add the data twice
    try:
        assert len(again.activities.list_all()) == count
    finally:
        again.close()


@pytest.mark.parametrize("page_row", [0, 1, 2, 3])
def test_new_lesson_from_a_selected_activity_is_linked_to_it(
    page_row: int, demo_services: AppServices, make_window: MakeWindow
) -> None:
    window = make_window(demo_services)
    page = window.activities_page
    first = page.model.data(page.model.index(0, 0), ID_ROLE)
    page.select_id(first)
    window.show_page(page_row)
    window.new_lesson_action.trigger()
    dialog = _dialog(window, LessonDialog)
    combo = find_by_name(dialog, "Linked activity", QComboBox)
    linked = combo.currentData()
    assert (linked == first) if page_row == 1 else (linked is None)
    dialog.reject()
    QApplication.processEvents()


def test_delete_key_in_the_search_box_edits_text_and_deletes_nothing(
    qtbot: QtBot, demo_services: AppServices, make_window: MakeWindow, prompts: FakePrompts
) -> None:
    window = make_window(demo_services)
    window.activateWindow()
    page = window.activities_page
    page.select_id(page.model.data(page.model.index(0, 0), ID_ROLE))
    page.search.setText("abc")
    page.search.setFocus()
    page.search.setCursorPosition(0)
    qtbot.keyClick(page.search, Qt.Key.Key_Delete)
    assert page.search.text() == "bc"
    assert prompts.confirmations == []


# --- appraisal: export and review ----------------------------------------------------------


def test_export_portfolio_opens_from_the_file_menu(
    with_profile: AppServices, make_window: MakeWindow
) -> None:
    from portfolio_app.ui.export_dialog import ExportDialog

    window = make_window(with_profile)
    assert window.export_pdf_action.shortcut().toString() == "Ctrl+E"
    window.export_pdf_action.trigger()
    dialog = _dialog(window, ExportDialog)
    dialog.reject()


def test_recording_a_review_saves_it_with_its_goals_and_undoes_as_one_step(
    qtbot: QtBot, with_profile: AppServices, make_window: MakeWindow
) -> None:
    from portfolio_app.ui.dialogs.review_dialog import ReviewDialog

    window = make_window(with_profile)
    window.review_action.trigger()
    dialog = _dialog(window, ReviewDialog)
    dialog.name_edit.setText("Sam Okoro")  # type: ignore[attr-defined]
    dialog.objective_title.setText("Shadow the police hub")  # type: ignore[attr-defined]
    dialog.objective_sectors.set_selected(["police"])  # type: ignore[attr-defined]
    dialog.add_button.click()  # type: ignore[attr-defined]
    _save(qtbot, dialog)
    [review] = with_profile.reviews.list_all()
    assert review.reviewer_name == "Sam Okoro"
    [goal] = with_profile.goals.list_all()
    assert goal.review_id == review.id and goal.sector_ids == ("police",)

    window.undo_stack.undo()
    assert with_profile.reviews.list_all() == [] and with_profile.goals.list_all() == []
    window.undo_stack.redo()
    assert with_profile.reviews.list_all() == [review]
    assert with_profile.goals.list_all() == [goal]
