"""The Notifications panel on the Post-incident tab: every regulatory deadline, and what was sent.

One row per stage of each regime. The responder adds a regime (and the times that start its
clocks), then records each notification sent; the states (met, late, open, overdue, not yet
triggered) follow from those, as of now.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes
from irdesk.domain.deadlines import Deadline
from irdesk.domain.enums import RecordKind
from irdesk.domain.records import Contact, Notification, Regime
from irdesk.domain.regimes import regime_label
from irdesk.ui.deletion import confirm_delete
from irdesk.ui.moments import local_zone_label
from irdesk.ui.post_incident.deadline_model import DeadlineTableModel
from irdesk.ui.post_incident.notification_dialog import NotificationDialog
from irdesk.ui.post_incident.regime_dialog import RegimeDialog
from irdesk.ui.session import CaseSession
from irdesk.ui.tables import fit_columns, record_table

REFRESH_MS = 60_000  # "14 h left" moves on while the panel is open


class NotificationsPanel(QWidget):
    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = DeadlineTableModel(self)
        self.table = record_table(self.model, "Regulatory deadlines", sort_column=None)  # soonest first
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.table.doubleClicked.connect(lambda _index: self.record_or_edit())

        def button(text: str, slot: Any, tip: str) -> QPushButton:
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(lambda _=False: slot())
            return b

        self.add_regime_button = button("Add regime…", self.add_regime, "GDPR, NIS2, DORA, SEC 8-K, CIRCIA or your own")
        self.edit_regime_button = button("Edit regime…", self.edit_regime, "Its times, jurisdiction, zone, stages")
        self.delete_regime_button = button("Delete regime…", self.delete_regime, "The regime and its notifications")
        self.record_button = button("Record sent…", self.record_sent, "A notification was sent for this deadline")
        self.edit_button = button("Edit sent…", self.edit_notification, "Correct the notification sent")
        self.delete_button = button("Delete sent…", self.delete_notification, "Delete the notification sent")
        top = QHBoxLayout()
        for b in (self.add_regime_button, self.edit_regime_button, self.delete_regime_button):
            top.addWidget(b)
        top.addStretch(1)
        self.as_of = QLabel()
        self.as_of.setStyleSheet("color: gray")
        self.as_of.setToolTip("irdesk computes these deadlines from what you record; it is not legal advice "
                              "(see docs/REGULATORY.md).")
        top.addWidget(self.as_of)
        top.addStretch(1)
        for b in (self.record_button, self.edit_button, self.delete_button):
            top.addWidget(b)
        self.empty = QLabel("No regime applies yet. Add the ones this incident falls under (GDPR, NIS2, "
                            "DORA, SEC 8-K, CIRCIA or your own) and irdesk counts down to each deadline. irdesk "
                            "computes deadlines from what you record; it is not legal advice.")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: gray")
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAccessibleName("Deadline details")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        session.changed.connect(self._changed)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        session.closing.connect(self._timer.stop)
        self._stale = True  # loaded when first shown, not while the window opens

    # ------------------------------------------------------------ reading
    def _changed(self, changes: Changes) -> None:
        if changes.touches(RecordKind.REGIME, RecordKind.NOTIFICATION, RecordKind.CONTACT):
            self._stale = True
            if self.isVisible():
                self.reload()

    def _tick(self) -> None:
        if self.isVisible() and not self.session.closed and not self.session.case.closed and not self.session.pending:
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        if self.session.closed or self.session.case.closed:
            return
        self._stale = False
        current = self.selected()
        reader = self.session.reader
        now = reader.clock()
        contacts: dict[str, Contact] = {c.id: c for c in reader.records.all(Contact, include_deleted=True)}
        self.model.set_deadlines(ops.deadlines(reader, now), contacts)
        self.empty.setVisible(self.model.rowCount() == 0)
        fit_columns(self.table)
        self.as_of.setText(f"As of {now.utc.astimezone():%Y-%m-%d %H:%M} ({local_zone_label()})")
        if current is not None:
            self.select(current.regime.id, current.stage.key)
        self._show_selected()

    def selected(self) -> Deadline | None:
        return self.model.deadline_at(self.table.currentIndex().row())

    def select(self, regime_id: str, stage: str = "") -> bool:
        if self._stale:
            self.reload()
        rows = [i for i, d in enumerate(self.model.deadlines())
                if d.regime.id == regime_id and (not stage or d.stage.key == stage)]
        if not rows:
            return False
        self.table.selectRow(rows[0])
        return True

    def _select_quietly(self, regime_id: str, stage: str = "") -> None:
        self.reload()  # the change set arrives just after this callback
        self.select(regime_id, stage)

    def _show_selected(self) -> None:
        d = self.selected()
        for b in (self.edit_regime_button, self.delete_regime_button, self.record_button):
            b.setEnabled(d is not None)
        for b in (self.edit_button, self.delete_button):
            b.setEnabled(d is not None and d.sent is not None)
        if d is None:
            self.details.setText("")
            return
        lines = [f"<b>{html.escape(d.label)}</b>: {html.escape(d.basis)}."]
        if d.state.value == "not-triggered":
            lines.append(f"Not yet triggered: {html.escape(d.waiting_for)}.")
        if d.sent is not None and d.sent.late_reason:
            lines.append(f"Reason for the delay: {html.escape(d.sent.late_reason)}")
        elif d.state.value == "late":
            lines.append("<b>No reason for the delay is recorded</b>: edit the notification to add it.")
        self.details.setText("<br/>".join(lines))

    # ------------------------------------------------------------ regimes
    def add_regime(self, kind: Any = None, fields: dict[str, Any] | None = None) -> None:
        """Ask for a regime (``kind`` and ``fields`` given: add that one, as a test would)."""
        if fields is None:
            dialog = RegimeDialog(None, self)
            if not dialog.exec():
                return
            kind, fields = dialog.chosen_kind(), dialog.fields()
        chosen = dict(fields)
        self.session.write(lambda c: ops.add_regime(c, kind, **chosen), owner=self,
                           on_done=lambda r: self._select_quietly(r.id), on_error=self._refused)

    def edit_regime(self, fields: dict[str, Any] | None = None) -> None:
        d = self.selected()
        if d is None:
            return
        if fields is None:
            dialog = RegimeDialog(d.regime, self)
            if not dialog.exec():
                return
            fields = dialog.fields()
        regime_id, changes = d.regime.id, dict(fields)
        self.session.write(lambda c: ops.edit_regime(c, regime_id, **changes), owner=self, on_error=self._refused)

    def delete_regime(self) -> None:
        d = self.selected()
        if d is None or not confirm_delete(self, "regime", regime_label(d.regime),
                                           "it and the notifications recorded under it stay"):
            return
        regime_id = d.regime.id
        self.session.write(lambda c: ops.delete_regime(c, regime_id), owner=self, on_error=self._refused)

    # ------------------------------------------------------------ notifications
    def record_or_edit(self) -> None:
        d = self.selected()
        if d is not None:
            self.edit_notification() if d.sent is not None else self.record_sent()

    def _live_contacts(self) -> list[Contact]:
        return self.session.reader.records.all(Contact)

    def record_sent(self, fields: dict[str, Any] | None = None) -> None:
        d = self.selected()
        if d is None:
            return
        if fields is None:
            dialog = NotificationDialog(d, self._live_contacts(), None, self)
            if not dialog.exec():
                return
            fields = dialog.fields()
        regime: Regime = d.regime
        stage, f = d.stage.key, dict(fields)
        if f.get("sent_at") is None:
            self._refused("Say when the notification was sent.")
            return
        self.session.write(
            lambda c: ops.add_notification(c, regime.id, stage, f["sent_at"], f["contact_id"],
                                           reference=f.get("reference", ""), late_reason=f.get("late_reason", "")),
            owner=self, on_done=lambda n: self._select_quietly(n.regime_id, n.stage), on_error=self._refused)

    def edit_notification(self, fields: dict[str, Any] | None = None) -> None:
        d = self.selected()
        if d is None or d.sent is None:
            return
        sent = d.sent
        if fields is None:
            dialog = NotificationDialog(d, self._live_contacts(), sent, self)
            if not dialog.exec():
                return
            fields = dialog.fields()
        changes = {k: v for k, v in fields.items() if v is not None}
        self.session.write(lambda c: ops.edit_notification(c, sent.id, **changes), owner=self,
                           on_error=self._refused)

    def delete_notification(self) -> None:
        d = self.selected()
        if d is None or d.sent is None or not confirm_delete(self, "notification", d.label):
            return
        sent_id = d.sent.id
        self.session.write(lambda c: ops.delete(c, Notification, sent_id), owner=self, on_error=self._refused)

    def _refused(self, message: str) -> None:
        QMessageBox.warning(self, "Notifications", message)

