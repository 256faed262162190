"""What the score needs, read once and kept as plain data so that scoring is a few tight loops.

Everything that depends neither on the evaluation date nor on the policy is worked out here:
each activity's dates as day numbers, its type as a small integer, and the sectors it touches (its
organisations' sectors, its extra sectors, and the sectors of its contacts' roles on the
activity's start date). Activities touching the same set of sectors share a "signature" and are
stored next to each other, so the level roll-up and the split are worked out once per signature,
and a signature's engagement is one `math.fsum` over a slice.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import compress
from operator import gt, itemgetter, not_
from typing import TYPE_CHECKING, Any, NamedTuple

from portfolio_app.domain.enums import ActivityType, Status
from portfolio_app.domain.records import Activity, Contact, Organisation

if TYPE_CHECKING:
    from portfolio_app.services import AppServices
    from portfolio_app.services.score_inputs import PlainActivity

ACTIVITY_TYPES: tuple[ActivityType, ...] = tuple(ActivityType)
TYPE_INDEX = {t: i for i, t in enumerate(ACTIVITY_TYPES)}

# A role as (organisation id, first day, last day) in day numbers (date.toordinal); open ends
# become numbers no date reaches, so "held the role that day" is two integer comparisons.
_NO_START = 0
_NO_END = date.max.toordinal() + 1
RoleSpan = tuple[int, int, int]


class ActivityInput(NamedTuple):
    """One activity as the score sees it (a named tuple: 100,000 of them are made per reading,
    and the columns of ScoringInputs are one transpose of them)."""

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
        count = len(items)
        columns = tuple(zip(*items, strict=True)) if items else ((),) * len(ActivityInput._fields)
        ids, titles, kinds, starts, lasts, done, signatures, contacts = columns
        bounds = _bounds(list(signatures), len(self.signatures))
        # Each index column is one pass in C (compress over a map), not a Python loop.
        positions = range(count)
        object.__setattr__(self, "ids", ids)
        object.__setattr__(self, "titles", titles)
        object.__setattr__(self, "starts", starts)
        object.__setattr__(self, "lasts", lasts)
        object.__setattr__(self, "kinds", kinds)
        object.__setattr__(self, "contacts", contacts)
        object.__setattr__(self, "planned", tuple(compress(positions, map(not_, done))))
        object.__setattr__(
            self,
            "by_kind",
            tuple(
                tuple(compress(positions, map(kind.__eq__, kinds))) if kind in kinds else ()
                for kind in range(len(ACTIVITY_TYPES))
            ),
        )
        object.__setattr__(self, "bounds", bounds)
        object.__setattr__(self, "multi_day", tuple(compress(positions, map(gt, lasts, starts))))
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


def _bounds(signatures: list[int], count: int) -> tuple[tuple[int, int], ...]:
    """Each signature's (low, high) slice of activities grouped by signature (ValueError if
    they are not). Sorted signatures (as inputs_from_plain lays them out) are found by
    bisection; any other grouping is checked activity by activity."""
    if signatures == sorted(signatures) and (not signatures or signatures[0] >= 0):
        if signatures and signatures[-1] >= count:
            raise ValueError("ScoringInputs: activities must be grouped by signature")
        found = ((bisect_left(signatures, s), bisect_right(signatures, s)) for s in range(count))
        return tuple((low, high) if low < high else (0, 0) for low, high in found)
    bounds: list[tuple[int, int] | None] = [None] * count
    low = 0
    for index in range(1, len(signatures) + 1):
        if index < len(signatures) and signatures[index] == signatures[low]:
            continue
        signature = signatures[low]
        if not 0 <= signature < count or bounds[signature] is not None:
            raise ValueError("ScoringInputs: activities must be grouped by signature")
        bounds[signature] = (low, index)
        low = index
    return tuple(b or (0, 0) for b in bounds)


def activity_sectors(
    activity: Activity,
    organisation_sectors: Mapping[int, str],
    contact_roles: Mapping[int, Sequence[RoleSpan]],
) -> tuple[str, ...]:
    """The sectors an activity touches, with contacts placed by their roles on its start date."""
    return _sectors(
        activity.start.toordinal(),
        activity.organisation_ids,
        activity.extra_sector_ids,
        activity.contact_ids,
        organisation_sectors,
        contact_roles,
    )


def _sectors(
    day: int,
    organisation_ids: Iterable[int],
    sector_ids: Iterable[str],
    contact_ids: Iterable[int],
    organisation_sectors: Mapping[int, str],
    contact_roles: Mapping[int, Sequence[RoleSpan]],
) -> tuple[str, ...]:
    sectors = {organisation_sectors[o] for o in organisation_ids if o in organisation_sectors}
    sectors.update(s for s in sector_ids if s)
    for contact_id in set(contact_ids):
        for organisation_id, first, last in contact_roles.get(contact_id, ()):
            if first <= day <= last and organisation_id in organisation_sectors:
                sectors.add(organisation_sectors[organisation_id])
    return tuple(sorted(sectors))


def _sectors_of_each(
    activities: Iterable[PlainActivity],
    organisation_sectors: Mapping[int, str],
    contact_roles: Mapping[int, Sequence[RoleSpan]],
) -> list[tuple[PlainActivity, tuple[str, ...]]]:
    """Each activity with its `_sectors` (exactly what `_sectors` gives), in one loop: sets of
    sectors as bit masks (one bit per distinct sector: an int `|` per link instead of set
    work), each contact's roles as (first, last, bit) made once, each distinct mask sorted
    into a tuple once."""
    bits = _Bits()
    organisation_bits = {o: bits[s] for o, s in organisation_sectors.items()}
    spans = {
        contact_id: tuple(
            (first, last, organisation_bits[organisation_id])
            for organisation_id, first, last in roles
            if organisation_id in organisation_bits
        )
        for contact_id, roles in contact_roles.items()
    }
    ordered: dict[int, tuple[str, ...]] = {}
    no_spans: tuple[tuple[int, int, int], ...] = ()
    out: list[tuple[PlainActivity, tuple[str, ...]]] = []
    append = out.append
    for activity in activities:
        mask = 0
        for organisation_id in activity[6]:
            mask |= organisation_bits.get(organisation_id, 0)
        for sector_id in activity[7]:
            if sector_id:
                mask |= bits[sector_id]
        contact_ids = activity[8]
        if contact_ids:
            day = activity[3]
            for contact_id in contact_ids:
                for first, last, bit in spans.get(contact_id, no_spans):
                    if first <= day <= last:
                        mask |= bit
        result = ordered.get(mask)
        if result is None:
            result = ordered[mask] = tuple(sorted(bits.sectors(mask)))
        append((activity, result))
    return out


class _Bits(dict[str, int]):
    """Sector id -> its bit (1 << n, n counting up from 0 as sectors are first seen)."""

    def __missing__(self, sector_id: str) -> int:
        self[sector_id] = bit = 1 << len(self)
        return bit

    def sectors(self, mask: int) -> list[str]:
        return [sector for sector, bit in self.items() if mask & bit]


def _layout_key(item: ActivityInput) -> tuple[int, int]:
    return item.signature, item.id or 0


def plain_activity(activity: Activity) -> PlainActivity:
    """A domain record in the plain reading's shape (services.score_inputs.PlainActivity)."""
    return (
        activity.id,
        activity.title,
        activity.type,
        activity.start.toordinal(),
        activity.last_day.toordinal(),
        activity.status is Status.DONE,
        activity.organisation_ids,
        activity.extra_sector_ids,
        activity.contact_ids,
    )


