"""Which taxonomy is in force, and where it came from.

Precedence: 1. the file named by $PORTFOLIO_APP_TAXONOMY; 2. an HR-managed taxonomy.json in a
system-wide config dir; 3. the one this user installed; 4. the default shipped in resources/.
1 and 2 are *managed*: users cannot install another over them. A candidate that exists but cannot
be used is skipped with a warning (the app must still start), and it still counts as managed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from portfolio_app import paths as app_paths
from portfolio_app.paths import MANAGED_TAXONOMY_FILENAME, TAXONOMY_ENV, AppPaths
from portfolio_app.taxonomy.errors import TaxonomyError
from portfolio_app.taxonomy.loader import default_taxonomy_path, load_taxonomy
from portfolio_app.taxonomy.model import Taxonomy


class SourceKind(Enum):
    ENVIRONMENT = "environment"
    HR_MANAGED = "hr-managed"
    USER_INSTALLED = "user-installed"
    DEFAULT = "default"

    @property
    def label(self) -> str:
        return {
            SourceKind.ENVIRONMENT: f"the file named by {TAXONOMY_ENV}",
            SourceKind.HR_MANAGED: "HR's system-wide file",
            SourceKind.USER_INSTALLED: "the file you installed",
            SourceKind.DEFAULT: "the default shipped with Portfolio",
        }[self]

    @property
    def managed(self) -> bool:
        return self in (SourceKind.ENVIRONMENT, SourceKind.HR_MANAGED)


@dataclass(frozen=True)
class TaxonomySource:
    kind: SourceKind
    path: Path

    @property
    def managed(self) -> bool:
        return self.kind.managed

    def describe(self) -> str:
        return f"{self.kind.label} ({self.path})"


@dataclass(frozen=True)
class SkippedSource:
    """A candidate that exists but could not be used, and why."""

    source: TaxonomySource
    error: TaxonomyError

    def describe(self) -> str:
        reasons = "; ".join(str(p) for p in self.error.problems)
        return f"cannot use {self.source.describe()}: {reasons}"


@dataclass(frozen=True)
class TaxonomyInForce:
    """The taxonomy to use, where it came from, and any better-ranked candidate that failed."""

    taxonomy: Taxonomy
    source: TaxonomySource
    skipped: tuple[SkippedSource, ...] = ()

    @property
    def managed(self) -> bool:
        """Whether HR manages the taxonomy here (even if HR's file is currently unusable)."""
        return self.source.managed or any(s.source.managed for s in self.skipped)

    @property
    def managed_by(self) -> str:
        """'Managed by <publisher>' for the UI, or '' when the user may replace the taxonomy."""
        if not self.managed:
            return ""
        publisher = self.taxonomy.publisher if self.source.managed else ""
        return f"Managed by {publisher or 'your organisation'}"

    @property
    def warnings(self) -> list[str]:
        return [s.describe() for s in self.skipped] + list(self.taxonomy.warnings)


def candidates(
    paths: AppPaths,
    *,
    environ: Mapping[str, str] | None = None,
    site_dirs: Sequence[Path] | None = None,
    skip_installed: bool = False,
) -> list[TaxonomySource]:
    """Every place a taxonomy is present, best first; the shipped default is always last."""
    env = os.environ if environ is None else environ
    found: list[TaxonomySource] = []
    named = env.get(TAXONOMY_ENV, "").strip()
    if named:
        found.append(TaxonomySource(SourceKind.ENVIRONMENT, Path(named).expanduser()))
    dirs = app_paths.site_config_dirs() if site_dirs is None else site_dirs
    for directory in dirs:
        managed = Path(directory) / MANAGED_TAXONOMY_FILENAME
        if managed.is_file():
            found.append(TaxonomySource(SourceKind.HR_MANAGED, managed))
    if paths.installed_taxonomy.is_file() and not skip_installed:
        found.append(TaxonomySource(SourceKind.USER_INSTALLED, paths.installed_taxonomy))
    found.append(TaxonomySource(SourceKind.DEFAULT, default_taxonomy_path()))
    return found


def find_taxonomy(
    paths: AppPaths,
    *,
    environ: Mapping[str, str] | None = None,
    site_dirs: Sequence[Path] | None = None,
    skip_installed: bool = False,
) -> TaxonomyInForce:
    """Load the best usable taxonomy. Raises TaxonomyError only if the shipped default is bad.

    `skip_installed` answers "what would be in force without the user's own file".
    """
    skipped: list[SkippedSource] = []
    sources = candidates(paths, environ=environ, site_dirs=site_dirs, skip_installed=skip_installed)
    for source in sources:
        try:
            taxonomy = load_taxonomy(source.path)
        except TaxonomyError as exc:
            if source.kind is SourceKind.DEFAULT:
                raise
            skipped.append(SkippedSource(source, exc))
            continue
        return TaxonomyInForce(taxonomy, source, tuple(skipped))
    raise AssertionError("the default taxonomy is always a candidate")  # pragma: no cover


def managed_source(
    paths: AppPaths,
    *,
    environ: Mapping[str, str] | None = None,
    site_dirs: Sequence[Path] | None = None,
) -> TaxonomySource | None:
    """The HR-managed source present here, if any (usable or not): installing is then refused."""
    for source in candidates(paths, environ=environ, site_dirs=site_dirs):
        if source.managed:
            return source
    return None
