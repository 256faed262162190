"""`attach`, `detach` and the evidence in `list --json`, run in-process on real encrypted data."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from portfolio_app.cli.main import main
from portfolio_app.domain.enums import ActivityType, Visibility
from portfolio_app.domain.evidence import MAX_EVIDENCE_BYTES
from portfolio_app.domain.records import Activity, Lesson
from portfolio_app.services import AppServices

AGENDA = "Siân's agenda.pdf"
NOTES = "Łukasz – notes.txt"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def owners(services: AppServices) -> tuple[str, int, int]:
    """The data dir, an activity's id and a lesson's id (the services are closed for the CLI)."""
    activity = services.activities.create(
        Activity(ActivityType.SHADOWING, "Shadowed the night shift", date(2026, 1, 15))
    )
    assert activity.id is not None
    lesson = services.lessons.create(Lesson("Handovers matter", activity_id=activity.id))
    assert lesson.id is not None
    return str(services.paths.data_dir), activity.id, lesson.id


def test_attach_list_and_detach(
    capsys: pytest.CaptureFixture[str],
    services: AppServices,
    owners: tuple[str, int, int],
    tmp_path: Path,
) -> None:
    data, activity_id, lesson_id = owners
    agenda = tmp_path / AGENDA
    agenda.write_bytes(b"%PDF-1.4 agenda")
    notes = tmp_path / NOTES
    notes.write_text("notes", encoding="utf-8")

    code, out, err = run(capsys, "--data-dir", data, "attach", str(activity_id), str(agenda))
    assert (code, err) == (0, "")
    agenda_id = int(out)  # the id alone, for scripts
    code, out, err = run(
        capsys, "--data-dir", data, "attach", str(lesson_id), str(notes), "--lesson", "--shared"
    )
    assert (code, err) == (0, "")
    notes_id = int(out)
    assert agenda_id != notes_id

    assert services.evidence.read(agenda_id) == b"%PDF-1.4 agenda"
    stored = services.evidence.get(notes_id)
    assert (stored.lesson_id, stored.visibility) == (lesson_id, Visibility.SHARED)

    code, out, err = run(capsys, "--data-dir", data, "list", "activities", "--json")
    assert (code, err) == (0, "")
    [activity] = json.loads(out)
    [entry] = activity["evidence"]
    assert datetime.fromisoformat(entry.pop("added")).tzinfo is not None
    assert entry == {  # names and facts, never the contents
        "id": agenda_id,
        "name": AGENDA,
        "type": "application/pdf",
        "size": len(b"%PDF-1.4 agenda"),
        "visibility": "private",
    }

    code, out, err = run(capsys, "--data-dir", data, "list", "lessons", "--json")
    [lesson] = json.loads(out)
    assert [(e["name"], e["type"], e["size"], e["visibility"]) for e in lesson["evidence"]] == [
        (NOTES, "text/plain", 5, "shared")
    ]
    # The table listing stays as it was: no evidence column.
    code, out, err = run(capsys, "--data-dir", data, "list", "activities")
    assert "evidence" not in out.splitlines()[0]

    code, out, err = run(capsys, "--data-dir", data, "detach", str(agenda_id))
    assert (code, err) == (0, "")
    assert out == f"Deleted the evidence file “{AGENDA}” of activity {activity_id}.\n"
    assert [e.id for e in services.evidence.list_all()] == [notes_id]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["attach", "99", "{file}"], "portfolio-app: there is no activity with id 99\n"),
        (["attach", "99", "{file}", "--lesson"], "portfolio-app: there is no lesson with id 99\n"),
        (["attach", "{activity}", "{missing}"], "portfolio-app: “{missing}” does not exist"),
        (["attach", "{activity}", "{big}"], "portfolio-app: “big.bin” is 25 MB: an evidence"),
        (["attach", "{activity}", "{folder}"], "portfolio-app: “folder” is a folder"),
        (["detach", "42"], "portfolio-app: there is no evidence file with id 42\n"),
    ],
    ids=["no-activity", "no-lesson", "missing-file", "too-large", "folder", "no-evidence"],
)
def test_refusals_are_one_line_and_store_nothing(
    capsys: pytest.CaptureFixture[str],
    services: AppServices,
    owners: tuple[str, int, int],
    tmp_path: Path,
    argv: list[str],
    message: str,
) -> None:
    data, activity_id, _ = owners
    good = tmp_path / "fine.txt"
    good.write_text("fine", encoding="utf-8")
    big = tmp_path / "big.bin"
    with big.open("wb") as handle:
        handle.truncate(MAX_EVIDENCE_BYTES + 1)
    (tmp_path / "folder").mkdir()
    values = {
        "file": str(good),
        "activity": str(activity_id),
        "missing": str(tmp_path / "missing.txt"),
        "big": str(big),
        "folder": str(tmp_path / "folder"),
    }
    code, out, err = run(capsys, "--data-dir", data, *(a.format(**values) for a in argv))
    assert (code, out) == (1, "")
    assert err.startswith(message.format(**values)) and err.count("\n") == 1, err
    assert services.evidence.list_all() == []
