"""What goes into a portfolio, decided without drawing anything: privacy, names, the score's inputs,
goals' progress, and the reporting periods."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pdf_sample import CONTACT_NAME, EXPORT_DAY, NAME, PERIOD, Sample, add_review, build_sample
from portfolio_app.domain.enums import ActivityType, LessonSection, Status, Visibility
from portfolio_app.domain.records import Activity, Goal
from portfolio_app.export.pdf.content import (
    ExportOptions,
    build_content,
    preview_cover,
)
from portfolio_app.export.periods import (
    Period,
    appraisal_year,
    format_span,
    last_twelve_months,
    presets,
)
from portfolio_app.export.selection import Selection, default_selection, find_candidates
from portfolio_app.report import build_report, load_report_inputs
from portfolio_app.scoring import build_inputs, policy_from_taxonomy, score
from portfolio_app.services import AppServices

OPTIONS = ExportOptions(PERIOD, export_date=EXPORT_DAY)


@pytest.fixture
def sample(services: AppServices) -> Sample:
    return build_sample(services)


def test_candidates_are_everything_in_the_period_private_or_not(sample: Sample) -> None:
    candidates = find_candidates(sample.services, PERIOD)
    assert [a.title for a in candidates.activities] == [sample.shared.title, sample.private.title]
    titles = {lesson.title.split(":")[0] for lesson in candidates.lessons}
    assert titles == {"Lessonalpha", "Lessonofprivate", "Standaloneshared", "Hiddenlesson"}


def test_default_selection_is_the_shared_part(sample: Sample) -> None:
    candidates = find_candidates(sample.services, PERIOD)
    selection = default_selection(candidates)
    assert selection.activity_ids == {sample.shared.id}
    alpha = sample.lessons["alpha"]
    assert selection.sections_of(alpha.id) == {LessonSection.WHAT_HAPPENED}
    assert selection.sections_of(sample.lessons["hidden"].id) == frozenset()
    everything = default_selection(candidates, include_private=True)
    assert everything.activity_ids == {sample.shared.id, sample.private.id}
    assert everything.sections_of(alpha.id) == {
        LessonSection.WHAT_HAPPENED,
        LessonSection.WHAT_DID_NOT_WORK,
    }


def test_content_holds_only_what_may_be_shown(sample: Sample) -> None:
    content = build_content(sample.services, OPTIONS)
    assert [a.title for a in content.activities] == [sample.shared.title]
    activity = content.activities[0]
    assert [lesson.title for lesson in activity.lessons] == [sample.lessons["alpha"].title]
    assert [s for s, _ in activity.lessons[0].sections] == [LessonSection.WHAT_HAPPENED]
    assert [lesson.title for lesson in content.standalone_lessons] == [
        sample.lessons["standalone"].title
    ]
    assert not content.includes_private
    assert content.person.name == NAME


def test_contacts_are_organisations_unless_names_are_asked_for(sample: Sample) -> None:
    hidden = build_content(sample.services, OPTIONS).activities[0].contacts
    assert [(c.name, c.job_title, c.organisation, c.sector and c.sector.id) for c in hidden] == [
        (None, None, "Quillhouse Police", "police")
    ]
    shown = build_content(sample.services, replace(OPTIONS, show_names=True)).activities[0]
    assert shown.contacts[0].name == CONTACT_NAME


def test_a_lesson_of_a_left_out_activity_is_left_out_even_if_shared(sample: Sample) -> None:
    of_private = sample.lessons["of_private"]
    assert of_private.shared_sections()  # it has a shared section...
    content = build_content(sample.services, OPTIONS)
    assert of_private.title not in [lesson.title for lesson in content.lessons]  # ...but no
    assert sample.private.id is not None
    chosen = Selection(
        frozenset({sample.private.id}),
        {of_private.id: frozenset({LessonSection.WHAT_WORKED})} if of_private.id else {},
    )
    content = build_content(sample.services, replace(OPTIONS, selection=chosen))
    assert [lesson.title for lesson in content.lessons] == [of_private.title]
    assert content.includes_private


def test_private_sections_chosen_one_by_one_mark_the_portfolio(sample: Sample) -> None:
    alpha = sample.lessons["alpha"]
    assert alpha.id is not None and sample.shared.id is not None
    chosen = Selection(
        frozenset({sample.shared.id}),
        {alpha.id: frozenset({LessonSection.WHAT_DID_NOT_WORK})},
    )
    content = build_content(sample.services, replace(OPTIONS, selection=chosen))
    assert [s for s, _ in content.lessons[0].sections] == [LessonSection.WHAT_DID_NOT_WORK]
    assert content.includes_private


def test_selected_ids_outside_the_period_are_ignored(sample: Sample) -> None:
    assert sample.outside.id is not None
    chosen = Selection(frozenset({sample.outside.id}))
    assert build_content(sample.services, replace(OPTIONS, selection=chosen)).activities == ()


def test_the_score_counts_only_what_may_be_shown(sample: Sample) -> None:
    services = sample.services
    content = build_content(services, OPTIONS)
    summary = content.summary
    # The shared activity in the period, and the shared one before it; not the private ones.
    assert summary.counted_activities == 2 and summary.counted_before_period == 1
    policy = policy_from_taxonomy(services.taxonomy)
    shown = [sample.shared, sample.outside]
    expected = score(
        build_inputs(shown, services.organisations.list_all(), services.contacts.list_all()),
        policy,
        services.taxonomy,
        "adult-social-care",
        PERIOD.end,
    )
    assert summary.result.score == pytest.approx(expected.score)
    everything = build_content(services, replace(OPTIONS, include_private=True))
    assert everything.summary.result.score > summary.result.score
    assert everything.summary.counted_activities == 4


def test_totals_and_the_previous_period(sample: Sample) -> None:
    content = build_content(sample.services, replace(OPTIONS, include_private=True))
    totals = content.summary.totals
    assert totals.activities == 2
    assert totals.secondment_days == 92  # 1 May to 31 July, both ends counted
    assert totals.shadowing == 1
    assert totals.lessons == 4
    previous = content.summary.previous_totals
    assert previous.activities == 2  # the shared peer event and the private project of 2025
    assert previous.peer_events == 1 and previous.joint_projects == 1
    assert content.summary.previous_score <= content.summary.result.score


def test_the_trend_runs_from_the_previous_period_to_the_end(sample: Sample) -> None:
    trend = build_content(sample.services, OPTIONS).summary.trend
    assert trend[0][0] == date(2024, 12, 31)  # the day before the previous period
    assert trend[-1][0] == PERIOD.end
    assert [d for d, _ in trend] == sorted(d for d, _ in trend)
    assert trend[-1][1] == pytest.approx(
        build_content(sample.services, OPTIONS).summary.result.score
    )


def test_goals_progress_is_their_sectors_coverage(sample: Sample) -> None:
    add_review(sample.services)
    content = build_content(sample.services, OPTIONS)
    review = content.previous_review
    assert review is not None and review.reviewer_name == "Reviewername Okonkwo"
    (goal,) = review.goals
    police = content.summary.result.sector("police")
    assert goal.progress == pytest.approx(police.coverage)
    at_review = build_content(
        sample.services, replace(OPTIONS, period=Period(PERIOD.start, date(2026, 4, 1)))
    )
    assert goal.progress_at_review == pytest.approx(
        at_review.summary.result.sector("police").coverage
    )
    assert goal.agreed_on == date(2026, 4, 1)
    assert content.goals == ()  # the agreed goal is listed with its review only

    police_id = sample.shared.organisation_ids[0]
    sample.services.activities.create(
        Activity(
            ActivityType.JOINT_PROJECT,
            "A joint project with the police after the review",
            date(2026, 10, 1),
            organisation_ids=(police_id,),
            visibility=Visibility.SHARED,
        )
    )
    (later,) = build_content(sample.services, OPTIONS).previous_review.goals  # type: ignore[union-attr]
    assert later.progress is not None and goal.progress_at_review is not None
    assert later.progress > goal.progress_at_review


def test_a_sub_sector_goal_counts_as_its_top_level_sector(sample: Sample) -> None:
    services = sample.services
    shared = Visibility.SHARED
    services.goals.create(Goal("Reach acute trusts", ("acute-trusts",), visibility=shared))
    content = build_content(services, OPTIONS)
    (goal,) = content.goals
    assert goal.sectors[0].sector.id == "acute-trusts"
    assert goal.sectors[0].compared is not None and goal.sectors[0].compared.id == "nhs"
    assert goal.progress == pytest.approx(content.summary.result.sector("nhs").coverage)
    report = build_report(load_report_inputs(services), as_of=PERIOD.end)
    unknown = report.progress_of(Goal("Unknown", ("no-such-sector",)))
    assert unknown.sectors[0].counted_as is None and unknown.progress is None


def test_achieved_goals_from_before_the_period_drop_out(sample: Sample) -> None:
    services = sample.services
    old = date(2025, 3, 1)
    shared = Visibility.SHARED
    services.goals.create(Goal("Old and done", ("police",), old, achieved=True, visibility=shared))
    services.goals.create(Goal("Old, not done", ("police",), old, visibility=shared))
    titles = [g.title for g in build_content(services, OPTIONS).goals]
    assert titles == ["Old, not done"]


def test_private_goals_appear_only_when_ticked_or_asked_for(sample: Sample) -> None:
    services = sample.services
    private = services.goals.create(Goal("Goalprivate", ("police",), notes="Leaving?"))
    shared = services.goals.create(Goal("Goalshared", ("police",), visibility=Visibility.SHARED))
    assert private.visibility is Visibility.PRIVATE and private.id is not None
    content = build_content(services, OPTIONS)
    assert [g.title for g in content.goals] == ["Goalshared"]
    assert not content.includes_private
    everything = build_content(services, replace(OPTIONS, include_private=True))
    assert sorted(g.title for g in everything.goals) == ["Goalprivate", "Goalshared"]
    assert everything.includes_private
    ticked = build_content(
        services,
        replace(OPTIONS, selection=Selection(frozenset(), goal_ids=frozenset({private.id}))),
    )
    assert [(g.title, g.notes) for g in ticked.goals] == [("Goalprivate", "Leaving?")]
    assert ticked.includes_private and ticked.cover.includes_private
    assert shared.id is not None


def test_the_cover_preview_matches_the_content(sample: Sample) -> None:
    cover = preview_cover(sample.services, OPTIONS)
    content = build_content(sample.services, OPTIONS)
    assert cover == content.cover
    assert cover.activities == 1 and cover.lessons == 2
    assert [t.id for t in cover.sectors] == ["police"]


def test_planned_and_home_only_work_in_totals(services: AppServices) -> None:
    services.profile.set_up(
        name="A", role="B", organisation="Northshire Council", sector="adult-social-care"
    )
    home = services.organisations.find_by_name("Northshire Council")
    assert home is not None and home.id is not None
    services.activities.create(
        Activity(
            ActivityType.TRAINING,
            "Planned",
            date(2026, 2, 1),
            organisation_ids=(home.id,),
            visibility=Visibility.SHARED,
            status=Status.PLANNED,
        )
    )
    content = build_content(services, OPTIONS)
    assert len(content.activities) == 1
    assert content.summary.totals.activities == 0  # planned work is not a done activity
    assert content.summary.result.score == 0


def test_periods() -> None:
    assert last_twelve_months(date(2026, 11, 1)) == Period(date(2025, 11, 2), date(2026, 11, 1))
    assert last_twelve_months(date(2028, 2, 29)) == Period(date(2027, 3, 1), date(2028, 2, 29))
    assert appraisal_year(date(2026, 11, 1)) == Period(date(2026, 4, 1), date(2027, 3, 31))
    assert appraisal_year(date(2027, 2, 1)) == Period(date(2026, 4, 1), date(2027, 3, 31))
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    assert period.days == 365
    assert period.previous() == Period(date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(ValueError, match="ends"):
        Period(date(2026, 2, 1), date(2026, 1, 1))
    assert format_span(date(2026, 3, 3), None) == "3 Mar 2026"
    assert format_span(date(2026, 3, 3), date(2026, 6, 1)) == "3 Mar – 1 Jun 2026"
    assert format_span(date(2025, 12, 3), date(2026, 2, 1)) == "3 Dec 2025 – 1 Feb 2026"


def test_presets() -> None:
    found = presets(date(2026, 11, 1), last_review=date(2026, 4, 1))
    assert [p.label for p in found] == [
        "Last 12 months",
        "Since the last review (1 Apr 2026)",
        "Appraisal year 2026/27 (so far)",
        "Appraisal year 2025/26",
        "Appraisal year 2024/25",
    ]
    assert found[2].period == Period(date(2026, 4, 1), date(2026, 11, 1))
    assert found[3].period == Period(date(2025, 4, 1), date(2026, 3, 31))
    assert found[1].period == Period(date(2026, 4, 2), date(2026, 11, 1))


def test_an_empty_choice_means_nothing_not_the_default(sample: Sample) -> None:
    content = build_content(sample.services, replace(OPTIONS, selection=Selection(frozenset())))
    assert content.activities == () and content.lessons == []
    assert content.summary.counted_activities == 1  # shared work from before the period
