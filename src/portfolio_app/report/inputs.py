"""Everything a breadth report is worked out from, gathered in one place.

The profile's home sector, the taxonomy's scoring policy, the scoring inputs and the goals are
read together here and nowhere else, so the dashboard, the activity dialog's preview, the
`score` command and the PDF cannot drift apart by assembling them differently.

`current_report_inputs(services)` keeps one reading per open database and reuses it until the
data changes (storage/change_stamp.py), so the page, the preview and a re-score after a change
that does not touch the score cost nothing; the reading itself is plain SELECTs of the columns
the score needs (services/score_inputs.py), not ORM objects.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from portfolio_app.domain.records import Activity, Contact, Goal, Organisation
from portfolio_app.scoring import ScoringInputs, ScoringPolicy, build_inputs, policy_from_taxonomy
from portfolio_app.scoring.inputs import inputs_from_plain
from portfolio_app.storage.change_stamp import Stamp, stamp
from portfolio_app.storage.database import Database
from portfolio_app.taxonomy import Taxonomy

if TYPE_CHECKING:
    from portfolio_app.services import AppServices


@dataclass(frozen=True)
class ReportInputs:
    """One set of inputs: what is scored, by which rules, against which home sector."""

    inputs: ScoringInputs
    policy: ScoringPolicy
    taxonomy: Taxonomy
    home_sector_id: str
    goals: tuple[Goal, ...] = ()


def load_report_inputs(services: AppServices) -> ReportInputs:
    """The whole portfolio as the user sees it in the app, read afresh (most callers want
    `current_report_inputs`, which reads only when the data has changed).

    Raises ProfileMissing without a profile and ScoringPolicyError for a taxonomy whose
    scoring section cannot be used (the policy is checked first: it costs no reading).
    """
    from portfolio_app.services.score_inputs import NotPlain, read_score_records

    policy = policy_from_taxonomy(services.taxonomy)
    profile = services.profile.require()
    with collector_paused():
        try:
            records = read_score_records(services)
        except NotPlain:  # a value only the ORM's row-by-row reading can single out
            return load_report_inputs_from_lists(services)
        inputs = inputs_from_plain(
            records.activities, records.organisation_sectors, records.contact_roles
        )
    return ReportInputs(
        inputs, policy, services.taxonomy, profile.home_sector_id, tuple(records.goals)
    )


_paused = 0  # readings under way that paused the cyclic garbage collector
_paused_lock = threading.Lock()
_collector_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a reading builds its many small objects (a
    100,000-activity reading makes about a million tuples, none in a cycle: the collections
    they set off scan the whole heap again and again, about half the reading's time). Nested
    and concurrent readings (the page's worker, the preview) turn it back on after the last."""
    global _paused, _collector_was_enabled
    with _paused_lock:
        if _paused == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused -= 1
            if _paused == 0 and _collector_was_enabled:
                gc.enable()


def load_report_inputs_from_lists(services: AppServices) -> ReportInputs:
    """The same inputs built from the services' whole lists of records (the slow path, kept
    as the reference the plain reading is tested against)."""
    policy = policy_from_taxonomy(services.taxonomy)
    profile = services.profile.require()
    return report_inputs(
        services.activities.list_all(),
        services.organisations.list_all(),
        services.contacts.list_all(),
        services.goals.list_all(),
        taxonomy=services.taxonomy,
        home_sector_id=profile.home_sector_id,
        policy=policy,
    )


@dataclass(frozen=True)
class _Kept:
    stamp: Stamp
    taxonomy: Taxonomy
    inputs: ReportInputs


# One reading kept per open database (weakly: a closed and dropped database takes it along).
_kept: weakref.WeakKeyDictionary[Database, _Kept] = weakref.WeakKeyDictionary()
_kept_lock = threading.Lock()


def current_report_inputs(services: AppServices) -> ReportInputs:
    """`load_report_inputs`, reused until the data changes: a unit of work committed through
    this app, or a commit by any other connection (another program, a second Database on the
    file; `storage.change_stamp`), or another taxonomy. Safe from any thread; the inputs are
    immutable, so one reading may be shared (the Breadth page, the activity dialog's preview,
    the `score` command, the PDF)."""
    db = services.db
    taxonomy = services.taxonomy
    before = stamp(db)  # taken BEFORE reading: a commit during the reading shows next time
    with _kept_lock:
        kept = _kept.get(db)
    if (
        kept is not None
        and before is not None
        and (kept.stamp, kept.taxonomy) == (before, taxonomy)
    ):
        return kept.inputs
    inputs = load_report_inputs(services)
    if before is not None:
        with _kept_lock:
            newer = _kept.get(db)
            # Both counters only grow: a slower, older (or as new) reading never replaces one.
            if newer is None or newer.stamp < before:
                _kept[db] = _Kept(before, taxonomy, inputs)
    return inputs


def forget_report_inputs(services: AppServices) -> None:
    """Drop the kept reading (the next `current_report_inputs` reads afresh)."""
    with _kept_lock:
        _kept.pop(services.db, None)


def report_inputs(
    activities: Iterable[Activity],
    organisations: Iterable[Organisation],
    contacts: Iterable[Contact],
    goals: Iterable[Goal],
    *,
    taxonomy: Taxonomy,
    home_sector_id: str,
    policy: ScoringPolicy | None = None,
) -> ReportInputs:
    """Inputs from records already chosen (the PDF counts only what it may show)."""
    return ReportInputs(
        build_inputs(activities, organisations, contacts),
        policy if policy is not None else policy_from_taxonomy(taxonomy),
        taxonomy,
        home_sector_id,
        tuple(goals),
    )
