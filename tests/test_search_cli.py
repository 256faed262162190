"""`portfolio-app search TEXT [--json]` and SearchService (issue 12): every word a prefix, case
and accents folded, kind by kind, damaged entries left out, never an error for what is typed."""

from __future__ import annotations

import json
from datetime import date

import pytest

from cli_support import run
from portfolio_app.domain.enums import ActivityType, LessonSection
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Lesson,
    LessonField,
    Organisation,
)
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.services.search_service import snippet
from test_damaged_rows import _write_raw


@pytest.fixture
def filled(paths: AppPaths) -> dict[str, int]:
    services = open_services(paths)
    try:
        trust = services.organisations.create(
            Organisation("Łódź Community Trust", "nhs", aliases=("LCT",))
        )
        siân = services.contacts.create(
            Contact(
                "Siân Hughes",
                notes="Runs the referrals clinic",
                roles=(ContactRole(trust.id or 0, "Lead", date(2024, 1, 1)),),
            )
        )
        visit = services.activities.create(
            Activity(
                ActivityType.SHADOWING,
                "Shadowed the night shift",
                date(2026, 3, 15),
                description="A long night. " * 20 + "We talked about hospital discharge.",
                organisation_ids=(trust.id or 0,),
                contact_ids=(siân.id or 0,),
            )
        )
        other = services.activities.create(
            Activity(ActivityType.SECONDMENT, "Secondment to Zoë's team", date(2025, 1, 6))
        )
        lesson = services.lessons.create(
            Lesson(
                "Ask earlier",
                visit.id,
                date(2026, 3, 16),
                sections={LessonSection.WHAT_WORKED: LessonField("Discharge planning with Siân")},
            )
        )
    finally:
        services.close()
    return {
        "visit": visit.id or 0,
        "other": other.id or 0,
        "lesson": lesson.id or 0,
        "trust": trust.id or 0,
        "sian": siân.id or 0,
    }


def test_a_name_typed_without_accents_finds_every_kind(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, filled: dict[str, int]
) -> None:
    code, out, err = run(capsys, "--data-dir", str(paths.data_dir), "search", "sian")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Activities (1)"
    assert lines[1].startswith("  15 Mar 2026  Shadowed the night shift — ")
    assert "Lessons learned (1)" in lines and "Contacts (1)" in lines
    assert any(
        line.startswith("  16 Mar 2026  Ask earlier — Discharge planning with Siân")
        for line in lines
    )
    assert "  Siân Hughes" in lines  # found by the name: no snippet beside it


def test_json_lists_every_hit_with_its_stable_id(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, filled: dict[str, int]
) -> None:
    code, out, _ = run(capsys, "--data-dir", str(paths.data_dir), "search", "lodz tru", "--json")
    assert code == 0
    hits = json.loads(out)
    assert [(h["kind"], h["id"]) for h in hits] == [
        ("activity", filled["visit"]),
        ("organisation", filled["trust"]),
    ]
    assert hits[0]["date"] == "2026-03-15" and hits[1]["date"] is None
    assert all(len(h["uid"]) == 36 for h in hits)
    assert hits[1]["title"] == "Łódź Community Trust"


def test_no_match_is_said_and_is_not_an_error(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, filled: dict[str, int]
) -> None:
    code, out, _ = run(capsys, "--data-dir", str(paths.data_dir), "search", "  nobody  ")
    assert (code, out) == (0, "No entries match “nobody”.\n")
    code, out, _ = run(capsys, "--data-dir", str(paths.data_dir), "search", "nobody", "--json")
    assert (code, json.loads(out)) == (0, [])


@pytest.mark.parametrize("typed", ['"', "*", "NEAR(", "a AND", "-x", "🙂", "x" * 10_000, ""])
def test_anything_typed_is_safe(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, filled: dict[str, int], typed: str
) -> None:
    code, _, err = run(capsys, "--data-dir", str(paths.data_dir), "search", "--", typed)
    assert code == 0 and err == ""


def test_damaged_entries_are_left_out(
    paths: AppPaths, data_key: bytes, filled: dict[str, int]
) -> None:
    _write_raw(paths, data_key, f"UPDATE activities SET hours = -1 WHERE id = {filled['visit']}")
    services = open_services(paths)
    try:
        assert [(h.kind, h.id) for h in services.search.search("sian")] == [
            ("lesson", filled["lesson"]),
            ("contact", filled["sian"]),
        ]
        assert [h.id for h in services.search.search("sec", kinds=["activity"])] == [
            filled["other"]
        ]
        with pytest.raises(ValueError, match="unknown kind"):
            services.search.search("x", kinds=["goal"])
    finally:
        services.close()


def test_the_snippet_is_around_the_first_word_found() -> None:
    text = "A long night. " * 20 + "We talked about hospital discharge."
    assert snippet([text], ["discharge"]).endswith("hospital discharge.")
    assert snippet([text], ["discharge"]).startswith("…")
    assert snippet(["", "Zoë Łukasz"], ["lukasz"]) == "Zoë Łukasz"
    assert snippet(["short"], ["nothing"]) == "short"
