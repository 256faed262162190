"""`portfolio-app taxonomy ...`: HR's tools (validate, diff, CSV, edit) and the user's (show,
install). cli/main.py calls `register(subparsers)`; each handler takes (args, paths) like the
other commands, prints problems to stderr and returns the exit code itself. Handlers import the
taxonomy code (pydantic) and the services when they run, not when the CLI starts.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from portfolio_app.cli.commands import open_services, warn_about_taxonomy
from portfolio_app.paths import AppPaths

if TYPE_CHECKING:
    from portfolio_app.taxonomy.model import Taxonomy
    from portfolio_app.taxonomy.retirement import SectorUsage
    from portfolio_app.taxonomy.sources import TaxonomyInForce

EDITOR_MODULE = "portfolio_app.ui.taxonomy_editor"
PROG = "portfolio-app"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `taxonomy` command and its subcommands to the main parser's subparsers."""
    taxonomy = subparsers.add_parser(
        "taxonomy",
        help="check, show, install and compare sector taxonomies (for HR teams)",
        description="Sector taxonomy tools. The file format is in docs/taxonomy-format.md; "
        "deploying one file to every machine is in docs/hr-guide.md.",
    )
    taxonomy.set_defaults(handler=_usage_handler(taxonomy))
    sub = taxonomy.add_subparsers(dest="taxonomy_command", metavar="SUBCOMMAND")

    validate_parser = sub.add_parser(
        "validate", help="check a taxonomy file and list every problem (exit 1 if any)"
    )
    validate_parser.add_argument("file", metavar="FILE")
    validate_parser.set_defaults(handler=validate)

    show_parser = sub.add_parser(
        "show", help="the taxonomy in force, where it came from, and every sector"
    )
    show_parser.set_defaults(handler=show)

    install_parser = sub.add_parser(
        "install", help="use FILE as your taxonomy (refused when HR manages it)"
    )
    install_parser.add_argument("file", metavar="FILE")
    install_parser.set_defaults(handler=install)

    uninstall_parser = sub.add_parser(
        "uninstall", help="stop using the taxonomy you installed and go back to the default"
    )
    uninstall_parser.set_defaults(handler=uninstall)

    diff_parser = sub.add_parser(
        "diff", help="what NEW adds, renames, retires and removes compared with OLD"
    )
    diff_parser.add_argument("old", metavar="OLD")
    diff_parser.add_argument("new", metavar="NEW")
    diff_parser.set_defaults(handler=diff)

    export_parser = sub.add_parser(
        "export-csv", help="write the sectors of FILE (default: the taxonomy in force) to CSV"
    )
    export_parser.add_argument("file", metavar="FILE", nargs="?")
    export_parser.add_argument("--out", required=True, metavar="CSV")
    export_parser.set_defaults(handler=export_csv)

    import_parser = sub.add_parser(
        "import-csv",
        help="make a taxonomy file from a CSV of sectors, keeping BASE's title, version "
        "and retired list",
    )
    import_parser.add_argument("csv", metavar="CSV")
    import_parser.add_argument(
        "--base", metavar="FILE", help="taxonomy to take the rest from (default: the one in force)"
    )
    import_parser.add_argument("--out", required=True, metavar="FILE")
    import_parser.set_defaults(handler=import_csv)

    edit_parser = sub.add_parser("edit", help="open the taxonomy editor (desktop)")
    edit_parser.add_argument("file", metavar="FILE", nargs="?")
    edit_parser.set_defaults(handler=edit)


Handler = Callable[[argparse.Namespace, AppPaths], int]


def _usage_handler(parser: argparse.ArgumentParser) -> Handler:
    def handler(args: argparse.Namespace, paths: AppPaths) -> int:
        parser.print_help(sys.stderr)
        return 2

    return handler


def _fail(error: Exception) -> int:
    """Print every problem, one a line, on stderr."""
    from portfolio_app.taxonomy.errors import TaxonomyError, plural

    if isinstance(error, TaxonomyError):
        for line in error.lines():
            print(line, file=sys.stderr)
        count = len(error.problems)
        if count > 1:
            print(f"{PROG}: {plural(count, 'problem')} found", file=sys.stderr)
    else:
        print(f"{PROG}: {error}", file=sys.stderr)
    return 1


# --- HR's commands ----------------------------------------------------------------------------


