"""The taxonomy editor driven as HR would: open, add, rename, move, retire, save, reopen; invalid
edits listed with where they are; undo/redo of every kind of change; CSV round trip."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from portfolio_app.taxonomy import load_taxonomy
from portfolio_app.taxonomy.loader import default_taxonomy_path
from portfolio_app.ui.taxonomy_editor import TaxonomyEditorWindow, open_editor
from portfolio_app.ui.taxonomy_editor.draft import SectorNode
from portfolio_app.ui.taxonomy_editor.retire_dialog import RetireAnswer, RetireDialog
from portfolio_app.ui.taxonomy_editor.tree_model import SECTOR_MIME_TYPE, SectorTreeModel

from .conftest import FakePrompts
from .helpers import find_by_name, walk_unnamed


class Answers:
    """What the colour dialog and the retire dialog answer, and what they were asked."""

    def __init__(self) -> None:
        self.colour: QColor | None = None
        self.retire: RetireAnswer | None = None
        self.colours_asked: list[str] = []
        self.retirements_asked: list[str] = []

    def choose_colour(self, parent: QWidget, current: QColor) -> QColor | None:
        self.colours_asked.append(current.name())
        return self.colour

    def ask_retirement(
        self, parent: QWidget, model: SectorTreeModel, node: SectorNode
    ) -> RetireAnswer | None:
        self.retirements_asked.append(node.id)
        return self.retire


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def taxonomy_file(tmp_path: Path) -> Path:
    path = tmp_path / "hr" / "taxonomy.json"
    path.parent.mkdir()
    shutil.copy(default_taxonomy_path(), path)
    return path


@pytest.fixture
def make_editor(
    qtbot: QtBot, prompts: FakePrompts, answers: Answers
) -> Iterator[Callable[[], TaxonomyEditorWindow]]:
    def make() -> TaxonomyEditorWindow:
        window = TaxonomyEditorWindow(
            prompts, choose_colour=answers.choose_colour, retire_prompt=answers.ask_retirement
        )
        qtbot.addWidget(window)
        window.show()
        return window

    yield make
    prompts.choice = 1  # pytest-qt closes the windows: discard what a test left unsaved


@pytest.fixture
def editor(
    make_editor: Callable[[], TaxonomyEditorWindow], taxonomy_file: Path
) -> TaxonomyEditorWindow:
    window = make_editor()
    assert window.open_path(taxonomy_file)
    return window


def node(window: TaxonomyEditorWindow, sector_id: str) -> SectorNode:
    found = window.model.node_by_id(sector_id)
    assert found is not None, sector_id
    return found


def select(window: TaxonomyEditorWindow, sector_id: str) -> SectorNode:
    target = node(window, sector_id)
    window.select_node(target)
    assert window.current_node() is target
    return target


def type_into(edit: QLineEdit, text: str) -> None:
    """What typing does (setText, since keyClicks cannot type every character safely)."""
    edit.setText(text)
    edit.textEdited.emit(text)


def click(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isEnabled(), widget.accessibleName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def drag_and_drop(
    window: TaxonomyEditorWindow, sector_id: str, onto: str | None, row: int = -1
) -> bool:
    """What the tree view does on a drop: mimeData of the dragged rows, dropMimeData on the
    target (onto a sector with row -1, or between rows of `onto`'s children)."""
    model = window.model
    source = model.index_of(node(window, sector_id))
    data = model.mimeData([source, source.siblingAtColumn(1)])
    assert data.hasFormat(SECTOR_MIME_TYPE)
    parent = model.index_of(node(window, onto)) if onto else QModelIndex()
    if not model.canDropMimeData(data, Qt.DropAction.MoveAction, row, 0, parent):
        return False
    return model.dropMimeData(data, Qt.DropAction.MoveAction, row, 0, parent)


def children(window: TaxonomyEditorWindow, sector_id: str | None) -> list[str]:
    parent = node(window, sector_id) if sector_id else window.model.draft.root
    return [c.id for c in parent.children]


def document(window: TaxonomyEditorWindow) -> dict[str, Any]:
    return window.model.draft.document()[0]


def problem_texts(window: TaxonomyEditorWindow) -> list[str]:
    return [e.text for e in window.problems_model.entries if not e.warning]


# ----- the whole job: open, change, save, reopen ------------------------------------------------


def test_add_rename_move_retire_save_and_reopen(
    qtbot: QtBot,
    make_editor: Callable[[], TaxonomyEditorWindow],
    editor: TaxonomyEditorWindow,
    taxonomy_file: Path,
    prompts: FakePrompts,
    answers: Answers,
) -> None:
    assert editor.windowTitle() == "taxonomy.json — Taxonomy editor"
    assert problem_texts(editor) == []

    # Add a sub-sector under NHS: its id follows the label typed, until saved.
    select(editor, "nhs")
    click(qtbot, find_by_name(editor, "Add sub-sector"))
    added = editor.current_node()
    assert added is not None and added.parent is node(editor, "nhs")
    assert editor.windowTitle() == "taxonomy.json* — Taxonomy editor"
    details = editor.details
    details.label_edit.selectAll()
    qtbot.keyClicks(details.label_edit, "Ambulance trusts")
    assert added.id == "ambulance-trusts"
    assert details.id_edit.text() == "ambulance-trusts" and not details.id_edit.isReadOnly()
    type_into(details.aliases_edit, "ambulance service; 999 ;")
    details.description_edit.setPlainText("NHS ambulance services, including 111.")
    answers.colour = QColor("#2CA02C")
    click(qtbot, find_by_name(editor, "Choose colour"))
    assert answers.colours_asked == [node(editor, "nhs").colour]
    assert details.colour_edit.text() == "#2ca02c"

    # Rename in place, through the tree's own editor.
    police = editor.model.index_of(node(editor, "police"))
    editor.tree.setCurrentIndex(police)
    editor.tree.edit(police)
    line = editor.tree.viewport().findChild(QLineEdit)
    assert line is not None and line.text() == "Police"
    line.setText("Police forces")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: node(editor, "police").label == "Police forces")

    # Drag and drop: onto another sector (under it), and between siblings (reorder).
    assert drag_and_drop(editor, "fire-rescue", onto="police")
    assert children(editor, "police") == ["fire-rescue"]
    assert drag_and_drop(editor, "home-care", onto="care-providers", row=0)
    assert children(editor, "care-providers") == ["home-care", "care-homes"]
    assert [node(editor, i).order for i in ("home-care", "care-homes")] == [0, 10]
    # A sector cannot go inside itself or its own sub-sector.
    assert not drag_and_drop(editor, "care-providers", onto="home-care")

    # Move with the buttons.
    select(editor, "education")
    click(qtbot, find_by_name(editor, "Move up"))
    top = children(editor, None)
    assert top.index("education") == top.index("care-providers") - 1

    # Retire a sector, replaced by another.
    select(editor, "community-trusts")
    answers.retire = RetireAnswer("acute-trusts", "Merged into acute trusts")
    click(qtbot, find_by_name(editor, "Retire"))
    assert answers.retirements_asked == ["community-trusts"]
    assert editor.model.node_by_id("community-trusts") is None
    assert editor.retired_model.rowCount() == 1
    assert problem_texts(editor) == []

    # Save (Ctrl+S): the star goes, and the new sector's id is now fixed.
    assert editor.save_action.shortcut() == QKeySequence("Ctrl+S")
    editor.save_action.trigger()
    assert prompts.errors == []
    assert editor.windowTitle() == "taxonomy.json — Taxonomy editor"
    select(editor, "ambulance-trusts")
    assert details.id_edit.isReadOnly()

    saved = load_taxonomy(taxonomy_file)
    ambulance = saved.get("ambulance-trusts")
    assert ambulance is not None
    assert ambulance.label == "Ambulance trusts" and ambulance.parent_id == "nhs"
    assert ambulance.aliases == ("ambulance service", "999")
    assert ambulance.description == "NHS ambulance services, including 111."
    assert ambulance.colour == "#2ca02c"
    assert saved.label("police") == "Police forces"
    assert [s.id for s in saved.children("police")] == ["fire-rescue"]
    assert [s.id for s in saved.children("care-providers")] == ["home-care", "care-homes"]
    top_level = [s.id for s in saved.children(None)]
    assert top_level.index("education") == top_level.index("care-providers") - 1
    assert "community-trusts" not in saved
    retired = saved.retired_entry("community-trusts")
    assert retired is not None
    assert (retired.replaced_by, retired.since_version, retired.note) == (
        "acute-trusts",
        "2026.1",
        "Merged into acute trusts",
    )

    # Reopen in a fresh window: the tree shows the same.
    again = make_editor()
    assert again.open_path(taxonomy_file)
    assert children(again, "police") == ["fire-rescue"]
    assert children(again, "care-providers") == ["home-care", "care-homes"]
    assert again.retired_model.index(0, 0).data() == "community-trusts"
    assert again.retired_model.index(0, 1).data() == "Acute trusts (acute-trusts)"
    assert not again.modified


