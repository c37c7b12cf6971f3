"""Action items on the Post-incident tab: owner, due date, proposed → … → tested, or waived."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
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
from irdesk.ui.moments import keep_in_bounds
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
        self.table = record_table(self.model, "Action items", sortable=False)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        delete_action(self.table, "action item", lambda: self.delete_selected())

        self.new_title = QLineEdit()
        self.new_title.setPlaceholderText("New action item, e.g. “Deploy EDR on file servers”")
        self.new_title.setAccessibleName("New action item")
        self.new_title.returnPressed.connect(self.add_from_field)
        add = QPushButton("Add")
        add.clicked.connect(self.add_from_field)

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
        self.status = QComboBox()
        self.status.addItems([s.value for s in ActionStatus])
        save = QPushButton("Save action item")
        save.clicked.connect(self.save_selected)
        delete = QPushButton("Delete…")
        delete.setAccessibleName("Delete action item")
        delete.clicked.connect(lambda: self.delete_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addStretch(1)
        buttons.addWidget(delete)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_known)
        due_row.addWidget(self.due, 1)
        form = QFormLayout()
        for label, widget in (
            ("Title", self.title),
            ("Owner", self.owner),
            ("Status", self.status),
            ("Waived because", self.reason),
            ("Verification", self.verification),
        ):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        self.due.setAccessibleName("Due date")
        form.insertRow(2, "Due", due_row)
        form.addRow("", buttons)
        self.details = QWidget()
        self.details.setLayout(form)
        self.details.setEnabled(False)
        self.blockers = QLabel()
        self.blockers.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.new_title, 1)
        top.addWidget(add)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.blockers)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.details)
        split.setSizes([640, 360])
        QVBoxLayout(self).addWidget(split)
        session.changed.connect(self._changed)
        self.reload()

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
        if self.selected() is None:
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
        self.details.setEnabled(a is not None)
        if a is None:
            for field in (self.title, self.owner, self.reason, self.verification):
                field.clear()
            return
        self.title.setText(a.title)
        self.owner.setText(a.owner)
        self.status.setCurrentText(a.status.value)
        self.reason.setText(a.waived_reason)
        self.verification.setText(a.verification)
        self.due_known.setChecked(a.due is not None)
        if a.due:
            self.due.setDate(QDate(a.due.year, a.due.month, a.due.day))

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
        a = self.selected()
        if a is None:
            return
        status = ActionStatus(self.status.currentText())
        reason = self.reason.text().strip()
        qd = self.due.date()
        changes = dict(
            title=self.title.text().strip() or a.title,
            owner=self.owner.text().strip(),
            status=status,
            waived_reason=reason if status == ActionStatus.WAIVED else "",
            verification=self.verification.text().strip(),
            due=date(qd.year(), qd.month(), qd.day()) if self.due_known.isChecked() else None,
        )
        self.session.write(lambda c: ops.edit_action(c, a.id, **changes), on_error=self._refused)

    def _refused(self, message: str) -> None:
        QMessageBox.warning(self, "Action item", message)
        self.reason.setFocus()
