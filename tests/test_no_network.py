"""The app makes no network connections: a whole CLI session runs with every connection refused
and recorded (tests/ui/test_privacy_session.py does the same for the desktop app)."""

from __future__ import annotations

import ast
import contextlib
import socket
import urllib.request
from pathlib import Path

import pytest

from cli_session import cli, run_full_session
from network_guard import NetworkUsed, no_network

SRC = Path(__file__).resolve().parents[1] / "src" / "portfolio_app"


def test_the_guard_catches_each_way_out() -> None:
    """The control: each route to the network is refused and recorded, even when the caller
    swallows the error."""
    originals = (socket.socket.connect, socket.create_connection, socket.getaddrinfo)
    with no_network() as attempts:
        with pytest.raises(NetworkUsed):
            socket.create_connection(("192.0.2.1", 80), timeout=1)
        with pytest.raises(NetworkUsed):
            socket.getaddrinfo("example.org", 443)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            with pytest.raises(NetworkUsed):
                sock.connect(("192.0.2.1", 80))
            with pytest.raises(NetworkUsed):
                sock.connect_ex(("192.0.2.1", 80))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, pytest.raises(NetworkUsed):
            udp.sendto(b"x", ("192.0.2.1", 53))
        with contextlib.suppress(OSError):  # swallowed, as app code might: still recorded
            urllib.request.urlopen("http://192.0.2.1/", timeout=1)
    assert len(attempts) == 6, attempts
    # Outside the block, sockets are themselves again.
    assert (socket.socket.connect, socket.create_connection, socket.getaddrinfo) == originals


def test_a_whole_cli_session_makes_no_connection(tmp_path: Path) -> None:
    with no_network() as attempts:
        session = run_full_session(tmp_path)
        # The commands the session does not run already, and a failing one (errors too).
        assert cli(session.paths, "taxonomy", "export-csv", "--out", str(tmp_path / "s.csv")) == 0
        assert cli(session.paths, "import-csv", str(tmp_path / "missing.csv")) == 1
    assert attempts == []


# Modules through which code reaches the network (Qt's own sockets bypass Python's).
NETWORK_MODULES = {
    "socket",
    "ssl",
    "http",
    "urllib",
    "requests",
    "httpx",
    "aiohttp",
    "smtplib",
    "ftplib",
    "asyncio",
    "PySide6.QtNetwork",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
}


# What may be imported from those: no sockets to anywhere but this machine's own processes.
ALLOWED = {
    "urllib.parse",  # quoting text (file names in the Leap2A package, the read-only SQLite URI)
    "urllib.parse.quote",
    # Local IPC only (a named pipe / Unix socket): a second start raises the open window.
    "PySide6.QtNetwork.QLocalServer",
    "PySide6.QtNetwork.QLocalSocket",
}


def _is_network(name: str) -> bool:
    return name in NETWORK_MODULES or name.split(".")[0] in NETWORK_MODULES


def test_no_module_of_the_app_imports_a_network_library() -> None:
    """Qt's network classes open sockets in C++, out of the guard's sight: none may be used
    (local IPC and URL quoting aside, by name)."""
    found = []
    for source in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported = [f"{node.module}.{a.name}" for a in node.names]
                if all(name in ALLOWED for name in imported):
                    continue
                names = [node.module, *imported]
            for name in names:
                if _is_network(name) and name not in ALLOWED:
                    found.append(f"{source.relative_to(SRC)}:{node.lineno}: {name}")
    assert found == []


def test_the_allowed_network_names_are_only_local() -> None:
    """The allow-list must not grow into something that reaches other machines."""
    assert all(name.startswith(("urllib.parse", "PySide6.QtNetwork.QLocal")) for name in ALLOWED)
