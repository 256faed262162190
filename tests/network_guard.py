"""Fail, and remember, any attempt to reach the network: the app makes no connections at all.

Every way Python code reaches another machine goes through one of these: a socket's connect or
connect_ex (TCP, and UDP "connected" sockets), sendto (UDP without connect), create_connection
(http.client, urllib, smtplib...) and getaddrinfo (every name lookup). The attempts are recorded
as well as refused, because the app may catch the error and carry on: a test asserts the record
is empty at the end.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest


class NetworkUsed(OSError):
    """Raised in place of a connection; an OSError, as a real refusal would be."""


@contextmanager
def no_network() -> Iterator[list[str]]:
    """Within the block every connection attempt raises NetworkUsed; yields the list of them."""
    attempts: list[str] = []

    def refuse(name: str) -> Callable[..., Any]:
        def guard(*args: Any, **kwargs: Any) -> Any:
            # A socket method's first argument is the socket itself: leave it out.
            shown = args[1:] if args and isinstance(args[0], socket.socket) else args
            attempts.append(f"{name}{shown!r}")
            raise NetworkUsed(f"the app tried to use the network: {name}{shown!r}")

        return guard

    with pytest.MonkeyPatch.context() as patch:
        for method in ("connect", "connect_ex", "sendto"):
            patch.setattr(socket.socket, method, refuse(f"socket.{method}"))
        for function in ("create_connection", "getaddrinfo"):
            patch.setattr(socket, function, refuse(f"socket.{function}"))
        yield attempts
