"""The Breadth page's layout does not ask every activity behind a sector for its size
(issue 12: at 10k the start's layouts asked ~48k cells of the contributions table)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from portfolio_app.scoring.breadth import Contribution
from portfolio_app.services import AppServices
from portfolio_app.ui.dashboard.breadth_page import BreadthPage
from portfolio_app.ui.dashboard.models import ContributionsModel

pytestmark = pytest.mark.usefixtures("qapp")

ROWS = 5000


def test_showing_many_contributions_asks_only_the_rows_on_screen(
    qtbot: QtBot, demo_services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = BreadthPage(demo_services)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    qtbot.waitUntil(lambda: not page.score_pending, timeout=20000)
    asked: list[int] = []
    real_data = ContributionsModel.data

    def counted(self: ContributionsModel, index: Any, role: int = 0) -> Any:
        asked.append(index.row())
        return real_data(self, index, role)

    monkeypatch.setattr(ContributionsModel, "data", counted)
    rows = [Contribution(n, f"Siân's visit {n}", 1.0 / (n + 1)) for n in range(ROWS)]
    page.contributions_model.set_contributions(rows, sum(r.amount for r in rows))
    page.contributions_table.show()
    for _ in range(3):  # layouts of the page, as the score and trend lines change
        page.trend_status.setText("Zoë " * 40)
        page.adjustSize()
        QApplication.processEvents()
    assert asked, "the table was not shown"
    # Qt's default sizes these columns by the first 1000 rows (several cells each, per layout).
    assert max(asked) < 200 and len(asked) < 3000, (max(asked), len(asked))
