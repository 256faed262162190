"""`portfolio-app export-json --out FILE` and `import-json FILE [--merge]` on real folders."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from cli_support import INIT, assert_one_clear_line, run, run_program, split_recovery_code
from json_support import fill_rich, table_rows
from portfolio_app.paths import DATA_DIR_ENV, AppPaths
from portfolio_app.services import open_services

SetUpPaths = Callable[[Path], AppPaths]
Capsys = pytest.CaptureFixture[str]


@pytest.fixture
def source(tmp_path: Path, set_up_paths: SetUpPaths) -> AppPaths:
    paths = set_up_paths(tmp_path / "source")
    services = open_services(paths)
    try:
        fill_rich(services)
    finally:
        services.close()
    return paths


def _export(capsys: Capsys, paths: AppPaths, out: Path) -> str:
    code, printed, err = run(
        capsys, "--data-dir", str(paths.data_dir), "export-json", "--out", str(out)
    )
    assert (code, err) == (0, ""), err
    return printed


def test_export_then_import_into_a_new_folder(
    capsys: Capsys, source: AppPaths, tmp_path: Path
) -> None:
    out = tmp_path / "Siân’s portfolio.json"
    printed = _export(capsys, source, out)
    assert printed == (
        "Exported 3 organisations, 2 contacts, 2 activities, 2 lessons, 1 review, 2 goals, "
        f"3 evidence files to {out}.\n"
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    new = tmp_path / "new"  # never set up: import-json sets it up first, as init does
    code, printed, err = run(capsys, "--data-dir", str(new), "import-json", str(out))
    assert (code, err) == (0, ""), err
    _, rest = split_recovery_code(printed)
    assert rest == (
        "Imported 3 organisations, 2 contacts, 2 activities, 2 lessons, 1 review, 2 goals, "
        "3 evidence files and the profile.\n"
    )
    first = open_services(source)
    second = open_services(AppPaths.resolve(new))
    try:
        assert table_rows(second) == table_rows(first)
    finally:
        first.close()
        second.close()


def test_import_after_init_replaces_the_profile_init_set_up(
    capsys: Capsys, source: AppPaths, tmp_path: Path
) -> None:
    out = tmp_path / "all.json"
    _export(capsys, source, out)
    new = str(tmp_path / "new")
    assert run(capsys, "--data-dir", new, *INIT[:2], "Zoë", *INIT[3:], "--sector", "police")[0] == 0
    code, printed, err = run(capsys, "--data-dir", new, "import-json", str(out))
    assert (code, err) == (0, ""), err
    assert "The profile set up here (“Zoë”) was replaced by the file's." in printed
    code, printed, _ = run(capsys, "--data-dir", new, "profile")
    assert "Name:         Siân Jones\n" in printed


def test_import_into_a_folder_with_entries_needs_merge(
    capsys: Capsys, source: AppPaths, tmp_path: Path
) -> None:
    out = tmp_path / "all.json"
    _export(capsys, source, out)
    data = str(source.data_dir)
    code, printed, err = run(capsys, "--data-dir", data, "import-json", str(out))
    assert (code, printed) == (1, "")
    assert_one_clear_line(err, f"cannot import {out}: this data folder is not empty")
    assert "add --merge" in err and "Nothing was imported." in err
    code, printed, err = run(capsys, "--data-dir", data, "import-json", str(out), "--merge")
    assert (code, err) == (0, "")
    assert printed == "0 added, 16 already there, 0 differing (kept yours).\n"


def test_a_bad_file_is_one_clear_line_naming_the_place(
    capsys: Capsys, source: AppPaths, tmp_path: Path
) -> None:
    out = tmp_path / "all.json"
    _export(capsys, source, out)
    document = json.loads(out.read_text("utf-8"))
    document["activities"][1]["start"] = "3 March"
    out.write_text(json.dumps(document), "utf-8")
    new = str(tmp_path / "new")
    assert run(capsys, "--data-dir", new, *INIT, "--sector", "police")[0] == 0
    code, printed, err = run(capsys, "--data-dir", new, "import-json", str(out))
    assert (code, printed) == (1, "")
    assert_one_clear_line(err, f"cannot import {out}: activities[1].start: not a date")
    (tmp_path / "broken.json").write_text('{"format": "portfolio-export", ', "utf-8")
    code, _, err = run(capsys, "--data-dir", new, "import-json", str(tmp_path / "broken.json"))
    assert code == 1
    assert_one_clear_line(err, f"cannot import {tmp_path / 'broken.json'}: not valid JSON")


def test_a_missing_file_is_refused_before_a_new_folder_is_set_up(
    capsys: Capsys, tmp_path: Path
) -> None:
    new = tmp_path / "new"
    code, printed, err = run(capsys, "--data-dir", str(new), "import-json", str(tmp_path / "no"))
    assert (code, printed) == (1, "")
    assert_one_clear_line(err, "cannot read the JSON file")
    assert not AppPaths.resolve(new).key_file.exists()


def test_export_to_a_device_or_a_missing_folder_is_refused(
    capsys: Capsys, source: AppPaths, tmp_path: Path
) -> None:
    data = str(source.data_dir)
    for target in ("/dev/full", str(tmp_path / "nowhere" / "all.json")):
        code, printed, err = run(capsys, "--data-dir", data, "export-json", "--out", target)
        assert (code, printed) == (1, ""), target
        assert_one_clear_line(err, f"cannot write {target}")


def test_the_commands_run_as_a_program(source: AppPaths, tmp_path: Path) -> None:
    env = {**os.environ, DATA_DIR_ENV: str(source.data_dir)}
    out = tmp_path / "all.json"
    result = run_program("export-json", "--out", str(out), env=env)
    assert (result.returncode, result.stderr) == (0, "")
    result = run_program("import-json", str(out), "--merge", env=env)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("0 added, 16 already there")
