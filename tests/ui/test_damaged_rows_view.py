"""The main window opens on data with a damaged entry: it is listed, marked, explained when
opened, and counted in the status bar; everything else works (issue 11)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.storage.cipher import raw_connection
from portfolio_app.ui.models.record_table_model import ID_ROLE

from .conftest import FakePrompts, MakeWindowType
from .helpers import find_by_name


def _damaged_data(paths: AppPaths, key: bytes) -> tuple[int, int, int]:
    """A good activity, a damaged one (an impossible date), and a damaged organisation."""
    services = open_services(paths)
    try:
        services.profile.set_up(
            name="Siân Jones",
            role="Social worker",
            organisation="Northshire Council",
            sector="adult-social-care",
        )
        trust = services.organisations.create(Organisation("Łukasz Trust", "nhs"))
        good = services.activities.create(
            Activity(ActivityType.SHADOWING, "Zoë's ward round", date(2025, 2, 3))
        )
        bad = services.activities.create(
            Activity(ActivityType.SHADOWING, "Bad one", date(2025, 2, 4))
        )
    finally:
        services.close()
    connection = raw_connection(paths.database, key)
    try:
        connection.execute(f"UPDATE activities SET start_date = '2026-13-45' WHERE id = {bad.id}")
        connection.execute(
            f"UPDATE organisations SET name = CAST(x'ff41fe' AS TEXT) WHERE id = {trust.id}"
        )
        connection.commit()
    finally:
        connection.close()
    assert good.id and bad.id and trust.id
    return good.id, bad.id, trust.id


def test_the_window_shows_a_damaged_entry_marked_and_explains_it(
    paths: AppPaths, data_key: bytes, make_window: MakeWindowType, prompts: FakePrompts
) -> None:
    good, bad, trust = _damaged_data(paths, data_key)
    services = open_services(paths)
    try:
        window = make_window(services)
        page = window.activities_page
        model = page.model
        assert model.rowCount() == 2
        texts = {
            model.data(model.index(r, 0), ID_ROLE): model.data(model.index(r, 0))
            for r in range(model.rowCount())
        }
        assert texts[bad] == f"⚠ damaged entry {bad}"
        assert texts[good] != texts[bad]
        row = model.row_of(bad)
        assert row is not None
        tip = model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole)
        assert f"activity {bad} is damaged: start is not a date ('2026-13-45')" in tip
        assert model.data(model.index(row, 1)) == "start is not a date ('2026-13-45')"

        organisations = window.organisations_page.model
        org_row = organisations.row_of(trust)
        assert org_row is not None
        assert organisations.data(organisations.index(org_row, 0)) == f"⚠ damaged entry {trust}"

        note = find_by_name(window, "Damaged entries", QLabel)
        assert not note.isHidden()
        assert note.text() == "⚠ 2 damaged entries"
        assert f"activity {bad} is damaged" in note.toolTip()
        assert f"organisation {trust} is damaged: name is not valid UTF-8 text" in note.toolTip()

        # Opening it (Enter, double click, Edit → Open) explains instead of crashing.
        window.go_to_page(1)
        page.select_id(bad)
        assert page.current_id() == bad
        window.open_selected()
        assert len(prompts.errors) == 1
        assert f"The activity with id {bad} cannot be opened" in prompts.errors[0]
        assert "start is not a date ('2026-13-45')" in prompts.errors[0]
        # Deleting it explains too, and asks nothing.
        window.delete_selected()
        assert len(prompts.errors) == 2 and prompts.confirmations == []

        # The good entry still opens, and the breadth page still shows a score.
        page.select_id(good)
        window.open_selected()
        assert len(prompts.errors) == 2
    finally:
        services.close()


def test_no_note_when_nothing_is_damaged(paths: AppPaths, make_window: MakeWindowType) -> None:
    services = open_services(paths)
    try:
        services.profile.set_up(
            name="Siân Jones",
            role="Social worker",
            organisation="Northshire Council",
            sector="adult-social-care",
        )
        window = make_window(services)
        assert find_by_name(window, "Damaged entries", QLabel).isHidden()
    finally:
        services.close()
