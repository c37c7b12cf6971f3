"""Hashing a file off the GUI thread, with progress and cancel: a 50 GB image never freezes."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from irdesk.casefile.errors import CaseFileError
from irdesk.casefile.hashing import FileDigest, HashCancelled, hash_file

# A job is referenced here from start() until its run() returns, so Python never frees a
# runnable the pool is running. Its signals object belongs to the dialog (a Qt parent), so it
# is never deleted from the pool thread.
_RUNNING: set[HashJob] = set()


class JobSignals(QObject):
    progress = Signal(int)  # per mille
    finished = Signal(object)  # FileDigest
    failed = Signal(str)
    cancelled = Signal()


class HashJob(QRunnable):
    """Hashes one file on a pool thread; talks to the GUI only through signals."""

    def __init__(self, path: str, signals: JobSignals) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.path = path
        self.signals = signals
        self._cancel = threading.Event()
        self._last = -1

    def cancel(self) -> None:
        self._cancel.set()

    def start(self, pool: QThreadPool) -> None:
        _RUNNING.add(self)
        pool.start(self)

    def _progress(self, done: int, total: int) -> None:
        permille = 1000 if total == 0 else min(1000, done * 1000 // total)
        if permille != self._last:
            self._last = permille
            self._emit(self.signals.progress, permille)

    def _emit(self, signal: SignalInstance, *args: object) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the dialog (and its signals) went away: the case was locked
            self._cancel.set()

    def run(self) -> None:
        try:
            digest = hash_file(self.path, self._progress, self._cancel.is_set)
        except HashCancelled:
            self._emit(self.signals.cancelled)
        except CaseFileError as exc:
            self._emit(self.signals.failed, exc.message)
        else:
            self._emit(self.signals.finished, digest)
        finally:
            _RUNNING.discard(self)


class HashDialog(QDialog):
    """Shows the progress of one ``HashJob``; Cancel stops it within one buffer."""

    def __init__(
        self, path: str, parent: QWidget | None = None, pool: QThreadPool | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hashing evidence")
        self.digest: FileDigest | None = None
        self.error = ""
        self.job = HashJob(path, JobSignals(self))
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName("Hashing progress")
        self.bar.setFormat("%p%")
        label = QLabel(f"Computing SHA-256 of\n{path}")
        label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.bar)
        layout.addWidget(buttons)
        self.job.signals.progress.connect(self.bar.setValue)
        self.job.signals.finished.connect(self._finished)
        self.job.signals.failed.connect(self._failed)
        self.job.signals.cancelled.connect(self.reject)
        self._pool = pool or QThreadPool.globalInstance()
        self.job.start(self._pool)

    def cancel(self) -> None:
        self.job.cancel()

    def reject(self) -> None:  # Esc or the window's close button also cancel
        self.job.cancel()
        super().reject()

    def _finished(self, digest: FileDigest) -> None:
        self.digest = digest
        self.bar.setValue(1000)
        self.accept()

    def _failed(self, message: str) -> None:
        self.error = message
        super().reject()