def test_a_new_taxonomy_from_nothing(
    make_editor: Callable[[], TaxonomyEditorWindow], tmp_path: Path, prompts: FakePrompts
) -> None:
    window = make_editor()
    assert window.windowTitle() == "Untitled — Taxonomy editor"
    assert problem_texts(window) == ["Sectors: there are no sectors; a taxonomy needs at least one"]
    form = window.header_form.edits
    type_into(form["id"], "northshire-ics")
    type_into(form["title"], "Northshire ICS sectors")
    type_into(form["version"], "2027.1")
    type_into(form["publisher"], "Northshire ICS HR — Siân Jones")
    added = window.add_sector()
    assert window.current_node() is added
    type_into(window.details.label_edit, "Équipes de santé")  # an id a-z only: accents dropped
    assert added.id == "equipes-de-sante"
    assert problem_texts(window) == []
    prompts.save_path = tmp_path / "northshire"
    assert window.save()
    saved = load_taxonomy(tmp_path / "northshire.json")
    assert (saved.id, saved.title, saved.version) == (
        "northshire-ics",
        "Northshire ICS sectors",
        "2027.1",
    )
    assert saved.publisher == "Northshire ICS HR — Siân Jones"
    assert [s.label for s in saved.sectors] == ["Équipes de santé"]
    assert window.windowTitle() == "northshire.json — Taxonomy editor"


