"""Running the command line in-process and reading what it printed, for the CLI tests."""

from __future__ import annotations

import subprocess
import sys

import pytest

from portfolio_app.cli.main import main
from portfolio_app.security.recovery_code import normalise_recovery_code

INIT = [
    "init",
    "--name",
    "Siân Jones",
    "--role",
    "Social worker",
    "--organisation",
    "Northshire Council",
]
# What `init` prints around the code, the first time, before the profile lines.
RECOVERY_BLOCK_LINES = 8


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_program(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m portfolio_app ARGV` in a new process, whose standard input is no terminal
    (nothing may wait for a prompt)."""
    return subprocess.run(
        [sys.executable, "-m", "portfolio_app", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def assert_one_clear_line(err: str, starts: str) -> None:
    """User-caused errors: one line on stderr, prefixed with the program, and no traceback."""
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert err.startswith(f"portfolio-app: {starts}"), err
    assert "Traceback" not in err


def split_recovery_code(out: str) -> tuple[str, str]:
    """The recovery code `init` showed at the top of `out`, and the rest of `out`.

    Fails unless the block is there with its warning, the code is a valid one in its display
    form, and it is shown once only."""
    lines = out.split("\n")
    block, rest = lines[:RECOVERY_BLOCK_LINES], "\n".join(lines[RECOVERY_BLOCK_LINES:])
    assert block[0] == "Your data is encrypted. Your recovery code (shown only this once):", out
    assert block[1] == block[3] == block[7] == "", out
    code = block[2].strip()
    assert block[2] == f"    {code}"
    assert normalise_recovery_code(code) == code
    assert block[4].startswith("Keep it somewhere safe, away from this computer"), out
    assert block[5] == "If you forget your passphrase, it is the only way to open your data:"
    assert block[6] == "    portfolio-app unlock --recovery-code"
    assert code not in rest and "recovery code" not in rest
    return code, rest
