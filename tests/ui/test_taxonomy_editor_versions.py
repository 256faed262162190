"""The taxonomy editor proposes the next version for a changed list, and new families' colours."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from portfolio_app.taxonomy.colours import MIN_DISTANCE, distance
from portfolio_app.taxonomy.loader import default_taxonomy_path
from portfolio_app.ui.taxonomy_editor.window import TaxonomyEditorWindow

from .conftest import FakePrompts

KEPT = "content changed but the version is still 2026.1: HR should give it a new version"


@pytest.fixture
def editor(qtbot: QtBot, prompts: FakePrompts, tmp_path: Path) -> TaxonomyEditorWindow:
    path = tmp_path / "taxonomy.json"
    shutil.copy(default_taxonomy_path(), path)
    window = TaxonomyEditorWindow(prompts)
    qtbot.addWidget(window)
    assert window.open_path(path)
    return window


def saved_version(window: TaxonomyEditorWindow) -> str:
    assert window.path is not None
    return str(json.loads(window.path.read_text(encoding="utf-8"))["version"])


def problem_texts(window: TaxonomyEditorWindow) -> list[str]:
    return [e.text for e in window.problems_model.entries]


def test_a_changed_list_is_warned_about_and_saved_with_the_next_version(
    editor: TaxonomyEditorWindow, prompts: FakePrompts
) -> None:
    assert not any(KEPT in t for t in problem_texts(editor))
    editor.add_sector()
    editor.revalidate()
    assert any(KEPT in t for t in problem_texts(editor))
    prompts.choice = 0  # "Save as version 2026.2"
    assert editor.save()
    assert saved_version(editor) == "2026.2"
    assert editor.model.draft.header["version"] == "2026.2"  # in the field, editable
    assert not any(KEPT in t for t in problem_texts(editor))


def test_keeping_the_version_is_allowed_but_chosen(
    editor: TaxonomyEditorWindow, prompts: FakePrompts
) -> None:
    editor.add_sector()
    editor.revalidate()
    prompts.choice = None  # Cancel: nothing written
    assert not editor.save()
    prompts.choice = 1  # "Keep 2026.1"
    assert editor.save()
    assert saved_version(editor) == "2026.1"


def test_an_unchanged_list_is_saved_without_asking(
    editor: TaxonomyEditorWindow, prompts: FakePrompts
) -> None:
    prompts.choice = None  # would cancel, if asked
    assert editor.save()
    assert saved_version(editor) == "2026.1"


def test_new_top_level_sectors_get_colours_far_from_every_other(
    editor: TaxonomyEditorWindow,
) -> None:
    existing = {n.colour for n in editor.model.draft.nodes()}
    added = [editor.model.add_sector().colour for _ in range(8)]
    colours = list(existing) + added
    for i, a in enumerate(colours):
        for b in colours[i + 1 :]:
            assert distance(a, b) >= MIN_DISTANCE, (a, b)
    first = editor.model.draft.nodes()[0]
    assert editor.model.add_sector(first).colour == first.colour  # a sub-sector: its family's
