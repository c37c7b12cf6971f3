"""Create a case: where, title, TLP marking, drill flag and a strong passphrase."""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile import operations as ops
from irdesk.casefile.book_store import BookFile
from irdesk.casefile.starting import Started, start_from_book
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Tlp
from irdesk.domain.errors import KnownError
from irdesk.domain.paths import shown
from irdesk.templates import readiness_items
from irdesk.ui.passphrase_fields import PassphraseFields
from irdesk.ui.paths import path_from_text

LOST_PASSPHRASE = (
    "irdesk cannot recover a case whose passphrase is lost: there is no reset. "
    "Hand-off copies are the backup."
)


class NewCaseDialog(QDialog):
    """``book``: the open readiness book (a read-only connection the caller closes); the case
    then starts from it, unless the user unticks that."""

    def __init__(self, author: str, parent: QWidget | None = None, folder: str = "",
                 book: BookFile | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New case")
        self.setMinimumWidth(520)
        self.author = author
        self.case: CaseFile | None = None
        self.title = QLineEdit()
        self.title.setAccessibleName("Case title")
        self.title.setPlaceholderText("e.g. Ransomware on the Rotterdam file servers")
        self.path = QLineEdit(os.path.join(folder or os.path.expanduser("~"), "incident.ircase"))
        self.path.setAccessibleName("Case file")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.tlp = QComboBox()
        for tlp in Tlp:
            self.tlp.addItem(tlp.label, tlp.value)
        self.tlp.setCurrentIndex(list(Tlp).index(Tlp.AMBER))
        self.tlp.setAccessibleName("TLP marking")
        self.drill = QCheckBox("This is an exercise (drill)")
        self.book = book
        self.from_book = QCheckBox()
        self.from_book.setAccessibleName("Start from the readiness book")
        if book is not None:
            self.from_book.setText(f"Start from the book “{book.title()}”: its contacts and checklist")
            self.from_book.setChecked(True)
        else:
            self.from_book.hide()
        self.passphrase = PassphraseFields(
            lambda: (self.title.text(), os.path.basename(self.path.text())),
            above=[
                ("Title", self.title),
                ("File", where),
                ("Marking", self.tlp),
                ("", self.drill),
                ("", self.from_book),
            ],
        )
        warning = QLabel(LOST_PASSPHRASE)
        warning.setWordWrap(True)
        warning.setStyleSheet("color: #a04000")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b; font-weight: bold")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(
            "Create case", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.create_case)
        self.buttons.rejected.connect(self.reject)
        self.create_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        browse.setAutoDefault(False)
        for field in (self.title, self.path):
            field.textChanged.connect(self._recheck)
        self.passphrase.checked.connect(self._recheck)
        layout = QVBoxLayout(self)
        layout.addWidget(self.passphrase)
        layout.addWidget(warning)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New case file", self.path.text(), "Case files (*.ircase)"
        )
        if path:
            self.path.setText(path if path.endswith(".ircase") else path + ".ircase")

    def problem(self) -> str:
        """Why the case cannot be created yet, or ""."""
        title, path = self.title.text().strip(), path_from_text(self.path.text())
        if not title:
            return "Give the case a title."
        if not path:
            return "Choose where to save the case file."
        problem = self.passphrase.problem()
        if problem:
            return problem
        if os.path.exists(path):
            return f"{shown(path)} already exists; choose another name."
        return ""

    def _recheck(self) -> None:
        """A red message goes as soon as what it says no longer holds (a new one waits for Create)."""
        said = self.error.text()
        if said and said != "Creating the case…" and self.problem() != said:
            self.error.clear()

    def create_case(self) -> None:
        title, path = self.title.text().strip(), path_from_text(self.path.text())
        problem = self.problem()
        if problem:
            if problem == self.passphrase.problem():
                self.passphrase.reason.clear()  # said once, below, in red
            self.error.setText(problem)
            return
        self.error.setText("Creating the case…")
        self.repaint()
        book = self.book if self.book is not None and self.from_book.isChecked() else None
        started: list[Started] = []
        try:
            case = CaseFile.create(
                path,
                self.passphrase.value(),
                title=title,
                actor=self.author,
                tlp=Tlp(self.tlp.currentData()),
                drill=self.drill.isChecked(),
                fill=None if book is None else (lambda new: started.append(start_from_book(new, book))),
            )
            if not started or not started[0].checklist:  # the book's own checklist, else the template
                ops.add_checklist_items(case, readiness_items())
        except KnownError as exc:
            self.error.setText(shown(exc.message))
            return
        self.case = case
        self.accept()
