"""The timeline as a table: every row is known by count, its entries fetched in windows.

``rowCount`` is the number of entries (one ``count`` in SQL); ``data`` fetches the window of
``PAGE`` rows around the row asked for (``TimelineQueries.keys`` then the verified records)
and keeps the last few windows, so jumping from the first hour to the last week of a
100,000-note case reads two windows, not every note in between.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from irdesk.casefile.store import CaseFile
from irdesk.casefile.timeline import Entry, EntryKey, EntryKind, TimelineFilter
from irdesk.domain import attack
from irdesk.domain.enums import Phase
from irdesk.domain.records import Case, Contact, CustodyEvent, Engagement, Evidence, Indicator, Note
from irdesk.ui.moments import shown
from irdesk.ui.notes.model import first_line
from irdesk.ui.timeline.marks import GAP_COLOUR, GAP_GLYPH, GLYPHS, mark_icon

PAGE = 100  # a screenful is 20–40 rows; each row read is a record verified against the chain
KEPT_PAGES = 8
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
# "Written" is shown when it is this far from "occurred" (a note typed a minute later is normal)
CLOCK_SLACK = timedelta(minutes=5)

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

COLUMNS = ("Occurred", "Kind", "What", "Written", "By")
OCCURRED, KIND, WHAT, WRITTEN, BY = range(len(COLUMNS))

KEY_TIME_LABELS = {
    "first_activity_at": "First activity", "detected_at": "Detected", "reported_at": "Reported",
    "contained_at": "Contained", "eradicated_at": "Eradicated", "recovered_at": "Recovered",
    "closed_at": "Closed",
}
ENGAGEMENT_LABELS = {"needed_at": "needed", "first_attempt_at": "first tried",
                     "reached_at": "reached", "resolved_at": "resolved"}
EVIDENCE_LABELS = {"requested_at": "Requested", "collected_at": "Arrived"}


def written_differs(entry: Entry) -> bool:
    """True when the record was written far from when it says it happened (suspect clocks,
    or a note written up afterwards)."""
    return entry.written is not None and abs(entry.written.utc - entry.at.utc) > CLOCK_SLACK


def is_gap(entry: Entry) -> bool:
    return isinstance(entry.record, Note) and entry.record.gap is not None


def attack_text(ids: tuple[str, ...]) -> str:
    """A note's ATT&CK ids grouped by tactic, in the matrix's order: "  ATT&CK Initial Access
    T1078.002 · Impact T1486" (an id of several tactics under each)."""
    if not ids:
        return ""
    groups = [f"{attack.TACTIC_LABELS.get(tactic, 'not in the catalogue')} {' '.join(members)}"
              for tactic, members in attack.by_tactic(ids)]
    return "  ATT&CK " + " · ".join(groups)


