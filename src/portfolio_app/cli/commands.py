"""One function per CLI command; each opens the services it needs and prints its result.

Each command imports what it uses inside itself: the services bring SQLAlchemy and every use
case with them, which `--version`, `--help` and the other commands need not wait for.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portfolio_app.cli import unlocking
from portfolio_app.paths import AppPaths

if TYPE_CHECKING:
    from portfolio_app.domain.damaged import DamagedRecord
    from portfolio_app.services import AppServices
    from portfolio_app.services.base import RecordService
    from portfolio_app.taxonomy import Taxonomy


def open_services(
    paths: AppPaths, taxonomy: Taxonomy | None = None, *, key: bytes | None = None
) -> AppServices:
    """The services over the data in `paths`: the only way the commands reach the database
    (services.open_services, imported when a command first needs it). Without `key`, the data
    is unlocked as `unlocking.data_key` says (keyring, environment, terminal prompt)."""
    from portfolio_app.services import open_services

    warn_about_data_dir(paths)
    # The whole-file check is skipped while the database is as the last good check left it.
    services = open_services(
        paths, taxonomy, key=key or unlocking.data_key(paths), checks="if_changed"
    )
    # A command that changed the data takes the automatic backup when one is due (30 minutes
    # since the last); a failure there is a warning line, never a failed command.
    services.backup_on_close = True
    services.backup_failed = _warn_backup_failed
    return services


def _warn_backup_failed(exc: Exception) -> None:
    print(f"portfolio-app: warning: the automatic backup failed: {exc}", file=sys.stderr)


def warn_about_data_dir(paths: AppPaths) -> None:
    """A data dir on a network or cloud-synced folder (where the database can be damaged) is
    worth a line on every command that opens it."""
    from portfolio_app.services.data_dir_check import check_data_dir

    warning = check_data_dir(paths.data_dir)
    if warning is not None:
        print(f"portfolio-app: warning: {warning.text}", file=sys.stderr)


def warn_about_taxonomy(services: AppServices) -> None:
    """A sector list that could not be used, or a new one that moved data, is worth a line."""
    status = services.taxonomy_status
    if status is None:
        return
    for line in status.summary.lines():
        print(f"portfolio-app: {line}", file=sys.stderr)
    for warning in status.warnings:
        print(f"portfolio-app: warning: {warning}", file=sys.stderr)


def gui(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.ui.app import run_gui  # Qt is loaded only for the desktop app

    demo = bool(getattr(args, "demo", False))
    return run_gui(
        paths, demo=demo, exit_after_start=bool(getattr(args, "exit_after_start", False))
    )


def init(args: argparse.Namespace, paths: AppPaths) -> int:
    """Set up the keys (first time only: passphrase, recovery code shown once), then the
    profile. A profile that fails leaves the keys set up, so running init again just works."""
    from portfolio_app.services import vault

    key = None
    if not vault.is_set_up(paths):
        key = unlocking.set_up_keys(paths, remember=not args.no_remember).data_key
    services = open_services(paths, key=key)
    try:
        profile = services.profile.set_up(
            name=args.name,
            role=args.role,
            organisation=args.organisation,
            sector=args.sector,
            force=args.force,
        )
    finally:
        services.close()
    sector = services.taxonomy.path_label(profile.home_sector_id)
    print(f"Profile set up for {profile.name} ({profile.role}),")
    print(f"{profile.home_organisation}, {sector}.")
    print(f"Data: {paths.data_dir}")
    return 0


def show_profile(args: argparse.Namespace, paths: AppPaths) -> int:
    services = open_services(paths)
    try:
        profile = services.profile.require()
    finally:
        services.close()
    print(f"Name:         {profile.name}")
    print(f"Role:         {profile.role}")
    print(f"Organisation: {profile.home_organisation}")
    print(f"Sector:       {services.taxonomy.path_label(profile.home_sector_id)}")
    print(f"Data:         {paths.data_dir}")
    return 0


def import_csv(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.services.csv_import import CsvNeedsConfirmation

    services = open_services(paths)
    try:
        result = services.csv_import.import_file(
            Path(args.file), accept_warnings=bool(getattr(args, "accept_warnings", False))
        )
    except CsvNeedsConfirmation as exc:
        print(f"portfolio-app: {exc}", file=sys.stderr)
        print(
            "portfolio-app: if these are right, import again with --accept-warnings",
            file=sys.stderr,
        )
        return 1
    finally:
        services.close()
    print(
        f"Imported {result.activities} activit{'y' if result.activities == 1 else 'ies'}: "
        f"{result.counts()} ({result.organisations_created} new organisations, "
        f"{result.contacts_created} new contacts)."
    )
    return 0


def export_csv(args: argparse.Namespace, paths: AppPaths) -> int:
    services = open_services(paths)
    try:
        count = services.csv_export.export_activities(Path(args.out))
        note_damaged(services, "the export")
    finally:
        services.close()
    print(f"Exported {count} activit{'y' if count == 1 else 'ies'} to {args.out}.")
    return 0


def csv_template(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.services.csv_export import CsvExportService

    out = Path(args.out)
    CsvExportService.write_template(out)
    what = "an Excel (.xlsx)" if out.suffix.casefold() == ".xlsx" else "a CSV"
    print(f"Wrote {what} template to {args.out}.")
    return 0


def list_entries(args: argparse.Namespace, paths: AppPaths) -> int:
    services = open_services(paths)
    try:
        rows, damaged = _listing(services, args.what)
        if args.json and args.what in ("activities", "lessons"):
            _add_evidence(services, args.what, rows)
    finally:
        services.close()
    if damaged:
        # The good rows still list; each damaged one gets a line (never a failed command).
        sys.stdout.flush()
        warn_about_damaged(damaged)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows and not damaged:
        print(f"No {args.what} yet.")
    elif not rows:
        print(f"No readable {args.what}.")
    else:
        columns = list(rows[0])
        widths = {c: min(40, max(len(c), *(len(str(r[c])) for r in rows))) for c in columns}
        print("  ".join(c.ljust(widths[c]) for c in columns))
        for row in rows:
            print("  ".join(_cut(str(row[c]), widths[c]).ljust(widths[c]) for c in columns))
    return 0


def _add_evidence(services: AppServices, what: str, rows: list[dict[str, Any]]) -> None:
    """Each activity's or lesson's evidence files (names and facts, never the contents)."""
    from portfolio_app.cli.evidence_commands import evidence_entry

    owner = "activity_id" if what == "activities" else "lesson_id"
    files: dict[int, list[dict[str, Any]]] = {}
    for evidence in services.evidence.list_all():
        owner_id = getattr(evidence, owner)
        if owner_id is not None:
            files.setdefault(owner_id, []).append(evidence_entry(evidence))
    for row in rows:
        row["evidence"] = files.get(row["id"], [])


def note_damaged(services: AppServices, left_out_of: str) -> None:
    """A line on stderr when damaged entries are left out of a score or an export."""
    from portfolio_app.domain.damaged import CHECK_HINT

    count = len(services.check.damaged_entries())
    if count:
        entries = "1 damaged entry is" if count == 1 else f"{count} damaged entries are"
        print(f"portfolio-app: {entries} left out of {left_out_of}; {CHECK_HINT}", file=sys.stderr)


def warn_about_damaged(damaged: list[DamagedRecord]) -> None:
    """One line on stderr per damaged entry: "activity 17 is damaged: start is not a date
    ('2026-13-45'); run `portfolio-app check`"."""
    from portfolio_app.domain.damaged import CHECK_HINT

    for entry in damaged:
        print(f"portfolio-app: {entry.describe()}; {CHECK_HINT}", file=sys.stderr)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _listing(services: AppServices, what: str) -> tuple[list[dict[str, Any]], list[DamagedRecord]]:
    """The rows `list` prints, and the damaged entries of that kind left out of them."""
    stores: dict[str, RecordService[Any, Any, Any]] = {
        "activities": services.activities,
        "lessons": services.lessons,
        "organisations": services.organisations,
        "contacts": services.contacts,
        "goals": services.goals,
        "reviews": services.reviews,
    }
    damaged = stores[what].damaged()
    return _rows(services, what), damaged


