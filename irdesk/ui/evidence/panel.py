"""The evidence tab: the checklist table, one item's details and its chain of custody."""

from __future__ import annotations

import os
from datetime import timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes, Done
from irdesk.casefile.store import ATTACHMENT_LIMIT, CaseFile
from irdesk.domain.enums import EvidenceKind, EvidenceStatus, RecordKind
from irdesk.domain.moment import format_duration
from irdesk.domain.records import Contact, Evidence, System
from irdesk.templates import evidence_templates
from irdesk.ui.deletion import confirm_delete, delete_action
from irdesk.ui.drops import FileDrops, plain_files
from irdesk.ui.evidence.hashing import HashDialog
from irdesk.ui.evidence.model import evidence_model
from irdesk.ui.forms import MomentField, scrolling, show_status
from irdesk.ui.moments import shown
from irdesk.ui.record_form import RecordForm
from irdesk.ui.session import CaseSession
from irdesk.ui.tables import (
    current_record,
    filtered_table,
    fit_columns,
    select_record,
    table_pane,
)


class EvidencePanel(QWidget):
    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._contacts: list[Contact] = []
        self._names: dict[str, str] = {}
        self.model = evidence_model(lambda cid: self._names.get(cid, "") if cid else "", self)
        self.proxy, self.table, self.filter = filtered_table(
            self.model, "Evidence checklist", "evidence", self
        )
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        delete_action(self.table, "evidence item", lambda: self.delete_selected())
        add = QPushButton("Add item")
        add.clicked.connect(lambda: self.add_item())
        templates = QPushButton("From template")
        menu = QMenu(templates)
        for template in evidence_templates():
            menu.addAction(template.title, partial(self.add_template, template.key))
        templates.setMenu(menu)
        self.add_file_button = QPushButton("Add file…")
        self.add_file_button.setToolTip("Hash a file (SHA-256) and add it as collected evidence")
        self.add_file_button.clicked.connect(lambda: self.add_file())
        self.embed = QCheckBox(f"Embed up to {ATTACHMENT_LIMIT // (1024 * 1024)} MiB")
        self.embed.setToolTip("Keep a copy of small files inside the case file, encrypted; "
                              "larger ones are kept as their path, size and SHA-256")
        self.embed.setChecked(True)
        self.hash_note = QLabel()  # what became of the last file: said where the user looks
        self.hash_note.setAccessibleName("Hashing result")
        self.hash_note.setStyleSheet("color: gray")
        self.hash_note.hide()

        # details of the selected item: a form that saves itself
        self.label = QLineEdit()
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in EvidenceKind])
        self.status = QComboBox()
        self.status.addItems([s.value for s in EvidenceStatus])
        self.status.currentTextChanged.connect(lambda _text: self._reason_needed())
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why it cannot be had (needed when unavailable)")
        self.source = QLineEdit()
        self.system = QComboBox()
        self.system.setAccessibleName("System")
        self.system_info = QLabel()
        self.system_info.setWordWrap(True)
        self.system_info.setStyleSheet("color: gray")
        self.system_info.setAccessibleName("The system's owner and retention")
        self.system.currentIndexChanged.connect(lambda _i: self._show_system())
        self.new_system = QPushButton("New system…")
        self.new_system.setToolTip("Add a system and its log sources to the case: owner, logs, retention")
        self.new_system.clicked.connect(lambda: self.add_system())
        system_box = QWidget()  # one form row: the choice, New system…, and what it says of the system
        system_rows = QVBoxLayout(system_box)
        system_rows.setContentsMargins(0, 0, 0, 0)
        system_row = QHBoxLayout()
        system_row.addWidget(self.system, 1)
        system_row.addWidget(self.new_system)
        system_rows.addLayout(system_row)
        system_rows.addWidget(self.system_info)
        self._systems: dict[str, System] = {}
        self.requested_from = QComboBox()
        self.requested_at = MomentField("Requested at")
        self.collected_at = MomentField("Arrived at")
        self.holder = QLineEdit()
        self.location = QLineEdit()
        self.hash_label = QLabel()
        self.hash_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hash_label.setWordWrap(True)
        self.hash_label.setStyleSheet("font-family: monospace")
        self.save_button = QPushButton("Save changes")
        self.save_button.setToolTip("Also saved when you press Enter, pick another item or leave the tab")
        self.save_button.clicked.connect(self.save_selected)
        self.export_button = QPushButton("Save embedded file to a folder…")
        self.export_button.setToolTip("Writes a copy inside the folder you choose; never overwrites a file")
        self.export_button.clicked.connect(lambda: self.export_attachment())
        self.custody = QListWidget()
        self.custody.setAccessibleName("Chain of custody")
        self.custody.setMinimumHeight(90)
        self.custody_add = QPushButton("Add custody event…")
        self.custody_add.clicked.connect(lambda: self.add_custody())
        self.form = RecordForm(
            session,
            values_of=self._values_of,
            form_values=self._form_values,
            fill=self._fill,
            write=lambda case, item_id, changes: ops.edit_evidence(case, item_id, **changes),
            select=lambda item_id: self.select(item_id),
            describe=lambda e: f"The evidence item “{e.label}”",
            parent=self,
        )
        for name, field, widget in (
            ("Label", "label", self.label),
            ("Kind", "kind", self.kind),
            ("Status", "status", self.status),
            ("Reason", "unavailable_reason", self.reason),
            ("Source system", "source_system", self.source),
            ("System", "system_id", system_box),
            ("Requested from", "requested_from", self.requested_from),
            ("Requested at", "requested_at", self.requested_at),
            ("Arrived at", "collected_at", self.collected_at),
            ("Holder", "holder", self.holder),
            ("Stored at", "location", self.location),
        ):
            if not widget.accessibleName():
                widget.setAccessibleName(name)
            self.form.add_row(name, field, widget)
        self.system_info.hide()
        self.hash_label.setAccessibleName("File")
        self.form.layout.addRow("File", self.hash_label)
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 4, 0)
        details.addLayout(self.form.layout)
        details.addWidget(self.export_button)
        self.delete_button = QPushButton("Delete item…")
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button, 1)
        buttons.addWidget(self.delete_button)
        details.addLayout(buttons)
        details.addWidget(QLabel("<b>Chain of custody</b>"))
        details.addWidget(self.custody, 1)
        details.addWidget(self.custody_add)
        self.details.setEnabled(False)
        details_scroll = scrolling(self.details, min_width=300)  # a short screen scrolls the form, never clips it

        left, self.empty = table_pane(
            [add, templates, self.add_file_button, self.embed],
            self.filter,
            "No evidence yet. Start from a template, add an item, or add a file (or drop files here).",
            self.table,
        )
        pane = left.layout()
        if isinstance(pane, QVBoxLayout):
            pane.insertWidget(1, self.hash_note)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(details_scroll)
        split.setSizes([700, 420])
        split.setStretchFactor(0, 1)  # a wider window widens the table; the form keeps its width
        split.setStretchFactor(1, 0)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        session.changed.connect(self._changed)
        self._dropped: list[str] = []  # files dropped here, hashed one after the other
        self.drops = FileDrops(self, plain_files, lambda paths, _at: self.add_files(paths))
        self.reload()

    # ------------------------------------------------------------ reading
    def reload(self) -> None:
        selected = self.selected()
        items = self.session.reader.records.all(Evidence)
        asked = {e.requested_from for e in items}
        # A deleted contact stays named where evidence was asked of them, so that saving the
        # item never quietly forgets whom it was requested from.
        self._contacts = [
            c
            for c in self.session.reader.records.all(Contact, include_deleted=True)
            if not c.deleted or c.id in asked
        ]
        self._names = {c.id: c.name + (" (deleted)" if c.deleted else "") for c in self._contacts}
        self.model.set_records(items)
        self._systems = {s.id: s for s in self.session.reader.records.all(System, include_deleted=True)
                         if not s.deleted or any(e.system_id == s.id for e in items)}
        picked = self.system.currentData()  # a choice not saved yet survives a reload
        self.system.blockSignals(True)
        self.system.clear()
        self.system.addItem("(none)", None)
        for system in self._systems.values():
            self.system.addItem(system.name + (" (deleted)" if system.deleted else ""), system.id)
        self.system.setCurrentIndex(max(0, self.system.findData(picked)))
        self.system.blockSignals(False)
        chosen = self.requested_from.currentData()  # the form may hold an edit: keep it
        self.requested_from.blockSignals(True)
        self.requested_from.clear()
        self.requested_from.addItem("(nobody)", None)
        for contact in self._contacts:
            self.requested_from.addItem(self._names[contact.id], contact.id)
        self.requested_from.setCurrentIndex(max(0, self.requested_from.findData(chosen)))
        self.requested_from.blockSignals(False)
        self.empty.setVisible(self.model.rowCount() == 0)
        fit_columns(self.table)
        if selected is not None:
            self.select(selected.id, refresh=False)
        if self.selected() is None:
            self._show_selected()  # the item was deleted: an empty, disabled form

    def _changed(self, changes: Changes) -> None:
        if changes.touches(RecordKind.EVIDENCE, RecordKind.CUSTODY, RecordKind.CONTACT, RecordKind.ATTACHMENT,
                           RecordKind.SYSTEM):
            self.reload()

    def selected(self) -> Evidence | None:
        return current_record(self.table)

    def select(self, evidence_id: str, refresh: bool = True) -> None:
        if self.model.row_of(evidence_id) < 0 and refresh:
            self.reload()
        select_record(self.table, self.model, evidence_id)

    def focus_target(self) -> QWidget:
        return self.table

    def _show_selected(self) -> None:
        e = self.selected()
        self.form.load(e)  # first: an edit of the item shown before is saved
        self.details.setEnabled(e is not None)
        self.delete_button.setEnabled(e is not None)
        self._reason_needed()
        if e is None:
            for field in (self.label, self.reason, self.source, self.holder, self.location):
                field.clear()
            self.system.setCurrentIndex(0)  # (none): the system's line hides
            self.hash_label.setText("")
            self.export_button.setVisible(False)
            self.custody.clear()
            return
        size = f"{e.size:,} bytes" if e.size is not None else ""
        embedded = " · embedded, encrypted" if e.attachment_id else ""
        lines = [e.path, f"{size}{embedded}", "SHA-256:", e.sha256[:32], e.sha256[32:]]
        self.hash_label.setText("\n".join(line for line in lines if line) if e.sha256 else "—")
        self.export_button.setVisible(bool(e.attachment_id))
        self.custody.clear()
        events = self.session.reader.custody_for(e.id)
        if not events:
            hint = QListWidgetItem("None yet. Add an event whenever the item changes hands.")
            hint.setFlags(Qt.ItemFlag.NoItemFlags)  # greyed, not selectable
            self.custody.addItem(hint)
        for event in events:
            to = f" → {event.to_whom}" if event.to_whom else ""
            where = f" at {event.location}" if event.location else ""
            self.custody.addItem(
                f"{shown(event.at)}  {event.action.value} by {event.by_whom}{to}{where}"
                + (f" — {event.note}" if event.note else "")
            )

    def _show_system(self) -> None:
        """A request that picks a system says whom to ask and how far back its logs go."""
        system = self._systems.get(self.system.currentData() or "")
        self.system_info.setVisible(system is not None)
        if system is None:
            self.system_info.clear()
            return
        owner = self._names.get(system.owner_id or "", "")
        owner_text = f"Owner {owner}" if owner else "Owner unknown"
        phone = next((c.phone for c in self._contacts if c.id == system.owner_id and c.phone), "")
        if phone:
            owner_text += f" ({phone})"
        kept = f"logs kept {system.retention_days} d" if system.retention_days is not None else "retention unknown"
        more = []
        if system.access_from:
            more.append(f"Access from {system.access_from}.")
        if system.last_obtained_minutes is not None:
            took = format_duration(timedelta(minutes=system.last_obtained_minutes))
            more.append(f"Last time its logs took {took}.")
        self.system_info.setText(f"{owner_text} · {kept}")  # two short facts: the form is narrow
        self.system_info.setToolTip(" ".join(more))
        if not self.source.text().strip() and not self.form.rows.quiet:  # picked, not shown
            self.source.setText(system.name)

    def add_system(self, fields: dict[str, Any] | None = None) -> None:
        """Add a system to the case (``fields`` given: no form); the selected item then comes from it."""
        from irdesk.casefile.operations.book import add_system

        if fields is None:
            from irdesk.ui.book.dialogs import BookEntryDialog

            owners = [(str(c.id), c.name) for c in self._contacts if not c.deleted]
            dialog = BookEntryDialog("system", owners, self)
            if not dialog.exec():
                return
            fields = dialog.fields()
        given = dict(fields)
        name = str(given.pop("name"))
        item = self.selected()

        @ops.operation
        def add_and_link(case: CaseFile) -> System:
            system = add_system(case, name, **given).value
            if item is not None:
                ops.edit_evidence(case, item.id, system_id=system.id)
            return system

        self.session.write(add_and_link, on_error=self._system_refused)

    def _system_refused(self, message: str) -> None:
        QMessageBox.warning(self, "New system", message)

    # ------------------------------------------------------------ the form
    @staticmethod
    def _values_of(e: Evidence) -> dict[str, Any]:
        return dict(label=e.label, kind=e.kind, status=e.status, unavailable_reason=e.unavailable_reason,
                    source_system=e.source_system, system_id=e.system_id,
                    requested_from=e.requested_from,
                    requested_at=e.requested_at, collected_at=e.collected_at, holder=e.holder,
                    location=e.location)

    def _form_values(self) -> dict[str, Any]:
        status = EvidenceStatus(self.status.currentText())
        return dict(
            label=self.label.text().strip(),
            kind=EvidenceKind(self.kind.currentText()),
            status=status,
            unavailable_reason=self.reason.text().strip() if status == EvidenceStatus.UNAVAILABLE else "",
            source_system=self.source.text().strip(),
            system_id=self.system.currentData(),
            requested_from=self.requested_from.currentData(),
            requested_at=self.requested_at.value(),
            collected_at=self.collected_at.value(),
            holder=self.holder.text().strip(),
            location=self.location.text().strip(),
        )

    def _fill(self, values: dict[str, Any]) -> None:
        self.label.setText(values["label"])
        self.kind.setCurrentText(values["kind"].value)
        self.status.setCurrentText(values["status"].value)
        self.reason.setText(values["unavailable_reason"])
        self.source.setText(values["source_system"])
        self.system.setCurrentIndex(max(0, self.system.findData(values["system_id"])))
        self._show_system()
        self.requested_from.setCurrentIndex(max(0, self.requested_from.findData(values["requested_from"])))
        record = self.form.record
        for field, name in ((self.requested_at, "requested_at"), (self.collected_at, "collected_at")):
            original = getattr(record, name) if record is not None else None
            field.set_value(original)  # the stored moment: an untouched time keeps its offset
            if values[name] != original:
                field.set_value(values[name])
        self.holder.setText(values["holder"])
        self.location.setText(values["location"])

    def _reason_needed(self) -> None:
        self.reason.setEnabled(self.status.currentText() == EvidenceStatus.UNAVAILABLE.value)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.save_pending()  # leaving the tab leaves the form: nothing typed is dropped
        super().hideEvent(event)

    def save_pending(self) -> None:
        """Save what the form holds (locking, quitting, leaving the tab)."""
        if not self.session.closed:
            self.form.save()

    # ------------------------------------------------------------ changing
    def add_item(self, label: str | None = None) -> None:
        if label is None:
            label, ok = QInputDialog.getText(self, "Add evidence", "What is needed?")
            if not ok or not label.strip():
                return
        text = label.strip()
        self.session.write(lambda c: ops.add_evidence(c, text), on_done=lambda e: self.select(e.id))

    def add_template(self, key: str) -> None:
        template = next(t for t in evidence_templates() if t.key == key)

        @ops.operation
        def add_template_items(case: CaseFile) -> int:
            for item in template.items:
                ops.add_evidence(case, item.label, kind=EvidenceKind(item.kind), source_system=item.source_system)
            return len(template.items)

        self.session.write(add_template_items)

    def add_file(self, path: str | None = None) -> HashDialog | None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Add a file as evidence")
            if not path:
                return None
        if os.path.exists(path) and os.path.samefile(path, self.session.path):
            QMessageBox.warning(self, "Add file", "That is the case file itself.")
            return None
        dialog = HashDialog(path, self)
        embed = self.embed.isChecked()
        dialog.accepted.connect(lambda: self._hashed(path, dialog, embed))
        dialog.rejected.connect(lambda: self._not_hashed(dialog))
        dialog.open()
        return dialog

    def add_files(self, paths: list[str]) -> None:
        """Files dropped onto the panel: each hashed with progress and cancel, then added like
        "Add file…" (embedded when small and "Embed" is ticked); folders are left out."""
        folders = [p for p in paths if os.path.isdir(p)]
        if folders:
            self._status(f"Folders are not added ({os.path.basename(folders[0])}): drop the files in them.")
        self._dropped.extend(p for p in paths if not os.path.isdir(p))
        if len(self._dropped) == len(paths) - len(folders):  # nothing was being hashed already
            self._next_dropped()

    def _next_dropped(self) -> None:
        while self._dropped:
            dialog = self.add_file(self._dropped[0])
            if dialog is not None:
                dialog.finished.connect(lambda _result, d=dialog: self._dropped_done(d))
                return
            self._dropped.pop(0)

    def _dropped_done(self, dialog: HashDialog) -> None:
        if self._dropped:
            self._dropped.pop(0)
        if dialog.cancelled and self._dropped:  # Cancel stops the whole drop, not just one file
            left, self._dropped = len(self._dropped), []
            message = f"Hashing was cancelled; nothing was added, and {left} more dropped file(s) were left out."
            QTimer.singleShot(0, lambda: self._status(message))  # after the dialog's own word
            return
        self._next_dropped()

    def _not_hashed(self, dialog: HashDialog) -> None:
        if dialog.error:
            QMessageBox.warning(self, "Add file", dialog.error)
        elif dialog.cancelled:
            self.hash_note.setText("Hashing was cancelled; nothing was added.")
            self.hash_note.show()
            QTimer.singleShot(15000, self.hash_note.hide)
            self._status("Hashing was cancelled; nothing was added.")

    def _hashed(self, path: str, dialog: HashDialog, embed: bool) -> None:
        digest = dialog.digest
        assert digest is not None

        def add(case: CaseFile) -> Done[Evidence]:
            content = None
            if embed and digest.size <= ATTACHMENT_LIMIT:
                with open(path, "rb") as handle:
                    content = handle.read(ATTACHMENT_LIMIT + 1)
            return ops.add_evidence_file(case, path, digest, content=content)

        self.session.write(add, on_done=lambda e: self.select(e.id))

    def _status(self, message: str) -> None:
        show_status(self, message, 10000)

    def export_attachment(self, folder: str | None = None) -> None:
        """Save the selected item's embedded file into a folder (inside it, under a safe name)."""
        from irdesk.casefile.attachments import save_attachment

        e = self.selected()
        if e is None or not e.attachment_id:
            return
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, "Save the embedded file into…")
            if not folder:
                return
        attachment_id, chosen = e.attachment_id, folder
        self.session.read(lambda c, _job: save_attachment(c, attachment_id, chosen), owner=self,
                          on_done=lambda path: self._status(f"Saved {path}"),
                          on_error=self._export_failed)

    def save_selected(self) -> None:
        self.form.save()

    def _export_failed(self, message: str) -> None:
        QMessageBox.warning(self, "Save the embedded file", message)

    def delete_selected(self) -> None:
        e = self.selected()
        if e is None or not confirm_delete(self, "evidence item", e.label):
            return
        self.session.write(lambda c: ops.delete(c, Evidence, e.id))

    def add_custody(self) -> QDialog | None:
        from irdesk.ui.evidence.custody_dialog import CustodyDialog

        e = self.selected()
        if e is None:
            return None
        dialog = CustodyDialog(self.session, e, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
