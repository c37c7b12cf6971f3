"""Record one custody event: what happened to the evidence, who, to whom, when and where."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from irdesk.domain.enums import CustodyAction
from irdesk.ui.forms import MomentField


class CustodyDialog(QDialog):
    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Custody: {label}")
        self.action = QComboBox()
        self.action.addItems([a.value for a in CustodyAction])
        self.action.setAccessibleName("Action")
        self.by_whom = QLineEdit()
        self.by_whom.setAccessibleName("By whom")
        self.to_whom = QLineEdit()
        self.to_whom.setAccessibleName("To whom")
        self.location = QLineEdit()
        self.location.setAccessibleName("Where")
        self.note = QLineEdit()
        self.note.setAccessibleName("Note")
        self.at = MomentField("When")
        self.at.set_now()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        for name, widget in (
            ("Action", self.action),
            ("When", self.at),
            ("By whom", self.by_whom),
            ("To whom", self.to_whom),
            ("Where", self.location),
            ("Note", self.note),
        ):
            form.addRow(name, widget)
        form.addRow(buttons)

    def accept(self) -> None:
        if not self.by_whom.text().strip():
            self.by_whom.setFocus()
            self.by_whom.setPlaceholderText("Who handled it? (required)")
            return
        super().accept()

    def fields(self) -> dict[str, Any]:
        return dict(
            action=CustodyAction(self.action.currentText()),
            at=self.at.value(),
            by_whom=self.by_whom.text().strip(),
            to_whom=self.to_whom.text().strip(),
            location=self.location.text().strip(),
            note=self.note.text().strip(),
        )