def _rows(services: AppServices, what: str) -> list[dict[str, Any]]:
    taxonomy = services.taxonomy
    if what == "activities":
        return [
            {
                "id": r.activity.id,
                "start": r.activity.start.isoformat(),
                "end": r.activity.end.isoformat() if r.activity.end else "",
                "type": r.activity.type.value,
                "title": r.activity.title,
                "organisations": "; ".join(r.organisation_names),
                "sectors": "; ".join(taxonomy.label(s) for s in r.sector_ids),
                "visibility": r.activity.visibility.value,
                "status": r.activity.status.value,
            }
            for r in services.activities.rows()
        ]
    if what == "lessons":
        return [
            {
                "id": lesson.id,
                "title": lesson.title,
                "activity_id": lesson.activity_id,
                "recorded_on": lesson.recorded_on.isoformat() if lesson.recorded_on else "",
                "shared_sections": ", ".join(s.value for s in lesson.shared_sections()),
            }
            for lesson in services.lessons.list_all()
        ]
    if what == "goals":
        return [
            {
                "id": g.id,
                "title": g.title,
                "sectors": "; ".join(taxonomy.label(s) for s in g.sector_ids),
                "target_date": g.target_date.isoformat() if g.target_date else "",
                "achieved": g.achieved,
                "review_id": g.review_id,
            }
            for g in services.goals.list_all()
        ]
    if what == "reviews":
        return [
            {
                "id": r.id,
                "held_on": r.held_on.isoformat(),
                "reviewer": r.reviewer_name,
                "role": r.reviewer_role,
                "objectives": len(services.reviews.agreed_goals(r.id or 0)),
            }
            for r in services.reviews.list_all()
        ]
    if what == "organisations":
        return [
            {
                "id": o.id,
                "name": o.name,
                "sector": taxonomy.path_label(o.sector_id),
                "aliases": "; ".join(o.aliases),
            }
            for o in services.organisations.list_all()
        ]
    organisations = {o.id: o.name for o in services.organisations.list_all()}
    return [
        {
            "id": c.id,
            "name": c.name,
            "roles": "; ".join(
                f"{r.job_title} at {organisations.get(r.organisation_id, '?')}".strip()
                for r in c.roles
            ),
        }
        for c in services.contacts.list_all()
    ]
