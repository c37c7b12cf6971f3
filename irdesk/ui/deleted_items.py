"""Deleted items: every record a responder deleted (a tombstone keeps it), and a way back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes
from irdesk.casefile.store import CaseFile
from irdesk.domain.labels import record_label
from irdesk.domain.records import Record
from irdesk.ui.jobs import Job
from irdesk.ui.moments import shown
from irdesk.ui.records_model import Column, RecordTableModel
from irdesk.ui.session import CaseSession
from irdesk.ui.tables import current_record, filtered_table, table_pane

KIND_NAMES = {"note": "Note", "evidence": "Evidence", "contact": "Contact", "engagement": "Engagement",
              "action": "Action item", "indicator": "Indicator", "checklist": "Checklist item",
              "notification": "Notification"}


def _what(record: Record) -> str:
    return record_label(record, 80).removeprefix("[deleted] ")


class DeletedItemsDialog(QDialog):
    """The deleted records, latest first; Restore brings the selected one back as it was."""

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Deleted items")
        self.resize(760, 420)
        self.model: RecordTableModel[Record] = RecordTableModel([
            Column("Kind", lambda r: KIND_NAMES.get(r.KIND, str(r.KIND))),
            Column("What", _what),
            Column("Deleted", lambda r: shown(r.updated), lambda r: r.updated.utc),
            Column("By", lambda r: r.author),
        ], self)
        self.proxy, self.table, self.filter = filtered_table(self.model, "Deleted items", "deleted items", self)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # the latest deleted first
        self.table.activated.connect(lambda _index: self.restore())
        self.restore_button = QPushButton("&Restore")
        self.restore_button.setToolTip("Bring the selected item back as it was (Enter); the deletion stays "
                                       "in the history")
        self.restore_button.clicked.connect(lambda: self.restore())
        pane, self.empty = table_pane([self.restore_button], self.filter,
                                      "Nothing has been deleted from this case.", self.table)
        self.state = QLabel()
        self.state.setAccessibleName("Restore state")
        self.state.setWordWrap(True)
        self.state.hide()  # until a restore has something to say
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Deleted records stay in the case, marked deleted. Restoring one is "
                                "recorded in the audit chain like any change."))
        layout.addWidget(pane, 1)
        layout.addWidget(self.state)
        layout.addWidget(buttons)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._enable())
        session.changed.connect(self._changed)
        session.closing.connect(lambda: self.model.set_records([]))  # locking: no record stays behind
        self.loaded = False
        self.reload()

    def _changed(self, _changes: Changes) -> None:
        self.reload()

    def reload(self) -> None:
        """Look the tombstones up off the GUI thread (a big case may hold many)."""

        def look(reader: CaseFile, _job: Job) -> list[Record]:
            return ops.deleted_items(reader)

        self.session.read(look, on_done=self._show, owner=self)

    def _show(self, records: list[Record]) -> None:
        self.model.set_records(records)
        self.empty.setVisible(not records)
        self.loaded = True
        if records and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self.table.setFocus()  # arrows pick, Enter restores, Esc closes
        self._enable()

    def _enable(self) -> None:
        self.restore_button.setEnabled(current_record(self.table) is not None and not self.session.damage)

    def restore(self) -> None:
        record = current_record(self.table)
        if record is None or self.session.damage:
            return
        cls, record_id = type(record), record.id
        self.restore_button.setEnabled(False)
        self.session.write(lambda c: ops.restore_deleted(c, cls, record_id), owner=self,
                           on_done=self._restored, on_error=self._refused)

    def _restored(self, record: Record) -> None:
        self.state.show()
        self.state.setText(f"Restored the {KIND_NAMES.get(record.KIND, record.KIND).lower()} “{_what(record)}”.")

    def _refused(self, message: str) -> None:
        self.state.show()
        self.state.setText(message)
        self._enable()
