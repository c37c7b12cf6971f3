"""The form beside a record table (evidence, contact, engagement, action item): it saves itself.

Nothing typed into a form is silently dropped. The form saves the fields the user changed —
and only those, so a change that arrived meanwhile (a merge, another field) is never undone —
when the user presses Enter or Save, selects another record, leaves the tab, locks or quits.
If the case file refuses the change, its one sentence shows in red beside the field that was
edited last, the form returns to that record with the edit still in it. Leaving it a second time
without a change lets the edit go, saying so (and the lock or quit names it too).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFormLayout, QWidget

from irdesk.casefile.changes import Done
from irdesk.casefile.store import CaseFile
from irdesk.domain.records import Record
from irdesk.ui.forms import FieldRows, show_status
from irdesk.ui.session import CaseSession

R = TypeVar("R", bound=Record)
Values = dict[str, Any]


class RecordForm(QObject, Generic[R]):
    """One record's fields; the panel says how to read, show and write them.

    Args:
        values_of: the form's values for a record (keys are the operation's field names).
        form_values: what the widgets show now, in the same keys.
        fill: put values into the widgets.
        write: the operation that saves ``changes`` to the record with that id.
        select: bring a record back into view (after a refusal, when the user had moved on).
        describe: how a record is named in a sentence ("the contact “Marta”").
    """

    saved = Signal(object)  # the record as saved
    refused = Signal(str)  # a sentence naming the record and why it was not saved
    dropped = Signal(str)  # the same sentence, once the user left the refused edit behind

    def __init__(self, session: CaseSession, *, values_of: Callable[[R], Values],
                 form_values: Callable[[], Values], fill: Callable[[Values], None],
                 write: Callable[[CaseFile, str, Values], Done[R]], select: Callable[[str], None],
                 describe: Callable[[R], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._values_of, self._form_values, self._fill = values_of, form_values, fill
        self._write, self._select, self._describe = write, select, describe
        self.rows = FieldRows(parent=self)
        self._record: R | None = None
        self._base: Values = {}
        self.problem = ""  # the last refusal not yet fixed, as a sentence naming the record
        self._refused_changes: Values | None = None

    # ------------------------------------------------------------ building
    @property
    def layout(self) -> QFormLayout:
        return self.rows.layout

    def add_row(self, label: str, field: str, widget: QWidget) -> None:
        """A labelled row for ``field`` with its refusal line under it; Enter in it saves."""
        self.rows.add_row(label, field, widget, on_enter=self.save)

    # ------------------------------------------------------------ state
    @property
    def record(self) -> R | None:
        return self._record

    def changes(self) -> Values:
        """The fields the user changed since the record was shown."""
        if self._record is None:
            return {}
        now = self._form_values()
        return {k: v for k, v in now.items() if k in self._base and v != self._base[k]}

    @property
    def dirty(self) -> bool:
        return bool(self.changes())

    def load(self, record: R | None) -> None:
        """Show ``record``: the one shown before is saved first if it was edited.

        The same record coming back (a reload after a save or a merge) keeps what the user is
        typing into it; only an untouched form takes the new values.
        """
        if self._record is not None and record is not None and record.id == self._record.id:
            if self.dirty:
                self._record = record
                return
        elif self.dirty:
            if self.changes() == self._refused_changes:  # refused once and left again: let go
                problem, self.problem = self.problem, ""
                self.dropped.emit(problem)
                self._tell(f"Not saved: {problem}")
            else:
                self.save()
        self._refused_changes = None
        self._record = record
        self._show(self._values_of(record) if record is not None else {}, record)
        self.rows.clear()

    def _show(self, values: Values, record: R | None) -> None:
        self.rows.quiet = True
        try:
            if record is not None:
                self._fill(values)
                self.rows.show_starts()
            self._base = dict(values)
        finally:
            self.rows.quiet = False

    def _tell(self, message: str) -> None:
        owner = self.parent()
        if isinstance(owner, QWidget):
            show_status(owner, message)

    # ------------------------------------------------------------ saving
    def save(self, on_done: Callable[[R], None] | None = None) -> bool:
        """Queue the changed fields (False when there are none)."""
        record, changes = self._record, self.changes()
        if record is None or not changes or changes == self._refused_changes:
            return False  # nothing new: a refused edit waits to be fixed, it is not sent again
        field, write, base = self.rows.last, self._write, dict(self._base)
        self._base = {**self._base, **changes}  # what the form will show once it is saved

        def saved(result: R) -> None:
            if self._record is not None and self._record.id == result.id:
                self._record = result
            if self.problem.startswith(self._describe(record)):
                self.problem = ""
            self.saved.emit(result)
            if on_done is not None:
                on_done(result)

        self.session.write(lambda case: write(case, record.id, changes), on_done=saved,
                           on_error=lambda message: self._refused(record, base, changes, field, message),
                           owner=self)
        return True

    def _refused(self, record: R, base: Values, changes: Values, field: str, message: str) -> None:
        """Back to the record, with the edit still in the form and the reason beside the field."""
        problem = f"{self._describe(record)}: {message}"
        if self._record is None or self._record.id != record.id:
            if self.dirty:
                self.save()
            self._select(record.id)
            if self._record is None or self._record.id != record.id:
                self.refused.emit(problem)  # it is gone (deleted meanwhile): say so anyway
                self._tell(f"Not saved: {problem}")
                return
        self.problem = problem
        self._base = base
        self.rows.quiet = True
        try:
            self._fill({**self._form_values(), **changes})
        finally:
            self.rows.quiet = False
        self._refused_changes = self.changes()
        self.rows.say(message, field)
        self.refused.emit(self.problem)
