"""The contacts tab: the contact table, one contact's details and its engagement log."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes
from irdesk.domain.enums import ContactKind, RecordKind
from irdesk.domain.records import Contact
from irdesk.ui.contacts.engagements import EngagementLog
from irdesk.ui.contacts.model import contact_model, stale_warning
from irdesk.ui.deletion import confirm_delete, delete_action
from irdesk.ui.forms import scrolling
from irdesk.ui.moments import keep_in_bounds
from irdesk.ui.record_form import RecordForm
from irdesk.ui.session import CaseSession
from irdesk.ui.tables import (
    current_record,
    filtered_table,
    fit_columns,
    select_record,
    table_pane,
)


class ContactsPanel(QWidget):
    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = contact_model(self)
        self.proxy, self.table, self.filter = filtered_table(
            self.model, "Contacts", "contacts", self
        )
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        delete_action(self.table, "contact", lambda: self.delete_selected())
        add = QPushButton("Add contact…")
        add.clicked.connect(lambda: self.add_contact())

        self.name, self.organisation, self.team, self.role = (
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
        )
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in ContactKind])
        self.phone, self.email, self.out_of_band, self.grants = (
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
        )
        self.out_of_band.setPlaceholderText("e.g. Signal, personal mobile, satellite phone")
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("When and how to escalate, what to ask for…")
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 3 + 12)
        self.notes.setAccessibleName("Notes")
        self.verified_known = QCheckBox("verified on")
        self.verified = QDateEdit(QDate.currentDate())
        keep_in_bounds(self.verified)
        self.verified.setCalendarPopup(True)
        self.verified.setDisplayFormat("yyyy-MM-dd")
        self.verified.setAccessibleName("Last verified")
        self.verified_known.toggled.connect(self.verified.setEnabled)
        self.verified_today = QPushButton("Verified today")
        self.verified_today.setAutoDefault(False)
        self.verified_today.clicked.connect(self._verified_today)
        self.stale = QLabel()
        self.stale.setStyleSheet("color: #c0392b; font-weight: bold")
        self.stale.setWordWrap(True)
        verified_row = QWidget()
        verified_layout = QHBoxLayout(verified_row)
        verified_layout.setContentsMargins(0, 0, 0, 0)
        verified_layout.addWidget(self.verified_known)
        verified_layout.addWidget(self.verified, 1)
        verified_layout.addWidget(self.verified_today)
        self.save_button = QPushButton("Save contact")
        self.save_button.setToolTip("Also saved when you press Enter, pick another contact or leave the tab")
        self.save_button.clicked.connect(self.save_selected)
        self.delete_button = QPushButton("Delete contact…")
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        self.form = RecordForm(
            session,
            values_of=self._values_of,
            form_values=self._form_values,
            fill=self._fill,
            write=lambda case, contact_id, changes: ops.edit_contact(case, contact_id, **changes),
            select=lambda contact_id: self.select(contact_id),
            describe=lambda c: f"The contact “{c.name}”",
            parent=self,
        )
        for label, field, widget in (
            ("Name", "name", self.name),
            ("Kind", "kind", self.kind),
            ("Organisation", "organisation", self.organisation),
            ("Team", "team", self.team),
            ("Role", "role", self.role),
            ("Phone", "phone", self.phone),
            ("Email", "email", self.email),
            ("Out of band", "out_of_band", self.out_of_band),
            ("Can grant access to", "grants_access", self.grants),
        ):
            widget.setAccessibleName(label)
            self.form.add_row(label, field, widget)
        self.form.add_row("Last verified", "last_verified", verified_row)
        self.verified_today.clicked.connect(lambda: self.form.save())
        self.form.add_row("Notes", "notes", self.notes)
        self.form.layout.addRow("", self.stale)

        self.log = EngagementLog(session)
        self.engagements, self.engagement_table = self.log.model, self.log.table

        fields = QWidget()
        fields.setLayout(self.form.layout)
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.addWidget(scrolling(fields, min_width=300), 1)  # a short screen scrolls the fields…
        details.addLayout(buttons)  # …and the buttons stay in view
        self.details.setEnabled(False)
        details_scroll = self.details

        left, self.empty = table_pane(
            [add],
            self.filter,
            "No contacts yet. Add the people you may need to reach: on-call staff, "
            "vendors, legal, the regulator.",
            self.table,
        )
        upper = QSplitter()
        upper.addWidget(left)
        upper.addWidget(details_scroll)
        upper.setSizes([700, 420])
        upper.setStretchFactor(0, 1)  # a wider window widens the table; the form keeps its width
        upper.setStretchFactor(1, 0)
        upper.setChildrenCollapsible(False)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(self.log)
        split.setSizes([480, 240])  # the contact's fields (its notes too) above its engagement log
        split.setChildrenCollapsible(False)
        QVBoxLayout(self).addWidget(split)
        session.changed.connect(self._changed)
        self.reload()

    def focus_target(self) -> QWidget:
        return self.table

    def reload(self) -> None:
        selected = self.selected()
        self.model.set_records(self.session.reader.records.all(Contact))
        self.empty.setVisible(self.model.rowCount() == 0)
        fit_columns(self.table)
        if selected is not None:
            self.select(selected.id, refresh=False)
        if self.selected() is None or self.form.record is None:
            self._show_selected()  # the contact was deleted: an empty, disabled form

    def _changed(self, changes: Changes) -> None:
        if changes.touches(RecordKind.CONTACT):
            self.reload()
        elif changes.touches(RecordKind.ENGAGEMENT):
            self.log.show_contact(self.selected())

    def selected(self) -> Contact | None:
        return current_record(self.table)

    def select(self, contact_id: str, refresh: bool = True) -> None:
        if self.model.row_of(contact_id) < 0 and refresh:
            self.reload()
        if select_record(self.table, self.model, contact_id):
            self._show_selected()

    def _show_selected(self) -> None:
        c = self.selected()
        self.form.load(c)  # first: an edit of the contact shown before is saved
        self.details.setEnabled(c is not None)
        self.delete_button.setEnabled(c is not None)
        self.stale.setText(stale_warning(c) if c is not None else "")
        if c is None:
            for widget in (self.name, self.organisation, self.team, self.role, self.phone, self.email,
                           self.out_of_band, self.grants):
                widget.clear()
            self.notes.clear()
        self.log.show_contact(c)

    # ------------------------------------------------------------ the form
    @staticmethod
    def _values_of(c: Contact) -> dict[str, Any]:
        return dict(name=c.name, kind=c.kind, organisation=c.organisation, team=c.team, role=c.role,
                    phone=c.phone, email=c.email, out_of_band=c.out_of_band, grants_access=c.grants_access,
                    notes=c.notes, last_verified=c.last_verified)

    def _form_values(self) -> dict[str, Any]:
        qd = self.verified.date()
        return dict(
            name=self.name.text().strip(),
            kind=ContactKind(self.kind.currentText()),
            organisation=self.organisation.text().strip(),
            team=self.team.text().strip(),
            role=self.role.text().strip(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            out_of_band=self.out_of_band.text().strip(),
            grants_access=self.grants.text().strip(),
            notes=self.notes.toPlainText(),
            last_verified=date(qd.year(), qd.month(), qd.day()) if self.verified_known.isChecked() else None,
        )

    def _fill(self, values: dict[str, Any]) -> None:
        for widget, name in (
            (self.name, "name"),
            (self.organisation, "organisation"),
            (self.team, "team"),
            (self.role, "role"),
            (self.phone, "phone"),
            (self.email, "email"),
            (self.out_of_band, "out_of_band"),
            (self.grants, "grants_access"),
        ):
            widget.setText(values[name])
        self.kind.setCurrentText(values["kind"].value)
        if self.notes.toPlainText() != values["notes"]:  # keep the cursor where it is when unchanged
            self.notes.setPlainText(values["notes"])
        verified = values["last_verified"]
        self.verified_known.setChecked(verified is not None)
        self.verified.setEnabled(verified is not None)
        if verified:
            self.verified.setDate(QDate(verified.year, verified.month, verified.day))

    def _verified_today(self) -> None:
        self.verified_known.setChecked(True)
        self.verified.setDate(QDate.currentDate())

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.save_pending()  # leaving the tab leaves the forms: nothing typed is dropped
        super().hideEvent(event)

    def save_pending(self) -> None:
        """Save what the forms hold (locking, quitting, leaving the tab)."""
        if not self.session.closed:
            self.form.save()
            self.log.save_pending()

    # ------------------------------------------------------------ changing
    def add_contact(self, name: str | None = None) -> None:
        if name is None:
            name, ok = QInputDialog.getText(self, "Add a contact", "Name")
            if not ok or not name.strip():
                return
        text = name.strip()
        self.session.write(lambda c: ops.add_contact(c, text), on_done=lambda r: self.select(r.id))

    def save_selected(self) -> None:
        self.form.save()

    def delete_selected(self) -> None:
        c = self.selected()
        if c is None or not confirm_delete(self, "contact", c.name):
            return
        self.session.write(lambda case: ops.delete(case, Contact, c.id))

    # The engagement log's actions, as the panel offers them.
    def need_now(self, purpose: str | None = None) -> None:
        self.log.need_now(purpose)

    def stamp(self, field: str) -> None:
        self.log.stamp(field)
