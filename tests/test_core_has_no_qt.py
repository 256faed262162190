"""The core (everything outside portfolio_app.ui) must import and run with Qt unavailable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

# Runs in a fresh interpreter, so nothing this test process already imported can hide a Qt import.
CHECK = textwrap.dedent(
    """
    import importlib
    import importlib.abc
    import json
    import pkgutil
    import sys

    BLOCKED = ("PySide6", "shiboken6")


    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"Qt is blocked in this test: {name}")
            return None


    sys.meta_path.insert(0, BlockQt())

    for name in BLOCKED:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
        else:
            raise SystemExit(f"the blocker let {name} through")

    import portfolio_app

    # Not importable on their own: __main__ runs the app; env.py needs a running Alembic.
    SKIP = {"portfolio_app.__main__", "portfolio_app.storage.migrations.env"}
    imported = []
    for module in pkgutil.walk_packages(portfolio_app.__path__, "portfolio_app."):
        if module.name.startswith("portfolio_app.ui") or module.name in SKIP:
            continue
        importlib.import_module(module.name)
        imported.append(module.name)

    # Run the core for real: set-up (key file, passphrase from the environment), migrations
    # (env.py and every revision) and CLI commands.
    from portfolio_app.cli.main import main

    profile = ["--name", "A", "--role", "B", "--organisation", "C", "--sector", "police"]
    code = main(["--data-dir", sys.argv[1], "init", *profile])
    code = code or main(["--data-dir", sys.argv[1], "list", "activities", "--json"])

    try:
        importlib.import_module("portfolio_app.ui.app")
        ui_blocked = False
    except ImportError:
        ui_blocked = True
    qt_loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    print(json.dumps({"imported": imported, "code": code, "ui_blocked": ui_blocked,
                      "qt_loaded": qt_loaded}))
    """
)


def test_core_modules_import_and_run_without_qt(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    imported = set(report["imported"])
    # The walk really found the core, so an empty walk cannot pass.
    assert {
        "portfolio_app.paths",
        "portfolio_app.logging_setup",
        "portfolio_app.cli.main",
        "portfolio_app.cli.commands",
        "portfolio_app.services.context",
        "portfolio_app.storage.database",
        "portfolio_app.taxonomy.loader",
        "portfolio_app.domain.records",
    } <= imported
    assert not any(name.startswith("portfolio_app.ui") for name in imported)
    assert report["code"] == 0, result.stderr
    assert (tmp_path / "data" / "portfolio.key").is_file()
    assert report["ui_blocked"] is True, "the blocker must stop the UI, which does import Qt"
    assert report["qt_loaded"] == []


IMPORT_ONLY = textwrap.dedent(
    """
    import importlib
    import pkgutil

    import portfolio_app
    import portfolio_app.paths

    SKIP = {"portfolio_app.__main__", "portfolio_app.storage.migrations.env"}
    for module in pkgutil.walk_packages(portfolio_app.__path__, "portfolio_app."):
        if not module.name.startswith("portfolio_app.ui") and module.name not in SKIP:
            importlib.import_module(module.name)
    print("ok")
    """
)


def test_importing_creates_no_folders_or_files(tmp_path: Path) -> None:
    home = tmp_path / "home"
    work = tmp_path / "cwd"
    home.mkdir()
    work.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "PORTFOLIO_APP_DATA_DIR": str(tmp_path / "data"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ONLY],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=work,
        timeout=300,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "ok\n"), result.stderr
    assert list(home.iterdir()) == []
    assert list(work.iterdir()) == []
    assert not (tmp_path / "data").exists()
