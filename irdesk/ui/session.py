"""The open case as the GUI sees it: reads on the GUI thread, writes on one worker thread.

Widgets never run SQL and never call the writing ``CaseFile`` directly: they read through
``session.reader`` and change things with ``session.submit``, which runs the operation on a
single background thread (so a 100 ms fsync on a USB stick never stalls typing), then
announces the change with ``changed(kind)`` on the GUI thread. Views refresh from that.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRunnable, QThreadPool, Signal, Slot

from irdesk.casefile.errors import CaseFileError
from irdesk.casefile.store import CaseFile

T = TypeVar("T")
REKEY = "rekey"  # the kind of a passphrase change: nothing can be read until the case is reopened


@dataclass
class _Pending:
    """A submitted write, kept on the GUI thread until its result is delivered."""

    kind: str
    work: Callable[[CaseFile], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[str], None] | None


class _Relay(QObject):
    done = Signal(int, object)  # (job token, result)
    error = Signal(int, str)  # (job token, message)


class _Job(QRunnable):
    """One write on the pool thread.

    The job holds no Python reference to widgets or to the session: its work and callbacks
    stay in the session's ``_jobs`` table, so the last reference to anything Qt (a dialog a
    callback is bound to, a signal a closure emits) is always dropped on the GUI thread,
    never here. Freeing a Qt wrapper on a pool thread can crash the process.
    """

    def __init__(self, token: int, case: CaseFile, work: Callable[[CaseFile], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._token, self._case, self._relay = token, case, relay
        self._work: Callable[[CaseFile], Any] | None = work

    def run(self) -> None:
        work, self._work = self._work, None
        assert work is not None
        try:
            result = work(self._case)
        except CaseFileError as exc:
            message = exc.message
        except Exception as exc:  # noqa: BLE001 - a bug; show it rather than lose it silently
            message = f"irdesk hit a bug: {type(exc).__name__}: {exc}"
        else:
            del work  # the session's table still holds it: not the last reference
            self._relay.done.emit(self._token, result)
            return
        del work
        self._relay.error.emit(self._token, message)


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
        self._relay = _Relay(self)  # owned by the session, so never freed on the pool thread
        self._relay.done.connect(self._finished)
        self._relay.error.connect(self._errored)
        self._jobs: dict[int, _Pending] = {}
        self._tokens = itertools.count(1)
        self._closed = False

    @property
    def path(self) -> str:
        return self.case.path

    @property
    def pending(self) -> int:
        return len(self._jobs)

    def submit(
        self,
        kind: str,
        fn: Callable[[CaseFile], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``fn(case)`` on the writer thread; then ``on_done(result)`` and ``changed(kind)``."""
        token = next(self._tokens)
        self._jobs[token] = _Pending(kind, fn, on_done, on_error)
        self.pending_changed.emit(len(self._jobs))
        self._pool.start(_Job(token, self.case, fn, self._relay))

    def flush(self, timeout_ms: int = -1) -> bool:
        """Wait for every queued write to commit (before lock, quit or hand-off)."""
        return self._pool.waitForDone(timeout_ms)

    @Slot(int, object)
    def _finished(self, token: int, result: Any) -> None:
        job = self._jobs.pop(token)
        kind, callback = job.kind, job.on_done
        self.pending_changed.emit(len(self._jobs))
        if self._closed:
            return
        if kind != REKEY:  # the reader still has the old key: the app reopens the case instead
            self.reader.refresh_head()
        if callback is not None:
            callback(result)
        if not self._closed:
            self.changed.emit(kind)

    @Slot(int, str)
    def _errored(self, token: int, message: str) -> None:
        callback = self._jobs.pop(token).on_error
        self.pending_changed.emit(len(self._jobs))
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
