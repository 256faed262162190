"""Erase a contact everywhere and export everything about them, from the Contacts view: the
preview dialog (Delete / Cancel, the backups checkbox), the buttons and the context menu."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QCheckBox, QListWidget, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from portfolio_app.domain.enums import ActivityType, LessonSection
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Lesson,
    LessonField,
    Organisation,
)
from portfolio_app.services import AppServices, NotFound
from portfolio_app.ui.dialogs.contact_erasure_dialog import ContactErasureDialog
from portfolio_app.ui.main_window import MainWindow

from .conftest import FakePrompts
from .helpers import find_by_name, walk_unnamed

MakeWindow = Callable[[AppServices], MainWindow]
NAME = "Zoë Łukasz-Hart"


class People:
    """The person (a role, an activity, a lesson naming them, one backup holding them) and
    someone else, with nothing linked."""

    def __init__(self, services: AppServices) -> None:
        council = services.organisations.create(Organisation("Erasure Council", "police"))
        assert council.id is not None
        person = services.contacts.create(
            Contact(NAME, "private notes", (ContactRole(council.id, "Sergeant"),))
        )
        other = services.contacts.create(Contact("Anwar Ali"))
        assert person.id is not None and other.id is not None
        self.person, self.other = person.id, other.id
        activity = services.activities.create(
            Activity(
                ActivityType.SHADOWING, "Ride-along", date(2026, 3, 1), contact_ids=(person.id,)
            )
        )
        self.activity = activity.id
        services.lessons.create(
            Lesson(
                "Debrief",
                activity.id,
                sections={LessonSection.WHAT_WORKED: LessonField(f"{NAME} explained it")},
            )
        )
        self.backup = services.paths.backups_dir / "portfolio-2026-03-02T090000Z.backup"
        services.db.copy_to(self.backup)


@pytest.fixture
def people(services: AppServices) -> People:
    return People(services)


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _dialog(services: AppServices, contact_id: int, parent: QWidget) -> ContactErasureDialog:
    dialog = ContactErasureDialog(services.contact_erasure.preview(contact_id), parent)
    dialog.show()
    return dialog


def _items(widget: QListWidget) -> list[str]:
    return [widget.item(row).text() for row in range(widget.count())]


def test_the_preview_dialog_shows_every_change(
    parent: QWidget, services: AppServices, people: People
) -> None:
    dialog = _dialog(services, people.person, parent)
    assert NAME in dialog.windowTitle()
    assert "cannot be undone" in dialog.headline.text()
    roles = find_by_name(dialog, "Roles removed", QListWidget)
    assert _items(roles) == ["Sergeant at Erasure Council"]
    activities = find_by_name(dialog, "Activities that will no longer list them", QListWidget)
    assert _items(activities) == ["activity 1 “Ride-along” (2026-03-01)"]
    mentions = find_by_name(dialog, "Your own text that names them", QListWidget)
    assert len(_items(mentions)) == 1 and "lesson 1 “Debrief” (What worked)" in _items(mentions)[0]
    backups = find_by_name(dialog, "Older backups that hold them", QListWidget)
    assert _items(backups) == [str(people.backup)]
    prune = find_by_name(dialog, "Also delete the older backups that hold them", QCheckBox)
    assert prune.isVisible() and not prune.isChecked()
    assert prune.text() == "Also delete the 1 older backup that still holds them"
    assert dialog.prune_backups() is False
    prune.setChecked(True)
    assert dialog.prune_backups() is True
    # Cancel is the default: Enter erases nothing.
    cancel = find_by_name(dialog, "Cancel", QPushButton)
    assert cancel.isDefault() and not find_by_name(dialog, "Delete", QPushButton).isDefault()
    assert walk_unnamed(dialog) == []


def test_without_links_or_backups_the_dialog_says_so_and_offers_no_pruning(
    parent: QWidget, services: AppServices, people: People
) -> None:
    people.backup.unlink()
    dialog = _dialog(services, people.other, parent)
    assert find_by_name(dialog, "Nothing else is linked").isVisible()
    assert dialog.lists == {}
    prune = find_by_name(dialog, "Also delete the older backups that hold them", QCheckBox)
    assert not prune.isVisible()
    prune.setChecked(True)  # even if ticked somehow, there is nothing to prune
    assert dialog.prune_backups() is False
    assert walk_unnamed(dialog) == []


def _people_page(window: MainWindow, contact_id: int) -> None:
    window.go_to_page(3)
    page = window.contacts_page
    page.select_id(contact_id)
    assert page.current_id() == contact_id


def _open_preview(qtbot: QtBot, window: MainWindow, contact_id: int) -> ContactErasureDialog:
    _people_page(window, contact_id)
    button = find_by_name(window, "Erase contact everywhere", QPushButton)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.contact_privacy.dialog is not None, timeout=10_000)
    dialog = window.contact_privacy.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_erase_from_the_contacts_view_with_pruning(
    qtbot: QtBot,
    services: AppServices,
    people: People,
    make_window: MakeWindow,
    prompts: FakePrompts,
) -> None:
    window = make_window(services)
    # Something on the undo stack that holds the person: it must go with them.
    window.undo_stack.push(QUndoCommand("Edit contact"))
    dialog = _open_preview(qtbot, window, people.person)
    find_by_name(dialog, "Also delete the older backups that hold them", QCheckBox).setChecked(True)
    qtbot.mouseClick(find_by_name(dialog, "Delete", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.contacts_page.model.row_of(people.person) is None, timeout=10_000
    )
    with pytest.raises(NotFound):
        services.contacts.get(people.person)
    assert not people.backup.exists()
    assert window.undo_stack.count() == 0
    assert window.statusBar().currentMessage().startswith(f"Erased contact {people.person}:")
    # The lesson still names them (it is the user's text): the user is told where.
    (info,) = prompts.infos
    assert "Your own text still names them in 1 place:" in info and "Debrief" in info
    assert services.activities.get(people.activity or 0).contact_ids == ()


def test_cancel_in_the_preview_changes_nothing(
    qtbot: QtBot, services: AppServices, people: People, make_window: MakeWindow
) -> None:
    window = make_window(services)
    dialog = _open_preview(qtbot, window, people.person)
    find_by_name(dialog, "Also delete the older backups that hold them", QCheckBox).setChecked(True)
    qtbot.mouseClick(find_by_name(dialog, "Cancel", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.contact_privacy.dialog is None)
    assert services.contacts.get(people.person).name == NAME
    assert people.backup.exists()
    assert window.contacts_page.model.row_of(people.person) is not None


def test_erasing_without_pruning_keeps_and_names_the_backups(
    qtbot: QtBot,
    services: AppServices,
    people: People,
    make_window: MakeWindow,
    prompts: FakePrompts,
) -> None:
    window = make_window(services)
    dialog = _open_preview(qtbot, window, people.person)
    qtbot.mouseClick(find_by_name(dialog, "Delete", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(prompts.infos), timeout=10_000)
    assert people.backup.exists()
    assert f"1 older backup still holds them:\n    {people.backup}" in prompts.infos[0]


def test_the_actions_need_a_selected_contact_and_are_in_the_context_menu(
    services: AppServices, people: People, make_window: MakeWindow
) -> None:
    window = make_window(services)
    window.go_to_page(3)
    page = window.contacts_page
    page.table.clearSelection()
    assert page.current_id() is None
    erase = find_by_name(window, "Erase contact everywhere", QPushButton)
    export = find_by_name(window, "Export everything about this contact", QPushButton)
    assert not erase.isEnabled() and not export.isEnabled()
    assert not page.erase_action.isEnabled()
    page.select_id(people.person)
    assert erase.isEnabled() and export.isEnabled() and page.erase_action.isEnabled()
    menu = page.context_menu()
    assert menu.accessibleName() == "Contact actions"
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["E&xport everything about them (JSON)…", "&Erase everywhere…"]
    assert page.table.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu


def test_export_from_the_context_menu_action(
    qtbot: QtBot,
    services: AppServices,
    people: People,
    make_window: MakeWindow,
    prompts: FakePrompts,
    tmp_path: Path,
) -> None:
    window = make_window(services)
    _people_page(window, people.person)
    target = tmp_path / "exports" / "contact.json"
    target.parent.mkdir()
    prompts.save_path = target
    window.contacts_page.export_action.trigger()
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["contact"]["name"] == NAME
    assert [a["title"] for a in document["activities"]] == ["Ride-along"]
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert window.statusBar().currentMessage() == (
        f"Exported everything about “{NAME}” to {target}"
    )
    assert services.contacts.get(people.person).name == NAME  # exporting changes nothing


def test_export_cancelled_or_failing(
    services: AppServices,
    people: People,
    make_window: MakeWindow,
    prompts: FakePrompts,
    tmp_path: Path,
) -> None:
    window = make_window(services)
    _people_page(window, people.person)
    prompts.save_path = None
    window.contacts_page.export_action.trigger()
    assert prompts.errors == []
    prompts.save_path = tmp_path / "missing-folder" / "contact.json"
    window.contacts_page.export_action.trigger()
    (error,) = prompts.errors
    assert error.startswith("cannot write ")
