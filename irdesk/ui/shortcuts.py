"""Help ▸ Keyboard shortcuts (F1 or Ctrl+/): every key the window answers to, on one page."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+N", "New note in the current phase (typing starts it; “occurred at” is the first keystroke)"),
    ("Ctrl+1 … Ctrl+4", "The four phases; the note editor has the focus"),
    ("Ctrl+5, Ctrl+6", "Evidence, contacts"),
    ("Ctrl+7", "Timeline: every note, key time, engagement step, evidence request and arrival, custody "
               "event on one axis; Enter opens the entry selected, Ctrl+Up the overview (+ and − zoom)"),
    ("Ctrl+G, then 1–8", "Mark the note as a gap: 1 communication, 2 access, 3 visibility, 4 tooling, "
                         "5 authorization, 6 vendor, 7 documentation, 8 other; 0 no gap"),
    ("Alt+T, Alt+K", "In a note: its tags, its ATT&CK techniques (completed by id or by name)"),
    ("Ctrl+F", "Search every note: Down goes to the results, Enter opens the selected one"),
    ("Ctrl+K", "Key times of the case"),
    ("Ctrl+Shift+S", "Change the case status (asks first)"),
    ("Ctrl+Shift+D", "Deleted items: restore a deleted note, evidence item, contact, indicator…"),
    ("Ctrl+P", "After-action report: preview, sign, save, print (Ctrl+plus, Ctrl+minus: zoom)"),
    ("Ctrl+E, Ctrl+I", "Export, import"),
    ("Ctrl+L", "Lock now, from any window or dialog (also after 10 idle minutes)"),
    ("Ctrl+Shift+N, Ctrl+O", "New case, open a case"),
    ("Ctrl+Q", "Quit (waits for what is being saved)"),
    ("Tab, Shift+Tab", "Next and previous field; in a note, Tab leaves the text"),
    ("Enter", "In a record's form: save it. In a dialog: its main button"),
    ("Delete", "Delete the selected note, evidence item, contact, engagement, action item or indicator (asks)"),
    ("F2, Enter", "Indicators (Ctrl+2, then the Indicators section): edit the selected one; go to its note"),
    ("F1, Ctrl+/", "This list"),
)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = "".join(
            f"<tr><td style='padding:3px 14px 3px 0' valign='top'><b>{html.escape(keys)}</b></td>"
            f"<td style='padding:3px 0'>{html.escape(what)}</td></tr>"
            for keys, what in SHORTCUTS
        )
        self.table = QLabel(f"<table>{rows}</table>")
        self.table.setTextFormat(Qt.TextFormat.RichText)
        self.table.setWordWrap(True)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        scroll = QScrollArea()
        scroll.setWidget(self.table)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(640, 520)


def show_shortcuts(parent: QWidget | None) -> ShortcutsDialog:
    dialog = ShortcutsDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
