"""Earlier revisions of a note: read one, see what changed between two, restore one.

Contemporaneous notes never change silently: a restore is a new revision (the text it
replaces stays in the history), written by the ``restore_note_version`` operation.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.domain.records import Note
from irdesk.ui.moments import shown
from irdesk.ui.palette import is_dark
from irdesk.ui.session import CaseSession


@dataclass(frozen=True)
class Version:
    label: str
    note: Note
    current: bool = False
    replaced: str = ""  # when a later version replaced it


def versions_of(reader: CaseFile, note: Note) -> list[Version]:
    """The current version first, then the kept ones, latest first."""
    found = [Version(f"Current · {shown(note.updated)} · {note.author}", note, current=True)]
    for revision in reversed(reader.records.history(Note, note.id)):
        old = revision.record
        assert isinstance(old, Note)
        kind = "Conflicting copy" if revision.conflict else "Earlier"
        found.append(Version(f"{kind} · {shown(old.updated)} · {old.author}", old,
                             replaced=shown(revision.superseded)))
    return found


def difference(old: Note, new: Note) -> str:
    """What changed from ``old`` to ``new``: the fields that differ, then the text line by line
    ("- " left out, "+ " put in, "  " the same)."""
    lines: list[str] = []
    for what, before, after in (
        ("Phase", old.phase.label, new.phase.label),
        ("Occurred", shown(old.occurred), shown(new.occurred)),
        ("Gap", old.gap.label if old.gap else "none", new.gap.label if new.gap else "none"),
        ("Tags", ", ".join(old.tags) or "none", ", ".join(new.tags) or "none"),
        ("ATT&CK", ", ".join(old.attack) or "none", ", ".join(new.attack) or "none"),
    ):
        if before != after:
            lines.append(f"{what}: {before} → {after}")
    if lines:
        lines.append("")
    if old.body == new.body:
        lines.append("The text is the same.")
    else:
        for line in difflib.ndiff(old.body.splitlines(), new.body.splitlines()):
            if not line.startswith("? "):  # ndiff's character hints: noise for a tired reader
                lines.append(line)
    return "\n".join(lines)


class _DiffColours(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, dark: bool) -> None:
        super().__init__(document)
        self._added, self._removed = QTextCharFormat(), QTextCharFormat()
        self._added.setBackground(QColor("#1e4620" if dark else "#dff5dd"))
        self._removed.setBackground(QColor("#5c1f1f" if dark else "#fbe0e0"))
        self._removed.setFontStrikeOut(True)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        if text.startswith("+ "):
            self.setFormat(0, len(text), self._added)
        elif text.startswith("- "):
            self.setFormat(0, len(text), self._removed)


class HistoryDialog(QDialog):
    restored = Signal(object)  # the note, as the restore left it

    def __init__(self, reader: CaseFile, note: Note, parent: QWidget | None = None,
                 session: CaseSession | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Earlier versions of this note")
        self.resize(820, 480)
        self._versions = versions_of(reader, note)
        self.list = QListWidget()
        self.list.setAccessibleName("Versions")
        self.list.addItems([v.label for v in self._versions])
        for row, version in enumerate(self._versions):
            item = self.list.item(row)
            if item is not None:
                item.setToolTip(f"{version.label} (replaced {version.replaced})" if version.replaced
                                else version.label)
        self.list.setMinimumWidth(self.list.fontMetrics().horizontalAdvance(self._versions[-1].label) + 24)
        self.show_text = QRadioButton("&Text")
        self.show_changes = QRadioButton("C&hanges from")
        self.show_text.setChecked(True)
        modes = QButtonGroup(self)
        modes.addButton(self.show_text)
        modes.addButton(self.show_changes)
        self.compare = QComboBox()
        self.compare.setAccessibleName("Compare with this version")
        self.compare.addItems([v.label for v in self._versions])
        self.compare.setToolTip("The changes are shown from this version to the one selected on the left")
        self.body = QPlainTextEdit()
        self.body.setReadOnly(True)
        self.body.setAccessibleName("Text of the selected version")
        self._colours: _DiffColours | None = None
        self.restore_button = QPushButton("&Restore this version")
        self.restore_button.setToolTip("Make this the note's text again, as a new version; the current text is kept")
        self.restore_button.clicked.connect(self.restore)
        self.state = QLabel()
        self.state.setAccessibleName("Restore state")
        self.state.setWordWrap(True)
        self.state.hide()  # until there is something to say
        self.list.currentRowChanged.connect(lambda _row: self._show())
        self.compare.currentIndexChanged.connect(lambda _i: self._changes_wanted())
        self.show_text.toggled.connect(lambda _on: self._show())
        mode = QHBoxLayout()
        mode.addWidget(QLabel("Show:"))
        mode.addWidget(self.show_text)
        mode.addWidget(self.show_changes)
        mode.addWidget(self.compare, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(mode)
        right_layout.addWidget(self.body, 1)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.state)
        layout.addWidget(buttons)
        self.list.setCurrentRow(min(1, len(self._versions) - 1))
        self.compare.setCurrentIndex(0)
        self.list.setFocus()

    def selected(self) -> Version:
        return self._versions[max(0, self.list.currentRow())]

    def _changes_wanted(self) -> None:
        self.show_changes.setChecked(True)
        self._show()

    def _show(self) -> None:
        if self.list.currentRow() < 0:  # emptied (locking): show nothing, not the first version
            self.body.clear()
            self.restore_button.setEnabled(False)
            return
        version = self.selected()
        if self.show_changes.isChecked():
            base = self._versions[max(0, self.compare.currentIndex())].note
            if self._colours is None:
                self._colours = _DiffColours(self.body.document(), is_dark(self))
            self.body.setPlainText(difference(base, version.note))
        else:
            if self._colours is not None:
                self._colours.setDocument(None)
                self._colours = None
            self.body.setPlainText(version.note.body)
        self.restore_button.setEnabled(self.session is not None and not version.current
                                       and self.session.damage == "")

    def restore(self) -> None:
        version = self.selected()
        if self.session is None or version.current:
            return
        note_id, rev = version.note.id, version.note.rev
        self.restore_button.setEnabled(False)
        self.state.setText("Restoring…")
        self.state.show()
        self.session.write(lambda c: ops.restore_note_version(c, note_id, rev), on_done=self._restored,
                           on_error=self._refused, owner=self)

    def _restored(self, note: Note) -> None:
        self.restored.emit(note)
        self.accept()

    def _refused(self, message: str) -> None:
        self.state.show()
        self.state.setText(message)
        self._show()
