"""Enter on a timeline entry: the record in its own tab, selected (a note opened in its editor)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QStatusBar, QTabWidget

from irdesk.casefile.timeline import Entry
from irdesk.domain.records import Case, CustodyEvent, Engagement, Evidence, Indicator, Note
from irdesk.ui.contacts.panel import ContactsPanel
from irdesk.ui.evidence.panel import EvidencePanel
from irdesk.ui.header import Header
from irdesk.ui.session import CaseSession


class Window(Protocol):
    """What the jump needs of the case window."""

    session: CaseSession
    tabs: QTabWidget
    header: Header
    evidence: EvidencePanel
    contacts: ContactsPanel

    def show_note(self, note: Note) -> None: ...
    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name


def open_entry(window: Window, entry: Entry) -> None:
    """Show the entry's record where it is edited: a note in its phase tab, evidence and
    custody on Evidence, an engagement in its contact's log, key times in their dialog."""
    record = entry.record
    if isinstance(record, Note):
        window.show_note(record)
    elif isinstance(record, Case):
        window.header.edit_times()
    elif isinstance(record, Evidence | CustodyEvent):
        evidence_id = record.id if isinstance(record, Evidence) else record.evidence_id
        window.tabs.setCurrentWidget(window.evidence)
        window.evidence.select(evidence_id)
        window.evidence.focus_target().setFocus()
    elif isinstance(record, Engagement):
        window.tabs.setCurrentWidget(window.contacts)
        window.contacts.select(record.contact_id)
        window.contacts.log.select(record.id)
        window.contacts.log.table.setFocus()
    elif isinstance(record, Indicator):
        source = window.session.reader.records.find(Note, record.source_note_id or "")
        if source is not None and not source.deleted:
            window.show_note(source)
        window.statusBar().showMessage(
            f"Indicator {record.kind.value} {record.value}, first seen {entry.at.display()}"
            + (": the note it came from is open." if source is not None and not source.deleted else "."), 8000)
