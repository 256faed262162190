"""`portfolio-app`: parse arguments, run one command, turn user errors into one clear line.

Only argparse and the command modules' `register` functions load at start, so `--version` and
`--help` answer at once; each command imports the services, reportlab or Qt when it runs.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from portfolio_app import __version__
from portfolio_app.cli import (
    backup_commands,
    check_command,
    commands,
    contact_commands,
    evidence_commands,
    export_command,
    json_commands,
    leap2a_command,
    linkedin_command,
    score_command,
    search_command,
    taxonomy_commands,
    unlocking,
)
from portfolio_app.paths import DATA_DIR_ENV, AppPaths

Handler = Callable[[argparse.Namespace, AppPaths], int]
_log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portfolio-app",
        description="Portfolio: a private learning log that credits cross-sector work. "
        "With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"portfolio-app {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"where your data lives (default: ${DATA_DIR_ENV}, else the platform's data dir)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the desktop app on a demo profile with sample data (kept in its own folder)",
    )
    parser.add_argument(
        "--exit-after-start",
        action="store_true",
        help="open the desktop app and end as soon as its window has painted its lists and "
        "score (to time start-up)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="open the desktop app (the default)")
    gui.set_defaults(handler=commands.gui)

    init = sub.add_parser(
        "init",
        help="set up your profile without the desktop app",
        description="The first time: choose a passphrase (from $PORTFOLIO_APP_PASSPHRASE, or "
        "asked twice on the terminal) that encrypts your data, and note the recovery code "
        "shown once. Then, and on later runs, set up your profile.",
    )
    init.add_argument("--name", required=True)
    init.add_argument("--role", required=True)
    init.add_argument("--organisation", required=True, metavar="ORG")
    init.add_argument(
        "--sector", required=True, help="your organisation's sector: id, label or alias"
    )
    init.add_argument("--force", action="store_true", help="replace an existing profile")
    init.add_argument(
        "--no-remember",
        action="store_true",
        help="do not keep the key in this device's password store (ask for the passphrase "
        "at every start)",
    )
    init.set_defaults(handler=commands.init)

    profile = sub.add_parser("profile", help="show your profile")
    profile.set_defaults(handler=commands.show_profile)

    imp = sub.add_parser("import-csv", help="import activities from a CSV file (all or nothing)")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument(
        "--accept-warnings",
        action="store_true",
        help="import rows that are only unusual (dates more than a year ahead or before 1950, "
        "a '?' that looks like a lost letter) after you have checked them",
    )
    imp.set_defaults(handler=commands.import_csv)

    exp = sub.add_parser("export-csv", help="export every activity to a CSV file")
    exp.add_argument("--out", required=True, metavar="FILE")
    exp.set_defaults(handler=commands.export_csv)

    template = sub.add_parser("csv-template", help="write a CSV template to fill in")
    template.add_argument("--out", required=True, metavar="FILE")
    template.set_defaults(handler=commands.csv_template)

    listing = sub.add_parser(
        "list", help="list activities, lessons, organisations, contacts, goals or reviews"
    )
    listing.add_argument(
        "what",
        choices=["activities", "lessons", "organisations", "contacts", "goals", "reviews"],
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(handler=commands.list_entries)

    unlocking.register(sub)
    backup_commands.register(sub)
    score_command.register(sub)
    export_command.register(sub)
    json_commands.register(sub)
    leap2a_command.register(sub)
    contact_commands.register(sub)
    linkedin_command.register(sub)
    evidence_commands.register(sub)
    taxonomy_commands.register(sub)
    check_command.register(sub)
    search_command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", commands.gui)
    log_file: Path | None = None
    try:
        paths = AppPaths.resolve(args.data_dir)
        log_file = _start_logging(paths)
        return handler(args, paths)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return _failed(exc, log_file)
    finally:
        _close_logging()


def _failed(exc: Exception, log_file: Path | None) -> int:
    """One line for a problem the user can act on; a bug goes to `_internal_error`.

    The error classes are imported here rather than at start: the command that raised has
    loaded them already, and the taxonomy's brings pydantic, which `--version` need not load.
    """
    from portfolio_app.domain.validation import InvalidInput
    from portfolio_app.security.errors import SecurityError, WrongPassphrase, WrongRecoveryCode
    from portfolio_app.services.errors import ServiceError
    from portfolio_app.services.vault import PassphraseRequired
    from portfolio_app.storage.errors import DatabaseDamaged, StorageError
    from portfolio_app.taxonomy.errors import TaxonomyError

    if isinstance(exc, WrongPassphrase | WrongRecoveryCode | PassphraseRequired):
        # Not unlocked: a distinct code, so scripts can tell "ask again" from a failure.
        print(f"portfolio-app: {exc}", file=sys.stderr)
        return EX_NOT_UNLOCKED
    if isinstance(exc, StorageError) and log_file is not None:
        # The statement that failed, for support: SQL errors never carry their parameters
        # (the engines hide them), so the user's text stays out of the log.
        _log.warning("command failed", exc_info=exc)
    if isinstance(exc, DatabaseDamaged):
        from portfolio_app.services.backups import restore_hint

        print(f"portfolio-app: {exc} {restore_hint(exc)}", file=sys.stderr)
        return 1
    if isinstance(exc, InvalidInput | ServiceError | StorageError | SecurityError):
        print(f"portfolio-app: {exc}", file=sys.stderr)
        return 1
    if isinstance(exc, unlocking.PassphrasesDiffer):
        print(f"portfolio-app: {exc}", file=sys.stderr)
        return 1
    if isinstance(exc, TaxonomyError):
        print(f"portfolio-app: the taxonomy cannot be used: {exc}", file=sys.stderr)
        return 1
    if isinstance(exc, OSError):
        # The environment, not a bug: a folder that cannot be created, a full disk...
        if log_file is not None:  # without a file, logging would print the traceback
            _log.warning("command failed", exc_info=exc)
        print(f"portfolio-app: {_os_error_text(exc)}", file=sys.stderr)
        return 1
    return _internal_error(exc, log_file)


EX_SOFTWARE = 70  # sysexits.h: an internal software error
EX_NOT_UNLOCKED = 2  # wrong passphrase or recovery code, or none given (issue 10)


def _start_logging(paths: AppPaths) -> Path | None:
    from portfolio_app.logging_setup import configure_logging

    try:
        return configure_logging(paths)
    except OSError:
        # Still run the command; an unwritable data dir gets its own clear error. Records then
        # go nowhere, never to the terminal (logging's last resort) beside that one line.
        app_logger = logging.getLogger("portfolio_app")
        if not any(isinstance(h, logging.NullHandler) for h in app_logger.handlers):
            app_logger.addHandler(logging.NullHandler())
        return None


def _close_logging() -> None:
    if "portfolio_app.logging_setup" in sys.modules:  # nothing to close if it never started
        from portfolio_app.logging_setup import close_logging

        close_logging()


def _os_error_text(exc: OSError) -> str:
    from portfolio_app.file_checks import FileProblem

    if isinstance(exc, FileProblem):  # already one sentence naming the file ("the disk is full")
        return str(exc)
    where = f": {exc.filename}" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


def _internal_error(exc: Exception, log_file: Path | None) -> int:
    """A bug: the details go to the log file and the user gets one line saying where."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    if log_file is not None:
        _log.error("internal error", exc_info=exc)
    if log_file is not None and log_file.exists():
        where = f"details in {log_file}"
    else:
        traceback.print_exception(exc, file=sys.stderr)
        where = "no log file could be written; details above"
    print(f"portfolio-app: internal error: {message} ({where})", file=sys.stderr)
    return EX_SOFTWARE
