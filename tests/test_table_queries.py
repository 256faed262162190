"""services.tables: the main window's lists sorted, filtered and read by the batch in SQL,
checked against the records the services give (a different path), on odd Unicode names."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

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
from portfolio_app.services import AppServices, open_services
from portfolio_app.services.changes import (
    ACTIVITIES,
    CONTACTS,
    COUNTS,
    LESSONS,
    ORGANISATIONS,
    SCORE,
    VIEWS,
    Changes,
)
from portfolio_app.services.table_queries import (
    ActivityFilters,
    ActivityListRow,
    ContactListRow,
    LessonListRow,
    OrganisationListRow,
    TableQuery,
)
from portfolio_app.storage.cipher import raw_connection

TODAY = date.today()


@pytest.fixture
def log(with_profile: AppServices) -> AppServices:
    """Organisations in several sectors, contacts with roles, 12 activities, lessons."""
    s = with_profile
    trust = s.organisations.create(Organisation("Łukasz Trust", "mental-health-trusts"))
    icb = s.organisations.create(Organisation("Zoë ICB", "integrated-care-boards", ("ZICB",)))
    police = s.organisations.create(Organisation("Ashdown Police", "police"))
    school = s.organisations.create(Organisation("bryn school", "education"))
    assert trust.id and icb.id and police.id and school.id
    sian = s.contacts.create(
        Contact(
            "Siân Evans",
            roles=(
                ContactRole(police.id, "Inspector", date(2015, 1, 1), date(2019, 12, 31)),
                ContactRole(trust.id, "Nurse", date(2020, 1, 1)),
            ),
        )
    )
    old = s.contacts.create(
        Contact("Aled Jones", roles=(ContactRole(school.id, "", None, date(2021, 3, 1)),))
    )
    assert sian.id and old.id
    orgs = [(trust.id,), (icb.id, police.id), (), (school.id, trust.id), (police.id,)]
    extra = [(), ("education",), ("acute-trusts",), (), ("police",)]
    start = date(2024, 1, 1)
    for i in range(12):
        s.activities.create(
            Activity(
                list(ActivityType)[i % len(ActivityType)],
                f"{['visit', 'Zebra', 'apple', 'Mentor'][i % 4]} {i:02d}",
                start + timedelta(days=17 * (i % 7)),
                end=start + timedelta(days=17 * (i % 7) + 9) if i % 3 == 0 else None,
                organisation_ids=orgs[i % 5],
                extra_sector_ids=extra[i % 5],
                contact_ids=(sian.id,) if i % 2 else (),
                visibility=Visibility.SHARED if i % 4 == 1 else Visibility.PRIVATE,
            )
        )
    first = s.activities.rows()[0].activity.id
    s.lessons.create(
        Lesson(
            "Handovers",
            first,
            date(2024, 5, 1),
            {
                LessonSection.WHAT_HAPPENED: LessonField("A ward round", shared=True),
                LessonSection.WHAT_WORKED: LessonField("Notes", shared=False),
                LessonSection.NEXT_STEP: LessonField("", shared=True),
            },
        )
    )
    s.lessons.create(Lesson("Standalone", None, date(2024, 6, 1)))
    return s


def _ids(services: AppServices, kind: str, column: int = 0, descending: bool = False) -> list[int]:
    return services.tables.ids(TableQuery(kind, column, descending))


def _ordered(rows: dict[int, object], key: object, descending: bool) -> list[int]:
    ids = sorted(rows)  # ties by id, then a stable sort by the key
    if descending:
        ids.reverse()
    return sorted(ids, key=lambda i: key(rows[i]), reverse=descending)  # type: ignore[operator]


def test_every_activity_column_sorts_both_ways(log: AppServices) -> None:
    taxonomy = log.taxonomy
    rows = log.tables.rows("activity", _ids(log, "activity"))
    assert len(rows) == 12
    keys = [
        lambda r: r.start,
        lambda r: r.type.label,
        lambda r: r.title.lower(),
        lambda r: taxonomy.label(r.sector_ids[0]).casefold() if r.sector_ids else "",
        lambda r: r.organisation_names[0].lower() if r.organisation_names else "",
        lambda r: r.visibility.value,
        lambda r: r.status.value,
    ]
    for column, key in enumerate(keys):
        for descending in (False, True):
            expected = _ordered(rows, key, descending)  # type: ignore[arg-type]
            assert _ids(log, "activity", column, descending) == expected, (column, descending)


def test_the_other_lists_sort_by_every_column(log: AppServices) -> None:
    lessons = log.tables.rows("lesson", _ids(log, "lesson"))
    organisations = log.tables.rows("organisation", _ids(log, "organisation"))
    contacts = log.tables.rows("contact", _ids(log, "contact"))
    path = log.taxonomy.path_label
    for kind, rows, keys in (
        (
            "lesson",
            lessons,
            [
                lambda r: str(r.recorded_on or ""),
                lambda r: r.title.lower(),
                lambda r: r.activity_title.lower() if r.activity_id else "(standalone)",
                lambda r: len(r.shared),
            ],
        ),
        (
            "organisation",
            organisations,
            [
                lambda r: r.name.lower(),
                lambda r: path(r.sector_id).casefold(),
                None,  # aliases: as stored (JSON text)
                lambda r: r.activity_count,
            ],
        ),
        ("contact", contacts, [lambda r: r.name.lower(), None, lambda r: len(r.roles)]),
    ):
        for column, key in enumerate(keys):
            for descending in (False, True):
                got = _ids(log, kind, column, descending)
                assert sorted(got) == sorted(rows)
                if key is not None:
                    assert got == _ordered(rows, key, descending), (kind, column)


def test_rows_carry_what_the_lists_show(log: AppServices) -> None:
    by_title = {r.activity.title: r for r in log.activities.rows()}
    listed = log.tables.rows("activity", _ids(log, "activity"))
    for row in listed.values():
        assert isinstance(row, ActivityListRow)
        expected = by_title[row.title]
        assert row.organisation_names == expected.organisation_names
        assert row.sector_ids == expected.sector_ids  # organisations' first, once each
        assert row.contact_names == expected.contact_names
        assert row.lesson_count == expected.lesson_count
        assert (row.start, row.end) == (expected.activity.start, expected.activity.end)
        assert row.visibility is expected.activity.visibility
        assert row.status is Status.DONE
    lessons = log.tables.rows("lesson", _ids(log, "lesson"))
    handovers = next(r for r in lessons.values() if r.title == "Handovers")
    assert isinstance(handovers, LessonListRow)
    assert handovers.written == (LessonSection.WHAT_HAPPENED, LessonSection.WHAT_WORKED)
    assert handovers.shared == (LessonSection.WHAT_HAPPENED,)  # an empty shared one: not
    organisations = log.tables.rows("organisation", _ids(log, "organisation"))
    counts = {o.name: o for o in organisations.values() if isinstance(o, OrganisationListRow)}
    assert counts["Zoë ICB"].aliases == ("ZICB",)
    linked = sum("Łukasz Trust" in r.organisation_names for r in by_title.values())
    assert counts["Łukasz Trust"].activity_count == linked > 0
    contacts = log.tables.rows("contact", _ids(log, "contact"))
    sian = next(c for c in contacts.values() if c.name == "Siân Evans")
    assert isinstance(sian, ContactListRow)
    role = sian.current_role(TODAY)
    assert role is not None and role[1] and role[0].organisation == "Łukasz Trust"
    aled = next(c for c in contacts.values() if c.name == "Aled Jones")
    assert isinstance(aled, ContactListRow)
    assert aled.current_role(TODAY) == (aled.roles[0], False)  # ended: the latest, not current
    assert log.tables.rows("activity", []) == {}


def test_activity_filters_match_the_records(log: AppServices) -> None:
    taxonomy = log.taxonomy
    records = log.activities.rows()

    def shown(**filters: object) -> set[int]:
        query = TableQuery("activity", filters=ActivityFilters(**filters))  # type: ignore[arg-type]
        return set(log.tables.ids(query))

    def where(test: object) -> set[int]:
        return {r.activity.id for r in records if test(r)}  # type: ignore[operator, misc]

    def in_sector(sector: str) -> object:
        return lambda r: any(sector in (s.id for s in taxonomy.ancestry(x)) for x in r.sector_ids)

    kind = ActivityType.SHADOWING
    assert shown(activity_type=kind) == where(lambda r: r.activity.type is kind) != set()
    shared = Visibility.SHARED
    assert shown(visibility=shared) == where(lambda r: r.activity.visibility is shared) != set()
    # A top-level sector takes in its sub-sectors, through organisations and extra sectors.
    nhs = shown(sector_id="nhs")
    assert nhs == where(in_sector("nhs"))
    assert shown(sector_id="acute-trusts") == where(in_sector("acute-trusts")) != set()
    assert shown(sector_id="acute-trusts") < nhs
    assert shown(sector_id="education") == where(in_sector("education")) != set()
    # Dates: the activities overlapping the range, ends included.
    day = records[3].activity.last_day
    start = records[5].activity.start
    assert shown(date_from=day, date_to=day) == where(
        lambda r: r.activity.last_day >= day and r.activity.start <= day
    )
    assert shown(date_from=start) == where(lambda r: r.activity.last_day >= start)
    assert shown(date_to=start) == where(lambda r: r.activity.start <= start)
    together = shown(sector_id="nhs", visibility=shared)
    assert together == nhs & shown(visibility=shared)


def test_a_search_narrows_every_list(log: AppServices) -> None:
    def found(kind: str, text: str) -> int:
        return len(log.tables.ids(TableQuery(kind, search=text)))

    assert found("activity", "Zebra") == 3
    assert found("activity", "Łukasz") > 0  # through an organisation's name
    assert found("activity", "Siân") == 6  # through a contact's name
    assert found("activity", "Zebra no-such-word") == 0
    assert found("activity", "   ") == 12  # no words: no filter
    assert found("organisation", "ZICB") == 1
    assert found("contact", "Siân") == 1
    assert found("lesson", "ward round") == 1


def test_damaged_entries_are_left_out_and_named(log: AppServices, data_key: bytes) -> None:
    paths: AppPaths = log.paths
    ids = _ids(log, "activity")
    log.close()
    connection = raw_connection(paths.database, data_key)
    try:
        connection.execute(
            f"UPDATE activities SET start_date = '2026-13-45', end_date = NULL WHERE id = {ids[0]}"
        )
        connection.commit()
    finally:
        connection.close()
    services = open_services(paths)
    try:
        damaged = services.tables.damaged("activity")
        assert [d.id for d in damaged] == [ids[0]]
        listed = services.tables.ids(TableQuery("activity"), exclude=[ids[0]])
        assert listed == ids[1:]
        assert services.tables.count("activity") == 12
    finally:
        services.close()


def test_unknown_kinds_and_columns_are_refused(log: AppServices) -> None:
    with pytest.raises(ValueError, match="no list of kind 'goal'"):
        log.tables.ids(TableQuery("goal"))
    with pytest.raises(ValueError, match="no column 9 in the activity list"):
        log.tables.ids(TableQuery("activity", 9))


def test_changes_name_the_views_they_affect() -> None:
    assert Changes.of("activity").views() == {ACTIVITIES, LESSONS, ORGANISATIONS, SCORE, COUNTS}
    organisation = Changes.of("organisation").views()
    assert {ORGANISATIONS, ACTIVITIES, CONTACTS, SCORE} <= organisation
    assert LESSONS not in organisation
    assert Changes.of("contact").views() == {CONTACTS, ACTIVITIES, SCORE, COUNTS}
    assert Changes.of("lesson").views() == {LESSONS, ACTIVITIES, COUNTS}
    for kind in ("goal", "review", "profile"):
        assert Changes.of(kind).views() == {SCORE}
    assert Changes.all().views() == VIEWS
    assert (Changes.of("goal") | Changes.of("lesson")).views() == {
        SCORE,
        LESSONS,
        ACTIVITIES,
        COUNTS,
    }
    with pytest.raises(ValueError, match="no such kind of entry: sector"):
        Changes.of("sector")


# The lower(title) / lower(name) indexes of revision 0009 (created here as the revision does,
# IF NOT EXISTS, so the test holds before and after it): the lists' ORDER BY must be exactly
# the indexed expression (then the id) for SQLite to read the index instead of sorting.
NAME_INDEXES = {
    "activity": ("ix_activities_title_lower", "activities", "lower(title)", 2),
    "lesson": ("ix_lessons_title_lower", "lessons", "lower(title)", 1),
    "organisation": ("ix_organisations_name_lower", "organisations", "lower(name)", 0),
    "contact": ("ix_contacts_name_lower", "contacts", "lower(name)", 0),
}


@pytest.mark.parametrize("kind", sorted(NAME_INDEXES))
@pytest.mark.parametrize("descending", [False, True])
def test_sorting_by_title_or_name_reads_the_lower_index(
    log: AppServices, kind: str, descending: bool
) -> None:
    index, table, expression, column = NAME_INDEXES[kind]
    with log.db.unit_of_work() as session:
        session.execute(text(f"CREATE INDEX IF NOT EXISTS {index} ON {table} ({expression})"))
    query = TableQuery(kind, column, descending)
    with log.db.transaction() as session:
        statement = log.tables.ids_select(session, query)
        sql = str(statement.compile(compile_kwargs={"literal_binds": True}))
        plan = " | ".join(row[-1] for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        assert f"USING COVERING INDEX {index}" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
        direction = "DESC" if descending else ""
        expected = session.scalars(
            text(f"SELECT id FROM {table} ORDER BY {expression} {direction}, id {direction}")
        ).all()
    assert log.tables.ids(query) == list(expected)
    assert log.tables.ids(query, exclude=[expected[0]]) == list(expected[1:])
