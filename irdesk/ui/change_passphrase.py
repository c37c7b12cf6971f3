"""File ▸ Change passphrase…: re-key the case in place, on the writer thread."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from irdesk.ui.passphrase_fields import PassphraseFields


class ChangePassphraseDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change passphrase")
        self.setMinimumWidth(460)
        self.fields = PassphraseFields(lambda: (title,))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b; font-weight: bold")
        note = QLabel("Copies made before (hand-off copies, backups) keep their old passphrase.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Change passphrase", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        problem = self.fields.problem()
        if problem:
            self.error.setText(problem)
            return
        super().accept()

    def passphrase(self) -> str:
        return self.fields.value()
