"""`portfolio-app contact erase` and `contact export` on a real encrypted data folder."""

from __future__ import annotations

import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from portfolio_app.cli import contact_commands
from portfolio_app.cli.main import main
from portfolio_app.domain.enums import ActivityType, LessonSection
from portfolio_app.domain.records import Activity, Contact, Lesson, LessonField
from portfolio_app.paths import AppPaths
from portfolio_app.services import NotFound, open_services

NAME = "Łukasz Zoë Wiśniewski"


def _cli(capsys: pytest.CaptureFixture[str], paths: AppPaths, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(paths.data_dir), *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def contact_id(paths: AppPaths, data_key: bytes) -> int:
    """The person, linked to an activity, named in a lesson, and held by one backup."""
    services = open_services(paths, key=data_key)
    try:
        contact = services.contacts.create(Contact(NAME, "notes about them"))
        assert contact.id is not None
        services.contacts.create(Contact("Someone Else"))
        activity = services.activities.create(
            Activity(
                ActivityType.SHADOWING, "Shadowing", date(2026, 1, 5), contact_ids=(contact.id,)
            )
        )
        services.lessons.create(
            Lesson(
                "Hand-over",
                activity.id,
                sections={LessonSection.WHAT_HAPPENED: LessonField("Wiśniewski said so")},
            )
        )
        services.db.copy_to(paths.backups_dir / "portfolio-2026-02-01T090000Z.backup")
        return contact.id
    finally:
        services.close()


def _exists(paths: AppPaths, data_key: bytes, contact_id: int) -> bool:
    services = open_services(paths, key=data_key)
    try:
        services.contacts.get(contact_id)
    except NotFound:
        return False
    finally:
        services.close()
    return True


def test_erase_with_yes_prints_the_preview_then_erases(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, data_key: bytes, contact_id: int
) -> None:
    backup = paths.backups_dir / "portfolio-2026-02-01T090000Z.backup"
    code, out, err = _cli(capsys, paths, "contact", "erase", str(contact_id), "--yes")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith(f"Erase the contact “{NAME}” (id {contact_id}) everywhere")
    assert "- 1 activity will no longer list them (it stays in your log):" in lines
    assert "    activity 1 “Shadowing” (2026-01-05)" in lines
    assert any("lesson 1 “Hand-over” (What happened): “Wiśniewski”" in line for line in lines)
    assert f"    {backup}" in lines
    assert "The backups above are kept (add --prune-backups to delete them too)." in lines
    assert f"Erased contact {contact_id}: 0 roles removed, 1 activity no longer lists them." in out
    assert "1 older backup still holds them:" in out
    assert not _exists(paths, data_key, contact_id)
    assert backup.exists()


def test_erase_with_prune_backups_deletes_the_backups_that_hold_them(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, data_key: bytes, contact_id: int
) -> None:
    backup = paths.backups_dir / "portfolio-2026-02-01T090000Z.backup"
    code, out, err = _cli(
        capsys, paths, "contact", "erase", str(contact_id), "--prune-backups", "--yes"
    )
    assert (code, err) == (0, "")
    assert "The backups above will be deleted too." in out
    assert "Deleted 1 backup that held them." in out
    assert not backup.exists()
    assert not _exists(paths, data_key, contact_id)


def test_erase_without_yes_and_no_terminal_refuses_in_one_line(
    capsys: pytest.CaptureFixture[str],
    paths: AppPaths,
    data_key: bytes,
    contact_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(contact_commands, "_interactive", lambda: False)
    code, out, err = _cli(capsys, paths, "contact", "erase", str(contact_id), "--prune-backups")
    assert code == 1
    assert out.startswith(f"Erase the contact “{NAME}”")  # the preview is still shown
    assert err == (
        "portfolio-app: nothing erased: there is no terminal to confirm on; add --yes to erase\n"
    )
    assert _exists(paths, data_key, contact_id)
    assert (paths.backups_dir / "portfolio-2026-02-01T090000Z.backup").exists()


@pytest.mark.parametrize(
    ("answer", "erased"), [("y", True), ("YES", True), ("n", False), ("", False)]
)
def test_erase_asks_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
    paths: AppPaths,
    data_key: bytes,
    contact_id: int,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    erased: bool,
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(contact_commands, "_interactive", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or answer)
    code, out, _err = _cli(capsys, paths, "contact", "erase", str(contact_id))
    assert asked == [f"Erase “{NAME}” everywhere? [y/N] "]
    assert code == (0 if erased else 1)
    assert ("Nothing was erased." in out) is not erased
    assert _exists(paths, data_key, contact_id) is not erased


def test_erase_of_a_missing_contact_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], paths: AppPaths
) -> None:
    code, out, err = _cli(capsys, paths, "contact", "erase", "999", "--yes")
    assert (code, out) == (1, "")
    assert err == "portfolio-app: there is no contact with id 999\n"


def test_export_writes_the_contact_as_json_owner_only(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, contact_id: int, tmp_path: Path
) -> None:
    out_file = tmp_path / "Zoë's export.json"
    code, out, err = _cli(
        capsys, paths, "contact", "export", str(contact_id), "--out", str(out_file)
    )
    assert (code, err) == (0, "")
    assert out == (
        f"Exported everything about “{NAME}” to {out_file} "
        "(1 activity, 1 lesson, named in 1 place of your own text).\n"
    )
    document = json.loads(out_file.read_text(encoding="utf-8"))
    assert document["format"] == "portfolio-contact-export"
    assert document["version"] == 1
    assert document["contact"]["name"] == NAME
    assert [a["title"] for a in document["activities"]] == ["Shadowing"]
    assert [lesson["title"] for lesson in document["lessons"]] == ["Hand-over"]
    if os.name == "posix":
        assert stat.S_IMODE(out_file.stat().st_mode) == 0o600


def test_export_into_a_missing_folder_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, contact_id: int, tmp_path: Path
) -> None:
    target = tmp_path / "no-such-folder" / "x.json"
    code, out, err = _cli(capsys, paths, "contact", "export", str(contact_id), "--out", str(target))
    assert (code, out) == (1, "")
    assert err.startswith("portfolio-app: cannot write ") and err.count("\n") == 1


def test_contact_without_a_subcommand_shows_its_help(
    capsys: pytest.CaptureFixture[str], paths: AppPaths
) -> None:
    code, out, err = _cli(capsys, paths, "contact")
    assert code == 2 and out == ""
    assert "erase" in err and "export" in err
