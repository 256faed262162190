"""`portfolio-app check`: is the data sound? The file, the links, and every stored value.

Prints an "ok" line per layer that is sound and one line per problem; exits 0 when nothing
was found and 1 when something was (so scripts and backups can rely on it).
"""

from __future__ import annotations

import argparse
from typing import Any

from portfolio_app.cli.commands import open_services
from portfolio_app.paths import AppPaths

EX_PROBLEMS = 1


def register(subparsers: Any) -> None:
    """Add the `check` command to the CLI's subparsers (argparse's _SubParsersAction)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check",
        help="check the database file, the links between entries and every stored value",
        description="Run SQLite's quick_check, SQLCipher's cipher_integrity_check and "
        "foreign_key_check, then check every stored value of every entry (dates, types, "
        "text, numbers, sectors). Prints 'ok' lines, or one line per problem; exits 0 when "
        "the data is sound and 1 when problems were found. Nothing is changed.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    services = open_services(paths)
    try:
        report = services.check.run()
    finally:
        services.close()
    for line in report.lines():
        print(line)
    return 0 if report.ok else EX_PROBLEMS
