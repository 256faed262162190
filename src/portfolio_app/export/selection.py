"""What any export may contain: one rule for every record kind, decided here and nowhere else.

The PDF reads only what `select_content` returns, the export dialog's contents tree and counts
read the same functions, and later exports (JSON, Leap2A) are to read it too. Records come back
with the fields an export may not show already emptied, so an exporter that prints every field
of what it is given still leaks nothing.

The rules, given a period, the user's ticks (or none: the default), "include private" and
"show names":
- an activity appears if it overlaps the period and is shared, or if the user ticked it (the
  dialog) or asked for private content (`--include-private`);
- a lesson appears under its activity, so a lesson of an activity left out is left out too; a
  lesson without an activity appears if it was recorded in the period (or has no date);
- of a lesson, only the sections its author shared appear (or those the user ticked); a lesson
  with no section to show does not appear at all;
- a goal appears if it is shared (objectives agreed at a review are), or ticked, or private
  content was asked for, unless it was achieved with a target before the period; its notes go
  with it;
- the review is the last one held by the end of the period: both parties wrote it, so it shows;
- evidence files appear under their activity when both the file and the activity are shared:
  never a private file, never a file of a private activity (even one the user chose to
  include), never a lesson's files. The PDF lists them by name only (never their contents);
  the Leap2A package, made to move the portfolio into an e-portfolio, carries those same files;
- contacts appear as their organisation and sector on the day of the activity; their names and
  job titles only when asked (`show_names`): they are third parties. Contact notes and
  organisation aliases never appear;
- the score and the totals count only the work the portfolio may show: what appears, plus
  shared work from before the period (still counting, as it fades), or all earlier work when
  private content was asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date
from typing import TYPE_CHECKING, Protocol, TypeVar

from portfolio_app.domain.enums import LessonSection, Visibility
from portfolio_app.domain.evidence import Evidence
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Goal,
    Lesson,
    LessonField,
    Organisation,
    Profile,
    Review,
)
from portfolio_app.export.periods import Period
from portfolio_app.services.errors import ProfileMissing

if TYPE_CHECKING:
    from portfolio_app.services import AppServices

R = TypeVar("R")

# The fields of each record kind an export may carry. Every other field is reset to its default
# before an exporter sees the record, so a field added to a record later stays out of every
# export until it is named here (tests/test_export_privacy.py walks every field).
EXPORTED_FIELDS: Mapping[type, frozenset[str]] = {
    Profile: frozenset(
        {"name", "role", "home_organisation_id", "home_organisation", "home_sector_id"}
    ),
    Organisation: frozenset({"name", "sector_id", "id"}),  # not aliases: working names
    Contact: frozenset({"name", "roles", "id"}),  # name only with show_names; never notes
    ContactRole: frozenset({"organisation_id", "job_title", "start", "end"}),  # title: names
    # Chosen whole, or not at all; still listed by name, so a field added later (say, a private
    # reflection) stays out until someone decides it may be shown.
    Activity: frozenset(
        {
            "type",
            "title",
            "start",
            "end",
            "hours",
            "organisation_ids",
            "extra_sector_ids",
            "contact_ids",
            "description",
            "visibility",
            "status",
            "id",
        }
    ),
    Lesson: frozenset({"title", "activity_id", "recorded_on", "sections", "id"}),  # by section
    Goal: frozenset(  # chosen whole: its notes go with it
        {"title", "sector_ids", "target_date", "notes", "review_id", "achieved", "visibility", "id"}
    ),
    Review: frozenset({"held_on", "reviewer_name", "reviewer_role", "comments", "id"}),
    # Listed by name under a shared activity; its type, size and date stay out.
    Evidence: frozenset({"name", "visibility", "activity_id", "id"}),
}


def _only_exported(record: R) -> R:
    """`record` with every field an export may not carry reset to its default."""
    allowed = EXPORTED_FIELDS[type(record)]
    changes: dict[str, object] = {}
    for f in fields(record):  # type: ignore[arg-type]
        if f.name in allowed:
            continue
        if f.default is not MISSING:
            changes[f.name] = f.default
        elif f.default_factory is not MISSING:
            changes[f.name] = f.default_factory()
        else:  # pragma: no cover - tests check every withheld field has a default
            raise TypeError(f"{type(record).__name__}.{f.name} has no default to withhold")
    return replace(record, **changes)  # type: ignore[type-var]


# -- what the user ticked --------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """Exactly what the user ticked: activity ids, for each lesson the sections to show, and
    goal ids. What is not ticked does not appear."""

    activity_ids: frozenset[int]
    lesson_sections: Mapping[int, frozenset[LessonSection]] = field(default_factory=dict)
    goal_ids: frozenset[int] = frozenset()

    def sections_of(self, lesson_id: int | None) -> frozenset[LessonSection]:
        if lesson_id is None:
            return frozenset()
        return self.lesson_sections.get(lesson_id, frozenset())


class ContentOptions(Protocol):
    """What the rule needs from an export's options (ExportOptions has these)."""

    @property
    def period(self) -> Period: ...
    @property
    def selection(self) -> Selection | None: ...  # None: the default for include_private
    @property
    def include_private(self) -> bool: ...
    @property
    def show_names(self) -> bool: ...


