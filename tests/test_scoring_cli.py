"""`portfolio-app score`, registered on a parser the way cli/main.py registers it."""

from __future__ import annotations

import argparse
import json
from datetime import date

import pytest

from portfolio_app.cli import score_command
from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, ServiceError


def parser() -> argparse.ArgumentParser:
    built = argparse.ArgumentParser(prog="portfolio-app")
    sub = built.add_subparsers(dest="command", metavar="COMMAND")
    score_command.register(sub)
    return built


def run(paths: AppPaths, *argv: str) -> int:
    args = parser().parse_args(["score", *argv])
    result: int = args.handler(args, paths)
    return result


@pytest.fixture
def logged(with_profile: AppServices) -> AppServices:
    police = with_profile.organisations.create(Organisation("Northshire Police", "police"))
    assert police.id
    with_profile.activities.create(
        Activity(
            ActivityType.MENTORING_GIVEN,
            "Mentoring a sergeant",
            date(2026, 6, 30),
            organisation_ids=(police.id,),
        )
    )
    return with_profile


def test_json_output(
    logged: AppServices, paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(paths, "--at", "2026-06-30", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["at"] == "2026-06-30"
    assert data["score"] == pytest.approx(100 * (1 - 2.718281828459045**-1.0) / 10, abs=0.005)
    assert data["sectors_reached"] == 1
    assert data["balance"] == 1.0
    assert data["policy"] == {
        "id": "portfolio-default",
        "name": "Cross-sector breadth",
        "version": "1",
    }
    assert data["taxonomy"]["id"] == logged.taxonomy.id
    assert len(data["sectors"]) == 10
    police = next(s for s in data["sectors"] if s["id"] == "police")
    assert police == {
        "id": "police",
        "label": "Police",
        "colour": "#393b79",
        "engagement": 1.0,
        "coverage": 0.6321,
        "reached": True,
    }
    assert all({"id", "label", "engagement", "coverage"} <= set(s) for s in data["sectors"])


def test_table_output(
    logged: AppServices, paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(paths, "--at", "2026-06-30") == 0
    out = capsys.readouterr().out
    assert "Breadth score on 30 Jun 2026: 6.3 / 100" in out
    assert "Sectors reached: 1 of 10" in out
    assert "Balance: 1.00" in out
    assert "Cross-sector breadth (portfolio-default, version 1)" in out
    assert "Home sector: Local government (not counted)" in out
    police = next(line for line in out.splitlines() if line.startswith("Police "))
    assert police.split()[1:] == ["1.000", "63.2%", "yes", "1"]  # engagement ... activities
    empty = [line for line in out.splitlines() if line.split()[-3:] == ["0.0%", "-", "0"]]
    assert len(empty) == 9


def test_a_later_date_shows_older_work_faded(
    logged: AppServices, paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    run(paths, "--at", "2028-06-30", "--json")
    police = next(s for s in json.loads(capsys.readouterr().out)["sectors"] if s["id"] == "police")
    assert police["engagement"] == pytest.approx(0.5, abs=1e-3)


def test_default_date_is_today(
    logged: AppServices, paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    before = date.today().isoformat()
    assert run(paths, "--json") == 0
    assert json.loads(capsys.readouterr().out)["at"] in {before, date.today().isoformat()}


def test_a_bad_date_is_a_usage_error(paths: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        run(paths, "--at", "31/06/2026")
    assert caught.value.code == 2
    assert "--at: '31/06/2026': June 2026 has no day 31" in capsys.readouterr().err


def test_without_a_profile_it_says_how_to_set_one_up(
    services: AppServices, paths: AppPaths
) -> None:
    with pytest.raises(ServiceError, match="no profile"):
        run(paths, "--json")
