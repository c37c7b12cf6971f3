"""Unlock a case with its passphrase; optionally remember it in the system keychain."""

from __future__ import annotations

import html
import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile.errors import WrongPassphrase
from irdesk.casefile.store import CaseFile
from irdesk.domain.paths import shown
from irdesk.keychain import Keychain, KeychainError
from irdesk.ui.jobs import Job, JobRunner
from irdesk.ui.screen_fit import grow_to_fit

WRONG = "Wrong passphrase. Check Caps Lock and the keyboard layout, then try again."


class UnlockDialog(QDialog):
    def __init__(
        self,
        path: str,
        author: str,
        keychain: Keychain,
        key_id: str,
        parent: QWidget | None = None,
        message: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Unlock case")
        self.setMinimumWidth(440)
        self.path, self.author, self.keychain, self.key_id = path, author, keychain, key_id
        self.case: CaseFile | None = None
        self.remembered = False
        self._passphrase = ""
        self._unlocking = False
        self._jobs = JobRunner(self, threads=1)  # key derivation takes a second on purpose
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.remember = QCheckBox("Remember in the system keychain")
        status = keychain.status()
        self.remember.setEnabled(status.usable)
        self.keychain_reason = QLabel(status.reason)
        self.keychain_reason.setStyleSheet("color: gray")
        self.keychain_reason.setVisible(bool(status.reason))
        self.error = QLabel(message)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b; font-weight: bold")
        self.error.setAccessibleName("Unlock error")
        self.error.setVisible(bool(message))
        self.buttons = buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.unlock_button = buttons.addButton("Unlock", QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        buttons.accepted.connect(self.unlock)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        name = QLabel(f"<b>{html.escape(shown(os.path.basename(path)))}</b>")
        name.setToolTip(shown(path))
        layout.addWidget(name)
        layout.addWidget(QLabel("Passphrase"))
        layout.addWidget(self.passphrase)
        layout.addWidget(self.remember)
        layout.addWidget(self.keychain_reason)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.passphrase.setFocus()

    def unlock(self) -> None:
        passphrase = self.passphrase.text()
        if not passphrase:
            self._show("Type the passphrase.")
            return
        self._show("Unlocking…", error=False)
        self._busy(True)
        self._passphrase = passphrase
        path, author = self.path, self.author

        def open_case(_job: Job) -> CaseFile:
            try:
                return CaseFile.open(path, passphrase, actor=author, repair_search=False)
            except WrongPassphrase:
                raise WrongPassphrase(WRONG) from None

        self._jobs.start(open_case, owner=self, on_done=self._opened, on_error=self._failed)

    def reject(self) -> None:  # Esc and the close button wait for a running unlock
        if not self._unlocking:
            super().reject()

    def _busy(self, busy: bool) -> None:
        self._unlocking = busy
        for widget in (self.passphrase, self.buttons, self.remember):
            widget.setEnabled(
                not busy and (widget is not self.remember or self.keychain.status().usable)
            )
        if busy:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QGuiApplication.restoreOverrideCursor()

    def _failed(self, message: str) -> None:
        self._busy(False)
        self._show(message)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def _opened(self, case: CaseFile) -> None:
        self._busy(False)
        self.case = case
        if self.remember.isChecked():
            try:
                self.keychain.remember(self.key_id, self._passphrase)
                self.remembered = True
            except KeychainError:
                self.remembered = False  # the case is open; the keychain is only a convenience
        self._passphrase = ""
        self.passphrase.clear()
        self.accept()

    def _show(self, text: str, *, error: bool = True) -> None:
        self.error.setStyleSheet("color: #c0392b; font-weight: bold" if error else "color: gray")
        self.error.setText(text)
        self.error.setVisible(True)
        grow_to_fit(self)  # a message of two lines gets two lines, never a clipped one
        self.error.repaint()
