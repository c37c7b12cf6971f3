"""Background work for the GUI, written once: results come back on the GUI thread, or not at all.

Every slow thing the window does (unlocking, hashing, writing, exporting, building a
report, planning a merge) runs through a ``JobRunner``:

- the work runs on a pool thread and may report progress and poll for cancel through
  the ``Job`` it is given; it never touches a widget;
- its result or failure comes back through one relay object the runner owns, as queued
  signals, so callbacks run on the GUI thread;
- a callback never runs once its owner (a dialog, a panel) is gone or the runner was
  discarded (the case was locked or closed): the result is dropped instead;
- the runnable holds no Python reference to anything Qt: the work and its callbacks stay in
  the runner's table, so the last reference to a Qt wrapper is always dropped on the GUI
  thread (freeing one on a pool thread can crash the process).

A ``KnownError`` reaches ``on_error`` as its one sentence. Anything else is a bug: the
bug dialog shows it with its traceback (``bug_report``), and ``on_error`` gets the sentence
too, so the widget that waited can stop waiting.
"""

from __future__ import annotations

import itertools
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRunnable, QThreadPool, Signal, Slot

from irdesk.domain.errors import KnownError, Sentence
from irdesk.domain.paths import shown

T = TypeVar("T")
Work = Callable[["Job"], T]


class Job:
    """What a piece of work may do while it runs: report progress, notice a cancel."""

    def __init__(self, token: int, relay: _Relay) -> None:
        self.token = token
        self._relay = relay
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int) -> None:
        _emit(self._relay.moved, self.token, int(done), int(total))


@dataclass
class _Entry(Generic[T]):
    job: Job
    work: Work[T] | None
    owner: QObject | None
    on_done: Callable[[T], None] | None
    on_error: Callable[[str], None] | None
    on_progress: Callable[[int, int], None] | None


class _Relay(QObject):
    done = Signal(int, object)  # token, result
    failed = Signal(int, object, str)  # token, message (a Sentence for a KnownError), traceback
    moved = Signal(int, int, int)  # token, done, total


class _Runnable(QRunnable):
    def __init__(self, runner: JobRunner, token: int) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._runner, self._token = runner, token

    def run(self) -> None:
        entry = self._runner._entries.get(self._token)
        work = entry.work if entry is not None else None
        job = entry.job if entry is not None else None
        del entry
        relay = self._runner._relay
        if work is None or job is None or self._runner._discarded:
            _emit(relay.failed, self._token, "", "")  # dropped: nobody waits for it
            return
        message: str
        try:
            result = work(job)
        except KnownError as exc:
            # readable whatever bytes a file name holds, with the fields a refusal concerns
            message, details = Sentence(shown(exc.message), exc.fields), ""
        except Exception as exc:  # noqa: BLE001 - a bug: shown with its traceback, never lost
            message = shown(f"irdesk hit a bug ({type(exc).__name__}: {exc}).")
            details = traceback.format_exc()
        else:
            del work  # the runner's table still holds it: not the last reference
            _emit(relay.done, self._token, result)
            return
        del work
        _emit(relay.failed, self._token, message, details)


def _emit(signal: Any, *args: object) -> None:
    try:
        signal.emit(*args)
    except RuntimeError:  # the runner's owner was deleted meanwhile: nobody waits any more
        pass


class JobRunner(QObject):
    """Runs work on its own pool; ``threads=1`` makes the work run one at a time, in order.

    It always has a Qt parent, so Qt (not a pool thread dropping a Python reference) decides
    when it goes; deleting it waits for the work in progress.
    """

    def __init__(self, parent: QObject, *, threads: int = 2,
                 on_bug: Callable[[str, str], None] | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._relay = _Relay(self)
        self._relay.done.connect(self._done)
        self._relay.failed.connect(self._failed)
        self._relay.moved.connect(self._moved)
        self._entries: dict[int, _Entry[Any]] = {}
        self._tokens = itertools.count(1)
        self._on_bug = on_bug
        self._discarded = False

    @property
    def pending(self) -> int:
        return len(self._entries)

    def start(self, work: Work[T], *, owner: QObject | None = None,
              on_done: Callable[[T], None] | None = None, on_error: Callable[[str], None] | None = None,
              on_progress: Callable[[int, int], None] | None = None) -> Job:
        """Queue ``work``; its callbacks run on the GUI thread while ``owner`` still exists."""
        token = next(self._tokens)
        job = Job(token, self._relay)
        self._entries[token] = _Entry(job, work, owner, on_done, on_error, on_progress)
        self._pool.start(_Runnable(self, token))
        return job

    def wait(self, timeout_ms: int = -1) -> bool:
        """Wait for every queued piece of work to finish (its results are delivered later)."""
        return self._pool.waitForDone(timeout_ms)

    def deliver(self) -> None:
        """Wait, then deliver every result now (before locking, quitting, closing)."""
        self.wait()
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)  # the slots are ours

    def discard(self) -> None:
        """Skip what has not started, cancel what runs, and drop every callback still to come."""
        self._discarded = True
        for entry in self._entries.values():
            entry.job.cancel()
            entry.on_done = entry.on_error = entry.on_progress = None

    def _take(self, token: int) -> _Entry[Any] | None:
        entry = self._entries.pop(token, None)
        if entry is None or self._discarded:
            return None
        if entry.owner is not None and not shiboken6.isValid(entry.owner):
            return None
        return entry

    @Slot(int, object)
    def _done(self, token: int, result: Any) -> None:
        entry = self._take(token)
        if entry is not None and entry.on_done is not None:
            entry.on_done(result)

    @Slot(int, str, str)
    def _failed(self, token: int, message: str, details: str) -> None:
        entry = self._take(token)
        if not message:
            return  # dropped before it ran
        if details:
            (self._on_bug or report_bug)(message, details)
        if entry is not None and entry.on_error is not None:
            entry.on_error(message)

    @Slot(int, int, int)
    def _moved(self, token: int, done: int, total: int) -> None:
        entry = self._entries.get(token)
        if entry is None or self._discarded or entry.on_progress is None:
            return
        if entry.owner is not None and not shiboken6.isValid(entry.owner):
            return
        entry.on_progress(done, total)


def report_bug(message: str, details: str) -> None:
    """Show a bug that surfaced in background work (lazily imported: Qt widgets)."""
    from irdesk.ui.bug_report import show_bug

    show_bug(message, details)
