"""`portfolio-app contact erase ID [--prune-backups] [--yes]` and `portfolio-app contact export
ID --out FILE`: the right to erasure and "everything about this contact" for scripts.

`erase` prints the preview first, then asks on a terminal; without one it erases only with
`--yes` (a one-line refusal otherwise, exit 1, nothing changed)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from portfolio_app.cli.commands import open_services
from portfolio_app.paths import AppPaths


def register(subparsers: Any) -> None:
    """Add `contact` and its subcommands to the CLI's subparsers (argparse's _SubParsersAction)."""
    contact: argparse.ArgumentParser = subparsers.add_parser(
        "contact",
        help="erase a contact everywhere, or export everything about them to JSON",
        description="Personal data of the people in your log (ids: `list contacts`).",
    )
    contact.set_defaults(handler=_usage(contact))
    sub = contact.add_subparsers(dest="contact_command", metavar="SUBCOMMAND")

    erase = sub.add_parser(
        "erase",
        help="delete a contact everywhere, after a preview of what changes",
        description="Show what erasing the contact changes (roles, activities that list them, "
        "your own text that names them, backups that still hold them), then delete them. "
        "Your own text is never edited. Asks for confirmation on a terminal; without one, "
        "give --yes.",
    )
    erase.add_argument("id", metavar="ID", type=int, help="the contact's id")
    erase.add_argument(
        "--prune-backups",
        action="store_true",
        help="also delete the older backups that still hold the contact",
    )
    erase.add_argument("--yes", action="store_true", help="erase without asking")
    erase.set_defaults(handler=run_erase)

    export = sub.add_parser(
        "export",
        help="write everything about a contact to a JSON file (owner-only)",
        description="The contact, their roles, the activities and lessons they are linked to, "
        "their notes and where your own text names them, as JSON (the format is in "
        "docs/contact-export-format.md).",
    )
    export.add_argument("id", metavar="ID", type=int, help="the contact's id")
    export.add_argument("--out", required=True, metavar="FILE")
    export.set_defaults(handler=run_export)


def _usage(parser: argparse.ArgumentParser) -> Any:
    def handler(_args: argparse.Namespace, _paths: AppPaths) -> int:
        parser.print_help(sys.stderr)
        return 2

    return handler


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def run_erase(args: argparse.Namespace, paths: AppPaths) -> int:
    services = open_services(paths)
    try:
        erasure = services.contact_erasure
        preview = erasure.preview(args.id)
        for line in preview.lines():
            print(line)
        if preview.backups.holding:
            print(
                "The backups above will be deleted too."
                if args.prune_backups
                else "The backups above are kept (add --prune-backups to delete them too)."
            )
        if not args.yes:
            if not _interactive():
                print(
                    "portfolio-app: nothing erased: there is no terminal to confirm on; "
                    "add --yes to erase",
                    file=sys.stderr,
                )
                return 1
            answer = input(f"Erase “{preview.contact.name}” everywhere? [y/N] ")
            if answer.strip().casefold() not in ("y", "yes"):
                print("Nothing was erased.")
                return 1
        result = erasure.erase(args.id, prune_backups=bool(args.prune_backups))
    finally:
        services.close()
    for line in result.lines():
        print(line)
    return 0


def run_export(args: argparse.Namespace, paths: AppPaths) -> int:
    services = open_services(paths)
    try:
        written = services.contact_export.export(args.id, Path(args.out))
    finally:
        services.close()
    print(
        f"Exported everything about “{written.name}” to {written.path} "
        f"({_count(written.activities, 'activity', 'activities')}, "
        f"{_count(written.lessons, 'lesson')}, "
        f"named in {_count(written.mentions, 'place')} of your own text)."
    )
    return 0


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
