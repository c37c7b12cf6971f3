"""The note editor: plain text exactly as typed, "occurred at", one-click gap, autosave off-thread.

Saving waits for a pause in the typing (``DEBOUNCE_MS``) but never longer than
``MAX_WAIT_MS`` after the first unsaved keystroke, so even during continuous typing no text
older than a second stays unsaved; it is forced on focus change and when switching notes.
Writes go through ``CaseSession.write`` (one worker thread, in order), and the status only
says "Saved" once the commit has returned.

The saves of one typing session amend the revision that session is writing
(``ops.amend_note``): the history shows the versions a person made, not one per autosave,
and every save is still chained. A session ends when the editor shows another note, after a
pause of ``SESSION_PAUSE``, and as soon as anything may have carried the text out of the
file (a hand-off copy, an export, a report: ``CaseSession.output_epoch``).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Done
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Gap, Phase
from irdesk.domain.moment import Moment
from irdesk.domain.records import Note, RecordId
from irdesk.ui.attack_field import AttackField
from irdesk.ui.moments import from_qdatetime, keep_in_bounds, shown, to_qdatetime
from irdesk.ui.notes.attaching import NoteDrops
from irdesk.ui.notes.highlighter import MarkdownHighlighter
from irdesk.ui.notes.tags import TagsField
from irdesk.ui.session import CaseSession

DEBOUNCE_MS = 500  # a pause in the typing
MAX_WAIT_MS = 600  # …or this long after the first unsaved keystroke, whichever comes first


class SaveState(Enum):
    """Where the editor's text stands; the value is what the status label says."""

    CLEAN = ""  # nothing typed since it was loaded
    EDITED = "Edited"
    SAVING = "Saving…"
    SAVED = "Saved"
    FAILED = "Not saved"


class _Draft:
    """The note being written: one typing session.

    ``note_id`` and ``working_rev`` (the revision this session wrote last, which the next save
    may amend) are set on the writer thread; later saves of the same draft run after that on
    the same thread, so they see them.
    """

    def __init__(self, note: Note | None) -> None:
        self.note_id: RecordId | None = note.id if note else None
        self.create_sent = note is not None
        self.loaded_rev = note.rev if note else None
        self.working_rev: str | None = None
        self.epoch: int | None = None

    def write(self, case: CaseFile, epoch: int | None, phase: Phase, **fields: Any) -> Done[Note]:
        """Create, amend or edit the note (on the writer thread)."""
        if self.note_id is None:
            done = ops.add_note(case, phase, fields["body"], occurred=fields["occurred"], gap=fields["gap"],
                                tags=fields.get("tags", ()), attack=fields.get("attack", ()))
            self.note_id = done.value.id
        elif self.working_rev is not None and epoch is not None and epoch == self.epoch:
            done = ops.amend_note(case, self.note_id, self.working_rev, **fields)
        else:
            done = ops.edit_note(case, self.note_id, **fields)
        if done.value.rev not in (self.loaded_rev, self.working_rev):  # a revision of this session
            self.working_rev = done.value.rev
        if epoch is None:  # something was reading the case meanwhile: amend nothing it may hold
            self.working_rev = None
        self.epoch = epoch
        return done


def plain_text(edit: QPlainTextEdit) -> str:
    """What was typed: raw text (keeps non-breaking spaces), Qt's block separators as newlines."""
    return edit.document().toRawText().replace("\u2029", "\n").replace("\u2028", "\n")


