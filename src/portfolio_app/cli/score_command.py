"""`portfolio-app score [--at DATE] [--json]`: the breadth score, its figures and its sectors."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from portfolio_app.cli.arguments import typed_date
from portfolio_app.cli.commands import note_damaged, open_services, warn_about_taxonomy
from portfolio_app.paths import AppPaths

if TYPE_CHECKING:
    from portfolio_app.scoring import BreadthResult


def register(subparsers: Any) -> None:
    """Add the `score` command to the CLI's subparsers (argparse's _SubParsersAction)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "score",
        help="show your cross-sector breadth score",
        description="Print the cross-sector breadth score (0-100), the number of sectors reached, "
        "the balance across them and each sector's engagement and coverage. "
        "See docs/scoring.md for how it is worked out.",
    )
    parser.add_argument(
        "--at",
        type=typed_date,
        metavar="DATE",
        help="score as on this date, YYYY-MM-DD (default: today)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.report import build_report, current_report_inputs

    at: date = args.at or date.today()
    services = open_services(paths)
    warn_about_taxonomy(services)
    try:
        source = current_report_inputs(services)
        note_damaged(services, "the score")
    finally:
        services.close()
    report = build_report(source, as_of=at, trend=())
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        result = report.result
        print(format_result(result, source.taxonomy.label(result.home_sector_id or "")))
    return 0


def format_result(result: BreadthResult, home_label: str) -> str:
    from portfolio_app.domain.dates import format_date

    """The plain-text report: headline, figures, policy, then one line per sector."""
    lines = [
        f"Breadth score on {format_date(result.at)}: {result.score:.1f} / 100",
        f"Sectors reached: {result.sectors_reached} of {result.sector_count}",
        f"Balance: {result.balance:.2f} (effective number of reached sectors)",
        f"Policy: {result.policy_name} ({result.policy_id}, version {result.policy_version}); "
        f"taxonomy {result.taxonomy_id} {result.taxonomy_version}",
    ]
    if result.home_sector_id and all(s.id != result.home_sector_id for s in result.sectors):
        lines.append(f"Home sector: {home_label} (not counted)")
    width = max([len("Sector"), *(len(s.label) for s in result.sectors)])
    lines += ["", f"{'Sector'.ljust(width)}  Engagement  Coverage  Reached  Activities"]
    for sector in result.sectors:
        lines.append(
            f"{sector.label.ljust(width)}  {sector.engagement:10.3f}  {sector.coverage:8.1%}  "
            f"{'yes' if sector.reached else '-':>7}  {sector.contribution_count:>10}"
        )
    return "\n".join(lines)
