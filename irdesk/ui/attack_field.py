"""ATT&CK technique tags as a responder types them: ids completed by id or by name from the
catalogue irdesk ships (``irdesk.domain.attack``, offline), each id named beneath with its
tactics, and what the catalogue would refuse said before saving, in the words ``--attack``
uses on the command line.

The field holds ids separated by commas (or spaces); completion works on what follows the last
comma, so a name of several words can be searched: "T148" offers T1485 and T1486, "encrypted
for" offers Data Encrypted for Impact, and choosing it puts its id there.
"""

from __future__ import annotations

import functools
import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QVBoxLayout, QWidget

from irdesk.domain import attack
from irdesk.domain.errors import BadInput
from irdesk.ui.forms import ERROR_STYLE

SEPARATORS = re.compile(r"[,\s]+")


def split_ids(text: str) -> list[str]:
    """The ids in the field, as typed (normalised later by ``attack.check_entered``)."""
    return [part for part in SEPARATORS.split(text) if part]


@functools.cache
def completions() -> tuple[str, ...]:
    """Every technique a tag may name, as the completer lists it: ``T1486 — Data Encrypted for
    Impact``; revoked ones are left out (entering one is refused, naming its replacement)."""
    cat = attack.catalogue()
    return tuple(f"{t.id} — {t.name}" for t in sorted(cat.techniques.values(), key=lambda t: t.id)
                 if t.status != "revoked")


class TokenCompleter(QCompleter):
    """Completes the last id in the line; choosing one puts its id (not its name) there."""

    def __init__(self, field: QLineEdit) -> None:
        super().__init__(field)
        self.names = QStringListModel(list(completions()), self)  # owned here: the completer keeps no reference
        self.setModel(self.names)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setMaxVisibleItems(10)

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 (Qt's name)
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802
        chosen = str(index.data() or "").split(" — ", 1)[0]
        line = self.widget()
        text = line.text() if isinstance(line, QLineEdit) else ""
        head = [part.strip() for part in text.split(",")[:-1] if part.strip()]
        return ", ".join([*head, chosen]) + ", "


class AttackField(QWidget):
    """A line of technique ids with completion, and beneath it what they are (or why not)."""

    edited = Signal()

    def __init__(self, name: str = "ATT&CK techniques", parent: QWidget | None = None, *,
                 compact: bool = False) -> None:
        """``compact``: the names go to the tooltip, and ``meaning`` shows only a problem; the
        form places ``meaning`` itself (the note editor puts it under the whole row)."""
        super().__init__(parent)
        self.compact = compact
        self.line = QLineEdit()
        self.line.setAccessibleName(name)
        self.line.setPlaceholderText("ATT&CK ids or names, e.g. T1486 or 'encrypted'")
        self.line.setCompleter(TokenCompleter(self.line))
        self.line.textEdited.connect(lambda _text: self._typed())
        self.meaning = QLabel()
        self.meaning.setWordWrap(True)
        self.meaning.setAccessibleName(f"{name}: what they are")
        self.meaning.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line)
        if not compact:
            layout.addWidget(self.meaning)
        self._describe()

    def ids(self) -> tuple[str, ...]:
        """The ids as typed, each once (unchecked: the operation checks them, as ``--attack``)."""
        return tuple(dict.fromkeys(attack.normalise(i) for i in split_ids(self.line.text())))

    def set_ids(self, ids: tuple[str, ...] | list[str]) -> None:
        """Show a record's ids (an imported id the catalogue lacks is shown, flagged)."""
        if tuple(ids) != self.ids():
            self.line.setText(", ".join(ids))
        self._describe()

    def problem(self) -> str:
        """What ``--attack`` would refuse in the field, in one sentence, or ""."""
        try:
            attack.check_entered(self.ids())
        except BadInput as exc:
            return str(exc)
        return ""

    def _typed(self) -> None:
        self._describe()
        self.edited.emit()

    def _describe(self) -> None:
        ids = self.ids()
        if not ids:
            self.meaning.setText("")
            self.meaning.setVisible(False)
            self.line.setToolTip("")
            return
        cat = attack.catalogue()
        lines = []
        for tid in ids:
            technique = cat.get(tid)
            if technique is None:
                lines.append(attack.flag(tid))
            else:
                lines.append(f"{attack.flag(tid)} · {', '.join(technique.tactic_labels)}")
        try:  # once: the refusal, or the warnings of what is accepted
            problem, (_, warnings) = "", attack.check_entered(ids)
        except BadInput as exc:
            problem, warnings = str(exc), []
        said = [*([problem] if problem else []), *warnings]
        self.meaning.setStyleSheet(ERROR_STYLE if problem else "")
        if self.compact:
            self.line.setToolTip("\n".join(lines))
            self.meaning.setText("\n".join(said))
            self.meaning.setVisible(bool(said))
            return
        self.meaning.setText("\n".join([*lines, *said]))
        self.meaning.setVisible(True)