# -- everything, read once -------------------------------------------------------------------


@dataclass(frozen=True)
class Records:
    """Every record an export could draw on, private or not, as read from the services."""

    profile: Profile | None  # None until set up: a dialog can still list the candidates
    organisations: tuple[Organisation, ...]
    contacts: tuple[Contact, ...]  # those some activity names: a contact shows only as met
    activities: tuple[Activity, ...]
    lessons: tuple[Lesson, ...]
    goals: tuple[Goal, ...]
    reviews: tuple[Review, ...]  # newest first
    evidence: tuple[Evidence, ...] = ()  # every file's record (never its bytes)

    def last_review(self, by: date) -> Review | None:
        """The latest review held on or before `by`."""
        return next((r for r in self.reviews if r.held_on <= by), None)


def load_records(services: AppServices) -> Records:
    """Read everything once: a large portfolio takes a noticeable time to load. Of the
    contacts, only those an activity names (a contact appears only as someone met at one; a
    career's address book can be far larger than its exports)."""
    return Records(
        profile=services.profile.get(),
        organisations=tuple(services.organisations.list_all()),
        contacts=tuple(services.contacts.linked_to_activities()),
        activities=tuple(services.activities.list_all()),
        lessons=tuple(services.lessons.list_all()),
        goals=tuple(services.goals.list_all()),
        reviews=tuple(services.reviews.list_all()),
        evidence=tuple(services.evidence.list_all()),
    )


# -- what could go in ------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidates:
    """Everything that could appear for a period, private or not: what a dialog offers."""

    period: Period
    activities: tuple[Activity, ...]  # overlapping the period, oldest first
    lessons: tuple[Lesson, ...]  # of those activities, and standalone ones of the period
    goals: tuple[Goal, ...] = ()  # the review's agreed goals first, then the others
    review: Review | None = None  # the last review held by the end of the period

    def lessons_of(self, activity_id: int | None) -> list[Lesson]:
        return [lesson for lesson in self.lessons if lesson.activity_id == activity_id]

    def standalone_lessons(self) -> list[Lesson]:
        return self.lessons_of(None)

    def agreed_at_review(self, goal: Goal) -> bool:
        return self.review is not None and goal.review_id == self.review.id


def _chronological(activities: Iterable[Activity]) -> list[Activity]:
    return sorted(activities, key=lambda a: (a.start, a.last_day, a.id or 0))


def candidates_of(records: Records, period: Period) -> Candidates:
    """The activities overlapping `period` and their lessons, standalone lessons recorded in it
    (or undated), the last review by its end, and the goals still relevant to it."""
    activities = _chronological(
        a for a in records.activities if period.overlaps(a.start, a.last_day)
    )
    ids = {a.id for a in activities}
    lessons = [
        lesson
        for lesson in records.lessons
        if lesson.activity_id in ids
        or (
            lesson.activity_id is None
            and (lesson.recorded_on is None or period.contains(lesson.recorded_on))
        )
    ]
    lessons.sort(key=lambda lesson: (lesson.recorded_on or date.max, lesson.id or 0))
    review = records.last_review(period.end)
    agreed = [g for g in records.goals if review is not None and g.review_id == review.id]
    others = [
        g
        for g in records.goals
        if g not in agreed
        and (not g.achieved or g.target_date is None or g.target_date >= period.start)
    ]
    return Candidates(period, tuple(activities), tuple(lessons), tuple(agreed + others), review)


