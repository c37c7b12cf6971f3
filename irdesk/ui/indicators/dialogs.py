"""The indicator dialogs: add or edit one (its value checked as you type), and the preview of
what "Extract from notes" would add."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from irdesk.domain import attack
from irdesk.domain.enums import IndicatorKind
from irdesk.domain.errors import BadInput
from irdesk.domain.indicators import Candidate, normalise
from irdesk.domain.records import Indicator, Note
from irdesk.ui.attack_field import TokenCompleter
from irdesk.ui.notes.model import first_line


class IndicatorDialog(QDialog):
    """Kind, value and description of one indicator; OK only while the value is valid for its kind.

    The check is the domain's (``normalise``), the one the operation applies again on saving.
    """

    def __init__(self, indicator: Indicator | None = None, parent: QWidget | None = None, *,
                 note: Note | None = None) -> None:
        """``note``: offered as the note a new indicator was found in (the one being read)."""
        super().__init__(parent)
        self.setWindowTitle("Edit indicator" if indicator else "Add an indicator")
        self.setMinimumWidth(440)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind")
        for kind in IndicatorKind:
            self.kind.addItem(kind.value, kind)
        self.value = QLineEdit()
        self.value.setAccessibleName("Value")
        self.value.setPlaceholderText("10.20.4.17, evil.example, a SHA-256…")
        self.description = QLineEdit()
        self.description.setAccessibleName("Description")
        self.attack = QLineEdit()
        self.attack.setAccessibleName("ATT&CK techniques")
        self.attack.setPlaceholderText("T1071.001, T1486 … (optional)")
        self.attack.setToolTip("MITRE ATT&CK technique ids, checked against the catalogue irdesk ships; "
                               "type an id or part of a name to be offered the techniques")
        self.attack.setCompleter(TokenCompleter(self.attack))  # by id or by name, as in the note editor
        self._kept_attack: tuple[str, ...] = indicator.attack if indicator is not None else ()
        self.problem = QLabel()
        self.problem.setAccessibleName("What is wrong with the value")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b")
        if indicator is not None:
            self.kind.setCurrentIndex(self.kind.findData(indicator.kind))
            self.value.setText(indicator.value)
            self.description.setText(indicator.description)
            self.attack.setText(", ".join(indicator.attack))
        self.note = note if indicator is None else None
        self.from_note = QCheckBox(f"Found in the note “{first_line(note.body, 50)}”" if note else "")
        self.from_note.setAccessibleName("Found in the note being read")
        self.from_note.setToolTip("Link the indicator to this note: it was first seen when the note occurred")
        self.from_note.setChecked(self.note is not None)
        self.from_note.setVisible(self.note is not None)
        form = QFormLayout()
        form.addRow("&Kind", self.kind)
        form.addRow("&Value", self.value)
        form.addRow("&Description", self.description)
        form.addRow("AT&T&&CK", self.attack)  # "ATT&CK", Alt+T
        form.addRow("", self.from_note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._check)
        self.value.textChanged.connect(self._check)
        self.attack.textChanged.connect(self._check)
        self._check()
        self.value.setFocus()

    def source_note_id(self) -> str | None:
        return self.note.id if self.note is not None and self.from_note.isChecked() else None

    def techniques(self) -> list[str]:
        """The technique ids typed, as given (the operation normalises and checks them)."""
        return [part for part in re.split(r"[\s,;]+", self.attack.text()) if part]

    def chosen_kind(self) -> IndicatorKind:
        return IndicatorKind(self.kind.currentData())

    def _check(self) -> None:
        ok = True
        message = ""
        if self.value.text().strip():
            try:
                normalise(self.chosen_kind(), self.value.text())
            except ValueError as exc:
                ok, message = False, str(exc)
        else:
            ok = False
        new = [t for t in self.techniques() if attack.normalise(t) not in self._kept_attack]
        try:
            attack.check_entered(new)  # the operation's check, for a word while typing
        except BadInput as exc:
            ok, message = False, message or str(exc)
        self.problem.setText(message)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


class ExtractDialog(QDialog):
    """The indicators found in the notes, each with a box: only the ticked ones are added."""

    def __init__(self, found: Sequence[tuple[Candidate, Note]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Extract indicators from notes")
        self.resize(640, 420)
        self._found = list(found)
        intro = QLabel(f"{len(found)} value(s) in the notes look like indicators and are not recorded yet. "
                       "Untick any you do not want; nothing is added until you press Add.")
        intro.setWordWrap(True)
        self.list = QTreeWidget()  # a short-lived preview, not the case's data: a plain widget will do
        self.list.setAccessibleName("Indicators found in the notes")
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setHeaderLabels(["Kind", "Value", "Found in the note"])
        self._items: list[QTreeWidgetItem] = []
        for candidate, note in self._found:
            item = QTreeWidgetItem([candidate.kind.value, candidate.value, first_line(note.body, 80)])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked)
            item.setToolTip(1, candidate.value)
            item.setToolTip(2, first_line(note.body, 200))
            self.list.addTopLevelItem(item)
            self._items.append(item)
        for column in (0, 1):
            self.list.resizeColumnToContents(column)
        none_button = QPushButton("&Untick all")
        none_button.clicked.connect(lambda: self._tick_all(False))
        all_button = QPushButton("&Tick all")
        all_button.clicked.connect(lambda: self._tick_all(True))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton("&Add", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.addButton(all_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(none_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.list.itemChanged.connect(lambda *_: self._count())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self._count()
        self.list.setFocus()
        if self._items:
            self.list.setCurrentItem(self._items[0])

    def _tick_all(self, ticked: bool) -> None:
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        for item in self._items:
            item.setCheckState(0, state)

    def _count(self) -> None:
        n = len(self.chosen())
        self.add_button.setText(f"&Add {n}")
        self.add_button.setEnabled(n > 0)

    def chosen(self) -> list[tuple[Candidate, Note]]:
        return [found for found, item in zip(self._found, self._items, strict=True)
                if item.checkState(0) == Qt.CheckState.Checked]
