"""The open JSON format: an export of a rich database, imported into a fresh data folder,
recreates it exactly (every field of every entity), and the re-export is the same document."""

from __future__ import annotations

import base64
import json
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from json_support import ALL_BYTES, LONG_TEXT, counts, fill_rich, table_rows
from portfolio_app.domain.records import Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.services import json_models as m
from portfolio_app.services.errors import ServiceError
from portfolio_app.services.json_import import DataNotEmpty
from portfolio_app.services.json_models import Model
from portfolio_app.services.json_problems import JsonImportError
from portfolio_app.storage.cipher import raw_connection

SCHEMA_PATH = Path(__file__).parents[1] / "docs" / "portfolio-export.schema.json"
SetUpPaths = Callable[[Path], AppPaths]


@pytest.fixture
def rich(services: AppServices) -> AppServices:
    fill_rich(services)
    return services


def _without_time(document: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in document.items() if k != "exported_at"}


def test_round_trip_recreates_every_field_of_every_entity(
    rich: AppServices, tmp_path: Path, set_up_paths: SetUpPaths
) -> None:
    out = tmp_path / "everything.json"
    written = rich.json_export.export(out)
    assert written.counts == {
        "organisations": 3,
        "contacts": 2,
        "activities": 2,
        "lessons": 2,
        "reviews": 1,
        "goals": 2,
        "evidence": 3,
    }
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # every entry, private ones too
    fresh = open_services(set_up_paths(tmp_path / "fresh"))
    try:
        result = fresh.json_import.import_file(out)
        assert not result.merged and result.profile_added
        assert result.added == written.counts
        assert table_rows(fresh) == table_rows(rich)
        again = tmp_path / "again.json"
        fresh.json_export.export(again)
    finally:
        fresh.close()
    first, second = json.loads(out.read_text("utf-8")), json.loads(again.read_text("utf-8"))
    assert _without_time(first) == _without_time(second)


def test_the_export_holds_the_text_and_bytes_as_they_are(rich: AppServices) -> None:
    document = rich.json_export.document()
    assert document["profile"]["name"] == "Siân Jones"
    activity = next(a for a in document["activities"] if a["title"].startswith("Secondment"))
    assert activity["description"] == LONG_TEXT and len(LONG_TEXT) == 50_000
    assert activity["sectors"] == ["public-health", "nhs"]
    assert activity["hours"] == 120.5
    agenda = next(e for e in document["evidence"] if e["name"] == "Agenda – Zoë.pdf")
    assert base64.b64decode(agenda["data"]) == ALL_BYTES
    assert agenda["shared"] is True and agenda["size"] == len(ALL_BYTES)
    assert agenda["activity"] == activity["uid"] and agenda["lesson"] is None
    lesson = next(x for x in document["lessons"] if x["title"] == "Handover")
    assert lesson["sections"]["what_happened"] == {"text": "Siân led the handover", "shared": True}
    assert lesson["sections"]["what_worked"]["shared"] is False
    assert document["taxonomy"]["id"] == rich.taxonomy.id
    assert document["format"] == "portfolio-export" and document["format_version"] == 1


def test_a_real_export_is_valid_against_the_published_schema(rich: AppServices) -> None:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    document = rich.json_export.document()
    assert list(validator.iter_errors(document)) == []
    document["activities"][0]["start"] = "1 March 2024"
    document["evidence"][0]["shared"] = "yes"
    del document["lessons"][0]["sections"]["next_step"]
    wrong = {"/".join(map(str, e.absolute_path)) for e in validator.iter_errors(document)}
    assert wrong == {"activities/0/start", "evidence/0/shared", "lessons/0/sections"}


# The schema's definitions and the models the importer reads: one format, two descriptions.
DEFINITIONS: dict[str, type[Model]] = {
    "taxonomy": m.TaxonomyRef,
    "profile": m.ProfileModel,
    "organisation": m.OrganisationModel,
    "role": m.RoleModel,
    "contact": m.ContactModel,
    "activity": m.ActivityModel,
    "section": m.SectionModel,
    "sections": m.SectionsModel,
    "lesson": m.LessonModel,
    "review": m.ReviewModel,
    "goal": m.GoalModel,
    "evidence": m.EvidenceModel,
}


def _models_in(annotation: object) -> set[type[Model]]:
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return {annotation}
    found: set[type[Model]] = set()
    for arg in getattr(annotation, "__args__", ()):
        found |= _models_in(arg)
    return found