# ----- problems, live ----------------------------------------------------------------------------


def _empty_label(window: TaxonomyEditorWindow) -> SectorNode:
    police = select(window, "police")
    type_into(window.details.label_edit, "  ")
    return police


def _bad_colour(window: TaxonomyEditorWindow) -> SectorNode:
    nhs = select(window, "nhs")
    type_into(window.details.colour_edit, "#12")
    return nhs


def _duplicate_id(window: TaxonomyEditorWindow) -> SectorNode:
    select(window, "justice")
    added = window.add_sector()
    type_into(window.details.id_edit, "police")
    return added


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_empty_label, "Sector with id “police”, label: the label is empty"),
        (
            _bad_colour,
            "Sector “NHS”, colour: colour '#12' is not a colour: write # and six hex digits, "
            "like #1f77b4",
        ),
        (_duplicate_id, "Sector “New sector”, id: duplicate id 'police': the sector “Police”"),
    ],
    ids=["empty label", "bad colour", "duplicate id"],
)
def test_an_invalid_edit_is_listed_clickable_and_blocks_save(
    qtbot: QtBot,
    editor: TaxonomyEditorWindow,
    taxonomy_file: Path,
    prompts: FakePrompts,
    edit: Callable[[TaxonomyEditorWindow], SectorNode],
    expected: str,
) -> None:
    before = taxonomy_file.read_bytes()
    uid = edit(editor).uid
    texts = problem_texts(editor)
    assert len(texts) == 1 and texts[0].startswith(expected), texts
    assert editor.problems_label.text().startswith("1 problem to fix")
    bad = editor.model.node(uid)
    assert bad is not None
    index = editor.model.index_of(bad)
    assert index.data(Qt.ItemDataRole.ForegroundRole) == QColor("#b3261e")
    assert f"Problem: {texts[0]}" in index.data(Qt.ItemDataRole.ToolTipRole)

    # Clicking the problem selects the sector it is about.
    select(editor, "education")
    view = editor.problems_view
    rect = view.visualRect(editor.problems_model.index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.current_node() is bad
    assert editor.details.node is bad

    editor.save_action.trigger()
    assert len(prompts.errors) == 1
    assert "1 problem, so it cannot be saved" in prompts.errors[0]
    assert texts[0] in prompts.errors[0]
    assert taxonomy_file.read_bytes() == before
    assert editor.modified

    editor.undo_action.trigger()  # undoing the bad edit clears the problem
    assert problem_texts(editor) == []
    while editor.undo_stack.canUndo():
        editor.undo_stack.undo()
    assert problem_texts(editor) == []
    assert editor.problems_label.text() == "No problems: ready to save."


def test_clicking_a_problem_puts_the_cursor_in_the_field(
    qtbot: QtBot, editor: TaxonomyEditorWindow
) -> None:
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    _bad_colour(editor)
    type_into(editor.header_form.edits["date"], "2026-13-01")
    entries = editor.problems_model.entries
    assert [e.header or e.field for e in entries] == ["date", "colour"]
    assert entries[0].text.startswith("Date: date '2026-13-01'")
    editor.show_problem(editor.problems_model.index(1, 0))
    assert QApplication.focusWidget() is editor.details.colour_edit
    editor.show_problem(editor.problems_model.index(0, 0))
    assert QApplication.focusWidget() is editor.header_form.edits["date"]


def test_a_bad_id_is_listed_once_not_again_at_each_sub_sector(
    editor: TaxonomyEditorWindow,
) -> None:
    select(editor, "justice")
    added = editor.add_sector()
    editor.add_sub_sector()
    editor.add_sub_sector()
    editor.select_node(added)
    type_into(editor.details.id_edit, "Youth Justice")
    assert problem_texts(editor) == [
        "Sector “New sector”, id: id 'Youth Justice' is not a valid id: use lower-case letters "
        "a-z, digits and hyphens, starting with a letter or digit, like 'adult-social-care'"
    ]


def test_retired_entries_are_checked_and_editable(
    editor: TaxonomyEditorWindow, answers: Answers
) -> None:
    select(editor, "home-care")
    answers.retire = RetireAnswer("care-homes")
    assert editor.retire_selected()
    model = editor.retired_model
    assert model.setData(model.index(0, 1), "no-such-sector")
    texts = problem_texts(editor)
    assert texts == [
        "Retired “home-care”, replaced by: replaced_by 'no-such-sector' is not a sector in "
        "this file"
    ]
    editor.show_problem(editor.problems_model.index(0, 0))
    assert editor.retired_view.currentIndex() == model.index(0, 1)
    editor.undo_action.trigger()
    assert problem_texts(editor) == []


def test_a_sector_with_sub_sectors_cannot_be_retired_and_a_saved_one_not_deleted(
    editor: TaxonomyEditorWindow, answers: Answers
) -> None:
    select(editor, "nhs")
    assert not editor.retire_action.isEnabled()
    assert "sub-sectors first" in editor.retire_action.toolTip()
    assert not editor.retire_selected() and answers.retirements_asked == []
    select(editor, "police")
    assert not editor.delete_action.isEnabled()
    assert "retire it instead" in editor.delete_action.toolTip()
    added = editor.add_sector()
    assert editor.delete_action.isEnabled()
    assert editor.delete_selected()
    assert editor.model.node(added.uid) is None


def test_a_new_sector_chosen_as_replacement_can_still_be_renamed(
    editor: TaxonomyEditorWindow, answers: Answers
) -> None:
    select(editor, "nhs")
    added = editor.add_sub_sector()
    assert added is not None
    type_into(editor.details.label_edit, "ICS")
    select(editor, "integrated-care-boards")
    answers.retire = RetireAnswer(added.id)
    assert editor.retire_selected()
    select(editor, added.id)
    type_into(editor.details.label_edit, "Integrated care systems")
    assert added.id == "integrated-care-systems"
    assert editor.model.draft.retired[0].replaced_by == "integrated-care-systems"
    assert problem_texts(editor) == []


def test_a_drop_from_another_editor_window_is_refused(
    make_editor: Callable[[], TaxonomyEditorWindow],
    editor: TaxonomyEditorWindow,
    taxonomy_file: Path,
) -> None:
    other = make_editor()
    assert other.open_path(taxonomy_file)
    data = other.model.mimeData([other.model.index_of(node(other, "police"))])
    target = editor.model.index_of(node(editor, "justice"))
    move = Qt.DropAction.MoveAction
    assert not editor.model.canDropMimeData(data, move, -1, 0, target)
    assert not editor.model.dropMimeData(data, move, -1, 0, target)
    assert children(editor, "justice") == [] and not editor.modified


# ----- undo and redo -----------------------------------------------------------------------------


def _add(window: TaxonomyEditorWindow) -> None:
    select(window, "police")
    window.add_sub_sector()


def _rename(window: TaxonomyEditorWindow) -> None:
    window.model.setData(window.model.index_of(node(window, "justice")), "Justice and probation")


def _drop_under(window: TaxonomyEditorWindow) -> None:
    assert drag_and_drop(window, "police", onto="justice")


def _drop_reorder(window: TaxonomyEditorWindow) -> None:
    assert drag_and_drop(window, "primary-care", onto="nhs", row=0)


def _button_move(window: TaxonomyEditorWindow) -> None:
    select(window, "acute-trusts")
    window.down_action.trigger()


def _retire(window: TaxonomyEditorWindow) -> None:
    select(window, "fire-rescue")
    window.model.retire_sector(node(window, "fire-rescue"), "police", "2026.1", "merged")


def _fields(window: TaxonomyEditorWindow) -> None:
    select(window, "education")
    details = window.details
    for text in ("s", "sc", "schools"):  # typing merges into one undo step
        type_into(details.aliases_edit, text)
    window.model.new_session()
    type_into(details.colour_edit, "#000000")
    details.order_spin.setValue(999)


def _header(window: TaxonomyEditorWindow) -> None:
    type_into(window.header_form.edits["version"], "2027.1")


def _delete(window: TaxonomyEditorWindow) -> None:
    window.delete_selected()


def _order_typed(window: TaxonomyEditorWindow) -> None:
    select(window, "police")
    window.details.order_spin.setValue(1)  # between local government (0) and NHS (50)


def _prepare_delete(window: TaxonomyEditorWindow) -> None:
    select(window, "justice")
    window.add_sector()


CHANGES = {
    "add": (_add, 1),
    "rename": (_rename, 1),
    "drag under": (_drop_under, 1),
    "drag reorder": (_drop_reorder, 1),
    "move button": (_button_move, 1),
    "retire": (_retire, 1),
    "sector fields": (_fields, 3),
    "header": (_header, 1),
    "delete": (_delete, 1),
    "display order": (_order_typed, 1),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_undo_and_redo(editor: TaxonomyEditorWindow, change: str) -> None:
    action, steps = CHANGES[change]
    if action is _delete:
        _prepare_delete(editor)
    before = json.dumps(document(editor))
    tree_before = _tree(editor)
    start = editor.undo_stack.index()
    action(editor)
    after = json.dumps(document(editor))
    tree_after = _tree(editor)
    assert after != before
    assert editor.undo_stack.index() - start == steps
    for _ in range(steps):
        editor.undo_action.trigger()
    assert json.dumps(document(editor)) == before
    assert _tree(editor) == tree_before
    for _ in range(steps):
        editor.redo_action.trigger()
    assert json.dumps(document(editor)) == after
    assert _tree(editor) == tree_after


def _tree(window: TaxonomyEditorWindow) -> list[tuple[str, ...]]:
    """What the view shows: each row's label and id, by walking the model as a view does."""
    model = window.model
    rows: list[tuple[str, ...]] = []

    def walk(parent: QModelIndex, depth: int) -> None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            rows.append(("  " * depth + index.data(), model.index(row, 1, parent).data()))
            walk(index, depth + 1)

    walk(QModelIndex(), 0)
    return rows


def test_undo_shortcuts_and_texts(editor: TaxonomyEditorWindow) -> None:
    assert editor.undo_action.shortcut() == QKeySequence("Ctrl+Z")
    assert QKeySequence("Ctrl+Shift+Z") in editor.redo_action.shortcuts()
    _rename(editor)
    assert (
        editor.undo_action.text()
        == "&Undo Rename “Probation and justice” to “Justice and probation”"
    )
    editor.undo_action.trigger()
    assert not editor.modified
    assert editor.windowTitle() == "taxonomy.json — Taxonomy editor"


# ----- CSV ---------------------------------------------------------------------------------------


def test_csv_round_trip_through_the_window(
    make_editor: Callable[[], TaxonomyEditorWindow],
    editor: TaxonomyEditorWindow,
    taxonomy_file: Path,
    prompts: FakePrompts,
    tmp_path: Path,
) -> None:
    csv_path = tmp_path / "sectors.csv"
    prompts.save_path = csv_path
    assert editor.export_action.text() == "&Export sectors to CSV…"
    editor.export_action.trigger()
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbfid,label,parent,aliases")

    window = make_editor()
    prompts.open_path = csv_path
    window.import_action.trigger()  # into a new, empty taxonomy: nothing to confirm
    assert prompts.confirmations == []
    assert problem_texts(window) == []
    original = load_taxonomy(taxonomy_file)
    expected = [
        (s.id, s.label, s.parent_id, s.aliases, s.description, s.colour) for s in original.ordered()
    ]
    draft = window.model.draft.nodes()
    assert [
        (n.id, n.label, (n.parent and n.parent.id) or None, n.aliases, n.description, n.colour)
        for n in draft
    ] == expected
    prompts.save_path = tmp_path / "from-csv.json"
    assert window.save()
    again = load_taxonomy(tmp_path / "from-csv.json")
    assert [(s.id, s.label, s.parent_id) for s in again.ordered()] == [e[:3] for e in expected]

    # Importing over sectors asks first, and can be undone.
    select(editor, "police")
    editor.model.setData(editor.model.index_of(node(editor, "police")), "Police forces")
    editor.import_action.trigger()
    assert "Replace the 22 sectors in the editor with the 22 sectors" in prompts.confirmations[0]
    assert node(editor, "police").label == "Police"
    editor.undo_action.trigger()
    assert node(editor, "police").label == "Police forces"


def test_a_bad_csv_is_refused_with_its_lines(
    editor: TaxonomyEditorWindow, prompts: FakePrompts, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,label,parent,colour\npolice,Police,,#123456\nfire,,police,red\n", encoding="utf-8"
    )
    before = json.dumps(document(editor))
    prompts.open_path = bad
    assert not editor.import_csv()
    assert "nothing was changed" in prompts.errors[0]
    assert "line 3, column label" in prompts.errors[0]
    assert "line 3, column colour" in prompts.errors[0]
    assert json.dumps(document(editor)) == before


def test_export_is_refused_while_there_are_problems(
    editor: TaxonomyEditorWindow, prompts: FakePrompts, tmp_path: Path
) -> None:
    _bad_colour(editor)
    prompts.save_path = tmp_path / "x.csv"
    assert not editor.export_csv()
    assert "Fix the problems listed first" in prompts.errors[0]
    assert not (tmp_path / "x.csv").exists()


# ----- files, closing ----------------------------------------------------------------------------


def test_a_file_with_fixable_problems_opens_with_them_listed(
    make_editor: Callable[[], TaxonomyEditorWindow], tmp_path: Path
) -> None:
    data = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    data["sectors"][0]["colour"] = "blue"
    data["sectors"][1]["id"] = data["sectors"][2]["id"]
    path = tmp_path / "fixable.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    window = make_editor()
    assert window.open_path(path)
    texts = problem_texts(window)
    assert any("colour 'blue' is not a colour" in t for t in texts)
    assert any("duplicate id 'childrens-services'" in t for t in texts)
    # Ids that were never usable can be fixed; the others are fixed.
    select(window, "local-government")
    assert window.details.id_edit.isReadOnly()
    first = window.model.draft.nodes()[1]
    window.select_node(first)
    assert not window.details.id_edit.isReadOnly()
    type_into(window.details.id_edit, "adult-social-care")
    type_into(window.details.colour_edit, "#0000ff")
    window.select_node(node(window, "local-government"))
    type_into(window.details.colour_edit, "#0000ff")
    assert problem_texts(window) == []


def test_a_file_that_cannot_be_shown_is_refused_saying_where(
    make_editor: Callable[[], TaxonomyEditorWindow], tmp_path: Path, prompts: FakePrompts
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "format_version": 1,\n  "id": oops\n}', encoding="utf-8")
    cycle = tmp_path / "cycle.json"
    data = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    data["sectors"][0]["parent"] = "adult-social-care"
    cycle.write_text(json.dumps(data), encoding="utf-8")
    window = make_editor()
    assert not window.open_path(broken)
    assert "line 3, column 9: this is not valid JSON" in prompts.errors[0]
    assert not window.open_path(cycle)
    assert "form a cycle" in prompts.errors[1]
    assert window.path is None


def test_closing_with_unsaved_changes_asks(
    editor: TaxonomyEditorWindow, taxonomy_file: Path, prompts: FakePrompts
) -> None:
    _rename(editor)
    prompts.choice = None  # Cancel
    assert not editor.close()
    assert editor.isVisible()
    prompts.choice = 0  # Save
    assert editor.close()
    assert load_taxonomy(taxonomy_file).label("justice") == "Justice and probation"


def test_closing_can_discard(editor: TaxonomyEditorWindow, prompts: FakePrompts) -> None:
    before = editor.path.read_bytes() if editor.path else b""
    _rename(editor)
    prompts.choice = 1
    assert editor.close()
    assert editor.path is not None and editor.path.read_bytes() == before


def test_opening_another_file_asks_about_unsaved_changes(
    editor: TaxonomyEditorWindow, prompts: FakePrompts, taxonomy_file: Path
) -> None:
    _rename(editor)
    prompts.choice = None
    prompts.open_path = taxonomy_file
    assert not editor.open_file()
    assert node(editor, "justice").label == "Justice and probation"
    prompts.choice = 1
    assert editor.open_file()
    assert node(editor, "justice").label == "Probation and justice"
    assert not editor.undo_stack.canUndo()


def test_the_editor_command_opens_a_new_file(qtbot: QtBot, tmp_path: Path) -> None:
    """What `portfolio-app taxonomy edit new.json` shows (without running a second event loop
    in the test process, which would upset later tests' background threads)."""
    window = open_editor(tmp_path / "new.json")
    qtbot.addWidget(window)
    assert window.isVisible()
    assert window.windowTitle() == "new.json — Taxonomy editor"


# ----- models and accessibility ------------------------------------------------------------------


def test_models_pass_the_model_tester(
    qtmodeltester: ModelTester, editor: TaxonomyEditorWindow, answers: Answers
) -> None:
    qtmodeltester.check(editor.model)
    qtmodeltester.check(editor.problems_model)
    _bad_colour(editor)
    _duplicate_id(editor)
    _retire(editor)
    assert drag_and_drop(editor, "police", onto="justice")
    qtmodeltester.check(editor.model)
    qtmodeltester.check(editor.problems_model)
    qtmodeltester.check(editor.retired_model)


def test_every_focusable_widget_has_a_name(editor: TaxonomyEditorWindow, qtbot: QtBot) -> None:
    select(editor, "police")
    assert walk_unnamed(editor) == []
    dialog = RetireDialog(editor.model, node(editor, "police"), editor)
    qtbot.addWidget(dialog)
    assert walk_unnamed(dialog) == []
    dialog.choose("justice")
    dialog.note.setText("Police and justice merged — Siân")
    assert dialog.answer() == RetireAnswer("justice", "Police and justice merged — Siân")
    dialog.choose(None)
    assert dialog.answer().replaced_by is None
    sub_sector = RetireDialog(editor.model, node(editor, "acute-trusts"), editor)
    qtbot.addWidget(sub_sector)
    assert sub_sector.answer() == RetireAnswer("nhs")  # its parent, unless changed
    assert find_by_name(editor, "Sectors") is editor.tree
    assert find_by_name(editor, "Problems") is editor.problems_view
