"""Put a taxonomy in force: at start-up, on install, on reverting to the default.

Data placed in retired sectors moves to their replacements in one transaction; a taxonomy that
drops a sector (no `replaced_by`) still used by data is refused and nothing changes. What was last
applied is kept in the data dir (paths.applied_taxonomy), so that a changed HR file is noticed at
the next start and the summary can use the old sectors' labels.

Order of writes on install: data moves and the installed file are written inside one transaction
(a failed write rolls the moves back); the record of what was applied is written after commit.
If that last write fails, the next start finds the difference and re-applies, which moves nothing
twice, so every failure point leaves data consistent with some taxonomy.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from portfolio_app.paths import AppPaths, make_private_dir
from portfolio_app.services.errors import ServiceError
from portfolio_app.storage import sector_refs
from portfolio_app.storage.database import Database
from portfolio_app.taxonomy.diff import TaxonomyDiff, diff_taxonomies
from portfolio_app.taxonomy.errors import SectorsInUseError, TaxonomyError
from portfolio_app.taxonomy.loader import load_taxonomy, read_bytes
from portfolio_app.taxonomy.model import Taxonomy
from portfolio_app.taxonomy.retirement import (
    RetirementPlan,
    RetirementSummary,
    plan_retirement,
)
from portfolio_app.taxonomy.sources import (
    SourceKind,
    TaxonomyInForce,
    TaxonomySource,
    find_taxonomy,
    managed_source,
)
from portfolio_app.taxonomy.usage import PlaceUsage, SectorUsage, join_words
from portfolio_app.taxonomy.validation import check_document
from portfolio_app.taxonomy.writer import (
    dump_taxonomy,
    taxonomy_to_document,
    write_text_atomically,
)

log = logging.getLogger(__name__)


class TaxonomyManaged(ServiceError):
    """Refused: HR manages the taxonomy on this machine, so the user cannot replace it."""


@dataclass(frozen=True)
class TaxonomyStatus:
    """The taxonomy the app runs with, where it came from, and what start-up did to data.

    `taxonomy` is `in_force.taxonomy` unless that could not be applied (`refused`): the app then
    keeps the taxonomy last applied to the data, and `warnings` says why.
    """

    in_force: TaxonomyInForce
    taxonomy: Taxonomy
    summary: RetirementSummary = field(default_factory=RetirementSummary)
    refused: SectorsInUseError | None = None

    @property
    def source(self) -> TaxonomySource:
        return self.in_force.source

    @property
    def managed(self) -> bool:
        return self.in_force.managed

    @property
    def managed_by(self) -> str:
        return self.in_force.managed_by

    @property
    def warnings(self) -> list[str]:
        warnings = self.in_force.warnings
        if self.refused is not None:
            reasons = "; ".join(self.refused.problems)
            if self.taxonomy == self.in_force.taxonomy:  # nothing earlier to fall back on
                warnings.append(
                    f"{self.source.describe()} is used, but some of your data is in sectors it "
                    f"does not have: {reasons}"
                )
            else:
                warnings.append(
                    f"{self.source.describe()} was not applied, so "
                    f"'{self.taxonomy.title}' {self.taxonomy.version} is still used: {reasons}"
                )
        return warnings


@dataclass(frozen=True)
class AppliedRecord:
    """What was last applied to this data dir's database."""

    taxonomy: Taxonomy
    applied_at: str
    source_kind: str
    source_path: str


@dataclass(frozen=True)
class InstallResult:
    taxonomy: Taxonomy
    path: Path
    summary: RetirementSummary