class NoteEditor(QWidget):
    saved = Signal(object)  # the committed Note
    status_changed = Signal(str)

    def __init__(self, session: CaseSession, phase: Phase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.phase = session, phase
        self._draft = _Draft(None)
        self._note: Note | None = None
        self._dirty = False
        self._generation = 0
        self._loading = False
        self._state, self._problem = SaveState.CLEAN, ""
        self._note_occurred: Moment | None = None

        self.occurred = QDateTimeEdit(QDateTime.currentDateTime())
        keep_in_bounds(self.occurred)
        self.occurred.setCalendarPopup(True)
        self.occurred.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.occurred.setAccessibleName("Occurred at")
        self.occurred.setToolTip(
            "When it happened (editable; the time it was written is kept separately)"
        )
        self.occurred.dateTimeChanged.connect(self._occurred_changed)
        self._occurred_set = False  # chosen by hand: then typing no longer moves it to "now"
        now = QPushButton("Now")
        now.setAccessibleName("Set occurred at to now")
        now.clicked.connect(lambda: self.occurred.setDateTime(QDateTime.currentDateTime()))
        self.now_button = now

        self.gap_buttons = QButtonGroup(self)
        self.gap_buttons.setExclusive(False)
        gaps = QHBoxLayout()
        gaps.setSpacing(2)
        gaps.addWidget(QLabel("Gap:"))
        for number, gap in enumerate(Gap, start=1):
            button = QToolButton()
            button.setText(gap.label)
            button.setCheckable(True)
            button.setAccessibleName(f"Mark as {gap.label} gap")
            button.setToolTip(
                f"Mark this note as a {gap.value} gap (where the response slowed down): "
                f"Ctrl+G, then {number}"
            )
            button.setProperty("gap", gap.value)
            button.setStyleSheet(
                "QToolButton:checked { background: #d35400; color: white;"
                " font-weight: bold; border-radius: 3px; padding: 2px 4px; }"
            )
            self.gap_buttons.addButton(button)
            gaps.addWidget(button)
        gaps.addStretch(1)
        self.gap_buttons.buttonClicked.connect(self._gap_clicked)

        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Note text")
        self.text.setPlaceholderText(
            "Write what happened, what you saw, what you did. Markdown is fine."
        )
        self.text.setTabChangesFocus(True)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        font.setPointSizeF(font.pointSizeF() * 1.05)
        self.text.setFont(font)
        self.text.document().setDefaultFont(QFont(font))
        self._highlighter = MarkdownHighlighter(self.text.document())
        self.text.textChanged.connect(self._changed)
        self.text.installEventFilter(self)
        self.drops = NoteDrops(session, self.text, self)  # a file dropped onto the text is attached

        self.tags = TagsField(session)
        self.tags.textEdited.connect(self._changed)
        self.tags.editingFinished.connect(self.save)
        tags_row = QHBoxLayout()
        tags_label = QLabel("&Tags:")
        tags_label.setBuddy(self.tags)
        tags_row.addWidget(tags_label)
        tags_row.addWidget(self.tags, 1)
        self.attack = AttackField(compact=True)  # ATT&CK technique ids, completed by id or name
        self.attack.line.textEdited.connect(self._changed)
        self.attack.line.editingFinished.connect(self.save)
        attack_label = QLabel("ATT&&C&K:")
        attack_label.setBuddy(self.attack.line)
        tags_row.addWidget(attack_label)
        tags_row.addWidget(self.attack, 1)

        self.status = QLabel("")
        self.status.setAccessibleName("Save status")
        self.history_button = QPushButton("Earlier versions…")
        self.history_button.setEnabled(False)
        self.history_button.clicked.connect(self._show_history)
        self.author = QLabel("")

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.save)
        self._max_wait = QTimer(self)  # continuous typing has no pause: save anyway
        self._max_wait.setSingleShot(True)
        self._max_wait.setInterval(MAX_WAIT_MS)
        self._max_wait.timeout.connect(self.save)

        top = QHBoxLayout()
        top.addWidget(QLabel("Occurred at"))
        top.addWidget(self.occurred)
        top.addWidget(now)
        top.addStretch(1)
        top.addWidget(self.status)
        bottom = QHBoxLayout()
        bottom.addWidget(self.author, 1)
        bottom.addWidget(self.history_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(gaps)
        layout.addWidget(self.text, 1)
        layout.addLayout(tags_row)
        layout.addWidget(self.attack.meaning)  # what is wrong with an id typed, under the row
        layout.addLayout(bottom)

    # ------------------------------------------------------------ state
    @property
    def note(self) -> Note | None:
        return self._note

    @property
    def note_id(self) -> RecordId | None:
        return self._draft.note_id if self._note is None else self._note.id

    @property
    def dirty(self) -> bool:
        return self._dirty

    def gap(self) -> Gap | None:
        for button in self.gap_buttons.buttons():
            if button.isChecked():
                return Gap(button.property("gap"))
        return None

    def load(self, note: Note | None) -> None:
        """Show ``note`` (None: a fresh note, occurring now), saving the current one first."""
        self.save()
        self._loading = True
        self._draft = _Draft(note)
        self._note = note
        self._note_occurred = note.occurred if note else None
        self.text.setPlainText(note.body if note else "")
        self.text.moveCursor(QTextCursor.MoveOperation.End)  # responders mostly append
        self.occurred.setDateTime(
            to_qdatetime(note.occurred) if note else QDateTime.currentDateTime()
        )
        self._set_gap(note.gap if note else None)
        self.tags.set_tags(note.tags if note else ())
        self.attack.set_ids(note.attack if note else ())
        self.history_button.setEnabled(
            note is not None and note.rev != "" and note.parent_rev is not None
        )
        self.author.setText(
            f"{note.author} · written {shown(note.created)}" if note else "New note"
        )
        self._occurred_set = note is not None
        self._loading = False
        self._dirty = False
        self._set_status(SaveState.CLEAN)

    def new_note(self) -> None:
        self.load(None)
        self.text.setFocus()

    def set_read_only(self) -> None:
        """The case is damaged: the note can be read (and its history), not changed."""
        self.text.setReadOnly(True)
        self.occurred.setEnabled(False)
        self.tags.setReadOnly(True)
        self.attack.line.setReadOnly(True)
        for button in self.findChildren(QToolButton) + self.findChildren(QPushButton):
            if button is not self.history_button:
                button.setEnabled(False)

    def clear(self) -> None:
        """Drop all text from the widget (locking), after saving."""
        self.save()
        self._loading = True
        self.text.clear()
        self.tags.clear()
        self.attack.set_ids(())
        self._note = self._note_occurred = None
        self._draft = _Draft(None)
        self._loading = False
        self._dirty = False

    def mark_gap(self, gap: Gap | None) -> None:
        self._set_gap(gap)
        self._changed()
        self.save()

    def _set_gap(self, gap: Gap | None) -> None:
        for button in self.gap_buttons.buttons():
            button.setChecked(gap is not None and button.property("gap") == gap.value)

    def _gap_clicked(self, clicked: QToolButton) -> None:
        if clicked.isChecked():
            for button in self.gap_buttons.buttons():
                if button is not clicked:
                    button.setChecked(False)
        self._changed()
        self.save()

    # ------------------------------------------------------------ saving
    def occurred_moment(self) -> Moment:
        """The "occurred at" shown; a loaded note's own (its offset and seconds) until changed."""
        shown_value = self.occurred.dateTime()
        if self._note_occurred is not None and shown_value == to_qdatetime(self._note_occurred):
            return self._note_occurred
        return from_qdatetime(shown_value)

    def _occurred_changed(self, *_: object) -> None:
        if not self._loading:
            self._occurred_set = True
        self._changed()

    def _changed(self, *_: object) -> None:
        if self._loading:
            return
        if not self._draft.create_sent and not self._occurred_set:
            # a fresh note happened when the typing started, not when the tab was opened
            self._loading = True
            self.occurred.setDateTime(QDateTime.currentDateTime())
            self._loading = False
        self._dirty = True
        self._set_status(SaveState.EDITED)
        self._debounce.start()
        if not self._max_wait.isActive():
            self._max_wait.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.text and event.type() == QEvent.Type.FocusOut:
            self.save()
        return False

    def save(self) -> None:
        """Queue the current text for the writer thread (no-op when nothing changed)."""
        self._debounce.stop()
        self._max_wait.stop()
        if not self._dirty:
            return
        body = plain_text(self.text)
        draft = self._draft
        if not draft.create_sent and not body.strip():
            return  # an untouched new note is not worth a record
        occurred, gap, phase, tags = self.occurred_moment(), self.gap(), self.phase, self.tags.tags()
        # ATT&CK ids go with the text only once they are ones the catalogue takes: a half-typed
        # or unknown id (said beside the field) never holds back the note itself.
        fields: dict[str, Any] = {} if self.attack.problem() else {"attack": self.attack.ids()}
        self._dirty = False
        self._generation += 1
        generation = self._generation
        draft.create_sent = True
        session = self.session

        def write(case: CaseFile) -> Done[Note]:
            return draft.write(case, session.output_epoch(), phase, body=body, occurred=occurred, gap=gap,
                               tags=tags, **fields)

        self._set_status(SaveState.SAVING)
        self.session.write(
            write,
            on_done=lambda note: self._saved(draft, generation, note),
            on_error=lambda message: self._failed(draft, message),
        )

    def _saved(self, draft: _Draft, generation: int, note: Note) -> None:
        if draft is self._draft:
            self._note = note
            self._note_occurred = note.occurred
            self.history_button.setEnabled(note.parent_rev is not None)
            self.author.setText(f"{note.author} · written {shown(note.created)}")
            if generation == self._generation and not self._dirty:
                self._set_status(SaveState.SAVED)
        self.tags.add_known(note.tags)
        self.saved.emit(note)

    def _failed(self, draft: _Draft, message: str) -> None:
        if draft is self._draft:
            self._dirty = True  # keep it pending: the next save tries again
            self._set_status(SaveState.FAILED, message)

    @property
    def save_state(self) -> SaveState:
        return self._state

    @property
    def save_problem(self) -> str:
        """Why the text is not saved (the last failure), or ""."""
        return self._problem if self._state is SaveState.FAILED else ""

    def _set_status(self, state: SaveState, problem: str = "") -> None:
        self._state, self._problem = state, problem
        self.status.setText(state.value)
        self.status.setToolTip(problem)
        self.status_changed.emit(state.value)

    def _restored(self, note: Note) -> None:
        """An earlier version came back as the current one: show it (there is nothing to save)."""
        if note.id == self.note_id:
            self.load(note)
            self.saved.emit(note)

    def _show_history(self) -> None:
        from irdesk.ui.notes.history import HistoryDialog

        if self._note is not None:
            self.save()  # what is typed is in the history before anything is restored over it
            dialog = HistoryDialog(self.session.reader, self._note, self,
                                   session=None if self.text.isReadOnly() else self.session)
            dialog.restored.connect(self._restored)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.session.closing.connect(dialog.reject)
            dialog.open()
