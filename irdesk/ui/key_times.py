"""Case ▸ Key times…: first activity, detected, reported, contained, eradicated, recovered.

Each time is typed, picked, back-dated or set to now, in local time; a time left alone keeps
its own offset. Only the times changed are sent, and a refusal from the case file (an
impossible order) shows as one sentence beside the field that was changed, with the dialog
still open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox, QWidget

from irdesk.casefile import operations as ops
from irdesk.domain.records import Case
from irdesk.ui.forms import MomentField, Refusal, concerned
from irdesk.ui.session import CaseSession

LABELS = {
    "first_activity_at": "First activity",
    "detected_at": "Detected",
    "reported_at": "Reported",
    "contained_at": "Contained",
    "eradicated_at": "Eradicated",
    "recovered_at": "Recovered",
}


class KeyTimesDialog(QDialog):
    def __init__(self, session: CaseSession, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Key times of the case")
        self.session = session
        self.fields: dict[str, MomentField] = {}
        self.refusals: dict[str, Refusal] = {}
        self._last_edited = next(iter(LABELS))
        form = QFormLayout(self)
        intro = QLabel(
            "Tick a time to set it; type it, pick it or press Now. Clocks on a compromised "
            "network may be wrong: use the best time you know. Times are in local time."
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        for name, label in LABELS.items():
            field = MomentField(label)
            field.set_value(getattr(case, name))
            field.changed.connect(lambda name=name: self._edited(name))
            refusal = Refusal(f"Why {label.lower()} was not saved")
            self.fields[name], self.refusals[name] = field, refusal
            form.addRow(label, field)
            form.addRow("", refusal)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._closing = False
        session.closing.connect(self._case_closing)

    def changes(self) -> dict[str, Any]:
        """The times the user changed (every other one stays exactly as it was)."""
        return {name: field.value() for name, field in self.fields.items() if field.edited}

    def _edited(self, name: str) -> None:
        self._last_edited = name
        for refusal in self.refusals.values():
            refusal.clear_message()  # the order may well be fixed now: say it again on Save

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.accept()
            return
        self.save_button.setEnabled(False)
        self.session.write(lambda c: ops.edit_case(c, **changes), on_done=lambda _case: self.accept(),
                           on_error=self._refused, owner=self)

    def reject(self) -> None:
        """Cancel, Esc or the close button: changed times are not dropped without asking."""
        if self.changes() and not self._closing:
            answer = QMessageBox.question(
                self, "Key times", "Save the times you changed?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Save:
                self.save()
                return
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    def _case_closing(self) -> None:
        self._closing = True  # locking saved what it could (save_before_lock): close, ask nothing
        super().reject()

    def save_before_lock(self, refused: Callable[[str], None]) -> None:
        """The case is being locked: save the changed times, or say why they could not be."""
        changes = self.changes()
        if changes:
            self.session.write(lambda c: ops.edit_case(c, **changes),
                               on_error=lambda message: refused(f"The key times: {message}"))

    def _refused(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.refusals[concerned(message, self._last_edited, self.refusals)].say(message)
