"""One contact's engagement log: needed → first attempt → reached → resolved, and the outcome.

Calls are mostly logged after the fact, so every time can be set to now in one click, typed
or back-dated, in local time with its offset kept; an entry can be edited and deleted. The
form beside the table saves itself (``RecordForm``); a "Now" press saves at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile import operations as ops
from irdesk.domain.records import Contact, Engagement
from irdesk.ui.contacts.model import engagement_model
from irdesk.ui.deletion import confirm_delete, delete_action
from irdesk.ui.forms import MomentField, scrolling
from irdesk.ui.record_form import RecordForm
from irdesk.ui.session import CaseSession
from irdesk.ui.tables import current_record, fit_columns, record_table, select_record

STAGES = (
    ("first_attempt_at", "First attempt"),
    ("reached_at", "Reached"),
    ("resolved_at", "Resolved"),
)


class EngagementLog(QWidget):
    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.contact: Contact | None = None
        self.model = engagement_model(self)
        self.table = record_table(self.model, "Engagements", sort_column=None)  # needed, oldest first
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        delete_action(self.table, "engagement", lambda: self.delete_selected())

        self.new_purpose = QLineEdit()
        self.new_purpose.setPlaceholderText("What do you need them for? e.g. “vCenter admin access”")
        self.new_purpose.setAccessibleName("Purpose of a new engagement")
        self.new_purpose.returnPressed.connect(lambda: self.need_now())
        self.need_button = QPushButton("Needed now")
        self.need_button.setToolTip("Start an engagement: you need this person now (the time can be changed)")
        self.need_button.clicked.connect(lambda: self.need_now())

        self.purpose = QLineEdit()
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText("What came of it, in a few words")
        self.needed = MomentField("Needed at", required=True)
        self.stages = {field: MomentField(f"{label} at") for field, label in STAGES}
        self.form = RecordForm(
            session,
            values_of=self._values_of,
            form_values=self._form_values,
            fill=self._fill,
            write=lambda case, eid, changes: ops.edit_engagement(case, eid, **changes),
            select=lambda eid: self.select(eid),
            describe=lambda e: f"The engagement “{e.purpose}”",
            parent=self,
        )
        self.purpose.setAccessibleName("Purpose")
        self.outcome.setAccessibleName("Outcome")
        self.form.add_row("Purpose", "purpose", self.purpose)
        self.form.add_row("Needed", "needed_at", self.needed)
        for field, label in STAGES:
            self.form.add_row(label, field, self.stages[field])
        self.form.add_row("Outcome", "outcome", self.outcome)
        for moment in (self.needed, *self.stages.values()):
            moment.now.clicked.connect(lambda _=False: self.form.save())  # one click logs it
        self.save_button = QPushButton("Save engagement")
        self.save_button.clicked.connect(lambda: self.form.save())
        self.delete_button = QPushButton("Delete engagement…")
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        self.form.layout.addRow("", buttons)
        self.details = QWidget()
        self.details.setLayout(self.form.layout)
        details_scroll = scrolling(self.details, min_width=300)  # a short screen scrolls the form, never clips it

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        new_row = QHBoxLayout()
        new_row.addWidget(self.new_purpose, 1)
        new_row.addWidget(self.need_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.heading)
        left_layout.addLayout(new_row)
        left_layout.addWidget(self.table, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(details_scroll)
        split.setSizes([700, 420])
        split.setStretchFactor(0, 1)  # a wider window widens the table; the form keeps its width
        split.setStretchFactor(1, 0)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.show_contact(None)

    # ------------------------------------------------------------ reading
    def show_contact(self, contact: Contact | None) -> None:
        """Show the log of ``contact`` (None: nobody selected, nothing can be logged)."""
        current = self.selected()
        same = contact is not None and self.contact is not None and contact.id == self.contact.id
        self.contact = contact
        name = contact.name if contact is not None else ""
        self.heading.setText(
            f"<b>Engagement log</b> of {_escape(name)} (needed → first attempt → reached → resolved)"
            if contact is not None else "<b>Engagement log</b>: select a contact first"
        )
        self.new_purpose.setEnabled(contact is not None)
        self.need_button.setEnabled(contact is not None)
        records = self.session.reader.engagements_for(contact.id) if contact is not None else []
        self.model.set_records(records)
        fit_columns(self.table)
        if same and current is not None and select_record(self.table, self.model, current.id):
            pass
        elif records:
            select_record(self.table, self.model, records[-1].id)  # the latest: most likely the one to log
        self._show_selected()

    def selected(self) -> Engagement | None:
        return current_record(self.table)

    def select(self, engagement_id: str) -> None:
        if select_record(self.table, self.model, engagement_id):
            self._show_selected()

    def _show_selected(self) -> None:
        e = self.selected()
        self.form.load(e)  # first: an edit of the one shown before is saved
        self.details.setEnabled(e is not None)
        if e is None:
            self.purpose.clear()
            self.outcome.clear()

    @staticmethod
    def _values_of(e: Engagement) -> dict[str, Any]:
        return dict(purpose=e.purpose, needed_at=e.needed_at, first_attempt_at=e.first_attempt_at,
                    reached_at=e.reached_at, resolved_at=e.resolved_at, outcome=e.outcome)

    def _form_values(self) -> dict[str, Any]:
        values: dict[str, Any] = dict(purpose=self.purpose.text().strip(), needed_at=self.needed.value(),
                                      outcome=self.outcome.text().strip())
        values.update({field: widget.value() for field, widget in self.stages.items()})
        return values

    def _fill(self, values: dict[str, Any]) -> None:
        self.purpose.setText(values["purpose"])
        self.outcome.setText(values["outcome"])
        record = self.form.record
        for field, widget in (("needed_at", self.needed), *self.stages.items()):
            original = getattr(record, field) if record is not None else None
            widget.set_value(original)  # an untouched time keeps its own offset
            if values[field] != original:
                widget.set_value(values[field])

    # ------------------------------------------------------------ changing
    def need_now(self, purpose: str | None = None) -> None:
        contact = self.contact
        if contact is None:
            return
        text = (self.new_purpose.text() if purpose is None else purpose).strip() or "(no purpose given)"
        self.new_purpose.clear()
        self.session.write(lambda case: ops.add_engagement(case, contact.id, text),
                           on_done=lambda e: self._added(e), owner=self)

    def _added(self, engagement: Engagement) -> None:
        if self.contact is not None and engagement.contact_id == self.contact.id:
            self.show_contact(self.contact)
            self.select(engagement.id)

    def stamp(self, field: str) -> None:
        """Set one stage of the selected engagement to now and save it (the one-click log)."""
        widget = self.needed if field == "needed_at" else self.stages[field]
        if self.selected() is None:
            return
        widget.now.click()

    def delete_selected(self) -> None:
        e = self.selected()
        if e is None or not confirm_delete(self, "engagement", e.purpose):
            return
        self.session.write(lambda case: ops.delete(case, Engagement, e.id))

    def save_pending(self) -> None:
        if not self.session.closed:
            self.form.save()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
