"""RecordService.add_many_in: the same checks, ids, uids, links and stored values as add_in one
by one, on real database files."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

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
from portfolio_app.domain.validation import InvalidInput
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices
from portfolio_app.services.context import open_services

UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
TABLES = (
    "organisations",
    "contacts",
    "contact_roles",
    "activities",
    "activity_organisations",
    "activity_sectors",
    "activity_contacts",
    "lessons",
)
ORGANISATIONS = [
    Organisation(" Northshire Police ", "police", (" NP ", "NP", "")),
    Organisation("Llanfair Care Home", "adult-social-care"),
    Organisation("Ynys Môn Carers' Centre", "care-homes", ("YMCC",)),
]


def contacts(org_ids: list[int]) -> list[Contact]:
    return [
        Contact("Siân Jones", "met at the hub", (ContactRole(org_ids[0], " Sergeant "),)),
        Contact(
            "Łukasz Nowak",
            roles=(
                ContactRole(org_ids[1], "Manager", date(2020, 1, 1), date(2022, 5, 1)),
                ContactRole(org_ids[2], "Director", date(2022, 5, 2)),
            ),
        ),
        Contact("Zoë Ó Briain"),
    ]


def activities(org_ids: list[int], contact_ids: list[int]) -> list[Activity]:
    return [
        Activity(
            type=ActivityType.SECONDMENT,
            title="  Secondment to the police hub ",
            start=date(2025, 9, 1),
            end=date(2026, 2, 28),
            hours=120.5,
            organisation_ids=(org_ids[0], org_ids[2], org_ids[0]),
            extra_sector_ids=("council-housing", "police"),
            contact_ids=(contact_ids[1], contact_ids[0]),
            description="Siân's café: naïve rôle\nsecond line",
            visibility=Visibility.SHARED,
        ),
        Activity(type=ActivityType.OTHER, title="Zoë's day", start=date(2024, 3, 4)),
        Activity(
            type=ActivityType.SHADOWING,
            title="Planned visit",
            start=date(2027, 1, 2),
            status=Status.PLANNED,
            organisation_ids=(org_ids[1],),
        ),
    ]


def lessons(activity_ids: list[int]) -> list[Lesson]:
    sections = {s: LessonField() for s in LessonSection}
    sections[LessonSection.WHAT_WORKED] = LessonField("Asking early — Łukasz", True)
    return [
        Lesson("What I learned", activity_id=activity_ids[0], sections=sections),
        Lesson("A lesson on its own", recorded_on=date(2025, 1, 5)),
    ]


@pytest.fixture
def two(
    paths: AppPaths, set_up_paths: Callable[[Path], AppPaths], tmp_path: Path
) -> Iterator[tuple[AppServices, AppServices]]:
    one, other = open_services(paths), open_services(set_up_paths(tmp_path / "other"))
    yield one, other
    one.close()
    other.close()


def _ids(records: list[Any]) -> list[int]:
    return [r.id for r in records]


def _write(services: AppServices, bulk: bool) -> list[list[Any]]:
    def add(service: Any, records: list[Any]) -> list[Any]:
        with services.db.unit_of_work() as session:
            if bulk:
                return list(service.add_many_in(session, records))
            return [service.add_in(session, r) for r in records]

    orgs = add(services.organisations, ORGANISATIONS)
    people = add(services.contacts, contacts(_ids(orgs)))
    done = add(services.activities, activities(_ids(orgs), _ids(people)))
    learned = add(services.lessons, lessons(_ids(done)))
    return [orgs, people, done, learned]


def _stored(services: AppServices) -> dict[str, list[tuple[Any, ...]]]:
    """Every column of every row (uids checked for shape, then left out: they are random)."""
    stored: dict[str, list[tuple[Any, ...]]] = {}
    with services.db.transaction() as session:
        for table in TABLES:
            result = session.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))
            names = list(result.keys())
            rows = []
            for row in result:
                values = dict(zip(names, row, strict=True))
                if "uid" in values:
                    assert UID.fullmatch(values.pop("uid")), table
                values.pop("created_at", None)
                values.pop("updated_at", None)
                rows.append(tuple(values.items()))
            stored[table] = rows
    return stored


def test_bulk_writes_what_add_in_writes(two: tuple[AppServices, AppServices]) -> None:
    one_by_one, bulk = two
    assert _write(one_by_one, bulk=False) == _write(bulk, bulk=True)  # records, with their ids
    stored = _stored(bulk)
    assert stored == _stored(one_by_one)
    assert len(stored["activity_organisations"]) == 3  # the repeated organisation once
    assert len(stored["contact_roles"]) == 3
    with bulk.db.transaction() as session:
        uids = session.execute(
            text("SELECT uid FROM activities UNION ALL SELECT uid FROM contact_roles")
        )
        assert len(set(uids.scalars())) == 6


def test_a_batch_longer_than_one_insert_statement_writes_what_add_in_writes(
    two: tuple[AppServices, AppServices],
) -> None:
    """More rows than one multi-row INSERT holds (services/base.py _VALUES_PER_INSERT), in
    every table: organisations, contacts with roles, activities with three links of each kind,
    lessons; dates, hours, JSON aliases and Unicode all as add_in stores them."""
    one_by_one, bulk = two

    def write(services: AppServices, many: bool) -> list[int]:
        def add(service: Any, records: list[Any]) -> list[Any]:
            with services.db.unit_of_work() as session:
                if many:
                    return list(service.add_many_in(session, records))
                return [service.add_in(session, r) for r in records]

        orgs = add(
            services.organisations,
            [Organisation(f"Ynys Môn hub {i}", "police", (f"YM{i}",)) for i in range(1200)],
        )
        org_ids = _ids(orgs)
        people = add(
            services.contacts,
            [
                Contact(f"Siân Łukasz {i}", roles=(ContactRole(org_ids[i], "Zoë's deputy"),))
                for i in range(1200)
            ],
        )
        people_ids = _ids(people)
        done = add(
            services.activities,
            [
                Activity(
                    type=ActivityType.SHADOWING,
                    title=f"Visit {i} with Zoë",
                    start=date(2025, 1, 1 + i % 28),
                    hours=1.5 + i,
                    organisation_ids=(org_ids[i], org_ids[i + 1], org_ids[i + 2]),
                    extra_sector_ids=("police",),
                    contact_ids=(people_ids[i], people_ids[i + 1], people_ids[i + 2]),
                )
                for i in range(1000)
            ],
        )
        add(services.lessons, [Lesson(f"Lesson {i}", activity_id=a.id) for i, a in enumerate(done)])
        return _ids(done)

    assert write(one_by_one, many=False) == write(bulk, many=True)
    stored = _stored(bulk)
    assert len(stored["activity_organisations"]) == len(stored["activity_contacts"]) == 3000
    assert stored == _stored(one_by_one)


def test_bulk_keeps_the_uids_given(services: AppServices) -> None:
    given = ["0b6f9c1e-3a52-4c6e-9d3c-2b7b3a1f0e01", ""]
    with services.db.unit_of_work() as session:
        added = services.organisations.add_many_in(session, ORGANISATIONS[:2], given)
    with services.db.transaction() as session:
        uids = session.execute(text("SELECT uid FROM organisations ORDER BY id")).scalars().all()
    assert uids[-2] == given[0]
    assert UID.fullmatch(uids[-1]) and uids[-1] != given[0]
    assert [o.name for o in added] == ["Northshire Police", "Llanfair Care Home"]


def _refusal(services: AppServices, bulk: bool, records: list[Any], service: Any) -> str:
    with pytest.raises(InvalidInput) as excinfo, services.db.unit_of_work() as session:
        if bulk:
            service.add_many_in(session, records)
        else:
            for record in records:
                service.add_in(session, record)
    return str(excinfo.value)


@pytest.mark.parametrize(
    "bad",
    [
        # A name used twice in the batch: only the database can see it (the unique index).
        [Organisation("Eastbrook Hub", "police"), Organisation("EASTBROOK  hub", "nhs")],
        [Organisation("Westvale Hub", "no-such-sector")],
        [Organisation("Northshire Police", "police"), Organisation("", "police")],
    ],
)
def test_bulk_refuses_what_add_in_refuses(
    two: tuple[AppServices, AppServices], bad: list[Organisation]
) -> None:
    one_by_one, bulk = two
    message = _refusal(bulk, True, bad, bulk.organisations)
    assert message == _refusal(one_by_one, False, bad, one_by_one.organisations)
    assert bulk.organisations.list_all() == one_by_one.organisations.list_all()  # nothing kept


def test_bulk_refuses_links_to_missing_rows(two: tuple[AppServices, AppServices]) -> None:
    one_by_one, bulk = two
    bad_activity = [Activity(type=ActivityType.OTHER, title="x", start=date(2024, 1, 1))] * 2
    bad_activity.append(
        Activity(type=ActivityType.OTHER, title="y", start=date(2024, 1, 1), contact_ids=(999,))
    )
    assert _refusal(bulk, True, bad_activity, bulk.activities) == _refusal(
        one_by_one, False, bad_activity, one_by_one.activities
    )
    assert bulk.activities.count() == 0
    bad_lesson = [Lesson("Lost", activity_id=12345)]
    assert _refusal(bulk, True, bad_lesson, bulk.lessons) == _refusal(
        one_by_one, False, bad_lesson, one_by_one.lessons
    )


def test_negative_hours_refuse_the_whole_batch(services: AppServices) -> None:
    good = Activity(type=ActivityType.OTHER, title="fine", start=date(2024, 1, 1))
    bad = Activity(type=ActivityType.OTHER, title="x", start=date(2024, 1, 1), hours=-1.0)
    with pytest.raises(InvalidInput, match="hours"), services.db.unit_of_work() as session:
        services.activities.add_many_in(session, [good, bad])
    assert services.activities.count() == 0
