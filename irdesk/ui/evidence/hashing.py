"""Hashing a file off the GUI thread, with progress and cancel: a 50 GB image never freezes."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from irdesk.casefile.hashing import FileDigest, HashCancelled, hash_file
from irdesk.ui.jobs import Job, JobRunner


class HashDialog(QDialog):
    """Shows the progress of hashing one file; Cancel stops it within one buffer."""

    def __init__(self, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hashing a file for evidence")
        self.setMinimumWidth(460)
        self.digest: FileDigest | None = None
        self.error = ""
        self.cancelled = False
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName("Hashing progress")
        self.bar.setFormat("%p%")
        label = QLabel(f"Computing SHA-256 of\n{path}")
        label.setWordWrap(True)
        self.state = QLabel("")
        self.state.setAccessibleName("Hashing state")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.bar)
        layout.addWidget(self.state)
        layout.addWidget(self.buttons)
        self._jobs = JobRunner(self, threads=1)

        def work(job: Job) -> FileDigest | None:
            last = [-1]

            def moved(done: int, total: int) -> None:
                permille = 1000 if total == 0 else min(1000, done * 1000 // total)
                if permille != last[0]:
                    last[0] = permille
                    job.progress(permille, 1000)

            try:
                return hash_file(path, moved, job.cancelled)
            except HashCancelled:
                return None

        self.job = self._jobs.start(work, owner=self, on_done=self._finished, on_error=self._failed,
                                    on_progress=lambda done, _total: self.bar.setValue(done))

    def cancel(self) -> None:
        """Stop within one buffer; say so at once (a 50 GB image may take a moment to let go)."""
        self.job.cancel()
        self.state.setText("Cancelling… nothing will be added.")
        self.buttons.setEnabled(False)

    def reject(self) -> None:  # Esc or the window's close button also cancel
        self.job.cancel()
        self.cancelled = self.digest is None and not self.error
        super().reject()

    def _finished(self, digest: FileDigest | None) -> None:
        if digest is None:  # cancelled
            if self.isVisible():
                self.reject()
            return
        self.digest = digest
        self.bar.setValue(1000)
        self.accept()

    def _failed(self, message: str) -> None:
        self.error = message
        super().reject()
