"""The open readiness book as the GUI sees it: reads on the GUI thread, changes on one writer.

Like ``CaseSession`` for a case: widgets read through ``reader`` (a read-only connection,
the verified reader) and change the book with ``write(op)``; the operation runs on the writer
thread and its change set comes back as ``changed(Changes)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from irdesk.casefile.book_store import BookFile
from irdesk.casefile.changes import Done
from irdesk.ui.jobs import JobRunner

T = TypeVar("T")


class BookSession(QObject):
    changed = Signal(object)  # Changes
    failed = Signal(str)

    def __init__(self, book: BookFile, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.reader = book.reader()
        self._writer = JobRunner(self, threads=1)
        self._closed = False

    @property
    def path(self) -> str:
        return self.book.path

    @property
    def closed(self) -> bool:
        return self._closed

    def write(self, op: Callable[[BookFile], Done[T]], on_done: Callable[[T], None] | None = None,
              on_error: Callable[[str], None] | None = None) -> None:
        """Run ``op(book)`` on the writer thread; then ``on_done(value)`` and ``changed``."""

        def done(result: Done[T]) -> None:
            if self._closed:
                return
            self.reader.refresh_head()
            if on_done is not None:
                on_done(result.value)
            if not result.changes.empty:
                self.changed.emit(result.changes)

        def failed(message: str) -> None:
            if on_error is not None:
                on_error(message)
            else:
                self.failed.emit(message)

        self._writer.start(lambda _job: op(self.book), on_done=done, on_error=failed)

    def settle(self) -> None:
        self._writer.deliver()

    def close(self) -> None:
        self.settle()
        self._closed = True
        self._writer.discard()
        self.reader.close()
        self.book.close()
