"""The logs never hold what the user wrote: a failed statement is logged (and reported) without
its parameters. A real database error is forced with marker text in the row being written, then
every log file and the terminal output are searched for it."""

from __future__ import annotations

import ast
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from cli_session import INIT, cli
from portfolio_app.logging_setup import LOG_FILENAME
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.storage import cipher, database
from portfolio_app.storage.cipher import cipher_url, raw_connection

MARKER = "MARKER-my-diagnosis"
SRC = Path(__file__).resolve().parents[1] / "src" / "portfolio_app"

# Triggers that make the database itself refuse the insert of an activity, as a full disk or a
# damaged file would: the statement carries the user's text as its parameters.
REFUSE = "SELECT RAISE(ABORT, 'forced failure')"  # IntegrityError: a StorageError for the user
TOO_BIG = "SELECT zeroblob(2000000000)"  # DataError ("string or blob too big"): not ours, a bug

CSV = (
    "type,title,start,organisation,sector,description,visibility\r\n"
    f"shadowing,{MARKER} in the title,2026-03-04,Northshire Community Health,community-trusts,"
    f"{MARKER}: what I got wrong about the family,private\r\n"
)


def add_trigger(paths: AppPaths, key: bytes, body: str) -> None:
    with closing(raw_connection(paths.database, key)) as db, db:
        db.execute(f"CREATE TRIGGER fail_inserts BEFORE INSERT ON activities BEGIN {body}; END")


def set_up(tmp_path: Path) -> tuple[AppPaths, bytes, Path]:
    paths = AppPaths.resolve(tmp_path / "data")
    assert cli(paths, *INIT) == 0
    services = open_services(paths)
    key = services.data_key
    services.close()
    csv_file = tmp_path / "activities.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    return paths, key, csv_file


def log_text(paths: AppPaths) -> str:
    files = [p for p in paths.logs_dir.rglob("*") if p.is_file()]
    assert files, "nothing was logged"
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)


@pytest.mark.parametrize(
    ("trigger", "code", "reported"),
    [(REFUSE, 1, "forced failure"), (TOO_BIG, 70, "string or blob too big")],
    ids=["storage-error", "internal-error"],
)
def test_a_failed_write_is_logged_and_reported_without_the_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], trigger: str, code: int, reported: str
) -> None:
    paths, key, csv_file = set_up(tmp_path)
    add_trigger(paths, key, trigger)
    capsys.readouterr()
    assert cli(paths, "import-csv", str(csv_file)) == code
    out, err = capsys.readouterr()
    assert reported in err and err.count("\n") == 1  # reported, in one line
    logged = log_text(paths)
    assert reported in logged and "INSERT INTO activities" in logged  # logged, with the SQL
    assert "Traceback" in logged  # the detail is there for support...
    assert MARKER not in logged  # ...but not the user's words
    assert MARKER not in out + err
    assert (paths.logs_dir / LOG_FILENAME).exists()


def test_the_same_error_without_hidden_parameters_would_show_the_text(tmp_path: Path) -> None:
    """The control: the forced error really carries the marker, so its absence above is the
    engines' doing (hide_parameters), not an error that never mentioned it."""
    paths, key, _ = set_up(tmp_path)
    add_trigger(paths, key, REFUSE)
    plain = create_engine(cipher_url(paths.database, key))  # no hide_parameters
    try:
        with pytest.raises(DBAPIError) as raised, plain.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO activities (type, title, start) VALUES ('other', :t, '2026-01-01')"
                ),
                {"t": MARKER},
            )
    finally:
        plain.dispose()
    assert MARKER in str(raised.value)


def test_every_engine_of_the_app_hides_parameters(tmp_path: Path, data_key: bytes) -> None:
    path = tmp_path / "x.sqlite3"
    engines = [
        database.make_engine(path, data_key),
        database._migration_engine(path, data_key),
        cipher.cipher_engine(path, data_key),
    ]
    try:
        assert all(engine.hide_parameters for engine in engines)
    finally:
        for engine in engines:
            engine.dispose()


def test_every_create_engine_call_in_the_source_hides_parameters() -> None:
    """A new engine added anywhere must say hide_parameters=True too."""
    calls = []
    for source in SRC.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "create_engine":
                hides = any(
                    k.arg == "hide_parameters"
                    and isinstance(k.value, ast.Constant)
                    and k.value.value is True
                    for k in node.keywords
                )
                calls.append((f"{source.relative_to(SRC)}:{node.lineno}", hides))
    assert len(calls) >= 3  # make_engine, the migration engine, cipher_engine
    assert [where for where, hides in calls if not hides] == []
