"""One writer per case: an advisory ``flock`` held for as long as a writer has the case open.

``flock`` locks belong to the open file description, unlike the POSIX record locks that
SQLite uses, so holding our descriptor never disturbs SQLite's. The descriptor is opened
before SQLite connects and closed after it disconnects: closing any other descriptor on
the file while SQLite has it open would drop SQLite's POSIX locks.
"""

from __future__ import annotations

import os
import time

from irdesk.casefile.errors import CaseInUse

try:
    import fcntl
except ImportError:  # Windows: SQLite's own locking is all there is
    fcntl = None  # type: ignore[assignment]


class WriterLock:
    def __init__(self, path: str, wait_seconds: float = 3.0) -> None:
        self._owned = True
        self._fd: int | None = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        if fcntl is None:
            return
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self.release()
                    raise CaseInUse(path) from None
                time.sleep(0.05)
            except OSError:
                return  # a file system without flock (some network mounts): SQLite still locks

    @classmethod
    def held(cls, fd: int, *, owned: bool) -> WriterLock:
        """The lock a descriptor already holds (a new file's partial, ``files.Partial``).

        ``owned``: ``release`` closes the descriptor; otherwise its owner closes it later.
        """
        lock = cls.__new__(cls)
        lock._fd, lock._owned = fd, owned
        return lock

    def release(self) -> None:
        if self._fd is not None:
            if self._owned:
                os.close(self._fd)
            self._fd = None