def find_candidates(services: AppServices, period: Period) -> Candidates:
    return candidates_of(load_records(services), period)


def shareable_sections(lesson: Lesson, include_private: bool = False) -> frozenset[LessonSection]:
    """The sections with text that the author shared (every section with text, if private
    content was asked for)."""
    return frozenset(
        section
        for section, value in lesson.sections.items()
        if value.text.strip() and (value.shared or include_private)
    )


def default_selection(candidates: Candidates, include_private: bool = False) -> Selection:
    """Shared activities, lesson sections and goals; everything with `include_private`."""
    return Selection(
        frozenset(
            a.id
            for a in candidates.activities
            if a.id is not None and (include_private or a.visibility is Visibility.SHARED)
        ),
        {
            lesson.id: shareable_sections(lesson, include_private)
            for lesson in candidates.lessons
            if lesson.id is not None
        },
        frozenset(
            g.id
            for g in candidates.goals
            if g.id is not None and (include_private or g.visibility is Visibility.SHARED)
        ),
    )


# -- what goes in ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Chosen:
    """What a selection puts in, from the candidates: cheap, so a dialog can count as ticks
    change."""

    activities: tuple[Activity, ...]  # oldest first
    lessons: tuple[Lesson, ...]  # only the sections that appear; none without one
    goals: tuple[Goal, ...]  # the review's agreed goals first
    private_items: int  # private activities, sections and goals the user chose to include

    @property
    def includes_private(self) -> bool:
        return self.private_items > 0

    def lessons_of(self, activity_id: int | None) -> list[Lesson]:
        return [lesson for lesson in self.lessons if lesson.activity_id == activity_id]


def _lesson_showing(lesson: Lesson, sections: frozenset[LessonSection]) -> Lesson | None:
    """The lesson with only `sections` (those with text), or None if none is left."""
    shown = {
        section: lesson.section(section)
        for section in LessonSection
        if section in sections and lesson.section(section).text.strip()
    }
    if not shown:
        return None
    return _only_exported(
        replace(lesson, sections={s: shown.get(s, LessonField()) for s in LessonSection})
    )


def choose(candidates: Candidates, selection: Selection) -> Chosen:
    """Apply `selection` to `candidates`: ids outside the candidates are ignored."""
    activities = tuple(a for a in candidates.activities if a.id in selection.activity_ids)
    chosen_ids = {a.id for a in activities}
    lessons: list[Lesson] = []
    private = sum(1 for a in activities if a.visibility is Visibility.PRIVATE)
    for lesson in candidates.lessons:
        if lesson.activity_id is not None and lesson.activity_id not in chosen_ids:
            continue  # a lesson appears under its activity, or not at all
        shown = _lesson_showing(lesson, selection.sections_of(lesson.id))
        if shown is None:
            continue
        lessons.append(shown)
        private += sum(1 for value in shown.sections.values() if value.text and not value.shared)
    goals = tuple(g for g in candidates.goals if g.id in selection.goal_ids)
    private += sum(1 for g in goals if g.visibility is Visibility.PRIVATE)
    return Chosen(activities, tuple(lessons), goals, private)


