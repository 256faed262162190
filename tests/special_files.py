"""Devices and FIFOs for the tests of file checks (tests/test_file_checks.py, tests/ui)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest


def system_device(name: str) -> Path:
    """/dev/NAME, or skip the test where there is none."""
    path = Path("/dev") / name
    if not path.exists() or not stat.S_ISCHR(path.stat().st_mode):
        pytest.skip(f"{path} is not on this system")
    return path


def full_device_in(folder: Path) -> Path:
    """A /dev/full to write to. Run as root, a regression would replace the system's node, so
    root gets a node of its own (the same device) in `folder`."""
    system = system_device("full")
    if os.geteuid() != 0:
        return system
    own = folder / "full"
    try:
        os.mknod(own, 0o666 | stat.S_IFCHR, system.stat().st_rdev)
    except OSError:
        pytest.skip("cannot make a device node of our own")
    return own