class TaxonomyService:
    """Taxonomy changes that touch data. `environ` and `site_dirs` are for tests."""

    def __init__(
        self,
        db: Database,
        paths: AppPaths,
        *,
        environ: Mapping[str, str] | None = None,
        site_dirs: Sequence[Path] | None = None,
    ) -> None:
        self.db = db
        self.paths = paths
        self._environ = environ
        self._site_dirs = site_dirs

    # --- reading -------------------------------------------------------------------------

    def in_force(self) -> TaxonomyInForce:
        return find_taxonomy(self.paths, environ=self._environ, site_dirs=self._site_dirs)

    def usage(self) -> SectorUsage:
        with self.db.transaction() as session:
            return _usage(session)

    def plan(self, new: Taxonomy, previous: Taxonomy | None = None) -> RetirementPlan:
        """What putting `new` in force would move, or refuse; changes nothing."""
        return plan_retirement(new, self.usage(), previous or self._previous())

    def check_fits_data(self, new: Taxonomy, source: str | None = None) -> RetirementPlan:
        """What putting `new` in force here would move; SectorsInUseError (named after `source`)
        when it drops a sector this data uses, as installing would. Changes nothing."""
        plan = self.plan(new)
        if plan.refused:
            raise SectorsInUseError(source or new.title, plan.in_use)
        return plan

    def diff(self, old: Taxonomy, new: Taxonomy) -> TaxonomyDiff:
        return diff_taxonomies(old, new, self.usage())

    def last_applied(self) -> AppliedRecord | None:
        return read_applied_record(self.paths)

    # --- changing ------------------------------------------------------------------------

    def apply(
        self,
        new: Taxonomy,
        source: TaxonomySource,
        *,
        previous: Taxonomy | None = None,
        before_commit: Callable[[], None] | None = None,
    ) -> RetirementSummary:
        """Move data out of sectors `new` retires, in one transaction, and record `new` as applied.

        Raises SectorsInUseError (nothing changed) when `new` drops a sector that data uses.
        `before_commit` runs inside the transaction; if it raises, nothing is moved.
        """
        previous = previous or self._previous()
        # Counted and moved under the write lock, so a record saved meanwhile is moved too.
        with self.db.unit_of_work() as session:
            plan = plan_retirement(new, _usage(session), previous)
            if plan.refused:
                raise SectorsInUseError(new.title, plan.in_use)
            _move(session, plan.mapping())
            if before_commit is not None:
                before_commit()
        self._record_applied(new, source)
        return plan.summary()

    def install(self, path: Path) -> InstallResult:
        """Validate the file at `path` and make it this user's taxonomy (refused if HR-managed)."""
        return self.install_taxonomy(load_taxonomy(path))

    def install_taxonomy(self, taxonomy: Taxonomy) -> InstallResult:
        self._refuse_if_managed()
        target = self.paths.installed_taxonomy
        summary = self.apply(
            taxonomy,
            TaxonomySource(SourceKind.USER_INSTALLED, target),
            before_commit=lambda: _write_own_file(target, dump_taxonomy(taxonomy)),
        )
        return InstallResult(taxonomy, target, summary)

    def remove_installed(self) -> TaxonomyStatus:
        """Go back to the default taxonomy (refused if HR-managed, or if data needs a sector the
        default does not have)."""
        self._refuse_if_managed()
        target = self.paths.installed_taxonomy
        if not target.is_file():
            return self.bring_into_force()
        found = find_taxonomy(
            self.paths, environ=self._environ, site_dirs=self._site_dirs, skip_installed=True
        )

        def delete_installed() -> None:
            try:
                target.unlink()
            except OSError as exc:
                raise ServiceError(f"cannot remove {target}: {exc.strerror or exc}") from exc

        summary = self.apply(found.taxonomy, found.source, before_commit=delete_installed)
        return TaxonomyStatus(found, found.taxonomy, summary)

    def bring_into_force(self, found: TaxonomyInForce | None = None) -> TaxonomyStatus:
        """At start-up: if the taxonomy in force changed since it was last applied, apply it.

        Never raises for a refused change: the app keeps the previous taxonomy and says why.
        """
        found = found or self.in_force()
        record = self.last_applied()
        previous = record.taxonomy if record else None
        if previous is not None and previous == found.taxonomy and not self._left_behind(previous):
            return TaxonomyStatus(found, found.taxonomy)
        try:
            summary = self.apply(found.taxonomy, found.source, previous=previous)
        except SectorsInUseError as exc:
            log.warning("taxonomy %s not applied: %s", found.source.path, exc)
            return TaxonomyStatus(found, previous or found.taxonomy, refused=exc)
        if summary:
            log.info("taxonomy %s applied: %s", found.source.path, summary.describe())
        return TaxonomyStatus(found, found.taxonomy, summary)

    # --- internals -----------------------------------------------------------------------

    def _refuse_if_managed(self) -> None:
        managed = managed_source(self.paths, environ=self._environ, site_dirs=self._site_dirs)
        if managed is None:
            return
        publisher = ""
        with contextlib.suppress(TaxonomyError):  # an unusable HR file is still HR's
            publisher = load_taxonomy(managed.path).publisher
        raise TaxonomyManaged(
            f"the sector taxonomy on this computer is managed by {publisher or 'your organisation'}"
            f" ({managed.describe()}), so you cannot install another; ask your HR team"
        )

    def _left_behind(self, taxonomy: Taxonomy) -> bool:
        """Data still in sectors `taxonomy` retires with a replacement: goals, before goals were
        moved on retirement, kept the retired id; applying again moves them (and nothing else)."""
        return bool(plan_retirement(taxonomy, self.usage(), taxonomy).moves)

    def _previous(self) -> Taxonomy:
        """The taxonomy the data was placed with: the one last applied, else the one in force."""
        record = self.last_applied()
        return record.taxonomy if record else self.in_force().taxonomy

    def _record_applied(self, taxonomy: Taxonomy, source: TaxonomySource) -> None:
        record: dict[str, Any] = {
            "applied_at": datetime.now().isoformat(timespec="seconds"),
            "source_kind": source.kind.value,
            "source_path": str(source.path),
            "taxonomy": taxonomy_to_document(taxonomy),
        }
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
        try:
            _write_own_file(self.paths.applied_taxonomy, text)
        except TaxonomyError as exc:
            # Data already matches `taxonomy`; the next start notices and re-applies (a no-op).
            log.warning("could not record the applied taxonomy: %s", exc)


