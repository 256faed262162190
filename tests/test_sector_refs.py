"""storage/sector_refs.py lists every column that stores sector ids, and counts and rewrites each.

Retirement, usage counts and the taxonomy diff read only this registry, so a sector column left
off it would silently keep retired ids (as goals once did): the schema is introspected here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, inspect

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Goal, Organisation
from portfolio_app.services import AppServices
from portfolio_app.storage import sector_refs
from portfolio_app.storage import tables as t
from portfolio_app.storage.cipher import cipher_engine
from portfolio_app.storage.sector_refs import SECTOR_REFS, unregistered_sector_columns


def _copy_of_schema() -> MetaData:
    copy = MetaData()
    for table in t.Base.metadata.sorted_tables:
        table.to_metadata(copy)
    return copy


def test_every_sector_column_in_the_orm_tables_is_registered() -> None:
    assert unregistered_sector_columns(t.Base.metadata) == []
    # And the registry names real columns of these tables, not stale ones.
    for ref in SECTOR_REFS:
        table, column = ref.place
        assert t.Base.metadata.tables[table].c[column] is ref.column


def test_goals_activities_and_organisations_are_all_on_the_registry() -> None:
    assert [ref.place for ref in SECTOR_REFS] == [
        ("organisations", "sector_id"),
        ("activity_sectors", "sector_id"),
        ("goals", "sector_ids"),
    ]
    # The profile's home sector is its home organisation's: nothing more to register.
    assert not any(sector_refs.is_sector_column(c.name) for c in t.ProfileRow.__table__.columns)


def test_a_sector_column_added_to_the_schema_but_not_registered_is_caught() -> None:
    schema = _copy_of_schema()
    schema.tables["profile"].append_column(Column("home_sector_id", String(64)))
    Table("mentors", schema, Column("id", Integer, primary_key=True), Column("Sectors", JSON))
    assert unregistered_sector_columns(schema) == ["mentors.Sectors", "profile.home_sector_id"]


def test_the_migrated_database_has_no_sector_column_the_registry_misses(
    migrated_template: Path, data_key: bytes
) -> None:
    """What the migrations built, not only what tables.py says (a revision can add a column)."""
    engine = cipher_engine(migrated_template, data_key)
    try:
        schema = inspect(engine)
        found = {
            (table, column["name"])
            for table in schema.get_table_names()
            for column in schema.get_columns(table)
            if sector_refs.is_sector_column(column["name"])
        }
    finally:
        engine.dispose()
    assert found == {ref.place for ref in SECTOR_REFS}


def _seed(services: AppServices) -> dict[str, int]:
    police = services.organisations.create(Organisation("Northshire Police", "police"))
    fire = services.organisations.create(Organisation("Northshire Fire", "fire-rescue"))
    assert police.id is not None and fire.id is not None
    both = services.activities.create(
        Activity(
            ActivityType.JOINT_PROJECT,
            "Blue-light day",
            date(2026, 3, 1),
            organisation_ids=(police.id,),
            extra_sector_ids=("police", "justice", "fire-rescue"),
        )
    )
    only = services.activities.create(
        Activity(
            ActivityType.PEER_EVENT,
            "Court visit",
            date(2026, 4, 1),
            extra_sector_ids=("justice", "police"),
        )
    )
    goal = services.goals.create(Goal("Reach the blue lights", ("police", "nhs", "fire-rescue")))
    assert both.id is not None and only.id is not None and goal.id is not None
    return {"both": both.id, "only": only.id, "goal": goal.id}


def test_every_place_counts_records_per_sector(services: AppServices) -> None:
    _seed(services)
    with services.db.transaction() as session:
        counts = {ref.label: counts for ref, counts in sector_refs.count_all(session)}
    assert counts == {
        "organisations": {"police": 1, "fire-rescue": 1},
        "activities": {"police": 2, "justice": 2, "fire-rescue": 1},
        "goals": {"police": 1, "nhs": 1, "fire-rescue": 1},
    }


def test_rewriting_keeps_order_and_never_leaves_a_duplicate(services: AppServices) -> None:
    ids = _seed(services)
    with services.db.unit_of_work() as session:
        sector_refs.rewrite_all(session, {"police": "fire-rescue", "nhs": "integrated-care-boards"})

    assert {o.name: o.sector_id for o in services.organisations.list_all()} == {
        "Northshire Police": "fire-rescue",
        "Northshire Fire": "fire-rescue",
    }
    # An activity that already had the replacement keeps it once, in its own place.
    assert services.activities.get(ids["both"]).extra_sector_ids == ("justice", "fire-rescue")
    assert services.activities.get(ids["only"]).extra_sector_ids == ("justice", "fire-rescue")
    assert services.goals.get(ids["goal"]).sector_ids == ("fire-rescue", "integrated-care-boards")
    with services.db.transaction() as session:
        counts = {ref.label: counts for ref, counts in sector_refs.count_all(session)}
    assert all("police" not in c and "nhs" not in c for c in counts.values())


def test_an_empty_mapping_changes_nothing(services: AppServices) -> None:
    ids = _seed(services)
    with services.db.unit_of_work() as session:
        sector_refs.rewrite_all(session, {})
    assert services.activities.get(ids["both"]).extra_sector_ids == (
        "police",
        "justice",
        "fire-rescue",
    )
    assert services.goals.get(ids["goal"]).sector_ids == ("police", "nhs", "fire-rescue")
