"""Unlock a case with its passphrase; optionally remember it in the system keychain."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
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

from irdesk.casefile.errors import CaseFileError, WrongPassphrase
from irdesk.casefile.store import CaseFile
from irdesk.keychain import Keychain, KeychainError


class _Signals(QObject):
    opened = Signal(object)  # CaseFile
    failed = Signal(bool, str)  # (wrong passphrase?, message)


class _OpenJob(QRunnable):
    """Key derivation takes a second on purpose; it runs here so the window keeps painting."""

    def __init__(self, path: str, passphrase: str, author: str, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)  # the pool deletes it after run(); we keep no reference
        self.path, self.passphrase, self.author = path, passphrase, author
        self.signals = signals  # owned by the dialog, so never deleted on the pool thread

    def run(self) -> None:
        try:
            case = CaseFile.open(self.path, self.passphrase, actor=self.author)
        except WrongPassphrase:
            self.signals.failed.emit(True, "")
        except CaseFileError as exc:
            self.signals.failed.emit(False, exc.message)
        except Exception as exc:  # noqa: BLE001 - a bug: say so rather than hang on "Unlocking…"
            self.signals.failed.emit(False, f"irdesk hit a bug: {type(exc).__name__}: {exc}")
        else:
            self.signals.opened.emit(case)
        finally:
            self.passphrase = ""


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
        self._signals = _Signals(self)
        self._signals.opened.connect(self._opened)
        self._signals.failed.connect(self._failed)
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
        buttons.accepted.connect(self.unlock)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        name = QLabel(f"<b>{os.path.basename(path)}</b>")
        name.setToolTip(path)
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
        QThreadPool.globalInstance().start(
            _OpenJob(self.path, passphrase, self.author, self._signals)
        )

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

    def _failed(self, wrong: bool, message: str) -> None:
        self._busy(False)
        if wrong:
            message = "Wrong passphrase. Check Caps Lock and the keyboard layout, then try again."
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
        self.error.repaint()
