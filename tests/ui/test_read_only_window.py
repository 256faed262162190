"""A read-only data folder in the window: a banner says so, and a save is an error message,
never a traceback; nothing is saved (issue 11; the CLI side is in tests/test_read_only_data.py).

The database is opened as the app opens a read-only folder (Database(read_only=True): SQLite's
mode=ro), so every write really is refused by the storage layer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtWidgets import QLabel

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.services.taxonomy_service import TaxonomyService
from portfolio_app.storage.database import Database

from .conftest import FakePrompts, MakeWindowType
from .helpers import find_by_name


@pytest.fixture
def read_only_services(paths: AppPaths, data_key: bytes) -> Iterator[AppServices]:
    open_services(paths).close()  # set up as a first start would, then opened read-only
    db = Database(paths.database, key=data_key, read_only=True)
    taxonomy = TaxonomyService(db, paths).in_force().taxonomy
    services = AppServices(paths, db, taxonomy, data_key=data_key, read_only=True)
    yield services
    services.close()


def test_the_window_says_read_only_and_a_save_is_an_error(
    read_only_services: AppServices, make_window: MakeWindowType, prompts: FakePrompts
) -> None:
    window = make_window(read_only_services)
    banner = find_by_name(window, "Read-only banner", QLabel)
    assert banner.text().startswith("Read-only: ")
    assert str(read_only_services.paths.data_dir) in banner.text()

    window.add_record(
        "activity", Activity(ActivityType.SHADOWING, "Not saved, Siân", date(2026, 5, 1))
    )
    assert len(prompts.errors) == 1, prompts.errors
    assert "is read-only: nothing can be saved" in prompts.errors[0]
    assert "Traceback" not in prompts.errors[0]
    assert read_only_services.activities.list_all() == []


def test_a_writable_folder_shows_no_read_only_banner(
    services: AppServices, make_window: MakeWindowType
) -> None:
    window = make_window(services)
    assert not services.read_only
    with pytest.raises(LookupError):
        find_by_name(window, "Read-only banner", QLabel)
