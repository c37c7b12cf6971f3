"""One irdesk per case: a second launch on a case that a running irdesk holds (open, locked,
or waiting for its passphrase) brings that window to the front and exits 0.

Each held case has a local socket (``QLocalServer``, Unix domain; never the network) in the
user's runtime directory (``XDG_RUNTIME_DIR``), named by a hash of the case's real path, so
the same file reached by a symlink or a relative path finds the same socket. The socket is
only for this user. Nothing but "raise" is ever said over it.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

REQUEST, ANSWER = b"raise\n", b"raised\n"
WAIT_MS = 1500


def socket_path(case_path: str) -> str:
    """The socket of a case: per user, per real path."""
    real = os.path.realpath(case_path)
    digest = hashlib.sha256(os.fsencode(real)).hexdigest()[:24]  # a socket path has 107 bytes
    return os.path.join(runtime_dir(), f"irdesk-{digest}.sock")


def runtime_dir() -> str:
    """``XDG_RUNTIME_DIR``; without one (a bare X session, a cron job), a folder of this user's
    own in the temporary directory, made 0700 and refused if anyone else owns it. (Qt's own
    fallback prints a warning on stderr each time it is asked.)"""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isdir(runtime):
        return runtime
    uid = os.getuid()
    for base in (tempfile.gettempdir(), "/tmp"):
        folder = os.path.join(base, f"irdesk-{uid}")
        if len(os.fsencode(folder)) > 60:  # a socket's path has 107 bytes at most
            continue
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        except OSError:
            continue
        info = os.lstat(folder)
        if stat.S_ISDIR(info.st_mode) and info.st_uid == uid and not info.st_mode & 0o077:
            return folder
    return os.devnull  # no folder of ours: listen() fails under it, one instance is not enforced


def ask_running(case_path: str, wait_ms: int = WAIT_MS) -> bool:
    """Ask the irdesk that holds ``case_path`` to show it; True if one answered."""
    socket = QLocalSocket()
    socket.connectToServer(socket_path(case_path))
    if not socket.waitForConnected(wait_ms):
        return False
    try:
        socket.write(REQUEST)
        socket.flush()
        socket.waitForBytesWritten(wait_ms)
        answer = b""
        while not answer.endswith(b"\n") and socket.waitForReadyRead(wait_ms):
            answer += bytes(socket.readAll().data())
        return answer == ANSWER
    finally:
        socket.disconnectFromServer()


class InstanceServers(QObject):
    """The sockets of the cases this irdesk holds; ``raise_requested`` carries the case path."""

    raise_requested = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._servers: dict[str, QLocalServer] = {}

    @property
    def served(self) -> set[str]:
        return set(self._servers)

    def serve_only(self, paths: set[str]) -> None:
        """Hold exactly the sockets of ``paths`` (real paths), opening and closing as needed."""
        wanted = {os.path.realpath(p) for p in paths}
        for path in set(self._servers) - wanted:
            self._servers.pop(path).close()
        for path in wanted - set(self._servers):
            server = self._listen(path)
            if server is not None:
                self._servers[path] = server

    def _listen(self, path: str) -> QLocalServer | None:
        name = socket_path(path)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(name):
            if ask_running(path, wait_ms=200):
                return None  # another irdesk holds it (a race at start-up): leave it be
            QLocalServer.removeServer(name)  # left behind by an irdesk that was killed
            if not server.listen(name):
                return None  # no runtime directory we may use: one instance is not enforced
        server.newConnection.connect(lambda: self._answer(server, path))
        return server

    def _answer(self, server: QLocalServer, path: str) -> None:
        while server.hasPendingConnections():
            connection = server.nextPendingConnection()
            buffer = bytearray()

            def read(connection: QLocalSocket = connection, buffer: bytearray = buffer) -> None:
                buffer.extend(bytes(connection.readAll().data()))
                if buffer.endswith(b"\n") or len(buffer) > len(REQUEST):
                    if bytes(buffer) == REQUEST:
                        self.raise_requested.emit(path)
                        connection.write(ANSWER)
                        connection.flush()
                    connection.disconnectFromServer()

            connection.readyRead.connect(read)
            connection.disconnected.connect(connection.deleteLater)
            if connection.bytesAvailable():
                read()

    def close(self) -> None:
        self.serve_only(set())
