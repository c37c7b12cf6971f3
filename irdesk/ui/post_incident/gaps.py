"""Every note marked as a gap, across all phases: the raw material for action items."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QListView, QVBoxLayout, QWidget

from irdesk.casefile.changes import Changes
from irdesk.casefile.store import NoteFilter
from irdesk.domain.enums import Gap, RecordKind
from irdesk.ui.notes.model import NOTE_ROLE, NoteListModel
from irdesk.ui.session import CaseSession


class GapsPanel(QWidget):
    open_note = Signal(object)  # the Note to show in its phase tab

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = NoteListModel(None, NoteFilter(gaps_only=True), self)
        self._stale = True  # loaded when first shown: on 100,000 notes this query is not free
        self.gap = QComboBox()
        self.gap.addItem("All gap categories", None)
        for gap in Gap:
            self.gap.addItem(gap.label, gap.value)
        self.gap.setAccessibleName("Gap category")
        self.gap.currentIndexChanged.connect(self._filter)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setAlternatingRowColors(True)
        self.list.setAccessibleName("Gaps")
        self.list.activated.connect(lambda index: self.open_note.emit(index.data(NOTE_ROLE)))
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("Where the response slowed down. Enter or a double-click opens the note."), 1)
        row.addWidget(self.gap)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.counts)
        layout.addWidget(self.list, 1)
        session.changed.connect(self._changed)

    def focus_target(self) -> QWidget:
        return self.list

    def _changed(self, changes: Changes) -> None:
        if changes.touches(RecordKind.NOTE):
            self._stale = True
            if self.isVisible():
                self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _filter(self) -> None:
        value = self.gap.currentData()
        self.model.set_filter(NoteFilter(gap=Gap(value)) if value else NoteFilter(gaps_only=True))

    def refresh(self) -> None:
        self._stale = False
        self.model.attach(self.session.reader)
        self.model.reload()
        self.refresh_counts()

    def refresh_counts(self) -> None:
        reader = self.session.reader
        parts = [
            f"{gap.label}: {n}" for gap in Gap if (n := reader.notes.count(NoteFilter(gap=gap)))
        ]
        self.counts.setText(" · ".join(parts) if parts else "No note is marked as a gap yet.")
