"""`import-json --merge`: the same uid is the same entry (kept as it is here, listed if the
file's differs), a new uid is added, and nothing is ever there twice."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from json_support import counts, fill_rich, table_rows
from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Contact, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.services.errors import ServiceError
from portfolio_app.services.json_problems import JsonImportError
from portfolio_app.storage.cipher import raw_connection

SetUpPaths = Callable[[Path], AppPaths]
ENTRIES = 16  # fill_rich: the profile and 15 entries


@pytest.fixture
def rich(services: AppServices) -> AppServices:
    fill_rich(services)
    return services


@pytest.fixture
def other(tmp_path: Path, set_up_paths: SetUpPaths) -> Iterator[AppServices]:
    opened = open_services(set_up_paths(tmp_path / "other"))
    yield opened
    opened.close()


def _export(services: AppServices, path: Path) -> Path:
    services.json_export.export(path)
    return path


def test_merging_the_same_file_again_adds_nothing(
    rich: AppServices, other: AppServices, tmp_path: Path
) -> None:
    out = _export(rich, tmp_path / "a.json")
    other.json_import.import_file(out)
    before = table_rows(other)
    result = other.json_import.import_file(out, merge=True)
    assert (result.total_added, result.already_there, result.differing) == (0, ENTRIES, ())
    assert result.lines() == [f"0 added, {ENTRIES} already there, 0 differing (kept yours)."]
    assert table_rows(other) == before
    rich.json_import.import_file(out, merge=True)  # into the folder it came from, too
    assert counts(rich) == counts(other)


def test_new_entries_are_added_and_changed_ones_are_kept_and_listed(
    rich: AppServices, other: AppServices, tmp_path: Path
) -> None:
    other.json_import.import_file(_export(rich, tmp_path / "a.json"))
    # Here: the user edits an activity and an organisation's sector.
    mine = next(a for a in other.activities.list_all() if a.title.startswith("Secondment"))
    other.activities.update(replace(mine, title="Secondment (my title)"))
    police = other.organisations.find_by_name("Zoë Police")
    assert police is not None
    other.organisations.update(replace(police, sector_id="fire-rescue"))
    # There: new entries after the first copy.
    trust = rich.organisations.find_by_name("Łukasz’s NHS Trust")
    assert trust is not None and trust.id
    new = rich.activities.create(
        Activity(
            ActivityType.SHADOWING,
            "Shadowing Łukasz",
            date(2025, 2, 3),
            organisation_ids=(trust.id,),
        )
    )
    assert new.id
    rich.evidence.add("Zoë.txt", b"notes", activity_id=new.id)
    rich.contacts.create(Contact("Siân Evans"))
    before = counts(other)
    result = other.json_import.import_file(_export(rich, tmp_path / "b.json"), merge=True)
    assert result.added == {
        "organisations": 0,
        "contacts": 1,
        "activities": 1,
        "lessons": 0,
        "reviews": 0,
        "goals": 0,
        "evidence": 1,
    }
    assert result.already_there == ENTRIES - 2
    assert sorted(result.differing) == sorted(
        [
            f"activity “Secondment (my title)” ({_uid(other, 'activities', mine.id)})",
            f"organisation “Zoë Police” ({_uid(other, 'organisations', police.id)})",
        ]
    )
    assert result.lines()[0] == f"3 added, {ENTRIES - 2} already there, 2 differing (kept yours)."
    assert counts(other)["activities"] == before["activities"] + 1
    assert other.activities.get(mine.id or 0).title == "Secondment (my title)"  # kept yours
    assert other.organisations.get(police.id or 0).sector_id == "fire-rescue"
    shadowing = next(a for a in other.activities.list_all() if a.title == "Shadowing Łukasz")
    here_trust = other.organisations.find_by_name("Łukasz’s NHS Trust")
    assert here_trust is not None and shadowing.organisation_ids == (here_trust.id,)
    assert [e.name for e in other.evidence.list_for(activity_id=shadowing.id)] == ["Zoë.txt"]


def _uid(services: AppServices, kind: str, row_id: int | None) -> str:
    document = services.json_export.document()
    return next(e["uid"] for e in document[kind] if e["id"] == row_id)


def test_two_folders_set_up_apart_share_their_organisations_by_name(
    rich: AppServices, other: AppServices, tmp_path: Path
) -> None:
    other.profile.set_up(
        name="Siân Jones",
        role="Social worker",
        organisation="NORTHSHIRE  council",
        sector="adult-social-care",
    )
    other.organisations.create(Organisation("Zoë police", "police"))
    other.contacts.create(Contact("zoë ødegaard", "my own notes"))
    result = other.json_import.import_file(_export(rich, tmp_path / "a.json"), merge=True)
    names = sorted(o.name for o in other.organisations.list_all())
    assert names == ["NORTHSHIRE  council", "Zoë police", "Łukasz’s NHS Trust"]  # no twins
    assert sorted(c.name for c in other.contacts.list_all()) == ["zoë ødegaard", "Łukasz Nowak"]
    assert result.added["organisations"] == 1 and result.added["contacts"] == 1
    differing = " ".join(result.differing)
    assert "the profile" in differing and "zoë ødegaard" in differing
    home = other.organisations.find_by_name("Northshire Council")
    assert home is not None
    planned = next(a for a in other.activities.list_all() if a.title == "Peer day with Zoë")
    assert planned.organisation_ids == (home.id,)  # linked to the one already here
    secondment = next(a for a in other.activities.list_all() if a.title.startswith("Second"))
    assert len(secondment.contact_ids) == 2


def test_a_folder_without_a_profile_gets_the_files(
    rich: AppServices, other: AppServices, tmp_path: Path
) -> None:
    other.organisations.create(Organisation("Somewhere", "police"))
    result = other.json_import.import_file(_export(rich, tmp_path / "a.json"), merge=True)
    assert result.profile_added
    assert other.profile.require().name == "Siân Jones"


def test_a_new_contact_whose_role_uid_is_taken_here_is_refused_and_nothing_changes(
    rich: AppServices, other: AppServices, tmp_path: Path
) -> None:
    out = _export(rich, tmp_path / "a.json")
    other.json_import.import_file(out)
    text = out.read_text("utf-8")
    contact = json.loads(text)["contacts"][0]
    # A new contact (new uid, new name) whose roles keep the uids of one here.
    document = json.loads(text.replace(contact["uid"], "0b4f6f8e-8c1e-4a8e-9f2e-1d2c3b4a5f60"))
    document["contacts"][0]["name"] = "Someone Else"
    before = table_rows(other)
    with pytest.raises(JsonImportError, match=r"contacts\[0\]\.roles\[0\]\.uid: a role of "):
        other.json_import.import_bytes(json.dumps(document).encode(), merge=True)
    assert table_rows(other) == before


def test_merge_never_duplicates_whatever_the_order_of_imports(
    rich: AppServices, other: AppServices, tmp_path: Path
) -> None:
    out = _export(rich, tmp_path / "a.json")
    for _ in range(3):
        other.json_import.import_file(out, merge=True)
    assert counts(other) == counts(rich)


def test_a_damaged_entry_here_stops_a_merge_and_is_named(
    rich: AppServices, data_key: bytes, tmp_path: Path
) -> None:
    out = _export(rich, tmp_path / "a.json")
    lesson = rich.lessons.list_all()[0]
    connection = raw_connection(rich.paths.database, data_key)
    try:
        connection.execute(
            "UPDATE lessons SET recorded_on = '31/02/2025' WHERE id = ?", (lesson.id,)
        )
        connection.commit()
    finally:
        connection.close()
    before = _raw_counts(rich, data_key)
    with pytest.raises(
        ServiceError, match=rf"lesson {lesson.id} is damaged: .*portfolio-app check"
    ):
        rich.json_import.import_file(out, merge=True)
    assert _raw_counts(rich, data_key) == before


def _raw_counts(services: AppServices, data_key: bytes) -> list[int]:
    connection = raw_connection(services.paths.database, data_key)
    try:
        tables = ("organisations", "contacts", "activities", "lessons", "goals", "evidence")
        return [connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables]
    finally:
        connection.close()
