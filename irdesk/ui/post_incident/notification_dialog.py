"""Record (or correct) a notification sent: when, to whom, the regulator's reference, why late."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from irdesk.domain.deadlines import Deadline
from irdesk.domain.enums import ContactKind
from irdesk.domain.records import Contact, Notification
from irdesk.ui.forms import MomentField
from irdesk.ui.moments import shown


class NotificationDialog(QDialog):
    """``contacts``: the live contacts to choose from (regulators are listed first)."""

    def __init__(self, deadline: Deadline, contacts: list[Contact], notification: Notification | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{deadline.label}: {'correct the notification' if notification else 'sent'}")
        due = f"Due {shown(deadline.due)} ({deadline.basis})." if deadline.due else deadline.describe().capitalize()
        intro = QLabel(due)
        intro.setWordWrap(True)
        self.sent_at = MomentField("Sent at")
        self.to = QComboBox()
        self.to.setAccessibleName("Sent to")
        ordered = sorted(contacts, key=lambda c: (c.kind is not ContactKind.REGULATOR, c.name.casefold()))
        for contact in ordered:
            extra = f" ({contact.organisation})" if contact.organisation else ""
            self.to.addItem(contact.name + extra, contact.id)
        self.reference = QLineEdit()
        self.reference.setAccessibleName("Reference")
        self.reference.setPlaceholderText("the regulator's reference or case number")
        self.late_reason = QPlainTextEdit()
        self.late_reason.setAccessibleName("Reason for the delay")
        self.late_reason.setPlaceholderText("If it is late: why (GDPR Art. 33(1) asks for the reasons)")
        self.late_reason.setTabChangesFocus(True)
        self.late_reason.setFixedHeight(self.fontMetrics().height() * 4)
        form = QFormLayout()
        form.addRow("Sent at", self.sent_at)
        form.addRow("To", self.to)
        form.addRow("Reference", self.reference)
        form.addRow("Reason for the delay", self.late_reason)
        self.no_contact = QLabel("Add the regulator on the Contacts tab first: a notification is sent to a contact.")
        self.no_contact.setWordWrap(True)
        self.no_contact.setStyleSheet("color: #b91c1c")
        self.no_contact.setVisible(not contacts)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(contacts))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.no_contact)
        layout.addWidget(self.buttons)
        if notification is not None:
            self.sent_at.set_value(notification.sent_at)
            self.to.setCurrentIndex(max(self.to.findData(notification.contact_id), 0))
            self.reference.setText(notification.reference)
            self.late_reason.setPlainText(notification.late_reason)
        else:
            self.sent_at.set_now()

    def fields(self) -> dict[str, Any]:
        return {
            "sent_at": self.sent_at.value(),
            "contact_id": self.to.currentData() or "",
            "reference": self.reference.text().strip(),
            "late_reason": self.late_reason.toPlainText().strip(),
        }