def test_the_schema_and_the_models_name_the_same_fields() -> None:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    objects = {"": (schema, m.ExportDocument)} | {
        name: (schema["$defs"][name], model) for name, model in DEFINITIONS.items()
    }
    reachable: set[type[Model]] = set()
    for name, (definition, model) in objects.items():
        assert set(definition["properties"]) == set(model.model_fields), name
        required = {k for k, f in model.model_fields.items() if f.is_required()}
        assert set(definition["required"]) == required, name
        assert definition["additionalProperties"] is False, name
        for info in model.model_fields.values():
            reachable |= _models_in(info.annotation)
    assert reachable == set(DEFINITIONS.values())  # every object of the format is described


def test_an_import_into_a_folder_with_entries_is_refused_without_merge(
    rich: AppServices, tmp_path: Path
) -> None:
    out = tmp_path / "everything.json"
    rich.json_export.export(out)
    before = table_rows(rich)
    with pytest.raises(DataNotEmpty, match=r"not empty .*add --merge") as refused:
        rich.json_import.import_file(out)
    assert "Nothing was imported" in str(refused.value)
    assert table_rows(rich) == before


def test_a_profile_only_folder_counts_as_empty_and_its_profile_is_replaced(
    rich: AppServices, tmp_path: Path, set_up_paths: SetUpPaths
) -> None:
    out = tmp_path / "everything.json"
    rich.json_export.export(out)
    fresh = open_services(set_up_paths(tmp_path / "fresh"))
    try:
        fresh.profile.set_up(
            name="Zoë Placeholder", role="", organisation="Somewhere Else", sector="police"
        )
        result = fresh.json_import.import_file(out)
        assert result.replaced_profile == "Zoë Placeholder"
        assert any("was replaced" in line for line in result.lines())
        assert table_rows(fresh) == table_rows(rich)
    finally:
        fresh.close()


def test_a_folder_with_only_a_profile_is_not_empty_for_a_file_without_one(
    services: AppServices, tmp_path: Path, set_up_paths: SetUpPaths
) -> None:
    out = tmp_path / "nothing.json"
    services.json_export.export(out)  # an empty database: no profile
    assert json.loads(out.read_text("utf-8"))["profile"] is None
    fresh = open_services(set_up_paths(tmp_path / "fresh"))
    try:
        fresh.profile.set_up(name="Siân", role="", organisation="Org", sector="police")
        with pytest.raises(DataNotEmpty, match="a profile, 1 organisations"):
            fresh.json_import.import_file(out)
        assert fresh.profile.require().name == "Siân"
    finally:
        fresh.close()


def test_an_empty_export_imports_into_an_empty_folder(
    services: AppServices, tmp_path: Path, set_up_paths: SetUpPaths
) -> None:
    out = tmp_path / "nothing.json"
    services.json_export.export(out)
    fresh = open_services(set_up_paths(tmp_path / "fresh"))
    try:
        result = fresh.json_import.import_file(out)
        assert result.total_added == 0 and result.lines() == ["Imported nothing."]
        assert set(counts(fresh).values()) == {0}
    finally:
        fresh.close()


def test_export_times_are_utc_with_a_zone(rich: AppServices) -> None:
    document = rich.json_export.document(now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert document["exported_at"] == "2026-01-02T03:04:05Z"
    assert document["activities"][0]["created_at"].endswith("Z")
    assert document["evidence"][0]["added_at"].endswith("Z")


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    services: AppServices, tmp_path: Path
) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:  # sparse: nothing is really written
        handle.truncate(513 * 1024 * 1024)
    with pytest.raises(ServiceError, match=r"too large .*512 MB"):
        services.json_import.import_file(big)
    small = tmp_path / "small.json"
    small.write_bytes(b"{}" + b" " * 100)
    with pytest.raises(ServiceError, match="too large"):
        services.json_import.import_file(small, max_bytes=64)


def test_a_folder_or_a_device_is_refused(services: AppServices, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="folder"):
        services.json_import.import_file(tmp_path)
    with pytest.raises(ServiceError, match="device"):
        services.json_import.import_file(Path("/dev/zero"))


def test_a_utf8_bom_is_accepted(
    rich: AppServices, tmp_path: Path, set_up_paths: SetUpPaths
) -> None:
    data = b"\xef\xbb\xbf" + json.dumps(rich.json_export.document()).encode()
    fresh = open_services(set_up_paths(tmp_path / "fresh"))
    try:
        assert fresh.json_import.import_bytes(data).added["activities"] == 2
    finally:
        fresh.close()


