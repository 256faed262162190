"""The sector picker: alias-aware search, single and multi choice, and a well-behaved model."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from portfolio_app.services import AppServices
from portfolio_app.taxonomy import Taxonomy
from portfolio_app.ui.widgets.sector_picker import (
    SECTOR_ID_ROLE,
    SectorFilterProxyModel,
    SectorPicker,
    SectorTreeModel,
)

from .helpers import find_by_name, walk_unnamed


@pytest.fixture
def taxonomy(services: AppServices) -> Taxonomy:
    return services.taxonomy


def make_picker(qtbot: QtBot, taxonomy: Taxonomy, *, multi: bool = False) -> SectorPicker:
    picker = SectorPicker(taxonomy, multi=multi)
    qtbot.addWidget(picker)
    return picker


def visible_ids(picker: SectorPicker) -> list[str]:
    """Sector ids the tree shows (through the filter), depth-first."""
    out: list[str] = []

    def walk(parent: QModelIndex) -> None:
        for row in range(picker.proxy.rowCount(parent)):
            index = picker.proxy.index(row, 0, parent)
            out.append(index.data(SECTOR_ID_ROLE))
            walk(index)

    walk(QModelIndex())
    return out


def proxy_index(picker: SectorPicker, sector_id: str) -> QModelIndex:
    return picker.proxy.mapFromSource(picker.model.index_of(sector_id))


@pytest.mark.parametrize(
    ("typed", "sector_id", "parent_id"),
    [
        ("ICB", "integrated-care-boards", "nhs"),
        ("Jobcentre", "employment-services", None),
        ("GP", "primary-care", "nhs"),
        ("CMHT", "mental-health-trusts", "nhs"),
        ("domiciliary", "home-care", "care-providers"),
    ],
)
def test_search_finds_sectors_by_alias_and_expands_their_parent(
    qtbot: QtBot, taxonomy: Taxonomy, typed: str, sector_id: str, parent_id: str | None
) -> None:
    picker = make_picker(qtbot, taxonomy)
    search = find_by_name(picker, "Sector search")
    qtbot.keyClicks(search, typed)

    shown = visible_ids(picker)
    assert sector_id in shown
    assert "police" not in shown  # the filter really narrows the tree
    if parent_id is not None:
        assert picker.tree.isExpanded(proxy_index(picker, parent_id))


def test_search_matches_label_and_id_and_ignores_case(qtbot: QtBot, taxonomy: Taxonomy) -> None:
    picker = make_picker(qtbot, taxonomy)
    picker.search.setText("probation AND")
    assert visible_ids(picker) == ["justice"]
    picker.search.setText("mental-health-trusts")
    assert visible_ids(picker) == ["nhs", "mental-health-trusts"]


def test_a_matching_parent_shows_all_its_sub_sectors(qtbot: QtBot, taxonomy: Taxonomy) -> None:
    picker = make_picker(qtbot, taxonomy)
    picker.search.setText("NHS")
    assert set(visible_ids(picker)) == {"nhs", *(s.id for s in taxonomy.children("nhs"))}


def test_clearing_the_search_shows_everything_again(qtbot: QtBot, taxonomy: Taxonomy) -> None:
    picker = make_picker(qtbot, taxonomy)
    picker.search.setText("ICB")
    picker.search.clear()
    assert visible_ids(picker) == [s.id for s in taxonomy.ordered()]


def test_single_mode_choice_by_clicking_and_by_enter(qtbot: QtBot, taxonomy: Taxonomy) -> None:
    picker = make_picker(qtbot, taxonomy)
    assert picker.selected_ids() == []
    with qtbot.waitSignal(picker.selectionChanged):
        picker.tree.setCurrentIndex(proxy_index(picker, "police"))
    assert picker.selected_ids() == ["police"]
    assert picker.summary.text() == "Chosen: Police"

    with qtbot.assertNotEmitted(picker.selectionChanged):
        qtbot.keyClicks(picker.search, "Jobcentre")  # filtering alone changes nothing
    assert picker.selected_ids() == ["police"]
    with qtbot.waitSignal(picker.selectionChanged):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.selected_ids() == ["employment-services"]


def test_single_choice_survives_a_search_that_hides_it(qtbot: QtBot, taxonomy: Taxonomy) -> None:
    picker = make_picker(qtbot, taxonomy)
    picker.set_selected(["integrated-care-boards"])
    picker.search.setText("police")
    assert picker.selected_ids() == ["integrated-care-boards"]
    picker.search.clear()
    assert picker.selected_ids() == ["integrated-care-boards"]
    selected = picker.tree.selectionModel().selectedRows()
    assert [i.data(SECTOR_ID_ROLE) for i in selected] == ["integrated-care-boards"]
    assert picker.tree.isExpanded(proxy_index(picker, "nhs"))
    assert picker.summary.text() == "Chosen: NHS → Integrated care boards"


def test_set_selected_ignores_unknown_ids_and_signals_only_on_change(
    qtbot: QtBot, taxonomy: Taxonomy
) -> None:
    picker = make_picker(qtbot, taxonomy)
    with qtbot.waitSignal(picker.selectionChanged):
        picker.set_selected(["no-such-sector", "police"])
    assert picker.selected_ids() == ["police"]
    with qtbot.assertNotEmitted(picker.selectionChanged):
        picker.set_selected(["police"])


def test_multi_mode_checks_items(qtbot: QtBot, taxonomy: Taxonomy) -> None:
    picker = make_picker(qtbot, taxonomy, multi=True)
    assert picker.summary.text() == "None chosen"
    with qtbot.waitSignal(picker.selectionChanged):
        picker.proxy.setData(
            proxy_index(picker, "police"), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
        )
    picker.set_selected([*picker.selected_ids(), "primary-care", "unknown"])
    assert picker.selected_ids() == ["police", "primary-care"]
    assert picker.tree.isExpanded(proxy_index(picker, "nhs"))
    assert picker.summary.text() == "Chosen: Police; GP and primary care"

    # Keyboard: Space on the current row toggles it.
    picker.tree.setCurrentIndex(proxy_index(picker, "police"))
    with qtbot.waitSignal(picker.selectionChanged):
        qtbot.keyClick(picker.tree, Qt.Key.Key_Space)
    assert picker.selected_ids() == ["primary-care"]

    # Checked items stay checked while a search hides them.
    picker.search.setText("education")
    assert picker.selected_ids() == ["primary-care"]


# Showing a window on the offscreen platform logs this harmless warning.
OFFSCREEN_SHOW = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@OFFSCREEN_SHOW
def test_down_arrow_moves_from_search_into_the_tree(qtbot: QtBot, taxonomy: Taxonomy) -> None:
    picker = make_picker(qtbot, taxonomy)
    picker.show()
    qtbot.waitExposed(picker)
    picker.search.setFocus()
    qtbot.keyClicks(picker.search, "ICB")
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: picker.tree.hasFocus())
    assert picker.tree.currentIndex().data(SECTOR_ID_ROLE) == "integrated-care-boards"


def test_picker_widgets_are_named(qtbot: QtBot, taxonomy: Taxonomy) -> None:
    for multi in (False, True):
        picker = make_picker(qtbot, taxonomy, multi=multi)
        assert walk_unnamed(picker) == []
        find_by_name(picker, "Sectors")


@pytest.mark.parametrize("checkable", [False, True])
def test_sector_tree_model_passes_the_model_tester(
    qtmodeltester: object, taxonomy: Taxonomy, checkable: bool
) -> None:
    model = SectorTreeModel(taxonomy, checkable=checkable)
    model.set_checked(["police", "acute-trusts"])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == len(taxonomy.children(None))
    nhs = model.index_of("nhs")
    assert [model.index(r, 0, nhs).data() for r in range(model.rowCount(nhs))] == [
        s.label for s in taxonomy.children("nhs")
    ]
    assert model.parent(model.index(0, 0, nhs)) == nhs


def test_filter_proxy_passes_the_model_tester(qtmodeltester: object, taxonomy: Taxonomy) -> None:
    proxy = SectorFilterProxyModel(taxonomy)
    proxy.setSourceModel(SectorTreeModel(taxonomy, checkable=True, parent=proxy))
    proxy.set_search_text("care")
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]
