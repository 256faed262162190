"""The demo profile: realistic spread, consistent dates and roles, deterministic, never mixed in."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from keys_for_tests import write_key_file
from portfolio_app.cli.main import main
from portfolio_app.domain.enums import ActivityType, LessonSection, Status, Visibility
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Lesson,
    LessonField,
    Organisation,
)
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, ServiceError, open_services
from portfolio_app.services.sample_data import DemoSummary, populate_demo

TODAY = date(2026, 3, 1)
# A Sunday and a leap day: weekend shifts and year arithmetic must hold for each.
# Past days only: a done activity may not end after the real today (2024-02-29: a leap day).
TODAYS = [TODAY, date(2025, 1, 5), date(2024, 2, 29)]


@pytest.fixture(scope="module", params=TODAYS, ids=str)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, data_key: bytes
) -> Iterator[tuple[AppServices, date, DemoSummary]]:
    """One populated data dir per `today`, shared by the read-only checks below (module-scoped,
    so it is set up here with the tests' data key: the per-test passphrase is not set yet)."""
    today: date = request.param
    paths = AppPaths.resolve(tmp_path_factory.mktemp("demo"))
    write_key_file(paths, data_key)
    services = open_services(paths, key=data_key)
    summary = populate_demo(services, today)
    yield services, today, summary
    services.close()


def _two_years_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 2)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 2, day=28)


def _overlap(a: ContactRole, b: ContactRole) -> bool:
    lo = max(a.start or date.min, b.start or date.min)
    hi = min(a.end or date.max, b.end or date.max)
    return lo <= hi


def _snapshot(services: AppServices) -> tuple[Any, ...]:
    return (
        services.profile.get(),
        services.organisations.list_all(),
        services.contacts.list_all(),
        services.activities.list_all(),
        services.lessons.list_all(),
    )


