"""Earlier revisions of a note: contemporaneous notes never change silently."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile.store import CaseFile
from irdesk.domain.records import Note
from irdesk.ui.moments import shown


class HistoryDialog(QDialog):
    def __init__(self, reader: CaseFile, note: Note, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Earlier versions of this note")
        self.resize(760, 460)
        self._versions: list[tuple[str, str]] = [
            (f"Current · {shown(note.updated)} · {note.author}", note.body)
        ]
        for revision in reversed(reader.records.history(Note, note.id)):
            old = revision.record
            assert isinstance(old, Note)
            label = "Conflicting copy" if revision.conflict else "Earlier"
            self._versions.append(
                (
                    f"{label} · {shown(old.updated)} · {old.author} "
                    f"(replaced {shown(revision.superseded)})",
                    old.body,
                )
            )
        self.list = QListWidget()
        self.list.setAccessibleName("Versions")
        self.list.addItems([label for label, _ in self._versions])
        self.body = QPlainTextEdit()
        self.body.setReadOnly(True)
        self.body.setAccessibleName("Text of the selected version")
        self.list.currentRowChanged.connect(
            lambda row: self.body.setPlainText(self._versions[row][1])
        )
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(self.body)
        split.setSizes([280, 480])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        layout.addWidget(buttons)
        self.list.setCurrentRow(min(1, len(self._versions) - 1))
