"""The command line, run in-process (and once as `python -m portfolio_app`)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from cli_support import INIT, assert_one_clear_line, run, run_program, split_recovery_code
from keys_for_tests import TEST_PASSPHRASE, write_key_file
from portfolio_app import __version__
from portfolio_app.cli import commands
from portfolio_app.cli.main import EX_SOFTWARE, build_parser, main
from portfolio_app.domain.enums import ActivityType, LessonSection, Visibility
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Goal,
    Lesson,
    LessonField,
    Organisation,
    Review,
)
from portfolio_app.logging_setup import LOG_FILENAME
from portfolio_app.paths import DATA_DIR_ENV, AppPaths
from portfolio_app.services import AppServices, open_services

COMMANDS = {
    "gui",
    "init",
    "profile",
    "unlock",
    "import-csv",
    "export-csv",
    "csv-template",
    "list",
    "score",
    "search",
    "taxonomy",
    "export-pdf",
    "export-json",
    "import-json",
    "export-leap2a",
    "attach",
    "detach",
    "contact",
    "backup",
    "restore",
    "check",
    "import-linkedin",
}
SetUpPaths = Callable[[Path], AppPaths]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        main(["--version"])
    assert excinfo.value.code == 0
    assert capsys.readouterr().out == f"portfolio-app {__version__}\n"


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    assert set(subparsers.choices or {}) == COMMANDS  # a new command must be added here, too
    with pytest.raises(SystemExit) as excinfo:
        main(["--help"])
    assert excinfo.value.code == 0
    out = capsys.readouterr().out
    for command in COMMANDS:
        # argparse puts the help of a long name (import-linkedin) on the next line
        assert f"    {command} " in out or f"    {command}\n" in out, command
    assert "--data-dir DIR" in out


def test_entry_point_runs_as_a_module(tmp_path: Path) -> None:
    env = {**os.environ, DATA_DIR_ENV: str(tmp_path / "data")}
    result = run_program("--help", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: portfolio-app")
    assert "import-csv" in result.stdout
    assert result.stderr == ""
    assert not (tmp_path / "data").exists()  # --help does no work


@pytest.mark.parametrize(
    "sector",
    ["adult-social-care", "Adult Social Care", "ADULT-SOCIAL-CARE", "asc", "Social services"],
)
def test_init_sets_up_the_profile(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sector: str
) -> None:
    data = tmp_path / "mine"
    code, out, err = run(capsys, "--data-dir", str(data), *INIT, "--sector", sector)
    assert (code, err) == (0, "")
    _, out = split_recovery_code(out)  # first the keys are set up, and the code shown once
    assert out == (
        "Profile set up for Siân Jones (Social worker),\n"
        "Northshire Council, Local government → Adult social care.\n"
        f"Data: {data.resolve()}\n"
    )
    code, out, err = run(capsys, "--data-dir", str(data), "profile")
    assert (code, err) == (0, "")
    assert "Name:         Siân Jones\n" in out
    assert "Sector:       Local government → Adult social care\n" in out


def test_init_refuses_a_second_profile_unless_forced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = str(tmp_path / "mine")
    assert run(capsys, "--data-dir", data, *INIT, "--sector", "asc")[0] == 0

    code, out, err = run(
        capsys, "--data-dir", data, *INIT[:2], "Zoë Hart", *INIT[3:], "--sector", "police"
    )
    assert (code, out) == (1, "")
    assert_one_clear_line(err, "a profile already exists; use --force to replace it")
    assert "Siân Jones" in run(capsys, "--data-dir", data, "profile")[1]

    code, out, err = run(
        capsys,
        "--data-dir",
        data,
        "init",
        "--name",
        "Zoë Hart",
        "--role",
        "Inspector",
        "--organisation",
        "Northshire Police",
        "--sector",
        "Police",
        "--force",
    )
    assert (code, err) == (0, "")
    assert out.startswith("Profile set up for Zoë Hart (Inspector),\n")  # no second code
    assert "recovery code" not in out
    code, out, _ = run(capsys, "--data-dir", data, "profile")
    assert "Name:         Zoë Hart\n" in out
    assert "Organisation: Northshire Police\n" in out


def test_init_with_an_unknown_sector_names_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "--data-dir", str(tmp_path), *INIT, "--sector", "Hogwarts")
    assert code == 1
    assert_one_clear_line(err, "sector: unknown sector 'Hogwarts'")
    # The keys were set up before the profile failed, so the code was shown: it is the only time.
    _, rest = split_recovery_code(out)
    assert rest == ""
    # Running init again just works, without a second code.
    code, out, err = run(capsys, "--data-dir", str(tmp_path), *INIT, "--sector", "asc")
    assert (code, err) == (0, "")
    assert out.startswith("Profile set up for Siân Jones")


def test_profile_without_one_says_how_to_make_one(
    capsys: pytest.CaptureFixture[str], paths: AppPaths
) -> None:
    code, out, err = run(capsys, "--data-dir", str(paths.data_dir), "profile")
    assert (code, out) == (1, "")
    assert_one_clear_line(err, "no profile is set up yet: run 'portfolio-app init'")


def test_data_dir_comes_from_the_option_then_the_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_env = tmp_path / "from-env"
    from_option = tmp_path / "from-option"
    monkeypatch.setenv(DATA_DIR_ENV, str(from_env))

    assert run(capsys, *INIT, "--sector", "asc")[0] == 0
    assert (from_env / "portfolio.sqlite3").is_file()
    assert not from_option.exists()

    code, out, err = run(capsys, "--data-dir", str(from_option), "profile")
    assert code == 1, "the option wins, and that folder is not set up yet"
    assert_one_clear_line(err, f"Portfolio is not set up in {from_option.resolve()} yet")
    assert not (from_option / "portfolio.sqlite3").exists()

    code, out, _ = run(capsys, "profile")
    assert code == 0
    assert f"Data:         {from_env.resolve()}\n" in out


@pytest.fixture
def filled(with_profile: AppServices) -> AppServices:
    services = with_profile
    org = services.organisations.create(
        Organisation("Ødegård Care Home", "care-homes", ("Ødegård",))
    )
    assert org.id is not None
    contact = services.contacts.create(
        Contact("Łukasz Nowak", roles=(ContactRole(org.id, "Deputy manager"),))
    )
    assert contact.id is not None
    activity = services.activities.create(
        Activity(
            ActivityType.SHADOWING,
            "Shadowed the night shift",
            date(2026, 1, 15),
            organisation_ids=(org.id,),
            extra_sector_ids=("home-care",),
            contact_ids=(contact.id,),
            visibility=Visibility.SHARED,
        )
    )
    services.lessons.create(
        Lesson(
            "Handovers matter",
            activity_id=activity.id,
            recorded_on=date(2026, 1, 16),
            sections={LessonSection.WHAT_WORKED: LessonField("Written handover", shared=True)},
        )
    )
    return services


def test_list_json(capsys: pytest.CaptureFixture[str], filled: AppServices) -> None:
    data = str(filled.paths.data_dir)

    def listing(what: str) -> list[dict[str, object]]:
        code, out, err = run(capsys, "--data-dir", data, "list", what, "--json")
        assert (code, err) == (0, "")
        result: list[dict[str, object]] = json.loads(out)
        return result

    assert listing("activities") == [
        {
            "id": 1,
            "start": "2026-01-15",
            "end": "",
            "type": "shadowing",
            "title": "Shadowed the night shift",
            "organisations": "Ødegård Care Home",
            "sectors": "Care homes; Home care",
            "visibility": "shared",
            "status": "done",
            "evidence": [],
        }
    ]
    assert listing("lessons") == [
        {
            "id": 1,
            "title": "Handovers matter",
            "activity_id": 1,
            "recorded_on": "2026-01-16",
            "shared_sections": "what_worked",
            "evidence": [],
        }
    ]
    assert [o["name"] for o in listing("organisations")] == [
        "Northshire Council",
        "Ødegård Care Home",
    ]
    assert listing("contacts") == [
        {"id": 1, "name": "Łukasz Nowak", "roles": "Deputy manager at Ødegård Care Home"}
    ]


def test_list_table(capsys: pytest.CaptureFixture[str], filled: AppServices) -> None:
    code, out, err = run(capsys, "--data-dir", str(filled.paths.data_dir), "list", "activities")
    assert (code, err) == (0, "")
    header, row = out.splitlines()
    assert header.split() == [
        "id",
        "start",
        "end",
        "type",
        "title",
        "organisations",
        "sectors",
        "visibility",
        "status",
    ]
    assert row.startswith("1   2026-01-15")
    assert "Shadowed the night shift" in row and "Care homes; Home care" in row

    code, out, _ = run(capsys, "--data-dir", str(filled.paths.data_dir), "list", "organisations")
    assert "Care providers → Care homes" in out


@pytest.mark.parametrize("what", ["activities", "lessons", "organisations", "contacts"])
def test_list_when_empty(capsys: pytest.CaptureFixture[str], paths: AppPaths, what: str) -> None:
    data = str(paths.data_dir)
    code, out, err = run(capsys, "--data-dir", data, "list", what)
    assert (code, out, err) == (0, f"No {what} yet.\n", "")
    assert run(capsys, "--data-dir", data, "list", what, "--json")[1] == "[]\n"


def test_csv_template_export_and_import(
    capsys: pytest.CaptureFixture[str],
    filled: AppServices,
    tmp_path: Path,
    set_up_paths: SetUpPaths,
) -> None:
    template = tmp_path / "template.csv"
    code, out, err = run(capsys, "csv-template", "--out", str(template))
    assert (code, err) == (0, "")
    assert out == f"Wrote a CSV template to {template}.\n"
    assert template.read_text(encoding="utf-8-sig").startswith("type,title,start,")

    exported = tmp_path / "activities.csv"
    code, out, err = run(
        capsys, "--data-dir", str(filled.paths.data_dir), "export-csv", "--out", str(exported)
    )
    assert (code, err) == (0, "")
    assert out == f"Exported 1 activity to {exported}.\n"
    assert "Shadowed the night shift" in exported.read_text(encoding="utf-8-sig")

    elsewhere = str(set_up_paths(tmp_path / "elsewhere").data_dir)
    code, out, err = run(capsys, "--data-dir", elsewhere, "import-csv", str(exported))
    assert (code, err) == (0, "")
    assert out == (
        "Imported 1 activity: 1 new, 0 updated, 0 unchanged "
        "(1 new organisations, 1 new contacts).\n"
    )
    imported = json.loads(run(capsys, "--data-dir", elsewhere, "list", "activities", "--json")[1])
    assert [a["title"] for a in imported] == ["Shadowed the night shift"]


def test_import_of_a_bad_csv_imports_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, paths: AppPaths
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("type,title,start\nshadowing,,2026-13-45\n", encoding="utf-8")
    data = str(paths.data_dir)
    code, out, err = run(capsys, "--data-dir", data, "import-csv", str(bad))
    assert (code, out) == (1, "")
    assert err.startswith(f"portfolio-app: {bad}: nothing was imported;")
    assert "line 2" in err and "Traceback" not in err
    assert run(capsys, "--data-dir", data, "list", "activities")[1] == "No activities yet.\n"


def test_bad_file_paths_give_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, paths: AppPaths
) -> None:
    data = str(paths.data_dir)
    missing = tmp_path / "no-such.csv"
    code, out, err = run(capsys, "--data-dir", data, "import-csv", str(missing))
    assert (code, out) == (1, "")
    assert_one_clear_line(err, f"{missing}: cannot read the file")

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    for command in ("export-csv", "csv-template"):
        target = blocker / "out.csv"
        code, out, err = run(capsys, "--data-dir", data, command, "--out", str(target))
        assert (code, out) == (1, ""), command
        assert_one_clear_line(err, f"cannot write {target}")


def test_an_unusable_data_dir_gives_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    data = str(blocker / "data")
    code, out, err = run(capsys, "--data-dir", data, *INIT, "--sector", "asc")
    assert (code, out) == (1, "")
    assert_one_clear_line(err, "")
    assert err.rstrip().endswith(data)  # the OS's reason, then the path
    # With no log file to write to, nothing is logged: Python would print it to stderr.
    assert caplog.records == []
    # Any other command: nothing can be set up there, and it says so in one line too.
    code, out, err = run(capsys, "--data-dir", data, "profile")
    assert (code, out) == (1, "")
    assert_one_clear_line(err, f"Portfolio is not set up in {AppPaths.resolve(data).data_dir} yet")


def test_a_damaged_database_gives_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_key: bytes
) -> None:
    paths = AppPaths.resolve(tmp_path)
    write_key_file(paths, data_key)  # the passphrase is right: the database is what is wrong
    paths.database.write_bytes(b"this is not a database" * 100)
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "list", "activities")
    assert (code, out) == (1, "")
    assert_one_clear_line(err, f"Cannot open {paths.database}: the key does not fit, or the file")
    assert paths.database.read_bytes() == b"this is not a database" * 100  # left alone


def test_a_database_without_its_key_file_gives_one_line(
    capsys: pytest.CaptureFixture[str], paths: AppPaths
) -> None:
    """A database copied without its key file cannot be read, and the user is told why."""
    paths.key_file.unlink()
    code, out, err = run(capsys, "--data-dir", str(paths.data_dir), "list", "activities")
    assert (code, out) == (1, "")
    assert_one_clear_line(err, f"the key file {paths.key_file} is missing")
    assert "put the key file back" in err
    # And init refuses to set up new keys over data it could then never read.
    code, out, err = run(capsys, "--data-dir", str(paths.data_dir), *INIT, "--sector", "asc")
    assert (code, out) == (1, "")
    assert_one_clear_line(err, f"{paths.database} exists but its key file")
    assert not paths.key_file.exists()


def _explode(services: AppServices, what: str) -> list[dict[str, object]]:
    raise RuntimeError(f"listing {what} went wrong\nsecond line")


def test_an_internal_error_is_logged_and_reported_in_one_line(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    set_up_paths: SetUpPaths,
) -> None:
    set_up_paths(tmp_path)
    monkeypatch.setattr(commands, "_listing", _explode)
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "list", "contacts")
    log_file = tmp_path.resolve() / "logs" / LOG_FILENAME
    assert (code, out) == (EX_SOFTWARE, "")
    assert err == (
        "portfolio-app: internal error: listing contacts went wrong second line "
        f"(details in {log_file})\n"
    )
    log = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: listing contacts went wrong" in log
    assert "in _explode" in log
    assert TEST_PASSPHRASE not in log  # the details never include the passphrase
    # The file handler is closed when main returns, so in-process runs do not pile up handlers.
    for name in ("portfolio_app", "alembic", "sqlalchemy"):
        assert not any(isinstance(h, logging.FileHandler) for h in logging.getLogger(name).handlers)


def test_an_internal_error_without_a_log_file_prints_the_details(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    set_up_paths: SetUpPaths,
) -> None:
    set_up_paths(tmp_path)
    (tmp_path / "logs").write_text("a file where the logs folder should be", encoding="utf-8")
    monkeypatch.setattr(commands, "_listing", _explode)
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "list", "contacts")
    assert (code, out) == (EX_SOFTWARE, "")
    assert err.count("Traceback (most recent call last)") == 1
    assert caplog.records == []  # logging without a handler would print the traceback again
    assert err.splitlines()[-1] == (
        "portfolio-app: internal error: listing contacts went wrong second line "
        "(no log file could be written; details above)"
    )


def test_a_quiet_run_writes_no_log_file(
    capsys: pytest.CaptureFixture[str], paths: AppPaths
) -> None:
    assert run(capsys, "--data-dir", str(paths.data_dir), "list", "lessons")[0] == 0
    assert not (paths.data_dir / "logs" / LOG_FILENAME).exists()


def test_ctrl_c_exits_quietly_with_130(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(services: AppServices, what: str) -> list[dict[str, object]]:
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "_listing", interrupted)
    assert run(capsys, "--data-dir", str(paths.data_dir), "list", "lessons") == (130, "", "")


def test_services_see_what_the_cli_wrote(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, "--data-dir", str(tmp_path), *INIT, "--sector", "ASC")[0] == 0
    services = open_services(AppPaths.resolve(tmp_path))
    try:
        profile = services.profile.require()
    finally:
        services.close()
    assert (profile.name, profile.home_sector_id) == ("Siân Jones", "adult-social-care")


def test_list_goals_and_reviews(paths: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = paths.data_dir
    services = open_services(paths)
    services.reviews.create(
        Review(date(2026, 4, 1), "Zoë Ødegård", "Manager"),
        [Goal("Shadow the police", ("police",), date(2026, 12, 31))],
    )
    services.close()
    assert main(["--data-dir", str(data_dir), "list", "goals", "--json"]) == 0
    [goal] = json.loads(capsys.readouterr().out)
    assert goal["title"] == "Shadow the police" and goal["sectors"] == "Police"
    assert main(["--data-dir", str(data_dir), "list", "reviews"]) == 0
    out = capsys.readouterr().out
    assert "Zoë Ødegård" in out and "2026-04-01" in out
