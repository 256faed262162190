"""What a new version of a taxonomy changes: added, renamed, moved, retired and removed sectors."""

from __future__ import annotations

from dataclasses import dataclass, field

from portfolio_app.taxonomy.model import Sector, Taxonomy
from portfolio_app.taxonomy.retirement import old_label_of
from portfolio_app.taxonomy.usage import SectorUsage, Uses, total_uses


@dataclass(frozen=True)
class Renamed:
    sector_id: str
    old_label: str
    new_label: str


@dataclass(frozen=True)
class Reparented:
    sector_id: str
    label: str
    old_parent: str | None
    new_parent: str | None


@dataclass(frozen=True)
class Retirement:
    """A sector the new version retires; the user's data in it would move to `replaced_by`."""

    sector_id: str
    label: str
    replaced_by: str
    replacement_label: str
    uses: Uses = field(default_factory=Uses)


@dataclass(frozen=True)
class Removal:
    """A sector gone without a replacement; installing is refused while data uses it."""

    sector_id: str
    label: str
    uses: Uses = field(default_factory=Uses)

    @property
    def blocks_install(self) -> bool:
        return bool(self.uses)


@dataclass(frozen=True)
class TaxonomyDiff:
    old: Taxonomy
    new: Taxonomy
    added: tuple[Sector, ...]
    renamed: tuple[Renamed, ...]
    reparented: tuple[Reparented, ...]
    retired: tuple[Retirement, ...]
    removed: tuple[Removal, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.renamed or self.reparented or self.retired or self.removed)

    @property
    def moved(self) -> Uses:
        """What installing would move, per place: moved.get("goals")."""
        return total_uses(r.uses for r in self.retired)

    def lines(self) -> list[str]:
        """A plain-text report, one change per line, for the CLI and the Settings page."""
        old, new = self.old, self.new
        out = [f"{old.title} {old.version}  →  {new.title} {new.version}"]
        if self.empty:
            return [*out, "No changes to sectors."]
        if self.added:
            out.append(f"Added ({len(self.added)}):")
            out += [f"  + {s.id}: {new.path_label(s.id)}" for s in self.added]
        if self.renamed:
            out.append(f"Renamed ({len(self.renamed)}):")
            out += [f"  ~ {r.sector_id}: {r.old_label} → {r.new_label}" for r in self.renamed]
        if self.reparented:
            out.append(f"Moved in the tree ({len(self.reparented)}):")
            out += [
                f"  > {r.sector_id}: {r.label}, from {_under(old, r.old_parent)} "
                f"to {_under(new, r.new_parent)}"
                for r in self.reparented
            ]
        if self.retired:
            out.append(f"Retired ({len(self.retired)}):")
            out += [
                f"  - {r.sector_id}: {r.label} → {r.replacement_label}; "
                f"would move {_data(r.uses) or 'nothing of yours'}"
                for r in self.retired
            ]
        if self.removed:
            out.append(f"Removed without a replacement ({len(self.removed)}):")
            out += [
                f"  x {r.sector_id}: {r.label}; "
                + (
                    f"used by {_data(r.uses)}: installing is refused"
                    if r.blocks_install
                    else "none of your data uses it"
                )
                for r in self.removed
            ]
        return out


def _under(taxonomy: Taxonomy, parent: str | None) -> str:
    return f"under {taxonomy.label(parent)}" if parent else "the top level"


def _data(uses: Uses) -> str:
    """'3 organisations, 2 activities and 1 goal of yours'; '' when nothing uses the sector."""
    return f"{uses.describe()} of yours" if uses else ""


def diff_taxonomies(old: Taxonomy, new: Taxonomy, usage: SectorUsage | None = None) -> TaxonomyDiff:
    """Compare two versions; `usage` (this user's data per sector) fills in what would move."""
    usage = usage or SectorUsage()
    added = tuple(s for s in new.ordered() if s.id not in old)
    renamed: list[Renamed] = []
    reparented: list[Reparented] = []
    for sector in old.ordered():
        now = new.get(sector.id)
        if now is None:
            continue
        if now.label != sector.label:
            renamed.append(Renamed(sector.id, sector.label, now.label))
        if now.parent_id != sector.parent_id:
            reparented.append(Reparented(sector.id, now.label, sector.parent_id, now.parent_id))
    gone = [s.id for s in old.ordered() if s.id not in new]
    gone += [s for s in usage.sector_ids() if s not in new and s not in gone]
    retired: list[Retirement] = []
    removed: list[Removal] = []
    for sector_id in gone:
        label = old_label_of(sector_id, old)
        uses = usage.of(sector_id)
        target = new.replacement_for(sector_id)
        if target is None:
            removed.append(Removal(sector_id, label, uses))
        else:
            retired.append(Retirement(sector_id, label, target, new.label(target), uses))
    return TaxonomyDiff(
        old, new, added, tuple(renamed), tuple(reparented), tuple(retired), tuple(removed)
    )
