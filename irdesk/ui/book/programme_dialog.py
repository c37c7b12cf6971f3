"""Book ▸ Programme report…: the readiness book's programme report for senior staff, as
``irdesk book report`` writes it (the period, signing, the outputs gate), from the open book.

The report is built, signed and recorded in the book on the book session's writer thread (the
book records each report it issues, so ``irdesk verify PDF --book BOOK`` can check it).
"""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile.book_store import BookFile
from irdesk.casefile.changes import Done
from irdesk.domain.errors import KnownError
from irdesk.domain.paths import shown
from irdesk.ui.book.session import BookSession

if TYPE_CHECKING:
    from irdesk.domain.records import ReportIssue
    from irdesk.report.programme import ProgrammeReport

UNENCRYPTED = ("The PDF is not encrypted: it holds the book's figures and labels (never a case's notes), "
               "marked with the book's TLP.")


class ProgrammeDialog(QDialog):
    def __init__(self, session: BookSession, responder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from irdesk.report.service import warm_up

        warm_up()  # imports on this thread: PySide's import hook is not thread-safe
        import irdesk.report.programme_layout  # noqa: F401 - the same, for the programme report's own modules

        self.session, self.responder = session, responder
        self.setWindowTitle("Programme report")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.busy = False
        self.saved = ""  # the path of the report last written

        today = QDate.currentDate()
        self.use_start, self.start = QCheckBox("From"), QDateEdit(today.addYears(-1))
        self.use_end, self.end = QCheckBox("To"), QDateEdit(today)
        for check, edit, what in ((self.use_start, self.start, "first"), (self.use_end, self.end, "last")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.setAccessibleName(f"The period's {what} day")
            check.toggled.connect(edit.setEnabled)
        self.path = QLineEdit(os.path.join(os.path.dirname(os.path.abspath(session.path)), "programme.pdf"))
        self.path.setAccessibleName("Save the report as")
        choose = QPushButton("Choose…")
        choose.setAutoDefault(False)
        choose.clicked.connect(self.choose)
        self.sign = QCheckBox("Sign with my identity")
        self.passphrase = QLineEdit(os.environ.get("IRDESK_IDENTITY_PASSPHRASE", ""))
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Identity passphrase")
        self.passphrase.setAccessibleName("Identity passphrase")
        self.passphrase.setEnabled(False)
        self.sign.toggled.connect(self.passphrase.setEnabled)
        self.status = QLabel(UNENCRYPTED)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.write_button = QPushButton("Write report")
        self.write_button.setDefault(True)
        self.write_button.clicked.connect(self.write)
        close = QPushButton("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)

        form = QFormLayout()
        period = QHBoxLayout()
        for widget in (self.use_start, self.start, self.use_end, self.end):
            period.addWidget(widget)
        period.addStretch(1)
        form.addRow("Period (every case if unticked)", period)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(choose)
        form.addRow("Save as", where)
        signing = QHBoxLayout()
        signing.addWidget(self.sign)
        signing.addWidget(self.passphrase, 1)
        form.addRow("", signing)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.write_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Incidents and drills, quarter by quarter, for senior staff: counted apart in every "
                                "figure."))
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(min(620, self.screen().availableGeometry().width() - 40), self.sizeHint().height())

    def choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the programme report", self.path.text(), "PDF (*.pdf)")
        if path:
            self.path.setText(path)

    def period(self) -> tuple[date | None, date | None]:
        start = self.start.date().toPython() if self.use_start.isChecked() else None
        end = self.end.date().toPython() if self.use_end.isChecked() else None
        return start, end  # type: ignore[return-value]

    def write(self) -> None:
        """Check what can be checked here, then build, sign and record it on the writer thread."""
        from irdesk.casefile.outputs import check_destination
        from irdesk.report.programme import check_period

        if self.busy:
            return
        path = self.path.text().strip()
        if not path:
            self.status.setText("Choose where to save the report.")
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            period = check_period(*self.period())
            # The file dialog asked before an existing file is replaced; a case file or a book never is.
            check_destination(path, protect=(self.session.path,), replace=True, plaintext=True)
        except KnownError as exc:
            self.status.setText(shown(exc.message))
            return
        passphrase = self.passphrase.text() if self.sign.isChecked() else None
        if passphrase is not None and not passphrase:
            self.status.setText("Type the identity passphrase to sign, or untick “Sign”.")
            self.passphrase.setFocus()
            return
        responder = self.responder

        def issue(book: BookFile) -> Done[tuple[ProgrammeReport, ReportIssue]]:  # on the writer thread
            from irdesk.report.programme import build_programme
            from irdesk.report.service import issue_report

            identity = None
            if passphrase is not None:
                from irdesk.identity.keys import load_identity

                identity = load_identity(passphrase)
            built = build_programme(book, responder=responder, period=period, identity=identity)
            done = issue_report(book, built, path, replace=True)
            return Done((built, done.value), done.changes)

        self.busy = True
        self.write_button.setEnabled(False)
        self.status.setText("Unlocking the identity and signing…" if passphrase else "Building the report…")
        self.session.write(issue, on_done=lambda value: self._done(value[0], path), on_error=self._failed)

    def _done(self, built: ProgrammeReport, path: str) -> None:
        self.busy = False
        self.write_button.setEnabled(True)
        self.saved = path
        c = built.content
        state = "signed" if built.signed else "unsigned"
        self.status.setText(f"Saved programme report {built.report_id} ({state}; {len(c.incidents)} incident(s), "
                            f"{len(c.drills)} drill(s), {c.period.sentence()}) to {shown(path)}.")

    def _failed(self, message: str) -> None:
        self.busy = False
        self.write_button.setEnabled(True)
        self.status.setText(message)
