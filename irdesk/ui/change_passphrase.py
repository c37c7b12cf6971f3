"""File ▸ Change passphrase…: the current passphrase first, then the new one twice.

The current passphrase is checked the way an unlock checks it (its key derived off the GUI
thread and compared with the open case's key): someone at an unlocked, unattended laptop
cannot take the case away from its owner. The re-key itself runs on the writer thread.
"""

from __future__ import annotations

import hmac

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from irdesk.casefile import kdf
from irdesk.ui.forms import ERROR_STYLE
from irdesk.ui.jobs import Job, JobRunner
from irdesk.ui.passphrase_fields import PassphraseFields

WRONG = "The current passphrase is wrong. Check Caps Lock and the keyboard layout."


class ChangePassphraseDialog(QDialog):
    def __init__(self, title: str, salt: bytes, key: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change the case passphrase")
        self.setMinimumWidth(480)
        self._salt, self._key = salt, key
        self._jobs = JobRunner(self, threads=1)
        self.current = QLineEdit()
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.current.setAccessibleName("Current passphrase")
        self.fields = PassphraseFields(lambda: (title,), above=[("Current", self.current)])
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAccessibleName("Why the passphrase was not changed")
        note = QLabel("Copies made before (hand-off copies, backups) keep their old passphrase.")
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.change_button = self.buttons.addButton("Change passphrase", QDialogButtonBox.ButtonRole.AcceptRole)
        self.change_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.current.textChanged.connect(self._recheck)
        self.fields.checked.connect(self._recheck)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.current.setFocus()
        self._checking = False
        self._wrong = ""  # the current passphrase that was found wrong

    def problem(self) -> str:
        if not self.current.text():
            return "Type the current passphrase."
        if self.current.text() == self._wrong:
            return WRONG
        return self.fields.problem()

    def _recheck(self) -> None:
        shown = self.error.text()
        if shown and shown != "Checking the current passphrase…" and self.problem() != shown:
            self.error.clear()  # fixed: the red sentence goes at once

    def accept(self) -> None:
        if self._checking:
            return
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            return
        current, salt = self.current.text(), self._salt
        self._checking = True
        self.change_button.setEnabled(False)
        self.error.setText("Checking the current passphrase…")

        def derive(_job: Job) -> bytes:
            return kdf.derive_key(current, salt)  # a second, on purpose, like an unlock

        self._jobs.start(derive, owner=self, on_done=lambda key: self._checked(current, key),
                         on_error=self._failed)

    def _checked(self, current: str, key: bytes) -> None:
        if not self.isVisible():
            return  # closed meanwhile (cancelled, or the case was locked)
        self._checking = False
        self.change_button.setEnabled(True)
        if not hmac.compare_digest(key, self._key):
            self._wrong = current
            self.error.setText(WRONG)
            self.current.selectAll()
            self.current.setFocus()
            return
        self.error.clear()
        self.current.clear()
        super().accept()

    def _failed(self, message: str) -> None:
        self._checking = False
        self.change_button.setEnabled(True)
        self.error.setText(message)

    def reject(self) -> None:
        self._checking = False
        self.current.clear()
        super().reject()

    def passphrase(self) -> str:
        return self.fields.value()
