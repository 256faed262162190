"""`portfolio-app export-leap2a --out FILE.zip [--include-private]`: the portfolio as a Leap2A
package, for e-portfolio systems such as Mahara.

Shared content only unless `--include-private` (what goes in is decided by
`portfolio_app.export.selection`, the rule the PDF follows too). The format is described in
docs/leap2a-export.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from portfolio_app.cli.commands import open_services, warn_about_taxonomy
from portfolio_app.paths import AppPaths


def register(subparsers: Any) -> None:
    """Add the `export-leap2a` command to the CLI's subparsers (argparse's _SubParsersAction)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export-leap2a",
        help="export your portfolio as a Leap2A zip for e-portfolio systems (Mahara)",
        description="Write a Leap2A package (leap2a.xml and the evidence files, in one zip) "
        "that e-portfolio systems such as Mahara import: activities, the organisations they "
        "were with, lessons and evidence files. Only shared activities, shared parts of "
        "lessons and shared evidence files of shared activities are included; people you "
        "met appear only as their organisation.",
    )
    parser.add_argument("--out", required=True, metavar="FILE.zip", help="the zip file to write")
    parser.add_argument(
        "--include-private",
        action="store_true",
        help="also include private activities and private parts of lessons (private evidence "
        "files and the files of private activities stay out)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.export.leap2a import Leap2AOptions, export_leap2a

    out = Path(args.out).expanduser()
    services = open_services(paths)
    warn_about_taxonomy(services)
    try:
        result = export_leap2a(services, Leap2AOptions(include_private=args.include_private), out)
    finally:
        services.close()
    if result.activities == 0 and not args.include_private:
        print(
            "portfolio-app: warning: no shared activity to export (share some, or use "
            "--include-private)",
            file=sys.stderr,
        )
    print(
        f"Wrote {result.path} ({_count(result.activities, 'activity', 'activities')}, "
        f"{_count(result.organisations, 'organisation')}, {_count(result.lessons, 'lesson')}, "
        f"{_count(result.files, 'file')})"
    )
    return 0


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
