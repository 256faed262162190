"""Drafts of unsaved dialogs (issue 11): one per (kind, entry), replaced by a newer one, kept in
the encrypted database, checked before they are stored, never in a log or an export."""

from __future__ import annotations

import logging
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from pdf_sample import pdf_text
from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.domain.records import Activity
from portfolio_app.export.leap2a.package import Leap2AOptions, export_leap2a
from portfolio_app.export.pdf import ExportOptions, export_pdf
from portfolio_app.export.periods import Period
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.services.drafts import (
    MAX_PAYLOAD_BYTES,
    Draft,
    DraftService,
    InvalidDraft,
    format_saved_at,
    pending_summary,
)

TITLE = "Siân's hub — Łukasz"
SECRET = "Zoë said the restructure is off, tell nobody"


def _count_rows(services: AppServices) -> int:
    with services.db.transaction() as session:
        return int(session.execute(text("SELECT count(*) FROM drafts")).scalar_one())


def test_a_draft_is_kept_and_read_back_as_it_was(services: AppServices) -> None:
    payload = {
        "title": TITLE,
        "hours": "7.5",
        "organisation_ids": [3, 1],
        "shared": False,
        "ratio": 0.5,
        "nothing": None,
        "objectives": [["Shadow the hub", ["police"], "2027-03-01"]],
    }
    saved = services.drafts.save("activity", None, payload)
    found = services.drafts.get("activity", None)
    assert found is not None
    assert found.payload == payload
    assert found.saved_at == saved.saved_at
    assert found.saved_at.tzinfo is UTC
    assert found.title == TITLE
    assert services.drafts.get("activity", 7) is None
    assert services.drafts.get("lesson", None) is None


def test_one_draft_per_kind_and_entry_the_newer_replaces_the_older(
    services: AppServices,
) -> None:
    drafts = services.drafts
    drafts.save("activity", 4, {"title": "first"})
    drafts.save("activity", 4, {"title": "second"})
    drafts.save("activity", None, {"title": "new one"})
    drafts.save("lesson", 4, {"title": "a lesson"})
    assert _count_rows(services) == 3
    found = drafts.get("activity", 4)
    assert found is not None and found.payload == {"title": "second"}
    assert {(d.kind, d.entry_id, d.title) for d in drafts.pending()} == {
        ("activity", 4, "second"),
        ("activity", None, "new one"),
        ("lesson", 4, "a lesson"),
    }


def test_discard_removes_only_that_draft(services: AppServices) -> None:
    drafts = services.drafts
    drafts.save("activity", 4, {"title": "edit"})
    drafts.save("activity", None, {"title": "new"})
    assert drafts.discard("activity", 4) is True
    assert drafts.discard("activity", 4) is False
    assert [(d.entry_id, d.title) for d in drafts.pending()] == [(None, "new")]
    assert drafts.discard("activity", None) is True
    assert drafts.pending() == []


def test_pending_lists_oldest_first_with_a_short_title(paths: AppPaths) -> None:
    services = open_services(paths)
    try:
        times = iter(
            [datetime(2026, 12, 3, 10, 15, tzinfo=UTC), datetime(2026, 12, 1, 9, 0, tzinfo=UTC)]
        )
        drafts = DraftService(services.db, clock=lambda: next(times))
        drafts.save("lesson", None, {"title": "x" * 200})
        drafts.save("review", None, {"reviewer_name": "  Dr   Zoë Hart ", "comments": SECRET})
        pending = drafts.pending()
        assert [d.kind for d in pending] == ["review", "lesson"]
        assert pending[0].title == "Dr Zoë Hart"
        assert len(pending[1].title) == 60 and pending[1].title.endswith("…")
        now = datetime(2026, 12, 4, tzinfo=UTC)
        assert pending[0].describe(UTC, now) == "New appraisal review “Dr Zoë Hart”, 1 Dec 09:00"
        assert (
            pending_summary(pending, UTC, now)
            == "You have 2 unsaved drafts from 1 Dec 09:00 to 3 Dec 10:15."
        )
        assert (
            pending_summary(pending[:1], UTC, now) == "You have 1 unsaved draft from 1 Dec 09:00."
        )
    finally:
        services.close()


def test_times_are_shown_in_local_time_with_the_year_when_it_is_not_this_year() -> None:
    when = datetime(2025, 12, 3, 10, 15, tzinfo=UTC)
    plus_one = timezone(timedelta(hours=1))
    assert format_saved_at(when, plus_one, datetime(2026, 1, 2, tzinfo=UTC)) == "3 Dec 2025 11:15"
    assert format_saved_at(when, UTC, when) == "3 Dec 10:15"
    edit = Draft("activity", 5, when, {})
    assert edit.describe(UTC, when) == "Changes to the activity “untitled”, 3 Dec 10:15"


