"""Edit the case's key times: first activity, detected, reported, contained, eradicated…"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from irdesk.domain.records import Case
from irdesk.ui.forms import MomentField

LABELS = {
    "first_activity_at": "First activity",
    "detected_at": "Detected",
    "reported_at": "Reported",
    "contained_at": "Contained",
    "eradicated_at": "Eradicated",
    "recovered_at": "Recovered",
}


class KeyTimesDialog(QDialog):
    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Key times")
        self.fields: dict[str, MomentField] = {}
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                "Tick a time to set it. Clocks on a compromised network may be wrong: "
                "use the best time you know."
            )
        )
        for name, label in LABELS.items():
            field = MomentField(label)
            field.set_value(getattr(case, name))
            self.fields[name] = field
            form.addRow(label, field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def changes(self) -> dict[str, Any]:
        return {name: field.value() for name, field in self.fields.items()}