def test_problems_name_their_place_in_the_file(rich: AppServices) -> None:
    document = rich.json_export.document()
    document["activities"][1]["start"] = "2024-13-01"
    document["activities"][0]["hours"] = "many"
    document["contacts"][0]["roles"][0]["organisation"] = "0b4f6f8e-8c1e-4a8e-9f2e-1d2c3b4a5f60"
    document["lessons"][0]["surprise"] = 1
    with pytest.raises(JsonImportError) as caught:
        rich.json_import.import_bytes(json.dumps(document).encode(), merge=True)
    message = str(caught.value)
    assert "activities[1].start: not a date (use YYYY-MM-DD)" in message
    assert "activities[0].hours: not a number" in message
    assert "lessons[0].surprise: is not a field of this format" in message
    assert message.endswith("Nothing was imported.")
    del document["activities"][1]["start"], document["activities"][0]["hours"]
    document["activities"][0]["hours"] = 3.0
    document["activities"][1]["start"] = "2024-01-01"
    del document["lessons"][0]["surprise"]
    with pytest.raises(JsonImportError, match=r"contacts\[0\]\.roles\[0\]\.organisation: no "):
        rich.json_import.import_bytes(json.dumps(document).encode(), merge=True)


def test_a_newer_format_version_says_so(rich: AppServices) -> None:
    document = rich.json_export.document()
    document["format_version"] = 2
    document["activities"] = "changed in version 2"
    with pytest.raises(JsonImportError) as caught:
        rich.json_import.import_bytes(json.dumps(document).encode(), merge=True)
    assert caught.value.problems[0].path == "format_version"
    assert "newer Portfolio" in str(caught.value) and len(caught.value.problems) == 1


def test_rules_of_the_app_apply_to_imported_entries(rich: AppServices) -> None:
    document = rich.json_export.document()
    activity = document["activities"][0]
    activity["end"] = "2000-01-01"
    document["organisations"][1]["sector_id"] = "atlantis"
    document["goals"][0]["sectors"] = []
    document["evidence"][0]["size"] = 1
    document["evidence"][1]["data"] = "not base64!"
    with pytest.raises(JsonImportError) as caught:
        rich.json_import.import_bytes(json.dumps(document).encode(), merge=True)
    shown = [str(p) for p in caught.value.problems]
    assert "activities[0].end: the end date is before the start date" in shown
    assert any(p.startswith("organisations[1].sector_id: unknown sector 'atlantis'") for p in shown)
    assert "goals[0].sectors: choose at least one sector" in shown
    assert any(p.startswith("evidence[0].size: 1 bytes, but data holds") for p in shown)
    assert "evidence[1].data: not base64" in shown


def test_a_damaged_entry_stops_the_export_and_is_named(
    rich: AppServices, data_key: bytes, tmp_path: Path
) -> None:
    activity = rich.activities.list_all()[0]
    connection = raw_connection(rich.paths.database, data_key)
    try:
        connection.execute("UPDATE activities SET type = 'zzz' WHERE id = ?", (activity.id,))
        connection.commit()
    finally:
        connection.close()
    out = tmp_path / "all.json"
    with pytest.raises(ServiceError) as refused:
        rich.json_export.export(out)
    assert f"activity {activity.id} is damaged: type is unknown ('zzz')" in str(refused.value)
    assert "portfolio-app check" in str(refused.value) and "nothing was written" in str(
        refused.value
    )
    assert not out.exists()


def test_ids_are_kept_when_free_and_bounded(
    rich: AppServices, tmp_path: Path, set_up_paths: SetUpPaths
) -> None:
    document = rich.json_export.document()
    document["organisations"][2]["id"] = 2**53 + 1
    with pytest.raises(JsonImportError, match=r"organisations\[2\]\.id: out of range"):
        rich.json_import.import_bytes(json.dumps(document).encode(), merge=True)
    document["organisations"][2]["id"] = 2**53
    document["organisations"][1]["id"] = document["organisations"][0]["id"]  # taken: a new one
    fresh = open_services(set_up_paths(tmp_path / "fresh"))
    try:
        fresh.json_import.import_bytes(json.dumps(document).encode())
        ids = sorted(o.id or 0 for o in fresh.organisations.list_all())
        assert ids[0] == document["organisations"][0]["id"] and ids[-1] == 2**53
        assert len(set(ids)) == 3
        added = fresh.organisations.create(Organisation("After Siân", "police"))
        assert added.id == 2**53 + 1  # room for the next entry
    finally:
        fresh.close()


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"[]", "not a Portfolio export (the file is not a JSON object)"),
        (b'{"activities": []}', 'not a Portfolio export made by export-json (it has no "format"'),
        (
            b'{"format": "portfolio-contact-export", "version": 1}',
            'not a Portfolio export made by export-json (its format is "portfolio-contact-export")',
        ),
        (b"\xff\xfe{}", "not valid JSON"),
        (b"", "not valid JSON"),
    ],
)
def test_a_file_that_is_not_an_export_says_so_once(
    services: AppServices, data: bytes, said: str
) -> None:
    with pytest.raises(JsonImportError) as caught:
        services.json_import.import_bytes(data, source="x.json")
    assert str(caught.value).startswith(f"cannot import x.json: {said}")
    assert len(caught.value.problems) == 1