# -- the result ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportContent:
    """Exactly the records and fields an export may contain, for one set of options."""

    period: Period
    show_names: bool
    profile: Profile
    activities: tuple[Activity, ...]  # in the period, chosen; oldest first
    lessons: tuple[Lesson, ...]  # under those activities, or standalone; shown sections only
    goals: tuple[Goal, ...]  # the review's agreed goals first, then the others
    review: Review | None  # the last review held by the end of the period
    # Organisations and contacts that the activities in `activities` or `counted` name, with
    # the fields they may show (a contact's name is "" and job titles are empty unless names
    # are shown).
    organisations: Mapping[int, Organisation]
    contacts: Mapping[int, Contact]
    counted: tuple[Activity, ...]  # what the score and totals count: `activities` + earlier
    earlier_lessons: tuple[Lesson, ...]  # lessons totals may count before the period
    includes_private: bool  # some private item appears because the user chose it
    # The shared evidence of each shared activity in `activities`, by activity id (names only).
    evidence: Mapping[int, tuple[Evidence, ...]] = field(default_factory=dict)

    def evidence_of(self, activity_id: int | None) -> tuple[Evidence, ...]:
        return self.evidence.get(activity_id, ()) if activity_id is not None else ()

    @property
    def standalone_lessons(self) -> tuple[Lesson, ...]:
        return tuple(lesson for lesson in self.lessons if lesson.activity_id is None)

    def lessons_of(self, activity_id: int | None) -> tuple[Lesson, ...]:
        return tuple(lesson for lesson in self.lessons if lesson.activity_id == activity_id)

    def agreed_goals(self) -> tuple[Goal, ...]:
        """The goals agreed at `review` (those chosen)."""
        review = self.review
        return tuple(g for g in self.goals if review is not None and g.review_id == review.id)

    def other_goals(self) -> tuple[Goal, ...]:
        agreed = self.agreed_goals()
        return tuple(g for g in self.goals if g not in agreed)


def _contact_shown(contact: Contact, show_names: bool) -> Contact:
    contact = _only_exported(contact)
    roles = tuple(_only_exported(r) for r in contact.roles)
    if not show_names:  # third parties: by organisation and sector only
        return replace(contact, name="", roles=tuple(replace(r, job_title="") for r in roles))
    return replace(contact, roles=roles)


def select_content(records: Records, options: ContentOptions) -> ExportContent:
    """The one rule: what an export with these options may contain (see the module docstring)."""
    if records.profile is None:
        raise ProfileMissing()  # a portfolio starts with its owner
    period = options.period
    candidates = candidates_of(records, period)
    selection = options.selection
    if selection is None:
        selection = default_selection(candidates, options.include_private)
    chosen = choose(candidates, selection)

    earlier = _chronological(
        a
        for a in records.activities
        if a.last_day < period.start
        and (options.include_private or a.visibility is Visibility.SHARED)
    )
    counted = list(chosen.activities) + earlier
    earlier_ids = {a.id for a in earlier}
    earlier_lessons = tuple(
        shown
        for lesson in records.lessons
        if lesson.activity_id in earlier_ids
        or (
            lesson.activity_id is None
            and lesson.recorded_on is not None
            and lesson.recorded_on < period.start
        )
        if (shown := _lesson_showing(lesson, shareable_sections(lesson, options.include_private)))
    )

    contact_ids = {c for a in counted for c in a.contact_ids}
    contacts = {
        c.id: _contact_shown(c, options.show_names)
        for c in records.contacts
        if c.id is not None and c.id in contact_ids
    }
    organisation_ids = {o for a in counted for o in a.organisation_ids}
    organisation_ids |= {r.organisation_id for c in contacts.values() for r in c.roles}
    organisations = {
        o.id: _only_exported(o)
        for o in records.organisations
        if o.id is not None and o.id in organisation_ids
    }
    shared_activities = {
        a.id for a in chosen.activities if a.id is not None and a.visibility is Visibility.SHARED
    }
    evidence: dict[int, tuple[Evidence, ...]] = {}
    for item in records.evidence:
        if item.activity_id in shared_activities and item.visibility is Visibility.SHARED:
            evidence[item.activity_id] = (*evidence.get(item.activity_id, ()), _only_exported(item))
    return ExportContent(
        period=period,
        show_names=options.show_names,
        profile=_only_exported(records.profile),
        activities=tuple(_only_exported(a) for a in chosen.activities),
        lessons=chosen.lessons,
        goals=tuple(_only_exported(g) for g in chosen.goals),
        review=_only_exported(candidates.review) if candidates.review else None,
        organisations=organisations,
        contacts=contacts,
        counted=tuple(_only_exported(a) for a in counted),
        earlier_lessons=earlier_lessons,
        includes_private=chosen.includes_private,
        evidence=evidence,
    )