def validate(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.taxonomy.errors import TaxonomyError, plural
    from portfolio_app.taxonomy.loader import load_taxonomy

    try:
        taxonomy = load_taxonomy(Path(args.file))
    except TaxonomyError as exc:
        return _fail(exc)
    for warning in [*taxonomy.warnings, *_against_in_force(taxonomy, paths)]:
        print(f"{args.file}: warning: {warning}", file=sys.stderr)
    moves = _check_against_data(args.file, taxonomy, paths)
    if moves is None:
        return 1
    print(
        f"{args.file}: OK: {taxonomy.title}, version {taxonomy.version}, "
        f"{plural(len(taxonomy.sectors), 'sector')}, {len(taxonomy.retired)} retired"
    )
    for line in moves:
        print(f"{args.file}: installing it on the data in {paths.data_dir} would move {line}")
    return 0


def _check_against_data(file: str, taxonomy: Taxonomy, paths: AppPaths) -> list[str] | None:
    """Where the data dir has a database: what installing would move there, or None (reported)
    when installing would be refused because the file drops a sector that data uses. A
    deployment pipeline running `validate` with `--data-dir` then stops before deploying."""
    if not paths.database.is_file():
        return []
    from portfolio_app.services.errors import ServiceError
    from portfolio_app.services.vault import PassphraseRequired
    from portfolio_app.storage.errors import StorageError
    from portfolio_app.taxonomy.errors import SectorsInUseError, TaxonomyError

    try:
        services = open_services(paths, taxonomy)  # an explicit taxonomy moves nothing
        try:
            plan = services.taxonomies.check_fits_data(taxonomy, file)
        finally:
            services.close()
    except SectorsInUseError as exc:
        _fail(exc)
        print(
            f"{PROG}: installing {file} on the data in {paths.data_dir} would be refused",
            file=sys.stderr,
        )
        return None
    except PassphraseRequired:
        raise  # not unlocked: exit code 2 from main, like every command
    except (TaxonomyError, ServiceError, StorageError) as exc:
        print(f"{PROG}: cannot check {file} against the data in {paths.data_dir}:", file=sys.stderr)
        _fail(exc)
        return None
    return [move.describe_pending() for move in plan.moves]


def diff(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.storage.errors import StorageError
    from portfolio_app.taxonomy.diff import diff_taxonomies
    from portfolio_app.taxonomy.errors import TaxonomyError
    from portfolio_app.taxonomy.loader import load_taxonomy

    try:
        old = load_taxonomy(Path(args.old))
        new = load_taxonomy(Path(args.new))
        usage = _existing_usage(paths, old)
    except (TaxonomyError, StorageError) as exc:
        return _fail(exc)
    from portfolio_app.taxonomy.versions import version_kept_warning

    for line in diff_taxonomies(old, new, usage).lines():
        print(line)
    kept = version_kept_warning(old, new)
    if kept:
        print(f"Warning: {kept}")
    return 0


def _against_in_force(taxonomy: Taxonomy, paths: AppPaths) -> list[str]:
    """Warnings from comparing a file with the taxonomy in force here (a kept version)."""
    from portfolio_app.taxonomy.errors import TaxonomyError
    from portfolio_app.taxonomy.versions import version_kept_warning

    try:
        in_force = _found(paths).taxonomy
    except TaxonomyError:
        return []  # only the shipped default can fail, and that is reported by every command
    kept = version_kept_warning(in_force, taxonomy)
    return [f"compared with the list in force: {kept}"] if kept else []


def export_csv(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.taxonomy.csv_io import export_sectors_csv
    from portfolio_app.taxonomy.errors import TaxonomyError, plural
    from portfolio_app.taxonomy.loader import load_taxonomy

    try:
        taxonomy = load_taxonomy(Path(args.file)) if args.file else _found(paths).taxonomy
        count = export_sectors_csv(taxonomy, Path(args.out))
    except TaxonomyError as exc:
        return _fail(exc)
    print(f"Wrote {plural(count, 'sector')} of {taxonomy.title} to {args.out}.")
    return 0


def import_csv(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.atomic_files import FileMode
    from portfolio_app.taxonomy.csv_io import load_sectors_csv
    from portfolio_app.taxonomy.errors import TaxonomyError, plural
    from portfolio_app.taxonomy.loader import load_taxonomy
    from portfolio_app.taxonomy.writer import write_taxonomy

    try:
        base = load_taxonomy(Path(args.base)) if args.base else _found(paths).taxonomy
        taxonomy = load_sectors_csv(Path(args.csv), base)
        # Shared: HR deploys this file to users, who must be able to read it.
        write_taxonomy(Path(args.out), taxonomy, mode=FileMode.SHARED)
    except TaxonomyError as exc:
        return _fail(exc)
    print(
        f"Wrote {args.out}: {taxonomy.title}, version {taxonomy.version}, "
        f"{plural(len(taxonomy.sectors), 'sector')}. Set its version and date before deploying."
    )
    return 0


def edit(args: argparse.Namespace, paths: AppPaths) -> int:
    try:
        module = importlib.import_module(EDITOR_MODULE)
        run_editor = cast(Callable[[Path | None], int], module.run_editor)
    except (ImportError, AttributeError) as exc:
        print(
            f"{PROG}: the taxonomy editor is not available in this installation ({exc}). "
            f"Edit the JSON file in a text editor and check it with '{PROG} taxonomy validate'.",
            file=sys.stderr,
        )
        return 1
    return run_editor(Path(args.file) if args.file else None)


# --- the user's commands ----------------------------------------------------------------------


def show(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.taxonomy.errors import TaxonomyError

    try:
        found = _found(paths)
    except TaxonomyError as exc:
        return _fail(exc)
    for line in describe_in_force(found, paths):
        print(line)
    return 0


def install(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.services.errors import ServiceError
    from portfolio_app.services.vault import PassphraseRequired
    from portfolio_app.storage.errors import StorageError
    from portfolio_app.taxonomy.errors import TaxonomyError, plural

    try:
        services = open_services(paths)
        try:
            warn_about_taxonomy(services)
            result = services.taxonomies.install(Path(args.file))
        finally:
            services.close()
    except PassphraseRequired:
        raise  # not unlocked: exit code 2 from main, like every command
    except (TaxonomyError, ServiceError, StorageError) as exc:
        return _fail(exc)
    taxonomy = result.taxonomy
    print(
        f"Installed {taxonomy.title}, version {taxonomy.version} "
        f"({plural(len(taxonomy.sectors), 'sector')}), for you only."
    )
    for line in result.summary.lines():
        print(line)
    return 0


def uninstall(args: argparse.Namespace, paths: AppPaths) -> int:
    if not paths.installed_taxonomy.is_file():
        print("You have not installed a taxonomy; nothing to do.")
        return 0
    from portfolio_app.services.errors import ServiceError
    from portfolio_app.services.vault import PassphraseRequired
    from portfolio_app.storage.errors import StorageError
    from portfolio_app.taxonomy.errors import TaxonomyError

    try:
        services = open_services(paths)
        try:
            warn_about_taxonomy(services)
            status = services.taxonomies.remove_installed()
        finally:
            services.close()
    except PassphraseRequired:
        raise  # not unlocked: exit code 2 from main, like every command
    except (TaxonomyError, ServiceError, StorageError) as exc:
        return _fail(exc)
    print(f"Now using {status.taxonomy.title}, version {status.taxonomy.version}.")
    for line in status.summary.lines():
        print(line)
    return 0


def describe_in_force(found: TaxonomyInForce, paths: AppPaths) -> list[str]:
    from portfolio_app.services.taxonomy_service import read_applied_record

    taxonomy = found.taxonomy
    lines = [
        f"Taxonomy:  {taxonomy.title}",
        f"Id:        {taxonomy.id}",
        f"Version:   {taxonomy.version}" + (f" ({taxonomy.date})" if taxonomy.date else ""),
        f"Publisher: {taxonomy.publisher or '-'}",
        f"Source:    {found.source.kind.label}",
        f"File:      {found.source.path}",
    ]
    if found.managed:
        lines.append(f"           {found.managed_by}: you cannot install another taxonomy.")
    record = read_applied_record(paths)
    if record is not None and record.taxonomy != taxonomy:
        lines.append(
            f"Your data was last placed with {record.taxonomy.title} {record.taxonomy.version};"
            " the app applies this one when it next opens your data."
        )
    lines += [f"Warning:   {w}" for w in found.warnings]
    lines.append("")
    lines += sector_table(taxonomy)
    if taxonomy.retired:
        lines += ["", f"Retired ({len(taxonomy.retired)}):"]
        for entry in taxonomy.retired:
            target = taxonomy.replacement_for(entry.id)
            replacement = f"→ {target} ({taxonomy.label(target)})" if target else "(no replacement)"
            since = f", since {entry.since_version}" if entry.since_version else ""
            note = f": {entry.note}" if entry.note else ""
            lines.append(f"  {entry.id} {replacement}{since}{note}")
    return lines


def sector_table(taxonomy: Taxonomy) -> list[str]:
    """Every sector, parents before children (labels indented by depth)."""
    rows: list[Sequence[str]] = [("ID", "LABEL", "PARENT", "ALIASES")]
    for sector in taxonomy.ordered():
        depth = len(taxonomy.ancestry(sector.id)) - 1
        rows.append(
            (
                sector.id,
                "  " * depth + sector.label,
                sector.parent_id or "-",
                "; ".join(sector.aliases) or "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    out = [f"Sectors ({len(taxonomy.sectors)}):"]
    for row in rows:
        out.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)))
        out[-1] = (out[-1] + "  " + row[3]).rstrip()
    return out


def _found(paths: AppPaths) -> TaxonomyInForce:
    from portfolio_app.taxonomy.sources import find_taxonomy

    return find_taxonomy(paths)


def _existing_usage(paths: AppPaths, old: Taxonomy) -> SectorUsage | None:
    """This user's data per sector, without creating a database where there is none; opened
    with `old` as given, so that comparing two files never moves the user's data."""
    if not paths.database.is_file():
        return None
    services = open_services(paths, old)
    try:
        return services.taxonomies.usage()
    finally:
        services.close()
