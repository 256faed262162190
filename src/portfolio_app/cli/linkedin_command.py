"""`portfolio-app import-linkedin FILE`: LinkedIn's Connections.csv becomes contacts with a dated
role at their organisation (docs/linkedin-import.md).

Organisations need a sector. Companies not yet among the organisations are listed with a guess
from the taxonomy, and nothing is imported until each is placed (`--sector "NAME=SECTOR"`, or
`--use-guesses`) or their connections are left out for now (`--skip-unplaced`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from portfolio_app.cli.commands import open_services
from portfolio_app.paths import AppPaths

PLACE_HINT = (
    'give each a sector with --sector "NAME=SECTOR" (an id, label or alias), take the guesses '
    "with --use-guesses, or import the others now with --skip-unplaced"
)


def register(subparsers: Any) -> None:
    """Add `import-linkedin` to the CLI's subparsers (argparse's _SubParsersAction)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "import-linkedin",
        help="import LinkedIn connections (Connections.csv) as contacts (all or nothing)",
        description="Each connection becomes a contact with a role (Position, from the day you "
        "connected) at their organisation (Company). Connections already there are not added "
        "again. A company that is not yet one of your organisations needs a sector: the "
        "command lists them with a guess and imports nothing until each is placed. Contacts "
        "alone never change the score; only logged activities do.",
    )
    parser.add_argument("file", metavar="FILE", help="Connections.csv from LinkedIn's archive")
    parser.add_argument(
        "--sector",
        action="append",
        default=[],
        metavar="NAME=SECTOR",
        type=_placement,
        help="the sector of a new organisation, e.g. --sector 'Northshire Police=police' "
        "(repeat for each)",
    )
    parser.add_argument(
        "--use-guesses",
        action="store_true",
        help="place new organisations without --sector in the sector guessed for them",
    )
    parser.add_argument(
        "--skip-unplaced",
        action="store_true",
        help="leave out connections whose new organisation has no sector (a later import "
        "brings them in)",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="show what would be imported and the organisations that need a sector; change nothing",
    )
    parser.set_defaults(handler=run)


def _placement(text: str) -> tuple[str, str]:
    name, equals, sector = text.rpartition("=")
    if not equals or not name.strip() or not sector.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r}: write NAME=SECTOR, e.g. 'Acme Care=care homes'"
        )
    return name.strip(), sector.strip()


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.services.linkedin_import import LinkedInNeedsSectors

    services = open_services(paths)
    try:
        importer = services.linkedin_import
        connections = importer.read_file(Path(args.file))
        if args.dry_run:
            preview = importer.preview(connections)
            print(
                f"{len(preview.new_contacts)} new, {preview.already_there} already there "
                "(nothing was imported: --dry-run)"
            )
            for organisation in preview.new_organisations:
                guess = (
                    services.taxonomy.path_label(organisation.guess) if organisation.guess else ""
                )
                print(
                    f"  new organisation {organisation.name!r} "
                    f"({organisation.connections} connection"
                    f"{'' if organisation.connections == 1 else 's'}): "
                    + (f"probably {guess!r}" if guess else "no guess")
                )
            return 0
        try:
            result = importer.import_connections(
                connections,
                dict(args.sector),
                use_guesses=args.use_guesses,
                skip_unplaced=args.skip_unplaced,
            )
        except LinkedInNeedsSectors as exc:
            print(f"portfolio-app: {exc}", file=sys.stderr)
            print(f"portfolio-app: {PLACE_HINT}", file=sys.stderr)
            return 1
    finally:
        services.close()
    print(f"LinkedIn connections: {result.summary()}.")
    return 0
