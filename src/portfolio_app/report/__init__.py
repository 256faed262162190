"""The breadth report every view reads: score, balance, per-sector coverage, gaps with
suggestions, goal progress and the trend, worked out once from one set of inputs (no Qt).

Typical use: `report = build_report(load_report_inputs(services), as_of=date.today())`.
"""

from portfolio_app.report.breadth_report import (
    TREND_QUARTERS,
    BreadthReport,
    Gap,
    build_report,
    trend_days,
)
from portfolio_app.report.goal_progress import GoalProgress, GoalSectorProgress, counted_sectors
from portfolio_app.report.inputs import (
    ReportInputs,
    current_report_inputs,
    load_report_inputs,
    report_inputs,
)

__all__ = [
    "TREND_QUARTERS",
    "BreadthReport",
    "Gap",
    "GoalProgress",
    "GoalSectorProgress",
    "ReportInputs",
    "build_report",
    "counted_sectors",
    "current_report_inputs",
    "load_report_inputs",
    "report_inputs",
    "trend_days",
]
