"""A lazy list of notes: pages fetched from SQL as the view scrolls, so 100,000 notes open fast."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from irdesk.casefile.store import CaseFile, NoteFilter
from irdesk.domain.records import Note
from irdesk.ui.moments import shown

PAGE = 200
NOTE_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


_MARKS = re.compile(r"\*\*|__|`|^\s*(?:[-*+•]|\d{1,4}[.)])\s+")


def plain_line(line: str) -> str:
    """One line without Markdown's heading, list and span marks ("**" alone stays "**")."""
    raw = line.strip()
    return _MARKS.sub("", raw.lstrip("#").strip()).strip() or raw


def plain_preview(text: str) -> str:
    """Text as a preview shows it: each line without Markdown marks, joined by spaces."""
    return " ".join(p for p in (plain_line(line) for line in text.splitlines()) if p)


def first_line(text: str, width: int = 120) -> str:
    """The first non-empty line as the list shows it: without Markdown's heading, list and span marks."""
    for raw in text.splitlines():
        if raw.strip():
            line = plain_line(raw)
            return line if len(line) <= width else line[: width - 1] + "…"
    return "(empty note)"


class NoteListModel(QAbstractListModel):
    """Newest first. Rows are fetched ``PAGE`` at a time with ``list_notes(offset, limit)``."""

    def __init__(
        self, reader: CaseFile | None, note_filter: NoteFilter | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._reader = reader
        self._filter = note_filter = note_filter or NoteFilter()
        self._rows: list[Note] = []
        self._total = reader.notes.count(note_filter) if reader is not None else 0

    @property
    def note_filter(self) -> NoteFilter:
        return self._filter

    @property
    def total(self) -> int:
        return self._total

    def set_filter(self, note_filter: NoteFilter) -> None:
        self._filter = note_filter
        self.reload()

    def reload(self) -> None:
        """Start again from the first page (after a new note or a filter change)."""
        self.beginResetModel()
        self._rows = []
        self._total = self._reader.notes.count(self._filter) if self._reader is not None else 0
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def attach(self, reader: CaseFile) -> None:
        self._reader = reader

    def clear(self) -> None:
        """Forget every note (the case is being locked)."""
        self.beginResetModel()
        self._rows, self._total, self._reader = [], 0, None
        self.endResetModel()

    def replace(self, note: Note) -> bool:
        """Show a new revision of a loaded note in place; False if the note is not loaded."""
        for row, old in enumerate(self._rows):
            if old.id == note.id:
                if note.deleted or not _matches(note, self._filter):
                    self.beginRemoveRows(QModelIndex(), row, row)
                    del self._rows[row]
                    self._total -= 1
                    self.endRemoveRows()
                else:
                    self._rows[row] = note
                    index = self.index(row)
                    self.dataChanged.emit(index, index)
                return True
        return False

    def insert_new(self, note: Note) -> int:
        """Show a note just created at its place among the loaded rows; its row, or -1.

        A reload would count and fetch again (after every commit the reader re-reads its pages),
        too slow between two keystrokes in a 100,000-note case. -1 when the note belongs
        beyond the loaded pages or not in this list: reload then.
        """
        if note.deleted or not _matches(note, self._filter):
            return -1
        # Newest first by occurrence, then entry order: the note entered last goes before
        # every note that occurred at the same instant or earlier.
        row = next(
            (r for r, old in enumerate(self._rows) if old.occurred.utc <= note.occurred.utc), -1
        )
        if row < 0:
            if len(self._rows) < self._total:
                return -1
            row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, note)
        self._total += 1
        self.endInsertRows()
        return row

    def row_of(self, note_id: str) -> int:
        for row, note in enumerate(self._rows):
            if note.id == note_id:
                return row
        return -1

    def note_at(self, row: int) -> Note | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # Qt model interface
    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and self._reader is not None and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if not self.canFetchMore(parent) or self._reader is None:
            return
        page = self._reader.notes.page(
            self._filter, offset=len(self._rows), limit=PAGE, newest_first=True
        )
        if not page:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()
        if len(page) < PAGE:  # the end, or a note the chain does not vouch for was left out: stop
            self._total = len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        note = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            gap = f"  ⚑ {note.gap.label}" if note.gap else ""
            tags = "  " + " ".join(f"#{t}" for t in note.tags) if note.tags else ""
            tags += "  " + " ".join(note.attack) if note.attack else ""
            return f"{shown(note.occurred)}{gap}{tags}\n{first_line(note.body)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{note.author} · written {shown(note.created)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            gap = f", gap: {note.gap.label}" if note.gap else ""
            gap += f", tags: {', '.join(note.tags)}" if note.tags else ""
            return f"Note at {shown(note.occurred)}{gap}: {first_line(note.body)}"
        if role == NOTE_ROLE:
            return note
        if role == ID_ROLE:
            return note.id
        return None


def _matches(note: Note, f: NoteFilter) -> bool:
    if f.phase is not None and note.phase != f.phase:
        return False
    if f.gap is not None and note.gap != f.gap:
        return False
    return not (f.gaps_only and note.gap is None)

