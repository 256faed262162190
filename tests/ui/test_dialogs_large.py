"""The edit dialogs on the 10k data set (tests/large_dataset.py): the pickers list only what the
search finds and the records already chosen, found as typed (accents folded), picked with the
keyboard, and what is picked is saved. Behaviour only: timings are benchmarks/bench_dialogs.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListView, QPushButton, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from portfolio_app.paths import AppPaths
from portfolio_app.report import current_report_inputs
from portfolio_app.report.inputs import forget_report_inputs
from portfolio_app.services import AppServices, open_services
from portfolio_app.services.pickers import LIMIT, folded_words
from portfolio_app.ui.dashboard.score_job import ScoreJob
from portfolio_app.ui.dashboard.score_preview import WORKING, report_for
from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog
from portfolio_app.ui.dialogs.contact_dialog import ORGANISATION, ContactDialog
from portfolio_app.ui.dialogs.lesson_dialog import LessonDialog
from portfolio_app.ui.dialogs.organisation_dialog import OrganisationDialog
from portfolio_app.ui.widgets.record_picker import ID_ROLE

from .helpers import find_by_name

OFFSCREEN_SHOW = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def large(large_data_dir: Path) -> Iterator[AppServices]:
    services = open_services(AppPaths.resolve(large_data_dir))
    yield services
    services.close()


@pytest.fixture
def large_copy(large_paths: AppPaths) -> Iterator[AppServices]:
    services = open_services(large_paths)
    yield services
    services.close()


def _sql(services: AppServices, query: str, **params: object) -> list[object]:
    with services.db.transaction() as session:
        return [row[0] for row in session.execute(text(query), params)]


def _labels(view: QListView) -> list[str]:
    model = view.model()
    return [str(model.index(r, 0).data()) for r in range(model.rowCount())]


def _ids(view: QListView) -> list[int]:
    model = view.model()
    return [int(model.index(r, 0).data(ID_ROLE)) for r in range(model.rowCount())]


def _shown_with_focus(qtbot: QtBot, dialog: ActivityDialog, search_name: str) -> QLineEdit:
    """Show the dialog and put the focus in the search box named `search_name`."""
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    search = find_by_name(dialog, search_name, QLineEdit)
    search.setFocus()
    return search


def _linked_activity_id(services: AppServices) -> int:
    """An activity with at least two organisations and two contacts."""
    found = _sql(
        services,
        "SELECT a.id FROM activities a"
        " WHERE (SELECT count(*) FROM activity_organisations o WHERE o.activity_id = a.id) >= 2"
        " AND (SELECT count(*) FROM activity_contacts c WHERE c.activity_id = a.id) >= 2"
        " ORDER BY a.id LIMIT 1",
    )
    assert found, "the 10k set has activities with several organisations and contacts"
    return int(str(found[0]))


def test_a_new_activity_lists_a_page_of_each_not_everything(
    qtbot: QtBot, large: AppServices
) -> None:
    dialog = ActivityDialog(large)
    qtbot.addWidget(dialog)
    organisations = _labels(find_by_name(dialog, "Organisations", QListView))
    contacts = _labels(find_by_name(dialog, "Contacts", QListView))
    assert len(organisations) == LIMIT and len(contacts) == LIMIT
    first_names = _sql(large, "SELECT name FROM organisations ORDER BY name, id LIMIT 3")
    assert [label.split(" — ")[0] for label in organisations[:3]] == first_names
    assert dialog.organisations_list.checked_ids() == ()
    assert dialog.contacts_list.checked_ids() == ()


def test_an_existing_activity_shows_its_organisations_and_contacts(
    qtbot: QtBot, large: AppServices
) -> None:
    activity = large.activities.get(_linked_activity_id(large))
    dialog = ActivityDialog(large, activity)
    qtbot.addWidget(dialog)
    assert dialog.organisations_list.checked_ids() == activity.organisation_ids
    assert dialog.contacts_list.checked_ids() == activity.contact_ids
    for noun, ids, table in (
        ("organisations", activity.organisation_ids, "organisations"),
        ("contacts", activity.contact_ids, "contacts"),
    ):
        names = [_sql(large, f"SELECT name FROM {table} WHERE id = :i", i=i)[0] for i in ids]
        summary = find_by_name(dialog, f"Chosen {noun}").text()
        assert summary == f"{len(ids)} chosen: " + "; ".join(str(n) for n in names)
    assert dialog.value().contact_ids == activity.contact_ids  # unchanged when saved as is


@OFFSCREEN_SHOW
def test_sian_typed_without_accent_is_found_picked_with_keys_and_saved(
    qtbot: QtBot, large_copy: AppServices
) -> None:
    services = large_copy
    activity = services.activities.get(_linked_activity_id(services))
    dialog = ActivityDialog(services, activity)
    search = _shown_with_focus(qtbot, dialog, "Contacts filter")
    qtbot.keyClicks(search, "sian")
    found = _labels(find_by_name(dialog, "Contacts", QListView))
    assert found, "the 10k set has people called Siân"
    for contact_id in _ids(find_by_name(dialog, "Contacts", QListView)):  # by name, not notes
        name = _sql(services, "SELECT name FROM contacts WHERE id = :i", i=contact_id)[0]
        assert any(w.startswith("sian") for w in folded_words(str(name)))
    assert any(label.startswith("Siân ") for label in found)

    qtbot.keyClick(search, Qt.Key.Key_Down)  # the second match
    qtbot.keyClick(search, Qt.Key.Key_Return)  # ticks it; the dialog stays open
    assert dialog.isVisible()
    chosen_label = found[1]
    expected_id = _sql(
        services,
        "SELECT id FROM contacts WHERE name = :n ORDER BY id",
        n=chosen_label.split(" — ")[0],
    )
    assert dialog.contacts_list.checked_ids()[:-1] == activity.contact_ids
    new_id = dialog.contacts_list.checked_ids()[-1]
    assert new_id in expected_id and new_id not in activity.contact_ids
    assert chosen_label.split(" — ")[0] in find_by_name(dialog, "Chosen contacts").text()

    qtbot.keyClick(search, Qt.Key.Key_Escape)  # clears the search, keeps the dialog
    assert dialog.isVisible() and search.text() == ""
    assert new_id in dialog.contacts_list.checked_ids()  # the tick survives the new listing

    qtbot.mouseClick(find_by_name(dialog, "Save", QPushButton), Qt.MouseButton.LeftButton)
    services.activities.update(dialog.value())
    saved = services.activities.get(activity.id or 0)
    assert saved.contact_ids == (*activity.contact_ids, new_id)
    assert str(_sql(services, "SELECT name FROM contacts WHERE id = :i", i=new_id)[0]).startswith(
        "Siân"
    )


@OFFSCREEN_SHOW
def test_escape_in_the_search_keeps_the_dialog_open_then_closes_it(
    qtbot: QtBot, large: AppServices
) -> None:
    dialog = ActivityDialog(large)
    search = _shown_with_focus(qtbot, dialog, "Organisations filter")
    qtbot.keyClicks(search, "northsh")
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert dialog.isVisible() and search.text() == ""
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(search, Qt.Key.Key_Escape)  # on an empty search: closes as usual


def test_the_lesson_picker_finds_an_activity_by_a_word_of_its_title(
    qtbot: QtBot, large: AppServices
) -> None:
    dialog = LessonDialog(large)
    qtbot.addWidget(dialog)
    combo = find_by_name(dialog, "Linked activity", QComboBox)
    assert combo.count() == LIMIT + 1  # "stands alone" and the newest activities
    newest = _sql(large, "SELECT id FROM activities ORDER BY start_date DESC, id DESC LIMIT 2")
    assert [combo.itemData(1), combo.itemData(2)] == newest

    oldest_id, title = (
        _sql(large, f"SELECT {c} FROM activities ORDER BY start_date, id LIMIT 1")[0]
        for c in ("id", "title")
    )
    search = find_by_name(dialog, "Linked activity search", QLineEdit)
    word = max(folded_words(str(title)), key=len)
    qtbot.keyClicks(search, word)
    listed = [str(combo.itemText(i)) for i in range(1, combo.count())]
    assert listed and all(word in " ".join(folded_words(t)) for t in listed)
    assert combo.currentIndex() == 1  # typing chooses the first match

    search.clear()
    qtbot.keyClicks(search, str(title).lower())  # every word, any case: this one is listed
    ids = [combo.itemData(i) for i in range(combo.count())]
    assert oldest_id in ids
    for _ in range(combo.count()):  # Down through the matches to it
        if combo.currentData() == oldest_id:
            break
        qtbot.keyClick(search, Qt.Key.Key_Down)
    dialog.title_edit.setText("What I took from it")
    assert dialog.value().activity_id == oldest_id


def test_an_existing_lesson_opens_with_its_activity_shown(qtbot: QtBot, large: AppServices) -> None:
    # The lesson of the oldest linked activity: far beyond the newest ones listed first.
    lesson_id = _sql(
        large,
        "SELECT l.id FROM lessons l JOIN activities a ON a.id = l.activity_id"
        " ORDER BY a.start_date, a.id LIMIT 1",
    )[0]
    lesson = large.lessons.get(int(str(lesson_id)))
    dialog = LessonDialog(large, lesson)
    qtbot.addWidget(dialog)
    combo = find_by_name(dialog, "Linked activity", QComboBox)
    assert combo.currentData() == lesson.activity_id
    title = _sql(large, "SELECT title FROM activities WHERE id = :i", i=lesson.activity_id)[0]
    assert combo.currentText().endswith(f" — {title}")
    assert dialog.value().activity_id == lesson.activity_id


def _organisation_id(services: AppServices, name: str) -> int:
    return int(str(_sql(services, "SELECT id FROM organisations WHERE name = :n", n=name)[0]))


@OFFSCREEN_SHOW
def test_a_role_organisation_is_found_as_typed_picked_with_enter_and_saved(
    qtbot: QtBot, large_copy: AppServices
) -> None:
    services = large_copy
    dialog = ContactDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    find_by_name(dialog, "Name", QLineEdit).setText("Zoë Łaska-Ní Bhriain")  # keys: ASCII only
    qtbot.mouseClick(find_by_name(dialog, "Add role", QPushButton), Qt.MouseButton.LeftButton)
    search = find_by_name(dialog, "Organisation of role 1 search", QLineEdit)
    combo = find_by_name(dialog, "Organisation of role 1", QComboBox)
    assert combo.count() == LIMIT and combo.currentIndex() == -1  # a page, nothing chosen
    assert dialog.focusWidget() is search  # the editor opens ready to type

    qtbot.keyClicks(search, "bryn sion pol")  # no accent, any case, word starts
    listed = [combo.itemText(i) for i in range(combo.count())]
    assert listed and listed[0].startswith("Bryn Siôn Police — ")
    police = _organisation_id(services, "Bryn Siôn Police")
    assert combo.currentData() == police  # typing chooses the first match
    qtbot.keyClick(search, Qt.Key.Key_Return)  # commits the cell, not the dialog
    assert dialog.isVisible()
    roles = find_by_name(dialog, "Roles", QTableView).model()
    assert roles.index(0, ORGANISATION).data() == "Bryn Siôn Police"

    saved = services.contacts.create(dialog.value())
    assert services.contacts.get(saved.id or 0).roles[0].organisation_id == police


def test_an_existing_contact_shows_its_roles_organisations(
    qtbot: QtBot, large: AppServices
) -> None:
    contact_id, organisation_name = _sql(
        large,
        "SELECT r.contact_id FROM contact_roles r ORDER BY r.contact_id DESC LIMIT 1",
    ) + _sql(
        large,
        "SELECT o.name FROM contact_roles r JOIN organisations o ON o.id = r.organisation_id"
        " ORDER BY r.contact_id DESC, r.id LIMIT 1",
    )
    contact = large.contacts.get(int(str(contact_id)))
    dialog = ContactDialog(large, contact)
    qtbot.addWidget(dialog)
    roles = find_by_name(dialog, "Roles", QTableView).model()
    assert roles.index(0, ORGANISATION).data() == organisation_name
    assert dialog.value() == contact  # saved as is: the same roles


def test_the_organisation_dialog_warns_of_a_duplicate_as_the_name_is_typed(
    qtbot: QtBot, large: AppServices
) -> None:
    dialog = OrganisationDialog(large)
    qtbot.addWidget(dialog)
    name = find_by_name(dialog, "Name", QLineEdit)
    warning = find_by_name(dialog, "Duplicate warning", QLabel)
    name.setText("ABERDÂR")  # QTest types ASCII only
    qtbot.keyClicks(name, "  police")  # case and spacing ignored
    assert warning.text() == "You already have an organisation called “Aberdâr Police”."
    name.clear()
    qtbot.keyClicks(name, "aberdar police")  # another spelling is another name
    assert warning.text() == ""
    name.clear()
    qtbot.keyClicks(name, "ant 3")  # another organisation's alias
    assert warning.text() == "You already have an organisation called “Aberdâr NHS Trust”."

    police = large.organisations.get(_organisation_id(large, "Aberdâr Police"))
    editing = OrganisationDialog(large, police)
    qtbot.addWidget(editing)
    assert find_by_name(editing, "Duplicate warning", QLabel).text() == ""  # its own name


@pytest.mark.score_in_background
@OFFSCREEN_SHOW
def test_the_activity_dialog_opens_before_its_score_preview_is_worked_out(
    qtbot: QtBot, large: AppServices
) -> None:
    forget_report_inputs(large)  # as at start, before the Breadth page has scored
    dialog = ActivityDialog(large)
    qtbot.addWidget(dialog)
    preview = dialog.score_preview
    assert preview.text() == WORKING and not preview.is_ready()
    second = ActivityDialog(large)  # opened meanwhile: shares the one reading
    qtbot.addWidget(second)
    try:
        qtbot.waitUntil(
            lambda: preview.is_ready() and second.score_preview.is_ready(), timeout=60_000
        )
        qtbot.keyClicks(find_by_name(dialog, "Title", QLineEdit), "Coffee with Sian")
        expected = report_for(current_report_inputs(large), dialog.score_preview.today).score
        assert f"(now {expected:.1f})" in preview.text()
        assert second.score_preview.report is preview.report  # worked out once
        status = find_by_name(dialog, "Status", QComboBox)
        status.setCurrentIndex(status.findData("planned"))  # a what-if, off the UI thread too
        assert not preview.is_ready()  # (its answer comes through the event loop)
        qtbot.waitUntil(preview.is_ready, timeout=60_000)
        assert preview.text().startswith("Planned work counts once it is done")
    finally:
        qtbot.waitUntil(lambda: ScoreJob.running() == 0, timeout=60_000)  # before the db closes
