"""The open case as the GUI sees it: reads on the GUI thread, writes on one worker thread.

Widgets never run SQL and never call the writing ``CaseFile`` directly: they read through
``session.reader`` and change things with ``session.submit``, which runs the operation on a
single background thread (so a 100 ms fsync on a USB stick never stalls typing), then
announces the change with ``changed(kind)`` on the GUI thread. Views refresh from that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRunnable, QThreadPool, Signal, Slot

from irdesk.casefile.errors import CaseFileError
from irdesk.casefile.store import CaseFile

T = TypeVar("T")
REKEY = "rekey"  # the kind of a passphrase change: nothing can be read until the case is reopened


class _Relay(QObject):
    done = Signal(object, object, object)  # (callback, result, kind)
    error = Signal(str, object)  # (message, on_error)


class _Job(QRunnable):
    def __init__(
        self,
        session: CaseSession,
        kind: str,
        fn: Callable[[CaseFile], Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[str], None] | None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._session, self._kind, self._fn = session, kind, fn
        self._on_done, self._on_error = on_done, on_error

    def run(self) -> None:
        try:
            result = self._fn(self._session.case)
        except CaseFileError as exc:
            self._session._relay.error.emit(exc.message, self._on_error)
        except Exception as exc:  # noqa: BLE001 - a bug; show it rather than lose it silently
            self._session._relay.error.emit(
                f"irdesk hit a bug: {type(exc).__name__}: {exc}", self._on_error
            )
        else:
            self._session._relay.done.emit(self._on_done, result, self._kind)


class CaseSession(QObject):
    """Owns the writing ``CaseFile`` and a read-only ``reader`` for the widgets."""

    changed = Signal(str)  # a record kind ("note", "evidence", …, "case") changed
    failed = Signal(str)  # one sentence for the user; the change was not saved
    pending_changed = Signal(int)  # writes queued or running

    def __init__(self, case: CaseFile, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.reader = case.reader()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one writer, changes commit in the order they were made
        self._relay = _Relay()
        self._relay.done.connect(self._finished)
        self._relay.error.connect(self._errored)
        self._pending = 0
        self._closed = False

    @property
    def path(self) -> str:
        return self.case.path

    @property
    def pending(self) -> int:
        return self._pending

    def submit(
        self,
        kind: str,
        fn: Callable[[CaseFile], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``fn(case)`` on the writer thread; then ``on_done(result)`` and ``changed(kind)``."""
        self._pending += 1
        self.pending_changed.emit(self._pending)
        self._pool.start(_Job(self, kind, fn, on_done, on_error))

    def flush(self, timeout_ms: int = -1) -> bool:
        """Wait for every queued write to commit (before lock, quit or hand-off)."""
        return self._pool.waitForDone(timeout_ms)

    @Slot(object, object, object)
    def _finished(self, callback: Callable[[Any], None] | None, result: Any, kind: str) -> None:
        self._pending -= 1
        self.pending_changed.emit(self._pending)
        if self._closed:
            return
        if kind != REKEY:  # the reader still has the old key: the app reopens the case instead
            self.reader.refresh_head()
        if callback is not None:
            callback(result)
        if not self._closed:
            self.changed.emit(kind)

    @Slot(str, object)
    def _errored(self, message: str, callback: Callable[[str], None] | None) -> None:
        self._pending -= 1
        self.pending_changed.emit(self._pending)
        if callback is not None:
            callback(message)
        self.failed.emit(message)

    def settle(self) -> None:
        """Finish pending writes and deliver their results (``on_done``, ``changed``) now."""
        self.flush()
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)  # the queued "done" signals

    def close(self) -> None:
        """Finish pending writes and deliver their results, then close both connections."""
        self.settle()
        self._closed = True
        self.reader.close()
        self.case.close()