class TimelineModel(QAbstractTableModel):
    """Oldest first. ``entry_at(row)`` fetches the window holding ``row`` if it is not kept."""

    def __init__(self, reader: CaseFile | None, timeline_filter: TimelineFilter | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._reader = reader
        self._filter = timeline_filter or TimelineFilter()
        self._pages: OrderedDict[int, list[Entry | None]] = OrderedDict()
        self._names: dict[str, str] = {}  # contact id → name, evidence id → label
        self._total = 0
        self._load()

    @property
    def timeline_filter(self) -> TimelineFilter:
        return self._filter

    @property
    def total(self) -> int:
        return self._total

    def _load(self, total: int | None = None) -> None:
        self._pages.clear()
        self._names = {}
        if self._reader is None:
            self._total = 0
            return
        self._total = total if total is not None else self._reader.timeline.count(self._filter)

    def set_filter(self, timeline_filter: TimelineFilter) -> None:
        self._filter = timeline_filter
        self.reload()

    def reload(self) -> None:
        """Count again and forget every window (after a change or a filter)."""
        self.beginResetModel()
        self._load()
        self.endResetModel()

    def clear(self) -> None:
        """Forget every entry (the case is being locked)."""
        self.beginResetModel()
        self._reader = None
        self._load()
        self.endResetModel()

    def attach(self, reader: CaseFile, total: int | None = None) -> None:
        """Read ``reader`` from now on; ``total``: its count for this filter, counted already."""
        self._reader = reader
        self.beginResetModel()
        self._load(total)
        self.endResetModel()

    # ------------------------------------------------------------ windows
    def _window(self, page: int) -> list[Entry | None]:
        kept = self._pages.get(page)
        if kept is not None:
            self._pages.move_to_end(page)
            return kept
        if self._reader is None:
            return []
        timeline = self._reader.timeline
        keys = timeline.keys(self._filter, offset=page * PAGE, limit=PAGE, total=self._total)
        found: dict[EntryKey, Entry] = {e.key: e for e in timeline.entries(keys)}
        window: list[Entry | None] = [found.get(key) for key in keys]  # None: not vouched for
        self._pages[page] = window
        while len(self._pages) > KEPT_PAGES:
            self._pages.popitem(last=False)
        return window

    def entry_at(self, row: int) -> Entry | None:
        if not 0 <= row < self._total:
            return None
        window = self._window(row // PAGE)
        offset = row % PAGE
        return window[offset] if offset < len(window) else None

    def row_at(self, moment: Any) -> int:
        """The row of the first entry at or after ``moment`` (the last row if none is)."""
        if self._reader is None or not self._total:
            return -1
        return min(self._reader.timeline.row_at(self._filter, moment), self._total - 1)

    def row_of(self, kind: EntryKind, record_id: str, step: str = "") -> int:
        """The row of a record's entry among the kept windows, or -1."""
        for page, window in self._pages.items():
            for offset, entry in enumerate(window):
                if (entry is not None and entry.kind is kind and entry.record.id == record_id
                        and (not step or entry.step == step)):
                    return page * PAGE + offset
        return -1

    def _name(self, cls: type[Contact] | type[Evidence], record_id: str) -> str:
        if not self._names and self._reader is not None:
            self._names = {c.id: c.name for c in self._reader.records.all(Contact, include_deleted=True)}
            self._names.update({e.id: e.label for e in self._reader.records.all(Evidence, include_deleted=True)})
        return self._names.get(record_id, "")

    # ------------------------------------------------------------ text of an entry
    @staticmethod
    def kind_text(entry: Entry) -> str:
        """"Gap: Access", "Note · Containment…", "Key time"… (the mark beside it shows the shape)."""
        record = entry.record
        if isinstance(record, Note):
            if record.gap is not None:
                return f"Gap: {record.gap.label} · {SHORT_PHASES[record.phase]}"
            return f"Note · {SHORT_PHASES[record.phase]}"
        return _KIND_NAMES[entry.kind]

    @staticmethod
    def glyph(entry: Entry) -> str:
        return GAP_GLYPH if is_gap(entry) else GLYPHS[entry.kind]

    def what_text(self, entry: Entry) -> str:
        record = entry.record
        if isinstance(record, Note):
            tags = "  " + " ".join(f"#{t}" for t in record.tags) if record.tags else ""
            return first_line(record.body) + tags + attack_text(record.attack)
        if isinstance(record, Case):
            return f"{KEY_TIME_LABELS.get(entry.step, entry.step)} (key time of the case)"
        if isinstance(record, Engagement):
            who = self._name(Contact, record.contact_id) or "a contact"
            return f"{who} {ENGAGEMENT_LABELS.get(entry.step, entry.step)}: {record.purpose}"
        if isinstance(record, Evidence):
            return f"{EVIDENCE_LABELS.get(entry.step, entry.step)}: {record.label}"
        if isinstance(record, CustodyEvent):
            item = self._name(Evidence, record.evidence_id) or "evidence"
            to = f" → {record.to_whom}" if record.to_whom else ""
            return f"{item} {record.action.value} by {record.by_whom}{to}"
        if isinstance(record, Indicator):
            return f"First seen: {record.kind.value} {record.value}"
        return ""

    def by_text(self, entry: Entry) -> str:
        record = entry.record
        if isinstance(record, CustodyEvent):
            return record.by_whom or record.author
        return record.author

    def describe(self, entry: Entry) -> str:
        """One sentence a screen reader says for the row."""
        written = f", written {shown(entry.written)}" if written_differs(entry) else ""
        return f"{self.kind_text(entry)} at {shown(entry.at)}{written}: {self.what_text(entry)}"

    # ------------------------------------------------------------ Qt model interface
    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == WRITTEN:
                return ("When it was written into the case, shown where it is more than five minutes "
                        "from when it occurred: clocks on a compromised network are suspect")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._total:
            return None
        entry = self.entry_at(index.row())
        column = index.column()
        if entry is None:
            if role == Qt.ItemDataRole.DisplayRole and column == WHAT:
                return "(left out: the audit chain does not vouch for this record)"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == OCCURRED:
                return shown(entry.at)
            if column == KIND:
                return self.kind_text(entry)
            if column == WHAT:
                return self.what_text(entry)
            if column == WRITTEN:
                return shown(entry.written) if written_differs(entry) else ""
            if column == BY:
                return self.by_text(entry)
        elif role == Qt.ItemDataRole.DecorationRole and column == KIND:
            return mark_icon(entry.kind, is_gap(entry))
        elif role == Qt.ItemDataRole.ForegroundRole:
            if column == KIND and is_gap(entry):
                return QColor(GAP_COLOUR)
        elif role == Qt.ItemDataRole.ToolTipRole:
            if column == WRITTEN and written_differs(entry) and entry.written is not None:
                late = entry.written.utc - entry.at.utc
                return f"Written {_span(late)} {'after' if late.total_seconds() >= 0 else 'before'} it occurred"
            if column == WHAT and isinstance(entry.record, Note):
                return entry.record.body[:600]
        elif role == Qt.ItemDataRole.AccessibleTextRole:
            return self.describe(entry)
        elif role == ENTRY_ROLE:
            return entry
        return None


SHORT_PHASES = {Phase.PREPARATION: "Preparation", Phase.DETECTION: "Detection",
                Phase.CONTAINMENT: "Containment", Phase.POST_INCIDENT: "Post-incident"}
_KIND_NAMES = {EntryKind.NOTE: "Note", EntryKind.KEY_TIME: "Key time", EntryKind.ENGAGEMENT: "Engagement",
               EntryKind.EVIDENCE: "Evidence", EntryKind.CUSTODY: "Custody", EntryKind.INDICATOR: "Indicator"}


def _span(delta: timedelta) -> str:
    seconds = abs(int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days} d"] if days else []
    if hours:
        parts.append(f"{hours} h")
    if minutes and not days:
        parts.append(f"{minutes} min")
    return " ".join(parts) or "under a minute"
