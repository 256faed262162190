"""What goes into a portfolio: one pure function from the services and the export options to plain
data, without drawing a page.

What may appear (privacy) is decided by `portfolio_app.export.selection`, the one rule every
export reads: this module builds the PDF's entries only from the records `select_content`
returns, never from the services directly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from portfolio_app.domain.enums import ActivityType, LessonSection, Status, Visibility
from portfolio_app.domain.records import Activity, Goal, Lesson, Review
from portfolio_app.export.periods import Period, last_twelve_months
from portfolio_app.export.selection import (
    ExportContent,
    Selection,
    load_records,
    select_content,
)
from portfolio_app.report import BreadthReport, GoalProgress, build_report, report_inputs
from portfolio_app.scoring import BreadthResult, ScoringPolicy
from portfolio_app.services.progress import Progress
from portfolio_app.taxonomy import Taxonomy

if TYPE_CHECKING:
    from portfolio_app.services import AppServices

TREND_STEPS = 24  # points on the trend line across the previous period and this one


class Paper(StrEnum):
    A4 = "a4"
    LETTER = "letter"

    @property
    def label(self) -> str:
        return "A4" if self is Paper.A4 else "US Letter"


@dataclass(frozen=True)
class ExportOptions:
    period: Period
    selection: Selection | None = None  # None: the shared content (all of it if include_private)
    include_private: bool = False
    show_names: bool = False
    paper: Paper = Paper.A4
    export_date: date | None = None  # None: today
    reproducible: bool = False  # reportlab's invariant mode: byte-identical output for tests

    @classmethod
    def default(cls, today: date) -> ExportOptions:
        return cls(last_twelve_months(today))

    def day_of_export(self) -> date:
        return self.export_date or date.today()


# -- the content ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectorTag:
    id: str
    label: str
    colour: str


@dataclass(frozen=True)
class OrganisationEntry:
    name: str
    sector: SectorTag


@dataclass(frozen=True)
class ContactEntry:
    """A person met. `name` and `job_title` are None unless names are shown."""

    organisation: str | None
    sector: SectorTag | None
    name: str | None = None
    job_title: str | None = None


@dataclass(frozen=True)
class LessonEntry:
    id: int | None
    title: str
    recorded_on: date | None
    activity_id: int | None
    activity_title: str | None
    sections: tuple[tuple[LessonSection, str], ...]  # in the order of LessonSection


@dataclass(frozen=True)
class ActivityEntry:
    id: int | None
    type: ActivityType
    title: str
    start: date
    end: date | None
    status: Status
    hours: float | None
    organisations: tuple[OrganisationEntry, ...]
    extra_sectors: tuple[SectorTag, ...]
    sectors: tuple[SectorTag, ...]  # every sector it touched, organisations' first
    contacts: tuple[ContactEntry, ...]
    description: str
    lessons: tuple[LessonEntry, ...]
    private: bool  # private, but the user chose to include it
    evidence: tuple[str, ...] = ()  # names of its shared evidence files (shared activities only)

    @property
    def last_day(self) -> date:
        return self.end or self.start

    @property
    def days(self) -> int:
        return (self.last_day - self.start).days + 1


@dataclass(frozen=True)
class Totals:
    activities: int = 0
    secondment_days: int = 0
    mentoring_given: int = 0
    mentoring_received: int = 0
    peer_events: int = 0
    shadowing: int = 0
    joint_projects: int = 0
    action_learning: int = 0
    training: int = 0
    lessons: int = 0
    hours: float = 0.0
    organisations: int = 0
    sectors: int = 0

    def rows(self) -> list[tuple[str, float]]:
        """(label, figure) in the order a summary lists them."""
        return [
            ("Activities", self.activities),
            ("Secondment days", self.secondment_days),
            ("Mentoring given", self.mentoring_given),
            ("Mentoring received", self.mentoring_received),
            ("Peer events", self.peer_events),
            ("Shadowing", self.shadowing),
            ("Joint projects", self.joint_projects),
            ("Action-learning sets", self.action_learning),
            ("Training", self.training),
            ("Lessons recorded", self.lessons),
            ("Organisations worked with", self.organisations),
            ("Hours logged", self.hours),
        ]

    def compared_with(self, previous: Totals) -> tuple[list[tuple[str, float, float]], list[str]]:
        """(label, this period, previous period) for each figure with a value in either period
        (the activities always), and the labels of those with none in either: a manager reads
        what happened, not a column of zeros."""
        before = dict(previous.rows())
        shown: list[tuple[str, float, float]] = []
        left_out: list[str] = []
        for index, (label, value) in enumerate(self.rows()):
            if value or before[label] or index == 0:
                shown.append((label, value, before[label]))
            else:
                left_out.append(label)
        return shown, left_out


@dataclass(frozen=True)
class Summary:
    result: BreadthResult  # on the last day of the period
    previous_score: float  # on the last day of the previous period
    trend: tuple[tuple[date, float], ...]
    totals: Totals
    previous_totals: Totals
    counted_activities: int  # activities behind the score
    counted_before_period: int  # of which before the period
    home: SectorTag | None  # the home sector at the level the score compares sectors

    @property
    def change(self) -> float:
        return self.result.score - self.previous_score


@dataclass(frozen=True)
class GoalSector:
    sector: SectorTag
    compared: SectorTag | None  # the sector it counts as in the score (None: not scored)
    coverage: float | None  # 0..1 at the end of the period
    coverage_at_review: float | None  # 0..1 on the day of the review that agreed the goal
    reached: bool


@dataclass(frozen=True)
class GoalEntry:
    title: str
    target_date: date | None
    notes: str
    achieved: bool
    agreed_on: date | None
    sectors: tuple[GoalSector, ...]

    progress: float | None  # the report's goal progress at the end of the period
    progress_at_review: float | None  # the same on the day of the review that agreed it


@dataclass(frozen=True)
class ReviewEntry:
    held_on: date
    reviewer_name: str
    reviewer_role: str
    comments: str
    goals: tuple[GoalEntry, ...]


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    organisation: str
    sector: SectorTag


@dataclass(frozen=True)
class CoverInfo:
    """What page 1 shows; cheap to work out, so a dialog can preview it as choices change."""

    person: Person
    period: Period
    export_date: date
    activities: int
    lessons: int
    show_names: bool
    includes_private: bool
    sectors: tuple[SectorTag, ...]  # top-level sectors the work in it touched, taxonomy order


@dataclass(frozen=True)
class PortfolioContent:
    cover: CoverInfo
    person: Person
    period: Period
    export_date: date
    paper: Paper
    show_names: bool
    includes_private: bool  # some private item appears because the user chose it
    activities: tuple[ActivityEntry, ...]
    standalone_lessons: tuple[LessonEntry, ...]
    summary: Summary
    previous_review: ReviewEntry | None
    goals: tuple[GoalEntry, ...]  # goals other than those agreed at the previous review
    policy: ScoringPolicy
    taxonomy_title: str
    taxonomy_id: str
    taxonomy_version: str
    reproducible: bool = False

    @property
    def previous_period(self) -> Period:
        return self.period.previous()

    @property
    def lessons(self) -> list[LessonEntry]:
        return [lesson for a in self.activities for lesson in a.lessons] + list(
            self.standalone_lessons
        )


def sector_tag(taxonomy: Taxonomy, sector_id: str) -> SectorTag:
    sector = taxonomy.get(sector_id)
    if sector is None:
        return SectorTag(sector_id, sector_id, "#808080")
    return SectorTag(sector.id, sector.label, sector.colour)


class _Builder:
    def __init__(self, services: AppServices, options: ExportOptions) -> None:
        self.services = services
        self.options = options
        self.taxonomy = services.taxonomy
        # Everything below reads only what the one selection rule lets an export contain.
        self.selected: ExportContent = select_content(load_records(services), options)
        self.organisations = self.selected.organisations
        self.contacts = self.selected.contacts
        self._tags: dict[str, SectorTag] = {}

    def tag(self, sector_id: str) -> SectorTag:
        tag = self._tags.get(sector_id)
        if tag is None:
            tag = self._tags[sector_id] = sector_tag(self.taxonomy, sector_id)
        return tag

    # -- lessons and activities --

    @staticmethod
    def lesson_entry(lesson: Lesson, activity: Activity | None) -> LessonEntry:
        """`lesson` holds only the sections that may appear (the selection emptied the rest)."""
        shown = tuple(
            (section, lesson.section(section).text)
            for section in LessonSection
            if lesson.section(section).text.strip()
        )
        return LessonEntry(
            lesson.id,
            lesson.title,
            lesson.recorded_on,
            lesson.activity_id,
            activity.title if activity else None,
            shown,
        )

    def contact_entry(self, contact_id: int, day: date) -> ContactEntry | None:
        contact = self.contacts.get(contact_id)
        if contact is None:
            return None
        roles = contact.roles_on(day) or list(contact.roles[-1:])
        role = roles[0] if roles else None
        organisation = self.organisations.get(role.organisation_id) if role else None
        return ContactEntry(  # names and job titles are empty unless names may be shown
            organisation=organisation.name if organisation else None,
            sector=self.tag(organisation.sector_id) if organisation else None,
            name=contact.name or None,
            job_title=(role.job_title or None) if role else None,
        )

    def activity_entry(self, activity: Activity, lessons: Sequence[LessonEntry]) -> ActivityEntry:
        organisations = tuple(
            OrganisationEntry(o.name, self.tag(o.sector_id))
            for o in (self.organisations.get(i) for i in activity.organisation_ids)
            if o is not None
        )
        extra = tuple(self.tag(s) for s in activity.extra_sector_ids)
        sectors = tuple(dict.fromkeys([o.sector for o in organisations] + list(extra)))
        contacts = tuple(
            entry
            for entry in (self.contact_entry(c, activity.start) for c in activity.contact_ids)
            if entry is not None
        )
        return ActivityEntry(
            id=activity.id,
            type=activity.type,
            title=activity.title,
            start=activity.start,
            end=activity.end,
            status=activity.status,
            hours=activity.hours,
            organisations=organisations,
            extra_sectors=extra,
            sectors=sectors,
            contacts=contacts,
            description=activity.description,
            lessons=tuple(lessons),
            private=activity.visibility is Visibility.PRIVATE,
            evidence=tuple(e.name for e in self.selected.evidence_of(activity.id)),
        )


def _totals(
    activities: Iterable[Activity],
    period: Period,
    lessons: int,
    organisation_sectors: Mapping[int, str],
) -> Totals:
    counts = dict.fromkeys(ActivityType, 0)
    secondment_days = 0
    hours: list[float] = []
    organisations: set[int] = set()
    sectors: set[str] = set()
    total = 0
    for activity in activities:
        if activity.status is not Status.DONE or not period.overlaps(
            activity.start, activity.last_day
        ):
            continue
        total += 1
        counts[activity.type] += 1
        if activity.type is ActivityType.SECONDMENT:
            first = max(activity.start, period.start)
            last = min(activity.last_day, period.end)
            secondment_days += (last - first).days + 1
        if activity.hours is not None:
            hours.append(activity.hours)
        organisations.update(activity.organisation_ids)
        sectors.update(
            organisation_sectors[i] for i in activity.organisation_ids if i in organisation_sectors
        )
        sectors.update(activity.extra_sector_ids)
    return Totals(
        activities=total,
        secondment_days=secondment_days,
        mentoring_given=counts[ActivityType.MENTORING_GIVEN],
        mentoring_received=counts[ActivityType.MENTORING_RECEIVED],
        peer_events=counts[ActivityType.PEER_EVENT],
        shadowing=counts[ActivityType.SHADOWING],
        joint_projects=counts[ActivityType.JOINT_PROJECT],
        action_learning=counts[ActivityType.ACTION_LEARNING],
        training=counts[ActivityType.TRAINING],
        lessons=lessons,
        hours=math.fsum(hours),
        organisations=len(organisations),
        sectors=len(sectors),
    )


def _trend_days(previous: Period, period: Period, steps: int = TREND_STEPS) -> list[date]:
    """Evenly spaced days from the end of the period before `previous` to the end of `period`."""
    first = previous.start - timedelta(days=1)
    span = (period.end - first).days
    steps = max(1, min(steps, span))
    days = [first + timedelta(days=round(span * k / steps)) for k in range(steps + 1)]
    return list(dict.fromkeys(days))


@dataclass(frozen=True)
class _Chosen:
    activities: list[Activity]
    entries: tuple[ActivityEntry, ...]
    standalone: tuple[LessonEntry, ...]
    cover: CoverInfo


def _choose(builder: _Builder, options: ExportOptions) -> _Chosen:
    """The entries for what the selection rule lets appear."""
    taxonomy, selected = builder.taxonomy, builder.selected
    profile = selected.profile
    by_id = {a.id: a for a in selected.activities}
    lessons_by_activity: dict[int | None, list[LessonEntry]] = {}
    for lesson in selected.lessons:
        entry = builder.lesson_entry(lesson, by_id.get(lesson.activity_id))
        lessons_by_activity.setdefault(lesson.activity_id, []).append(entry)
    entries = tuple(
        builder.activity_entry(a, lessons_by_activity.get(a.id, [])) for a in selected.activities
    )
    standalone = tuple(lessons_by_activity.get(None, []))
    touched = {taxonomy.top_level_of(t.id) for e in entries for t in e.sectors}
    touched |= {taxonomy.top_level_of(c.sector.id) for e in entries for c in e.contacts if c.sector}
    cover = CoverInfo(
        person=Person(
            profile.name,
            profile.role,
            profile.home_organisation,
            builder.tag(profile.home_sector_id),
        ),
        period=options.period,
        export_date=options.day_of_export(),
        activities=len(entries),
        lessons=sum(len(v) for v in lessons_by_activity.values()),
        show_names=options.show_names,
        includes_private=selected.includes_private,
        sectors=tuple(builder.tag(s.id) for s in taxonomy.children(None) if s.id in touched),
    )
    return _Chosen(list(selected.activities), entries, standalone, cover)


def preview_cover(services: AppServices, options: ExportOptions) -> CoverInfo:
    """Page 1 as `build_content` would fill it, without working out the score."""
    return _choose(_Builder(services, options), options).cover


def build_content(
    services: AppServices, options: ExportOptions, progress: Progress | None = None
) -> PortfolioContent:
    """Everything the document shows, already filtered by the privacy rules above."""
    progress = progress or Progress()
    builder = _Builder(services, options)
    taxonomy = builder.taxonomy
    period = options.period
    chosen = _choose(builder, options)
    progress.check()

    # The score counts what the portfolio may show: the work in it, and shared earlier work.
    # The breadth report (the one every view reads) works out the score, trend and goals.
    selected = builder.selected
    counted = list(selected.counted)
    counted_before_period = len(counted) - len(selected.activities)
    previous = period.previous()
    source = report_inputs(
        counted,
        builder.organisations.values(),
        builder.contacts.values(),
        [*selected.agreed_goals(), *selected.other_goals()],
        taxonomy=taxonomy,
        home_sector_id=selected.profile.home_sector_id,
    )
    report = build_report(source, as_of=period.end, trend=_trend_days(previous, period))
    result, policy = report.result, source.policy
    previous_score = report.score_on(previous.end)
    trend = tuple((p.at, p.score) for p in report.trend(stop=lambda: progress.cancelled) or ())
    progress.check()

    organisation_sectors = {i: o.sector_id for i, o in builder.organisations.items()}
    previous_activities = [a for a in counted if previous.overlaps(a.start, a.last_day)]
    previous_ids = {a.id for a in previous_activities}
    previous_lessons = sum(
        1
        for lesson in selected.lessons + selected.earlier_lessons
        if lesson.activity_id in previous_ids
        or (
            lesson.activity_id is None
            and lesson.recorded_on is not None
            and previous.contains(lesson.recorded_on)
        )
    )
    summary = Summary(
        result=result,
        previous_score=previous_score,
        trend=trend,
        totals=_totals(chosen.activities, period, chosen.cover.lessons, organisation_sectors),
        previous_totals=_totals(
            previous_activities, previous, previous_lessons, organisation_sectors
        ),
        counted_activities=len(counted),
        counted_before_period=counted_before_period,
        home=builder.tag(result.home_sector_id) if result.home_sector_id else None,
    )

    # Goals, and the review that agreed some of them: those the selection rule lets appear.
    last_review: Review | None = selected.review
    at_review: BreadthReport | None = None
    if last_review is not None:
        at_review = report.on(last_review.held_on)

    def goal_entry(goal: Goal, agreed_on: date | None) -> GoalEntry:
        now = report.progress_of(goal)
        then: GoalProgress | None = None
        if agreed_on is not None and at_review is not None:
            then = at_review.progress_of(goal)
        sectors = tuple(
            GoalSector(
                builder.tag(item.sector_id),
                builder.tag(item.counted_as) if item.counted_as else None,
                item.coverage,
                then.sectors[k].coverage if then is not None else None,
                item.reached,
            )
            for k, item in enumerate(now.sectors)
        )
        return GoalEntry(
            goal.title,
            goal.target_date,
            goal.notes,
            goal.achieved,
            agreed_on,
            sectors,
            now.progress,
            then.progress if then is not None else None,
        )

    review_entry: ReviewEntry | None = None
    if last_review is not None:
        review_entry = ReviewEntry(
            last_review.held_on,
            last_review.reviewer_name,
            last_review.reviewer_role,
            last_review.comments,
            tuple(goal_entry(g, last_review.held_on) for g in selected.agreed_goals()),
        )
    goals = tuple(goal_entry(g, None) for g in selected.other_goals())

    return PortfolioContent(
        cover=chosen.cover,
        person=chosen.cover.person,
        period=period,
        export_date=options.day_of_export(),
        paper=options.paper,
        show_names=options.show_names,
        includes_private=chosen.cover.includes_private,
        activities=chosen.entries,
        standalone_lessons=chosen.standalone,
        summary=summary,
        previous_review=review_entry,
        goals=goals,
        policy=policy,
        taxonomy_title=taxonomy.title,
        taxonomy_id=taxonomy.id,
        taxonomy_version=taxonomy.version,
        reproducible=options.reproducible,
    )
