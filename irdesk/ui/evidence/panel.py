"""The evidence tab: the checklist table, one item's details and its chain of custody."""

from __future__ import annotations

import os
from datetime import timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
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
from irdesk.ui.evidence.hashing import HashDialog
from irdesk.ui.evidence.model import evidence_model
from irdesk.ui.forms import MomentField
from irdesk.ui.moments import shown
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
        self.embed = QCheckBox(
            f"Embed files up to {ATTACHMENT_LIMIT // (1024 * 1024)} MiB, encrypted"
        )
        self.embed.setChecked(True)

        # details of the selected item
        self.label = QLineEdit()
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in EvidenceKind])
        self.status = QComboBox()
        self.status.addItems([s.value for s in EvidenceStatus])
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why it cannot be had (needed when unavailable)")
        self.source = QLineEdit()
        self.system = QComboBox()
        self.system_info = QLabel()
        self.system_info.setWordWrap(True)
        self.system_info.setStyleSheet("color: gray")
        self.system_info.setAccessibleName("The system's owner and retention")
        self.system.currentIndexChanged.connect(lambda _i: self._show_system())
        self.new_system = QPushButton("New system…")
        self.new_system.setToolTip("Add a system and its log sources to the case: owner, logs, retention")
        self.new_system.clicked.connect(lambda: self.add_system())
        system_row = QHBoxLayout()
        system_row.addWidget(self.system, 1)
        system_row.addWidget(self.new_system)
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
        self.save_button.clicked.connect(self.save_selected)
        self.export_button = QPushButton("Save embedded file to a folder…")
        self.export_button.setToolTip("Writes a copy inside the folder you choose; never overwrites a file")
        self.export_button.clicked.connect(lambda: self.export_attachment())
        self.custody = QListWidget()
        self.custody.setAccessibleName("Chain of custody")
        custody_add = QPushButton("Add custody event…")
        custody_add.clicked.connect(self.add_custody)
        form = QFormLayout()
        for name, widget in (
            ("Label", self.label),
            ("Kind", self.kind),
            ("Status", self.status),
            ("Reason", self.reason),
            ("Source system", self.source),
            ("System", system_row),
            ("", self.system_info),
            ("Requested from", self.requested_from),
            ("Requested at", self.requested_at),
            ("Arrived at", self.collected_at),
            ("Holder", self.holder),
            ("Stored at", self.location),
            ("File", self.hash_label),
        ):
            if isinstance(widget, QWidget) and not widget.accessibleName():
                widget.setAccessibleName(name)
            form.addRow(name, widget)
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.addLayout(form)
        details.addWidget(self.export_button)
        delete = QPushButton("Delete item…")
        delete.clicked.connect(lambda: self.delete_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button, 1)
        buttons.addWidget(delete)
        details.addLayout(buttons)
        details.addWidget(QLabel("<b>Chain of custody</b>"))
        details.addWidget(self.custody, 1)
        details.addWidget(custody_add)
        self.details.setEnabled(False)

        left, self.empty = table_pane(
            [add, templates, self.add_file_button, self.embed],
            self.filter,
            "No evidence yet. Start from a template, add an item, or add a file.",
            self.table,
        )
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.details)
        split.setSizes([760, 360])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        session.changed.connect(self._changed)
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
        self.requested_from.clear()
        self.requested_from.addItem("(nobody)", None)
        for contact in self._contacts:
            self.requested_from.addItem(self._names[contact.id], contact.id)
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

    def _show_selected(self) -> None:
        e = self.selected()
        self.details.setEnabled(e is not None)
        if e is None:
            for field in (self.label, self.reason, self.source, self.holder, self.location):
                field.clear()
            self.hash_label.setText("")
            self.export_button.setVisible(False)
            self.custody.clear()
            return
        self.label.setText(e.label)
        self.kind.setCurrentText(e.kind.value)
        self.status.setCurrentText(e.status.value)
        self.reason.setText(e.unavailable_reason)
        self.source.setText(e.source_system)
        self.system.setCurrentIndex(max(0, self.system.findData(e.system_id)))
        self._show_system()
        self.requested_from.setCurrentIndex(max(0, self.requested_from.findData(e.requested_from)))
        self.requested_at.set_value(e.requested_at)
        self.collected_at.set_value(e.collected_at)
        self.holder.setText(e.holder)
        self.location.setText(e.location)
        size = f"{e.size:,} bytes" if e.size is not None else ""
        embedded = " · embedded, encrypted" if e.attachment_id else ""
        digest = f"{e.sha256[:32]}\n{e.sha256[32:]}"
        self.hash_label.setText(
            f"{e.path}\n{size}{embedded}\nSHA-256:\n{digest}" if e.sha256 else "—"
        )
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
        if not self.source.text().strip():
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

        self.session.write(add_and_link, on_error=self._refused)

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

    def _not_hashed(self, dialog: HashDialog) -> None:
        if dialog.error:
            QMessageBox.warning(self, "Add file", dialog.error)
        elif dialog.cancelled:
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
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, 10000)

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
                          on_error=self._refused)

    def save_selected(self) -> None:
        e = self.selected()
        if e is None:
            return
        status = EvidenceStatus(self.status.currentText())
        reason = self.reason.text().strip()
        changes = dict(
            label=self.label.text().strip() or e.label,
            kind=EvidenceKind(self.kind.currentText()),
            status=status,
            unavailable_reason=reason if status == EvidenceStatus.UNAVAILABLE else "",
            source_system=self.source.text().strip(),
            system_id=self.system.currentData(),
            requested_from=self.requested_from.currentData(),
            requested_at=self.requested_at.value(),
            collected_at=self.collected_at.value(),
            holder=self.holder.text().strip(),
            location=self.location.text().strip(),
        )
        self.session.write(lambda c: ops.edit_evidence(c, e.id, **changes), on_error=self._refused)

    def _refused(self, message: str) -> None:
        QMessageBox.warning(self, "Evidence", message)

    def delete_selected(self) -> None:
        e = self.selected()
        if e is None or not confirm_delete(self, "evidence item", e.label):
            return
        self.session.write(lambda c: ops.delete(c, Evidence, e.id))

    def add_custody(self) -> None:
        from irdesk.ui.evidence.custody_dialog import CustodyDialog

        e = self.selected()
        if e is None:
            return
        dialog = CustodyDialog(e.label, self)
        if dialog.exec():
            fields = dialog.fields()
            self.session.write(lambda c: ops.add_custody(c, e.id, **fields), on_error=self._refused)
