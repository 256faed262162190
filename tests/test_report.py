"""The breadth report: one set of inputs, one set of numbers, read by every view.

The dashboard, the activity dialog's preview, `portfolio-app score --json` and the PDF are
compared on one sample database; goal progress follows sector replacement and ancestry; the
trend ends on the report's date with the headline score; the what-if preview is the report with
the activity added.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pdf_sample import EXPORT_DAY, PERIOD, build_sample, pdf_text
from portfolio_app.cli import score_command
from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.domain.records import Activity, Goal, Organisation
from portfolio_app.export.pdf import ExportOptions, build_content, export_pdf
from portfolio_app.paths import AppPaths
from portfolio_app.report import (
    ReportInputs,
    build_report,
    load_report_inputs,
    report_inputs,
    trend_days,
)
from portfolio_app.scoring import DEFAULT_POLICY, ScoringPolicy, score_value
from portfolio_app.scoring.breadth import coverage
from portfolio_app.services import AppServices
from portfolio_app.taxonomy import load_default_taxonomy
from portfolio_app.taxonomy.model import RetiredSector

TAXONOMY = load_default_taxonomy()
HOME = "adult-social-care"
AT = date(2026, 6, 30)
SECTORS = tuple(TAXONOMY.sector_ids())
ORGANISATIONS = tuple(Organisation(f"Org {s}", s, id=i + 1) for i, s in enumerate(SECTORS))


def _activity(ident: int, *sectors: str, kind: ActivityType = ActivityType.SHADOWING) -> Activity:
    return Activity(
        kind, f"Activity {ident}", date(2026, 3, ident), extra_sector_ids=sectors, id=ident
    )


def _source(
    activities: list[Activity],
    goals: list[Goal],
    *,
    policy: ScoringPolicy = DEFAULT_POLICY,
    retired: tuple[RetiredSector, ...] = (),
) -> ReportInputs:
    taxonomy = replace(TAXONOMY, retired=retired) if retired else TAXONOMY
    return report_inputs(
        activities, ORGANISATIONS, (), goals, taxonomy=taxonomy, home_sector_id=HOME, policy=policy
    )


# --- the same numbers in every view ------------------------------------------------------------


def _score_json(paths: AppPaths, at: date, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    parser = argparse.ArgumentParser(prog="portfolio-app")
    score_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["score", "--at", at.isoformat(), "--json"])
    capsys.readouterr()
    assert args.handler(args, paths) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_dashboard_preview_score_command_and_pdf_show_the_same_numbers(
    qtbot: QtBot,
    services: AppServices,
    paths: AppPaths,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from PySide6.QtWidgets import QWidget

    from portfolio_app.ui.dashboard.breadth_page import BreadthPage
    from portfolio_app.ui.dashboard.models import VALUE_ROLE
    from portfolio_app.ui.dashboard.score_preview import ScorePreview

    build_sample(services)
    shared = Visibility.SHARED
    services.goals.create(Goal("Reach the NHS", ("nhs",), visibility=shared))
    services.goals.create(Goal("Keep up with the police", ("police",), visibility=shared))
    at = PERIOD.end
    report = build_report(load_report_inputs(services), as_of=at)
    assert report.score > 0 and len(report.goals) == 2
    assert all(g.progress is not None and 0 < g.progress < 1 for g in report.goals)

    # The dashboard.
    parent = QWidget()
    qtbot.addWidget(parent)
    page = BreadthPage(services, today=lambda: at, parent=parent)
    with qtbot.waitSignal(page.score_shown, timeout=60_000):
        page.refresh()  # worked out in the page's worker thread
    assert page.score_label.text() == f"{report.score:.1f}"
    assert f"{report.result.sectors_reached}</b> of {report.result.sector_count}" in (
        page.reached_label.text()
    )
    assert f"{report.balance:.1f}</b>" in page.balance_label.text()
    model = page.sector_model
    assert [model.index(r, 2).data(VALUE_ROLE) for r in range(model.rowCount())] == [
        s.coverage for s in report.sectors
    ]
    goals = page.goal_model
    assert [goals.goal_row(r).progress for r in range(goals.rowCount())] == [
        g.progress for g in report.goals
    ]
    assert page.gap_sector_ids() == [g.sector.id for g in report.gaps]

    # The activity dialog's preview.
    preview = ScorePreview(services, at, parent)
    qtbot.waitUntil(preview.is_ready, timeout=60_000)  # worked out off the UI thread
    assert preview.current == report.score

    # `portfolio-app score --json`.
    data = _score_json(paths, at, capsys)
    assert data["score"] == round(report.score, 2)
    assert data["balance"] == round(report.balance, 3)
    assert data["sectors_reached"] == report.result.sectors_reached
    assert [s["coverage"] for s in data["sectors"]] == [  # type: ignore[attr-defined]
        round(s.coverage, 4) for s in report.sectors
    ]
    assert [g["progress"] for g in data["goals"]] == [  # type: ignore[attr-defined]
        round(g.progress or 0, 4) for g in report.goals
    ]

    # The PDF (everything included, so it counts what the app counts).
    options = ExportOptions(PERIOD, include_private=True, export_date=EXPORT_DAY, reproducible=True)
    content = build_content(services, options)
    assert content.summary.result.score == report.score
    assert [g.progress for g in content.goals] == [g.progress for g in report.goals]
    assert content.summary.trend[-1] == (at, report.score)
    out = tmp_path / "portfolio.pdf"
    export_pdf(services, options, out)
    text = pdf_text(out)
    assert f"{report.score:.1f}" in text
    assert f"{report.balance:.1f}" in text
    for goal in report.goals:
        assert f"{goal.progress:.0%} coverage" in text


# --- the trend ---------------------------------------------------------------------------------


def test_the_trend_ends_on_the_report_date_with_the_headline_score() -> None:
    april = replace(_activity(20, "nhs"), start=date(2026, 4, 20))
    source = _source([_activity(1, "police"), april], [])
    as_of = date(2026, 5, 14)  # not a quarter end: work since 31 Mar must show
    report = build_report(source, as_of=as_of)
    points = report.trend()
    assert points is not None and len(points) == 13
    assert points[-1] == (as_of, report.score)
    assert points[-2].at == date(2026, 3, 31)
    for point in points[:-1]:
        assert point.score == score_value(source.inputs, source.policy, TAXONOMY, HOME, point.at)
    assert points[-1].score > points[-2].score  # the April work is not in the quarter end


def test_trend_days_are_quarter_ends_then_the_day_itself() -> None:
    assert trend_days(date(2026, 6, 30), 2) == (
        date(2025, 12, 31),
        date(2026, 3, 31),
        date(2026, 6, 30),
    )
    assert trend_days(date(2026, 7, 1), 1) == (date(2026, 6, 30), date(2026, 7, 1))
    # Days given for the trend (the PDF's) end on the report's date too.
    report = build_report(_source([], []), as_of=AT, trend=[date(2027, 1, 1), date(2026, 1, 1)])
    assert report.trend_days == (date(2026, 1, 1), AT)


def test_a_trend_that_is_told_to_stop_gives_nothing() -> None:
    report = build_report(_source([_activity(1, "police")], []), as_of=AT)
    assert report.trend(stop=lambda: True) is None


# --- goal progress: one rule -------------------------------------------------------------------


def test_a_goal_on_a_sub_sector_counts_its_compared_sector() -> None:
    items = [_activity(1, "acute-trusts"), _activity(2, "integrated-care-boards")]
    goal = Goal("Acute care", ("acute-trusts",), id=1)
    report = build_report(_source(items, [goal]), as_of=AT)
    (progress,) = report.goals
    assert progress.sectors[0].counted_ids == ("nhs",)
    assert progress.progress == report.result.sector("nhs").coverage


def test_a_goal_on_a_parent_sector_counts_engagement_in_its_children() -> None:
    """With sub-sectors compared (level 2), a goal for 'NHS' counts work with any NHS body."""
    items = [_activity(1, "acute-trusts"), _activity(2, "integrated-care-boards")]
    goal = Goal("The NHS", ("nhs",), id=1)
    report = build_report(_source(items, [goal], policy=ScoringPolicy(level=2)), as_of=AT)
    (progress,) = report.goals
    sector = progress.sectors[0]
    assert {"acute-trusts", "integrated-care-boards", "nhs"} <= set(sector.counted_ids)
    engaged = math.fsum(report.result.sector(s).engagement for s in sector.counted_ids)
    assert engaged == pytest.approx(
        report.result.sector("acute-trusts").engagement
        + report.result.sector("integrated-care-boards").engagement
    )
    assert progress.progress == coverage(engaged, DEFAULT_POLICY.saturation)
    assert progress.progress > report.result.sector("acute-trusts").coverage
    assert sector.counted_as == "nhs"


def test_a_retired_sectors_goal_counts_its_replacement() -> None:
    retired = (RetiredSector("constabulary", "police"), RetiredSector("gone", None))
    items = [_activity(1, "police")]
    goals = [Goal("Old name", ("constabulary",), id=1), Goal("Gone", ("gone",), id=2)]
    report = build_report(_source(items, goals, retired=retired), as_of=AT)
    old, gone = report.goals
    assert old.sectors[0].current_id == "police"
    assert old.progress == report.result.sector("police").coverage > 0
    assert old.sectors[0].reached
    assert gone.progress is None and gone.sectors[0].current_id is None


def test_home_sectors_are_not_scored_in_goals() -> None:
    goals = [
        Goal("Home", ("adult-social-care",), id=1),
        Goal("Mixed", ("adult-social-care", "police"), id=2),
    ]
    report = build_report(_source([_activity(1, "police")], goals), as_of=AT)
    home, mixed = report.goals
    assert home.progress is None
    assert mixed.progress == report.result.sector("police").coverage


def test_a_goal_on_the_last_review_day_is_the_report_on_that_day() -> None:
    items = [_activity(1, "police"), _activity(25, "police")]
    goal = Goal("Police", ("police",), id=1)
    report = build_report(_source(items, [goal]), as_of=AT)
    earlier = report.on(date(2026, 3, 10))
    assert earlier.goal(1).progress == earlier.result.sector("police").coverage
    assert earlier.goal(1).progress < report.goal(1).progress  # type: ignore[operator]
    assert report.progress_of(Goal("Not stored", ("police",))).progress == report.goal(1).progress


# --- what if: the report with the activity added -------------------------------------------------


def test_what_if_is_the_report_with_the_activity_added() -> None:
    items = [_activity(1, "police")]
    report = build_report(_source(items, []), as_of=AT)
    candidate = _activity(2, "fire-rescue", kind=ActivityType.JOINT_PROJECT)
    effect = report.what_if(replace(candidate, id=None))
    with_it = build_report(_source([*items, candidate], []), as_of=AT)
    assert effect.before == report.score
    assert effect.after == pytest.approx(with_it.score, abs=1e-12)
    # An edited activity replaces the logged one.
    edited = replace(items[0], extra_sector_ids=("fire-rescue",))
    changed = build_report(_source([edited], []), as_of=AT)
    assert report.what_if(edited).after == pytest.approx(changed.score, abs=1e-12)
    planned = replace(candidate, id=None, status=Status.PLANNED)
    assert report.what_if(planned).gain == 0


def test_most_engaged_is_none_when_nothing_counts() -> None:
    assert build_report(_source([], []), as_of=AT).most_engaged() is None
    report = build_report(
        _source([_activity(1, "police"), _activity(2, "nhs", "police")], []), as_of=AT
    )
    most = report.most_engaged()
    assert most is not None and most.id == "police"
