"""Full-text search across all notes, with the matches highlighted and phase/gap filters."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from irdesk.domain.enums import Gap, Phase
from irdesk.ui.moments import shown
from irdesk.ui.session import CaseSession

LIMIT = 200


def highlighted(snippet: str) -> str:
    """The FTS snippet as HTML: text escaped, matches (\\x02 … \\x03) in bold on yellow."""
    text = html.escape(snippet.replace("\n", " "))
    return text.replace("\x02", "<b style='background:#ffe066;color:black'>").replace(
        "\x03", "</b>"
    )


class SearchDialog(QDialog):
    open_note = Signal(object)  # the Note chosen

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search notes")
        self.resize(720, 480)
        self.session = session
        self.query = QLineEdit()
        self.query.setPlaceholderText("Words to find (end a word with * for a prefix)")
        self.query.setAccessibleName("Search text")
        self.phase = QComboBox()
        self.phase.addItem("All phases", None)
        for phase in Phase:
            self.phase.addItem(phase.label, phase.value)
        self.phase.setAccessibleName("Phase filter")
        self.gap = QComboBox()
        self.gap.addItem("Any gap or none", None)
        for gap in Gap:
            self.gap.addItem(gap.label, gap.value)
        self.gap.setAccessibleName("Gap filter")
        self.results = QListWidget()
        self.results.setAccessibleName("Search results")
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.itemActivated.connect(self._activated)
        self.summary = QLabel("Type to search every note in the case.")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.run)
        self.query.textChanged.connect(self._timer.start)
        self.phase.currentIndexChanged.connect(self.run)
        self.gap.currentIndexChanged.connect(self.run)
        self.query.returnPressed.connect(self._open_first)
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(self.phase)
        row.addWidget(self.gap)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self._timer.stop()  # closed (or the case locked): search nothing more
        super().hideEvent(event)

    def run(self) -> None:
        self._timer.stop()
        self.results.clear()
        text = self.query.text().strip()
        if not text:
            self.summary.setText("Type to search every note in the case.")
            return
        phase = Phase(self.phase.currentData()) if self.phase.currentData() else None
        gap = Gap(self.gap.currentData()) if self.gap.currentData() else None
        hits = self.session.reader.notes.search(text, phase=phase, gap=gap, limit=LIMIT)
        for hit in hits:
            note = hit.note
            mark = f" · ⚑ {note.gap.label}" if note.gap else ""
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, note)
            label = QLabel(
                f"<span style='color:gray'>{shown(note.occurred)} · {note.phase.label}{mark}"
                f"</span><br>{highlighted(hit.snippet)}"
            )
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setContentsMargins(4, 3, 4, 3)
            label.setWordWrap(True)
            width = max(200, self.results.viewport().width() - 4)
            item.setSizeHint(QSize(width, label.heightForWidth(width)))
            item.setText("")
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                hit.snippet.replace("\x02", "").replace("\x03", ""),
            )
            self.results.addItem(item)
            self.results.setItemWidget(item, label)
        more = " (showing the best matches)" if len(hits) == LIMIT else ""
        found = "1 matching note" if len(hits) == 1 else f"{len(hits)} matching notes"
        self.summary.setText(
            f"{found}{more}. Enter or double-click opens one." if hits else "No note matches."
        )

    def _open_first(self) -> None:
        self.run()
        item = self.results.currentItem() or self.results.item(0)
        if item is not None:
            self._activated(item)

    def _activated(self, item: QListWidgetItem) -> None:
        self.open_note.emit(item.data(Qt.ItemDataRole.UserRole))
