"""`portfolio-app backup [--out FILE] [--list]` and `portfolio-app restore FILE|--newest`.

Backups are encrypted with the data key of this data dir (they open only with its passphrase or
recovery code). A restore never overwrites: the current data is backed up first, or, when it is
damaged, kept aside with a timestamp.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portfolio_app.cli import unlocking
from portfolio_app.cli.commands import open_services
from portfolio_app.paths import AppPaths

if TYPE_CHECKING:
    from portfolio_app.services.backups import BackupInfo


def register(subparsers: Any) -> None:
    """Add `backup` and `restore` to the CLI's subparsers."""
    backup: argparse.ArgumentParser = subparsers.add_parser(
        "backup",
        help="back up your data now (to the backups folder, or to FILE)",
        description="Make a checked, encrypted copy of your data: in the backups folder of "
        "the data dir (kept and thinned like the automatic ones), or at FILE with --out. The "
        "copy opens only with this data dir's passphrase or recovery code.",
    )
    backup.add_argument("--out", metavar="FILE", help="write the backup to FILE instead")
    backup.add_argument(
        "--list", action="store_true", help="list the backups (newest first) and do nothing else"
    )
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser(
        "restore",
        help="replace your data with a backup (the current data is kept)",
        description="Replace the data with the backup FILE (or the newest sound one with "
        "--newest). The current data is backed up first; if it is damaged it is kept aside "
        "in the data dir with a timestamp instead. Nothing is ever overwritten.",
    )
    which = restore.add_mutually_exclusive_group(required=True)
    which.add_argument("file", metavar="FILE", nargs="?", help="the backup file")
    which.add_argument(
        "--newest",
        action="store_true",
        help="the newest backup in the backups folder that is sound",
    )
    restore.set_defaults(handler=run_restore)


def describe(info: BackupInfo) -> str:
    """One line per backup: when, what it holds (or why it cannot be used), where."""
    from portfolio_app.services.backups import describe_backup

    return describe_backup(info)


def run_backup(args: argparse.Namespace, paths: AppPaths) -> int:
    services = open_services(paths)
    try:
        if args.list:
            infos = services.backups.list()
            if not infos:
                print(f"No backups yet in {paths.backups_dir}.")
            for info in infos:
                print(describe(info))
            return 0
        if args.out:
            target = Path(args.out).expanduser()
            services.backups.backup_to(target)
        else:
            target = services.backups.backup_now()
    finally:
        services.close()
    print(f"Backed up to {target}.")
    return 0


def run_restore(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.services import backups, instance_lock, vault

    vault.require_set_up(paths)
    key = unlocking.data_key(paths)
    # Never under an open window (DataDirInUse): it would go on with the replaced file.
    with instance_lock.acquire(paths):
        if args.newest:
            info = backups.newest_good_backup(paths, key)
            if info is None:
                print(
                    f"portfolio-app: there is no sound backup in {paths.backups_dir}",
                    file=sys.stderr,
                )
                return 1
            source = info.path
        else:
            source = Path(args.file).expanduser().resolve()
        result = backups.restore(paths, source, key)
        # Open it the way every command does: checks it, upgrades an older backup's format.
        open_services(paths, key=key).close()
    print(f"Restored {result.restored_from}.")
    if result.damaged_kept_at is not None:
        print(f"The damaged data was kept at {result.damaged_kept_at}.")
    else:
        print(f"The data it replaced was backed up to {paths.backups_dir} first.")
    return 0
