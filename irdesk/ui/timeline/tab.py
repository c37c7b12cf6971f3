"""The Timeline tab (Ctrl+7): filters, the overview strip and the list of every dated entry.

Up/Down walk the entries (Home/End: the first and the last), Enter opens the one selected
in its own tab; Ctrl+Up/Down moves the keyboard between the strip and the list. The list
reads windows of entries from SQL (``TimelineModel``), so it opens as fast on 100,000 notes
as on ten. It reads nothing until first shown, and reloads when a change touches what it
shows, or when it is next shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile.changes import Changes
from irdesk.casefile.store import CaseFile
from irdesk.casefile.timeline import ALL_KINDS, Entry, EntryKind, TimelineFilter
from irdesk.domain import attack
from irdesk.domain.enums import Gap, Phase, RecordKind
from irdesk.domain.records import Indicator, Note
from irdesk.ui.elided_label import ElidedLabel
from irdesk.ui.jobs import Job
from irdesk.ui.moments import shown
from irdesk.ui.session import CaseSession
from irdesk.ui.timeline.axis import DEFAULT_ZOOM, ZOOMS, Counts, TimelineAxis
from irdesk.ui.timeline.marks import GAP_GLYPH, GLYPHS
from irdesk.ui.timeline.model import BY, KIND, OCCURRED, WHAT, WRITTEN, TimelineModel, written_differs

SHOWN_KINDS = (RecordKind.NOTE, RecordKind.CASE, RecordKind.ENGAGEMENT, RecordKind.EVIDENCE,
               RecordKind.CUSTODY, RecordKind.INDICATOR, RecordKind.CONTACT)
GAPS_ONLY = "any"
TACTIC_PREFIX = "ATT&CK tactic: "  # in the tag box: the notes tagged with any technique of that tactic


def tag_or_attack(text: str) -> dict[str, Any]:
    """What the tag box asks for: a tag (``#edr`` or ``edr``), an ATT&CK technique id with its
    sub-techniques (``T1078``), or every technique of a tactic (``ATT&CK tactic: Impact``)."""
    text = text.strip()
    if text.startswith(TACTIC_PREFIX):
        return {"attack": attack.of_tactic(text.removeprefix(TACTIC_PREFIX)) or ("",)}
    if attack.ID_PATTERN.fullmatch(attack.normalise(text)):
        return {"attack": attack.with_subtechniques(text)}
    return {"tag": text.lstrip("#")}


def attack_text(ids: tuple[str, ...]) -> str:
    """The tag box's text for an ATT&CK filter (``tag_or_attack`` read backwards)."""
    for _key, label in attack.TACTICS:
        if ids and ids == attack.of_tactic(label):
            return TACTIC_PREFIX + label
    return ids[0] if ids else ""
LEGEND = "   ".join((
    f"{GLYPHS[EntryKind.NOTE]} note", f"{GAP_GLYPH} gap", f"{GLYPHS[EntryKind.KEY_TIME]} key time",
    f"{GLYPHS[EntryKind.ENGAGEMENT]} engagement step", f"{GLYPHS[EntryKind.EVIDENCE]} evidence requested or arrived",
    f"{GLYPHS[EntryKind.CUSTODY]} custody event", f"{GLYPHS[EntryKind.INDICATOR]} indicator first seen"))


class EntryTable(QTableView):
    """The list: Enter opens the entry selected (Qt's ``activated`` is not sent on every platform)."""

    open_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class TimelineTab(QWidget):
    open_entry = Signal(object)  # the Entry chosen (Enter or a double click)

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._stale = False
        self._started = False  # nothing is read until the tab is first shown…
        self._precount: int | None = None  # …but the entries are counted after the window opens
        self._precount_asked = 0
        self.model = TimelineModel(None, parent=self)
        self.model.modelReset.connect(self._show_total)

        self.kinds_button = QToolButton()
        self.kinds_button.setText("Show: everything")
        self.kinds_button.setAccessibleName("Kinds of record shown")
        self.kinds_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        kinds_menu = QMenu(self.kinds_button)
        self.kind_actions: dict[EntryKind, QAction] = {}
        for kind in EntryKind:
            action = kinds_menu.addAction(f"{GLYPHS[kind]}  {kind.label}")
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(self._filter_changed)
            self.kind_actions[kind] = action
        self.kinds_button.setMenu(kinds_menu)
        widest = self.fontMetrics().horizontalAdvance("Show: everything")  # room for the menu arrow
        self.kinds_button.setMinimumWidth(widest + 30)

        self.phase = QComboBox()
        self.phase.setAccessibleName("Phase filter")
        self.phase.addItem("All phases", None)
        for phase in Phase:
            self.phase.addItem(phase.label, phase.value)
        self.gap = QComboBox()
        self.gap.setAccessibleName("Gap filter")
        self.gap.addItem("Gaps or not", None)
        self.gap.addItem(f"{GAP_GLYPH} Gaps only", GAPS_ONLY)
        for gap in Gap:
            self.gap.addItem(f"{GAP_GLYPH} {gap.label}", gap.value)
        self.tag = QComboBox()
        self.tag.setEditable(True)
        self.tag.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.tag.setAccessibleName("Tag filter")
        edit = self.tag.lineEdit()
        assert edit is not None
        self.tag_edit: QLineEdit = edit
        self.tag_edit.setPlaceholderText("Any tag")
        self.tag.setMinimumContentsLength(10)
        self.tag.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        completer = QCompleter(self.tag.model(), self.tag)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.tag.setCompleter(completer)
        self._tags_loaded = False
        self.indicator = QComboBox()
        self.indicator.setAccessibleName("Indicator filter")
        self.indicator.setMinimumContentsLength(14)
        self.indicator.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.indicator.setToolTip("Notes that mention the indicator or that it came from, and when it was first seen")
        self._fill_indicators()
        self.zoom = QComboBox()
        self.zoom.setAccessibleName("Zoom: time per bar")
        for zoom in ZOOMS:
            self.zoom.addItem(f"{zoom.label} per bar")
        self.zoom.setCurrentIndex(DEFAULT_ZOOM)
        self.total = ElidedLabel()
        self.total.setAccessibleName("Entries shown")
        self.total.setToolTip(LEGEND)

        self.axis = TimelineAxis(self._count)
        self.zoom.currentIndexChanged.connect(self.axis.set_zoom)
        self.axis.zoom_changed.connect(self._zoom_changed)
        self.axis.jump_requested.connect(self.go_to_time)

        self.table = EntryTable()
        self.table.setAccessibleName("Timeline entries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never measures 100k rows
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        metrics = self.fontMetrics()
        stamp = metrics.horizontalAdvance("2026-12-31 23:59") + 20
        self.table.setColumnWidth(OCCURRED, stamp)
        self.table.setColumnWidth(KIND, metrics.horizontalAdvance("Gap: Authorization · Post-incident") + 36)
        self.table.setColumnWidth(WRITTEN, stamp)
        self.table.setColumnWidth(BY, metrics.horizontalAdvance("Responder name") + 16)
        self.table.doubleClicked.connect(self._open_index)
        self.table.open_requested.connect(self._open_index)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.installEventFilter(self)
        self.axis.installEventFilter(self)

        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setAccessibleName("Selected entry")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setMaximumHeight(metrics.height() * 3 + 8)

        for combo in (self.phase, self.gap):
            combo.setMinimumContentsLength(12)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        filters = QHBoxLayout()
        filters.addWidget(self.kinds_button)
        filters.addWidget(self.phase, 1)
        filters.addWidget(self.gap, 1)
        filters.addWidget(self.tag, 1)
        filters.addWidget(self.indicator, 1)
        strip = QHBoxLayout()
        strip.addWidget(self.total, 1)
        strip.addWidget(self.zoom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(filters)
        layout.addLayout(strip)
        layout.addWidget(self.axis)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        for combo in (self.phase, self.gap, self.indicator):
            combo.currentIndexChanged.connect(self._filter_changed)
        self.tag_edit.editingFinished.connect(self._filter_changed)
        self.tag_edit.textEdited.connect(self._first_tag_keystroke)
        self.tag.activated.connect(self._filter_changed)
        self.tag_edit.installEventFilter(self)
        session.changed.connect(self._changed)
        self._show_total()
        QTimer.singleShot(0, self, self._count_ahead)

    # ------------------------------------------------------------ filter
    def current_filter(self) -> TimelineFilter:
        kinds = frozenset(kind for kind, action in self.kind_actions.items() if action.isChecked())
        gap_value = self.gap.currentData()
        indicator = self.indicator.currentData()
        return TimelineFilter(
            kinds=kinds,
            phase=Phase(self.phase.currentData()) if self.phase.currentData() else None,
            gap=Gap(gap_value) if gap_value not in (None, GAPS_ONLY) else None,
            gaps_only=gap_value == GAPS_ONLY,
            **tag_or_attack(self.tag.currentText()),
            indicator_id=str(indicator) if indicator else "",
        )

    def set_filter(self, timeline_filter: TimelineFilter) -> None:
        """Show what ``timeline_filter`` asks for (the controls follow)."""
        for widget in (self.phase, self.gap, self.indicator, self.tag, *self.kind_actions.values()):
            widget.blockSignals(True)
        for kind, action in self.kind_actions.items():
            action.setChecked(kind in timeline_filter.kinds)
        phase = timeline_filter.phase.value if timeline_filter.phase else None
        self.phase.setCurrentIndex(max(0, self.phase.findData(phase)))
        gap = GAPS_ONLY if timeline_filter.gaps_only else (timeline_filter.gap.value if timeline_filter.gap else None)
        self.gap.setCurrentIndex(max(0, self.gap.findData(gap)))
        self.tag.setEditText(timeline_filter.tag or attack_text(timeline_filter.attack))
        self.indicator.setCurrentIndex(max(0, self.indicator.findData(timeline_filter.indicator_id or None)))
        for widget in (self.phase, self.gap, self.indicator, self.tag, *self.kind_actions.values()):
            widget.blockSignals(False)
        self._filter_changed()

    def _filter_changed(self, *_: object) -> None:
        new = self.current_filter()
        kinds = new.kinds
        self.kinds_button.setText("Show: everything" if kinds == ALL_KINDS else
                                  f"Show: {len(kinds)} of {len(ALL_KINDS)} kinds")
        if new == self.model.timeline_filter:
            return
        self._precount = None  # counted for the filter before
        self._precount_asked += 1
        at = self.current_time()
        self.model.set_filter(new)
        self.axis.refresh()
        if at is not None:
            self.go_to_time(at)
        else:
            self.go_to_end()

    def _fill_indicators(self) -> None:
        chosen = self.indicator.currentData()
        self.indicator.blockSignals(True)
        self.indicator.clear()
        self.indicator.addItem("Any indicator", None)
        for indicator in self.session.reader.records.all(Indicator):
            self.indicator.addItem(f"{indicator.kind.value}: {indicator.value}", indicator.id)
        self.indicator.setCurrentIndex(max(0, self.indicator.findData(chosen)))
        self.indicator.blockSignals(False)

    def _first_tag_keystroke(self, _text: str) -> None:
        if not self._tags_loaded:
            self._fill_tags()

    def _fill_tags(self) -> None:
        """The case's tags for the completer: read when first needed, off the GUI thread (a scan
        of every note)."""
        self._tags_loaded = True
        if self.session.closed:
            return

        def read(reader: CaseFile, _job: Job) -> list[str]:
            return reader.timeline.tags()

        self.session.read(read, on_done=self._show_tags, owner=self)

    def _show_tags(self, tags: list[str]) -> None:
        text, cursor = self.tag.currentText(), self.tag_edit.cursorPosition()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItems(tags)
        self.tag.addItems([f"{TACTIC_PREFIX}{label}" for _, label in attack.TACTICS])  # ATT&CK, by tactic
        self.tag.setEditText(text)
        self.tag_edit.setCursorPosition(cursor)
        self.tag.blockSignals(False)
        completer = self.tag.completer()
        if completer is not None and text:
            completer.setCompletionPrefix(text)  # what was typed while the tags were read

    # ------------------------------------------------------------ moving
    def current_entry(self) -> Entry | None:
        index = self.table.currentIndex()
        return self.model.entry_at(index.row()) if index.isValid() else None

    def current_time(self) -> datetime | None:
        entry = self.current_entry()
        return entry.at.utc if entry is not None else None

    def select_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            self._current_changed(QModelIndex())
            return
        index = self.model.index(row, OCCURRED)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def go_to_time(self, at: datetime) -> None:
        """Select the first entry at or after ``at`` (the strip's interval, a filter change)."""
        self.select_row(self.model.row_at(at))

    def go_to_end(self) -> None:
        """The latest entry: mid-incident, what just happened matters most."""
        self.select_row(self.model.rowCount() - 1)

    def select_entry(self, kind: EntryKind, record_id: str, step: str = "") -> bool:
        row = self.model.row_of(kind, record_id, step)
        if row >= 0:
            self.select_row(row)
        return row >= 0

    def _count(self, edges: Sequence[datetime], deliver: Callable[[Counts], None]) -> None:
        """The strip's counts, on a pool thread (gap notes are read where they are stored)."""
        if self.session.closed:
            return
        timeline_filter = self.model.timeline_filter
        self.session.count(lambda reader: reader.timeline.counts(timeline_filter, edges), deliver, owner=self)

    def _zoom_changed(self, index: int) -> None:
        self.zoom.blockSignals(True)
        self.zoom.setCurrentIndex(index)
        self.zoom.blockSignals(False)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        entry = self.model.entry_at(current.row()) if current.isValid() else None
        last = current.row() >= self.model.rowCount() - 2
        anchor = 0.85 if last else 0.15 if current.row() <= 1 else 0.5
        self.axis.set_position(entry.at.utc if entry is not None else None, anchor)
        self.details.setText(self._details(entry) if entry is not None else "")

    def _details(self, entry: Entry) -> str:
        parts = [f"Occurred {shown(entry.at)} (entered as {entry.at.display()})"]
        if entry.written is not None:
            late = " — the clocks differ, or it was written up later" if written_differs(entry) else ""
            parts.append(f"written {shown(entry.written)}{late}")
        parts.append(f"by {self.model.by_text(entry)}")
        line = " · ".join(parts)
        record = entry.record
        if isinstance(record, Note):
            tags = ("   Tags: " + ", ".join(record.tags)) if record.tags else ""
            body = " ".join(record.body.split())
            return f"{line}{tags}\n{body[:400]}"
        return f"{line}\n{self.model.what_text(entry)}"

    def _open_index(self, index: QModelIndex) -> None:
        entry = self.model.entry_at(index.row())
        if entry is not None:
            self.open_entry.emit(entry)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FocusIn and watched is self.tag_edit and not self._tags_loaded:
            self._fill_tags()
        if event.type() == QEvent.Type.KeyPress and watched in (self.table, self.axis):
            assert isinstance(event, QKeyEvent)
            ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if ctrl and event.key() == Qt.Key.Key_Up and watched is self.table:
                self.axis.setFocus()
                return True
            if ctrl and event.key() == Qt.Key.Key_Down and watched is self.axis:
                self.table.setFocus()
                return True
            if watched is self.table and event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus):
                self.axis.keyPressEvent(event)
                return True
        return False

    def focus_target(self) -> QWidget:
        return self.table

    # ------------------------------------------------------------ refreshing
    def _count_ahead(self) -> None:
        """Count the entries on a pool thread while nobody looks, so Ctrl+7 only reads a window."""
        if self._started or self.session.closed:
            return
        self._precount_asked += 1
        asked, timeline_filter = self._precount_asked, self.model.timeline_filter

        def counted(total: int) -> None:
            if asked == self._precount_asked:  # no change came in since it was asked
                self._precount = total

        self.session.count(lambda reader: reader.timeline.count(timeline_filter), counted, owner=self)

    def _changed(self, changes: Changes) -> None:
        if not self._started:
            if changes.touches(*SHOWN_KINDS):
                self._precount = None
                self._precount_asked += 1  # a count under way may predate this change
            return
        if not changes.touches(*SHOWN_KINDS):
            return
        if changes.touches(RecordKind.INDICATOR):
            self._fill_indicators()
        if changes.touches(RecordKind.NOTE):
            self._tags_loaded = False
        if self.isVisible():
            self.reload()
        else:
            self._stale = True  # typing in a phase tab must not pay for a timeline nobody sees

    def reload(self) -> None:
        """Count and read again, staying at the entry selected (or its time)."""
        self._stale = False
        entry = self.current_entry()
        self.model.reload()
        self.axis.refresh()
        if entry is None:
            self.go_to_end()
            return
        self.go_to_time(entry.at.utc)
        self.select_entry(entry.kind, entry.record.id, entry.step)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._keep_current_visible)  # once the list has its new size

    def _keep_current_visible(self) -> None:
        """The window grew or shrank after the row was shown: keep it in sight."""
        if self.table.currentIndex().isValid():
            self.table.scrollTo(self.table.currentIndex(), QAbstractItemView.ScrollHint.EnsureVisible)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        if not self._started:  # the window opens without paying for a tab nobody looks at
            self._started = True
            self.model.attach(self.session.reader, self._precount)
            self.go_to_end()
        elif self._stale:
            self.reload()
        super().showEvent(event)

    def _show_total(self) -> None:
        total = self.model.total
        what = "1 entry" if total == 1 else f"{total:,} entries"
        filtered = "" if self.model.timeline_filter == TimelineFilter() else " match the filter"
        self.total.setText(f"{what}{filtered}, oldest first · Enter opens one · Ctrl+Up: the strip "
                           "(Left/Right, Enter, + and − zoom)")

    def clear(self) -> None:
        """Drop every entry (the case is being locked)."""
        self.model.clear()
        self.axis.clear()
        self.details.clear()

    def show_note_entry(self, note: Note) -> None:
        self.go_to_time(note.occurred.utc)
        self.select_entry(EntryKind.NOTE, note.id)
