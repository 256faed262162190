"""Commands import what they use, when they use it (issue 9: `--version` took over 2 s).

Each check runs in a fresh interpreter, since this one has imported everything already, and
reads `sys.modules` after the command: what was loaded is what the user waited for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from keys_for_tests import write_key_file
from portfolio_app.cli.export_command import PAPER_CHOICES
from portfolio_app.export.pdf import Paper
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices
from portfolio_app.storage import migrate

HEAVY = ("sqlalchemy", "reportlab", "alembic", "pydantic", "PySide6")

_RUN_AND_REPORT = """
import json, sys
from portfolio_app.cli.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:  # --version and --help exit from argparse
    code = exc.code
print(json.dumps({"code": code, "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""

_OPEN_AND_REPORT = """
import json, sys
from pathlib import Path
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices
from portfolio_app.services import open_services
open_services(AppPaths(Path(sys.argv[1]))).close()
print(json.dumps({"code": 0, "loaded": sorted({m.split(".")[0] for m in sys.modules}),
                  "modules": sorted(sys.modules)}))
"""

# The desktop app's start as `run_gui` does it, up to the main window's first frame: what is
# loaded then is what the user waited for before seeing their data.
_START_GUI_AND_REPORT = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from portfolio_app.paths import AppPaths
from portfolio_app.ui.app import show_window, start_window
app = QApplication([])
window = start_window(AppPaths(Path(sys.argv[1])))
assert window is not None, "no main window"
seen = {}

def scored():
    seen["score"] = window.breadth_page.result is not None
    app.exit(0)

def first_frame():
    # What the first frame loaded; the score is worked out off the UI thread just after it.
    seen["loaded"] = sorted({m.split(".")[0] for m in sys.modules})
    if window.breadth_page.result is not None:
        scored()
    else:
        window.breadth_page.score_shown.connect(scored)

show_window(window, first_frame)
code = app.exec()
window.services.close()
print(json.dumps({"code": code, **seen}))
"""


def _report(script: str, *args: str) -> dict[str, object]:
    """What a fresh interpreter printed (a JSON object) after `script` ran with `args`."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] in (0, None), done.stderr
    return report


def _loaded(script: str, *args: str) -> set[str]:
    """The top-level packages a fresh interpreter had loaded after `script` ran with `args`."""
    loaded = _report(script, *args)["loaded"]
    assert isinstance(loaded, list)
    return set(loaded)


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_load_nothing_heavy(option: str) -> None:
    loaded = _loaded(_RUN_AND_REPORT, option)
    assert "portfolio_app" in loaded  # the check looks at the right interpreter
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_every_subcommand_help_loads_nothing_heavy() -> None:
    commands = (["score"], ["export-pdf"], ["taxonomy", "diff"], ["list"], ["import-csv"])
    for command in (*commands, ["init"], ["unlock"]):
        loaded = _loaded(_RUN_AND_REPORT, *command, "--help")
        assert loaded.isdisjoint(HEAVY), (command, sorted(loaded & set(HEAVY)))


def test_opening_an_up_to_date_database_does_not_load_alembic(paths: AppPaths) -> None:
    loaded = _loaded(_OPEN_AND_REPORT, str(paths.data_dir))  # `paths` holds a migrated copy
    assert "sqlalchemy" in loaded and "alembic" not in loaded
    assert "reportlab" not in loaded and "PySide6" not in loaded


# The services of the file formats (their pydantic models, spreadsheet readers): made on first use.
ON_FIRST_USE = (
    "portfolio_app.services.contact_erasure",
    "portfolio_app.services.contact_export",
    "portfolio_app.services.csv_import",
    "portfolio_app.services.csv_export",
    "portfolio_app.services.json_export",
    "portfolio_app.services.json_import",
    "portfolio_app.services.json_models",
    "portfolio_app.services.linkedin_import",
    "openpyxl",
    "odf",
)


def test_opening_the_services_loads_no_file_format_service(paths: AppPaths) -> None:
    modules = _report(_OPEN_AND_REPORT, str(paths.data_dir))["modules"]
    assert isinstance(modules, list) and "portfolio_app.services.activities" in modules
    assert set(modules).isdisjoint(ON_FIRST_USE), sorted(set(modules) & set(ON_FIRST_USE))


def test_a_file_format_service_is_made_once_on_first_use(paths: AppPaths) -> None:
    from portfolio_app.services import open_services

    services = open_services(paths)
    try:
        assert services.json_export is services.json_export
        assert services.linkedin_import.organisations is services.organisations
    finally:
        services.close()


def test_a_database_that_needs_migrating_loads_alembic(tmp_path: Path, data_key: bytes) -> None:
    """The other side of the check above: with no schema yet, Alembic is what creates it."""
    new = AppPaths(tmp_path / "new")
    write_key_file(new, data_key)  # set up (a key file), but no database yet
    loaded = _loaded(_OPEN_AND_REPORT, str(new.data_dir))
    assert "alembic" in loaded
    assert new.database.is_file()


def test_listing_and_scoring_do_not_load_reportlab_or_qt(with_profile: AppServices) -> None:
    data_dir = str(with_profile.paths.data_dir)
    for command in (["list", "activities"], ["score"]):
        loaded = _loaded(_RUN_AND_REPORT, "--data-dir", data_dir, *command)
        assert loaded.isdisjoint({"reportlab", "alembic", "PySide6"}), command


def test_the_desktop_apps_first_frame_loads_no_pdf_and_no_alembic(
    with_profile: AppServices,
) -> None:
    """Issue 12: start-up does only what the first frame needs. The score is on it; the
    charts (reportlab, the PDF fonts) are drawn after it, Alembic only for an old schema."""
    report = _report(_START_GUI_AND_REPORT, str(with_profile.paths.data_dir))
    loaded = report["loaded"]
    assert isinstance(loaded, list) and "PySide6" in loaded and "sqlalchemy" in loaded
    assert report["score"] is True  # the data was loaded for that frame
    assert "reportlab" not in loaded and "alembic" not in loaded


def test_the_head_read_from_the_scripts_is_alembics() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revision() == scripts.get_current_head()


def test_paper_choices_are_the_pdf_papers() -> None:
    assert set(PAPER_CHOICES) == {paper.value for paper in Paper}
    assert PAPER_CHOICES[0] == Paper.A4.value  # the default
