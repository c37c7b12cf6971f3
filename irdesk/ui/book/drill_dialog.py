"""Book ▸ New drill…: whom to reach and whose logs to request, where to save the drill case, its
marking and a strong passphrase; the same choices as ``irdesk drill new``.

The lists come least recently verified (logs least recently obtained) first, with the first
``DEFAULT_CONTACTS`` and ``DEFAULT_SYSTEMS`` ticked, as the command line picks them; the tasks
the ticked ones make are previewed as they will be written.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile.book_store import BookFile
from irdesk.casefile.drilling import FromBook, drill_choices, write_drill
from irdesk.casefile.store import CaseFile
from irdesk.domain.book import BookContact
from irdesk.domain.drills import DEFAULT_CONTACTS, DEFAULT_SYSTEMS, DrillPlan, plan_drill
from irdesk.domain.enums import Tlp
from irdesk.domain.errors import KnownError
from irdesk.domain.paths import shown
from irdesk.domain.records import System
from irdesk.ui.forms import ERROR_STYLE
from irdesk.ui.jobs import JobRunner
from irdesk.ui.passphrase_fields import PassphraseFields
from irdesk.ui.paths import path_from_text

ID_ROLE = Qt.ItemDataRole.UserRole


def _contact_line(c: BookContact) -> tuple[str, str]:
    """The line (name and when last verified: what the choice turns on) and its tooltip."""
    when = f"verified {c.last_verified.isoformat()}" if c.last_verified else "never verified"
    who = ", ".join(x for x in (c.role, c.team or c.organisation) if x)
    return f"{c.name} — {when}", f"{c.name}{f' ({who})' if who else ''}: {when}"


def _system_line(s: System) -> tuple[str, str]:
    when = f"obtained {s.last_obtained_on.isoformat()}" if s.last_obtained_on else "never obtained"
    return f"{s.name} — {when}", f"{s.name}: {s.logs or 'logs not described'}; logs last {when}"


class DrillDialog(QDialog):
    """``book``: the open book's read-only connection (the caller's; it is only read here)."""

    def __init__(self, book: BookFile, author: str, parent: QWidget | None = None, folder: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("New drill")
        self.setMinimumWidth(640)
        self.book, self.author = book, author
        self.case: CaseFile | None = None
        self.plan: DrillPlan | None = None
        self._jobs = JobRunner(self, threads=1)
        self._busy = False
        self._contacts, self._systems = drill_choices(book)
        marking = book.book().tlp
        self.contacts = self._list("People to reach", [(c.id, _contact_line(c)) for c in self._contacts],
                                   DEFAULT_CONTACTS)
        self.systems = self._list("Systems whose logs to request", [(s.id, _system_line(s)) for s in self._systems],
                                  DEFAULT_SYSTEMS)
        self.tasks = QLabel()
        self.tasks.setWordWrap(True)
        self.tasks.setTextFormat(Qt.TextFormat.PlainText)
        self.tasks.setAccessibleName("The drill's tasks")
        self.title = QLineEdit()
        self.title.setAccessibleName("Drill title")
        day = book.clock().local.date()
        self._day = day
        self.path = QLineEdit(os.path.join(folder or os.path.expanduser("~"), f"drill-{day.isoformat()}.ircase"))
        self.path.setAccessibleName("Drill case file")
        browse = QPushButton("Choose…")
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.tlp = QComboBox()
        for tlp in Tlp:
            self.tlp.addItem(tlp.label, tlp.value)
        self.tlp.setCurrentIndex(list(Tlp).index(marking))
        self.tlp.setAccessibleName("TLP marking")
        self.passphrase = PassphraseFields(lambda: (self.title.text() or self._auto_title(),),
                                           above=[("Title", self.title), ("File", where), ("Marking", self.tlp)])
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton("Create drill", QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.accepted.connect(self.create_drill)
        self.buttons.rejected.connect(self.reject)
        lists = QHBoxLayout()
        for heading, widget, share in (("People to reach (least recently verified first)", self.contacts, 3),
                                       ("Logs to request (least recently obtained first)", self.systems, 2)):
            column = QVBoxLayout()
            column.addWidget(QLabel(heading))
            column.addWidget(widget, 1)
            lists.addLayout(column, share)
        layout = QVBoxLayout(self)
        layout.addLayout(lists, 1)
        layout.addWidget(self.tasks)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for widget in (self.contacts, self.systems):
            widget.itemChanged.connect(self._preview)
        self._preview()
        self.contacts.setFocus()

    def _list(self, name: str, rows: list[tuple[str, tuple[str, str]]], ticked: int) -> QListWidget:
        widget = QListWidget()
        widget.setAccessibleName(name)
        widget.setMinimumHeight(110)
        for n, (record_id, (text, tip)) in enumerate(rows):
            item = QListWidgetItem(text)
            item.setToolTip(tip)
            item.setData(ID_ROLE, record_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if n < ticked else Qt.CheckState.Unchecked)
            widget.addItem(item)
        return widget

    @staticmethod
    def ticked(widget: QListWidget) -> list[str]:
        return [widget.item(n).data(ID_ROLE) for n in range(widget.count())
                if widget.item(n).checkState() == Qt.CheckState.Checked]

    def set_ticked(self, contact_ids: list[str], system_ids: list[str]) -> None:
        """Tick exactly these (as a test does)."""
        for widget, ids in ((self.contacts, contact_ids), (self.systems, system_ids)):
            for n in range(widget.count()):
                item = widget.item(n)
                item.setCheckState(Qt.CheckState.Checked if item.data(ID_ROLE) in ids else Qt.CheckState.Unchecked)

    def current_plan(self) -> DrillPlan:
        """The plan of what is ticked (raises ``BadInput`` when nothing is)."""
        return plan_drill(self._contacts, self._systems, named_contacts=self.ticked(self.contacts),
                          named_systems=self.ticked(self.systems), contact_count=len(self.ticked(self.contacts)),
                          system_count=len(self.ticked(self.systems)))

    def _auto_title(self) -> str:
        try:
            return self.current_plan().title(self._day)
        except KnownError:
            return "Drill"

    def _preview(self, _item: QListWidgetItem | None = None) -> None:
        try:
            plan = self.current_plan()
        except KnownError:
            self.tasks.setText("Tick at least one person or one system.")
            return
        self.title.setPlaceholderText(plan.title(self._day))
        self.tasks.setText("Tasks:\n" + "\n".join(f"• {s.removeprefix('Drill: ')}" for s in plan.sentences()))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New drill case", self.path.text(), "Case files (*.ircase)")
        if path:
            self.path.setText(path if path.endswith(".ircase") else path + ".ircase")

    def problem(self) -> str:
        """Why the drill cannot be created yet, or ""."""
        if not self.ticked(self.contacts) and not self.ticked(self.systems):
            return "Tick at least one person to reach or one system whose logs to request."
        path = path_from_text(self.path.text())
        if not path:
            return "Choose where to save the drill case."
        if not path.lower().endswith(".ircase"):
            return "Name the drill case *.ircase."
        problem = self.passphrase.problem()
        if problem:
            return problem
        if os.path.lexists(path):
            return f"{shown(path)} already exists; choose another name."
        return ""

    def create_drill(self) -> None:
        """Check, then create the drill on a pool thread (the key derivation takes a second)."""
        if self.creating:
            return
        problem = self.problem()
        if problem:
            if problem == self.passphrase.problem():
                self.passphrase.reason.clear()  # said once, below, in red
            self.error.setText(problem)
            return
        try:
            plan = self.current_plan()
        except KnownError as exc:
            self.error.setText(shown(exc.message))
            return
        title = self.title.text().strip() or plan.title(self._day)
        path, passphrase, tlp = path_from_text(self.path.text()), self.passphrase.value(), Tlp(self.tlp.currentData())
        source = FromBook.of(self.book)  # read here: the book's connection stays on this thread
        self._creating(True)

        def made(case: CaseFile) -> None:
            self._creating(False)
            self.case, self.plan = case, plan
            self.accept()

        def failed(message: str) -> None:
            self._creating(False)
            self.error.setText(message)

        self._jobs.start(lambda _job: write_drill(path, passphrase, plan, title=title, tlp=tlp, actor=self.author,
                                                  book=source),
                         owner=self, on_done=made, on_error=failed)

    @property
    def creating(self) -> bool:
        return self._busy

    def _creating(self, busy: bool) -> None:
        """While the drill is made, nothing in the dialog changes and it does not close."""
        self._busy = busy
        self.error.setText("Creating the drill…" if busy else "")
        for widget in (self.create_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel),
                       self.contacts, self.systems, self.passphrase, self.path, self.title, self.tlp):
            widget.setEnabled(not busy)

    def reject(self) -> None:
        if not self._busy:  # Escape while the file is being made would leave it open, unseen
            super().reject()
