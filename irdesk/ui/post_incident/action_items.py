"""Action items on the Post-incident tab: owner, due date, proposed → … → tested, or waived."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes
from irdesk.domain.enums import ActionStatus, RecordKind
from irdesk.domain.records import ActionItem
from irdesk.ui.deletion import confirm_delete, delete_action
from irdesk.ui.forms import scrolling
from irdesk.ui.moments import keep_in_bounds
from irdesk.ui.record_form import RecordForm
from irdesk.ui.records_model import Column, RecordTableModel
from irdesk.ui.session import CaseSession
from irdesk.ui.tables import current_record, fit_columns, record_table, select_record


def action_model(parent: object = None) -> RecordTableModel[ActionItem]:
    columns: list[Column[ActionItem]] = [
        Column("Action", lambda a: a.title),
        Column("Owner", lambda a: a.owner),
        Column("Due", lambda a: a.due.isoformat() if a.due else ""),
        Column(
            "Status",
            lambda a: a.status.value + (f": {a.waived_reason}" if a.waived_reason else ""),
            warn=lambda a: (
                "" if a.status.settled else "Holds the case open until tested or waived."
            ),
        ),
        Column("Verification", lambda a: a.verification),
    ]
    return RecordTableModel(columns, parent)


class ActionItemsPanel(QWidget):
    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = action_model(self)
        self.table = record_table(self.model, "Action items", sort_column=None)  # in the order added
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        delete_action(self.table, "action item", lambda: self.delete_selected())

        self.new_title = QLineEdit()
        self.new_title.setPlaceholderText("New action item, e.g. “Deploy EDR on file servers”")
        self.new_title.setAccessibleName("New action item")
        self.new_title.returnPressed.connect(self.add_from_field)
        self.add_button = QPushButton("Add")
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self.add_from_field)
        self.new_title.textChanged.connect(lambda text: self.add_button.setEnabled(bool(text.strip())))

        self.title, self.owner, self.reason, self.verification = (
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
        )
        self.reason.setPlaceholderText("Why this will not be done (required to waive)")
        self.verification.setPlaceholderText("How it was tested")
        self.due_known = QCheckBox("due")
        self.due = QDateEdit(QDate.currentDate().addDays(30))
        keep_in_bounds(self.due)
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setAccessibleName("Due date")
        self.due_known.toggled.connect(self.due.setEnabled)
        self.status = QComboBox()
        self.status.addItems([s.value for s in ActionStatus])
        self.status.currentTextChanged.connect(lambda _text: self._reason_needed())
        self.save_button = QPushButton("Save action item")
        self.save_button.clicked.connect(self.save_selected)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setAccessibleName("Delete action item")
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        due_row = QWidget()
        due_layout = QHBoxLayout(due_row)
        due_layout.setContentsMargins(0, 0, 0, 0)
        due_layout.addWidget(self.due_known)
        due_layout.addWidget(self.due, 1)

        self.form = RecordForm(
            session,
            values_of=self._values_of,
            form_values=self._form_values,
            fill=self._fill,
            write=lambda case, item_id, changes: ops.edit_action(case, item_id, **changes),
            select=lambda item_id: self.select(item_id),
            describe=lambda a: f"The action item “{a.title}”",
            parent=self,
        )
        for label, field, widget in (
            ("Title", "title", self.title),
            ("Owner", "owner", self.owner),
            ("Due", "due", due_row),
            ("Status", "status", self.status),
            ("Waived because", "waived_reason", self.reason),
            ("Verification", "verification", self.verification),
        ):
            if widget is not due_row:
                widget.setAccessibleName(label)
            self.form.add_row(label, field, widget)
        self.form.layout.addRow("", buttons)
        self.details = QWidget()
        self.details.setLayout(self.form.layout)
        self.details.setEnabled(False)
        details_scroll = scrolling(self.details, min_width=280)  # a short screen scrolls the form, never clips it
        self.blockers = QLabel()
        self.blockers.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.new_title, 1)
        top.addWidget(self.add_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.blockers)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(details_scroll)
        split.setSizes([640, 360])
        split.setStretchFactor(0, 1)  # a wider window widens the table; the form keeps its width
        split.setStretchFactor(1, 0)
        split.setChildrenCollapsible(False)
        QVBoxLayout(self).addWidget(split)
        session.changed.connect(self._changed)
        self.reload()

    def focus_target(self) -> QWidget:
        return self.table

    def _changed(self, changes: Changes) -> None:
        if changes.touches(RecordKind.ACTION):
            self.reload()

    def reload(self) -> None:
        current = self.selected()
        items = self.session.reader.records.all(ActionItem)
        self.model.set_records(items)
        fit_columns(self.table)
        open_items = [a for a in items if not a.status.settled]
        if not items:
            self.blockers.setText("No action items yet. Turn each gap into a change someone owns.")
        elif open_items:
            self.blockers.setText(
                f"Open action items: {len(open_items)}. They hold the case open until "
                "tested or waived."
            )
        else:
            self.blockers.setText("Every action item is tested or waived: the case can be closed.")
        if current is not None:
            self.select(current.id, refresh=False)
        if self.selected() is None or self.form.record is None:
            self._show_selected()  # the item was deleted: an empty, disabled form

    def selected(self) -> ActionItem | None:
        return current_record(self.table)

    def select(self, item_id: str, refresh: bool = True) -> None:
        if self.model.row_of(item_id) < 0 and refresh:
            self.reload()
        if select_record(self.table, self.model, item_id):
            self._show_selected()

    def _show_selected(self) -> None:
        a = self.selected()
        self.form.load(a)  # first: an edit of the record shown before is saved
        self.details.setEnabled(a is not None)
        self.delete_button.setEnabled(a is not None)
        if a is None:
            for field in (self.title, self.owner, self.reason, self.verification):
                field.clear()
        self._reason_needed()

    # ------------------------------------------------------------ the form
    @staticmethod
    def _values_of(a: ActionItem) -> dict[str, Any]:
        return dict(title=a.title, owner=a.owner, due=a.due, status=a.status,
                    waived_reason=a.waived_reason, verification=a.verification)

    def _form_values(self) -> dict[str, Any]:
        status = ActionStatus(self.status.currentText())
        qd = self.due.date()
        return dict(
            title=self.title.text().strip(),
            owner=self.owner.text().strip(),
            due=date(qd.year(), qd.month(), qd.day()) if self.due_known.isChecked() else None,
            status=status,
            waived_reason=self.reason.text().strip() if status == ActionStatus.WAIVED else "",
            verification=self.verification.text().strip(),
        )

    def _fill(self, values: dict[str, Any]) -> None:
        self.title.setText(values["title"])
        self.owner.setText(values["owner"])
        self.status.setCurrentText(values["status"].value)
        self.reason.setText(values["waived_reason"])
        self.verification.setText(values["verification"])
        self.due_known.setChecked(values["due"] is not None)
        self.due.setEnabled(values["due"] is not None)
        if values["due"]:
            due = values["due"]
            self.due.setDate(QDate(due.year, due.month, due.day))

    def _reason_needed(self) -> None:
        waived = self.status.currentText() == ActionStatus.WAIVED.value
        self.reason.setEnabled(waived)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.save_pending()  # leaving the tab leaves the form: nothing typed is dropped
        super().hideEvent(event)

    def save_pending(self) -> None:
        """Save what the form holds (locking, quitting, leaving the tab)."""
        if not self.session.closed:
            self.form.save()

    # ------------------------------------------------------------ changing
    def add_from_field(self) -> None:
        title = self.new_title.text().strip()
        if not title:
            return
        self.new_title.clear()
        self.session.write(lambda c: ops.add_action(c, title), on_done=lambda a: self.select(a.id))

    def delete_selected(self) -> None:
        a = self.selected()
        if a is None or not confirm_delete(self, "action item", a.title):
            return
        self.session.write(lambda c: ops.delete(c, ActionItem, a.id))

    def save_selected(self) -> None:
        self.form.save()
