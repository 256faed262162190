"""`portfolio-app attach ID FILE [--lesson] [--shared]` and `portfolio-app detach EVIDENCE_ID`:
evidence files for scripts. `list activities --json` and `list lessons --json` list them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portfolio_app.cli.commands import open_services
from portfolio_app.paths import AppPaths

if TYPE_CHECKING:
    from portfolio_app.domain.evidence import Evidence


def register(subparsers: Any) -> None:
    """Add `attach` and `detach` to the CLI's subparsers (argparse's _SubParsersAction)."""
    from portfolio_app.domain.evidence import MAX_EVIDENCE_BYTES, human_size

    attach: argparse.ArgumentParser = subparsers.add_parser(
        "attach",
        help="store a file as evidence of an activity (or a lesson)",
        description="Store a copy of FILE, encrypted with the rest of your data, as evidence "
        f"of an activity (at most {human_size(MAX_EVIDENCE_BYTES)} a file). It is private "
        "unless --shared. Prints the new evidence id.",
    )
    attach.add_argument("id", metavar="ACTIVITY_ID", type=int, help="the activity's id")
    attach.add_argument("file", metavar="FILE")
    attach.add_argument(
        "--lesson", action="store_true", help="ACTIVITY_ID is a lesson's id: attach it there"
    )
    attach.add_argument(
        "--shared",
        action="store_true",
        help="its name may be listed in exports of the activity (when the activity is shared)",
    )
    attach.set_defaults(handler=run_attach)

    detach = subparsers.add_parser(
        "detach",
        help="delete an evidence file",
        description="Delete an evidence file for good (ids: `list activities --json`).",
    )
    detach.add_argument("evidence_id", metavar="EVIDENCE_ID", type=int)
    detach.set_defaults(handler=run_detach)


def run_attach(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.domain.enums import Visibility

    owner = {"lesson_id" if args.lesson else "activity_id": args.id}
    visibility = Visibility.SHARED if args.shared else Visibility.PRIVATE
    services = open_services(paths)
    try:
        added = services.evidence.add_file(Path(args.file), visibility=visibility, **owner)
    finally:
        services.close()
    print(added.id)
    return 0


def run_detach(args: argparse.Namespace, paths: AppPaths) -> int:
    services = open_services(paths)
    try:
        removed = services.evidence.remove(args.evidence_id)
    finally:
        services.close()
    owner = (
        f"activity {removed.activity_id}"
        if removed.activity_id is not None
        else f"lesson {removed.lesson_id}"
    )
    print(f"Deleted the evidence file “{removed.name}” of {owner}.")
    return 0


def evidence_entry(evidence: Evidence) -> dict[str, Any]:
    """How `list --json` shows a file: its name and facts, never its contents."""
    return {
        "id": evidence.id,
        "name": evidence.name,
        "type": evidence.media_type,
        "size": evidence.size,
        "added": evidence.added_at.isoformat() if evidence.added_at else "",
        "visibility": evidence.visibility.value,
    }