def _activity_input(activity: Activity, sectors: tuple[str, ...], signature: int) -> ActivityInput:
    ident, title, kind, start, last, done, _, _, contact_ids = plain_activity(activity)
    return ActivityInput(
        ident, title, TYPE_INDEX[kind], start, last, done, signature, len(set(contact_ids))
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
    (organisation id, start, end)."""
    return inputs_from_plain(map(plain_activity, activities), organisation_sectors, roles)


def inputs_from_plain(
    activities: Iterable[PlainActivity],
    organisation_sectors: Mapping[int, str],
    roles: Mapping[int, Iterable[tuple[int, date | None, date | None]]],
) -> ScoringInputs:
    """`inputs_from` for activities in the plain reading's shape (services.score_inputs reads
    them so, without domain records): the one place inputs are laid out."""
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
    touched = _sectors_of_each(activities, organisation_sectors, contact_roles)
    signatures = sorted({sectors for _, sectors in touched})
    index = {sectors: i for i, sectors in enumerate(signatures)}
    kinds = TYPE_INDEX
    made = [
        ActivityInput(ident, title, kinds[kind], start, last, done, index[s], len(set(cs)))
        for (ident, title, kind, start, last, done, _, _, cs), s in touched
    ]
    # A layout independent of the order given: by signature, then id (None as 0). Without a
    # None among the ids that is two stable sorts on one int each (by id unless the ids came
    # in order, as a reading in rowid order gives them, then by signature): the same order.
    ids = list(map(itemgetter(0), made))
    if None in ids:
        made.sort(key=_layout_key)
    else:
        if ids != sorted(ids):
            made.sort(key=itemgetter(0))
        made.sort(key=itemgetter(6))
    return ScoringInputs(
        activities=tuple(made),
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
    return inputs_from_plain(
        records.activities, records.organisation_sectors, records.contact_roles
    )