@pytest.mark.parametrize(
    ("kind", "entry_id", "payload", "message"),
    [
        ("activity", None, {"title": {"nested": "object"}}, "field 'title': an object"),
        ("activity", None, {"ids": [1, (2, 3)]}, "field 'ids'[1]: a tuple"),
        ("activity", None, {"when": date(2026, 1, 1)}, "field 'when': a date"),
        ("activity", None, {"hours": float("nan")}, "field 'hours': nan is not a number"),
        ("activity", None, {"deep": [[[[["too deep"]]]]]}, "nest more than 4 deep"),
        ("activity", None, ["not", "an", "object"], "is a list, not an object"),
        ("activity", None, {1: "key"}, "field name that is not text"),
        ("activity", None, {"title": "\ud800"}, "not valid Unicode"),
        ("goal", None, {"title": "x"}, "drafts of 'goal' are not kept"),
        ("activity", 0, {"title": "x"}, "positive whole number, not 0"),
        ("activity", True, {"title": "x"}, "positive whole number, not True"),
    ],
)
def test_a_payload_that_is_not_plain_json_is_refused_by_name_and_nothing_is_stored(
    services: AppServices, kind: str, entry_id: object, payload: object, message: str
) -> None:
    services.drafts.save("activity", None, {"title": "kept"})
    with pytest.raises(InvalidDraft) as raised:
        services.drafts.save(kind, entry_id, payload)  # type: ignore[arg-type]
    assert message in str(raised.value)
    assert [d.title for d in services.drafts.pending()] == ["kept"]


def test_a_draft_over_two_megabytes_is_refused_and_the_older_one_stays(
    services: AppServices,
) -> None:
    services.drafts.save("activity", None, {"description": "short"})
    # Non-ASCII text counts by its UTF-8 bytes: 2 bytes for each "ł".
    big = {"description": "ł" * (MAX_PAYLOAD_BYTES // 2)}
    with pytest.raises(InvalidDraft, match=r"the draft of the activity is 2\.0 MB, over the 2 MB"):
        services.drafts.save("activity", None, big)
    found = services.drafts.get("activity", None)
    assert found is not None and found.payload == {"description": "short"}
    # Just under the cap is fine (a 50,000-character description is far below it).
    services.drafts.save("activity", None, {"description": "ł" * 50_000})


def test_drafts_outlive_a_reopen_and_live_in_the_encrypted_database(paths: AppPaths) -> None:
    services = open_services(paths)
    services.drafts.save("lesson", 3, {"title": TITLE, "what_happened": SECRET})
    services.close()
    for suffix in ("", "-wal"):
        file = Path(f"{paths.database}{suffix}")
        if file.exists():
            assert SECRET.encode() not in file.read_bytes()
    again = open_services(paths)
    try:
        found = again.drafts.get("lesson", 3)
        assert found is not None and found.payload["what_happened"] == SECRET
    finally:
        again.close()


def test_an_unreadable_draft_is_left_out_and_left_alone(services: AppServices) -> None:
    services.drafts.save("activity", None, {"title": "good"})
    with services.db.unit_of_work() as session:
        for kind, entry_id, payload, saved_at in (
            ("activity", 9, "{not json", "2026-12-03 10:15:00"),
            ("activity", 10, '["a list"]', "2026-12-03 10:15:00"),
            ("future-kind", None, "{}", "2026-12-03 10:15:00"),
            ("lesson", None, "{}", "not a time"),
            ("lesson", "x", "{}", "2026-12-03 10:15:00"),
        ):
            session.execute(
                text(
                    "INSERT INTO drafts (kind, entry_id, payload, saved_at) VALUES (:k, :e, :p, :s)"
                ),
                {"k": kind, "e": entry_id, "p": payload, "s": saved_at},
            )
    assert [d.title for d in services.drafts.pending()] == ["good"]
    assert services.drafts.get("activity", 9) is None
    # A new draft of the same entry replaces the unreadable one.
    services.drafts.save("activity", 9, {"title": "fresh"})
    found = services.drafts.get("activity", 9)
    assert found is not None and found.title == "fresh"
    assert _count_rows(services) == 6


def test_draft_text_never_reaches_the_log(
    services: AppServices, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="portfolio_app")  # an earlier CLI run set INFO
    services.drafts.save("activity", 2, {"title": TITLE, "description": SECRET})
    services.drafts.pending()
    services.drafts.discard("activity", 2)
    with pytest.raises(InvalidDraft) as raised:
        services.drafts.save("activity", 2, {"title": TITLE, "description": [{SECRET: 1}]})
    assert caplog.records  # something was logged: the test can fail
    for shown in (caplog.text, str(raised.value)):
        assert SECRET not in shown and TITLE not in shown


def test_no_export_reads_drafts(with_profile: AppServices, tmp_path: Path) -> None:
    services = with_profile
    home = services.profile.require().home_organisation_id
    services.activities.create(
        Activity(
            type=ActivityType.SHADOWING,
            title="Shadowing at the hub",
            start=date(2026, 3, 2),
            end=None,
            hours=None,
            organisation_ids=(home,),
            extra_sector_ids=(),
            contact_ids=(),
            description="",
            visibility=Visibility.SHARED,
            status=Status.DONE,
        )
    )
    services.drafts.save("activity", None, {"title": SECRET, "description": SECRET})
    services.drafts.save("lesson", 1, {"title": SECRET})
    csv_file, json_file, leap_file, pdf_file = (
        tmp_path / name for name in ("a.csv", "a.json", "a.zip", "a.pdf")
    )
    services.csv_export.export_activities(csv_file)
    services.json_export.export(json_file)
    export_leap2a(services, Leap2AOptions(include_private=True), leap_file)
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    export_pdf(services, ExportOptions(period, export_date=date(2027, 1, 5)), pdf_file)
    with zipfile.ZipFile(leap_file) as archive:
        leap_text = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Shadowing at the hub" in csv_file.read_bytes()  # the exports do hold the data
    for exported in (csv_file.read_bytes(), json_file.read_bytes(), leap_text):
        assert SECRET.encode() not in exported
    assert "Shadowing at the hub" in pdf_text(pdf_file)
    assert SECRET not in pdf_text(pdf_file)
