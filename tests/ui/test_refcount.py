"""No reference to None is lost across the bindings the app calls most.

PySide6-Essentials 6.12.0 on CPython 3.11 drops one reference to `None` for every `None` that
crosses the binding (a void call such as `setText`, a `data()` override returning `None`); after
some 50,000 Python aborts with "Fatal Python error: none_dealloc". Short tests never show it, so
each test here makes 10,000 calls and compares `sys.getrefcount(None)` before and after.

These pass on 6.11.x with 3.11 and on any version with 3.12+ (where None is immortal, so its
count never moves and the fault is harmless); they fail on 6.12.0 with 3.11, as will any future
binding with the same fault. pyproject.toml keeps 6.12 off 3.11; this is the check behind it.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from portfolio_app.domain.enums import Visibility
from portfolio_app.services import AppServices
from portfolio_app.services.table_queries import ActivityFilters
from portfolio_app.taxonomy import Taxonomy, load_default_taxonomy
from portfolio_app.ui.models.entity_models import (
    activity_model,
    contact_model,
    organisation_model,
)

CALLS = 10_000
# Other objects come and go while Qt runs (caches, interned strings): allow a little movement.
# A leaking binding loses one per call, i.e. thousands here.
SLACK = 100
IMMORTAL_NONE = sys.version_info >= (3, 12)

Index = QModelIndex | QPersistentModelIndex


def none_refs_lost(action: Callable[[], object], times: int = CALLS) -> int:
    """How many references to None `times` calls of `action` lost (negative: gained)."""
    action()  # first call outside the count: lazy set-up inside Qt or the binding
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(times):
        action()
    gc.collect()
    return before - sys.getrefcount(None)


def assert_no_loss(action: Callable[[], object], times: int = CALLS) -> None:
    lost = none_refs_lost(action, times)
    assert lost <= SLACK, (
        f"{lost} references to None lost over {times} calls: this Qt binding leaks None "
        "and a long session will abort (see pyproject.toml's PySide6 constraint)"
    )


class NoneModel(QAbstractTableModel):
    """A model whose data() returns None for every cell, counting the calls Qt makes."""

    def __init__(self, rows: int = 100) -> None:
        super().__init__()
        self.rows = rows
        self.calls = 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        self.calls += 1
        return None


@pytest.fixture
def widget(qtbot: QtBot) -> Iterator[QWidget]:
    parent = QWidget()
    qtbot.addWidget(parent)
    yield parent


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_default_taxonomy()


# --- the measurement itself can fail ------------------------------------------------------


@pytest.mark.skipif(IMMORTAL_NONE, reason="None is immortal on 3.12+: nothing can be lost")
def test_the_measurement_sees_a_leak() -> None:
    """A stand-in for the faulty binding (one Py_DecRef of None per call, given back after):
    proves the check above is not one that cannot fail."""
    none = ctypes.py_object(None)
    calls = 0

    def leaky() -> None:
        nonlocal calls
        calls += 1
        ctypes.pythonapi.Py_DecRef(none)

    try:
        lost = none_refs_lost(leaky, 1000)
    finally:
        for _ in range(calls):
            ctypes.pythonapi.Py_IncRef(none)
    assert lost >= 1000 - SLACK


# --- void setters ---------------------------------------------------------------------------


def test_label_set_text(widget: QWidget) -> None:
    label = QLabel(widget)
    assert_no_loss(lambda: label.setText("Shadowed a district nurse"))


def test_line_edit_set_text(widget: QWidget) -> None:
    edit = QLineEdit(widget)
    assert_no_loss(lambda: edit.setText("Northshire Council"))


def test_set_tool_tip(widget: QWidget) -> None:
    label = QLabel(widget)
    assert_no_loss(lambda: label.setToolTip("Why Save is disabled"))


# --- data() overrides returning None ------------------------------------------------------


def test_data_returning_none_through_model_index() -> None:
    model = NoneModel()
    index = model.index(3, 1)
    assert_no_loss(index.data)
    assert model.calls > CALLS


def test_proxy_filtering_over_data_returning_none() -> None:
    model = NoneModel(rows=100)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(-1)  # every column: two data() calls a row
    texts = iter(["a", ""] * CALLS)

    def filter_again() -> None:
        proxy.setFilterFixedString(next(texts))
        proxy.invalidate()

    # Each pass filters the 100 rows again: 200 passes are 20,000 data() calls returning None.
    assert_no_loss(filter_again, times=200)
    assert model.calls >= 2 * CALLS


# --- the app's own models -----------------------------------------------------------------


def test_activity_model_cells_and_empty_roles(demo_services: AppServices) -> None:
    model = activity_model(demo_services.tables, demo_services.taxonomy)
    model.refresh()
    title = model.index(5, 2)
    # DecorationRole has no value in our models: data() returns None through the binding.
    assert_no_loss(lambda: (title.data(), title.data(Qt.ItemDataRole.DecorationRole)))


def test_activity_model_search_and_filters(demo_services: AppServices) -> None:
    model = activity_model(demo_services.tables, demo_services.taxonomy)
    model.refresh()
    total = model.rowCount()
    steps = iter(["police", "", "northshire", ""] * CALLS)
    shown: set[int] = set()

    def search_and_filter() -> None:
        model.set_search(next(steps))
        model.set_filters(ActivityFilters(visibility=Visibility.SHARED))
        shown.add(model.rowCount())
        model.index(0, 2).data()
        model.set_filters(ActivityFilters())
        shown.add(model.rowCount())

    # Each step asks the database three times and reads the first block of rows.
    assert_no_loss(search_and_filter, times=50)
    assert total in shown and min(shown) < total  # the filters really ran


def test_organisation_and_contact_models(demo_services: AppServices) -> None:
    organisations = organisation_model(demo_services.tables, demo_services.taxonomy)
    organisations.refresh()
    contacts = contact_model(demo_services.tables, date(2026, 1, 1))
    contacts.refresh()
    cells = [organisations.index(2, c) for c in range(4)] + [contacts.index(2, c) for c in range(3)]

    def read_cells() -> None:
        for cell in cells:
            cell.data()
            cell.data(Qt.ItemDataRole.DecorationRole)

    assert_no_loss(read_cells, times=CALLS // 5)
