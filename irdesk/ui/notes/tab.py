"""One phase tab: its CSF 2.0 Functions, the fast note list, the editor, and extra sections."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes
from irdesk.casefile.store import NoteFilter
from irdesk.domain.enums import Gap, Phase, RecordKind
from irdesk.domain.records import Note
from irdesk.ui.deletion import confirm_delete, delete_action
from irdesk.ui.notes.editor import NoteEditor
from irdesk.ui.notes.model import NOTE_ROLE, NoteListModel, first_line
from irdesk.ui.session import CaseSession

FEW = 50  # changed notes looked up one by one; more than this, and the list simply reloads


class PhaseTab(QWidget):
    def __init__(
        self,
        session: CaseSession,
        phase: Phase,
        extras: list[tuple[str, QWidget]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.phase = session, phase
        self._shown: set[str] = set()  # notes this tab already shows as they were just saved
        self.model = NoteListModel(session.reader, NoteFilter(phase=phase), self)
        self.model.fetchMore(QModelIndex())

        title = QLabel(
            f"<b>{phase.label}</b>  <span style='color:gray'>CSF 2.0: {phase.csf}</span>"
        )
        title.setAccessibleName(f"{phase.label}; CSF 2.0 Functions: {phase.csf}")
        self.new_button = QPushButton("New note")
        self.new_button.setDefault(False)
        self.new_button.setToolTip("New note (Ctrl+N)")
        self.new_button.setAccessibleName(f"New note in {phase.label}")
        self.new_button.clicked.connect(self.new_note)
        self.count = QLabel()

        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(False)
        self.list.setAlternatingRowColors(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setAccessibleName(f"Notes in {phase.label}")
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        delete_action(self.list, "note", lambda: self.delete_note())
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete the note in the editor (Delete in the list)")
        self.delete_button.setAccessibleName(f"Delete the note in {phase.label}")
        self.delete_button.clicked.connect(lambda: self.delete_note())

        self.empty = QLabel(
            "No notes in this phase yet.\nPress Ctrl+N or “New note” and start typing."
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: gray")
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.list)
        self.list_stack.addWidget(self.empty)

        self.editor = NoteEditor(session, phase)
        self.editor.saved.connect(self._saved)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 12, 0)  # "3 notes" must not read as "occurred at"
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(self.count)
        left_layout.addLayout(row)
        left_layout.addWidget(self.list_stack, 1)
        notes = QSplitter()
        notes.addWidget(left)
        notes.addWidget(self.editor)
        notes.setStretchFactor(0, 2)
        notes.setStretchFactor(1, 3)
        notes.setSizes([380, 620])

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        self.sections: QTabWidget | None = None
        if extras:
            self.sections = QTabWidget()
            self.sections.setDocumentMode(True)
            self.sections.addTab(notes, "Notes")
            for name, widget in extras:
                self.sections.addTab(widget, name)
            layout.addWidget(self.sections, 1)
        else:
            layout.addWidget(notes, 1)
        self.session.changed.connect(self._case_changed)
        self.editor.load(None)  # ready for a new note: typing never changes an old one by surprise
        self._update_empty()

    def _update_empty(self) -> None:
        """The empty hint, the count, and whether Delete… has a saved note to delete."""
        self.list_stack.setCurrentIndex(1 if self.model.total == 0 else 0)
        self.delete_button.setEnabled(self.note_to_delete() is not None)
        self.count.setText(f"{self.model.total:,} notes" if self.model.total != 1 else "1 note")

    def new_note(self) -> None:
        if self.sections is not None:
            self.sections.setCurrentIndex(0)
        self.list.selectionModel().clearSelection()
        self.list.setCurrentIndex(QModelIndex())
        self.editor.new_note()
        self._update_empty()

    def select_row(self, row: int) -> None:
        index = self.model.index(row)
        self.list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def show_note(self, note: Note) -> None:
        """Open a note (search result, gap, unlock): selected in the list if loaded, else edited.

        A note deep in a 100,000-note list is not worth fetching every page before it.
        """
        if self.sections is not None:
            self.sections.setCurrentIndex(0)
        row = self.model.row_of(note.id)
        if row >= 0:
            self.select_row(row)
            self.list.scrollTo(self.model.index(row))
        else:
            self.list.selectionModel().clearSelection()
            self.list.setCurrentIndex(QModelIndex())
            self.editor.load(note)
            self._update_empty()

    def note_to_delete(self) -> Note | None:
        """The note the list's current row or else the editor shows (a saved one)."""
        current = self.list.currentIndex()
        note = current.data(NOTE_ROLE) if current.isValid() else None
        return note if note is not None else self.editor.note

    def delete_note(self) -> None:
        note = self.note_to_delete()
        if note is None or not confirm_delete(
            self, "note", first_line(note.body, 60), stays="its text stays"
        ):
            return
        if note.id == self.editor.note_id:
            self.editor.load(None)  # queues any pending edit first: it lands in the history
        self.session.write(lambda case: ops.delete(case, Note, note.id), on_done=self._saved)

    def mark_gap(self, gap: Gap | None) -> None:
        self.editor.mark_gap(gap)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        note = current.data(NOTE_ROLE) if current.isValid() else None
        if note is not None and note.id != self.editor.note_id:
            self.editor.load(note)
        self._update_empty()

    def _saved(self, note: Note) -> None:
        self._shown.add(note.id)  # shown in place: the change notice that follows needs no reload
        if not self.model.replace(note):
            row = self.model.insert_new(note)
            if row < 0:
                self.model.reload()
                row = self.model.row_of(note.id)
            if row >= 0 and note.id == self.editor.note_id:
                self.list.selectionModel().blockSignals(True)
                self.select_row(row)
                self.list.selectionModel().blockSignals(False)
                self.list.viewport().update()
        self._update_empty()

    def _case_changed(self, changes: Changes) -> None:
        """Notes written elsewhere (a merge, an import, another tab): reload if they are ours."""
        others = changes.ids(RecordKind.NOTE) - self._shown
        self._shown.clear()
        if not changes.touches(RecordKind.NOTE) or (changes.ids(RecordKind.NOTE) and not others):
            return
        if 0 < len(others) <= FEW:  # one note saved in another phase: look before reloading
            notes = self.session.reader.records.find_many(Note, list(others)).values()
            if all(n.phase != self.phase and self.model.row_of(n.id) < 0 for n in notes):
                return
        self.model.reload()
        self._update_empty()

    def clear(self) -> None:
        self.editor.clear()
        self.model.clear()

    def set_read_only(self) -> None:
        """The case is damaged: notes can be read, not written."""
        self.editor.set_read_only()
        self.new_button.setEnabled(False)
        self.delete_button.setEnabled(False)
