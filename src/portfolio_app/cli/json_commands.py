"""`portfolio-app export-json --out FILE` and `portfolio-app import-json FILE [--merge]`:
everything in the data folder as one open JSON document (docs/json-format.md), and back."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from portfolio_app.cli import unlocking
from portfolio_app.cli.commands import open_services, warn_about_taxonomy
from portfolio_app.paths import AppPaths


def register(subparsers: Any) -> None:
    """Add both commands to the CLI's subparsers (argparse's _SubParsersAction)."""
    export: argparse.ArgumentParser = subparsers.add_parser(
        "export-json",
        help="export everything to one JSON file (owner-only), to move or keep your data",
        description="Your profile, organisations, contacts and their roles, activities, lessons "
        "(with which parts are shared), reviews, goals and evidence files (in base64), in the "
        "open format described in docs/json-format.md. The file holds private entries too: "
        "it is written readable by you only.",
    )
    export.add_argument("--out", required=True, metavar="FILE")
    export.set_defaults(handler=run_export)

    imp: argparse.ArgumentParser = subparsers.add_parser(
        "import-json",
        help="import a JSON export: into an empty data folder, or --merge into yours",
        description="Recreate the data of an export-json file in an empty data folder (one "
        "that holds at most the profile `init` set up, which the file's replaces). The whole "
        "file is checked first; a problem anywhere imports nothing. A folder never set up is "
        "set up first, as `init` does (passphrase, recovery code).",
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument(
        "--merge",
        action="store_true",
        help="add the file's entries to a data folder that has its own: an entry already "
        "here (same uid) is left as it is, and listed if the file's differs",
    )
    imp.add_argument(
        "--no-remember",
        action="store_true",
        help="when setting up a new folder, do not keep the key in this device's password store",
    )
    imp.set_defaults(handler=run_import)


def run_export(args: argparse.Namespace, paths: AppPaths) -> int:
    services = open_services(paths)
    try:
        warn_about_taxonomy(services)
        written = services.json_export.export(Path(args.out))
    finally:
        services.close()
    print(f"Exported {written.describe()} to {written.path}.")
    return 0


def run_import(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.file_checks import check_input_file
    from portfolio_app.services import vault
    from portfolio_app.services.json_import import MAX_IMPORT_BYTES

    # Before a new folder is set up: a mistyped file name must not leave keys behind.
    check_input_file(Path(args.file), MAX_IMPORT_BYTES, "JSON file")
    key = None
    if not vault.is_set_up(paths):
        key = unlocking.set_up_keys(paths, remember=not args.no_remember).data_key
    services = open_services(paths, key=key)
    try:
        warn_about_taxonomy(services)
        result = services.json_import.import_file(Path(args.file), merge=bool(args.merge))
    finally:
        services.close()
    for line in result.lines():
        print(line)
    return 0