def sector_record_kinds() -> str:
    """'organisation, activity and goal': every kind of record placed in sectors, for prompts."""
    return join_words([ref.singular for ref in sector_refs.SECTOR_REFS])


def read_applied_record(paths: AppPaths) -> AppliedRecord | None:
    """What was last applied to this data dir, or None (first start, or an unreadable record)."""
    path = paths.applied_taxonomy
    if not path.is_file():
        return None
    try:
        record = json.loads(read_bytes(path).decode("utf-8"))
        result = check_document(record["taxonomy"])
        if result.taxonomy is None:
            raise ValueError("; ".join(str(p) for p in result.problems))
        return AppliedRecord(
            result.taxonomy,
            str(record.get("applied_at", "")),
            str(record.get("source_kind", "")),
            str(record.get("source_path", "")),
        )
    except (TaxonomyError, ValueError, KeyError, TypeError, RecursionError) as exc:
        log.warning("ignoring the unreadable record %s: %s", path, exc)
        return None


def _usage(session: Session) -> SectorUsage:
    """Usage in every place the registry lists (organisations, activities, goals, ...)."""
    return SectorUsage(
        tuple(
            PlaceUsage(ref.label, ref.singular, counts)
            for ref, counts in sector_refs.count_all(session)
        )
    )


def _move(session: Session, mapping: Mapping[str, str]) -> None:
    """Re-place every registered reference from retired ids to their replacements."""
    sector_refs.rewrite_all(session, mapping)


def _write_own_file(path: Path, text: str) -> None:
    """A file in the app's own data folder (owner-only, like every file there), whose
    sub-folders are made owner-only on first use."""
    try:
        make_private_dir(path.parent)
    except OSError as exc:
        raise TaxonomyError(
            str(path), [f"cannot create the folder: {exc.strerror or exc}"]
        ) from exc
    write_text_atomically(path, text)
