"""The list models pass pytest-qt's model tester: full, searched, filtered and sorted."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.modeltest import ModelTester

from portfolio_app.services import AppServices
from portfolio_app.services.table_queries import ActivityFilters
from portfolio_app.ui.models.entity_models import (
    activity_model,
    contact_model,
    lesson_model,
    organisation_model,
)
from portfolio_app.ui.views.activities_page import ActivitiesPage


def test_entity_models_searched_and_sorted(
    qtmodeltester: ModelTester, demo_services: AppServices
) -> None:
    services = demo_services
    models = [
        activity_model(services.tables, services.taxonomy),
        lesson_model(services.tables),
        organisation_model(services.tables, services.taxonomy),
        contact_model(services.tables, date(2026, 11, 1)),
    ]
    for model in models:
        qtmodeltester.check(model)  # empty, before the first refresh
        model.refresh()
        assert model.rowCount() > 0, model.kind
        qtmodeltester.check(model)
        model.set_search("north")
        qtmodeltester.check(model)
        model.set_search("")
        model.sort(1, Qt.SortOrder.DescendingOrder)
        qtmodeltester.check(model)


def test_activity_model_with_filters(
    qtmodeltester: ModelTester, demo_services: AppServices
) -> None:
    model = activity_model(demo_services.tables, demo_services.taxonomy)
    model.refresh()
    total = model.rowCount()
    model.set_filters(ActivityFilters(sector_id="nhs", date_from=date(2025, 6, 1)))
    assert 0 < model.rowCount() < total
    qtmodeltester.check(model)


def test_activities_page_model(
    qtmodeltester: ModelTester, qtbot: object, demo_services: AppServices
) -> None:
    parent = QWidget()
    page = ActivitiesPage(demo_services.tables, demo_services.taxonomy, parent)
    page.refresh()
    assert page.model.rowCount() == len(demo_services.activities.list_all())
    qtmodeltester.check(page.model)
    parent.deleteLater()
