"""The custom item models pass pytest-qt's model tester, empty and full, and through proxies."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QWidget
from pytestqt.modeltest import ModelTester

from portfolio_app.services import AppServices
from portfolio_app.ui.models.entity_models import (
    activity_model,
    contact_model,
    lesson_model,
    organisation_model,
)
from portfolio_app.ui.models.filter_proxy import ActivityFilterProxy, SearchProxy
from portfolio_app.ui.views.activities_page import ActivitiesPage


def test_entity_models_and_proxies(qtmodeltester: ModelTester, demo_services: AppServices) -> None:
    services = demo_services
    rows = services.activities.rows()
    organisations = services.organisations.list_all()
    names = {o.id: o.name for o in organisations if o.id}
    models = [
        (activity_model(services.taxonomy), rows),
        (
            lesson_model({r.activity.id: r.activity.title for r in rows if r.activity.id}),
            services.lessons.list_all(),
        ),
        (organisation_model(services.taxonomy, {}), organisations),
        (contact_model(names, date(2026, 11, 1)), services.contacts.list_all()),
    ]
    for model, records in models:
        qtmodeltester.check(model)  # empty
        model.set_records(records)  # type: ignore[arg-type]
        qtmodeltester.check(model)
        proxy = SearchProxy()
        proxy.setSourceModel(model)
        proxy.set_search("north")
        qtmodeltester.check(proxy)


def test_activity_filter_proxy_with_filters(
    qtmodeltester: ModelTester, demo_services: AppServices
) -> None:
    model = activity_model(demo_services.taxonomy)
    model.set_records(demo_services.activities.rows())
    proxy = ActivityFilterProxy(demo_services.taxonomy)
    proxy.setSourceModel(model)
    proxy.set_filters(sector_id="nhs", date_from=date(2025, 6, 1))
    assert 0 < proxy.rowCount() < model.rowCount()
    qtmodeltester.check(proxy)


def test_activities_page_model(
    qtmodeltester: ModelTester, qtbot: object, demo_services: AppServices
) -> None:
    parent = QWidget()
    page = ActivitiesPage(demo_services.taxonomy, parent)
    page.set_rows(demo_services.activities.rows())
    qtmodeltester.check(page.model)
    parent.deleteLater()