def _cli_listings(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    listings = {}
    for what in ("activities", "lessons", "organisations", "contacts"):
        assert main(["--data-dir", str(data_dir), "list", what, "--json"]) == 0
        listings[what] = capsys.readouterr().out
    return listings


def test_summary_matches_the_stored_data_and_expected_sizes(
    demo: tuple[AppServices, date, DemoSummary],
) -> None:
    services, _, summary = demo
    activities = services.activities.list_all()
    assert summary == DemoSummary(
        organisations=len(services.organisations.list_all()),
        contacts=len(services.contacts.list_all()),
        activities=len(activities),
        planned=sum(a.status is Status.PLANNED for a in activities),
        lessons=len(services.lessons.list_all()),
        goals=len(services.goals.list_all()),
        reviews=len(services.reviews.list_all()),
    )
    assert 35 <= summary.activities <= 45
    assert 15 <= summary.organisations <= 20
    assert 13 <= summary.contacts <= 20
    assert 10 <= summary.lessons <= 14
    assert 2 <= summary.planned <= 4
    assert summary.reviews == 1 and summary.goals == 3


def test_profile_is_an_obvious_demo_in_a_councils_adult_social_care(
    demo: tuple[AppServices, date, DemoSummary],
) -> None:
    services, _, _ = demo
    profile = services.profile.require()
    assert "demo" in profile.name.casefold()
    assert profile.home_sector_id == "adult-social-care"
    assert services.taxonomy.top_level_of(profile.home_sector_id) == "local-government"
    home = services.organisations.get(profile.home_organisation_id)
    assert home.aliases  # so the alias-aware search has something to find
    assert services.organisations.find_by_name("NICB") is not None


def test_every_activity_type_is_used_and_the_secondment_is_about_three_months(
    demo: tuple[AppServices, date, DemoSummary],
) -> None:
    services, _, _ = demo
    activities = services.activities.list_all()
    assert {a.type for a in activities} == set(ActivityType)
    secondments = [a for a in activities if a.type is ActivityType.SECONDMENT]
    icb = {o.id for o in services.organisations.list_all() if o.sector_id.endswith("care-boards")}
    assert any(
        a.end is not None and 80 <= (a.end - a.start).days <= 100 and set(a.organisation_ids) & icb
        for a in secondments
    )


def test_organisations_reach_most_top_level_sectors(
    demo: tuple[AppServices, date, DemoSummary],
) -> None:
    services, _, _ = demo
    taxonomy = services.taxonomy
    organisations = services.organisations.list_all()
    assert all(o.sector_id in taxonomy for o in organisations)
    top_levels = {taxonomy.top_level_of(o.sector_id) for o in organisations}
    assert len(top_levels) >= 8
    home_id = services.profile.require().home_organisation_id
    assert sum(bool(o.aliases) for o in organisations if o.id != home_id) >= 5
    used = {oid for a in services.activities.list_all() for oid in a.organisation_ids}
    assert {taxonomy.top_level_of(o.sector_id) for o in organisations if o.id in used} == (
        top_levels
    )


def test_activities_link_several_organisations_and_extra_sectors(
    demo: tuple[AppServices, date, DemoSummary],
) -> None:
    services, _, _ = demo
    activities = services.activities.list_all()
    assert sum(len(a.organisation_ids) >= 2 for a in activities) >= 10
    peer_events = [a for a in activities if a.type is ActivityType.PEER_EVENT]
    assert sum(bool(a.extra_sector_ids) for a in peer_events) >= 3
    assert not services.taxonomy.unknown(s for a in activities for s in a.extra_sector_ids)
    assert sum(a.hours is not None for a in activities) >= len(activities) - 3
    for activity in activities:
        assert 1 <= len(activity.description.split(". ")) <= 3, activity.title


def test_done_activities_fall_in_the_two_years_before_today_and_planned_ones_soon_after(
    demo: tuple[AppServices, date, DemoSummary],
) -> None:
    services, today, _ = demo
    activities = services.activities.list_all()
    done = [a for a in activities if a.status is Status.DONE]
    planned = [a for a in activities if a.status is Status.PLANNED]
    assert len(planned) >= 2
    for activity in done:
        assert _two_years_before(today) <= activity.start <= activity.last_day <= today
    for activity in planned:
        assert today < activity.start <= today + timedelta(days=120)
    assert all(a.start.weekday() < 5 and a.last_day.weekday() < 5 for a in activities)


def test_visibility_is_mixed_and_reflections_on_failure_are_mostly_private(
    demo: tuple[AppServices, date, DemoSummary],
) -> None:
    services, _, _ = demo
    assert {a.visibility for a in services.activities.list_all()} == set(Visibility)
    lessons = services.lessons.list_all()
    for section in LessonSection:
        assert any(lesson.section(section).text for lesson in lessons), section

    def shared_and_private(section: LessonSection) -> tuple[int, int]:
        used = [lesson.section(section) for lesson in lessons if lesson.section(section).text]
        return sum(f.shared for f in used), sum(not f.shared for f in used)

    shared, private = shared_and_private(LessonSection.WHAT_DID_NOT_WORK)
    assert private > shared
    shared, private = shared_and_private(LessonSection.DO_DIFFERENTLY)
    assert shared > private
    # Some lessons share part of themselves and keep the rest private.
    assert any(
        lesson.shared_sections()
        and len(lesson.shared_sections()) < sum(bool(f.text) for f in lesson.sections.values())
        for lesson in lessons
    )


def test_lessons_are_mostly_linked_and_recorded_after_their_activity(
    demo: tuple[AppServices, date, DemoSummary],
) -> None:
    services, today, _ = demo
    activities = {a.id: a for a in services.activities.list_all()}
    lessons = services.lessons.list_all()
    linked = [lesson for lesson in lessons if lesson.activity_id is not None]
    assert len(lessons) - len(linked) >= 2
    assert len(linked) > len(lessons) / 2
    for lesson in lessons:
        assert lesson.recorded_on is not None and lesson.recorded_on <= today
        if lesson.activity_id is not None:
            activity = activities[lesson.activity_id]
            assert activity.status is Status.DONE
            assert activity.last_day <= lesson.recorded_on


def test_several_contacts_changed_jobs_across_sectors_without_overlapping_roles(
    demo: tuple[AppServices, date, DemoSummary],
) -> None:
    services, _, _ = demo
    taxonomy = services.taxonomy
    sector_of = {o.id: o.sector_id for o in services.organisations.list_all()}
    movers = 0
    for contact in services.contacts.list_all():
        roles = contact.roles
        for i, role in enumerate(roles):
            assert role.start is None or role.end is None or role.start <= role.end
            for other in roles[i + 1 :]:
                if other.organisation_id == role.organisation_id:
                    assert not _overlap(role, other), contact.name
            if role.end is not None:
                # A role that ended was followed by the next job, starting after it.
                assert any(r.start is not None and r.start > role.end for r in roles)
        dated = sorted((r for r in roles if r.start), key=lambda r: r.start or date.min)
        if len(dated) >= 2 and any(r.end for r in dated):
            for earlier, later in itertools.pairwise(dated):
                if earlier.end is not None:
                    assert not _overlap(earlier, later), contact.name
            tops = {taxonomy.top_level_of(sector_of[r.organisation_id]) for r in dated}
            movers += len(tops) >= 2
    assert movers >= 2


def test_linked_contacts_held_a_role_at_one_of_the_activitys_organisations_that_day(
    demo: tuple[AppServices, date, DemoSummary],
) -> None:
    services, _, _ = demo
    contacts = {c.id: c for c in services.contacts.list_all()}
    activities = services.activities.list_all()
    assert sum(bool(a.contact_ids) for a in activities) >= 25
    for activity in activities:
        for contact_id in activity.contact_ids:
            roles = contacts[contact_id].roles_on(activity.start)
            assert {r.organisation_id for r in roles} & set(activity.organisation_ids), (
                activity.title,
                contacts[contact_id].name,
            )
    met = {cid for a in activities for cid in a.contact_ids}
    assert met == set(contacts)


def test_contact_names_include_non_ascii_text(
    demo: tuple[AppServices, date, DemoSummary],
) -> None:
    services, _, _ = demo
    names = {c.name for c in services.contacts.list_all()}
    assert {"Siân Evans", "Łukasz Nowak", "Zoë Clarke"} <= names
    assert services.organisations.find_by_name("northshire  ICB") is not None


def test_everything_stored_passes_the_services_validation(
    demo: tuple[AppServices, date, DemoSummary],
) -> None:
    services, _, _ = demo
    for organisation in services.organisations.list_all():
        assert services.organisations.errors(organisation) == []
    for contact in services.contacts.list_all():
        assert services.contacts.errors(contact) == []
    for activity in services.activities.list_all():
        assert services.activities.errors(activity) == []
    for lesson in services.lessons.list_all():
        assert services.lessons.errors(lesson) == []


def test_same_day_gives_identical_listings_and_leaves_global_random_alone(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    set_up_paths: Callable[[Path], AppPaths],
) -> None:
    random.seed(7)
    state = random.getstate()
    listings = []
    for name in ("first", "second", "other-day"):
        services = open_services(set_up_paths(tmp_path / name))
        try:
            populate_demo(services, TODAY if name != "other-day" else TODAY + timedelta(days=1))
        finally:
            services.close()
        listings.append(_cli_listings(tmp_path / name, capsys))
    assert random.getstate() == state
    assert listings[0] == listings[1]
    assert '"Siân Evans"' in listings[0]["contacts"]
    # `today` really drives the dates (otherwise the check above proves little).
    assert listings[0]["activities"] != listings[2]["activities"]
    assert listings[0]["organisations"] == listings[2]["organisations"]


def _add_profile(services: AppServices) -> None:
    services.profile.set_up(
        name="Siân Jones", role="Social worker", organisation="Northshire Council", sector="ASC"
    )


def _add_activity(services: AppServices) -> None:
    services.activities.create(Activity(ActivityType.TRAINING, "Induction", date(2025, 1, 6)))


def _add_organisation(services: AppServices) -> None:
    services.organisations.create(Organisation("Riverside GP Practice", "primary-care"))


def _add_contact(services: AppServices) -> None:
    services.contacts.create(Contact("Zoë Clarke"))


def _add_lesson(services: AppServices) -> None:
    sections = {s: LessonField() for s in LessonSection}
    sections[LessonSection.WHAT_HAPPENED] = LessonField("Something went wrong.")
    services.lessons.create(Lesson("A standalone lesson", sections=sections))


@pytest.mark.parametrize(
    "add",
    [_add_profile, _add_activity, _add_organisation, _add_contact, _add_lesson],
    ids=lambda f: f.__name__.removeprefix("_add_"),
)
def test_refuses_a_data_dir_that_is_not_empty_and_changes_nothing(
    services: AppServices, add: Any
) -> None:
    add(services)
    before = _snapshot(services)
    with pytest.raises(ServiceError, match="empty data folder"):
        populate_demo(services, TODAY)
    assert _snapshot(services) == before


def test_refuses_a_second_run_and_keeps_the_first(services: AppServices) -> None:
    summary = populate_demo(services, TODAY)
    before = _snapshot(services)
    with pytest.raises(ServiceError, match="already has a profile"):
        populate_demo(services, TODAY)
    assert _snapshot(services) == before
    assert services.activities.count() == summary.activities


def test_demo_activities_carry_small_evidence_files(
    demo: tuple[AppServices, date, DemoSummary],
) -> None:
    services, today, _ = demo
    titles = {a.id: a for a in services.activities.list_all()}
    files = services.evidence.list_all()
    assert {(f.name, f.shared) for f in files} == {
        ("Secondment objectives.txt", True),
        ("My notes for supervision.txt", False),
        ("Conference agenda.txt", True),
    }
    for evidence in files:
        assert evidence.id is not None and evidence.activity_id is not None
        activity = titles[evidence.activity_id]
        assert evidence.media_type == "text/plain"
        assert evidence.added_at is not None and evidence.added_at.date() == activity.last_day
        assert activity.last_day <= today
        assert services.evidence.read(evidence.id).decode("utf-8").count("(demo)") == 1
