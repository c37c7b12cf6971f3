"""The structured post-incident summary: cause, effects, handling, what worked, what failed."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes
from irdesk.domain.enums import RecordKind
from irdesk.domain.records import Case
from irdesk.ui.forms import scrolling
from irdesk.ui.notes.editor import DEBOUNCE_MS, MAX_WAIT_MS, plain_text
from irdesk.ui.post_incident.veris import VerisPanel
from irdesk.ui.session import CaseSession

FIELDS = (
    ("cause", "Cause"),
    ("effects", "Effects"),
    ("handling", "How it was handled"),
    ("worked", "What worked"),
    ("failed", "What failed"),
)


class SummaryPanel(QWidget):
    """Saves itself like the note editor: after a pause or at most ``MAX_WAIT_MS`` into continuous
    typing, on the writer thread, "Saved" after commit."""

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.edits: dict[str, QPlainTextEdit] = {}
        self.status = QLabel()
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.save)
        self._max_wait = QTimer(self)  # continuous typing has no pause: save anyway
        self._max_wait.setSingleShot(True)
        self._max_wait.setInterval(MAX_WAIT_MS)
        self._max_wait.timeout.connect(self.save)
        self._dirty = False
        self._base: dict[str, str] = {}  # what the case held when the fields were filled or saved
        self.problem = ""  # why the last save was refused, until a save succeeds
        content = QWidget()
        form = QFormLayout(content)
        lines = self.fontMetrics().lineSpacing()
        for field, label in FIELDS:
            edit = QPlainTextEdit()
            edit.setAccessibleName(label)
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(lines * 3 + 12)  # three lines at least; a short screen scrolls
            edit.textChanged.connect(self._changed)
            self.edits[field] = edit
            form.addRow(label, edit)
        form.addRow("", self.status)
        self.veris = VerisPanel(session)
        form.addRow(self.veris)
        scroll = scrolling(content)  # a short screen scrolls the form, never clips it
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.load(session.reader.case())
        session.changed.connect(self._case_changed)

    def _case_changed(self, changes: Changes) -> None:
        """A merge or an import may bring a summary; never over text still being typed."""
        if changes.touches(RecordKind.CASE) and not self._dirty:
            self.load(self.session.reader.case())

    def load(self, case: Case) -> None:
        self._loading = True
        for field, edit in self.edits.items():
            if plain_text(edit) != getattr(case, field):
                edit.setPlainText(getattr(case, field))
            self._base[field] = getattr(case, field)
        self._loading = False

    def _changed(self) -> None:
        if self._loading:
            return
        self._dirty = True
        self.status.setText("Edited")
        self._timer.start()
        if not self._max_wait.isActive():
            self._max_wait.start()

    def save(self) -> None:
        self._timer.stop()
        self._max_wait.stop()
        if not self._dirty:
            return
        self._dirty = False
        changes = {field: text for field, edit in self.edits.items()
                   if (text := plain_text(edit)) != self._base.get(field)}  # only what was typed
        if not changes:
            self.status.setText("Saved")
            return
        self._base.update(changes)
        self.status.setText("Saving…")
        self.session.write(lambda c: ops.edit_case(c, **changes), on_done=self._saved,
                           on_error=self._failed, owner=self)

    def _saved(self, _case: Case) -> None:
        self.problem = ""
        if not self._dirty:
            self.status.setText("Saved")

    def _failed(self, message: str) -> None:
        self.problem = message
        self._base = {field: getattr(self.session.reader.case(), field) for field in self.edits}
        self._dirty = True  # kept: the next save tries again
        self.status.setText(f"Not saved: {message}")
