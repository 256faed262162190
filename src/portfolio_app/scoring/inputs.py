"""What the score needs, read once and kept as plain data so that scoring is a few tight loops.

Everything that depends neither on the evaluation date nor on the policy is worked out here:
each activity's dates as day numbers, its type as a small integer, and the sectors it touches (its
organisations' sectors, its extra sectors, and the sectors of its contacts' roles on the
activity's start date). Activities touching the same set of sectors share a "signature" and are
stored next to each other, so the level roll-up and the split are worked out once per signature,
and a signature's engagement is one `math.fsum` over a slice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from portfolio_app.domain.enums import ActivityType, Status
from portfolio_app.domain.records import Activity, Contact, Organisation

if TYPE_CHECKING:
    from portfolio_app.services import AppServices

ACTIVITY_TYPES: tuple[ActivityType, ...] = tuple(ActivityType)
TYPE_INDEX = {t: i for i, t in enumerate(ACTIVITY_TYPES)}

# A role as (organisation id, first day, last day) in day numbers (date.toordinal); open ends
# become numbers no date reaches, so "held the role that day" is two integer comparisons.
_NO_START = 0
_NO_END = date.max.toordinal() + 1
RoleSpan = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class ActivityInput:
    """One activity as the score sees it."""

    id: int | None
    title: str
    kind: int  # index into ACTIVITY_TYPES
    start: int  # date.toordinal()
    last: int  # last day (the end, or the start for a one-day activity)
    done: bool  # planned activities count nothing until they have happened
    signature: int  # index into ScoringInputs.signatures: the sectors it touches
    contacts: int  # distinct contacts met

    @property
    def type(self) -> ActivityType:
        return ACTIVITY_TYPES[self.kind]


@dataclass(frozen=True)
class ScoringInputs:
    """The whole portfolio in the shape the score reads. Build it with load_inputs/build_inputs.

    `activities` are grouped by signature (signatures in sorted order), by id within one, so the
    layout (and so the score, to the last bit) does not depend on the order the records came in.
    """

    activities: tuple[ActivityInput, ...]
    signatures: tuple[tuple[str, ...], ...]  # each: sorted distinct sector ids (any level)
    organisation_sectors: Mapping[int, str] = field(default_factory=dict)
    contact_roles: Mapping[int, tuple[RoleSpan, ...]] = field(default_factory=dict)
    # Derived columns, filled in by __post_init__:
    ids: tuple[int | None, ...] = field(init=False, repr=False, compare=False)
    titles: tuple[str, ...] = field(init=False, repr=False, compare=False)
    starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    lasts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    kinds: tuple[int, ...] = field(init=False, repr=False, compare=False)
    contacts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    planned: tuple[int, ...] = field(init=False, repr=False, compare=False)
    by_kind: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    bounds: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)
    multi_day: tuple[int, ...] = field(init=False, repr=False, compare=False)
    # Work derived from a policy or level, kept for the next call (see engagement.py).
    cache: dict[Any, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        items = self.activities
        bounds: list[tuple[int, int] | None] = [None] * len(self.signatures)
        low = 0
        for index in range(1, len(items) + 1):
            if index < len(items) and items[index].signature == items[low].signature:
                continue
            signature = items[low].signature
            if not 0 <= signature < len(bounds) or bounds[signature] is not None:
                raise ValueError("ScoringInputs: activities must be grouped by signature")
            bounds[signature] = (low, index)
            low = index
        by_kind: list[list[int]] = [[] for _ in ACTIVITY_TYPES]
        for index, item in enumerate(items):
            by_kind[item.kind].append(index)
        object.__setattr__(self, "ids", tuple(a.id for a in items))
        object.__setattr__(self, "titles", tuple(a.title for a in items))
        object.__setattr__(self, "starts", tuple(a.start for a in items))
        object.__setattr__(self, "lasts", tuple(a.last for a in items))
        object.__setattr__(self, "kinds", tuple(a.kind for a in items))
        object.__setattr__(self, "contacts", tuple(a.contacts for a in items))
        object.__setattr__(self, "planned", tuple(i for i, a in enumerate(items) if not a.done))
        object.__setattr__(self, "by_kind", tuple(tuple(k) for k in by_kind))
        object.__setattr__(self, "bounds", tuple(b or (0, 0) for b in bounds))
        object.__setattr__(
            self, "multi_day", tuple(i for i, a in enumerate(items) if a.last > a.start)
        )
        object.__setattr__(self, "cache", {})

    def activity_input(self, activity: Activity) -> tuple[ActivityInput, tuple[str, ...]]:
        """An activity that may not be among these inputs (a what-if candidate), its sectors."""
        sectors = activity_sectors(activity, self.organisation_sectors, self.contact_roles)
        return _activity_input(activity, sectors, -1), sectors

    def index_of(self, activity_id: int) -> int | None:
        try:
            return self.ids.index(activity_id)
        except ValueError:
            return None


def activity_sectors(
    activity: Activity,
    organisation_sectors: Mapping[int, str],
    contact_roles: Mapping[int, Sequence[RoleSpan]],
) -> tuple[str, ...]:
    """The sectors an activity touches, with contacts placed by their roles on its start date."""
    day = activity.start.toordinal()
    sectors = {
        organisation_sectors[o] for o in activity.organisation_ids if o in organisation_sectors
    }
    sectors.update(s for s in activity.extra_sector_ids if s)
    for contact_id in set(activity.contact_ids):
        for organisation_id, first, last in contact_roles.get(contact_id, ()):
            if first <= day <= last and organisation_id in organisation_sectors:
                sectors.add(organisation_sectors[organisation_id])
    return tuple(sorted(sectors))


def _activity_input(activity: Activity, sectors: tuple[str, ...], signature: int) -> ActivityInput:
    return ActivityInput(
        id=activity.id,
        title=activity.title,
        kind=TYPE_INDEX[activity.type],
        start=activity.start.toordinal(),
        last=activity.last_day.toordinal(),
        done=activity.status is Status.DONE,
        signature=signature,
        contacts=len(set(activity.contact_ids)),
    )


def build_inputs(
    activities: Iterable[Activity],
    organisations: Iterable[Organisation],
    contacts: Iterable[Contact],
) -> ScoringInputs:
    """Turn domain records into ScoringInputs (no database needed: tests and benchmarks use it)."""
    return inputs_from(
        activities,
        {o.id: o.sector_id for o in organisations if o.id is not None},
        {
            c.id: tuple((r.organisation_id, r.start, r.end) for r in c.roles)
            for c in contacts
            if c.id is not None
        },
    )


def inputs_from(
    activities: Iterable[Activity],
    organisation_sectors: Mapping[int, str],
    roles: Mapping[int, Iterable[tuple[int, date | None, date | None]]],
) -> ScoringInputs:
    """ScoringInputs from activities, each organisation's sector and each contact's roles as
    (organisation id, start, end): what services.score_inputs reads without whole records."""
    organisation_sectors = dict(organisation_sectors)
    contact_roles: dict[int, tuple[RoleSpan, ...]] = {
        contact_id: tuple(
            (
                organisation_id,
                start.toordinal() if start else _NO_START,
                end.toordinal() if end else _NO_END,
            )
            for organisation_id, start, end in spans
        )
        for contact_id, spans in roles.items()
    }
    touched = [
        (activity, activity_sectors(activity, organisation_sectors, contact_roles))
        for activity in activities
    ]
    signatures = sorted({sectors for _, sectors in touched})
    index = {sectors: i for i, sectors in enumerate(signatures)}
    items = sorted(
        (_activity_input(activity, sectors, index[sectors]) for activity, sectors in touched),
        key=lambda a: (a.signature, a.id or 0),  # a layout independent of the order given
    )
    return ScoringInputs(
        activities=tuple(items),
        signatures=tuple(signatures),
        organisation_sectors=organisation_sectors,
        contact_roles=contact_roles,
    )


def load_inputs(services: AppServices) -> ScoringInputs:
    """Read activities, organisations and contacts once and build the scoring inputs."""
    from portfolio_app.services.score_inputs import NotPlain, read_score_records

    try:
        records = read_score_records(services)
    except NotPlain:
        return build_inputs(
            services.activities.list_all(),
            services.organisations.list_all(),
            services.contacts.list_all(),
        )
    return inputs_from(records.activities, records.organisation_sectors, records.contact_roles)
