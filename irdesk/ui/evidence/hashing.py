"""Hashing a file off the GUI thread, with progress and cancel: a 50 GB image never freezes."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from irdesk.casefile.errors import CaseFileError
from irdesk.casefile.hashing import FileDigest, HashCancelled, hash_file

_RUNNING: set[HashJob] = set()  # a job outlives its dialog until its thread returns


class _Signals(QObject):
    progress = Signal(int)  # per mille
    finished = Signal(object)  # FileDigest
    failed = Signal(str)
    cancelled = Signal()
    done = Signal(object)


class HashJob(QRunnable):
    """Hashes one file on a pool thread; talks to the GUI only through signals."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.path = path
        self.signals = _Signals()
        self._cancel = threading.Event()
        self._last = -1

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: int, total: int) -> None:
        permille = 1000 if total == 0 else min(1000, done * 1000 // total)
        if permille != self._last:
            self._last = permille
            self.signals.progress.emit(permille)

    def run(self) -> None:
        _RUNNING.add(self)
        try:
            digest = hash_file(self.path, self._progress, self._cancel.is_set)
        except HashCancelled:
            self.signals.cancelled.emit()
        except CaseFileError as exc:
            self.signals.failed.emit(exc.message)
        else:
            self.signals.finished.emit(digest)
        finally:
            self.signals.done.emit(self)


class HashDialog(QDialog):
    """Shows the progress of one ``HashJob``; Cancel stops it within one buffer."""

    def __init__(
        self, path: str, parent: QWidget | None = None, pool: QThreadPool | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hashing evidence")
        self.digest: FileDigest | None = None
        self.error = ""
        self.job = HashJob(path)
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
        self.job.signals.done.connect(_RUNNING.discard)
        self._pool = pool or QThreadPool.globalInstance()
        self._pool.start(self.job)

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
