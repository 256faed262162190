"""`portfolio-app export-pdf --out FILE`: the PDF portfolio, headless.

Shared content only unless `--include-private` (what appears is decided by
`portfolio_app.export.selection`, the rule the GUI's export follows too); contacts by
organisation and sector unless `--show-names`. `--export-date` (not shown in --help) fixes the
date printed on the document and makes the output byte-for-byte reproducible, for tests and
examples.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portfolio_app.cli.arguments import typed_date
from portfolio_app.cli.commands import note_damaged, open_services, warn_about_taxonomy
from portfolio_app.paths import AppPaths

if TYPE_CHECKING:
    from portfolio_app.export.pdf import ExportOptions

# export.pdf.Paper's values, spelt out so that --help need not load reportlab with the PDF code
# (tests/test_startup_imports.py checks they agree).
PAPER_CHOICES = ("a4", "letter")


def register(subparsers: Any) -> None:
    """Add the `export-pdf` command to the CLI's subparsers (argparse's _SubParsersAction)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export-pdf",
        help="export your portfolio as a PDF for appraisal",
        description="Write the PDF portfolio: a summary with the breadth score, the timeline "
        "and each activity with its lessons, development goals, a review page for your "
        "manager, and how the score is calculated. Only shared activities, shared parts of "
        "lessons and shared goals are included, and people you met appear by organisation and "
        "sector.",
    )
    parser.add_argument("--out", required=True, metavar="FILE", help="the PDF file to write")
    parser.add_argument(
        "--from",
        dest="start",
        type=typed_date,
        metavar="DATE",
        help="first day of the period, YYYY-MM-DD (default: 12 months before --to)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        type=typed_date,
        metavar="DATE",
        help="last day of the period, YYYY-MM-DD (default: today)",
    )
    parser.add_argument(
        "--include-private",
        action="store_true",
        help="also include private activities, private parts of lessons and private goals",
    )
    parser.add_argument(
        "--show-names",
        action="store_true",
        help="show the names of people you met (default: only their organisation and sector)",
    )
    parser.add_argument(
        "--paper",
        choices=PAPER_CHOICES,
        default=PAPER_CHOICES[0],
        help="paper size (default: a4)",
    )
    parser.add_argument("--export-date", type=typed_date, help=argparse.SUPPRESS)
    parser.set_defaults(handler=run)


EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def options_from_args(args: argparse.Namespace, today: date) -> ExportOptions:
    """The export options the arguments ask for. Raises InvalidInput for an impossible period."""
    from portfolio_app.domain.validation import FieldError, InvalidInput
    from portfolio_app.export.pdf import ExportOptions, Paper
    from portfolio_app.export.periods import Period, last_twelve_months

    export_date: date | None = args.export_date
    end: date = args.end or export_date or today
    # The summary looks back a period and the trend three years: keep well inside the calendar.
    for option, day in (("--from", args.start), ("--to", end)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise InvalidInput(
                [FieldError(option, f"{day.isoformat()} is out of range (use 1900 to 2999)")]
            )
    if args.start is None:
        period = last_twelve_months(end)
    elif args.start > end:
        raise InvalidInput(
            [FieldError("--from", f"{args.start.isoformat()} is after {end.isoformat()}")]
        )
    else:
        period = Period(args.start, end)
    return ExportOptions(
        period=period,
        include_private=args.include_private,
        show_names=args.show_names,
        paper=Paper(args.paper),
        export_date=export_date,
        reproducible=export_date is not None,
    )


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.export.pdf import export_pdf  # reportlab: only when a PDF is made

    options = options_from_args(args, date.today())
    out = Path(args.out).expanduser()
    services = open_services(paths)
    warn_about_taxonomy(services)
    try:
        result = export_pdf(services, options, out)
        note_damaged(services, "the PDF")
    finally:
        services.close()
    for warning in result.warnings:
        print(f"portfolio-app: warning: {warning}", file=sys.stderr)
    activities = f"{result.activities} activit{'y' if result.activities == 1 else 'ies'}"
    lessons = f"{result.lessons} lesson{'' if result.lessons == 1 else 's'}"
    print(
        f"Wrote {result.path} ({result.pages} pages: {activities}, {lessons}; "
        f"{options.period.label()})"
    )
    return 0
