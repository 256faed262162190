"""`portfolio-app search TEXT [--json]`: the entries matching what was typed, kind by kind.

The same search as the window's search boxes (every word a prefix, case and accents folded:
"sian" finds "Siân"; docs/search.md). No match is not an error: it prints a line and exits 0.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from portfolio_app.cli.commands import open_services
from portfolio_app.paths import AppPaths

HEADINGS = {
    "activity": "Activities",
    "lesson": "Lessons learned",
    "organisation": "Organisations",
    "contact": "Contacts",
}


def register(subparsers: Any) -> None:
    """Add the `search` command to the CLI's subparsers (argparse's _SubParsersAction)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "search",
        help="find activities, lessons, organisations and contacts by their words",
        description="Find the entries holding every word typed, as the start of a word, "
        "ignoring case and accents ('sian' finds 'Siân'), in activities (title, description, "
        "type, organisations, contacts), lessons learned, organisations (name, also known as) "
        "and contacts (name, notes). Prints the hits kind by kind, best first; no match "
        "prints a line and exits 0.",
    )
    parser.add_argument("text", help="the words to find (quote several words)")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    services = open_services(paths)
    try:
        hits = services.search.search(args.text)
    finally:
        services.close()
    if args.json:
        print(json.dumps([hit.as_json() for hit in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print(f"No entries match “{args.text.strip()}”.")
        return 0
    for kind, heading in HEADINGS.items():
        found = [hit for hit in hits if hit.kind == kind]
        if not found:
            continue
        print(f"{heading} ({len(found)})")
        for hit in found:
            day = f"{hit.date.day} {hit.date:%b %Y}  " if hit.date else ""
            snippet = f" — {hit.snippet}" if hit.snippet and hit.snippet != hit.title else ""
            print(f"  {day}{hit.title}{snippet}")
    return 0
