"""The open case as the GUI sees it: reads on the GUI thread, changes through the operations.

Widgets never run SQL and never write to the case themselves. They read through
``session.reader`` (a read-only connection) and change things with ``session.write(op)``:
the operation runs on one writer thread, in order (a 100 ms fsync on a USB stick never
stalls typing), and its typed change set comes back as ``changed(Changes)`` on the GUI
thread, which every view filters for the kinds it shows. Slow reads (a report preview, a
merge plan, an export) run with ``session.read`` on their own connection, so they never
queue behind a note being saved.

Anything that reads the case in the background (``read``, ``after_writes``: a report, an
export, a hand-off copy) may carry note text out of the file, so it starts a new *output
epoch*: a typing session never amends a revision saved before it (see ``output_epoch``).

Closing the session (locking, quitting) first finishes and delivers every write, then
emits ``closing`` (dialogs stop their timers and close), then drops every callback still
to come, so none ever runs against a closed case.

Every record the widgets get has been checked against the audit chain (the reader is the
verified reader; its lists leave out a record that fails). After the first paint
``verify_in_background`` checks the whole case on a pool thread. Any damage found, there or
by a model fetching a page, makes the session ``damaged``: the window says so, and the
session refuses every write from then on (the case is read-only).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Done
from irdesk.casefile.errors import TamperedCase
from irdesk.casefile.reader import refusal
from irdesk.casefile.store import CaseFile
from irdesk.ui.jobs import Job, JobRunner

T = TypeVar("T")


class CaseSession(QObject):
    """Owns the writing ``CaseFile`` and a read-only ``reader`` for the widgets."""

    changed = Signal(object)  # Changes: what a write changed
    failed = Signal(str)  # one sentence for the user; the change was not saved
    pending_changed = Signal(int)  # writes queued or running
    closing = Signal()  # the case is about to close: stop timers, close dialogs
    damaged = Signal(str)  # the case is not what its chain vouches for: it is read-only now

    def __init__(self, case: CaseFile, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.reader = case.reader()
        self.reader.records.tolerant = True  # a list leaves a damaged record out and says so
        self.reader.records.on_damage = lambda fault: self.mark_damaged(fault.message)
        self._writer = JobRunner(self, threads=1)  # one writer: changes commit in the order made
        self._readers = JobRunner(self, threads=2)
        self._closed = False
        self._outputs = threading.Lock()  # guards the two counters below (GUI, writer, pool threads)
        self._epoch = 0  # background reads and after-writes started so far
        self._reading = 0  # background reads still running
        self.damage = ""  # why the case is read-only ("" while it is not)

    @property
    def path(self) -> str:
        return self.case.path

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def pending(self) -> int:
        return self._writer.pending

    def output_epoch(self) -> int | None:
        """How many background reads have started, or None while one is running.

        A note's typing session may amend the revision it saved only while this is the
        number it saw when it saved it: otherwise a report, an export or a hand-off copy may
        hold that revision, and it must stay in the history. Any thread may ask.
        """
        with self._outputs:
            return None if self._reading else self._epoch

    def _new_epoch(self) -> None:
        with self._outputs:
            self._epoch += 1

    # ------------------------------------------------------------ damage
    def mark_damaged(self, message: str) -> None:
        """The case is not what its chain vouches for: refuse every write from now on."""
        if self.damage or self._closed:
            return
        self.damage = message
        self.damaged.emit(message)

    def verify_in_background(self, on_done: Callable[[], None] | None = None) -> Job:
        """Check the whole case against its chain on a pool thread (after the first paint); then,
        when it holds, let the writer rebuild a search index that disagrees with the notes."""

        def verify(reader: CaseFile, job: Job) -> list[str]:
            return list(itertools.islice(reader.records.problems(), 1))

        def done(problems: list[str]) -> None:
            if problems:
                self.mark_damaged(refusal(problems[0]).message)
            else:
                self.write(lambda case: ops.repair_search_index(case))
            if on_done is not None:
                on_done()

        return self.read(verify, on_done=done, on_error=self.mark_damaged)

    # ------------------------------------------------------------ changing the case
    def write(self, op: Callable[[CaseFile], Done[T]], on_done: Callable[[T], None] | None = None,
              on_error: Callable[[str], None] | None = None, *, owner: QObject | None = None) -> None:
        """Run the operation ``op(case)`` on the writer thread; then ``on_done(value)`` and
        ``changed(changes)`` on the GUI thread. A damaged case refuses every write."""
        self.write_tracked(lambda case, _job: op(case), on_done, on_error, owner=owner)

    def write_tracked(self, op: Callable[[CaseFile, Job], Done[T]], on_done: Callable[[T], None] | None = None,
                      on_error: Callable[[str], None] | None = None, *, owner: QObject | None = None,
                      on_progress: Callable[[int, int], None] | None = None) -> Job:
        """``write`` for a long operation that reports progress and polls for cancel via its job."""

        def done(result: Done[T]) -> None:
            self._after_write()
            if self._closed:
                return
            if not result.changes.rekeyed:  # the reader keeps the old key: the app reopens instead
                self.reader.refresh_head()
            if on_done is not None and (owner is None or _alive(owner)):
                on_done(result.value)
            if not self._closed and not result.changes.empty:
                self.changed.emit(result.changes)

        def failed(message: str) -> None:
            self._after_write()
            if on_error is not None and (owner is None or _alive(owner)):
                on_error(message)
            self.failed.emit(message)

        progress = None if on_progress is None else (
            lambda d, t: on_progress(d, t) if owner is None or _alive(owner) else None)
        if self.damage:
            op = _refuse(self.damage)
        job = self._writer.start(lambda job: op(self.case, job), on_done=done, on_error=failed,
                                 on_progress=progress)
        self.pending_changed.emit(self._writer.pending)
        return job

    def after_writes(self, fn: Callable[[CaseFile], T], on_done: Callable[[T], None] | None = None,
                     on_error: Callable[[str], None] | None = None, *, owner: QObject | None = None) -> None:
        """Run ``fn(case)`` on the writer thread after every queued write (a hand-off copy must
        hold all the window shows as saved); it changes nothing in the case."""
        def run(_job: Job) -> T:
            self._new_epoch()  # on the writer thread: every save after this one keeps its revision
            return fn(self.case)

        self._writer.start(run, owner=owner, on_done=self._then(on_done), on_error=self._then(on_error))
        self.pending_changed.emit(self._writer.pending)

    def _then(self, callback: Callable[[Any], None] | None) -> Callable[[Any], None]:
        def run(value: Any) -> None:
            self._after_write()
            if callback is not None and not self._closed:
                callback(value)

        return run

    def _after_write(self) -> None:
        self.pending_changed.emit(self._writer.pending)

    # ------------------------------------------------------------ reading in the background
    def read(self, fn: Callable[[CaseFile, Job], T], on_done: Callable[[T], None] | None = None,
             on_error: Callable[[str], None] | None = None, *, owner: QObject | None = None,
             on_progress: Callable[[int, int], None] | None = None) -> Job:
        """Run ``fn(reader, job)`` on a pool thread with a read-only connection of its own."""
        case, outputs = self.case, self._outputs
        with outputs:
            self._epoch += 1
            self._reading += 1

        def work(job: Job) -> T:
            try:
                reader = case.reader()
                try:
                    return fn(reader, job)
                finally:
                    reader.close()
            finally:
                with outputs:
                    self._reading -= 1

        return self._readers.start(work, owner=owner, on_done=on_done, on_error=on_error,
                                   on_progress=on_progress)

    def count(self, fn: Callable[[CaseFile], T], on_done: Callable[[T], None] | None = None, *,
              owner: QObject | None = None) -> Job:
        """Run ``fn(reader)`` on a pool thread for figures only (a chart's counts per interval):
        nothing of a record leaves with them, so unlike ``read`` this starts no output epoch and
        a typing session goes on amending its revision."""
        case = self.case

        def work(_job: Job) -> T:
            reader = case.reader()
            try:
                return fn(reader)
            finally:
                reader.close()

        return self._readers.start(work, owner=owner, on_done=on_done)

    # ------------------------------------------------------------ ending
    def settle(self) -> None:
        """Finish pending writes and deliver their results (``on_done``, ``changed``) now."""
        self._writer.deliver()

    def flush(self, timeout_ms: int = -1) -> bool:
        """Wait for every queued write to commit (results are delivered later)."""
        return self._writer.wait(timeout_ms)

    def close(self) -> None:
        """Finish and deliver pending writes, stop everything else, close both connections."""
        for _round in range(5):  # a callback may queue one more write (a form saving what it left)
            self.settle()
            if not self._writer.pending:
                break
        self.closing.emit()
        self._closed = True
        self._readers.discard()
        self._writer.discard()
        self._readers.wait()
        self._writer.wait()  # nothing may run on the connection being closed
        self.reader.close()
        self.case.close()


def _refuse(damage: str) -> Callable[[CaseFile, Job], Any]:
    def refused(_case: CaseFile, _job: Job) -> Any:
        raise TamperedCase(f"Nothing was saved: this case is read-only because it is damaged ({damage})")

    return refused


def _alive(owner: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(owner)
