"""The indicators table: add, edit, delete, jump to the note one came from, and extract more
from the notes after a preview."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton, QVBoxLayout, QWidget

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import RecordKind
from irdesk.domain.indicators import Candidate
from irdesk.domain.records import Indicator, Note
from irdesk.ui.deletion import confirm_delete, delete_action
from irdesk.ui.forms import show_status
from irdesk.ui.indicators.dialogs import ExtractDialog, IndicatorDialog
from irdesk.ui.jobs import Job
from irdesk.ui.moments import shown
from irdesk.ui.notes.model import first_line
from irdesk.ui.records_model import Column, RecordTableModel
from irdesk.ui.session import CaseSession
from irdesk.ui.tables import current_record, filtered_table, select_record, table_pane


class IndicatorsPanel(QWidget):
    open_note = Signal(object)  # the Note an indicator came from

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._notes: dict[str, Note] = {}
        self._wanted = ""  # the row to select once it is shown (a record just saved)
        self.note_source: Callable[[], Note | None] = lambda: None  # the note being read, if any
        self.model: RecordTableModel[Indicator] = RecordTableModel([
            Column("Kind", lambda i: i.kind.value),
            Column("Value", lambda i: i.value),
            Column("First seen", lambda i: shown(i.first_seen), lambda i: i.first_seen.utc if i.first_seen else None),
            Column("From note", self._note_text),
            Column("ATT&CK", lambda i: ", ".join(i.attack)),
            Column("Description", lambda i: i.description),
        ], self)
        self.proxy, self.table, self.filter = filtered_table(self.model, "Indicators", "indicators", self)
        self.table.activated.connect(lambda _index: self.go_to_note())  # Enter or double-click
        delete_action(self.table, "indicator", self.delete_selected)
        edit = QAction("Edit indicator…", self.table)
        edit.setShortcut(QKeySequence("F2"))
        edit.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        edit.triggered.connect(lambda _=False: self.edit_selected())
        self.table.addAction(edit)

        def button(text: str, slot: Any, tip: str) -> QPushButton:
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(lambda _=False: slot())
            return b

        self.add_button = button("&Add…", self.add_indicator, "Record an indicator by hand")
        self.edit_button = button("&Edit…", self.edit_selected, "Change the selected indicator (F2)")
        self.delete_button = button("&Delete…", self.delete_selected, "Delete the selected indicator (Delete)")
        self.note_button = button("&Go to note", self.go_to_note, "Open the note the indicator came from (Enter)")
        self.extract_button = button("E&xtract from notes…", self.extract,
                                     "Find addresses, domains, URLs and hashes in the notes; you choose what is added")
        pane, self.empty = table_pane(
            [self.add_button, self.edit_button, self.delete_button, self.note_button, self.extract_button],
            self.filter,
            "No indicators yet. Add one, or let “Extract from notes…” find addresses, URLs and hashes "
            "in what you wrote.",
            self.table,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(pane)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._enable())
        session.changed.connect(self._changed)
        self.reload()

    def focus_target(self) -> QWidget:
        return self.table

    def _note_text(self, indicator: Indicator) -> str:
        note = self._notes.get(indicator.source_note_id or "")
        if note is None:
            return ""
        return ("[deleted] " if note.deleted else "") + first_line(note.body, 60)

    def _changed(self, changes: Changes) -> None:
        # a note saved while typing matters only if an indicator came from it
        notes = changes.ids(RecordKind.NOTE)
        if changes.touches(RecordKind.INDICATOR) or notes & set(self._notes) or (
                changes.touches(RecordKind.NOTE) and not notes):
            self.reload()

    def reload(self) -> None:
        chosen = self.selected()
        wanted = self._wanted or (chosen.id if chosen else "")
        records = self.session.reader.records.all(Indicator)
        ids = [i.source_note_id for i in records if i.source_note_id]
        self._notes = self.session.reader.records.find_many(Note, ids) if ids else {}
        self.model.set_records(records)
        self.empty.setVisible(not records)
        if wanted and select_record(self.table, self.model, wanted):
            self._wanted = ""
        self._enable()

    def selected(self) -> Indicator | None:
        record = current_record(self.table)
        return record if isinstance(record, Indicator) else None

    def select(self, indicator_id: str) -> None:
        """Select a record's row (now, or when the change notice that brings it has arrived)."""
        self._wanted = "" if select_record(self.table, self.model, indicator_id) else indicator_id
        self._enable()

    def _enable(self) -> None:
        chosen = self.selected()
        for b in (self.edit_button, self.delete_button):
            b.setEnabled(chosen is not None)
        self.note_button.setEnabled(chosen is not None and chosen.source_note_id in self._notes)

    # ------------------------------------------------------------ acts
    def add_indicator(self) -> IndicatorDialog:
        note = self.note_source()
        dialog = IndicatorDialog(parent=self, note=note if note is not None and not note.deleted else None)

        def save() -> None:
            kind, value, text = dialog.chosen_kind(), dialog.value.text(), dialog.description.text()
            source, techniques = dialog.source_note_id(), dialog.techniques()
            self.session.write(lambda c: ops.add_indicator(c, kind, value, description=text, source_note_id=source,
                                                           attack=techniques),
                               on_done=lambda i: self.select(i.id), on_error=self._refused, owner=self)

        self._open(dialog, save)
        return dialog

    def edit_selected(self) -> IndicatorDialog | None:
        chosen = self.selected()
        if chosen is None:
            return None
        dialog = IndicatorDialog(chosen, parent=self)

        def save() -> None:
            changes = {"kind": dialog.chosen_kind(), "value": dialog.value.text(),
                       "description": dialog.description.text(), "attack": dialog.techniques()}
            self.session.write(lambda c: ops.edit_indicator(c, chosen.id, **changes),
                               on_done=lambda i: self.select(i.id), on_error=self._refused, owner=self)

        self._open(dialog, save)
        return dialog

    def delete_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or not confirm_delete(self, "indicator", chosen.value):
            return
        self.session.write(lambda c: ops.delete(c, Indicator, chosen.id), owner=self)

    def go_to_note(self) -> None:
        chosen = self.selected()
        note = self._notes.get(chosen.source_note_id or "") if chosen else None
        if note is None:
            show_status(self, "This indicator was not found in a note.", 6000)
        elif note.deleted:
            show_status(self, "The note it came from is deleted (see Notes ▸ Deleted items).", 8000)
        else:
            self.open_note.emit(note)

    def extract(self) -> None:
        """Look for candidates off the GUI thread, then show them; add only what is ticked."""
        self.extract_button.setEnabled(False)

        def look(reader: CaseFile, _job: Job) -> list[tuple[Candidate, Note]]:
            return ops.indicator_candidates(reader)

        self.session.read(look, on_done=self._preview, on_error=self._refused, owner=self)

    def _preview(self, found: list[tuple[Candidate, Note]]) -> None:
        self.extract_button.setEnabled(True)
        if not found:
            QMessageBox.information(self, "Extract from notes",
                                    "The notes hold no address, domain, URL or hash that is not recorded already.")
            return
        self.extract_dialog = ExtractDialog(found, self)
        self.extract_dialog.finished.connect(self._extracted)
        self._open(self.extract_dialog)

    def _open(self, dialog: QDialog, on_accepted: Any = None) -> None:
        """Window-modal; gone when closed, and closed with the case (locking leaves no text)."""
        if on_accepted is not None:
            dialog.accepted.connect(on_accepted)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.session.closing.connect(dialog.reject)
        dialog.open()

    def _extracted(self, result: int) -> None:
        chosen = self.extract_dialog.chosen() if result == QDialog.DialogCode.Accepted else []
        if chosen:
            self.session.write(lambda c: ops.add_found_indicators(c, chosen), owner=self,
                               on_done=lambda added: show_status(self, f"Added {len(added)} indicator(s)."),
                               on_error=self._refused)

    def _refused(self, message: str) -> None:
        self.extract_button.setEnabled(True)
        QMessageBox.warning(self, "Indicators", message)
