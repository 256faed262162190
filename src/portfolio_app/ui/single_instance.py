"""One desktop app per data dir: the first start holds the lock and listens; a second start
asks it to bring its window to the front, and ends.

The lock (services/instance_lock.py) decides who runs; the local socket (QLocalServer) is only
the way to say "come to the front". Its name is derived from the user and the data dir, so
two users, or two data dirs, never meet. A socket name left by a crash is removed by the
next holder of the lock (nobody else can be using it: the lock is ours).
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from portfolio_app import APP_NAME
from portfolio_app.paths import AppPaths
from portfolio_app.services import instance_lock
from portfolio_app.services.instance_lock import DataDirInUse, InstanceLock
from portfolio_app.ui.prompts import Prompts

log = logging.getLogger(__name__)

RAISE = b"raise\n"
RAISED = b"raised\n"
ANSWER_WITHIN_MS = 3000


def server_name(data_dir: Path) -> str:
    """The local socket's name for this user and data dir (a hash: any characters in the
    path, any length, and the same for the same folder however it was typed)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        user = str(os.getuid()) if hasattr(os, "getuid") else ""
    folder = os.path.normcase(os.path.abspath(data_dir))
    digest = hashlib.sha256(f"{user}\0{folder}".encode()).hexdigest()[:24]
    return f"portfolio-app-{digest}"


class SingleInstance(QObject):
    """The running app's side: holds the lock and brings its front window forward when a
    second start asks. Use as a context manager around the app's run."""

    def __init__(self, lock: InstanceLock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lock = lock
        self.name = server_name(lock.paths.data_dir)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._connected)
        self.raised = 0  # how many times a second start brought the window forward

    def listen(self) -> bool:
        # We hold the lock, so a socket of this name is left from a crash: remove it first.
        QLocalServer.removeServer(self.name)
        if self.server.listen(self.name):
            return True
        log.warning(
            "Cannot listen for second starts on %s: %s", self.name, self.server.errorString()
        )
        return False

    def close(self) -> None:
        self.server.close()
        self.lock.release()

    def __enter__(self) -> SingleInstance:
        self.listen()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _connected(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.setParent(self)
            socket.readyRead.connect(lambda socket=socket: self._read(socket))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        if bytes(socket.readLine().data()) == RAISE:
            bring_to_front()
            self.raised += 1
            socket.write(RAISED)
            socket.flush()
        socket.disconnectFromServer()


def bring_to_front() -> QWidget | None:
    """The window the user should see: a dialog waiting for an answer, else the main window,
    else any window that is open; shown, un-minimised, raised and activated."""
    widget = QApplication.activeModalWidget()
    if widget is None:
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        main = [w for w in shown if isinstance(w, QMainWindow)]
        widget = (main or shown or [None])[0]
    if widget is None:
        return None
    widget.setWindowState(widget.windowState() & ~Qt.WindowState.WindowMinimized)
    widget.show()
    widget.raise_()
    widget.activateWindow()
    return widget


def ask_to_come_forward(data_dir: Path, wait_ms: int = ANSWER_WITHIN_MS) -> bool:
    """The second start's side: whether the app holding `data_dir` answered that it came to
    the front. Blocks up to about `wait_ms` (there is no event loop yet)."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    try:
        if not socket.waitForConnected(wait_ms):
            return False
        socket.write(RAISE)
        if not socket.waitForBytesWritten(wait_ms):
            return False
        answer = b""
        while not answer.endswith(b"\n") and socket.waitForReadyRead(wait_ms):
            answer += bytes(socket.readAll().data())
        return answer == RAISED
    finally:
        socket.abort()


def claim(paths: AppPaths, prompts: Prompts) -> SingleInstance | int:
    """The data dir for this app alone (a SingleInstance to run inside), or, when another
    app (or a restore) holds it, the exit code: 0 when that app came to the front; 1 after a
    dialog explaining, when it did not answer."""
    try:
        lock = instance_lock.acquire(paths)
    except DataDirInUse as exc:
        if ask_to_come_forward(paths.data_dir):
            log.info("%s is open elsewhere: brought it to the front", paths.data_dir)
            return 0
        prompts.error(None, f"{APP_NAME} is already open", not_answering(exc))
        return 1
    return SingleInstance(lock)


def not_answering(exc: DataDirInUse) -> str:
    return (
        f"{APP_NAME} is already open on {exc.data_dir} (another window or a restore), and it "
        "did not come to the front when asked.\n\n"
        "If a restore is running (portfolio-app restore), wait for it to finish. Otherwise "
        f"look for the open {APP_NAME} window (it may be busy, or on another desktop), or "
        "quit it and start again. Two copies of the app never run on the same data."
    )
