"""Writing the Leap2A package: `leap2a.xml` and `files/` in one zip, owner-only, replaced only
once complete (through `atomic_files`), reading one evidence file at a time."""

from __future__ import annotations

import errno
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from portfolio_app.atomic_files import write_atomically
from portfolio_app.export.leap2a.feed import FeedCounts, build_feed, packaged_files
from portfolio_app.export.leap2a.vocabulary import FEED_NAME
from portfolio_app.export.periods import Period
from portfolio_app.export.selection import Selection, load_records, select_content
from portfolio_app.services.stable_ids import read_stable_ids

if TYPE_CHECKING:
    from portfolio_app.services import AppServices

# Everything ever recorded: a Leap2A package moves a whole portfolio, not a reporting period.
ALL_TIME = Period(date.min, date.max)


@dataclass(frozen=True)
class Leap2AOptions:
    """What goes in: shared content only unless `include_private` (the selection rule decides,
    as for the PDF). `exported_at` (default: now) is the time the feed gives, and fixes the
    output byte for byte, for tests."""

    include_private: bool = False
    exported_at: datetime | None = None
    period: Period = ALL_TIME
    selection: Selection | None = None  # None: the rule's default for include_private
    show_names: bool = False  # people met appear by organisation only; never by name


@dataclass(frozen=True)
class Leap2AResult:
    path: Path
    activities: int
    organisations: int
    lessons: int
    files: int
    includes_private: bool  # some private item went in because it was asked for


def export_leap2a(services: AppServices, options: Leap2AOptions, out: Path) -> Leap2AResult:
    """Write the Leap2A zip of what `options` let out to `out`. Raises ProfileMissing before a
    profile is set up, and OSError as it comes from writing (nothing is left at `out` then)."""
    # The place first, so a typo is named at once, before the portfolio is read.
    if out.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(out))
    if not out.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "the folder does not exist", str(out.parent))
    content = select_content(load_records(services), options)
    ids = read_stable_ids(services.db)
    exported_at = options.exported_at or datetime.now(UTC)
    stamp = _zip_time(exported_at)
    files = packaged_files(content)
    counts: list[FeedCounts] = []

    def write(handle: BinaryIO) -> None:
        sizes: dict[int, int] = {}
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            for packaged in files:  # one at a time: each may be up to 25 MB
                data = services.evidence.read(packaged.evidence_id)
                sizes[packaged.evidence_id] = len(data)
                archive.writestr(_member(packaged.path, stamp), data)
            xml, feed_counts = build_feed(content, services.taxonomy.label, exported_at, sizes, ids)
            archive.writestr(_member(FEED_NAME, stamp), xml)
        counts.append(feed_counts)

    write_atomically(out, write)
    [made] = counts
    return Leap2AResult(
        path=out,
        activities=made.activities,
        organisations=made.organisations,
        lessons=made.lessons,
        files=made.files,
        includes_private=content.includes_private,
    )


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    local = moment.astimezone(UTC)
    if local.year < 1980:  # the zip format starts in 1980
        return (1980, 1, 1, 0, 0, 0)
    return (local.year, local.month, local.day, local.hour, local.minute, local.second)


def _member(name: str, stamp: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16  # unpacked, the files are the owner's alone too
    return info
