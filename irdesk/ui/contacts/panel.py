"""The contacts tab: the contact table, one contact's details and its engagement log."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes
from irdesk.domain.enums import ContactKind, RecordKind
from irdesk.domain.records import Contact, Engagement
from irdesk.ui.contacts.model import contact_model, engagement_model, stale_warning
from irdesk.ui.deletion import confirm_delete, delete_action
from irdesk.ui.moments import keep_in_bounds
from irdesk.ui.session import CaseSession
from irdesk.ui.tables import (
    current_record,
    filtered_table,
    fit_columns,
    record_table,
    select_record,
    table_pane,
)

STAGES = (
    ("first_attempt_at", "First attempt now"),
    ("reached_at", "Reached now"),
    ("resolved_at", "Resolved now"),
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
        add = QPushButton("Add contact")
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
        self.verified_today = QPushButton("Verified today")
        self.verified_today.clicked.connect(self._verified_today)
        self.stale = QLabel()
        self.stale.setStyleSheet("color: #c0392b; font-weight: bold")
        self.stale.setWordWrap(True)
        verified_row = QHBoxLayout()
        verified_row.addWidget(self.verified_known)
        verified_row.addWidget(self.verified)
        verified_row.addWidget(self.verified_today)
        save = QPushButton("Save contact")
        save.clicked.connect(self.save_selected)
        delete = QPushButton("Delete contact…")
        delete.clicked.connect(lambda: self.delete_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addStretch(1)
        buttons.addWidget(delete)
        form = QFormLayout()
        for label, widget in (
            ("Name", self.name),
            ("Kind", self.kind),
            ("Organisation", self.organisation),
            ("Team", self.team),
            ("Role", self.role),
            ("Phone", self.phone),
            ("Email", self.email),
            ("Out of band", self.out_of_band),
            ("Can grant access to", self.grants),
        ):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        form.addRow("Last verified", verified_row)
        form.addRow("Notes", self.notes)
        form.addRow("", self.stale)

        self.engagements = engagement_model(self)
        self.engagement_table = record_table(self.engagements, "Engagements", sortable=False)
        need = QPushButton("Needed now…")
        need.setToolTip("Start an engagement: you need this person now")
        need.clicked.connect(lambda: self.need_now())
        self.stage_buttons: dict[str, QPushButton] = {}
        stage_row = QHBoxLayout()
        stage_row.addWidget(need)
        for field, text in STAGES:
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, f=field: self.stamp(f))
            self.stage_buttons[field] = button
            stage_row.addWidget(button)
        outcome = QPushButton("Outcome…")
        outcome.setToolTip("What came of it, in a few words")
        outcome.clicked.connect(lambda: self.set_outcome())
        stage_row.addWidget(outcome)
        stage_row.addStretch(1)

        fields = QWidget()
        rows = QVBoxLayout(fields)
        rows.addLayout(form)
        rows.addStretch(1)  # the rows stay together at the top when there is room to spare
        scroller = QScrollArea()  # on a small screen the fields scroll; the buttons stay in view
        scroller.setWidget(fields)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scrollbar = scroller.verticalScrollBar().sizeHint().width()
        scroller.setMinimumWidth(fields.minimumSizeHint().width() + scrollbar)
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.addWidget(scroller, 1)
        details.addLayout(buttons)
        self.details.setEnabled(False)
        self.log = QWidget()
        log = QVBoxLayout(self.log)
        log.setContentsMargins(0, 0, 0, 0)
        log.addWidget(QLabel("<b>Engagement log</b> (needed → first attempt → reached → resolved)"))
        log.addLayout(stage_row)
        log.addWidget(self.engagement_table, 1)
        self.log.setEnabled(False)

        left, self.empty = table_pane(
            [add],
            self.filter,
            "No contacts yet. Add the people you may need to reach: on-call staff, "
            "vendors, legal, the regulator.",
            self.table,
        )
        upper = QSplitter()
        upper.addWidget(left)
        upper.addWidget(self.details)
        upper.setSizes([780, 420])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(self.log)
        split.setSizes([500, 160])
        QVBoxLayout(self).addWidget(split)
        session.changed.connect(self._changed)
        self.reload()

    def reload(self) -> None:
        selected = self.selected()
        self.model.set_records(self.session.reader.records.all(Contact))
        self.empty.setVisible(self.model.rowCount() == 0)
        fit_columns(self.table)
        if selected is not None:
            self.select(selected.id, refresh=False)
        if self.selected() is None:
            self._show_selected()  # the contact was deleted: an empty, disabled form

    def _changed(self, changes: Changes) -> None:
        if changes.touches(RecordKind.CONTACT, RecordKind.ENGAGEMENT):
            self.reload()

    def selected(self) -> Contact | None:
        return current_record(self.table)

    def select(self, contact_id: str, refresh: bool = True) -> None:
        if self.model.row_of(contact_id) < 0 and refresh:
            self.reload()
        if select_record(self.table, self.model, contact_id):
            self._show_selected()

    def selected_engagement(self) -> Engagement | None:
        return self.engagements.record_at(self.engagement_table.currentIndex().row())

    def _show_selected(self) -> None:
        c = self.selected()
        self.details.setEnabled(c is not None)
        self.log.setEnabled(c is not None)
        fields = (
            self.name,
            self.organisation,
            self.team,
            self.role,
            self.phone,
            self.email,
            self.out_of_band,
            self.grants,
        )
        if c is None:
            self.engagements.set_records([])
            self.stale.setText("")
            for widget in fields:
                widget.clear()
            self.notes.clear()
            return
        for widget, value in zip(
            fields,
            (
                c.name,
                c.organisation,
                c.team,
                c.role,
                c.phone,
                c.email,
                c.out_of_band,
                c.grants_access,
            ),
            strict=True,
        ):
            widget.setText(value)
        self.kind.setCurrentText(c.kind.value)
        if self.notes.toPlainText() != c.notes:  # keep the cursor where it is when unchanged
            self.notes.setPlainText(c.notes)
        self.verified_known.setChecked(c.last_verified is not None)
        if c.last_verified:
            self.verified.setDate(
                QDate(c.last_verified.year, c.last_verified.month, c.last_verified.day)
            )
        self.stale.setText(stale_warning(c))
        current = self.selected_engagement()
        self.engagements.set_records(self.session.reader.engagements_for(c.id))
        fit_columns(self.engagement_table)
        row = self.engagements.row_of(current.id) if current else self.engagements.rowCount() - 1
        if row >= 0:
            self.engagement_table.selectRow(row)

    def _verified_today(self) -> None:
        self.verified_known.setChecked(True)
        self.verified.setDate(QDate.currentDate())

    def add_contact(self, name: str | None = None) -> None:
        if name is None:
            name, ok = QInputDialog.getText(self, "Add contact", "Name")
            if not ok or not name.strip():
                return
        text = name.strip()
        self.session.write(lambda c: ops.add_contact(c, text), on_done=lambda r: self.select(r.id))

    def save_selected(self) -> None:
        c = self.selected()
        if c is None:
            return
        qd = self.verified.date()
        changes = dict(
            name=self.name.text().strip() or c.name,
            kind=ContactKind(self.kind.currentText()),
            organisation=self.organisation.text().strip(),
            team=self.team.text().strip(),
            role=self.role.text().strip(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            out_of_band=self.out_of_band.text().strip(),
            grants_access=self.grants.text().strip(),
            notes=self.notes.toPlainText(),
            last_verified=date(qd.year(), qd.month(), qd.day())
            if self.verified_known.isChecked()
            else None,
        )
        self.session.write(lambda case: ops.edit_contact(case, c.id, **changes), on_error=self._refused)

    def delete_selected(self) -> None:
        c = self.selected()
        if c is None or not confirm_delete(self, "contact", c.name):
            return
        self.session.write(lambda case: ops.delete(case, Contact, c.id))

    def need_now(self, purpose: str | None = None) -> None:
        c = self.selected()
        if c is None:
            return
        if purpose is None:
            purpose, ok = QInputDialog.getText(
                self, "Needed now", f"What do you need {c.name} for?"
            )
            if not ok:
                return
        text = purpose.strip() or "(no purpose given)"
        self.session.write(lambda case: ops.add_engagement(case, c.id, text))

    def set_outcome(self, text: str | None = None) -> None:
        e = self.selected_engagement()
        if e is None:
            return
        if text is None:
            text, ok = QInputDialog.getText(
                self, "Outcome", f"Outcome of “{e.purpose}”", text=e.outcome
            )
            if not ok:
                return
        outcome = text.strip()
        self.session.write(lambda case: ops.edit_engagement(case, e.id, outcome=outcome))

    def stamp(self, field: str) -> None:
        """Set one stage of the selected engagement to now (one click)."""
        e = self.selected_engagement()
        if e is None or getattr(e, field) is not None:
            return
        self.session.write(lambda case: ops.edit_engagement(case, e.id, **{field: case.clock()}),
                           on_error=self._refused)

    def _refused(self, message: str) -> None:
        QMessageBox.warning(self, "Contacts", message)
