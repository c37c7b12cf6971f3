"""File ▸ Hand off…: write a re-keyed copy for a colleague; show the fingerprint to read aloud."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile.handoff import HandoffCopy, write_handoff_copy
from irdesk.domain.paths import shown
from irdesk.ui.passphrase_fields import PassphraseFields
from irdesk.ui.paths import path_from_text, path_text
from irdesk.ui.session import CaseSession

ERROR_STYLE = "color: #c0392b; font-weight: bold"


def default_copy_path(case_path: str) -> str:
    stem, _ = os.path.splitext(os.path.basename(case_path))
    return os.path.join(os.path.dirname(os.path.abspath(case_path)), f"{stem}-handoff.ircase")


class HandoffDialog(QDialog):
    """Two pages: where and under which passphrase; then the fingerprint, large."""

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._title = session.reader.case().title  # read once: the meter must not read the case
        self.result_copy: HandoffCopy | None = None
        self.setWindowTitle("Hand off a copy")
        self.setMinimumWidth(520)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._ask_page())
        self.pages.addWidget(self._done_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        session.closing.connect(self.reject)
        self.make.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.passphrase.first.setFocus()  # the place is filled in already: the passphrase is next

    # ---------------------------------------------------------------- page 1: where, passphrase

    def _ask_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(
            "irdesk writes a copy of the whole case under a <b>new passphrase</b>, so yours never "
            "travels. Tell your colleague the new passphrase by phone, not on the stick."
        )
        intro.setWordWrap(True)
        self.target = QLineEdit(path_text(default_copy_path(self.session.path)))
        self.target.setAccessibleName("Where to write the copy")
        choose = QPushButton("Choose…")
        choose.setAutoDefault(False)
        choose.clicked.connect(self._choose)
        where = QHBoxLayout()
        where.addWidget(self.target, 1)
        where.addWidget(choose)
        self.passphrase = PassphraseFields(self._context, above=[("Copy", where)])
        self.passphrase.first.setAccessibleName("New passphrase for the copy")
        self.passphrase.second.setAccessibleName("Repeat the new passphrase")
        for field in (self.passphrase.first, self.passphrase.second, self.target):
            field.textChanged.connect(self._clear_error)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setVisible(False)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.make = self.buttons.addButton("Make copy", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        return page

    def _choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Write the hand-off copy to", self.target.text(), "Case files (*.ircase)"
        )
        if path:
            self.target.setText(path if path.endswith(".ircase") else path + ".ircase")

    def _clear_error(self) -> None:
        self.error.setText("")

    def _context(self) -> tuple[str, ...]:
        return (self._title,)

    def problem(self) -> str:
        """Why the copy cannot be made yet, or "" when it can."""
        target = path_from_text(self.target.text())
        if not target:
            return "Choose where to write the copy."
        if os.path.lexists(target):
            return f"{shown(target)} already exists; choose another name."
        if not os.path.isdir(os.path.dirname(os.path.abspath(target))):
            return "The folder for the copy does not exist."
        return self.passphrase.problem()

    def _start(self) -> None:
        problem = self.problem()
        if problem:
            self.passphrase.reason.clear()  # said once, below, in red
            self.error.setText(problem)
            return
        self.error.setText("")
        self._set_busy(True)
        target, passphrase = os.path.abspath(path_from_text(self.target.text())), self.passphrase.value()
        # Queued behind every pending write, so the copy holds all the window shows as saved.
        self.session.after_writes(lambda case: write_handoff_copy(case, target, passphrase),
                                  on_done=self._finished, on_error=self._failed, owner=self)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.make.setEnabled(not busy)
        for widget in (self.target, self.passphrase):
            widget.setEnabled(not busy)

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self.error.setText(message)

    # ---------------------------------------------------------------- page 2: the fingerprint

    def _done_page(self) -> QWidget:
        page = QWidget()
        self.done_text = QLabel()
        self.done_text.setWordWrap(True)
        self.fingerprint = QLabel()
        self.fingerprint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setAccessibleName("Fingerprint of the copy")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(28)
        font.setBold(True)
        self.fingerprint.setFont(font)
        self.fingerprint.setStyleSheet("padding: 18px; border: 2px solid #888; border-radius: 6px")
        advice = QLabel(
            "Read these four groups to your colleague. When they open the copy (or run "
            "<tt>irdesk check</tt>) they must see the same ones; if not, the copy was damaged "
            "or is not this version."
        )
        advice.setWordWrap(True)
        copy_button = QPushButton("Copy fingerprint")
        copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.fingerprint.text())
        )
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        close.addButton(copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(page)
        layout.addWidget(self.done_text)
        layout.addWidget(self.fingerprint)
        layout.addWidget(advice)
        layout.addStretch(1)
        layout.addWidget(close)
        return page

    def _finished(self, copy: HandoffCopy) -> None:
        self._set_busy(False)
        self.passphrase.first.clear()
        self.passphrase.second.clear()
        self.result_copy = copy
        self.done_text.setText(f"The copy is written:<br><b>{_escape(shown(copy.path))}</b>")
        self.fingerprint.setText(copy.fingerprint)
        width = self.fingerprint.fontMetrics().horizontalAdvance(copy.fingerprint) + 60
        self.fingerprint.setMinimumWidth(width)
        self.adjustSize()
        self.pages.setCurrentIndex(1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def show_handoff_dialog(parent: QWidget | None, session: CaseSession) -> HandoffDialog:
    """Open the hand-off dialog (window-modal, returns at once); the lead's menu calls this."""
    dialog = HandoffDialog(session, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
