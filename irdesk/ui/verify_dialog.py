"""File ▸ Verify report…: is this PDF exactly what its signer signed, and is the signer trusted?

The check runs on the session's writer thread (it may read the case's record of the
report); the dialog says the outcome in plain words: genuine, intact but signed by someone
not trusted (with the certificate's fingerprint and a way to trust it), or not genuine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile.store import CaseFile
from irdesk.ui.palette import is_dark
from irdesk.ui.session import CaseSession

if TYPE_CHECKING:
    from irdesk.report.signing import Verified

GENUINE, UNTRUSTED, NOT_GENUINE, UNCHECKED = "genuine", "untrusted", "not genuine", "unchecked"
STYLES = {
    GENUINE: "color: #1e6b34; font-weight: bold; font-size: 14pt",
    UNTRUSTED: "color: #8a5300; font-weight: bold; font-size: 14pt",
    NOT_GENUINE: "color: #c0392b; font-weight: bold; font-size: 14pt",
    UNCHECKED: "font-weight: bold; font-size: 14pt",
}
DARK_STYLES = {  # the same verdicts, readable on the dark palette
    GENUINE: "color: #6fd08c; font-weight: bold; font-size: 14pt",
    UNTRUSTED: "color: #f0a640; font-weight: bold; font-size: 14pt",
    NOT_GENUINE: "color: #ff7a6b; font-weight: bold; font-size: 14pt",
    UNCHECKED: "font-weight: bold; font-size: 14pt",
}


@dataclass(frozen=True)
class Outcome:
    """What the check found: ``verdict`` is GENUINE, UNTRUSTED, NOT_GENUINE or UNCHECKED (no answer)."""

    verdict: str
    reason: str = ""
    verified: Verified | None = None


def check_report(path: str, case: CaseFile | None) -> Outcome:
    """Verify the PDF at ``path`` (against ``case`` when given): the service's answer as an Outcome.

    A readiness book's programme report was not made from any case: it is checked on its own
    (its signer pinned by the trust list), never refused for not being the open case's.
    """
    from irdesk.identity.errors import IdentityError
    from irdesk.report.errors import NotGenuine, UntrustedSigner
    from irdesk.report.service import verify_report
    from irdesk.report.signing import BOOK, verify_pdf

    try:
        with open(path, "rb") as handle:
            data = handle.read()
        if case is not None and verify_pdf(data).claims.kind == BOOK:
            case = None
        return Outcome(GENUINE, verified=verify_report(data, case=case))
    except UntrustedSigner as exc:
        return Outcome(UNTRUSTED, exc.message, exc.verified)
    except NotGenuine as exc:
        return Outcome(NOT_GENUINE, exc.message)
    except IdentityError as exc:  # a damaged trust list
        return Outcome(UNCHECKED, exc.message)
    except OSError as exc:
        return Outcome(UNCHECKED, f"The file cannot be read: {exc.strerror or exc}.")


def grouped(fingerprint: str, per_line: int = 32) -> str:
    """'ab12…' → 'AB:12:…', ``per_line`` bytes to a line (16 reads aloud in two lines)."""
    pairs = [fingerprint.upper()[i : i + 2] for i in range(0, len(fingerprint), 2)]
    return "\n".join(":".join(pairs[i : i + per_line]) for i in range(0, len(pairs), per_line))


def describe(outcome: Outcome) -> tuple[str, str]:
    """The headline and the details, in words for the person holding the printout."""
    verified = outcome.verified
    if outcome.verdict == UNCHECKED:
        return "The report could not be checked", outcome.reason
    if outcome.verdict == NOT_GENUINE or verified is None:
        return "Not genuine: do not rely on this file", outcome.reason
    when = verified.signed_at.astimezone().strftime("%d %b %Y, %H:%M") if verified.signed_at else "an unknown time"
    what = "programme report of a readiness book" if verified.claims.kind == "book" else "report"
    signed = f"Signed by {verified.signer} on {when}, {what} {verified.claims.report_id}."
    if outcome.verdict == UNTRUSTED:
        return (
            "Intact, but the signer is not one you trust",
            f"{signed} The file is exactly what was signed, but anyone can make a certificate "
            f"with any name. Ask {verified.signer}, by phone or in person, to read you their "
            "certificate's fingerprint; trust it only if it is this SHA-256:",
        )
    from irdesk.report.service import OWN_IDENTITY, RECORDED, TRUST_LIST

    why = {
        RECORDED: "It was made from this case, by a signer the case recorded.",
        OWN_IDENTITY: "It was signed with your own identity.",
        TRUST_LIST: "The signer is in your list of trusted colleagues.",
    }
    reasons = " ".join(why[w] for w in verified.trusted_as if w in why)
    return "Genuine", f"{signed} The file is exactly what was signed. {reasons} Certificate SHA-256:"


class VerifyDialog(QDialog):
    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from irdesk.report.service import warm_up_verify

        warm_up_verify()  # imports on this thread: PySide's import hook is not thread-safe
        self.session = session
        self.outcome: Outcome | None = None
        self.busy = False
        self.dispose_when_closed = False  # delete itself once closed and idle
        self._closed = False
        self.setWindowTitle("Verify a signed report")
        self.setMinimumWidth(600)
        intro = QLabel("Check that a PDF report is exactly what its signer signed, and who signed it.")
        intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setPlaceholderText("The signed report (.pdf)")
        self.path.setAccessibleName("Report to verify")
        self.path.textChanged.connect(self._clear)
        label = QLabel("&Report")
        label.setBuddy(self.path)
        choose = QPushButton("C&hoose…")
        choose.setAutoDefault(False)
        choose.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        self.against_case = QCheckBox("Also check it was made from the open &case")
        self.against_case.setToolTip(
            f"The report must come from “{session.reader.case().title}”, signed by someone this "
            "case recorded as its signer."
        )
        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.fingerprint = QLabel()
        self.fingerprint.setAccessibleName("Signer certificate SHA-256 fingerprint")
        self.fingerprint.setTextFormat(Qt.TextFormat.PlainText)
        self.fingerprint.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fingerprint.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.trust_button = QPushButton("&Trust this signer…")
        self.trust_button.setAutoDefault(False)
        self.trust_button.clicked.connect(self.trust_signer)
        self.trust_button.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        # The accept role makes Verify the default button (Enter); verifying keeps the dialog open.
        self.verify_button = self.buttons.addButton("&Verify", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.verify)
        self.buttons.rejected.connect(self.reject)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.against_case)
        layout.addSpacing(8)
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.trust_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.path.setFocus()

    def choose(self) -> None:
        folder = os.path.dirname(self.path.text()) or os.path.dirname(self.session.path)
        path, _ = QFileDialog.getOpenFileName(self, "Choose a signed report", folder, "PDF (*.pdf)")
        if path:
            self.path.setText(path)
            self.verify()

    def verify(self) -> None:
        path = self.path.text().strip()
        if self.busy:
            return
        if not path:
            self._show(Outcome(UNCHECKED, "Choose the report to verify first."))
            return
        against_case = self.against_case.isChecked()

        def job(case: CaseFile) -> Outcome:
            return check_report(path, case if against_case else None)

        self.busy = True
        self.verify_button.setEnabled(False)
        self.headline.setStyleSheet("")
        self.headline.setText("Checking…")
        self.details.clear()
        self.fingerprint.clear()
        self.trust_button.setVisible(False)
        self.session.read(lambda reader, _job: job(reader), on_done=self._show, on_error=self._failed, owner=self)

    def _show(self, outcome: Outcome) -> None:
        self.busy = False
        if self._closed and self.dispose_when_closed:
            self.deleteLater()
            return
        self.verify_button.setEnabled(True)
        self.outcome = outcome
        headline, details = describe(outcome)
        self.headline.setText(headline)
        self.headline.setStyleSheet((DARK_STYLES if is_dark(self) else STYLES)[outcome.verdict])
        self.details.setText(details)
        verified = outcome.verified
        self.fingerprint.setText(grouped(verified.cert_fingerprint, 16) if verified else "")
        self.trust_button.setVisible(outcome.verdict == UNTRUSTED)
        self._fit()

    def _fit(self) -> None:
        """Grow to show the whole outcome (wrapped labels do not resize their window)."""
        self._layout.activate()
        needed = self._layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _failed(self, message: str) -> None:
        self._show(Outcome(UNCHECKED, message))

    def _clear(self) -> None:
        if not self.busy:
            self.outcome = None
            self.headline.clear()
            self.details.clear()
            self.fingerprint.clear()
            self.trust_button.setVisible(False)

    def done(self, result: int) -> None:
        """Closing while a check runs leaves the dialog to go away once that check is back."""
        self._closed = True
        super().done(result)
        if not self.busy and self.dispose_when_closed:
            self.deleteLater()

    def trust_signer(self) -> None:
        """After the user confirms the fingerprint, add the signer to the trust list and check again."""
        verified = self.outcome.verified if self.outcome else None
        if verified is None:
            return
        answer = QMessageBox.question(
            self,
            "Trust this signer?",
            f"Trust every report signed with this certificate of {verified.signer}?\n\n"
            f"SHA-256\n{grouped(verified.cert_fingerprint, 16)}\n\n"
            "Only if the signer read you this same fingerprint by phone or in person.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        from irdesk.casefile.errors import CaseFileError
        from irdesk.identity.errors import IdentityError
        from irdesk.identity.trust import load_certificate, trust

        try:
            trust(load_certificate(verified.cert_der))
        except (IdentityError, CaseFileError) as exc:  # a damaged list, a full disk
            self.details.setText(exc.message)
            return
        self.verify()


def show_verify_dialog(parent: QWidget | None, session: CaseSession) -> VerifyDialog:
    """Open the dialog (modeless; it deletes itself when closed)."""
    dialog = VerifyDialog(session, parent)
    dialog.dispose_when_closed = True
    dialog.show()
    return dialog
