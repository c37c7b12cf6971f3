"""SIGTERM while Qt's event loop runs: ``irdesk gui`` saves, closes the case and exits 0."""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable, Iterator

from PySide6.QtCore import QSocketNotifier


@contextlib.contextmanager
def sigterm_quits(on_term: Callable[[], object]) -> Iterator[None]:
    """Let Python see SIGTERM while Qt's event loop runs (wakeup fd + socket notifier)."""
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    previous_fd = signal.set_wakeup_fd(writer.fileno())
    received: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, _frame: received.append(signum))
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)

    def ready() -> None:
        with contextlib.suppress(OSError):
            reader.recv(256)
        if received:
            received.clear()
            on_term()

    notifier.activated.connect(ready)
    try:
        yield
    finally:
        notifier.setEnabled(False)
        signal.signal(signal.SIGTERM, previous)
        signal.set_wakeup_fd(previous_fd)
        reader.close()
        writer.close()
