"""Record one custody event: what happened to the evidence, who, to whom, when and where.

The dialog stays open until the case file has taken the event; a refusal (a transfer with
no recipient, a time out of range) shows as one sentence beside the field it concerns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from irdesk.casefile import operations as ops
from irdesk.domain.enums import CustodyAction
from irdesk.domain.records import Evidence
from irdesk.ui.forms import FieldRows, MomentField
from irdesk.ui.session import CaseSession


class CustodyDialog(QDialog):
    def __init__(self, session: CaseSession, evidence: Evidence, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a custody event")
        self.session, self.evidence = session, evidence
        self.action = QComboBox()
        self.action.addItems([a.value for a in CustodyAction])
        self.action.setAccessibleName("Action")
        self.by_whom = QLineEdit()
        self.by_whom.setAccessibleName("By whom")
        self.by_whom.setPlaceholderText("Who handled it (required)")
        self.to_whom = QLineEdit()
        self.to_whom.setAccessibleName("To whom")
        self.to_whom.setPlaceholderText("The person or place it went to (for a transfer)")
        self.location = QLineEdit()
        self.location.setAccessibleName("Where")
        self.note = QLineEdit()
        self.note.setAccessibleName("Note")
        self.at = MomentField("When")
        self.at.set_now()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton("Add event", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setDefault(True)  # Enter adds; with no name it says so beside the field
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.rows = FieldRows(parent=self)
        for name, field, widget in (
            ("Action", "action", self.action),
            ("When", "at", self.at),
            ("By whom", "by_whom", self.by_whom),
            ("To whom", "to_whom", self.to_whom),
            ("Where", "location", self.location),
            ("Note", "note", self.note),
        ):
            self.rows.add_row(name, field, widget)
        title = QLabel(f"Evidence: <b>{_escape(evidence.label)}</b>")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(self.rows.layout)
        layout.addWidget(self.buttons)
        session.closing.connect(self.reject)
        self.action.setFocus()

    def fields(self) -> dict[str, Any]:
        return dict(
            action=CustodyAction(self.action.currentText()),
            at=self.at.value(),
            by_whom=self.by_whom.text().strip(),
            to_whom=self.to_whom.text().strip(),
            location=self.location.text().strip(),
            note=self.note.text().strip(),
        )

    def submit(self) -> None:
        if not self.by_whom.text().strip():
            self.rows.say("Say who handled it.", "by_whom")
            self.by_whom.setFocus()
            return
        fields, evidence_id = self.fields(), self.evidence.id
        self.add_button.setEnabled(False)
        self.session.write(lambda c: ops.add_custody(c, evidence_id, **fields),
                           on_done=lambda _event: self.accept(), on_error=self._refused, owner=self)

    def save_before_lock(self, refused: Callable[[str], None]) -> None:
        """The case is being locked: add the event if it can be, or say why it was not."""
        what = f"The custody event for “{self.evidence.label}”"
        if not self.by_whom.text().strip():
            if any(f.text().strip() for f in (self.to_whom, self.location, self.note)):
                refused(f"{what}: who handled it was not given")
            return
        fields, evidence_id = self.fields(), self.evidence.id
        self.session.write(lambda c: ops.add_custody(c, evidence_id, **fields),
                           on_error=lambda message: refused(f"{what}: {message}"))

    def _refused(self, message: str) -> None:
        self.add_button.setEnabled(True)
        self.rows.say(message)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
