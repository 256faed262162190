"""`portfolio-app score` prints the same bytes as before the score's speed work (issue 12).

The expected text and JSON under tests/data/score_output/ were written by the score code as it
was before (commit e06a86b) for the portfolio built here: odd Unicode, organisations in many
sectors, extra sectors, contacts whose roles start and end around the activities, planned and
going-on activities, one-day and long ones (and, on the earlier days, activities after the
day). Any change in the layout, the sectors worked out, the engagement sums or the table's
activity counts shows as a difference.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from portfolio_app.cli import score_command
from portfolio_app.domain.enums import ActivityType, Status
from portfolio_app.domain.records import Activity, Contact, ContactRole, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.report import build_report, load_report_inputs
from portfolio_app.report.inputs import load_report_inputs_from_lists
from portfolio_app.services import AppServices

EXPECTED = Path(__file__).parent / "data" / "score_output"
AT = "2026-12-01"
SECTORS = (
    "adult-social-care",
    "childrens-services",
    "public-health",
    "acute-trusts",
    "primary-care",
    "nhs",
    "police",
    "fire-rescue",
    "justice",
    "care-homes",
    "home-care",
    "education",
    "voluntary-community",
    "central-government",
)
NAMES = ("Siân", "Łukasz", "Zoë", "Ngozi", "Ōtsuka", "Chloé", "Dvořák", "Björk")


def build_portfolio(services: AppServices, seed: int = 20261203) -> None:
    """A fixed, odd portfolio (the same every run: a seeded generator, fixed dates)."""
    chance = random.Random(seed)
    organisations = [
        services.organisations.create(
            Organisation(f"{chance.choice(NAMES)} {SECTORS[i % len(SECTORS)]} {i}", sector)
        )
        for i, sector in enumerate(chance.choice(SECTORS) for _ in range(40))
    ]
    org_ids = [o.id for o in organisations if o.id is not None]
    base = date(2019, 1, 1)
    contacts = []
    for i in range(60):
        roles = []
        for _ in range(chance.randrange(0, 4)):
            start = base + timedelta(days=chance.randrange(0, 2500))
            roles.append(
                ContactRole(
                    chance.choice(org_ids),
                    "Lead",
                    None if chance.random() < 0.2 else start,
                    None if chance.random() < 0.3 else start + timedelta(chance.randrange(400)),
                )
            )
        contacts.append(
            services.contacts.create(Contact(f"{chance.choice(NAMES)} {i}", roles=tuple(roles)))
        )
    contact_ids = [c.id for c in contacts if c.id is not None]
    types = list(ActivityType)
    for i in range(400):
        start = base + timedelta(days=chance.randrange(0, 2500))  # all ends before Sep 2026
        long = chance.random() < 0.25
        services.activities.create(
            Activity(
                chance.choice(types),
                f"{chance.choice(NAMES)}'s activity {i}",
                start,
                end=start + timedelta(days=chance.randrange(1, 300)) if long else None,
                organisation_ids=tuple(chance.sample(org_ids, chance.randrange(0, 4))),
                extra_sector_ids=tuple(chance.sample(SECTORS, chance.randrange(0, 2)))
                if chance.random() < 0.2
                else (),
                contact_ids=tuple(chance.sample(contact_ids, chance.randrange(0, 4))),
                status=Status.PLANNED if chance.random() < 0.1 else Status.DONE,
            )
        )


def run_score(paths: AppPaths, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    built = argparse.ArgumentParser(prog="portfolio-app")
    score_command.register(built.add_subparsers(dest="command"))
    args = built.parse_args(["score", "--at", AT, *argv])
    capsys.readouterr()
    assert args.handler(args, paths) == 0
    return capsys.readouterr().out


@pytest.fixture
def portfolio(with_profile: AppServices) -> AppServices:
    build_portfolio(with_profile)
    return with_profile


def test_score_table_is_byte_for_byte_as_before(
    portfolio: AppServices, paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run_score(paths, capsys)
    assert out.encode() == (EXPECTED / "table.txt").read_bytes()


def test_score_json_is_byte_for_byte_as_before(
    portfolio: AppServices, paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run_score(paths, capsys, "--json")
    assert out.encode() == (EXPECTED / "score.json").read_bytes()
    assert json.loads(out)["sectors_reached"] > 3  # a portfolio that reaches many sectors


def test_table_counts_equal_the_listed_contributions(portfolio: AppServices) -> None:
    """The table's count (worked out without listing) is len(contributions), sector by
    sector, on several days (activities going on, planned, in the future)."""
    source = load_report_inputs(portfolio)
    for day in (date(2019, 6, 1), date(2022, 3, 31), date(2026, 12, 1)):
        for sector in build_report(source, as_of=day, trend=()).result.sectors:
            assert sector.contribution_count == len(replace(sector, _count=None).contributions)


def test_plain_reading_and_the_lists_print_the_same(
    portfolio: AppServices, paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    source = load_report_inputs_from_lists(portfolio)
    result = build_report(source, as_of=date.fromisoformat(AT), trend=()).result
    home = source.taxonomy.label(result.home_sector_id or "")
    assert score_command.format_result(result, home) + "\n" == run_score(paths, capsys)
