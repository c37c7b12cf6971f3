"""The note's tags: one line, separated by commas, completed from the tags the case already uses.

The case's tags are read once, when the field is first used, on a background connection (a
case of 100,000 notes keeps its tags in every row, so the read is a scan), and grow with
every tag this field saves; so a responder who types "ran" gets "ransomware" as the team
spelled it, not a fourth spelling.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from irdesk.casefile.store import CaseFile
from irdesk.ui.jobs import Job
from irdesk.ui.session import CaseSession


def parse_tags(text: str) -> tuple[str, ...]:
    """"edr, #fs01,, EDR " → ("edr", "fs01"): commas separate, a leading # is dropped, the
    first spelling of a tag wins over later ones that differ only in case."""
    found: dict[str, str] = {}
    for part in text.split(","):
        tag = " ".join(part.strip().lstrip("#").split())
        if tag and tag.casefold() not in found:
            found[tag.casefold()] = tag
    return tuple(found.values())


def shown_tags(tags: Sequence[str]) -> str:
    return ", ".join(tags)


class LastTagCompleter(QCompleter):
    """Completes the tag being typed (after the last comma), keeping the ones before it."""

    def __init__(self, edit: QLineEdit) -> None:
        self.tags = QStringListModel()
        super().__init__(self.tags, edit)
        self._edit = edit
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 - Qt override
        return [path.rsplit(",", 1)[-1].strip().lstrip("#")]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802 - Qt override
        before = self._edit.text().rsplit(",", 1)
        head = before[0] + ", " if len(before) > 1 else ""
        return f"{head}{index.data()}, "


class TagsField(QLineEdit):
    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName("Tags")
        self.setPlaceholderText("Tags, separated by commas (the case's tags are offered as you type)")
        self.setToolTip("Tags find the note again: in Search (#tag or tag:name) and in the timeline's tag filter")
        self.setClearButtonEnabled(True)
        self.tag_completer = LastTagCompleter(self)
        self.setCompleter(self.tag_completer)
        self._known: set[str] = set()
        self._asked = False
        self._job: Job | None = None
        self.installEventFilter(self)
        self.textEdited.connect(lambda _text: self.load_case_tags())

    def tags(self) -> tuple[str, ...]:
        return parse_tags(self.text())

    def set_tags(self, tags: Sequence[str]) -> None:
        self.setText(shown_tags(tags))

    def known(self) -> list[str]:
        return self.tag_completer.tags.stringList()

    def add_known(self, tags: Iterable[str]) -> None:
        """Tags just saved (or read): offered from now on."""
        new = {t for t in tags if t} - self._known
        if new:
            self._known |= new
            self.tag_completer.tags.setStringList(sorted(self._known, key=str.casefold))

    def load_case_tags(self) -> None:
        """Read the case's tags (once), off the GUI thread."""
        if self._asked or self.session.closed:
            return
        self._asked = True

        def read(reader: CaseFile, _job: Job) -> list[str]:
            return reader.timeline.tags()

        self._job = self.session.read(read, on_done=self.add_known, owner=self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self and event.type() == QEvent.Type.FocusIn:
            self.load_case_tags()
        return False
